//! An OpenAPI document as located nodes (JSON or YAML, through codegen's YAML reader), with
//! lookups by key, local `$ref` resolution, our `x-` extensions read into their types, and
//! warnings that keep their line and column.

use codegen::diagnostic::{FileId, Loc};
use codegen::openapi::ext::{self, Extension};
use codegen::yaml::{Node, Value};

/// Something the spec format cannot express, or a guess the import made: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u32,
    pub col: u32,
    /// The JSON pointer of the construct (`#/paths/~1pets/get/responses/200`), or empty.
    pub at: String,
    pub message: String,
}

/// The parsed document.
pub struct Doc {
    pub root: Node,
}

/// A `$ref` chain longer than this is a cycle.
const MAX_REF_DEPTH: usize = 32;

impl Doc {
    pub fn parse(text: &str) -> Result<Doc, Warning> {
        let root = codegen::yaml::parse_large(FileId(0), text).map_err(|d| {
            let loc = d.loc.unwrap_or(Loc::NONE);
            Warning { line: loc.line, col: loc.col, at: String::new(), message: d.message.clone() }
        })?;
        Ok(Doc { root })
    }

    /// Follows `$ref`s to local targets (`#/components/...`). Returns the target and, for a
    /// component schema, its name. An unresolvable reference returns `Err` with the reason.
    pub fn resolve<'a>(&'a self, mut node: &'a Node) -> Result<(&'a Node, Option<&'a str>), String> {
        let mut name = None;
        for _ in 0..MAX_REF_DEPTH {
            let Some(target) = get(node, "$ref").and_then(Node::as_str) else {
                return Ok((node, name));
            };
            let Some(pointer) = target.strip_prefix("#/") else {
                return Err(format!("`$ref: {target}` points outside this document; only local references (`#/components/…`) are read"));
            };
            let mut at = &self.root;
            for seg in pointer.split('/') {
                let seg = seg.replace("~1", "/").replace("~0", "~");
                at = get(at, &seg).ok_or_else(|| format!("`$ref: {target}` names nothing in this document"))?;
            }
            name = pointer.strip_prefix("components/schemas/").filter(|n| !n.contains('/'));
            node = at;
        }
        Err("a cycle of `$ref`s".to_owned())
    }
}

/// Extension `E` of an object, read into its type. A value that does not have the extension's
/// form is a warning at its line, and the import goes on without it.
pub fn extension<E: Extension>(node: &Node, at: &str, warnings: &mut Vec<Warning>) -> Option<E> {
    let value = get(node, E::KEY)?;
    match ext::from_json(value.to_json()) {
        Ok(e) => Some(e),
        Err(message) => {
            warnings.push(Warning { line: value.loc.line, col: value.loc.col, at: format!("{at}/{}", escape(E::KEY)), message: format!("{message}: left out") });
            None
        }
    }
}

/// An object's description as the spec wrote it: `x-description` where our export added
/// sentences for readers to `description` (even when it says there is none), else `description`.
pub fn own_description(node: &Node, at: &str, warnings: &mut Vec<Warning>) -> Option<String> {
    match extension::<ext::Description>(node, at, warnings) {
        Some(ext::Description(d)) => d,
        None => text(node, "description").map(str::to_owned),
    }
}

/// The value of `key` in a mapping.
pub fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.scalar_text().as_deref() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// The key node of `key` in a mapping: where the key itself is written.
pub fn key_node<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.scalar_text().as_deref() == Some(key)).map(|(k, _)| k),
        _ => None,
    }
}

/// A string value of `key`.
pub fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    get(node, key).and_then(Node::as_str)
}

/// The entries of a mapping, keys as text.
pub fn entries(node: &Node) -> Vec<(String, &Node)> {
    match &node.value {
        Value::Map(entries) => entries.iter().filter_map(|(k, v)| Some((k.scalar_text()?, v))).collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence.
pub fn items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

pub fn boolean(node: &Node, key: &str) -> bool {
    matches!(get(node, key).map(|n| &n.value), Some(Value::Bool(true)))
}

pub fn number(node: &Node, key: &str) -> Option<f64> {
    match get(node, key).map(|n| &n.value) {
        #[allow(clippy::cast_precision_loss)]
        Some(Value::Int(i)) => Some(*i as f64),
        Some(Value::Float(f)) => Some(*f),
        _ => None,
    }
}

pub fn unsigned(node: &Node, key: &str) -> Option<u64> {
    match get(node, key).map(|n| &n.value) {
        Some(Value::Int(i)) => u64::try_from(*i).ok(),
        _ => None,
    }
}

/// A JSON pointer segment (`/` and `~` escaped).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
