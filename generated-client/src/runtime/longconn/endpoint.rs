//! The endpoint exchange: the app's credentials for a one-time WebSocket URL and the server's
//! connection settings. The URL carries a ticket, so it is kept in a [`Secret`] and only its
//! host is ever shown.

use std::time::Duration;

use serde::Deserialize;

use super::config::ServerConfig;
use super::error::{Failure, LongConnectionError};
use crate::runtime::Secret;

/// The path of the endpoint exchange under the open platform's base URL.
pub const ENDPOINT_PATH: &str = "/callback/ws/endpoint";

/// The endpoint answers larger than this are refused (a real one is a few hundred bytes).
const ANSWER_LIMIT: usize = 64 * 1024;

/// Codes that mean "busy, try again"; any other code but 0 is final.
const BUSY_CODES: [i64; 2] = [1, 1_000_040_343];

/// Where and how to connect, as the endpoint answered.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// `ws://` or `wss://`, with the connection's `device_id`, `service_id`, `access_key` and
    /// `ticket` in its query.
    pub url: Secret,
    /// The host of the URL: the only part that may be logged.
    pub host: String,
    pub secure: bool,
    /// The `service_id` of the URL's query, echoed in every ping (0 if absent).
    pub service_id: i32,
    pub config: Option<ServerConfig>,
}

#[derive(Deserialize)]
struct Answer {
    code: i64,
    #[serde(default)]
    msg: String,
    data: Option<AnswerData>,
}

#[derive(Deserialize)]
struct AnswerData {
    #[serde(rename = "URL")]
    url: Option<Secret>,
    #[serde(rename = "ClientConfig")]
    client_config: Option<ServerConfig>,
}

/// Asks `{base}/callback/ws/endpoint` for a connection URL.
pub(crate) async fn fetch(http: &reqwest::Client, base: &str, app_id: &str, app_secret: &Secret, timeout: Duration) -> Result<Endpoint, Failure> {
    let body = serde_json::json!({ "AppID": app_id, "AppSecret": app_secret.expose() });
    let request = http.post(format!("{}{ENDPOINT_PATH}", base.trim_end_matches('/'))).header("locale", "zh").json(&body).timeout(timeout);
    let mut response = request.send().await.map_err(|e| Failure::Retry(format!("the endpoint request failed: {}", e.without_url())))?;
    let status = response.status();
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() <= ANSWER_LIMIT => bytes.extend_from_slice(&chunk),
            Ok(Some(_)) => return Err(Failure::Retry(format!("the endpoint answer (HTTP {status}) is larger than {ANSWER_LIMIT} bytes"))),
            Ok(None) => break,
            Err(e) => return Err(Failure::Retry(format!("the endpoint answer (HTTP {status}) could not be read: {}", e.without_url()))),
        }
    }
    let answer: Answer = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Retry(format!("the endpoint answer (HTTP {status}) is not its JSON envelope ({:?} at line {} column {})", e.classify(), e.line(), e.column())))?;
    match answer.code {
        0 => {}
        code if BUSY_CODES.contains(&code) => return Err(Failure::Retry(format!("the endpoint is busy: code {code}: {}", answer.msg))),
        code => return Err(Failure::Fatal(LongConnectionError::EndpointRefused { code, msg: answer.msg })),
    }
    let data = answer.data.ok_or_else(|| Failure::Retry("the endpoint answered code 0 without `data`".to_owned()))?;
    let url = data.url.ok_or_else(|| Failure::Retry("the endpoint answered code 0 without `data.URL`".to_owned()))?;
    let parsed = reqwest::Url::parse(url.expose()).map_err(|e| Failure::Retry(format!("the endpoint's connection URL does not parse: {e}")))?;
    let secure = match parsed.scheme() {
        "wss" => true,
        "ws" => false,
        other => return Err(Failure::Retry(format!("the endpoint's connection URL has scheme `{other}`, not ws or wss"))),
    };
    let host = parsed.host_str().unwrap_or_default().to_owned();
    let service_id = parsed.query_pairs().find(|(k, _)| k == "service_id").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    Ok(Endpoint { url, host, secure, service_id, config: data.client_config })
}
