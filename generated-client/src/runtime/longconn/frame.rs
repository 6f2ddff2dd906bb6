//! The frames of the long connection: the protobuf messages of `pbbp2.proto` (proto2), derived
//! by hand with prost, and the frames the client builds (ping, acknowledgement).

use std::fmt;

/// `Frame::method` of a control frame (ping, pong).
pub const METHOD_CONTROL: i32 = 0;
/// `Frame::method` of a data frame (event, card).
pub const METHOD_DATA: i32 = 1;

/// One header of a frame: `type`, `message_id`, `sum`, `seq`, `trace_id`, `biz_rt`, …
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct Header {
    #[prost(string, required, tag = "1")]
    pub key: String,
    #[prost(string, required, tag = "2")]
    pub value: String,
}

/// One WebSocket binary message. Fields 1-4 are proto2 `required`, so they are written even
/// when zero.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct Frame {
    #[prost(uint64, required, tag = "1")]
    pub seq_id: u64,
    #[prost(uint64, required, tag = "2")]
    pub log_id: u64,
    #[prost(int32, required, tag = "3")]
    pub service: i32,
    /// [`METHOD_CONTROL`] or [`METHOD_DATA`].
    #[prost(int32, required, tag = "4")]
    pub method: i32,
    #[prost(message, repeated, tag = "5")]
    pub headers: Vec<Header>,
    #[prost(string, optional, tag = "6")]
    pub payload_encoding: Option<String>,
    #[prost(string, optional, tag = "7")]
    pub payload_type: Option<String>,
    #[prost(bytes = "vec", optional, tag = "8")]
    pub payload: Option<Vec<u8>>,
    #[prost(string, optional, tag = "9")]
    pub log_id_new: Option<String>,
}

/// Bytes that are not a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError(String);

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a long-connection frame: {}", self.0)
    }
}

impl std::error::Error for FrameError {}

impl Header {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Header {
        Header { key: key.into(), value: value.into() }
    }
}

impl Frame {
    /// The ping the client sends on connect and every ping interval: sequence and log id 0, the
    /// `service_id` of the connection URL, header `type: ping`, no payload.
    pub fn ping(service: i32) -> Frame {
        Frame { service, method: METHOD_CONTROL, headers: vec![Header::new("type", "ping")], ..Frame::default() }
    }

    /// Decodes one binary WebSocket message.
    pub fn from_bytes(bytes: &[u8]) -> Result<Frame, FrameError> {
        <Frame as prost::Message>::decode(bytes).map_err(|e| FrameError(e.to_string()))
    }

    /// Encodes the frame as one binary WebSocket message.
    pub fn to_bytes(&self) -> Vec<u8> {
        prost::Message::encode_to_vec(self)
    }

    /// The value of the first header named `key`.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers.iter().find(|h| h.key == key).map(|h| h.value.as_str())
    }

    /// The header `type`: `ping`, `pong`, `event`, `card`.
    pub fn kind(&self) -> Option<&str> {
        self.header("type")
    }

    /// Sets `key` to `value`, replacing an existing header of that name.
    pub fn set_header(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.headers.iter_mut().find(|h| h.key == key) {
            Some(h) => h.value = value,
            None => self.headers.push(Header::new(key, value)),
        }
    }
}
