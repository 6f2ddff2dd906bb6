//! The one request pipeline. Every request (a generated operation's, a raw call's, the token
//! exchange's) is built, sent, checked (the envelope, or the HTTP status), retried, and sent once
//! more with a fresh token when the server refuses its token, here and only here. JSON answers,
//! files and streamed files differ only in how the body of the answer is read.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use tracing::Instrument;

use super::answer::{self, Answer};
use super::call::{Body, Call, Part, Tokens};
use super::client::Inner;
use super::error::{Error, ErrorKind};
use super::exchange;
use super::profile::{ExchangeSpec, Method, TokenSpec, VendorProfile};
use super::retry::{self, Verdict};
use super::secret::Secret;
use super::token::Issued;

/// Whole-download timeout of a streamed download, which may be large.
pub(crate) const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// How the body of an answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// Whole, and checked as JSON.
    Json,
    /// A 2xx answer that is not JSON is a file, read whole; any other answer is checked as JSON.
    File,
    /// A 2xx answer that is not JSON is handed over as it arrives, and no longer retried (its
    /// body may be partly read); any other answer is read whole and checked as JSON.
    Stream,
}

/// What the pipeline hands back.
#[derive(Debug)]
pub(crate) enum Reply {
    /// An answer that passed the check, or a file, read whole.
    Whole(Answer),
    /// A file whose body is still to be read (`Read::Stream` only).
    Streaming(reqwest::Response),
}

/// Sends `call`: what the retry policy allows is retried, and a refused token is replaced and
/// the call sent once more with the new one. Errors name the call's operation.
pub(crate) async fn send(inner: &Inner, call: &Call, read: Read) -> Result<Reply, Error> {
    let vendor = inner.profile.name;
    let span = tracing::debug_span!("api_call", vendor, operation = call.label);
    let result = match &call.invalid {
        Some(problem) => Err(Error::new(ErrorKind::InvalidRequest, vendor, problem.clone())),
        None => attempts(inner, call, read).instrument(span).await,
    };
    result.map_err(|e| e.for_operation(call.operation))
}

/// Sends `call` and reads its answer whole.
pub(crate) async fn send_whole(inner: &Inner, call: &Call, read: Read) -> Result<Answer, Error> {
    match send(inner, call, read).await? {
        Reply::Whole(answer) => Ok(answer),
        Reply::Streaming(response) => {
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            let request_id = answer::request_id_from_headers(inner.profile, &headers);
            let body = response.bytes().await.map_err(|e| Error::transport(inner.profile.name, e).with_request_id(request_id.clone()).for_operation(call.operation))?;
            Ok(Answer { status, headers, body, request_id })
        }
    }
}

/// The token a request goes with, and where it came from.
enum Auth {
    /// From the cache: refused, it can be dropped and fetched again.
    Cached(&'static TokenSpec, Arc<Issued>),
    /// Given with the call (or the client's static token): refused, there is nothing to refetch.
    Given(&'static TokenSpec, Secret),
}

/// The attempts of one call, in the call's span.
async fn attempts(inner: &Inner, call: &Call, read: Read) -> Result<Reply, Error> {
    let json = json_body(inner, call)?;
    let mut sent = 0;
    let mut policy_attempt = 0;
    let mut token_refreshed = false;
    loop {
        sent += 1;
        policy_attempt += 1;
        // One span per attempt, so each attempt's status, code and request id stand alone.
        let attempt_span = tracing::debug_span!("attempt", n = sent, http.status = tracing::field::Empty, vendor.code = tracing::field::Empty, request_id = tracing::field::Empty);
        let auth = auth(inner, call).instrument(attempt_span.clone()).await.map_err(|e| {
            // A failed token fetch counts its own attempts.
            let tried = e.attempts().max(sent);
            e.with_attempts(tried)
        })?;
        let error = match attempt(inner, call, json.as_ref(), auth.as_ref(), read).instrument(attempt_span.clone()).await {
            Ok(reply) => {
                if let Reply::Whole(answer) = &reply {
                    attempt_span.record("http.status", answer.status);
                    attempt_span.record("request_id", answer.request_id.as_deref());
                } else if let Reply::Streaming(response) = &reply {
                    attempt_span.record("http.status", response.status().as_u16());
                }
                tracing::debug!(parent: &attempt_span, "answered");
                return Ok(reply);
            }
            Err(error) => error,
        };
        attempt_span.record("http.status", error.http_status());
        attempt_span.record("vendor.code", error.code());
        attempt_span.record("request_id", error.request_id());
        tracing::debug!(parent: &attempt_span, kind = ?error.kind(), "failed");
        if refuses_token(inner.profile, &error)
            && !token_refreshed
            && let Some(Auth::Cached(kind, issued)) = &auth
            && inner.tokens.invalidate(kind.name, issued)
        {
            // Sent once more with a new token, outside the retry budget: the refusal says
            // nothing about the server's health.
            token_refreshed = true;
            policy_attempt -= 1;
            tracing::debug!(code = error.code(), "token refused; fetching a new one and retrying once");
            continue;
        }
        match retry::verdict(&inner.retry, inner.profile, call.idempotent, &error, policy_attempt) {
            Verdict::GiveUp => return Err(error.with_attempts(sent)),
            Verdict::RetryAfter(wait) => {
                tracing::debug!(kind = ?error.kind(), http.status = error.http_status(), wait_ms = wait.as_millis() as u64, "retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// The server refused the token: one of the vendor's token-invalid codes in an API error, or
/// one of its token-invalid HTTP statuses whatever the body says.
fn refuses_token(profile: &VendorProfile, error: &Error) -> bool {
    let by_code = error.kind() == ErrorKind::Api && error.envelope_code().is_some_and(|c| profile.token_invalid_codes.contains(&c));
    let by_status = matches!(error.kind(), ErrorKind::Api | ErrorKind::Decode) && error.http_status().is_some_and(|s| profile.token_invalid_statuses.contains(&s));
    by_code || by_status
}

/// The JSON body, written once for every attempt.
fn json_body(inner: &Inner, call: &Call) -> Result<Option<Bytes>, Error> {
    match &call.body {
        Body::Object(object) => serde_json::to_vec(object)
            .map(|json| Some(Bytes::from(json)))
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, inner.profile.name, format!("the body could not be written: {e}"))),
        Body::Json(json) => Ok(Some(json.clone())),
        Body::Empty | Body::Form(_) => Ok(None),
    }
}

/// Which token this call goes with; a token fetched with the exchange when it is missing or due.
async fn auth(inner: &Inner, call: &Call) -> Result<Option<Auth>, Error> {
    let profile = inner.profile;
    let missing = |message: String| Error::new(ErrorKind::InvalidRequest, profile.name, message);
    match call.tokens {
        Tokens::None => Ok(None),
        Tokens::Named(names) => {
            let kinds = || names.iter().filter_map(|name| profile.token(name));
            if let Some(token) = &call.request_token
                && let Some(kind) = kinds().find(|k| k.exchange.is_none())
            {
                return Ok(Some(Auth::Given(kind, token.clone())));
            }
            if let Some((kind, exchange)) = kinds().find_map(|k| k.exchange.as_ref().map(|e| (k, e))) {
                return cached(inner, kind, exchange).await.map(Some);
            }
            match (&inner.static_token, kinds().next()) {
                (Some(token), Some(kind)) => Ok(Some(Auth::Given(kind, token.clone()))),
                (_, kind) => {
                    let kind = kind.map_or("user", |k| k.name);
                    Err(missing(format!("{} accepts only a `{kind}` access token, passed per request: call `.{kind}_access_token(…)` before `.send()`", call.label)))
                }
            }
        }
        Tokens::Kind(kind) => {
            if let Some(token) = &call.request_token {
                return Ok(Some(Auth::Given(kind, token.clone())));
            }
            if let Some(exchange) = &kind.exchange {
                return cached(inner, kind, exchange).await.map(Some);
            }
            match &inner.static_token {
                Some(token) => Ok(Some(Auth::Given(kind, token.clone()))),
                None => Err(missing(format!("a `{0}` access token is passed per request: call `.request_token(\"{0}\", …)` before sending", kind.name))),
            }
        }
    }
}

/// The cached token of `kind`, fetched through the pipeline when it is missing or due.
async fn cached(inner: &Inner, kind: &'static TokenSpec, exchange: &'static ExchangeSpec) -> Result<Auth, Error> {
    inner.tokens.get(kind.name, || exchange::fetch(inner, exchange)).await.map(|issued| Auth::Cached(kind, issued))
}

/// One attempt: the request sent, the answer's head read, and its body read as `read` says.
async fn attempt(inner: &Inner, call: &Call, json: Option<&Bytes>, auth: Option<&Auth>, read: Read) -> Result<Reply, Error> {
    let vendor = inner.profile.name;
    let mut request = build(inner, call, json, auth)?;
    if read == Read::Stream {
        request = request.timeout(DOWNLOAD_TIMEOUT);
    }
    let response = request.send().await.map_err(|e| Error::transport(vendor, e))?;
    let status = response.status().as_u16();
    let is_file = read != Read::Json && (200..300).contains(&status) && !answer::is_json(response.headers());
    if is_file && read == Read::Stream {
        return Ok(Reply::Streaming(response));
    }
    let headers = response.headers().clone();
    let header_id = answer::request_id_from_headers(inner.profile, &headers);
    let body = response.bytes().await.map_err(|e| Error::transport(vendor, e).with_request_id(header_id.clone()))?;
    let request_id = if is_file { header_id } else { answer::check_answer(inner.profile, call.errors, status, &headers, &body)? };
    Ok(Reply::Whole(Answer { status, headers, body, request_id }))
}

/// The HTTP request of one attempt.
fn build(inner: &Inner, call: &Call, json: Option<&Bytes>, auth: Option<&Auth>) -> Result<reqwest::RequestBuilder, Error> {
    let invalid = |message: String| Error::new(ErrorKind::InvalidRequest, inner.profile.name, message);
    let mut url = reqwest::Url::parse(&format!("{}{}", base_url(inner, call), call.path)).map_err(|e| invalid(format!("the URL could not be built: {e}")))?;
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
            Auth::Given(kind, token) => (*kind, token),
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
    let request = inner.http.request(call.method.to_reqwest(), url).headers(headers);
    Ok(match (&call.body, json) {
        (_, Some(json)) => request.header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8").body(json.clone()),
        (Body::Form(parts), None) => request.multipart(form(parts, invalid)?),
        // Some servers refuse a body-carrying method without a length (HTTP 411).
        _ if matches!(call.method, Method::Post | Method::Put | Method::Patch) => request.header(reqwest::header::CONTENT_LENGTH, "0"),
        _ => request,
    })
}

/// Where `call` is sent: the client's base URL, unless that is one of the vendor's hosts and the
/// call's service is served elsewhere for that host name.
fn base_url<'a>(inner: &'a Inner, call: &Call) -> &'a str {
    match call.hosts.iter().find(|(name, _)| Some(*name) == inner.host) {
        Some((_, url)) => url,
        None => &inner.base_url,
    }
}

/// The `multipart/form-data` body, built again for each attempt (a form is consumed by sending).
fn form(parts: &[(std::borrow::Cow<'static, str>, Part)], invalid: impl Fn(String) -> Error) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, part) in parts {
        form = match part {
            Part::Text(text) => form.text(name.clone(), text.clone()),
            Part::File(file) => {
                // A file part is labelled; unlabelled it would read as text/plain (RFC 7578).
                let ct = file.content_type.as_deref().unwrap_or("application/octet-stream");
                let p = reqwest::multipart::Part::stream(reqwest::Body::from(file.bytes.clone()))
                    .file_name(file.file_name.clone())
                    .mime_str(ct)
                    .map_err(|_| invalid(format!("`{ct}` is not a content type")))?;
                form.part(name.clone(), p)
            }
        };
    }
    Ok(form)
}
