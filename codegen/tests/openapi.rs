//! Structural facts of the OpenAPI export on the real specs (`cargo xtask openapi export`).

use std::path::{Path, PathBuf};

use serde_json::Value;

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn api() -> codegen::model::Api {
    codegen::analyze(&specs(), Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render()))
}

fn export() -> Vec<(String, String)> {
    codegen::openapi::documents(&api())
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[test]
fn one_document_per_vendor_and_every_operation_once_with_its_method_and_path() {
    let api = api();
    let docs = export();
    assert_eq!(docs.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), api.vendors.iter().map(|v| format!("{}.json", v.module)).collect::<Vec<_>>());
    for v in &api.vendors {
        let doc = codegen::openapi::document(v);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], Value::from(v.default_host.clone()), "the default host comes first");
        let paths = doc["paths"].as_object().expect("paths");
        let mut ids = Vec::new();
        let mut seen = 0;
        for (path, item) in paths {
            for (method, op) in item.as_object().expect("path item") {
                if method == "servers" {
                    // A service on hosts of its own: its paths name them.
                    continue;
                }
                assert!(METHODS.contains(&method.as_str()), "{path}: unexpected key {method}");
                ids.push(op["operationId"].as_str().expect("operationId").to_owned());
                seen += 1;
            }
        }
        let ops: Vec<_> = v.services.iter().flat_map(|s| &s.operations).collect();
        assert_eq!(seen, ops.len(), "{}: every operation exactly once", v.module);
        for op in &ops {
            let at = &doc["paths"][&op.path][op.method.as_str().to_ascii_lowercase()];
            assert!(at.is_object(), "{}: {} {} missing", v.module, op.method.as_str(), op.path);
            assert!(at["operationId"].as_str().is_some_and(|id| id.ends_with(&op.name)), "{}: {at}", op.name);
            assert_eq!(at["x-spec-file"], Value::from(op.spec_file.clone()));
            let security: Vec<&str> = at["security"].as_array().expect("security").iter().flat_map(|r| r.as_object().expect("requirement").keys()).map(String::as_str).collect();
            assert_eq!(security, op.tokens.iter().map(String::as_str).collect::<Vec<_>>());
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{}: operationIds must be unique", v.module);
        for t in &v.tokens {
            assert!(doc["components"]["securitySchemes"][&t.name].is_object(), "scheme for token {}", t.name);
        }
    }
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(s)) => out.push(s),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_ref_resolves_to_a_component() {
    for (name, text) in export() {
        let doc: Value = serde_json::from_str(&text).expect("valid JSON");
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty(), "{name}: no $ref at all");
        for r in found {
            let component = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{name}: {r} is not a schema ref"));
            assert!(doc["components"]["schemas"][component].is_object(), "{name}: {r} does not resolve");
        }
    }
}

#[test]
fn get_user_responds_with_the_envelope_around_its_payload() {
    let api = api();
    let mut checked = 0;
    for v in &api.vendors {
        let doc = codegen::openapi::document(v);
        for op in v.services.iter().flat_map(|s| &s.operations).filter(|o| o.name == "GetUser") {
            let at = &doc["paths"][&op.path][op.method.as_str().to_ascii_lowercase()];
            let schema = &at["responses"]["200"]["content"]["application/json"]["schema"];
            let props = schema["properties"].as_object().unwrap_or_else(|| panic!("{}: {schema}", v.module));
            let envelope = v.envelope.as_ref().expect("both vendors have an envelope");
            assert!(props.contains_key(&envelope.code), "{}: no `{}` in {schema}", v.module, envelope.code);
            assert_eq!(props[&envelope.code]["const"], Value::from(envelope.success), "the success answer pins the code");
            assert!(props.contains_key(&envelope.message), "{}: {schema}", v.module);
            assert!(props[&envelope.data]["$ref"].as_str().is_some_and(|r| r.starts_with("#/components/schemas/")), "{}: {schema}", v.module);
            assert_eq!(schema["required"][0], Value::from(envelope.code.clone()));
            let error = &at["responses"]["default"]["content"]["application/json"]["schema"]["properties"];
            assert!(error.get(&envelope.code).is_some() && error.get(&envelope.data).is_none(), "{}: {error}", v.module);
            assert_eq!(error[&envelope.code]["not"]["const"], Value::from(envelope.success), "the failure answer's code is anything but success");
            checked += 1;
        }
    }
    assert!(checked >= 2, "GetUser of both vendors");
}

#[test]
fn flat_binary_multipart_and_open_enums() {
    let docs = export();
    let feishu: Value = serde_json::from_str(&docs.iter().find(|(n, _)| n == "feishu.json").expect("feishu").1).unwrap();
    let flat = &feishu["paths"]["/open-apis/auth/v3/tenant_access_token/internal"]["post"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(flat["properties"]["code"].is_object() && flat["properties"]["tenant_access_token"].is_object() && flat["properties"].get("data").is_none(), "{flat}");
    let binary = feishu["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|i| i.as_object().unwrap().values())
        .find(|o| o["responses"]["200"]["content"]["application/octet-stream"].is_object());
    assert_eq!(binary.expect("a binary download")["responses"]["200"]["content"]["application/octet-stream"]["schema"]["format"], "binary");
    let multipart = feishu["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|i| i.as_object().unwrap().values())
        .find_map(|o| o["requestBody"]["content"].get("multipart/form-data"))
        .expect("a multipart body");
    assert!(multipart["schema"]["properties"].as_object().unwrap().values().any(|p| p["format"] == "binary"), "{multipart}");
    let e = &feishu["components"]["schemas"]["UserIdType"];
    assert_eq!((e["type"].as_str(), e["x-open-enum"].as_bool()), (Some("string"), Some(true)), "{e}");
}

#[test]
fn deterministic_two_exports_are_byte_identical() {
    assert_eq!(export(), export());
}

/// Every `x-` key of every object of `v`: not the keys inside an extension's value, nor
/// property names (which are data, like the bound header `x-authing-userpool-id`), nor keys of
/// examples (data too: a webhook log's headers).
fn extension_keys(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k.starts_with("x-") {
                    out.insert(k.clone());
                } else if k == "example" || k == "examples" {
                } else if k == "properties" {
                    x.as_object().into_iter().flat_map(|p| p.values()).for_each(|x| extension_keys(x, out));
                } else {
                    extension_keys(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| extension_keys(x, out)),
        _ => {}
    }
}

/// The export writes the extensions of `codegen::openapi::ext` and no others, the real specs
/// and the fixture vendor between them use every one, and `docs/openapi.md` describes each.
#[test]
fn the_extensions_written_are_the_vocabulary() {
    let fixture =
        codegen::analyze(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs"), Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    let mut written = std::collections::BTreeSet::new();
    for (name, text) in export().into_iter().chain(codegen::openapi::documents(&fixture)) {
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        extension_keys(&doc, &mut written);
    }
    let vocabulary: std::collections::BTreeSet<String> = codegen::openapi::ext::KEYS.iter().map(|k| (*k).to_owned()).collect();
    assert_eq!(written, vocabulary);
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.md")).expect("docs/openapi.md");
    let undocumented: Vec<&str> = codegen::openapi::ext::KEYS.iter().copied().filter(|k| !docs.contains(&format!("`{k}`"))).collect();
    assert!(undocumented.is_empty(), "docs/openapi.md does not describe {undocumented:?}");
}

/// The document as written to disk is assembled from pieces (so regen can replace one service's
/// pieces in it): it must be the document, pretty-printed, on the real specs, on the fixture
/// vendor, and on the fixture with a service that has no operation and a path two services share
/// (whose item belongs to no service's pieces).
#[test]
fn the_document_in_pieces_is_the_document() {
    let scratch = std::env::temp_dir().join(format!("codegen-openapi-pieces-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs"), &scratch);
    let vendor = scratch.join("acme/vendor.yaml");
    let text = std::fs::read_to_string(&vendor).expect("the fixture's vendor file").replace("services:\n", "services:\n  later/v1: {title: Nothing yet}\n");
    std::fs::write(&vendor, text).expect("write the vendor file");
    std::fs::create_dir_all(scratch.join("acme/ledger/v1/cache")).expect("a folder in the scratch specs");
    std::fs::write(
        scratch.join("acme/ledger/v1/cache/purged.yaml"),
        "name: WhenPurged\ntitle: When the cache was last purged\nmethod: GET\npath: /admin/cache/purge\ntokens: [app]\n",
    )
    .expect("an operation file in the scratch specs");
    let shared = codegen::analyze(&scratch, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    let _ = std::fs::remove_dir_all(&scratch);
    let fixture = codegen::analyze(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs"), Path::new("specs")).into_result().expect("the fixture checks");
    for v in api().vendors.iter().chain(&fixture.vendors).chain(&shared.vendors) {
        let pieces = codegen::openapi::pieces(v, &codegen::openapi::Collisions::of(v));
        let expected = serde_json::to_string_pretty(&codegen::openapi::document(v)).expect("a document prints") + "\n";
        assert!(pieces.text() == expected, "{}: the pieces are not the document", v.module);
        for (si, svc) in v.services.iter().enumerate() {
            let keys: Vec<String> = pieces.owned_by(&svc.module).into_iter().map(|(k, _)| k).collect();
            let shares = v.services.iter().enumerate().any(|(o, other)| o != si && other.operations.iter().any(|a| svc.operations.iter().any(|b| a.path == b.path)));
            assert_eq!(keys.contains(&format!("{}#paths", svc.module)), !svc.operations.is_empty() && !shares, "{}: {keys:?}", svc.module);
            assert_eq!(keys.contains(&format!("{}#schemas", svc.module)), !svc.types.is_empty(), "{}: {keys:?}", svc.module);
        }
    }
    let admin = shared.vendors[0].services.iter().find(|s| s.module == "admin").expect("admin");
    assert!(!admin.operations.is_empty(), "the fixture's admin service has operations");
    assert!(shared.vendors[0].services.iter().any(|s| s.module == "later_v1" && s.operations.is_empty()), "a service without operations");
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a scratch folder");
    for entry in std::fs::read_dir(from).expect("the fixture's folder") {
        let path = entry.expect("a fixture file").path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a fixture file copied");
        }
    }
}
