//! The macro's back end and regen's emit the same code from one checked model:
//! `codegen::emit_inline` (what `generate!` expands to, every module inline) and `codegen::render`
//! (the files `cargo xtask regen` writes) agree module by module, for the real specs and for the
//! every-construct fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use syn::{AttrStyle, Item, ItemMod};

fn check(root: &str, shown_as: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let api = codegen::analyze(&root, Path::new(shown_as)).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    let files: BTreeMap<String, String> = codegen::render(&api).expect("renders").into_iter().map(|f| (f.path, f.contents)).collect();
    let expanded = codegen::emit_inline(&api);
    let expanded: syn::File = syn::parse2(expanded).expect("the expansion parses");

    let mut compared = 0;
    for item in &expanded.items {
        let Item::Mod(vendor) = item else { panic!("the expansion holds only vendor modules") };
        let mut vendor_items = Vec::new();
        for inner in &vendor.content.as_ref().unwrap().1 {
            match inner {
                Item::Mod(service) if service.content.is_some() => {
                    let path = format!("{}/{}.rs", vendor.ident, service.ident);
                    assert_same(&path, module_file(service), &files[&path]);
                    compared += 1;
                    vendor_items.push(Item::Mod(declaration(service)));
                }
                other => vendor_items.push(other.clone()),
            }
        }
        let path = format!("{}/mod.rs", vendor.ident);
        let inner_attrs = vendor.attrs.iter().filter(|a| matches!(a.style, AttrStyle::Inner(_))).cloned().collect();
        assert_same(&path, syn::File { shebang: None, frontmatter: None, attrs: inner_attrs, items: vendor_items }, &files[&path]);
        compared += 1;
    }
    // Every generated file but the top-level module list was compared.
    assert_eq!(compared, files.len() - 1, "files: {:?}", files.keys());
}

/// An inline module's contents as the file `mod name;` would load.
fn module_file(m: &ItemMod) -> syn::File {
    let attrs = m.attrs.iter().filter(|a| matches!(a.style, AttrStyle::Inner(_))).cloned().collect();
    syn::File { shebang: None, frontmatter: None, attrs, items: m.content.as_ref().unwrap().1.clone() }
}

/// `pub mod name { … }` as the declaration `pub mod name;`, keeping its outer docs.
fn declaration(m: &ItemMod) -> ItemMod {
    let mut decl = m.clone();
    decl.attrs.retain(|a| matches!(a.style, AttrStyle::Outer));
    decl.content = None;
    decl.semi = Some(Default::default());
    decl
}

/// The one intended difference: regen's files gate services behind generated-client's cargo
/// features (`#[cfg(feature = …)]`, on service modules and on the cases of the `Event` enum), which
/// mean nothing in a downstream crate, so the macro does not emit them. Everything else must be identical.
#[track_caller]
fn assert_same(path: &str, expanded: syn::File, file: &str) {
    let body = file.split_once('\n').map(|(header, rest)| {
        assert!(header.starts_with("// @generated"), "{path}: no generated header");
        rest
    });
    let mut from_file: syn::File = syn::parse_str(body.unwrap()).expect("the generated file parses");
    for item in &mut from_file.items {
        let attrs = match item {
            Item::Mod(m) => &mut m.attrs,
            Item::Struct(s) => &mut s.attrs,
            Item::Impl(i) => &mut i.attrs,
            _ => continue,
        };
        attrs.retain(|a| !a.path().is_ident("cfg"));
    }
    // The `Event` enum's cases and match arms are gated the same way.
    let ungated = |text: String| text.lines().filter(|l| !l.trim_start().starts_with("#[cfg(feature = ")).collect::<Vec<_>>().join("\n");
    assert_eq!(ungated(prettyplease::unparse(&expanded)), ungated(prettyplease::unparse(&from_file)), "{path}: the macro expansion differs from the regen output");
}

#[test]
fn the_real_specs_expand_as_regen_writes_them() {
    check("../specs", "specs");
}

#[test]
fn the_fixture_vendor_expands_as_regen_writes_it() {
    check("tests/fixtures/specs", "tests/fixtures/specs");
}

#[test]
fn a_vendor_directory_expands_alone() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs/acme");
    let analysis = codegen::analyze(&dir, Path::new("specs/acme"));
    let files_read = analysis.files_read.clone();
    let tokens = codegen::emit_inline(&analysis.into_result().unwrap_or_else(|d| panic!("{}", d.render())));
    let file: syn::File = syn::parse2(tokens).unwrap();
    assert!(matches!(&file.items[..], [Item::Mod(m)] if m.ident == "acme"));
    assert!(files_read.iter().any(|p| p.ends_with("acme/vendor.yaml")));
    assert!(files_read.len() > 10);
}
