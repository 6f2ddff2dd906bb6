//! The macro-generated client against a server on 127.0.0.1 that behaves like the made-up vendor.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use downstream::skyline;
use downstream::skyline::forecast_v1::{CityForecastError, Sky, Units};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server_with_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .and(body_json(serde_json::json!({"key": "app-1", "secret": "s3cret"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": 0, "detail": "ok", "result": {"token": "tok-9", "ttl": 600}})))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> skyline::Client {
    skyline::Client::builder().client_key("app-1").client_secret("s3cret").base_url(server.uri()).build().unwrap()
}

#[tokio::test]
async fn a_forecast_is_requested_exactly_and_decoded() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v1/cities/%E6%9D%AD%E5%B7%9E/days"))
        .and(query_param("days", "2"))
        .and(query_param("units", "imperial"))
        .and(header("authorization", "Bearer tok-9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": 0, "detail": "ok",
            "result": {"city": "杭州", "days": [
                {"date": "2026-11-22", "high": 63.5, "low": 48.2, "sky": "cloudy"},
                {"date": "2026-11-23", "high": 59.0, "low": 47.3, "sky": "hail"}
            ]}
        })))
        .mount(&server)
        .await;

    let forecast = client(&server).forecast().v1().city().days("杭州").days(2).units(Units::Imperial).send().await.unwrap();

    assert_eq!(forecast.city, "杭州");
    assert_eq!(forecast.days[0].sky, Some(Sky::Cloudy));
    assert_eq!(forecast.days[1].sky, Some(Sky::Unknown("hail".to_owned())), "enums are open");
    assert_eq!(forecast.days[1].high, 59.0);
}

#[tokio::test]
async fn the_crates_own_api_works_on_top() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v1/cities/Oslo/days"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": 0, "detail": "ok",
            "result": {"city": "Oslo", "days": [
                {"date": "2026-11-22", "high": 2.0, "low": -3.0, "sky": "clear"},
                {"date": "2026-11-23", "high": 1.0, "low": -4.0, "sky": "snow"}
            ]}
        })))
        .mount(&server)
        .await;

    assert!(downstream::umbrella_tomorrow(&client(&server), "Oslo").await.unwrap());
}

#[tokio::test]
async fn a_documented_error_is_typed_and_keeps_the_trace_id() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-skyline-trace", "tr-77").set_body_json(serde_json::json!({"status": 40401, "detail": "no such city"})))
        .mount(&server)
        .await;

    let err = client(&server).forecast().v1().city().days("Atlantis").send().await.unwrap_err();

    assert_eq!(CityForecastError::from_error(&err), Some(CityForecastError::UnknownCity));
    assert_eq!(err.request_id(), Some("tr-77"));
    assert_eq!(err.hint(), Some("Check the spelling or use the city's English name."));
}
