//! The doc's examples held against its tables. Where they disagree the table usually wins (the
//! example is repaired: a string-encoded array parsed, a lone object wrapped in an array, a
//! number written as text converted), but a field only the example has, or a name only the
//! example gives, is taken from the example. Each repair is a warning with the page line and an
//! erratum in the spec.

use codegen::spec::*;
use serde_json::{Map, Value};

use crate::build::{Builder, located_json};
use crate::draft::{Draft, WarningKind};

impl Builder {
    pub(crate) fn examples(&mut self, d: &Draft, op: &mut OperationFile, vendor: &str) {
        let envelope: &[&str] = if vendor == "feishu" { &["code", "msg"] } else { &["statusCode", "message", "apiCode", "requestId"] };
        if let Some(ex) = &d.response_example {
            match located_json(&d.response_example) {
                Some((line, mut value)) => {
                    let before = value.clone();
                    self.envelope(&mut value, op, vendor, line);
                    if let Value::Object(map) = &mut value {
                        if vendor == "authing" {
                            // The error-code page: apiCode comes only with failures.
                            if map.get("statusCode").and_then(Value::as_i64) == Some(200) && map.remove("apiCode").is_some() {
                                self.repair(
                                    line,
                                    WarningKind::Other,
                                    "$.apiCode",
                                    "`apiCode` in a successful answer",
                                    "no apiCode",
                                    "apiCode accompanies failures only; the successful example's apiCode was removed",
                                );
                            }
                        }
                        match (op.response.envelope, op.response.data.as_mut()) {
                            (EnvelopeUse::Data, Some(data)) => {
                                // A successful answer without its list: the list is empty.
                                if !map.contains_key("data") && matches!(data.ty.value, TypeExpr::Array(_)) && succeeded(map, vendor) {
                                    self.repair(
                                        line,
                                        WarningKind::ExampleFieldMismatch,
                                        "$.data",
                                        "a successful answer without `data`",
                                        "`data` as an empty list",
                                        "the answer's data is a list, which the example leaves out; it is shown empty, as an answer without items has it",
                                    );
                                    map.insert("data".to_owned(), Value::Array(Vec::new()));
                                }
                                if let Some(v) = map.get_mut("data") {
                                    let (ty, fields) = (&mut data.ty.value, &mut data.fields);
                                    self.value(v, ty, fields, data.values.as_mut(), "$.data", line);
                                }
                            }
                            (EnvelopeUse::Flat, Some(data)) => {
                                if let Some(fields) = data.fields.as_mut() {
                                    let mut body: Map<String, Value> = map.iter().filter(|(k, _)| !envelope.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
                                    self.object(&mut body, fields, "$", line, None);
                                    for (k, v) in body {
                                        map.insert(k, v);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    op.response_example = Some(example_text(&ex.value, &before, &value));
                }
                None if !ex.value.trim().is_empty() => {
                    self.warn(ex.line, WarningKind::Other, "the response example is not JSON; it was left out".to_owned());
                }
                None => {}
            }
        }
        if let (Some(ex), Some(body)) = (&d.request_example, op.body.as_mut()) {
            match (located_json(&d.request_example), body.kind) {
                (Some((line, mut value)), BodyKind::Json) => {
                    let before = value.clone();
                    match &mut value {
                        Value::Object(map) => self.object(map, &mut body.fields, "$", line, None),
                        _ => self.warn(line, WarningKind::ExampleTypeMismatch, "the request example is not a JSON object; it was left out".to_owned()),
                    }
                    if value.is_object() {
                        op.request_example = Some(example_text(&ex.value, &before, &value));
                    }
                }
                // A multipart sample is not JSON and not kept; nothing is wrong with the page.
                (_, BodyKind::Multipart) => {}
                (None, BodyKind::Json) => self.warn(ex.line, WarningKind::Other, "the request example is not JSON; it was left out".to_owned()),
            }
        }
    }

    /// An answer documented without the vendor's envelope: the example gets the envelope's code
    /// and message (a bare payload is put under `data` too), so it reads as the answers do.
    fn envelope(&mut self, value: &mut Value, op: &OperationFile, vendor: &str, line: usize) {
        let (code, message, success_code, success_message) = if vendor == "feishu" { ("code", "msg", 0, "success") } else { ("statusCode", "message", 200, "") };
        if op.response.kind != ResponseKind::Json {
            return;
        }
        let Value::Object(map) = value else { return };
        if map.contains_key(code) {
            return;
        }
        let bare = op.response.envelope == EnvelopeUse::Data && !map.contains_key("data");
        if bare {
            let payload = Value::Object(std::mem::take(map));
            map.insert("data".to_owned(), payload);
        }
        let mut with_envelope = Map::new();
        with_envelope.insert(code.to_owned(), Value::from(success_code));
        with_envelope.insert(message.to_owned(), Value::from(success_message));
        with_envelope.extend(std::mem::take(map));
        *map = with_envelope;
        let what = if bare { "the payload alone" } else { "no envelope code" };
        self.repair(
            line,
            WarningKind::ExampleFieldMismatch,
            "$",
            what,
            &format!("`{code}` and `{message}` added"),
            "every answer carries the envelope; the example shows it without, so the spec's example has it added",
        );
    }

    /// Records a repair: a warning for the report, an erratum for the spec.
    pub(crate) fn repair(&mut self, line: usize, kind: WarningKind, at: &str, doc: &str, spec: &str, why: &str) {
        self.warn(line, kind, format!("example `{at}`: {why}"));
        self.errata.push(Erratum { at: format!("example {at}"), doc: doc.to_owned(), spec: spec.to_owned(), reason: format!("{why} (found by the importer)") });
    }

    fn value(&mut self, v: &mut Value, ty: &mut TypeExpr, inline: &mut Option<Vec<Field>>, values: Option<&mut Vec<EnumValue>>, at: &str, line: usize) {
        if self.example_shapes && self.list_of_structs(v, ty) {
            self.repair(
                line,
                WarningKind::ExampleTypeMismatch,
                at,
                "one object",
                "a list of them",
                "the table says one object but the example, a delivery as sent, has a list of them; the field is a list",
            );
            *ty = TypeExpr::Array(Box::new(ty.clone()));
            return self.value(v, ty, inline, values, at, line);
        }
        match ty {
            TypeExpr::Json | TypeExpr::File => {}
            TypeExpr::String => match v {
                Value::String(s) => check_enum(self, s, values, at, line),
                Value::Number(_) | Value::Bool(_) => {
                    let text = v.to_string();
                    self.repair(line, WarningKind::ExampleTypeMismatch, at, &format!("{text}, not a string"), &format!("\"{text}\""), "the table says string");
                    *v = Value::String(text);
                }
                Value::Null => {}
                // A string of listed values cannot be JSON text.
                Value::Array(_) | Value::Object(_) if values.is_some() => self.mismatch(v, at, "a string", line),
                Value::Array(_) | Value::Object(_) => {
                    let text = v.to_string();
                    let found = kind(v);
                    self.repair(
                        line,
                        WarningKind::ExampleTypeMismatch,
                        at,
                        found,
                        "its JSON text",
                        "the table says string; the example's value is written as the JSON text the string carries",
                    );
                    *v = Value::String(text);
                }
            },
            TypeExpr::Int32 | TypeExpr::Int64 | TypeExpr::Float => match v {
                Value::Number(n) => {
                    if !matches!(ty, TypeExpr::Float) && !n.is_i64() && !n.is_u64() {
                        self.repair(
                            line,
                            WarningKind::ExampleTypeMismatch,
                            at,
                            "a number with a fraction",
                            "a float field",
                            "the table says integer but the example has a fraction; the field is a float",
                        );
                        *ty = TypeExpr::Float;
                    } else if let Some(vals) = values {
                        let text = n.to_string();
                        check_enum(self, &text, Some(vals), at, line);
                    }
                }
                Value::String(s) => match s.trim().parse::<f64>() {
                    Ok(num) => {
                        let parsed = if num.fract() == 0.0 && num.abs() < 9e15 { Value::from(num as i64) } else { Value::from(num) };
                        self.repair(line, WarningKind::ExampleTypeMismatch, at, &format!("\"{s}\", a string"), &parsed.to_string(), "the table says number");
                        *v = parsed;
                    }
                    Err(_) => self.mismatch(v, at, "a number", line),
                },
                Value::Null => {}
                _ => self.mismatch(v, at, "a number", line),
            },
            TypeExpr::Bool => match v {
                Value::Bool(_) | Value::Null => {}
                Value::String(s) if s == "true" || s == "false" => {
                    let b = s == "true";
                    self.repair(line, WarningKind::ExampleTypeMismatch, at, &format!("\"{s}\", a string"), &b.to_string(), "the table says boolean");
                    *v = Value::Bool(b);
                }
                _ => self.mismatch(v, at, "a boolean", line),
            },
            TypeExpr::Array(item) => {
                if self.example_shapes && **item == TypeExpr::Json {
                    self.items_from_example(v, item, at, line);
                }
                if let Value::String(s) = v
                    && let Ok(parsed @ Value::Array(_)) = serde_json::from_str::<Value>(s)
                {
                    self.repair(line, WarningKind::ExampleTypeMismatch, at, "a JSON-encoded string", "a JSON array", "the table says array; the example encodes it as a string");
                    *v = parsed;
                }
                if v.is_object() {
                    self.repair(line, WarningKind::ExampleTypeMismatch, at, "one object", "an array of one object", "the table says array; the example shows a single element");
                    *v = Value::Array(vec![v.take()]);
                }
                // `[[0, 1]]` for a list of numbers: the items are the inner array's.
                if let Value::Array(items) = v
                    && !items.is_empty()
                    && items.iter().all(Value::is_array)
                    && !matches!(**item, TypeExpr::Array(_) | TypeExpr::Json)
                {
                    self.repair(
                        line,
                        WarningKind::ExampleTypeMismatch,
                        at,
                        "an array of arrays",
                        "the inner arrays' items",
                        "the table says an array of single values; the example nests them in another array",
                    );
                    *items = items.drain(..).flat_map(|it| if let Value::Array(inner) = it { inner } else { vec![it] }).collect();
                }
                match v {
                    Value::Array(items) => {
                        let mut values = values;
                        for (i, it) in items.iter_mut().enumerate() {
                            self.value(it, item, inline, values.as_deref_mut(), &format!("{at}[{i}]"), line);
                        }
                        // After the items are checked: an item of the wrong kind is null by now.
                        if items.iter().any(Value::is_null) {
                            self.repair(
                                line,
                                WarningKind::ExampleTypeMismatch,
                                at,
                                "null items",
                                "the items without them",
                                "an array's items cannot be null; the null items were left out of the example",
                            );
                            items.retain(|it| !it.is_null());
                        }
                    }
                    Value::Null => {}
                    _ => self.mismatch(v, at, "an array", line),
                }
            }
            TypeExpr::Map(item) => {
                if let Value::Object(map) = v {
                    for (k, it) in map.iter_mut() {
                        self.value(it, item, &mut None, None, &format!("{at}.{k}"), line);
                    }
                }
            }
            TypeExpr::Object => match (v, inline.as_mut()) {
                (Value::Object(map), Some(fields)) => self.object(map, fields, at, line, None),
                (Value::Null, _) => {}
                (v, _) => self.mismatch(v, at, "an object", line),
            },
            TypeExpr::Named(name) => {
                let name = name.clone();
                let Some(mut def) = self.types.remove(&name) else { return };
                match &mut def.kind {
                    TypeDefKind::Struct(fields) => match v {
                        Value::Object(map) => self.object(map, fields, at, line, Some(&name)),
                        Value::Null => {}
                        other => self.mismatch(other, at, &format!("an object ({name})"), line),
                    },
                    TypeDefKind::Enum(e) => {
                        let text = match v {
                            Value::String(s) => Some(s.clone()),
                            Value::Number(n) if e.base.value != Scalar::String => Some(n.to_string()),
                            _ => None,
                        };
                        if let Some(text) = text {
                            check_enum(self, &text, Some(&mut e.values), at, line);
                        }
                    }
                }
                self.types.insert(name, def);
            }
        }
    }

    /// An array the table gives no item type whose example items are all text, all whole numbers
    /// or all booleans: the items are of that type, and the field is no longer free-form JSON.
    fn items_from_example(&mut self, v: &Value, item: &mut TypeExpr, at: &str, line: usize) {
        let Value::Array(items) = v else { return };
        let kind = |x: &Value| match x {
            Value::String(_) => Some(TypeExpr::String),
            Value::Number(n) if n.is_i64() => Some(TypeExpr::Int64),
            Value::Bool(_) => Some(TypeExpr::Bool),
            _ => None,
        };
        let Some(first) = items.first().and_then(kind) else { return };
        if !items.iter().all(|x| kind(x).as_ref() == Some(&first)) {
            return;
        }
        let name = at.rsplit('.').next().unwrap_or(at).to_owned();
        // The row's own warning said its items would be free-form; they are not.
        let free = format!("`{name}` is `");
        self.warnings.retain(|w| !(w.kind == WarningKind::NoTypeStated && w.message.starts_with(&free) && w.message.contains("no item type")));
        let typed = TypeExpr::Array(Box::new(first.clone()));
        self.repair(line, WarningKind::Other, at, "an array with no item type", &format!("`{typed}`"), "the table states no item type; the example's items show it");
        *item = first;
    }

    /// A non-empty array of objects where the type is one object (inline, or a struct type).
    fn list_of_structs(&self, v: &Value, ty: &TypeExpr) -> bool {
        let one_struct = match ty {
            TypeExpr::Object => true,
            TypeExpr::Named(name) => matches!(self.types.get(name).map(|t| &t.kind), Some(TypeDefKind::Struct(_))),
            _ => false,
        };
        one_struct && matches!(v, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object))
    }

    pub(crate) fn object(&mut self, map: &mut Map<String, Value>, fields: &mut Vec<Field>, at: &str, line: usize, owner: Option<&str>) {
        // Keys only the example has: a row the page did not name, or a field the table lacks.
        let extra: Vec<String> = map.keys().filter(|k| !fields.iter().any(|f| &f.name.value == *k)).cloned().collect();
        for key in &extra {
            let owner_name = owner.unwrap_or_default().to_owned();
            if let Some(i) = self.nameless.iter().position(|(o, _, _)| *o == owner_name) {
                let (_, pos, row) = self.nameless.remove(i);
                if let Some(f) = self.field_from_nameless(&row, key) {
                    self.repair(
                        row.line,
                        WarningKind::MissingName,
                        &format!("{at}.{key}"),
                        "a row without a name",
                        &format!("field `{key}`"),
                        "the row lost its name cell; the name is the example's key at that place",
                    );
                    fields.insert(pos.min(fields.len()), f);
                    continue;
                }
            }
            let value = &map[key];
            let field =
                if self.example_shapes { crate::event::infer_field(self, key, value, &format!("{at}.{key}"), &Default::default(), line) } else { inferred_field(key, value) };
            self.repair(
                line,
                WarningKind::ExampleFieldMismatch,
                &format!("{at}.{key}"),
                "a field only the example has",
                &format!("optional field `{key}` of type {}", field.ty.value),
                "the table does not list it",
            );
            fields.push(field);
        }
        for f in fields.iter_mut() {
            match map.get_mut(&f.name.value) {
                Some(v) => {
                    let path = format!("{at}.{}", f.name.value);
                    let (ty, inline, values) = (&mut f.ty.value, &mut f.fields, f.values.as_mut());
                    self.value(v, ty, inline, values, &path, line);
                    // A null in the answer shows the field may be null on the wire: optional.
                    if v.is_null() && f.required {
                        self.repair(
                            line,
                            WarningKind::ExampleFieldMismatch,
                            &path,
                            "null for a required field",
                            "an optional field",
                            "the table marks it required but the example gives null; it is optional here so that answers like the example decode",
                        );
                        f.required = false;
                    }
                }
                None if f.required => {
                    self.repair(
                        line,
                        WarningKind::ExampleFieldMismatch,
                        &format!("{at}.{}", f.name.value),
                        "a required field the example leaves out",
                        "an optional field",
                        "the table marks it required but the example leaves it out; it is optional here so that answers like the example decode",
                    );
                    f.required = false;
                }
                None => {}
            }
        }
    }

    /// A value of the wrong kind that cannot be converted: it is left out of the example.
    fn mismatch(&mut self, v: &mut Value, at: &str, expected: &str, line: usize) {
        let found = kind(v);
        self.repair(line, WarningKind::ExampleTypeMismatch, at, found, "null", &format!("the table says {expected}; the value was replaced by null"));
        *v = Value::Null;
    }
}

/// An example value outside the listed values: the value is added (enums are open anyway).
fn check_enum(b: &mut Builder, value: &str, values: Option<&mut Vec<EnumValue>>, at: &str, line: usize) {
    let Some(values) = values else { return };
    if value.is_empty() || values.iter().any(|v| v.value.value == value) {
        return;
    }
    let listed: Vec<&str> = values.iter().map(|v| v.value.value.as_str()).collect();
    let why = format!("`{value}` is not among the listed values ({}); it was added to them", listed.join(", "));
    b.repair(line, WarningKind::ExampleEnumValue, at, &format!("`{value}`"), &format!("`{value}` among the allowed values"), &why);
    values.push(EnumValue { value: Sp { value: value.to_owned(), loc: codegen::diagnostic::Loc::NONE }, name: None, description: Some("(only in the doc's example)".to_owned()) });
}

/// The answer's envelope says it succeeded (Feishu `code` 0, Authing `statusCode` 200).
fn succeeded(map: &Map<String, Value>, vendor: &str) -> bool {
    let (code, success) = if vendor == "feishu" { ("code", 0) } else { ("statusCode", 200) };
    map.get(code).and_then(Value::as_i64) == Some(success)
}

pub(crate) fn inferred_field(name: &str, v: &Value) -> Field {
    let ty = match v {
        Value::String(_) => TypeExpr::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => TypeExpr::Int64,
        Value::Number(_) => TypeExpr::Float,
        Value::Bool(_) => TypeExpr::Bool,
        Value::Array(items) => TypeExpr::Array(Box::new(match items.first() {
            Some(Value::String(_)) => TypeExpr::String,
            Some(Value::Number(n)) if n.is_i64() => TypeExpr::Int64,
            Some(Value::Bool(_)) => TypeExpr::Bool,
            _ => TypeExpr::Json,
        })),
        _ => TypeExpr::Json,
    };
    Field::new(name, ty)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The page's own text when nothing was repaired; the repaired value, pretty-printed, otherwise.
pub(crate) fn example_text(original: &str, before: &Value, after: &Value) -> Sp<String> {
    let text = if before == after { original.trim_end().to_owned() + "\n" } else { serde_json::to_string_pretty(after).unwrap_or_default() + "\n" };
    Sp { value: text, loc: codegen::diagnostic::Loc::NONE }
}
