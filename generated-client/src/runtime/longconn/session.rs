//! One connection: the handshake (and what a refusal means), then the loop that owns the
//! socket: a ping at once and every ping interval, the silence deadline, frames in, handlers
//! run on their own tasks, acknowledgements out, until the connection ends or shutdown.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until, timeout};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::config::{ServerConfig, Timings};
use super::endpoint::Endpoint;
use super::error::{Failure, LongConnectionError, TOO_MANY_CONNECTIONS};
use super::fragments::Fragments;
use super::frame::{Frame, METHOD_CONTROL, METHOD_DATA};
use crate::runtime::events::{Delivery, Dispatcher, HandlerError, Reply};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
/// The caller's shutdown signal; polled by whoever is waiting, and never again once it fired.
pub(crate) type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;
type Sink = SplitSink<Socket, Message>;

/// The largest WebSocket message accepted (the server splits large payloads into parts).
const MAX_MESSAGE: usize = 8 << 20;
/// Acknowledgements waiting to be written.
const ACK_QUEUE: usize = 256;
/// Event types that are callbacks: their acknowledgement always carries an answer, `{}` at
/// least (the card's client reports an error without one).
const CALLBACK_TYPES: [&str; 3] = ["card.action.trigger", "url.preview.get", "profile.view.get"];

/// How a connection ended.
#[derive(Debug)]
pub(crate) enum Ended {
    Shutdown,
    /// Closed by the server, broken, or silent: reconnect. The reason never holds the URL.
    Lost(String),
}

/// What one connection needs from the client.
pub(crate) struct Context<'a> {
    pub dispatcher: &'a Arc<Dispatcher>,
    pub timings: &'a mut Timings,
    pub service_id: i32,
    pub fragment_ttl: Duration,
    /// How long in-flight handlers may take to finish on shutdown.
    pub grace: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Event,
    Card,
}

/// A handler's outcome, as the acknowledgement reports it.
#[derive(Debug)]
enum Answer {
    /// Code 200; `data` is the base64 of this JSON, if any.
    Done(Option<Value>),
    /// Code 500: the server delivers the event again.
    Failed,
}

/// Opens the WebSocket; a refused handshake is fatal or retried by its headers.
pub(crate) async fn open(endpoint: &Endpoint, tls: Option<Arc<rustls::ClientConfig>>, limit: Duration) -> Result<Socket, Failure> {
    let request = endpoint.url.expose().into_client_request().map_err(|_| Failure::Retry("the connection URL is not a valid WebSocket request".to_owned()))?;
    let config = WebSocketConfig::default().max_message_size(Some(MAX_MESSAGE)).max_frame_size(Some(MAX_MESSAGE));
    let connector = match tls {
        Some(config) => Connector::Rustls(config),
        None => Connector::Plain,
    };
    match timeout(limit, tokio_tungstenite::connect_async_tls_with_config(request, Some(config), true, Some(connector))).await {
        Err(_) => Err(Failure::Retry(format!("the handshake did not finish in {limit:?}"))),
        Ok(Ok((socket, _))) => Ok(socket),
        Ok(Err(tungstenite::Error::Http(response))) => Err(refusal(&response)),
        Ok(Err(e)) => Err(Failure::Retry(format!("the handshake failed: {}", describe(&e)))),
    }
}

/// A handshake answered without a 101: the server says why in `Handshake-Status`,
/// `Handshake-Msg` and `Handshake-Autherrcode`. 403, and 514 with auth code 1000040350 (too many
/// connections), are final; anything else is retried.
fn refusal(response: &tungstenite::http::Response<Option<Vec<u8>>>) -> Failure {
    let header = |name: &str| response.headers().get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    let status = header("Handshake-Status").and_then(|v| v.parse::<i64>().ok());
    let auth_code = header("Handshake-Autherrcode").and_then(|v| v.parse::<i64>().ok()).filter(|c| *c != 0);
    let msg = header("Handshake-Msg").unwrap_or_default();
    match (status, auth_code) {
        (Some(403), _) | (Some(514), Some(TOO_MANY_CONNECTIONS)) => Failure::Fatal(LongConnectionError::HandshakeRefused { status: status.unwrap_or_default(), auth_code, msg }),
        _ => Failure::Retry(format!(
            "the handshake was refused: HTTP {}, Handshake-Status {}, auth code {}: {msg}",
            response.status().as_u16(),
            status.map_or_else(|| "absent".to_owned(), |s| s.to_string()),
            auth_code.map_or_else(|| "absent".to_owned(), |c| c.to_string()),
        )),
    }
}

/// A WebSocket error in words, without the URL (some URL errors quote it).
fn describe(e: &tungstenite::Error) -> String {
    match e {
        tungstenite::Error::Url(_) | tungstenite::Error::HttpFormat(_) => "the connection URL cannot be used".to_owned(),
        other => other.to_string(),
    }
}

/// Serves one open connection until it ends.
pub(crate) async fn serve(socket: Socket, cx: Context<'_>, shutdown: &mut Shutdown) -> Ended {
    let Context { dispatcher, timings, service_id, fragment_ttl, grace } = cx;
    let (mut sink, mut stream) = socket.split();
    let (acks, mut pending) = mpsc::channel::<Frame>(ACK_QUEUE);
    let mut fragments = Fragments::new(fragment_ttl);
    let mut last_heard = Instant::now();
    // The first ping goes at once; each next one an interval after the last, as the interval
    // stands then (a pong may change it).
    let mut last_ping: Option<Instant> = None;
    let lost = loop {
        let silent_until = last_heard + timings.silence_limit();
        let next_ping = last_ping.map_or_else(Instant::now, |at| at + timings.ping_interval());
        // Biased: the timers and outgoing acknowledgements go before reading, so a flood of
        // frames cannot starve the pings.
        tokio::select! {
            biased;
            () = &mut *shutdown => break None,
            () = sleep_until(next_ping) => {
                if let Err(why) = send(&mut sink, &Frame::ping(service_id), timings.silence_limit()).await {
                    break Some(why);
                }
                last_ping = Some(Instant::now());
            }
            Some(ack) = pending.recv() => {
                if let Err(why) = send(&mut sink, &ack, timings.silence_limit()).await {
                    break Some(why);
                }
            }
            message = stream.next() => {
                let message = match message {
                    None => break Some("the server ended the connection".to_owned()),
                    Some(Err(e)) => break Some(format!("reading failed: {}", describe(&e))),
                    Some(Ok(message)) => message,
                };
                last_heard = Instant::now();
                match message {
                    Message::Binary(bytes) => on_frame(&bytes, dispatcher, timings, &mut fragments, &acks),
                    Message::Close(Some(frame)) => break Some(format!("the server closed the connection ({}: {})", frame.code, frame.reason)),
                    Message::Close(None) => break Some("the server closed the connection".to_owned()),
                    Message::Text(_) => tracing::debug!("ignored a text message on the long connection"),
                    // WebSocket pings are answered by tungstenite; pongs and raw frames only count as signs of life.
                    Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
                }
            }
            () = sleep_until(silent_until) => break Some(format!("nothing arrived for {:?} (two ping intervals): the connection is taken for dead", timings.silence_limit())),
        }
    };
    if let Some(why) = lost {
        return Ended::Lost(why);
    }
    // Shutdown: let the handlers in flight finish and send their acknowledgements, then close.
    drop(acks);
    let deadline = Instant::now() + grace;
    loop {
        tokio::select! {
            ack = pending.recv() => match ack {
                Some(ack) if send(&mut sink, &ack, timings.silence_limit()).await.is_ok() => {}
                _ => break,
            },
            () = sleep_until(deadline) => {
                tracing::warn!("shutdown: handlers still running after {grace:?} are not acknowledged; the server will deliver their events again");
                break;
            }
        }
    }
    let _ = timeout(timings.silence_limit(), sink.send(Message::Close(None))).await;
    Ended::Shutdown
}

async fn send(sink: &mut Sink, frame: &Frame, limit: Duration) -> Result<(), String> {
    match timeout(limit, sink.send(Message::Binary(frame.to_bytes().into()))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("writing failed: {}", describe(&e))),
        Err(_) => Err(format!("a write did not finish in {limit:?}")),
    }
}

fn on_frame(bytes: &[u8], dispatcher: &Arc<Dispatcher>, timings: &mut Timings, fragments: &mut Fragments, acks: &mpsc::Sender<Frame>) {
    let frame = match Frame::from_bytes(bytes) {
        Ok(frame) => frame,
        Err(e) => return tracing::warn!("dropped a message of the long connection: {e}"),
    };
    match frame.method {
        METHOD_CONTROL => on_control(&frame, timings),
        METHOD_DATA => on_data(frame, dispatcher, fragments, acks),
        other => tracing::debug!(method = other, "ignored a frame of an unknown method"),
    }
}

/// A pong may carry new settings (ping interval, reconnect schedule).
fn on_control(frame: &Frame, timings: &mut Timings) {
    if frame.kind() != Some("pong") {
        return tracing::debug!(kind = ?frame.kind(), "ignored a control frame");
    }
    let Some(payload) = frame.payload.as_deref().filter(|p| !p.is_empty()) else { return };
    match serde_json::from_slice::<ServerConfig>(payload) {
        Ok(config) => timings.apply(&config),
        Err(e) => tracing::debug!("ignored a pong whose settings do not parse ({:?} at column {})", e.classify(), e.column()),
    }
}

fn on_data(mut frame: Frame, dispatcher: &Arc<Dispatcher>, fragments: &mut Fragments, acks: &mpsc::Sender<Frame>) {
    let kind = match frame.kind() {
        Some("event") => Kind::Event,
        Some("card") => Kind::Card,
        other => return tracing::debug!(kind = ?other, "ignored a data frame of an unknown type"),
    };
    let number = |key: &str| frame.header(key).and_then(|v| v.trim().parse::<usize>().ok());
    let (sum, seq) = (number("sum").unwrap_or(1), number("seq").unwrap_or(0));
    let message_id = frame.header("message_id").unwrap_or_default().to_owned();
    let data = frame.payload.take().unwrap_or_default();
    let payload = match fragments.add(&message_id, sum, seq, data, std::time::Instant::now()) {
        Ok(Some(payload)) => payload,
        Ok(None) => return,
        Err(e) => return tracing::warn!(message_id = %message_id, "dropped a part of a message: {e}"),
    };
    let (dispatcher, acks) = (Arc::clone(dispatcher), acks.clone());
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        // The handler runs on a task of its own, so that a panic becomes a 500, not silence.
        let answer = match tokio::spawn(async move { handle(&dispatcher, &payload, kind).await }).await {
            Ok(answer) => answer,
            Err(_) => {
                tracing::warn!(message_id = %message_id, "the handler panicked; answered 500, so the event will be delivered again");
                Answer::Failed
            }
        };
        // The connection may be gone by now; the server then delivers the event again.
        let _ = acks.send(acknowledgement(frame, &answer, started.elapsed())).await;
    });
}

async fn handle(dispatcher: &Dispatcher, payload: &[u8], kind: Kind) -> Answer {
    let envelope = match Delivery::parse(payload) {
        Ok(Delivery::Event(envelope)) => envelope,
        Ok(Delivery::Challenge { .. }) => return Answer::Done(None),
        Err(e) => {
            tracing::warn!("a delivery that is not an event envelope ({:?} at line {} column {}); answered 500", e.classify(), e.line(), e.column());
            return Answer::Failed;
        }
    };
    let callback = kind == Kind::Card || CALLBACK_TYPES.contains(&envelope.header.event_type.as_str());
    match dispatcher.dispatch(envelope).await {
        Ok(Reply::Body(body)) => Answer::Done(Some(body)),
        Ok(Reply::Ack) => Answer::Done(callback.then(|| json!({}))),
        Err(e) => {
            // Not `e`'s own text: a decode error may quote the event body.
            let why = match &e {
                HandlerError::Decode { source, .. } => {
                    format!("does not decode into its typed event ({:?} at line {} column {})", source.classify(), source.line(), source.column())
                }
                HandlerError::Failed { source, .. } => format!("failed: {source}"),
            };
            tracing::warn!(event_id = %e.event_id(), event_type = %e.event_type(), "the handler {why}; answered 500, so the event will be delivered again");
            Answer::Failed
        }
    }
}

/// The frame as received, with header `biz_rt` (the handler's milliseconds) and the answer as
/// payload: `{"code":200|500,"headers":null,"data":null|"<base64 of the answer's JSON>"}`.
fn acknowledgement(mut frame: Frame, answer: &Answer, elapsed: Duration) -> Frame {
    frame.set_header("biz_rt", elapsed.as_millis().to_string());
    let (code, data) = match answer {
        Answer::Done(None) => (200, Value::Null),
        Answer::Done(Some(body)) => (200, Value::String(base64::engine::general_purpose::STANDARD.encode(body.to_string()))),
        Answer::Failed => (500, Value::Null),
    };
    frame.payload = Some(json!({ "code": code, "headers": null, "data": data }).to_string().into_bytes());
    frame
}
