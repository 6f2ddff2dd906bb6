//! Helpers shared by the integration tests: the specs' own examples, and vendor-like token endpoints.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod inputs;

/// Every item of Authing's management API, whichever module it is in: the vendor-wide types, and
/// the requests of each doc family.
#[allow(unused_imports)] // Each test binary uses some of them.
pub mod management {
    pub use generated_client::authing::management_tokens::*;
    pub use generated_client::authing::management_users::*;
    pub use generated_client::authing::*;
}

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every operation of `specs/`, read once through the codegen library, by `<vendor>/<path>`
/// (`feishu/acs/v1/user/get`), so tests use the specs' own examples and not copies of them.
pub fn operation(rel: &str) -> &'static codegen::spec::OperationFile {
    static OPS: OnceLock<HashMap<String, codegen::spec::OperationFile>> = OnceLock::new();
    let ops = OPS.get_or_init(|| {
        let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("specs do not load:\n{}", d.render()));
        set.vendors.into_iter().flat_map(|v| v.operations.into_iter().map(move |o| (format!("{}/{}", v.dir, o.rel_path), o))).collect()
    });
    ops.get(rel).unwrap_or_else(|| panic!("no spec {rel}"))
}

/// The response example of the operation whose spec file is `specs/<rel>.yaml`.
pub fn response_example(rel: &str) -> serde_json::Value {
    let text = &operation(rel).response_example.as_ref().unwrap_or_else(|| panic!("{rel} has no response example")).value;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel}: example is not JSON: {e}"))
}

/// The request example of the operation whose spec file is `specs/<rel>.yaml`.
pub fn request_example(rel: &str) -> serde_json::Value {
    let text = &operation(rel).request_example.as_ref().unwrap_or_else(|| panic!("{rel} has no request example")).value;
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel}: request example is not JSON: {e}"))
}

pub const FEISHU_TOKEN: &str = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

/// Mounts Feishu's self-built-app token endpoint, answering like the real one.
pub async fn feishu_token_endpoint(server: &MockServer, token: &str, expire: u64, expected_calls: u64) {
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/tenant_access_token/internal"))
        .and(body_json(serde_json::json!({"app_id": "cli_a", "app_secret": "s"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire
        })))
        .expect(expected_calls)
        .mount(server)
        .await;
}

/// A token shaped like Authing's: a JWT whose payload names the user pool.
pub fn authing_token(pool: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.{}", b64(r#"{"alg":"HS256","typ":"JWT"}"#), b64(&format!(r#"{{"scoped_userpool_id":"{pool}"}}"#)), b64("signature"))
}

/// Mounts Authing's management token endpoint, answering like the real one.
pub async fn authing_token_endpoint(server: &MockServer, token: &str, expected_calls: u64) {
    Mock::given(method("POST"))
        .and(path("/api/v3/get-management-token"))
        .and(body_json(serde_json::json!({"accessKeyId": "62a0ffffffffffffffffffff", "accessKeySecret": "s"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "statusCode": 200, "message": "", "data": {"access_token": token, "expires_in": 7200}
        })))
        .expect(expected_calls)
        .mount(server)
        .await;
}
