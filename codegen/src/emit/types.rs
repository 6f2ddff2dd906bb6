//! Named types: structs with serde impls written out for the wire names, and open enums that keep
//! values they do not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, inputs, member_docs, rust_type};
use crate::model::{Args, EnumDef, Member, Module, Scalar, StructDef, TypeDef, TypeKind};
use crate::reserved;

/// The named types of one module, each structure once: a type defined exactly as an earlier one
/// of the module but for its name and its own description (the same fields with the same docs,
/// wire names, derives and builders) is an alias of the first, `pub type B = A;`, with its own
/// docs. Its values are the first type's (`Debug` prints that name); one definition compiles
/// instead of several.
pub fn type_defs(types: &[TypeDef], from: Module, always_serialize: bool) -> TokenStream {
    type_defs_in(types, 0..types.len(), from, always_serialize)
}

/// [`type_defs`] of the types in `range` alone (an alias still names the first type of its
/// shape, wherever it is).
pub fn type_defs_in(types: &[TypeDef], range: std::ops::Range<usize>, from: Module, always_serialize: bool) -> TokenStream {
    let canonical = canonicals(&types[..range.end.min(types.len())]);
    let defs = range.map(|i| match canonical[i] {
        Some(first) => alias(&types[i], &types[first].rust),
        None => type_def(&types[i], from, always_serialize),
    });
    quote!(#(#defs)*)
}

/// For each type, the earlier type of the same structure it is an alias of (see [`type_defs`]).
pub fn canonicals(types: &[TypeDef]) -> Vec<Option<usize>> {
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            // What `type_def` emits from, but the name and the description: the same key, the
            // same code but for those. Direction makes a struct's derives and builders; an enum's
            // code is the same either way.
            let TypeDef { rust: _, wire: _, description: _, kind, input, output: _ } = t;
            let key = match kind {
                TypeKind::Struct(_) => format!("{:?}", (kind, input)),
                TypeKind::Enum(_) => format!("{kind:?}"),
            };
            let canonical = first.get(&key).copied();
            if canonical.is_none() {
                first.insert(key, i);
            }
            canonical
        })
        .collect()
}

/// `pub type Name = Canonical;` with the type's own description.
fn alias(t: &TypeDef, canonical: &str) -> TokenStream {
    let mut doc = t.description.as_deref().map(docs::escape).unwrap_or_default();
    if t.wire != t.rust {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("The vendor calls this type {}.", docs::code(&t.wire)));
    }
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("The same structure as [`{canonical}`], of which this is an alias: one definition compiles for both."));
    let doc = docs::attrs(&doc);
    let (name, canonical) = (ident(&t.rust), ident(canonical));
    quote! {
        #doc
        pub type #name = #canonical;
    }
}

/// A named type. `Serialize` is emitted for what requests send (and so for every type inside
/// one) and with `always_serialize` (events, which `Event::to_json` writes back, and which see
/// their own types only); for any other type (answers', or used by nothing, which may hold an
/// answer's type) it sits behind the runtime's `serialize-responses` feature.
pub fn type_def(t: &TypeDef, from: Module, always_serialize: bool) -> TokenStream {
    let mut doc = t.description.as_deref().map(docs::escape).unwrap_or_default();
    if t.wire != t.rust {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("The vendor calls this type {}.", docs::code(&t.wire)));
    }
    let doc = docs::attrs(&doc);
    match &t.kind {
        TypeKind::Struct(def) => {
            let name = ident(&t.rust);
            let fields = def.members.iter().map(|m| {
                let field = ident(&m.rust);
                let base = rust_type(&m.ty, from);
                let doc = docs::attrs(&member_docs(m));
                if m.required {
                    quote! { #doc pub #field: #base, }
                } else {
                    quote! { #doc pub #field: Option<#base>, }
                }
            });
            // Structs that requests send can be built without naming every optional field.
            let default = (t.input && def.members.iter().all(|m| !m.required)).then(|| quote!(Default,));
            let builder = if t.input { input_methods(t, def, from) } else { quote!() };
            let serialize = serialize_impl(&t.rust, def);
            let serialize = if always_serialize || t.input { serialize } else { quote!(runtime::response_serialize! { #serialize }) };
            let deserialize = deserialize_impl(&t.rust, def);
            let compared = def.members.iter().map(|m| ident(&m.rust));
            quote! {
                #doc
                #[derive(Debug, Clone, #default)]
                pub struct #name {
                    #(#fields)*
                }
                runtime::partial_eq!(#name { #(#compared)* });
                #serialize
                #deserialize
                #builder
            }
        }
        TypeKind::Enum(e) => enum_def(&t.rust, e, doc),
    }
}

/// `Serialize` written out rather than derived (serde's derive costs several times the code to
/// type-check): the wire names in order, an absent optional field left out.
fn serialize_impl(rust: &str, def: &StructDef) -> TokenStream {
    let name = ident(rust);
    let required = def.members.iter().filter(|m| m.required).count();
    // The number of fields written: the required ones, and each optional one that is set.
    let mut count: Vec<TokenStream> = Vec::new();
    if required > 0 || def.members.iter().all(|m| m.required) {
        count.push(quote!(#required));
    }
    count.extend(def.members.iter().filter(|m| !m.required).map(|m| {
        let field = ident(&m.rust);
        quote!(usize::from(self.#field.is_some()))
    }));
    let writes = def.members.iter().map(|m| {
        let field = ident(&m.rust);
        let wire = &m.wire;
        if m.required { quote!(out.serialize_field(#wire, &self.#field)?;) } else { quote!(runtime::serialize_set(&mut out, #wire, &self.#field)?;) }
    });
    let out = if def.members.is_empty() { quote!(out) } else { quote!(mut out) };
    quote! {
        impl runtime::serde::Serialize for #name {
            fn serialize<__S: runtime::serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use runtime::serde::ser::SerializeStruct as _;
                let #out = serializer.serialize_struct(#rust, #(#count)+*)?;
                #(#writes)*
                out.end()
            }
        }
    }
}

/// `Deserialize` through `runtime::Record`: the struct gives a `match` from wire name
/// to index and one loop that stores each field by index; the visitor, the key reader and each
/// step (duplicate key, `null` optional, missing required field: serde's errors) are the
/// runtime's, so each struct adds one small body to type-check. Unknown keys are skipped.
/// Generic parameters are `__`-prefixed: a struct may be named `D` or `A`.
fn deserialize_impl(rust: &str, def: &StructDef) -> TokenStream {
    let name = ident(rust);
    let locals: Vec<_> = (0..def.members.len()).map(|i| quote::format_ident!("__f{}", i)).collect();
    let arms = def.members.iter().zip(&locals).enumerate().map(|(i, (m, local))| {
        let wire = &m.wire;
        let read = if m.required { quote!(read_required) } else { quote!(read_optional) };
        quote!(#i => runtime::#read(&mut map, &mut #local, #wire),)
    });
    let inits = def.members.iter().zip(&locals).map(|(m, local)| {
        let field = ident(&m.rust);
        let wire = &m.wire;
        if m.required { quote!(#field: runtime::required(#local, #wire)?) } else { quote!(#field: #local.flatten()) }
    });
    let keys = def.members.iter().enumerate().map(|(i, m)| {
        let wire = &m.wire;
        quote!(#wire => #i,)
    });
    // A struct without fields skips every key (a `match` of one wildcard arm is a lint).
    let (index, read) = if def.members.is_empty() {
        (
            quote!(runtime::UNKNOWN),
            quote! {
                while runtime::next_key::<Self, __A>(&mut map)?.is_some() {
                    runtime::skip_value(&mut map)?;
                }
            },
        )
    } else {
        (
            quote! {
                match key {
                    #(#keys)*
                    _ => runtime::UNKNOWN,
                }
            },
            quote! {
                while let Some(key) = runtime::next_key::<Self, __A>(&mut map)? {
                    match key {
                        #(#arms)*
                        _ => runtime::skip_value(&mut map),
                    }?;
                }
            },
        )
    };
    let key = if def.members.is_empty() { quote!(_key) } else { quote!(key) };
    quote! {
        impl<'de> runtime::serde::Deserialize<'de> for #name {
            fn deserialize<__D: runtime::serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                runtime::deserialize_record(deserializer)
            }
        }
        // `#[inline]`: across the crate boundary the runtime's visitor inlines them as serde's
        // derive does its own (without it, a small nested payload decoded 1.07x slower).
        impl runtime::Record for #name {
            #[inline]
            fn field_index(#key: &str) -> usize {
                #index
            }
            #[inline]
            fn read_fields<'de, __A: runtime::serde::de::MapAccess<'de>>(mut map: __A) -> Result<Self, __A::Error> {
                #(let mut #locals = None;)*
                #read
                Ok(Self { #(#inits),* })
            }
        }
    }
}

/// `new(…)` with the required fields (positional, or named in a struct), and the setters of the
/// optional ones, for a struct that requests send.
fn input_methods(t: &TypeDef, def: &StructDef, from: Module) -> TokenStream {
    let name = ident(&t.rust);
    let required: Vec<&Member> = def.members.iter().filter(|m| m.required).collect();
    let setters = def.members.iter().filter(|m| !m.required).map(|m| inputs::setters(m, from));
    let optional_init = def.members.iter().filter(|m| !m.required).map(|m| {
        let field = ident(&m.rust);
        quote!(#field: None)
    });
    let new = ident(reserved::NEW);
    let (constructor, required_struct) = match &def.args {
        _ if required.is_empty() => (quote!(), quote!()),
        Args::Positional => {
            let args = required.iter().map(|m| {
                let field = ident(&m.rust);
                let ty = inputs::arg_type(&m.ty, from);
                quote!(#field: #ty)
            });
            let init = required.iter().map(|m| inputs::field_init(m));
            let doc = docs::attrs(&format!("A `{}` with its required fields; the optional ones are unset.", t.rust));
            (quote! { #doc pub fn #new(#(#args),*) -> Self { #name { #(#init,)* #(#optional_init,)* } } }, quote!())
        }
        Args::Named(rs) => {
            let rs_ident = ident(rs);
            let source = quote!(required);
            let init = required.iter().map(|m| {
                let field = ident(&m.rust);
                let value = inputs::from_required(m, &source);
                quote!(#field: #value)
            });
            let doc = docs::attrs(&format!("A `{}` with its required fields, each named in [`{rs}`]; the optional ones are unset.", t.rust));
            let rs_doc = format!("The required fields of [`{}`], each named.", t.rust);
            (quote! { #doc pub fn #new(required: #rs_ident) -> Self { #name { #(#init,)* #(#optional_init,)* } } }, inputs::required_struct(rs, &rs_doc, &required, from))
        }
    };
    quote! {
        #required_struct
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

fn enum_def(rust: &str, e: &EnumDef, doc: TokenStream) -> TokenStream {
    let name = ident(rust);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust)).collect();
    let variant_docs = e.variants.iter().map(|v| {
        let mut text = docs::code(&v.wire);
        if let Some(d) = &v.description {
            text.push_str(": ");
            text.push_str(&docs::escape(d));
        }
        docs::attrs(&text)
    });
    let defs = quote! {
        #doc
        ///
        /// Open: values this client does not know arrive as `Unknown` and are sent back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
    };
    match e.base {
        Scalar::String => {
            let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
            quote! {
                #defs
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value not listed in the spec, kept as sent.
                    Unknown(String),
                }
                impl #name {
                    /// The value on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #wires, )*
                            Self::Unknown(value) => value,
                        }
                    }
                }
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #wires => Self::#variants, )*
                            other => Self::Unknown(other.to_owned()),
                        }
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl runtime::serde::Serialize for #name {
                    fn serialize<S: runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> runtime::serde::Deserialize<'de> for #name {
                    fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        runtime::deserialize_enum(deserializer)
                    }
                }
            }
        }
        Scalar::Int32 | Scalar::Int64 => {
            let values: Vec<_> = e.variants.iter().map(|v| proc_macro2::Literal::i64_unsuffixed(v.wire.parse().unwrap_or_default())).collect();
            quote! {
                #defs
                pub enum #name {
                    #( #variant_docs #variants, )*
                    /// A value not listed in the spec, kept as sent.
                    Unknown(i64),
                }
                impl #name {
                    /// The value on the wire.
                    pub fn value(&self) -> i64 {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => *value,
                        }
                    }
                }
                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "{}", self.value())
                    }
                }
                impl runtime::serde::Serialize for #name {
                    fn serialize<S: runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }
                impl<'de> runtime::serde::Deserialize<'de> for #name {
                    fn deserialize<D: runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        runtime::enum_integer(deserializer).map(Self::from)
                    }
                }
            }
        }
    }
}
