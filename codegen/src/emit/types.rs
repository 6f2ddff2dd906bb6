//! Named types: structs with serde attributes for the wire names, and open enums that keep
//! values they do not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, inputs, member_docs, rust_type};
use crate::model::{Args, EnumDef, Member, Module, Scalar, StructDef, TypeDef, TypeKind};
use crate::reserved;

pub fn type_def(t: &TypeDef, from: Module) -> TokenStream {
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
                let rename = (m.rust.trim_start_matches("r#") != m.wire).then(|| {
                    let wire = &m.wire;
                    quote!(rename = #wire,)
                });
                if m.required {
                    let attr = rename.map(|r| quote!(#[serde(#r)]));
                    quote! { #doc #attr pub #field: #base, }
                } else {
                    quote! {
                        #doc
                        #[serde(#rename skip_serializing_if = "Option::is_none")]
                        pub #field: Option<#base>,
                    }
                }
            });
            // Structs that requests send can be built without naming every optional field.
            let default = (t.input && def.members.iter().all(|m| !m.required)).then(|| quote!(Default,));
            let builder = if t.input { input_methods(t, def, from) } else { quote!() };
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default runtime::serde::Serialize, runtime::serde::Deserialize)]
                #[serde(crate = "runtime::serde")]
                pub struct #name {
                    #(#fields)*
                }
                #builder
            }
        }
        TypeKind::Enum(e) => enum_def(&t.rust, e, doc),
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
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
                impl From<String> for #name {
                    fn from(value: String) -> Self {
                        match Self::from(value.as_str()) {
                            // Keep the allocation the caller already made.
                            Self::Unknown(_) => Self::Unknown(value),
                            known => known,
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
                        runtime::enum_string(deserializer).map(Self::from)
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
