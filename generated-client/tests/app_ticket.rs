//! Store apps end to end on 127.0.0.1: Feishu pushes the `app_ticket` event to the webhook (an
//! axum router, posted to over HTTP, signed and encrypted), the client keeps the ticket, and the
//! store app's token exchange (`store_app`) sends it; before it arrives, a call says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod webhook_support;

use generated_client::feishu;
use generated_client::runtime::events::{Dispatcher, WebhookReceiver};
use generated_client::runtime::{ErrorKind, Method};
use serde_json::{Value, json};
use webhook_support::*;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_pushed_app_ticket_reaches_the_store_app_token_exchange() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/app_access_token"))
        .and(body_partial_json(json!({"app_id": "cli_store", "app_secret": "s3cret", "app_ticket": "ticket-2"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "app_access_token": "a-store", "expire": 7200})))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/open-apis/application/v6/applications/cli_store"))
        .and(header("authorization", "Bearer a-store"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "data": {"app": {"app_id": "cli_store"}}})))
        .expect(1)
        .mount(&api)
        .await;
    let client = feishu::Client::builder().app_id("cli_store").app_secret("s3cret").base_url(api.uri()).build().expect("no app_ticket is needed to build");
    let call = || client.raw(Method::Get, "/open-apis/application/v6/applications/cli_store").token_kind("store_app").send::<Value>();

    // Before the ticket arrives: a configuration error that says where it comes from, and no exchange.
    let early = call().await.expect_err("no ticket yet");
    assert_eq!(early.kind(), ErrorKind::Config);
    assert!(early.message().contains("`app_ticket` event"), "{}", early.message());

    let receiver = WebhookReceiver::new(TOKEN, client.receive_pushed_credentials(Dispatcher::new())).encrypt_key(KEY);
    let url = format!("{}/webhook/event", serve(receiver.into_router("/webhook/event")).await);
    // Two pushes, an hour apart: the newer ticket wins.
    for (uuid, ticket) in [("u-1", "ticket-1"), ("u-2", "ticket-2")] {
        let plain = v1(uuid, TOKEN, json!({"app_id": "cli_store", "app_ticket": ticket, "type": "app_ticket"}));
        let body = encrypted_body(KEY, &plain);
        let (status, _) = post(&url, &signed(&now(), KEY, &body), body.clone()).await;
        assert_eq!(status, 200);
    }

    let data = call().await.expect("the exchange sends the pushed ticket");
    assert_eq!(data["app"]["app_id"], "cli_store");
    // `set_credential` takes only what the vendor pushes.
    assert_eq!(client.core().set_credential("app_secret", "x").expect_err("not pushed").kind(), ErrorKind::Config);
}
