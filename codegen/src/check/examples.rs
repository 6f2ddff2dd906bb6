//! The doc's examples against the spec's types: the request example against the body fields,
//! the response example against the envelope and the payload. Each mismatch is reported at the
//! key inside the example, with its JSON path.

use super::Checker;
use crate::diagnostic::Loc;
use crate::model::{self, Member, Module, Named, Scalar, Ty, TypeDef, TypeKind};
use crate::spec::{self, Sp};

/// The doc's examples match the spec's types: the request example the body fields, the
/// response example the envelope and the payload. Each mismatch names its JSON path.
pub(super) fn check_examples(cx: &mut Checker<'_>, op: &spec::OperationFile, model_op: &model::Operation, service_types: &[TypeDef], vendor_types: &[TypeDef]) {
    let types = Types { service: service_types, vendor: vendor_types };
    if let Some(ex) = &op.response_example
        && let (Ok(value), model::Response::Json { envelope, data }) = (serde_json::from_str::<serde_json::Value>(&ex.value), &model_op.response)
    {
        let mut problems = Vec::new();
        match (&cx.vendor.envelope, data) {
            // No envelope: the example is the payload.
            (None, Some(ty)) => types.check(ty, &value, "$", &[], &mut problems),
            (None, None) => {}
            (Some(env), _) => match (&value, envelope, data) {
                (serde_json::Value::Object(map), _, _) if !map.contains_key(&env.code.value) => {
                    problems.push(format!("`$` has no `{}` field, which every answer of this vendor has", env.code.value));
                }
                (serde_json::Value::Object(map), spec::EnvelopeUse::Data, Some(ty)) => match map.get(&env.data.value) {
                    Some(data) => types.check(ty, data, &format!("$.{}", env.data.value), &[], &mut problems),
                    // An answer without a payload decodes when every field of it is optional.
                    None if types.decodes_from_nothing(ty) => {}
                    None => problems.push(format!("`$` has no `{}` field", env.data.value)),
                },
                (serde_json::Value::Object(_), spec::EnvelopeUse::Flat, Some(ty)) => {
                    let envelope_fields: Vec<&str> =
                        [Some(&env.code.value), Some(&env.message.value), env.sub_code.as_ref().map(|s| &s.value), cx.vendor.request_id.field.as_ref().map(|f| &f.value)]
                            .into_iter()
                            .flatten()
                            .map(String::as_str)
                            .collect();
                    types.check(ty, &value, "$", &envelope_fields, &mut problems);
                }
                (serde_json::Value::Object(_), _, None) => {}
                (other, _, _) => problems.push(format!("`$` is {}, not the JSON object of the envelope", kind(other))),
            },
        }
        for p in problems {
            let loc = locate_in_example(ex, &p);
            cx.err(loc, format!("the response example does not match the spec: {p}"), "fix the example (a doc defect goes under `errata`), or the type");
        }
    }
    if let (Some(ex), Some(model::Body { kind: spec::BodyKind::Json, fields })) = (&op.request_example, &model_op.body)
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&ex.value)
    {
        let mut problems = Vec::new();
        types.check_members(fields, &value, "$", &[], &mut problems);
        for p in problems {
            let loc = locate_in_example(ex, &p);
            cx.err(loc, format!("the request example does not match the spec: {p}"), "fix the example (a doc defect goes under `errata`), or the body fields");
        }
    }
}

/// An event's example (a whole delivery) against its struct: the `event` object, each mismatch
/// at its key. In schema 1.0 the event's `type` is the envelope's and may be undeclared.
pub(super) fn check_event_example(cx: &mut Checker<'_>, ex: &Sp<String>, value: &serde_json::Value, event: &TypeDef, types: &[TypeDef], schema: spec::EventSchema) {
    let types = Types { service: types, vendor: &[] };
    let TypeKind::Struct(s) = &event.kind else { return };
    let mut problems = Vec::new();
    match value.get("event") {
        Some(body) => {
            let extra: &[&str] = if schema == spec::EventSchema::V1 { &["type"] } else { &[] };
            types.check_members(&s.members, body, "$.event", extra, &mut problems);
        }
        None => problems.push("`$` has no `event` object".to_owned()),
    }
    for p in problems {
        let loc = locate_in_example(ex, &p);
        cx.err(loc, format!("the example does not match the spec: {p}"), "fix the example (a doc defect goes under `errata`), or the event's fields");
    }
}

/// The named types an example may use: the service's and the vendor's.
struct Types<'a> {
    service: &'a [TypeDef],
    vendor: &'a [TypeDef],
}

impl Types<'_> {
    fn find(&self, named: &Named) -> Option<&TypeDef> {
        let list = if named.module == Module::Vendor { self.vendor } else { self.service };
        list.iter().find(|t| t.rust == named.rust)
    }

    /// Records where `value` departs from `ty`, as `$.data.user.card: expected …, found …`.
    fn check(&self, ty: &Ty, value: &serde_json::Value, path: &str, allowed_extra: &[&str], out: &mut Vec<String>) {
        use serde_json::Value as V;
        if out.len() >= 20 {
            return;
        }
        let mismatch = |out: &mut Vec<String>, expected: &str| out.push(format!("`{path}`: expected {expected}, found {}", kind(value)));
        match (ty, value) {
            (Ty::String | Ty::Secret, V::String(_)) | (Ty::Bool, V::Bool(_)) | (Ty::Json, _) | (Ty::F64, V::Number(_)) => {}
            (Ty::I32, V::Number(n)) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
            (Ty::I64, V::Number(n)) if n.as_i64().is_some() => {}
            (Ty::String | Ty::Secret, _) => mismatch(out, "a string"),
            (Ty::Bool, _) => mismatch(out, "a boolean"),
            (Ty::F64, _) => mismatch(out, "a number"),
            (Ty::I32, _) => mismatch(out, "a 32-bit integer"),
            (Ty::I64, _) => mismatch(out, "a 64-bit integer"),
            (Ty::File, _) => {}
            (Ty::Vec(item), V::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.check(item, v, &format!("{path}[{i}]"), &[], out);
                }
            }
            (Ty::Vec(_), _) => mismatch(out, "an array"),
            (Ty::Map(item), V::Object(map)) => {
                for (k, v) in map {
                    self.check(item, v, &format!("{path}.{k}"), &[], out);
                }
            }
            (Ty::Map(_), _) => mismatch(out, "an object"),
            (Ty::Named(named), _) => {
                let Some(def) = self.find(named) else { return };
                let rust = &named.rust;
                match &def.kind {
                    TypeKind::Struct(s) => self.check_members(&s.members, value, path, allowed_extra, out),
                    TypeKind::Enum(e) => {
                        let text = match (e.base, value) {
                            (Scalar::String, V::String(s)) => s.clone(),
                            (Scalar::Int32 | spec::Scalar::Int64, V::Number(n)) if n.as_i64().is_some() => n.to_string(),
                            (Scalar::String, _) => return mismatch(out, &format!("a string (enum `{rust}`)")),
                            _ => return mismatch(out, &format!("an integer (enum `{rust}`)")),
                        };
                        if !e.variants.iter().any(|v| v.wire == text) {
                            let listed: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
                            out.push(format!("`{path}`: `{text}` is not a value of enum `{rust}` ({})", listed.join(", ")));
                        }
                    }
                }
            }
        }
    }

    /// Whether a missing payload decodes as this type (from `null` or `{}`).
    fn decodes_from_nothing(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Json | Ty::Map(_) => true,
            Ty::Named(n) => match self.find(n).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s.members.iter().all(|m| !m.required),
                _ => false,
            },
            _ => false,
        }
    }

    fn check_members(&self, members: &[Member], value: &serde_json::Value, path: &str, allowed_extra: &[&str], out: &mut Vec<String>) {
        let serde_json::Value::Object(map) = value else {
            out.push(format!("`{path}`: expected an object, found {}", kind(value)));
            return;
        };
        for m in members {
            match map.get(&m.wire) {
                Some(serde_json::Value::Null) if !m.required => {}
                Some(v) => self.check(&m.ty, v, &format!("{path}.{}", m.wire), &[], out),
                None if m.required => out.push(format!("`{path}` lacks the required field `{}`", m.wire)),
                None => {}
            }
        }
        for key in map.keys() {
            if !members.iter().any(|m| &m.wire == key) && !allowed_extra.contains(&key.as_str()) {
                out.push(format!("`{path}.{key}` is not a field of the spec's type"));
            }
        }
    }
}

/// Where in the file the last key of a problem's JSON path is written, when the example is a
/// block scalar (`response: |`, the usual form); else the start of the example.
fn locate_in_example(ex: &Sp<String>, problem: &str) -> Loc {
    let path = problem.split('`').nth(1).unwrap_or_default();
    let text = &ex.value;
    // Walk the path: each key is searched after the previous one; an array index `[n]` skips
    // the first n occurrences of the key that follows (one per earlier element).
    let mut pos = 0;
    let mut found: Option<(usize, usize)> = None;
    let mut skip = 0;
    for seg in path.trim_start_matches('$').split('.').filter(|s| !s.is_empty()) {
        let mut parts = seg.split('[');
        let key = parts.next().unwrap_or_default();
        if !key.is_empty() {
            let needle = format!("\"{key}\"");
            let mut from = pos;
            let mut hit = None;
            for _ in 0..=skip {
                match text.get(from..).and_then(|t| t.find(&needle)) {
                    Some(i) => {
                        hit = Some(from + i);
                        from += i + needle.len();
                    }
                    None => {
                        hit = None;
                        break;
                    }
                }
            }
            let Some(at) = hit else { break };
            found = Some((at, needle.len()));
            pos = at + needle.len();
            skip = 0;
        }
        for index in parts {
            skip = index.trim_end_matches(']').parse().unwrap_or(0);
        }
    }
    let block = text.contains('\n') && ex.loc.col > 1;
    let (Some((at, len)), true) = (found, block) else {
        return ex.loc;
    };
    let indent = ex.loc.col as usize - 1;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let col_chars = text[line_start..at].chars().count();
    // Every content line after the first is preceded in the file by the block's indentation.
    let start = ex.loc.start + at + line * indent;
    Loc { file: ex.loc.file, line: ex.loc.line + line as u32, col: (indent + col_chars + 1) as u32, start, end: start + len }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
