//! Data-driven over every spec: each operation's call, built from its spec's examples by
//! `cargo xtask regen` (`tests/calls/<vendor>.rs`, from `codegen::calls`; see `tests/calls/mod.rs`), is sent to a server on
//! 127.0.0.1 that checks the request — method, path with its parameters, query, and the JSON body
//! (the request example) or the multipart parts — and answers with the spec's response example,
//! which must decode into the operation's typed answer. Every failure is collected and reported
//! together, by spec.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use generated_client::runtime::RetryPolicy;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod calls;

use calls::{Answer, Body, Case, authing, feishu};

const FILE_BYTES: &[u8] = b"\x89PNG example bytes";

#[tokio::test]
async fn every_feishu_operation_sends_its_example_and_decodes_the_answer() {
    let server = MockServer::start().await;
    let client = generated_client::feishu::Client::builder()
        .static_token("t-test")
        .static_token_for("app", "a-test")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    run(&server, feishu::cases(), client).await;
}

#[tokio::test]
async fn every_authing_operation_sends_its_example_and_decodes_the_answer() {
    let server = MockServer::start().await;
    let client = generated_client::authing::Client::builder().static_token("test-token").base_url(server.uri()).retry_policy(RetryPolicy::disabled()).build().unwrap();
    run(&server, authing::cases(), client).await;
}

async fn run<C: Clone>(server: &MockServer, cases: Vec<Case<C>>, client: C) {
    assert!(!cases.is_empty(), "no cases: are the services' features on?");
    let mut failures = Vec::new();
    for case in &cases {
        server.reset().await;
        let answer = match case.answer {
            Answer::Json(text) => ResponseTemplate::new(200).insert_header("content-type", "application/json").set_body_string(text),
            Answer::Binary => ResponseTemplate::new(200).insert_header("content-type", "application/octet-stream").set_body_bytes(FILE_BYTES),
        };
        Mock::given(any()).respond_with(answer).mount(server).await;
        let outcome = tokio::time::timeout(Duration::from_secs(10), (case.call)(client.clone())).await;
        let requests = server.received_requests().await.unwrap_or_default();
        let mut problems = match outcome {
            Ok(Ok(())) => Vec::new(),
            Ok(Err(e)) => vec![format!("the call failed: {e}")],
            Err(_) => vec!["the call did not finish within 10 s".to_owned()],
        };
        match requests.as_slice() {
            [request] => problems.extend(check(case, request)),
            other => problems.push(format!("{} requests were sent, not one", other.len())),
        }
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", case.spec, problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} operations:\n{}", failures.len(), cases.len(), failures.join("\n"));
    eprintln!("calls: {} operations sent their examples and decoded the answers", cases.len());
}

/// What differs between the request sent and the case's.
fn check<C>(case: &Case<C>, request: &Request) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method.as_str() != case.method {
        problems.push(format!("method {} instead of {}", request.method, case.method));
    }
    if request.url.path() != case.path {
        problems.push(format!("path {} instead of {}", request.url.path(), case.path));
    }
    let mut sent: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut expected: Vec<(String, String)> = case.query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    sent.sort();
    expected.sort();
    if sent != expected {
        problems.push(format!("query {sent:?} instead of {expected:?}"));
    }
    match case.body {
        Body::None => {}
        Body::Json(text) => {
            let want: Value = serde_json::from_str(text).unwrap();
            match serde_json::from_slice::<Value>(&request.body) {
                Ok(got) if same(&normal(got.clone()), &normal(want.clone())) => {}
                Ok(got) => problems.push(format!("body {got} instead of {want}")),
                Err(e) => problems.push(format!("the body is not JSON: {e}")),
            }
        }
        Body::Multipart(parts) => {
            let body = String::from_utf8_lossy(&request.body);
            for name in parts {
                if !body.contains(&format!("name=\"{name}\"")) {
                    problems.push(format!("no multipart part `{name}`"));
                }
            }
        }
    }
    problems
}

/// JSON without nulls (an unset optional field is left out, the example may show it as null).
fn normal(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, normal(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(normal).collect()),
        other => other,
    }
}

/// Equal JSON, numbers compared by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b))),
        _ => a == b,
    }
}
