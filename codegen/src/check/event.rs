//! Events: each event file becomes a module of its own under its service's `events` module, with
//! the event's struct and the named types of its page; event types are distinct across the
//! vendor, and so are the Rust names they take in the service and in the vendor's `Event` enum.

use std::collections::{HashMap, HashSet};

use super::lower::{self, ModuleCx, Place};
use super::resolve::{Resolved, TypeTable};
use super::{Checker, Names};
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{self, Module, TypeDef, TypeKind};
use crate::spec::EventFile;
use crate::{names, reserved};

/// The events of service `si`, lowered; `variants` is the vendor-wide table of `Event` cases and
/// `types` of event types (both claimed across services).
pub(super) fn lower_events(cx: &mut Checker<'_>, r: &Resolved<'_>, si: usize, variants: &mut Names, types: &mut HashMap<String, Loc>) -> Vec<model::Event> {
    let mut out = Vec::new();
    let mut in_service = Names::default();
    in_service.reserve(reserved::PRELUDE, "a name the generated code takes from Rust's prelude");
    let mut modules = Names::default();
    let service = &r.services[si];
    for (ei, ev) in cx.specs.events.iter().enumerate() {
        if r.event_service[ei] != Some(si) {
            continue;
        }
        if let Some(first) = types.insert(ev.event.value.clone(), ev.event.loc) {
            cx.push(
                Diagnostic::at(ev.event.loc, format!("two event files describe event type `{}`", ev.event.value))
                    .help("keep one file per event type")
                    .also_at(first, "the first file of this event type"),
            );
            continue;
        }
        let Some((module_name, rust, variant)) = event_names(cx, ev, &service.path) else { continue };
        let what = format!("the module of event `{}`", ev.event.value);
        if !modules.claim(cx.diags, &module_name, ev.event.loc, what, &format!("{}::events", service.module)) {
            continue;
        }
        let what = format!("the struct of event `{}`", ev.event.value);
        if !in_service.claim(cx.diags, &rust, ev.name.as_ref().map_or(ev.event.loc, |n| n.loc), what.clone(), &format!("{}::events", service.module)) {
            continue;
        }
        if !variants.claim(cx.diags, &variant, ev.event.loc, format!("the `Event` case of event `{}`", ev.event.value), cx.vendor.name.value.as_str()) {
            continue;
        }
        if let Some(e) = lower_event(cx, ev, &format!("{}::events::{module_name}", service.module), &module_name, rust, variant) {
            out.push(e);
        }
    }
    out
}

/// The module, struct and `Event` case of an event: from `name:`, else from the event type
/// without the service's leading segment (`im.message.receive_v1` in `im/v1`:
/// `message_receive_v1`, `MessageReceiveV1`; case `ImMessageReceiveV1`).
fn event_names(cx: &mut Checker<'_>, ev: &EventFile, service_path: &[String]) -> Option<(String, String, String)> {
    let words = ev.event.value.replace(['.', '-'], "_");
    let variant = names::upper_camel(&words);
    let prefix = format!("{}.", service_path[0]);
    let short = ev.event.value.strip_prefix(&prefix).unwrap_or(&ev.event.value).replace(['.', '-'], "_");
    let rust = match &ev.name {
        Some(n) if names::is_ident(&n.value) => Some(names::escape(&n.value)),
        Some(n) => {
            cx.err(n.loc, format!("`{}` is not a Rust identifier", n.value), "write an UpperCamelCase ASCII name");
            return None;
        }
        None => names::upper_camel(&short),
    };
    match (names::snake(&short), rust, variant) {
        (Some(module), Some(rust), Some(variant)) => Some((names::escape(&module), rust, variant)),
        _ => {
            cx.err(ev.event.loc, format!("event type `{}` has no ASCII letters to make Rust names from", ev.event.value), "add `name:` with an UpperCamelCase name");
            None
        }
    }
}

fn lower_event(cx: &mut Checker<'_>, ev: &EventFile, path: &str, module_name: &str, rust: String, variant: String) -> Option<model::Event> {
    let table = super::resolve::event_types(cx, ev);
    let broken: HashSet<String> = ev.broken_types.iter().cloned().collect();
    let empty = TypeTable::new();
    let mut module = ModuleCx::for_event(cx, &table, &empty, &broken, path.to_owned(), &ev.types);
    let errors_before = cx.diags.error_count();
    module.names.claim(cx.diags, &rust, ev.event.loc, format!("the struct of event `{}`", ev.event.value), path);
    let members = lower::lower_fields(cx, &mut module, &rust, &ev.fields, Place::Type);
    let description = ev.description.clone();
    let mut types = vec![TypeDef {
        rust: rust.clone(),
        wire: ev.event.value.clone(),
        description: Some(ev.title.clone()).filter(|t| !t.is_empty()),
        kind: TypeKind::Struct(model::StructDef { members, args: model::Args::Positional }),
        input: false,
        output: true,
    }];
    types.append(&mut module.types);
    for t in &mut types {
        t.output = true;
        t.input = false;
    }
    lower::box_cycles(&mut types, Module::Service);
    let example = ev.example.as_ref().and_then(|e| match serde_json::from_str::<serde_json::Value>(&e.value) {
        Ok(v) => {
            let declared = v.pointer("/header/event_type").or_else(|| v.pointer("/event/type")).and_then(|t| t.as_str());
            if let Some(t) = declared.filter(|t| *t != ev.event.value) {
                cx.err(e.loc, format!("the example is an event of type `{t}`, not `{}`", ev.event.value), "fix the example's event type (and record the doc's slip as an erratum)");
            }
            if let Some(event) = types.first() {
                super::examples::check_event_example(cx, e, &v, event, &types, ev.schema.value);
            }
            Some(v)
        }
        Err(err) => {
            cx.err(e.loc, format!("the example is not JSON: {err}"), "write the whole delivery (envelope and event) as JSON");
            None
        }
    });
    (cx.diags.error_count() == errors_before).then(|| model::Event {
        spec_file: format!("{}/{}.yaml", cx.specs.display_dir, ev.rel_path),
        event_type: ev.event.value.clone(),
        module: module_name.to_owned(),
        rust,
        variant,
        title: ev.title.clone(),
        description,
        doc_url: ev.doc_url.clone(),
        deprecated: ev.deprecated.clone(),
        schema: ev.schema.value,
        app_types: ev.app_types.clone(),
        scopes: ev.scopes.clone(),
        field_scopes: ev.field_scopes.clone(),
        types,
        example,
        errata: ev.errata.clone(),
    })
}
