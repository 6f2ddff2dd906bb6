//! The spec model as written in the YAML files, before checking: every name keeps its location.
//!
//! `docs/spec-format.md` documents each key. The checker (`check`) turns this into `model::Api`.

use crate::diagnostic::{FileId, Loc};

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

/// Every spec file of every vendor under a spec root.
#[derive(Debug, Default)]
pub struct SpecSet {
    pub vendors: Vec<VendorSpecs>,
}

/// The files under `specs/<vendor>/`.
#[derive(Debug)]
pub struct VendorSpecs {
    /// The directory name, e.g. `feishu`.
    pub dir: String,
    /// Path of the directory, relative to the spec root's parent, for messages.
    pub display_dir: String,
    pub vendor: Option<VendorFile>,
    /// `vendor.yaml` exists (it may have failed to read: its errors are reported already).
    pub vendor_file_present: bool,
    /// A `types.yaml` could not be parsed (already reported): which types it held is unknown.
    pub unreadable_types_file: bool,
    pub types: Vec<TypesFile>,
    pub operations: Vec<OperationFile>,
    pub events: Vec<EventFile>,
}

/// `specs/<vendor>/vendor.yaml`: how the vendor's servers behave.
#[derive(Debug)]
pub struct VendorFile {
    pub file: FileId,
    pub loc: Loc,
    pub name: Sp<String>,
    pub title: String,
    pub description: Option<String>,
    pub docs: Option<String>,
    pub hosts: Vec<Host>,
    pub services: Vec<ServiceDecl>,
    /// `None`: `envelope: none`, a plain HTTP API (the status decides, the body is the payload).
    pub envelope: Option<Envelope>,
    pub request_id: RequestId,
    pub credentials: Vec<Credential>,
    pub tokens: Vec<TokenKind>,
    pub token_invalid: Signals,
    pub rate_limit: RateLimit,
    /// Token kinds declared but not readable (already reported): no follow-on errors for them.
    pub broken_tokens: Vec<String>,
}

#[derive(Debug)]
pub struct Host {
    pub name: Sp<String>,
    pub url: Sp<String>,
    pub default: bool,
}

#[derive(Debug)]
pub struct ServiceDecl {
    /// Directory under the vendor, e.g. `acs/v1`.
    pub path: Sp<String>,
    pub title: Option<String>,
    pub docs: Option<String>,
    /// The cargo feature of `generated-client` that compiles this service.
    pub feature: Option<Sp<String>>,
    /// A prefix of the path whose accessor the service's calls hang on, instead of the service's
    /// own: with `management/users: {mount: management}`, `client.management().get_user(…)`.
    pub mount: Option<Sp<String>>,
    /// Where the service is served instead of the vendor's hosts: for some or all of the
    /// vendor's host names, the service's own URL (Feishu's approval v2 on `www.feishu.cn`).
    pub hosts: Vec<ServiceHost>,
}

/// `name: url` under a service's `hosts`: the service's URL where the vendor's is host `name`.
#[derive(Debug, Clone)]
pub struct ServiceHost {
    /// One of the vendor's host names (the keys of the vendor file's `hosts`).
    pub name: Sp<String>,
    pub url: Sp<String>,
}

/// The JSON wrapper around every response.
#[derive(Debug)]
pub struct Envelope {
    pub code: Sp<String>,
    pub sub_code: Option<Sp<String>>,
    pub message: Sp<String>,
    pub data: Sp<String>,
    /// The value of `code` that means success.
    pub success: i64,
}

#[derive(Debug, Default)]
pub struct RequestId {
    pub headers: Vec<Sp<String>>,
    pub field: Option<Sp<String>>,
}

/// A secret or identifier the client builder takes (`app_id`, `access_key_secret`).
#[derive(Debug)]
pub struct Credential {
    pub name: Sp<String>,
    pub secret: bool,
    pub description: Option<String>,
    /// The vendor pushes it to the app in an event, instead of the user setting it.
    pub pushed: Option<Pushed>,
}

/// `pushed: {event, field}`: the event type that carries a credential, and the field of its body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pushed {
    pub event: String,
    pub field: String,
}

#[derive(Debug)]
pub struct TokenKind {
    pub name: Sp<String>,
    pub description: Option<String>,
    pub header: Sp<String>,
    pub prefix: String,
    pub source: TokenSource,
}

#[derive(Debug)]
pub enum TokenSource {
    /// The client fetches the token itself by calling an operation.
    Exchange(Box<Exchange>),
    /// The caller passes the token with each request.
    PerRequest,
}

#[derive(Debug)]
pub struct Exchange {
    /// The operation that hands out the token, by its path under the vendor directory.
    pub operation: Sp<String>,
    /// The body fields the exchange sends, each filled from a credential.
    pub request: Vec<ExchangeField>,
    /// Dotted path of the token in the response body.
    pub token: Sp<String>,
    /// Dotted path of the lifetime in seconds.
    pub expires_in: Sp<String>,
    /// Headers sent beside the token, derived from it.
    pub headers: Vec<BoundHeader>,
}

/// `field: credential` under an exchange's `request`.
#[derive(Debug)]
pub struct ExchangeField {
    pub field: Sp<String>,
    pub credential: Sp<String>,
}

#[derive(Debug)]
pub struct BoundHeader {
    pub name: Sp<String>,
    /// A claim of the token read as an unverified JWT.
    pub jwt_claim: Option<String>,
    /// The credential used when the claim is absent.
    pub credential: Option<Sp<String>>,
}

/// Codes and HTTP statuses that signal something.
#[derive(Debug, Default)]
pub struct Signals {
    pub codes: Vec<i64>,
    pub http_status: Vec<u16>,
}

#[derive(Debug, Default)]
pub struct RateLimit {
    pub codes: Vec<i64>,
    pub http_status: Vec<u16>,
    pub reset_header: Option<String>,
}

/// A `types.yaml`: named types shared by a vendor (at its root) or a service (in its directory).
#[derive(Debug, Clone)]
pub struct TypesFile {
    pub file: FileId,
    /// Directory relative to the vendor directory; empty for vendor-wide types.
    pub scope: String,
    pub types: Vec<TypeDef>,
    /// Types declared but not readable (already reported): no follow-on "unknown type" for them.
    pub broken: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The vendor's name for the type (`user`, `UserDto`).
    pub name: Sp<String>,
    /// A Rust name, when the vendor's does not convert well.
    pub rust_name: Option<Sp<String>>,
    pub description: Option<String>,
    pub kind: TypeDefKind,
}

#[derive(Debug, Clone)]
pub enum TypeDefKind {
    Struct(Vec<Field>),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub base: Sp<Scalar>,
    pub values: Vec<EnumValue>,
}

/// The wire type of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int32,
    Int64,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: Sp<String>,
    pub name: Option<Sp<String>>,
    pub description: Option<String>,
}

/// A field of a struct, a parameter, or a body field: they share one shape.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: Sp<String>,
    pub ty: Sp<TypeExpr>,
    pub required: bool,
    pub description: Option<String>,
    pub example: Option<Sp<serde_json::Value>>,
    pub default: Option<Sp<serde_json::Value>>,
    /// Allowed values written on the field itself (an inline enum).
    pub values: Option<Vec<EnumValue>>,
    /// Fields of an inline object (`type: object` or `array<object>`).
    pub fields: Option<Vec<Field>>,
    /// Rust name of the inline enum or object.
    pub type_name: Option<Sp<String>>,
    /// Rust name of the field, when the wire name does not convert well.
    pub rust_name: Option<Sp<String>>,
    pub limits: Limits,
    /// How an array query parameter is written.
    pub style: Option<Sp<ArrayStyle>>,
    /// A credential or token: kept in `Secret`, never printed.
    pub secret: bool,
}

impl Field {
    /// A field of a type and nothing else, with no place in a file (for importers).
    pub fn new(name: &str, ty: TypeExpr) -> Field {
        Field {
            name: Sp { value: name.to_owned(), loc: Loc::NONE },
            ty: Sp { value: ty, loc: Loc::NONE },
            required: false,
            description: None,
            example: None,
            default: None,
            values: None,
            fields: None,
            type_name: None,
            rust_name: None,
            limits: Limits::default(),
            style: None,
            secret: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub pattern: Option<String>,
}

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

/// A field's type as written: `string`, `array<int64>`, `map<UserDto>`, a type name. Parsed with
/// [`str::parse`] and written back with `Display`, the one grammar of the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Int32,
    Int64,
    Float,
    Bool,
    Json,
    File,
    Object,
    Array(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Named(String),
}

/// One event: one event page. A file is an event spec when it has the key `event`.
#[derive(Debug, Clone)]
pub struct EventFile {
    pub file: FileId,
    pub loc: Loc,
    /// Path under the vendor directory without `.yaml`, e.g. `im/v1/message/events/receive`.
    pub rel_path: String,
    /// The event type as delivered: `im.message.receive_v1`, `app_ticket`.
    pub event: Sp<String>,
    /// The Rust name of the event's struct, when the one derived from the type does not suit.
    pub name: Option<Sp<String>>,
    pub title: String,
    pub description: Option<String>,
    pub doc_url: Option<String>,
    pub doc_updated: Option<String>,
    pub deprecated: Option<String>,
    /// The envelope it arrives in.
    pub schema: Sp<EventSchema>,
    pub app_types: Vec<String>,
    pub scopes: Vec<Scope>,
    pub field_scopes: Vec<Scope>,
    /// The fields of the envelope's `event` object.
    pub fields: Vec<Field>,
    /// Named types of this event alone.
    pub types: Vec<TypeDef>,
    /// Types declared but not readable (already reported).
    pub broken_types: Vec<String>,
    /// A whole delivery as the doc shows it (envelope and event), as JSON text.
    pub example: Option<Sp<String>>,
    pub errata: Vec<Erratum>,
}

/// The envelope an event is delivered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSchema {
    /// `schema: "1.0"`: `{uuid, ts, token, type: event_callback, event: {type, …}}`.
    V1,
    /// `schema: "2.0"`: `{schema, header, event}`.
    V2,
}

/// One operation: one doc page.
#[derive(Debug, Clone)]
pub struct OperationFile {
    pub file: FileId,
    pub loc: Loc,
    /// Path under the vendor directory without `.yaml`, e.g. `acs/v1/user/get`.
    pub rel_path: String,
    pub name: Option<Sp<String>>,
    pub title: String,
    pub description: Option<String>,
    pub doc_url: Option<String>,
    pub doc_updated: Option<String>,
    /// The operation is deprecated (a historic version): the note says what replaces it, as the
    /// doc gives it; empty when the doc names no replacement.
    pub deprecated: Option<String>,
    pub method: Sp<Method>,
    pub path: Sp<String>,
    pub app_types: Vec<String>,
    pub tokens: Vec<Sp<String>>,
    pub scopes: Vec<Scope>,
    pub field_scopes: Vec<Scope>,
    pub rate_limit: Option<String>,
    pub path_params: Vec<Field>,
    pub query_params: Vec<Field>,
    pub header_params: Vec<Field>,
    pub body: Option<Body>,
    pub response: Response,
    pub pagination: Option<Pagination>,
    pub errors: Vec<ErrorSpec>,
    pub request_example: Option<Sp<String>>,
    pub response_example: Option<Sp<String>>,
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub name: String,
    pub description: Option<String>,
    /// For field scopes: the response fields it unlocks, or the condition (`user_id_type=user_id`).
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub kind: BodyKind,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Multipart,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub kind: ResponseKind,
    pub envelope: EnvelopeUse,
    /// The type of the envelope's data (or of the flat body); `None` when there is none.
    pub data: Option<Field>,
}

/// How a list operation pages, so the client can offer every item as a stream.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub loc: Loc,
    /// The array field of the response data that holds a page's items.
    pub items: Sp<String>,
    pub style: PageStyle,
}

/// The paging style and the wire names it uses.
#[derive(Debug, Clone)]
pub enum PageStyle {
    /// A page token in and out, and whether more pages follow (Feishu).
    Cursor {
        /// The request input and the response field of the next page's token (`page_token`).
        cursor: Sp<String>,
        /// The response field saying whether more pages follow (`has_more`).
        has_more: Sp<String>,
    },
    /// Page numbers from 1 and a total (Authing).
    Page {
        /// The request input holding the page number (`page`).
        page: Sp<String>,
        /// The request input holding the page size (`limit`).
        size: Sp<String>,
        /// The response field with the total number of items (`totalCount`).
        total: Sp<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Json,
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeUse {
    /// The payload is under the envelope's data field.
    Data,
    /// The payload's fields sit beside the envelope's code and message.
    Flat,
}

#[derive(Debug, Clone)]
pub struct ErrorSpec {
    pub loc: Loc,
    pub http_status: Option<u16>,
    pub code: i64,
    pub name: Option<Sp<String>>,
    pub message: String,
    pub hint: Option<String>,
}

/// Where the spec departs from the doc page, and why.
#[derive(Debug, Clone)]
pub struct Erratum {
    pub at: String,
    pub doc: String,
    pub spec: String,
    pub reason: String,
}

/// The text is not a type of the spec format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAType;

impl std::str::FromStr for TypeExpr {
    type Err = NotAType;

    /// `string`, `int32`, `int64`, `float`, `bool`, `json`, `file`, `object`, `array<T>`, `map<T>`
    /// or a type name (letters, digits, `_`, `-`, `.`; not starting with a digit).
    fn from_str(text: &str) -> Result<TypeExpr, NotAType> {
        let text = text.trim();
        let inner = |prefix: &str| text.strip_prefix(prefix).and_then(|r| r.strip_suffix('>'));
        if let Some(item) = inner("array<") {
            return item.parse().map(|t| TypeExpr::Array(Box::new(t)));
        }
        if let Some(item) = inner("map<") {
            return item.parse().map(|t| TypeExpr::Map(Box::new(t)));
        }
        Ok(match text {
            "string" => TypeExpr::String,
            "int32" => TypeExpr::Int32,
            "int64" => TypeExpr::Int64,
            "float" => TypeExpr::Float,
            "bool" => TypeExpr::Bool,
            "json" => TypeExpr::Json,
            "file" => TypeExpr::File,
            "object" => TypeExpr::Object,
            name if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.') && !name.starts_with(|c: char| c.is_ascii_digit()) => {
                TypeExpr::Named(name.to_owned())
            }
            _ => return Err(NotAType),
        })
    }
}

impl std::fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Int32 => f.write_str("int32"),
            TypeExpr::Int64 => f.write_str("int64"),
            TypeExpr::Float => f.write_str("float"),
            TypeExpr::Bool => f.write_str("bool"),
            TypeExpr::Json => f.write_str("json"),
            TypeExpr::File => f.write_str("file"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::Array(item) => write!(f, "array<{item}>"),
            TypeExpr::Map(item) => write!(f, "map<{item}>"),
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TypeExpr;

    #[test]
    fn type_grammar_round_trips() {
        for text in ["string", "int32", "array<int64>", "map<array<UserDto>>", "app.table.record", "object", "file"] {
            let parsed: TypeExpr = text.parse().unwrap_or_else(|_| panic!("{text} parses"));
            assert_eq!(parsed.to_string(), text);
        }
        for bad in ["", "array<", "map<>", "1st", "number(float)", "a b", "/"] {
            assert!(bad.parse::<TypeExpr>().is_err(), "{bad:?} is not a type");
        }
    }
}
