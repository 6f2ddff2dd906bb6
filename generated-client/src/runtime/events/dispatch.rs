//! The [`Dispatcher`]: typed handlers by event type, a typed catch-all over a vendor's `Event`
//! enum, and a raw fallback. Transports (the webhook receiver, the long connection) hand it a
//! parsed [`Envelope`] and send back the [`Reply`].

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use super::{Envelope, EventSet, EventType};
use crate::runtime::Core;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type BoxFuture = Pin<Box<dyn Future<Output = Result<Reply, HandlerError>> + Send>>;
type Handler = Arc<dyn Fn(Envelope<Value>) -> BoxFuture + Send + Sync>;

/// What a handler answers: an acknowledgement (events), or a JSON body (callbacks, such as a card
/// action's toast or new card).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Reply {
    #[default]
    Ack,
    Body(Value),
}

/// What a handler's return value becomes: `()` acknowledges; a JSON value (or a typed callback
/// answer) is the body of the answer.
pub trait IntoReply {
    fn into_reply(self) -> Reply;
}

impl IntoReply for () {
    fn into_reply(self) -> Reply {
        Reply::Ack
    }
}

impl IntoReply for Value {
    fn into_reply(self) -> Reply {
        Reply::Body(self)
    }
}

impl IntoReply for Reply {
    fn into_reply(self) -> Reply {
        self
    }
}

/// A delivery whose handler did not succeed: the vendor should deliver it again.
#[derive(Debug)]
#[non_exhaustive]
pub enum HandlerError {
    /// The event body is not the shape its typed event expects.
    Decode { event_type: String, event_id: String, source: serde_json::Error },
    /// The handler returned an error.
    Failed { event_type: String, event_id: String, source: BoxError },
}

impl HandlerError {
    pub fn event_id(&self) -> &str {
        match self {
            HandlerError::Decode { event_id, .. } | HandlerError::Failed { event_id, .. } => event_id,
        }
    }

    pub fn event_type(&self) -> &str {
        match self {
            HandlerError::Decode { event_type, .. } | HandlerError::Failed { event_type, .. } => event_type,
        }
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandlerError::Decode { event_type, event_id, source } => write!(f, "event {event_id} ({event_type}) does not decode into its typed event: {source}"),
            HandlerError::Failed { event_type, event_id, source } => write!(f, "the handler of event {event_id} ({event_type}) failed: {source}"),
        }
    }
}

impl std::error::Error for HandlerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HandlerError::Decode { source, .. } => Some(source),
            HandlerError::Failed { source, .. } => Some(source.as_ref()),
        }
    }
}

/// Routes each event to the handler registered for its type; events of other types go to the
/// catch-all ([`Dispatcher::on_any`]), else the raw fallback ([`Dispatcher::fallback`]), else
/// they are acknowledged and dropped (as the vendor's SDKs do).
///
/// ```no_run
/// # use generated_client::runtime::events::{Dispatcher, Envelope};
/// # use generated_client::runtime::serde_json::Value;
/// let dispatcher = Dispatcher::new().fallback(|e: Envelope<Value>| async move {
///     println!("{} {}", e.header.event_type, e.event);
///     Ok::<(), std::io::Error>(())
/// });
/// ```
#[derive(Clone, Default)]
pub struct Dispatcher {
    handlers: HashMap<String, Handler>,
    any: Option<Handler>,
    fallback: Option<Handler>,
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut types: Vec<&String> = self.handlers.keys().collect();
        types.sort();
        f.debug_struct("Dispatcher").field("handlers", &types).field("on_any", &self.any.is_some()).field("fallback", &self.fallback.is_some()).finish()
    }
}

impl Dispatcher {
    pub fn new() -> Dispatcher {
        Dispatcher::default()
    }

    /// Handles events of type `E::EVENT_TYPE`, decoded into `E`. A second handler for one type
    /// replaces the first.
    pub fn on<E, F, Fut, R, Err>(mut self, handler: F) -> Dispatcher
    where
        E: EventType,
        F: Fn(Envelope<E>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: IntoReply,
        Err: Into<BoxError>,
    {
        self.handlers.insert(E::EVENT_TYPE.to_owned(), erase(move |e: Envelope<Value>| decode_with(e, |_, v| serde_json::from_value::<E>(v)).map(&handler)));
        self
    }

    /// Handles every event without a handler of its own, decoded into the vendor's `Event` enum
    /// (`feishu::Event`): known types as their variant, others as its `Unknown` case.
    pub fn on_any<S, F, Fut, R, Err>(mut self, handler: F) -> Dispatcher
    where
        S: EventSet,
        F: Fn(Envelope<S>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: IntoReply,
        Err: Into<BoxError>,
    {
        self.any = Some(erase(move |e: Envelope<Value>| decode_with(e, S::decode).map(&handler)));
        self
    }

    /// Handles, raw, every event that no other handler takes.
    pub fn fallback<F, Fut, R, Err>(mut self, handler: F) -> Dispatcher
    where
        F: Fn(Envelope<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: IntoReply,
        Err: Into<BoxError>,
    {
        self.fallback = Some(erase(move |e: Envelope<Value>| Ok(handler(e))));
        self
    }

    /// Handles, raw, events of one type given by name (for types without a typed event).
    pub fn on_type<F, Fut, R, Err>(mut self, event_type: impl Into<String>, handler: F) -> Dispatcher
    where
        F: Fn(Envelope<Value>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: IntoReply,
        Err: Into<BoxError>,
    {
        self.handlers.insert(event_type.into(), erase(move |e: Envelope<Value>| Ok(handler(e))));
        self
    }

    /// Stores the credential `credential` of `core`'s client from the string field `field` of
    /// each `event_type` event (Feishu pushes store apps their `app_ticket` this way, hourly).
    /// Generated clients call it from `Client::receive_pushed_credentials`.
    pub fn on_pushed_credential(self, core: Core, credential: &'static str, event_type: &'static str, field: &'static str) -> Dispatcher {
        self.on_type(event_type, move |e: Envelope<Value>| {
            let value = e.event.get(field).and_then(Value::as_str).map(str::to_owned);
            let stored = match value {
                Some(v) => core.set_credential(credential, v).map_err(BoxError::from),
                None => Err(format!("the `{event_type}` event has no string `{field}`").into()),
            };
            if stored.is_ok() {
                tracing::debug!(event_id = %e.header.event_id, credential, "pushed credential stored");
            }
            std::future::ready(stored)
        })
    }

    /// Whether a handler of its own is registered for `event_type`.
    pub fn handles(&self, event_type: &str) -> bool {
        self.handlers.contains_key(event_type)
    }

    /// Runs the handler for this event and returns its answer.
    pub async fn dispatch(&self, envelope: Envelope<Value>) -> Result<Reply, HandlerError> {
        let handler = self.handlers.get(&envelope.header.event_type).or(self.any.as_ref()).or(self.fallback.as_ref());
        match handler {
            Some(h) => h(envelope).await,
            None => {
                tracing::debug!(event_id = %envelope.header.event_id, event_type = %envelope.header.event_type, "no handler for this event type; acknowledged");
                Ok(Reply::Ack)
            }
        }
    }
}

/// Decodes the body with `decode`; a failure keeps the event's id and type.
fn decode_with<E>(e: Envelope<Value>, decode: impl FnOnce(&str, Value) -> Result<E, serde_json::Error>) -> Result<Envelope<E>, HandlerError> {
    let Envelope { schema, header, event } = e;
    match decode(&header.event_type, event) {
        Ok(event) => Ok(Envelope { schema, header, event }),
        Err(source) => Err(HandlerError::Decode { event_type: header.event_type, event_id: header.event_id, source }),
    }
}

/// One boxed handler from a typed one: `start` decodes and calls, the result becomes a [`Reply`].
fn erase<Fut, R, Err>(start: impl Fn(Envelope<Value>) -> Result<Fut, HandlerError> + Send + Sync + 'static) -> Handler
where
    Fut: Future<Output = Result<R, Err>> + Send + 'static,
    R: IntoReply,
    Err: Into<BoxError>,
{
    Arc::new(move |e: Envelope<Value>| {
        let (event_type, event_id) = (e.header.event_type.clone(), e.header.event_id.clone());
        let started = start(e);
        Box::pin(async move {
            match started?.await {
                Ok(r) => Ok(r.into_reply()),
                Err(source) => Err(HandlerError::Failed { event_type, event_id, source: source.into() }),
            }
        }) as BoxFuture
    })
}
