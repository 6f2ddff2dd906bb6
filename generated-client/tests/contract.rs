//! The contract of the pipeline issue, written as a downstream crate would write it, against
//! servers on 127.0.0.1 that behave like Feishu's and Authing's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FEISHU_TOKEN, authing_token, authing_token_endpoint, feishu_token_endpoint, response_example};
use generated_client::{authing, feishu};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_contract_compiles_and_works() -> Result<(), Box<dyn std::error::Error>> {
    let feishu_server = MockServer::start().await;
    feishu_token_endpoint(&feishu_server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users/ou_7dab8a3d3cdcc9da365777c7ad535d62"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("feishu/acs/v1/user/get")))
        .mount(&feishu_server)
        .await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users/ou_gone"))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "log-9").set_body_json(serde_json::json!({"code": 1490101, "msg": "user not found"})))
        .mount(&feishu_server)
        .await;
    let authing_server = MockServer::start().await;
    authing_token_endpoint(&authing_server, &authing_token("62a0ffffffffffffffffffff"), 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v3/get-user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/users/get-user")))
        .mount(&authing_server)
        .await;

    // The contract, as the issue writes it (base URLs point at the loopback servers).
    let lark = feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(feishu_server.uri()).build()?;
    let data = lark.acs().v1().user().get("ou_7dab8a3d3cdcc9da365777c7ad535d62").user_id_type(feishu::UserIdType::OpenId).send().await?;
    let card = data.user.and_then(|u| u.feature).and_then(|f| f.card);
    assert_eq!(card, Some(123456));

    let pool = authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(authing_server.uri()).build()?;
    let user = pool.management().get_user("6229ffaxxxxxxxxcade3e3d9").with_custom_data(true).with_identities(true).with_department_ids(true).send().await?;
    let user_id: &String = &user.user_id;
    assert_eq!(user_id, "6229ffaxxxxxxxxcade3e3d9");
    assert_eq!(user.status.as_str(), "Activated");
    let department_ids: &Option<Vec<String>> = &user.department_ids;
    assert_eq!(department_ids.as_ref().map(Vec::len), Some(2));

    let e = lark.acs().v1().user().get("ou_gone").send().await.unwrap_err();
    assert_eq!(e.code(), Some(1490101));
    assert_eq!(e.request_id(), Some("log-9"));
    Ok(())
}
