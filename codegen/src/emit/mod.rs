//! Emits Rust tokens from the checked model: one module per vendor, one per service.
//!
//! Emitted code names the runtime as `runtime`, imported from `::generated_client::runtime`, so the
//! same tokens work inside `generated-client` and in a downstream crate through the macro.

mod docs;
mod events;
mod inputs;
mod operations;
mod types;
mod vendor;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Member, Module, Ty};
pub use types::canonicals;

/// One module of output: its file name relative to the output directory, the spec directory it
/// came from, and its tokens.
#[derive(Debug)]
pub struct ModuleTokens {
    pub file: String,
    pub source: String,
    pub tokens: TokenStream,
}

/// Which module of the output: the list of vendors, a vendor, or a service of a vendor.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Root,
    Vendor(usize),
    Service(usize, usize),
}

/// Every module of the output, in file order.
pub fn parts(api: &Api) -> Vec<Part> {
    let mut out = vec![Part::Root];
    for (v, vendor) in api.vendors.iter().enumerate() {
        out.push(Part::Vendor(v));
        out.extend((0..vendor.services.len()).map(|s| Part::Service(v, s)));
    }
    out
}

/// The file a part is written to, relative to the output directory.
pub fn part_file(api: &Api, part: Part) -> String {
    match part {
        Part::Root => "mod.rs".to_owned(),
        Part::Vendor(v) => format!("{}/mod.rs", api.vendors[v].module),
        Part::Service(v, s) => format!("{}/{}.rs", api.vendors[v].module, api.vendors[v].services[s].module),
    }
}

/// A share of a module's items. Emitted and formatted each on its own (on any thread), and
/// concatenated in order, a module's shares make its file: a big service module is rendered on
/// several cores.
#[derive(Debug, Clone, Copy)]
pub enum Share {
    Whole,
    /// A service's docs and accessors (with each operation's method).
    Head,
    /// The own items of a range of a service's operations.
    Operations(usize, usize),
    /// A range of a service's types.
    Types(usize, usize),
    /// A service's `events` module.
    Events,
}

/// How many types, or operations, one share of a service module holds.
const TYPES_PER_SHARE: usize = 80;
const OPERATIONS_PER_SHARE: usize = 15;

/// The shares of a part, in file order, each with its weight (a rough cost to render).
pub fn shares(api: &Api, part: Part) -> Vec<(Share, usize)> {
    match part {
        Part::Service(v, s) => service_shares(&api.vendors[v].services[s]),
        _ => vec![(Share::Whole, 0)],
    }
}

/// The shares of a service module, in file order, with their weights.
pub fn service_shares(s: &crate::model::Service) -> Vec<(Share, usize)> {
    let mut out = vec![(Share::Head, s.operations.len())];
    for start in (0..s.operations.len()).step_by(OPERATIONS_PER_SHARE) {
        let end = (start + OPERATIONS_PER_SHARE).min(s.operations.len());
        out.push((Share::Operations(start, end), (end - start) * 6));
    }
    for start in (0..s.types.len()).step_by(TYPES_PER_SHARE) {
        let end = (start + TYPES_PER_SHARE).min(s.types.len());
        out.push((Share::Types(start, end), end - start));
    }
    if !s.events.is_empty() {
        out.push((Share::Events, s.events.len() * 7));
    }
    out
}

/// One share of a module's tokens (see [`Share`]).
pub fn emit_share(api: &Api, part: Part, share: Share) -> ModuleTokens {
    let (Part::Service(vi, si), false) = (part, matches!(share, Share::Whole)) else { return emit_part(api, part) };
    let (v, s) = (&api.vendors[vi], &api.vendors[vi].services[si]);
    let tokens = match share {
        Share::Whole => operations::service_module(v, s),
        Share::Head => operations::service_head(v, s, operations::Head::Start),
        Share::Operations(start, end) => operations::service_head(v, s, operations::Head::Operations(start..end)),
        Share::Types(start, end) => types::type_defs_in(&s.types, start..end, Module::Service, false),
        Share::Events => events::service_events(s),
    };
    ModuleTokens { file: part_file(api, part), source: s.spec_dir.clone(), tokens }
}

/// One module's tokens. Token streams cannot cross threads; parts can.
pub fn emit_part(api: &Api, part: Part) -> ModuleTokens {
    match part {
        Part::Root => emit_root(api),
        Part::Vendor(v) => {
            let v = &api.vendors[v];
            ModuleTokens { file: part_file(api, part), source: v.spec_dir.clone(), tokens: vendor::vendor_module(v, false) }
        }
        Part::Service(v, s) => {
            let file = part_file(api, part);
            let (v, s) = (&api.vendors[v], &api.vendors[v].services[s]);
            ModuleTokens { file, source: s.spec_dir.clone(), tokens: operations::service_module(v, s) }
        }
    }
}

fn emit_root(api: &Api) -> ModuleTokens {
    let vendor_mods = api.vendors.iter().map(|v| {
        let m = ident(&crate::names::escape(&v.module));
        let doc = docs::attrs(&v.title);
        quote! { #doc pub mod #m; }
    });
    ModuleTokens {
        file: part_file(api, Part::Root),
        source: "specs".to_owned(),
        tokens: quote! {
            //! The clients generated from `specs/`, one module per vendor.
            #(#vendor_mods)*
        },
    }
}

/// The whole API as one token stream, every module inline: what the `generate!` macro expands
/// to. The items are the same tokens `emit` writes to files.
pub fn emit_inline(api: &Api) -> TokenStream {
    let vendors = api.vendors.iter().map(|v| {
        let m = ident(&crate::names::escape(&v.module));
        let doc = docs::attrs(&v.title);
        let body = vendor::vendor_module(v, true);
        quote! { #doc pub mod #m { #body } }
    });
    quote! { #(#vendors)* }
}

/// An identifier from a checked name; `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a field, seen from a module of the given kind.
pub(crate) fn rust_type(ty: &Ty, from: Module) -> TokenStream {
    match ty {
        Ty::Named(n) if n.boxed => {
            let path = named_path(n, from);
            quote!(Box<#path>)
        }
        other => plain_type(other, from),
    }
}

/// Like [`rust_type`], without the `Box` that breaks a cycle: the type callers pass.
pub(crate) fn plain_type(ty: &Ty, from: Module) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(runtime::serde_json::Value),
        Ty::File => quote!(runtime::UploadFile),
        Ty::Secret => quote!(runtime::Secret),
        Ty::Vec(item) => {
            let item = rust_type(item, from);
            quote!(Vec<#item>)
        }
        Ty::Map(item) => {
            let item = rust_type(item, from);
            quote!(std::collections::BTreeMap<String, #item>)
        }
        Ty::Named(n) => named_path(n, from),
    }
}

fn named_path(n: &crate::model::Named, from: Module) -> TokenStream {
    let name = ident(&n.rust);
    if n.module == Module::Vendor && from == Module::Service { quote!(super::#name) } else { quote!(#name) }
}

/// The rustdoc of a field or parameter: description, allowed values, default, limits, example.
pub(crate) fn member_docs(m: &Member) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &m.description {
        parts.push(docs::escape(d));
    }
    if !m.allowed.is_empty() && !m.ty.is_enum() {
        parts.push(format!("Allowed values: {}.", m.allowed.iter().map(|a| docs::code(a)).collect::<Vec<_>>().join(", ")));
    }
    if let Some(d) = &m.default {
        parts.push(format!("Default (applied by the server): {}.", docs::json_code(d)));
    }
    let l = &m.limits;
    let mut limits = Vec::new();
    if let Some(v) = l.min {
        limits.push(format!("minimum {v}"));
    }
    if let Some(v) = l.max {
        limits.push(format!("maximum {v}"));
    }
    if let Some(v) = l.min_length {
        limits.push(format!("at least {v} characters"));
    }
    if let Some(v) = l.max_length {
        limits.push(format!("at most {v} characters"));
    }
    if let Some(v) = l.min_items {
        limits.push(format!("at least {v} items"));
    }
    if let Some(v) = l.max_items {
        limits.push(format!("at most {v} items"));
    }
    if let Some(v) = &l.pattern {
        limits.push(format!("matches {}", docs::code(v)));
    }
    if !limits.is_empty() {
        parts.push(format!("Limits: {}.", limits.join(", ")));
    }
    if m.ty == Ty::Secret {
        parts.push("Secret: kept in a `Secret`, never printed by `Debug`.".to_owned());
    } else if let Some(e) = &m.example {
        parts.push(format!("Example: {}.", docs::json_code(e)));
    }
    if m.rust.trim_start_matches("r#") != m.wire {
        parts.push(format!("Wire name: {}.", docs::code(&m.wire)));
    }
    parts.join("\n\n")
}

/// An accessor struct and the method on its parent that returns it; with `gate`, compiled only
/// under its cargo features.
pub(crate) fn accessor_def(a: &crate::model::Accessor, from: Module, gate: bool) -> TokenStream {
    let cfg = match &a.features[..] {
        _ if !gate => quote!(),
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    };
    let name = ident(&a.rust);
    let method = ident(&a.method);
    let doc = docs::attrs(&a.doc);
    let client = if from == Module::Service { quote!(super::Client) } else { quote!(Client) };
    let parent_impl = match &a.parent {
        None => quote! {
            #cfg
            impl #client {
                #doc
                pub fn #method(&self) -> #name<'_> {
                    #name { client: self }
                }
            }
        },
        Some(p) => {
            let p = ident(p);
            let parent = if a.parent_in_vendor && from == Module::Service { quote!(super::#p) } else { quote!(#p) };
            quote! {
                #cfg
                impl<'a> #parent<'a> {
                    #doc
                    pub fn #method(&self) -> #name<'a> {
                        #name { client: self.client }
                    }
                }
            }
        }
    };
    quote! {
        #doc
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a #client,
        }
        #parent_impl
    }
}

pub(crate) fn method_tokens(m: crate::model::Method) -> TokenStream {
    use crate::model::Method;
    match m {
        Method::Get => quote!(runtime::Method::Get),
        Method::Post => quote!(runtime::Method::Post),
        Method::Put => quote!(runtime::Method::Put),
        Method::Patch => quote!(runtime::Method::Patch),
        Method::Delete => quote!(runtime::Method::Delete),
    }
}

/// Empty stand-ins for the vendor modules of specs that failed to check.
pub(crate) fn error_stubs(vendor_modules: &[String]) -> TokenStream {
    let modules = vendor_modules.iter().filter(|v| crate::names::is_ident(v)).map(|v| {
        let name = ident(&crate::names::escape(v));
        quote! {
            #[allow(dead_code)]
            pub mod #name {
                #[derive(Debug, Clone)]
                pub struct Client;
                #[derive(Debug)]
                pub struct ClientBuilder;
                #[derive(Debug)]
                pub struct Error;
            }
        }
    });
    quote! { #(#modules)* }
}
