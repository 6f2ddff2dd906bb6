//! Snapshot tests: the code generated from the fixture specs under `tests/fixtures/specs/` (the
//! made-up vendor `acme`, which uses every construct of the spec format) must equal the files
//! under `tests/fixtures/expected/`.
//!
//! After an intended change to the generator, update the expected files with
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test -p codegen --test snapshots
//! ```
//!
//! and review the diff. `generated-client/tests/fixture_vendor.rs` compiles the expected files and
//! calls them against a local HTTP server, so a snapshot that stops compiling fails there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const SPECS: &str = "tests/fixtures/specs";
const EXPECTED: &str = "tests/fixtures/expected";
const UPDATE_COMMAND: &str = "UPDATE_EXPECT=1 cargo test -p codegen --test snapshots";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Same switch as `expect_test`: any value of `UPDATE_EXPECT` rewrites the snapshots.
fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

/// Generates from the fixture specs. Generated headers name the spec directory, so it is shown
/// as the relative `tests/fixtures/specs` wherever the checkout is (and without changing the
/// process-wide working directory, which would race with other tests).
fn generate() -> Vec<codegen::GeneratedFile> {
    match codegen::analyze(&manifest_dir().join(SPECS), Path::new(SPECS)).into_result().map(|api| codegen::render(&api).expect("the checked model renders")) {
        Ok(files) => files,
        Err(diags) => panic!("the fixture specs do not check:\n{}", diags.render()),
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("a readable directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                out.insert(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn generated_code_matches_the_snapshots() {
    let files = generate();
    let expected_dir = manifest_dir().join(EXPECTED);
    let update = updating();

    let mut mismatched = Vec::new();
    for file in &files {
        let path = expected_dir.join(&file.path);
        let current = fs::read_to_string(&path).ok().map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if update {
            fs::create_dir_all(path.parent().expect("a file has a parent directory")).expect("the snapshot directory can be created");
            println!("updating {}", path.display());
            fs::write(&path, &file.contents).expect("the snapshot can be written");
            continue;
        }
        // expect-test prints a readable diff, then unwinds; catch that to report every file.
        let shown = std::panic::catch_unwind(|| expect_test::expect_file![path.clone()].assert_eq(&file.contents));
        assert!(shown.is_err(), "the contents differ, so expect-test reports it");
        mismatched.push(match current {
            Some(_) => format!("{EXPECTED}/{} differs from what the generator produces", file.path),
            None => format!("{EXPECTED}/{} is missing", file.path),
        });
    }

    let produced: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut stale = Vec::new();
    for rel in files_under(&expected_dir) {
        if produced.contains(&rel) {
            continue;
        }
        if update {
            println!("removing {EXPECTED}/{rel}");
            fs::remove_file(expected_dir.join(&rel)).expect("the stale snapshot can be removed");
        } else {
            stale.push(format!("{EXPECTED}/{rel} is not generated any more"));
        }
    }

    let problems: Vec<String> = mismatched.into_iter().chain(stale).collect();
    assert!(
        problems.is_empty(),
        "the generated code does not match the snapshots (diffs above):\n  {}\nIf the change is intended, run `{UPDATE_COMMAND}` and review the diff.",
        problems.join("\n  ")
    );
}

/// The snapshots are only worth their name if generating twice gives the same bytes.
#[test]
fn generation_is_deterministic() {
    let first = generate();
    let second = generate();
    assert_eq!(first, second);
}

/// Every construct the fixture is meant to exercise shows up in the generated code, so a spec edit
/// that drops one is noticed even when the snapshots are updated wholesale.
#[test]
fn the_fixture_covers_every_construct() {
    let files = generate();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["mod.rs", "acme/mod.rs", "acme/shop_v2.rs", "acme/admin.rs", "acme/ledger_v1.rs"]);
    // Compared without whitespace: prettyplease decides where lines break.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let all = squash(&files.iter().map(|f| f.contents.as_str()).collect::<String>());
    for needle in [
        // vendor profile
        "sub_code: Some(\"sub_code\")",
        "request_id_headers: &[\"x-acme-request-id\"]",
        "request_id_field: Some(\"request_id\")",
        "secret: true",
        "jwt_claim: Some(\"tenant_id\")",
        "credential: Some(\"client_id\")",
        "exchange: None",
        "rate_limit_reset_header: Some(\"x-ratelimit-reset\")",
        "Known hosts: global `https://api.acme.example`, sandbox `https://sandbox.acme.example`.",
        "hosts: &[(\"global\", \"https://api.acme.example\"), (\"sandbox\", \"https://sandbox.acme.example\"),",
        // a service served from its own host where the client is on `global`
        "static SERVICE_HOSTS: &[(&str, &str)] = &[(\"global\", \"https://ledger.acme.example\")];",
        "hosts: SERVICE_HOSTS,",
        "hosts: &[],",
        // accessors: two-segment and single-segment services, nested resources
        "pub fn shop(&self) -> ShopApi<'_>",
        "impl<'a> super::ShopApi<'a>",
        "pub fn admin(&self) -> AdminApi<'_>",
        "pub struct OrderItemApi<'a>",
        "pub struct ProductImageApi<'a>",
        // parameters
        "call.path_param(&self.store_id);",
        "call.path_param(&self.product_id.to_string());",
        "call.query_array(\"tags\", runtime::ArrayStyle::Repeat",
        "call.query_array(\"ids\", runtime::ArrayStyle::Brackets",
        "call.query_array(\"colors\", runtime::ArrayStyle::Comma",
        "call.query_json(\"sizes\", &value);",
        "call.query_array(\"regions\", runtime::ArrayStyle::Repeat",
        "call.header(\"X-Acme-Locale\", self.x_acme_locale);",
        "call.header(\"X-Acme-Trace-Depth\", value.to_string());",
        // bodies
        "call.json_field(\"type\", &self.r#type);",
        "call.json_field(\"displayName\", &value);",
        "call.file_part(\"file\", self.file);",
        "call.text_part(\"position\", self.position.to_string());",
        "call.json_part(\"labels\", &value);",
        // responses
        "call_binary::<super::Error>(call)",
        "call_unit::<super::Error>(call)",
        "runtime::ResponseSpec::Flat",
        "call_json::<Vec<CategoryNode>, super::Error>(call)",
        // types
        "pub struct PostalAddress",
        "pub remark: Option<String>",
        "runtime::serialize_set(&mut out, \"self\", &self.self_)?;",
        "runtime::response_serialize!",
        "runtime::required(",
        "runtime::read_optional(&mut map,",
        "runtime::next_key::<Self, __A>(&mut map)",
        "runtime::partial_eq!(",
        "pub parent: Option<Box<CategoryNode>>",
        "pub children: Option<Vec<CategoryNode>>",
        "pub attributes: Option<std::collections::BTreeMap<String, String>>",
        "pub metadata: Option<runtime::serde_json::Value>",
        "pub struct VariantInput",
        "pub struct CreateProductDimensions",
        "pub enum ProductStatus",
        "Unknown(i64)",
        "Unknown_,",
        "V1x,",
        "UsDollar,",
        "pub enum SearchProductRating",
        "pub struct PostalAddressGeo",
        "pub geo: Option<PostalAddressGeo>",
        "10000000002 => Self::Express,",
        "pub _3d_model_url: Option<String>",
        "pub enum ProductAvailability",
        "pub enum CreateProductDimensionsUnit",
        "pub unit: Option<CreateProductDimensionsUnit>",
        "std::collections::BTreeMap<String, CreateProductStockByWarehouse>",
        "pub struct ProductPageFacets",
        "pub brands: std::collections::BTreeMap<String, i64>",
        "call.json_part(\"crop\", &value);",
        "call.query(\"filter[brand]\", value);",
        "Wire name: `filter[brand]`.",
        "call.path_param(&self.amount.to_string());",
        "call.path_param(&self.currency.to_string());",
        "call.path_param(&self.rounded.to_string());",
        "call_json::<i64, super::Error>(call)",
        "method: runtime::Method::Put",
        "method: runtime::Method::Patch",
        "method: runtime::Method::Delete",
        // tokens
        "pub fn member_access_token(mut self, token: impl Into<String>) -> Self",
        // errors
        "ProductNotFound,",
        "StoreIsClosed,",
        "Code500100,",
        "hint: Some(\"Check that the product belongs to the store in the path.\")",
        // docs
        "Where this client departs from the doc page:",
        "Default (applied by the server): `\"usd\"`.",
        "Limits: at least 1 characters, at most 64 characters, matches `^[^<>]*$`.",
        "Limits: at least 1 items, at most 50 items.",
        "Limits: minimum 1, maximum 1000.",
        "- Rate limit: 100 requests per second per store.",
        "- Scopes (any one): `product:read` (Read products); `product:admin` (Manage products): also allows writes.",
    ] {
        assert!(all.contains(&squash(needle)), "no generated file contains {needle:?}");
    }
}
