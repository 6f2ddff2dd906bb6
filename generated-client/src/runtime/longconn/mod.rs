//! The event long connection of Feishu and Lark (feature `long-connection`): a WebSocket the app
//! opens to the open platform to receive events and card callbacks, instead of a webhook. The
//! same [`Dispatcher`](crate::runtime::events::Dispatcher) serves both.
//!
//! ```no_run
//! # async fn demo() -> Result<(), generated_client::runtime::longconn::LongConnectionError> {
//! use generated_client::runtime::events::{Dispatcher, Envelope};
//! use generated_client::runtime::longconn::LongConnection;
//! use generated_client::runtime::serde_json::{Value, json};
//!
//! let dispatcher = Dispatcher::new().fallback(|e: Envelope<Value>| async move {
//!     println!("{} {}", e.header.event_type, e.header.event_id);
//!     // A card callback's answer (a toast, a new card) is the handler's JSON.
//!     Ok::<Value, std::io::Error>(json!({ "toast": { "type": "info", "content": "ok" } }))
//! });
//! LongConnection::builder("cli_a1b2c3", "app secret")
//!     .dispatcher(dispatcher)
//!     .with_graceful_shutdown(async { tokio::signal::ctrl_c().await.ok(); })
//!     .run()
//!     .await
//! # }
//! ```
//!
//! # The protocol
//!
//! 1. `POST {base}/callback/ws/endpoint` (header `locale: zh`, body `{"AppID","AppSecret"}`)
//!    answers `{code, msg, data: {URL, ClientConfig: {ReconnectCount, ReconnectInterval,
//!    ReconnectNonce, PingInterval}}}`, the settings in seconds. The URL holds a ticket: it is
//!    kept in a [`Secret`](crate::runtime::Secret), and only its host is ever logged.
//! 2. The WebSocket carries binary protobuf [`Frame`]s (`pbbp2.proto` beside this file). The
//!    client pings (a control frame, `type: ping`, `service` = the URL's `service_id`) on connect
//!    and every ping interval; a pong may carry new settings, which are applied.
//! 3. Data frames (`type: event`, or `type: card`, handled alike) carry the event envelope in
//!    plain text (no encryption, no signature). A payload split over several frames (`sum` > 1)
//!    is reassembled by `message_id` and `seq` and handled once; parts wait at most 5 s
//!    ([`fragment_ttl`](LongConnectionBuilder::fragment_ttl)).
//! 4. Each handled delivery is acknowledged with the frame it came in, plus header `biz_rt` (the
//!    handler's milliseconds) and the payload `{"code":200,"headers":null,"data":null}`; `data`
//!    is the base64 of the handler's JSON answer when it gives one (`Reply::Body`), and `{}` at
//!    least for a card callback. A handler's error (or panic) is answered with code 500, which
//!    makes the server deliver the event again. Handlers run on their own tasks, so a slow one
//!    holds up neither the pings nor the other events.
//!
//! # What happens when
//!
//! A *reconnect round* is: wait a random time in `[0, ReconnectNonce)`, then try (fetch a new
//! endpoint, then connect), and after each failed try wait `ReconnectInterval` and try again, at
//! most `ReconnectCount` tries in the round (−1: no limit). The server's values (from the
//! endpoint answer, updated by pongs) apply unless the builder set its own. Before the server
//! has said anything: nonce 30 s, interval 120 s, no limit, ping every 120 s.
//!
//! | Event | Behaviour |
//! |---|---|
//! | First start | One try at once; if it fails with a retryable error, a reconnect round. |
//! | Endpoint answers code 0 | Its `ClientConfig` is applied; connect to its URL. |
//! | Endpoint answers code 1 or 1000040343 (busy) | Retried (next try of the round). |
//! | Endpoint answers any other code (wrong credentials, not allowed, …) | Fatal: `run` returns [`LongConnectionError::EndpointRefused`] with the code; no further try. |
//! | Endpoint unreachable, times out, HTTP error without the JSON envelope, oversized, no `URL` | Retried. |
//! | Handshake refused, `Handshake-Status` 403 | Fatal: [`LongConnectionError::HandshakeRefused`]. |
//! | Handshake refused, `Handshake-Status` 514 with `Handshake-Autherrcode` 1000040350 (too many connections for the app) | Fatal: [`LongConnectionError::HandshakeRefused`] ([`is_too_many_connections`](LongConnectionError::is_too_many_connections)). |
//! | Handshake refused otherwise (other status or auth code, no headers), TCP or TLS failure, handshake timeout | Retried. |
//! | Server closes the connection (close frame or end of stream), read or write error | A reconnect round. |
//! | Nothing arrives (no pong, no frame of any kind) for two ping intervals | The connection is taken for dead (half-open) and dropped; a reconnect round. |
//! | A write does not finish within two ping intervals | As above. |
//! | A round's last try fails (`ReconnectCount` reached) | Fatal: [`LongConnectionError::RetriesExhausted`] with the last failure. |
//! | A frame that does not decode, a data frame of another type, a part out of range | Dropped with a log line; the connection stays. |
//! | Shutdown signal | Handlers in flight get [`shutdown_grace`](LongConnectionBuilder::shutdown_grace) (3 s) to finish and be acknowledged; the socket is closed; `run` returns `Ok(())`. Also during a wait or a try. |
//!
//! The long connection has no proxy support, serves self-built apps only, and the platform allows
//! a limited number of connections per app; each event goes to one of them.

mod client;
mod config;
mod endpoint;
mod error;
mod fragments;
mod frame;
mod session;
mod tls;

pub use client::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_SHUTDOWN_GRACE, FEISHU_BASE_URL, LARK_BASE_URL, LongConnection, LongConnectionBuilder};
pub use config::{DEFAULT_PING_INTERVAL, DEFAULT_RECONNECT_INTERVAL, DEFAULT_RECONNECT_NONCE};
pub use endpoint::ENDPOINT_PATH;
pub use error::{LongConnectionError, TOO_MANY_CONNECTIONS};
pub use fragments::DEFAULT_FRAGMENT_TTL;
pub use frame::{Frame, FrameError, Header, METHOD_CONTROL, METHOD_DATA};
