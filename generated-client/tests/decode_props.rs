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

/// The serde impls the generator writes out behave as serde's derive would, where a user notices:
/// wire names, unknown keys skipped, `null` and absent optional fields, a missing required field
/// and a key given twice refused with the field named.
#[test]
fn generated_structs_read_json_as_serde_derive_would() {
    let user = serde_json::json!({
        "userId": "u-1", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z",
        "status": "Activated", "workStatus": "Active", "gender": "U", "emailVerified": false,
        "phoneVerified": true, "userSourceType": "register", "email": "a@example.com", "loginsCount": 3
    });
    let decoded: authing::UserDto = serde_json::from_value(user.clone()).expect("the user decodes");
    assert_eq!(decoded.user_id, "u-1", "wire name userId read into user_id");
    assert_eq!(decoded.logins_count, Some(3));
    assert_eq!(decoded.email.as_deref(), Some("a@example.com"));

    // Unknown keys are skipped; `null` in an optional field is None.
    let mut extra = user.clone();
    extra["notInTheSpec"] = serde_json::json!({"deep": [1, 2, 3]});
    extra["email"] = Value::Null;
    let read: authing::UserDto = serde_json::from_value(extra).expect("unknown keys and null optionals are accepted");
    assert_eq!(read.email, None);
    assert_eq!(read.user_id, decoded.user_id);

    // A required field absent: serde's error, naming the wire name.
    let mut missing = user.clone();
    missing.as_object_mut().unwrap().remove("userId");
    let err = serde_json::from_value::<authing::UserDto>(missing).unwrap_err().to_string();
    assert!(err.contains("missing field `userId`"), "{err}");

    // A key given twice (only raw text can say so): refused, naming it.
    let text = serde_json::to_string(&user).unwrap();
    let twice = format!("{{\"userId\":\"first\",{}", &text[1..]);
    let err = serde_json::from_str::<authing::UserDto>(&twice).unwrap_err().to_string();
    assert!(err.contains("duplicate field `userId`"), "{err}");

    // Not an object: a typed error, not a panic.
    assert!(serde_json::from_str::<authing::UserDto>("[1,2]").is_err());
}

/// With `serialize-responses`, a type only answers carry writes back what it read, under the wire
/// names, leaving out absent optional fields.
#[cfg(feature = "serialize-responses")]
#[test]
fn answers_serialize_back_to_their_wire_names_with_serialize_responses() {
    let text = r#"{"userId":"u1","createdAt":"c","updatedAt":"u","status":"Activated","workStatus":"Active","gender":"M","emailVerified":true,"phoneVerified":false,"userSourceType":"register","email":null,"unknownKey":1}"#;
    let user: authing::UserDto = serde_json::from_str(text).expect("decodes");
    let back = serde_json::to_value(&user).unwrap();
    assert_eq!(back["userId"], "u1");
    assert_eq!(back["emailVerified"], true);
    assert!(back.get("email").is_none(), "an absent optional field is left out: {back}");
    assert!(back.get("unknownKey").is_none());
    let again: authing::UserDto = serde_json::from_value(back).unwrap();
    assert_eq!(again, user);
}
