//! Property test: every generated response decoder, fed arbitrary bytes and mutated versions of
//! its spec's own example, returns a typed result and never panics; errors keep the HTTP status
//! and a bounded prefix of the raw body.
//!
//! Bounded for CI (256 cases per property); run longer with
//! `PROPTEST_CASES=100000 cargo test -p generated-client --test decode_props`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use generated_client::runtime::{ErrorKind, RAW_BODY_LIMIT};
use generated_client::{authing, feishu};
use proptest::prelude::*;
use serde_json::Value;

type Decoder = fn(u16, &[u8]) -> Result<(), generated_client::runtime::Error>;

/// Every generated decoder, with the spec whose example feeds it.
fn decoders() -> Vec<(&'static str, Decoder)> {
    vec![
        ("feishu/acs/v1/user/get", |s, b| feishu::acs_v1::GetUserRequest::decode(s, b).map(drop).map_err(feishu::Error::into_inner)),
        ("feishu/auth/v3/tenant_access_token/internal", |s, b| feishu::auth_v3::TenantAccessTokenInternalRequest::decode(s, b).map(drop).map_err(feishu::Error::into_inner)),
        ("authing/management/users/get-user", |s, b| common::management::GetUserRequest::decode(s, b).map(drop).map_err(authing::Error::into_inner)),
        ("authing/management/tokens/get-management-token", |s, b| common::management::GetManagementTokenRequest::decode(s, b).map(drop).map_err(authing::Error::into_inner)),
    ]
}

/// What any answer, however broken, must produce: a value, or an error that says what came back.
fn check_outcome(spec: &str, status: u16, body: &[u8], outcome: Result<(), generated_client::runtime::Error>) -> Result<(), TestCaseError> {
    if let Err(e) = outcome {
        prop_assert!(matches!(e.kind(), ErrorKind::Decode | ErrorKind::Api), "{spec}: unexpected kind {:?}", e.kind());
        prop_assert_eq!(e.http_status(), Some(status));
        let raw = e.raw_body().unwrap_or_default();
        prop_assert!(raw.len() <= RAW_BODY_LIMIT);
        prop_assert_eq!(raw, &body[..body.len().min(RAW_BODY_LIMIT)]);
        prop_assert!(!e.to_string().is_empty());
    }
    Ok(())
}

/// Every JSON pointer into a value, the root included.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| pointers(v, format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{here}/{i}"), out)),
        _ => {}
    }
}

/// A value of another kind than the one it replaces, or an edge of the same kind.
fn replacement(kind: u8) -> Value {
    match kind % 9 {
        0 => Value::Null,
        1 => Value::from(0),
        2 => Value::from(""),
        3 => Value::from(true),
        4 => serde_json::json!([]),
        5 => serde_json::json!({}),
        6 => Value::from(u64::MAX),
        7 => Value::from(-1.5e300),
        _ => Value::from("[\"json\",\"in\",\"a\",\"string\"]"),
    }
}

/// Applies mutations chosen by `picks` to a copy of `example`, then cuts the text at `cut` when set.
fn mutate(example: &Value, picks: &[(u32, u8, bool)], cut: Option<u32>) -> Vec<u8> {
    let mut doc = example.clone();
    for &(at, kind, remove) in picks {
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let target = &all[at as usize % all.len()];
        if remove && !target.is_empty() {
            let (parent, last) = target.rsplit_once('/').unwrap();
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) if !items.is_empty() => {
                    let i: usize = last.parse().unwrap_or(0).min(items.len() - 1);
                    items.remove(i);
                }
                _ => {}
            }
        } else if let Some(slot) = doc.pointer_mut(target) {
            *slot = replacement(kind);
        }
    }
    let mut text = serde_json::to_vec(&doc).unwrap();
    if let Some(cut) = cut {
        text.truncate(cut as usize % (text.len() + 1));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        for (spec, decode) in decoders() {
            check_outcome(spec, status, &body, decode(status, &body))?;
        }
    }

    #[test]
    fn json_shaped_noise_never_panics(body in "[{}\\[\\]\":,0-9a-zA-Z\\-. ]{0,200}", status in prop_oneof![Just(200u16), Just(400), Just(500)]) {
        for (spec, decode) in decoders() {
            check_outcome(spec, status, body.as_bytes(), decode(status, body.as_bytes()))?;
        }
    }

    #[test]
    fn mutated_spec_examples_never_panic(
        picks in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<bool>()), 1..4),
        cut in proptest::option::weighted(0.3, any::<u32>()),
        status in prop_oneof![Just(200u16), Just(400), Just(502)],
    ) {
        for (spec, decode) in decoders() {
            let body = mutate(&common::response_example(spec), &picks, cut);
            check_outcome(spec, status, &body, decode(status, &body))?;
        }
    }
}

#[test]
fn every_spec_example_decodes_whatever_the_http_status() {
    for (spec, decode) in decoders() {
        let body = serde_json::to_vec(&common::response_example(spec)).unwrap();
        for status in [200, 400, 500] {
            decode(status, &body).unwrap_or_else(|e| panic!("{spec} with HTTP {status}: {e}"));
        }
    }
}

#[test]
fn a_huge_answer_keeps_only_a_bounded_raw_body() {
    let mut body = br#"{"code":0,"msg":"ok","data":{"user":{"user_id":""#.to_vec();
    body.resize(8 * 1024 * 1024, b'x');
    let err = feishu::acs_v1::GetUserRequest::decode(200, &body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.raw_body().map(<[u8]>::len), Some(RAW_BODY_LIMIT));
}
