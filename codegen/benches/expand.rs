//! The generator on the whole real spec set (`specs/`):
//!
//! * `expand`: `codegen::expand(specs, "specs")`, what the `generate!` macro runs (load, check,
//!   emit every module inline as one token stream; no formatting);
//! * `generate_shown_as`: `codegen::generate_shown_as(specs, "specs")`, what regen runs (load,
//!   check, emit, then prettyplease-format each file);
//! * `load` and `load_check`: the first stages alone, to see where the time goes.
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
    let expansion = codegen::expand(&specs, shown_as);
    assert!(expansion.result.is_ok(), "the real specs expand");
    let files = codegen::generate_shown_as(&specs, shown_as).unwrap_or_else(|d| panic!("specs do not generate:\n{}", d.render()));
    eprintln!(
        "expand: {} token-stream bytes (to_string); generate: {} files, {} bytes",
        expansion.result.as_ref().map(|t| t.to_string().len()).unwrap_or(0),
        files.len(),
        files.iter().map(|f| f.contents.len()).sum::<usize>()
    );

    let mut group = c.benchmark_group("codegen/real-specs");
    // Tens of milliseconds per iteration: flat sampling keeps 30 samples within the budget.
    group.sampling_mode(SamplingMode::Flat).sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(operations as u64));
    group.bench_function("load", |b| b.iter(|| codegen::load(black_box(&specs)).is_ok()));
    group.bench_function("load_check", |b| {
        b.iter(|| {
            let (set, sources) = codegen::load(black_box(&specs)).expect("load");
            codegen::check(&set, sources).is_ok()
        })
    });
    group.bench_function("expand", |b| b.iter(|| codegen::expand(black_box(&specs), shown_as)));
    group.bench_function("generate_shown_as", |b| b.iter(|| codegen::generate_shown_as(black_box(&specs), shown_as)));
    group.finish();
}

criterion_group!(benches, bench_expand);
criterion_main!(benches);
