//! A full call against a loopback server: the generated Feishu client
//! (`lark.acs().v1().user().get(id).user_id_type("open_id").send()`) against a raw reqwest call
//! with the same URL and headers, whose body is parsed into a hand-written struct.
//!
//! One server on 127.0.0.1, started before any timing on its own thread and runtime, answers
//! every request with the spec's GetUser example (fixed bytes, Content-Length, keep-alive); both
//! sides use it, on the same single-threaded tokio runtime (`to_async`), each with its own
//! keep-alive connection. The generated client has a `static_token`, so no token exchange
//! happens in the loop. After criterion's two functions, a paired run alternates the two in
//! rounds and prints the median of the per-round ratios (see `paired`), which drift between the
//! two criterion runs cannot bias.
//!
//! Run: `cargo bench -p generated-client --bench call`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;

use generated_client::feishu;

const USER_ID: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const TOKEN: &str = "t-x";

#[derive(Debug, Deserialize)]
struct Envelope {
    code: i64,
    #[allow(dead_code)]
    msg: String,
    data: Option<GetUserData>,
}

#[derive(Debug, Deserialize)]
struct GetUserData {
    user: Option<User>,
}

#[derive(Debug, Deserialize)]
struct User {
    feature: Option<Feature>,
    #[allow(dead_code)]
    user_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Feature {
    card: Option<i64>,
    #[allow(dead_code)]
    face_uploaded: Option<bool>,
}

mod common;
use common::*;

fn bench_call(c: &mut Criterion) {
    let body = response_example("feishu/acs/v1/user/get");
    let (base, routes) = start_server(vec![("", "/", http_response(&body, "x-tt-logid: 20240101000000abcdef\r\n"))]);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("bench runtime");
    let lark = feishu::Client::builder().static_token(TOKEN).base_url(base.clone()).build().expect("client");
    // The same configuration as the generated client's own reqwest client (client.rs `build`).
    let raw =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).connect_timeout(Duration::from_secs(5)).tls_backend_rustls().https_only(false).build().expect("reqwest client");

    let generated = || async {
        let data = lark.acs().v1().user().get(USER_ID).user_id_type("open_id").send().await.expect("generated call");
        data.user.and_then(|u| u.feature).and_then(|f| f.card)
    };
    let hand = || async {
        let url = format!("{base}/open-apis/acs/v1/users/{USER_ID}?user_id_type=open_id");
        let bytes = raw.get(url).header("authorization", format!("Bearer {TOKEN}")).send().await.expect("raw call").bytes().await.expect("raw body");
        let envelope: Envelope = serde_json::from_slice(&bytes).expect("hand-written decode");
        assert_eq!(envelope.code, 0);
        envelope.data.and_then(|d| d.user).and_then(|u| u.feature).and_then(|f| f.card)
    };
    // Both answer the same, and each opens its keep-alive connection before timing.
    assert_eq!(rt.block_on(generated()), Some(123456));
    assert_eq!(rt.block_on(hand()), Some(123456));

    let mut group = c.benchmark_group("call/feishu-acs-v1-user-get");
    group.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("generated_send", |b| b.to_async(&rt).iter(|| async { black_box(generated().await) }));
    group.bench_function("raw_reqwest_hand_written", |b| b.to_async(&rt).iter(|| async { black_box(hand().await) }));
    group.finish();

    let p = paired(&rt, 40, 250, generated, hand);
    eprintln!(
        "call paired (40 rounds × 250 calls each, alternating): generated_send {:.2} µs, raw_reqwest_hand_written {:.2} µs, median ratio generated/raw {:.3} (rounds {:.3}–{:.3})",
        p.a_ns / 1e3,
        p.b_ns / 1e3,
        p.ratio,
        p.ratio_min,
        p.ratio_max
    );
    eprintln!("call: loopback server answered {} requests", routes.hits[0].load(Ordering::Relaxed));
}

criterion_group!(benches, bench_call);
criterion_main!(benches);
