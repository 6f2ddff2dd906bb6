//! What the call and token benches share: a loopback HTTP server with fixed answers, the spec's
//! examples, and paired rounds that alternate two calls to cancel drift between them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// The loopback server.

/// One fixed answer per route: `(method, path prefix, full HTTP response bytes)`; the first
/// match wins, the last route should match everything.
pub struct Routes {
    pub routes: Vec<(&'static str, &'static str, Vec<u8>)>,
    pub hits: Vec<AtomicU64>,
}

pub fn http_response(body: &[u8], extra_headers: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n{extra_headers}\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Starts the server on its own thread and single-threaded runtime; returns `http://127.0.0.1:port`.
pub fn start_server(routes: Vec<(&'static str, &'static str, Vec<u8>)>) -> (String, Arc<Routes>) {
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
pub async fn connection(mut socket: TcpStream, routes: Arc<Routes>) {
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
        let length: usize =
            lines.filter_map(|l| l.split_once(':')).find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.trim().parse().ok()).unwrap_or(0);
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
pub fn response_example(rel: &str) -> Vec<u8> {
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
// Paired rounds: criterion times one function after the
// other, so a drift of the loopback round trip between the two (on this 2-vCPU machine it moves
// by 10-20 % from one minute to the next) lands whole in the ratio of their medians. Here the two
// alternate in rounds of `per_round` calls, the order swapped every round, and each round gives
// one ratio of means; the median of those ratios is printed beside criterion's figures.

pub struct Paired {
    pub a_ns: f64,
    pub b_ns: f64,
    pub ratio: f64,
    pub ratio_min: f64,
    pub ratio_max: f64,
}

pub fn paired<FA, FB, A, B>(rt: &tokio::runtime::Runtime, rounds: usize, per_round: usize, a: FA, b: FB) -> Paired
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
