//! Static descriptions the generated code hands to the runtime: what a vendor's servers do
//! (from `vendor.yaml`) and what one operation is (from its spec).

/// What `vendor.yaml` says: hosts, envelope, request id, credentials, tokens, signals.
#[derive(Debug)]
pub struct VendorProfile {
    pub name: &'static str,
    pub default_base_url: &'static str,
    /// The vendor's hosts: (name, base URL). A client whose base URL is one of them sends the
    /// operations of a service served elsewhere to that service's host of the same name.
    pub hosts: &'static [(&'static str, &'static str)],
    /// `None`: a plain HTTP API, where a 2xx status is success and the body is the payload.
    pub envelope: Option<EnvelopeSpec>,
    /// Lower-case header names holding the request id, in the order to try.
    pub request_id_headers: &'static [&'static str],
    /// The body field holding the request id.
    pub request_id_field: Option<&'static str>,
    pub credentials: &'static [CredentialSpec],
    pub tokens: &'static [TokenSpec],
    /// Envelope codes meaning the token was refused: drop it, fetch a new one, retry once.
    pub token_invalid_codes: &'static [i64],
    pub token_invalid_statuses: &'static [u16],
    pub rate_limit_codes: &'static [i64],
    pub rate_limit_statuses: &'static [u16],
    pub rate_limit_reset_header: Option<&'static str>,
}

/// Field names of the JSON wrapper around every response, and the success rule.
#[derive(Debug)]
pub struct EnvelopeSpec {
    pub code: &'static str,
    /// A finer code present on failures (Authing `apiCode`); `Error::code` prefers it.
    pub sub_code: Option<&'static str>,
    pub message: &'static str,
    pub data: &'static str,
    /// The value of `code` that means success.
    pub success: i64,
}

#[derive(Debug)]
pub struct CredentialSpec {
    pub name: &'static str,
    pub secret: bool,
    /// The vendor pushes it to the app in an event (Feishu's `app_ticket`): not needed to build
    /// the client, set when the event arrives (`Core::set_credential`).
    pub pushed: Option<PushedSpec>,
}

/// Where a pushed credential arrives: the event type, and the field of its body that holds it.
#[derive(Debug)]
pub struct PushedSpec {
    pub event: &'static str,
    pub field: &'static str,
}

/// A kind of access token and how it reaches the server.
#[derive(Debug)]
pub struct TokenSpec {
    pub name: &'static str,
    /// Lower-case header name.
    pub header: &'static str,
    /// Written before the token, e.g. `Bearer `.
    pub prefix: &'static str,
    /// How the client fetches it; `None` when the caller passes it per request.
    pub exchange: Option<ExchangeSpec>,
}

/// The call that trades credentials for a token.
#[derive(Debug)]
pub struct ExchangeSpec {
    pub method: Method,
    pub path: &'static str,
    /// The own hosts of the exchange operation's service, as [`OperationSpec::hosts`].
    pub hosts: &'static [(&'static str, &'static str)],
    /// Body field ← credential name.
    pub body: &'static [(&'static str, &'static str)],
    /// Path of the token in the response body.
    pub token: &'static [&'static str],
    /// Path of the lifetime in seconds.
    pub expires_in: &'static [&'static str],
    /// Headers sent beside the token.
    pub headers: &'static [BoundHeaderSpec],
}

/// A header derived from the token: a claim of it read as an unverified JWT, or a credential.
#[derive(Debug)]
pub struct BoundHeaderSpec {
    pub name: &'static str,
    pub jwt_claim: Option<&'static str>,
    pub credential: Option<&'static str>,
}

/// An HTTP method the specs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// One operation, as its spec says.
#[derive(Debug)]
pub struct OperationSpec {
    /// The spec file without `.yaml`, e.g. `specs/feishu/acs/v1/user/get`.
    pub id: &'static str,
    /// The operation's name, e.g. `GetUser`.
    pub name: &'static str,
    pub method: Method,
    /// The path template as the spec writes it.
    pub path: &'static str,
    /// Where its service is served instead of the vendor's hosts: (vendor host name, base URL)
    /// for some or all of the vendor's hosts; empty when it is served from the vendor's hosts.
    pub hosts: &'static [(&'static str, &'static str)],
    /// The token kinds it accepts; empty when it takes none.
    pub tokens: &'static [&'static str],
    pub response: ResponseSpec,
    pub errors: &'static [DocumentedError],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseSpec {
    /// JSON, payload under the envelope's data field.
    Data,
    /// JSON, payload beside the envelope's code and message.
    Flat,
    /// The bytes of a file on success; a JSON envelope otherwise.
    Binary,
}

/// An error code the doc page lists for an operation.
#[derive(Debug, PartialEq, Eq)]
pub struct DocumentedError {
    pub code: i64,
    pub http_status: Option<u16>,
    pub message: &'static str,
    pub hint: Option<&'static str>,
}

impl Method {
    /// The method's name on the wire, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110: GET, PUT,
    /// DELETE), so that a request that may have reached the server can be sent again.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl VendorProfile {
    pub(crate) fn token(&self, name: &str) -> Option<&'static TokenSpec> {
        // `tokens` is a `'static` slice, so the element is too.
        let tokens: &'static [TokenSpec] = self.tokens;
        tokens.iter().find(|t| t.name == name)
    }
}
