//! Every Feishu operation (14 ACS v1, 5 auth v3) against a server on 127.0.0.1: the exact request
//! each call sends (method, encoded path, query, headers, body), the token it goes with (the
//! tenant token fetched once, a per-request user token, or none), and the spec's own response
//! example decoded into typed fields. Downloads, the multipart upload, paginated lists, calls
//! missing their user token, and the secrets of the token endpoints have tests of their own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inputs::{feishu_rule, feishu_user_external};
use common::{FEISHU_TOKEN, feishu_token_endpoint, request_example, response_example};
use generated_client::feishu;
use generated_client::feishu::acs_v1::{AccessRecordAccessType, Feature, GetAccessRecordAccessPhotoError, GetUserFaceError, UpdateUserFaceFileType, User, UserExternalUserType};
use generated_client::runtime::{ErrorKind, StreamExt, UploadFile};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The spec's example user ID (path parameter of user/get, user/patch, user_face/*).
const USER: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
/// A user_access_token as Feishu issues them (`u-…`), for the user-token-only operations.
const USER_TOKEN: &str = "u-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef";
/// The `page_token` query example of access_record/list, and how a form-encoded query writes it.
const SPEC_PAGE_TOKEN: &str = "AQD9/Rn9eij9Pm39ED40/dk53s4Ebp882DYfFaPFbz00L4CMZJrqGdzNyc8BcZtDbwVUvRmQTvyMYicnGWrde9X56TgdBuS+JKiSIkdexPw=";
const SPEC_PAGE_TOKEN_ENCODED: &str = "AQD9%2FRn9eij9Pm39ED40%2Fdk53s4Ebp882DYfFaPFbz00L4CMZJrqGdzNyc8BcZtDbwVUvRmQTvyMYicnGWrde9X56TgdBuS%2BJKiSIkdexPw%3D";
const LOG_ID: &str = "20241121120000A1B2C3D4E5";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn client(server: &MockServer) -> feishu::Client {
    feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(server.uri()).build().unwrap()
}

fn tenant_bearer() -> String {
    format!("Bearer {FEISHU_TOKEN}")
}

fn user_bearer() -> String {
    format!("Bearer {USER_TOKEN}")
}

/// The spec's response example as a 200 answer with a log id.
fn example_answer(rel: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", LOG_ID).set_body_json(response_example(rel))
}

/// Every request the server received that is not the token exchange.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() != "/open-apis/auth/v3/tenant_access_token/internal").collect()
}

/// The one request that is not the token exchange.
async fn the_request(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "exactly one API request: {:?}", requests.iter().map(|r| r.url.to_string()).collect::<Vec<_>>());
    requests.remove(0)
}

fn header_of<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// The request a user-token-only call sends: the user token, and no token exchange at all.
async fn the_user_token_request(server: &MockServer) -> Request {
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 1, "one request, and no token exchange: {:?}", all.iter().map(|r| r.url.to_string()).collect::<Vec<_>>());
    let request = all.into_iter().next().unwrap();
    assert_eq!(header_of(&request, "authorization"), Some(user_bearer().as_str()));
    request
}

/// The JSON `feishu_rule(UserExternalUserType::Employee)` is sent as.
fn spec_rule_json() -> Value {
    let user = json!({
        "user_type": 1,
        "user_id": USER,
        "user_name": "张三",
        "phone_num": "1357890001",
        "department_id": "od-f7d44ab733f7602f5cc5194735fd9aaf"
    });
    json!({
        "id": "34252345234523",
        "name": "南门",
        "devices": [{"id": "534545234523452345", "name": "北门"}],
        "user_count": "3",
        "users": [user.clone()],
        "visitor_count": "3",
        "visitors": [user],
        "remind_face": false,
        "opening_time": {
            "valid_day": {"start_day": 1699031483, "end_day": 1699931483},
            "weekdays": [1, 2, 3],
            "day_times": [{"start_hhmm": 1200, "end_hhmm": 1400}]
        },
        "is_temp": false
    })
}

/// A few KB that are not UTF-8 (a JPEG header, then every byte value over and over).
fn image_bytes() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(131) % 256) as u8));
    bytes.extend([0xFF, 0xD9]);
    assert!(String::from_utf8(bytes.clone()).is_err(), "the fixture must not be text");
    bytes
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
struct FormPart {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl FormPart {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A parameter of the `Content-Disposition` header (`name`, `filename`).
    fn disposition(&self, param: &str) -> Option<String> {
        let disposition = self.header("content-disposition")?;
        disposition.split(';').map(str::trim).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim() == param).then(|| v.trim().trim_matches('"').to_owned())
        })
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Splits a multipart body into its parts, checking the framing (RFC 7578) on the way.
fn multipart_parts(request: &Request) -> Vec<FormPart> {
    let content_type = header_of(request, "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let body = &request.body;
    let opening = format!("--{boundary}\r\n");
    assert!(body.starts_with(opening.as_bytes()), "the body opens with the boundary");
    let closing = format!("\r\n--{boundary}--\r\n");
    assert!(body.ends_with(closing.as_bytes()), "the body ends with the closing boundary");
    let delimiter = format!("\r\n--{boundary}");
    let mut parts = Vec::new();
    let mut start = opening.len();
    loop {
        let end = find(body, delimiter.as_bytes(), start).expect("a delimiter after each part");
        let section = &body[start..end];
        let split = find(section, b"\r\n\r\n", 0).expect("headers, a blank line, then the content");
        let headers = String::from_utf8(section[..split].to_vec())
            .unwrap()
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line");
                (name.trim().to_owned(), value.trim().to_owned())
            })
            .collect();
        parts.push(FormPart { headers, body: section[split + 4..].to_vec() });
        let after = end + delimiter.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        assert!(body[after..].starts_with(b"\r\n"));
        start = after + 2;
    }
    parts
}

/// Answers a cursor-paged list with three pages keyed on `page_token`: no token, then the token
/// the first page gave, then the token the second page gave. Any other token is Feishu's
/// "page token is invalid" error.
struct ThreePages {
    pages: Vec<(Option<String>, Value)>,
}

impl Respond for ThreePages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request.url.query_pairs().find(|(k, _)| k == "page_token").map(|(_, v)| v.into_owned());
        match self.pages.iter().find(|(t, _)| *t == token) {
            Some((_, page)) => ResponseTemplate::new(200).insert_header("X-Tt-Logid", LOG_ID).set_body_json(page),
            None => ResponseTemplate::new(400).set_body_json(json!({"code": 1490018, "msg": "page token is invalid error", "data": {}})),
        }
    }
}

/// Three pages built from the spec's response example: the example itself (its own next token,
/// `has_more: true`), then a page of two items whose `user_id` is `ids[1]`, `ids[2]` with the next
/// token `page-3`, then a last page of one item (`ids[3]`) with `has_more: false` and no token.
fn three_pages_from_example(rel: &str, ids: [&str; 4]) -> (ThreePages, String) {
    let first = response_example(rel);
    let first_token = first["data"]["page_token"].as_str().expect("the example has a next page token").to_owned();
    assert_eq!(first["data"]["has_more"], json!(true));
    assert_eq!(first["data"]["items"][0]["user_id"], json!(ids[0]), "the example's item");
    let item_with = |id: &str| {
        let mut item = first["data"]["items"][0].clone();
        item["user_id"] = json!(id);
        item
    };
    let mut second = first.clone();
    second["data"]["items"] = json!([item_with(ids[1]), item_with(ids[2])]);
    second["data"]["page_token"] = json!("page-3");
    let mut third = first.clone();
    third["data"]["items"] = json!([item_with(ids[3])]);
    third["data"]["has_more"] = json!(false);
    third["data"].as_object_mut().unwrap().remove("page_token");
    (ThreePages { pages: vec![(None, first), (Some(first_token.clone()), second), (Some("page-3".to_owned()), third)] }, first_token)
}

/// Asserts a call without `.user_access_token(…)` fails before sending anything.
async fn assert_needs_user_token<T: std::fmt::Debug>(server: &MockServer, result: Result<T, feishu::Error>, operation: &str) {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    assert_eq!(err.operation(), Some(operation));
    assert!(err.message().contains("user_access_token"), "the message says what to call: {}", err.message());
    assert_eq!(err.http_status(), None);
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent, not even a token exchange");
}

// ---------------------------------------------------------------------------------------------
// acs/v1 user
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn acs_user_get() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/user/get"))
        .expect(1)
        .mount(&server)
        .await;

    let data = client(&server).acs().v1().user().get(USER).user_id_type(feishu::UserIdType::OpenId).send().await.unwrap();

    assert_eq!(data.user, Some(User { feature: Some(Feature { card: Some(123456), face_uploaded: Some(true) }), user_id: Some(USER.to_owned()) }));
    let request = the_request(&server).await;
    assert_eq!(request.url.query(), Some("user_id_type=open_id"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn acs_user_list() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users"))
        .and(query_param("page_size", "10"))
        .and(query_param("page_token", "10"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/user/list"))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).acs().v1().user().list().page_size(10).page_token("10").user_id_type(feishu::UserIdType::OpenId).send().await.unwrap();

    let items = page.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].user_id.as_deref(), Some(USER));
    assert_eq!(items[0].feature, Some(Feature { card: Some(123456), face_uploaded: Some(true) }));
    assert_eq!(page.page_token.as_deref(), Some(SPEC_PAGE_TOKEN));
    assert_eq!(page.has_more, Some(true));
    let request = the_request(&server).await;
    assert_eq!(request.url.query(), Some("page_size=10&page_token=10&user_id_type=open_id"));
}

#[tokio::test]
async fn acs_user_list_pages_through_three_pages() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let (pages, first_token) = three_pages_from_example("feishu/acs/v1/user/list", [USER, "ou_page2_a", "ou_page2_b", "ou_page3_a"]);
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/users"))
        .and(query_param("page_size", "2"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(pages)
        .mount(&server)
        .await;
    let lark = client(&server);
    let request = lark.acs().v1().user().list().page_size(2).user_id_type("open_id");

    let items: Vec<User> = request.clone().items().map(|item| item.unwrap()).collect().await;

    let ids: Vec<Option<&str>> = items.iter().map(|u| u.user_id.as_deref()).collect();
    assert_eq!(ids, [Some(USER), Some("ou_page2_a"), Some("ou_page2_b"), Some("ou_page3_a")]);
    assert!(items.iter().all(|u| u.feature == Some(Feature { card: Some(123456), face_uploaded: Some(true) })));
    let queries: Vec<String> = api_requests(&server).await.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(
        queries,
        [
            "page_size=2&user_id_type=open_id".to_owned(),
            format!("page_size=2&page_token={SPEC_PAGE_TOKEN_ENCODED}&user_id_type=open_id"),
            "page_size=2&page_token=page-3&user_id_type=open_id".to_owned(),
        ],
        "three requests, each with the token the previous page gave"
    );
    assert_eq!(first_token, SPEC_PAGE_TOKEN);

    let pages: Vec<_> = request.pages().collect().await;
    assert_eq!(pages.len(), 3, "the page with has_more false ends the list");
    let sizes: Vec<usize> = pages.into_iter().map(|p| p.unwrap().items.unwrap().len()).collect();
    assert_eq!(sizes, [1, 2, 1]);
    assert_eq!(api_requests(&server).await.len(), 6);
}

#[tokio::test]
async fn acs_user_patch() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let body = json!({"feature": {"card": 123456}});
    assert_eq!(body, request_example("feishu/acs/v1/user/patch"), "the call sends the spec's request example");
    Mock::given(method("PATCH"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}")))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(body))
        .respond_with(example_answer("feishu/acs/v1/user/patch"))
        .expect(1)
        .mount(&server)
        .await;

    let () =
        client(&server).acs().v1().user().patch(USER).user_id_type(feishu::UserIdType::OpenId).feature(Feature { card: Some(123456), face_uploaded: None }).send().await.unwrap();

    let request = the_request(&server).await;
    assert_eq!(request.url.query(), Some("user_id_type=open_id"));
}

// ---------------------------------------------------------------------------------------------
// acs/v1 user_face
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn acs_user_face_get_downloads_the_exact_bytes() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let image = image_bytes();
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}/face")))
        .and(query_param("is_cropped", "true"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Tt-Logid", LOG_ID)
                .insert_header("Content-Disposition", "attachment; filename=\"face.jpg\"")
                .set_body_raw(image.clone(), "image/jpeg"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let lark = client(&server);
    let request = lark.acs().v1().user_face().get(USER).is_cropped(true).user_id_type(feishu::UserIdType::OpenId);

    let download = request.clone().send().await.unwrap();
    assert_eq!(download.bytes.as_ref(), image.as_slice(), "every byte, unchanged");
    assert_eq!(download.file_name.as_deref(), Some("face.jpg"));
    assert_eq!(download.content_type.as_deref(), Some("image/jpeg"));

    let mut stream = request.send_stream().await.unwrap();
    assert_eq!(stream.file_name.as_deref(), Some("face.jpg"));
    assert_eq!(stream.content_length, Some(image.len() as u64));
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.body.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(streamed, image);

    let requests = api_requests(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.url.query(), Some("is_cropped=true&user_id_type=open_id"));
    }
}

#[tokio::test]
async fn acs_user_face_get_error_envelope_is_an_api_error_with_the_log_id() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}/face")))
        .respond_with(ResponseTemplate::new(400).insert_header("X-Tt-Logid", "face-err-1").set_body_json(json!({"code": 1490107, "msg": "user face not found", "data": {}})))
        .expect(2)
        .mount(&server)
        .await;
    let lark = client(&server);

    let err = lark.acs().v1().user_face().get(USER).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(1490107));
    assert_eq!(err.message(), "user face not found");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.request_id(), Some("face-err-1"));
    assert_eq!(GetUserFaceError::from_error(&err), Some(GetUserFaceError::UserFaceNotFound));

    let err = lark.acs().v1().user_face().get(USER).send_stream().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(1490107));
    assert_eq!(err.request_id(), Some("face-err-1"));
    assert_eq!(GetUserFaceError::from_error(&err), Some(GetUserFaceError::UserFaceNotFound));
}

#[tokio::test]
async fn acs_user_face_update_sends_a_multipart_body() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("PUT"))
        .and(path(format!("/open-apis/acs/v1/users/{USER}/face")))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/user_face/update"))
        .expect(1)
        .mount(&server)
        .await;
    let image = image_bytes();

    let () = client(&server)
        .acs()
        .v1()
        .user_face()
        .update(
            USER,
            feishu::acs_v1::UpdateUserFaceRequired {
                files: UploadFile::from_bytes("face.jpg", image.clone()),
                file_type: UpdateUserFaceFileType::Jpg,
                file_name: "efeqz12f.jpg".into(),
            },
        )
        .user_id_type(feishu::UserIdType::OpenId)
        .send()
        .await
        .unwrap();

    let request = the_request(&server).await;
    assert_eq!(request.url.query(), Some("user_id_type=open_id"));
    assert_eq!(header_of(&request, "content-length"), Some(request.body.len().to_string().as_str()), "a sized body, not chunked");
    let parts = multipart_parts(&request);
    let names: Vec<Option<String>> = parts.iter().map(|p| p.disposition("name")).collect();
    assert_eq!(names, [Some("files".to_owned()), Some("file_type".to_owned()), Some("file_name".to_owned())], "the part names the spec gives");
    assert_eq!(parts[0].disposition("filename").as_deref(), Some("face.jpg"));
    assert_eq!(parts[0].body, image, "the file's bytes, unchanged");
    assert_eq!(parts[1].disposition("filename"), None);
    assert_eq!(parts[1].body, b"jpg");
    assert_eq!(parts[2].disposition("filename"), None);
    assert_eq!(parts[2].body, b"efeqz12f.jpg");
}

// ---------------------------------------------------------------------------------------------
// acs/v1 device, access_record, access_record_access_photo
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn acs_device_list() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/devices"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/device/list"))
        .expect(1)
        .mount(&server)
        .await;

    let data = client(&server).acs().v1().device().list().send().await.unwrap();

    let devices = data.items.expect("items");
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].device_id.as_deref(), Some("6939433228970082593"));
    assert_eq!(devices[0].device_name.as_deref(), Some("东门"));
    assert_eq!(devices[0].device_sn.as_deref(), Some("3X811621174000240"));
    let request = the_request(&server).await;
    assert_eq!(request.url.query(), None, "no query parameters");
}

#[tokio::test]
async fn acs_access_record_list() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/access_records"))
        .and(query_param("page_size", "100"))
        .and(query_param("page_token", SPEC_PAGE_TOKEN))
        .and(query_param("from", "1624520521"))
        .and(query_param("to", "1624520521"))
        .and(query_param("device_id", "7091146989218002577"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/access_record/list"))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .acs()
        .v1()
        .access_record()
        .list(feishu::acs_v1::ListAccessRecordRequired { from: 1624520521, to: 1624520521 })
        .page_size(100)
        .page_token(SPEC_PAGE_TOKEN)
        .device_id("7091146989218002577")
        .user_id_type(feishu::UserIdType::OpenId)
        .send()
        .await
        .unwrap();

    let records = page.items.expect("items");
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record.access_record_id.as_deref(), Some("6939433228970082591"));
    assert_eq!(record.user_id.as_deref(), Some(USER));
    assert_eq!(record.device_id.as_deref(), Some("6939433228970082593"));
    assert_eq!(record.is_clock_in, Some(true));
    assert_eq!(record.access_time.as_deref(), Some("1624520221"));
    assert_eq!(record.access_type, Some(AccessRecordAccessType::FaceRecognition));
    assert_eq!(record.access_data.as_deref(), Some(r#"{"has_access_photo":true}"#));
    assert_eq!(record.is_door_open, Some(true));
    assert_eq!(page.page_token.as_deref(), Some(SPEC_PAGE_TOKEN));
    assert_eq!(page.has_more, Some(true));
    let request = the_request(&server).await;
    assert_eq!(
        request.url.query().map(str::to_owned),
        Some(format!("page_size=100&page_token={SPEC_PAGE_TOKEN_ENCODED}&from=1624520521&to=1624520521&device_id=7091146989218002577&user_id_type=open_id"))
    );
}

#[tokio::test]
async fn acs_access_record_list_pages_through_three_pages() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let (pages, _) = three_pages_from_example("feishu/acs/v1/access_record/list", [USER, "ou_page2_a", "ou_page2_b", "ou_page3_a"]);
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/access_records"))
        .and(query_param("from", "1624520521"))
        .and(query_param("to", "1624520521"))
        .and(query_param("device_id", "7091146989218002577"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(pages)
        .mount(&server)
        .await;
    let lark = client(&server);
    let request = lark.acs().v1().access_record().list(feishu::acs_v1::ListAccessRecordRequired { from: 1624520521, to: 1624520521 }).device_id("7091146989218002577");

    let records: Vec<_> = request.clone().items().map(|r| r.unwrap()).collect().await;

    let users: Vec<Option<&str>> = records.iter().map(|r| r.user_id.as_deref()).collect();
    assert_eq!(users, [Some(USER), Some("ou_page2_a"), Some("ou_page2_b"), Some("ou_page3_a")]);
    assert!(records.iter().all(|r| r.access_record_id.as_deref() == Some("6939433228970082591") && r.access_type == Some(AccessRecordAccessType::FaceRecognition)));
    let queries: Vec<String> = api_requests(&server).await.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(
        queries,
        [
            "from=1624520521&to=1624520521&device_id=7091146989218002577".to_owned(),
            format!("page_token={SPEC_PAGE_TOKEN_ENCODED}&from=1624520521&to=1624520521&device_id=7091146989218002577"),
            "page_token=page-3&from=1624520521&to=1624520521&device_id=7091146989218002577".to_owned(),
        ],
        "three requests; the required inputs go with every page"
    );

    let pages: Vec<_> = request.pages().collect().await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.last().unwrap().as_ref().unwrap().has_more, Some(false));
    assert_eq!(api_requests(&server).await.len(), 6);
}

#[tokio::test]
async fn acs_access_record_access_photo_get_downloads_the_exact_bytes() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    let image = image_bytes();
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/access_records/6939433228970082591/access_photo"))
        .and(header("authorization", tenant_bearer().as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Tt-Logid", LOG_ID)
                .insert_header("Content-Disposition", "attachment; filename=\"face.jpg\"")
                .set_body_raw(image.clone(), "image/jpeg"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let lark = client(&server);
    let request = lark.acs().v1().access_record_access_photo().get("6939433228970082591");

    let download = request.clone().send().await.unwrap();
    assert_eq!(download.bytes.as_ref(), image.as_slice());
    assert_eq!(download.file_name.as_deref(), Some("face.jpg"));
    assert_eq!(download.content_type.as_deref(), Some("image/jpeg"));

    let stream = request.send_stream().await.unwrap();
    assert_eq!(stream.file_name.as_deref(), Some("face.jpg"));
    assert_eq!(stream.bytes().await.unwrap().as_ref(), image.as_slice());

    for request in api_requests(&server).await {
        assert_eq!(request.url.query(), None);
        assert!(request.body.is_empty());
    }
}

#[tokio::test]
async fn acs_access_record_access_photo_get_error_envelope_is_an_api_error_with_the_log_id() {
    let server = MockServer::start().await;
    feishu_token_endpoint(&server, FEISHU_TOKEN, 7200, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/access_records/6939433228970082591/access_photo"))
        .respond_with(
            ResponseTemplate::new(400).insert_header("X-Tt-Logid", "photo-err-1").set_body_json(json!({"code": 1490052, "msg": "access record photo not exist error", "data": {}})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let lark = client(&server);

    let err = lark.acs().v1().access_record_access_photo().get("6939433228970082591").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(1490052));
    assert_eq!(err.message(), "access record photo not exist error");
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.request_id(), Some("photo-err-1"));
    assert_eq!(GetAccessRecordAccessPhotoError::from_error(&err), Some(GetAccessRecordAccessPhotoError::AccessRecordPhotoNotExistError));
    assert_eq!(err.hint(), Some("检查 access record ID"));

    let err = lark.acs().v1().access_record_access_photo().get("6939433228970082591").send_stream().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(1490052));
    assert_eq!(err.request_id(), Some("photo-err-1"));
}

// ---------------------------------------------------------------------------------------------
// acs/v1 rule_external (user token only)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn acs_rule_external_create() {
    let server = MockServer::start().await;
    let body = json!({"rule": spec_rule_json()});
    assert_eq!(body, request_example("feishu/acs/v1/rule_external/create"), "the call sends the spec's request example");
    Mock::given(method("POST"))
        .and(path("/open-apis/acs/v1/rule_external"))
        .and(query_param("rule_id", "7298933941867135276"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", user_bearer().as_str()))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(body))
        .respond_with(example_answer("feishu/acs/v1/rule_external/create"))
        .expect(1)
        .mount(&server)
        .await;

    let data = client(&server)
        .acs()
        .v1()
        .rule_external()
        .create(feishu_rule(UserExternalUserType::Employee))
        .rule_id("7298933941867135276")
        .user_id_type(feishu::UserIdType::OpenId)
        .user_access_token(USER_TOKEN)
        .send()
        .await
        .unwrap();

    assert_eq!(data.rule_id.as_deref(), Some("7298933941867135276"));
    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), Some("rule_id=7298933941867135276&user_id_type=open_id"));
}

#[tokio::test]
async fn acs_rule_external_create_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().rule_external().create(feishu_rule(UserExternalUserType::Employee)).send().await;
    assert_needs_user_token(&server, result, "CreateRuleExternal").await;
}

#[tokio::test]
async fn acs_rule_external_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/open-apis/acs/v1/rule_external"))
        .and(query_param("device_id", "7296700518380863767"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", user_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/rule_external/get"))
        .expect(1)
        .mount(&server)
        .await;

    let data = client(&server)
        .acs()
        .v1()
        .rule_external()
        .get()
        .device_id("7296700518380863767")
        .user_id_type(feishu::UserIdType::OpenId)
        .user_access_token(USER_TOKEN)
        .send()
        .await
        .unwrap();

    let rules = data.rules.expect("rules");
    assert_eq!(rules, [feishu_rule(UserExternalUserType::Employee)], "every field of the example, nested types and the user type enum included");
    assert_eq!(rules[0].users.as_ref().unwrap()[0].user_type, Some(UserExternalUserType::Employee));
    assert_eq!(rules[0].opening_time.as_ref().unwrap().day_times.as_ref().unwrap()[0].end_hhmm, Some(1400));
    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), Some("device_id=7296700518380863767&user_id_type=open_id"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn acs_rule_external_get_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().rule_external().get().device_id("7296700518380863767").send().await;
    assert_needs_user_token(&server, result, "GetRuleExternal").await;
}

#[tokio::test]
async fn acs_rule_external_delete() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/open-apis/acs/v1/rule_external"))
        .and(query_param("rule_id", "7298933941867135276"))
        .and(header("authorization", user_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/rule_external/delete"))
        .expect(1)
        .mount(&server)
        .await;

    let () = client(&server).acs().v1().rule_external().delete("7298933941867135276").user_access_token(USER_TOKEN).send().await.unwrap();

    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), Some("rule_id=7298933941867135276"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn acs_rule_external_delete_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().rule_external().delete("7298933941867135276").send().await;
    assert_needs_user_token(&server, result, "DeleteRuleExternal").await;
}

#[tokio::test]
async fn acs_rule_external_device_bind() {
    let server = MockServer::start().await;
    let body = json!({"device_id": "6939433228970082593", "rule_ids": ["7298933941867135276"]});
    assert_eq!(body, request_example("feishu/acs/v1/rule_external/device_bind"), "the call sends the spec's request example");
    Mock::given(method("POST"))
        .and(path("/open-apis/acs/v1/rule_external/device_bind"))
        .and(header("authorization", user_bearer().as_str()))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(body))
        .respond_with(example_answer("feishu/acs/v1/rule_external/device_bind"))
        .expect(1)
        .mount(&server)
        .await;

    let () =
        client(&server).acs().v1().rule_external().device_bind("6939433228970082593", vec!["7298933941867135276".to_owned()]).user_access_token(USER_TOKEN).send().await.unwrap();

    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn acs_rule_external_device_bind_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().rule_external().device_bind("6939433228970082593", vec!["7298933941867135276".to_owned()]).send().await;
    assert_needs_user_token(&server, result, "BindRuleExternalDevice").await;
}

// ---------------------------------------------------------------------------------------------
// acs/v1 visitor (user token only)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn acs_visitor_create() {
    let server = MockServer::start().await;
    let body = json!({
        "user": {
            "user_type": 11,
            "user_id": USER,
            "user_name": "张三",
            "phone_num": "1357890001",
            "department_id": "od-f7d44ab733f7602f5cc5194735fd9aaf"
        }
    });
    assert_eq!(body, request_example("feishu/acs/v1/visitor/create"), "the call sends the spec's request example");
    Mock::given(method("POST"))
        .and(path("/open-apis/acs/v1/visitors"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", user_bearer().as_str()))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(body))
        .respond_with(example_answer("feishu/acs/v1/visitor/create"))
        .expect(1)
        .mount(&server)
        .await;

    let data = client(&server)
        .acs()
        .v1()
        .visitor()
        .create(feishu_user_external(UserExternalUserType::Visitor))
        .user_id_type(feishu::UserIdType::OpenId)
        .user_access_token(USER_TOKEN)
        .send()
        .await
        .unwrap();

    assert_eq!(data.visitor_id.as_deref(), Some("6939433228970082568"));
    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), Some("user_id_type=open_id"));
}

#[tokio::test]
async fn acs_visitor_create_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().visitor().create(feishu_user_external(UserExternalUserType::Visitor)).send().await;
    assert_needs_user_token(&server, result, "CreateVisitor").await;
}

#[tokio::test]
async fn acs_visitor_delete() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/open-apis/acs/v1/visitors/6939433228970082566"))
        .and(query_param("user_id_type", "open_id"))
        .and(header("authorization", user_bearer().as_str()))
        .respond_with(example_answer("feishu/acs/v1/visitor/delete"))
        .expect(1)
        .mount(&server)
        .await;

    let () = client(&server).acs().v1().visitor().delete("6939433228970082566").user_id_type(feishu::UserIdType::OpenId).user_access_token(USER_TOKEN).send().await.unwrap();

    let request = the_user_token_request(&server).await;
    assert_eq!(request.url.query(), Some("user_id_type=open_id"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn acs_visitor_delete_needs_a_user_token() {
    let server = MockServer::start().await;
    let result = client(&server).acs().v1().visitor().delete("6939433228970082566").send().await;
    assert_needs_user_token(&server, result, "DeleteVisitor").await;
}

// ---------------------------------------------------------------------------------------------
// auth/v3: the token endpoints take no token; their secrets are `Secret`s
// ---------------------------------------------------------------------------------------------

/// Mounts a token endpoint that takes no token and expects the spec's own request example.
async fn mount_token_op(server: &MockServer, rel: &str, api_path: &str) -> Value {
    let body = request_example(rel);
    Mock::given(method("POST"))
        .and(path(api_path))
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(body.clone()))
        .respond_with(example_answer(rel))
        .expect(1)
        .mount(server)
        .await;
    body
}

/// The one request a token operation sent: no Authorization header, and no token exchange first.
async fn the_tokenless_request(server: &MockServer, api_path: &str) -> Request {
    let all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 1, "one request, no token exchange: {:?}", all.iter().map(|r| r.url.to_string()).collect::<Vec<_>>());
    let request = all.into_iter().next().unwrap();
    assert_eq!(request.url.path(), api_path);
    assert_eq!(header_of(&request, "authorization"), None, "token endpoints take no token");
    assert_eq!(request.url.query(), None);
    request
}

#[tokio::test]
async fn auth_tenant_access_token_internal() {
    let server = MockServer::start().await;
    let sent = mount_token_op(&server, "feishu/auth/v3/tenant_access_token/internal", "/open-apis/auth/v3/tenant_access_token/internal").await;
    assert_eq!(sent, json!({"app_id": "cli_slkdjalasdkjasd", "app_secret": "dskLLdkasdjlasdKK"}));

    let request = client(&server)
        .auth()
        .v3()
        .tenant_access_token()
        .internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() });
    assert!(!format!("{request:?}").contains("dskLLdkasdjlasdKK"), "the app secret never shows in Debug output");
    let answer = request.send().await.unwrap();

    assert_eq!(answer.tenant_access_token.expose(), "t-caecc734c2e3328a62489fe0648c4b98779515d3");
    assert_eq!(answer.expire, 7200);
    let shown = format!("{answer:?}");
    assert!(!shown.contains("t-caecc734c2e3328a62489fe0648c4b98779515d3"), "{shown}");
    let request = the_tokenless_request(&server, "/open-apis/auth/v3/tenant_access_token/internal").await;
    assert_eq!(serde_json::from_slice::<Value>(&request.body).unwrap(), sent);
}

#[tokio::test]
async fn auth_tenant_access_token_create() {
    let server = MockServer::start().await;
    let sent = mount_token_op(&server, "feishu/auth/v3/tenant_access_token/create", "/open-apis/auth/v3/tenant_access_token").await;
    assert_eq!(sent, json!({"app_access_token": "a-32bd8551db2f081cbfd26293f27516390b9feb04", "tenant_key": "73658811060f175d"}));

    let request = client(&server)
        .auth()
        .v3()
        .tenant_access_token()
        .create(feishu::auth_v3::CreateTenantAccessTokenRequired { app_access_token: "a-32bd8551db2f081cbfd26293f27516390b9feb04".into(), tenant_key: "73658811060f175d".into() });
    assert!(!format!("{request:?}").contains("a-32bd8551db2f081cbfd26293f27516390b9feb04"), "the app token never shows in Debug output");
    let answer = request.send().await.unwrap();

    assert_eq!(answer.tenant_access_token.expose(), "t-caecc734c2e3328a62489fe0648c4b98779515d3");
    assert_eq!(answer.expire, 7140);
    let shown = format!("{answer:?}");
    assert!(!shown.contains("t-caecc734c2e3328a62489fe0648c4b98779515d3"), "{shown}");
    the_tokenless_request(&server, "/open-apis/auth/v3/tenant_access_token").await;
}

#[tokio::test]
async fn auth_app_access_token_internal() {
    let server = MockServer::start().await;
    let sent = mount_token_op(&server, "feishu/auth/v3/app_access_token/internal", "/open-apis/auth/v3/app_access_token/internal").await;
    assert_eq!(sent, json!({"app_id": "cli_slkdjalasdkjasd", "app_secret": "dskLLdkasdjlasdKK"}));

    let request = client(&server)
        .auth()
        .v3()
        .app_access_token()
        .internal(feishu::auth_v3::AppAccessTokenInternalRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() });
    assert!(!format!("{request:?}").contains("dskLLdkasdjlasdKK"));
    let answer = request.send().await.unwrap();

    assert_eq!(answer.app_access_token.expose(), "t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef");
    assert_eq!(answer.expire, 7200);
    assert_eq!(answer.tenant_access_token.as_ref().map(|t| t.expose()), Some("t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef"));
    let shown = format!("{answer:?}");
    assert!(!shown.contains("t-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef"), "{shown}");
    the_tokenless_request(&server, "/open-apis/auth/v3/app_access_token/internal").await;
}

#[tokio::test]
async fn auth_app_access_token_create() {
    let server = MockServer::start().await;
    let sent = mount_token_op(&server, "feishu/auth/v3/app_access_token/create", "/open-apis/auth/v3/app_access_token").await;
    assert_eq!(sent, json!({"app_id": "cli_slkdjalasdkjasd", "app_secret": "dskLLdkasdjlasdKK", "app_ticket": "dskLLdkasd"}));

    let request = client(&server).auth().v3().app_access_token().create(feishu::auth_v3::CreateAppAccessTokenRequired {
        app_id: "cli_slkdjalasdkjasd".into(),
        app_secret: "dskLLdkasdjlasdKK".into(),
        app_ticket: "dskLLdkasd".into(),
    });
    let shown_request = format!("{request:?}");
    assert!(!shown_request.contains("dskLLdkasd"), "neither the secret nor the ticket shows: {shown_request}");
    let answer = request.send().await.unwrap();

    assert_eq!(answer.app_access_token.expose(), "a-6U1SbDiM6XIH2DcTCPyeub");
    assert_eq!(answer.expire, 7140);
    let shown = format!("{answer:?}");
    assert!(!shown.contains("a-6U1SbDiM6XIH2DcTCPyeub"), "{shown}");
    the_tokenless_request(&server, "/open-apis/auth/v3/app_access_token").await;
}

#[tokio::test]
async fn auth_app_ticket_resend() {
    let server = MockServer::start().await;
    let sent = mount_token_op(&server, "feishu/auth/v3/app_ticket/resend", "/open-apis/auth/v3/app_ticket/resend").await;
    assert_eq!(sent, json!({"app_id": "cli_slkdjalasdkjasd", "app_secret": "dskLLdkasdjlasdKK"}));

    let request =
        client(&server).auth().v3().app_ticket().resend(feishu::auth_v3::ResendAppTicketRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() });
    assert!(!format!("{request:?}").contains("dskLLdkasdjlasdKK"));
    let () = request.send().await.unwrap(); // the answer is only the envelope

    the_tokenless_request(&server, "/open-apis/auth/v3/app_ticket/resend").await;
}
