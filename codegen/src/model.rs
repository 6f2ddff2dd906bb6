//! The checked model: what every back end sees. Every name is a valid Rust name that collides with
//! nothing the generated code defines, every type reference is resolved, every cross-reference
//! holds. No locations: checking is over.

pub use crate::spec::{ArrayStyle, BodyKind, EnvelopeUse, Erratum, EventSchema, Limits, Method, Scalar, Scope};

#[derive(Debug, Default)]
pub struct Api {
    pub vendors: Vec<Vendor>,
}

#[derive(Debug)]
pub struct Vendor {
    /// Module name, e.g. `feishu` (a keyword is escaped where it is emitted, not here: it names
    /// the directory of the generated files too).
    pub module: String,
    /// The spec directory, e.g. `specs/feishu`, for headers and docs.
    pub spec_dir: String,
    pub title: String,
    pub description: Option<String>,
    pub docs: Option<String>,
    pub default_host: String,
    pub hosts: Vec<Host>,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    pub name: String,
    /// Without a trailing slash.
    pub url: String,
}

#[derive(Debug)]
pub struct Envelope {
    pub code: String,
    pub sub_code: Option<String>,
    pub message: String,
    pub data: String,
    pub success: i64,
}

#[derive(Debug, Clone)]
pub struct Credential {
    pub name: String,
    /// The builder method.
    pub method: String,
    pub secret: bool,
    pub description: Option<String>,
    pub pushed: Option<crate::spec::Pushed>,
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
    /// The operation that hands out the token, as its spec path under the vendor directory.
    pub operation: String,
    pub method: Method,
    pub path: String,
    /// The own hosts of the operation's service (see [`Service::hosts`]).
    pub hosts: Vec<Host>,
    pub body: Vec<ExchangeField>,
    pub token: Vec<String>,
    pub expires_in: Vec<String>,
    pub headers: Vec<BoundHeader>,
}

/// A body field of the exchange and the credential that fills it.
#[derive(Debug)]
pub struct ExchangeField {
    pub field: String,
    pub credential: String,
}

#[derive(Debug)]
pub struct BoundHeader {
    pub name: String,
    pub jwt_claim: Option<String>,
    pub credential: Option<String>,
}

/// Which module a named type lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
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
    Named(Named),
}

/// A reference to a named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub rust: String,
    pub module: Module,
    /// The wire type of an enum; `None` for a struct.
    pub enum_base: Option<Scalar>,
    /// Boxed to break a cycle of direct struct fields.
    pub boxed: bool,
}

impl Named {
    pub fn is_enum(&self) -> bool {
        self.enum_base.is_some()
    }
}

impl Ty {
    /// The named struct this type is, if it is one.
    pub fn named_struct(&self) -> Option<&Named> {
        match self {
            Ty::Named(n) if !n.is_enum() => Some(n),
            _ => None,
        }
    }

    /// Whether it is an enum (of strings or integers).
    pub fn is_enum(&self) -> bool {
        matches!(self, Ty::Named(n) if n.is_enum())
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub rust: String,
    /// The vendor's name, for docs.
    pub wire: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// Whether requests send it (directly or inside another type): such structs get `Default` or
    /// a constructor, and setters.
    pub input: bool,
    /// Whether answers carry it.
    pub output: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub members: Vec<Member>,
    /// How `new` takes the required fields (for input structs that have some).
    pub args: Args,
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
    /// The field's identifier (`r#type`).
    pub rust: String,
    /// The setter method for an optional member (`r#type`, or `items_` where the generated code
    /// already has an `items`), and the setter taking an `Option` (`set_type`, `set_items`).
    pub setter: String,
    pub option_setter: String,
    pub ty: Ty,
    pub required: bool,
    pub description: Option<String>,
    pub example: Option<serde_json::Value>,
    pub default: Option<serde_json::Value>,
    pub allowed: Vec<String>,
    pub limits: Limits,
    pub style: ArrayStyle,
}

/// How required inputs other than path parameters are passed: as positional arguments when no
/// two positional arguments could be swapped without a compile error, else as the fields of a
/// struct with this name, so each is named at the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    Positional,
    Named(String),
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
    /// `acs_v1`; a keyword is escaped where it is emitted (the file keeps the plain name).
    pub module: String,
    /// The cargo feature that compiles the service, in `generated-client`.
    pub feature: Option<String>,
    /// The prefix of `path` the service is mounted on, if any (`management`).
    pub mount: Option<String>,
    /// Where the service is served instead of the vendor's hosts, by the vendor's host names
    /// (some or all of them); empty when it is served from the vendor's hosts.
    pub hosts: Vec<Host>,
    pub spec_dir: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub types: Vec<TypeDef>,
    pub accessors: Vec<Accessor>,
    pub operations: Vec<Operation>,
    /// The events of the service's event pages, each in a module of its own under `events`.
    pub events: Vec<Event>,
}

/// One event: a struct for the envelope's `event` object, with the named types of its page.
#[derive(Debug)]
pub struct Event {
    /// The spec file, relative to the workspace.
    pub spec_file: String,
    /// As delivered: `im.message.receive_v1`.
    pub event_type: String,
    /// The module under the service's `events` module: `message_receive_v1`.
    pub module: String,
    /// The event's struct (one of `types`): `MessageReceiveV1`.
    pub rust: String,
    /// Its case in the vendor's `Event` enum: `ImMessageReceiveV1`.
    pub variant: String,
    pub title: String,
    pub description: Option<String>,
    pub doc_url: Option<String>,
    pub deprecated: Option<String>,
    pub schema: EventSchema,
    pub app_types: Vec<String>,
    pub scopes: Vec<Scope>,
    pub field_scopes: Vec<Scope>,
    /// The event's struct first, then the types it uses.
    pub types: Vec<TypeDef>,
    /// A whole delivery, envelope and event.
    pub example: Option<serde_json::Value>,
    pub errata: Vec<Erratum>,
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
    /// Whether that accessor is defined in the vendor module (a service mounted on a prefix).
    pub accessor_in_vendor: bool,
    pub title: String,
    pub description: Option<String>,
    pub doc_url: Option<String>,
    pub doc_updated: Option<String>,
    /// Deprecated, with the note saying what replaces it (empty when the doc names nothing).
    pub deprecated: Option<String>,
    pub method: Method,
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub tokens: Vec<String>,
    /// The token kind a caller may pass with the request, if any.
    pub request_token: Option<RequestToken>,
    pub app_types: Vec<String>,
    pub scopes: Vec<Scope>,
    pub field_scopes: Vec<Scope>,
    pub rate_limit: Option<String>,
    pub path_params: Vec<Member>,
    pub query_params: Vec<Member>,
    pub header_params: Vec<Member>,
    pub body: Option<Body>,
    /// How the required query, header and body inputs are passed.
    pub args: Args,
    pub response: Response,
    pub pagination: Option<Pagination>,
    pub errors: Vec<DocumentedError>,
    pub errata: Vec<Erratum>,
    pub request_example: Option<String>,
    pub response_example: Option<String>,
}

/// A token kind passed per request (Feishu's `user_access_token`) and its setter.
#[derive(Debug, Clone)]
pub struct RequestToken {
    pub kind: String,
    /// `user_access_token`.
    pub setter: String,
    /// Every accepted token kind is passed per request: without one the call fails before sending.
    pub required: bool,
}

#[derive(Debug)]
pub struct Body {
    pub kind: BodyKind,
    pub fields: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `path_params`.
    Param(usize),
}

/// A list operation's paging, with the wire and Rust names of what it reads and sets.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The response data's struct.
    pub page_type: Ty,
    /// The array field holding a page's items.
    pub items: PageField,
    /// The type of one item.
    pub item: Ty,
    pub style: Paging,
}

#[derive(Debug, Clone)]
pub enum Paging {
    /// The cursor goes in as `input` and comes back as `cursor`, with `has_more`.
    Cursor { input: PageInput, cursor: PageField, has_more: PageField },
    /// Page numbers from 1 in `page`, the page size in `size`, and the `total` of items.
    Page { page: PageInput, size: PageInput, total: PageField },
}

/// A field of the response data that paging reads.
#[derive(Debug, Clone)]
pub struct PageField {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    pub optional: bool,
}

/// A request input that paging sets.
#[derive(Debug, Clone)]
pub struct PageInput {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
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
        self.path_params.iter().chain(&self.query_params).chain(&self.header_params).chain(self.body.iter().flat_map(|b| &b.fields))
    }

    /// The required inputs other than path parameters, in `inputs` order.
    pub fn required_args(&self) -> impl Iterator<Item = &Member> {
        self.query_params.iter().chain(&self.header_params).chain(self.body.iter().flat_map(|b| &b.fields)).filter(|m| m.required)
    }
}

impl Vendor {
    /// The accessor methods from the client to an operation's accessor: `["acs", "v1", "user"]`.
    pub fn call_chain(&self, svc: &Service, op: &Operation) -> Vec<String> {
        let all: Vec<&Accessor> = self.accessors.iter().chain(&svc.accessors).collect();
        let mut chain = Vec::new();
        let mut at = Some((op.accessor.clone(), op.accessor_in_vendor));
        while let Some((name, in_vendor)) = at {
            // A service's accessors and the vendor's may share a name; the flag says which.
            let list: &[Accessor] = if in_vendor { &self.accessors } else { &svc.accessors };
            let Some(a) = list.iter().find(|a| a.rust == name).or_else(|| all.iter().copied().find(|a| a.rust == name)) else { break };
            chain.push(a.method.clone());
            at = a.parent.clone().map(|p| (p, a.parent_in_vendor));
        }
        chain.reverse();
        chain
    }
}
