//! The generator on the whole real spec set (`specs/`):
//!
//! * `expand`: `codegen::analyze` then `codegen::emit_inline`, what the `generate!` macro runs
//!   (load, check, emit every module inline as one token stream; no formatting);
//! * `render`: `codegen::analyze` then `codegen::render`, what regen runs (load, check, emit, then
//!   prettyplease-format each file);
//! * `load` and `analyze`: the front end's stages alone, to see where the time goes.
//!
//! Throughput is reported in operations (elements/s); time per operation = median / operations.
//!
//! Run: `cargo bench -p codegen --bench expand`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn bench_expand(c: &mut Criterion) {
    let specs = specs_dir();
    let shown_as = Path::new("specs");
    let (set, _) = codegen::load(&specs).unwrap_or_else(|d| panic!("specs do not load:\n{}", d.render()));
    let operations: usize = set.vendors.iter().map(|v| v.operations.len()).sum();
    eprintln!("expand: {operations} operations in {}", specs.display());
    let api = codegen::analyze(&specs, shown_as).into_result().unwrap_or_else(|d| panic!("specs do not check:\n{}", d.render()));
    let files = codegen::render(&api).expect("the real specs render");
    eprintln!(
        "expand: {} token-stream bytes (to_string); render: {} files, {} bytes",
        codegen::emit_inline(&api).to_string().len(),
        files.len(),
        files.iter().map(|f| f.contents.len()).sum::<usize>()
    );

    let mut group = c.benchmark_group("codegen/real-specs");
    // Tens of milliseconds per iteration: flat sampling keeps 30 samples within the budget.
    group.sampling_mode(SamplingMode::Flat).sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(operations as u64));
    group.bench_function("load", |b| b.iter(|| codegen::load(black_box(&specs)).is_ok()));
    group.bench_function("analyze", |b| b.iter(|| codegen::analyze(black_box(&specs), shown_as).api.is_some()));
    group.bench_function("expand", |b| b.iter(|| codegen::analyze(black_box(&specs), shown_as).api.map(|api| codegen::emit_inline(&api))));
    group.bench_function("render", |b| b.iter(|| codegen::analyze(black_box(&specs), shown_as).api.map(|api| codegen::render(&api))));
    group.finish();
}

criterion_group!(benches, bench_expand);
criterion_main!(benches);
