//! Loading a saved fleet (`--fleet FILE`): reading the file that
//! `rdsight export-fleet` writes, as `--fleet` does (streamed, version
//! checked), for synthetic fleets of 1k, 10k and 100k resources; and a
//! hostile tag object of 200k keys in descending order.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rdsight::model::Tags;
use rdsight::source::file::{read_saved, write_saved};
use rdsight::source::synthetic::synthetic_fleet;

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("fleet/read-saved");
    group.sample_size(10);
    let dir = std::env::temp_dir();
    for size in [1_000, 10_000, 100_000] {
        let path = dir.join(format!(
            "rdsight-bench-fleet-{size}-{}.json",
            std::process::id()
        ));
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("create: {e}"));
        write_saved(&synthetic_fleet(size, 1), std::io::BufWriter::new(file))
            .unwrap_or_else(|e| panic!("write: {e}"));
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        group.throughput(Throughput::Bytes(bytes));
        group.bench_with_input(BenchmarkId::from_parameter(size), &path, |b, path| {
            b.iter(|| read_saved(black_box(path)));
        });
        let _ = std::fs::remove_file(&path);
    }
    group.finish();
}

/// One resource's tag object of 200k tags in descending key order, as a
/// hostile saved fleet could hold: building the sorted list must stay
/// linear-ish, not quadratic.
fn bench_hostile_tags(c: &mut Criterion) {
    let pairs: Vec<String> = (0..200_000)
        .rev()
        .map(|n| format!("\"key-{n:06}\":\"v\""))
        .collect();
    let json = format!("{{{}}}", pairs.join(","));
    let mut group = c.benchmark_group("fleet/tags-descending");
    group.sample_size(10);
    group.throughput(Throughput::Elements(200_000));
    group.bench_function("200000", |b| {
        b.iter(|| serde_json::from_str::<Tags>(black_box(&json)).map(|t| t.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_parse, bench_hostile_tags);
criterion_main!(benches);
