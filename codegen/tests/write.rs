//! The canonical writer loses nothing: every spec in the repository, rewritten by
//! `codegen::write`, generates exactly the same code, and writing what was read back is a fixed
//! point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn rewrite(root: &Path, name: &str) -> PathBuf {
    let (set, _) = codegen::load(root).unwrap_or_else(|d| panic!("{}", d.render()));
    let out = std::env::temp_dir().join(format!("codegen-write-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    for vendor in &set.vendors {
        let dir = out.join(&vendor.dir);
        fs::create_dir_all(&dir).unwrap();
        fs::copy(root.join(&vendor.dir).join("vendor.yaml"), dir.join("vendor.yaml")).unwrap();
        for tf in &vendor.types {
            let path = if tf.scope.is_empty() { dir.join("types.yaml") } else { dir.join(&tf.scope).join("types.yaml") };
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, codegen::write::types(tf)).unwrap();
        }
        for op in &vendor.operations {
            let path = dir.join(format!("{}.yaml", op.rel_path));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, codegen::write::operation(op)).unwrap();
        }
    }
    out
}

fn check(root: &str, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let shown = Path::new("specs");
    let original = codegen::analyze(&root, shown).into_result().map(|api| codegen::render(&api).expect("the checked model renders")).unwrap_or_else(|d| panic!("{}", d.render()));
    let once = rewrite(&root, &format!("{name}-1"));
    let rewritten = codegen::analyze(&once, shown)
        .into_result()
        .map(|api| codegen::render(&api).expect("the checked model renders"))
        .unwrap_or_else(|d| panic!("the rewritten specs do not check:\n{}", d.render()));
    assert_eq!(original.len(), rewritten.len());
    for (a, b) in original.iter().zip(&rewritten) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{}: the rewritten specs generate different code", a.path);
    }
    // Read back and written again: the same text.
    let twice = rewrite(&once, &format!("{name}-2"));
    let mut compared = 0;
    for entry in walk(&once) {
        let rel = entry.strip_prefix(&once).unwrap();
        assert_eq!(fs::read_to_string(&entry).unwrap(), fs::read_to_string(twice.join(rel)).unwrap(), "{}: not a fixed point", rel.display());
        compared += 1;
    }
    assert!(compared > 3);
    let _ = fs::remove_dir_all(&once);
    let _ = fs::remove_dir_all(&twice);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn the_real_specs_survive_the_writer() {
    check("../specs", "real");
}

#[test]
fn the_fixture_vendor_survives_the_writer() {
    check("tests/fixtures/specs", "fixture");
}

#[test]
fn awkward_strings_are_quoted_so_they_read_back() {
    for s in [
        "true",
        "no",
        "123",
        "0x1f",
        "2021-08-06",
        "- item",
        "a: b",
        "a #b",
        "",
        " lead",
        "trail ",
        "{x}",
        "[x]",
        "~",
        "@at",
        "`code`",
        "%",
        "x,y",
        "tab\there",
        "line\nbreak",
        "quote\"s",
        "back\\slash",
        "中文：冒号",
        "*star",
    ] {
        let yaml = format!("k: {}\n", codegen::write::quote(s));
        let node: std::collections::BTreeMap<String, String> = serde_saphyr_read(&yaml);
        assert_eq!(node["k"], s, "{yaml}");
    }
}

fn serde_saphyr_read(yaml: &str) -> std::collections::BTreeMap<String, String> {
    // Through the loader's own YAML reading, as a one-field types file would be read.
    let dir = std::env::temp_dir().join(format!("codegen-quote-{}-{}", std::process::id(), yaml.len()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("v")).unwrap();
    fs::write(dir.join("v/types.yaml"), format!("types:\n  T:\n    enum: string\n    values:\n      x:{}", &yaml[2..])).unwrap();
    let (set, _) = codegen::load(&dir).map_err(|d| d.render()).unwrap_or_else(|e| panic!("{yaml}: {e}"));
    let desc = match &set.vendors[0].types[0].types[0].kind {
        codegen::spec::TypeDefKind::Enum(e) => e.values[0].description.clone().unwrap_or_default(),
        _ => unreachable!(),
    };
    let _ = fs::remove_dir_all(&dir);
    [("k".to_owned(), desc)].into()
}
