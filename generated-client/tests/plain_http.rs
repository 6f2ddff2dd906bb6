//! A plain HTTP API (`envelope: none`) imported from OpenAPI, end to end: the made-up bookshop
//! document (`tests/openapi/bookshop.yaml`, OpenAPI 3.0.3) imported by
//! `cargo xtask openapi import` into `tests/openapi/specs/bookshop/` (kept fresh by
//! `importer/tests/openapi_fixture.rs`), expanded here by the `generate!` macro as a downstream
//! crate would, and called against a server on 127.0.0.1.
//!
//! What it proves, as a user sees it: the exact requests (method, path with its encoded
//! parameter, query with the comma-joined array, the bearer token from `.static_token`, JSON and
//! multipart bodies, no `Authorization` on the operation with `security: []`); success by HTTP
//! status (a 201 decodes into the typed `Book`, a 204 is `Ok(())`, a download is its bytes); and
//! failures: a documented error status is an `Api` error whose code is the status, with the
//! body's `message`, the raw body and the operation's typed error variant; an undocumented 500
//! with a text body is an `Api` error keeping that body; a 2xx answer that does not match the
//! schema is a `Decode` error keeping the body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The tests call most of the generated API, not all of it (unused component types, `decode`, …).
#[allow(dead_code)]
mod generated {
    generated_client::generate!("tests/openapi/specs");
}
use generated::bookshop;

use std::collections::BTreeMap;

use bookshop::books::{CreateBookError, DownloadCoverError, GetBookError, UpdateBookError};
use bookshop::{Author, Book, Genre};
use generated_client::runtime::{ErrorKind, UploadFile};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "shop-tok-7f3a";

fn client(server: &MockServer) -> bookshop::Client {
    bookshop::Client::builder().base_url(server.uri()).static_token(TOKEN).build().unwrap()
}

/// Mounts an answer for any request with this method and (encoded) path.
async fn answer(server: &MockServer, http_method: &str, request_path: &str, response: ResponseTemplate) {
    Mock::given(method(http_method)).and(path(request_path)).respond_with(response).mount(server).await;
}

/// Every request the server received.
async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The one request the server received.
async fn the_request(server: &MockServer) -> Request {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "expected exactly one request, got {:?}", all.iter().map(|r| format!("{} {}", r.method, r.url)).collect::<Vec<_>>());
    all.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| panic!("the request body is not JSON ({e}): {:?}", String::from_utf8_lossy(&request.body)))
}

/// A stored book as the server sends it: nested author (with a null `born`), co-authors, the
/// branch map; no `subtitle` and no `in_stock`.
fn book_json() -> Value {
    json!({
        "id": "bk_0193",
        "title": "Salt Roads",
        "author": {"name": "Mirela Castro", "born": null, "country": "PT"},
        "co_authors": [{"name": "Ana Reis", "born": 1984}],
        "genre": "fiction",
        "price_cents": 1850,
        "tags": ["signed"],
        "stock_by_branch": {"LIS-01": 3, "OPO-02": 0}
    })
}

fn book() -> Book {
    Book {
        id: "bk_0193".to_owned(),
        title: "Salt Roads".to_owned(),
        subtitle: None,
        author: Author { name: "Mirela Castro".to_owned(), born: None, country: Some("PT".to_owned()) },
        co_authors: Some(vec![Author { name: "Ana Reis".to_owned(), born: Some(1984), country: None }]),
        genre: Genre::Fiction,
        price_cents: 1850,
        in_stock: None,
        tags: Some(vec!["signed".to_owned()]),
        stock_by_branch: Some(BTreeMap::from([("LIS-01".to_owned(), 3), ("OPO-02".to_owned(), 0)])),
    }
}

#[tokio::test]
async fn list_sends_the_query_with_the_comma_joined_array_and_the_static_token() {
    let server = MockServer::start().await;
    let mut unknown_genre = book_json();
    unknown_genre["id"] = json!("bk_0200");
    unknown_genre["genre"] = json!("cookbooks");
    answer(&server, "GET", "/books", ResponseTemplate::new(200).set_body_json(json!({"items": [book_json(), unknown_genre], "next_cursor": null}))).await;

    let page = client(&server).books().list_books().limit(5).genre(Genre::ScienceFiction).tags(vec!["signed".to_owned(), "first-print".to_owned()]).send().await.unwrap();

    let request = the_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/books");
    // `style: form, explode: false`: one `tags` parameter, the values joined by a comma (which
    // the query encoding writes as %2C; the server reads back `signed,first-print`).
    assert_eq!(request.url.query(), Some("limit=5&genre=science_fiction&tags=signed%2Cfirst-print"));
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(pairs, [("limit", "5"), ("genre", "science_fiction"), ("tags", "signed,first-print")].map(|(k, v)| (k.to_owned(), v.to_owned())));
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()), "the builder's static token serves the per-request kind");
    assert!(request.body.is_empty());

    assert_eq!(page.items, [book(), Book { id: "bk_0200".to_owned(), genre: Genre::Unknown("cookbooks".to_owned()), ..book() }]);
    assert_eq!(page.next_cursor, None, "`nullable` and null: None");
}

#[tokio::test]
async fn list_without_options_sends_no_query() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/books", ResponseTemplate::new(200).set_body_json(json!({"items": []}))).await;

    let page = client(&server).books().list_books().send().await.unwrap();

    assert!(page.items.is_empty());
    let request = the_request(&server).await;
    assert_eq!(request.url.query(), None, "the documented `limit` default (20) is the server's to apply, not sent");
}

#[tokio::test]
async fn create_posts_the_json_body_and_decodes_the_201_book() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/books", ResponseTemplate::new(201).set_body_json(book_json())).await;

    let author = Author { name: "Mirela Castro".to_owned(), born: Some(1971), country: Some("PT".to_owned()) };
    let created = client(&server).books().create_book("Salt Roads", author, Genre::Fiction, 1850).tags(vec!["signed".to_owned()]).send().await.unwrap();

    assert_eq!(created, book());
    assert_eq!(created.author.name, "Mirela Castro", "the nested author struct");
    assert_eq!(created.author.born, None, "`born: null` on a nullable field");
    assert_eq!(created.genre, Genre::Fiction, "the enum component");
    assert_eq!(created.subtitle, None, "the nullable field, absent");
    let request = the_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/books");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    // Exactly the fields given: the unset optional `subtitle` is left out, not sent as null.
    assert_eq!(
        body_json(&request),
        json!({
            "title": "Salt Roads",
            "author": {"name": "Mirela Castro", "born": 1971, "country": "PT"},
            "genre": "fiction",
            "price_cents": 1850,
            "tags": ["signed"]
        })
    );
}

#[tokio::test]
async fn update_patches_only_the_fields_set_with_the_call_token_over_the_static_one() {
    let server = MockServer::start().await;
    let mut changed = book_json();
    changed["price_cents"] = json!(1500);
    changed["in_stock"] = json!(false);
    changed["subtitle"] = json!("A novel");
    answer(&server, "PATCH", "/books/bk_0193", ResponseTemplate::new(200).set_body_json(changed)).await;

    let updated = client(&server).books().update_book("bk_0193").price_cents(1500).in_stock(false).shop_token_access_token("clerk-tok").send().await.unwrap();

    assert_eq!(updated, Book { price_cents: 1500, in_stock: Some(false), subtitle: Some("A novel".to_owned()), ..book() });
    let request = the_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(body_json(&request), json!({"price_cents": 1500, "in_stock": false}));
    assert_eq!(header(&request, "authorization"), Some("Bearer clerk-tok"), "a token passed with the call wins");
}

#[tokio::test]
async fn delete_answered_204_is_ok_unit() {
    let server = MockServer::start().await;
    // The id needs encoding: one path segment, whatever it holds.
    answer(&server, "DELETE", "/books/bk%2001%2F9", ResponseTemplate::new(204)).await;

    let deleted = client(&server).books().delete_book("bk 01/9").send().await;

    assert!(matches!(deleted, Ok(())), "{deleted:?}");
    let request = the_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/books/bk%2001%2F9");
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_documented_404_is_an_api_error_with_the_status_as_code_and_the_typed_variant() {
    let server = MockServer::start().await;
    let body = br#"{"message": "no book bk_0404 in this shop", "reason": "deleted"}"#;
    answer(&server, "GET", "/books/bk_0404", ResponseTemplate::new(404).set_body_raw(body.to_vec(), "application/json")).await;

    let e = client(&server).books().get_book("bk_0404").send().await.unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(404));
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.message(), "no book bk_0404 in this shop");
    assert_eq!(e.raw_body(), Some(&body[..]));
    assert_eq!(e.operation(), Some("GetBook"));
    assert_eq!(e.request_id(), None, "the drafted vendor declares no request-id header");
    assert_eq!(e.attempts(), 1, "a 404 is not retried");
    assert_eq!(GetBookError::from_error(&e), Some(GetBookError::BookNotFound));
    assert_eq!(GetBookError::BookNotFound.code(), 404);
    assert_eq!(e.documented().map(|d| d.message), Some("Book not found"), "the response's description");
    assert_eq!(CreateBookError::from_error(&e), None, "404 is not documented for create");
    assert_eq!(e.to_string(), "bookshop GetBook failed: no book bk_0404 in this shop (code 404, HTTP 404)");
}

#[tokio::test]
async fn a_documented_409_maps_to_conflict() {
    let server = MockServer::start().await;
    answer(&server, "PATCH", "/books/bk_0193", ResponseTemplate::new(409).set_body_json(json!({"error": "title taken"}))).await;

    let e = client(&server).books().update_book("bk_0193").title("Salt Roads").send().await.unwrap_err();

    assert_eq!((e.kind(), e.code(), e.message()), (ErrorKind::Api, Some(409), "title taken"));
    assert_eq!(UpdateBookError::from_error(&e), Some(UpdateBookError::Conflict));
    assert_eq!(requests(&server).await.len(), 1, "a PATCH answered 409 is not sent again");
}

#[tokio::test]
async fn a_500_with_a_text_body_is_an_api_error_keeping_the_body() {
    let server = MockServer::start().await;
    let body = "<html><body>upstream exploded</body></html>";
    answer(&server, "GET", "/books/bk_0193", ResponseTemplate::new(500).set_body_raw(body, "text/html")).await;

    let e = client(&server).books().get_book("bk_0193").send().await.unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(500));
    assert_eq!(e.http_status(), Some(500));
    assert_eq!(e.message(), "HTTP 500", "no JSON message to show: the status");
    assert_eq!(e.raw_body(), Some(body.as_bytes()));
    assert_eq!(GetBookError::from_error(&e), None, "500 is not a documented error of the operation");
    assert_eq!(e.documented(), None);
    assert_eq!(requests(&server).await.len(), 1, "500 is not one of the statuses retried");
}

#[tokio::test]
async fn a_2xx_answer_that_does_not_match_the_schema_is_a_decode_error_keeping_the_body() {
    let server = MockServer::start().await;
    // `id` is a number and the required `author`, `genre` and `price_cents` are missing.
    let body = br#"{"id": 193, "title": "Salt Roads"}"#;
    answer(&server, "GET", "/books/bk_0193", ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json")).await;

    let e = client(&server).books().get_book("bk_0193").send().await.unwrap_err();

    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.http_status(), Some(200));
    assert_eq!(e.code(), None);
    assert_eq!(e.raw_body(), Some(&body[..]));
    assert!(e.message().starts_with("the answer does not match the spec"), "{}", e.message());
    assert!(std::error::Error::source(&*e).is_some(), "serde's error is the source");
    assert_eq!(GetBookError::from_error(&e), None);
}

#[tokio::test]
async fn the_operation_without_security_sends_no_authorization() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/status", ResponseTemplate::new(200).set_body_json(json!({"open": true, "hours": {"opens": "09:00", "closes": "18:30"}}))).await;

    let status = client(&server).store().get_status().send().await.unwrap();

    let request = the_request(&server).await;
    assert_eq!(header(&request, "authorization"), None, "`security: []`: no token, even with a static one set");
    assert!(status.open);
    // The `oneOf` without discriminator is free-form JSON: either alternative decodes.
    assert_eq!(status.hours, Some(json!({"opens": "09:00", "closes": "18:30"})));
    server.reset().await;
    answer(&server, "GET", "/status", ResponseTemplate::new(200).set_body_json(json!({"open": false, "hours": "closed for stocktaking"}))).await;
    let status = client(&server).store().get_status().send().await.unwrap();
    assert_eq!((status.open, status.hours), (false, Some(json!("closed for stocktaking"))));
}

#[tokio::test]
async fn a_secured_call_without_any_token_fails_before_sending() {
    let server = MockServer::start().await;
    let no_token = bookshop::Client::builder().base_url(server.uri()).build().unwrap();

    let e = no_token.books().get_book("bk_0193").send().await.unwrap_err();

    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.message().contains("shop_token_access_token"), "{}", e.message());
    assert!(requests(&server).await.is_empty());
    // Without security, no token is needed.
    answer(&server, "GET", "/status", ResponseTemplate::new(200).set_body_json(json!({"open": true}))).await;
    assert_eq!(no_token.store().get_status().send().await.unwrap().hours, None);
}

#[tokio::test]
async fn multipart_upload_sends_the_file_part_with_its_name_as_octet_stream() {
    let server = MockServer::start().await;
    answer(&server, "PUT", "/books/bk_0193/cover", ResponseTemplate::new(200).set_body_json(json!({"book_id": "bk_0193", "bytes": 13}))).await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\ncover!";

    let cover = client(&server).books().upload_cover("bk_0193", UploadFile::from_bytes("salt-roads.png", png.to_vec())).caption("Sea and a road").send().await.unwrap();

    assert_eq!((cover.book_id.as_str(), cover.bytes, cover.content_type), ("bk_0193", 13, None));
    let request = the_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    let body = &request.body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    // No content type given: the part says application/octet-stream (not text/plain).
    assert!(
        contains(b"Content-Disposition: form-data; name=\"image\"; filename=\"salt-roads.png\"\r\nContent-Type: application/octet-stream\r\n\r\n"),
        "{}",
        String::from_utf8_lossy(body)
    );
    assert!(contains(png), "the file's bytes are in the body");
    assert!(contains(format!("Content-Disposition: form-data; name=\"caption\"\r\n\r\nSea and a road\r\n--{boundary}").as_bytes()));
    assert_eq!(String::from_utf8_lossy(body).matches(&format!("--{boundary}")).count(), 3, "two parts, then the closing boundary");
}

#[tokio::test]
async fn download_returns_the_bytes() {
    let server = MockServer::start().await;
    let image: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x01\xffcover-bytes";
    answer(&server, "GET", "/books/bk_0193/cover", ResponseTemplate::new(200).set_body_raw(image.to_vec(), "application/octet-stream")).await;
    answer(&server, "GET", "/books/bk_0404/cover", ResponseTemplate::new(404).set_body_json(json!({"message": "no such book"}))).await;
    let shop = client(&server);

    let download = shop.books().download_cover("bk_0193").send().await.unwrap();

    assert_eq!(&download.bytes[..], image);
    assert_eq!(download.content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(download.file_name, None);
    let streamed = shop.books().download_cover("bk_0193").send_stream().await.unwrap();
    assert_eq!(&streamed.bytes().await.unwrap()[..], image);
    for request in requests(&server).await {
        assert_eq!((request.method.as_str(), header(&request, "authorization")), ("GET", Some(format!("Bearer {TOKEN}").as_str())));
    }

    let e = shop.books().download_cover("bk_0404").send().await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.message()), (ErrorKind::Api, Some(404), "no such book"));
    assert_eq!(DownloadCoverError::from_error(&e), Some(DownloadCoverError::BookNotFound));
    let e = shop.books().download_cover("bk_0404").send_stream().await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Api, Some(404)), "the streamed download fails the same way");
    assert_eq!(DownloadCoverError::from_error(&e), Some(DownloadCoverError::BookNotFound));
}
