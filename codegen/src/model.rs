//! The checked model: what the emitters see. Every name is a valid Rust name, every type
//! reference is resolved, every cross-reference holds. No locations: checking is over.

pub use crate::spec::{ArrayStyle, BodyKind, EnvelopeUse, Erratum, Limits, Method, PageStyle, Scalar};

#[derive(Debug, Default)]
pub struct Api {
    pub vendors: Vec<Vendor>,
}

#[derive(Debug)]
pub struct Vendor {
    /// Module name, e.g. `feishu`.
    pub module: String,
    /// The spec directory, e.g. `specs/feishu`, for headers and docs.
    pub spec_dir: String,
    pub title: String,
    pub description: Option<String>,
    pub docs: Option<String>,
    pub default_host: String,
    pub hosts: Vec<(String, String)>,
    /// `None`: a plain HTTP API (a 2xx status is success, the body is the payload).
    pub envelope: Option<Envelope>,
    /// Lower-case header names, in the order to try.
    pub request_id_headers: Vec<String>,
    pub request_id_field: Option<String>,
    pub credentials: Vec<Credential>,
    pub tokens: Vec<Token>,
    pub token_invalid_codes: Vec<i64>,
    pub token_invalid_statuses: Vec<u16>,
    pub rate_limit_codes: Vec<i64>,
    pub rate_limit_statuses: Vec<u16>,
    pub rate_limit_reset_header: Option<String>,
    /// Vendor-wide named types, emitted in the vendor module.
    pub types: Vec<TypeDef>,
    /// Accessors for service path prefixes (`acs` of `acs/v1`), emitted in the vendor module.
    pub accessors: Vec<Accessor>,
    pub services: Vec<Service>,
}

#[derive(Debug)]
pub struct Envelope {
    pub code: String,
    pub sub_code: Option<String>,
    pub message: String,
    pub data: String,
    pub success: i64,
}

#[derive(Debug)]
pub struct Credential {
    pub name: String,
    /// The builder method.
    pub method: String,
    pub secret: bool,
    pub description: Option<String>,
}

#[derive(Debug)]
pub struct Token {
    pub name: String,
    pub description: Option<String>,
    pub header: String,
    pub prefix: String,
    pub exchange: Option<Exchange>,
}

#[derive(Debug)]
pub struct Exchange {
    pub method: Method,
    pub path: String,
    /// Body field ← credential name.
    pub body: Vec<(String, String)>,
    pub token: Vec<String>,
    pub expires_in: Vec<String>,
    pub headers: Vec<BoundHeader>,
}

#[derive(Debug)]
pub struct BoundHeader {
    pub name: String,
    pub jwt_claim: Option<String>,
    pub credential: Option<String>,
}

/// Where a named type lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Vendor,
    Service,
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    I32,
    I64,
    F64,
    Bool,
    Json,
    File,
    /// A string that must never be printed: `runtime::Secret`.
    Secret,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Named {
        rust: String,
        scope: Scope,
        is_enum: bool,
        boxed: bool,
    },
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub rust: String,
    /// The vendor's name, for docs.
    pub wire: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Vec<Member>),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub base: Scalar,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub rust: String,
    pub wire: String,
    pub description: Option<String>,
}

/// A struct field, a parameter or a body field.
#[derive(Debug, Clone)]
pub struct Member {
    pub wire: String,
    /// Escaped identifier (`r#type`).
    pub rust: String,
    pub ty: Ty,
    pub required: bool,
    pub description: Option<String>,
    pub example: Option<serde_json::Value>,
    pub default: Option<serde_json::Value>,
    pub allowed: Vec<String>,
    pub limits: Limits,
    pub style: ArrayStyle,
}

/// A struct reached by a chain of method calls from the client: `acs()`, `.v1()`, `.user()`.
#[derive(Debug, Clone)]
pub struct Accessor {
    pub rust: String,
    /// The parent accessor's struct; `None` for the client itself.
    pub parent: Option<String>,
    /// Whether the parent is defined in the vendor module (seen from a service module).
    pub parent_in_vendor: bool,
    /// The method on the parent that returns this accessor.
    pub method: String,
    pub doc: String,
    /// Cargo features one of which compiles it (prefix accessors of feature-gated services).
    pub features: Vec<String>,
}

#[derive(Debug)]
pub struct Service {
    pub path: Vec<String>,
    pub module: String,
    /// The cargo feature that compiles the service, in `generated-client`.
    pub feature: Option<String>,
    pub spec_dir: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub types: Vec<TypeDef>,
    pub accessors: Vec<Accessor>,
    pub operations: Vec<Operation>,
}

#[derive(Debug)]
pub struct Operation {
    /// The spec file, relative to the workspace (`specs/feishu/acs/v1/user/get.yaml`).
    pub spec_file: String,
    /// `GetUser`: prefix of the request, response and error types.
    pub name: String,
    /// The method on the accessor: `get`, `get_user`.
    pub method_name: String,
    /// The accessor struct that has the method.
    pub accessor: String,
    pub accessor_in_vendor: bool,
    pub title: String,
    pub description: Option<String>,
    pub doc_url: Option<String>,
    pub doc_updated: Option<String>,
    pub method: Method,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub tokens: Vec<String>,
    /// Every accepted token kind is passed per request (a user token).
    pub needs_request_token: bool,
    /// Some accepted token kind is passed per request.
    pub accepts_request_token: bool,
    pub app_types: Vec<String>,
    pub scopes: Vec<(String, Option<String>, Option<String>)>,
    pub field_scopes: Vec<(String, Option<String>, Option<String>)>,
    pub rate_limit: Option<String>,
    pub path_params: Vec<Member>,
    pub query_params: Vec<Member>,
    pub header_params: Vec<Member>,
    pub body: Option<(BodyKind, Vec<Member>)>,
    pub response: Response,
    pub pagination: Option<Pagination>,
    pub errors: Vec<DocumentedError>,
    pub errata: Vec<Erratum>,
    pub request_example: Option<String>,
    pub response_example: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

/// A list operation's paging, resolved to Rust names and types.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// The response data's struct, as seen from the service module.
    pub page_type: Ty,
    /// The field holding the items, its item type, and whether it is an `Option`.
    pub items: (String, Ty, bool),
    /// Cursor style: the request input (an optional string) …
    pub cursor_input: String,
    /// … and the response fields of the next token and of "has more", with optionality.
    pub cursor_field: (String, bool),
    pub has_more_field: (String, bool),
    /// Page style: the request inputs of page number and size, with their types …
    pub page_input: (String, Ty),
    pub size_input: String,
    /// … and the response field of the total, with optionality and type.
    pub total_field: (String, bool, Ty),
}

#[derive(Debug)]
pub enum Response {
    Json { envelope: EnvelopeUse, data: Option<Ty> },
    Binary,
}

#[derive(Debug)]
pub struct DocumentedError {
    pub variant: String,
    pub code: i64,
    pub http_status: Option<u16>,
    pub message: String,
    pub hint: Option<String>,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl Operation {
    /// Every input of the request builder: path, query and header parameters, then body fields.
    pub fn inputs(&self) -> impl Iterator<Item = &Member> {
        self.path_params.iter().chain(&self.query_params).chain(&self.header_params).chain(self.body.iter().flat_map(|(_, f)| f))
    }
}
