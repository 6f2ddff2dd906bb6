//! The token exchange: the call that trades the client's credentials for a token. It is sent
//! through the one pipeline like any other call (no token, a JSON body of credentials, the whole
//! answer read by the exchange's dotted paths); this module only builds it and reads its answer,
//! and derives the headers that go with the token it returns.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue};

use super::call::{Body, Call};
use super::client::Inner;
use super::error::{Error, ErrorKind};
use super::pipeline::{self, Read};
use super::profile::{ExchangeSpec, ResponseSpec};
use super::secret::Secret;
use super::token::Issued;

/// The future of a token fetch.
pub(crate) type Fetch<'a> = Pin<Box<dyn Future<Output = Result<Issued, Error>> + Send + 'a>>;

/// Fetches a token with `exchange`. Every failure is filed as kind `Token`, keeping what failed
/// on the wire (`Error::wire_kind`), which the retry policy reads.
///
/// Boxed, and its type written out: the exchange is sent through the pipeline that calls this,
/// so its future would otherwise contain itself.
pub(crate) fn fetch<'a>(inner: &'a Inner, exchange: &'static ExchangeSpec) -> Fetch<'a> {
    Box::pin(run(inner, exchange))
}

async fn run(inner: &Inner, exchange: &'static ExchangeSpec) -> Result<Issued, Error> {
    let vendor = inner.profile.name;
    let token_error = |message: String| Error::new(ErrorKind::Token, vendor, message);
    let call = call(inner, exchange)?;
    let answer = pipeline::send_whole(inner, &call, Read::Json).await.map_err(|e| e.into_kind(ErrorKind::Token))?;
    let failed = |message: String| token_error(message).with_http(answer.status, answer.request_id.clone(), &answer.body);
    let json: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| failed(format!("the token endpoint's answer is not JSON: {e}")))?;
    let lookup = |path: &[&str]| path.iter().try_fold(&json, |v, k| v.get(k));
    let token = lookup(exchange.token)
        .and_then(|v| v.as_str())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| failed(format!("the token endpoint's answer has no token at `{}`", exchange.token.join("."))))?;
    let lifetime = lookup(exchange.expires_in)
        .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
        .ok_or_else(|| failed(format!("the token endpoint's answer has no lifetime at `{}`", exchange.expires_in.join("."))))?;
    let token = Secret::new(token);
    let headers = bound_headers(&inner.credentials(), exchange, &token);
    // A lifetime past what the clock can hold means no expiry in practice.
    Ok(Issued { token, headers, expires_at: Instant::now().checked_add(Duration::from_secs(lifetime)) })
}

/// The headers sent beside a token: a claim of the token read as an unverified JWT, else a credential.
pub(crate) fn bound_headers(credentials: &[(&'static str, Secret)], exchange: &ExchangeSpec, token: &Secret) -> Vec<(HeaderName, HeaderValue)> {
    let credential = |name: &str| credentials.iter().find(|(n, _)| *n == name).map(|(_, s)| s.expose().to_owned());
    let mut out = Vec::new();
    for h in exchange.headers {
        let value = h.jwt_claim.and_then(|claim| jwt_claim(token.expose(), claim)).or_else(|| h.credential.and_then(credential));
        let (Some(value), Ok(name)) = (value, HeaderName::from_bytes(h.name.as_bytes())) else { continue };
        if let Ok(mut value) = HeaderValue::from_str(&value) {
            value.set_sensitive(true);
            out.push((name, value));
        }
    }
    out
}

/// The exchange as a call: no token, a JSON body of credentials, the payload the whole answer.
/// It changes nothing on the server, so it is retried like an idempotent call whatever its method.
fn call(inner: &Inner, exchange: &'static ExchangeSpec) -> Result<Call, Error> {
    let mut body = serde_json::Map::new();
    for (field, credential) in exchange.body {
        let Some(value) = inner.credential(credential) else {
            let pushed = inner.profile.credentials.iter().find(|c| c.name == *credential).and_then(|c| c.pushed.as_ref());
            let message = match pushed {
                Some(p) => format!(
                    "credential `{credential}` has not arrived yet: the vendor pushes it in the `{}` event; pass the event dispatcher through `Client::receive_pushed_credentials`, or set it with `Core::set_credential`",
                    p.event
                ),
                None => format!("credential `{credential}` is not set"),
            };
            return Err(Error::new(ErrorKind::Config, inner.profile.name, message));
        };
        body.insert((*field).to_owned(), value.expose().into());
    }
    let mut call = Call::bare(exchange.method, "token exchange", exchange.path.to_owned());
    call.idempotent = true;
    call.response = ResponseSpec::Flat;
    call.hosts = exchange.hosts;
    call.body = Body::Object(body);
    Ok(call)
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
