//! Contract test against a third-party mock server: Prism (`@stoplight/prism-cli`) serves each
//! exported OpenAPI document (`openapi/feishu.json`, `openapi/authing.json`) on 127.0.0.1, and the
//! generated client calls every operation of both documents through its typed API, with the real
//! token exchange (Feishu tenant token, Authing management token) answered by Prism's mock of the
//! exchange endpoint.
//!
//! What it proves, per operation: the request the client sends (method, path and path parameters,
//! query styles, JSON and multipart bodies, the bearer token the document's `security` asks for)
//! passes Prism's request validation against the exported document; the answer Prism mocks from
//! the document (the `200` example) decodes into the typed payload; and the operationIds called
//! are exactly the document's, so an operation added to `specs/` fails this test until it is
//! called here. Prism's log is checked request by request (the calls are sequential per document),
//! because Prism's answer to an invalid request is mocked from the `default` response, whose
//! generated `code` is `0`: the client can take it for success.
//!
//! Prism comes from `PRISM` (the `prism` executable), else
//! `target/ci-tools/node/node_modules/.bin/prism` (`.ci/install-tools target/ci-tools`). Without
//! either the test prints a notice and passes, unless `REQUIRE_PRISM=1`; a `PRISM` that names no
//! file is an error (an explicit request for a Prism that is not there).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::inputs::{FEISHU_USER, With, authing_example_user, authing_wechat_identity, example_profile, feishu_rule, feishu_user_external};
use common::management as m;
use generated_client::authing;
use generated_client::feishu::acs_v1::{Feature, UpdateUserFaceFileType, UserExternalUserType};
use generated_client::feishu::{self, UserIdType};
use generated_client::runtime::{self, RetryPolicy, Secret, UploadFile};
use serde_json::{Value, json};

/// How long Prism may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// A path in neither document, requested last: once Prism has logged it, every line about the
/// requests before it is in the captured log.
const END_MARKER_PATH: &str = "/__prism_contract_test_end__";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the crate is inside the workspace").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Finding Prism
// ---------------------------------------------------------------------------------------------

/// The Prism executable, or `None` (with a notice on stderr) when the test is to be skipped.
fn find_prism() -> Option<PathBuf> {
    let required = std::env::var("REQUIRE_PRISM").is_ok_and(|v| v == "1");
    if let Some(explicit) = std::env::var_os("PRISM").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(explicit);
        // Set but wrong is a mistake to report, not a reason to skip: CI would go green without
        // having run anything.
        assert!(path.is_file(), "PRISM={} names no file; point it at the `prism` executable, or unset it and run .ci/install-tools target/ci-tools", path.display());
        return Some(path);
    }
    let default = workspace().join("target/ci-tools/node/node_modules/.bin/prism");
    if default.is_file() {
        return Some(default);
    }
    assert!(!required, "REQUIRE_PRISM=1 but Prism is missing: PRISM is not set and {} does not exist; run .ci/install-tools target/ci-tools", default.display());
    // Straight to stderr, past the test harness's capture, so the skip shows in CI's log.
    let _ = writeln!(std::io::stderr(), "prism contract test skipped: PRISM is not set and {} does not exist, run .ci/install-tools target/ci-tools", default.display());
    None
}

// ---------------------------------------------------------------------------------------------
// The Prism process
// ---------------------------------------------------------------------------------------------

/// A running `prism mock`, its output captured line by line; killed when dropped, so it does not
/// outlive a failed assertion.
struct Prism {
    vendor: &'static str,
    child: Child,
    base_url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Startup {
    Ready,
    Exited(ExitStatus),
    TimedOut,
}

/// A port nobody listens on now (bound, then released for Prism to take).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind 127.0.0.1:0").port()
}

/// Appends every line of `stream` to `log`, `tag` first; ends when the process closes it.
fn capture(stream: impl Read + Send + 'static, tag: &'static str, log: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
            let text = strip_ansi(&String::from_utf8_lossy(&line));
            log.lock().unwrap().push(format!("{tag}{}", text.trim_end()));
            line.clear();
        }
    });
}

/// Removes terminal colour sequences (`ESC [ … letter`), in case the output is coloured anyway.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Prism {
    /// Starts `prism mock` on `document` on a free port of 127.0.0.1 and waits until it listens
    /// (another port if the one picked was taken meanwhile).
    async fn start(binary: &Path, vendor: &'static str) -> Prism {
        let document = workspace().join(format!("openapi/{vendor}.json"));
        assert!(document.is_file(), "{} is missing; run cargo xtask regen", document.display());
        for attempt in 1..=3 {
            let port = free_port();
            let child = Command::new(binary)
                .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
                .arg(&document)
                .env("FORCE_COLOR", "0")
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
            let mut prism = Prism { vendor, child, base_url: format!("http://127.0.0.1:{port}"), log: Arc::default() };
            capture(prism.child.stdout.take().unwrap(), "", prism.log.clone());
            capture(prism.child.stderr.take().unwrap(), "[stderr] ", prism.log.clone());
            match prism.wait_until_listening(port).await {
                Startup::Ready => return prism,
                Startup::Exited(_) if attempt < 3 && prism.output().contains("EADDRINUSE") => continue,
                Startup::Exited(status) => panic!("prism mock {} exited ({status}) before listening:\n{}", document.display(), prism.output()),
                Startup::TimedOut => panic!("prism mock {} did not listen on port {port} within {STARTUP_TIMEOUT:?}:\n{}", document.display(), prism.output()),
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    async fn wait_until_listening(&mut self, port: u16) -> Startup {
        let listening = format!("Prism is listening on http://127.0.0.1:{port}");
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                tokio::time::sleep(Duration::from_millis(200)).await; // let the readers take the last lines
                return Startup::Exited(status);
            }
            let said_so = self.log.lock().unwrap().iter().any(|l| l.contains(&listening));
            if said_so && tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Startup::Ready;
            }
            if Instant::now() > deadline {
                return Startup::TimedOut;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    fn output(&self) -> String {
        self.lines().join("\n")
    }

    /// Requests the end marker and waits until Prism has logged it; returns the log, and how
    /// Prism exited if it did (a crash while handling one of the calls).
    async fn finished_log(&mut self) -> (Vec<String>, Option<ExitStatus>) {
        let _ = reqwest::Client::new().get(format!("{}{END_MARKER_PATH}", self.base_url)).send().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let exited = self.child.try_wait().ok().flatten();
            if exited.is_some() {
                tokio::time::sleep(Duration::from_millis(200)).await; // let the readers take the last lines
            }
            let lines = self.lines();
            if exited.is_some() || lines.iter().any(|l| l.contains(END_MARKER_PATH) && l.contains("Request terminated with error")) {
                return (lines, exited);
            }
            assert!(Instant::now() < deadline, "Prism did not log the end marker request within 10 s:\n{}", lines.join("\n"));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading Prism's log
// ---------------------------------------------------------------------------------------------
//
// Prism 5 logs, for each request (every line is `[time] › ` and an indented `[COMPONENT]`):
//
//   [HTTP SERVER] get /open-apis/acs/v1/users/ou_1 ℹ  info      Request received
//       [VALIDATOR] ⚠  warning   Request did not pass the validation rules     (invalid requests only)
//       [VALIDATOR] ✖  error     <message>                                      (one per request violation)
//       [NEGOTIATOR] ✔  success   Created a 422 from a default response          (401 for a missing token)
//       [NEGOTIATOR] ℹ  info      > Responding with "422"
//       [VALIDATOR] ✖  error     Violation: request.query.user_id_type <message>
//       [VALIDATOR] ✖  error     Violation: response.body.code Response body property code must NOT be valid
//   [HTTP SERVER] get /nope ✖  error     Request terminated with error: …NO_PATH_MATCHED_ERROR…
//
// `Violation: <location> <message>` lines (prism-http-server) carry every violation of the
// exchange with its severity (error, warning, info) and location: `request…` for the request
// (`request` alone for the security check), `response…` for the answer Prism mocked. An invalid
// request is answered from the `default` response (status 422, or 401 for security), whose body
// Prism generates from the schema: `code` comes out `0`, which the envelope-only `default` schema
// forbids (`not: {const: 0}`), hence the `response.body.code … must NOT be valid` violation — an
// echo of the request violation, not a fault of its own, and a `{"code": 0}` body the client reads
// as success. So: request violations of severity error, the "did not pass" line and "Request
// terminated with error" (no route, method or media type matched; Prism could not answer) fail
// the request. Response violations of a *valid* request concern the `200` answer, i.e. the
// document's example against its own schema: those fail too (a document defect). Request
// violations of severity warning (a deprecated parameter) are shown, not failed.

/// One request in Prism's log: `get /path` and the lines logged about it.
#[derive(Debug)]
struct Exchange {
    method: String,
    path: String,
    lines: Vec<String>,
}

/// The component and severity label of a log line (`VALIDATOR`, `error`), and the rest.
fn parse_line(line: &str) -> Option<(&str, &str, &str)> {
    let start = line.find("› ")? + "› ".len();
    let rest = line[start..].trim_start();
    let rest = rest.strip_prefix('[')?;
    let (component, rest) = rest.split_once(']')?;
    // `[HTTP SERVER] get /path ℹ  info  …`: skip the method and path.
    let rest = if let Some((_, after)) = rest.split_once(['ℹ', '✖', '⚠', '✔', '▶', '…']) { after } else { rest };
    let mut words = rest.trim_start().splitn(2, char::is_whitespace);
    let label = words.next()?;
    Some((component, label, words.next().unwrap_or("").trim()))
}

/// The requests in `lines`, up to (not including) the end marker, and the lines before the first.
fn exchanges(lines: &[String]) -> (Vec<String>, Vec<Exchange>) {
    let mut startup = Vec::new();
    let mut found: Vec<Exchange> = Vec::new();
    for line in lines {
        if let Some(at) = line.find("[HTTP SERVER] ").filter(|_| line.trim_end().ends_with("Request received")) {
            let mut words = line[at + "[HTTP SERVER] ".len()..].split_whitespace();
            let (method, path) = (words.next().unwrap_or("").to_owned(), words.next().unwrap_or("").to_owned());
            if path == END_MARKER_PATH {
                break;
            }
            found.push(Exchange { method, path, lines: Vec::new() });
        }
        match found.last_mut() {
            Some(exchange) => exchange.lines.push(line.clone()),
            None => startup.push(line.clone()),
        }
    }
    (startup, found)
}

/// What Prism said about one exchange that fails the test, and the warnings it gave.
fn judge(exchange: &Exchange) -> (Vec<String>, Vec<String>) {
    let mut request_errors = Vec::new();
    let mut response_errors = Vec::new();
    let mut warnings = Vec::new();
    let mut rejected = false;
    let mut status = None;
    for line in &exchange.lines {
        if line.contains("Request terminated with error") {
            request_errors.push(line.clone());
        }
        let Some((component, label, message)) = parse_line(line) else { continue };
        match component {
            "VALIDATOR" if message.starts_with("Request did not pass the validation rules") => rejected = true,
            "VALIDATOR" => {
                if let Some(violation) = message.strip_prefix("Violation: ") {
                    match (violation.starts_with("request"), label) {
                        (true, "error") => request_errors.push(violation.to_owned()),
                        (false, "error") => response_errors.push(violation.to_owned()),
                        _ => warnings.push(format!("{label}: {violation}")),
                    }
                }
            }
            "NEGOTIATOR" => {
                if let Some(code) = message.strip_prefix("> Responding with \"") {
                    status = code.split('"').next().map(str::to_owned);
                }
            }
            _ => {}
        }
    }
    let mut failures = Vec::new();
    if rejected || !request_errors.is_empty() {
        if request_errors.is_empty() {
            request_errors.push("Prism logged \"Request did not pass the validation rules\"".into());
        }
        failures.extend(request_errors.into_iter().map(|v| format!("request violation: {v}")));
        // The `default` response's echo is left out (see above).
    } else {
        failures.extend(response_errors.into_iter().map(|v| format!("the mocked 200 answer violates the document: {v}")));
        if status.as_deref() != Some("200") {
            failures.push(format!("Prism answered {} instead of 200", status.as_deref().unwrap_or("nothing")));
        }
    }
    (failures, warnings)
}

// ---------------------------------------------------------------------------------------------
// The documents
// ---------------------------------------------------------------------------------------------

/// operationId → (method, path template) of every operation of `openapi/<vendor>.json`.
fn operations(vendor: &str) -> BTreeMap<String, (String, String)> {
    let path = workspace().join(format!("openapi/{vendor}.json"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut ops = BTreeMap::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                let previous = ops.insert(id.to_owned(), (method.to_uppercase(), template.clone()));
                assert!(previous.is_none(), "{vendor}: operationId {id} twice");
            }
        }
    }
    ops
}

/// Whether a request path fits a path template (`{param}` stands for one non-empty segment).
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| if t.starts_with('{') && t.ends_with('}') { !p.is_empty() } else { t == p })
}

// ---------------------------------------------------------------------------------------------
// A run of one document: the calls, what they returned, then Prism's log
// ---------------------------------------------------------------------------------------------

struct Run {
    vendor: &'static str,
    /// The operationId of every request expected on the wire, in order (token exchanges too).
    wire: Vec<&'static str>,
    /// The operations called through the typed client.
    called: BTreeSet<&'static str>,
    failures: Vec<String>,
}

impl Run {
    fn new(vendor: &'static str) -> Run {
        Run { vendor, wire: Vec::new(), called: BTreeSet::new(), failures: Vec::new() }
    }

    /// The client is about to fetch its token with `op` before the next call.
    fn token_exchange(&mut self, op: &'static str) {
        self.wire.push(op);
    }

    /// Records a call of `op` and its result; the payload when it is Ok.
    fn call<T, E: Deref<Target = runtime::Error>>(&mut self, op: &'static str, result: Result<T, E>) -> Option<T> {
        assert!(self.called.insert(op), "{op} called twice");
        self.wire.push(op);
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                let body = e.raw_body().map(String::from_utf8_lossy).unwrap_or_default();
                self.failures.push(format!("{op}: the call failed: {} (kind {:?}, HTTP status {:?}, code {:?}); raw body: {body}", *e, e.kind(), e.http_status(), e.code()));
                None
            }
        }
    }

    /// A check of a decoded payload.
    fn check(&mut self, op: &str, ok: bool, what: &str) {
        if !ok {
            self.failures.push(format!("{op}: the decoded payload: {what}"));
        }
    }

    /// Every operation of the document was called; the log has one exchange per expected request,
    /// each to its operation's method and path, and no violation. Returns the failures.
    fn finish(mut self, prism: &Prism, log: &[String], elapsed: Duration) -> Vec<String> {
        let ops = operations(self.vendor);
        let documented: BTreeSet<&str> = ops.keys().map(String::as_str).collect();
        if documented != self.called {
            let missing: Vec<_> = documented.difference(&self.called).collect();
            let unknown: Vec<_> = self.called.difference(&documented).collect();
            self.failures.push(format!("operations not called (add them to tests/prism.rs): {missing:?}; called but not in the document: {unknown:?}"));
        }
        let (startup, exchanges) = exchanges(log);
        for line in startup.iter().filter(|l| matches!(parse_line(l), Some((_, "error" | "fatal", _)))) {
            self.failures.push(format!("Prism at startup: {line}"));
        }
        if exchanges.len() != self.wire.len() {
            self.failures.push(format!("Prism logged {} requests, the calls should have sent {} ({:?})", exchanges.len(), self.wire.len(), self.wire));
        }
        for (i, exchange) in exchanges.iter().enumerate() {
            let op = self.wire.get(i).copied().unwrap_or("(unexpected request)");
            let shown = format!("{} {}", exchange.method.to_uppercase(), exchange.path);
            match ops.get(op) {
                Some((method, template)) if method.eq_ignore_ascii_case(&exchange.method) && fits(template, &exchange.path) => {}
                Some((method, template)) => self.failures.push(format!("request #{} was {shown}, expected {op} ({method} {template})", i + 1)),
                None => self.failures.push(format!("request #{} ({shown}) was not expected", i + 1)),
            }
            let (failures, warnings) = judge(exchange);
            for f in failures {
                self.failures.push(format!("{op} ({shown}): {f}"));
            }
            for w in warnings {
                eprintln!("prism {}: {op} ({shown}): {w}", self.vendor);
            }
        }
        eprintln!(
            "prism {}: {} operations called through the typed client, {} requests on the wire, {} ms, Prism at {}",
            self.vendor,
            self.called.len(),
            exchanges.len(),
            elapsed.as_millis(),
            prism.base_url
        );
        if !self.failures.is_empty() {
            eprintln!("---- Prism log ({}) ----\n{}\n---- end of Prism log ----", prism.vendor, log.join("\n"));
        }
        self.failures.into_iter().map(|f| format!("{}: {f}", self.vendor)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Feishu: 14 acs/v1 operations, 5 auth/v3 operations
// ---------------------------------------------------------------------------------------------

/// The specs' example user ID.
/// A user_access_token as Feishu issues them, for the user-token operations.
const FEISHU_USER_TOKEN: &str = "u-g1044ghJRUIJJ5ZPPZMOHKWZISL33E4QSS3abcef";
/// The `page_token` example of access_record/list.
const FEISHU_PAGE_TOKEN: &str = "AQD9/Rn9eij9Pm39ED40/dk53s4Ebp882DYfFaPFbz00L4CMZJrqGdzNyc8BcZtDbwVUvRmQTvyMYicnGWrde9X56TgdBuS+JKiSIkdexPw=";

/// A few bytes of a JPEG: the multipart file part.
fn face_jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    bytes.extend((0..512u32).map(|i| (i.wrapping_mul(131) % 256) as u8));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

async fn feishu_calls(prism: &Prism) -> Run {
    let mut run = Run::new("feishu");
    let lark = feishu::Client::builder()
        .app_id("cli_slkdjalasdkjasd")
        .app_secret("dskLLdkasdjlasdKK")
        .base_url(prism.base_url.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let (acs, auth) = (lark.acs().v1(), lark.auth().v3());

    // auth/v3: no token.
    let op = "TenantAccessTokenInternal";
    if let Some(a) = run.call(
        op,
        auth.tenant_access_token()
            .internal(feishu::auth_v3::TenantAccessTokenInternalRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() })
            .send()
            .await,
    ) {
        run.check(op, a.tenant_access_token.expose().starts_with("t-") && a.expire > 0, "a t- token with its expiry");
    }
    let op = "CreateTenantAccessToken";
    if let Some(a) = run.call(
        op,
        auth.tenant_access_token()
            .create(feishu::auth_v3::CreateTenantAccessTokenRequired {
                app_access_token: "a-32bd8551db2f081cbfd26293f27516390b9feb04".into(),
                tenant_key: "73658811060f175d".into(),
            })
            .send()
            .await,
    ) {
        run.check(op, a.tenant_access_token.expose().starts_with("t-") && a.expire > 0, "a t- token with its expiry");
    }
    let op = "AppAccessTokenInternal";
    if let Some(a) = run.call(
        op,
        auth.app_access_token()
            .internal(feishu::auth_v3::AppAccessTokenInternalRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() })
            .send()
            .await,
    ) {
        run.check(op, !a.app_access_token.expose().is_empty() && a.expire > 0, "an app token with its expiry");
    }
    let op = "CreateAppAccessToken";
    if let Some(a) = run.call(
        op,
        auth.app_access_token()
            .create(feishu::auth_v3::CreateAppAccessTokenRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into(), app_ticket: "dskLLdkasd".into() })
            .send()
            .await,
    ) {
        run.check(op, !a.app_access_token.expose().is_empty() && a.expire > 0, "an app token with its expiry");
    }
    let op = "ResendAppTicket";
    run.call(op, auth.app_ticket().resend(feishu::auth_v3::ResendAppTicketRequired { app_id: "cli_slkdjalasdkjasd".into(), app_secret: "dskLLdkasdjlasdKK".into() }).send().await);

    // acs/v1 with the tenant token: the first call fetches it from Prism's token endpoint.
    run.token_exchange("TenantAccessTokenInternal");
    let op = "GetUser";
    if let Some(d) = run.call(op, acs.user().get(FEISHU_USER).user_id_type(UserIdType::OpenId).send().await) {
        run.check(op, d.user.as_ref().and_then(|u| u.user_id.as_deref()) == Some(FEISHU_USER), "user.user_id is the example's");
        run.check(op, d.user.as_ref().and_then(|u| u.feature.as_ref()).and_then(|f| f.card) == Some(123456), "user.feature.card is the example's");
    }
    let op = "PatchUser";
    run.call(op, acs.user().patch(FEISHU_USER).user_id_type(UserIdType::OpenId).feature(Feature { card: Some(123456), face_uploaded: None }).send().await);
    let op = "ListUser";
    if let Some(p) = run.call(op, acs.user().list().page_size(10).page_token("10").user_id_type(UserIdType::OpenId).send().await) {
        run.check(op, p.items.as_ref().is_some_and(|i| !i.is_empty() && i[0].user_id.is_some()), "items with a user_id");
        run.check(op, p.has_more.is_some(), "has_more");
    }
    let op = "GetUserFace";
    if let Some(d) = run.call(op, acs.user_face().get(FEISHU_USER).is_cropped(true).user_id_type(UserIdType::OpenId).send().await) {
        run.check(op, !d.bytes.is_empty(), "the downloaded bytes");
    }
    let op = "ListDevice";
    if let Some(d) = run.call(op, acs.device().list().send().await) {
        run.check(op, d.items.as_ref().is_some_and(|i| !i.is_empty() && i[0].device_id.is_some() && i[0].device_name.is_some()), "devices with id and name");
    }
    let op = "ListAccessRecord";
    let request = acs
        .access_record()
        .list(feishu::acs_v1::ListAccessRecordRequired { from: 1624520521, to: 1624520521 })
        .page_size(100)
        .page_token(FEISHU_PAGE_TOKEN)
        .device_id("7091146989218002577");
    if let Some(p) = run.call(op, request.user_id_type(UserIdType::OpenId).send().await) {
        let first = p.items.as_ref().and_then(|i| i.first());
        run.check(op, first.is_some_and(|r| r.access_record_id.is_some() && r.access_type.is_some()), "records with id and access type");
    }
    let op = "GetAccessRecordAccessPhoto";
    if let Some(d) = run.call(op, acs.access_record_access_photo().get("6939433228970082591").send().await) {
        run.check(op, !d.bytes.is_empty(), "the downloaded bytes");
    }

    // acs/v1 with a user token passed per request.
    let op = "CreateRuleExternal";
    let request = acs.rule_external().create(feishu_rule(UserExternalUserType::Visitor)).rule_id("7298933941867135276").user_id_type(UserIdType::OpenId);
    if let Some(d) = run.call(op, request.user_access_token(FEISHU_USER_TOKEN).send().await) {
        run.check(op, d.rule_id.as_deref().is_some_and(|id| !id.is_empty()), "rule_id");
    }
    let op = "GetRuleExternal";
    let request = acs.rule_external().get().device_id("7296700518380863767").user_id_type(UserIdType::OpenId);
    if let Some(d) = run.call(op, request.user_access_token(FEISHU_USER_TOKEN).send().await) {
        let rule = d.rules.as_ref().and_then(|r| r.first());
        run.check(op, rule.is_some_and(|r| r.id.is_some() && r.users.as_ref().is_some_and(|u| !u.is_empty())), "rules with id and users");
    }
    let op = "DeleteRuleExternal";
    run.call(op, acs.rule_external().delete("7298933941867135276").user_access_token(FEISHU_USER_TOKEN).send().await);
    let op = "BindRuleExternalDevice";
    let request = acs.rule_external().device_bind("6939433228970082593", vec!["7298933941867135276".to_owned()]);
    run.call(op, request.user_access_token(FEISHU_USER_TOKEN).send().await);
    let op = "CreateVisitor";
    let request = acs.visitor().create(feishu_user_external(UserExternalUserType::Visitor)).user_id_type(UserIdType::OpenId);
    if let Some(d) = run.call(op, request.user_access_token(FEISHU_USER_TOKEN).send().await) {
        run.check(op, d.visitor_id.as_deref().is_some_and(|id| !id.is_empty()), "visitor_id");
    }
    let op = "DeleteVisitor";
    run.call(op, acs.visitor().delete("6939433228970082566").user_id_type(UserIdType::OpenId).user_access_token(FEISHU_USER_TOKEN).send().await);

    // The multipart upload last: Prism 5.16 dies on a file part without a Content-Type (its
    // multipart parser reads that header unchecked), and a crash here leaves the calls above
    // judged. The file goes as a caller sends it by default, without naming a content type.
    let op = "UpdateUserFace";
    let face = UploadFile::from_bytes("efeqz12f.jpg", face_jpeg());
    run.call(
        op,
        acs.user_face()
            .update(FEISHU_USER, feishu::acs_v1::UpdateUserFaceRequired { files: face, file_type: UpdateUserFaceFileType::Jpg, file_name: "efeqz12f.jpg".into() })
            .user_id_type(UserIdType::OpenId)
            .send()
            .await,
    );
    run
}

// ---------------------------------------------------------------------------------------------
// Authing: 39 management operations
// ---------------------------------------------------------------------------------------------

const AUTHING_USER: &str = "6229ffaxxxxxxxxcade3e3d9";
const PHOTO: &str = "https://files.authing.co/authing-console/default-user-avatar.png";
const BROWSER: &str =
    "Mozilla/5.0 (Linux; Android 10; V2001A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 VivoBrowser/10.2.10.0";

fn reset_notification() -> m::SendResetPasswordNotificationDto {
    m::SendResetPasswordNotificationDto {
        send_default_email_notification: Some(false),
        send_default_phone_notification: Some(false),
        input_send_email_notification: Some("test@example.com".into()),
        input_send_phone_notification: Some("136xxxx1234".into()),
        app_id: Some("app1".into()),
    }
}

fn create_user_info() -> m::CreateUserInfoDto {
    m::CreateUserInfoDto {
        status: Some(m::UserStatus::Activated),
        email: Some("test@example.com".into()),
        phone: Some("188xxxx8888".into()),
        phone_country_code: Some("+86".into()),
        username: Some("bob".into()),
        external_id: Some("10010".into()),
        name: Some("张三".into()),
        nickname: Some("张三".into()),
        photo: Some(PHOTO.into()),
        gender: Some(m::Gender::M),
        email_verified: Some(true),
        phone_verified: Some(true),
        birthdate: Some("2022-06-03".into()),
        country: Some("CN".into()),
        province: Some("BJ".into()),
        city: Some("BJ".into()),
        address: Some("北京朝阳".into()),
        street_address: Some("北京朝阳区 xxx 街道".into()),
        postal_code: Some("438100".into()),
        company: Some("steamory".into()),
        browser: Some(BROWSER.into()),
        device: Some("iOS".into()),
        given_name: Some("三".into()),
        family_name: Some("张".into()),
        middle_name: Some("James".into()),
        profile: Some("alice".into()),
        preferred_username: Some("alice".into()),
        website: Some("https://my-website.com".into()),
        zoneinfo: Some("GMT-08:00".into()),
        locale: Some("af".into()),
        formatted: Some("132, My Street, Kingston, New York 12401.".into()),
        region: Some("Xinjiang Uyghur Autonomous Region".into()),
        password: Some(Secret::new("passw0rd")),
        salt: Some("dgisaeieruur".into()),
        tenant_ids: Some(vec!["63f867961cxxxx41e7ccb582".into()]),
        otp: Some(m::CreateUserOtpDto { secret: Secret::new("HZ2F6J3AGNAVSOTV"), recovery_code: Some(Secret::new("b471-8ec0-874a-087f-bccb-cd54")) }),
        department_ids: Some(vec!["624d930c3xxxx5c08dd4986e".into()]),
        custom_data: Some(json!({"school": "北京大学", "age": 22})),
        metadata_source: Some(json!({"school": "北京大学", "age": 22})),
        identities: Some(vec![authing_wechat_identity()]),
        identity_number: Some("420421xxxxxxxx1234".into()),
    }
}

fn create_user_options() -> m::CreateUserOptionsDto {
    m::CreateUserOptionsDto {
        keep_password: Some(false),
        auto_generate_password: Some(true),
        reset_password_on_first_login: Some(true),
        department_id_type: Some("department_id".into()),
        send_notification: Some(m::SendCreateAccountNotificationDto { send_email_notification: Some(true), send_phone_notification: Some(false), app_id: Some("app1".into()) }),
        password_encrypt_type: Some(m::PasswordEncryptType::None),
    }
}

fn update_user_info() -> m::UpdateUserInfoDto {
    m::UpdateUserInfoDto {
        user_id: "63f867961cxxxx41e7ccb582".into(),
        phone_country_code: Some("+86".into()),
        name: Some("张三".into()),
        nickname: Some("张三".into()),
        photo: Some(PHOTO.into()),
        external_id: Some("10010".into()),
        status: Some(m::UserStatus::Activated),
        email_verified: Some(true),
        phone_verified: Some(true),
        birthdate: Some("2022-06-03".into()),
        country: Some("CN".into()),
        province: Some("BJ".into()),
        city: Some("BJ".into()),
        address: Some("北京朝阳".into()),
        street_address: Some("北京朝阳区 xxx 街道".into()),
        postal_code: Some("438100".into()),
        gender: Some(m::Gender::M),
        username: Some("bob".into()),
        email: Some("test@example.com".into()),
        phone: Some("188xxxx8888".into()),
        password: Some(Secret::new("passw0rd")),
        company: Some("steamory".into()),
        browser: Some(BROWSER.into()),
        device: Some("iOS".into()),
        given_name: Some("三".into()),
        family_name: Some("张".into()),
        middle_name: Some("James".into()),
        profile: Some("alice".into()),
        preferred_username: Some("alice".into()),
        website: Some("https://my-website.com".into()),
        zoneinfo: Some("GMT-08:00".into()),
        locale: Some("af".into()),
        formatted: Some("132, My Street, Kingston, New York 12401.".into()),
        region: Some("Xinjiang Uyghur Autonomous Region".into()),
        identity_number: Some("420421xxxxxxxx1234".into()),
        custom_data: Some(json!({"school": "北京大学", "age": 22})),
        metadata: Some(json!({"school": "北京大学", "age": 22})),
    }
}

fn is_example_user(user: &m::UserDto) -> bool {
    user.user_id == AUTHING_USER && user.status == m::UserStatus::Activated && user.email.as_deref() == Some("test@example.com")
}

async fn authing_calls(prism: &Prism) -> Run {
    let mut run = Run::new("authing");
    let pool = authing::Client::builder()
        .access_key_id("62a0ffffffffffffffffffff")
        .access_key_secret("s")
        .base_url(prism.base_url.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let api = pool.management();
    let uid = m::UserIdType::UserId;

    // No token.
    let op = "GetManagementToken";
    if let Some(t) =
        run.call(op, api.get_management_token(m::GetManagementTokenRequired { access_key_id: "62a0ffffffffffffffffffff".into(), access_key_secret: "s".into() }).send().await)
    {
        run.check(op, !t.access_token.expose().is_empty() && t.expires_in > 0, "a token with its expiry");
    }

    // The management token: the first call fetches it from Prism's get-management-token.
    run.token_exchange("GetManagementToken");
    let op = "CheckSessionStatus";
    if let Some(s) = run.call(op, api.check_session_status(m::CheckSessionStatusRequired { app_id: "app1".into(), user_id: AUTHING_USER.into() }).send().await) {
        run.check(op, s.active, "active is the example's true");
    }
    let op = "CreateUser";
    let request = authing_example_user(api.create_user()).options(create_user_options());
    if let Some(u) = run.call(op, request.send().await) {
        run.check(op, is_example_user(&u), "the example's user");
    }
    let op = "CreateUsersBatch";
    if let Some(users) = run.call(op, api.create_users_batch(vec![create_user_info()]).options(create_user_options()).send().await) {
        run.check(op, users.first().is_some_and(is_example_user), "the example's user");
    }
    let op = "DeleteUserSyncRelations";
    if let Some(r) = run.call(op, api.delete_user_sync_relations(m::SyncIdentityProvider::Wechatwork, AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "DeleteUsersBatch";
    let options = m::DeleteUsersBatchOptionsDto { user_id_type: Some(uid.clone()) };
    if let Some(r) = run.call(op, api.delete_users_batch(vec!["userId1".into(), "userId2".into()]).options(options).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "GetUserPasswordCiphertext";
    run.call(op, api.get_user_password_ciphertext(AUTHING_USER).user_id_type(uid.clone()).send().await);
    let op = "HasAnyRole";
    let roles = vec![m::HasRoleRolesDto { namespace: Some("default".into()), code: "admin".into() }];
    let options = m::HasAnyRoleOptionsDto { user_id_type: Some(uid.clone()) };
    if let Some(r) = run.call(op, api.has_any_role(roles, AUTHING_USER).options(options).send().await) {
        run.check(op, r.has_any_role, "hasAnyRole is the example's true");
    }
    let op = "ImportOtp";
    let otp = m::ImportOtpItemDataDto { secret: Secret::new("HZ2F6J3AGNAVSOTV"), recovery_code: Some(Secret::new("b471-8ec0-874a-087f-bccb-cd54")) };
    run.call(op, api.import_otp(vec![m::ImportOtpItemDto { user_id: AUTHING_USER.into(), otp }]).send().await);
    let op = "IsUserExists";
    if let Some(r) = run.call(op, api.is_user_exists().username("bob").email("test@example.com").phone("188xxxx8888").external_id("10010").send().await) {
        run.check(op, r.exists, "exists is the example's true");
    }
    let op = "KickUsers";
    let options = m::KickUsersOptionsDto { user_id_type: Some(uid.clone()) };
    if let Some(r) = run.call(op, api.kick_users(vec!["62188e71cxxxx3075289c580".into()], AUTHING_USER).options(options).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "LinkIdentity";
    let request = api
        .link_identity(m::LinkIdentityRequired {
            user_id_in_idp: "oj7Nq05R-RRaqak0_YlMLnnIwsvg".into(),
            user_id: AUTHING_USER.into(),
            ext_idp_id: "6076bacxxxxxxxxd80d993b5".into(),
        })
        .r#type("openid")
        .is_social(false);
    if let Some(r) = run.call(op, request.send().await) {
        run.check(op, r.success, "success");
    }
    let op = "ListUsers";
    let request = api
        .list_users()
        .keywords("张三")
        .advanced_filter(vec![m::ListUsersAdvancedFilterItemDto {
            field: m::ListUsersAdvancedFilterItemDtoField::Status,
            operator: m::ListUsersAdvancedFilterItemDtoOperator::Equal,
            value: Some(json!("Activated")),
        }])
        .search_query(json!({"query": {"bool": {"must": [{"term": {"phone": "18818888888"}}], "must_not": []}}, "sort": ["_score", {"created_at": "ASC"}]}))
        .options(m::ListUsersOptionsDto {
            pagination: Some(m::PaginationDto { page: Some(1), limit: Some(10) }),
            sort: Some(vec![
                m::SortingDto { field: m::SortingDtoField::CreatedAt, order: m::SortingDtoOrder::Desc },
                m::SortingDto { field: m::SortingDtoField::LoginsCount, order: m::SortingDtoOrder::Desc },
            ]),
            fuzzy_search_on: Some(["phone", "email", "name", "username", "nickname"].into_iter().map(Into::into).collect()),
            with_custom_data: Some(true),
            with_post: Some(false),
            with_identities: Some(true),
            with_department_ids: Some(true),
            flat_custom_data: Some(false),
        });
    if let Some(p) = run.call(op, request.send().await) {
        run.check(op, p.list.first().is_some_and(is_example_user), "the example's user");
    }
    let op = "ResetUserPrincipalAuthenticationInfo";
    let options = m::ResetUserPrincipalAuthenticationInfoOptionsDto { user_id_type: Some(uid.clone()) };
    if let Some(r) = run.call(op, api.reset_user_principal_authentication_info(AUTHING_USER).options(options).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "ResignUserBatch";
    if let Some(r) = run.call(op, api.resign_user_batch(vec![AUTHING_USER.into()]).user_id_type(uid.clone()).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "ResignUser";
    if let Some(r) = run.call(op, api.resign_user(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "SetMfaStatus";
    let trigger = m::GetMfaInfoDataDto {
        mfa_token: "xxxxxxx".into(),
        mfa_phone: Some("132xxxxx1234".into()),
        mfa_phone_country_code: Some("+86".into()),
        mfa_email: Some("authing@authing.com".into()),
        nickname: Some("test".into()),
        username: Some("test".into()),
        phone: Some("123xxxx1234".into()),
        phone_country_code: Some("+86".into()),
        face_mfa_enabled: Some(false),
        totp_mfa_enabled: Some(true),
        application_mfa: vec![m::ApplicationMfaDto { mfa_policy: "EMAIL".into(), status: 1, sort: Some(1) }],
    };
    if let Some(r) = run.call(op, api.set_mfa_status(trigger, AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "SetUserDepartments";
    let departments = vec![m::SetUserDepartmentDto { department_id: "60b49eb83fd80adb96f26e68".into(), is_leader: Some(true), is_main_department: Some(true) }];
    let options = m::SetUserDepartmentsOptionsDto { user_id_type: Some(uid.clone()) };
    if let Some(r) = run.call(op, api.set_user_departments(departments, AUTHING_USER).options(options).send().await) {
        run.check(op, r.success, "success");
    }
    let op = "UnlinkIdentity";
    if let Some(r) = run.call(
        op,
        api.unlink_identity(m::UnlinkIdentityRequired { user_id: AUTHING_USER.into(), ext_idp_id: "6076bacxxxxxxxxd80d993b5".into() })
            .r#type("openid")
            .is_social(false)
            .send()
            .await,
    ) {
        run.check(op, r.success, "success");
    }
    let op = "UpdateUserBatch";
    let options = m::UpdateUserBatchOptionsDto {
        reset_password_on_next_login: Some(true),
        password_encrypt_type: Some(m::PasswordEncryptType::None),
        auto_generate_password: Some(false),
        send_password_reseted_notification: Some(reset_notification()),
    };
    if let Some(users) = run.call(op, api.update_user_batch(vec![update_user_info()]).options(options).send().await) {
        run.check(op, users.first().is_some_and(is_example_user), "the example's user");
    }
    let op = "UpdateUser";
    let request = api
        .update_user(AUTHING_USER)
        .phone_country_code("+86")
        .name("张三")
        .nickname("张三")
        .photo(PHOTO)
        .external_id("10010")
        .status(m::UserStatus::Activated)
        .email_verified(true)
        .phone_verified(true)
        .birthdate("2022-06-03")
        .country("CN")
        .province("BJ")
        .city("BJ")
        .address("北京朝阳")
        .street_address("北京朝阳区 xxx 街道")
        .postal_code("438100")
        .gender(m::Gender::M)
        .username("bob")
        .email("test@example.com")
        .phone("188xxxx8888")
        .password("passw0rd")
        .with(|b| example_profile!(b))
        .identity_number("420421xxxxxxxx1234")
        .custom_data(json!({"school": "北京大学", "age": 22}))
        .metadata(json!({"school": "北京大学", "age": 22}))
        .options(m::UpdateUserOptionsDto {
            user_id_type: Some(uid.clone()),
            reset_password_on_first_login: Some(true),
            reset_password_on_next_login: Some(false),
            password_encrypt_type: Some(m::PasswordEncryptType::None),
            auto_generate_password: Some(true),
            send_password_reseted_notification: Some(reset_notification()),
        });
    if let Some(u) = run.call(op, request.send().await) {
        run.check(op, is_example_user(&u), "the example's user");
    }

    // GET: everything in the query string.
    let op = "GetMfaStatus";
    if let Some(d) = run.call(op, api.get_mfa_status(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, !d.mfa_token.is_empty() && !d.application_mfa.is_empty(), "mfaToken and applicationMfa");
    }
    let op = "GetOtpSecretByUser";
    if let Some(d) = run.call(op, api.get_otp_secret_by_user(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, !d.secret.expose().is_empty(), "the secret");
    }
    let op = "GetUserAccessibleApps";
    if let Some(d) = run.call(op, api.get_user_accessible_apps(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|a| !a.app_id.is_empty()), "apps with an appId");
    }
    let op = "GetUserAuthorizedApps";
    if let Some(d) = run.call(op, api.get_user_authorized_apps(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|a| !a.app_id.is_empty()), "apps with an appId");
    }
    let op = "GetUserAuthorizedResources";
    let request = api.get_user_authorized_resources(AUTHING_USER).user_id_type(uid.clone()).namespace("default").resource_type("API");
    if let Some(d) = run.call(op, request.send().await) {
        run.check(op, d.list.first().is_some_and(|r| !r.resource_code.is_empty() && !r.actions.is_empty()), "resources with code and actions");
    }
    let op = "GetUserBatch";
    let request = api
        .get_user_batch(vec![AUTHING_USER.into(), "6229ffaxxxxxxxxcade3e3d0".into()])
        .user_id_type(uid.clone())
        .with_custom_data(true)
        .flat_custom_data(false)
        .with_identities(true)
        .with_department_ids(true);
    if let Some(users) = run.call(op, request.send().await) {
        run.check(op, users.first().is_some_and(is_example_user), "the example's user");
    }
    let op = "GetUserDepartments";
    let request = api
        .get_user_departments(AUTHING_USER)
        .user_id_type(uid.clone())
        .page(1)
        .limit(10)
        .with_custom_data(true)
        .with_department_paths(false)
        .sort_by("JoinDepartmentAt")
        .order_by("Desc");
    if let Some(p) = run.call(op, request.send().await) {
        run.check(op, p.list.first().is_some_and(|d| !d.department_id.is_empty()), "departments with an id");
    }
    let op = "GetUserGroups";
    if let Some(p) = run.call(op, api.get_user_groups(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, p.list.first().is_some_and(|g| !g.code.is_empty() && g.members.first().is_some_and(is_example_user)), "groups with code and members");
    }
    let op = "GetUserIdentities";
    if let Some(d) = run.call(op, api.get_user_identities(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|i| i.provider == m::IdentityProvider::Wechat), "identities with their provider");
    }
    let op = "GetUserLoggedInIdentities";
    if let Some(d) = run.call(op, api.get_user_logged_in_identities(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|i| !i.identity_id.is_empty()), "identities with an id");
    }
    let op = "GetUserLoggedinApps";
    if let Some(d) = run.call(op, api.get_user_loggedin_apps(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|a| !a.app_id.is_empty()), "apps with an appId");
    }
    let op = "GetUserLoginHistory";
    let request =
        api.get_user_login_history(AUTHING_USER).user_id_type(uid.clone()).app_id("app1").client_ip("127.0.0.1").start(1_647_360_000_000).end(1_648_051_199_000).page(1).limit(10);
    if let Some(p) = run.call(op, request.send().await) {
        run.check(op, p.list.first().is_some_and(|h| !h.app_id.is_empty()), "history entries with an appId");
    }
    let op = "GetUserMfaInfo";
    if let Some(d) = run.call(op, api.get_user_mfa_info(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, !d.totp_status.is_empty(), "totpStatus");
    }
    let op = "GetUserPrincipalAuthenticationInfo";
    if let Some(p) = run.call(op, api.get_user_principal_authentication_info(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, p.list.first().is_some_and(|e| !e.principal_code.is_empty()), "entries with a principalCode");
    }
    let op = "GetUserRoles";
    if let Some(p) = run.call(op, api.get_user_roles(AUTHING_USER).user_id_type(uid.clone()).namespace("default").send().await) {
        run.check(op, p.list.first().is_some_and(|r| !r.code.is_empty()), "roles with a code");
    }
    let op = "GetUserSyncRelations";
    if let Some(d) = run.call(op, api.get_user_sync_relations(AUTHING_USER).user_id_type(uid.clone()).send().await) {
        run.check(op, d.first().is_some_and(|r| !r.user_id_in_idp.is_empty()), "relations with userIdInIdp");
    }
    let op = "GetUser";
    let request =
        api.get_user(AUTHING_USER).user_id_type(uid.clone()).flat_custom_data(false).with_custom_data(true).with_post(true).with_identities(true).with_department_ids(true);
    if let Some(u) = run.call(op, request.send().await) {
        run.check(op, is_example_user(&u), "the example's user");
    }
    let op = "ListArchivedUsers";
    if let Some(p) = run.call(op, api.list_archived_users().page(1).limit(10).start_at(1_655_714_763_890).send().await) {
        run.check(op, p.list.first().is_some_and(|u| !u.user_id.is_empty()), "archived users with a userId");
    }
    run
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

async fn contract(binary: &Path, vendor: &'static str) -> Vec<String> {
    let mut prism = Prism::start(binary, vendor).await;
    let started = Instant::now();
    let run = match vendor {
        "feishu" => feishu_calls(&prism).await,
        _ => authing_calls(&prism).await,
    };
    let (log, exited) = prism.finished_log().await;
    let mut failures = run.finish(&prism, &log, started.elapsed());
    if let Some(status) = exited {
        let last = exchanges(&log).1.pop().map(|e| format!("{} {}", e.method.to_uppercase(), e.path)).unwrap_or_default();
        let stderr: Vec<&str> = log.iter().filter_map(|l| l.strip_prefix("[stderr] ")).filter(|l| !l.trim().is_empty()).take(4).collect();
        failures.insert(0, format!("{vendor}: Prism exited ({status}) during the calls, last while handling {last}: {}", stderr.join(" | ")));
    }
    failures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_passes_prism_validation_of_the_exported_documents() {
    let Some(binary) = find_prism() else { return };
    let started = Instant::now();
    // One Prism per document, both at once; the calls within a document are sequential, so that
    // each request's lines in Prism's log are contiguous.
    let (feishu, authing) = tokio::join!(contract(&binary, "feishu"), contract(&binary, "authing"));
    let failures: Vec<String> = feishu.into_iter().chain(authing).collect();
    eprintln!("prism contract test: both documents in {:.1} s", started.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{} problem(s) against Prism:\n  {}", failures.len(), failures.join("\n  "));
}

/// The log reading above, on lines Prism 5.16 wrote (runs without Prism): a valid request, an
/// invalid query parameter, a missing token, and a path in no document.
#[test]
fn prism_log_lines_are_judged_as_prism_writes_them() {
    let log: Vec<String> = [
        "[10:07:47 PM] › [CLI] …  awaiting  Starting Prism…",
        "[10:07:47 PM] › [CLI] ℹ  info      GET        http://127.0.0.1:4710/open-apis/acs/v1/devices",
        "[10:07:47 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4710",
        "[10:07:54 PM] › [HTTP SERVER] get /open-apis/acs/v1/users/ou_1 ℹ  info      Request received",
        "[10:07:54 PM] ›     [NEGOTIATOR] ℹ  info      Request contains an accept header: */*",
        "[10:07:54 PM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response",
        "[10:07:54 PM] ›     [NEGOTIATOR] ✔  success   Responding with the requested status code 200",
        "[10:07:54 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"200\"",
        "[10:07:54 PM] › [HTTP SERVER] get /open-apis/acs/v1/users/ou_1 ℹ  info      Request received",
        "[10:07:54 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Request query parameter user_id_type must be equal to one of the allowed values: open_id, union_id, user_id",
        "[10:07:54 PM] ›     [NEGOTIATOR] ✔  success   Created a 422 from a default response",
        "[10:07:54 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"422\"",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Violation: request.query.user_id_type Request query parameter user_id_type must be equal to one of the allowed values: open_id, union_id, user_id",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Violation: response.body.code Response body property code must NOT be valid",
        "[10:07:54 PM] › [HTTP SERVER] get /open-apis/acs/v1/users/ou_1 ℹ  info      Request received",
        "[10:07:54 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Invalid security scheme used",
        "[10:07:54 PM] ›     [NEGOTIATOR] ✔  success   Created a 401 from a default response",
        "[10:07:54 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"401\"",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Violation: request Invalid security scheme used",
        "[10:07:54 PM] ›     [VALIDATOR] ✖  error     Violation: response.body.code Response body property code must NOT be valid",
        "[10:08:34 PM] › [HTTP SERVER] get /nope ℹ  info      Request received",
        "[10:08:34 PM] › [HTTP SERVER] get /nope ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched",
        "[10:08:34 PM] › [HTTP SERVER] get /__prism_contract_test_end__ ℹ  info      Request received",
        "[10:08:34 PM] › [HTTP SERVER] get /__prism_contract_test_end__ ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched",
    ]
    .map(str::to_owned)
    .into();

    let (startup, found) = exchanges(&log);
    assert_eq!(startup.len(), 3);
    let shown: Vec<String> = found.iter().map(|e| format!("{} {}", e.method, e.path)).collect();
    assert_eq!(shown, ["get /open-apis/acs/v1/users/ou_1", "get /open-apis/acs/v1/users/ou_1", "get /open-apis/acs/v1/users/ou_1", "get /nope"], "the end marker ends the list");
    let judged: Vec<Vec<String>> = found.iter().map(|e| judge(e).0).collect();
    assert_eq!(judged[0], Vec::<String>::new(), "a valid request answered 200");
    assert_eq!(
        judged[1],
        ["request violation: request.query.user_id_type Request query parameter user_id_type must be equal to one of the allowed values: open_id, union_id, user_id"],
        "the request violation, without the default response's echo"
    );
    assert_eq!(judged[2], ["request violation: request Invalid security scheme used"]);
    assert_eq!(judged[3].len(), 1);
    assert!(judged[3][0].contains("Request terminated with error"), "{:?}", judged[3]);
    assert!(fits("/open-apis/acs/v1/users/{user_id}/face", "/open-apis/acs/v1/users/ou_1/face"));
    assert!(!fits("/open-apis/acs/v1/users/{user_id}", "/open-apis/acs/v1/users"));
}
