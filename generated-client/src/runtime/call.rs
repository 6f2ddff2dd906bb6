//! A request under construction: the generated `send()` fills one in, a raw call and the token
//! exchange build one too, and the one pipeline sends it.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::files::UploadFile;
use super::profile::{DocumentedError, Method, OperationSpec, ResponseSpec, TokenSpec};
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

/// One request: of a generated operation ([`Call::new`]), of a raw call, or the token exchange.
///
/// Its `Debug` shows names, not values: a header, a body field or a token may be a secret.
#[derive(Clone)]
pub struct Call {
    /// The operation's name on errors; `None` for a raw call and the token exchange.
    pub(crate) operation: Option<&'static str>,
    /// What the logs call this request.
    pub(crate) label: &'static str,
    pub(crate) method: Method,
    /// Whether it may be sent again after it may have reached the server.
    pub(crate) idempotent: bool,
    /// Where the payload of a JSON answer is.
    pub(crate) response: ResponseSpec,
    pub(crate) errors: &'static [DocumentedError],
    pub(crate) tokens: Tokens,
    /// The own hosts of the operation's service (`OperationSpec::hosts`).
    pub(crate) hosts: &'static [(&'static str, &'static str)],
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(Cow<'static, str>, String)>,
    pub(crate) body: Body,
    pub(crate) request_token: Option<Secret>,
    /// A problem found while building, reported by `send` before anything is sent.
    pub(crate) invalid: Option<String>,
}

/// Which access token a request goes with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tokens {
    None,
    /// The kinds an operation accepts, by name, in the spec's order.
    Named(&'static [&'static str]),
    /// One kind, chosen for a raw call.
    Kind(&'static TokenSpec),
}

/// The body of a request.
#[derive(Debug, Clone, Default)]
pub(crate) enum Body {
    #[default]
    Empty,
    /// A JSON object built field by field (generated code, the token exchange).
    Object(serde_json::Map<String, serde_json::Value>),
    /// JSON written once (a raw call's body).
    Json(Bytes),
    /// `multipart/form-data` parts, in order.
    Form(Vec<(Cow<'static, str>, Part)>),
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String),
    File(UploadFile),
}

impl Call {
    /// Starts a request of `op`.
    pub fn new(op: &'static OperationSpec) -> Call {
        let tokens = if op.tokens.is_empty() { Tokens::None } else { Tokens::Named(op.tokens) };
        Call { operation: Some(op.name), label: op.name, response: op.response, errors: op.errors, tokens, hosts: op.hosts, ..Call::bare(op.method, op.name, String::new()) }
    }

    /// Appends a fixed part of the path template.
    pub fn path_literal(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter as exactly one percent-encoded segment.
    pub fn path_param(&mut self, value: &str) {
        if value.is_empty() || value == "." || value == ".." {
            // URL parsers drop or resolve these segments: the request would reach another endpoint.
            self.fail(format!("path parameter {value:?} cannot be sent as a URL segment"));
        }
        self.path.extend(utf8_percent_encode(value, SEGMENT));
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    /// Adds an array query parameter, written in `style`.
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

    /// Adds a header; a value with CR or LF is refused when the call is sent.
    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((Cow::Borrowed(name), value));
    }

    /// Starts a JSON body: `{}` until fields are added.
    pub fn json_object(&mut self) {
        self.object();
    }

    /// Adds a field to the JSON body.
    pub fn json_field<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => {
                if let Some(object) = self.object() {
                    object.insert(name.to_owned(), v);
                }
            }
            Err(e) => self.fail(format!("body field `{name}` could not be written as JSON: {e}")),
        }
    }

    /// Adds a text part to the `multipart/form-data` body.
    pub fn text_part(&mut self, name: &'static str, value: String) {
        self.part(Cow::Borrowed(name), Part::Text(value));
    }

    /// Adds a part holding `value` written as JSON.
    pub fn json_part<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_string(value) {
            Ok(json) => self.part(Cow::Borrowed(name), Part::Text(json)),
            Err(e) => self.fail(format!("form field `{name}` could not be written as JSON: {e}")),
        }
    }

    /// Adds a file part.
    pub fn file_part(&mut self, name: &'static str, file: UploadFile) {
        self.part(Cow::Borrowed(name), Part::File(file));
    }

    /// The token to call with instead of the client's own (a Feishu user_access_token).
    pub fn request_token(&mut self, token: Option<String>) {
        self.request_token = token.map(Secret::new);
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Empty => "empty",
            Body::Object(_) | Body::Json(_) => "json",
            Body::Form(_) => "multipart",
        };
        f.debug_struct("Call")
            .field("operation", &self.label)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .field("headers", &self.headers.iter().map(|(n, _)| n.as_ref()).collect::<Vec<_>>())
            .field("body", &body)
            .field("request_token", &self.request_token)
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}

impl Call {
    /// A request with nothing chosen yet: no token, no body, retried as its method allows.
    pub(crate) fn bare(method: Method, label: &'static str, path: String) -> Call {
        Call {
            operation: None,
            label,
            method,
            idempotent: method.is_idempotent(),
            response: ResponseSpec::Data,
            errors: &[],
            tokens: Tokens::None,
            hosts: &[],
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            request_token: None,
            invalid: None,
        }
    }

    /// The JSON object body, started if there is none yet; `None` (and the call refused) when
    /// the body is already of another kind.
    pub(crate) fn object(&mut self) -> Option<&mut serde_json::Map<String, serde_json::Value>> {
        if let Body::Empty = self.body {
            self.body = Body::Object(serde_json::Map::new());
        }
        if !matches!(self.body, Body::Object(_)) {
            self.fail("a request has one body: JSON fields cannot be added to a body of another kind".to_owned());
        }
        match &mut self.body {
            Body::Object(object) => Some(object),
            _ => None,
        }
    }

    pub(crate) fn part(&mut self, name: Cow<'static, str>, part: Part) {
        if let Body::Empty = self.body {
            self.body = Body::Form(Vec::new());
        }
        match &mut self.body {
            Body::Form(parts) => parts.push((name, part)),
            _ => self.fail("a request has one body: form parts cannot be added to a JSON body".to_owned()),
        }
    }

    /// Records the first problem; the call is refused when sent.
    pub(crate) fn fail(&mut self, message: String) {
        self.invalid.get_or_insert(message);
    }
}
