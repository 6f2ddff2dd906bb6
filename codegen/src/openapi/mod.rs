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
pub use names::Collisions;
use names::Names;

use crate::pieces::{self, Pieces};

/// Marks an exported document (the export only replaces or removes files that carry it).
pub const GENERATED_BY: &str = "cargo xtask openapi export";

/// The OpenAPI document of one vendor.
pub fn document(v: &Vendor) -> Value {
    let names = Names::new(v, &Collisions::of(v));
    let parts = Parts::of(v, &names);
    let mut doc = frame(v);
    doc.insert("paths".into(), Value::Object(parts.paths.into_iter().flat_map(|(_, entries)| entries).collect()));
    let schemas: Map<String, Value> = parts.schemas.into_iter().flat_map(|(_, entries)| entries).collect();
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        components.insert("schemas".into(), Value::Object(schemas));
        components.insert("securitySchemes".into(), Value::Object(v.tokens.iter().map(|t| (t.name.clone(), security::scheme(t))).collect()));
    }
    Value::Object(doc)
}

/// The document's own keys, with `paths` and `components` still empty, in their places.
fn frame(v: &Vendor) -> Map<String, Value> {
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
    doc.insert("paths".into(), Value::Object(Map::new()));
    doc.insert("components".into(), Value::Object(Map::new()));
    doc
}

/// The entries of `paths` and of `components.schemas`, grouped by the service that owns them
/// (`None`: the vendor's own types, and the path items of services that share a path item with
/// another, which belong to none of them alone).
struct Parts {
    paths: Vec<Group>,
    schemas: Vec<Group>,
}

/// Entries of one object (key, value), and the service they belong to.
type Group = (Option<usize>, Vec<(String, Value)>);

impl Parts {
    fn of(v: &Vendor, names: &Names) -> Parts {
        // Path items in the order their first operation comes, each with the services of its operations.
        let mut items: Vec<(String, Vec<usize>, Map<String, Value>)> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (si, svc) in v.services.iter().enumerate() {
            for op in &svc.operations {
                let i = *at.entry(op.path.as_str()).or_insert_with(|| {
                    items.push((op.path.clone(), Vec::new(), Map::new()));
                    items.len() - 1
                });
                let (_, owners, item) = &mut items[i];
                owners.push(si);
                item.insert(op.method.as_str().to_ascii_lowercase(), operation::operation(v, names, si, svc, op));
                // A service served from other hosts: its paths have servers of their own.
                if !svc.hosts.is_empty() {
                    item.insert("servers".into(), Value::Array(servers(v, &svc.hosts)));
                }
            }
        }
        // A service with a path item another service shares owns none of its items: the shared
        // item shows both, so neither one's items can be replaced alone.
        let sharing: std::collections::HashSet<usize> =
            items.iter().filter(|(_, owners, _)| owners.iter().any(|&o| o != owners[0])).flat_map(|(_, owners, _)| owners.iter().copied()).collect();
        let mut paths: Vec<Group> = Vec::new();
        for (path, owners, item) in items {
            let owner = Some(owners[0]).filter(|o| !sharing.contains(o));
            match paths.last_mut() {
                Some((last, entries)) if *last == owner => entries.push((path, Value::Object(item))),
                _ => paths.push((owner, vec![(path, Value::Object(item))])),
            }
        }
        let mut schemas = vec![(None, v.types.iter().map(|t| (names.component(None, &t.rust), schema::type_schema(names, None, t))).collect())];
        for (si, svc) in v.services.iter().enumerate() {
            let entries = svc
                .types
                .iter()
                .map(|t| {
                    let mut schema = schema::type_schema(names, Some(si), t);
                    if let Value::Object(s) = &mut schema {
                        ext::insert(s, &ext::ServiceDir(svc.path.join("/")));
                    }
                    (names.component(Some(si), &t.rust), schema)
                })
                .collect();
            schemas.push((Some(si), entries));
        }
        Parts { paths, schemas }
    }
}

/// The document as written to disk ([`to_json`]), in pieces: each service's path items
/// (`<module>#paths`) and schemas (`<module>#schemas`) are its own, unless it shares a path item
/// with another service (then its path items are no service's). `collisions` are those of the whole vendor ([`Collisions::of`]),
/// so that the pieces of a vendor checked in part ([`crate::analyze_subset`]) name its schemas
/// and operations as the whole vendor's do.
pub fn pieces(v: &Vendor, collisions: &Collisions) -> Pieces {
    const PATHS: &str = "\u{0}paths";
    const SCHEMAS: &str = "\u{0}schemas";
    let names = Names::new(v, collisions);
    let parts = Parts::of(v, &names);
    let mut doc = frame(v);
    doc.insert("paths".into(), json!(PATHS));
    let mut components = Map::new();
    components.insert("schemas".into(), json!(SCHEMAS));
    components.insert("securitySchemes".into(), Value::Object(v.tokens.iter().map(|t| (t.name.clone(), security::scheme(t))).collect()));
    doc.insert("components".into(), Value::Object(components));
    let mut text = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
    text.push('\n');
    let marker = |m: &str| serde_json::to_string(m).unwrap_or_default();
    let Some((head, rest)) = text.split_once(&marker(PATHS)) else { return Pieces::default() };
    let Some((middle, tail)) = rest.split_once(&marker(SCHEMAS)) else { return Pieces::default() };
    let mut out = Pieces::default();
    out.fixed(head);
    object(&mut out, v, parts.paths, 1, "paths");
    out.fixed(middle);
    object(&mut out, v, parts.schemas, 2, "schemas");
    out.fixed(tail);
    out
}

/// A JSON object at `depth` (pretty-printed as serde_json does), its entries in groups, each
/// service's group a piece of its own.
fn object(out: &mut Pieces, v: &Vendor, groups: Vec<Group>, depth: usize, part: &str) {
    let groups: Vec<_> = groups.into_iter().filter(|(_, e)| !e.is_empty()).collect();
    if groups.is_empty() {
        out.fixed("{}");
        return;
    }
    let indent = "  ".repeat(depth + 1);
    out.fixed("{\n");
    for (i, (owner, entries)) in groups.into_iter().enumerate() {
        if i > 0 {
            out.fixed(",\n");
        }
        let text: Vec<String> = entries
            .iter()
            .map(|(k, value)| {
                let value = serde_json::to_string_pretty(value).unwrap_or_default().replace('\n', &format!("\n{indent}"));
                format!("{indent}{}: {value}", serde_json::to_string(k).unwrap_or_default())
            })
            .collect();
        out.owned(owner.map(|si| pieces::key(&v.services[si].module, part)), text.join(",\n"));
    }
    out.fixed(format!("\n{}}}", "  ".repeat(depth)));
}

/// One document per vendor of the checked model: (`<vendor>.json`, its text), in the vendors' order.
pub fn documents(api: &crate::model::Api) -> Vec<(String, String)> {
    api.vendors.iter().map(|v| (format!("{}.json", v.module), to_json(v))).collect()
}

/// The operationId each operation of a vendor has in its document: by service index and
/// operation name (the Rust name, `GetUser`); `collisions` as for [`pieces()`].
pub fn operation_ids(v: &Vendor, collisions: &Collisions) -> std::collections::BTreeMap<(usize, String), String> {
    Names::new(v, collisions).operations
}

/// The document as written to disk: pretty-printed, with a final newline.
pub fn to_json(v: &Vendor) -> String {
    pieces(v, &Collisions::of(v)).text()
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
