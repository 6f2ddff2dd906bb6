//! The webhook receiver over real HTTP: an axum router on 127.0.0.1, deliveries POSTed with
//! reqwest, encrypted and signed by the test itself. Each rejection is checked for its typed
//! error (through `handle_checked`), its status and body over HTTP, and a handler never called.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod webhook_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use generated_client::runtime::events::{
    DecryptError, Dispatcher, Envelope, EventType, HandlerError, Handling, Schema, WebhookError, WebhookOptions, WebhookReceiver, WebhookRequest, decrypt,
};
use generated_client::runtime::reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Notify;
use webhook_support::*;

/// A typed event of the tests' own.
#[derive(Debug, Deserialize)]
struct Greeting {
    text: String,
}

impl EventType for Greeting {
    const EVENT_TYPE: &'static str = "test.greeting_v1";
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("handler refused")
    }
}

impl std::error::Error for Refused {}

/// A dispatcher recording every call: `Greeting` typed, anything else through the fallback,
/// which fails while `failures` is above zero.
fn dispatcher(calls: &Calls, failures: &Arc<AtomicUsize>) -> Dispatcher {
    let (typed, raw, failures) = (calls.clone(), calls.clone(), Arc::clone(failures));
    Dispatcher::new()
        .on(move |e: Envelope<Greeting>| {
            typed.push("typed", &e.header.event_id, json!({"text": e.event.text}));
            async { Ok::<(), Refused>(()) }
        })
        .fallback(move |e: Envelope<Value>| {
            let fail = failures.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
            raw.push(&format!("fallback {}", e.header.event_type), &e.header.event_id, e.event.clone());
            async move { if fail { Err(Refused) } else { Ok(()) } }
        })
}

struct Fixture {
    receiver: WebhookReceiver,
    url: String,
    calls: Calls,
    failures: Arc<AtomicUsize>,
}

async fn fixture(encrypted: bool, options: WebhookOptions) -> Fixture {
    let (calls, failures) = (Calls::default(), Arc::new(AtomicUsize::new(0)));
    let mut receiver = WebhookReceiver::new(TOKEN, dispatcher(&calls, &failures)).options(options);
    if encrypted {
        receiver = receiver.encrypt_key(KEY);
    }
    let url = format!("{}/feishu/events", serve(receiver.clone().into_router("/feishu/events")).await);
    Fixture { receiver, url, calls, failures }
}

impl Fixture {
    /// POSTs a delivery; the status and JSON body.
    async fn post(&self, headers: &HeaderMap, body: &[u8]) -> (u16, Value) {
        post(&self.url, headers, body.to_vec()).await
    }

    /// The same delivery through `handle_checked`: the typed rejection.
    async fn rejection(&self, headers: &HeaderMap, body: &[u8]) -> WebhookError {
        self.receiver.handle_checked(WebhookRequest::new(headers.clone(), body.to_vec())).await.expect_err("rejected")
    }

    /// Asserts the delivery is rejected over HTTP with `status` and `kind`, and returns the typed
    /// error; no handler ran.
    async fn assert_rejected(&self, headers: &HeaderMap, body: &[u8], status: u16, kind: &str) -> WebhookError {
        assert_eq!(self.post(headers, body).await, (status, json!({"msg": kind})));
        let err = self.rejection(headers, body).await;
        assert_eq!((err.status(), err.kind()), (status, kind), "{err}");
        assert_eq!(self.calls.len(), 0, "no handler ran");
        err
    }
}

fn success() -> (u16, Value) {
    (200, json!({"msg": "success"}))
}

// ---------------------------------------------------------------------------------------------
// Accepted deliveries.

#[test]
fn the_documented_vector_decrypts() {
    assert_eq!(decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=").unwrap(), b"hello world");
}

#[tokio::test]
async fn a_plain_2_0_event_reaches_its_typed_handler() {
    let f = fixture(false, WebhookOptions::default()).await;
    let body = v2("ev-plain-1", "test.greeting_v1", TOKEN, json!({"text": "hi"}));
    assert_eq!(f.post(&HeaderMap::new(), &body).await, success());
    assert_eq!(f.calls.all(), [("typed".to_owned(), "ev-plain-1".to_owned(), json!({"text": "hi"}))]);
}

#[tokio::test]
async fn a_plain_1_0_event_reaches_the_fallback_with_its_raw_json() {
    let f = fixture(false, WebhookOptions::default()).await;
    let event = json!({"type": "test.legacy", "app_id": "cli_test", "tenant_key": "tk", "payload": {"n": [1, 2]}});
    assert_eq!(f.post(&HeaderMap::new(), &v1("uuid-1", TOKEN, event.clone())).await, success());
    assert_eq!(f.calls.all(), [("fallback test.legacy".to_owned(), "uuid-1".to_owned(), event)]);
}

#[tokio::test]
async fn an_unknown_2_0_event_type_reaches_the_fallback_with_its_raw_json() {
    let f = fixture(true, WebhookOptions::default()).await;
    let event = json!({"deep": {"list": [true, null, 1.5]}, "s": "x"});
    let body = encrypted_body(KEY, &v2("ev-unknown-1", "test.never_heard_of_v9", TOKEN, event.clone()));
    assert_eq!(f.post(&signed(&now(), KEY, &body), &body).await, success());
    assert_eq!(f.calls.all(), [("fallback test.never_heard_of_v9".to_owned(), "ev-unknown-1".to_owned(), event)]);
}

#[tokio::test]
async fn encrypted_and_signed_events_of_both_schemas_are_handled() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-enc-2", "test.greeting_v1", TOKEN, json!({"text": "secret hi"})));
    assert_eq!(f.post(&signed("1700000000", KEY, &body), &body).await, success());
    let body = encrypted_body(KEY, &v1("uuid-enc-1", TOKEN, json!({"type": "test.greeting_v1", "text": "old hi"})));
    assert_eq!(f.post(&signed("1700000001", KEY, &body), &body).await, success());
    assert_eq!(
        f.calls.all(),
        [("typed".to_owned(), "ev-enc-2".to_owned(), json!({"text": "secret hi"})), ("typed".to_owned(), "uuid-enc-1".to_owned(), json!({"text": "old hi"}))]
    );
}

#[tokio::test]
async fn a_signature_in_upper_case_is_accepted() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-upper", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    let sig = sign("17", "n", KEY, &body).to_ascii_uppercase();
    let h = headers(&[("X-Lark-Request-Timestamp", "17"), ("X-Lark-Request-Nonce", "n"), ("X-Lark-Signature", &sig)]);
    assert_eq!(f.post(&h, &body).await, success());
    assert_eq!(f.calls.len(), 1);
}

#[tokio::test]
async fn a_handler_reply_body_is_the_answer() {
    let dispatcher = Dispatcher::new().on(|e: Envelope<Greeting>| async move { Ok::<_, Refused>(json!({"echo": e.event.text, "schema": format!("{:?}", e.schema)})) });
    let url = format!("{}/hook", serve(WebhookReceiver::new(TOKEN, dispatcher).into_router("/hook")).await);
    let (status, body) = post(&url, &HeaderMap::new(), v2("ev-reply", "test.greeting_v1", TOKEN, json!({"text": "ping"}))).await;
    assert_eq!((status, body), (200, json!({"echo": "ping", "schema": format!("{:?}", Schema::V2)})));
}

// ---------------------------------------------------------------------------------------------
// The URL challenge.

#[tokio::test]
async fn a_plain_challenge_is_answered_and_reaches_no_handler() {
    let f = fixture(false, WebhookOptions::default()).await;
    assert_eq!(f.post(&HeaderMap::new(), &challenge(TOKEN, "ch-plain-1")).await, (200, json!({"challenge": "ch-plain-1"})));
    assert_eq!(f.calls.len(), 0);
}

#[tokio::test]
async fn an_encrypted_challenge_is_answered_signed_or_not() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &challenge(TOKEN, "ch-enc-1"));
    assert_eq!(f.post(&HeaderMap::new(), &body).await, (200, json!({"challenge": "ch-enc-1"})));
    assert_eq!(f.post(&signed(&now(), KEY, &body), &body).await, (200, json!({"challenge": "ch-enc-1"})));
    assert_eq!(f.calls.len(), 0);
}

#[tokio::test]
async fn a_challenge_with_a_wrong_token_is_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &challenge("not-the-token", "ch-bad"));
    let err = f.assert_rejected(&HeaderMap::new(), &body, 401, "wrong token").await;
    assert!(matches!(err, WebhookError::WrongToken { event_id: None }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Rejections.

#[tokio::test]
async fn a_forged_signature_is_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-forged", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    // Signed with another key.
    let err = f.assert_rejected(&signed("1700000000", "another key", &body), &body, 401, "forged signature").await;
    assert!(matches!(err, WebhookError::ForgedSignature), "{err:?}");
    // Signed right, then another nonce put in its place.
    let mut h = signed("1700000000", KEY, &body);
    h.insert("x-lark-request-nonce", "nonce-swapped".parse().unwrap());
    assert!(matches!(f.assert_rejected(&h, &body, 401, "forged signature").await, WebhookError::ForgedSignature));
}

#[tokio::test]
async fn a_signature_over_the_re_serialised_body_is_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let compact = encrypted_body(KEY, &v2("ev-reser", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    // The same JSON value, other bytes: what a receiver that parses and writes JSON again signs.
    let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&compact).unwrap()).unwrap();
    assert_ne!(compact, pretty);
    assert_eq!(serde_json::from_slice::<Value>(&compact).unwrap(), serde_json::from_slice::<Value>(&pretty).unwrap());
    let err = f.assert_rejected(&signed("1700000000", KEY, &compact), &pretty, 401, "forged signature").await;
    assert!(matches!(err, WebhookError::ForgedSignature), "{err:?}");
}

#[tokio::test]
async fn missing_signature_headers_are_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-unsigned", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    let err = f.assert_rejected(&HeaderMap::new(), &body, 401, "missing header").await;
    assert!(matches!(err, WebhookError::MissingHeader("x-lark-signature")), "{err:?}");
    let only_timestamp = headers(&[("X-Lark-Request-Timestamp", "1700000000")]);
    assert!(matches!(f.assert_rejected(&only_timestamp, &body, 401, "missing header").await, WebhookError::MissingHeader("x-lark-request-nonce")));
}

#[tokio::test]
async fn an_unsigned_delivery_learns_nothing_about_its_ciphertext() {
    // Unsigned, a bad padding and a good one get one answer: no padding oracle.
    let f = fixture(true, WebhookOptions::default()).await;
    let bad_padding = serde_json::to_vec(&json!({"encrypt": encrypt_unpadded(KEY, b"0123456789abcde\0")})).unwrap();
    let not_json = serde_json::to_vec(&json!({"encrypt": encrypt_unpadded(KEY, b"0123456789abcde\x01")})).unwrap();
    for body in [bad_padding, not_json] {
        assert!(matches!(f.assert_rejected(&HeaderMap::new(), &body, 401, "missing header").await, WebhookError::MissingHeader(_)));
    }
}

#[tokio::test]
async fn a_wrong_token_is_rejected_with_the_event_id() {
    let f = fixture(false, WebhookOptions::default()).await;
    let body = v2("ev-wrong-token", "test.greeting_v1", "not-the-token", json!({"text": "hi"}));
    let err = f.assert_rejected(&HeaderMap::new(), &body, 401, "wrong token").await;
    assert!(matches!(&err, WebhookError::WrongToken { event_id: Some(id) } if id == "ev-wrong-token"), "{err:?}");
    // A 1.0 envelope without a token, encrypted and signed.
    let f = fixture(true, WebhookOptions::default()).await;
    let plain = serde_json::to_vec(&json!({"uuid": "uuid-no-token", "type": "event_callback", "event": {"type": "test.legacy"}})).unwrap();
    let body = encrypted_body(KEY, &plain);
    let err = f.assert_rejected(&signed("1", KEY, &body), &body, 401, "wrong token").await;
    assert_eq!(err.event_id(), Some("uuid-no-token"));
}

#[tokio::test]
async fn bad_base64_is_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = br#"{"encrypt":"this is *not* base64"}"#;
    let err = f.assert_rejected(&signed("1", KEY, body), body, 400, "bad base64").await;
    assert!(matches!(err, WebhookError::Decrypt(DecryptError::Base64)), "{err:?}");
}

#[tokio::test]
async fn bad_padding_is_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    // One block decrypting to a last byte of 0, which PKCS#7 never writes.
    let body = serde_json::to_vec(&json!({"encrypt": encrypt_unpadded(KEY, b"{\"a\":1}        \0")})).unwrap();
    let err = f.assert_rejected(&signed("1", KEY, &body), &body, 400, "bad padding").await;
    assert!(matches!(err, WebhookError::Decrypt(DecryptError::Padding)), "{err:?}");
}

#[tokio::test]
async fn truncated_ciphertexts_are_rejected() {
    let f = fixture(true, WebhookOptions::default()).await;
    let whole = encrypt(KEY, &v2("ev-trunc", "test.greeting_v1", TOKEN, json!({"text": "a text long enough for several blocks"})));
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &whole).unwrap();
    let cut = |n: usize| serde_json::to_vec(&json!({"encrypt": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes[..n])})).unwrap();
    // Shorter than an IV and a block.
    let body = cut(24);
    let err = f.assert_rejected(&signed("1", KEY, &body), &body, 400, "truncated ciphertext").await;
    assert!(matches!(err, WebhookError::Decrypt(DecryptError::Truncated { len: 24 })), "{err:?}");
    // Cut inside a block.
    let body = cut(bytes.len() - 5);
    let err = f.assert_rejected(&signed("1", KEY, &body), &body, 400, "bad ciphertext length").await;
    assert!(matches!(err, WebhookError::Decrypt(DecryptError::Length { .. })), "{err:?}");
    // Cut at a block: the new last block is JSON text, never valid padding.
    let body = cut(bytes.len() - 16);
    let err = f.assert_rejected(&signed("1", KEY, &body), &body, 400, "bad padding").await;
    assert!(matches!(err, WebhookError::Decrypt(DecryptError::Padding)), "{err:?}");
}

#[tokio::test]
async fn a_body_that_is_not_json_or_not_a_delivery_is_rejected() {
    let f = fixture(false, WebhookOptions::default()).await;
    assert!(matches!(f.assert_rejected(&HeaderMap::new(), b"schema=2.0&event=x", 400, "not json").await, WebhookError::NotJson(_)));
    assert!(matches!(f.assert_rejected(&HeaderMap::new(), br#"{"schema":"2.0"}"#, 400, "not a delivery").await, WebhookError::NotADelivery(_)));
    // Decrypted, but not JSON.
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, b"plain words");
    assert!(matches!(f.assert_rejected(&signed("1", KEY, &body), &body, 400, "not json").await, WebhookError::NotJson(_)));
}

#[tokio::test]
async fn an_encrypted_body_without_an_encrypt_key_is_a_server_error() {
    let f = fixture(false, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-nokey", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    assert!(matches!(f.assert_rejected(&HeaderMap::new(), &body, 500, "no encrypt key").await, WebhookError::NoEncryptKey));
}

#[tokio::test]
async fn a_timestamp_outside_the_replay_window_is_rejected() {
    let options = WebhookOptions { replay_window: Some(Duration::from_secs(300)), ..WebhookOptions::default() };
    let f = fixture(true, options).await;
    let body = encrypted_body(KEY, &v2("ev-old", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    let an_hour_ago = (now().parse::<i64>().unwrap() - 3600).to_string();
    let err = f.assert_rejected(&signed(&an_hour_ago, KEY, &body), &body, 401, "timestamp outside window").await;
    assert!(matches!(&err, WebhookError::OutsideWindow { event_id, timestamp: Some(_) } if event_id == "ev-old"), "{err:?}");
    let in_an_hour = (now().parse::<i64>().unwrap() + 3600).to_string();
    assert!(matches!(f.assert_rejected(&signed(&in_an_hour, KEY, &body), &body, 401, "timestamp outside window").await, WebhookError::OutsideWindow { .. }));
    // Within the window, the same event is handled.
    assert_eq!(f.post(&signed(&now(), KEY, &body), &body).await, success());
    assert_eq!(f.calls.len(), 1);
}

#[tokio::test]
async fn without_a_window_an_old_timestamp_is_accepted() {
    let f = fixture(true, WebhookOptions::default()).await;
    let body = encrypted_body(KEY, &v2("ev-old-ok", "test.greeting_v1", TOKEN, json!({"text": "hi"})));
    assert_eq!(f.post(&signed("1000000000", KEY, &body), &body).await, success());
    assert_eq!(f.calls.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Redeliveries.

#[tokio::test]
async fn a_redelivered_event_is_acknowledged_and_not_handled_again() {
    let f = fixture(true, WebhookOptions::default()).await;
    let plain = v2("ev-dup", "test.greeting_v1", TOKEN, json!({"text": "once"}));
    let first = encrypted_body(KEY, &plain);
    assert_eq!(f.post(&signed("1", KEY, &first), &first).await, success());
    // A redelivery is signed and encrypted anew; its id is what counts.
    let again = encrypted_body(KEY, &plain);
    assert_eq!(f.post(&signed("2", KEY, &again), &again).await, success());
    let err = f.rejection(&signed("3", KEY, &again), &again).await;
    assert!(matches!(&err, WebhookError::Duplicate { event_id } if event_id == "ev-dup"), "{err:?}");
    assert_eq!((err.status(), err.response().status), (200, 200));
    assert_eq!(f.calls.len(), 1, "handled once");
}

#[tokio::test]
async fn a_failed_handler_answers_500_and_its_redelivery_is_handled() {
    let f = fixture(false, WebhookOptions::default()).await;
    f.failures.store(1, Ordering::SeqCst);
    let body = v2("ev-flaky", "test.flaky_v1", TOKEN, json!({"n": 1}));
    assert_eq!(f.post(&HeaderMap::new(), &body).await, (500, json!({"msg": "handler failed"})));
    assert_eq!(f.post(&HeaderMap::new(), &body).await, success(), "the redelivery runs the handler");
    assert_eq!(f.post(&HeaderMap::new(), &body).await, success());
    assert_eq!(f.calls.len(), 2, "failed once, handled once, then a duplicate");
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_a_handler_error() {
    let f = fixture(false, WebhookOptions::default()).await;
    let body = v2("ev-bad-shape", "test.greeting_v1", TOKEN, json!({"text": 42}));
    let err = f.rejection(&HeaderMap::new(), &body).await;
    assert!(matches!(&err, WebhookError::Handler(HandlerError::Decode { event_id, .. }) if event_id == "ev-bad-shape"), "{err:?}");
    assert_eq!(err.status(), 500);
    assert_eq!(f.calls.len(), 0);
}

#[tokio::test]
async fn a_redelivery_while_the_handler_runs_is_deferred() {
    let (started, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let runs = Arc::new(AtomicUsize::new(0));
    let dispatcher = {
        let (started, release, runs) = (Arc::clone(&started), Arc::clone(&release), Arc::clone(&runs));
        Dispatcher::new().fallback(move |_e: Envelope<Value>| {
            let (started, release) = (Arc::clone(&started), Arc::clone(&release));
            runs.fetch_add(1, Ordering::SeqCst);
            async move {
                started.notify_one();
                release.notified().await;
                Ok::<(), Refused>(())
            }
        })
    };
    let url = format!("{}/e", serve(WebhookReceiver::new(TOKEN, dispatcher).into_router("/e")).await);
    let body = v2("ev-slow", "test.slow_v1", TOKEN, json!({}));
    let first = tokio::spawn({
        let (url, body) = (url.clone(), body.clone());
        async move { post(&url, &HeaderMap::new(), body).await }
    });
    started.notified().await;
    assert_eq!(post(&url, &HeaderMap::new(), body.clone()).await, (503, json!({"msg": "in progress"})));
    release.notify_one();
    assert_eq!(first.await.unwrap(), success());
    assert_eq!(post(&url, &HeaderMap::new(), body).await, success());
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn acknowledge_first_answers_before_the_handler_finishes() {
    let release = Arc::new(Notify::new());
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<String>();
    let done_tx = Arc::new(std::sync::Mutex::new(Some(done_tx)));
    let dispatcher = {
        let release = Arc::clone(&release);
        Dispatcher::new().on(move |e: Envelope<Greeting>| {
            let (release, done_tx) = (Arc::clone(&release), Arc::clone(&done_tx));
            async move {
                release.notified().await;
                if let Some(tx) = done_tx.lock().unwrap().take() {
                    tx.send(e.event.text).unwrap();
                }
                Ok::<(), Refused>(())
            }
        })
    };
    let options = WebhookOptions { handling: Handling::AcknowledgeFirst, ..WebhookOptions::default() };
    let url = format!("{}/e", serve(WebhookReceiver::new(TOKEN, dispatcher).options(options).into_router("/e")).await);
    let body = v2("ev-later", "test.greeting_v1", TOKEN, json!({"text": "later"}));
    // The handler is still waiting when the answer arrives.
    assert_eq!(post(&url, &HeaderMap::new(), body.clone()).await, success());
    release.notify_one();
    assert_eq!(tokio::time::timeout(Duration::from_secs(5), done_rx).await.unwrap().unwrap(), "later");
    // Acknowledged means handled: the redelivery is dropped.
    assert_eq!(post(&url, &HeaderMap::new(), body).await, success());
}

// ---------------------------------------------------------------------------------------------
// Logs.

#[derive(Clone, Default)]
struct Capture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_name_the_rejection_and_event_but_never_a_body_token_or_key() {
    let capture = Capture::default();
    let sink = capture.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(move || sink.clone()).finish();
    // Global, not per thread: the other tests of this binary run in parallel, and a callsite one of
    // them reached first without a subscriber stayed silent for a thread-local one (the server's
    // logs were lost). Their logs land here too, and must be as clean.
    tracing::subscriber::set_global_default(subscriber).expect("the only test of this binary that sets a subscriber");

    let f = fixture(true, WebhookOptions { replay_window: Some(Duration::from_secs(60)), ..WebhookOptions::default() }).await;
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    let mut send = async |h: HeaderMap, body: Vec<u8>| {
        let answer = f.post(&h, &body).await;
        bodies.push(body);
        answer
    };
    let ok = encrypted_body(KEY, &v2("ev-log-ok", "test.greeting_v1", TOKEN, json!({"text": "body-marker-ok"})));
    assert_eq!(send(signed(&now(), KEY, &ok), ok.clone()).await.0, 200);
    let forged = encrypted_body(KEY, &v2("ev-log-forged", "test.greeting_v1", TOKEN, json!({"text": "body-marker-forged"})));
    assert_eq!(send(signed(&now(), "wrong-key-CANARY", &forged), forged).await.0, 401);
    let wrong = encrypted_body(KEY, &v2("ev-log-token", "test.greeting_v1", "wrong-token-CANARY", json!({"text": "body-marker-token"})));
    assert_eq!(send(signed(&now(), KEY, &wrong), wrong).await.0, 401);
    let shape = encrypted_body(KEY, &v2("ev-log-shape", "test.greeting_v1", TOKEN, json!({"text": 987654321})));
    assert_eq!(send(signed(&now(), KEY, &shape), shape).await.0, 500);
    f.failures.store(1, Ordering::SeqCst);
    let fail = encrypted_body(KEY, &v2("ev-log-fail", "test.other_v1", TOKEN, json!({"text": "body-marker-fail"})));
    assert_eq!(send(signed(&now(), KEY, &fail), fail).await.0, 500);
    let old = encrypted_body(KEY, &v2("ev-log-old", "test.greeting_v1", TOKEN, json!({"text": "body-marker-old"})));
    assert_eq!(send(signed("1000000000", KEY, &old), old).await.0, 401);
    assert_eq!(send(HeaderMap::new(), b"not json body-marker-raw".to_vec()).await.0, 400);
    assert_eq!(send(signed(&now(), KEY, &ok), ok.clone()).await.0, 200);
    let ch = encrypted_body(KEY, &challenge(TOKEN, "challenge-marker"));
    assert_eq!(send(HeaderMap::new(), ch).await.0, 200);

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "forged signature",
        "wrong token",
        "ev-log-token",
        "ev-log-shape",
        "ev-log-fail",
        "handler refused",
        "timestamp outside window",
        "ev-log-old",
        "not json",
        "duplicate",
        "ev-log-ok",
    ] {
        assert!(log.contains(expected), "`{expected}` is logged:\n{log}");
    }
    let mut never: Vec<String> = [TOKEN, KEY, "wrong-token-CANARY", "wrong-key-CANARY", "body-marker", "987654321", "challenge-marker", "CANARY"].map(str::to_owned).to_vec();
    for body in &bodies {
        let text = String::from_utf8_lossy(body).into_owned();
        never.push(text.clone());
        if let Some(encrypt) = serde_json::from_str::<Value>(&text).ok().and_then(|v| v["encrypt"].as_str().map(str::to_owned)) {
            never.push(encrypt[..24].to_owned());
        }
    }
    for secret in never {
        assert!(!log.contains(&secret), "`{secret}` is in the log:\n{log}");
    }
}
