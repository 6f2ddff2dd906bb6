//! Every operation as a call built from its spec's examples: the cases `cargo xtask regen` writes
//! (`<vendor>.rs`, from `codegen::calls`), shared by the loopback test (`tests/examples.rs`) and
//! the Prism test (`tests/prism.rs`).
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

#[rustfmt::skip]
pub mod authing;
#[rustfmt::skip]
pub mod feishu;

/// A call under way: `Err` holds the client's error, shown.
pub type Sent = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// One operation's call and what it must send.
pub struct Case<C> {
    /// The spec, under `specs/` without `.yaml`.
    pub spec: &'static str,
    /// Its operationId in the vendor's exported OpenAPI document.
    pub operation_id: &'static str,
    pub method: &'static str,
    /// The path with its parameters, encoded as sent.
    pub path: &'static str,
    pub query: &'static [(&'static str, &'static str)],
    pub body: Body,
    pub answer: Answer,
    pub call: fn(C) -> Sent,
}

pub enum Body {
    None,
    /// The JSON the client must send.
    Json(&'static str),
    /// The names of the parts the client must send.
    Multipart(&'static [&'static str]),
}

pub enum Answer {
    /// The JSON to answer with: the spec's example, or a sample of its types.
    Json(&'static str),
    /// A file.
    Binary,
}

/// A value of the call's input type, from JSON.
pub fn v<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("the example {json} does not decode as the input's type: {e}"))
}
