//! The long connection against a loopback server written here: the endpoint exchange on a
//! wiremock server, the WebSocket on a tokio listener speaking pbbp2 frames. Covers the frame
//! encoding, acknowledgements of events and card callbacks, reassembly, liveness, the reconnect
//! schedule, fatal refusals, shutdown, TLS set-up and what the logs may hold.
#![cfg(feature = "long-connection")]

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use generated_client::runtime::events::{Dispatcher, Envelope, EventType};
use generated_client::runtime::longconn::{Frame, Header, LongConnection, LongConnectionBuilder, LongConnectionError, METHOD_CONTROL, METHOD_DATA};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_ID: &str = "cli_test_app";
const APP_SECRET: &str = "app-secret-value-9d41";
const TICKET: &str = "TICKET-never-log-7f3a";
const ACCESS_KEY: &str = "AK-never-log-c05e";
const SERVICE_ID: i32 = 42;

// ---- the loopback server ----

/// A refused handshake: HTTP status and headers.
type Refusal = (u16, Vec<(&'static str, &'static str)>);

/// The endpoint server, the WebSocket listener, and what they have seen.
struct Server {
    http: MockServer,
    fetches: Arc<Mutex<Vec<Instant>>>,
    attempts: Arc<AtomicUsize>,
    peers: mpsc::UnboundedReceiver<Peer>,
}

/// One accepted WebSocket connection, driven by the test.
struct Peer {
    ws: WebSocketStream<TcpStream>,
    query: String,
}

impl Server {
    /// `answer(n, ws)` is the endpoint's JSON for the n-th fetch (from 0); `refuse(n)` refuses
    /// the n-th handshake.
    async fn start(answer: impl Fn(usize, SocketAddr) -> Value + Send + Sync + 'static, refuse: impl Fn(usize) -> Option<Refusal> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let ws = listener.local_addr().expect("address");
        let attempts = Arc::new(AtomicUsize::new(0));
        let (tx, peers) = mpsc::unbounded_channel();
        let refuse = Arc::new(refuse);
        let counter = Arc::clone(&attempts);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let refusal = refuse(n);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let query = Arc::new(Mutex::new(String::new()));
                    let seen = Arc::clone(&query);
                    // The callback's type is tungstenite's, large error and all.
                    #[allow(clippy::result_large_err)]
                    let callback = move |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
                        *seen.lock().expect("lock") = request.uri().query().unwrap_or_default().to_owned();
                        match refusal {
                            None => Ok(response),
                            Some((status, headers)) => {
                                let mut refused = http::Response::builder().status(status);
                                for (k, v) in headers {
                                    refused = refused.header(k, v);
                                }
                                Err(refused.body(None).expect("response"))
                            }
                        }
                    };
                    if let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await {
                        let query = query.lock().expect("lock").clone();
                        let _ = tx.send(Peer { ws, query });
                    }
                });
            }
        });
        let http = MockServer::start().await;
        let fetches = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&fetches);
        Mock::given(method("POST"))
            .and(path("/callback/ws/endpoint"))
            .respond_with(move |_: &wiremock::Request| {
                let n = {
                    let mut seen = seen.lock().expect("lock");
                    seen.push(Instant::now());
                    seen.len() - 1
                };
                ResponseTemplate::new(200).set_body_json(answer(n, ws))
            })
            .mount(&http)
            .await;
        Server { http, fetches, attempts, peers }
    }

    /// A server whose endpoint always answers with this `ClientConfig` and accepts every handshake.
    async fn accepting(config: Value) -> Server {
        Server::start(move |_, ws| ok(ws, config.clone()), |_| None).await
    }

    fn fetches(&self) -> usize {
        self.fetches.lock().expect("lock").len()
    }

    fn fetch_times(&self) -> Vec<Instant> {
        self.fetches.lock().expect("lock").clone()
    }

    fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }

    async fn peer(&mut self) -> Peer {
        timeout(Duration::from_secs(8), self.peers.recv()).await.expect("a connection in time").expect("the listener runs")
    }

    /// A client of this server, with the dispatcher, and the sender that shuts it down.
    fn client(&self, dispatcher: Dispatcher) -> (LongConnectionBuilder, oneshot::Sender<()>) {
        let (stop, stopped) = oneshot::channel::<()>();
        let builder = LongConnection::builder(APP_ID, APP_SECRET).base_url(self.http.uri()).dispatcher(dispatcher).with_graceful_shutdown(async move {
            let _ = stopped.await;
        });
        (builder, stop)
    }
}

/// An endpoint answer with code 0, a URL on the listener, and this `ClientConfig`.
fn ok(ws: SocketAddr, config: Value) -> Value {
    let url = format!("ws://{ws}/ws?device_id=dev-1&service_id={SERVICE_ID}&access_key={ACCESS_KEY}&ticket={TICKET}");
    json!({ "code": 0, "msg": "ok", "data": { "URL": url, "ClientConfig": config } })
}

/// Long intervals: nothing happens by the clock during a test unless it says so.
fn quiet() -> Value {
    json!({ "PingInterval": 120, "ReconnectInterval": 1, "ReconnectNonce": 1, "ReconnectCount": -1 })
}

impl Peer {
    /// The next frame, or `None` when the client closed the connection.
    async fn recv(&mut self) -> Option<Frame> {
        loop {
            match timeout(Duration::from_secs(8), self.ws.next()).await.expect("a message in time") {
                Some(Ok(Message::Binary(bytes))) => return Some(Frame::from_bytes(&bytes).expect("the client sends frames")),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    async fn frame(&mut self) -> Frame {
        self.recv().await.expect("a frame")
    }

    async fn send(&mut self, frame: &Frame) {
        self.ws.send(Message::Binary(frame.to_bytes().into())).await.expect("send");
    }

    /// Reads the client's ping and checks its form.
    async fn ping(&mut self) -> Frame {
        let ping = self.frame().await;
        assert_eq!((ping.seq_id, ping.log_id, ping.service, ping.method), (0, 0, SERVICE_ID, METHOD_CONTROL), "{ping:?}");
        assert_eq!(ping.headers, vec![Header::new("type", "ping")]);
        assert_eq!(ping.payload, None);
        ping
    }

    async fn pong(&mut self, config: Option<Value>) {
        let pong = Frame {
            service: SERVICE_ID,
            method: METHOD_CONTROL,
            headers: vec![Header::new("type", "pong")],
            payload: config.map(|c| c.to_string().into_bytes()),
            ..Frame::default()
        };
        self.send(&pong).await;
    }

    /// The next data frame (an acknowledgement), skipping pings.
    async fn ack(&mut self) -> Frame {
        loop {
            let frame = self.frame().await;
            if frame.method == METHOD_DATA {
                return frame;
            }
        }
    }
}

/// A delivery frame as the server sends it.
fn delivery(kind: &str, message_id: &str, seq_id: u64, payload: Vec<u8>, sum: usize, seq: usize) -> Frame {
    Frame {
        seq_id,
        log_id: 1000 + seq_id,
        service: SERVICE_ID,
        method: METHOD_DATA,
        headers: vec![
            Header::new("type", kind),
            Header::new("message_id", message_id),
            Header::new("sum", sum.to_string()),
            Header::new("seq", seq.to_string()),
            Header::new("trace_id", format!("trace-{seq_id}")),
        ],
        payload: Some(payload),
        ..Frame::default()
    }
}

/// A 2.0 envelope.
fn envelope(event_id: &str, event_type: &str, event: Value) -> Vec<u8> {
    json!({
        "schema": "2.0",
        "header": { "event_id": event_id, "event_type": event_type, "create_time": "1700000000000", "token": "verification-token", "app_id": APP_ID, "tenant_key": "tenant-1" },
        "event": event,
    })
    .to_string()
    .into_bytes()
}

/// The acknowledgement's payload, and its checks: the frame echoed, `biz_rt` a number of
/// milliseconds, `headers` null.
fn answer_of(ack: &Frame, sent: &Frame) -> (i64, Option<Value>) {
    assert_eq!((ack.seq_id, ack.log_id, ack.service, ack.method), (sent.seq_id, sent.log_id, sent.service, sent.method));
    let (with_rt, rest): (Vec<&Header>, Vec<&Header>) = ack.headers.iter().partition(|h| h.key == "biz_rt");
    assert_eq!(rest.into_iter().cloned().collect::<Vec<_>>(), sent.headers, "the frame's headers are echoed");
    assert_eq!(with_rt.len(), 1, "one biz_rt header");
    with_rt[0].value.parse::<u64>().expect("biz_rt is a non-negative number of milliseconds");
    let body: Value = serde_json::from_slice(ack.payload.as_deref().expect("a payload")).expect("JSON");
    let keys: Vec<&String> = body.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["code", "headers", "data"]);
    assert_eq!(body["headers"], Value::Null);
    let data = match &body["data"] {
        Value::Null => None,
        Value::String(b64) => Some(serde_json::from_slice(&base64::engine::general_purpose::STANDARD.decode(b64).expect("base64")).expect("JSON inside")),
        other => panic!("data is {other}"),
    };
    (body["code"].as_i64().expect("a numeric code"), data)
}

/// Shuts the client down and expects `Ok(())`.
async fn stop(stop: oneshot::Sender<()>, run: JoinHandle<Result<(), LongConnectionError>>) {
    let _ = stop.send(());
    let result = timeout(Duration::from_secs(8), run).await.expect("the client stops in time").expect("the client task");
    assert_eq!(result, Ok(()));
}

/// The run's fatal error, in time.
async fn fatal(run: JoinHandle<Result<(), LongConnectionError>>) -> LongConnectionError {
    timeout(Duration::from_secs(8), run).await.expect("the client gives up in time").expect("the client task").expect_err("a fatal error")
}

#[derive(Debug, Deserialize)]
struct MessageReceived {
    text: String,
}

impl EventType for MessageReceived {
    const EVENT_TYPE: &'static str = "im.message.receive_v1";
}

#[derive(Debug, Deserialize)]
struct CardAction {
    action: Value,
}

impl EventType for CardAction {
    const EVENT_TYPE: &'static str = "card.action.trigger";
}

// ---- frames ----

#[test]
fn frames_match_the_hand_encoded_wire_bytes() {
    // Fields 1-4 are proto2 `required`: written even when zero.
    #[rustfmt::skip]
    let ping: &[u8] = &[
        0x08, 0x00,             // 1 SeqID = 0
        0x10, 0x00,             // 2 LogID = 0
        0x18, 0x2a,             // 3 service = 42
        0x20, 0x00,             // 4 method = 0
        0x2a, 0x0c,             // 5 headers, 12 bytes
        0x0a, 0x04, b't', b'y', b'p', b'e',
        0x12, 0x04, b'p', b'i', b'n', b'g',
    ];
    assert_eq!(Frame::ping(42).to_bytes(), ping);
    let zero = Frame::default().to_bytes();
    assert_eq!(zero, [0x08, 0x00, 0x10, 0x00, 0x18, 0x00, 0x20, 0x00]);

    #[rustfmt::skip]
    let data: &[u8] = &[
        0x08, 0x96, 0x01,       // SeqID = 150
        0x10, 0x01,             // LogID = 1
        0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, // service = -1 (int32: ten bytes)
        0x20, 0x01,             // method = 1
        0x2a, 0x0d, 0x0a, 0x04, b't', b'y', b'p', b'e', 0x12, 0x05, b'e', b'v', b'e', b'n', b't',
        0x32, 0x01, b'x',       // 6 payload_encoding
        0x3a, 0x01, b'y',       // 7 payload_type
        0x42, 0x02, b'{', b'}', // 8 payload
        0x4a, 0x02, b'L', b'9', // 9 LogIDNew
    ];
    let frame = Frame::from_bytes(data).expect("decodes");
    let expected = Frame {
        seq_id: 150,
        log_id: 1,
        service: -1,
        method: METHOD_DATA,
        headers: vec![Header::new("type", "event")],
        payload_encoding: Some("x".into()),
        payload_type: Some("y".into()),
        payload: Some(b"{}".to_vec()),
        log_id_new: Some("L9".into()),
    };
    assert_eq!(frame, expected);
    assert_eq!(frame.to_bytes(), data, "re-encodes to the same bytes");
    assert_eq!(frame.kind(), Some("event"));

    // SeqID with the wire type of a string: not a frame.
    let err = Frame::from_bytes(&[0x0a, 0x01, 0x00]).expect_err("wrong wire type");
    assert!(err.to_string().starts_with("not a long-connection frame"), "{err}");
    assert!(Frame::from_bytes(&[0x42, 0x05, b'{']).is_err(), "a truncated payload");
}

// ---- deliveries and acknowledgements ----

#[tokio::test]
async fn events_and_card_callbacks_are_acknowledged() {
    let mut server = Server::accepting(quiet()).await;
    let texts = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&texts);
    let dispatcher = Dispatcher::new()
        .on(move |e: Envelope<MessageReceived>| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().expect("lock").push(e.event.text);
                Ok::<(), io::Error>(())
            }
        })
        .on(|e: Envelope<CardAction>| async move {
            let answer = json!({ "toast": { "type": "success", "content": format!("pressed {}", e.event.action["value"]["key"]) } });
            Ok::<Value, io::Error>(answer)
        })
        .fallback(|e: Envelope<Value>| async move {
            match e.header.event_type.as_str() {
                "test.fails_v1" => Err(io::Error::other("handler failure")),
                "test.panics_v1" => panic!("a handler that panics"),
                _ => Ok(()),
            }
        });
    let (client, stopper) = server.client(dispatcher);
    let run = tokio::spawn(client.run());
    let mut peer = server.peer().await;

    // The endpoint exchange: header `locale: zh`, the credentials as JSON.
    let requests = server.http.received_requests().await.expect("recorded");
    assert_eq!(requests[0].headers.get("locale").and_then(|v| v.to_str().ok()), Some("zh"));
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(body, json!({ "AppID": APP_ID, "AppSecret": APP_SECRET }));
    assert!(peer.query.contains(TICKET), "the client connects to the URL as given");

    // A ping on connect.
    peer.ping().await;

    // An event: code 200, no data.
    let sent = delivery("event", "m1", 1, envelope("ev-1", "im.message.receive_v1", json!({ "text": "hello" })), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent), (200, None));
    assert_eq!(*texts.lock().expect("lock"), ["hello"]);

    // A card callback in a `card` frame: data is the base64 of the handler's JSON.
    let card = envelope("ev-2", "card.action.trigger", json!({ "action": { "value": { "key": "ok" }, "tag": "button" } }));
    let sent = delivery("card", "m2", 2, card.clone(), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent), (200, Some(json!({ "toast": { "type": "success", "content": "pressed \"ok\"" } }))));

    // The same callback in an `event` frame is handled alike.
    let sent = delivery("event", "m3", 3, card, 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent).0, 200);

    // A card frame whose handler answers nothing: `{}` all the same.
    let sent = delivery("card", "m4", 4, envelope("ev-4", "card.other_v1", json!({})), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent), (200, Some(json!({}))));

    // A failing handler, a panicking one, a body that is no envelope: 500, delivered again.
    for (n, payload) in [envelope("ev-5", "test.fails_v1", json!({})), envelope("ev-6", "test.panics_v1", json!({})), b"not json".to_vec()].into_iter().enumerate() {
        let sent = delivery("event", &format!("m{}", 5 + n), 5 + n as u64, payload, 1, 0);
        peer.send(&sent).await;
        assert_eq!(answer_of(&peer.ack().await, &sent), (500, None), "delivery {n}");
    }
    // A typed event whose body does not fit its struct: 500 as well.
    let sent = delivery("event", "m8", 8, envelope("ev-8", "im.message.receive_v1", json!({ "text": 5 })), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent), (500, None));

    // A frame that is not protobuf, and a data frame of another type, are dropped; the connection stays.
    peer.ws.send(Message::Binary(vec![0xff, 0xff, 0xff].into())).await.expect("send");
    peer.send(&delivery("other", "m9", 9, b"{}".to_vec(), 1, 0)).await;
    let sent = delivery("event", "m10", 10, envelope("ev-10", "im.message.receive_v1", json!({ "text": "still here" })), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent), (200, None));
    assert_eq!(*texts.lock().expect("lock"), ["hello", "still here"]);

    stop(stopper, run).await;
    assert_eq!(server.fetches(), 1, "one connection served it all");
}

#[tokio::test]
async fn a_payload_in_three_fragments_is_handled_once() {
    let mut server = Server::accepting(quiet()).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let texts = Arc::new(Mutex::new(Vec::new()));
    let (c, t) = (Arc::clone(&calls), Arc::clone(&texts));
    let dispatcher = Dispatcher::new().on(move |e: Envelope<MessageReceived>| {
        c.fetch_add(1, Ordering::SeqCst);
        t.lock().expect("lock").push(e.event.text);
        async { Ok::<(), io::Error>(()) }
    });
    let (client, stopper) = server.client(dispatcher);
    let run = tokio::spawn(client.fragment_ttl(Duration::from_millis(400)).run());
    let mut peer = server.peer().await;
    peer.ping().await;

    let whole = envelope("ev-big", "im.message.receive_v1", json!({ "text": "x".repeat(3000) }));
    let third = whole.len() / 3;
    let parts = [whole[..third].to_vec(), whole[third..2 * third].to_vec(), whole[2 * third..].to_vec()];
    // Out of order, with a part repeated: handled once, when the last slot fills.
    let frames: Vec<Frame> = (0..3).map(|seq| delivery("event", "big", 20 + seq as u64, parts[seq].clone(), 3, seq)).collect();
    for frame in [&frames[2], &frames[0], &frames[2], &frames[1]] {
        peer.send(frame).await;
    }
    let ack = peer.ack().await;
    assert_eq!(answer_of(&ack, &frames[1]), (200, None), "the completing part is acknowledged");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(texts.lock().expect("lock")[0].len(), 3000);

    // Parts that wait longer than the time to live are dropped: the late third part starts a
    // new message instead of completing the old one.
    let frames: Vec<Frame> = (0..3).map(|seq| delivery("event", "late", 30 + seq as u64, parts[seq].clone(), 3, seq)).collect();
    peer.send(&frames[0]).await;
    peer.send(&frames[1]).await;
    sleep(Duration::from_millis(600)).await;
    peer.send(&frames[2]).await;
    // An out-of-range part is dropped too.
    peer.send(&delivery("event", "late", 40, parts[0].clone(), 3, 7)).await;
    // Only when the first two arrive again does the message complete.
    let marker = delivery("event", "marker", 50, envelope("ev-m", "im.message.receive_v1", json!({ "text": "marker" })), 1, 0);
    peer.send(&marker).await;
    assert_eq!(answer_of(&peer.ack().await, &marker).0, 200, "nothing was handled before the marker");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    peer.send(&frames[0]).await;
    peer.send(&frames[1]).await;
    assert_eq!(answer_of(&peer.ack().await, &frames[1]).0, 200);
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    stop(stopper, run).await;
}

// ---- liveness and reconnection ----

#[tokio::test]
async fn a_silent_connection_is_dropped_after_two_ping_intervals() {
    // The endpoint says ping every 120 s; the first pong lowers it to 1 s, so the silence limit is 2 s.
    let mut server = Server::accepting(json!({ "PingInterval": 120, "ReconnectInterval": 1, "ReconnectNonce": 0, "ReconnectCount": -1 })).await;
    let (client, stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.run());
    let mut peer = server.peer().await;
    peer.ping().await;
    peer.pong(Some(json!({ "PingInterval": 1 }))).await;

    // While pongs come, the connection stays, well past two intervals.
    let started = Instant::now();
    let mut last_pong = Instant::now();
    while started.elapsed() < Duration::from_millis(2600) {
        let ping = timeout(Duration::from_millis(1500), peer.ping()).await.expect("a ping every second, as the pong said");
        drop(ping);
        peer.pong(None).await;
        last_pong = Instant::now();
    }
    assert_eq!(server.fetches(), 1, "no reconnect while the server answers");

    // The server goes silent without closing: half-open. The client gives up on it after two
    // intervals and connects again (nonce 0: at once).
    let _silent = peer;
    let second = server.peer().await;
    let after = last_pong.elapsed();
    eprintln!("long connection: silent server (ping interval 1 s): reconnected {after:?} after the last pong");
    assert!(after >= Duration::from_millis(1800) && after < Duration::from_millis(3200), "reconnected {after:?} after the last pong");
    assert_eq!(server.fetches(), 2, "each connection fetches a new endpoint");
    drop(second);
    stop(stopper, run).await;
}

#[tokio::test]
async fn a_closed_connection_is_reconnected_within_the_nonce() {
    // Nonce 1 s: each reconnect round starts within a second.
    let mut server = Server::accepting(json!({ "PingInterval": 120, "ReconnectInterval": 1, "ReconnectNonce": 1, "ReconnectCount": -1 })).await;
    let (client, stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.run());
    let mut peer = server.peer().await;
    for round in 0..3 {
        peer.ping().await;
        let closed = Instant::now();
        if round == 1 {
            // A dropped TCP connection without a close frame.
            drop(peer);
        } else {
            peer.ws.close(None).await.expect("close");
        }
        let next = server.peer().await;
        let waited = closed.elapsed();
        eprintln!("long connection: server closed (round {round}, nonce 1 s): reconnected after {waited:?}");
        assert!(waited < Duration::from_millis(1500), "round {round}: reconnected after {waited:?}");
        assert!(server.fetch_times()[round + 1] >= closed, "a new endpoint per connection");
        peer = next;
    }
    assert_eq!(server.fetches(), 4);
    stop(stopper, run).await;
}

#[tokio::test]
async fn a_busy_endpoint_and_a_passing_handshake_refusal_are_retried() {
    // Fetch 0 is busy (code 1), fetch 1 busy (1000040343); handshake 0 is refused with 514 and
    // another auth code, handshake 1 with a 500; then it connects.
    let mut server = Server::start(
        |n, ws| match n {
            0 => json!({ "code": 1, "msg": "system busy" }),
            1 => json!({ "code": 1_000_040_343, "msg": "internal error" }),
            _ => ok(ws, json!({ "PingInterval": 120 })),
        },
        |n| match n {
            0 => Some((514, vec![("Handshake-Status", "514"), ("Handshake-Autherrcode", "1000040351"), ("Handshake-Msg", "auth failed")])),
            1 => Some((500, vec![("Handshake-Status", "500"), ("Handshake-Msg", "server error")])),
            _ => None,
        },
    )
    .await;
    let (client, stopper) = server.client(Dispatcher::new());
    let started = Instant::now();
    let run = tokio::spawn(client.reconnect_nonce(Duration::from_millis(100)).reconnect_interval(Duration::from_millis(100)).run());
    let mut peer = server.peer().await;
    peer.ping().await;
    assert_eq!((server.fetches(), server.attempts()), (5, 3));
    assert!(started.elapsed() < Duration::from_secs(3), "the builder's intervals apply: {:?}", started.elapsed());
    stop(stopper, run).await;
}

#[tokio::test]
async fn a_reconnect_round_stops_after_its_tries() {
    let server = Server::start(|_, _| json!({ "code": 1, "msg": "system busy" }), |_| None).await;
    let (client, _stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.reconnect_nonce(Duration::ZERO).reconnect_interval(Duration::from_millis(50)).reconnect_tries(Some(2)).run());
    match fatal(run).await {
        LongConnectionError::RetriesExhausted { tries: 2, last } => assert!(last.contains("busy"), "{last}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.fetches(), 3, "the first try and two in the round");
}

// ---- fatal refusals ----

#[tokio::test]
async fn a_fatal_endpoint_code_stops_the_client() {
    let server = Server::start(|_, _| json!({ "code": 1_000_040_350, "msg": "too many connections" }), |_| None).await;
    let (client, _stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.reconnect_nonce(Duration::ZERO).reconnect_interval(Duration::from_millis(20)).run());
    let error = fatal(run).await;
    assert_eq!(error, LongConnectionError::EndpointRefused { code: 1_000_040_350, msg: "too many connections".into() });
    assert!(error.is_too_many_connections());
    sleep(Duration::from_millis(200)).await;
    assert_eq!((server.fetches(), server.attempts()), (1, 0), "no further try");

    // Wrong credentials, say: any other code but 0, 1 and 1000040343 is final too.
    let server = Server::start(|_, _| json!({ "code": 10014, "msg": "app secret invalid" }), |_| None).await;
    let (client, _stopper) = server.client(Dispatcher::new());
    let error = fatal(tokio::spawn(client.reconnect_nonce(Duration::ZERO).run())).await;
    assert!(matches!(error, LongConnectionError::EndpointRefused { code: 10014, .. }), "{error:?}");
    assert!(!error.is_too_many_connections());
    assert_eq!(server.fetches(), 1);
}

#[tokio::test]
async fn a_fatal_handshake_refusal_stops_the_client() {
    let too_many: Refusal = (514, vec![("Handshake-Status", "514"), ("Handshake-Autherrcode", "1000040350"), ("Handshake-Msg", "exceed conn limit")]);
    let server = Server::start(|_, ws| ok(ws, quiet()), move |_| Some(too_many.clone())).await;
    let (client, _stopper) = server.client(Dispatcher::new());
    let error = fatal(tokio::spawn(client.reconnect_nonce(Duration::ZERO).reconnect_interval(Duration::from_millis(20)).run())).await;
    assert_eq!(error, LongConnectionError::HandshakeRefused { status: 514, auth_code: Some(1_000_040_350), msg: "exceed conn limit".into() });
    assert!(error.is_too_many_connections());
    sleep(Duration::from_millis(200)).await;
    assert_eq!((server.fetches(), server.attempts()), (1, 1), "no further try");

    let server = Server::start(|_, ws| ok(ws, quiet()), |_| Some((403, vec![("Handshake-Status", "403"), ("Handshake-Msg", "forbidden")]))).await;
    let (client, _stopper) = server.client(Dispatcher::new());
    let error = fatal(tokio::spawn(client.reconnect_nonce(Duration::ZERO).reconnect_interval(Duration::from_millis(20)).run())).await;
    assert_eq!(error, LongConnectionError::HandshakeRefused { status: 403, auth_code: None, msg: "forbidden".into() });
    assert_eq!((server.fetches(), server.attempts()), (1, 1));
}

// ---- shutdown ----

#[tokio::test]
async fn shutdown_lets_handlers_in_flight_finish() {
    let mut server = Server::accepting(quiet()).await;
    let (started_tx, mut started) = mpsc::unbounded_channel::<()>();
    let dispatcher = Dispatcher::new().fallback(move |_: Envelope<Value>| {
        let started_tx = started_tx.clone();
        async move {
            let _ = started_tx.send(());
            sleep(Duration::from_millis(300)).await;
            Ok::<Value, io::Error>(json!({ "done": true }))
        }
    });
    let (client, stopper) = server.client(dispatcher);
    let run = tokio::spawn(client.run());
    let mut peer = server.peer().await;
    peer.ping().await;
    let sent = delivery("event", "slow", 60, envelope("ev-slow", "test.slow_v1", json!({})), 1, 0);
    peer.send(&sent).await;
    started.recv().await.expect("the handler started");
    let _ = stopper.send(());
    // The acknowledgement still goes out, then the client closes.
    let ack = peer.ack().await;
    let (code, data) = answer_of(&ack, &sent);
    assert_eq!((code, data), (200, Some(json!({ "done": true }))));
    assert!(ack.headers.iter().any(|h| h.key == "biz_rt" && h.value.parse::<u64>().is_ok_and(|ms| ms >= 250)), "biz_rt counts the handler's time: {:?}", ack.headers);
    assert!(peer.recv().await.is_none(), "closed after the acknowledgement");
    let result = timeout(Duration::from_secs(5), run).await.expect("stops").expect("task");
    assert_eq!(result, Ok(()));
    assert_eq!(server.fetches(), 1);
}

#[tokio::test]
async fn shutdown_during_the_reconnect_wait_returns_at_once() {
    // Busy forever, with the default nonce of 30 s: the client is waiting when told to stop.
    let server = Server::start(|_, _| json!({ "code": 1, "msg": "busy" }), |_| None).await;
    let (client, stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.run());
    while server.fetches() == 0 {
        sleep(Duration::from_millis(20)).await;
    }
    let _ = stopper.send(());
    let result = timeout(Duration::from_secs(2), run).await.expect("stops without waiting out the nonce").expect("task");
    assert_eq!(result, Ok(()));
}

// ---- TLS ----

#[tokio::test]
async fn wss_is_spoken_with_rustls_and_no_process_wide_provider() {
    // No CryptoProvider is installed in this process: the client picks aws-lc-rs itself, next to
    // reqwest's. The "server" reads the TLS ClientHello and hangs up; the client retries.
    let tls = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = tls.local_addr().expect("address");
    let (hello_tx, mut hello) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = tls.accept().await {
            let mut first = [0u8; 3];
            if tcp.read_exact(&mut first).await.is_ok() {
                let _ = hello_tx.send(first.to_vec());
            }
        }
    });
    let server = Server::start(
        move |_, _| json!({ "code": 0, "data": { "URL": format!("wss://{addr}/ws?service_id=1&ticket={TICKET}"), "ClientConfig": { "ReconnectNonce": 0 } } }),
        |_| None,
    )
    .await;
    let (client, stopper) = server.client(Dispatcher::new());
    let run = tokio::spawn(client.reconnect_interval(Duration::from_millis(50)).run());
    let first = timeout(Duration::from_secs(5), hello.recv()).await.expect("a TLS client hello").expect("bytes");
    assert_eq!(first[0], 0x16, "a TLS handshake record");
    assert_eq!(first[1], 0x03);
    timeout(Duration::from_secs(5), hello.recv()).await.expect("a second try").expect("bytes");
    assert!(server.fetches() >= 2);
    stop(stopper, run).await;
}

// ---- logs ----

/// Everything logged, into one buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_log_line_holds_the_connection_url() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // One refused handshake (retried, logged with its reason), a delivery, a failing handler,
    // a server close, a silent connection, then shutdown: every path that logs.
    let mut server = Server::start(
        |_, ws| ok(ws, json!({ "PingInterval": 1, "ReconnectInterval": 0, "ReconnectNonce": 0, "ReconnectCount": -1 })),
        |n| (n == 0).then(|| (500, vec![("Handshake-Status", "500"), ("Handshake-Msg", "try later")])),
    )
    .await;
    let dispatcher = Dispatcher::new().fallback(|_: Envelope<Value>| async { Err::<(), io::Error>(io::Error::other("handler failure")) });
    let (client, stopper) = server.client(dispatcher);
    let run = tokio::spawn(client.run());
    let mut peer = server.peer().await;
    peer.ping().await;
    let sent = delivery("event", "m1", 1, envelope("ev-1", "test.any_v1", json!({})), 1, 0);
    peer.send(&sent).await;
    assert_eq!(answer_of(&peer.ack().await, &sent).0, 500);
    peer.ws.close(None).await.expect("close");
    let silent = server.peer().await;
    let mut third = server.peer().await;
    drop(silent);
    third.ping().await;
    stop(stopper, run).await;

    let logs = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("UTF-8");
    assert!(logs.contains("long connection established") && logs.contains("127.0.0.1"), "the capture works and names the host:\n{logs}");
    assert!(logs.contains("try later"), "the refusal is logged:\n{logs}");
    assert!(logs.contains("taken for dead"), "the silent connection is logged:\n{logs}");
    for secret in [TICKET, ACCESS_KEY, APP_SECRET, "ticket=", "access_key"] {
        assert!(!logs.contains(secret), "a log line holds {secret}:\n{logs}");
    }
}
