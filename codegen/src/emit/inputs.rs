//! What request builders and input structs share: how a caller passes a value (`impl Into<String>`
//! for strings), the setters of optional members (`x(v)` and `set_x(Option<v>)`), and the struct
//! of required values where positional arguments could be swapped unnoticed.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, member_docs, plain_type};
use crate::model::{Member, Module, Ty};

/// The type of an argument for a member: strings and secrets as `impl Into<String>`, enums as
/// `impl Into<E>` (so `"open_id"` works), anything else as itself (unboxed).
pub(crate) fn arg_type(ty: &Ty, from: Module) -> TokenStream {
    match ty {
        Ty::String | Ty::Secret => quote!(impl Into<String>),
        Ty::Named(n) if n.is_enum() => {
            let t = plain_type(ty, from);
            quote!(impl Into<#t>)
        }
        other => plain_type(other, from),
    }
}

/// The value stored in a member's field for an argument of [`arg_type`].
pub(crate) fn arg_into(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(#value.into()),
        Ty::Named(n) if n.is_enum() => quote!(#value.into()),
        Ty::Secret => quote!(runtime::Secret::new(#value)),
        Ty::Named(n) if n.boxed => quote!(Box::new(#value)),
        _ => value,
    }
}

/// The initializer of a member's field from the argument of the same name: `x` or `x: x.into()`.
pub(crate) fn field_init(m: &Member) -> TokenStream {
    let name = ident(&m.rust);
    match &m.ty {
        Ty::String | Ty::Secret => {
            let value = arg_into(&m.ty, quote!(#name));
            quote!(#name: #value)
        }
        Ty::Named(n) if n.is_enum() || n.boxed => {
            let value = arg_into(&m.ty, quote!(#name));
            quote!(#name: #value)
        }
        _ => quote!(#name),
    }
}

/// The type of the `Option` a `set_x` setter takes: plain types, a secret as its `String`.
fn option_type(ty: &Ty, from: Module) -> TokenStream {
    match ty {
        Ty::Secret => quote!(Option<String>),
        other => {
            let t = plain_type(other, from);
            quote!(Option<#t>)
        }
    }
}

fn option_into(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Secret => quote!(value.map(runtime::Secret::new)),
        Ty::Named(n) if n.boxed => quote!(value.map(Box::new)),
        _ => quote!(value),
    }
}

/// `x(value)` and `set_x(Option<value>)` for an optional member, on a type whose field `x` is an
/// `Option`.
pub(crate) fn setters(m: &Member, from: Module) -> TokenStream {
    let field = ident(&m.rust);
    let setter = ident(&m.setter);
    let option_setter = ident(&m.option_setter);
    let ty = arg_type(&m.ty, from);
    let value = arg_into(&m.ty, quote!(value));
    let doc = docs::attrs(&member_docs(m));
    let option_ty = option_type(&m.ty, from);
    let option_value = option_into(&m.ty);
    let option_doc = docs::attrs(&format!("Sets `{}` from an `Option`: `None` leaves it out. See [`Self::{}`].", m.wire, m.setter.trim_start_matches("r#")));
    quote! {
        #doc
        pub fn #setter(mut self, value: #ty) -> Self {
            self.#field = Some(#value);
            self
        }
        #option_doc
        pub fn #option_setter(mut self, value: #option_ty) -> Self {
            self.#field = #option_value;
            self
        }
    }
}

/// The type of a field of a required-values struct: what a caller writes, a secret as its `String`.
fn required_field_type(ty: &Ty, from: Module) -> TokenStream {
    match ty {
        Ty::Secret => quote!(String),
        other => plain_type(other, from),
    }
}

/// The struct that names each required value at the call (`CreateMessageRequired { … }`).
pub(crate) fn required_struct(name: &str, doc: &str, members: &[&Member], from: Module) -> TokenStream {
    let name = ident(name);
    let doc = docs::attrs(doc);
    let fields = members.iter().map(|m| {
        let field = ident(&m.rust);
        let ty = required_field_type(&m.ty, from);
        let doc = docs::attrs(&member_docs(m));
        quote! { #doc pub #field: #ty, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The value stored in a member's field for the same member of a required-values struct named
/// `source`.
pub(crate) fn from_required(m: &Member, source: &TokenStream) -> TokenStream {
    let field = ident(&m.rust);
    match &m.ty {
        Ty::Secret => quote!(runtime::Secret::new(#source.#field)),
        Ty::Named(n) if n.boxed => quote!(Box::new(#source.#field)),
        _ => quote!(#source.#field),
    }
}
