//! The hand-written runtime that every generated client calls: a small, non-generic core
//! (configuration, tokens, sending, envelope checks) and the types generated code names.

mod call;
mod client;
mod decode;
mod error;
mod files;
mod paging;
mod profile;
mod retry;
mod secret;
mod token;

pub use call::{ArrayStyle, Call};
pub use client::{Builder, Core, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REFRESH_MARGIN, DEFAULT_TIMEOUT, decode_json};
pub use decode::{enum_integer, enum_string};
pub use error::{Error, ErrorKind, RAW_BODY_LIMIT};
pub use files::{Download, DownloadStream, UploadFile};
pub use paging::{cursor_pages, items, numbered_pages};
pub use profile::{BoundHeaderSpec, CredentialSpec, DocumentedError, EnvelopeSpec, ExchangeSpec, Method, OperationSpec, ResponseSpec, TokenSpec, VendorProfile};
pub use retry::RetryPolicy;
pub use secret::Secret;

// Generated code names these through the runtime, so a downstream crate needs no direct dependency.
pub use futures_util::{Stream, StreamExt, TryStreamExt};
pub use reqwest;
pub use serde;
pub use serde_json;
