//! Card callbacks over real HTTP: `card.action.trigger` through the webhook receiver, answered
//! with a toast and a card; the old callback through `CardV1Receiver`, signed with SHA-1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod webhook_support;

use std::sync::{Arc, Mutex};

use generated_client::runtime::events::{
    CardActionTrigger, CardAnswer, CardTemplate, CardUpdate, CardV1Callback, CardV1Error, CardV1Receiver, CardV1Reply, Dispatcher, Envelope, Toast, WebhookReceiver, WebhookRequest,
};
use generated_client::runtime::reqwest::header::HeaderMap;
use serde_json::{Value, json};
use webhook_support::*;

fn trigger_event() -> Value {
    json!({
        "operator": {"tenant_key": "tk_1", "user_id": "u_1", "open_id": "ou_1", "union_id": "on_1"},
        "token": "c-card-update-token",
        "action": {
            "value": {"order": 7},
            "tag": "button",
            "timezone": "Asia/Shanghai",
            "name": "Button_ok",
            "form_value": {"choices": ["a", "b"], "note": "n"},
            "input_value": "typed",
            "option": "opt_1",
            "options": ["opt_1", "opt_2"],
            "checked": true
        },
        "host": "im_message",
        "delivery_type": "url_preview",
        "context": {"url": "https://example.com/x", "preview_token": "pt", "open_message_id": "om_1", "open_chat_id": "oc_1"}
    })
}

#[tokio::test]
async fn a_card_action_is_answered_with_a_toast_and_a_template_card() {
    let seen: Arc<Mutex<Vec<CardActionTrigger>>> = Arc::default();
    let dispatcher = {
        let seen = Arc::clone(&seen);
        Dispatcher::new().on(move |e: Envelope<CardActionTrigger>| {
            let order = e.event.action.value.as_ref().and_then(|v| v["order"].as_i64()).unwrap_or_default();
            seen.lock().unwrap().push(e.event);
            async move {
                Ok::<_, std::io::Error>(
                    CardAnswer::new()
                        .toast(Toast::success("saved").i18n("en_us", "saved").i18n("zh_cn", "已保存"))
                        .card(CardUpdate::Template(CardTemplate::new("AAq-template").variables(json!({"order": order})).version("1.0.2"))),
                )
            }
        })
    };
    let url = format!("{}/cards", serve(WebhookReceiver::new(TOKEN, dispatcher).encrypt_key(KEY).into_router("/cards")).await);
    let body = encrypted_body(KEY, &v2("ev-card-1", "card.action.trigger", TOKEN, trigger_event()));
    let (status, answer) = post(&url, &signed(&now(), KEY, &body), body).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({
            "toast": {"type": "success", "content": "saved", "i18n": {"en_us": "saved", "zh_cn": "已保存"}},
            "card": {"type": "template", "data": {"template_id": "AAq-template", "template_variable": {"order": 7}, "template_version_name": "1.0.2"}}
        })
    );
    let seen = seen.lock().unwrap();
    let [event] = seen.as_slice() else { panic!("one call, got {}", seen.len()) };
    assert_eq!((event.operator.open_id.as_deref(), event.operator.user_id.as_deref(), event.operator.union_id.as_deref()), (Some("ou_1"), Some("u_1"), Some("on_1")));
    assert_eq!(event.token.as_ref().map(|t| t.expose()), Some("c-card-update-token"));
    let a = &event.action;
    assert_eq!((a.tag.as_deref(), a.name.as_deref(), a.timezone.as_deref()), (Some("button"), Some("Button_ok"), Some("Asia/Shanghai")));
    assert_eq!(a.form_value.as_ref().map(|f| Value::Object(f.clone())), Some(json!({"choices": ["a", "b"], "note": "n"})));
    assert_eq!(
        (a.input_value.as_deref(), a.option.as_deref(), a.options.clone(), a.checked),
        (Some("typed"), Some("opt_1"), Some(vec!["opt_1".to_owned(), "opt_2".to_owned()]), Some(true))
    );
    assert_eq!((event.host.as_deref(), event.delivery_type.as_deref()), (Some("im_message"), Some("url_preview")));
    assert_eq!(
        (event.context.open_message_id.as_deref(), event.context.open_chat_id.as_deref(), event.context.url.as_deref()),
        (Some("om_1"), Some("oc_1"), Some("https://example.com/x"))
    );
    assert!(!format!("{event:?}").contains("c-card-update-token"), "the card token never shows in Debug");
}

#[tokio::test]
async fn a_card_action_can_replace_the_card_with_raw_json() {
    let dispatcher = Dispatcher::new().on(|e: Envelope<CardActionTrigger>| async move {
        let tag = e.event.action.tag.unwrap_or_default();
        Ok::<_, std::io::Error>(CardAnswer::new().card(CardUpdate::Raw(json!({"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": tag}]}}))))
    });
    let url = format!("{}/cards", serve(WebhookReceiver::new(TOKEN, dispatcher).into_router("/cards")).await);
    let (status, answer) = post(&url, &HeaderMap::new(), v2("ev-card-raw", "card.action.trigger", TOKEN, json!({"action": {"tag": "select_static"}}))).await;
    assert_eq!((status, answer), (200, json!({"card": {"type": "raw", "data": {"schema": "2.0", "body": {"elements": [{"tag": "markdown", "content": "select_static"}]}}}})));
}

// ---------------------------------------------------------------------------------------------
// The old callback.

fn v1_body() -> Vec<u8> {
    serde_json::to_vec(&json!({
        "open_id": "ou_v1", "user_id": "u_v1", "open_message_id": "om_v1", "open_chat_id": "oc_v1", "tenant_key": "tk_v1",
        "token": "c-v1-update-token",
        "action": {"value": {"choice": "yes"}, "tag": "button", "option": "o", "timezone": "Europe/Paris"}
    }))
    .unwrap()
}

fn v1_signed(token: &str, body: &[u8]) -> HeaderMap {
    headers(&[("X-Lark-Request-Timestamp", "1700000000"), ("X-Lark-Request-Nonce", "nonce-v1"), ("X-Lark-Signature", &sign_v1("1700000000", "nonce-v1", token, body))])
}

struct V1 {
    receiver: CardV1Receiver,
    url: String,
    calls: Arc<Mutex<Vec<CardV1Callback>>>,
}

async fn v1_fixture(encrypt_key: Option<&str>) -> V1 {
    let calls: Arc<Mutex<Vec<CardV1Callback>>> = Arc::default();
    let recorded = Arc::clone(&calls);
    let mut receiver = CardV1Receiver::new(TOKEN, move |c: CardV1Callback| {
        let choice = c.action.value.as_ref().and_then(|v| v["choice"].as_str()).unwrap_or_default().to_owned();
        recorded.lock().unwrap().push(c);
        async move {
            match choice.as_str() {
                "fail" => Err(std::io::Error::other("refused")),
                "keep" => Ok(CardV1Reply::Keep),
                _ => Ok(CardV1Reply::Replace(json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": format!("chose {choice}")}}]}))),
            }
        }
    });
    if let Some(key) = encrypt_key {
        receiver = receiver.encrypt_key(key);
    }
    let url = format!("{}/card-v1", serve(receiver.clone().into_router("/card-v1")).await);
    V1 { receiver, url, calls }
}

impl V1 {
    async fn assert_rejected(&self, headers: &HeaderMap, body: &[u8], status: u16, kind: &str) -> CardV1Error {
        assert_eq!(post(&self.url, headers, body.to_vec()).await, (status, json!({"msg": kind})));
        let err = self.receiver.handle_checked(WebhookRequest::new(headers.clone(), body.to_vec())).await.expect_err("rejected");
        assert_eq!((err.status(), err.kind()), (status, kind), "{err}");
        assert_eq!(self.calls.lock().unwrap().len(), 0, "the handler never ran");
        err
    }
}

#[tokio::test]
async fn a_v1_callback_with_a_correct_signature_replaces_the_card() {
    let f = v1_fixture(None).await;
    let body = v1_body();
    let (status, answer) = post(&f.url, &v1_signed(TOKEN, &body), body).await;
    assert_eq!((status, answer), (200, json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "chose yes"}}]})));
    let calls = f.calls.lock().unwrap();
    let [c] = calls.as_slice() else { panic!("one call, got {}", calls.len()) };
    assert_eq!((c.open_id.as_deref(), c.user_id.as_deref(), c.open_message_id.as_deref(), c.open_chat_id.as_deref()), (Some("ou_v1"), Some("u_v1"), Some("om_v1"), Some("oc_v1")));
    assert_eq!((c.action.tag.as_deref(), c.action.option.as_deref(), c.action.timezone.as_deref()), (Some("button"), Some("o"), Some("Europe/Paris")));
    assert_eq!(c.token.as_ref().map(|t| t.expose()), Some("c-v1-update-token"));
}

#[tokio::test]
async fn a_v1_callback_that_keeps_the_card_is_acknowledged() {
    let f = v1_fixture(None).await;
    let body = serde_json::to_vec(&json!({"open_id": "ou_v1", "action": {"value": {"choice": "keep"}, "tag": "button"}})).unwrap();
    assert_eq!(post(&f.url, &v1_signed(TOKEN, &body), body).await, (200, json!({"msg": "success"})));
}

#[tokio::test]
async fn a_v1_callback_with_a_forged_signature_is_rejected() {
    let f = v1_fixture(None).await;
    let body = v1_body();
    // SHA-1 with another token.
    assert!(matches!(f.assert_rejected(&v1_signed("not-the-token", &body), &body, 401, "forged signature").await, CardV1Error::ForgedSignature));
    // The 2.0 scheme's SHA-256 signature is not the old callback's.
    let sha256 = signed("1700000000", TOKEN, &body);
    assert!(matches!(f.assert_rejected(&sha256, &body, 401, "forged signature").await, CardV1Error::ForgedSignature));
    // Signed over the compact body, sent pretty-printed.
    let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    assert!(matches!(f.assert_rejected(&v1_signed(TOKEN, &body), &pretty, 401, "forged signature").await, CardV1Error::ForgedSignature));
}

#[tokio::test]
async fn an_unsigned_v1_callback_is_rejected() {
    let f = v1_fixture(None).await;
    let err = f.assert_rejected(&HeaderMap::new(), &v1_body(), 401, "missing header").await;
    assert!(matches!(err, CardV1Error::MissingHeader("x-lark-signature")), "{err:?}");
}

#[tokio::test]
async fn the_v1_challenge_is_answered_after_its_token_is_checked() {
    let f = v1_fixture(None).await;
    assert_eq!(post(&f.url, &HeaderMap::new(), challenge(TOKEN, "ch-v1")).await, (200, json!({"challenge": "ch-v1"})));
    assert!(matches!(f.assert_rejected(&HeaderMap::new(), &challenge("not-the-token", "ch-v1"), 401, "wrong token").await, CardV1Error::WrongToken));
}

#[tokio::test]
async fn an_encrypted_v1_callback_is_decrypted_and_bad_ciphertexts_are_typed() {
    let f = v1_fixture(Some(KEY)).await;
    let body = encrypted_body(KEY, &v1_body());
    let (status, _) = post(&f.url, &v1_signed(TOKEN, &body), body).await;
    assert_eq!(status, 200);
    assert_eq!(f.calls.lock().unwrap().len(), 1);
    f.calls.lock().unwrap().clear();
    let body = br#"{"encrypt":"@@@"}"#.to_vec();
    assert!(matches!(f.assert_rejected(&v1_signed(TOKEN, &body), &body, 400, "bad base64").await, CardV1Error::Decrypt(_)));
    // Without a key configured, an encrypted callback is a configuration error.
    let f = v1_fixture(None).await;
    let body = encrypted_body(KEY, &v1_body());
    assert!(matches!(f.assert_rejected(&v1_signed(TOKEN, &body), &body, 500, "no encrypt key").await, CardV1Error::NoEncryptKey));
}

#[tokio::test]
async fn a_failing_v1_handler_answers_500() {
    let f = v1_fixture(None).await;
    let body = serde_json::to_vec(&json!({"open_id": "ou_v1", "action": {"value": {"choice": "fail"}}})).unwrap();
    assert_eq!(post(&f.url, &v1_signed(TOKEN, &body), body.clone()).await, (500, json!({"msg": "handler failed"})));
    let err = f.receiver.handle_checked(WebhookRequest::new(v1_signed(TOKEN, &body), body)).await.expect_err("fails");
    assert!(matches!(err, CardV1Error::Handler(_)), "{err:?}");
}
