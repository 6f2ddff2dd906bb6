//! A request under construction: the generated `send()` fills one in, the client sends it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::files::UploadFile;
use super::profile::OperationSpec;
use super::secret::Secret;

/// Everything but unreserved characters (RFC 3986) is encoded in a path segment, so `/`, `?`,
/// `#`, `%` and CR/LF in a parameter can never change the URL's structure.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How an array query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `k=a&k=b`
    Repeat,
    /// `k[]=a&k[]=b`
    Brackets,
    /// `k=a,b`
    Comma,
    /// `k=["a","b"]`
    Json,
}

/// One request of one operation.
#[derive(Debug)]
pub struct Call {
    pub(crate) op: &'static OperationSpec,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) json: Option<serde_json::Map<String, serde_json::Value>>,
    pub(crate) parts: Vec<(&'static str, Part)>,
    pub(crate) request_token: Option<Secret>,
    /// A problem found while building, reported by `send` before anything is sent.
    pub(crate) invalid: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String),
    File(UploadFile),
}

impl Call {
    pub fn new(op: &'static OperationSpec) -> Call {
        Call { op, path: String::new(), query: Vec::new(), headers: Vec::new(), json: None, parts: Vec::new(), request_token: None, invalid: None }
    }

    /// Appends a fixed part of the path template.
    pub fn path_literal(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter as exactly one percent-encoded segment.
    pub fn path_param(&mut self, value: &str) {
        if value.is_empty() || value == "." || value == ".." {
            // URL parsers drop or resolve these segments: the request would reach another endpoint.
            self.invalid.get_or_insert_with(|| format!("path parameter {value:?} cannot be sent as a URL segment"));
        }
        self.path.extend(utf8_percent_encode(value, SEGMENT));
    }

    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    pub fn query_array(&mut self, name: &str, style: ArrayStyle, values: Vec<String>) {
        match style {
            ArrayStyle::Repeat => self.query.extend(values.into_iter().map(|v| (name.to_owned(), v))),
            ArrayStyle::Brackets => self.query.extend(values.into_iter().map(|v| (format!("{name}[]"), v))),
            ArrayStyle::Comma => self.query.push((name.to_owned(), values.join(","))),
            ArrayStyle::Json => self.query.push((name.to_owned(), serde_json::Value::from(values).to_string())),
        }
    }

    /// An array query parameter written as JSON, keeping numbers unquoted.
    pub fn query_json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(json) => self.query.push((name.to_owned(), json)),
            Err(e) => self.fail(format!("query parameter `{name}` could not be written as JSON: {e}")),
        }
    }

    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// Starts a JSON body: `{}` until fields are added.
    pub fn json_object(&mut self) {
        self.json.get_or_insert_with(serde_json::Map::new);
    }

    /// Adds a field to the JSON body.
    pub fn json_field<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.json.get_or_insert_with(serde_json::Map::new).insert(name.to_owned(), v);
            }
            Err(e) => self.fail(format!("body field `{name}` could not be written as JSON: {e}")),
        }
    }

    pub fn text_part(&mut self, name: &'static str, value: String) {
        self.parts.push((name, Part::Text(value)));
    }

    pub fn json_part<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_string(value) {
            Ok(json) => self.parts.push((name, Part::Text(json))),
            Err(e) => self.fail(format!("form field `{name}` could not be written as JSON: {e}")),
        }
    }

    pub fn file_part(&mut self, name: &'static str, file: UploadFile) {
        self.parts.push((name, Part::File(file)));
    }

    /// The token to call with instead of the client's own (a Feishu user_access_token).
    pub fn request_token(&mut self, token: Option<String>) {
        self.request_token = token.map(Secret::new);
    }

    fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }
}
