//! Events and callbacks the vendor pushes: the envelope every delivery arrives in, typed events,
//! and the [`Dispatcher`] that routes each to its handler. The same dispatcher serves the webhook
//! receiver and the long connection.

mod dispatch;
mod envelope;

pub use dispatch::{Dispatcher, HandlerError, IntoReply, Reply};
pub use envelope::{Delivery, Envelope, EventHeader, Schema, UnknownEvent};

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
