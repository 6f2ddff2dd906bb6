//! Writing imported specs under a spec root: operation files at the path the spec format
//! prescribes, named types merged into the service's `types.yaml`. A file that exists and
//! differs is not overwritten unless forced; the difference is shown instead.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::spec::{EnumValue, Field, TypeDef, TypeDefKind, TypesFile};

use crate::build::Built;
use crate::event::BuiltEvent;

/// What writing did, file by file.
#[derive(Debug, Default)]
pub struct Written {
    pub created: Vec<PathBuf>,
    pub updated: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    /// Files that exist with other content, left alone: their unified diffs.
    pub refused: Vec<(PathBuf, String)>,
    /// Services used by the imported specs that the vendor file does not declare.
    pub undeclared_services: Vec<(String, String)>,
}

/// The files the built pages make, relative to the spec root: operations, and one `types.yaml`
/// per service with the named types of all its pages, merged with what the file already has.
pub fn files(built: &[Built], root: &Path) -> BTreeMap<PathBuf, String> {
    let list: Vec<&Built> = built.iter().collect();
    files_of(&list, root)
}

/// Like [`files`], for borrowed pages.
pub fn files_of(built: &[&Built], root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut types: BTreeMap<(String, String), BTreeMap<String, TypeDef>> = BTreeMap::new();
    for b in built {
        out.insert(PathBuf::from(b.vendor).join(format!("{}.yaml", b.rel_path)), codegen::write::operation(&b.operation));
        let service = types.entry((b.vendor.to_owned(), b.service.clone())).or_default();
        for t in &b.types {
            merge(service, t.clone());
        }
    }
    for ((vendor, service), defs) in types {
        if defs.is_empty() {
            continue;
        }
        let rel = PathBuf::from(&vendor).join(&service).join("types.yaml");
        let mut merged: BTreeMap<String, TypeDef> = BTreeMap::new();
        // What the file has stays first and wins; imported types are added.
        let existing = existing_types(&root.join(&vendor), &service);
        let order: Vec<String> = existing.iter().map(|t| t.name.value.clone()).collect();
        for t in existing {
            merged.insert(t.name.value.clone(), t);
        }
        for (_, t) in defs {
            merge(&mut merged, t);
        }
        let mut list: Vec<TypeDef> = order.iter().filter_map(|n| merged.remove(n)).collect();
        list.extend(merged.into_values());
        let file = TypesFile { file: codegen::diagnostic::FileId(u32::MAX), scope: service.clone(), types: list, broken: Vec::new() };
        out.insert(rel, codegen::write::types(&file));
    }
    out
}

/// The files event pages make, relative to the spec root: one event file each (an event's types
/// are in its own file).
pub fn event_files(events: &[&BuiltEvent]) -> BTreeMap<PathBuf, String> {
    events.iter().map(|e| (PathBuf::from(e.vendor).join(format!("{}.yaml", e.rel_path)), codegen::write::event(&e.event))).collect()
}

/// Merges a type into a set: a new name is added; a known one gains the fields it lacked.
fn merge(set: &mut BTreeMap<String, TypeDef>, t: TypeDef) {
    match set.get_mut(&t.name.value) {
        None => {
            set.insert(t.name.value.clone(), t);
        }
        Some(have) => match (&mut have.kind, t.kind) {
            (TypeDefKind::Struct(have), TypeDefKind::Struct(new)) => merge_fields(have, new),
            (TypeDefKind::Enum(have), TypeDefKind::Enum(new)) => merge_values(&mut have.values, new.values),
            _ => {}
        },
    }
}

/// The fields of one type from two pages: each field once, required only where every page says
/// so, with the values and inline fields both pages list.
fn merge_fields(have: &mut Vec<Field>, new: Vec<Field>) {
    for f in new {
        match have.iter_mut().find(|h| h.name.value == f.name.value) {
            Some(h) => {
                h.required &= f.required;
                if let Some(values) = f.values {
                    merge_values(h.values.get_or_insert_with(Vec::new), values);
                }
                if let Some(fields) = f.fields {
                    merge_fields(h.fields.get_or_insert_with(Vec::new), fields);
                }
            }
            None => have.push(f),
        }
    }
}

/// Values of one enum from two pages: each value once, in the order first seen.
fn merge_values(have: &mut Vec<EnumValue>, new: Vec<EnumValue>) {
    for v in new {
        if !have.iter().any(|h| h.value.value == v.value.value) {
            have.push(v);
        }
    }
}

fn existing_types(vendor_dir: &Path, service: &str) -> Vec<TypeDef> {
    let path = vendor_dir.join(service).join("types.yaml");
    if !path.is_file() || !vendor_dir.join("vendor.yaml").is_file() {
        return Vec::new();
    }
    match codegen::load(vendor_dir) {
        Ok((set, _)) => set.vendors.into_iter().flat_map(|v| v.types).filter(|tf| tf.scope == service).flat_map(|tf| tf.types).collect(),
        Err(_) => Vec::new(),
    }
}

/// Writes the files under `root`; `force` overwrites files that differ.
pub fn write(files: &BTreeMap<PathBuf, String>, built: &[Built], root: &Path, force: bool) -> std::io::Result<Written> {
    let mut w = Written::default();
    for (rel, text) in files {
        let path = root.join(rel);
        match fs::read_to_string(&path) {
            Ok(current) if current == *text => w.unchanged.push(path),
            // A types file is merged, not replaced: what it had stays and wins, so adding the
            // imported types overwrites nothing.
            Ok(_) if rel.ends_with("types.yaml") => {
                fs::write(&path, text)?;
                w.updated.push(path);
            }
            Ok(current) if !force => {
                let diff = similar::TextDiff::from_lines(&current, text)
                    .unified_diff()
                    .header(&format!("{} (on disk)", rel.display()), &format!("{} (imported)", rel.display()))
                    .to_string();
                w.refused.push((path, diff));
            }
            Ok(_) => {
                fs::write(&path, text)?;
                w.updated.push(path);
            }
            Err(_) => {
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)?;
                }
                fs::write(&path, text)?;
                w.created.push(path);
            }
        }
    }
    for b in built {
        let vendor_file = root.join(b.vendor).join("vendor.yaml");
        if let Ok(text) = fs::read_to_string(&vendor_file) {
            let declared = text.lines().any(|l| l.trim_start().starts_with(&format!("{}:", b.service)));
            if !declared && !w.undeclared_services.iter().any(|(v, s)| v == b.vendor && *s == b.service) {
                w.undeclared_services.push((b.vendor.to_owned(), b.service.clone()));
            }
        }
    }
    Ok(w)
}
