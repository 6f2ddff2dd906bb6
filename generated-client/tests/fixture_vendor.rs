//! The made-up vendor `acme` (codegen/tests/fixtures/specs/acme), whose specs use every construct
//! of the spec format, expanded here by the `generate!` macro as a downstream crate would (the
//! same code `codegen/tests/snapshots.rs` pins and `codegen/tests/equivalence.rs` compares), and
//! called against a server on 127.0.0.1, asserting the exact requests it sends and how it reads
//! the answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The tests call most of the generated API, not all of it (timeouts, `into_inner`, …).
#[allow(dead_code)]
mod generated {
    generated_client::generate!("../codegen/tests/fixtures/specs/acme");
}
use generated::acme;

use std::collections::BTreeMap;
use std::path::Path;

use acme::shop_v2::{
    Channel, Colour, CreateProductDimensions, CreateProductDimensionsUnit, CreateProductStockByWarehouse, CreateProductType, GetProductError, ListOrderItemError,
    ProductAvailability, ProductKind, ProductStatus, SearchProductRating, SortOrder, UploadProductImageCrop, VariantInput,
};
use acme::{Currency, Money, PostalAddress, PostalAddressGeo, ShippingSpeed};
use generated_client::runtime::{ErrorKind, UploadFile};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "acme_cli_1";
const CLIENT_SECRET: &str = "s3cr3t";

/// A JWT (unsigned; the client never checks signatures) whose payload carries `tenant_id`.
fn jwt(tenant: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.{}", b64(r#"{"alg":"none"}"#), b64(&format!(r#"{{"tenant_id":"{tenant}","sub":"app"}}"#)), b64("sig"))
}

fn client(server: &MockServer) -> acme::Client {
    acme::Client::builder().client_id(CLIENT_ID).client_secret(CLIENT_SECRET).base_url(server.uri()).build().unwrap()
}

/// Mounts the token exchange endpoint, which answers with the flat envelope.
async fn token_endpoint(server: &MockServer, token: &str, expected_calls: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_json(json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "code": 0, "message": "ok", "access_token": token, "expires_in": 3600, "token_type": "Bearer"
        })))
        .expect(expected_calls)
        .mount(server)
        .await;
}

fn ok(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok", "request_id": "r-ok", "data": data}))
}

/// Mounts an answer for any request with this method and (encoded) path.
async fn answer(server: &MockServer, http_method: &str, request_path: &str, response: ResponseTemplate) {
    Mock::given(method(http_method)).and(path(request_path)).respond_with(response).mount(server).await;
}

/// The one request the server received for `request_path` (token requests aside).
async fn the_request(server: &MockServer, request_path: &str) -> Request {
    let mut requests: Vec<Request> = server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == request_path).collect();
    assert_eq!(requests.len(), 1, "expected exactly one request to {request_path}");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn product_json() -> Value {
    json!({
        "id": 42,
        "store_id": "north/main shop",
        "name": "Desk lamp",
        "type": "physical",
        "displayName": "The lamp",
        "price": {"amount": 1999, "currency": "usd"},
        "status": 1,
        "tags": ["light"],
        "attributes": {"colour": "red"},
        "metadata": {"cost": 800, "notes": [1, 2]},
        "weight_kg": 1.25,
        "ships_from": {"line1": "1 Dock Road", "city": "Tianjin", "备注": "ring twice"},
        "self": "https://api.acme.example/v2/stores/north/products/42",
        "3d_model_url": "https://img.acme.example/lamp.glb",
        "availability": "backorder"
    })
}

#[tokio::test]
async fn get_sends_encoded_path_headers_and_bound_tenant_header() {
    let server = MockServer::start().await;
    let token = jwt("tenant-7");
    token_endpoint(&server, &token, 1).await;
    let product_path = "/v2/stores/north%2Fmain%20shop/products/42";
    answer(&server, "GET", product_path, ok(product_json())).await;

    let acme = client(&server);
    let product = acme
        .shop()
        .v2()
        .product()
        .get("north/main shop", 42, acme::shop_v2::GetProductRequired { x_acme_locale: "zh-CN".into() })
        .currency(Currency::Cny)
        .x_acme_trace_depth(2)
        .x_acme_channel(Channel::App)
        .send()
        .await
        .unwrap();

    let request = the_request(&server, product_path).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.query(), Some("currency=cny"));
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {token}").as_str()));
    assert_eq!(header(&request, "x-acme-tenant"), Some("tenant-7"), "the bound header comes from the token's claim");
    assert_eq!(header(&request, "x-acme-locale"), Some("zh-CN"));
    assert_eq!(header(&request, "x-acme-trace-depth"), Some("2"));
    assert_eq!(header(&request, "x-acme-channel"), Some("app"));
    assert_eq!(header(&request, "x-acme-member-token"), None);
    assert!(request.body.is_empty());

    assert_eq!(product.id, 42);
    assert_eq!(product.store_id, "north/main shop");
    assert_eq!(product.r#type, ProductKind::Physical);
    assert_eq!(product.display_name.as_deref(), Some("The lamp"));
    assert_eq!(product.price, Money { amount: 1999, currency: Currency::UsDollar });
    assert_eq!(product.status, ProductStatus::Active);
    assert_eq!(product.tags, Some(vec!["light".to_owned()]));
    assert_eq!(product.attributes.as_ref().and_then(|a| a.get("colour")).map(String::as_str), Some("red"));
    assert_eq!(product.metadata, Some(json!({"cost": 800, "notes": [1, 2]})));
    assert_eq!(product.weight_kg, Some(1.25));
    let ships_from = product.ships_from.as_ref().unwrap();
    assert_eq!(ships_from.remark.as_deref(), Some("ring twice"));
    assert_eq!(ships_from.postcode, None);
    assert_eq!(product.self_.as_deref(), Some("https://api.acme.example/v2/stores/north/products/42"));
    assert_eq!(product._3d_model_url.as_deref(), Some("https://img.acme.example/lamp.glb"));
    assert_eq!(product.availability, Some(ProductAvailability::Backorder));

    // A second call reuses the cached token (`expect(1)` on the token endpoint).
    acme.shop().v2().product().get("north/main shop", 42, acme::shop_v2::GetProductRequired { x_acme_locale: "en".into() }).send().await.unwrap();
}

#[tokio::test]
async fn the_bound_header_falls_back_to_the_credential_when_the_token_is_not_a_jwt() {
    let server = MockServer::start().await;
    token_endpoint(&server, "opaque-token", 1).await;
    answer(&server, "POST", "/admin/cache/purge", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok"}))).await;

    client(&server).admin().cache().purge().send().await.unwrap();

    let request = the_request(&server, "/admin/cache/purge").await;
    assert_eq!(header(&request, "authorization"), Some("Bearer opaque-token"));
    assert_eq!(header(&request, "x-acme-tenant"), Some(CLIENT_ID));
    // An operation without inputs and without response data: an empty POST, and `()` back.
    assert_eq!(header(&request, "content-length"), Some("0"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_static_token_gets_its_bound_header_too() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/admin/cache/purge", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok"}))).await;
    let token = jwt("tenant-static");
    let acme = acme::Client::builder().static_token(token.clone()).base_url(server.uri()).build().unwrap();

    acme.admin().cache().purge().send().await.unwrap();

    let request = the_request(&server, "/admin/cache/purge").await;
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {token}").as_str()));
    assert_eq!(header(&request, "x-acme-tenant"), Some("tenant-static"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no token exchange with a static token");
}

#[tokio::test]
async fn a_token_given_for_its_kind_is_sent_without_credentials_or_exchange() {
    let server = MockServer::start().await;
    answer(&server, "POST", "/admin/cache/purge", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok"}))).await;
    let token = jwt("tenant-shared");
    let acme = acme::Client::builder().static_token_for("app", token.clone()).base_url(server.uri()).build().unwrap();

    acme.admin().cache().purge().send().await.unwrap();

    let request = the_request(&server, "/admin/cache/purge").await;
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {token}").as_str()));
    assert_eq!(header(&request, "x-acme-tenant"), Some("tenant-shared"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no token exchange for a kind given its token");

    // A kind the client does not fetch (the member token is passed per request) is a
    // configuration error that names the kinds it does fetch.
    let e = acme::Client::builder().static_token_for("member", "m-1").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("`member` is not a token kind this client fetches (it fetches `app`)"), "{e}");
}

#[tokio::test]
async fn search_writes_every_scalar_and_each_array_style() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "GET", "/v2/products", ok(json!({"items": [product_json()], "total": 1, "facets": {"brands": {"acme": 1}}}))).await;

    let page = client(&server)
        .shop()
        .v2()
        .product()
        .search("desk lamp")
        .page(2)
        .cursor(9_007_199_254_740_993)
        .min_price(9.5)
        .in_stock(true)
        .currency(Currency::V1x)
        .sort(SortOrder::PriceAsc)
        .status(ProductStatus::Retired)
        .rating(SearchProductRating::V5)
        .tags(vec!["a b".to_owned(), "c&d".to_owned()])
        .ids(vec![1, 2])
        .colors(vec![Colour::Red, Colour::Blue])
        .sizes(vec![38, 42])
        .brand("acme & co")
        .regions(vec!["eu".to_owned(), "us".to_owned()])
        .send()
        .await
        .unwrap();

    let request = the_request(&server, "/v2/products").await;
    assert_eq!(
        request.url.query(),
        Some(concat!(
            "q=desk+lamp&page=2&cursor=9007199254740993&min_price=9.5&in_stock=true&currency=1x",
            "&sort=price_asc&status=2&rating=5",
            "&tags=a+b&tags=c%26d",           // repeat
            "&ids%5B%5D=1&ids%5B%5D=2",       // brackets: ids[]=1&ids[]=2
            "&colors=red%2Cblue",             // comma: colors=red,blue
            "&sizes=%5B38%2C42%5D",           // json: sizes=[38,42], numbers unquoted
            "&filter%5Bbrand%5D=acme+%26+co", // input `brand`, wire name `filter[brand]`
            "&regions=eu&regions=us",         // no style: repeat
        ))
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert!(pairs.contains(&("ids[]".to_owned(), "1".to_owned())));
    assert!(pairs.contains(&("colors".to_owned(), "red,blue".to_owned())));
    assert!(pairs.contains(&("sizes".to_owned(), "[38,42]".to_owned())));

    assert_eq!(page.total, 1);
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.facets.as_ref().map(|f| f.brands.get("acme").copied()), Some(Some(1)));
    assert_eq!(page.items[0].id, 42);

    // Only the inputs that were set are sent.
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "GET", "/v2/products", ok(json!({"items": [], "total": 0}))).await;
    client(&server).shop().v2().product().search("lamp").send().await.unwrap();
    assert_eq!(the_request(&server, "/v2/products").await.url.query(), Some("q=lamp"));
}

#[tokio::test]
async fn create_sends_the_json_body() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    let created = json!({"id": 43, "store_id": "north", "name": "Desk lamp", "type": "physical", "price": {"amount": 1999, "currency": "usd"}, "status": 0});
    answer(&server, "POST", "/v2/stores/north/products", ok(created)).await;

    let product = client(&server)
        .shop()
        .v2()
        .product()
        .create(
            "north",
            acme::shop_v2::CreateProductRequired { name: "Desk lamp".into(), r#type: CreateProductType::Physical, price: Money { amount: 1999, currency: Currency::UsDollar } },
        )
        .display_name("The lamp")
        .status(ProductStatus::Draft)
        .dimensions(CreateProductDimensions { width_cm: 20.0, height_cm: 45.5, depth_cm: None, unit: Some(CreateProductDimensionsUnit::In) })
        .variants(vec![
            VariantInput { sku: "LAMP-RED".to_owned(), stock: Some(5), price_override: None },
            VariantInput { sku: "LAMP-GOLD".to_owned(), stock: None, price_override: Some(Money { amount: 2499, currency: Currency::Eur }) },
        ])
        .attributes(BTreeMap::from([("material".to_owned(), "steel".to_owned())]))
        .stock_by_warehouse(BTreeMap::from([
            ("TSN".to_owned(), CreateProductStockByWarehouse { on_hand: 12, speed: Some(ShippingSpeed::Express) }),
            ("PEK".to_owned(), CreateProductStockByWarehouse { on_hand: 0, speed: None }),
        ]))
        .metadata(json!({"source": "import", "batch": 7}))
        .tags(vec!["light".to_owned(), "desk".to_owned()])
        .ships_from(PostalAddress {
            line1: "1 Dock Road".to_owned(),
            city: "Tianjin".to_owned(),
            postcode: Some("300000".to_owned()),
            remark: Some("ring twice".to_owned()),
            geo: Some(PostalAddressGeo { lat: 39.1, lng: 117.2 }),
        })
        .send()
        .await
        .unwrap();

    let request = the_request(&server, "/v2/stores/north/products").await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(header(&request, "authorization"), Some("Bearer tok"));
    assert_eq!(request.url.query(), None);
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({
            "name": "Desk lamp",
            "type": "physical",
            "displayName": "The lamp",
            "price": {"amount": 1999, "currency": "usd"},
            "status": 0,
            "dimensions": {"width_cm": 20.0, "height_cm": 45.5, "unit": "in"},
            "variants": [
                {"sku": "LAMP-RED", "stock": 5},
                {"sku": "LAMP-GOLD", "price_override": {"amount": 2499, "currency": "eur"}}
            ],
            "attributes": {"material": "steel"},
            "stock_by_warehouse": {"PEK": {"on_hand": 0}, "TSN": {"on_hand": 12, "speed": 10000000002_i64}},
            "metadata": {"source": "import", "batch": 7},
            "tags": ["light", "desk"],
            "ships_from": {"line1": "1 Dock Road", "city": "Tianjin", "postcode": "300000", "备注": "ring twice", "geo": {"lat": 39.1, "lng": 117.2}}
        })
    );
    assert_eq!(product.id, 43);
    assert_eq!(product.status, ProductStatus::Draft);
}

#[tokio::test]
async fn path_parameters_of_every_kind_and_a_scalar_payload() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "GET", "/v2/prices/12.5/1x/true", ok(json!(1_234_567_890_123_i64))).await;

    let converted = client(&server).shop().v2().price().convert(12.5, Currency::V1x, true).speed(ShippingSpeed::Express).send().await.unwrap();

    assert_eq!(converted, 1_234_567_890_123);
    let request = the_request(&server, "/v2/prices/12.5/1x/true").await;
    assert_eq!(request.url.query(), Some("speed=10000000002"));
}

#[tokio::test]
async fn put_and_patch_send_their_bodies() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "PUT", "/admin/settings", ok(json!({"default_currency": "eur", "updated_at": "2024-11-02T08:00:00Z"}))).await;
    answer(&server, "PATCH", "/v2/orders/A-1001/items/LAMP%20RED", ok(json!({"sku": "LAMP RED", "quantity": 3, "unit_price": {"amount": 1999, "currency": "usd"}}))).await;
    let acme = client(&server);

    let settings = acme
        .admin()
        .settings()
        .update("eur")
        .free_shipping_over(Money { amount: 5000, currency: Currency::Eur })
        .order_limits(BTreeMap::from([("LAMP-RED".to_owned(), 3)]))
        .send()
        .await
        .unwrap();
    assert_eq!(settings.default_currency, Currency::Eur);
    let request = the_request(&server, "/admin/settings").await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({"default_currency": "eur", "free_shipping_over": {"amount": 5000, "currency": "eur"}, "order_limits": {"LAMP-RED": 3}})
    );

    let item = acme.shop().v2().order().item().update("A-1001", "LAMP RED", 3).member_access_token("m-1").send().await.unwrap();
    assert_eq!(item.quantity, 3);
    let request = the_request(&server, "/v2/orders/A-1001/items/LAMP%20RED").await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.body_json::<Value>().unwrap(), json!({"quantity": 3}));
    assert_eq!(header(&request, "x-acme-member-token"), Some("m-1"));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn delete_returns_unit() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "DELETE", "/v2/stores/north/products/42", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "deleted"}))).await;

    let () = client(&server).shop().v2().product().delete("north", 42).hard(true).send().await.unwrap();

    let request = the_request(&server, "/v2/stores/north/products/42").await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.query(), Some("hard=true"));
}

#[tokio::test]
async fn upload_sends_a_multipart_body() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "POST", "/v2/products/42/images", ok(json!({"image_id": "img-1", "url": "https://img.acme.example/img-1.png", "bytes": 8}))).await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\nlamp-pixels";

    let uploaded = client(&server)
        .shop()
        .v2()
        .product()
        .image()
        .upload(42, UploadFile::from_bytes("lamp.png", png.to_vec()).content_type("image/png"), 0)
        .alt_text("A red desk lamp")
        .primary(true)
        .kind("photo")
        .labels(vec!["front".to_owned(), "red".to_owned()])
        .crop(UploadProductImageCrop { x: 10, y: 20, size: 300 })
        .send()
        .await
        .unwrap();

    assert_eq!(uploaded.image_id, "img-1");
    assert_eq!(uploaded.bytes, Some(8));
    let request = the_request(&server, "/v2/products/42/images").await;
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    let body = &request.body;
    let contains = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"Content-Disposition: form-data; name=\"file\"; filename=\"lamp.png\"\r\nContent-Type: image/png\r\n\r\n"));
    assert!(contains(png), "the file's bytes are in the body");
    for (name, value) in
        [("position", "0"), ("alt_text", "A red desk lamp"), ("primary", "true"), ("kind", "photo"), ("labels", r#"["front","red"]"#), ("crop", r#"{"x":10,"y":20,"size":300}"#)]
    {
        let part = format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n--{boundary}");
        assert!(contains(part.as_bytes()), "text field {name}={value}");
    }
    assert!(!contains(b"name=\"thumbnail\""), "unset optional parts are left out");
    assert_eq!(String::from_utf8_lossy(body).matches(&format!("--{boundary}")).count(), 8, "seven parts, then the closing boundary");
}

#[tokio::test]
async fn download_returns_the_bytes_and_the_file_name() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    let image: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x01binary";
    answer(
        &server,
        "GET",
        "/v2/products/42/images/img-1",
        ResponseTemplate::new(200)
            .insert_header("content-type", "image/png")
            .insert_header("content-disposition", "attachment; filename=\"lamp.png\"; filename*=UTF-8''%E5%8F%B0%E7%81%AF.png")
            .set_body_bytes(image),
    )
    .await;
    answer(
        &server,
        "GET",
        "/v2/products/42/images/gone",
        ResponseTemplate::new(404).insert_header("x-acme-request-id", "req-dl").set_body_json(json!({"code": 404, "sub_code": 404001, "message": "no such image"})),
    )
    .await;
    let acme = client(&server);

    let download = acme.shop().v2().product().image().download(42, "img-1").size("thumb").send().await.unwrap();
    assert_eq!(&download.bytes[..], image);
    assert_eq!(download.file_name.as_deref(), Some("台灯.png"));
    assert_eq!(download.content_type.as_deref(), Some("image/png"));
    assert_eq!(the_request(&server, "/v2/products/42/images/img-1").await.url.query(), Some("size=thumb"));

    let e = acme.shop().v2().product().image().download(42, "gone").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some(404001));
    assert_eq!(e.message(), "no such image");
    assert_eq!(e.request_id(), Some("req-dl"));
}

#[tokio::test]
async fn a_member_only_operation_needs_the_member_token() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/v2/orders/A-1001/items", ok(json!({"items": [{"sku": "LAMP-RED", "quantity": 1, "unit_price": {"amount": 1999, "currency": "usd"}}]}))).await;
    let acme = client(&server);

    let e = acme.shop().v2().order().item().list("A-1001").limit(5).send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.message().contains("member_access_token"), "{}", e.message());
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent, not even a token exchange");

    let page = acme.shop().v2().order().item().list("A-1001").limit(5).member_access_token("m-123").send().await.unwrap();
    assert_eq!(page.items[0].sku, "LAMP-RED");
    let request = the_request(&server, "/v2/orders/A-1001/items").await;
    assert_eq!(request.url.query(), Some("limit=5"));
    assert_eq!(header(&request, "x-acme-member-token"), Some("m-123"), "the member token has no prefix");
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "x-acme-tenant"), None, "bound headers go with the app token only");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no token exchange for a member-only operation");
}

#[tokio::test]
async fn an_operation_taking_either_token_uses_the_member_token_when_given() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    let order = json!({"id": "A-1001", "items": [], "total": {"amount": 0, "currency": "cny"}});
    answer(&server, "GET", "/v2/orders/A-1001", ok(order)).await;
    let acme = client(&server);

    acme.shop().v2().order().get("A-1001").member_access_token("m-9").send().await.unwrap();
    let order = acme.shop().v2().order().get("A-1001").send().await.unwrap();
    assert_eq!(order.total.currency, Currency::Cny);

    let requests: Vec<Request> = server.received_requests().await.unwrap().into_iter().filter(|r| r.url.path() == "/v2/orders/A-1001").collect();
    assert_eq!(requests.len(), 2);
    assert_eq!(header(&requests[0], "x-acme-member-token"), Some("m-9"));
    assert_eq!(header(&requests[0], "authorization"), None);
    assert_eq!(header(&requests[1], "x-acme-member-token"), None);
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer tok"));
}

#[tokio::test]
async fn api_errors_map_to_the_documented_error_enum() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(
        &server,
        "GET",
        "/v2/stores/north/products/1",
        ResponseTemplate::new(404).set_body_json(json!({"code": 404, "sub_code": 404001, "message": "product not found", "request_id": "req-body-1"})),
    )
    .await;
    answer(
        &server,
        "GET",
        "/v2/stores/north/products/2",
        ResponseTemplate::new(200)
            .insert_header("X-Acme-Request-Id", "req-header-2")
            .set_body_json(json!({"code": 403002, "message": "store is closed", "request_id": "req-body-2"})),
    )
    .await;
    answer(&server, "GET", "/v2/stores/north/products/3", ResponseTemplate::new(500).set_body_json(json!({"code": 500, "sub_code": "500100", "message": "服务内部错误"}))).await;
    answer(&server, "GET", "/v2/stores/north/products/4", ResponseTemplate::new(400).set_body_json(json!({"code": 400, "sub_code": 400999, "message": "bad"}))).await;
    let acme = client(&server);
    let get = |id: i64| acme.shop().v2().product().get("north", id, acme::shop_v2::GetProductRequired { x_acme_locale: "en".into() }).send();

    let e = get(1).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(GetProductError::from_error(&e), Some(GetProductError::ProductNotFound));
    assert_eq!(e.code(), Some(404001));
    assert_eq!(e.envelope_code(), Some(404));
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.request_id(), Some("req-body-1"), "the request id from the body field");
    assert_eq!(e.hint(), Some("Check that the product belongs to the store in the path."));
    assert_eq!(e.operation(), Some("GetProduct"));
    assert_eq!(e.message(), "product not found");

    let e = get(2).await.unwrap_err();
    assert_eq!(GetProductError::from_error(&e), Some(GetProductError::StoreIsClosed), "a code with no sub-code is the code");
    assert_eq!(e.request_id(), Some("req-header-2"), "the header wins over the body field");
    assert_eq!(e.http_status(), Some(200), "the envelope code decides, not the HTTP status");

    let e = get(3).await.unwrap_err();
    assert_eq!(GetProductError::from_error(&e), Some(GetProductError::Code500100), "a sub-code written as a string");
    assert_eq!(GetProductError::Code500100.code(), 500100);

    let e = get(4).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(GetProductError::from_error(&e), None, "undocumented codes stay on the error");
    assert_eq!(e.code(), Some(400999));
    assert!(e.documented().is_none());

    // The same for an operation called with the member token.
    answer(&server, "GET", "/v2/orders/B-2/items", ResponseTemplate::new(403).set_body_json(json!({"code": 40301, "message": "the order belongs to another member"}))).await;
    let e = acme.shop().v2().order().item().list("B-2").member_access_token("m-1").send().await.unwrap_err();
    assert_eq!(ListOrderItemError::from_error(&e), Some(ListOrderItemError::NotYourOrder));
}

#[tokio::test]
async fn a_refused_token_is_replaced_and_the_call_retried_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok", "access_token": "old", "expires_in": 3600})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint(&server, "new", 1).await;
    Mock::given(method("POST"))
        .and(path("/admin/cache/purge"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 40101, "message": "token expired"})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    answer(&server, "POST", "/admin/cache/purge", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok"}))).await;

    client(&server).admin().cache().purge().send().await.unwrap();

    let auth: Vec<String> =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/admin/cache/purge").map(|r| header(r, "authorization").unwrap().to_owned()).collect();
    assert_eq!(auth, ["Bearer old", "Bearer new"]);
}

#[tokio::test]
async fn the_flat_token_endpoint_can_be_called_directly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_json(json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET, "scope": "shop:read"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok", "access_token": "tok", "expires_in": 3600, "token_type": "Bearer"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_json(json!({"clientId": CLIENT_ID, "clientSecret": "wrong"})))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 40001, "message": "client id or secret is wrong"})))
        .mount(&server)
        .await;
    let acme = client(&server);

    let issued =
        acme.admin().token().issue(acme::admin::IssueTokenRequired { client_id: CLIENT_ID.into(), client_secret: CLIENT_SECRET.into() }).scope("shop:read").send().await.unwrap();
    assert_eq!(issued.access_token, "tok");
    assert_eq!(issued.expires_in, 3600);
    assert_eq!(issued.token_type.as_deref(), Some("Bearer"));
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(request, "authorization"), None, "the exchange operation takes no token");

    let e = acme.admin().token().issue(acme::admin::IssueTokenRequired { client_id: CLIENT_ID.into(), client_secret: "wrong".into() }).send().await.unwrap_err();
    assert_eq!(acme::admin::IssueTokenError::from_error(&e), Some(acme::admin::IssueTokenError::BadCredentials));
    assert_eq!(e.hint(), Some("Copy the secret again from the console; it is shown only once."));
}

#[tokio::test]
async fn the_self_referential_tree_decodes() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    let tree = json!([
        {"id": 1, "name": "Home", "children": [
            {"id": 2, "name": "Lamps", "parent": {"id": 1, "name": "Home"}, "children": []}
        ]}
    ]);
    answer(&server, "GET", "/v2/categories/tree", ok(tree.clone())).await;

    let roots = client(&server).shop().v2().category().tree().depth(2).send().await.unwrap();

    assert_eq!(the_request(&server, "/v2/categories/tree").await.url.query(), Some("depth=2"));
    assert_eq!(roots.len(), 1);
    let lamps = &roots[0].children.as_ref().unwrap()[0];
    assert_eq!(lamps.name, "Lamps");
    assert_eq!(lamps.parent.as_ref().map(|p| p.id), Some(1));
    assert_eq!(serde_json::to_value(&roots).unwrap(), tree, "and encodes back to the same JSON");
}

#[tokio::test]
async fn unknown_enum_values_round_trip() {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    let product = json!({
        "id": 7,
        "store_id": "north",
        "name": "Gift card",
        "type": "subscription",
        "price": {"amount": 100, "currency": "btc"},
        "status": 7
    });
    answer(&server, "GET", "/v2/stores/north/products/7", ok(product.clone())).await;

    let decoded = client(&server)
        .shop()
        .v2()
        .product()
        .get("north", 7, acme::shop_v2::GetProductRequired { x_acme_locale: "en".into() })
        .currency("btc")
        .x_acme_channel("kiosk")
        .send()
        .await
        .unwrap();

    assert_eq!(decoded.r#type, ProductKind::Unknown("subscription".to_owned()));
    assert_eq!(decoded.price.currency, Currency::Unknown("btc".to_owned()));
    assert_eq!(decoded.status, ProductStatus::Unknown(7));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), product, "unknown values are sent back unchanged");
    let request = the_request(&server, "/v2/stores/north/products/7").await;
    assert_eq!(request.url.query(), Some("currency=btc"));
    assert_eq!(header(&request, "x-acme-channel"), Some("kiosk"));

    // The value literally named `Unknown`, a value starting with a digit, and integers as strings.
    assert_eq!(Currency::from("Unknown"), Currency::Unknown_);
    assert_eq!(Currency::Unknown_.as_str(), "Unknown");
    assert_eq!(serde_json::from_value::<Currency>(json!("1x")).unwrap(), Currency::V1x);
    assert_eq!(serde_json::from_value::<Currency>(json!("azure-ad")).unwrap(), Currency::AzureAd);
    assert_eq!(serde_json::from_value::<ProductStatus>(json!("2")).unwrap(), ProductStatus::Retired);
    assert_eq!(serde_json::to_value(SearchProductRating::from(3)).unwrap(), json!(3));
    assert_eq!(SearchProductRating::V1.value(), 1);
}

/// The response example written in the spec decodes into the generated type.
#[tokio::test]
async fn the_spec_example_decodes() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/specs");
    let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("fixture specs do not load:\n{}", d.render()));
    let op = set.vendors.iter().flat_map(|v| &v.operations).find(|o| o.rel_path == "shop/v2/product/get").expect("the get spec");
    let example: Value = serde_json::from_str(&op.response_example.as_ref().expect("an example").value).unwrap();

    let server = MockServer::start().await;
    token_endpoint(&server, "tok", 1).await;
    answer(&server, "GET", "/v2/stores/north%2Fmain/products/42", ResponseTemplate::new(200).set_body_json(example)).await;

    let product = client(&server).shop().v2().product().get("north/main", 42, acme::shop_v2::GetProductRequired { x_acme_locale: "en".into() }).send().await.unwrap();
    assert_eq!(product.name, "Desk lamp");
    assert_eq!(product.price.currency, Currency::UsDollar);
}

#[test]
fn types_that_refer_to_each_other_are_boxed_and_round_trip() {
    let wire = json!({"id": "b1", "promotion": {"name": "spring", "flagship": {"id": "b0"}}});
    let bundle: acme::shop_v2::Bundle = serde_json::from_value(wire.clone()).unwrap();
    let flagship = bundle.promotion.as_ref().and_then(|p| p.flagship.as_ref()).unwrap();
    assert_eq!(flagship.id, "b0");
    assert_eq!(serde_json::to_value(&bundle).unwrap(), wire);
}

#[tokio::test]
#[allow(deprecated)] // `warm` is the fixture's deprecated operation; it still works.
async fn a_json_body_with_every_field_unset_is_an_empty_object() {
    let server = MockServer::start().await;
    token_endpoint(&server, "opaque-token", 1).await;
    answer(&server, "POST", "/admin/cache/warm", ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok"}))).await;
    let acme = client(&server);

    acme.admin().cache().warm().send().await.unwrap();
    acme.admin().cache().warm().priority(3).send().await.unwrap();

    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/admin/cache/warm")
        .map(|r| {
            assert_eq!(r.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json; charset=utf-8"));
            serde_json::from_slice(&r.body).unwrap()
        })
        .collect();
    assert_eq!(bodies, [json!({}), json!({"priority": 3})]);
}

/// Answers a cursor-paged list: three pages, the last one with `has_more: false`.
struct CursorPages;

impl wiremock::Respond for CursorPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request.url.query_pairs().find(|(k, _)| k == "page_token").map(|(_, v)| v.into_owned());
        let (sku, next, more) = match token.as_deref() {
            None => ("A", "t2", true),
            Some("t2") => ("B", "t3", true),
            Some("t3") => ("C", "", false),
            Some(other) => return ResponseTemplate::new(200).set_body_json(json!({"code": 40001, "message": format!("bad token {other}")})),
        };
        let item = |n: usize| json!({"sku": format!("{sku}{n}"), "quantity": n, "unit_price": {"amount": 990, "currency": "CNY"}});
        ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok", "data": {"items": [item(1), item(2)], "page_token": next, "has_more": more}}))
    }
}

#[tokio::test]
async fn a_cursor_list_streams_every_item_across_three_pages_lazily() {
    use generated_client::runtime::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v2/orders/A-1001/items")).respond_with(CursorPages).mount(&server).await;
    let acme = client(&server);

    let request = acme.shop().v2().order().item().list("A-1001").limit(2).member_access_token("m-1");
    let mut items = Box::pin(request.clone().items());
    // Nothing is fetched until the stream is polled.
    assert!(server.received_requests().await.unwrap().is_empty());
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.sku, "A1");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "one page fetched for the first item");
    let mut skus = vec![first.sku];
    while let Some(item) = items.next().await {
        skus.push(item.unwrap().sku);
    }
    assert_eq!(skus, ["A1", "A2", "B1", "B2", "C1", "C2"]);
    let tokens: Vec<Option<String>> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.query_pairs().find(|(k, _)| k == "page_token").map(|(_, v)| v.into_owned())).collect();
    assert_eq!(tokens, [None, Some("t2".to_owned()), Some("t3".to_owned())], "each page asks for the token the previous one gave");

    let pages: Vec<_> = request.pages().collect().await;
    assert_eq!(pages.len(), 3, "the empty token of the third page ends the list");
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    use generated_client::runtime::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/orders/A-1001/items"))
        .respond_with(ResponseTemplate::new(200).insert_header("x-acme-request-id", "rq-p1").set_body_json(json!({"code": 0, "message": "ok", "data": {"items": [{"sku": "A1", "quantity": 1, "unit_price": {"amount": 990, "currency": "CNY"}}], "page_token": "bad", "has_more": true}})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v2/orders/A-1001/items")).respond_with(CursorPages).mount(&server).await;
    let acme = client(&server);

    let results: Vec<_> = acme.shop().v2().order().item().list("A-1001").member_access_token("m-1").items().collect().await;

    assert_eq!(results.len(), 2, "the first page's item, then the error; nothing after it");
    assert_eq!(results[0].as_ref().unwrap().sku, "A1");
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(err.code(), Some(40001));
}

#[tokio::test]
async fn a_numbered_list_stops_at_the_total() {
    use generated_client::runtime::StreamExt;
    let server = MockServer::start().await;
    token_endpoint(&server, &jwt("t-1"), 1).await;
    struct NumberedPages;
    impl wiremock::Respond for NumberedPages {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let page: usize = request.url.query_pairs().find(|(k, _)| k == "page").map_or(0, |(_, v)| v.parse().unwrap());
            let entries: Vec<Value> = (0..if page < 3 { 2 } else { 1 }).map(|i| json!({"at": format!("p{page}-{i}"), "action": "x"})).collect();
            ResponseTemplate::new(200).set_body_json(json!({"code": 0, "message": "ok", "data": {"list": entries, "totalCount": 5}}))
        }
    }
    Mock::given(method("GET")).and(path("/admin/audit")).respond_with(NumberedPages).mount(&server).await;
    let acme = client(&server);

    let entries: Vec<String> = acme.admin().audit().list().limit(2).items().map(|e| e.unwrap().at).collect().await;

    assert_eq!(entries, ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0"]);
    let pages: Vec<String> =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/admin/audit").map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(pages, ["page=1&limit=2", "page=2&limit=2", "page=3&limit=2"], "five items of a total of five: no fourth request");
}

#[tokio::test]
async fn a_download_streams_in_chunks_with_its_file_name() {
    use generated_client::runtime::StreamExt;
    let server = MockServer::start().await;
    token_endpoint(&server, &jwt("t-1"), 1).await;
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v2/products/42/images/big"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-disposition", "attachment; filename=\"big.bin\"").set_body_raw(bytes.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let acme = client(&server);

    let mut download = acme.shop().v2().product().image().download(42, "big").send_stream().await.unwrap();
    assert_eq!(download.file_name.as_deref(), Some("big.bin"));
    assert_eq!(download.content_length, Some(300_000));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = download.body.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(received, bytes);
    assert!(chunks >= 1);
}
