//! Reading trail log files (`--cloudtrail`): synthetic CloudTrail files,
//! about 2% of their records RDS calls, gzipped as CloudTrail delivers
//! them and plain (what is left once decompression is taken out).
//! Throughput is in bytes of uncompressed JSON; the budget is 100 MB/s on
//! one core.
//!
//! The set is 64 MB of JSON by default; `RDSIGHT_BENCH_TRAIL_MB=N` makes it
//! N MB. For a run over 1 GB of gzipped files with its peak memory, see
//! `examples/trail_read.rs` and BENCHMARKS.md, "Activity trail".

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::Compression;
use flate2::write::GzEncoder;
use rdsight::source::cloudtrail::read_trail;
use rdsight::source::synthetic::trail::write_trail_file;

/// Records per file: about 8 MB of JSON, a busy account's five minutes.
const RECORDS_PER_FILE: usize = 6_000;
const RDS_PERCENT: u64 = 2;

/// Write files of `megabytes` MB of JSON in all under `dir`, gzipped or
/// not; returns the JSON bytes written.
fn generate(dir: &Path, megabytes: u64, gzip: bool) -> u64 {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let mut total = 0;
    let mut n = 0u64;
    while total < megabytes << 20 {
        let name = format!("111122223333_CloudTrail_us-east-1_20260302T{n:04}Z_bench.json");
        let file = |name: String| {
            std::fs::File::create(dir.join(name)).unwrap_or_else(|e| panic!("create: {e}"))
        };
        total += if gzip {
            let mut gz = GzEncoder::new(file(format!("{name}.gz")), Compression::fast());
            let bytes = write_trail_file(&mut gz, RECORDS_PER_FILE, RDS_PERCENT, n);
            gz.finish().unwrap_or_else(|e| panic!("gzip: {e}"));
            bytes
        } else {
            write_trail_file(file(name), RECORDS_PER_FILE, RDS_PERCENT, n)
        }
        .unwrap_or_else(|e| panic!("write: {e}"));
        n += 1;
    }
    total
}

fn bench_read(c: &mut Criterion) {
    let megabytes = std::env::var("RDSIGHT_BENCH_TRAIL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let root: PathBuf =
        std::env::temp_dir().join(format!("rdsight-bench-trail-{}", std::process::id()));
    let mut group = c.benchmark_group("activity/trail-files");
    group.sample_size(10);
    for (label, gzip) in [("gzip", true), ("plain", false)] {
        let dir = root.join(label);
        let bytes = generate(&dir, megabytes, gzip);
        group.throughput(Throughput::Bytes(bytes));
        group.bench_function(format!("{label}-{megabytes}MB"), |b| {
            b.iter(|| read_trail(black_box(&dir)).events.len())
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
