//! The one error type of the runtime: what failed, and everything a user needs to report it
//! (the vendor's code and message, the HTTP status, the request id, the raw body).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::profile::DocumentedError;

/// At most this much of a response body is kept on an error.
pub const RAW_BODY_LIMIT: usize = 64 * 1024;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a failure code in its envelope.
    Api,
    /// The answer was not the documented shape (not JSON, wrong types, truncated).
    Decode,
    /// No answer in time.
    Timeout,
    /// The request could not be sent or the answer not read (connection refused, reset).
    Transport,
    /// Fetching the access token failed; code, message and request id are the token endpoint's.
    Token,
    /// The request was refused before sending: a missing user token, a header with CR/LF, a
    /// path parameter that cannot be one URL segment.
    InvalidRequest,
    /// The client configuration is invalid.
    Config,
}

/// An error from a call, with the vendor's code, message and request id when the server gave them.
///
/// Cheap to clone: waiters of one failed token fetch each get a clone of its error.
#[derive(Clone)]
pub struct Error {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    wire_kind: ErrorKind,
    vendor: &'static str,
    operation: Option<&'static str>,
    code: Option<i64>,
    sub_code: Option<i64>,
    message: String,
    http_status: Option<u16>,
    request_id: Option<String>,
    raw_body: Option<Bytes>,
    documented: Option<&'static DocumentedError>,
    attempts: u32,
    retry_after: Option<Duration>,
    never_sent: bool,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, vendor: &'static str, message: impl Into<String>) -> Error {
        Error {
            inner: Arc::new(Inner {
                kind,
                wire_kind: kind,
                vendor,
                operation: None,
                code: None,
                sub_code: None,
                message: message.into(),
                http_status: None,
                request_id: None,
                raw_body: None,
                documented: None,
                attempts: 1,
                retry_after: None,
                never_sent: false,
                source: None,
            }),
        }
    }

    /// A failure to send the request or read the answer: a timeout, or a transport failure that
    /// says whether the request provably never left (a refused connection).
    pub(crate) fn transport(vendor: &'static str, e: reqwest::Error) -> Error {
        let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport };
        let never_sent = e.is_connect();
        // reqwest's message names the URL, which holds no secret: tokens travel in headers only.
        let error = Error::new(kind, vendor, describe(&e)).with_source(e);
        if never_sent { error.with_never_sent() } else { error }
    }

    pub(crate) fn with_operation(mut self, operation: &'static str) -> Error {
        Arc::make_mut(&mut self.inner).operation = Some(operation);
        self
    }

    /// Names the operation, when the failed call is one (a raw call or a token exchange is not).
    pub(crate) fn for_operation(self, operation: Option<&'static str>) -> Error {
        match operation {
            Some(name) => self.with_operation(name),
            None => self,
        }
    }

    pub(crate) fn with_codes(mut self, code: Option<i64>, sub_code: Option<i64>) -> Error {
        let inner = Arc::make_mut(&mut self.inner);
        inner.code = code;
        inner.sub_code = sub_code;
        self
    }

    /// Keeps the status, the request id, and a bounded copy of the body (copied only here, on
    /// the error path).
    pub(crate) fn with_http(mut self, status: u16, request_id: Option<String>, body: &[u8]) -> Error {
        let inner = Arc::make_mut(&mut self.inner);
        inner.http_status = Some(status);
        inner.request_id = request_id;
        inner.raw_body = Some(Bytes::copy_from_slice(&body[..body.len().min(RAW_BODY_LIMIT)]));
        self
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Error {
        if request_id.is_some() {
            Arc::make_mut(&mut self.inner).request_id = request_id;
        }
        self
    }

    pub(crate) fn with_documented(mut self, documented: Option<&'static DocumentedError>) -> Error {
        Arc::make_mut(&mut self.inner).documented = documented;
        self
    }

    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        Arc::make_mut(&mut self.inner).source = Some(Arc::new(source));
        self
    }

    pub(crate) fn into_kind(mut self, kind: ErrorKind) -> Error {
        Arc::make_mut(&mut self.inner).kind = kind;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        Arc::make_mut(&mut self.inner).attempts = attempts;
        self
    }

    /// Marks a failure that happened before any byte of the request left (a refused connection).
    pub(crate) fn with_never_sent(mut self) -> Error {
        Arc::make_mut(&mut self.inner).never_sent = true;
        self
    }

    /// The request provably never reached the server, so even a POST may be sent again.
    pub fn never_sent(&self) -> bool {
        self.inner.never_sent
    }

    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Error {
        Arc::make_mut(&mut self.inner).retry_after = wait;
        self
    }

    /// What failed on the wire, before the error was filed under another kind (a transport
    /// failure while fetching a token is kind `Token`, wire kind `Transport`).
    pub(crate) fn wire_kind(&self) -> ErrorKind {
        self.inner.wire_kind
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The vendor's error code: the finer sub-code when the answer has one (Authing `apiCode`),
    /// else the envelope code (Feishu `code`, Authing `statusCode`).
    pub fn code(&self) -> Option<i64> {
        self.inner.sub_code.or(self.inner.code)
    }

    /// The envelope's own code (Feishu `code`, Authing `statusCode`), whatever the sub-code.
    pub fn envelope_code(&self) -> Option<i64> {
        self.inner.code
    }

    /// The server's message, or what went wrong on this side.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.inner.http_status
    }

    /// The id the vendor's support asks for (Feishu `X-Tt-Logid`, Authing `requestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The response body (its first 64 KiB), when there was one.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.inner.raw_body.as_deref()
    }

    /// The operation that failed, e.g. `GetUser`.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// The vendor of the client that made the call, e.g. `feishu`.
    pub fn vendor(&self) -> &'static str {
        self.inner.vendor
    }

    /// The doc page's entry for this error code, when the operation documents it.
    pub fn documented(&self) -> Option<&'static DocumentedError> {
        self.inner.documented
    }

    /// The doc page's troubleshooting hint for this error, if it has one.
    pub fn hint(&self) -> Option<&'static str> {
        self.inner.documented.and_then(|d| d.hint)
    }

    /// How many requests were sent (or tried) for this call, retries included.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// How long the server asked to wait before trying again (a rate-limit answer's reset header).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// Whether the call ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("vendor", &i.vendor);
        if let Some(op) = i.operation {
            d.field("operation", &op);
        }
        if let Some(c) = i.code {
            d.field("code", &c);
        }
        if let Some(c) = i.sub_code {
            d.field("sub_code", &c);
        }
        d.field("message", &i.message);
        if let Some(s) = i.http_status {
            d.field("http_status", &s);
        }
        if let Some(r) = &i.request_id {
            d.field("request_id", r);
        }
        if i.attempts > 1 {
            d.field("attempts", &i.attempts);
        }
        if let Some(b) = &i.raw_body {
            d.field("raw_body", &String::from_utf8_lossy(&b[..b.len().min(512)]));
        }
        if let Some(s) = &i.source {
            d.field("source", s);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        write!(f, "{}", i.vendor)?;
        if let Some(op) = i.operation {
            write!(f, " {op}")?;
        }
        let what = match i.kind {
            ErrorKind::Api => "failed",
            ErrorKind::Decode => "answer could not be decoded",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Transport => "could not reach the server",
            ErrorKind::Token => "could not get an access token",
            ErrorKind::InvalidRequest => "request refused before sending",
            ErrorKind::Config => "client configuration is invalid",
        };
        write!(f, " {what}: {}", i.message)?;
        let mut extras = Vec::new();
        if let Some(c) = self.code() {
            extras.push(format!("code {c}"));
        }
        if let Some(s) = i.http_status {
            extras.push(format!("HTTP {s}"));
        }
        if let Some(r) = &i.request_id {
            extras.push(format!("request id {r}"));
        }
        if i.attempts > 1 {
            extras.push(format!("after {} attempts", i.attempts));
        }
        if !extras.is_empty() {
            write!(f, " ({})", extras.join(", "))?;
        }
        Ok(())
    }
}

/// reqwest's message and its causes, which say what actually happened (refused, reset, timed out).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}
