//! Feishu against a server on 127.0.0.1 that behaves like Feishu's: exact requests, the spec's
//! examples decoded, the token fetched once and again after expiry, errors with their log id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{FEISHU_TOKEN, feishu_token_endpoint, response_example};
use generated_client::feishu;
use generated_client::feishu::acs_v1::GetUserError;
use generated_client::runtime::ErrorKind;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";

fn client(server: &MockServer) -> feishu::Client {
    feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).build().unwrap()
}

async fn mount_get_user(server: &MockServer, expected_calls: u64) {
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", format!("Bearer {FEISHU_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Tt-Logid", "202411211200000A1B2C").set_body_json(response_example("feishu/acs/v1/user/get")))
        .expect(expected_calls)
        .mount(server)
        .await;
}

#[tokio::test]
async fn get_user_sends_the_exact_request_and_decodes_the_spec_example() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    mount_get_user(&server, 1).await;

    let data = client(&server).acs().v1().user().get(USER).user_id_type(feishu::UserIdType::OpenId).send().await.unwrap();

    let user = data.user.expect("user");
    assert_eq!(user.user_id.as_deref(), Some(USER));
    let feature = user.feature.expect("feature");
    assert_eq!(feature.card, Some(123456));
    assert_eq!(feature.face_uploaded, Some(true));

    let requests = server.received_requests().await.unwrap();
    let call = requests.iter().find(|r| r.url.path().starts_with("/open-apis/acs")).unwrap();
    assert_eq!(call.url.query(), Some("user_id_type=open_id"), "only the inputs that were set are sent");
    assert!(call.body.is_empty());
}

#[tokio::test]
async fn the_token_is_fetched_once_for_many_calls() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    mount_get_user(&server, 30).await;
    let lark = client(&server);

    for _ in 0..10 {
        lark.acs().v1().user().get(USER).user_id_type("open_id").send().await.unwrap();
    }
    // Concurrent calls on clones share the cache and the single fetch.
    let calls = (0..20).map(|_| {
        let lark = lark.clone();
        tokio::spawn(async move { lark.acs().v1().user().get(USER).user_id_type("open_id").send().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // `expect(1)` on the token endpoint is verified when the server drops.
}

#[tokio::test]
async fn an_expired_token_is_fetched_again() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 1, 2).await;
    mount_get_user(&server, 2).await;
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).token_refresh_margin(Duration::ZERO).build().unwrap();

    lark.acs().v1().user().get(USER).user_id_type("open_id").send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    lark.acs().v1().user().get(USER).user_id_type("open_id").send().await.unwrap();
}

#[tokio::test]
async fn a_documented_error_maps_to_its_variant_with_the_log_id() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users/ou_missing"))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "20241121AB").set_body_json(serde_json::json!({"code": 1490101, "msg": "user not found", "data": {}})))
        .mount(&server)
        .await;

    let err = client(&server).acs().v1().user().get("ou_missing").send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(1490101));
    assert_eq!(err.message(), "user not found");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.request_id(), Some("20241121AB"));
    assert_eq!(GetUserError::from_error(&err), Some(GetUserError::UserNotFound));
    assert_eq!(err.hint(), Some("检查用户是否加入权限组"));
    assert!(String::from_utf8_lossy(err.raw_body().unwrap()).contains("1490101"));
    let shown = err.to_string();
    assert!(shown.contains("user not found") && shown.contains("1490101") && shown.contains("20241121AB"), "{shown}");
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error_that_keeps_status_body_and_log_id() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .respond_with(ResponseTemplate::new(502).insert_header("X-Tt-Logid", "gw-1").set_body_string("<html><body>Bad Gateway</body></html>"))
        .mount(&server)
        .await;

    let err = client(&server).acs().v1().user().get(USER).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(err.request_id(), Some("gw-1"));
    assert_eq!(err.code(), None);
    assert_eq!(err.raw_body(), Some(&b"<html><body>Bad Gateway</body></html>"[..]));
}

#[tokio::test]
async fn a_path_parameter_stays_one_encoded_segment() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"code": 0, "msg": "success", "data": {}}))).mount(&server).await;
    let lark = client(&server);

    for id in ["../admin", "a/b", "x?y#z", "line\r\nbreak", "空 格"] {
        let data = lark.acs().v1().user().get(id).send().await.unwrap();
        assert_eq!(data.user, None);
    }
    let paths: Vec<String> = server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").map(|r| r.url.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            "/open-apis/acs/v1/users/..%2Fadmin",
            "/open-apis/acs/v1/users/a%2Fb",
            "/open-apis/acs/v1/users/x%3Fy%23z",
            "/open-apis/acs/v1/users/line%0D%0Abreak",
            "/open-apis/acs/v1/users/%E7%A9%BA%20%E6%A0%BC",
        ]
    );

    for id in ["", ".", ".."] {
        let err = lark.acs().v1().user().get(id).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{id:?}");
    }
}

#[tokio::test]
async fn the_token_endpoint_is_callable_and_its_flat_answer_decodes() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let lark = client(&server);

    let token = lark
        .auth()
        .v3()
        .tenant_access_token()
        .internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_a".into(), app_secret: "s".into() })
        .send()
        .await
        .unwrap();

    assert_eq!(token.tenant_access_token.expose(), FEISHU_TOKEN);
    assert_eq!(token.expire, 7200);
    assert!(!format!("{token:?}").contains(FEISHU_TOKEN), "the token never shows in Debug output");
    let example: feishu::auth_v3::TenantAccessTokenInternalResponse = serde_json::from_value(response_example("feishu/auth/v3/tenant_access_token/internal")).unwrap();
    assert_eq!(example.expire, 7200);
}

#[tokio::test]
async fn a_failing_token_endpoint_fails_the_call_with_its_code_and_log_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/tenant_access_token/internal"))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "tok-1").set_body_json(serde_json::json!({"code": 10014, "msg": "app secret invalid"})))
        .mount(&server)
        .await;

    let err = client(&server).acs().v1().user().get(USER).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Token);
    assert_eq!(err.code(), Some(10014));
    assert_eq!(err.message(), "app secret invalid");
    assert_eq!(err.request_id(), Some("tok-1"));
    assert!(!format!("{err:?}{err}").contains("\"s\""), "the secret never shows");
}

#[test]
fn secrets_never_show_in_debug_output() {
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("very-secret-value").build().unwrap();
    let shown = format!("{lark:?} {:?}", feishu::Client::builder().app_secret("very-secret-value"));
    assert!(!shown.contains("very-secret-value"), "{shown}");
    assert!(shown.contains("open.feishu.cn"), "the default host is https://open.feishu.cn: {shown}");
}

#[test]
fn plain_http_is_only_for_loopback_unless_allowed() {
    let build = |url: &str, allow: bool| feishu::Client::builder().app_id("a").app_secret("s").base_url(url).allow_insecure_http(allow).build();
    for ok in ["https://open.larksuite.com", "http://127.0.0.1:8080", "http://127.5.0.1", "http://[::1]:80", "http://localhost:9"] {
        assert!(build(ok, false).is_ok(), "{ok}");
    }
    let err = build("http://open.feishu.cn", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(build("http://open.feishu.cn", true).is_ok());
    let missing = feishu::Client::builder().app_id("a").build().unwrap_err();
    assert!(missing.message().contains("app_secret"), "{}", missing.message());
}

#[test]
fn enums_are_open_and_round_trip() {
    let known: feishu::UserIdType = serde_json::from_str("\"union_id\"").unwrap();
    assert_eq!(known, feishu::UserIdType::UnionId);
    let unknown: feishu::UserIdType = serde_json::from_str("\"email_id\"").unwrap();
    assert_eq!(unknown, feishu::UserIdType::Unknown("email_id".to_owned()));
    assert_eq!(unknown.as_str(), "email_id");
    assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"email_id\"");
    assert_eq!(feishu::UserIdType::from("open_id"), feishu::UserIdType::OpenId);
}
