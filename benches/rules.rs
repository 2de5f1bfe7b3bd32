//! `rules::evaluate` over synthetic fleets of 1k, 10k and 100k resources.
//!
//! Fleets are copies of the demo fleet: copy `n` renames every resource
//! `<id>-<n>` and moves it to region `<region>-<n>`, rewriting the
//! references between resources (cluster members, security groups,
//! snapshot sources) so every copy keeps the demo's mix of findings.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rdsight::config::RuleConfig;
use rdsight::rules;
use rdsight::source::demo::scaled_fleet;

fn bench_evaluate(c: &mut Criterion) {
    let demo = match rdsight::source::demo::demo_fleet() {
        Ok(fleet) => fleet,
        Err(e) => panic!("demo fleet: {e}"),
    };
    let config = RuleConfig::default();
    let mut group = c.benchmark_group("rules/evaluate");
    group.sample_size(10);
    for size in [1_000, 10_000, 100_000] {
        let fleet = scaled_fleet(&demo, size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &fleet, |b, fleet| {
            b.iter(|| rules::evaluate(black_box(fleet), black_box(&config)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
