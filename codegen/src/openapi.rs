//! One OpenAPI 3.1 document per vendor, rendered from the checked model
//! (`cargo xtask openapi export`, see `docs/openapi.md`).
//!
//! Objects are built key by key in a fixed order (serde_json keeps insertion order in this
//! workspace), so the output is byte-identical from run to run. Response schemas describe the
//! bytes on the wire: the vendor's envelope around the payload, not the payload the client
//! returns.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::{ArrayStyle, BodyKind, EnvelopeUse, Host, Limits, Member, Module, Named, Operation, Paging, Response, Scalar, Service, Ty, TypeDef, TypeKind, Vendor};

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
    doc.insert("x-generated-by".into(), json!(GENERATED_BY));
    doc.insert("x-vendor".into(), vendor_extension(v));
    doc.insert("servers".into(), Value::Array(servers(v)));
    if let Some(d) = &v.docs {
        doc.insert("externalDocs".into(), json!({ "url": d }));
    }
    doc.insert("tags".into(), Value::Array(v.services.iter().map(tag).collect()));

    let mut paths = Map::new();
    for (si, svc) in v.services.iter().enumerate() {
        for op in &svc.operations {
            let item = paths.entry(op.path.clone()).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(item) = item {
                item.insert(op.method.as_str().to_ascii_lowercase(), operation(v, &names, si, svc, op));
            }
        }
    }
    doc.insert("paths".into(), Value::Object(paths));

    let mut components = Map::new();
    let mut schemas = Map::new();
    for t in &v.types {
        schemas.insert(names.component(None, &t.rust), type_schema(&names, None, t));
    }
    for (si, svc) in v.services.iter().enumerate() {
        for t in &svc.types {
            let mut schema = type_schema(&names, Some(si), t);
            if let Value::Object(s) = &mut schema {
                s.insert("x-service".into(), json!(svc.path.join("/")));
            }
            schemas.insert(names.component(Some(si), &t.rust), schema);
        }
    }
    components.insert("schemas".into(), Value::Object(schemas));
    let mut schemes = Map::new();
    for t in &v.tokens {
        let how = if t.exchange.is_some() {
            "The client fetches it itself (token exchange with the vendor's credentials) and caches it until it expires."
        } else {
            "Passed per request by the caller."
        };
        let mut s = Map::new();
        let bearer = t.header.eq_ignore_ascii_case("authorization") && t.prefix == "Bearer ";
        if bearer {
            s.insert("type".into(), json!("http"));
            s.insert("scheme".into(), json!("bearer"));
        } else {
            s.insert("type".into(), json!("apiKey"));
            s.insert("in".into(), json!("header"));
            s.insert("name".into(), json!(t.header));
        }
        let mut d = t.description.clone().unwrap_or_default();
        if !d.is_empty() {
            d.push(' ');
        }
        d.push_str(how);
        if !bearer && !t.prefix.is_empty() {
            d.push_str(&format!(" The header value is `{}` followed by the token.", t.prefix));
        }
        s.insert("description".into(), json!(d));
        if let Some(x) = &t.exchange {
            let body: Map<String, Value> = x.body.iter().map(|b| (b.field.clone(), json!(b.credential))).collect();
            let headers: Map<String, Value> = x
                .headers
                .iter()
                .map(|h| {
                    let mut b = Map::new();
                    if let Some(c) = &h.jwt_claim {
                        b.insert("jwt_claim".into(), json!(c));
                    }
                    if let Some(c) = &h.credential {
                        b.insert("credential".into(), json!(c));
                    }
                    (h.name.clone(), Value::Object(b))
                })
                .collect();
            s.insert(
                "x-token-exchange".into(),
                json!({ "method": x.method.as_str(), "path": x.path, "request": body, "token": x.token.join("."), "expires_in": x.expires_in.join("."), "headers": headers }),
            );
        }
        if !t.prefix.is_empty() {
            s.insert("x-token-prefix".into(), json!(t.prefix));
        }
        schemes.insert(t.name.clone(), Value::Object(s));
    }
    components.insert("securitySchemes".into(), Value::Object(schemes));
    doc.insert("components".into(), Value::Object(components));
    Value::Object(doc)
}

/// One document per vendor of the checked model: (`<vendor>.json`, its text), in the vendors' order.
pub fn documents(api: &crate::model::Api) -> Vec<(String, String)> {
    api.vendors.iter().map(|v| (format!("{}.json", v.module), to_json(v))).collect()
}

/// The document as written to disk: pretty-printed, with a final newline.
pub fn to_json(v: &Vendor) -> String {
    let mut s = serde_json::to_string_pretty(&document(v)).unwrap_or_default();
    s.push('\n');
    s
}

fn servers(v: &Vendor) -> Vec<Value> {
    let first = v.hosts.iter().position(|h| h.url == v.default_host).unwrap_or(0);
    let hosts: Vec<&Host> = v.hosts.get(first).into_iter().chain(v.hosts.iter().enumerate().filter(|(i, _)| *i != first).map(|(_, h)| h)).collect();
    if hosts.is_empty() {
        return vec![json!({ "url": v.default_host })];
    }
    hosts.into_iter().map(|h| json!({ "url": h.url, "description": h.name })).collect()
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
        t.insert("x-feature".into(), json!(f));
    }
    Value::Object(t)
}

/// What `vendor.yaml` says that OpenAPI has no place for, so that an import gets it back:
/// the module name, the envelope, request ids, credentials and the codes the client acts on.
fn vendor_extension(v: &Vendor) -> Value {
    let mut x = Map::new();
    x.insert("name".into(), json!(v.module));
    x.insert(
        "envelope".into(),
        match &v.envelope {
            None => json!("none"),
            Some(e) => {
                let mut m = Map::new();
                m.insert("code".into(), json!(e.code));
                if let Some(s) = &e.sub_code {
                    m.insert("sub_code".into(), json!(s));
                }
                m.insert("message".into(), json!(e.message));
                m.insert("data".into(), json!(e.data));
                m.insert("success".into(), json!(e.success));
                Value::Object(m)
            }
        },
    );
    let mut rid = Map::new();
    if !v.request_id_headers.is_empty() {
        rid.insert("headers".into(), json!(v.request_id_headers));
    }
    if let Some(f) = &v.request_id_field {
        rid.insert("field".into(), json!(f));
    }
    if !rid.is_empty() {
        x.insert("request_id".into(), Value::Object(rid));
    }
    let creds: Map<String, Value> = v
        .credentials
        .iter()
        .map(|c| {
            let mut m = Map::new();
            if let Some(d) = &c.description {
                m.insert("description".into(), json!(d));
            }
            if c.secret {
                m.insert("secret".into(), json!(true));
            }
            (c.name.clone(), Value::Object(m))
        })
        .collect();
    if !creds.is_empty() {
        x.insert("credentials".into(), Value::Object(creds));
    }
    let signals = |codes: &[i64], statuses: &[u16]| {
        let mut m = Map::new();
        if !codes.is_empty() {
            m.insert("codes".into(), json!(codes));
        }
        if !statuses.is_empty() {
            m.insert("http_status".into(), json!(statuses));
        }
        m
    };
    let ti = signals(&v.token_invalid_codes, &v.token_invalid_statuses);
    if !ti.is_empty() {
        x.insert("token_invalid".into(), Value::Object(ti));
    }
    let mut rl = signals(&v.rate_limit_codes, &v.rate_limit_statuses);
    if let Some(h) = &v.rate_limit_reset_header {
        rl.insert("reset_header".into(), json!(h));
    }
    if !rl.is_empty() {
        x.insert("rate_limit".into(), Value::Object(rl));
    }
    Value::Object(x)
}

/// Component names and operation ids, prefixed with the service module only where plain names
/// would collide.
struct Names {
    /// (service index or `None` for vendor-wide, Rust name) → component name.
    schemas: BTreeMap<(Option<usize>, String), String>,
    /// (service index, operation name) → operationId.
    operations: BTreeMap<(usize, String), String>,
}

impl Names {
    fn new(v: &Vendor) -> Names {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for t in v.types.iter().chain(v.services.iter().flat_map(|s| &s.types)) {
            *count.entry(&t.rust).or_default() += 1;
        }
        let mut schemas = BTreeMap::new();
        for t in &v.types {
            schemas.insert((None, t.rust.clone()), t.rust.clone());
        }
        for (si, svc) in v.services.iter().enumerate() {
            for t in &svc.types {
                let name = if count[t.rust.as_str()] > 1 { format!("{}.{}", svc.module, t.rust) } else { t.rust.clone() };
                schemas.insert((Some(si), t.rust.clone()), name);
            }
        }
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for op in v.services.iter().flat_map(|s| &s.operations) {
            *count.entry(&op.name).or_default() += 1;
        }
        let mut operations = BTreeMap::new();
        for (si, svc) in v.services.iter().enumerate() {
            for op in &svc.operations {
                let id = if count[op.name.as_str()] > 1 { format!("{}.{}", svc.module, op.name) } else { op.name.clone() };
                operations.insert((si, op.name.clone()), id);
            }
        }
        Names { schemas, operations }
    }

    fn component(&self, svc: Option<usize>, rust: &str) -> String {
        self.schemas.get(&(svc, rust.to_owned())).cloned().unwrap_or_else(|| rust.to_owned())
    }

    fn reference(&self, svc: Option<usize>, named: &Named) -> String {
        let at = if named.module == Module::Vendor { None } else { svc };
        format!("#/components/schemas/{}", self.component(at, &named.rust))
    }
}

fn operation(v: &Vendor, names: &Names, si: usize, svc: &Service, op: &Operation) -> Value {
    let svc_at = Some(si);
    let mut o = Map::new();
    o.insert("operationId".into(), json!(names.operations.get(&(si, op.name.clone())).cloned().unwrap_or_else(|| op.name.clone())));
    o.insert("summary".into(), json!(op.title));
    if let Some(d) = &op.description {
        o.insert("description".into(), json!(d));
    }
    o.insert("tags".into(), json!([svc.path.join("/")]));
    if let Some(u) = &op.doc_url {
        o.insert("externalDocs".into(), json!({ "url": u }));
    }
    let mut params = Vec::new();
    for (place, list) in [("path", &op.path_params), ("query", &op.query_params), ("header", &op.header_params)] {
        for m in list {
            params.push(parameter(names, svc_at, place, m));
        }
    }
    if !params.is_empty() {
        o.insert("parameters".into(), Value::Array(params));
    }
    if let Some(crate::model::Body { kind, fields }) = &op.body {
        let media = match kind {
            BodyKind::Json => "application/json",
            BodyKind::Multipart => "multipart/form-data",
        };
        let schema = object_schema(names, svc_at, fields);
        let mut content = Map::new();
        content.insert("schema".into(), schema);
        if let Some(e) = op.request_example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok()) {
            content.insert("example".into(), e);
        }
        o.insert("requestBody".into(), json!({ "required": true, "content": { media: Value::Object(content) } }));
    }
    let mut responses = Map::new();
    match &op.response {
        Response::Binary => {
            responses.insert("200".into(), json!({ "description": "The file's bytes.", "content": { "application/octet-stream": { "schema": binary() } } }));
        }
        Response::Json { envelope, data } => {
            let what = match (&v.envelope, envelope, data) {
                (None, _, None) => "Success.".to_owned(),
                (None, _, Some(_)) => "Success: the payload.".to_owned(),
                (Some(e), _, None) => format!("Success: the envelope with `{}` = {}.", e.code, e.success),
                (Some(e), EnvelopeUse::Data, Some(_)) => format!("Success: the envelope with `{}` = {}, the payload under `{}`.", e.code, e.success, e.data),
                (Some(e), EnvelopeUse::Flat, Some(_)) => format!("Success: the envelope with `{}` = {}, the payload's fields beside it.", e.code, e.success),
            };
            let mut response = Map::new();
            response.insert("description".into(), json!(what));
            if let Some(schema) = envelope_schema(v, names, svc_at, *envelope, data.as_ref(), true) {
                let mut content = Map::new();
                content.insert("schema".into(), schema);
                if let Some(e) = op.response_example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok()) {
                    content.insert("example".into(), e);
                }
                response.insert("content".into(), json!({ "application/json": Value::Object(content) }));
            }
            responses.insert("200".into(), Value::Object(response));
        }
    }
    if v.envelope.is_none() {
        // Documented errors are HTTP statuses: each is a response of its own.
        for e in &op.errors {
            let hint = e.hint.as_ref().map(|h| format!(" — {h}")).unwrap_or_default();
            responses.entry(e.code.to_string()).or_insert_with(|| json!({ "description": format!("{}{hint}", e.message) }));
        }
    }
    let mut what = match &v.envelope {
        Some(e) => format!("Failure: the envelope with `{}` ≠ {} (any HTTP status, including 200).", e.code, e.success),
        None => "Failure: any other status.".to_owned(),
    };
    if !op.errors.is_empty() {
        what.push_str(" Documented errors:\n");
        for e in &op.errors {
            let status = e.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            let hint = e.hint.as_ref().map(|h| format!(" — {h}")).unwrap_or_default();
            what.push_str(&format!("\n- `{}`{status}: {}{hint}", e.code, e.message));
        }
    }
    let mut failure = Map::new();
    failure.insert("description".into(), json!(what));
    if let Some(schema) = envelope_schema(v, names, svc_at, EnvelopeUse::Data, None, false) {
        failure.insert("content".into(), json!({ "application/json": { "schema": schema } }));
    }
    responses.insert("default".into(), Value::Object(failure));
    o.insert("responses".into(), Value::Object(responses));
    o.insert("security".into(), Value::Array(op.tokens.iter().map(|t| json!({ t: [] })).collect()));
    if !op.errors.is_empty() {
        let errors: Vec<Value> = op
            .errors
            .iter()
            .map(|e| {
                let mut x = Map::new();
                x.insert("code".into(), json!(e.code));
                x.insert("name".into(), json!(e.variant));
                if let Some(s) = e.http_status {
                    x.insert("http_status".into(), json!(s));
                }
                x.insert("message".into(), json!(e.message));
                if let Some(h) = &e.hint {
                    x.insert("hint".into(), json!(h));
                }
                Value::Object(x)
            })
            .collect();
        o.insert("x-documented-errors".into(), Value::Array(errors));
    }
    if !op.scopes.is_empty() {
        o.insert("x-scopes".into(), scopes(&op.scopes));
    }
    if !op.field_scopes.is_empty() {
        o.insert("x-field-scopes".into(), scopes(&op.field_scopes));
    }
    if !op.app_types.is_empty() {
        o.insert("x-app-types".into(), json!(op.app_types));
    }
    if let Some(r) = &op.rate_limit {
        o.insert("x-rate-limit".into(), json!(r));
    }
    if let Some(p) = &op.pagination {
        // Wire names, as the spec writes them.
        let x = match &p.style {
            Paging::Cursor { input, has_more, .. } => json!({
                "style": "cursor",
                "items": p.items.wire,
                "cursor": input.wire,
                "has_more": has_more.wire,
            }),
            Paging::Page { page, size, total } => json!({
                "style": "page",
                "items": p.items.wire,
                "page": page.wire,
                "size": size.wire,
                "total": total.wire,
            }),
        };
        o.insert("x-pagination".into(), x);
    }
    if let Some(d) = &op.doc_updated {
        o.insert("x-doc-updated".into(), json!(d));
    }
    if !op.errata.is_empty() {
        let errata: Vec<Value> = op.errata.iter().map(|e| json!({ "at": e.at, "doc": e.doc, "spec": e.spec, "reason": e.reason })).collect();
        o.insert("x-errata".into(), Value::Array(errata));
    }
    o.insert("x-spec-file".into(), json!(op.spec_file));
    Value::Object(o)
}

fn scopes(list: &[crate::model::Scope]) -> Value {
    Value::Array(
        list.iter()
            .map(|sc| {
                let mut x = Map::new();
                x.insert("name".into(), json!(sc.name));
                if let Some(d) = &sc.description {
                    x.insert("description".into(), json!(d));
                }
                if let Some(n) = &sc.note {
                    x.insert("note".into(), json!(n));
                }
                Value::Object(x)
            })
            .collect(),
    )
}

fn parameter(names: &Names, svc: Option<usize>, place: &str, m: &Member) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), json!(m.wire));
    p.insert("in".into(), json!(place));
    if let Some(d) = &m.description {
        p.insert("description".into(), json!(d));
    }
    p.insert("required".into(), json!(m.required || place == "path"));
    let mut schema = constrained(names, svc, m);
    if let Value::Object(s) = &mut schema {
        // The parameter carries the description and the example.
        s.remove("description");
        s.remove("examples");
    }
    if place == "query" && matches!(m.ty, Ty::Vec(_)) {
        match m.style {
            ArrayStyle::Repeat => {
                p.insert("style".into(), json!("form"));
                p.insert("explode".into(), json!(true));
            }
            ArrayStyle::Comma => {
                p.insert("style".into(), json!("form"));
                p.insert("explode".into(), json!(false));
            }
            ArrayStyle::Brackets => {
                p.insert("style".into(), json!("form"));
                p.insert("explode".into(), json!(true));
                p.insert("x-array-style".into(), json!("brackets"));
                append_description(&mut p, &format!("Sent as `{0}[]=a&{0}[]=b` (not expressible in OpenAPI; see `x-array-style`).", m.wire));
            }
            ArrayStyle::Json => {
                p.insert("x-array-style".into(), json!("json"));
                append_description(&mut p, &format!("Sent as one JSON array: `{}=[\"a\",\"b\"]` (see `x-array-style`).", m.wire));
            }
        }
    }
    p.insert("schema".into(), schema);
    if let Some(e) = &m.example {
        p.insert("example".into(), e.clone());
    }
    Value::Object(p)
}

fn append_description(p: &mut Map<String, Value>, text: &str) {
    let d = match p.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => format!("{d}\n\n{text}"),
        _ => text.to_owned(),
    };
    p.insert("description".into(), json!(d));
}

/// `{type: object, properties, required}` of a list of members.
fn object_schema(names: &Names, svc: Option<usize>, fields: &[Member]) -> Value {
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    let mut props = Map::new();
    for m in fields {
        props.insert(m.wire.clone(), constrained(names, svc, m));
    }
    s.insert("properties".into(), Value::Object(props));
    let required: Vec<&str> = fields.iter().filter(|m| m.required).map(|m| m.wire.as_str()).collect();
    if !required.is_empty() {
        s.insert("required".into(), json!(required));
    }
    Value::Object(s)
}

/// The schema of a member: its type, with description, allowed values, default, limits and
/// example.
fn constrained(names: &Names, svc: Option<usize>, m: &Member) -> Value {
    let mut s = ty_schema(names, svc, &m.ty);
    if let Some(d) = &m.description {
        s.insert("description".into(), json!(d));
    }
    if crate::names::snake(&m.wire).map(|n| crate::names::escape(&n)).as_deref() != Some(m.rust.as_str()) {
        s.insert("x-rust-name".into(), json!(m.rust));
    }
    // Allowed values and scalar limits constrain the items of an array.
    let item_ty = match &m.ty {
        Ty::Vec(inner) => inner.as_ref(),
        other => other,
    };
    let mut scalar = Map::new();
    // An enum type's values live in its component; repeating them here would be redundant.
    if !m.allowed.is_empty() && !item_ty.is_enum() {
        let values: Vec<Value> = m.allowed.iter().map(|a| scalar_value(item_ty, a)).collect();
        scalar.insert("enum".into(), Value::Array(values));
    }
    limits(&m.limits, &mut scalar);
    if let Some(n) = m.limits.min_items {
        s.insert("minItems".into(), json!(n));
    }
    if let Some(n) = m.limits.max_items {
        s.insert("maxItems".into(), json!(n));
    }
    match (&m.ty, s.get_mut("items")) {
        (Ty::Vec(_), Some(Value::Object(items))) => items.extend(scalar),
        _ => s.extend(scalar),
    }
    if let Some(d) = &m.default {
        s.insert("default".into(), d.clone());
    }
    if let Some(e) = &m.example {
        s.insert("examples".into(), json!([e]));
    }
    Value::Object(s)
}

fn limits(l: &Limits, s: &mut Map<String, Value>) {
    if let Some(n) = l.min {
        s.insert("minimum".into(), number(n));
    }
    if let Some(n) = l.max {
        s.insert("maximum".into(), number(n));
    }
    if let Some(n) = l.min_length {
        s.insert("minLength".into(), json!(n));
    }
    if let Some(n) = l.max_length {
        s.insert("maxLength".into(), json!(n));
    }
    if let Some(p) = &l.pattern {
        s.insert("pattern".into(), json!(p));
    }
}

/// A whole number as an integer (`10`, not `10.0`).
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return json!(n as i64);
    }
    json!(n)
}

/// An allowed value written as a string in the spec, as JSON of the member's type.
fn scalar_value(ty: &Ty, raw: &str) -> Value {
    match ty {
        Ty::I32 | Ty::I64 => raw.parse::<i64>().map_or_else(|_| json!(raw), |n| json!(n)),
        Ty::F64 => raw.parse::<f64>().map_or_else(|_| json!(raw), number),
        Ty::Bool => raw.parse::<bool>().map_or_else(|_| json!(raw), |b| json!(b)),
        _ => json!(raw),
    }
}

fn binary() -> Value {
    json!({ "type": "string", "format": "binary", "contentMediaType": "application/octet-stream" })
}

fn ty_schema(names: &Names, svc: Option<usize>, ty: &Ty) -> Map<String, Value> {
    let v = match ty {
        Ty::String => json!({ "type": "string" }),
        Ty::I32 => json!({ "type": "integer", "format": "int32" }),
        Ty::I64 => json!({ "type": "integer", "format": "int64" }),
        Ty::F64 => json!({ "type": "number", "format": "double" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Json => json!({}),
        Ty::File => binary(),
        Ty::Secret => json!({ "type": "string", "format": "password" }),
        Ty::Vec(inner) => json!({ "type": "array", "items": Value::Object(ty_schema(names, svc, inner)) }),
        Ty::Map(inner) => json!({ "type": "object", "additionalProperties": Value::Object(ty_schema(names, svc, inner)) }),
        Ty::Named(n) => json!({ "$ref": names.reference(svc, n) }),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A component schema: a struct as an object, an open enum as its listed values.
fn type_schema(names: &Names, svc: Option<usize>, t: &TypeDef) -> Value {
    match &t.kind {
        TypeKind::Struct(def) => {
            let fields = &def.members;
            let mut s = Map::new();
            if t.wire != t.rust {
                s.insert("title".into(), json!(t.wire));
            }
            if let Some(d) = &t.description {
                s.insert("description".into(), json!(d));
            }
            if let Value::Object(o) = object_schema(names, svc, fields) {
                s.extend(o);
            }
            Value::Object(s)
        }
        TypeKind::Enum(e) => {
            let mut s = Map::new();
            let (ty, format) = match e.base {
                Scalar::String => ("string", None),
                Scalar::Int32 => ("integer", Some("int32")),
                Scalar::Int64 => ("integer", Some("int64")),
            };
            if t.wire != t.rust {
                s.insert("title".into(), json!(t.wire));
            }
            let mut d = t.description.clone().unwrap_or_default();
            let listed: Vec<String> = e.variants.iter().map(|v| format!("- `{}`{}", v.wire, v.description.as_ref().map(|d| format!(": {d}")).unwrap_or_default())).collect();
            if !d.is_empty() {
                d.push_str("\n\n");
            }
            d.push_str("An open enum: the client also accepts values outside this list.\n\n");
            d.push_str(&listed.join("\n"));
            s.insert("description".into(), json!(d));
            s.insert("type".into(), json!(ty));
            if let Some(f) = format {
                s.insert("format".into(), json!(f));
            }
            let base = if ty == "string" { Ty::String } else { Ty::I64 };
            s.insert("enum".into(), Value::Array(e.variants.iter().map(|v| scalar_value(&base, &v.wire)).collect()));
            s.insert("x-open-enum".into(), json!(true));
            // openapi-generator's names for variant names and descriptions.
            s.insert("x-enum-varnames".into(), json!(e.variants.iter().map(|v| v.rust.clone()).collect::<Vec<_>>()));
            s.insert("x-enum-descriptions".into(), json!(e.variants.iter().map(|v| v.description.clone().unwrap_or_default()).collect::<Vec<_>>()));
            Value::Object(s)
        }
    }
}

/// The JSON object on the wire: the envelope's fields, and the payload under the data field
/// (`Data`) or beside the envelope's fields (`Flat`). With no payload: the envelope alone.
/// On the success response (`success`), the code is the success value (`const`). Without an
/// envelope: the payload's schema, and nothing for no payload.
fn envelope_schema(v: &Vendor, names: &Names, svc: Option<usize>, envelope: EnvelopeUse, data: Option<&Ty>, success: bool) -> Option<Value> {
    let Some(env) = &v.envelope else {
        return data.map(|ty| Value::Object(ty_schema(names, svc, ty)));
    };
    let mut props = Map::new();
    let code = if success {
        json!({ "type": "integer", "const": env.success, "description": "The success code." })
    } else {
        json!({ "type": "integer", "not": { "const": env.success }, "description": format!("Any value but {}: the error's code.", env.success) })
    };
    props.insert(env.code.clone(), code);
    props.insert(env.message.clone(), json!({ "type": "string", "description": "A message; on failure, what went wrong." }));
    if let Some(sub) = &env.sub_code {
        props.insert(sub.clone(), json!({ "type": "integer", "description": "A finer error code, on failure." }));
    }
    if let Some(f) = &v.request_id_field {
        props.insert(f.clone(), json!({ "type": "string", "description": "The request's id, for the vendor's support." }));
    }
    let mut required = vec![json!(env.code)];
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    match (envelope, data) {
        (_, None) => {}
        (EnvelopeUse::Data, Some(ty)) => {
            props.insert(env.data.clone(), Value::Object(ty_schema(names, svc, ty)));
        }
        (EnvelopeUse::Flat, Some(ty)) => match flat_fields(v, svc, ty) {
            Some(fields) => {
                // Which type the merged fields are, for an import to name it again.
                if let Value::Object(r) = Value::Object(ty_schema(names, svc, ty))
                    && let Some(reference) = r.get("$ref")
                {
                    s.insert("x-flat-payload".into(), reference.clone());
                }
                if let Value::Object(o) = object_schema(names, svc, fields) {
                    if let Some(Value::Object(p)) = o.get("properties") {
                        props.extend(p.clone());
                    }
                    if let Some(Value::Array(r)) = o.get("required") {
                        required.extend(r.iter().cloned());
                    }
                }
            }
            None => {
                s.insert("allOf".into(), json!([Value::Object(ty_schema(names, svc, ty))]));
            }
        },
    }
    s.insert("properties".into(), Value::Object(props));
    s.insert("required".into(), Value::Array(required));
    Some(Value::Object(s))
}

/// The fields of a flat payload's struct.
fn flat_fields<'a>(v: &'a Vendor, svc: Option<usize>, ty: &Ty) -> Option<&'a [Member]> {
    let Ty::Named(n) = ty else { return None };
    named_fields(v, svc, n)
}

/// The fields of a named struct, seen from service `svc`.
fn named_fields<'a>(v: &'a Vendor, svc: Option<usize>, n: &Named) -> Option<&'a [Member]> {
    let list: &[TypeDef] = match (n.module, svc) {
        (Module::Vendor, _) | (Module::Service, None) => &v.types,
        (Module::Service, Some(i)) => &v.services[i].types,
    };
    match &list.iter().find(|t| t.rust == n.rust)?.kind {
        TypeKind::Struct(def) => Some(&def.members),
        TypeKind::Enum(_) => None,
    }
}
