//! Events: a service's `events` module (one module per event, its struct and the types of its
//! page, re-exported by name) and the vendor's `Event` enum over every event type.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, types};
use crate::model::{Event, EventSchema, Module, Service, Vendor};

/// The `events` module of a service; nothing when it has no events.
pub fn service_events(s: &Service) -> TokenStream {
    if s.events.is_empty() {
        return TokenStream::new();
    }
    let doc = format!(" Events of `{}`: one module per event page, each event's struct re-exported here.", s.path.join("/"));
    let reexports = s.events.iter().map(|e| {
        let (m, r) = (ident(&e.module), ident(&e.rust));
        quote!(pub use self::#m::#r;)
    });
    let modules = s.events.iter().map(event_module);
    quote! {
        #[doc = #doc]
        pub mod events {
            #(#reexports)*
            #(#modules)*
        }
    }
}

fn event_module(e: &Event) -> TokenStream {
    let m = ident(&e.module);
    let module_doc = docs::attrs(&format!("`{}`: {}", e.event_type, docs::escape(&e.title)));
    let mut structs = e.types.iter();
    // The struct's docs are the event's, already Markdown.
    let event_struct = structs.next().map(|t| {
        let mut t = t.clone();
        t.description = None;
        t.wire = t.rust.clone();
        let doc = docs::attrs(&event_docs(e));
        let def = types::type_def(&t, Module::Service, true);
        quote!(#doc #def)
    });
    let others = structs.map(|t| types::type_def(t, Module::Service, true));
    let (rust, event_type) = (ident(&e.rust), &e.event_type);
    quote! {
        #module_doc
        pub mod #m {
            use super::super::runtime;
            #event_struct
            impl runtime::events::EventType for #rust {
                const EVENT_TYPE: &'static str = #event_type;
            }
            #(#others)*
        }
    }
}

fn event_docs(e: &Event) -> String {
    let mut parts = vec![docs::escape(&e.title)];
    if let Some(d) = e.description.as_deref().filter(|d| !docs::same_text(d, &e.title)) {
        parts.push(docs::escape(d));
    }
    let schema = match e.schema {
        EventSchema::V1 => "schema 1.0 (`uuid`, `ts`, `token`, `event`)",
        EventSchema::V2 => "schema 2.0 (`header`, `event`)",
    };
    let mut line = format!("Event type `{}`, delivered in {schema}", e.event_type);
    if let Some(url) = &e.doc_url {
        line.push_str(&format!(" · [doc page]({url})"));
    }
    parts.push(line);
    let mut facts = Vec::new();
    if let Some(note) = &e.deprecated {
        facts.push(if note.is_empty() { "- Deprecated.".to_owned() } else { format!("- Deprecated: {}", docs::escape(note)) });
    }
    if !e.app_types.is_empty() {
        facts.push(format!("- App types: {}.", e.app_types.join(", ")));
    }
    if !e.scopes.is_empty() {
        facts.push(format!("- Scopes (any one): {}.", docs::scopes(&e.scopes)));
    }
    if !e.field_scopes.is_empty() {
        facts.push(format!("- Field scopes: {}.", docs::scopes(&e.field_scopes)));
    }
    if !facts.is_empty() {
        parts.push(facts.join("\n"));
    }
    parts.extend(docs::errata(&e.errata));
    parts.push(format!("Spec: `{}`.", e.spec_file));
    parts.join("\n\n")
}

/// The vendor's `Event` enum and its decoding by event type; nothing when the vendor has no
/// events. In files each case is compiled with its service's feature (`inline`: always).
pub fn event_enum(v: &Vendor, inline: bool) -> TokenStream {
    let events: Vec<(&Service, &Event)> = v.services.iter().flat_map(|s| s.events.iter().map(move |e| (s, e))).collect();
    if events.is_empty() {
        return TokenStream::new();
    }
    let cfg = |s: &Service| match (&s.feature, inline) {
        (Some(f), false) => quote!(#[cfg(feature = #f)]),
        _ => quote!(),
    };
    let path = |s: &Service, e: &Event| {
        let (m, r) = (ident(&crate::names::escape(&s.module)), ident(&e.rust));
        quote!(#m::events::#r)
    };
    let cases = events.iter().map(|(s, e)| {
        let (variant, ty, cfg) = (ident(&e.variant), path(s, e), cfg(s));
        let doc = docs::attrs(&format!("`{}`: {}", e.event_type, docs::escape(&e.title)));
        quote! { #doc #cfg #variant(Box<#ty>), }
    });
    let decode = events.iter().map(|(s, e)| {
        let (variant, cfg, event_type) = (ident(&e.variant), cfg(s), &e.event_type);
        quote! { #cfg #event_type => Event::#variant(Box::new(runtime::serde_json::from_value(event)?)), }
    });
    let types = events.iter().map(|(s, e)| {
        let (variant, cfg, event_type) = (ident(&e.variant), cfg(s), &e.event_type);
        quote! { #cfg Event::#variant(_) => #event_type, }
    });
    let to_json = events.iter().map(|(s, e)| {
        let (variant, cfg) = (ident(&e.variant), cfg(s));
        quote! { #cfg Event::#variant(e) => runtime::serde_json::to_value(e), }
    });
    let doc = format!(
        " Every event of {}: `Dispatcher::on_any::<Event>(…)` receives each event without a handler of its own as its case here. Events of other types, and of services whose feature is off, are [`Event::Unknown`].",
        v.title
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Event {
            #(#cases)*
            /// An event of a type this client does not know (or of a service whose feature is off), with its raw JSON.
            Unknown(runtime::events::UnknownEvent),
        }
        impl Event {
            /// The event type as delivered.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#types)*
                    Event::Unknown(u) => &u.event_type,
                }
            }
            /// The event's body as JSON (what the delivery's `event` object held, as this client
            /// read it), to forward or store.
            pub fn to_json(&self) -> Result<runtime::serde_json::Value, runtime::serde_json::Error> {
                match self {
                    #(#to_json)*
                    Event::Unknown(u) => Ok(u.raw.clone()),
                }
            }
        }
        impl runtime::events::EventSet for Event {
            fn decode(event_type: &str, event: runtime::serde_json::Value) -> Result<Self, runtime::serde_json::Error> {
                Ok(match event_type {
                    #(#decode)*
                    _ => Event::Unknown(runtime::events::UnknownEvent { event_type: event_type.to_owned(), raw: event }),
                })
            }
        }
    }
}
