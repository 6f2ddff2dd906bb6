//! Our `x-` extensions as the import reads them (`codegen::openapi::ext`): facts come from the
//! extensions and never from the sentences the export writes for readers, and an extension that
//! does not have its form is a warning at its line, not a failed import or a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

mod reviewed;

/// Our export of the reviewed real specs: (vendor, document).
fn exported() -> Vec<(String, Value)> {
    let specs = reviewed::root("openapi-extensions-specs");
    let api = codegen::analyze(&specs, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    codegen::openapi::documents(&api).into_iter().map(|(file, text)| (file.trim_end_matches(".json").to_owned(), serde_json::from_str(&text).unwrap())).collect()
}

fn import(vendor: &str, doc: &Value) -> (String, importer::openapi::Imported) {
    let text = serde_json::to_string_pretty(doc).unwrap();
    let imported = importer::openapi::import(&text, vendor, "exported.json").unwrap_or_else(|w| panic!("{vendor}:{}:{}: {}", w.line, w.col, w.message));
    (text, imported)
}

/// Replaces every description the export writes for readers (the document's, each security
/// scheme's, and each one beside an `x-description`) with a sentence that says nothing the
/// import could use.
fn rewrite_prose(v: &mut Value, top: bool) -> usize {
    let mut n = 0;
    match v {
        Value::Object(m) => {
            let prose = top || m.contains_key("x-description") || m.contains_key("x-token-exchange") || m.get("type") == Some(&json!("http"));
            if prose && m.contains_key("description") {
                m.insert("description".into(), json!("Prose for readers: nothing in here is a fact the import reads."));
                n += 1;
            }
            for (k, x) in m.iter_mut() {
                n += rewrite_prose(x, k == "info");
            }
        }
        Value::Array(a) => n += a.iter_mut().map(|x| rewrite_prose(x, false)).sum::<usize>(),
        _ => {}
    }
    n
}

#[test]
fn facts_come_from_extensions_not_from_the_sentences_for_readers() {
    for (vendor, doc) in exported() {
        let (_, before) = import(&vendor, &doc);
        let mut changed = doc.clone();
        let rewritten = rewrite_prose(&mut changed, false);
        assert!(rewritten >= 3, "{vendor}: the document's, the schemes' and the enums' descriptions ({rewritten})");
        let (_, after) = import(&vendor, &changed);
        assert!(after.warnings.is_empty(), "{vendor}: {:?}", after.warnings);
        let differ: Vec<&PathBuf> = before.files.iter().filter(|(p, text)| after.files.get(*p) != Some(*text)).map(|(p, _)| p).collect();
        assert!(differ.is_empty(), "{vendor}: new prose changed the imported {differ:?}");
    }
}

/// Sets `value` at the JSON pointer `at` (which must exist but for its last segment).
fn set(doc: &mut Value, at: &str, value: Value) {
    let (parent, key) = at.rsplit_once('/').unwrap();
    let parent = doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
    parent.as_object_mut().unwrap_or_else(|| panic!("{at}: not in an object")).insert(key.replace("~1", "/").replace("~0", "~"), value);
}

#[test]
fn a_malformed_extension_is_a_warning_at_its_line() {
    let (_, mut feishu) = exported().into_iter().find(|(v, _)| v == "feishu").expect("feishu");
    let list_op = feishu["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().iter().map(move |(m, op)| (path.clone(), m.clone(), op)))
        .find(|(_, _, op)| op.get("x-pagination").is_some())
        .map(|(path, m, _)| format!("/paths/{}/{m}", path.replace('~', "~0").replace('/', "~1")))
        .expect("a list operation");
    let enum_schema = feishu["components"]["schemas"].as_object().unwrap().iter().find(|(_, s)| s.get("x-enum-varnames").is_some()).map(|(n, _)| n.clone()).expect("an enum");
    let broken: BTreeMap<String, Value> = [
        (format!("{list_op}/x-pagination"), json!({"style": "offset", "items": "items"})),
        ("/components/securitySchemes/tenant/x-token-exchange/token".to_owned(), json!(42)),
        (format!("/components/schemas/{enum_schema}/x-enum-varnames"), json!([1, 2])),
        ("/tags/0/x-feature".to_owned(), json!(["feishu-acs"])),
        ("/components/securitySchemes/user/x-description".to_owned(), json!({"text": "?"})),
    ]
    .into_iter()
    .collect();
    for (at, value) in &broken {
        set(&mut feishu, at, value.clone());
    }
    let (text, imported) = import("feishu", &feishu);
    for at in broken.keys() {
        // The warning is about the extension, so its pointer ends at the extension's key.
        let ext_at = at.trim_end_matches("/token");
        let w = imported.warnings.iter().find(|w| w.at == format!("#{ext_at}")).unwrap_or_else(|| panic!("no warning at #{ext_at}: {:#?}", imported.warnings));
        let key = ext_at.rsplit('/').next().unwrap();
        let line = text.lines().nth(w.line as usize - 1).unwrap_or("");
        assert!(line.contains(&format!("\"{key}\"")), "#{ext_at}: the warning's line {} is `{}`", w.line, line.trim());
        assert!(w.message.contains(&format!("`{key}` is malformed")) && w.message.ends_with("left out"), "{}", w.message);
    }
    assert_eq!(imported.warnings.len(), broken.len(), "one warning each: {:#?}", imported.warnings);
    // What was left out is left out, and nothing else: no paging, the token passed per request.
    let vendor = &imported.files[Path::new("vendor.yaml")];
    assert!(
        vendor.contains(
            "  tenant:\n    description: tenant_access_token of a self-built app; starts with `t-`.\n    header: Authorization\n    prefix: \"Bearer \"\n    per_request: true\n"
        ),
        "{vendor}"
    );
    // An unreadable `x-description` leaves the description for readers.
    assert!(vendor.contains("  user:\n    description: user_access_token, obtained by the user's OAuth login; starts with `u-`. Passed per request by the caller.\n"), "{vendor}");
    assert!(!imported.files.values().any(|f| f.contains("style: offset")));
}

#[test]
fn a_malformed_x_vendor_leaves_a_plain_http_vendor() {
    let (_, mut authing) = exported().into_iter().find(|(v, _)| v == "authing").expect("authing");
    set(&mut authing, "/x-vendor/envelope", json!("nothing"));
    let (text, imported) = import("authing", &authing);
    let w = imported.warnings.iter().find(|w| w.at == "#/x-vendor").unwrap_or_else(|| panic!("{:#?}", imported.warnings));
    assert!(text.lines().nth(w.line as usize - 1).is_some_and(|l| l.contains("\"x-vendor\"")), "line {}", w.line);
    assert!(w.message.contains("nothing"), "{}", w.message);
    assert!(imported.files[Path::new("vendor.yaml")].contains("\nenvelope: none\n"));
}

#[test]
fn a_token_exchange_of_no_operation_is_a_warning_and_a_per_request_token() {
    let (_, mut feishu) = exported().into_iter().find(|(v, _)| v == "feishu").expect("feishu");
    set(&mut feishu, "/components/securitySchemes/tenant/x-token-exchange/path", json!("/open-apis/nowhere"));
    let (_, imported) = import("feishu", &feishu);
    let [w] = imported.warnings.as_slice() else { panic!("one warning: {:#?}", imported.warnings) };
    assert_eq!(w.at, "#/components/securitySchemes/tenant/x-token-exchange");
    assert!(w.message.contains("/open-apis/nowhere") && w.message.contains("per request"), "{}", w.message);
    assert!(imported.files[Path::new("vendor.yaml")].contains(
        "  tenant:\n    description: tenant_access_token of a self-built app; starts with `t-`.\n    header: Authorization\n    prefix: \"Bearer \"\n    per_request: true\n"
    ));
}

/// `"x-description": null` is the export saying the spec has no description: the sentences in
/// `description` are not taken for one.
#[test]
fn a_null_x_description_is_no_description() {
    let (_, mut feishu) = exported().into_iter().find(|(v, _)| v == "feishu").expect("feishu");
    set(&mut feishu, "/components/securitySchemes/user/x-description", Value::Null);
    set(&mut feishu, "/components/schemas/UserIdType/x-description", Value::Null);
    let (_, imported) = import("feishu", &feishu);
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    let vendor = &imported.files[Path::new("vendor.yaml")];
    assert!(vendor.contains("  user:\n    header: Authorization\n"), "{vendor}");
    let types = &imported.files[Path::new("types.yaml")];
    let user_id_type = types.split("\n  UserIdType:\n").nth(1).expect("UserIdType in the vendor's types");
    assert!(user_id_type.starts_with("    enum: string\n"), "no description, not the export's sentences:\n{user_id_type}");
}
