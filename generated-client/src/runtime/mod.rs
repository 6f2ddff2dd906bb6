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
mod pending;
mod pipeline;
mod profile;
mod raw;
mod record;
mod retry;
mod secret;
mod token;

pub use answer::decode_json;
pub use builder::{Builder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REFRESH_MARGIN, DEFAULT_TIMEOUT};
pub use call::{ArrayStyle, Call};
pub use client::Core;
pub use decode::{deserialize_enum, enum_integer};
pub use error::{Error, ErrorKind, RAW_BODY_LIMIT};
pub use files::{Download, DownloadStream, UploadFile};
pub use paging::{cursor_pages, items, numbered_pages};
pub use pending::Pending;
pub use profile::{BoundHeaderSpec, CredentialSpec, DocumentedError, EnvelopeSpec, ExchangeSpec, Method, OperationSpec, PushedSpec, ResponseSpec, TokenSpec, VendorProfile};
pub use raw::RawRequest;
pub use record::{Record, UNKNOWN, deserialize_record, next_key, read_optional, read_required, required, serialize_set, skip_value};
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

/// Implements `PartialEq` for a generated struct, field by field, when the feature `partial-eq`
/// is on, and nothing otherwise: comparing answers is for tests, and every generated struct pays
/// for it in compile time. Like [`response_serialize`], the choice is this crate's feature.
#[cfg(feature = "partial-eq")]
#[doc(hidden)]
#[macro_export]
macro_rules! __partial_eq {
    ($name:ident {}) => {
        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, _: &Self) -> bool {
                true
            }
        }
    };
    ($name:ident { $($field:ident)+ }) => {
        impl ::core::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)+
            }
        }
    };
}

/// Implements `PartialEq` for a generated struct with the feature `partial-eq` (it is off).
#[cfg(not(feature = "partial-eq"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __partial_eq {
    ($($item:tt)*) => {};
}

#[doc(hidden)]
pub use crate::__partial_eq as partial_eq;
