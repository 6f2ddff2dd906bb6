//! OpenAPI round trips on the real specs and on the fixture vendor (which has every construct
//! of the spec format): the exported document imports to specs that export to the very same
//! document, and the drafted `vendor.yaml` reads back to the vendor file the specs have.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

mod reviewed;

/// The spec roots: the reviewed real specs and the fixture vendor.
const ROOTS: [&str; 2] = ["reviewed", "../codegen/tests/fixtures/specs"];

fn root(rel: &str) -> PathBuf {
    match rel {
        "reviewed" => reviewed::root("openapi-round-trip-specs"),
        rel => Path::new(env!("CARGO_MANIFEST_DIR")).join(rel),
    }
}

/// Imports every vendor's exported document of the specs under `specs` into `dir/<vendor>/`.
fn import_all(specs: &Path, dir: &Path) -> Vec<(String, String)> {
    let docs = codegen::openapi::documents(&codegen::analyze(specs, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render())));
    for (file, text) in &docs {
        let vendor = file.trim_end_matches(".json");
        let imported = importer::openapi::import(text, vendor, file).unwrap_or_else(|w| panic!("{file}:{}:{}: {}", w.line, w.col, w.message));
        assert!(imported.warnings.is_empty(), "{file}: our own export imports without warnings: {:?}", imported.warnings);
        for (rel, body) in &imported.files {
            let path = dir.join(vendor).join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, body).unwrap();
        }
    }
    docs
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn export_then_import_then_export_gives_the_same_documents() {
    let mut problems = Vec::new();
    for (i, specs) in ROOTS.into_iter().enumerate() {
        let dir = scratch(&format!("openapi-round-trip-{i}"));
        let docs = import_all(&root(specs), &dir);
        let again =
            codegen::openapi::documents(&codegen::analyze(&dir, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("the imported specs do not check:\n{}", d.render())));
        assert_eq!(again.len(), docs.len());
        problems.extend(differences(&docs, &again));
    }
    assert!(problems.is_empty(), "export → import → export is not a fixed point:\n{}", problems.join("\n"));
}

fn differences(docs: &[(String, String)], again: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for ((name, before), (name2, after)) in docs.iter().zip(again) {
        assert_eq!(name, name2);
        let (before, after) = (without_shared_titles(before), without_shared_titles(after));
        if before != after {
            let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str()).unified_diff().context_radius(2).header("exported", "re-exported").to_string();
            problems.push(format!("{name}:\n{diff}"));
        }
    }
    problems
}

#[test]
fn the_drafted_vendor_files_say_what_the_specs_vendor_files_say() {
    let mut compared = 0;
    for (i, specs) in ROOTS.into_iter().enumerate() {
        let dir = scratch(&format!("openapi-round-trip-vendor-{i}"));
        let docs = import_all(&root(specs), &dir);
        let (mut original, _) = codegen::load(&root(specs)).unwrap_or_else(|d| panic!("{}", d.render()));
        let (mut drafted, _) = codegen::load(&dir).unwrap_or_else(|d| panic!("the drafted specs do not read:\n{}", d.render()));
        assert_eq!(original.vendors.len(), docs.len());
        compared += same_vendor_files(&mut original, &mut drafted);
    }
    assert_eq!(compared, 3, "feishu, authing and acme");
}

/// Compares each vendor file of `original` with the drafted one of the same vendor; returns how
/// many it compared.
fn same_vendor_files(original: &mut codegen::spec::SpecSet, drafted: &mut codegen::spec::SpecSet) -> usize {
    let mut compared = 0;
    for v in &mut original.vendors {
        let theirs = drafted.vendors.iter_mut().find(|d| d.dir == v.dir).and_then(|d| d.vendor.as_mut()).unwrap_or_else(|| panic!("{}: no drafted vendor file", v.dir));
        let mine = v.vendor.as_mut().expect("a vendor file");
        // The canonical writer's texts: it reads back to the same model, so equal texts are
        // equal vendor files.
        let (mine, theirs) = (codegen::write::vendor(as_checked(mine)), codegen::write::vendor(as_checked(theirs)));
        if mine != theirs {
            let diff = similar::TextDiff::from_lines(mine.as_str(), theirs.as_str()).unified_diff().context_radius(2).header("specs", "drafted").to_string();
            panic!("{}/vendor.yaml: the draft says something else:\n{diff}", v.dir);
        }
        compared += 1;
    }
    compared
}

/// What the checker makes of a vendor file before anything is exported (so no export can keep
/// it otherwise): header names in lower case, which HTTP does not tell apart, and host URLs
/// without a trailing `/`.
fn as_checked(v: &mut codegen::spec::VendorFile) -> &codegen::spec::VendorFile {
    for h in &mut v.hosts {
        let url = h.url.value.trim_end_matches('/').to_owned();
        h.url.value = url;
    }
    for h in &mut v.request_id.headers {
        h.value.make_ascii_lowercase();
    }
    if let Some(h) = &mut v.rate_limit.reset_header {
        h.make_ascii_lowercase();
    }
    for t in &mut v.tokens {
        t.header.value.make_ascii_lowercase();
        if let codegen::spec::TokenSource::Exchange(x) = &mut t.source {
            for h in &mut x.headers {
                h.name.value.make_ascii_lowercase();
            }
        }
    }
    v
}

/// The known losses: inline types keep the field they came from as their vendor name
/// (`title`), and where two of a service share it (two `field` enums), or it is a built-in
/// type's name (`object`), the import must give them other names. Those titles are left out of
/// the comparison.
fn without_shared_titles(text: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
    let mut count = std::collections::BTreeMap::<(String, String), usize>::new();
    let text_of = |s: &serde_json::Value, k: &str| s.get(k).and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
    for s in schemas.values() {
        if s.get("title").is_some() {
            *count.entry((text_of(s, "x-service"), text_of(s, "title"))).or_default() += 1;
        }
    }
    for s in schemas.values_mut() {
        let key = (text_of(s, "x-service"), text_of(s, "title"));
        // A title shared in a service, or a built-in type's name (the inline struct of a field
        // `object`), cannot name a type of the import: it comes back as the component's name.
        let builtin = !matches!(key.1.parse::<codegen::spec::TypeExpr>(), Ok(codegen::spec::TypeExpr::Named(_)));
        if count.get(&key).is_some_and(|n| *n > 1) || (s.get("title").is_some() && builtin) {
            s.as_object_mut().unwrap().shift_remove("title");
        }
    }
    serde_json::to_string_pretty(&doc).unwrap()
}
