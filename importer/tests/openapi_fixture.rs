//! The bookshop fixture of the plain-HTTP end-to-end test (`generated-client/tests/plain_http.rs`):
//! the spec files checked in under `generated-client/tests/openapi/specs/bookshop/` are exactly
//! what `cargo xtask openapi import generated-client/tests/openapi/bookshop.yaml --vendor bookshop`
//! makes today (same file set, same bytes), and the import's one warning, for the `oneOf`
//! without a discriminator, names that construct and its line in `bookshop.yaml`.
//!
//! When the importer changes on purpose, re-run the command from the workspace root with
//! `--out generated-client/tests/openapi/specs/bookshop --force`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The document, as the import command is given it (the drafted `vendor.yaml` names it so).
const SOURCE: &str = "generated-client/tests/openapi/bookshop.yaml";
const CHECKED_IN: &str = "generated-client/tests/openapi/specs/bookshop";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the importer is inside the workspace").to_owned()
}

fn document() -> String {
    fs::read_to_string(workspace().join(SOURCE)).unwrap()
}

fn import() -> importer::openapi::Imported {
    importer::openapi::import(&document(), "bookshop", SOURCE).unwrap_or_else(|w| panic!("{SOURCE}:{}:{}: {}", w.line, w.col, w.message))
}

/// Every file under `dir`, by its path relative to `dir`.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_owned(), fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The 1-based line of the first `needle` (trimmed line start) after the line starting `after`.
fn line_of(text: &str, after: &str, needle: &str) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with(after)).unwrap_or_else(|| panic!("no `{after}` in {SOURCE}"));
    let offset = lines[start..].iter().position(|l| l.trim_start().starts_with(needle)).unwrap_or_else(|| panic!("no `{needle}` after `{after}` in {SOURCE}"));
    u32::try_from(start + offset + 1).unwrap()
}

#[test]
fn checked_in_specs_are_what_the_importer_makes_today() {
    let imported = import();
    assert_eq!((imported.operations, imported.types), (8, 10), "8 operations, 10 component types");
    let checked_in = files_under(&workspace().join(CHECKED_IN));

    let made: Vec<&PathBuf> = imported.files.keys().collect();
    let have: Vec<&PathBuf> = checked_in.keys().collect();
    assert_eq!(made, have, "the file set differs; re-run `cargo xtask openapi import {SOURCE} --vendor bookshop --out {CHECKED_IN} --force`");
    let stale: Vec<String> = imported
        .files
        .iter()
        .filter(|(rel, text)| checked_in.get(*rel) != Some(*text))
        .map(|(rel, text)| {
            let diff = similar::TextDiff::from_lines(checked_in[rel].as_str(), text.as_str()).unified_diff().context_radius(2).header("checked in", "imported today").to_string();
            format!("{}:\n{diff}", rel.display())
        })
        .collect();
    assert!(stale.is_empty(), "stale imported specs (re-run the import with --force):\n{}", stale.join("\n"));

    // The drafted vendor file names the document as the command was given it.
    let vendor = &checked_in[Path::new("vendor.yaml")];
    assert_eq!(vendor.lines().next(), Some(format!("# Drafted by `cargo xtask openapi import` from {SOURCE}: check the hosts, tokens and envelope.").as_str()));
    assert!(vendor.contains("\nenvelope: none\n"), "a document without `x-vendor` is a plain HTTP API");
}

#[test]
fn the_one_warning_is_the_oneof_without_discriminator() {
    let imported = import();
    let [w] = imported.warnings.as_slice() else { panic!("exactly one warning expected, got {:#?}", imported.warnings) };
    assert_eq!(w.at, "#/components/schemas/StoreStatus/properties/hours");
    assert!(w.message.contains("`oneOf`") && w.message.contains("without a discriminator") && w.message.contains("free-form JSON"), "{}", w.message);
    // The property it is about, at least: between `hours:` and the next property of StoreStatus.
    let text = document();
    let hours = line_of(&text, "StoreStatus:", "hours:");
    let next = line_of(&text, "StoreStatus:", "OpeningHours:");
    assert!((hours..next).contains(&w.line), "warning at line {}, outside `hours` (lines {hours}..{next})", w.line);
}

/// The warning says "`oneOf` of 2 alternatives…", so it should point at the `oneOf:` key. The
/// `hours` schema starts with its `description`, as most hand-written documents do.
#[test]
fn the_oneof_warning_points_at_the_oneof_line() {
    let imported = import();
    let w = imported.warnings.iter().find(|w| w.message.contains("`oneOf`")).expect("a warning for the oneOf");
    let text = document();
    let one_of = line_of(&text, "hours:", "oneOf:");
    assert_eq!(
        w.line,
        one_of,
        "{SOURCE}:{}:{}: the warning points at `{}`, not at the `oneOf:` key on line {one_of}",
        w.line,
        w.col,
        text.lines().nth(w.line as usize - 1).unwrap_or("").trim()
    );
}
