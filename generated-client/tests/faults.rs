//! Fault injection: servers on 127.0.0.1 that rate-limit, fail, cut connections, stall, send
//! broken answers and refuse tokens, and what a user of the clients sees then: how many requests
//! went out, which error comes back with which fields, and how long it took.
//!
//! Every call is bounded with `tokio::time::timeout`; every test prints its measured time
//! (`cargo test --test faults -- --nocapture` shows them as `FAULTS <test>: <elapsed>`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{authing_token, response_example};
use generated_client::runtime::{ErrorKind, RAW_BODY_LIMIT, RetryPolicy};
use generated_client::{authing, feishu};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const API_PATH: &str = "/open-apis/acs/v1/users/ou_7dab8a3d3cdcc9da365777c7ad535d62";
const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";
const AUTHING_API_PATH: &str = "/api/v3/get-user";
const AUTHING_TOKEN_PATH: &str = "/api/v3/get-management-token";
const STATIC_TOKEN: &str = "t-static-0123456789abcdef";
const TOKEN_A: &str = "t-first-aaaaaaaaaaaaaaaaaaaa";
const TOKEN_B: &str = "t-second-bbbbbbbbbbbbbbbbbbb";

/// Three attempts, short waits: the suite stays fast and the waits stay measurable.
fn policy() -> RetryPolicy {
    RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(20), max_backoff: Duration::from_millis(100), max_rate_limit_wait: Duration::from_secs(5) }
}

/// A Feishu client that fetches its token with `cli_a` / `s` (what `common` endpoints expect).
fn feishu_client(base: &str, policy: RetryPolicy) -> feishu::Client {
    feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(base).retry_policy(policy).build().unwrap()
}

/// A Feishu client with a static token: no token endpoint involved.
fn feishu_static(base: &str, policy: RetryPolicy) -> feishu::Client {
    feishu::Client::builder().static_token(STATIC_TOKEN).base_url(base).retry_policy(policy).build().unwrap()
}

fn authing_client(base: &str, policy: RetryPolicy) -> authing::Client {
    authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(base).retry_policy(policy).build().unwrap()
}

/// Runs `fut`, failing the test if it takes longer than `bound`; returns its output and the time taken.
async fn timed<F: Future>(bound: Duration, fut: F) -> (F::Output, Duration) {
    let start = Instant::now();
    let out = tokio::time::timeout(bound, fut).await.unwrap_or_else(|_| panic!("the call did not finish within {bound:?}"));
    (out, start.elapsed())
}

fn report(test: &str, elapsed: Duration) {
    eprintln!("FAULTS {test}: {elapsed:?}");
}

fn ok_body() -> serde_json::Value {
    serde_json::json!({"code": 0, "msg": "success", "data": {"user": {"user_id": USER}}})
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-ok").set_body_json(ok_body())
}

fn token_invalid_body() -> serde_json::Value {
    serde_json::json!({"code": 99991663, "msg": "Invalid access token for authorization. Please make a request with token attached."})
}

/// Requests the server received on `p`.
async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == p).collect()
}

fn authorization(r: &Request) -> String {
    r.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Mounts the Feishu token endpoint answering `tokens` in order, the last one from then on.
async fn mount_feishu_tokens(server: &MockServer, tokens: &[&str], expire: u64) {
    for (i, token) in tokens.iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire})));
        let mock = if i + 1 < tokens.len() { mock.up_to_n_times(1) } else { mock };
        mock.mount(server).await;
    }
}

/// Mounts a GET of the Feishu API answering `first` once, then `then`.
async fn mount_api_sequence(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(first).up_to_n_times(1).mount(server).await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(then).mount(server).await;
}

/// A closed port on 127.0.0.1: bound, read, released.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A raw HTTP/1.1 server on 127.0.0.1 for faults wiremock cannot make: a body cut short, a body
/// that stalls. Each connection carries one request; the reply decides what goes back.
mod raw {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::task::JoinHandle;

    pub enum Reply {
        /// Write these bytes, then close the connection.
        Close(Vec<u8>),
        /// Write these bytes, hold the connection open this long, then close it.
        Stall(Vec<u8>, Duration),
    }

    /// A complete answer that closes the connection after it.
    pub fn full(status: &str, body: &str) -> Reply {
        Reply::Close(
            format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Tt-Logid: raw-log\r\nConnection: close\r\n\r\n{body}", body.len()).into_bytes(),
        )
    }

    /// Announces 1000 bytes of body and sends only the first few of them.
    pub fn cut_head() -> Vec<u8> {
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Tt-Logid: raw-log\r\n\r\n{\"code\":0,\"data\":{\"us".to_vec()
    }

    pub struct RawServer {
        pub addr: SocketAddr,
        requests: Arc<AtomicUsize>,
        heads: Arc<Mutex<Vec<String>>>,
        task: JoinHandle<()>,
    }

    impl RawServer {
        /// `reply(n)` answers the n-th request (0-based).
        pub async fn start(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let requests = Arc::new(AtomicUsize::new(0));
            let heads = Arc::new(Mutex::new(Vec::new()));
            let reply = Arc::new(reply);
            let (count, seen) = (requests.clone(), heads.clone());
            let task = tokio::spawn(async move {
                loop {
                    let Ok((mut socket, _)) = listener.accept().await else { return };
                    let (reply, count, seen) = (reply.clone(), count.clone(), seen.clone());
                    tokio::spawn(async move {
                        // The whole request is read first, so closing sends FIN, never RST.
                        let Some(head) = read_request(&mut socket).await else { return };
                        let n = count.fetch_add(1, Ordering::SeqCst);
                        seen.lock().unwrap().push(head);
                        match reply(n) {
                            Reply::Close(bytes) => {
                                let _ = socket.write_all(&bytes).await;
                                let _ = socket.flush().await;
                            }
                            Reply::Stall(bytes, hold) => {
                                let _ = socket.write_all(&bytes).await;
                                let _ = socket.flush().await;
                                tokio::time::sleep(hold).await;
                            }
                        }
                        let _ = socket.shutdown().await;
                    });
                }
            });
            RawServer { addr, requests, heads, task }
        }

        pub fn uri(&self) -> String {
            format!("http://{}", self.addr)
        }

        /// Requests read so far (one per connection).
        pub fn requests(&self) -> usize {
            self.requests.load(Ordering::SeqCst)
        }

        /// The request lines and headers received, in order.
        pub fn heads(&self) -> Vec<String> {
            self.heads.lock().unwrap().clone()
        }
    }

    impl Drop for RawServer {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    async fn read_request(socket: &mut TcpStream) -> Option<String> {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                let body_len = head
                    .lines()
                    .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.trim().parse::<usize>().ok()))
                    .unwrap_or(0);
                while buf.len() < end + 4 + body_len {
                    let n = socket.read(&mut chunk).await.ok()?;
                    if n == 0 {
                        return None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                return Some(head);
            }
            let n = socket.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Rate limits with a reset header are waited out.

#[tokio::test]
async fn http_429_with_reset_header_waits_the_reset_then_succeeds() {
    let server = MockServer::start().await;
    // A gateway-style 429: no Feishu envelope, only the status and the reset header.
    mount_api_sequence(&server, ResponseTemplate::new(429).insert_header("x-ogw-ratelimit-reset", "1").set_body_string("Too Many Requests"), ok()).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(4), lark.acs().v1().user().get(USER).send()).await;

    let data = result.unwrap();
    assert_eq!(data.user.unwrap().user_id.as_deref(), Some(USER));
    assert_eq!(requests_to(&server, API_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(990), "the reset header asked for 1 s: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    report("http_429_with_reset_header_waits_the_reset_then_succeeds", elapsed);
}

#[tokio::test]
async fn rate_limit_code_99991400_with_http_400_waits_the_reset_then_succeeds() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(400)
        .insert_header("x-ogw-ratelimit-reset", "1")
        .insert_header("X-Tt-Logid", "log-limited")
        .set_body_json(serde_json::json!({"code": 99991400, "msg": "request trigger frequency limit"}));
    mount_api_sequence(&server, limited, ok()).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(4), lark.acs().v1().user().get(USER).send()).await;

    result.unwrap();
    assert_eq!(requests_to(&server, API_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(990), "the reset header asked for 1 s: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    report("rate_limit_code_99991400_with_http_400_waits_the_reset_then_succeeds", elapsed);
}

#[tokio::test]
async fn authing_status_code_429_in_an_http_200_is_retried_with_backoff() {
    let server = MockServer::start().await;
    common::authing_token_endpoint(&server, &authing_token("p"), 1).await;
    Mock::given(method("GET"))
        .and(path(AUTHING_API_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"statusCode": 429, "message": "请求过于频繁", "requestId": "r-429"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(AUTHING_API_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")))
        .mount(&server)
        .await;
    let pool = authing_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), pool.management().get_user("6229ffaxxxxxxxxcade3e3d9").send()).await;

    result.unwrap();
    assert_eq!(requests_to(&server, AUTHING_API_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(10), "one backoff of 10..20 ms: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    report("authing_status_code_429_in_an_http_200_is_retried_with_backoff", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 2. A reset longer than the policy allows is not waited out.

#[tokio::test]
async fn a_reset_longer_than_max_rate_limit_wait_returns_at_once_with_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(API_PATH))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ogw-ratelimit-reset", "30")
                .insert_header("X-Tt-Logid", "log-429")
                .set_body_json(serde_json::json!({"code": 99991400, "msg": "request trigger frequency limit"})),
        )
        .mount(&server)
        .await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.code(), Some(99991400));
    assert_eq!(err.http_status(), Some(429));
    assert_eq!(err.request_id(), Some("log-429"));
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1);
    assert!(elapsed < Duration::from_millis(500), "no wait: {elapsed:?}");
    report("a_reset_longer_than_max_rate_limit_wait_returns_at_once_with_retry_after", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 3. Gateway errors are retried on a GET; 500 is not; retries end at max_attempts.

#[tokio::test]
async fn gateway_502_503_504_on_a_get_are_retried_then_succeed() {
    for status in [502u16, 503, 504] {
        let server = MockServer::start().await;
        let gateway = ResponseTemplate::new(status).insert_header("X-Tt-Logid", "gw").set_body_string(format!("<html><body>{status}</body></html>"));
        mount_api_sequence(&server, gateway, ok()).await;
        let lark = feishu_static(&server.uri(), policy());

        let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

        result.unwrap_or_else(|e| panic!("HTTP {status} then 200: {e}"));
        assert_eq!(requests_to(&server, API_PATH).await.len(), 2, "HTTP {status}");
        assert!(elapsed >= Duration::from_millis(10) && elapsed < Duration::from_secs(1), "HTTP {status}: {elapsed:?}");
        report(&format!("gateway_502_503_504_on_a_get_are_retried_then_succeed[{status}]"), elapsed);
    }
}

#[tokio::test]
async fn http_500_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(API_PATH))
        .respond_with(ResponseTemplate::new(500).insert_header("X-Tt-Logid", "log-500").set_body_string("Internal Server Error"))
        .mount(&server)
        .await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(err.kind(), ErrorKind::Decode, "the body is not the envelope");
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.request_id(), Some("log-500"));
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
    report("http_500_is_not_retried", elapsed);
}

#[tokio::test]
async fn http_503_forever_stops_after_exactly_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(API_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("X-Tt-Logid", "log-503").set_body_string("Service Unavailable"))
        .mount(&server)
        .await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 3);
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.request_id(), Some("log-503"));
    // Backoffs: 10..20 ms, then 20..40 ms.
    assert!(elapsed >= Duration::from_millis(30), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    report("http_503_forever_stops_after_exactly_max_attempts", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 4. A POST is retried only when it provably never left.

#[tokio::test]
async fn a_post_is_not_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable")).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(
        Duration::from_secs(2),
        lark.auth().v3().tenant_access_token().internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_a".into(), app_secret: "s".into() }).send(),
    )
    .await;

    let err = result.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert!(!err.never_sent());
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
    report("a_post_is_not_retried_on_503", elapsed);
}

#[tokio::test]
async fn authing_post_is_not_retried_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(AUTHING_TOKEN_PATH)).respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable")).mount(&server).await;
    let pool = authing_client(&server.uri(), policy());

    let (result, elapsed) = timed(
        Duration::from_secs(2),
        pool.management()
            .get_management_token(common::management::GetManagementTokenRequired { access_key_id: "62a0ffffffffffffffffffff".into(), access_key_secret: "s".into() })
            .send(),
    )
    .await;

    let err = result.unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(requests_to(&server, AUTHING_TOKEN_PATH).await.len(), 1);
    report("authing_post_is_not_retried_on_503", elapsed);
}

#[tokio::test]
async fn a_post_is_retried_when_the_connection_is_refused() {
    let lark = feishu_client(&format!("http://127.0.0.1:{}", closed_port()), policy());

    let (result, elapsed) = timed(
        Duration::from_secs(2),
        lark.auth().v3().tenant_access_token().internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_a".into(), app_secret: "s".into() }).send(),
    )
    .await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.never_sent(), "a refused connection never carried the request");
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.http_status(), None);
    // Two backoffs of 10..20 and 20..40 ms; refusals on loopback are immediate.
    assert!(elapsed >= Duration::from_millis(30) && elapsed < Duration::from_millis(800), "{elapsed:?}");
    report("a_post_is_retried_when_the_connection_is_refused", elapsed);
}

#[tokio::test]
async fn a_post_cut_mid_answer_is_not_retried() {
    let server = raw::RawServer::start(|_| raw::Reply::Close(raw::cut_head())).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(
        Duration::from_secs(2),
        lark.auth().v3().tenant_access_token().internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_a".into(), app_secret: "s".into() }).send(),
    )
    .await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.never_sent(), "the request reached the server");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.requests(), 1);
    assert!(server.heads()[0].starts_with("POST "));
    report("a_post_cut_mid_answer_is_not_retried", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 5. A connection cut in the middle of the body.

#[tokio::test]
async fn a_get_cut_mid_body_is_retried_and_the_next_answer_succeeds() {
    let body = ok_body().to_string();
    let server = raw::RawServer::start(move |n| if n == 0 { raw::Reply::Close(raw::cut_head()) } else { raw::full("200 OK", &body) }).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let data = result.unwrap();
    assert_eq!(data.user.unwrap().user_id.as_deref(), Some(USER));
    assert_eq!(server.requests(), 2, "one cut connection, one that answered");
    assert!(
        server
            .heads()
            .iter()
            .all(|h| h.starts_with(&format!("GET {API_PATH} ")) && h.to_ascii_lowercase().contains(&format!("authorization: bearer {STATIC_TOKEN}").to_ascii_lowercase()))
    );
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
    report("a_get_cut_mid_body_is_retried_and_the_next_answer_succeeds", elapsed);
}

#[tokio::test]
async fn a_get_cut_mid_body_every_time_fails_with_transport_after_max_attempts() {
    let server = raw::RawServer::start(|_| raw::Reply::Close(raw::cut_head())).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(!err.never_sent());
    assert_eq!(err.request_id(), Some("raw-log"), "the headers arrived, and with them the log id");
    assert_eq!(server.requests(), 3);
    assert!(elapsed >= Duration::from_millis(30) && elapsed < Duration::from_secs(1), "{elapsed:?}");
    report("a_get_cut_mid_body_every_time_fails_with_transport_after_max_attempts", elapsed);
}

#[tokio::test]
async fn a_get_whose_body_stalls_times_out_on_every_attempt() {
    let server = raw::RawServer::start(|_| raw::Reply::Stall(raw::cut_head(), Duration::from_secs(5))).await;
    let lark = feishu::Client::builder().static_token(STATIC_TOKEN).base_url(server.uri()).timeout(Duration::from_millis(200)).retry_policy(policy()).build().unwrap();

    let (result, elapsed) = timed(Duration::from_secs(3), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests(), 3);
    // 3 × 200 ms + backoffs of 30..60 ms.
    assert!(elapsed >= Duration::from_millis(630) && elapsed < Duration::from_secs(2), "{elapsed:?}");
    report("a_get_whose_body_stalls_times_out_on_every_attempt", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 6, 7. Answers that are not the documented JSON.

#[tokio::test]
async fn a_malformed_http_200_answer_is_a_decode_error_and_not_retried() {
    let cases: [(&str, &[u8], &str); 4] = [
        ("truncated", br#"{"code":0,"data":{"user":"#, "application/json"),
        ("invalid", b"{code: 0, data: nope}", "application/json"),
        ("empty", b"", "application/json"),
        ("html", b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", "text/html"),
    ];
    for (name, body, content_type) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(API_PATH))
            .respond_with(ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-decode").set_body_raw(body.to_vec(), content_type))
            .mount(&server)
            .await;
        let lark = feishu_static(&server.uri(), policy());

        let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{name}");
        assert_eq!(err.attempts(), 1, "{name}");
        assert_eq!(requests_to(&server, API_PATH).await.len(), 1, "{name}");
        assert_eq!(err.raw_body(), Some(body), "{name}");
        assert_eq!(err.http_status(), Some(200), "{name}");
        assert_eq!(err.request_id(), Some("log-decode"), "{name}");
        assert_eq!(err.operation(), Some("GetUser"), "{name}");
        report(&format!("a_malformed_http_200_answer_is_a_decode_error_and_not_retried[{name}]"), elapsed);
    }
}

#[tokio::test]
async fn a_huge_invalid_body_keeps_exactly_raw_body_limit_bytes() {
    let server = MockServer::start().await;
    let mut body = br#"{"code":0,"data":{"user":{"user_id":""#.to_vec();
    body.extend(std::iter::repeat_n(b'x', 100 * 1024));
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).mount(&server).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(RAW_BODY_LIMIT, 64 * 1024);
    assert_eq!(err.raw_body().unwrap().len(), RAW_BODY_LIMIT);
    assert_eq!(err.raw_body().unwrap(), &body[..RAW_BODY_LIMIT]);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1);
    report("a_huge_invalid_body_keeps_exactly_raw_body_limit_bytes", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 8. A slow server.

fn slow_server_client(server: &MockServer, policy: RetryPolicy) -> feishu::Client {
    feishu::Client::builder().static_token(STATIC_TOKEN).base_url(server.uri()).timeout(Duration::from_millis(200)).retry_policy(policy).build().unwrap()
}

async fn mount_slow(server: &MockServer) {
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok().set_delay(Duration::from_secs(3))).mount(server).await;
}

#[tokio::test]
async fn a_slow_server_times_out_once_without_retries() {
    let server = MockServer::start().await;
    mount_slow(&server).await;
    let lark = slow_server_client(&server, RetryPolicy::disabled());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 1);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1);
    assert!(elapsed >= Duration::from_millis(190) && elapsed < Duration::from_secs(1), "{elapsed:?}");
    report("a_slow_server_times_out_once_without_retries", elapsed);
}

#[tokio::test]
async fn a_slow_server_times_out_on_every_attempt_with_retries() {
    let server = MockServer::start().await;
    mount_slow(&server).await;
    let lark = slow_server_client(&server, policy());

    let (result, elapsed) = timed(Duration::from_secs(3), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.attempts(), 3);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 3);
    // 3 × 200 ms + backoffs of 30..60 ms.
    assert!(elapsed >= Duration::from_millis(620) && elapsed < Duration::from_secs(2), "{elapsed:?}");
    report("a_slow_server_times_out_on_every_attempt_with_retries", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 9. A token that expires between calls.

#[tokio::test]
async fn an_expired_token_is_fetched_again_and_the_next_call_carries_the_new_one() {
    let server = MockServer::start().await;
    mount_feishu_tokens(&server, &[TOKEN_A, TOKEN_B], 1).await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).token_refresh_margin(Duration::ZERO).retry_policy(policy()).build().unwrap();

    let start = Instant::now();
    timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await.0.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await.0.unwrap();

    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let auth: Vec<String> = requests_to(&server, API_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")]);
    report("an_expired_token_is_fetched_again_and_the_next_call_carries_the_new_one", start.elapsed());
}

// ---------------------------------------------------------------------------------------------
// 10. Token-invalid answers.

/// API: refuses token A with `refusal`, accepts token B (or refuses it too when `refuse_b`).
async fn mount_feishu_refusal(server: &MockServer, refusal: ResponseTemplate, refuse_b: bool) {
    Mock::given(method("GET")).and(path(API_PATH)).and(header("authorization", format!("Bearer {TOKEN_A}").as_str())).respond_with(refusal.clone()).mount(server).await;
    let b = if refuse_b { refusal } else { ok() };
    Mock::given(method("GET")).and(path(API_PATH)).and(header("authorization", format!("Bearer {TOKEN_B}").as_str())).respond_with(b).mount(server).await;
}

async fn feishu_token_invalid_is_refetched_and_retried_once(status: u16, test: &str) {
    let server = MockServer::start().await;
    mount_feishu_tokens(&server, &[TOKEN_A, TOKEN_B], 7200).await;
    mount_feishu_refusal(&server, ResponseTemplate::new(status).insert_header("X-Tt-Logid", "log-refused").set_body_json(token_invalid_body()), false).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    result.unwrap_or_else(|e| panic!("HTTP {status}: {e}"));
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "the refused token is dropped and a new one fetched");
    let auth: Vec<String> = requests_to(&server, API_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")], "retried once, with the new token");
    // The new token stays cached: the next call needs no fetch.
    timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await.0.unwrap();
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    report(test, elapsed);
}

#[tokio::test]
async fn feishu_token_invalid_99991663_in_http_200_refetches_and_retries_once_with_the_new_token() {
    feishu_token_invalid_is_refetched_and_retried_once(200, "feishu_token_invalid_99991663_in_http_200_refetches_and_retries_once_with_the_new_token").await;
}

#[tokio::test]
async fn feishu_token_invalid_99991663_in_http_400_refetches_and_retries_once_with_the_new_token() {
    feishu_token_invalid_is_refetched_and_retried_once(400, "feishu_token_invalid_99991663_in_http_400_refetches_and_retries_once_with_the_new_token").await;
}

#[tokio::test]
async fn feishu_new_token_refused_too_returns_the_error_after_exactly_two_requests() {
    let server = MockServer::start().await;
    mount_feishu_tokens(&server, &[TOKEN_A, TOKEN_B], 7200).await;
    mount_feishu_refusal(&server, ResponseTemplate::new(400).insert_header("X-Tt-Logid", "log-refused").set_body_json(token_invalid_body()), true).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(err.request_id(), Some("log-refused"));
    assert_eq!(err.attempts(), 2);
    let auth: Vec<String> = requests_to(&server, API_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}")]);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    report("feishu_new_token_refused_too_returns_the_error_after_exactly_two_requests", elapsed);
}

#[tokio::test]
async fn feishu_static_token_refused_is_not_refetched() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ResponseTemplate::new(400).set_body_json(token_invalid_body())).mount(&server).await;
    let lark = feishu_static(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(err.attempts(), 1);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 0, "a static token has no endpoint to refresh it from");
    report("feishu_static_token_refused_is_not_refetched", elapsed);
}

async fn mount_authing_tokens(server: &MockServer, a: &str, b: &str) {
    for (i, token) in [a, b].into_iter().enumerate() {
        let mock = Mock::given(method("POST"))
            .and(path(AUTHING_TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"statusCode": 200, "message": "", "data": {"access_token": token, "expires_in": 7200}})));
        let mock = if i == 0 { mock.up_to_n_times(1) } else { mock };
        mock.mount(server).await;
    }
}

async fn authing_refusal_case(refuse_b: bool) -> (Result<common::management::UserDto, authing::Error>, Duration, MockServer, String, String) {
    let server = MockServer::start().await;
    let (a, b) = (authing_token("pool-a"), authing_token("pool-b"));
    mount_authing_tokens(&server, &a, &b).await;
    let refusal = ResponseTemplate::new(200).set_body_json(serde_json::json!({"statusCode": 401, "message": "token 已失效", "requestId": "r-401"}));
    Mock::given(method("GET")).and(path(AUTHING_API_PATH)).and(header("authorization", format!("Bearer {a}").as_str())).respond_with(refusal.clone()).mount(&server).await;
    let for_b = if refuse_b { refusal } else { ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")) };
    Mock::given(method("GET")).and(path(AUTHING_API_PATH)).and(header("authorization", format!("Bearer {b}").as_str())).respond_with(for_b).mount(&server).await;
    let pool = authing_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), pool.management().get_user("6229ffaxxxxxxxxcade3e3d9").send()).await;
    (result, elapsed, server, a, b)
}

#[tokio::test]
async fn authing_status_code_401_refetches_and_retries_once_with_the_new_token() {
    let (result, elapsed, server, a, b) = authing_refusal_case(false).await;

    result.unwrap();
    assert_eq!(requests_to(&server, AUTHING_TOKEN_PATH).await.len(), 2);
    let api = requests_to(&server, AUTHING_API_PATH).await;
    let auth: Vec<String> = api.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {a}"), format!("Bearer {b}")]);
    let pools: Vec<&str> = api.iter().map(|r| r.headers.get("x-authing-userpool-id").unwrap().to_str().unwrap()).collect();
    assert_eq!(pools, ["pool-a", "pool-b"], "the pool header follows the token it came from");
    report("authing_status_code_401_refetches_and_retries_once_with_the_new_token", elapsed);
}

#[tokio::test]
async fn authing_new_token_refused_too_returns_the_error_after_exactly_two_requests() {
    let (result, elapsed, server, a, b) = authing_refusal_case(true).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.envelope_code(), Some(401));
    assert_eq!(err.request_id(), Some("r-401"));
    assert_eq!(err.attempts(), 2);
    let auth: Vec<String> = requests_to(&server, AUTHING_API_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {a}"), format!("Bearer {b}")]);
    assert_eq!(requests_to(&server, AUTHING_TOKEN_PATH).await.len(), 2);
    report("authing_new_token_refused_too_returns_the_error_after_exactly_two_requests", elapsed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_calls_refused_a_stale_token_fetch_the_new_one_once() {
    let server = MockServer::start().await;
    mount_feishu_tokens(&server, &[TOKEN_A, TOKEN_B], 7200).await;
    // The refusal is slow, so the burst is in flight with the stale token before the first refusal lands.
    mount_feishu_refusal(&server, ResponseTemplate::new(400).set_body_json(token_invalid_body()).set_delay(Duration::from_millis(100)), false).await;
    Mock::given(method("GET")).and(path("/open-apis/acs/v1/users/ou_warm")).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());
    // Token A is in the cache before the burst: every call of the burst is refused it.
    timed(Duration::from_secs(2), lark.acs().v1().user().get("ou_warm").send()).await.0.unwrap();

    let calls = 100;
    let (results, elapsed) = timed(Duration::from_secs(5), async {
        let tasks: Vec<_> = (0..calls)
            .map(|_| {
                let lark = lark.clone();
                tokio::spawn(async move { lark.acs().v1().user().get(USER).send().await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    })
    .await;

    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2, "the first fetch, then one refresh for all the calls refused the same stale token");
    let auth: Vec<String> = requests_to(&server, API_PATH).await.iter().map(authorization).collect();
    let stale = auth.iter().filter(|a| **a == format!("Bearer {TOKEN_A}")).count();
    let fresh = auth.iter().filter(|a| **a == format!("Bearer {TOKEN_B}")).count();
    // Calls that started after the refresh go straight to the new token; the others are refused
    // once and retried once. Either way, each call ends with exactly one request with the new token.
    assert_eq!(fresh, calls, "{auth:?}");
    assert_eq!(stale + fresh, auth.len());
    assert!((calls / 2..=calls).contains(&stale), "most calls were sent with the stale token: {stale}");
    eprintln!("FAULTS {calls} concurrent calls with a stale token: {stale} refused with it, {fresh} with the new one");
    report("many_concurrent_calls_refused_a_stale_token_fetch_the_new_one_once", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 11. A failing token endpoint.

#[tokio::test]
async fn a_failing_token_endpoint_fails_the_call_with_kind_token_and_sends_no_api_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(500).insert_header("X-Tt-Logid", "log-token-500").set_body_json(serde_json::json!({"code": 10003, "msg": "invalid param"})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Token);
    assert_eq!(err.code(), Some(10003));
    assert_eq!(err.message(), "invalid param");
    assert_eq!(err.request_id(), Some("log-token-500"));
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(err.operation(), Some("GetUser"));
    assert_eq!(requests_to(&server, API_PATH).await.len(), 0);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    report("a_failing_token_endpoint_fails_the_call_with_kind_token_and_sends_no_api_request", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 12. Single flight of the token load.

async fn thousand_calls(lark: &feishu::Client) -> Vec<Result<feishu::acs_v1::GetUserResponse, feishu::Error>> {
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let lark = lark.clone();
            tokio::spawn(async move { lark.acs().v1().user().get(USER).send().await })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_share_one_token_fetch() {
    let server = MockServer::start().await;
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(move |_: &Request| {
            counter.fetch_add(1, Ordering::SeqCst);
            // Slow enough that every call is waiting when the answer comes.
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"code": 0, "msg": "ok", "tenant_access_token": TOKEN_A, "expire": 7200}))
                .set_delay(Duration::from_millis(200))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    let (results, elapsed) = timed(Duration::from_secs(10), thousand_calls(&lark)).await;

    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{} calls failed, e.g. {:?}", failed.len(), failed.first());
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(requests_to(&server, API_PATH).await.len(), 1000);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    report("a_thousand_concurrent_calls_share_one_token_fetch", elapsed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_share_the_failure_of_one_token_fetch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("X-Tt-Logid", "log-token-down")
                .set_body_json(serde_json::json!({"code": 10003, "msg": "invalid param"}))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    let (results, elapsed) = timed(Duration::from_secs(10), thousand_calls(&lark)).await;

    for r in &results {
        let err = r.as_ref().expect_err("every call fails");
        assert_eq!(err.kind(), ErrorKind::Token);
        assert_eq!(err.code(), Some(10003));
        assert_eq!(err.request_id(), Some("log-token-down"));
    }
    let fetches = requests_to(&server, TOKEN_PATH).await.len();
    eprintln!("FAULTS token fetches for 1000 concurrent calls against a failing endpoint: {fetches}");
    assert!(fetches <= 3, "the calls waiting for a load share its failure: {fetches} fetches");
    assert_eq!(requests_to(&server, API_PATH).await.len(), 0);
    // A later call does not get the old failure: it tries again.
    let (later, _) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;
    assert_eq!(later.unwrap_err().kind(), ErrorKind::Token);
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), fetches + 1);
    report("a_thousand_concurrent_calls_share_the_failure_of_one_token_fetch", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 14. Header injection.

#[tokio::test]
async fn a_default_header_with_crlf_is_refused_at_build() {
    let start = Instant::now();
    let err = authing::Client::builder()
        .access_key_id("62a0ffffffffffffffffffff")
        .access_key_secret("s")
        .base_url("http://127.0.0.1:9")
        .default_header("x-authing-lang", "zh-CN\r\nX-Evil: 1")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("x-authing-lang"), "{}", err.message());
    let err = feishu::Client::builder().app_id("cli_a").app_secret("s").default_header("accept-language", "zh\nX-Evil: 1").build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    report("a_default_header_with_crlf_is_refused_at_build", start.elapsed());
}

#[tokio::test]
async fn a_static_token_with_crlf_is_refused_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok()).mount(&server).await;
    let lark = feishu::Client::builder().static_token("t-abc\r\nX-Evil: 1").base_url(server.uri()).retry_policy(policy()).build().unwrap();

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(!err.message().contains("X-Evil"), "the token is not echoed: {}", err.message());
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    report("a_static_token_with_crlf_is_refused_before_any_request", elapsed);
}

// ---------------------------------------------------------------------------------------------
// 15. Secrets in logs.

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
async fn logs_name_the_operation_and_request_id_but_never_the_secret_or_the_token() {
    const SECRET: &str = "app-secret-NEVER-LOGGED-9f8e7d";
    let capture = Capture::default();
    let sink = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"code": 0, "msg": "ok", "tenant_access_token": TOKEN_A, "expire": 7200})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"code": 0, "msg": "ok", "tenant_access_token": TOKEN_B, "expire": 7200})))
        .mount(&server)
        .await;
    // Call 1 fails with a documented error; call 2 is refused token A, refreshes and fails on a
    // 503 then succeeds (a retried call).
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users/ou_missing"))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "log-fail-1").set_body_json(serde_json::json!({"code": 1490101, "msg": "user not found"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(API_PATH))
        .and(header("authorization", format!("Bearer {TOKEN_A}").as_str()))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-refused-2").set_body_json(token_invalid_body()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(API_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("X-Tt-Logid", "log-retry-2").set_body_string("Service Unavailable"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu::Client::builder().app_id("cli_a").app_secret(SECRET).base_url(server.uri()).retry_policy(policy()).build().unwrap();

    let start = Instant::now();
    let failed = timed(Duration::from_secs(2), lark.acs().v1().user().get("ou_missing").send()).await.0.unwrap_err();
    timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await.0.unwrap();
    let elapsed = start.elapsed();
    drop(_guard);

    assert_eq!(failed.code(), Some(1490101));
    let auth: Vec<String> = requests_to(&server, API_PATH).await.iter().map(authorization).collect();
    assert_eq!(auth, [format!("Bearer {TOKEN_A}"), format!("Bearer {TOKEN_B}"), format!("Bearer {TOKEN_B}")], "refused, refreshed, 503, retried");
    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("GetUser"), "the operation is named:\n{log}");
    for id in ["log-fail-1", "log-refused-2", "log-retry-2"] {
        assert!(log.contains(id), "request id {id} is logged:\n{log}");
    }
    for secret in [SECRET, TOKEN_A, TOKEN_B] {
        assert!(!log.contains(secret), "{secret} leaked into the log:\n{log}");
    }
    let shown = format!("{failed} {failed:?} {lark:?}");
    assert!(!shown.contains(SECRET) && !shown.contains(TOKEN_A) && !shown.contains(TOKEN_B), "{shown}");
    report("logs_name_the_operation_and_request_id_but_never_the_secret_or_the_token", elapsed);
}

#[tokio::test]
async fn a_token_lifetime_too_large_for_the_clock_does_not_panic() {
    let server = MockServer::start().await;
    mount_feishu_tokens(&server, &[TOKEN_A], u64::MAX).await;
    Mock::given(method("GET")).and(path(API_PATH)).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    // In a spawned task, so a panic would surface as a JoinError instead of aborting the test.
    let task = tokio::spawn(async move {
        lark.acs().v1().user().get(USER).send().await?;
        lark.acs().v1().user().get(USER).send().await
    });
    let (joined, elapsed) = timed(Duration::from_secs(2), task).await;
    joined.expect("no panic").expect("both calls succeed");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1, "a lifetime that large never expires");
    report("a_token_lifetime_too_large_for_the_clock_does_not_panic", elapsed);
}

#[test]
fn a_refresh_margin_longer_than_a_day_is_refused_at_build() {
    let err = feishu::Client::builder().app_id("a").app_secret("s").token_refresh_margin(Duration::MAX).build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("refresh margin"), "{}", err.message());
}

#[tokio::test]
async fn a_token_fetch_answered_503_is_retried_like_an_idempotent_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(ResponseTemplate::new(503).set_body_string("busy")).up_to_n_times(1).mount(&server).await;
    mount_feishu_tokens(&server, &[TOKEN_A], 7200).await;
    Mock::given(method("GET")).and(path(API_PATH)).and(header("authorization", format!("Bearer {TOKEN_A}").as_str())).respond_with(ok()).mount(&server).await;
    let lark = feishu_client(&server.uri(), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    result.unwrap();
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    assert!(elapsed >= Duration::from_millis(10), "waited a backoff: {elapsed:?}");
    report("a_token_fetch_answered_503_is_retried_like_an_idempotent_call", elapsed);
}

#[tokio::test]
async fn a_refused_token_fetch_fails_with_kind_token_after_the_policys_attempts() {
    let port = closed_port();
    let lark = feishu_client(&format!("http://127.0.0.1:{port}"), policy());

    let (result, elapsed) = timed(Duration::from_secs(2), lark.acs().v1().user().get(USER).send()).await;

    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Token);
    assert_eq!(err.attempts(), 3);
    assert!(err.never_sent());
    report("a_refused_token_fetch_fails_with_kind_token_after_the_policys_attempts", elapsed);
}
