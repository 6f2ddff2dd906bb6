//! A named type that several pages of a service define is one type in the service's
//! `types.yaml`: the first page to bring a field gives its type, a field is required only where
//! every page with it says so, and each page adds the fields it alone has (see `output`). A
//! page's examples must hold against that one type, not only against its own rows: a corpus
//! builds every page once, gathers the service's types as they will be written, and builds
//! again each page whose own rows depart from them, aligned with them (a required field the page
//! lacks, a field another page brought first with another type), each departure a warning at
//! the page's line and an erratum. The page's examples are then reconciled as usual.

use std::collections::BTreeMap;

use codegen::spec::{Erratum, Field, TypeDef, TypeDefKind, TypeExpr};

use crate::build::{Builder, Built};
use crate::dictionary::DefinitionKind;
use crate::draft::{Draft, Row, WarningKind};

/// A named type as the service's `types.yaml` will hold it.
#[derive(Debug, Clone)]
pub struct SharedType {
    /// The fields of every page, each from the first page that has it; required where every
    /// page with it says so.
    pub def: TypeDef,
    /// The page that brought each field first: its index in the corpus and its path as shown.
    pub origin: BTreeMap<String, (usize, String)>,
}

/// The named types of each service (`(vendor, service)`), merged over the pages in corpus
/// order: `(index, path as shown, page)`.
pub fn merge<'b>(pages: impl IntoIterator<Item = (usize, &'b str, &'b Built)>) -> BTreeMap<(&'static str, String), BTreeMap<String, SharedType>> {
    let mut out: BTreeMap<(&'static str, String), BTreeMap<String, SharedType>> = BTreeMap::new();
    for (index, shown, b) in pages {
        let service = out.entry((b.vendor, b.service.clone())).or_default();
        for t in &b.types {
            let TypeDefKind::Struct(fields) = &t.kind else { continue };
            let shared = service.entry(t.name.value.clone()).or_insert_with(|| SharedType {
                def: TypeDef { name: t.name.clone(), rust_name: t.rust_name.clone(), description: t.description.clone(), kind: TypeDefKind::Struct(Vec::new()) },
                origin: BTreeMap::new(),
            });
            let TypeDefKind::Struct(have) = &mut shared.def.kind else { continue };
            for f in fields {
                match have.iter_mut().find(|h| h.name.value == f.name.value) {
                    Some(h) => h.required &= f.required,
                    None => {
                        have.push(f.clone());
                        shared.origin.insert(f.name.value.clone(), (index, shown.to_owned()));
                    }
                }
            }
        }
    }
    out
}

/// Whether a page's types depart from its service's: a required field one of its types lacks, or
/// a field another page brought first with another type.
pub fn departs(b: &Built, index: usize, shared: &BTreeMap<String, SharedType>) -> bool {
    b.types.iter().any(|t| match (&t.kind, shared.get(&t.name.value)) {
        (TypeDefKind::Struct(mine), Some(s)) => !departures(mine, s, index).is_empty(),
        _ => false,
    })
}

/// What differs between a page's fields of a type and the service's.
#[derive(Debug)]
enum Departure {
    /// A required field of the service's that the page lacks, with the page that brought it
    /// (as shown, and its index).
    Lacks(Field, String, usize),
    /// A field another page brought first with another type: the service's field.
    Differs(Field, String, usize),
}

fn departures(mine: &[Field], shared: &SharedType, index: usize) -> Vec<Departure> {
    let TypeDefKind::Struct(theirs) = &shared.def.kind else { return Vec::new() };
    let mut out = Vec::new();
    for f in theirs {
        let Some((first, page)) = shared.origin.get(&f.name.value).filter(|(i, _)| *i != index) else { continue };
        match mine.iter().find(|m| m.name.value == f.name.value) {
            Some(m) if m.ty.value != f.ty.value => out.push(Departure::Differs(f.clone(), page.clone(), *first)),
            None if f.required => out.push(Departure::Lacks(f.clone(), page.clone(), *first)),
            _ => {}
        }
    }
    out
}

impl Builder {
    /// Aligns the page's named types with the service's (before the examples are reconciled
    /// with them): a required field the page lacks is added, a field another page brought first
    /// takes that page's type. The named types an adopted field uses come along.
    pub(crate) fn align_with_service(&mut self, d: &Draft, shared: &BTreeMap<String, SharedType>) {
        let index = self.site.page;
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in names {
            let Some(s) = shared.get(&name) else { continue };
            let found = match self.types.get(&name).map(|t| &t.kind) {
                Some(TypeDefKind::Struct(mine)) => departures(mine, s, index),
                _ => continue,
            };
            let mut notes = Vec::new();
            let mut used = Vec::new();
            for departure in found {
                let (f, page, first) = match &departure {
                    Departure::Lacks(f, page, first) | Departure::Differs(f, page, first) => (f, page, *first),
                };
                let there = self.dictionary.as_ref().and_then(|dict| dict.on_page(&name, first)).map(|def| {
                    let line = match &def.kind {
                        DefinitionKind::Struct(rows) => rows.iter().find(|r| r.depth == 0 && r.name == f.name.value).map_or(def.line, |r| r.line),
                        _ => def.line,
                    };
                    format!("{}:{line}", def.page)
                });
                let there = there.unwrap_or_else(|| page.clone());
                let Some(TypeDef { kind: TypeDefKind::Struct(mine), .. }) = self.types.get_mut(&name) else { continue };
                match departure {
                    Departure::Lacks(f, ..) => {
                        let why = format!(
                            "type `{name}` of this page lacks the field `{}`, which {there} gives it as required; the service has one `{name}`, so it has the field too",
                            f.name.value
                        );
                        notes.push((type_line(d, &name), format!("type {name}.{}", f.name.value), "no such row".to_owned(), format!("required field of type {}", f.ty.value), why));
                        used.push(f.ty.value.clone());
                        mine.push(f);
                    }
                    Departure::Differs(f, ..) => {
                        let Some(m) = mine.iter_mut().find(|m| m.name.value == f.name.value) else { continue };
                        let why = format!(
                            "field `{}` of `{name}` is `{}` on this page but `{}` at {there}, which brings it to the service first; the service has one `{name}`, so it is `{}`",
                            f.name.value, m.ty.value, f.ty.value, f.ty.value
                        );
                        notes.push((field_line(d, &name, &f.name.value), format!("type {name}.{}", f.name.value), format!("`{}`", m.ty.value), format!("`{}`", f.ty.value), why));
                        used.push(f.ty.value.clone());
                        m.ty = f.ty;
                        m.fields = f.fields;
                        m.values = f.values;
                        m.example = f.example;
                        m.default = f.default;
                        m.limits = f.limits;
                    }
                }
            }
            for (line, at, doc, spec, why) in notes {
                self.warn(line, WarningKind::TypeFromOtherPage, why.clone());
                self.errata.push(Erratum { at, doc, spec, reason: format!("{why} (found by the importer)") });
            }
            for ty in used {
                self.bring_types(&ty, shared);
            }
        }
    }

    /// The service's named types that `ty` uses and the page does not have.
    fn bring_types(&mut self, ty: &TypeExpr, shared: &BTreeMap<String, SharedType>) {
        match ty {
            TypeExpr::Array(item) | TypeExpr::Map(item) => self.bring_types(item, shared),
            TypeExpr::Named(n) if !self.types.contains_key(n) => {
                let Some(s) = shared.get(n) else { return };
                self.types.insert(n.clone(), s.def.clone());
                if let TypeDefKind::Struct(fields) = &s.def.kind {
                    for f in fields {
                        self.bring_types(&f.ty.value, shared);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The page line where the page writes type `name` (its section, or the row typed with it), else 0.
fn type_line(d: &Draft, name: &str) -> usize {
    if let Some(section) = d.types.iter().find(|t| t.name == name) {
        return section.line;
    }
    all_rows(d).find(|r| names_type(r, name)).map_or(0, |r| r.line)
}

/// The page line of field `field` of type `name`: the first row so named after the type's row
/// (or in its section), else the type's line.
fn field_line(d: &Draft, name: &str, field: &str) -> usize {
    if let Some(section) = d.types.iter().find(|t| t.name == name) {
        return section.rows.iter().find(|r| r.name == field).map_or(section.line, |r| r.line);
    }
    let rows: Vec<&Row> = all_rows(d).collect();
    match rows.iter().position(|r| names_type(r, name)) {
        Some(at) => rows[at + 1..].iter().take_while(|r| r.depth > rows[at].depth).find(|r| r.name == field).map_or(rows[at].line, |r| r.line),
        None => 0,
    }
}

/// A row typed `name`, `name[]` or with `name` as its nested type.
fn names_type(r: &Row, name: &str) -> bool {
    let ty = r.ty.trim();
    let ty = ty.strip_suffix("[]").unwrap_or(ty);
    ty.eq_ignore_ascii_case(name) || r.nested_type.as_deref() == Some(name)
}

fn all_rows(d: &Draft) -> impl Iterator<Item = &Row> {
    d.path_params.iter().chain(&d.query_params).chain(&d.header_params).chain(&d.body).chain(&d.response).chain(d.types.iter().flat_map(|t| &t.rows))
}
