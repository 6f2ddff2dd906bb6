//! Raw calls (`Core::raw`), the escape hatch for endpoints without a spec, against servers on
//! 127.0.0.1: the exact request they send (method, path, query, headers, body, token), how they
//! decode answers, and that they get the same tokens, retries and typed errors as generated calls.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{FEISHU_TOKEN, authing_token, authing_token_endpoint, feishu_token_endpoint};
use generated_client::runtime::{ErrorKind, Method, RetryPolicy, StreamExt, UploadFile};
use generated_client::{authing, feishu};
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const MESSAGES: &str = "/open-apis/im/v1/messages";
const CHAT: &str = "/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230";
const USER_TOKEN: &str = "u-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef";

/// Three attempts, short waits.
fn policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(20), max_backoff: Duration::from_millis(100), max_rate_limit_wait: Duration::from_secs(5) }
}

fn lark(server: &MockServer) -> feishu::Client {
    feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).retry_policy(policy()).build().unwrap()
}

/// Every request the server received that is not the token exchange.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() != TOKEN_PATH).collect()
}

async fn the_request(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "exactly one API request");
    requests.remove(0)
}

async fn token_fetches(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == TOKEN_PATH).count()
}

fn header_of<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Bounds a call, so a hang fails the test instead of stalling the run.
async fn bounded<F: std::future::Future>(fut: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(3), fut).await.expect("the call finished in time")
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-ok").set_body_json(json!({"code": 0, "msg": "success", "data": data}))
}

#[derive(Debug, Deserialize, PartialEq)]
struct Message {
    message_id: String,
    chat_id: String,
}

// ---------------------------------------------------------------------------------------------
// What is sent, and how the answer is decoded.

#[tokio::test]
async fn a_json_body_and_query_go_with_the_clients_token_and_the_payload_decodes_into_a_struct_and_a_value() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let body = json!({"receive_id": "ou_7d8a6e6df7621556ce0d21922b676706ccs", "msg_type": "text", "content": "{\"text\":\"hi\"}"});
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .and(query_param("receive_id_type", "open_id"))
        .and(body_json(body.clone()))
        .and(header("authorization", format!("Bearer {FEISHU_TOKEN}").as_str()))
        .respond_with(ok(json!({"message_id": "om_dc13264520392913993dd051dba21dcf", "chat_id": "oc_5ad11d72b830411d72b836c20", "msg_type": "text"})))
        .expect(2)
        .mount(&server)
        .await;
    let lark = lark(&server);
    let request = lark.core().raw(Method::Post, MESSAGES).query("receive_id_type", "open_id").json(&body);

    let message: Message = bounded(request.clone().send()).await.unwrap();
    let value: Value = bounded(request.send()).await.unwrap();

    assert_eq!(message, Message { message_id: "om_dc13264520392913993dd051dba21dcf".to_owned(), chat_id: "oc_5ad11d72b830411d72b836c20".to_owned() });
    assert_eq!(value["msg_type"], "text");
    assert_eq!(token_fetches(&server).await, 1, "the client's tenant token, fetched once and cached");
    for request in api_requests(&server).await {
        assert_eq!(request.url.query(), Some("receive_id_type=open_id"));
        assert_eq!(header_of(&request, "content-type"), Some("application/json; charset=utf-8"));
    }
}

#[tokio::test]
async fn query_values_are_encoded_and_headers_replace_default_headers() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET")).and(path(CHAT)).respond_with(ok(json!({}))).mount(&server).await;
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).default_header("accept-language", "zh-CN").build().unwrap();

    bounded(lark.core().raw(Method::Get, CHAT).query("page_size", 20).query("q", "a b&c=d/é").query("tag", 1).query("tag", 2).header("accept-language", "en-US").send_unit())
        .await
        .unwrap();

    let request = the_request(&server).await;
    assert_eq!(request.url.query(), Some("page_size=20&q=a+b%26c%3Dd%2F%C3%A9&tag=1&tag=2"));
    assert_eq!(request.headers.get_all("accept-language").iter().collect::<Vec<_>>(), ["en-US"]);
}

#[tokio::test]
async fn an_answer_without_payload_and_a_missing_payload() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("DELETE")).and(path(CHAT)).respond_with(ok(json!({}))).mount(&server).await;
    Mock::given(method("PUT")).and(path(CHAT)).respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "success"}))).mount(&server).await;
    let lark = lark(&server);

    let () = bounded(lark.core().raw(Method::Delete, CHAT).send_unit()).await.unwrap();
    let missing: Option<Message> = bounded(lark.core().raw(Method::Put, CHAT).send()).await.unwrap();
    assert_eq!(missing, None, "a missing data field decodes as null");
    let put = api_requests(&server).await.into_iter().find(|r| r.method.as_str() == "PUT").unwrap();
    assert_eq!(header_of(&put, "content-length"), Some("0"), "an empty PUT says so");
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_is_a_decode_error_with_the_raw_body() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET")).and(path(CHAT)).respond_with(ok(json!({"message_id": 7}))).mount(&server).await;
    let lark = lark(&server);

    let err = bounded(lark.core().raw(Method::Get, CHAT).send::<Message>()).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.request_id(), Some("log-ok"));
    assert!(String::from_utf8_lossy(err.raw_body().unwrap()).contains("\"message_id\":7"));
    assert_eq!(err.attempts(), 1, "not retried");
}

#[tokio::test]
async fn a_flat_answer_is_read_from_the_whole_body_and_no_token_sends_none() {
    #[derive(Debug, Deserialize)]
    struct AppToken {
        app_access_token: String,
        expire: u64,
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/app_access_token/internal"))
        .and(body_json(json!({"app_id": "cli_a", "app_secret": "s"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "app_access_token": "a-6fd3d0c2", "expire": 7200})))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let token: AppToken =
        bounded(lark.core().raw(Method::Post, "/open-apis/auth/v3/app_access_token/internal").no_token().flat().json(&json!({"app_id": "cli_a", "app_secret": "s"})).send())
            .await
            .unwrap();

    assert_eq!(token.app_access_token, "a-6fd3d0c2");
    assert_eq!(token.expire, 7200);
    let request = the_request(&server).await;
    assert_eq!(header_of(&request, "authorization"), None);
    assert_eq!(token_fetches(&server).await, 0, "no token, no exchange");
}

#[tokio::test]
async fn a_multipart_body_carries_text_and_file_parts() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("POST")).and(path("/open-apis/im/v1/images")).respond_with(ok(json!({"image_key": "img_v2_1"}))).mount(&server).await;
    let lark = lark(&server);
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00raw";

    let image: Value = bounded(
        lark.core()
            .raw(Method::Post, "/open-apis/im/v1/images")
            .text_part("image_type", "message")
            .file_part("image", UploadFile::from_bytes("cat.png", png).content_type("image/png"))
            .file_part("thumb", UploadFile::from_bytes("cat.bin", &b"x"[..]))
            .send(),
    )
    .await
    .unwrap();

    assert_eq!(image["image_key"], "img_v2_1");
    let request = the_request(&server).await;
    assert_eq!(header_of(&request, "authorization"), Some(format!("Bearer {FEISHU_TOKEN}").as_str()));
    let boundary = header_of(&request, "content-type").unwrap().strip_prefix("multipart/form-data; boundary=").expect("a multipart body").to_owned();
    let body = &request.body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(contains(format!("Content-Disposition: form-data; name=\"image_type\"\r\n\r\nmessage\r\n--{boundary}").as_bytes()));
    assert!(contains(b"Content-Disposition: form-data; name=\"image\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n"));
    assert!(contains(png));
    assert!(contains(b"name=\"thumb\"; filename=\"cat.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nx"), "an unlabelled file is octet-stream");
}

#[tokio::test]
async fn a_file_is_downloaded_whole_or_streamed() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let file: Vec<u8> = (0..100_000u32).map(|i| (i % 241) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/open-apis/im/v1/images/img_v2_1"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-disposition", "attachment; filename=\"cat.png\"").set_body_raw(file.clone(), "image/png"))
        .mount(&server)
        .await;
    let lark = lark(&server);
    let request = lark.core().raw(Method::Get, "/open-apis/im/v1/images/img_v2_1");

    let download = bounded(request.clone().download()).await.unwrap();
    assert_eq!(download.bytes.as_ref(), file.as_slice());
    assert_eq!(download.file_name.as_deref(), Some("cat.png"));
    assert_eq!(download.content_type.as_deref(), Some("image/png"));

    let mut stream = bounded(request.download_stream()).await.unwrap();
    assert_eq!(stream.content_length, Some(file.len() as u64));
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.body.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, file);
}

// ---------------------------------------------------------------------------------------------
// Tokens.

#[tokio::test]
async fn a_per_request_token_is_sent_instead_of_the_clients_and_nothing_is_fetched() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 0).await;
    Mock::given(method("GET")).and(path(CHAT)).respond_with(ok(json!({}))).mount(&server).await;
    let lark = lark(&server);

    bounded(lark.core().raw(Method::Get, CHAT).request_token("user", USER_TOKEN).send_unit()).await.unwrap();

    let request = the_request(&server).await;
    assert_eq!(header_of(&request, "authorization"), Some(format!("Bearer {USER_TOKEN}").as_str()));
    assert_eq!(token_fetches(&server).await, 0);
}

#[tokio::test]
async fn a_per_request_kind_without_a_token_and_an_unknown_kind_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok(json!({}))).mount(&server).await;
    let lark = lark(&server);

    let err = bounded(lark.core().raw(Method::Get, CHAT).token_kind("user").send_unit()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.message().contains("request_token(\"user\""), "{}", err.message());

    let err = bounded(lark.core().raw(Method::Get, CHAT).token_kind("bot").send_unit()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(err.message().contains("tenant, app, store_app, user"), "names the kinds there are: {}", err.message());

    assert!(server.received_requests().await.unwrap().is_empty(), "nothing sent, not even a token exchange");
}

#[tokio::test]
async fn a_refused_client_token_is_replaced_and_the_raw_call_sent_once_more() {
    let server = MockServer::start().await;
    for (i, token) in ["t-a", "t-b"].into_iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200})));
        let mock = if i == 0 { mock.up_to_n_times(1) } else { mock };
        mock.mount(&server).await;
    }
    Mock::given(method("GET"))
        .and(path(CHAT))
        .and(header("authorization", "Bearer t-a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 99991663, "msg": "Invalid access token"})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(CHAT)).and(header("authorization", "Bearer t-b")).respond_with(ok(json!({"name": "ops"}))).mount(&server).await;
    let lark = lark(&server);

    let chat: Value = bounded(lark.core().raw(Method::Get, CHAT).send()).await.unwrap();

    assert_eq!(chat["name"], "ops");
    assert_eq!(token_fetches(&server).await, 2);
    let auth: Vec<String> = api_requests(&server).await.iter().map(|r| header_of(r, "authorization").unwrap_or_default().to_owned()).collect();
    assert_eq!(auth, ["Bearer t-a", "Bearer t-b"], "sent once more, with the new token");
}

#[tokio::test]
async fn an_authing_raw_call_takes_the_management_token_and_its_pool_header() {
    let server = MockServer::start().await;
    let token = authing_token("pool-7");
    authing_token_endpoint(&server, &token, 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/list-roles"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"statusCode": 200, "message": "", "requestId": "r-1", "data": {"list": [], "totalCount": 0}})))
        .mount(&server)
        .await;
    let pool = authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(server.uri()).build().unwrap();

    let roles: Value = bounded(pool.core().raw(Method::Get, "/api/v3/list-roles").query("page", 1).send()).await.unwrap();

    assert_eq!(roles["totalCount"], 0);
    let request = server.received_requests().await.unwrap().into_iter().find(|r| r.url.path() == "/api/v3/list-roles").unwrap();
    assert_eq!(header_of(&request, "authorization"), Some(format!("Bearer {token}").as_str()));
    assert_eq!(header_of(&request, "x-authing-userpool-id"), Some("pool-7"));
}

// ---------------------------------------------------------------------------------------------
// Errors and retries.

#[tokio::test]
async fn an_api_error_carries_the_code_message_request_id_and_raw_body() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("POST"))
        .and(path(MESSAGES))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Tt-Logid", "log-230001")
                .set_body_json(json!({"code": 230001, "msg": "Your request contains an invalid request parameter."})),
        )
        .mount(&server)
        .await;
    let lark = lark(&server);

    let err = bounded(lark.core().raw(Method::Post, MESSAGES).json(&json!({})).send::<Value>()).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(230001));
    assert_eq!(err.message(), "Your request contains an invalid request parameter.");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.request_id(), Some("log-230001"));
    assert!(String::from_utf8_lossy(err.raw_body().unwrap()).contains("230001"));
    assert_eq!(err.vendor(), "feishu");
    assert_eq!(err.operation(), None, "a raw call is no named operation");
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn a_503_is_retried_for_a_get_but_not_for_a_post_unless_marked_idempotent() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET")).and(path(CHAT)).respond_with(ResponseTemplate::new(503).set_body_string("busy")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path(CHAT)).respond_with(ok(json!({"name": "ops"}))).mount(&server).await;
    Mock::given(method("POST")).and(path(MESSAGES)).respond_with(ResponseTemplate::new(503).set_body_string("busy")).mount(&server).await;
    let lark = lark(&server);
    let count = |requests: &[Request], m: &str| requests.iter().filter(|r| r.method.as_str() == m).count();

    let chat: Value = bounded(lark.core().raw(Method::Get, CHAT).send()).await.unwrap();
    assert_eq!(chat["name"], "ops");
    assert_eq!(count(&api_requests(&server).await, "GET"), 2, "the GET was retried once");

    let err = bounded(lark.core().raw(Method::Post, MESSAGES).json(&json!({})).send_unit()).await.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(count(&api_requests(&server).await, "POST"), 1, "a POST may have been carried out: not retried");

    let err = bounded(lark.core().raw(Method::Post, MESSAGES).json(&json!({})).idempotent(true).send_unit()).await.unwrap_err();
    assert_eq!(err.attempts(), 3, "marked idempotent, the POST is retried under the policy");
    assert_eq!(count(&api_requests(&server).await, "POST"), 4);
}

#[tokio::test]
async fn bad_inputs_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok(json!({}))).mount(&server).await;
    let lark = lark(&server);
    let core = lark.core();

    let refused = [
        core.raw(Method::Get, "open-apis/im/v1/chats"),
        core.raw(Method::Get, "/open-apis/im/v1/chats?page_size=1"),
        core.raw(Method::Get, "/open-apis/im/v1/chats#x"),
        core.raw(Method::Get, "/open-apis/im\r\nX-Evil: 1"),
        core.raw(Method::Get, "/open-apis/../admin"),
        core.raw(Method::Get, CHAT).header("x-note", "a\r\nX-Evil: 1"),
        core.raw(Method::Get, CHAT).header("bad header", "v"),
        core.raw(Method::Get, CHAT).request_token("user", "u-1\r\nX-Evil: 1"),
        core.raw(Method::Post, CHAT).text_part("a", "b").json(&json!({})),
    ];
    for request in refused {
        let shown = format!("{request:?}");
        let err = bounded(request.send_unit()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{shown}: {err}");
    }
    let err = bounded(core.raw(Method::Get, CHAT).request_token("user", "u-1\r\nX-Evil: 1").send_unit()).await.unwrap_err();
    assert!(!err.message().contains("X-Evil"), "the token is not echoed: {}", err.message());
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing reached the server");
}

#[test]
fn debug_shows_names_never_tokens_or_header_values() {
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("app-secret-value").build().unwrap();
    let request = lark
        .core()
        .raw(Method::Post, MESSAGES)
        .query("receive_id_type", "open_id")
        .header("x-signature", "header-secret-value")
        .request_token("user", USER_TOKEN)
        .json(&json!({"password": "body-secret-value"}));

    let shown = format!("{request:?}");

    assert!(shown.contains(MESSAGES) && shown.contains("receive_id_type") && shown.contains("x-signature") && shown.contains("user"), "{shown}");
    for secret in ["app-secret-value", "header-secret-value", USER_TOKEN, "body-secret-value"] {
        assert!(!shown.contains(secret), "{secret} shown: {shown}");
    }
}
