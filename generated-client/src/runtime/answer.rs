//! Reading an answer: the envelope's code (or, for a plain HTTP API, the status) decides success;
//! a failure becomes an [`Error`] with the vendor's code, message and request id; a success's
//! payload is decoded from where the call says it is.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::decode;
use super::error::{Error, ErrorKind};
use super::profile::{DocumentedError, OperationSpec, ResponseSpec, VendorProfile};
use super::retry;

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
    let request_id = check(profile, op.errors, status, body, request_id).map_err(|e| e.with_operation(op.name))?;
    payload(profile, op.response, status, request_id, body).map_err(|e| e.with_operation(op.name))
}

/// An answer that passed the check, or a file, read whole.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub request_id: Option<String>,
}

impl Answer {
    /// The payload, decoded as `T` from where `response` says it is.
    pub fn payload<T: DeserializeOwned>(&self, profile: &'static VendorProfile, response: ResponseSpec) -> Result<T, Error> {
        payload(profile, response, self.status, self.request_id.clone(), &self.body)
    }
}

/// Checks an answer read whole: the body's code decides success, whatever the HTTP status;
/// without an envelope, the status does (and is the error's code). Returns the request id. A
/// rate-limited answer carries the wait its reset header asks for.
pub(crate) fn check_answer(profile: &'static VendorProfile, errors: &'static [DocumentedError], status: u16, headers: &HeaderMap, body: &[u8]) -> Result<Option<String>, Error> {
    let header_id = request_id_from_headers(profile, headers);
    check(profile, errors, status, body, header_id).map_err(|error| {
        if !retry::is_rate_limited(profile, &error) {
            return error;
        }
        let reset = profile.rate_limit_reset_header.and_then(|h| headers.get(h)).and_then(|v| v.to_str().ok()).and_then(parse_seconds);
        error.with_retry_after(reset)
    })
}

/// The request id the vendor puts in a header (Feishu `X-Tt-Logid`).
pub(crate) fn request_id_from_headers(profile: &VendorProfile, headers: &HeaderMap) -> Option<String> {
    profile.request_id_headers.iter().find_map(|h| headers.get(*h)).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A JSON body, by its content type: a file endpoint answers JSON only to report a failure.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.contains("json"))
}

fn check(profile: &'static VendorProfile, errors: &'static [DocumentedError], status: u16, body: &[u8], header_id: Option<String>) -> Result<Option<String>, Error> {
    let Some(env) = &profile.envelope else {
        return check_status(profile, errors, status, body, header_id);
    };
    let decode_error = |message: String, request_id: Option<String>| Error::new(ErrorKind::Decode, profile.name, message).with_http(status, request_id, body);
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
            let documented = errors.iter().find(|d| d.code == shown);
            Err(Error::new(ErrorKind::Api, profile.name, head.message.unwrap_or_default())
                .with_codes(Some(code), head.sub_code)
                .with_http(status, request_id, body)
                .with_documented(documented))
        }
        None => Err(decode_error(format!("the answer has no `{}` field", env.code), request_id)),
    }
}

/// A plain HTTP API: 2xx is success; otherwise an API error whose code is the status, with the
/// body's message (`message`, `error_description`, `error` or `detail`) when it has one.
fn check_status(profile: &'static VendorProfile, errors: &'static [DocumentedError], status: u16, body: &[u8], header_id: Option<String>) -> Result<Option<String>, Error> {
    let field = |v: &serde_json::Value, name: &str| v.get(name).and_then(|m| m.as_str()).map(str::to_owned);
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let request_id = header_id.or_else(|| json.as_ref().zip(profile.request_id_field).and_then(|(v, f)| field(v, f)));
    if (200..300).contains(&status) {
        return Ok(request_id);
    }
    let message = json.as_ref().and_then(|v| ["message", "error_description", "error", "detail"].iter().find_map(|k| field(v, k))).unwrap_or_else(|| format!("HTTP {status}"));
    let documented = errors.iter().find(|d| d.code == i64::from(status));
    Err(Error::new(ErrorKind::Api, profile.name, message).with_codes(Some(i64::from(status)), None).with_http(status, request_id, body).with_documented(documented))
}

fn payload<T: DeserializeOwned>(profile: &'static VendorProfile, response: ResponseSpec, status: u16, request_id: Option<String>, body: &[u8]) -> Result<T, Error> {
    let decoded = match (&profile.envelope, response) {
        (None, _) | (_, ResponseSpec::Flat) => serde_json::from_slice(body),
        (Some(env), _) => decode::data(body, env.data),
    };
    decoded.map_err(|e| Error::new(ErrorKind::Decode, profile.name, format!("the answer does not match the spec: {e}")).with_http(status, request_id, body).with_source(e))
}

/// `x-ogw-ratelimit-reset: 3` (seconds; fractions allowed).
fn parse_seconds(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}
