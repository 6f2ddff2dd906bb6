//! The webhook receiver: one HTTP delivery in, one answer out, with no web framework in sight.
//! It checks the signature over the body as received, decrypts, answers the URL challenge, checks
//! the verification token, drops redeliveries of handled events, and hands the event to a
//! [`Dispatcher`]. Every rejection is a [`WebhookError`] with its HTTP status.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Deserialize;
use serde_json::Value;

use super::crypto::{self, DecryptError};
use super::dedupe::{Begin, SeenEvents};
use super::{Delivery, Dispatcher, HandlerError, Reply};
use crate::runtime::Secret;

/// The header holding the delivery's Unix time in seconds.
pub const TIMESTAMP_HEADER: &str = "x-lark-request-timestamp";
/// The header holding the delivery's nonce.
pub const NONCE_HEADER: &str = "x-lark-request-nonce";
/// The header holding the delivery's signature (hex).
pub const SIGNATURE_HEADER: &str = "x-lark-signature";

/// One delivery as the web framework received it. The body must be the bytes as sent: the
/// signature covers them, so never hand over JSON parsed and written again.
#[derive(Debug, Clone, Default)]
pub struct WebhookRequest {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl WebhookRequest {
    pub fn new(headers: HeaderMap, body: impl Into<Bytes>) -> WebhookRequest {
        WebhookRequest { headers, body: body.into() }
    }
}

/// The answer to send back: a status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl WebhookResponse {
    pub(crate) fn json(status: u16, body: &Value) -> WebhookResponse {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        WebhookResponse { status, headers, body: Bytes::from(body.to_string()) }
    }

    /// `200 {"msg":"success"}`, the acknowledgement Feishu's own SDKs send.
    pub(crate) fn success() -> WebhookResponse {
        WebhookResponse::json(200, &serde_json::json!({"msg": "success"}))
    }

    pub(crate) fn reply(reply: Reply) -> WebhookResponse {
        match reply {
            Reply::Ack => WebhookResponse::success(),
            Reply::Body(body) => WebhookResponse::json(200, &body),
        }
    }
}

/// When the handler runs relative to the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handling {
    /// Run the handler, then answer: 200 on success, 500 on failure (Feishu delivers again). The
    /// handler must finish within Feishu's limit of 3 seconds, or the delivery counts as failed
    /// and comes again (after 15 s, 5 min, 1 h and 6 h).
    #[default]
    Inline,
    /// Answer 200 at once and run the handler in a task of its own (`tokio::spawn`), for handlers
    /// slower than Feishu's 3 seconds. A failure is only logged: Feishu, having had its 200,
    /// delivers nothing again. A handler's reply body is dropped, so card callbacks, whose answer
    /// is the reply, must use [`Handling::Inline`].
    AcknowledgeFirst,
}

/// How a [`WebhookReceiver`] treats deliveries beyond the protocol's checks.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookOptions {
    /// Rejects a delivery whose `X-Lark-Request-Timestamp` is further than this from now (or
    /// missing). Off by default. It protects against replays only with an Encrypt Key: then the
    /// signature covers the timestamp.
    pub replay_window: Option<Duration>,
    /// How long the id of a handled event is kept, to drop its redeliveries. Feishu delivers again
    /// after 15 s, 5 min, 1 h and 6 h, so the default, 8 hours, covers all four.
    pub keep_ids_for: Duration,
    /// At most this many ids are kept; past it the oldest are forgotten first. 0 turns dropping
    /// redeliveries off.
    pub max_ids: usize,
    pub handling: Handling,
}

impl Default for WebhookOptions {
    fn default() -> WebhookOptions {
        WebhookOptions { replay_window: None, keep_ids_for: Duration::from_secs(8 * 3600), max_ids: 100_000, handling: Handling::Inline }
    }
}

/// A delivery the receiver did not hand to a handler, or whose handler failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body (or the decrypted body) is not JSON.
    NotJson(serde_json::Error),
    /// JSON, but neither an encrypted body, a challenge nor an event envelope.
    NotADelivery(serde_json::Error),
    /// The body is encrypted and the receiver has no Encrypt Key.
    NoEncryptKey,
    /// A header the check needs is absent. With an Encrypt Key, a delivery without the signature
    /// headers is accepted only as a URL challenge, and any other such delivery, however its
    /// ciphertext decrypts, is this error: an unsigned request learns nothing about decryption.
    MissingHeader(&'static str),
    /// The signature does not match the body as received.
    ForgedSignature,
    Decrypt(DecryptError),
    /// The verification token of the delivery (or of the challenge) is absent or not the app's.
    WrongToken {
        event_id: Option<String>,
    },
    /// `X-Lark-Request-Timestamp` is outside [`WebhookOptions::replay_window`] or not a number.
    OutsideWindow {
        event_id: String,
        timestamp: Option<i64>,
    },
    /// The event was handled before: answered 200 without running the handler.
    Duplicate {
        event_id: String,
    },
    /// The event is being handled right now (its handler is slower than Feishu's redelivery):
    /// answered 503, so Feishu tries again later and finds it handled, or handles it if the first
    /// run failed.
    InProgress {
        event_id: String,
    },
    /// The handler failed (or the event does not decode into its typed struct): answered 500, so
    /// Feishu delivers it again, and its id is not kept.
    Handler(HandlerError),
}

impl WebhookError {
    /// The HTTP status the receiver answers with.
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::NotJson(_) | WebhookError::NotADelivery(_) | WebhookError::Decrypt(_) => 400,
            WebhookError::MissingHeader(_) | WebhookError::ForgedSignature | WebhookError::WrongToken { .. } | WebhookError::OutsideWindow { .. } => 401,
            WebhookError::Duplicate { .. } => 200,
            WebhookError::InProgress { .. } => 503,
            WebhookError::NoEncryptKey | WebhookError::Handler(_) => 500,
        }
    }

    /// The event's id, when the delivery got far enough to show it.
    pub fn event_id(&self) -> Option<&str> {
        match self {
            WebhookError::WrongToken { event_id } => event_id.as_deref(),
            WebhookError::OutsideWindow { event_id, .. } | WebhookError::Duplicate { event_id } | WebhookError::InProgress { event_id } => Some(event_id),
            WebhookError::Handler(e) => Some(e.event_id()),
            _ => None,
        }
    }

    /// A short name of the rejection, for logs and the answer's body.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookError::NotJson(_) => "not json",
            WebhookError::NotADelivery(_) => "not a delivery",
            WebhookError::NoEncryptKey => "no encrypt key",
            WebhookError::MissingHeader(_) => "missing header",
            WebhookError::ForgedSignature => "forged signature",
            WebhookError::Decrypt(DecryptError::Base64) => "bad base64",
            WebhookError::Decrypt(DecryptError::Truncated { .. }) => "truncated ciphertext",
            WebhookError::Decrypt(DecryptError::Length { .. }) => "bad ciphertext length",
            WebhookError::Decrypt(_) => "bad padding",
            WebhookError::WrongToken { .. } => "wrong token",
            WebhookError::OutsideWindow { .. } => "timestamp outside window",
            WebhookError::Duplicate { .. } => "duplicate",
            WebhookError::InProgress { .. } => "in progress",
            WebhookError::Handler(_) => "handler failed",
        }
    }

    /// The answer to send: the status, and `{"msg": <kind>}` (`{"msg":"success"}` for a duplicate).
    pub fn response(&self) -> WebhookResponse {
        match self {
            WebhookError::Duplicate { .. } => WebhookResponse::success(),
            _ => WebhookResponse::json(self.status(), &serde_json::json!({"msg": self.kind()})),
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::NotJson(e) => write!(f, "the body is not JSON ({})", json_error(e)),
            WebhookError::NotADelivery(e) => write!(f, "the body is neither an encrypted body, a challenge nor an event envelope ({})", json_error(e)),
            WebhookError::NoEncryptKey => f.write_str("the body is encrypted and the receiver has no Encrypt Key"),
            WebhookError::MissingHeader(name) => write!(f, "the delivery has no `{name}` header"),
            WebhookError::ForgedSignature => f.write_str("the signature does not match the body"),
            WebhookError::Decrypt(e) => e.fmt(f),
            WebhookError::WrongToken { event_id: Some(id) } => write!(f, "event {id} does not carry the app's verification token"),
            WebhookError::WrongToken { event_id: None } => f.write_str("the challenge does not carry the app's verification token"),
            WebhookError::OutsideWindow { event_id, timestamp: Some(t) } => write!(f, "event {event_id} was sent at {t}, outside the replay window"),
            WebhookError::OutsideWindow { event_id, timestamp: None } => write!(f, "event {event_id} has no readable timestamp"),
            WebhookError::Duplicate { event_id } => write!(f, "event {event_id} was handled before"),
            WebhookError::InProgress { event_id } => write!(f, "event {event_id} is being handled"),
            WebhookError::Handler(e) => handler_error(f, e),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::NotJson(e) | WebhookError::NotADelivery(e) => Some(e),
            WebhookError::Decrypt(e) => Some(e),
            WebhookError::Handler(e) => Some(e),
            _ => None,
        }
    }
}

/// Where a JSON error is, without serde's message, which may quote the body.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Eof => "unexpected end",
        serde_json::error::Category::Data => "unexpected shape",
    };
    if e.line() == 0 { what.to_owned() } else { format!("{what} at line {} column {}", e.line(), e.column()) }
}

/// A handler's failure, without the decoding error's message (which may quote the event).
fn handler_error(f: &mut fmt::Formatter<'_>, e: &HandlerError) -> fmt::Result {
    match e {
        HandlerError::Decode { event_type, event_id, source } => write!(f, "event {event_id} ({event_type}) does not decode into its typed event ({})", json_error(source)),
        HandlerError::Failed { event_type, event_id, source } => write!(f, "the handler of event {event_id} ({event_type}) failed: {source}"),
    }
}

/// Receives Feishu's (and Lark's) pushed events and card callbacks (`card.action.trigger`) over
/// HTTP, and hands each event to a [`Dispatcher`].
///
/// In order, a delivery is
/// 1. read as JSON (`{"encrypt": …}` when the app has an Encrypt Key);
/// 2. with an Encrypt Key, checked against `X-Lark-Signature` (SHA-256 over timestamp, nonce,
///    key and the body as received) before anything is decrypted; a delivery without the
///    signature headers may only be the URL challenge;
/// 3. decrypted (AES-256-CBC);
/// 4. answered at once with `{"challenge": …}` if it is the URL challenge (its token checked);
/// 5. checked for the app's verification token, and for its timestamp if
///    [`WebhookOptions::replay_window`] is set;
/// 6. dropped (answered 200) if its event id was handled before;
/// 7. handed to the dispatcher: 200 with `{"msg":"success"}` or the handler's reply body, or 500
///    when the handler fails, so that Feishu delivers it again.
///
/// The receiver knows no web framework: feed it the headers and the raw body
/// ([`WebhookReceiver::handle`]), or, with the `axum` feature, mount `into_router`.
///
/// ```no_run
/// # use generated_client::runtime::events::{Dispatcher, Envelope, WebhookReceiver, WebhookRequest};
/// # use generated_client::runtime::serde_json::Value;
/// # async fn example(request: WebhookRequest) {
/// let dispatcher = Dispatcher::new().fallback(|e: Envelope<Value>| async move {
///     println!("{} {}", e.header.event_type, e.header.event_id);
///     Ok::<(), std::io::Error>(())
/// });
/// let receiver = WebhookReceiver::new("verification token", dispatcher).encrypt_key("encrypt key");
/// let response = receiver.handle(request).await;
/// # }
/// ```
#[derive(Clone)]
pub struct WebhookReceiver {
    verification_token: Secret,
    encrypt_key: Option<Secret>,
    options: WebhookOptions,
    dispatcher: Arc<Dispatcher>,
    seen: Arc<SeenEvents>,
}

impl fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("encrypt_key", &self.encrypt_key.is_some())
            .field("options", &self.options)
            .field("dispatcher", &self.dispatcher)
            .finish_non_exhaustive()
    }
}

/// The one field of an encrypted body.
#[derive(Deserialize)]
pub(crate) struct Outer {
    pub encrypt: Option<String>,
}

impl WebhookReceiver {
    /// A receiver for the app with this verification token (the app's page "Events and
    /// callbacks", "Encryption strategy"), with the default [`WebhookOptions`].
    pub fn new(verification_token: impl Into<Secret>, dispatcher: Dispatcher) -> WebhookReceiver {
        let options = WebhookOptions::default();
        WebhookReceiver { verification_token: verification_token.into(), encrypt_key: None, seen: Arc::new(seen_events(&options)), options, dispatcher: Arc::new(dispatcher) }
    }

    /// The app's Encrypt Key: deliveries arrive encrypted and signed, and the signature is checked.
    pub fn encrypt_key(mut self, encrypt_key: impl Into<Secret>) -> WebhookReceiver {
        self.encrypt_key = Some(encrypt_key.into());
        self
    }

    /// Replaces the options (and forgets the event ids seen so far).
    pub fn options(mut self, options: WebhookOptions) -> WebhookReceiver {
        self.seen = Arc::new(seen_events(&options));
        self.options = options;
        self
    }

    /// Receives one delivery and gives the answer to send back; rejections become their status
    /// (see [`WebhookError::status`]) and are logged.
    pub async fn handle(&self, request: WebhookRequest) -> WebhookResponse {
        self.handle_checked(request).await.unwrap_or_else(|e| e.response())
    }

    /// As [`WebhookReceiver::handle`], with the rejection as a typed error (already logged);
    /// [`WebhookError::response`] is the answer to send for it.
    pub async fn handle_checked(&self, request: WebhookRequest) -> Result<WebhookResponse, WebhookError> {
        let result = self.receive(request).await;
        match &result {
            Ok(_) => {}
            Err(e) => log_rejection(e),
        }
        result
    }

    async fn receive(&self, request: WebhookRequest) -> Result<WebhookResponse, WebhookError> {
        let WebhookRequest { headers, body } = request;
        let outer: Outer = serde_json::from_slice(&body).map_err(json_rejection)?;
        let signed = match &self.encrypt_key {
            Some(key) => match signature_headers(&headers).map_err(WebhookError::MissingHeader)? {
                Some(h) if crypto::signature_matches(&crypto::event_signature(h.timestamp, h.nonce, key.expose(), &body), h.signature) => true,
                Some(_) => return Err(WebhookError::ForgedSignature),
                None => false,
            },
            None => false,
        };
        let opened = open(self.encrypt_key.as_ref(), outer.encrypt.as_deref(), &body).and_then(|plain| Delivery::parse(&plain).map_err(json_rejection));
        let delivery = match opened {
            Ok(Delivery::Challenge { challenge, token }) => {
                if !token_matches(&self.verification_token, token.as_ref()) {
                    return Err(WebhookError::WrongToken { event_id: None });
                }
                tracing::info!("webhook URL challenge answered");
                return Ok(WebhookResponse::json(200, &serde_json::json!({ "challenge": challenge })));
            }
            // An unsigned delivery is a challenge or nothing, whatever went wrong opening it.
            _ if self.encrypt_key.is_some() && !signed => return Err(WebhookError::MissingHeader(SIGNATURE_HEADER)),
            Ok(Delivery::Event(envelope)) => envelope,
            Err(e) => return Err(e),
        };
        let event_id = delivery.header.event_id.clone();
        if !token_matches(&self.verification_token, delivery.header.token.as_ref()) {
            return Err(WebhookError::WrongToken { event_id: Some(event_id) });
        }
        if let Some(window) = self.options.replay_window {
            check_window(&headers, window, &event_id)?;
        }
        let claim = match self.seen.begin(&event_id) {
            Begin::New => Claim { seen: &self.seen, event_id: &event_id, done: false },
            Begin::Handled => return Err(WebhookError::Duplicate { event_id }),
            Begin::InProgress => return Err(WebhookError::InProgress { event_id }),
        };
        match self.options.handling {
            Handling::Inline => {
                let result = self.dispatcher.dispatch(delivery).await;
                claim.finish(result.is_ok());
                let reply = result.map_err(WebhookError::Handler)?;
                tracing::debug!(event_id = %event_id, "webhook event handled");
                Ok(WebhookResponse::reply(reply))
            }
            Handling::AcknowledgeFirst => {
                claim.finish(true);
                let dispatcher = Arc::clone(&self.dispatcher);
                tokio::spawn(async move {
                    match dispatcher.dispatch(delivery).await {
                        Ok(Reply::Ack) => tracing::debug!(event_id = %event_id, "webhook event handled after its acknowledgement"),
                        Ok(Reply::Body(_)) => tracing::warn!(event_id = %event_id, "webhook event handled after its acknowledgement; its reply body was dropped"),
                        Err(e) => log_rejection(&WebhookError::Handler(e)),
                    }
                });
                Ok(WebhookResponse::success())
            }
        }
    }
}

fn seen_events(options: &WebhookOptions) -> SeenEvents {
    SeenEvents::new(options.keep_ids_for, options.max_ids)
}

/// An event id claimed for handling; forgotten again if the handling never finishes (a panic, or
/// the framework dropping the request), so the redelivery is handled.
struct Claim<'a> {
    seen: &'a SeenEvents,
    event_id: &'a str,
    done: bool,
}

impl Claim<'_> {
    fn finish(mut self, handled: bool) {
        self.done = true;
        self.seen.finish(self.event_id, handled);
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.seen.finish(self.event_id, false);
        }
    }
}

fn json_rejection(e: serde_json::Error) -> WebhookError {
    match e.classify() {
        serde_json::error::Category::Data => WebhookError::NotADelivery(e),
        _ => WebhookError::NotJson(e),
    }
}

/// The plaintext of a body: decrypted if it is `{"encrypt": …}`, else the body itself.
fn open<'b>(encrypt_key: Option<&Secret>, encrypted: Option<&str>, body: &'b [u8]) -> Result<Cow<'b, [u8]>, WebhookError> {
    match encrypted {
        None => Ok(Cow::Borrowed(body)),
        Some(encrypted) => {
            let key = encrypt_key.ok_or(WebhookError::NoEncryptKey)?;
            crypto::decrypt(key.expose(), encrypted).map(Cow::Owned).map_err(WebhookError::Decrypt)
        }
    }
}

/// The three signature headers of a request.
pub(crate) struct SignatureHeaders<'h> {
    pub timestamp: &'h str,
    pub nonce: &'h str,
    pub signature: &'h str,
}

/// The signature headers: all three, none (`Ok(None)`), or the name of the first missing one.
pub(crate) fn signature_headers(headers: &HeaderMap) -> Result<Option<SignatureHeaders<'_>>, &'static str> {
    let get = |name: &'static str| headers.get(name).and_then(|v| std::str::from_utf8(v.as_bytes()).ok());
    match (get(TIMESTAMP_HEADER), get(NONCE_HEADER), get(SIGNATURE_HEADER)) {
        (Some(timestamp), Some(nonce), Some(signature)) => Ok(Some(SignatureHeaders { timestamp, nonce, signature })),
        (None, None, None) => Ok(None),
        (None, ..) => Err(TIMESTAMP_HEADER),
        (_, None, _) => Err(NONCE_HEADER),
        (.., None) => Err(SIGNATURE_HEADER),
    }
}

fn token_matches(expected: &Secret, received: Option<&Secret>) -> bool {
    received.is_some_and(|t| crypto::secret_matches(expected.expose(), t.expose()))
}

fn check_window(headers: &HeaderMap, window: Duration, event_id: &str) -> Result<(), WebhookError> {
    let raw = headers.get(TIMESTAMP_HEADER).ok_or(WebhookError::MissingHeader(TIMESTAMP_HEADER))?;
    let timestamp = raw.to_str().ok().and_then(|s| s.trim().parse::<i64>().ok());
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let window = i64::try_from(window.as_secs()).unwrap_or(i64::MAX);
    match timestamp {
        Some(t) if now.abs_diff(t) <= window.unsigned_abs() => Ok(()),
        timestamp => Err(WebhookError::OutsideWindow { event_id: event_id.to_owned(), timestamp }),
    }
}

/// One log line per rejection: its kind, status and event id, never the body or a secret.
fn log_rejection(e: &WebhookError) {
    let (kind, status, event_id) = (e.kind(), e.status(), e.event_id());
    match e {
        WebhookError::Duplicate { .. } => tracing::debug!(rejection = kind, status, event_id, "webhook delivery dropped: handled before"),
        WebhookError::InProgress { .. } => tracing::info!(rejection = kind, status, event_id, "webhook delivery deferred: the event is being handled"),
        WebhookError::Handler(h) => tracing::error!(rejection = kind, status, event_id, event_type = h.event_type(), error = %e, "webhook event handler failed"),
        WebhookError::NoEncryptKey => tracing::error!(rejection = kind, status, "webhook delivery rejected: it is encrypted and the receiver has no Encrypt Key"),
        _ => tracing::warn!(rejection = kind, status, event_id, error = %e, "webhook delivery rejected"),
    }
}
