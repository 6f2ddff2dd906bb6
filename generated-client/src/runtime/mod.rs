//! The hand-written runtime that every generated client calls: a small, non-generic core
//! (configuration, the token cache, one request pipeline, the envelope check) and the types
//! generated code names.

mod answer;
mod builder;
mod call;
mod client;
mod decode;
mod error;
pub mod events;
mod exchange;
mod files;
#[cfg(feature = "long-connection")]
pub mod longconn;
mod paging;
mod pipeline;
mod profile;
mod raw;
mod retry;
mod secret;
mod token;

pub use answer::decode_json;
pub use builder::{Builder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REFRESH_MARGIN, DEFAULT_TIMEOUT};
pub use call::{ArrayStyle, Call};
pub use client::Core;
pub use decode::{FieldKey, duplicate_field, enum_integer, enum_string, missing_field, serialize_set};
pub use error::{Error, ErrorKind, RAW_BODY_LIMIT};
pub use files::{Download, DownloadStream, UploadFile};
pub use paging::{cursor_pages, items, numbered_pages};
pub use profile::{BoundHeaderSpec, CredentialSpec, DocumentedError, EnvelopeSpec, ExchangeSpec, Method, OperationSpec, PushedSpec, ResponseSpec, TokenSpec, VendorProfile};
pub use raw::RawRequest;
pub use retry::RetryPolicy;
pub use secret::Secret;

// Generated code names these through the runtime, so a downstream crate needs no direct dependency.
pub use futures_util::{Stream, StreamExt, TryStreamExt};
pub use reqwest;
pub use serde;
pub use serde_json;

/// Keeps the `Serialize` impl of a type requests do not send when the feature `serialize-responses`
/// is on, drops it otherwise: generated code wraps those impls in it, so the choice is this crate's
/// feature both for `cargo xtask regen`'s code and for `generate!` in a downstream crate.
#[cfg(feature = "serialize-responses")]
#[doc(hidden)]
#[macro_export]
macro_rules! __response_serialize {
    ($($item:tt)*) => { $($item)* };
}

/// Keeps the `Serialize` impl of a type requests do not send when the feature `serialize-responses`
/// is on, drops it otherwise (it is off).
#[cfg(not(feature = "serialize-responses"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __response_serialize {
    ($($item:tt)*) => {};
}

#[doc(hidden)]
pub use crate::__response_serialize as response_serialize;
