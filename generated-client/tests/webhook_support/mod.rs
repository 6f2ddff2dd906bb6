//! Helpers of the webhook and card callback tests: a receiver served on 127.0.0.1, deliveries
//! encrypted and signed here with the crypto crates directly (not with the receiver's code), and
//! a recorder of the handler calls.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use aes::cipher::block_padding::{NoPadding, Pkcs7};
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use base64::Engine as _;
use generated_client::runtime::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const TOKEN: &str = "vtok-CANARY-51c2e8";
pub const KEY: &str = "ekey-CANARY-0b7a93";

/// Serves `router` on an ephemeral port of 127.0.0.1; the base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

/// One POST: the status and the body as JSON (`Null` if it is not JSON).
pub async fn post(url: &str, headers: &HeaderMap, body: impl Into<Vec<u8>>) -> (u16, Value) {
    let response = reqwest::Client::new().post(url).headers(headers.clone()).header("content-type", "application/json").body(body.into()).send().await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256(timestamp ‖ nonce ‖ key ‖ body), lower-case hex.
pub fn sign(timestamp: &str, nonce: &str, key: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{timestamp}{nonce}{key}").as_bytes());
    h.update(body);
    hex(&h.finalize())
}

/// SHA-1(timestamp ‖ nonce ‖ token ‖ body), lower-case hex.
pub fn sign_v1(timestamp: &str, nonce: &str, token: &str, body: &[u8]) -> String {
    let mut h = sha1::Sha1::new();
    h.update(format!("{timestamp}{nonce}{token}").as_bytes());
    h.update(body);
    hex(&h.finalize())
}

pub fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in pairs {
        map.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    map
}

/// The three signature headers for `body`, signed with `key`.
pub fn signed(timestamp: &str, key: &str, body: &[u8]) -> HeaderMap {
    let nonce = "nonce-4711";
    headers(&[("X-Lark-Request-Timestamp", timestamp), ("X-Lark-Request-Nonce", nonce), ("X-Lark-Signature", &sign(timestamp, nonce, key, body))])
}

pub fn now() -> String {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string()
}

fn aes_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

const IV: [u8; 16] = *b"an-iv-of-16bytes";

/// base64(IV ‖ AES-256-CBC(SHA-256(key), IV, PKCS#7(plaintext))).
pub fn encrypt(key: &str, plaintext: &[u8]) -> String {
    let mut buf = vec![0u8; plaintext.len() + 16];
    buf[..plaintext.len()].copy_from_slice(plaintext);
    let ct = cbc::Encryptor::<aes::Aes256>::new(&aes_key(key).into(), &IV.into()).encrypt_padded::<Pkcs7>(&mut buf, plaintext.len()).unwrap();
    base64::engine::general_purpose::STANDARD.encode([&IV[..], ct].concat())
}

/// Whole blocks encrypted without padding: they decrypt to `blocks`, whose last byte decides
/// whether the padding reads as valid.
pub fn encrypt_unpadded(key: &str, blocks: &[u8]) -> String {
    let mut buf = blocks.to_vec();
    let len = buf.len();
    let ct = cbc::Encryptor::<aes::Aes256>::new(&aes_key(key).into(), &IV.into()).encrypt_padded::<NoPadding>(&mut buf, len).unwrap();
    base64::engine::general_purpose::STANDARD.encode([&IV[..], ct].concat())
}

/// `{"encrypt": …}` of a plaintext body.
pub fn encrypted_body(key: &str, plaintext: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "encrypt": encrypt(key, plaintext) })).unwrap()
}

pub fn v2(event_id: &str, event_type: &str, token: &str, event: Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": event_type, "create_time": "1700000000000", "token": token, "app_id": "cli_test", "tenant_key": "tk_test"},
        "event": event,
    }))
    .unwrap()
}

pub fn v1(uuid: &str, token: &str, event: Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"uuid": uuid, "token": token, "ts": "1700000000.123", "type": "event_callback", "event": event})).unwrap()
}

pub fn challenge(token: &str, challenge: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"challenge": challenge, "token": token, "type": "url_verification"})).unwrap()
}

/// The handler calls a test saw: (what handled it, event id, event).
#[derive(Clone, Default)]
pub struct Calls(pub Arc<Mutex<Vec<(String, String, Value)>>>);

impl Calls {
    pub fn push(&self, by: &str, id: &str, event: Value) {
        self.0.lock().unwrap().push((by.to_owned(), id.to_owned(), event));
    }

    pub fn all(&self) -> Vec<(String, String, Value)> {
        self.0.lock().unwrap().clone()
    }

    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}
