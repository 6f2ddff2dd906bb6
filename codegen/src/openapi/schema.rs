//! JSON Schemas of the document: members, named types (structs and open enums) as component
//! schemas, and the vendor's envelope around a payload as it travels on the wire.

use serde_json::{Map, Value, json};

use super::ext;
use super::names::Names;
use crate::model::{EnvelopeUse, Limits, Member, Module, Named, Scalar, Ty, TypeDef, TypeKind, Vendor};

/// `{type: object, properties, required}` of a list of members.
pub(super) fn object_schema(names: &Names, svc: Option<usize>, fields: &[Member]) -> Value {
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
pub(super) fn constrained(names: &Names, svc: Option<usize>, m: &Member) -> Value {
    let mut s = ty_schema(names, svc, &m.ty);
    if let Some(d) = &m.description {
        s.insert("description".into(), json!(d));
    }
    if crate::names::snake(&m.wire).map(|n| crate::names::escape(&n)).as_deref() != Some(m.rust.as_str()) {
        ext::insert(&mut s, &ext::RustName(m.rust.clone()));
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
    // Likewise a default of another kind (prose the doc put in its default column), or one
    // outside the member's own limits or values (the doc contradicting itself).
    if let Some(d) = m.default.as_ref().filter(|d| fits(&m.ty, d) && obeys(m, d)) {
        s.insert("default".into(), d.clone());
    }
    // An example of another kind than the member's type (a doc defect: `"{…}"` for a map) is
    // left out: tools mock answers from it.
    if let Some(e) = m.example.as_ref().filter(|e| fits(&m.ty, e)) {
        s.insert("examples".into(), json!([e]));
    }
    Value::Object(s)
}

/// Whether a scalar value keeps to a member's limits and allowed values.
fn obeys(m: &Member, v: &Value) -> bool {
    let l = &m.limits;
    match v {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            l.min.is_none_or(|min| x >= min) && l.max.is_none_or(|max| x <= max) && (m.allowed.is_empty() || m.allowed.contains(&n.to_string()))
        }
        Value::String(t) => {
            let len = t.chars().count() as u64;
            l.min_length.is_none_or(|min| len >= min) && l.max_length.is_none_or(|max| len <= max) && (m.allowed.is_empty() || m.allowed.contains(t))
        }
        _ => true,
    }
}

/// Whether a JSON value is of the kind a type's schema says.
fn fits(ty: &Ty, v: &Value) -> bool {
    match (ty, v) {
        (Ty::Json | Ty::File, _) => true,
        (Ty::String | Ty::Secret, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::F64, Value::Number(_)) => true,
        (Ty::I32 | Ty::I64, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Ty::Vec(item), Value::Array(items)) => items.iter().all(|i| fits(item, i)),
        (Ty::Map(item), Value::Object(m)) => m.values().all(|i| fits(item, i)),
        (Ty::Named(n), Value::String(_)) => n.enum_base == Some(Scalar::String),
        (Ty::Named(n), Value::Number(x)) => n.enum_base.is_some_and(|b| b != Scalar::String) && (x.is_i64() || x.is_u64()),
        (Ty::Named(n), Value::Object(_)) => !n.is_enum(),
        _ => false,
    }
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

pub(super) fn binary() -> Value {
    json!({ "type": "string", "format": "binary", "contentMediaType": "application/octet-stream" })
}

pub(super) fn ty_schema(names: &Names, svc: Option<usize>, ty: &Ty) -> Map<String, Value> {
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
pub(super) fn type_schema(names: &Names, svc: Option<usize>, t: &TypeDef) -> Value {
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
            // The list and the sentence above are for readers; the type's own description
            // travels apart from them.
            ext::insert(&mut s, &ext::Description(t.description.clone()));
            s.insert("type".into(), json!(ty));
            if let Some(f) = format {
                s.insert("format".into(), json!(f));
            }
            let base = if ty == "string" { Ty::String } else { Ty::I64 };
            s.insert("enum".into(), Value::Array(e.variants.iter().map(|v| scalar_value(&base, &v.wire)).collect()));
            ext::insert(&mut s, &ext::OpenEnum(true));
            // openapi-generator's names for variant names and descriptions.
            ext::insert(&mut s, &ext::EnumVarnames(e.variants.iter().map(|v| v.rust.clone()).collect()));
            ext::insert(&mut s, &ext::EnumDescriptions(e.variants.iter().map(|v| v.description.clone().unwrap_or_default()).collect()));
            Value::Object(s)
        }
    }
}

/// The JSON object on the wire: the envelope's fields, and the payload under the data field
/// (`Data`) or beside the envelope's fields (`Flat`). With no payload: the envelope alone.
/// On the success response (`success`), the code is the success value (`const`). Without an
/// envelope: the payload's schema, and nothing for no payload.
pub(super) fn envelope_schema(v: &Vendor, names: &Names, svc: Option<usize>, envelope: EnvelopeUse, data: Option<&Ty>, success: bool) -> Option<Value> {
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
                if let Some(Value::String(reference)) = ty_schema(names, svc, ty).get("$ref") {
                    ext::insert(&mut s, &ext::FlatPayload(reference.clone()));
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
