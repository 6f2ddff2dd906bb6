//! The cost of a token-cache hit.
//!
//! The cache (`runtime/token.rs`, `TokenCache::get`) is crate-private and is handed its fetch by
//! the request pipeline: there is no public way to time the lookup alone. So this bench times
//! `send()` of Feishu GetUser against a loopback server with two clients that both hit the cache
//! on every call:
//!
//! * `credentials_cached`: built with `app_id`/`app_secret`; its tenant_access_token was fetched
//!   from the loopback token endpoint once, before the timing loop (the bench asserts the token
//!   endpoint is hit exactly once in the whole run, so every timed call is a cache hit).
//! * `static_token`: built with `static_token("t-x")`, preset in the same cache slot with no
//!   expiry.
//!
//! Both take the same path: find the slot, read it under its `std::sync::RwLock` (a hit never
//! waits on the async lock that single-flights a fetch), clone the `Arc<Issued>`. The only
//! difference is `Issued::fresh`: a credential-backed token has an expiry, so the check reads the
//! clock (`Instant::now()` + `checked_add(margin)` + compare), while a static token returns at
//! `None`. The difference of the two medians is that cost (and is expected to vanish in the noise
//! of a loopback round trip); `fresh_check_model` times the same clock read and compare alone to
//! show its size, and a paired run (see `paired`) prints the median ratio of the two with
//! criterion's run-to-run drift taken out.
//!
//! Run: `cargo bench -p generated-client --bench token`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

use generated_client::feishu;

const USER_ID: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const TOKEN: &str = "t-x";

mod common;
use common::*;

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
    group.bench_function("fresh_check_model", |b| b.iter(|| Instant::now().checked_add(black_box(margin)).is_some_and(|due| due < black_box(expires_at))));
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
