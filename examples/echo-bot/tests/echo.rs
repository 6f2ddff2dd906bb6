//! The echo bot end to end on 127.0.0.1: a wiremock server plays the Feishu API (token exchange,
//! reply, long-connection endpoint); deliveries come over HTTP to the bot's axum router,
//! encrypted and signed here, or over a WebSocket server written here that speaks the
//! long connection's protobuf frames.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use generated_client::feishu;
use generated_client::feishu::im_v1::events::MessageReceiveV1;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_ID: &str = "cli_echo_test";
const APP_SECRET: &str = "app-secret-echo-5e21";
const TENANT_TOKEN: &str = "t-echo-tenant-token";
const VERIFICATION_TOKEN: &str = "vtok-echo-8c1d";
const ENCRYPT_KEY: &str = "ekey-echo-3f9a";

// ---- the Feishu API ----

/// A mock of the Feishu API: the tenant token exchange and the reply endpoint.
async fn feishu_api() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/tenant_access_token/internal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT_TOKEN, "expire": 7200})))
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/open-apis/im/v1/messages/[^/]+/reply$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "success", "data": {"message_id": "om_the_reply", "msg_type": "text"}})))
        .mount(&api)
        .await;
    api
}

fn client(api: &MockServer) -> feishu::Client {
    feishu::Client::builder().app_id(APP_ID).app_secret(APP_SECRET).base_url(api.uri()).build().unwrap()
}

/// The reply requests the API received: (message id of the path, JSON body), each checked for
/// the tenant token.
async fn replies(api: &MockServer) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for request in api.received_requests().await.unwrap() {
        let Some(id) = request.url.path().strip_prefix("/open-apis/im/v1/messages/").and_then(|rest| rest.strip_suffix("/reply")) else {
            continue;
        };
        assert_eq!(request.headers.get("authorization").unwrap(), &format!("Bearer {TENANT_TOKEN}"));
        out.push((id.to_owned(), serde_json::from_slice(&request.body).unwrap()));
    }
    out
}

/// Checks one reply: to `message_id`, the text `text`, deduplicated by the message's id.
fn assert_reply(reply: &(String, Value), message_id: &str, text: &str) {
    let (id, body) = reply;
    assert_eq!(id, message_id);
    assert_eq!(body["msg_type"], "text");
    assert_eq!(body["uuid"], message_id);
    let content: Value = serde_json::from_str(body["content"].as_str().expect("content is a JSON string")).unwrap();
    assert_eq!(content, json!({ "text": text }));
}

// ---- events ----

/// The `event` of an `im.message.receive_v1` delivery.
fn message_event(message_id: &str, sender_type: &str, message_type: &str, content: Value) -> Value {
    json!({
        "sender": {"sender_id": {"open_id": "ou_sender", "union_id": "on_sender", "user_id": "u_sender"}, "sender_type": sender_type, "tenant_key": "tk_echo"},
        "message": {"message_id": message_id, "chat_id": "oc_chat", "chat_type": "p2p", "message_type": message_type, "content": content.to_string(), "create_time": "1700000000000"},
    })
}

fn text_event(message_id: &str, sender_type: &str, text: &str) -> Value {
    message_event(message_id, sender_type, "text", json!({ "text": text }))
}

/// A 2.0 envelope of an `im.message.receive_v1` event.
fn envelope(event_id: &str, event: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1", "create_time": "1700000000000", "token": VERIFICATION_TOKEN, "app_id": APP_ID, "tenant_key": "tk_echo"},
        "event": event,
    }))
    .unwrap()
}

// ---- the webhook ----

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `{"encrypt": base64(IV ‖ AES-256-CBC(SHA-256(key), IV, PKCS#7(plaintext)))}`.
fn encrypted(plaintext: &[u8]) -> Vec<u8> {
    let key: [u8; 32] = Sha256::digest(ENCRYPT_KEY.as_bytes()).into();
    let iv: [u8; 16] = *b"echo-bot-iv-16b!";
    let mut buf = vec![0u8; plaintext.len() + 16];
    buf[..plaintext.len()].copy_from_slice(plaintext);
    let ct = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into()).encrypt_padded::<Pkcs7>(&mut buf, plaintext.len()).unwrap();
    serde_json::to_vec(&json!({ "encrypt": base64::engine::general_purpose::STANDARD.encode([&iv[..], ct].concat()) })).unwrap()
}

/// The echo bot's router served on 127.0.0.1; the URL of its webhook.
async fn serve_bot(api: &MockServer) -> String {
    let router = echo_bot::webhook_router(client(api), VERIFICATION_TOKEN, Some(ENCRYPT_KEY));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}{}", echo_bot::WEBHOOK_PATH)
}

/// POSTs `plaintext` encrypted and signed as Feishu does: SHA-256 over timestamp, nonce, key
/// and the body as sent. The status and the JSON answer.
async fn deliver(url: &str, plaintext: &[u8]) -> (u16, Value) {
    let body = encrypted(plaintext);
    let timestamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let nonce = "nonce-echo-1";
    let mut signature = Sha256::new();
    signature.update(format!("{timestamp}{nonce}{ENCRYPT_KEY}").as_bytes());
    signature.update(&body);
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-lark-request-timestamp", timestamp)
        .header("x-lark-request-nonce", nonce)
        .header("x-lark-signature", hex(&signature.finalize()))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn webhook_text_message_is_echoed_through_the_reply_call() {
    let api = feishu_api().await;
    let url = serve_bot(&api).await;

    let (status, body) = deliver(&url, &envelope("ev_1", text_event("om_hello", "user", "hello, bot"))).await;
    assert_eq!((status, body), (200, json!({"msg": "success"})));

    let replies = replies(&api).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_reply(&replies[0], "om_hello", "echo: hello, bot");
}

#[tokio::test]
async fn webhook_bot_messages_and_other_kinds_are_not_answered() {
    let api = feishu_api().await;
    let url = serve_bot(&api).await;

    let from_bot = text_event("om_from_bot", "app", "echo: hello");
    let image = message_event("om_image", "user", "image", json!({"image_key": "img_v2_1"}));
    for (event_id, event) in [("ev_bot", from_bot), ("ev_image", image)] {
        let (status, body) = deliver(&url, &envelope(event_id, event)).await;
        assert_eq!((status, body), (200, json!({"msg": "success"})), "{event_id} is acknowledged");
    }
    assert_eq!(replies(&api).await, [], "nothing is answered");

    // The same bot still answers a person.
    let (status, _) = deliver(&url, &envelope("ev_person", text_event("om_person", "user", "hi"))).await;
    assert_eq!(status, 200);
    let replies = replies(&api).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_reply(&replies[0], "om_person", "echo: hi");
}

#[tokio::test]
async fn webhook_failed_reply_fails_the_delivery_so_feishu_delivers_it_again() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/tenant_access_token/internal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT_TOKEN, "expire": 7200})))
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"/reply$"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"code": 230002, "msg": "The bot can not be outside the group."})))
        .mount(&api)
        .await;
    let url = serve_bot(&api).await;

    let (status, _) = deliver(&url, &envelope("ev_fails", text_event("om_outside", "user", "anyone?"))).await;
    assert_eq!(status, 500);
    assert_eq!(replies(&api).await.len(), 1, "the reply was tried once");
}

#[test]
fn mentions_are_taken_out_of_the_echo() {
    let mut event = text_event("om_group", "user", "@_user_1 hi @_user_12 there");
    event["message"]["mentions"] = json!([{"key": "@_user_1", "id": {"open_id": "ou_bot"}}, {"key": "@_user_12", "id": {"open_id": "ou_other"}}]);
    let event: MessageReceiveV1 = serde_json::from_value(event).unwrap();
    assert_eq!(echo_bot::echo(&event), Some(("om_group", "echo: hi  there".to_owned())));
}

// ---- the long connection ----

/// One frame of the long connection (`pbbp2.Frame`, proto2), written here independently of the
/// client's own.
#[derive(Clone, PartialEq, prost::Message)]
struct Frame {
    #[prost(uint64, required, tag = "1")]
    seq_id: u64,
    #[prost(uint64, required, tag = "2")]
    log_id: u64,
    #[prost(int32, required, tag = "3")]
    service: i32,
    #[prost(int32, required, tag = "4")]
    method: i32,
    #[prost(message, repeated, tag = "5")]
    headers: Vec<Header>,
    #[prost(bytes = "vec", optional, tag = "8")]
    payload: Option<Vec<u8>>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct Header {
    #[prost(string, required, tag = "1")]
    key: String,
    #[prost(string, required, tag = "2")]
    value: String,
}

const SERVICE_ID: i32 = 7;
const METHOD_DATA: i32 = 1;

fn header(key: &str, value: &str) -> Header {
    Header { key: key.to_owned(), value: value.to_owned() }
}

#[tokio::test]
async fn long_connection_text_message_is_echoed_and_acknowledged() {
    let api = feishu_api().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ws_addr = listener.local_addr().unwrap();
    let url = format!("ws://{ws_addr}/ws?device_id=dev-echo&service_id={SERVICE_ID}&access_key=ak-echo&ticket=ticket-echo");
    let config = json!({"PingInterval": 120, "ReconnectInterval": 1, "ReconnectNonce": 1, "ReconnectCount": -1});
    Mock::given(method("POST"))
        .and(path("/callback/ws/endpoint"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}})))
        .mount(&api)
        .await;

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (bot_client, base_url) = (client(&api), api.uri());
    let bot = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
        };
        echo_bot::run_long_connection(bot_client, APP_ID, APP_SECRET, &base_url, shutdown).await
    });

    let (tcp, _) = timeout(Duration::from_secs(10), listener.accept()).await.expect("the bot connects in time").unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    let event = Frame {
        seq_id: 1,
        log_id: 11,
        service: SERVICE_ID,
        method: METHOD_DATA,
        headers: vec![header("type", "event"), header("message_id", "msg-frame-1"), header("sum", "1"), header("seq", "0"), header("trace_id", "trace-1")],
        payload: Some(envelope("ev_ws", text_event("om_over_ws", "user", "over the socket"))),
    };
    ws.send(WsMessage::Binary(prost::Message::encode_to_vec(&event).into())).await.unwrap();

    // Pings (control frames) may come first; the acknowledgement is the data frame.
    let ack = loop {
        let message = timeout(Duration::from_secs(10), ws.next()).await.expect("an acknowledgement in time").expect("the socket stays open").unwrap();
        let WsMessage::Binary(bytes) = message else { continue };
        let frame: Frame = prost::Message::decode(&bytes[..]).unwrap();
        if frame.method == METHOD_DATA {
            break frame;
        }
    };
    assert_eq!((ack.seq_id, ack.log_id, ack.service), (1, 11, SERVICE_ID), "the acknowledgement is the event's frame");
    assert!(ack.headers.contains(&header("message_id", "msg-frame-1")), "{:?}", ack.headers);
    let answer: Value = serde_json::from_slice(ack.payload.as_deref().expect("a payload")).unwrap();
    assert_eq!(answer["code"], 200, "{answer}");
    // Read on, so the bot's close on shutdown is answered.
    tokio::spawn(async move { while ws.next().await.is_some() {} });

    // The acknowledgement follows the handler, so the reply has been sent.
    let replies = replies(&api).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_reply(&replies[0], "om_over_ws", "echo: over the socket");

    let _ = stop.send(());
    let result = timeout(Duration::from_secs(10), bot).await.expect("the bot stops in time").unwrap();
    assert!(result.is_ok(), "{result:?}");
}
