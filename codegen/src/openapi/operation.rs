//! One operation of the document: parameters, request body, the success and failure answers,
//! security, and the operation's extensions (documented errors, scopes, paging, errata…).

use serde_json::{Map, Value, json};

use super::ext;
use super::names::Names;
use super::schema::{binary, constrained, envelope_schema, object_schema};
use crate::model::{ArrayStyle, BodyKind, EnvelopeUse, Member, Operation, Paging, Response, Service, Ty, Vendor};

pub(super) fn operation(v: &Vendor, names: &Names, si: usize, svc: &Service, op: &Operation) -> Value {
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
            content.insert("example".into(), without_nulls(e));
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
                    content.insert("example".into(), without_nulls(e));
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
        let errors = op
            .errors
            .iter()
            .map(|e| ext::DocumentedError { code: e.code, name: Some(e.variant.clone()), http_status: e.http_status, message: e.message.clone(), hint: e.hint.clone() })
            .collect();
        ext::insert(&mut o, &ext::DocumentedErrors(errors));
    }
    if !op.scopes.is_empty() {
        ext::insert(&mut o, &ext::Scopes(scopes(&op.scopes)));
    }
    if !op.field_scopes.is_empty() {
        ext::insert(&mut o, &ext::FieldScopes(scopes(&op.field_scopes)));
    }
    if !op.app_types.is_empty() {
        ext::insert(&mut o, &ext::AppTypes(op.app_types.clone()));
    }
    if let Some(r) = &op.rate_limit {
        ext::insert(&mut o, &ext::RateLimit(r.clone()));
    }
    if let Some(p) = &op.pagination {
        // Wire names, as the spec writes them.
        let items = p.items.wire.clone();
        let x = match &p.style {
            Paging::Cursor { input, has_more, .. } => ext::Pagination::Cursor { items, cursor: input.wire.clone(), has_more: has_more.wire.clone() },
            Paging::Page { page, size, total } => ext::Pagination::Page { items, page: page.wire.clone(), size: size.wire.clone(), total: total.wire.clone() },
        };
        ext::insert(&mut o, &x);
    }
    if let Some(d) = &op.doc_updated {
        ext::insert(&mut o, &ext::DocUpdated(d.clone()));
    }
    if let Some(note) = &op.deprecated {
        o.insert("deprecated".into(), Value::Bool(true));
        if !note.is_empty() {
            ext::insert(&mut o, &ext::DeprecatedNote(note.clone()));
        }
    }
    if !op.errata.is_empty() {
        let errata = op.errata.iter().map(|e| ext::Erratum { at: e.at.clone(), doc: e.doc.clone(), spec: e.spec.clone(), reason: e.reason.clone() }).collect();
        ext::insert(&mut o, &ext::Errata(errata));
    }
    ext::insert(&mut o, &ext::SpecFile(op.spec_file.clone()));
    Value::Object(o)
}

fn scopes(list: &[crate::model::Scope]) -> Vec<ext::Scope> {
    list.iter().map(|sc| ext::Scope { name: sc.name.clone(), description: sc.description.clone(), note: sc.note.clone() }).collect()
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
        let (explode, style, how) = match m.style {
            ArrayStyle::Repeat => (Some(true), None, None),
            ArrayStyle::Comma => (Some(false), None, None),
            ArrayStyle::Brackets => {
                (Some(true), Some(ext::ArrayStyle::Brackets), Some(format!("Sent as `{0}[]=a&{0}[]=b` (not expressible in OpenAPI; see `x-array-style`).", m.wire)))
            }
            ArrayStyle::Json => (None, Some(ext::ArrayStyle::Json), Some(format!("Sent as one JSON array: `{}=[\"a\",\"b\"]` (see `x-array-style`).", m.wire))),
        };
        if let Some(explode) = explode {
            p.insert("style".into(), json!("form"));
            p.insert("explode".into(), json!(explode));
        }
        if let Some(style) = style {
            ext::insert(&mut p, &style);
        }
        if let Some(how) = how {
            // The sentence is for readers; the spec's own description travels apart from it.
            let d = match &m.description {
                Some(d) if !d.is_empty() => format!("{d}\n\n{how}"),
                _ => how,
            };
            p.insert("description".into(), json!(d));
            ext::insert(&mut p, &ext::Description(m.description.clone()));
        }
    }
    p.insert("schema".into(), schema);
    if let Some(e) = &m.example {
        p.insert("example".into(), e.clone());
    }
    Value::Object(p)
}

/// An example without its `null` members. The checker accepts `null` only for optional fields,
/// which the client reads as absent; the schemas do not say `null`, so the document's examples
/// leave those members out and validate against their schemas.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}
