//! The client core every generated vendor `Client` wraps: configuration, sending a [`Call`],
//! token selection, the envelope check, and decoding.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::call::{Call, Part};
use super::decode;
use super::error::{Error, ErrorKind};
use super::files::{Download, DownloadStream, disposition_file_name};
use super::profile::{OperationSpec, ResponseSpec, TokenSpec, VendorProfile};
use super::retry::{self, RetryPolicy, Verdict};
use super::secret::Secret;
use super::token::{Issued, TokenCache};

/// Default whole-request timeout of one attempt, as in the vendors' own SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Whole-download timeout of a streamed download, which may be large.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);
/// Default margin before expiry at which a cached token is replaced (the Go and Node SDKs use 3 minutes).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// Configuration of a client, checked by [`Builder::build`]. Generated builders wrap it.
#[derive(Debug)]
pub struct Builder {
    profile: &'static VendorProfile,
    base_url: Option<String>,
    credentials: Vec<(&'static str, Secret)>,
    timeout: Duration,
    connect_timeout: Duration,
    refresh_margin: Duration,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    static_token: Option<Secret>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
}

/// A configured client: cheap to clone, clones share the connection pool and the token cache.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub profile: &'static VendorProfile,
    pub base_url: String,
    pub http: reqwest::Client,
    pub credentials: Vec<(&'static str, Secret)>,
    pub default_headers: HeaderMap,
    pub refresh_margin: Duration,
    pub retry: RetryPolicy,
    pub tokens: TokenCache,
    /// The builder's `static_token`, also used for per-request kinds when a call passes none.
    pub static_token: Option<Secret>,
}

impl Builder {
    pub fn new(profile: &'static VendorProfile) -> Builder {
        Builder {
            profile,
            base_url: None,
            credentials: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            default_headers: Vec::new(),
            http: None,
            static_token: None,
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
        }
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> Builder {
        self.retry = policy;
        self
    }

    pub fn credential(mut self, name: &'static str, value: String) -> Builder {
        self.credentials.retain(|(n, _)| *n != name);
        self.credentials.push((name, Secret::new(value)));
        self
    }

    pub fn base_url(mut self, url: String) -> Builder {
        self.base_url = Some(url);
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Builder {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Builder {
        self.connect_timeout = timeout;
        self
    }

    pub fn token_refresh_margin(mut self, margin: Duration) -> Builder {
        self.refresh_margin = margin;
        self
    }

    pub fn default_header(mut self, name: String, value: String) -> Builder {
        self.default_headers.push((name, value));
        self
    }

    pub fn http_client(mut self, client: reqwest::Client) -> Builder {
        self.http = Some(client);
        self
    }

    pub fn static_token(mut self, token: String) -> Builder {
        self.static_token = Some(Secret::new(token));
        self
    }

    pub fn allow_insecure_http(mut self, allow: bool) -> Builder {
        self.allow_insecure_http = allow;
        self
    }

    pub fn build(self) -> Result<Core, Error> {
        let vendor = self.profile.name;
        let config = |message: String| Error::new(ErrorKind::Config, vendor, message);
        let base_url = self.base_url.unwrap_or_else(|| self.profile.default_base_url.to_owned()).trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base_url).map_err(|e| config(format!("base URL {base_url:?} is not a URL: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => return Err(config(format!("base URL {base_url:?} is plain HTTP to a host that is not loopback; use https, or allow it with `allow_insecure_http(true)`"))),
            other => return Err(config(format!("base URL scheme `{other}` is not http or https"))),
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(config(format!("base URL {base_url:?} must not have a query or fragment")));
        }

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| config(format!("default header name {name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| config(format!("default header `{name}` has a value with control characters (CR, LF)")))?;
            default_headers.append(name, value);
        }

        let exchange_kinds = self.profile.tokens.iter().filter(|t| t.exchange.is_some());
        let mut tokens = TokenCache::new(exchange_kinds.clone().map(|t| t.name));
        if self.static_token.is_none() {
            for kind in exchange_kinds.clone() {
                for (_, credential) in kind.exchange.iter().flat_map(|e| e.body) {
                    if !self.credentials.iter().any(|(n, _)| n == credential) {
                        return Err(config(format!("credential `{credential}` is not set: call `.{credential}(…)` on the builder, or give a `static_token`")));
                    }
                }
            }
        }

        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .tls_backend_rustls()
                .https_only(false)
                .build()
                .map_err(|e| config(format!("the HTTP client could not be built: {e}")).with_source(e))?,
        };
        if self.refresh_margin > Duration::from_secs(24 * 3600) {
            return Err(config(format!("a token refresh margin of {:?} is longer than any token lives; use minutes", self.refresh_margin)));
        }
        if self.retry.max_attempts == 0 {
            return Err(config("a retry policy needs at least one attempt (`max_attempts: 1` turns retries off)".to_owned()));
        }
        let mut inner = Inner {
            profile: self.profile,
            base_url,
            http,
            credentials: self.credentials,
            default_headers,
            refresh_margin: self.refresh_margin,
            retry: self.retry,
            tokens: TokenCache::new(std::iter::empty()),
            static_token: self.static_token.clone(),
        };
        if let Some(token) = self.static_token
            && let Some(kind) = exchange_kinds.clone().next()
        {
            let headers = kind.exchange.as_ref().map(|e| super::token::bound_headers(&inner, e, &token)).unwrap_or_default();
            tokens.preset(kind.name, Issued { token, headers, expires_at: None });
        }
        inner.tokens = tokens;
        Ok(Core { inner: Arc::new(inner) })
    }
}

/// 127.0.0.0/8, ::1 and `localhost`: the hosts where plain HTTP never leaves the machine.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An answer that passed the envelope check.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    request_id: Option<String>,
}

impl Core {
    pub fn vendor(&self) -> &'static str {
        self.inner.profile.name
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a call and decodes its payload as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let op = call.op;
        let answer = self.run(call).await?;
        decode_payload(self.inner.profile, op, answer.status, answer.request_id, &answer.body)
    }

    /// Sends a call whose answer carries no payload.
    pub async fn send_unit(&self, call: Call) -> Result<(), Error> {
        self.run(call).await.map(|_| ())
    }

    /// Sends a call whose answer is a file.
    pub async fn send_binary(&self, call: Call) -> Result<Download, Error> {
        let answer = self.run(call).await?;
        let header = |name: reqwest::header::HeaderName| answer.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(Download {
            file_name: header(reqwest::header::CONTENT_DISPOSITION).as_deref().and_then(disposition_file_name),
            content_type: header(reqwest::header::CONTENT_TYPE),
            bytes: answer.body,
        })
    }

    /// Sends the call: retries what the policy allows, and once more with a fresh token when
    /// the server says the token is invalid (never with the stale one).
    async fn run(&self, call: Call) -> Result<Answer, Error> {
        let inner = &*self.inner;
        let op = call.op;
        let vendor = inner.profile.name;
        if let Some(problem) = &call.invalid {
            return Err(Error::new(ErrorKind::InvalidRequest, vendor, problem.clone()).with_operation(op.name));
        }
        let span = tracing::debug_span!("api_call", vendor, operation = op.name);
        self.attempts(&call).instrument(span).await
    }

    /// The attempts of one call, in the call's span.
    async fn attempts(&self, call: &Call) -> Result<Answer, Error> {
        let inner = &*self.inner;
        let op = call.op;
        let mut sent = 0;
        let mut policy_attempt = 0;
        let mut token_refreshed = false;
        loop {
            sent += 1;
            policy_attempt += 1;
            // One span per attempt, so each attempt's status, code and request id stand alone.
            let attempt_span =
                tracing::debug_span!("attempt", n = sent, http.status = tracing::field::Empty, vendor.code = tracing::field::Empty, request_id = tracing::field::Empty,);
            let auth = self.auth(call).instrument(attempt_span.clone()).await.map_err(|e| {
                // A failed token fetch counts its own attempts.
                let tried = e.attempts().max(sent);
                e.with_operation(op.name).with_attempts(tried)
            })?;
            let error = match self.attempt(call, auth.as_ref()).instrument(attempt_span.clone()).await {
                Ok(answer) => {
                    attempt_span.record("http.status", answer.status);
                    attempt_span.record("request_id", answer.request_id.as_deref());
                    tracing::debug!(parent: &attempt_span, "answered");
                    return Ok(answer);
                }
                Err(error) => error,
            };
            attempt_span.record("http.status", error.http_status());
            attempt_span.record("vendor.code", error.code());
            attempt_span.record("request_id", error.request_id());
            tracing::debug!(parent: &attempt_span, kind = ?error.kind(), "failed");
            let invalid_token = error.kind() == ErrorKind::Api
                && (error.envelope_code().is_some_and(|c| inner.profile.token_invalid_codes.contains(&c))
                    || error.http_status().is_some_and(|s| inner.profile.token_invalid_statuses.contains(&s)));
            if invalid_token
                && !token_refreshed
                && let Some(Auth::Cached(kind, issued)) = &auth
                && inner.tokens.invalidate(kind.name, issued).await
            {
                token_refreshed = true;
                policy_attempt -= 1;
                tracing::debug!(code = error.code(), "token refused; fetching a new one and retrying once");
                continue;
            }
            match retry::verdict(&inner.retry, inner.profile, op.method, &error, policy_attempt) {
                Verdict::GiveUp => return Err(error.with_attempts(sent)),
                Verdict::RetryAfter(wait) => {
                    tracing::debug!(kind = ?error.kind(), http.status = error.http_status(), wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Which token this call goes with.
    async fn auth(&self, call: &Call) -> Result<Option<Auth>, Error> {
        let inner = &*self.inner;
        let op = call.op;
        if op.tokens.is_empty() {
            return Ok(None);
        }
        let kinds: Vec<&'static TokenSpec> = op.tokens.iter().filter_map(|t| inner.profile.token(t)).collect();
        if let Some(token) = &call.request_token
            && let Some(kind) = kinds.iter().find(|k| k.exchange.is_none())
        {
            return Ok(Some(Auth::PerRequest(kind, token.clone())));
        }
        if let Some((kind, exchange)) = kinds.iter().find_map(|k| k.exchange.as_ref().map(|e| (*k, e))) {
            return inner.tokens.get(inner, kind, exchange).await.map(|issued| Some(Auth::Cached(kind, issued)));
        }
        if let (Some(token), Some(kind)) = (&inner.static_token, kinds.first()) {
            return Ok(Some(Auth::PerRequest(kind, token.clone())));
        }
        let kind = kinds.first().map_or("user", |k| k.name);
        Err(Error::new(
            ErrorKind::InvalidRequest,
            inner.profile.name,
            format!("{} accepts only a `{kind}` access token, passed per request: call `.{kind}_access_token(…)` before `.send()`", op.name),
        ))
    }

    async fn attempt(&self, call: &Call, auth: Option<&Auth>) -> Result<Answer, Error> {
        let inner = &*self.inner;
        let op = call.op;
        let vendor = inner.profile.name;
        let request = self.request(call, auth)?;
        let response = request.send().await.map_err(|e| transport_error(vendor, e).with_operation(op.name))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let header_id = inner.request_id_from_headers(&headers);
        let body = response.bytes().await.map_err(|e| transport_error(vendor, e).with_operation(op.name).with_request_id(header_id.clone()))?;

        if op.response == ResponseSpec::Binary && (200..300).contains(&status) && !is_json(&headers) {
            return Ok(Answer { status, headers, body, request_id: header_id });
        }
        match check_envelope(inner.profile, op, status, &body, header_id) {
            Ok(request_id) => Ok(Answer { status, headers, body, request_id }),
            Err(error) if retry::is_rate_limited(inner.profile, &error) => {
                let reset = inner.profile.rate_limit_reset_header.and_then(|h| headers.get(h)).and_then(|v| v.to_str().ok()).and_then(parse_seconds);
                Err(error.with_retry_after(reset))
            }
            Err(error) => Err(error),
        }
    }

    /// Sends a call whose answer is a file, handing the body over as it arrives. The token is
    /// refreshed once if refused; nothing else is retried, since the body may be partly read.
    pub async fn send_binary_stream(&self, call: Call) -> Result<DownloadStream, Error> {
        let inner = &*self.inner;
        let op = call.op;
        let vendor = inner.profile.name;
        if let Some(problem) = &call.invalid {
            return Err(Error::new(ErrorKind::InvalidRequest, vendor, problem.clone()).with_operation(op.name));
        }
        let mut refreshed = false;
        loop {
            let auth = self.auth(&call).await.map_err(|e| e.with_operation(op.name))?;
            let request = self.request(&call, auth.as_ref())?.timeout(DOWNLOAD_TIMEOUT);
            let response = request.send().await.map_err(|e| transport_error(vendor, e).with_operation(op.name))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let header_id = inner.request_id_from_headers(&headers);
            if (200..300).contains(&status) && !is_json(&headers) {
                let header = |name: reqwest::header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let body = response.bytes_stream().map_err(move |e| transport_error(vendor, e).with_operation(op.name));
                return Ok(DownloadStream {
                    file_name: header(reqwest::header::CONTENT_DISPOSITION).as_deref().and_then(disposition_file_name),
                    content_type: header(reqwest::header::CONTENT_TYPE),
                    content_length: header(reqwest::header::CONTENT_LENGTH).and_then(|l| l.parse().ok()),
                    body: Box::pin(body),
                });
            }
            let body = response.bytes().await.map_err(|e| transport_error(vendor, e).with_operation(op.name).with_request_id(header_id.clone()))?;
            let error = match check_envelope(inner.profile, op, status, &body, header_id) {
                Ok(request_id) => {
                    return Err(Error::new(ErrorKind::Decode, vendor, "expected a file, the server answered with JSON")
                        .with_operation(op.name)
                        .with_http(status, request_id, &body));
                }
                Err(error) => error,
            };
            let invalid_token = error.kind() == ErrorKind::Api && error.envelope_code().is_some_and(|c| inner.profile.token_invalid_codes.contains(&c));
            if invalid_token
                && !refreshed
                && let Some(Auth::Cached(kind, issued)) = &auth
                && inner.tokens.invalidate(kind.name, issued).await
            {
                refreshed = true;
                continue;
            }
            return Err(error);
        }
    }

    /// The HTTP request of one attempt.
    fn request(&self, call: &Call, auth: Option<&Auth>) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &*self.inner;
        let op = call.op;
        let vendor = inner.profile.name;
        let invalid = |message: String| Error::new(ErrorKind::InvalidRequest, vendor, message).with_operation(op.name);

        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, call.path)).map_err(|e| invalid(format!("the URL could not be built: {e}")))?;
        if !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &call.query {
                pairs.append_pair(k, v);
            }
        }
        let mut headers = inner.default_headers.clone();
        if let Some(auth) = auth {
            let (kind, token) = match auth {
                Auth::Cached(kind, issued) => {
                    for (name, value) in &issued.headers {
                        headers.insert(name.clone(), value.clone());
                    }
                    (*kind, &issued.token)
                }
                Auth::PerRequest(kind, token) => (*kind, token),
            };
            let mut value =
                HeaderValue::from_str(&format!("{}{}", kind.prefix, token.expose())).map_err(|_| invalid("the access token has characters a header cannot carry".to_owned()))?;
            value.set_sensitive(true);
            let name = HeaderName::from_bytes(kind.header.as_bytes()).map_err(|_| invalid(format!("`{}` is not a header name", kind.header)))?;
            headers.insert(name, value);
        }
        for (name, value) in &call.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(format!("`{name}` is not a header name")))?;
            let header_value = HeaderValue::from_str(value).map_err(|_| invalid(format!("header `{name}` has a value with control characters (CR, LF); refusing to send it")))?;
            headers.insert(header_name, header_value);
        }
        let mut request = inner.http.request(op.method.to_reqwest(), url).headers(headers);
        if let Some(json) = &call.json {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(serde_json::to_vec(json).map_err(|e| invalid(format!("the body could not be written: {e}")))?);
        } else if !call.parts.is_empty() {
            let mut form = reqwest::multipart::Form::new();
            for (name, part) in &call.parts {
                form = match part {
                    Part::Text(text) => form.text(*name, text.clone()),
                    Part::File(file) => {
                        // A file part is labelled; unlabelled it would read as text/plain (RFC 7578).
                        let ct = file.content_type.as_deref().unwrap_or("application/octet-stream");
                        let p = reqwest::multipart::Part::stream(reqwest::Body::from(file.bytes.clone()))
                            .file_name(file.file_name.clone())
                            .mime_str(ct)
                            .map_err(|_| invalid(format!("`{ct}` is not a content type")))?;
                        form.part(*name, p)
                    }
                };
            }
            request = request.multipart(form);
        } else if matches!(op.method, super::profile::Method::Post | super::profile::Method::Put | super::profile::Method::Patch) {
            request = request.header(reqwest::header::CONTENT_LENGTH, "0");
        }
        Ok(request)
    }
}

/// The body's code decides success, whatever the HTTP status; without an envelope, the status
/// does (and is the error's code). Returns the request id.
fn check_envelope(profile: &'static VendorProfile, op: &'static OperationSpec, status: u16, body: &[u8], header_id: Option<String>) -> Result<Option<String>, Error> {
    let Some(env) = &profile.envelope else {
        return check_status(profile, op, status, body, header_id);
    };
    let decode_error =
        |message: String, request_id: Option<String>| Error::new(ErrorKind::Decode, profile.name, message).with_operation(op.name).with_http(status, request_id, body);
    let head = match decode::head(body, env, profile.request_id_field) {
        Ok(head) => head,
        Err(e) => {
            let what = if body.is_empty() { "the answer is empty".to_owned() } else { format!("the answer is not the JSON envelope: {e}") };
            return Err(decode_error(what, header_id).with_source(e));
        }
    };
    let request_id = header_id.or(head.request_id);
    match head.code {
        Some(code) if code == env.success => Ok(request_id),
        Some(code) => {
            let shown = head.sub_code.unwrap_or(code);
            let documented = op.errors.iter().find(|d| d.code == shown);
            Err(Error::new(ErrorKind::Api, profile.name, head.message.unwrap_or_default())
                .with_operation(op.name)
                .with_codes(Some(code), head.sub_code)
                .with_http(status, request_id, body)
                .with_documented(documented))
        }
        None => Err(decode_error(format!("the answer has no `{}` field", env.code), request_id)),
    }
}

/// A plain HTTP API: 2xx is success; otherwise an API error whose code is the status, with the
/// body's message (`message`, `error_description`, `error` or `detail`) when it has one.
fn check_status(profile: &'static VendorProfile, op: &'static OperationSpec, status: u16, body: &[u8], header_id: Option<String>) -> Result<Option<String>, Error> {
    let field = |v: &serde_json::Value, name: &str| v.get(name).and_then(|m| m.as_str()).map(str::to_owned);
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let request_id = header_id.or_else(|| json.as_ref().zip(profile.request_id_field).and_then(|(v, f)| field(v, f)));
    if (200..300).contains(&status) {
        return Ok(request_id);
    }
    let message = json.as_ref().and_then(|v| ["message", "error_description", "error", "detail"].iter().find_map(|k| field(v, k))).unwrap_or_else(|| format!("HTTP {status}"));
    let documented = op.errors.iter().find(|d| d.code == i64::from(status));
    Err(Error::new(ErrorKind::Api, profile.name, message)
        .with_operation(op.name)
        .with_codes(Some(i64::from(status)), None)
        .with_http(status, request_id, body)
        .with_documented(documented))
}

fn decode_payload<T: DeserializeOwned>(profile: &'static VendorProfile, op: &'static OperationSpec, status: u16, request_id: Option<String>, body: &[u8]) -> Result<T, Error> {
    let decoded = match (&profile.envelope, op.response) {
        (None, _) | (_, ResponseSpec::Flat) => serde_json::from_slice(body),
        (Some(env), _) => decode::data(body, env.data),
    };
    decoded.map_err(|e| {
        Error::new(ErrorKind::Decode, profile.name, format!("the answer does not match the spec: {e}")).with_operation(op.name).with_http(status, request_id, body).with_source(e)
    })
}

/// Decodes a complete JSON answer of `op` as `send` does: the envelope check, then the payload.
/// Never panics: any input that is not a successful answer of the documented shape is an `Error`.
///
/// A successful answer is read in one pass; anything else is read again to say precisely what is
/// wrong (the API error, or where the shape departs from the spec).
pub fn decode_json<T: DeserializeOwned>(profile: &'static VendorProfile, op: &'static OperationSpec, status: u16, request_id: Option<String>, body: &[u8]) -> Result<T, Error> {
    if op.response == ResponseSpec::Data
        && let Some(env) = &profile.envelope
        && let Ok((head, data)) = decode::envelope_and_data::<T>(body, env, profile.request_id_field)
        && head.code == Some(env.success)
        && let Some(data) = data
    {
        return Ok(data);
    }
    let request_id = check_envelope(profile, op, status, body, request_id)?;
    decode_payload(profile, op, status, request_id, body)
}

/// `x-ogw-ratelimit-reset: 3` (seconds; fractions allowed).
fn parse_seconds(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

enum Auth {
    Cached(&'static TokenSpec, Arc<Issued>),
    PerRequest(&'static TokenSpec, Secret),
}

fn is_json(headers: &HeaderMap) -> bool {
    headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.contains("json"))
}

pub(crate) fn transport_error(vendor: &'static str, e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport };
    let never_sent = e.is_connect();
    // reqwest's message names the URL, which holds no secret: tokens travel in headers only.
    let error = Error::new(kind, vendor, describe(&e)).with_source(e);
    if never_sent { error.with_never_sent() } else { error }
}

/// reqwest's message and its causes, which say what actually happened (refused, reset, timed out).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Inner {
    pub fn credential(&self, name: &str) -> Option<&Secret> {
        self.credentials.iter().find(|(n, _)| *n == name).map(|(_, s)| s)
    }

    pub fn request_id_from_headers(&self, headers: &HeaderMap) -> Option<String> {
        self.profile.request_id_headers.iter().find_map(|h| headers.get(*h)).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Core")
            .field("vendor", &i.profile.name)
            .field("base_url", &i.base_url)
            .field("credentials", &i.credentials.iter().map(|(n, _)| *n).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner").field("vendor", &self.profile.name).finish_non_exhaustive()
    }
}
