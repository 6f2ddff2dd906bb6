//! The one request pipeline, seen from the outside, against servers on 127.0.0.1: a streamed
//! download gets the retries and the token refresh of any other call until the file starts
//! (the vendor's token-invalid HTTP statuses as well as its codes), and the token exchange is a
//! call like any other (retried like an idempotent call although it is a POST, rate limits
//! waited out, its errors filed as kind `Token`); a service served from hosts of its own is
//! called there when the client is on one of the vendor's hosts, and on the client's base URL
//! otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::future::Future;
use std::time::{Duration, Instant};

use generated_client::runtime::{ErrorKind, RetryPolicy, StreamExt};
use generated_client::{authing, feishu};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// The tests call a few operations of the fixture vendor, not all of them.
#[allow(dead_code)]
mod generated {
    generated_client::generate!("../codegen/tests/fixtures/specs/acme");
}
use generated::acme;

// A vendor whose services `archive/v1` and `auth/v1` (the token exchange) have hosts of their own.
#[allow(dead_code)]
mod generated_relay {
    generated_client::generate!("tests/hosts/specs");
}
use generated_relay::relay;

const USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const FEISHU_TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const FACE_PATH: &str = "/open-apis/acs/v1/users/ou_7dab8a3d3cdcc9da365777c7ad535d62/face";
const ACME_TOKEN_PATH: &str = "/oauth/token";
const ACME_IMAGE_PATH: &str = "/v2/products/42/images/img-1";
const AUTHING_TOKEN_PATH: &str = "/api/v3/get-management-token";
const TOKEN_A: &str = "t-first-aaaaaaaaaaaaaaaaaaaa";
const TOKEN_B: &str = "t-second-bbbbbbbbbbbbbbbbbbb";

/// Three attempts, short waits.
fn policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(20), max_backoff: Duration::from_millis(100), max_rate_limit_wait: Duration::from_secs(5) }
}

fn lark(server: &MockServer) -> feishu::Client {
    feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).retry_policy(policy()).build().unwrap()
}

fn acme_client(server: &MockServer) -> acme::Client {
    acme::Client::builder().client_id("acme_cli_1").client_secret("s3cr3t").base_url(server.uri()).retry_policy(policy()).build().unwrap()
}

/// Runs `fut`, failing the test if it takes longer than `bound`; returns its output and the time taken.
async fn timed<F: Future>(bound: Duration, fut: F) -> (F::Output, Duration) {
    let start = Instant::now();
    let out = tokio::time::timeout(bound, fut).await.unwrap_or_else(|_| panic!("the call did not finish within {bound:?}"));
    (out, start.elapsed())
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

fn authorization(r: &Request) -> String {
    r.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Mounts a token endpoint at `token_path` answering token A once, then token B, in the
/// vendor's flat answer (`code` beside the token).
async fn mount_tokens(server: &MockServer, token_path: &str, answer: impl Fn(&str) -> serde_json::Value) {
    Mock::given(method("POST")).and(path(token_path)).respond_with(ResponseTemplate::new(200).set_body_json(answer(TOKEN_A))).up_to_n_times(1).mount(server).await;
    Mock::given(method("POST")).and(path(token_path)).respond_with(ResponseTemplate::new(200).set_body_json(answer(TOKEN_B))).mount(server).await;
}

/// Mounts `file_path` refusing token A with `refusal` and serving `file` to token B.
async fn mount_refusing_a(server: &MockServer, file_path: &str, refusal: ResponseTemplate, file: &[u8]) {
    Mock::given(method("GET")).and(path(file_path)).and(header("authorization", format!("Bearer {TOKEN_A}").as_str())).respond_with(refusal).mount(server).await;
    Mock::given(method("GET"))
        .and(path(file_path))
        .and(header("authorization", format!("Bearer {TOKEN_B}").as_str()))
        .respond_with(ResponseTemplate::new(200).insert_header("content-disposition", "attachment; filename=\"face.png\"").set_body_raw(file.to_vec(), "image/png"))
        .mount(server)
        .await;
}

fn image() -> Vec<u8> {
    (0..50_000u32).map(|i| (i % 253) as u8).collect()
}

async fn read_all(mut stream: generated_client::runtime::DownloadStream) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(chunk) = stream.body.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Streamed downloads: retries and token refresh until the file starts.

/// Acme lists HTTP 401 among its token-invalid statuses (and 40101/40102 among its codes).
async fn acme_stream_refused_with(refusal: ResponseTemplate) {
    let server = MockServer::start().await;
    mount_tokens(&server, ACME_TOKEN_PATH, |t| json!({"code": 0, "message": "ok", "access_token": t, "expires_in": 3600})).await;
    let file = image();
    mount_refusing_a(&server, ACME_IMAGE_PATH, refusal, &file).await;
    let acme = acme_client(&server);

    let (stream, _) = timed(Duration::from_secs(2), acme.shop().v2().product().image().download(42, "img-1").send_stream()).await;

    let stream = stream.unwrap();
    assert_eq!(stream.file_name.as_deref(), Some("face.png"));
    assert_eq!(read_all(stream).await, file);
    assert_eq!(requests_to(&server, ACME_TOKEN_PATH).await.len(), 2, "the refused token is dropped and exactly one new one fetched");
    let auth: Vec<String> = requests_to(&server, ACME_IMAGE_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")], "sent once more, with the new token");
}

#[tokio::test]
async fn a_streamed_download_refused_with_a_token_invalid_status_fetches_a_new_token_and_streams() {
    // 40100 is not one of acme's token-invalid codes: the status alone says the token was refused.
    acme_stream_refused_with(ResponseTemplate::new(401).set_body_json(json!({"code": 40100, "message": "unauthorized"}))).await;
}

#[tokio::test]
async fn a_token_invalid_status_counts_whatever_the_body_says() {
    acme_stream_refused_with(ResponseTemplate::new(401).set_body_raw("Unauthorized", "text/plain")).await;
}

#[tokio::test]
async fn a_streamed_download_refused_with_a_token_invalid_code_fetches_a_new_token_and_streams() {
    let server = MockServer::start().await;
    mount_tokens(&server, FEISHU_TOKEN_PATH, |t| json!({"code": 0, "msg": "ok", "tenant_access_token": t, "expire": 7200})).await;
    let file = image();
    let refusal = ResponseTemplate::new(400).insert_header("X-Tt-Logid", "log-refused").set_body_json(json!({"code": 99991663, "msg": "Invalid access token for authorization."}));
    mount_refusing_a(&server, FACE_PATH, refusal, &file).await;
    let lark = lark(&server);

    let (stream, _) = timed(Duration::from_secs(2), lark.acs().v1().user_face().get(USER).send_stream()).await;

    assert_eq!(read_all(stream.unwrap()).await, file);
    assert_eq!(requests_to(&server, FEISHU_TOKEN_PATH).await.len(), 2);
    let auth: Vec<String> = requests_to(&server, FACE_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")]);
}

#[tokio::test]
async fn a_streamed_download_whose_new_token_is_refused_too_fails_after_two_requests() {
    let server = MockServer::start().await;
    mount_tokens(&server, FEISHU_TOKEN_PATH, |t| json!({"code": 0, "msg": "ok", "tenant_access_token": t, "expire": 7200})).await;
    Mock::given(method("GET"))
        .and(path(FACE_PATH))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "log-refused").set_body_json(json!({"code": 99991663, "msg": "Invalid access token"})))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let (result, _) = timed(Duration::from_secs(2), lark.acs().v1().user_face().get(USER).send_stream()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(err.request_id(), Some("log-refused"));
    assert_eq!(err.operation(), Some("GetUserFace"));
    assert_eq!(err.attempts(), 2);
    let auth: Vec<String> = requests_to(&server, FACE_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")], "no loop: one refresh per call");
}

#[tokio::test]
async fn a_streamed_download_answered_503_is_retried_before_the_file_starts() {
    let server = MockServer::start().await;
    common::feishu_token_endpoint(&server, TOKEN_A, 7200, 1).await;
    Mock::given(method("GET")).and(path(FACE_PATH)).respond_with(ResponseTemplate::new(503).set_body_string("busy")).up_to_n_times(1).mount(&server).await;
    let file = image();
    Mock::given(method("GET")).and(path(FACE_PATH)).respond_with(ResponseTemplate::new(200).set_body_raw(file.clone(), "image/jpeg")).mount(&server).await;
    let lark = lark(&server);

    let (stream, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user_face().get(USER).send_stream()).await;

    assert_eq!(read_all(stream.unwrap()).await, file);
    assert_eq!(requests_to(&server, FACE_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(10), "waited a backoff: {elapsed:?}");
}

#[tokio::test]
async fn a_streamed_download_answered_503_forever_gives_up_after_the_policys_attempts() {
    let server = MockServer::start().await;
    common::feishu_token_endpoint(&server, TOKEN_A, 7200, 1).await;
    Mock::given(method("GET")).and(path(FACE_PATH)).respond_with(ResponseTemplate::new(503).insert_header("X-Tt-Logid", "log-503").set_body_string("busy")).mount(&server).await;
    let lark = lark(&server);

    let (result, _) = timed(Duration::from_secs(2), lark.acs().v1().user_face().get(USER).send_stream()).await;

    let err = result.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.request_id(), Some("log-503"));
    assert_eq!(requests_to(&server, FACE_PATH).await.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// The token exchange, sent through the pipeline.

#[tokio::test]
async fn the_exchange_is_retried_on_503_although_it_is_a_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(FEISHU_TOKEN_PATH)).respond_with(ResponseTemplate::new(503).set_body_string("busy")).up_to_n_times(2).mount(&server).await;
    common::feishu_token_endpoint(&server, TOKEN_A, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "data": {}})))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let (result, _) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    result.unwrap();
    assert_eq!(requests_to(&server, FEISHU_TOKEN_PATH).await.len(), 3, "two 503s, then the token: the policy's three attempts");
}

#[tokio::test]
async fn an_exchange_answered_503_every_time_fails_with_kind_token_after_the_policys_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(FEISHU_TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("X-Tt-Logid", "log-token-503").set_body_string("busy"))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let (result, _) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Token, "filed as a token failure");
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.request_id(), Some("log-token-503"));
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.operation(), Some("GetUser"), "named after the call that needed the token");
    assert_eq!(requests_to(&server, FEISHU_TOKEN_PATH).await.len(), 3);
    assert_eq!(requests_to(&server, &format!("/open-apis/acs/v1/users/{USER}")).await.len(), 0);
}

#[tokio::test]
async fn a_rate_limited_exchange_waits_the_reset_header_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(FEISHU_TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).insert_header("x-ogw-ratelimit-reset", "0.3").set_body_json(json!({"code": 99991400, "msg": "request trigger frequency limit"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    common::feishu_token_endpoint(&server, TOKEN_A, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "data": {}})))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    result.unwrap();
    assert_eq!(requests_to(&server, FEISHU_TOKEN_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(290), "waited the reset header's 0.3 s: {elapsed:?}");
}

#[tokio::test]
async fn an_exchange_refusing_the_credentials_is_a_token_error_with_the_endpoints_code_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(AUTHING_TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"statusCode": 400, "apiCode": 40001, "message": "accessKeySecret 错误", "requestId": "r-token"})))
        .mount(&server)
        .await;
    let pool = authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("wrong").base_url(server.uri()).retry_policy(policy()).build().unwrap();

    let (result, _) = timed(Duration::from_secs(2), pool.management().get_user("6229ffaxxxxxxxxcade3e3d9").send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Token);
    assert_eq!(err.code(), Some(40001));
    assert_eq!(err.envelope_code(), Some(400));
    assert_eq!(err.message(), "accessKeySecret 错误");
    assert_eq!(err.request_id(), Some("r-token"));
    assert_eq!(err.attempts(), 1, "a refusal of the credentials is not retried");
    assert_eq!(requests_to(&server, AUTHING_TOKEN_PATH).await.len(), 1);
    assert!(!format!("{err} {err:?}").contains("wrong"), "the secret is not on the error");
}

#[tokio::test]
async fn an_exchange_answer_without_a_token_is_a_token_error_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(FEISHU_TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-no-token").set_body_json(json!({"code": 0, "msg": "ok", "expire": 7200})))
        .mount(&server)
        .await;
    let lark = lark(&server);

    let (result, _) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Token);
    assert!(err.message().contains("tenant_access_token"), "{}", err.message());
    assert_eq!(err.request_id(), Some("log-no-token"));
    assert_eq!(requests_to(&server, FEISHU_TOKEN_PATH).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Services served from other hosts than the vendor's (`hosts:` of a service declaration).

/// Every host name of the relay specs: the vendor's, and those of its services.
const RELAY_HOSTS: [&str; 6] = ["open.relay.test", "open.relay-intl.test", "staging.relay.test", "archive.relay.test", "archive.relay-intl.test", "passport.relay.test"];

/// A server on 127.0.0.1 answering the relay token exchange and both message lookups.
async fn relay_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "token": TOKEN_A, "expire": 7200})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "msg": "ok", "data": {"id": "m1"}}))).mount(&server).await;
    server
}

/// A relay client with base URL `base`, every relay host name resolved to `server`, so that the
/// `Host` of each request the server receives says where the client sent it.
fn relay_client(server: &MockServer, base: &str) -> relay::Client {
    let resolved = RELAY_HOSTS.iter().fold(generated_client::runtime::reqwest::Client::builder().no_proxy(), |b, host| b.resolve(host, *server.address()));
    relay::Client::builder().app_id("cli_relay").app_secret("s").base_url(base).allow_insecure_http(true).http_client(resolved.build().unwrap()).build().unwrap()
}

/// The token exchange, a message and an archived message, through a client on `base`: the host
/// and path of each request, in order.
async fn relay_calls(base: impl FnOnce(&MockServer) -> String) -> Vec<(String, String)> {
    let server = relay_server().await;
    let client = relay_client(&server, &base(&server));
    timed(Duration::from_secs(2), client.messages().v1().message().get("m1").send()).await.0.unwrap();
    timed(Duration::from_secs(2), client.archive().v1().message().get("m1").send()).await.0.unwrap();
    let requests = server.received_requests().await.unwrap();
    requests.iter().map(|r| (r.headers.get("host").map(|h| h.to_str().unwrap().to_owned()).unwrap_or_default(), r.url.path().to_owned())).collect()
}

#[tokio::test]
async fn a_service_on_hosts_of_its_own_is_called_on_its_host_of_the_same_name_as_the_clients() {
    let on = |base: &'static str| move |_: &MockServer| base.to_owned();
    // On `cn` (a trailing slash is no other host): both services with hosts of their own go there.
    assert_eq!(
        relay_calls(on("http://open.relay.test/")).await,
        [
            ("passport.relay.test".to_owned(), "/auth/v1/token".to_owned()),
            ("open.relay.test".to_owned(), "/v1/messages/m1".to_owned()),
            ("archive.relay.test".to_owned(), "/archive/v1/messages/m1".to_owned()),
        ]
    );
    // On `intl`: the archive's `intl` host; `auth/v1` has none for `intl`, so the client's own.
    assert_eq!(
        relay_calls(on("http://open.relay-intl.test")).await,
        [
            ("open.relay-intl.test".to_owned(), "/auth/v1/token".to_owned()),
            ("open.relay-intl.test".to_owned(), "/v1/messages/m1".to_owned()),
            ("archive.relay-intl.test".to_owned(), "/archive/v1/messages/m1".to_owned()),
        ]
    );
    // On `staging`, a vendor host no service has a host for: every call goes there.
    let staging: Vec<(String, String)> = relay_calls(on("http://staging.relay.test")).await;
    assert!(staging.iter().all(|(host, _)| host == "staging.relay.test"), "{staging:?}");
    assert_eq!(staging.len(), 3);
}

#[tokio::test]
async fn a_client_on_a_base_url_that_is_no_vendor_host_sends_every_call_there() {
    // A proxy or a test server: the services' own hosts do not apply.
    let mut authority = String::new();
    let calls = relay_calls(|server| {
        authority = server.address().to_string();
        server.uri()
    })
    .await;
    assert_eq!(calls.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>(), ["/auth/v1/token", "/v1/messages/m1", "/archive/v1/messages/m1"]);
    assert!(calls.iter().all(|(host, _)| *host == authority), "{calls:?}");
}
