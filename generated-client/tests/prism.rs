//! Contract test against a third-party mock server: Prism (`@stoplight/prism-cli`) serves each
//! exported OpenAPI document (`openapi/feishu.json`, `openapi/authing.json`) on 127.0.0.1, and the
//! generated client calls every operation of both documents through its typed API: each
//! operation's case (`tests/calls/`, built by regen from the spec's examples), the token
//! exchanges as operations of their own.
//!
//! What it proves, per operation: the request the client sends (method, path and path parameters,
//! query styles, JSON and multipart bodies, the bearer token the document's `security` asks for)
//! passes Prism's request validation against the exported document; the answer Prism mocks from
//! the document (the `200` example) decodes into the typed payload; and the operationIds called
//! are exactly the document's. Prism's log is checked request by request (the calls are sequential per document),
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
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod calls;

use calls::{Body, Case};
use generated_client::runtime::RetryPolicy;
use generated_client::{authing, feishu};
use serde_json::Value;

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
                    // Prism reads JSON numbers as doubles: an int64 beyond 2^53 in an example
                    // fails its format check, though the JSON is valid and the client reads it.
                    let beyond_doubles = violation.ends_with("must be <= 9007199254740991") || violation.ends_with("must be >= -9007199254740991");
                    match (violation.starts_with("request"), label) {
                        (true, "error") => request_errors.push(violation.to_owned()),
                        (false, "error") if !beyond_doubles => response_errors.push(violation.to_owned()),
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
    /// The operations whose call returned an error.
    failed: BTreeSet<&'static str>,
    failures: Vec<String>,
}

impl Run {
    fn new(vendor: &'static str) -> Run {
        Run { vendor, wire: Vec::new(), called: BTreeSet::new(), failed: BTreeSet::new(), failures: Vec::new() }
    }

    /// Records a call of `op` (the operation of `spec`) and how it ended: its answer decoded, or
    /// the client's error.
    fn call(&mut self, op: &'static str, spec: &str, outcome: Result<(), String>) {
        assert!(self.called.insert(op), "{op} called twice");
        self.wire.push(op);
        if let Err(e) = outcome {
            self.failed.insert(op);
            self.failures.push(format!("{op} ({spec}): the call failed: {e}"));
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
            self.failures.push(format!("operations not called (is every service's feature on?): {missing:?}; called but not in the document: {unknown:?}"));
        }
        let (startup, exchanges) = exchanges(log);
        for line in startup.iter().filter(|l| matches!(parse_line(l), Some((_, "error" | "fatal", _)))) {
            self.failures.push(format!("Prism at startup: {line}"));
        }
        if exchanges.len() != self.wire.len() {
            self.failures.push(format!("Prism logged {} requests, the calls should have sent {}", exchanges.len(), self.wire.len()));
        }
        let matches = |op: &str, exchange: &Exchange| ops.get(op).is_some_and(|(method, template)| method.eq_ignore_ascii_case(&exchange.method) && fits(template, &exchange.path));
        let mut next = 0;
        for (i, exchange) in exchanges.iter().enumerate() {
            // A call that failed without an answer (already a failure) may never have reached
            // Prism: the log goes on with the next call's request, not out of step for the rest.
            while self.wire.get(next).is_some_and(|op| self.failed.contains(op) && !matches(op, exchange)) && self.wire.get(next + 1).is_some_and(|op| matches(op, exchange)) {
                next += 1;
            }
            let op = self.wire.get(next).copied().unwrap_or("(unexpected request)");
            next += 1;
            let shown = format!("{} {}", exchange.method.to_uppercase(), exchange.path);
            match ops.get(op) {
                Some(_) if matches(op, exchange) => {}
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
// The calls: every operation's case (tests/calls/), through a client on Prism
// ---------------------------------------------------------------------------------------------

/// Every case in order, multipart uploads last (should Prism die on one, the calls before it are
/// judged), through `client`; the operations called and what they returned.
async fn calls<C: Clone>(vendor: &'static str, mut cases: Vec<Case<C>>, client: C) -> Run {
    assert!(!cases.is_empty(), "no cases: are the services' features on?");
    cases.sort_by_key(|c| matches!(c.body, Body::Multipart(_)));
    let mut run = Run::new(vendor);
    for case in &cases {
        let outcome = (case.call)(client.clone()).await;
        run.call(case.operation_id, case.spec, outcome);
    }
    run
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

async fn contract(binary: PathBuf, vendor: &'static str) -> Vec<String> {
    let mut prism = Prism::start(&binary, vendor).await;
    let started = Instant::now();
    // Prism (Node) closes a connection idle for 5 s; a pooled connection reused just then is reset
    // by the server under the request. Idle connections are dropped after 2 s instead, so a stall
    // of the test (the other document's judging) cannot turn into a failed call.
    let http = reqwest::Client::builder().pool_idle_timeout(Duration::from_secs(2)).build().unwrap();
    // A static token: Prism checks that the bearer token the document's security asks for is
    // there, not its value; the exchanges are called as operations of their own.
    let run = match vendor {
        "feishu" => {
            let client = feishu::Client::builder()
                .static_token("t-prism")
                .static_token_for("app", "a-prism")
                .base_url(prism.base_url.clone())
                .http_client(http)
                .retry_policy(RetryPolicy::disabled())
                .build()
                .unwrap();
            calls(vendor, calls::feishu::cases(), client).await
        }
        _ => {
            let client =
                authing::Client::builder().static_token("prism-token").base_url(prism.base_url.clone()).http_client(http).retry_policy(RetryPolicy::disabled()).build().unwrap();
            calls(vendor, calls::authing::cases(), client).await
        }
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
    // Each on a task of its own: the judging of one (synchronous, seconds in a debug build) does not
    // stall the other's calls.
    let feishu = tokio::spawn(contract(binary.clone(), "feishu"));
    let authing = tokio::spawn(contract(binary, "authing"));
    let (feishu, authing) = (feishu.await.expect("the feishu contract panicked"), authing.await.expect("the authing contract panicked"));
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
