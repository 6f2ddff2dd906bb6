//! Events and callbacks the vendor pushes: the envelope every delivery arrives in, typed events,
//! and the [`Dispatcher`] that routes each to its handler. The same dispatcher serves the webhook
//! receiver and the long connection.

#[cfg(feature = "axum")]
mod axum;
mod card;
#[cfg(feature = "webhook")]
mod card_v1;
#[cfg(feature = "webhook")]
mod crypto;
#[cfg(feature = "webhook")]
mod dedupe;
mod dispatch;
mod envelope;
#[cfg(feature = "webhook")]
mod webhook;

pub use card::{CardAction, CardActionTrigger, CardAnswer, CardContext, CardOperator, CardTemplate, CardUpdate, Toast, ToastKind};
#[cfg(feature = "webhook")]
pub use card_v1::{CardV1Action, CardV1Callback, CardV1Error, CardV1Receiver, CardV1Reply};
#[cfg(feature = "webhook")]
pub use crypto::{DecryptError, card_v1_signature, decrypt, event_signature};
pub use dispatch::{Dispatcher, HandlerError, IntoReply, Reply};
pub use envelope::{Delivery, Envelope, EventHeader, Schema, UnknownEvent};
#[cfg(feature = "webhook")]
pub use webhook::{Handling, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookError, WebhookOptions, WebhookReceiver, WebhookRequest, WebhookResponse};

use serde::de::DeserializeOwned;

/// A typed event: the struct generated from one event page, and the event type it is delivered as.
pub trait EventType: DeserializeOwned + Send + 'static {
    /// The event type as the vendor writes it: `im.message.receive_v1`, `app_ticket`.
    const EVENT_TYPE: &'static str;
}

/// Every event of a vendor as one enum (`feishu::Event`): each known type decodes to its variant,
/// any other to the `Unknown` case with its type and raw JSON.
pub trait EventSet: Sized + Send + 'static {
    /// Decodes the `event` object of a delivery of type `event_type`.
    fn decode(event_type: &str, event: serde_json::Value) -> Result<Self, serde_json::Error>;
}
