//! OpenAPI round trips on the real specs: the exported document imports to specs that export
//! to the very same document, and the imported spec files are compared with the originals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// Imports every vendor's exported document into `dir/<vendor>/`.
fn import_all(dir: &Path) -> Vec<(String, String)> {
    let docs = codegen::openapi::documents(&codegen::analyze(&specs(), Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render())));
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
    let dir = scratch("openapi-round-trip");
    let docs = import_all(&dir);
    let again =
        codegen::openapi::documents(&codegen::analyze(&dir, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("the imported specs do not check:\n{}", d.render())));
    assert_eq!(again.len(), docs.len());
    let mut problems = Vec::new();
    for ((name, before), (name2, after)) in docs.iter().zip(&again) {
        assert_eq!(name, name2);
        let (before, after) = (without_shared_titles(before), without_shared_titles(after));
        if before != after {
            let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str()).unified_diff().context_radius(2).header("exported", "re-exported").to_string();
            problems.push(format!("{name}:\n{diff}"));
        }
    }
    assert!(problems.is_empty(), "export → import → export is not a fixed point:\n{}", problems.join("\n"));
}

/// The one known loss: inline types keep the field they came from as their vendor name
/// (`title`), and where two of a service share it (two `field` enums), the import must give
/// them distinct names. Those titles are left out of the comparison.
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
        if count.get(&key).is_some_and(|n| *n > 1) {
            s.as_object_mut().unwrap().shift_remove("title");
        }
    }
    serde_json::to_string_pretty(&doc).unwrap()
}
