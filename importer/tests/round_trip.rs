//! Importing the two seed pages yields the hand-reviewed specs in `specs/`, except where their
//! `errata` say the spec departs from the page. Compared at the level a user of the API sees:
//! method and path, every input and output field with its type, allowed values, whether it is
//! required and its default, the documented errors, scopes and token kinds. Descriptions and
//! Rust names are not compared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use codegen::spec::{Field, OperationFile, TypeDef, TypeDefKind, TypeExpr};
use importer::operations::AuthingOperations;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/docs/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared/docs not found");
        None
    }
}

/// Path → what is there, and the other names of each path (through named types: `UserDto.status`).
#[derive(Default, Debug)]
struct View {
    entries: BTreeMap<String, String>,
    aliases: BTreeMap<String, Vec<String>>,
}

struct Types<'a>(HashMap<&'a str, &'a TypeDef>);

impl Types<'_> {
    fn desc(&self, ty: &TypeExpr, values: Option<&Vec<codegen::spec::EnumValue>>) -> String {
        if let Some(vs) = values {
            let mut v: Vec<&str> = vs.iter().map(|v| v.value.value.as_str()).collect();
            v.sort_unstable();
            return format!("enum[{}]", v.join("|"));
        }
        match ty {
            TypeExpr::Array(i) => format!("array<{}>", self.desc(i, None)),
            TypeExpr::Map(i) => format!("map<{}>", self.desc(i, None)),
            TypeExpr::Named(n) => match self.0.get(n.as_str()).map(|t| &t.kind) {
                Some(TypeDefKind::Enum(e)) => self.desc(&TypeExpr::String, Some(&e.values)),
                _ => "object".to_owned(),
            },
            other => other.to_string(),
        }
    }

    fn named<'t>(&'t self, ty: &'t TypeExpr) -> Option<(&'t str, &'t Vec<Field>)> {
        match ty {
            TypeExpr::Array(i) | TypeExpr::Map(i) => self.named(i),
            TypeExpr::Named(n) => match self.0.get(n.as_str()).map(|t| &t.kind) {
                Some(TypeDefKind::Struct(f)) => Some((n.as_str(), f)),
                _ => None,
            },
            _ => None,
        }
    }

    fn field(&self, view: &mut View, path: String, aliases: Vec<String>, f: &Field, depth: usize) {
        let mut d = self.desc(&f.ty.value, f.values.as_ref());
        if f.required {
            d.push_str(" required");
        }
        if let Some(def) = &f.default {
            d.push_str(&format!(" default={}", def.value));
        }
        view.entries.insert(path.clone(), d);
        view.aliases.insert(path.clone(), aliases.clone());
        if depth > 6 {
            return;
        }
        let (children, mut base_aliases): (Option<&Vec<Field>>, Vec<String>) = match (&f.fields, self.named(&f.ty.value)) {
            (Some(inline), _) => (Some(inline), aliases.clone()),
            (None, Some((name, fields))) => (Some(fields), aliases.iter().cloned().chain([name.to_owned()]).collect()),
            _ => (None, Vec::new()),
        };
        if let Some(children) = children {
            base_aliases.dedup();
            for c in children {
                let child_aliases = base_aliases.iter().map(|a| format!("{a}.{}", c.name.value)).collect();
                self.field(view, format!("{path}.{}", c.name.value), child_aliases, c, depth + 1);
            }
        }
    }
}

fn view(op: &OperationFile, types: &Types<'_>) -> View {
    let mut v = View::default();
    v.entries.insert("method".into(), op.method.value.as_str().into());
    v.entries.insert("url".into(), op.path.value.clone());
    v.entries.insert("tokens".into(), op.tokens.iter().map(|t| t.value.as_str()).collect::<Vec<_>>().join(","));
    v.entries.insert("scopes".into(), op.scopes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(","));
    v.entries.insert("field_scopes".into(), op.field_scopes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(","));
    for (place, params) in [("path", &op.path_params), ("query", &op.query_params), ("header", &op.header_params)] {
        for p in params {
            types.field(&mut v, format!("{place}.{}", p.name.value), Vec::new(), p, 0);
        }
    }
    if let Some(b) = &op.body {
        for f in &b.fields {
            types.field(&mut v, format!("body.{}", f.name.value), Vec::new(), f, 0);
        }
    }
    if let Some(d) = &op.response.data {
        types.field(&mut v, "response.data".into(), Vec::new(), d, 0);
    }
    for e in &op.errors {
        v.entries.insert(format!("errors.{}", e.code), format!("{:?} {}", e.http_status, e.message));
    }
    v
}

/// The places the hand-reviewed spec's errata name (`UserDto.status`, `query.userIdType`, …).
fn errata_places(op: &OperationFile) -> Vec<String> {
    op.errata
        .iter()
        .flat_map(|e| e.at.split([',', '，']).flat_map(|s| s.split(" and ")).map(|s| s.trim().trim_matches('`').to_owned()).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

fn check(seed: &str, spec_rel: &str, vendor: &str) {
    let Some(seeds) = shared() else { return };
    let page = seeds.join(seed);
    let text = std::fs::read_to_string(&page).unwrap();
    let (_, built) = importer::page::import(&page, &text, &AuthingOperations::shipped()).unwrap();

    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("{}", d.render()));
    let vendor_specs = set.vendors.iter().find(|v| v.dir == vendor).unwrap();
    let hand = vendor_specs.operations.iter().find(|o| o.rel_path == spec_rel).unwrap_or_else(|| panic!("no spec {spec_rel}"));
    assert_eq!(built.rel_path, spec_rel, "the importer puts the page where the spec format says");

    let hand_types = Types(vendor_specs.types.iter().flat_map(|tf| tf.types.iter()).map(|t| (t.name.value.as_str(), t)).collect());
    let imported_types = Types(built.types.iter().map(|t| (t.name.value.as_str(), t)).collect());
    let (a, b) = (view(hand, &hand_types), view(&built.operation, &imported_types));
    let places = errata_places(hand);
    let covered = |path: &str, v: &View| {
        let names: Vec<String> = std::iter::once(path.to_owned()).chain(v.aliases.get(path).into_iter().flatten().cloned()).collect();
        places.iter().any(|p| names.iter().any(|n| n == p || n.starts_with(&format!("{p}."))))
    };
    let mut uncovered = Vec::new();
    let mut differences = 0;
    for key in a.entries.keys().chain(b.entries.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (x, y) = (a.entries.get(key), b.entries.get(key));
        if x == y {
            continue;
        }
        differences += 1;
        if !covered(key, &a) && !covered(key, &b) {
            uncovered.push(format!("{key}: spec {x:?}, imported {y:?}"));
        }
    }
    assert!(uncovered.is_empty(), "{spec_rel}: differences not listed in the spec's errata:\n{}", uncovered.join("\n"));
    println!("{spec_rel}: {differences} differences, all listed in errata");
}

#[test]
fn the_feishu_seed_imports_as_the_reviewed_spec() {
    check("000_3fda7c2d2cf6aaed.txt", "acs/v1/user/get", "feishu");
}

#[test]
fn the_authing_seed_imports_as_the_reviewed_spec() {
    check("004_c106a9a758be8e4e.txt", "management/users/get-user", "authing");
}
