//! Every Authing management operation against a server on 127.0.0.1: the exact request each call
//! sends (method, path, query string or JSON body, token and pool headers), its answer decoded
//! from the spec's own response example, paginated lists walked to the end, secrets kept out of
//! `Debug`, and a documented error surfacing with its code and request id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inputs::{With, authing_example_user, example_profile};
use common::management as m;
use common::{authing_token, authing_token_endpoint, response_example};
use generated_client::authing;
use generated_client::runtime::{ErrorKind, Secret, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate};

const USER: &str = "6229ffaxxxxxxxxcade3e3d9";
const POOL: &str = "pool-ops";
const IDP_ACCESS_TOKEN: &str = "57_fK0xgSL_NwVlS-gmUwlMQ2N6AONNIOAYxxxx";
const IDP_REFRESH_TOKEN: &str = "57_IZFu91Ak1Wg6DRytZFFIOd3upNF5lH7vPxxxxx";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A mock Authing server with the management token endpoint mounted (asked exactly once), and a
/// client pointed at it.
struct Pool {
    server: MockServer,
    token: String,
    client: authing::Client,
}

async fn pool() -> Pool {
    let server = MockServer::start().await;
    let token = authing_token(POOL);
    authing_token_endpoint(&server, &token, 1).await;
    let client = authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(server.uri()).build().unwrap();
    Pool { server, token, client }
}

/// The spec's response example of `specs/authing/management/users/<name>.yaml`.
fn example(name: &str) -> Value {
    response_example(&format!("authing/management/users/{name}"))
}

fn answer(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(example(name))
}

/// `{field: example}` for every body field of `<name>.yaml` that has an example.
fn body_examples(name: &str) -> serde_json::Map<String, Value> {
    let op = common::operation(&format!("authing/management/users/{name}"));
    let body = op.body.as_ref().unwrap_or_else(|| panic!("{name} has no body"));
    body.fields.iter().filter_map(|f| Some((f.name.value.clone(), f.example.as_ref()?.value.clone()))).collect()
}

/// How many body fields `<name>.yaml` has.
fn body_field_count(name: &str) -> usize {
    common::operation(&format!("authing/management/users/{name}")).body.as_ref().map_or(0, |b| b.fields.len())
}

/// The example of one body field of `<name>.yaml`.
fn body_example(name: &str, field: &str) -> Value {
    body_examples(name).remove(field).unwrap_or_else(|| panic!("{name}: body field {field} has no example"))
}

impl Pool {
    /// A mock of `<verb> /api/v3/<name>` carrying the management token and the pool id from it.
    fn op(&self, verb: &str, name: &str) -> MockBuilder {
        Mock::given(method(verb))
            .and(path(format!("/api/v3/{name}")))
            .and(header("authorization", format!("Bearer {}", self.token).as_str()))
            .and(header("x-authing-userpool-id", POOL))
    }

    /// Mounts `POST /api/v3/<name>` expecting exactly `body`, answering the spec's example.
    async fn post(&self, name: &str, body: Value) {
        self.op("POST", name).and(header("content-type", "application/json; charset=utf-8")).and(body_json(body)).respond_with(answer(name)).expect(1).mount(&self.server).await;
    }

    /// Mounts `GET /api/v3/<name>` expecting each of `query`, answering the spec's example.
    async fn get(&self, name: &str, query: &[(&str, &str)]) {
        let mut mock = self.op("GET", name);
        for (k, v) in query {
            mock = mock.and(query_param(*k, *v));
        }
        mock.respond_with(answer(name)).expect(1).mount(&self.server).await;
    }

    /// The requests received at `/api/v3/<name>`.
    async fn calls(&self, name: &str) -> Vec<Request> {
        let route = format!("/api/v3/{name}");
        self.server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == route).collect()
    }

    /// Asserts one request reached `name` and its whole query string is `query`, in that order.
    async fn assert_query(&self, name: &str, query: &[(&str, &str)]) {
        let calls = self.calls(name).await;
        assert_eq!(calls.len(), 1, "{name}: one request");
        let expected = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        assert_eq!(calls[0].url.query(), Some(expected.as_str()), "{name}: the full query string");
    }

    /// The JSON body of the one request that reached `name`.
    async fn body(&self, name: &str) -> Value {
        let calls = self.calls(name).await;
        assert_eq!(calls.len(), 1, "{name}: one request");
        calls[0].body_json().unwrap()
    }
}

/// The fields of the UserDto in the specs' response examples (get-user and every operation that
/// answers users share it).
fn assert_example_user(user: &m::UserDto) {
    assert_eq!(user.user_id, USER);
    assert_eq!(user.status, m::UserStatus::Activated);
    assert_eq!(user.status.as_str(), "Activated");
    assert_eq!(user.work_status.as_str(), "Active");
    assert_eq!(user.gender, m::Gender::M);
    assert_eq!(user.user_source_type, m::UserSourceType::Register);
    assert_eq!(user.email.as_deref(), Some("test@example.com"));
    assert_eq!(user.phone_country_code.as_deref(), Some("+86"));
    assert_eq!(user.name.as_deref(), Some("张三"));
    assert!(user.email_verified && user.phone_verified);
    assert_eq!(user.logins_count, Some(3));
    assert_eq!(user.password_security_level, Some(1));
    assert_eq!(user.street_address.as_deref(), Some("北京朝阳区 xxx 街道"));
    assert_eq!(user.zoneinfo.as_deref(), Some("GMT-08:00"));
    assert_eq!(user.status_changed_at.as_deref(), Some("2022-07-03T03:20:30.000Z"));
    assert_eq!(user.department_ids.as_deref(), Some(&["624d930c3xxxx5c08dd4986e".to_owned(), "624d93102xxxx012f33cd2fe".to_owned()][..]));
    let identities = user.identities.as_deref().expect("identities");
    assert_eq!(identities.len(), 1);
    assert_example_identity(&identities[0]);
    assert_eq!(user.custom_data, Some(json!({"school": "北京大学", "age": 22})));
    assert_eq!(user.tenant_id, None, "absent in the example");
    let shown = format!("{user:?}");
    assert!(!shown.contains(IDP_ACCESS_TOKEN) && !shown.contains(IDP_REFRESH_TOKEN), "identity tokens leak through Debug: {shown}");
}

/// The IdentityDto in the specs' response examples; its tokens are secrets.
fn assert_example_identity(identity: &m::IdentityDto) {
    assert_eq!(identity.identity_id, "62299d8b866d2dab79a89dc4");
    assert_eq!(identity.ext_idp_id, "6076bacxxxxxxxxd80d993b5");
    assert_eq!(identity.provider, m::IdentityProvider::Wechat);
    assert_eq!(identity.provider.as_str(), "wechat");
    assert_eq!(identity.r#type, "openid");
    assert_eq!(identity.user_id_in_idp, "oj7Nq05R-RRaqak0_YlMLnnIwsvg");
    assert_eq!(identity.origin_conn_ids, ["605492ac41xxxxe0362f0707"]);
    assert_eq!(identity.user_info_in_idp, None);
    assert_eq!(identity.access_token.as_ref().map(Secret::expose), Some(IDP_ACCESS_TOKEN));
    assert_eq!(identity.refresh_token.as_ref().map(Secret::expose), Some(IDP_REFRESH_TOKEN));
    let shown = format!("{identity:?}");
    assert!(!shown.contains(IDP_ACCESS_TOKEN) && !shown.contains(IDP_REFRESH_TOKEN), "identity tokens leak through Debug: {shown}");
}

/// Serves a numbered list three pages long: page `n` (from the `page` query parameter) holds
/// items `per_page * (n-1) ..` of `total`, each the spec example's first item with its `vary`
/// field suffixed `#<index>`, and every page reports `totalCount: total`.
struct Pages {
    example: Value,
    vary: &'static str,
    per_page: usize,
    total: usize,
}

impl Pages {
    fn new(name: &str, vary: &'static str, per_page: usize) -> Pages {
        // 2 full pages and a shorter third: the items seen reach totalCount after page 3.
        Pages { example: example(name), vary, per_page, total: 2 * per_page + per_page / 2 }
    }

    fn base(&self) -> String {
        self.example["data"]["list"][0][self.vary].as_str().expect("the varied field is a string").to_owned()
    }

    /// The `vary` field of every item, in order.
    fn labels(&self) -> Vec<String> {
        (0..self.total).map(|n| format!("{}#{n}", self.base())).collect()
    }
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page = request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0);
        let labels = self.labels();
        let from = page.saturating_sub(1) * self.per_page;
        let items: Vec<Value> = if page == 0 {
            Vec::new()
        } else {
            labels
                .iter()
                .skip(from)
                .take(self.per_page)
                .map(|label| {
                    let mut item = self.example["data"]["list"][0].clone();
                    item[self.vary] = json!(label);
                    item
                })
                .collect()
        };
        let mut body = self.example.clone();
        body["data"]["list"] = Value::Array(items);
        body["data"]["totalCount"] = json!(self.total);
        ResponseTemplate::new(200).set_body_json(body)
    }
}

/// Asserts the list was fetched as exactly pages 1, 2, 3, each with the query string `query`
/// (where `{page}` stands for the page number).
async fn assert_three_pages(pool: &Pool, name: &str, query: &str) {
    let calls = pool.calls(name).await;
    let queries: Vec<&str> = calls.iter().map(|r| r.url.query().unwrap_or("")).collect();
    let expected: Vec<String> = (1..=3).map(|p| query.replace("{page}", &p.to_string())).collect();
    assert_eq!(queries, expected, "{name}: pages 1, 2 and 3, and no more");
}

// ---------------------------------------------------------------------------------------------
// The token exchange
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_management_token() {
    let server = MockServer::start().await;
    let op = common::operation("authing/management/tokens/get-management-token");
    let request_example: Value = serde_json::from_str(&op.request_example.as_ref().unwrap().value).unwrap();
    Mock::given(method("POST"))
        .and(path("/api/v3/get-management-token"))
        .and(body_json(&request_example))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example("authing/management/tokens/get-management-token")))
        .expect(1)
        .mount(&server)
        .await;
    let client = authing::Client::builder().access_key_id("62a0ffffffffffffffffffff").access_key_secret("s").base_url(server.uri()).build().unwrap();

    let key_id = request_example["accessKeyId"].as_str().unwrap();
    let key_secret = request_example["accessKeySecret"].as_str().unwrap();
    let request = client.management().get_management_token(m::GetManagementTokenRequired { access_key_id: key_id.into(), access_key_secret: key_secret.into() });
    let shown = format!("{request:?}").replace(key_id, "<key id>");
    assert!(shown.contains("<key id>") && shown.contains("Secret(***)"), "Debug shows the other inputs: {shown}");
    assert!(!shown.contains(key_secret), "the access key secret leaks through Debug: {shown}");
    let token = request.send().await.unwrap();

    let calls = server.received_requests().await.unwrap();
    assert_eq!(calls.len(), 1, "tokens: [] — the client fetches no token of its own for this call");
    assert!(calls[0].headers.get("authorization").is_none());
    assert!(calls[0].headers.get("x-authing-userpool-id").is_none());
    assert_eq!(calls[0].body_json::<Value>().unwrap()["accessKeySecret"], key_secret, "the secret is sent");
    assert_eq!(token.expires_in, 7200);
    assert_eq!(token.access_token.expose(), "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl");
    assert!(!format!("{token:?}").contains("eyJhbGciOiJIUzI1NiJ9"), "the token leaks through Debug");
}

// ---------------------------------------------------------------------------------------------
// POST operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_session_status() {
    let pool = pool().await;
    pool.post("check-session-status", json!({"appId": "app1", "userId": USER})).await;

    let status = pool.client.management().check_session_status(m::CheckSessionStatusRequired { app_id: "app1".into(), user_id: USER.into() }).send().await.unwrap();

    assert!(status.active);
}

#[tokio::test]
async fn create_user() {
    let pool = pool().await;
    // Every body field has an example; the call sends exactly those, except where an example
    // does not fit the type: `identities` (its items lack the required userInfoInIdp and
    // originConnIds) and `options` (extended with the options the example leaves out).
    let mut expected = body_examples("create-user");
    expected.insert(
        "identities".into(),
        json!([{
            "extIdpId": "6076bacxxxxxxxxd80d993b5", "provider": "wechat", "type": "openid",
            "userIdInIdp": "oj7Nq05R-RRaqak0_YlMLnnIwsvg", "userInfoInIdp": {"openid": "oj7Nq05R-RRaqak0_YlMLnnIwsvg"},
            "originConnIds": ["605492ac41xxxxe0362f0707"]
        }]),
    );
    expected.insert(
        "options".into(),
        json!({
            "keepPassword": false, "autoGeneratePassword": true, "resetPasswordOnFirstLogin": true,
            "departmentIdType": "department_id", "sendNotification": {"sendEmailNotification": true, "sendPhoneNotification": false},
            "passwordEncryptType": "none"
        }),
    );
    assert_eq!(expected.len(), body_field_count("create-user"), "every body field of create-user is sent");
    pool.post("create-user", Value::Object(expected)).await;

    let request = pool.client.management().create_user();
    let request = authing_example_user(request).options(
        m::CreateUserOptionsDto::default()
            .keep_password(false)
            .auto_generate_password(true)
            .reset_password_on_first_login(true)
            .department_id_type("department_id")
            .send_notification(m::SendCreateAccountNotificationDto::default().send_email_notification(true).send_phone_notification(false))
            .password_encrypt_type(m::PasswordEncryptType::None),
    );
    let shown = format!("{request:?}");
    assert!(shown.contains("dgisaeieruur") && shown.contains("Secret(***)"), "Debug shows the other inputs: {shown}");
    for secret in ["passw0rd", "HZ2F6J3AGNAVSOTV", "b471-8ec0-874a-087f-bccb-cd54"] {
        assert!(!shown.contains(secret), "{secret} leaks through Debug of the request");
    }
    let user = request.send().await.unwrap();

    let sent = pool.body("create-user").await;
    assert_eq!(sent["password"], "passw0rd", "the password is sent");
    assert_eq!(sent["otp"], json!({"secret": "HZ2F6J3AGNAVSOTV", "recoveryCode": "b471-8ec0-874a-087f-bccb-cd54"}), "the OTP secrets are sent");
    assert_example_user(&user);
}

#[tokio::test]
async fn create_users_batch() {
    let pool = pool().await;
    // The spec's examples of `list` and `options`, exactly.
    pool.post("create-users-batch", json!({"list": body_example("create-users-batch", "list"), "options": body_example("create-users-batch", "options")})).await;

    let user = m::CreateUserInfoDto::default()
        .status(m::UserStatus::Activated)
        .email("test@example.com")
        .username("bob")
        .name("张三")
        .nickname("张三")
        .photo("https://files.authing.co/authing-console/default-user-avatar.png")
        .gender(m::Gender::M)
        .birthdate("2022-06-03")
        .country("CN")
        .province("BJ")
        .city("BJ")
        .address("北京朝阳")
        .street_address("北京朝阳区 xxx 街道")
        .postal_code("438100")
        .with(|b| example_profile!(b))
        .password("passw0rd");
    let options = m::CreateUserOptionsDto::default().auto_generate_password(true).reset_password_on_first_login(true).password_encrypt_type(m::PasswordEncryptType::None);
    let request = pool.client.management().create_users_batch(vec![user]).options(options);
    assert!(!format!("{request:?}").contains("passw0rd"), "the password leaks through Debug of the request");
    let users = request.send().await.unwrap();

    assert_eq!(pool.body("create-users-batch").await["list"][0]["password"], "passw0rd", "the password is sent");
    assert_eq!(users.len(), 1);
    assert_example_user(&users[0]);
}

#[tokio::test]
async fn delete_user_sync_relations() {
    let pool = pool().await;
    pool.post("delete-user-sync-relations", json!({"provider": "wechatwork", "userId": USER, "userIdType": "user_id"})).await;

    let result = pool.client.management().delete_user_sync_relations(m::SyncIdentityProvider::Wechatwork, USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn delete_users_batch() {
    let pool = pool().await;
    pool.post("delete-users-batch", json!({"userIds": ["userId1", "userId2"], "options": {"userIdType": "user_id"}})).await;

    let result = pool
        .client
        .management()
        .delete_users_batch(vec!["userId1".into(), "userId2".into()])
        .options(m::DeleteUsersBatchOptionsDto::default().user_id_type(m::UserIdType::UserId))
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn get_user_password_ciphertext() {
    let pool = pool().await;
    pool.post("get-user-password-ciphertext", json!({"userId": USER, "userIdType": "user_id"})).await;

    let data = pool.client.management().get_user_password_ciphertext(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    assert_eq!(data.ciphertext, None, "the example's data is {{}}");
}

#[tokio::test]
async fn has_any_role() {
    let pool = pool().await;
    pool.post("has-any-role", json!({"roles": [{"namespace": "default", "code": "admin"}], "userId": USER, "options": {"userIdType": "user_id"}})).await;

    let result = pool
        .client
        .management()
        .has_any_role(vec![m::HasRoleRolesDto::new("admin").namespace("default")], USER)
        .options(m::HasAnyRoleOptionsDto::default().user_id_type(m::UserIdType::UserId))
        .send()
        .await
        .unwrap();

    assert!(result.has_any_role);
}

#[tokio::test]
async fn import_otp() {
    let pool = pool().await;
    pool.post("import-otp", json!({"list": [{"userId": "xxxx", "otp": {"secret": "HZ2F6J3AGNAVSOTV", "recoveryCode": "b471-8ec0-874a-087f-bccb-cd54"}}]})).await;

    let request = pool
        .client
        .management()
        .import_otp(vec![m::ImportOtpItemDto::new("xxxx", m::ImportOtpItemDataDto::new("HZ2F6J3AGNAVSOTV").recovery_code("b471-8ec0-874a-087f-bccb-cd54"))]);
    let shown = format!("{request:?}");
    assert!(shown.contains("user_id: \"xxxx\"") && shown.contains("Secret(***)"), "Debug shows the other inputs: {shown}");
    assert!(!shown.contains("HZ2F6J3AGNAVSOTV") && !shown.contains("b471-8ec0-874a-087f-bccb-cd54"), "OTP secrets leak through Debug: {shown}");
    request.send().await.unwrap();

    assert_eq!(pool.body("import-otp").await["list"][0]["otp"]["secret"], "HZ2F6J3AGNAVSOTV", "the secret is sent");
}

#[tokio::test]
async fn is_user_exists() {
    let pool = pool().await;
    pool.post("is-user-exists", json!({"username": "bob", "email": "test@example.com", "phone": "188xxxx8888", "externalId": "10010"})).await;

    let result = pool.client.management().is_user_exists().username("bob").email("test@example.com").phone("188xxxx8888").external_id("10010").send().await.unwrap();

    assert!(result.exists);
}

#[tokio::test]
async fn kick_users() {
    let pool = pool().await;
    pool.post("kick-users", json!({"appIds": ["62188e71cxxxx3075289c580"], "userId": USER, "options": {"userIdType": "user_id"}})).await;

    let result = pool
        .client
        .management()
        .kick_users(vec!["62188e71cxxxx3075289c580".into()], USER)
        .options(m::KickUsersOptionsDto::default().user_id_type(m::UserIdType::UserId))
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn link_identity() {
    let pool = pool().await;
    pool.post("link-identity", json!({"userIdInIdp": "oj7Nq05R-RRaqak0_YlMLnnIwsvg", "userId": USER, "extIdpId": "6076bacxxxxxxxxd80d993b5", "type": "openid", "isSocial": false}))
        .await;

    let result = pool
        .client
        .management()
        .link_identity(m::LinkIdentityRequired { user_id_in_idp: "oj7Nq05R-RRaqak0_YlMLnnIwsvg".into(), user_id: USER.into(), ext_idp_id: "6076bacxxxxxxxxd80d993b5".into() })
        .r#type("openid")
        .is_social(false)
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn list_users() {
    let pool = pool().await;
    // The spec's examples of every body field, with `options.sort` (SortingDto's example) added.
    let mut expected = body_examples("list-users");
    assert_eq!(expected.len(), body_field_count("list-users"), "every body field of list-users is sent");
    expected["options"]["sort"] = json!([{"field": "createdAt", "order": "desc"}, {"field": "loginsCount", "order": "desc"}]);
    pool.post("list-users", Value::Object(expected)).await;

    let fuzzy: Vec<m::ListUsersOptionsDtoFuzzySearchOn> = ["phone", "email", "name", "username", "nickname", "identityNumber"].into_iter().map(Into::into).collect();
    assert_eq!(fuzzy[5], m::ListUsersOptionsDtoFuzzySearchOn::Unknown("identityNumber".into()), "not among the listed values: kept and sent back unchanged");
    let page = pool
        .client
        .management()
        .list_users()
        .keywords("张三")
        .advanced_filter(vec![
            m::ListUsersAdvancedFilterItemDto::new(m::ListUsersAdvancedFilterItemDtoField::Status, m::ListUsersAdvancedFilterItemDtoOperator::Equal).value(json!("Activated")),
        ])
        .search_query(json!({"query": {"bool": {"must": [{"term": {"phone": "18818888888"}}], "must_not": []}}, "sort": ["_score", {"created_at": "ASC"}]}))
        .options(
            m::ListUsersOptionsDto::default()
                .pagination(m::PaginationDto::default().page(1).limit(10))
                .sort(vec![
                    m::SortingDto::new(m::SortingDtoField::CreatedAt, m::SortingDtoOrder::Desc),
                    m::SortingDto::new(m::SortingDtoField::LoginsCount, m::SortingDtoOrder::Desc),
                ])
                .fuzzy_search_on(fuzzy)
                .with_custom_data(true)
                .with_identities(true)
                .with_department_ids(true),
        )
        .send()
        .await
        .unwrap();

    assert_eq!(page.total_count, None, "absent in the example");
    assert_eq!(page.list.len(), 1);
    assert_example_user(&page.list[0]);
}

#[tokio::test]
async fn reset_user_principal_authentication_info() {
    let pool = pool().await;
    pool.post("reset-user-principal-authentication-info", json!({"userId": USER, "options": {"userIdType": "user_id"}})).await;

    let result = pool
        .client
        .management()
        .reset_user_principal_authentication_info(USER)
        .options(m::ResetUserPrincipalAuthenticationInfoOptionsDto::default().user_id_type(m::UserIdType::UserId))
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn resign_user_batch() {
    let pool = pool().await;
    pool.post("resign-user-batch", json!({"userIds": [USER], "userIdType": "user_id"})).await;

    let result = pool.client.management().resign_user_batch(vec![USER.into()]).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn resign_user() {
    let pool = pool().await;
    pool.post("resign-user", json!({"userId": USER, "userIdType": "user_id"})).await;

    let result = pool.client.management().resign_user(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn set_mfa_status() {
    let pool = pool().await;
    pool.post(
        "set-mfa-status",
        json!({
            "mfaTriggerData": {
                "mfaToken": "xxxxxxx", "mfaPhone": "132xxxxx1234", "mfaPhoneCountryCode": "+86", "mfaEmail": "authing@authing.com",
                "nickname": "test", "username": "test", "phone": "123xxxx1234", "phoneCountryCode": "+86",
                "faceMfaEnabled": false, "totpMfaEnabled": true,
                "applicationMfa": [{"mfaPolicy": "EMAIL", "status": 1}]
            },
            "userId": USER,
            "userIdType": "user_id"
        }),
    )
    .await;

    let trigger = m::GetMfaInfoDataDto::new("xxxxxxx", vec![m::ApplicationMfaDto::new("EMAIL", 1)])
        .mfa_phone("132xxxxx1234")
        .mfa_phone_country_code("+86")
        .mfa_email("authing@authing.com")
        .nickname("test")
        .username("test")
        .phone("123xxxx1234")
        .phone_country_code("+86")
        .face_mfa_enabled(false)
        .totp_mfa_enabled(true);
    let result = pool.client.management().set_mfa_status(trigger, USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn set_user_departments() {
    let pool = pool().await;
    pool.post(
        "set-user-departments",
        json!({"departments": [{"departmentId": "60b49eb83fd80adb96f26e68", "isLeader": true, "isMainDepartment": false}], "userId": USER, "options": {"userIdType": "user_id"}}),
    )
    .await;

    let result = pool
        .client
        .management()
        .set_user_departments(vec![m::SetUserDepartmentDto::new("60b49eb83fd80adb96f26e68").is_leader(true).is_main_department(false)], USER)
        .options(m::SetUserDepartmentsOptionsDto::default().user_id_type(m::UserIdType::UserId))
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn unlink_identity() {
    let pool = pool().await;
    pool.post("unlink-identity", json!({"userId": USER, "extIdpId": "6076bacxxxxxxxxd80d993b5", "type": "openid", "isSocial": false})).await;

    let result = pool
        .client
        .management()
        .unlink_identity(m::UnlinkIdentityRequired { user_id: USER.into(), ext_idp_id: "6076bacxxxxxxxxd80d993b5".into() })
        .r#type("openid")
        .is_social(false)
        .send()
        .await
        .unwrap();

    assert!(result.success);
}

#[tokio::test]
async fn update_user_batch() {
    let pool = pool().await;
    // The spec's `list` example exactly. Its `options` example has `resetPasswordOnFirstLogin`,
    // which UpdateUserBatchOptionsDto does not define, so the options are the type's own fields.
    pool.post(
        "update-user-batch",
        json!({
            "list": body_example("update-user-batch", "list"),
            "options": {
                "resetPasswordOnNextLogin": true, "passwordEncryptType": "none", "autoGeneratePassword": false,
                "sendPasswordResetedNotification": {
                    "sendDefaultEmailNotification": false, "sendDefaultPhoneNotification": false,
                    "inputSendEmailNotification": "test@example.com", "inputSendPhoneNotification": "136xxxx1234", "appId": "app1"
                }
            }
        }),
    )
    .await;

    let user = m::UpdateUserInfoDto::new("63f867961cxxxx41e7ccb582")
        .name("张三")
        .nickname("张三")
        .photo("https://files.authing.co/authing-console/default-user-avatar.png")
        .status(m::UserStatus::Activated)
        .birthdate("2022-06-03")
        .country("CN")
        .province("BJ")
        .city("BJ")
        .address("北京朝阳")
        .street_address("北京朝阳区 xxx 街道")
        .postal_code("438100")
        .gender(m::Gender::M)
        .username("bob")
        .email("test@example.com")
        .password("passw0rd")
        .with(|b| example_profile!(b));
    let options = m::UpdateUserBatchOptionsDto::default()
        .reset_password_on_next_login(true)
        .password_encrypt_type(m::PasswordEncryptType::None)
        .auto_generate_password(false)
        .send_password_reseted_notification(
            m::SendResetPasswordNotificationDto::default()
                .send_default_email_notification(false)
                .send_default_phone_notification(false)
                .input_send_email_notification("test@example.com")
                .input_send_phone_notification("136xxxx1234")
                .app_id("app1"),
        );
    let request = pool.client.management().update_user_batch(vec![user]).options(options);
    assert!(!format!("{request:?}").contains("passw0rd"), "the password leaks through Debug of the request");
    let users = request.send().await.unwrap();

    assert_eq!(pool.body("update-user-batch").await["list"][0]["password"], "passw0rd", "the password is sent");
    assert_eq!(users.len(), 1);
    assert_example_user(&users[0]);
}

#[tokio::test]
async fn update_user() {
    let pool = pool().await;
    // Every body field's example, with `options` extended by the option fields its example
    // leaves out.
    let mut expected = body_examples("update-user");
    assert_eq!(expected.len(), body_field_count("update-user"), "every body field of update-user is sent");
    expected["options"]["userIdType"] = json!("user_id");
    expected["options"]["resetPasswordOnNextLogin"] = json!(false);
    expected["options"]["sendPasswordResetedNotification"] = json!({
        "sendDefaultEmailNotification": false, "sendDefaultPhoneNotification": false,
        "inputSendEmailNotification": "test@example.com", "inputSendPhoneNotification": "136xxxx1234", "appId": "app1"
    });
    pool.post("update-user", Value::Object(expected)).await;

    let request = pool
        .client
        .management()
        .update_user(USER)
        .phone_country_code("+86")
        .name("张三")
        .nickname("张三")
        .photo("https://files.authing.co/authing-console/default-user-avatar.png")
        .external_id("10010")
        .status(m::UserStatus::Activated)
        .email_verified(true)
        .phone_verified(true)
        .birthdate("2022-06-03")
        .country("CN")
        .province("BJ")
        .city("BJ")
        .address("北京朝阳")
        .street_address("北京朝阳区 xxx 街道")
        .postal_code("438100")
        .gender(m::Gender::M)
        .username("bob")
        .email("test@example.com")
        .phone("188xxxx8888")
        .password("passw0rd")
        .with(|b| example_profile!(b))
        .identity_number("420421xxxxxxxx1234")
        .custom_data(json!({"school": "北京大学", "age": 22}))
        .metadata(json!({"school": "北京大学", "age": 22}))
        .options(
            m::UpdateUserOptionsDto::default()
                .user_id_type(m::UserIdType::UserId)
                .reset_password_on_first_login(true)
                .reset_password_on_next_login(false)
                .password_encrypt_type(m::PasswordEncryptType::None)
                .auto_generate_password(true)
                .send_password_reseted_notification(
                    m::SendResetPasswordNotificationDto::default()
                        .send_default_email_notification(false)
                        .send_default_phone_notification(false)
                        .input_send_email_notification("test@example.com")
                        .input_send_phone_notification("136xxxx1234")
                        .app_id("app1"),
                ),
        );
    assert!(!format!("{request:?}").contains("passw0rd"), "the password leaks through Debug of the request");
    let user = request.send().await.unwrap();

    assert_eq!(pool.body("update-user").await["password"], "passw0rd", "the password is sent");
    assert_example_user(&user);
}

// ---------------------------------------------------------------------------------------------
// GET operations
// ---------------------------------------------------------------------------------------------

const BY_USER_ID: [(&str, &str); 2] = [("userId", USER), ("userIdType", "user_id")];

#[tokio::test]
async fn get_mfa_status() {
    let pool = pool().await;
    pool.get("get-mfa-status", &BY_USER_ID).await;

    let mfa = pool.client.management().get_mfa_status(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-mfa-status", &BY_USER_ID).await;
    assert_eq!(mfa.mfa_token, "xxxxxxx");
    assert_eq!(mfa.mfa_phone.as_deref(), Some("132xxxxx1234"));
    assert_eq!(mfa.mfa_email.as_deref(), Some("authing@authing.com"));
    assert_eq!(mfa.phone_country_code.as_deref(), Some("+86"));
    assert_eq!(mfa.face_mfa_enabled, None);
    assert_eq!(mfa.application_mfa.len(), 1);
    assert_eq!(mfa.application_mfa[0].mfa_policy, "EMAIL");
    assert_eq!(mfa.application_mfa[0].status, 1);
    assert_eq!(mfa.application_mfa[0].sort, None);
}

#[tokio::test]
async fn get_otp_secret_by_user() {
    let pool = pool().await;
    pool.get("get-otp-secret-by-user", &BY_USER_ID).await;

    let otp = pool.client.management().get_otp_secret_by_user(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-otp-secret-by-user", &BY_USER_ID).await;
    assert_eq!(otp.secret.expose(), "e2345asdfwagw13424");
    assert!(!format!("{otp:?}").contains("e2345asdfwagw13424"), "the OTP secret leaks through Debug");
}

#[tokio::test]
async fn get_user_accessible_apps() {
    let pool = pool().await;
    pool.get("get-user-accessible-apps", &BY_USER_ID).await;

    let apps = pool.client.management().get_user_accessible_apps(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-accessible-apps", &BY_USER_ID).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].app_id, "app1");
    assert_eq!(apps[0].app_name, "App Name");
    assert_eq!(apps[0].app_login_url, "https://example.com/login");
    assert_eq!(apps[0].app_default_login_strategy, "ALLOW_ALL");
}

#[tokio::test]
async fn get_user_authorized_apps() {
    let pool = pool().await;
    pool.get("get-user-authorized-apps", &BY_USER_ID).await;

    let apps = pool.client.management().get_user_authorized_apps(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-authorized-apps", &BY_USER_ID).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].app_id, "app1");
    assert_eq!(apps[0].app_logo, "https://example.com/logo.png");
    assert_eq!(apps[0].app_default_login_strategy, "ALLOW_ALL");
}

#[tokio::test]
async fn get_user_authorized_resources() {
    let pool = pool().await;
    let query = [("userId", USER), ("userIdType", "user_id"), ("namespace", "default"), ("resourceType", "API")];
    pool.get("get-user-authorized-resources", &query).await;

    let resources =
        pool.client.management().get_user_authorized_resources(USER).user_id_type(m::UserIdType::UserId).namespace("default").resource_type("API").send().await.unwrap();

    pool.assert_query("get-user-authorized-resources", &query).await;
    assert_eq!(resources.total_count, None);
    assert_eq!(resources.list.len(), 1);
    let resource = &resources.list[0];
    assert_eq!(resource.resource_code, "ecs:1");
    assert_eq!(resource.description.as_deref(), Some("服务器"));
    assert_eq!(resource.resource_type, "API");
    assert_eq!(resource.api_identifier, "/api/v1/example");
    assert_eq!(resource.actions, ["ecs:Start", "ecs:Stop"]);
    assert_eq!(resource.effect, "ALLOW");
    let condition = resource.condition.as_deref().expect("condition");
    assert_eq!(condition.len(), 1);
    assert_eq!((condition[0].param.as_str(), condition[0].operator.as_str(), condition[0].value.as_str()), ("AppId", "StringEquals", "1"));
}

#[tokio::test]
async fn get_user_batch() {
    let pool = pool().await;
    let query = [
        ("userIds", "6229ffaxxxxxxxxcade3e3d9"),
        ("userIds", "6229ffaxxxxxxxxcade3e3d0"),
        ("userIdType", "user_id"),
        ("withCustomData", "true"),
        ("flatCustomData", "false"),
        ("withIdentities", "true"),
        ("withDepartmentIds", "true"),
    ];
    pool.get("get-user-batch", &query).await;

    let users = pool
        .client
        .management()
        .get_user_batch(vec!["6229ffaxxxxxxxxcade3e3d9".into(), "6229ffaxxxxxxxxcade3e3d0".into()])
        .user_id_type(m::UserIdType::UserId)
        .with_custom_data(true)
        .flat_custom_data(false)
        .with_identities(true)
        .with_department_ids(true)
        .send()
        .await
        .unwrap();

    // `style: repeat`: one `userIds=` pair per id; `Some(false)` is sent as `false`.
    pool.assert_query("get-user-batch", &query).await;
    assert_eq!(users.len(), 1);
    assert_example_user(&users[0]);
}

#[tokio::test]
async fn get_user_groups() {
    let pool = pool().await;
    pool.get("get-user-groups", &BY_USER_ID).await;

    let groups = pool.client.management().get_user_groups(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-groups", &BY_USER_ID).await;
    assert_eq!(groups.total_count, None);
    assert_eq!(groups.list.len(), 1);
    let group = &groups.list[0];
    assert_eq!(group.id, "60b49eb83fd80adb96f26e68");
    assert_eq!(group.code, "developer");
    assert_eq!(group.name, "开发者");
    assert_eq!(group.r#type, "static");
    assert_eq!(group.metadata_source, None);
    assert_eq!(group.members.len(), 1);
    assert_example_user(&group.members[0]);
}

#[tokio::test]
async fn get_user_identities() {
    let pool = pool().await;
    pool.get("get-user-identities", &BY_USER_ID).await;

    let identities = pool.client.management().get_user_identities(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-identities", &BY_USER_ID).await;
    assert_eq!(identities.len(), 1);
    assert_example_identity(&identities[0]);
    let shown = format!("{identities:?}");
    assert!(!shown.contains(IDP_ACCESS_TOKEN) && !shown.contains(IDP_REFRESH_TOKEN), "identity tokens leak through Debug: {shown}");
}

#[tokio::test]
async fn get_user_logged_in_identities() {
    let pool = pool().await;
    pool.get("get-user-logged-in-identities", &BY_USER_ID).await;

    let identities = pool.client.management().get_user_logged_in_identities(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-logged-in-identities", &BY_USER_ID).await;
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].identity_id, "62299d8b866d2dab79a89dc4");
    assert_eq!(identities[0].idp_name, "微信");
    assert_eq!(identities[0].idp_name_en, "wechat");
    assert_eq!(identities[0].idp_logo, "https://example.com/logo.png");
    assert_eq!(identities[0].idp_id, "62299d8b866d2dab79a89dc4");
}

#[tokio::test]
async fn get_user_loggedin_apps() {
    let pool = pool().await;
    pool.get("get-user-loggedin-apps", &BY_USER_ID).await;

    let apps = pool.client.management().get_user_loggedin_apps(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-loggedin-apps", &BY_USER_ID).await;
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].app_id, "app1");
    assert_eq!(apps[0].app_name, "App Name");
    assert_eq!(apps[0].app_logo, "https://example.com/logo.png");
    assert_eq!(apps[0].app_login_url, "https://example.com/login");
}

#[tokio::test]
async fn get_user_mfa_info() {
    let pool = pool().await;
    pool.get("get-user-mfa-info", &BY_USER_ID).await;

    let info = pool.client.management().get_user_mfa_info(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-mfa-info", &BY_USER_ID).await;
    assert_eq!(info.totp_status, "true");
    assert_eq!(info.face_mfa_status, "true");
    assert_eq!(info.sms_mfa_status, "true");
    assert_eq!(info.email_mfa_status, "true");
}

#[tokio::test]
async fn get_user_principal_authentication_info() {
    let pool = pool().await;
    pool.get("get-user-principal-authentication-info", &BY_USER_ID).await;

    let info = pool.client.management().get_user_principal_authentication_info(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-principal-authentication-info", &BY_USER_ID).await;
    assert_eq!(info.total_count, None);
    assert_eq!(info.list.len(), 1);
    let entry = &info.list[0];
    assert!(entry.authenticated);
    assert_eq!(entry.principal_code, "6229c4deb3e4d8a20b6021ff");
    assert_eq!(entry.principal_name, "ss");
    assert_eq!(entry.authenticated_at, "2022-04-05T10:23:50.631Z");
}

#[tokio::test]
async fn get_user_roles() {
    let pool = pool().await;
    let query = [("userId", USER), ("userIdType", "user_id"), ("namespace", "default")];
    pool.get("get-user-roles", &query).await;

    let roles = pool.client.management().get_user_roles(USER).user_id_type(m::UserIdType::UserId).namespace("default").send().await.unwrap();

    pool.assert_query("get-user-roles", &query).await;
    assert_eq!(roles.total_count, None);
    assert_eq!(roles.list.len(), 1);
    let role = &roles.list[0];
    assert_eq!(role.id, "60b49eb83fd80adb96f26e68");
    assert_eq!(role.code, "role1");
    assert_eq!(role.namespace, "default");
    assert_eq!(role.namespace_name, "示例权限名称");
    assert_eq!(role.status.as_deref(), Some("ENABLE"));
    assert_eq!(role.disable_time, Some(1_669_881_887_852));
}

#[tokio::test]
async fn get_user_sync_relations() {
    let pool = pool().await;
    pool.get("get-user-sync-relations", &BY_USER_ID).await;

    let relations = pool.client.management().get_user_sync_relations(USER).user_id_type(m::UserIdType::UserId).send().await.unwrap();

    pool.assert_query("get-user-sync-relations", &BY_USER_ID).await;
    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0].user_id_in_idp, "oj7Nq05R-RRaqak0_YlMLnnIwsvg");
    assert_eq!(relations[0].user_info_in_idp, json!({}));
    assert_eq!(relations[0].provider, None, "absent in the example");
}

#[tokio::test]
async fn get_user() {
    let pool = pool().await;
    let query = [
        ("userId", USER),
        ("userIdType", "user_id"),
        ("flatCustomData", "false"),
        ("withCustomData", "true"),
        ("withPost", "true"),
        ("withIdentities", "true"),
        ("withDepartmentIds", "true"),
    ];
    pool.get("get-user", &query).await;

    let user = pool
        .client
        .management()
        .get_user(USER)
        .user_id_type(m::UserIdType::UserId)
        .flat_custom_data(false)
        .with_custom_data(true)
        .with_post(true)
        .with_identities(true)
        .with_department_ids(true)
        .send()
        .await
        .unwrap();

    pool.assert_query("get-user", &query).await;
    assert_example_user(&user);
}

// ---------------------------------------------------------------------------------------------
// Paginated lists: three pages, walked to the end with `items()`
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_user_login_history_walks_every_page() {
    let pool = pool().await;
    let pages = Pages::new("get-user-login-history", "appName", 10);
    let labels = pages.labels();
    pool.op("GET", "get-user-login-history")
        .and(query_param("userId", USER))
        .and(query_param("userIdType", "user_id"))
        .and(query_param("appId", "app1"))
        .and(query_param("clientIp", "127.0.0.1"))
        .and(query_param("start", "1647360000000"))
        .and(query_param("end", "1648051199000"))
        .and(query_param("limit", "10"))
        .respond_with(pages)
        .expect(3)
        .mount(&pool.server)
        .await;

    let items: Vec<m::UserLoginHistoryDto> = pool
        .client
        .management()
        .get_user_login_history(USER)
        .user_id_type(m::UserIdType::UserId)
        .app_id("app1")
        .client_ip("127.0.0.1")
        .start(1_647_360_000_000)
        .end(1_648_051_199_000)
        .limit(10)
        .items()
        .try_collect()
        .await
        .unwrap();

    assert_three_pages(
        &pool,
        "get-user-login-history",
        "userId=6229ffaxxxxxxxxcade3e3d9&userIdType=user_id&appId=app1&clientIp=127.0.0.1&start=1647360000000&end=1648051199000&page={page}&limit=10",
    )
    .await;
    assert_eq!(items.len(), 25);
    assert_eq!(items.iter().map(|i| i.app_name.clone()).collect::<Vec<_>>(), labels, "every item, in order");
    for item in &items {
        assert_eq!(item.app_id, "app1");
        assert_eq!(item.app_login_url, "https://example.com/login");
        assert_eq!(item.client_ip, "127.0.0.1");
        assert!(item.user_agent.as_deref().is_some_and(|ua| ua.contains("Chrome/99.0.4844.51")));
        assert_eq!(item.time, None);
    }
}

#[tokio::test]
async fn list_archived_users_walks_every_page() {
    let pool = pool().await;
    let pages = Pages::new("list-archived-users", "userId", 10);
    let labels = pages.labels();
    pool.op("GET", "list-archived-users").and(query_param("limit", "10")).and(query_param("startAt", "1655714763890")).respond_with(pages).expect(3).mount(&pool.server).await;

    let items: Vec<m::ListArchivedUsersRespDto> = pool.client.management().list_archived_users().limit(10).start_at(1_655_714_763_890).items().try_collect().await.unwrap();

    assert_three_pages(&pool, "list-archived-users", "page={page}&limit=10&startAt=1655714763890").await;
    assert_eq!(items.len(), 25);
    assert_eq!(items.iter().map(|i| i.user_id.clone()).collect::<Vec<_>>(), labels, "every item, in order");
    assert!(items.iter().all(|i| i.archived_at == "2022-07-03T03:20:30.000Z"));
}

#[tokio::test]
async fn get_user_departments_walks_every_page() {
    let pool = pool().await;
    let pages = Pages::new("get-user-departments", "departmentId", 10);
    let labels = pages.labels();
    pool.op("GET", "get-user-departments")
        .and(query_param("userId", USER))
        .and(query_param("userIdType", "user_id"))
        .and(query_param("limit", "10"))
        .and(query_param("withCustomData", "true"))
        .and(query_param("withDepartmentPaths", "false"))
        .and(query_param("sortBy", "JoinDepartmentAt"))
        .and(query_param("orderBy", "Desc"))
        .respond_with(pages)
        .expect(3)
        .mount(&pool.server)
        .await;

    let items: Vec<m::UserDepartmentRespDto> = pool
        .client
        .management()
        .get_user_departments(USER)
        .user_id_type(m::UserIdType::UserId)
        .limit(10)
        .with_custom_data(true)
        .with_department_paths(false)
        .sort_by("JoinDepartmentAt")
        .order_by("Desc")
        .items()
        .try_collect()
        .await
        .unwrap();

    assert_three_pages(
        &pool,
        "get-user-departments",
        "userId=6229ffaxxxxxxxxcade3e3d9&userIdType=user_id&page={page}&limit=10&withCustomData=true&withDepartmentPaths=false&sortBy=JoinDepartmentAt&orderBy=Desc",
    )
    .await;
    assert_eq!(items.len(), 25);
    assert_eq!(items.iter().map(|i| i.department_id.clone()).collect::<Vec<_>>(), labels, "every item, in order");
    for item in &items {
        assert_eq!(item.organization_code, "steamory");
        assert_eq!(item.name, "dd8d7stf44");
        assert!(item.is_leader && item.is_main_department);
        assert_eq!(item.is_root, None);
        assert_eq!(item.open_department_id.as_deref(), Some("ou_7dab8a3d3cdccxxxxxx777c7ad535d62"));
        let i18n = item.i18n.as_ref().expect("i18n");
        assert_eq!((i18n.name.zh_cn.enabled, i18n.name.zh_cn.value.as_str()), (false, "中文"));
        assert_eq!(i18n.name.en_us.value, "English");
        assert_eq!(i18n.name.ja_jp, None);
        assert_eq!(item.custom_data, Some(json!({"icon": "https://example.com/logo"})));
        assert_eq!(item.department_id_path.as_deref(), Some(&["parentId1".to_owned(), "parentId2".to_owned()][..]));
        assert_eq!(item.department_name_path.as_ref().map(Vec::len), Some(2));
    }
}

// ---------------------------------------------------------------------------------------------
// A documented error
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_user_not_found_answer_is_an_error_with_its_api_code_and_request_id() {
    let pool = pool().await;
    // Authing answers failures with HTTP 200 and the failure in the envelope.
    pool.op("POST", "resign-user")
        .and(body_json(json!({"userId": "nobody"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 404, "apiCode": 2004, "message": "用户未找到", "requestId": "req-2004-resign"
        })))
        .expect(1)
        .mount(&pool.server)
        .await;
    pool.op("GET", "get-user-roles")
        .and(query_param("userId", "nobody"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "statusCode": 404, "apiCode": 2004, "message": "用户未找到", "requestId": "req-2004-roles"
        })))
        .expect(1)
        .mount(&pool.server)
        .await;

    let err = pool.client.management().resign_user("nobody").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(2004));
    assert_eq!(err.envelope_code(), Some(404));
    assert_eq!(err.request_id(), Some("req-2004-resign"));
    assert_eq!(err.message(), "用户未找到");
    assert_eq!(err.operation(), Some("ResignUser"));
    assert_eq!(err.attempts(), 1, "an API failure is not retried");

    let err = pool.client.management().get_user_roles("nobody").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(2004));
    assert_eq!(err.request_id(), Some("req-2004-roles"));
}
