//! Named types: structs with serde attributes for the wire names, and open enums that keep
//! values they do not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, member_docs, rust_type};
use crate::model::{EnumDef, Scalar, Scope, TypeDef, TypeKind};

pub fn type_def(t: &TypeDef, from: Scope) -> TokenStream {
    let mut doc = t.description.as_deref().map(docs::escape).unwrap_or_default();
    if t.wire != t.rust {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("The vendor calls this type {}.", docs::code(&t.wire)));
    }
    let doc = docs::attrs(&doc);
    match &t.kind {
        TypeKind::Struct(members) => {
            let name = ident(&t.rust);
            let fields = members.iter().map(|m| {
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
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, runtime::serde::Serialize, runtime::serde::Deserialize)]
                #[serde(crate = "runtime::serde")]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum(e) => enum_def(&t.rust, e, doc),
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
