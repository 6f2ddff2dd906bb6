//! The canonical writer loses nothing: every spec in the repository (operation files, event
//! files, types files and vendor files), rewritten by `codegen::write`, reads back to the same model
//! (locations aside), generates exactly the same code, and writing what was read back is a
//! fixed point.
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
        let vf = vendor.vendor.as_ref().expect("every vendor has a vendor file");
        fs::write(dir.join("vendor.yaml"), codegen::write::vendor(vf)).unwrap();
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
        for ev in &vendor.events {
            let path = dir.join(format!("{}.yaml", ev.rel_path));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, codegen::write::event(ev)).unwrap();
        }
    }
    out
}

fn check(root: &str, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let shown = Path::new("specs");
    let original = codegen::analyze(&root, shown).into_result().map(|api| codegen::render(&api).expect("the checked model renders")).unwrap_or_else(|d| panic!("{}", d.render()));
    let once = rewrite(&root, &format!("{name}-1"));
    // Read back: the same model, file by file.
    let before = models(&root);
    let after = models(&once);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "the same files");
    for (file, model) in &before {
        assert!(*model == after[file], "{file}: read back to a different model\n{}", diff(model, &after[file]));
    }
    assert!(before.keys().any(|f| f.ends_with("vendor.yaml")), "the vendor files are compared too");
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

/// Every file's model as read, by its path under the root, printed with `{:#?}` and with every
/// location and file id left out (a rewritten file puts things on other lines).
fn models(root: &Path) -> std::collections::BTreeMap<String, String> {
    let (set, _) = codegen::load(root).unwrap_or_else(|d| panic!("{}", d.render()));
    let mut out = std::collections::BTreeMap::new();
    for v in &set.vendors {
        if let Some(vf) = &v.vendor {
            out.insert(format!("{}/vendor.yaml", v.dir), without_locations(&format!("{vf:#?}")));
        }
        for tf in &v.types {
            out.insert(format!("{}/{}/types.yaml", v.dir, tf.scope), without_locations(&format!("{tf:#?}")));
        }
        for op in &v.operations {
            out.insert(format!("{}/{}.yaml", v.dir, op.rel_path), without_locations(&format!("{op:#?}")));
        }
        for ev in &v.events {
            out.insert(format!("{}/{}.yaml", v.dir, ev.rel_path), without_locations(&format!("{ev:#?}")));
        }
    }
    out
}

/// The `{:#?}` text without the lines of `Loc { … }` values and `FileId(…)`s.
fn without_locations(debug: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = 0usize;
    for line in debug.lines() {
        let t = line.trim_start();
        if skipping > 0 {
            // Inside a multi-line `Loc { … }`: its closing brace ends it.
            if t.starts_with('}') {
                skipping -= 1;
            }
            continue;
        }
        if t.starts_with("loc: Loc {") || t.starts_with("file: FileId(") {
            if t.ends_with('{') {
                skipping += 1;
            }
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}

fn diff(a: &str, b: &str) -> String {
    a.lines().zip(b.lines()).enumerate().find(|(_, (x, y))| x != y).map(|(i, (x, y))| format!("line {}: `{x}` became `{y}`", i + 1)).unwrap_or_else(|| "one is longer".to_owned())
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

/// What the repository's vendor files do not have: `envelope: none`, credentials, services and
/// bound headers with nothing to say, titles with commas, colons and quotes, an empty prefix, a
/// multi-line description, a leading comment.
#[test]
fn a_vendor_file_of_corner_cases_survives_the_writer() {
    let yaml = r#"vendor: corner
title: "Corner: cases, \"quoted\""
description: "Two lines:\nthe second, with a colon: here."
hosts:
  "main host": {url: "http://127.0.0.1:8080"}
  backup: {url: "https://b.example", default: true}
services:
  a: ~
  b/v1: {title: "yes", docs: "https://b.example/docs?x=1,2", feature: b-v1}
envelope: none
credentials:
  bare: ~
  key: {secret: true}
tokens:
  plain:
    header: X-Key
    per_request: true
  fetched:
    description: "- a dash first, # and a hash"
    header: Authorization
    prefix: "Token "
    exchange:
      operation: b/v1/token
      request: {"odd key": key, plain: bare}
      token: a.b
      expires_in: c
      headers:
        X-Nothing: {}
        x-claim: {jwt_claim: "sub:x"}
token_invalid:
  http_status: [401, 403]
rate_limit:
  reset_header: Retry-After
"#;
    let dir = std::env::temp_dir().join(format!("codegen-write-corner-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("corner")).unwrap();
    fs::write(dir.join("corner/vendor.yaml"), yaml).unwrap();
    let read = |dir: &Path| {
        let (set, _) = codegen::load(dir).unwrap_or_else(|d| panic!("{}", d.render()));
        let vf = set.vendors[0].vendor.as_ref().expect("the vendor file reads");
        (codegen::write::vendor(vf), without_locations(&format!("{vf:#?}")))
    };
    let (written, model) = read(&dir);
    let note = codegen::write::comment("Drafted by a test:\ncheck it.");
    assert_eq!(note, "# Drafted by a test:\n# check it.\n");
    fs::write(dir.join("corner/vendor.yaml"), format!("{note}{written}")).unwrap();
    let (again, model_again) = read(&dir);
    assert!(model == model_again, "read back to a different model\n{}", diff(&model, &model_again));
    assert_eq!(written, again, "not a fixed point");
    for line in ["  a: ~", "  bare: ~", "  key:\n    secret: true", "envelope: none", "        X-Nothing: {}", "      request: {\"odd key\": key, plain: bare}"] {
        assert!(written.contains(line), "`{line}` not in\n{written}");
    }
    let _ = fs::remove_dir_all(&dir);
}
