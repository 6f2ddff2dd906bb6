//! Access tokens: fetched with the vendor's exchange call, cached, refreshed before expiry, and
//! loaded once however many calls wait for one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue};

use super::client::Inner;
use super::decode;
use super::error::{Error, ErrorKind};
use super::profile::{ExchangeSpec, TokenSpec};
use super::secret::Secret;

/// A token and the headers that go with it.
#[derive(Debug)]
pub(crate) struct Issued {
    pub token: Secret,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// `None` for a static token, which never expires here.
    pub expires_at: Option<Instant>,
}

/// One slot per token kind the client fetches itself.
#[derive(Debug)]
pub(crate) struct TokenCache {
    slots: Vec<Slot>,
}

#[derive(Debug)]
struct Slot {
    kind: &'static str,
    /// Loads finished so far, successful or not.
    loads: AtomicU64,
    // Held across the fetch: concurrent callers wait for the one fetch instead of starting theirs.
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Debug, Default)]
struct SlotState {
    cached: Option<Arc<Issued>>,
    /// The last failed load and its number: callers that were waiting for it share its error
    /// instead of each trying again.
    failure: Option<(u64, Error)>,
}

impl TokenCache {
    pub fn new(kinds: impl Iterator<Item = &'static str>) -> TokenCache {
        TokenCache { slots: kinds.map(|kind| Slot { kind, loads: AtomicU64::new(0), state: tokio::sync::Mutex::new(SlotState::default()) }).collect() }
    }

    pub fn preset(&mut self, kind: &str, issued: Issued) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.kind == kind) {
            slot.state = tokio::sync::Mutex::new(SlotState { cached: Some(Arc::new(issued)), failure: None });
        }
    }

    /// A valid token of `kind`: the cached one, or a fresh one when it is missing or due.
    pub async fn get(&self, inner: &Inner, spec: &'static TokenSpec, exchange: &'static ExchangeSpec) -> Result<Arc<Issued>, Error> {
        let Some(slot) = self.slots.iter().find(|s| s.kind == spec.name) else {
            return Err(Error::new(ErrorKind::Config, inner.profile.name, format!("no token slot for `{}`", spec.name)));
        };
        let seen = slot.loads.load(Ordering::SeqCst);
        let mut state = slot.state.lock().await;
        if let Some(issued) = state.cached.as_ref()
            && issued.fresh(inner.refresh_margin)
        {
            return Ok(issued.clone());
        }
        if let Some((load, error)) = &state.failure
            && *load > seen
        {
            return Err(error.clone());
        }
        match fetch_with_retries(inner, exchange).await {
            Ok(issued) => {
                let issued = Arc::new(issued);
                state.cached = Some(issued.clone());
                state.failure = None;
                slot.loads.fetch_add(1, Ordering::SeqCst);
                Ok(issued)
            }
            Err(error) => {
                let load = slot.loads.fetch_add(1, Ordering::SeqCst) + 1;
                state.failure = Some((load, error.clone()));
                Err(error)
            }
        }
    }

    /// Drops `stale` if it is still the cached token; says whether a new one can be fetched.
    pub async fn invalidate(&self, kind: &str, stale: &Arc<Issued>) -> bool {
        if stale.expires_at.is_none() {
            return false;
        }
        if let Some(slot) = self.slots.iter().find(|s| s.kind == kind) {
            let mut state = slot.state.lock().await;
            if state.cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, stale)) {
                state.cached = None;
            }
        }
        true
    }
}

impl Issued {
    /// Usable for at least `margin` more. (A lifetime too large for the clock was stored as no
    /// expiry; a margin too large for it means every token is due.)
    fn fresh(&self, margin: Duration) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => Instant::now().checked_add(margin).is_some_and(|due| due < at),
        }
    }
}

/// The exchange trades credentials for a token and changes nothing on the server, so it is
/// retried like an idempotent call, under the client's retry policy.
async fn fetch_with_retries(inner: &Inner, exchange: &'static ExchangeSpec) -> Result<Issued, Error> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match fetch(inner, exchange).await {
            Ok(issued) => return Ok(issued),
            Err(error) => error,
        };
        // The exchange changes nothing on the server: retried under the rules of an idempotent call.
        match super::retry::verdict(&inner.retry, inner.profile, super::profile::Method::Get, &error, attempt) {
            super::retry::Verdict::GiveUp => return Err(error.with_attempts(attempt)),
            super::retry::Verdict::RetryAfter(wait) => {
                tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "token fetch failed; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

async fn fetch(inner: &Inner, exchange: &'static ExchangeSpec) -> Result<Issued, Error> {
    let vendor = inner.profile.name;
    let token_error = |message: String| Error::new(ErrorKind::Token, vendor, message);
    // An answer that is not the documented JSON, or that refuses: filed as `Token`, retried as
    // what it was on the wire.
    let answer_error = |wire: ErrorKind, message: String| Error::new(wire, vendor, message).into_kind(ErrorKind::Token);
    let mut body = serde_json::Map::new();
    for (field, credential) in exchange.body {
        let Some(value) = inner.credential(credential) else {
            return Err(token_error(format!("credential `{credential}` is not set")).into_kind(ErrorKind::Config));
        };
        body.insert((*field).to_owned(), value.expose().into());
    }
    let url = format!("{}{}", inner.base_url, exchange.path);
    let request = inner
        .http
        .request(exchange.method.to_reqwest(), &url)
        .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
        .headers(inner.default_headers.clone())
        .body(serde_json::Value::Object(body).to_string());
    let response = request.send().await.map_err(|e| super::client::transport_error(vendor, e).into_kind(ErrorKind::Token))?;
    let status = response.status().as_u16();
    let header_id = inner.request_id_from_headers(response.headers());
    let bytes = response.bytes().await.map_err(|e| super::client::transport_error(vendor, e).into_kind(ErrorKind::Token))?;
    let request_id = match &inner.profile.envelope {
        Some(env) => {
            let head = decode::head(&bytes, env, inner.profile.request_id_field).map_err(|e| {
                answer_error(ErrorKind::Decode, format!("the token endpoint's answer is not the documented JSON: {e}")).with_http(status, header_id.clone(), &bytes).with_source(e)
            })?;
            let request_id = header_id.or(head.request_id.clone());
            if head.code != Some(env.success) {
                return Err(answer_error(ErrorKind::Api, head.message.unwrap_or_else(|| "the token endpoint refused the credentials".to_owned()))
                    .with_codes(head.code, head.sub_code)
                    .with_http(status, request_id, &bytes));
            }
            request_id
        }
        // A plain HTTP API: the status decides.
        None if !(200..300).contains(&status) => {
            return Err(answer_error(ErrorKind::Api, format!("the token endpoint refused the credentials (HTTP {status})"))
                .with_codes(Some(i64::from(status)), None)
                .with_http(status, header_id, &bytes));
        }
        None => header_id,
    };
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| token_error(e.to_string()).with_http(status, request_id.clone(), &bytes))?;
    let lookup = |path: &[&str]| path.iter().try_fold(&json, |v, k| v.get(k));
    let token = lookup(exchange.token)
        .and_then(|v| v.as_str())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| token_error(format!("the token endpoint's answer has no token at `{}`", exchange.token.join("."))).with_http(status, request_id.clone(), &bytes))?;
    let lifetime = lookup(exchange.expires_in)
        .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
        .ok_or_else(|| token_error(format!("the token endpoint's answer has no lifetime at `{}`", exchange.expires_in.join("."))).with_http(status, request_id.clone(), &bytes))?;
    let token = Secret::new(token);
    let headers = bound_headers(inner, exchange, &token);
    // A lifetime past what the clock can hold means no expiry in practice.
    Ok(Issued { token, headers, expires_at: Instant::now().checked_add(Duration::from_secs(lifetime)) })
}

/// The headers sent beside a token: a claim of the token read as an unverified JWT, else a credential.
pub(crate) fn bound_headers(inner: &Inner, exchange: &ExchangeSpec, token: &Secret) -> Vec<(HeaderName, HeaderValue)> {
    let mut out = Vec::new();
    for h in exchange.headers {
        let value = h.jwt_claim.and_then(|claim| jwt_claim(token.expose(), claim)).or_else(|| h.credential.and_then(|c| inner.credential(c)).map(|s| s.expose().to_owned()));
        let (Some(value), Ok(name)) = (value, HeaderName::from_bytes(h.name.as_bytes())) else { continue };
        if let Ok(mut value) = HeaderValue::from_str(&value) {
            value.set_sensitive(true);
            out.push((name, value));
        }
    }
    out
}

fn jwt_claim(token: &str, claim: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.get(claim)?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::jwt_claim;
    use base64::Engine;

    #[test]
    fn reads_a_claim_without_checking_the_signature() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"scoped_userpool_id":"pool-1"}"#);
        let token = format!("eyJhbGciOiJIUzI1NiJ9.{payload}.signature");
        assert_eq!(jwt_claim(&token, "scoped_userpool_id").as_deref(), Some("pool-1"));
        assert_eq!(jwt_claim(&token, "other"), None);
        assert_eq!(jwt_claim("not-a-jwt", "scoped_userpool_id"), None);
    }
}
