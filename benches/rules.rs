//! `rules::evaluate` over synthetic fleets of 1k, 10k and 100k resources.
//!
//! Fleets are copies of the demo fleet: copy `n` renames every resource
//! `<id>-<n>` and moves it to region `<region>-<n>`, rewriting the
//! references between resources (cluster members, security groups,
//! snapshot sources) so every copy keeps the demo's mix of findings.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::rules;

fn copy_of(demo: &Fleet, n: usize) -> Fleet {
    let id = |s: &str| format!("{s}-{n}");
    let region = |s: &str| format!("{s}-{n}");
    let mut f = demo.clone();
    f.regions = demo.regions.iter().map(|r| region(r)).collect();
    for c in &mut f.clusters {
        c.id = id(&c.id);
        c.region = region(&c.region);
        c.arn = c.arn.as_ref().map(|a| id(a));
        c.security_group_ids = c.security_group_ids.iter().map(|g| id(g)).collect();
        for m in &mut c.members {
            m.instance_id = id(&m.instance_id);
        }
    }
    for i in &mut f.instances {
        i.id = id(&i.id);
        i.region = region(&i.region);
        i.arn = i.arn.as_ref().map(|a| id(a));
        i.cluster_id = i.cluster_id.as_ref().map(|c| id(c));
        i.replica_source = i.replica_source.as_ref().map(|r| id(r));
        i.security_group_ids = i.security_group_ids.iter().map(|g| id(g)).collect();
    }
    for s in &mut f.snapshots {
        s.id = id(&s.id);
        s.region = region(&s.region);
        s.arn = s.arn.as_ref().map(|a| id(a));
        s.source_id = id(&s.source_id);
    }
    for g in &mut f.security_groups {
        g.id = id(&g.id);
        g.region = region(&g.region);
    }
    f
}

/// A fleet of exactly `size` resources (clusters + instances + snapshots).
fn synthetic_fleet(demo: &Fleet, size: usize) -> Fleet {
    let per_copy = demo.resource_count();
    let copies = size.div_ceil(per_copy);
    let mut fleet = Fleet {
        account: demo.account.clone(),
        ..Fleet::default()
    };
    for n in 0..copies {
        let copy = copy_of(demo, n);
        fleet.regions.extend(copy.regions);
        fleet.clusters.extend(copy.clusters);
        fleet.instances.extend(copy.instances);
        fleet.snapshots.extend(copy.snapshots);
        fleet.security_groups.extend(copy.security_groups);
    }
    // Trim the surplus from snapshots, which nothing refers to.
    let surplus = fleet.resource_count() - size;
    fleet.snapshots.truncate(fleet.snapshots.len() - surplus);
    assert_eq!(fleet.resource_count(), size);
    fleet
}

fn bench_evaluate(c: &mut Criterion) {
    let demo = match rdsight::source::demo::demo_fleet() {
        Ok(fleet) => fleet,
        Err(e) => panic!("demo fleet: {e}"),
    };
    let config = RuleConfig::default();
    let mut group = c.benchmark_group("rules/evaluate");
    group.sample_size(10);
    for size in [1_000, 10_000, 100_000] {
        let fleet = synthetic_fleet(&demo, size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &fleet, |b, fleet| {
            b.iter(|| rules::evaluate(black_box(fleet), black_box(&config)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
