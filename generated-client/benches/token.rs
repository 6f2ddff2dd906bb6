//! The cost of a token-cache hit.
//!
//! The cache (`runtime/token.rs`, `TokenCache::get`) is crate-private: there is no public way to
//! time the lookup alone. So this bench times `send()` of Feishu GetUser against a loopback
//! server with two clients that both hit the cache on every call:
//!
//! * `credentials_cached`: built with `app_id`/`app_secret`; its tenant_access_token was fetched
//!   from the loopback token endpoint once, before the timing loop (the bench asserts the token
//!   endpoint is hit exactly once in the whole run, so every timed call is a cache hit).
//! * `static_token`: built with `static_token("t-x")`, preset in the same cache slot with no
//!   expiry.
//!
//! Both take the same path: find the slot, lock its `tokio::sync::Mutex`, clone the
//! `Arc<Issued>`. The only difference is `Issued::fresh`: a credential-backed token has an
//! expiry, so the check reads the clock (`Instant::now()` + `checked_add(margin)` + compare),
//! while a static token returns at `None`. The difference of the two medians is that cost (and
//! is expected to vanish in the noise of a loopback round trip); `fresh_check_model` times the
//! same clock read and compare alone to show its size, and a paired run (see `paired`) prints
//! the median ratio of the two with criterion's run-to-run drift taken out.
//!
//! Run: `cargo bench -p generated-client --bench token`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use generated_client::feishu;

const USER_ID: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const TOKEN: &str = "t-x";

// ---------------------------------------------------------------------------------------------
// The loopback server (the same code is in benches/call.rs).

/// One fixed answer per route: `(method, path prefix, full HTTP response bytes)`; the first
/// match wins, the last route should match everything.
struct Routes {
    routes: Vec<(&'static str, &'static str, Vec<u8>)>,
    hits: Vec<AtomicU64>,
}

fn http_response(body: &[u8], extra_headers: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n{extra_headers}\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Starts the server on its own thread and single-threaded runtime; returns `http://127.0.0.1:port`.
fn start_server(routes: Vec<(&'static str, &'static str, Vec<u8>)>) -> (String, Arc<Routes>) {
    let hits = routes.iter().map(|_| AtomicU64::new(0)).collect();
    let routes = Arc::new(Routes { routes, hits });
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let addr = std_listener.local_addr().expect("local addr");
    let served = routes.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(std_listener).expect("tokio listener");
            loop {
                let Ok((socket, _)) = listener.accept().await else { continue };
                let _ = socket.set_nodelay(true);
                tokio::spawn(connection(socket, served.clone()));
            }
        });
    });
    (format!("http://{addr}"), routes)
}

/// Answers HTTP/1.1 requests on one keep-alive connection until the client closes it.
async fn connection(mut socket: TcpStream, routes: Arc<Routes>) {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap_or_default().split(' ');
        let method = request_line.next().unwrap_or_default().to_owned();
        let target = request_line.next().unwrap_or_default().to_owned();
        let length: usize = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + length {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + length);
        let Some(i) = routes.routes.iter().position(|(m, p, _)| (m.is_empty() || *m == method) && target.starts_with(p)) else { return };
        routes.hits[i].fetch_add(1, Ordering::Relaxed);
        if socket.write_all(&routes.routes[i].2).await.is_err() {
            return;
        }
    }
}

/// The response example of `specs/<rel>.yaml`, read through the codegen library.
fn response_example(rel: &str) -> Vec<u8> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("specs do not load:\n{}", d.render()));
    set.vendors
        .iter()
        .flat_map(|v| v.operations.iter().map(move |o| (format!("{}/{}", v.dir, o.rel_path), o)))
        .find(|(r, _)| r == rel)
        .and_then(|(_, o)| o.response_example.as_ref())
        .map(|e| e.value.clone().into_bytes())
        .unwrap_or_else(|| panic!("no response example for {rel}"))
}

// ---------------------------------------------------------------------------------------------
// Paired rounds (the same code is in benches/call.rs): criterion times one function after the
// other, so a drift of the loopback round trip between the two (on this 2-vCPU machine it moves
// by 10-20 % from one minute to the next) lands whole in the ratio of their medians. Here the two
// alternate in rounds of `per_round` calls, the order swapped every round, and each round gives
// one ratio of means; the median of those ratios is printed beside criterion's figures.

struct Paired {
    a_ns: f64,
    b_ns: f64,
    ratio: f64,
    ratio_min: f64,
    ratio_max: f64,
}

fn paired<FA, FB, A, B>(rt: &tokio::runtime::Runtime, rounds: usize, per_round: usize, a: FA, b: FB) -> Paired
where
    FA: Fn() -> A,
    FB: Fn() -> B,
    A: std::future::Future,
    B: std::future::Future,
{
    rt.block_on(async {
        let (mut a_means, mut b_means, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            let (mut time_a, mut time_b) = (Duration::ZERO, Duration::ZERO);
            for run_a in [round % 2 == 0, round % 2 != 0] {
                let start = std::time::Instant::now();
                for _ in 0..per_round {
                    if run_a {
                        black_box(a().await);
                    } else {
                        black_box(b().await);
                    }
                }
                if run_a {
                    time_a += start.elapsed();
                } else {
                    time_b += start.elapsed();
                }
            }
            let (mean_a, mean_b) = (time_a.as_nanos() as f64 / per_round as f64, time_b.as_nanos() as f64 / per_round as f64);
            a_means.push(mean_a);
            b_means.push(mean_b);
            ratios.push(mean_a / mean_b);
        }
        let ratio_min = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let ratio_max = ratios.iter().copied().fold(0.0, f64::max);
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        Paired { a_ns: median(a_means), b_ns: median(b_means), ratio: median(ratios), ratio_min, ratio_max }
    })
}

fn bench_token(c: &mut Criterion) {
    let body = response_example("feishu/acs/v1/user/get");
    let token_body = format!(r#"{{"code":0,"msg":"ok","tenant_access_token":"{TOKEN}","expire":7200}}"#);
    let (base, routes) = start_server(vec![
        ("POST", "/open-apis/auth/v3/tenant_access_token/internal", http_response(token_body.as_bytes(), "")),
        ("", "/", http_response(&body, "x-tt-logid: 20240101000000abcdef\r\n")),
    ]);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("bench runtime");
    let with_credentials = feishu::Client::builder().app_id("cli_a").app_secret("s").base_url(base.clone()).build().expect("client");
    let with_static = feishu::Client::builder().static_token(TOKEN).base_url(base.clone()).build().expect("client");

    let call = |client: &feishu::Client| {
        let request = client.acs().v1().user().get(USER_ID).user_id_type("open_id");
        async move { request.send().await.expect("call").user.and_then(|u| u.feature).and_then(|f| f.card) }
    };
    // The one token fetch, before any timing; both clients open their connection here too.
    assert_eq!(rt.block_on(call(&with_credentials)), Some(123456));
    assert_eq!(rt.block_on(call(&with_static)), Some(123456));
    assert_eq!(routes.hits[0].load(Ordering::Relaxed), 1, "the token was fetched once");

    let mut group = c.benchmark_group("token/cache-hit-send");
    group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("credentials_cached", |b| b.to_async(&rt).iter(|| async { black_box(call(&with_credentials).await) }));
    group.bench_function("static_token", |b| b.to_async(&rt).iter(|| async { black_box(call(&with_static).await) }));
    let margin = generated_client::runtime::DEFAULT_REFRESH_MARGIN;
    let expires_at = Instant::now() + Duration::from_secs(7200);
    group.bench_function("fresh_check_model", |b| {
        b.iter(|| Instant::now().checked_add(black_box(margin)).is_some_and(|due| due < black_box(expires_at)))
    });
    group.finish();

    let p = paired(&rt, 40, 250, || call(&with_credentials), || call(&with_static));
    eprintln!(
        "token paired (40 rounds × 250 calls each, alternating): credentials_cached {:.2} µs, static_token {:.2} µs, median ratio {:.3} (rounds {:.3}–{:.3})",
        p.a_ns / 1e3,
        p.b_ns / 1e3,
        p.ratio,
        p.ratio_min,
        p.ratio_max
    );

    let fetches = routes.hits[0].load(Ordering::Relaxed);
    eprintln!("token: token endpoint hit {fetches} time(s); {} API calls answered", routes.hits[1].load(Ordering::Relaxed));
    assert_eq!(fetches, 1, "every timed call was a cache hit");
}

criterion_group!(benches, bench_token);
criterion_main!(benches);
