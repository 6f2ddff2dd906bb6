//! Decoding the specs' own response examples.
//!
//! * `decode/<spec>`: for the operations of `DECODERS` (the 56 of the first spec set, one per
//!   family; criterion over all 2,000 would take hours, and that every example decodes is
//!   `tests/examples.rs`'s job) that have a response example (read through `codegen::load`, named
//!   through `codegen::analyze`), the example's bytes decoded with the
//!   generated `<Op>Request::decode(200, bytes)` (envelope check, then payload) and with
//!   `serde_json::from_slice::<serde_json::Value>`. The two seed operations also get a
//!   hand-written serde struct of the whole answer (envelope included), and a `skim` pass
//!   (`serde::de::IgnoredAny`), which is what one extra walk over the body costs.
//! * `payload/<seed>`: the `data` object alone (same bytes for both sides), decoded into the
//!   generated type and into a hand-written struct with the same fields, types and Option-ness:
//!   the apples-to-apples ratio (target: generated / hand-written ≤ 1.05).
//!
//! Run: `cargo bench -p generated-client --bench decode`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Hand-written structs of the two seed answers, as a user writing serde by hand would.

/// Feishu `GET /open-apis/acs/v1/users/{user_id}`.
#[derive(Debug, Deserialize)]
struct FeishuGetUserEnvelope {
    code: i64,
    #[allow(dead_code)]
    msg: String,
    data: Option<FeishuGetUserData>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FeishuGetUserData {
    user: Option<FeishuUser>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FeishuUser {
    feature: Option<FeishuFeature>,
    user_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FeishuFeature {
    card: Option<i64>,
    face_uploaded: Option<bool>,
}

/// Authing `GET /api/v3/get-user`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AuthingGetUserEnvelope {
    status_code: i64,
    message: String,
    request_id: Option<String>,
    api_code: Option<i64>,
    data: Option<AuthingUserDto>,
}

/// The generated `UserDto`, field for field; open enums are plain `String`s here.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AuthingUserDto {
    user_id: String,
    created_at: String,
    updated_at: String,
    status: String,
    work_status: String,
    external_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    phone_country_code: Option<String>,
    username: Option<String>,
    name: Option<String>,
    nickname: Option<String>,
    photo: Option<String>,
    logins_count: Option<i64>,
    last_login: Option<String>,
    last_ip: Option<String>,
    gender: String,
    email_verified: bool,
    phone_verified: bool,
    password_last_set_at: Option<String>,
    birthdate: Option<String>,
    country: Option<String>,
    province: Option<String>,
    city: Option<String>,
    address: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    company: Option<String>,
    browser: Option<String>,
    device: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    middle_name: Option<String>,
    profile: Option<String>,
    preferred_username: Option<String>,
    website: Option<String>,
    zoneinfo: Option<String>,
    locale: Option<String>,
    formatted: Option<String>,
    region: Option<String>,
    user_source_type: String,
    user_source_id: Option<String>,
    last_login_app: Option<String>,
    main_department_id: Option<String>,
    last_mfa_time: Option<String>,
    password_security_level: Option<i64>,
    reset_password_on_next_login: Option<bool>,
    register_source: Option<Vec<String>>,
    department_ids: Option<Vec<String>>,
    identities: Option<Vec<AuthingIdentityDto>>,
    identity_number: Option<String>,
    custom_data: Option<Value>,
    post_id_list: Option<Vec<String>>,
    status_changed_at: Option<String>,
    tenant_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AuthingIdentityDto {
    identity_id: String,
    ext_idp_id: String,
    provider: String,
    r#type: String,
    user_id_in_idp: String,
    user_info_in_idp: Option<Value>,
    access_token: Option<String>,
    refresh_token: Option<String>,
    origin_conn_ids: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The generated decoder of every operation, by `<vendor module>::<service module>::<Op>Request`.

type Decode = fn(&[u8]) -> bool;

macro_rules! decoders {
    ($($vendor:ident :: $service:ident :: $request:ident),* $(,)?) => {
        &[$((
            concat!(stringify!($vendor), "::", stringify!($service), "::", stringify!($request)),
            (|bytes: &[u8]| generated_client::$vendor::$service::$request::decode(200, bytes).is_ok()) as Decode,
        )),*]
    };
}

const DECODERS: &[(&str, Decode)] = decoders![
    authing::management_users::CheckSessionStatusRequest,
    authing::management_users::CreateUserRequest,
    authing::management_users::CreateUsersBatchRequest,
    authing::management_users::DeleteUserSyncRelationsRequest,
    authing::management_users::DeleteUsersBatchRequest,
    authing::management_tokens::GetManagementTokenRequest,
    authing::management_users::GetMfaStatusRequest,
    authing::management_users::GetOtpSecretByUserRequest,
    authing::management_users::GetUserAccessibleAppsRequest,
    authing::management_users::GetUserAuthorizedAppsRequest,
    authing::management_users::GetUserAuthorizedResourcesRequest,
    authing::management_users::GetUserBatchRequest,
    authing::management_users::GetUserDepartmentsRequest,
    authing::management_users::GetUserGroupsRequest,
    authing::management_users::GetUserIdentitiesRequest,
    authing::management_users::GetUserLoggedInIdentitiesRequest,
    authing::management_users::GetUserLoggedinAppsRequest,
    authing::management_users::GetUserLoginHistoryRequest,
    authing::management_users::GetUserMfaInfoRequest,
    authing::management_users::GetUserPasswordCiphertextRequest,
    authing::management_users::GetUserPrincipalAuthenticationInfoRequest,
    authing::management_users::GetUserRolesRequest,
    authing::management_users::GetUserSyncRelationsRequest,
    authing::management_users::GetUserRequest,
    authing::management_users::HasAnyRoleRequest,
    authing::management_users::ImportOtpRequest,
    authing::management_users::IsUserExistsRequest,
    authing::management_users::KickUsersRequest,
    authing::management_users::LinkIdentityRequest,
    authing::management_users::ListArchivedUsersRequest,
    authing::management_users::ListUsersRequest,
    authing::management_users::ResetUserPrincipalAuthenticationInfoRequest,
    authing::management_users::ResignUserBatchRequest,
    authing::management_users::ResignUserRequest,
    authing::management_users::SetMfaStatusRequest,
    authing::management_users::SetUserDepartmentsRequest,
    authing::management_users::UnlinkIdentityRequest,
    authing::management_users::UpdateUserBatchRequest,
    authing::management_users::UpdateUserRequest,
    feishu::acs_v1::ListAccessRecordRequest,
    feishu::acs_v1::ListDeviceRequest,
    feishu::acs_v1::CreateRuleExternalRequest,
    feishu::acs_v1::DeleteRuleExternalRequest,
    feishu::acs_v1::BindRuleExternalDeviceRequest,
    feishu::acs_v1::GetRuleExternalRequest,
    feishu::acs_v1::GetUserRequest,
    feishu::acs_v1::ListUserRequest,
    feishu::acs_v1::PatchUserRequest,
    feishu::acs_v1::UpdateUserFaceRequest,
    feishu::acs_v1::CreateVisitorRequest,
    feishu::acs_v1::DeleteVisitorRequest,
    feishu::auth_v3::CreateAppAccessTokenRequest,
    feishu::auth_v3::AppAccessTokenInternalRequest,
    feishu::auth_v3::ResendAppTicketRequest,
    feishu::auth_v3::CreateTenantAccessTokenRequest,
    feishu::auth_v3::TenantAccessTokenInternalRequest,
];

const FEISHU_SEED: &str = "feishu/acs/v1/user/get";
const AUTHING_SEED: &str = "authing/management/users/get-user";

struct Example {
    /// `<vendor dir>/<path under it>`, e.g. `feishu/acs/v1/user/get`.
    spec: String,
    bytes: Vec<u8>,
    decode: Decode,
}

/// The operations of `DECODERS` with their response examples. Panics when a decoder of the
/// table has no operation with an example, so the bench cannot silently shrink.
fn examples() -> Vec<Example> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("specs do not load:\n{}", d.render()));
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for vendor in &set.vendors {
        for op in &vendor.operations {
            if let Some(example) = &op.response_example {
                texts.insert(format!("{}/{}", vendor.dir, op.rel_path), example.value.clone());
            }
        }
    }
    let api = codegen::analyze(&specs, Path::new("specs")).into_result().unwrap_or_else(|d| panic!("specs do not check:\n{}", d.render()));
    let decoders: BTreeMap<&str, Decode> = DECODERS.iter().copied().collect();
    let mut out = Vec::new();
    for vendor in &api.vendors {
        for service in &vendor.services {
            for op in &service.operations {
                let spec_file = op.spec_file.replace('\\', "/");
                let Some((spec, text)) = texts.iter().find(|(rel, _)| spec_file.ends_with(&format!("/{rel}.yaml"))) else { continue };
                let key = format!("{}::{}::{}Request", vendor.module, service.module, op.name);
                let Some(&decode) = decoders.get(key.as_str()) else { continue };
                let bytes = text.as_bytes().to_vec();
                assert!(decode(&bytes), "{spec}: the generated decoder refuses the spec's own example");
                out.push(Example { spec: spec.clone(), bytes, decode });
            }
        }
    }
    // Every decoder of the table is used: an operation renamed or gone fails here, not silently.
    assert_eq!(out.len(), DECODERS.len(), "every decoder of DECODERS has an operation with a response example");
    out
}

fn seeds_hand_written_full(spec: &str, bytes: &[u8]) -> Option<bool> {
    match spec {
        FEISHU_SEED => Some(serde_json::from_slice::<FeishuGetUserEnvelope>(bytes).is_ok_and(|e| e.code == 0 && e.data.is_some())),
        AUTHING_SEED => Some(serde_json::from_slice::<AuthingGetUserEnvelope>(bytes).is_ok_and(|e| e.status_code == 200 && e.data.is_some())),
        _ => None,
    }
}

fn data_bytes(example: &[u8], field: &str) -> Vec<u8> {
    let value: Value = serde_json::from_slice(example).expect("example is JSON");
    serde_json::to_vec(&value[field]).expect("data serializes")
}

fn bench_decode(c: &mut Criterion) {
    let examples = examples();
    eprintln!("decode: {} operations with a response example", examples.len());
    for ex in &examples {
        let seed = ex.spec == FEISHU_SEED || ex.spec == AUTHING_SEED;
        let mut group = c.benchmark_group(format!("decode/{}", ex.spec));
        group.throughput(Throughput::Bytes(ex.bytes.len() as u64));
        if seed {
            group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
        } else {
            // 56 operations × 2 variants: kept short so the whole run stays within minutes.
            group.sample_size(20).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
        }
        let bytes = ex.bytes.as_slice();
        let decode = ex.decode;
        group.bench_function(BenchmarkId::new("generated", bytes.len()), |b| b.iter(|| decode(black_box(bytes))));
        if seed {
            let spec = ex.spec.as_str();
            assert_eq!(seeds_hand_written_full(spec, bytes), Some(true), "{spec}: hand-written struct refuses the example");
            group.bench_function(BenchmarkId::new("hand_written", bytes.len()), |b| b.iter(|| seeds_hand_written_full(spec, black_box(bytes))));
            group.bench_function(BenchmarkId::new("skim_ignored_any", bytes.len()), |b| b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(bytes)).is_ok()));
        }
        group.bench_function(BenchmarkId::new("value", bytes.len()), |b| b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).is_ok()));
        group.finish();
    }
}

fn bench_payload(c: &mut Criterion) {
    let examples = examples();
    let example = |spec: &str| examples.iter().find(|e| e.spec == spec).map(|e| e.bytes.clone()).expect("seed example");

    let feishu = data_bytes(&example(FEISHU_SEED), "data");
    serde_json::from_slice::<generated_client::feishu::acs_v1::GetUserResponse>(&feishu).expect("generated type decodes the payload");
    serde_json::from_slice::<FeishuGetUserData>(&feishu).expect("hand-written type decodes the payload");
    let mut group = c.benchmark_group("payload/feishu-acs-v1-user-get");
    group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(feishu.len() as u64));
    group.bench_function("generated", |b| b.iter(|| serde_json::from_slice::<generated_client::feishu::acs_v1::GetUserResponse>(black_box(&feishu)).is_ok()));
    group.bench_function("hand_written", |b| b.iter(|| serde_json::from_slice::<FeishuGetUserData>(black_box(&feishu)).is_ok()));
    group.finish();

    let authing = data_bytes(&example(AUTHING_SEED), "data");
    serde_json::from_slice::<generated_client::authing::UserDto>(&authing).expect("generated type decodes the payload");
    serde_json::from_slice::<AuthingUserDto>(&authing).expect("hand-written type decodes the payload");
    let mut group = c.benchmark_group("payload/authing-management-get-user");
    group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(authing.len() as u64));
    group.bench_function("generated", |b| b.iter(|| serde_json::from_slice::<generated_client::authing::UserDto>(black_box(&authing)).is_ok()));
    group.bench_function("hand_written", |b| b.iter(|| serde_json::from_slice::<AuthingUserDto>(black_box(&authing)).is_ok()));
    group.finish();
}

criterion_group!(benches, bench_payload, bench_decode);
criterion_main!(benches);
