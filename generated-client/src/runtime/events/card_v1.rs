//! The old card callback (`card.action.trigger_v1`): a flat body, not an event envelope, signed
//! with SHA-1 over timestamp, nonce, the Verification Token and the body as received, answered
//! with a card that replaces the one acted on. [`CardV1Receiver`] receives it over HTTP; new apps
//! use `card.action.trigger` ([`CardActionTrigger`](super::CardActionTrigger)) instead.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::crypto::{self, DecryptError};
use super::webhook::{Outer, SIGNATURE_HEADER, json_error, signature_headers};
use super::{IntoReply, Reply, WebhookRequest, WebhookResponse};
use crate::runtime::Secret;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type BoxFuture = Pin<Box<dyn Future<Output = Result<Reply, BoxError>> + Send>>;
type Handler = Arc<dyn Fn(CardV1Callback) -> BoxFuture + Send + Sync>;

/// The body of an old card callback.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct CardV1Callback {
    #[serde(default)]
    pub open_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub open_message_id: Option<String>,
    #[serde(default)]
    pub open_chat_id: Option<String>,
    #[serde(default)]
    pub tenant_key: Option<String>,
    /// A token to update the card with later.
    #[serde(default)]
    pub token: Option<Secret>,
    #[serde(default)]
    pub action: CardV1Action,
}

/// What the user did.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct CardV1Action {
    /// The component's `value`, as the card's author set it.
    #[serde(default)]
    pub value: Option<Value>,
    #[serde(default)]
    pub tag: Option<String>,
    /// The chosen option of a select or picker.
    #[serde(default)]
    pub option: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
}

/// The answer to an old card callback.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CardV1Reply {
    /// The card stays as it is (`{"msg":"success"}`).
    #[default]
    Keep,
    /// This card JSON replaces the card acted on.
    Replace(Value),
}

impl IntoReply for CardV1Reply {
    fn into_reply(self) -> Reply {
        match self {
            CardV1Reply::Keep => Reply::Ack,
            CardV1Reply::Replace(card) => Reply::Body(card),
        }
    }
}

/// An old card callback that was not handed to the handler, or whose handler failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum CardV1Error {
    /// The body (or the decrypted body) is not JSON.
    NotJson(serde_json::Error),
    /// JSON, but not a card callback's body.
    NotACallback(serde_json::Error),
    /// The body is encrypted and the receiver has no Encrypt Key.
    NoEncryptKey,
    /// A signature header is absent. Only the URL challenge may come unsigned; any other unsigned
    /// request is this error, however its body reads.
    MissingHeader(&'static str),
    /// The SHA-1 signature does not match the body as received.
    ForgedSignature,
    Decrypt(DecryptError),
    /// The challenge does not carry the app's verification token.
    WrongToken,
    /// The handler failed: answered 500, and the user sees an error on the card.
    Handler(BoxError),
}

impl CardV1Error {
    pub fn status(&self) -> u16 {
        match self {
            CardV1Error::NotJson(_) | CardV1Error::NotACallback(_) | CardV1Error::Decrypt(_) => 400,
            CardV1Error::MissingHeader(_) | CardV1Error::ForgedSignature | CardV1Error::WrongToken => 401,
            CardV1Error::NoEncryptKey | CardV1Error::Handler(_) => 500,
        }
    }

    /// A short name of the rejection, for logs and the answer's body.
    pub fn kind(&self) -> &'static str {
        match self {
            CardV1Error::NotJson(_) => "not json",
            CardV1Error::NotACallback(_) => "not a card callback",
            CardV1Error::NoEncryptKey => "no encrypt key",
            CardV1Error::MissingHeader(_) => "missing header",
            CardV1Error::ForgedSignature => "forged signature",
            CardV1Error::Decrypt(DecryptError::Base64) => "bad base64",
            CardV1Error::Decrypt(DecryptError::Truncated { .. }) => "truncated ciphertext",
            CardV1Error::Decrypt(DecryptError::Length { .. }) => "bad ciphertext length",
            CardV1Error::Decrypt(_) => "bad padding",
            CardV1Error::WrongToken => "wrong token",
            CardV1Error::Handler(_) => "handler failed",
        }
    }

    /// The answer to send: the status and `{"msg": <kind>}`.
    pub fn response(&self) -> WebhookResponse {
        WebhookResponse::json(self.status(), &serde_json::json!({"msg": self.kind()}))
    }
}

impl fmt::Display for CardV1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CardV1Error::NotJson(e) => write!(f, "the body is not JSON ({})", json_error(e)),
            CardV1Error::NotACallback(e) => write!(f, "the body is not a card callback ({})", json_error(e)),
            CardV1Error::NoEncryptKey => f.write_str("the body is encrypted and the receiver has no Encrypt Key"),
            CardV1Error::MissingHeader(name) => write!(f, "the callback has no `{name}` header"),
            CardV1Error::ForgedSignature => f.write_str("the signature does not match the body"),
            CardV1Error::Decrypt(e) => e.fmt(f),
            CardV1Error::WrongToken => f.write_str("the challenge does not carry the app's verification token"),
            CardV1Error::Handler(e) => write!(f, "the card callback's handler failed: {e}"),
        }
    }
}

impl std::error::Error for CardV1Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CardV1Error::NotJson(e) | CardV1Error::NotACallback(e) => Some(e),
            CardV1Error::Decrypt(e) => Some(e),
            CardV1Error::Handler(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Receives old card callbacks over HTTP: checks the SHA-1 signature over the body as received,
/// decrypts it if the app has an Encrypt Key, answers the URL challenge, and runs the handler,
/// whose [`CardV1Reply`] (or any [`IntoReply`]) is the answer.
///
/// ```no_run
/// # use generated_client::runtime::events::{CardV1Callback, CardV1Receiver, CardV1Reply};
/// # use generated_client::runtime::serde_json::json;
/// let receiver = CardV1Receiver::new("verification token", |c: CardV1Callback| async move {
///     let clicked = c.action.tag.unwrap_or_default();
///     Ok::<_, std::io::Error>(CardV1Reply::Replace(json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": clicked}}]})))
/// });
/// ```
#[derive(Clone)]
pub struct CardV1Receiver {
    verification_token: Secret,
    encrypt_key: Option<Secret>,
    handler: Handler,
}

impl fmt::Debug for CardV1Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardV1Receiver").field("encrypt_key", &self.encrypt_key.is_some()).finish_non_exhaustive()
    }
}

impl CardV1Receiver {
    pub fn new<F, Fut, R, Err>(verification_token: impl Into<Secret>, handler: F) -> CardV1Receiver
    where
        F: Fn(CardV1Callback) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: IntoReply,
        Err: Into<BoxError>,
    {
        let handler: Handler = Arc::new(move |c| {
            let fut = handler(c);
            Box::pin(async move { fut.await.map(IntoReply::into_reply).map_err(Into::into) }) as BoxFuture
        });
        CardV1Receiver { verification_token: verification_token.into(), encrypt_key: None, handler }
    }

    /// The app's Encrypt Key, if it has one: callbacks then arrive encrypted.
    pub fn encrypt_key(mut self, encrypt_key: impl Into<Secret>) -> CardV1Receiver {
        self.encrypt_key = Some(encrypt_key.into());
        self
    }

    /// Receives one callback and gives the answer to send back; rejections become their status
    /// and are logged.
    pub async fn handle(&self, request: WebhookRequest) -> WebhookResponse {
        self.handle_checked(request).await.unwrap_or_else(|e| e.response())
    }

    /// As [`CardV1Receiver::handle`], with the rejection as a typed error (already logged).
    pub async fn handle_checked(&self, request: WebhookRequest) -> Result<WebhookResponse, CardV1Error> {
        let result = self.receive(request).await;
        if let Err(e) = &result {
            match e {
                CardV1Error::Handler(_) => tracing::error!(rejection = e.kind(), status = e.status(), error = %e, "card callback handler failed"),
                _ => tracing::warn!(rejection = e.kind(), status = e.status(), error = %e, "card callback rejected"),
            }
        }
        result
    }

    async fn receive(&self, request: WebhookRequest) -> Result<WebhookResponse, CardV1Error> {
        let WebhookRequest { headers, body } = request;
        let outer: Outer = serde_json::from_slice(&body).map_err(json_rejection)?;
        let signed = match signature_headers(&headers).map_err(CardV1Error::MissingHeader)? {
            Some(h) if crypto::signature_matches(&crypto::card_v1_signature(h.timestamp, h.nonce, self.verification_token.expose(), &body), h.signature) => true,
            Some(_) => return Err(CardV1Error::ForgedSignature),
            None => false,
        };
        let value = match (outer.encrypt.as_deref(), &self.encrypt_key) {
            (None, _) => serde_json::from_slice::<Value>(&body).map_err(json_rejection),
            (Some(_), None) => return Err(CardV1Error::NoEncryptKey),
            (Some(encrypted), Some(key)) => crypto::decrypt(key.expose(), encrypted).map_err(CardV1Error::Decrypt).and_then(|p| serde_json::from_slice(&p).map_err(json_rejection)),
        };
        if let Ok(v) = &value
            && v.get("type").and_then(Value::as_str) == Some("url_verification")
        {
            let token = v.get("token").and_then(Value::as_str).unwrap_or_default();
            if !crypto::secret_matches(self.verification_token.expose(), token) {
                return Err(CardV1Error::WrongToken);
            }
            let challenge = v.get("challenge").cloned().unwrap_or(Value::Null);
            tracing::info!("card callback URL challenge answered");
            return Ok(WebhookResponse::json(200, &serde_json::json!({ "challenge": challenge })));
        }
        if !signed {
            // Unsigned: a challenge or nothing, whatever went wrong reading it.
            return Err(CardV1Error::MissingHeader(SIGNATURE_HEADER));
        }
        let callback: CardV1Callback = serde_json::from_value(value?).map_err(CardV1Error::NotACallback)?;
        let reply = (self.handler)(callback).await.map_err(CardV1Error::Handler)?;
        tracing::debug!("card callback handled");
        Ok(WebhookResponse::reply(reply))
    }
}

fn json_rejection(e: serde_json::Error) -> CardV1Error {
    match e.classify() {
        serde_json::error::Category::Data => CardV1Error::NotACallback(e),
        _ => CardV1Error::NotJson(e),
    }
}
