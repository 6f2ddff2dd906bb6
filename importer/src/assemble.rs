//! Imported pages → a spec root in which every spec passes the checker. One page never blocks
//! another: the checker's errors are traced to the page that caused them — the page of an
//! operation or event file, or the page that brought a type or a field of a type to a shared
//! `types.yaml` — and those pages are left out with the located reason, together with the types
//! only they brought; the rest is checked again until it passes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::diagnostic::Loc;
use codegen::spec::{Field, TypeDefKind};

use crate::build::Built;
use crate::event::BuiltEvent;
use crate::services::Catalog;

/// The outcome: pages whose specs pass together, pages left out, and pages whose spec the base
/// has in another form (reviewed by hand), which is kept.
#[derive(Debug, Default)]
pub struct Assembly {
    pub accepted: Vec<(PathBuf, Built)>,
    pub rejected: Vec<(PathBuf, Rejection)>,
    pub kept: Vec<(PathBuf, Built)>,
    /// Event pages whose specs pass with the rest.
    pub events: Vec<(PathBuf, BuiltEvent)>,
    /// Event pages whose spec the base has in another form, kept.
    pub kept_events: Vec<(PathBuf, BuiltEvent)>,
}

/// Why a page was left out: the checker's first message about it, at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// `specs/feishu/im/v1/message/create.yaml:12:5`.
    pub at: String,
    pub message: String,
}

impl Rejection {
    /// The message with its particulars (names in backticks, numbers) blanked: the class of the
    /// problem, for totals by reason.
    pub fn class(&self) -> String {
        let mut out = String::new();
        let mut in_code = false;
        for c in self.message.chars() {
            match c {
                '`' => {
                    if !in_code {
                        out.push_str("`…`");
                    }
                    in_code = !in_code;
                }
                _ if in_code => {}
                c if c.is_ascii_digit() => {
                    if !out.ends_with('#') {
                        out.push('#');
                    }
                }
                c => out.push(c),
            }
        }
        out
    }
}

/// Builds on `base` (a spec root: the project's `specs/`) in `scratch`: every file of the base's
/// vendors, the pages' services declared in the vendor files, the pages' specs (a page whose spec
/// the base has with other content is kept as the base has it, unless `replaceable` says of its
/// spec, `feishu/im/v1/message/create`, that it may be replaced) and their types
/// merged into the services' `types.yaml`. Then checks, leaves out the pages the errors trace to,
/// and repeats until what is left passes. `scratch` ends holding the accepted result.
pub fn assemble(pages: Vec<(PathBuf, Built)>, base: &Path, scratch: &Path, replaceable: &dyn Fn(&str) -> bool, catalog: &Catalog) -> Assembly {
    assemble_with_events(pages, Vec::new(), base, scratch, replaceable, catalog)
}

/// Like [`assemble`], with event pages too: an event file is its page's, like an operation file,
/// and the services of the events are declared like the operations'.
pub fn assemble_with_events(
    pages: Vec<(PathBuf, Built)>,
    events: Vec<(PathBuf, BuiltEvent)>,
    base: &Path,
    scratch: &Path,
    replaceable: &dyn Fn(&str) -> bool,
    catalog: &Catalog,
) -> Assembly {
    let mut out = Assembly::default();
    let mut live = Vec::new();
    let mut live_events = Vec::new();
    // Two pages that name one spec file: the later is left out rather than written over the first.
    let mut named: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (p, e) in events {
        let spec = format!("{}/{}", e.vendor, e.rel_path);
        if let Some(first) = named.get(&spec) {
            let message = format!("the page names its spec `{spec}`, as the page `{}` does, which is imported under that name", first.display());
            out.rejected.push((p, Rejection { at: format!("specs/{spec}.yaml"), message }));
            continue;
        }
        named.insert(spec.clone(), p.clone());
        match fs::read_to_string(base.join(e.vendor).join(format!("{}.yaml", e.rel_path))) {
            Ok(text) if !replaceable(&spec) && text != codegen::write::event(&e.event) => out.kept_events.push((p, e)),
            _ => live_events.push((p, e)),
        }
    }
    for (p, b) in pages {
        let spec = format!("{}/{}", b.vendor, b.rel_path);
        if let Some(first) = named.get(&spec) {
            let message = format!("the page names its spec `{spec}`, as the page `{}` does, which is imported under that name", first.display());
            out.rejected.push((p, Rejection { at: format!("specs/{spec}.yaml"), message }));
            continue;
        }
        named.insert(spec, p.clone());
        let on_disk = fs::read_to_string(base.join(b.vendor).join(format!("{}.yaml", b.rel_path)));
        match on_disk {
            Ok(text) if !replaceable(&format!("{}/{}", b.vendor, b.rel_path)) && text != codegen::write::operation(&b.operation) => out.kept.push((p, b)),
            _ => live.push((p, b)),
        }
    }
    let vendors: Vec<&'static str> = {
        let mut v: Vec<&'static str> = live.iter().chain(&out.kept).map(|(_, b)| b.vendor).chain(live_events.iter().chain(&out.kept_events).map(|(_, e)| e.vendor)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    // Each round leaves out at least one page, or ends.
    for _ in 0..=live.len() + live_events.len() {
        write_root(&live, &live_events, &vendors, base, scratch, catalog);
        let analysis = codegen::analyze(scratch, Path::new("specs"));
        if analysis.api.is_some() {
            break;
        }
        let diags = analysis.diagnostics;
        // Operation pages by their index, event pages by `EVENTS` and theirs.
        let blamed = blame(&diags, &live, &live_events, scratch);
        if blamed.is_empty() {
            // Errors no page accounts for (the base's own files): nothing imported can pass.
            let first = diags
                .items
                .first()
                .map(|d| Rejection { at: d.position(&diags.sources), message: d.message.clone() })
                .unwrap_or_else(|| Rejection { at: "specs".to_owned(), message: "the spec root does not check".to_owned() });
            out.rejected.extend(live.drain(..).map(|(p, _)| (p, first.clone())));
            out.rejected.extend(live_events.drain(..).map(|(p, _)| (p, first.clone())));
            break;
        }
        let mut keep = Vec::new();
        for (i, page) in live.into_iter().enumerate() {
            match blamed.get(&i) {
                Some(reason) => out.rejected.push((page.0, reason.clone())),
                None => keep.push(page),
            }
        }
        live = keep;
        let mut keep_events = Vec::new();
        for (i, page) in live_events.into_iter().enumerate() {
            match blamed.get(&(EVENTS + i)) {
                Some(reason) => out.rejected.push((page.0, reason.clone())),
                None => keep_events.push(page),
            }
        }
        live_events = keep_events;
    }
    write_root(&live, &live_events, &vendors, base, scratch, catalog);
    out.accepted = live;
    out.events = live_events;
    out
}

/// Where event pages start among the pages `blame` names: operation pages are `0..`, event pages `EVENTS..`.
const EVENTS: usize = 1 << 40;

/// The spec root of these pages on the base: each vendor's files as the base has them, the
/// pages' services declared in its vendor file, the pages' operation files, and their types
/// merged into the services' types files.
fn write_root(pages: &[(PathBuf, Built)], events: &[(PathBuf, BuiltEvent)], vendors: &[&'static str], base: &Path, scratch: &Path, catalog: &Catalog) {
    let _ = fs::remove_dir_all(scratch);
    for vendor in vendors {
        copy_dir(&base.join(vendor), &scratch.join(vendor));
        let vendor_file = scratch.join(vendor).join("vendor.yaml");
        let Ok(text) = fs::read_to_string(&vendor_file) else { continue };
        let services =
            pages.iter().filter(|(_, b)| b.vendor == *vendor).map(|(_, b)| &b.service).chain(events.iter().filter(|(_, e)| e.vendor == *vendor).map(|(_, e)| &e.service));
        let new: Vec<codegen::spec::ServiceDecl> = services.map(|s| crate::services::declaration(vendor, s, catalog)).collect();
        let _ = fs::write(&vendor_file, crate::services::add_to_vendor_file(&text, &new));
    }
    let list: Vec<&Built> = pages.iter().map(|(_, b)| b).collect();
    let event_list: Vec<&BuiltEvent> = events.iter().map(|(_, e)| e).collect();
    for (rel, text) in crate::output::files_of(&list, base).into_iter().chain(crate::output::event_files(&event_list)) {
        let path = scratch.join(rel);
        if let Some(dir) = path.parent() {
            let _ = fs::create_dir_all(dir);
        }
        let _ = fs::write(&path, text);
    }
}

/// Copies a folder's files and folders, recursively.
fn copy_dir(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else { return };
    let _ = fs::create_dir_all(to);
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(e.file_name()));
        } else {
            let _ = fs::copy(&path, to.join(e.file_name()));
        }
    }
}

/// The pages the errors trace to (by index into `pages`), each with its first error. An error in
/// an operation file is its page's; an error inside a service's `types.yaml` is the page's that
/// brought the field it is in (or, outside any field, every page that brought the type).
fn blame(diags: &codegen::Diagnostics, pages: &[(PathBuf, Built)], events: &[(PathBuf, BuiltEvent)], scratch: &Path) -> BTreeMap<usize, Rejection> {
    let mut by_file: BTreeMap<String, usize> = pages.iter().enumerate().map(|(i, (_, b))| (format!("specs/{}/{}.yaml", b.vendor, b.rel_path), i)).collect();
    by_file.extend(events.iter().enumerate().map(|(i, (_, e))| (format!("specs/{}/{}.yaml", e.vendor, e.rel_path), EVENTS + i)));
    let mut out: BTreeMap<usize, Rejection> = BTreeMap::new();
    for d in &diags.items {
        let reason = Rejection { at: d.position(&diags.sources), message: d.message.clone() };
        let (file, line) = match (&d.loc, &d.file) {
            (Some(loc), _) => (diags.sources.path(loc.file).to_string_lossy().replace('\\', "/"), loc.line),
            (None, Some(f)) => (f.to_string_lossy().replace('\\', "/"), 0),
            (None, None) => continue,
        };
        if let Some(&i) = by_file.get(&file) {
            out.entry(i).or_insert(reason);
            continue;
        }
        // An error at the base's file whose other place is a page's (a second file of one event
        // type): the page's.
        let secondary =
            d.secondary.iter().filter(|(loc, _)| *loc != Loc::NONE).find_map(|(loc, _)| by_file.get(&diags.sources.path(loc.file).to_string_lossy().replace('\\', "/")));
        if let Some(&i) = secondary {
            out.entry(i).or_insert(reason);
            continue;
        }
        // A service the importer declared (its line in the vendor file names it): its pages.
        if let Some(vendor) = file.strip_prefix("specs/").and_then(|f| f.strip_suffix("/vendor.yaml"))
            && let Ok(text) = fs::read_to_string(scratch.join(vendor).join("vendor.yaml"))
            && let Some(service) = text.lines().nth(line.saturating_sub(1) as usize).and_then(|l| l.trim().split_once(':')).map(|(k, _)| k.trim_matches('"').to_owned())
        {
            for (i, _) in pages.iter().enumerate().filter(|(_, (_, b))| b.vendor == vendor && b.service == service) {
                out.entry(i).or_insert_with(|| reason.clone());
            }
            for (i, _) in events.iter().enumerate().filter(|(_, (_, e))| e.vendor == vendor && e.service == service) {
                out.entry(EVENTS + i).or_insert_with(|| reason.clone());
            }
        }
        let Some(rel) = file.strip_prefix("specs/").and_then(|f| f.strip_suffix("/types.yaml")) else { continue };
        let Some((vendor, service)) = rel.split_once('/') else { continue };
        // Read as text: a types file that is not valid YAML must be traced too.
        let Ok(text) = fs::read_to_string(scratch.join(rel).join("types.yaml")) else { continue };
        let Some((type_name, field)) = place_in_types(&text, line) else { continue };
        for i in contributors(pages, vendor, service, &type_name, field.as_deref()) {
            out.entry(i).or_insert_with(|| reason.clone());
        }
    }
    out
}

/// The type, and the top-level field of it, that line `line` (from 1) of a types file is in, read
/// from the writer's layout: `types:`, a type at two spaces, `fields:` at four, a field at six.
fn place_in_types(text: &str, line: u32) -> Option<(String, Option<String>)> {
    let lines: Vec<&str> = text.lines().take(line as usize).collect();
    let key_at = |l: &str, indent: usize| -> Option<String> {
        let rest = l.strip_prefix(&" ".repeat(indent))?;
        if rest.starts_with(' ') || rest.starts_with('-') {
            return None;
        }
        let key = rest.split_once(':').map(|(k, _)| k)?;
        Some(if key.starts_with('"') { serde_json::from_str(key).ok()? } else { key.to_owned() })
    };
    let type_at = lines.iter().rposition(|l| key_at(l, 2).is_some())?;
    let type_name = key_at(lines[type_at], 2)?;
    let in_fields = lines[type_at..].iter().any(|l| l.trim_end() == "    fields:");
    let field = if in_fields { lines[type_at..].iter().rev().find_map(|l| key_at(l, 6)) } else { None };
    Some((type_name, field))
}

/// The pages that brought a type to a service's types file: for a field, the first page in
/// order that has it (the merge keeps the first); for the type as a whole, every page with it.
fn contributors(pages: &[(PathBuf, Built)], vendor: &str, service: &str, type_name: &str, field: Option<&str>) -> Vec<usize> {
    let with_type = pages.iter().enumerate().filter(|(_, (_, b))| b.vendor == vendor && b.service == service).filter_map(|(i, (_, b))| {
        let t = b.types.iter().find(|t| t.name.value == type_name)?;
        Some((i, t))
    });
    let with_type: Vec<(usize, &codegen::spec::TypeDef)> = with_type.collect();
    let first_with_field = field.and_then(|f| {
        let has = |fields: &[Field]| fields.iter().any(|x| x.name.value == f);
        with_type.iter().find(|(_, t)| matches!(&t.kind, TypeDefKind::Struct(fields) if has(fields))).map(|(i, _)| *i)
    });
    match first_with_field {
        Some(i) => vec![i],
        // A field no page brought (the project's own type), or the type as a whole.
        None => with_type.iter().map(|(i, _)| *i).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Rejection, place_in_types};

    #[test]
    fn a_line_of_a_types_file_is_in_a_type_and_field() {
        let text = "types:\n  item:\n    fields:\n      id:\n        type: string\n      \"kind\":\n        type: string\n  Level:\n    enum: string\n    values:\n      a: ~\n";
        assert_eq!(place_in_types(text, 5), Some(("item".to_owned(), Some("id".to_owned()))));
        assert_eq!(place_in_types(text, 7), Some(("item".to_owned(), Some("kind".to_owned()))));
        assert_eq!(place_in_types(text, 11), Some(("Level".to_owned(), None)));
        assert_eq!(place_in_types(text, 1), None);
    }

    #[test]
    fn classes_blank_the_particulars() {
        let r = Rejection { at: String::new(), message: "response field `totalCount` is not an integer (3 times)".to_owned() };
        assert_eq!(r.class(), "response field `…` is not an integer (# times)");
    }
}
