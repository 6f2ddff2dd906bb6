//! Raw calls: the escape hatch for endpoints that have no spec yet. A raw call is sent through
//! the same pipeline as a generated one (the client's tokens, retries, the envelope or status
//! check, typed errors); only its path, inputs and payload type are the caller's.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::call::{Body, Call, Part, Tokens};
use super::client::Core;
use super::error::Error;
use super::files::{Download, DownloadStream, UploadFile};
use super::profile::{Method, ResponseSpec, TokenSpec};
use super::secret::Secret;

/// A call to an endpoint that has no spec, started with [`Core::raw`]: set its inputs, then send
/// it with [`send`](RawRequest::send) (decoding the payload as any `T`, such as your own struct
/// or `serde_json::Value`), [`send_unit`](RawRequest::send_unit),
/// [`download`](RawRequest::download) or [`download_stream`](RawRequest::download_stream).
///
/// A problem with an input (a header with CR/LF, an unknown token kind, a body that does not
/// serialize) does not panic: the call fails with [`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest)
/// before anything is sent.
///
/// ```no_run
/// # async fn demo(lark: &generated_client::feishu::Client) -> Result<(), generated_client::runtime::Error> {
/// use generated_client::runtime::{Method, serde};
///
/// #[derive(serde::Deserialize)]
/// #[serde(crate = "generated_client::runtime::serde")]
/// struct Chat {
///     chat_id: String,
///     name: Option<String>,
/// }
///
/// // GET with the tenant_access_token the client fetches itself; the payload under `data`.
/// let chat: Chat = lark.core().raw(Method::Get, "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230").send().await?;
///
/// // With a user_access_token instead of the client's own token.
/// let chat: Chat = lark
///     .core()
///     .raw(Method::Get, "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230")
///     .request_token("user", "u-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef")
///     .send()
///     .await?;
/// # let _ = (chat.chat_id, chat.name); Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest {
    core: Core,
    call: Call,
}

impl RawRequest {
    /// Adds a query parameter; added pairs are sent in order, and a name may repeat.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> RawRequest {
        self.call.query.push((name.into(), value.to_string()));
        self
    }

    /// Adds a header, replacing a default header of the same name. A name that is not a header
    /// name, or a value with CR, LF or other control characters, fails the call before sending.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> RawRequest {
        let (name, value) = (name.into(), value.into());
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            self.call.fail(format!("`{name}` is not a header name"));
        } else if HeaderValue::from_str(&value).is_err() {
            self.call.fail(format!("header `{name}` has a value with control characters (CR, LF); refusing to send it"));
        }
        self.call.headers.push((Cow::Owned(name), value));
        self
    }

    /// Sends `body` written as JSON (`Content-Type: application/json`), replacing an earlier
    /// JSON body. A request has one body: this and form parts cannot be combined.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> RawRequest {
        match (&self.call.body, serde_json::to_vec(body)) {
            (Body::Form(_), _) => self.call.fail("a request has one body: a JSON body cannot be added to a form".to_owned()),
            (_, Ok(json)) => self.call.body = Body::Json(Bytes::from(json)),
            (_, Err(e)) => self.call.fail(format!("the body could not be written as JSON: {e}")),
        }
        self
    }

    /// Adds a text part to a `multipart/form-data` body.
    pub fn text_part(mut self, name: impl Into<String>, value: impl Into<String>) -> RawRequest {
        self.call.part(Cow::Owned(name.into()), Part::Text(value.into()));
        self
    }

    /// Adds a file part to a `multipart/form-data` body (labelled `application/octet-stream`
    /// unless the file says otherwise).
    pub fn file_part(mut self, name: impl Into<String>, file: UploadFile) -> RawRequest {
        self.call.part(Cow::Owned(name.into()), Part::File(file));
        self
    }

    /// Calls with the client's token of this kind (a name from the vendor's `vendor.yaml`, such as
    /// Feishu's `tenant`): fetched and cached by the client when it fetches that kind itself, else
    /// the client's static token. An unknown kind fails the call before sending.
    pub fn token_kind(mut self, kind: &str) -> RawRequest {
        if let Some(kind) = self.kind(kind) {
            self.call.tokens = Tokens::Kind(kind);
            self.call.request_token = None;
        }
        self
    }

    /// Calls with no access token, for endpoints that take none.
    pub fn no_token(mut self) -> RawRequest {
        self.call.tokens = Tokens::None;
        self.call.request_token = None;
        self
    }

    /// Calls with `token`, sent as a token of `kind` is (its header and prefix), instead of the
    /// client's own: a per-request token such as Feishu's `user` access token. A refused
    /// per-request token is not refetched. Kept secret: never printed by `Debug` or logs.
    pub fn request_token(mut self, kind: &str, token: impl Into<String>) -> RawRequest {
        if let Some(kind) = self.kind(kind) {
            self.call.tokens = Tokens::Kind(kind);
            self.call.request_token = Some(Secret::new(token));
        }
        self
    }

    /// Reads the payload from the whole answer instead of the envelope's data field, for
    /// answers that put it beside the code and message (Feishu's token endpoints). Without an
    /// envelope (a plain HTTP API), the payload is always the whole body.
    pub fn flat(mut self) -> RawRequest {
        self.call.response = ResponseSpec::Flat;
        self
    }

    /// Whether the call may be sent again after it may have reached the server (after a timeout,
    /// a 502–504 or a rate limit). By default, as its method says ([`Method::is_idempotent`]);
    /// set it for a POST that changes nothing, such as a search. A request that never left is
    /// retried either way.
    pub fn idempotent(mut self, idempotent: bool) -> RawRequest {
        self.call.idempotent = idempotent;
        self
    }

    /// Sends the call and decodes its payload (by default the envelope's data field; see
    /// [`flat`](RawRequest::flat)) as `T`: your own type, or `serde_json::Value`. A missing or
    /// null payload decodes as JSON `null`; for an answer with no payload, use
    /// [`send_unit`](RawRequest::send_unit).
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.core.send_json(self.call).await
    }

    /// Sends the call and checks its answer, ignoring any payload.
    pub async fn send_unit(self) -> Result<(), Error> {
        self.core.send_unit(self.call).await
    }

    /// Sends the call and reads its answer as a file: a 2xx answer that is not JSON is the file;
    /// a JSON answer is checked as any other (a failure is an [`Error`]).
    pub async fn download(self) -> Result<Download, Error> {
        self.core.send_binary(self.call).await
    }

    /// As [`download`](RawRequest::download), but the file is handed over as it arrives, for files
    /// too large to hold in memory. Retries and token refreshes happen before the file starts.
    pub async fn download_stream(self) -> Result<DownloadStream, Error> {
        self.core.send_binary_stream(self.call).await
    }
}

impl RawRequest {
    pub(crate) fn new(core: Core, method: Method, path: String) -> RawRequest {
        let profile = core.inner.profile;
        let problem = path_problem(&path);
        let mut call = Call::bare(method, "raw", path);
        if let Some(problem) = problem {
            call.fail(problem);
        }
        // The client's own token: the first kind it fetches itself, else its static token.
        let fetched = profile.tokens.iter().find(|t| t.exchange.is_some());
        let given = profile.tokens.first().filter(|_| core.inner.static_token.is_some());
        if let Some(kind) = fetched.or(given) {
            call.tokens = Tokens::Kind(kind);
        }
        RawRequest { core, call }
    }

    /// The token kind named `name`, or `None` with the call failed.
    fn kind(&mut self, name: &str) -> Option<&'static TokenSpec> {
        let profile = self.core.inner.profile;
        let kind = profile.token(name);
        if kind.is_none() {
            let known: Vec<&str> = profile.tokens.iter().map(|t| t.name).collect();
            self.call.fail(format!("{} has no token kind `{name}`; its kinds: {}", profile.name, known.join(", ")));
        }
        kind
    }
}

/// Why `path` cannot be appended to the base URL as it is, if it cannot.
fn path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some(format!("the path {path:?} must start with `/`"));
    }
    if path.chars().any(char::is_control) {
        return Some(format!("the path {path:?} has control characters (CR, LF)"));
    }
    if path.contains(['?', '#']) {
        return Some(format!("the path {path:?} has a query or fragment: add query parameters with `.query(name, value)`"));
    }
    // URL parsers resolve these segments: the request would reach another endpoint.
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return Some(format!("the path {path:?} has a `.` or `..` segment"));
    }
    None
}

/// Names, not values: a header or a body may carry a secret.
impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = &self.call;
        let token = match (call.tokens, &call.request_token) {
            (Tokens::None, _) => None,
            (Tokens::Kind(kind), token) => Some((kind.name, token.is_some())),
            (Tokens::Named(names), token) => Some((names.first().copied().unwrap_or_default(), token.is_some())),
        };
        f.debug_struct("RawRequest")
            .field("vendor", &self.core.vendor())
            .field("method", &call.method)
            .field("path", &call.path)
            .field("query", &call.query.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>())
            .field("headers", &call.headers.iter().map(|(n, _)| n.as_ref()).collect::<Vec<_>>())
            .field("token", &token.map(|(kind, per_request)| if per_request { format!("{kind} (per request)") } else { kind.to_owned() }))
            .field("flat", &(call.response == ResponseSpec::Flat))
            .field("idempotent", &call.idempotent)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::path_problem;

    #[test]
    fn paths_that_would_change_the_url_are_refused() {
        assert_eq!(path_problem("/open-apis/im/v1/messages"), None);
        assert_eq!(path_problem("/open-apis/im/v1/chats/oc_1%2F2"), None);
        for bad in ["open-apis/im", "", "/a\r\nX-Evil: 1", "/a\n", "/a?b=1", "/a#top", "/a/../admin", "/./a", "/a/\t"] {
            assert!(path_problem(bad).is_some(), "{bad:?} is refused");
        }
    }
}
