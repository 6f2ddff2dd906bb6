//! Authing against a server on 127.0.0.1 that behaves like Authing's: token exchange, pool-id
//! header from the token, statusCode/apiCode envelope, requestId from the body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::management::GetUserError;
use common::{authing_token, authing_token_endpoint, response_example};
use generated_client::authing;
use generated_client::runtime::ErrorKind;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "6229ffaxxxxxxxxcade3e3d9";

fn client(server: &MockServer) -> authing::Client {
    authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(server.uri()).build().unwrap()
}

#[tokio::test]
async fn get_user_sends_the_exact_request_and_decodes_the_spec_example() {
    let server = MockServer::start().await;
    let token = authing_token("pool-from-token");
    authing_token_endpoint(&server, &token, 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/get-user"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("x-authing-userpool-id", "pool-from-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")))
        .expect(1)
        .mount(&server)
        .await;

    let user = client(&server)
        .management()
        .get_user(USER)
        .user_id_type(common::management::UserIdType::UserId)
        .with_custom_data(true)
        .with_identities(true)
        .with_department_ids(false)
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let call = requests.iter().find(|r| r.url.path() == "/api/v3/get-user").unwrap();
    assert_eq!(
        call.url.query(),
        Some("userId=6229ffaxxxxxxxxcade3e3d9&userIdType=user_id&withCustomData=true&withIdentities=true&withDepartmentIds=false"),
        "Some(false) is sent, unset inputs are not"
    );
    assert_eq!(user.user_id, USER);
    assert_eq!(user.status, common::management::UserStatus::Activated);
    assert_eq!(user.status.as_str(), "Activated");
    assert_eq!(user.gender, common::management::Gender::M);
    assert_eq!(user.user_source_type, common::management::UserSourceType::Register);
    assert_eq!(user.department_ids, Some(vec!["624d930c3xxxx5c08dd4986e".to_owned(), "624d93102xxxx012f33cd2fe".to_owned()]));
    let identity = &user.identities.as_ref().unwrap()[0];
    assert_eq!(identity.provider, common::management::IdentityProvider::Wechat);
    assert_eq!(identity.r#type, "openid");
    assert_eq!(identity.origin_conn_ids, ["605492ac41xxxxe0362f0707"]);
    assert_eq!(user.custom_data, Some(serde_json::json!({"school": "北京大学", "age": 22})));
    assert_eq!(user.logins_count, Some(3));
}

#[tokio::test]
async fn the_pool_id_falls_back_to_the_access_key_id_when_the_token_has_no_claim() {
    let server = MockServer::start().await;
    authing_token_endpoint(&server, "opaque-token", 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/get-user"))
        .and(header("x-authing-userpool-id", "62a0ffffffffffffffffffff"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).management().get_user(USER).send().await.unwrap();
}

#[tokio::test]
async fn an_api_code_is_the_error_code_and_the_request_id_comes_from_the_body() {
    let server = MockServer::start().await;
    authing_token_endpoint(&server, &authing_token("p"), 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/get-user"))
        .and(query_param("userId", "nobody"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "statusCode": 404, "apiCode": 2004, "message": "用户未找到", "requestId": "7f3b-req"
        })))
        .mount(&server)
        .await;

    let err = client(&server).management().get_user("nobody").send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(2004));
    assert_eq!(err.envelope_code(), Some(404));
    assert_eq!(err.http_status(), Some(200), "Authing answers failures with HTTP 200");
    assert_eq!(err.request_id(), Some("7f3b-req"));
    assert_eq!(err.message(), "用户未找到");
    assert_eq!(GetUserError::from_error(&err), Some(GetUserError::UserNotFound));
}

#[tokio::test]
async fn a_string_api_code_and_a_failure_without_one() {
    let server = MockServer::start().await;
    authing_token_endpoint(&server, &authing_token("p"), 1).await;
    Mock::given(method("GET"))
        .and(query_param("userId", "locked"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"statusCode": 403, "apiCode": "2005", "message": "locked"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("userId", "bad"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"statusCode": 400, "message": "bad argument", "requestId": "r2"})))
        .mount(&server)
        .await;
    let pool = client(&server);

    let locked = pool.management().get_user("locked").send().await.unwrap_err();
    assert_eq!(locked.code(), Some(2005), "older pages send apiCode as a string");
    let bad = pool.management().get_user("bad").send().await.unwrap_err();
    assert_eq!(bad.code(), Some(400), "without apiCode, the code is statusCode");
    assert_eq!(bad.request_id(), Some("r2"));
    assert_eq!(GetUserError::from_error(&bad), None);
}

#[tokio::test]
async fn an_answer_of_the_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    authing_token_endpoint(&server, &authing_token("p"), 1).await;
    // The seed page's example: departmentIds and identities[].originConnIds as JSON-encoded strings.
    let mut body = response_example("authing/management/users/get-user");
    body["data"]["departmentIds"] = serde_json::json!("[\"624d930c3xxxx5c08dd4986e\"]");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&body)).mount(&server).await;

    let err = client(&server).management().get_user(USER).send().await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.request_id(), Some("934108e5-9fbf-4d24-8da1-c330328abd6c"));
    assert!(err.message().contains("invalid type"), "{}", err.message());
    assert!(err.raw_body().is_some());
}

#[tokio::test]
async fn the_management_token_example_decodes() {
    let example = response_example("authing/management/tokens/get-management-token");
    let token: common::management::ManagementToken = serde_json::from_value(example["data"].clone()).unwrap();
    assert_eq!(token.expires_in, 7200);
}

#[tokio::test]
async fn default_headers_and_a_caller_supplied_http_client_are_used() {
    let server = MockServer::start().await;
    authing_token_endpoint(&server, &authing_token("p"), 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/get-user"))
        .and(header("x-authing-lang", "en-US"))
        .and(header("user-agent", "my-service/1.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")))
        .expect(1)
        .mount(&server)
        .await;
    let http = generated_client::runtime::reqwest::Client::builder().user_agent("my-service/1.0").build().unwrap();
    let pool = authing::Client::builder()
        .access_key_id("62a0ffffffffffffffffffff")
        .access_key_secret("s")
        .base_url(server.uri())
        .default_header("x-authing-lang", "en-US")
        .http_client(http)
        .build()
        .unwrap();

    // A clone shares the token cache: the token endpoint is asked once (`expect(1)` above).
    pool.clone().management().get_user(USER).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let token_request = requests.iter().find(|r| r.url.path() == "/api/v3/get-management-token").unwrap();
    assert_eq!(token_request.headers.get("x-authing-lang").and_then(|v| v.to_str().ok()), Some("en-US"), "default headers go to the token endpoint too");
}

#[test]
fn clients_are_send_sync_and_cheap_to_clone() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<authing::Client>();
    shareable::<generated_client::feishu::Client>();
    assert!(std::mem::size_of::<authing::Client>() <= 2 * std::mem::size_of::<usize>(), "a clone is one reference count");
}
