//! One OpenAPI 3.1 document per vendor, rendered from the checked model
//! (`cargo xtask openapi export`, see `docs/openapi.md`).
//!
//! Objects are built key by key in a fixed order (serde_json keeps insertion order in this
//! workspace), so the output is byte-identical from run to run. Response schemas describe the
//! bytes on the wire: the vendor's envelope around the payload, not the payload the client
//! returns. What OpenAPI has no place for travels in the `x-` extensions of [`ext`], the one
//! vocabulary the importer reads back.

pub mod ext;
mod names;
mod operation;
mod schema;
mod security;

use serde_json::{Map, Value, json};

use crate::model::{Host, Service, Vendor};
use names::Names;

/// Marks an exported document (the export only replaces or removes files that carry it).
pub const GENERATED_BY: &str = "cargo xtask openapi export";

/// The OpenAPI document of one vendor.
pub fn document(v: &Vendor) -> Value {
    let names = Names::new(v);
    let mut doc = Map::new();
    doc.insert("openapi".into(), json!("3.1.0"));
    let mut info = Map::new();
    info.insert("title".into(), json!(v.title));
    info.insert("version".into(), json!("0.0.0-spec"));
    // For readers: the vendor's description, where it came from and the success rule. The
    // vendor's own description is in `x-vendor` too, apart from these sentences.
    let mut description = v.description.clone().unwrap_or_default();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!("Exported from `{}` by `{GENERATED_BY}`. ", v.spec_dir));
    description.push_str(&match &v.envelope {
        Some(e) => format!("Every JSON answer is the vendor envelope: `{}` equal to {} means success, whatever the HTTP status.", e.code, e.success),
        None => "A 2xx status means success and the body is the payload; documented errors are HTTP statuses.".to_owned(),
    });
    info.insert("description".into(), json!(description));
    doc.insert("info".into(), Value::Object(info));
    ext::insert(&mut doc, &ext::GeneratedBy(GENERATED_BY.to_owned()));
    ext::insert(&mut doc, &vendor_extension(v));
    doc.insert("servers".into(), Value::Array(servers(v, &[])));
    if let Some(d) = &v.docs {
        doc.insert("externalDocs".into(), json!({ "url": d }));
    }
    doc.insert("tags".into(), Value::Array(v.services.iter().map(tag).collect()));

    let mut paths = Map::new();
    for (si, svc) in v.services.iter().enumerate() {
        for op in &svc.operations {
            let item = paths.entry(op.path.clone()).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(item) = item {
                item.insert(op.method.as_str().to_ascii_lowercase(), operation::operation(v, &names, si, svc, op));
                // A service served from other hosts: its paths have servers of their own.
                if !svc.hosts.is_empty() {
                    item.insert("servers".into(), Value::Array(servers(v, &svc.hosts)));
                }
            }
        }
    }
    doc.insert("paths".into(), Value::Object(paths));

    let mut components = Map::new();
    let mut schemas = Map::new();
    for t in &v.types {
        schemas.insert(names.component(None, &t.rust), schema::type_schema(&names, None, t));
    }
    for (si, svc) in v.services.iter().enumerate() {
        for t in &svc.types {
            let mut schema = schema::type_schema(&names, Some(si), t);
            if let Value::Object(s) = &mut schema {
                ext::insert(s, &ext::ServiceDir(svc.path.join("/")));
            }
            schemas.insert(names.component(Some(si), &t.rust), schema);
        }
    }
    components.insert("schemas".into(), Value::Object(schemas));
    components.insert("securitySchemes".into(), Value::Object(v.tokens.iter().map(|t| (t.name.clone(), security::scheme(t))).collect()));
    doc.insert("components".into(), Value::Object(components));
    Value::Object(doc)
}

/// One document per vendor of the checked model: (`<vendor>.json`, its text), in the vendors' order.
pub fn documents(api: &crate::model::Api) -> Vec<(String, String)> {
    api.vendors.iter().map(|v| (format!("{}.json", v.module), to_json(v))).collect()
}

/// The operationId each operation of a vendor has in its document: by service index and
/// operation name (the Rust name, `GetUser`).
pub fn operation_ids(v: &Vendor) -> std::collections::BTreeMap<(usize, String), String> {
    Names::new(v).operations
}

/// The document as written to disk: pretty-printed, with a final newline.
pub fn to_json(v: &Vendor) -> String {
    let mut s = serde_json::to_string_pretty(&document(v)).unwrap_or_default();
    s.push('\n');
    s
}

/// The hosts, the default one first, each described by its name in `vendor.yaml`; where a
/// service has its own URL for a host name (`own`), that URL.
fn servers(v: &Vendor, own: &[Host]) -> Vec<Value> {
    let first = v.hosts.iter().position(|h| h.url == v.default_host).unwrap_or(0);
    let hosts: Vec<&Host> = v.hosts.get(first).into_iter().chain(v.hosts.iter().enumerate().filter(|(i, _)| *i != first).map(|(_, h)| h)).collect();
    if hosts.is_empty() {
        return vec![json!({ "url": v.default_host })];
    }
    let url = |h: &Host| own.iter().find(|o| o.name == h.name).map_or(h.url.clone(), |o| o.url.clone());
    hosts.into_iter().map(|h| json!({ "url": url(h), "description": h.name })).collect()
}

fn tag(svc: &Service) -> Value {
    let mut t = Map::new();
    t.insert("name".into(), json!(svc.path.join("/")));
    if let Some(title) = &svc.title {
        t.insert("description".into(), json!(title));
    }
    if let Some(d) = &svc.docs {
        t.insert("externalDocs".into(), json!({ "url": d }));
    }
    if let Some(f) = &svc.feature {
        ext::insert(&mut t, &ext::Feature(f.clone()));
    }
    if let Some(m) = &svc.mount {
        ext::insert(&mut t, &ext::Mount(m.clone()));
    }
    Value::Object(t)
}

/// What `vendor.yaml` says that OpenAPI has no place for, so that an import gets it back:
/// the module name, the vendor's own description, the envelope, request ids, credentials and
/// the codes the client acts on.
fn vendor_extension(v: &Vendor) -> ext::Vendor {
    ext::Vendor {
        name: v.module.clone(),
        description: v.description.clone(),
        envelope: match &v.envelope {
            None => ext::Envelope::None,
            Some(e) => ext::Envelope::Fields(ext::EnvelopeFields {
                code: e.code.clone(),
                sub_code: e.sub_code.clone(),
                message: e.message.clone(),
                data: e.data.clone(),
                success: e.success,
            }),
        },
        request_id: ext::RequestId { headers: v.request_id_headers.clone(), field: v.request_id_field.clone() },
        credentials: ext::Ordered(
            v.credentials.iter().map(|c| (c.name.clone(), ext::Credential { description: c.description.clone(), secret: c.secret, pushed: c.pushed.clone() })).collect(),
        ),
        token_invalid: ext::Signals { codes: v.token_invalid_codes.clone(), http_status: v.token_invalid_statuses.clone() },
        rate_limit: ext::RateLimitSignals { codes: v.rate_limit_codes.clone(), http_status: v.rate_limit_statuses.clone(), reset_header: v.rate_limit_reset_header.clone() },
    }
}
