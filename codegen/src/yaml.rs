//! A YAML document as a tree of located nodes, read with serde-saphyr.
//!
//! The spec model is built from this tree by hand (see `read`), not by `#[derive(Deserialize)]`,
//! so that every unknown key, missing key and wrongly-typed value in a file is reported at once,
//! each with its own line and column.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostic::{Diagnostic, FileId, Loc};

/// A YAML value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in the order they were written.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What kind of value this is, for messages ("expected a mapping, found a string").
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar, as written (map keys may be integers, like HTTP statuses).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    /// The value as JSON, for examples and defaults.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into),
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries.iter().map(|(k, v)| (k.scalar_text().unwrap_or_default(), v.to_json())).collect::<serde_json::Map<_, _>>().into(),
        }
    }
}

/// Parses one YAML document. A syntax error becomes a located diagnostic.
pub fn parse(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
    parse_with(file, text, None)
}

/// Like [`parse`], for a large document that is data rather than a hand-written spec (an
/// OpenAPI document of thousands of operations): the parser's node and event budgets grow with
/// the text instead of stopping at their defaults (250,000 nodes).
pub fn parse_large(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_events = budget.max_events.max(text.len().saturating_mul(2));
    parse_with(file, text, Some(budget))
}

fn parse_with(file: FileId, text: &str, budget: Option<serde_saphyr::budget::Budget>) -> Result<Node, Box<Diagnostic>> {
    let mut options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    if budget.is_some() {
        options.budget = budget;
    }
    match serde_saphyr::from_str_with_options::<Raw>(text, options) {
        Ok(raw) => Ok(raw.into_node(file, text)),
        Err(err) => {
            let (line, col) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
            let start = byte_offset(text, line, col);
            let loc = Loc { file, line: line as u32, col: col as u32, start, end: start + 1 };
            let message = err.without_snippet().to_string();
            let message = message.lines().next().unwrap_or("invalid YAML").to_owned();
            let message = strip_position(&message);
            // Parser advice a spec writer cannot act on, and a position we print ourselves.
            let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
            let message = match message.find(" at line ") {
                Some(i) if message[i..].contains("column") => message[..i].to_owned(),
                _ => message,
            };
            Err(Box::new(Diagnostic::at(loc, format!("invalid YAML: {message}")).help("fix the YAML syntax at this place; `docs/spec-format.md` shows a complete, valid file")))
        }
    }
}

/// serde-saphyr prefixes its messages with "error: line L column C: "; the position is ours to print.
fn strip_position(message: &str) -> String {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    if let Some(rest) = message.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
    {
        return rest[idx + 2..].to_owned();
    }
    message.to_owned()
}

fn byte_offset(text: &str, line: u64, col: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let within: usize = l.chars().take(col.saturating_sub(1) as usize).map(char::len_utf8).sum();
            return (offset + within).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// What serde-saphyr hands us: values with their spans, before we attach the file id.
struct Raw {
    value: RawValue,
    line: u64,
    col: u64,
    start: Option<u64>,
    len: Option<u64>,
}

enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Raw>),
    Map(Vec<(Raw, Raw)>),
}

impl Raw {
    fn into_node(self, file: FileId, text: &str) -> Node {
        let start = match self.start {
            Some(s) => s as usize,
            None => byte_offset(text, self.line, self.col),
        };
        let mut end = start + self.len.unwrap_or(1) as usize;
        // A block scalar's span may run past the text; a caret needs only a valid range.
        end = end.min(text.len()).max(start);
        // Keep carets on one line: a mapping's span covers the whole block.
        if let Some(nl) = text.get(start..end).and_then(|s| s.find('\n')) {
            end = start + nl;
        }
        let loc = Loc { file, line: self.line.max(1) as u32, col: self.col.max(1) as u32, start: start.min(text.len()), end };
        let value = match self.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            RawValue::Seq(items) => Value::Seq(items.into_iter().map(|n| n.into_node(file, text)).collect()),
            RawValue::Map(entries) => Value::Map(entries.into_iter().map(|(k, v)| (k.into_node(file, text), v.into_node(file, text))).collect()),
        };
        Node { value, loc }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<RawValue>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        Ok(Raw { value: spanned.value, line: spanned.referenced.line(), col: spanned.referenced.column(), start: span.byte_offset(), len: span.byte_len() })
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
        i64::try_from(v).map(RawValue::Int).map_err(|_| E::custom("integer is too large"))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
        i64::try_from(v).map(RawValue::Int).map_err(|_| E::custom("integer is too large"))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
        i64::try_from(v).map(RawValue::Int).map_err(|_| E::custom("integer is too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Raw>()? {
            let value = map.next_value::<Raw>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}
