//! `rules::evaluate` over synthetic fleets of 1k, 10k and 100k resources
//! (`source::synthetic`: about 1 cluster : 4 instances : 15 snapshots, with
//! a realistic spread of risks). Budget: under 50 ms at 100k.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rdsight::config::RuleConfig;
use rdsight::rules;
use rdsight::source::synthetic::synthetic_fleet;

fn bench_evaluate(c: &mut Criterion) {
    let config = RuleConfig::default();
    let mut group = c.benchmark_group("rules/evaluate");
    group.sample_size(10);
    for size in [1_000, 10_000, 100_000] {
        let fleet = synthetic_fleet(size, 1);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &fleet, |b, fleet| {
            b.iter(|| rules::evaluate(black_box(fleet), black_box(&config)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
