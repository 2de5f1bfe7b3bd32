//! `rules::evaluate` over synthetic fleets of 1k, 10k and 100k resources
//! (`source::synthetic`: about 1 cluster : 4 instances : 15 snapshots, with
//! a realistic spread of risks). Budget: under 50 ms at 100k.
//!
//! `rules/activity/N`: the six activity rules over N synthetic RDS events
//! (`synthetic::add_events`) on a fleet of N resources.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rdsight::config::RuleConfig;
use rdsight::rules;
use rdsight::source::synthetic::{EXPECTED_SNAPSHOT_PRINCIPALS, add_events, synthetic_fleet};

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

fn bench_activity(c: &mut Criterion) {
    let config = RuleConfig {
        expected_snapshot_principals: EXPECTED_SNAPSHOT_PRINCIPALS.map(String::from).to_vec(),
        ..RuleConfig::default()
    };
    let activity: Vec<&rules::RuleInfo> = rules::CATALOGUE
        .iter()
        .filter(|r| r.targets.is_empty())
        .collect();
    let mut group = c.benchmark_group("rules/activity");
    group.sample_size(10);
    for size in [1_000, 10_000, 100_000] {
        let mut fleet = synthetic_fleet(size, 1);
        add_events(&mut fleet, size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &fleet, |b, fleet| {
            b.iter(|| {
                let ctx = rules::Context::new(black_box(fleet), &config);
                rules::activity::findings(&ctx, &activity)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate, bench_activity);
criterion_main!(benches);
