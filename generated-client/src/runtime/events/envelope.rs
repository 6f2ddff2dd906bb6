//! The envelope a delivery arrives in: schema 2.0 (`schema`, `header`, `event`), schema 1.0
//! (`uuid`, `ts`, `token`, `type: event_callback`, `event` with its `type`), or the URL
//! verification challenge. Both schemas decode to one [`Envelope`] with a typed [`EventHeader`].

use serde::Deserialize;
use serde::de::Error as _;
use serde_json::Value;

use crate::runtime::Secret;

/// Which envelope a delivery came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// `{"ts","uuid","token","type":"event_callback","event":{"type":…}}`
    V1,
    /// `{"schema":"2.0","header":{…},"event":{…}}`
    V2,
}

/// The header of a delivery, the same for both schemas.
#[derive(Debug, Clone, PartialEq)]
pub struct EventHeader {
    /// `header.event_id`, or the 1.0 envelope's `uuid`: the key to drop redeliveries by.
    pub event_id: String,
    /// `header.event_type`, or the 1.0 event's `type`.
    pub event_type: String,
    /// As sent (`header.create_time`, or the 1.0 `ts`). Kept as a string: the docs disagree on its
    /// unit (milliseconds on event pages, 16 digits in the guides' examples).
    pub create_time: Option<String>,
    /// The app's verification token, which the receiver checks.
    pub token: Option<Secret>,
    pub app_id: Option<String>,
    pub tenant_key: Option<String>,
}

/// One event: its header and its body, typed (`E`) or raw (`serde_json::Value`).
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<E> {
    pub schema: Schema,
    pub header: EventHeader,
    pub event: E,
}

/// An event of a type the vendor's `Event` enum does not know (or whose service feature is off).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownEvent {
    pub event_type: String,
    /// The `event` object as delivered.
    pub raw: Value,
}

/// A decrypted, parsed delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// `type: url_verification`: answer `{"challenge": …}` at once.
    Challenge {
        challenge: String,
        token: Option<Secret>,
    },
    Event(Envelope<Value>),
}

#[derive(Deserialize)]
struct V2Header {
    event_id: String,
    event_type: String,
    #[serde(default, deserialize_with = "text")]
    create_time: Option<String>,
    token: Option<Secret>,
    app_id: Option<String>,
    tenant_key: Option<String>,
}

/// A string, or a number written as one (1.0 `ts` and some `create_time`s are numbers).
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(D::Error::custom(format!("expected a string or a number, found {other}"))),
    })
}

impl Delivery {
    /// Parses the plaintext of a delivery (after decryption, if it was encrypted).
    pub fn parse(plaintext: &[u8]) -> Result<Delivery, serde_json::Error> {
        let mut root: serde_json::Map<String, Value> = serde_json::from_slice(plaintext)?;
        let str_of = |root: &serde_json::Map<String, Value>, key: &str| root.get(key).and_then(Value::as_str).map(str::to_owned);
        if str_of(&root, "type").as_deref() == Some("url_verification") {
            let challenge = str_of(&root, "challenge").ok_or_else(|| serde_json::Error::custom("a url_verification without `challenge`"))?;
            return Ok(Delivery::Challenge { challenge, token: str_of(&root, "token").map(Secret::new) });
        }
        if let Some(header) = root.remove("header") {
            let h: V2Header = serde_json::from_value(header)?;
            let event = root.remove("event").unwrap_or(Value::Null);
            return Ok(Delivery::Event(Envelope {
                schema: Schema::V2,
                header: EventHeader { event_id: h.event_id, event_type: h.event_type, create_time: h.create_time, token: h.token, app_id: h.app_id, tenant_key: h.tenant_key },
                event,
            }));
        }
        // Schema 1.0: the type is inside the event.
        let event = root.remove("event").ok_or_else(|| serde_json::Error::custom("neither a 2.0 `header` nor a 1.0 `event`"))?;
        let inner = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_owned);
        let event_type = inner("type").ok_or_else(|| serde_json::Error::custom("a 1.0 event without `event.type`"))?;
        let event_id = str_of(&root, "uuid").ok_or_else(|| serde_json::Error::custom("a 1.0 event without `uuid`"))?;
        let create_time = match root.remove("ts") {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let header = EventHeader { event_id, event_type, create_time, token: str_of(&root, "token").map(Secret::new), app_id: inner("app_id"), tenant_key: inner("tenant_key") };
        Ok(Delivery::Event(Envelope { schema: Schema::V1, header, event }))
    }
}

impl<E> Envelope<E> {
    /// The same header with another body.
    pub fn with_event<F>(self, event: F) -> Envelope<F> {
        Envelope { schema: self.schema, header: self.header, event }
    }
}
