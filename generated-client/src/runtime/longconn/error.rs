//! Why a long connection stopped for good ([`LongConnectionError`]), and the verdict on one
//! failed attempt: try again, or stop.

use std::fmt;

/// The auth code of a handshake refused because the app has too many connections open.
pub const TOO_MANY_CONNECTIONS: i64 = 1_000_040_350;

/// Why [`LongConnection::run`](super::LongConnection::run) returned: errors that retrying does
/// not mend. Transient failures (network, busy server, a dropped or silent connection) are
/// retried by the reconnect schedule and never surface here, unless the schedule runs out of
/// tries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LongConnectionError {
    /// The endpoint answered a code other than 0 (success), 1 and 1000040343 (busy, retried):
    /// wrong credentials, an app that may not use the long connection, …
    EndpointRefused { code: i64, msg: String },
    /// The WebSocket handshake was refused for good: `Handshake-Status` 403, or 514 with
    /// `Handshake-Autherrcode` 1000040350 (too many connections for this app).
    HandshakeRefused { status: i64, auth_code: Option<i64>, msg: String },
    /// A reconnect round made its last try (the server's `ReconnectCount`, or the builder's
    /// `reconnect_tries`) without connecting; `last` is the last failure.
    RetriesExhausted { tries: u32, last: String },
    /// TLS (or the HTTP client) could not be set up on this machine.
    Tls(String),
    /// The base URL given to the builder is not an absolute http(s) URL.
    InvalidBaseUrl(String),
}

impl LongConnectionError {
    /// Whether the server refused the connection because the app has too many open.
    pub fn is_too_many_connections(&self) -> bool {
        match self {
            LongConnectionError::HandshakeRefused { auth_code, .. } => *auth_code == Some(TOO_MANY_CONNECTIONS),
            LongConnectionError::EndpointRefused { code, .. } => *code == TOO_MANY_CONNECTIONS,
            _ => false,
        }
    }
}

impl fmt::Display for LongConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LongConnectionError::EndpointRefused { code, msg } => write!(f, "the long-connection endpoint refused the app: code {code}: {msg}"),
            LongConnectionError::HandshakeRefused { status, auth_code: Some(auth), msg } => {
                write!(f, "the long-connection handshake was refused: status {status}, auth code {auth}: {msg}")
            }
            LongConnectionError::HandshakeRefused { status, auth_code: None, msg } => write!(f, "the long-connection handshake was refused: status {status}: {msg}"),
            LongConnectionError::RetriesExhausted { tries, last } => write!(f, "the long connection could not be re-established in {tries} tries; the last failure: {last}"),
            LongConnectionError::Tls(why) => write!(f, "the long connection's TLS could not be set up: {why}"),
            LongConnectionError::InvalidBaseUrl(why) => write!(f, "the long connection's base URL is invalid: {why}"),
        }
    }
}

impl std::error::Error for LongConnectionError {}

/// The verdict on one failed attempt (an endpoint fetch or a handshake).
#[derive(Debug)]
pub(crate) enum Failure {
    /// Worth another try, for this reason (never holding the connection URL).
    Retry(String),
    Fatal(LongConnectionError),
}

impl From<LongConnectionError> for Failure {
    fn from(e: LongConnectionError) -> Failure {
        Failure::Fatal(e)
    }
}
