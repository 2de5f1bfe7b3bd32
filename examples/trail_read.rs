//! The one-off measure of `--cloudtrail` over a large trail (BENCHMARKS.md,
//! "Activity trail"): generate synthetic gzipped trail files, then read
//! them as rdsight does, timed, in a process of its own so that
//! `/usr/bin/time -v` reports the reader's peak memory alone.
//!
//! ```text
//! cargo build --profile bench --example trail_read   # the benches' build
//! target/release/examples/trail_read generate DIR 1024   # ~1 GB of .json.gz
//! /usr/bin/time -v target/release/examples/trail_read read DIR
//! ```

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use rdsight::source::cloudtrail::read_trail;
use rdsight::source::synthetic::trail::write_trail_file;

const RECORDS_PER_FILE: usize = 6_000;
const RDS_PERCENT: u64 = 2;
/// Where `generate` notes the JSON bytes it wrote, for `read`'s MB/s.
const MANIFEST: &str = "json-bytes.txt";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1..).unwrap_or_default() {
        [cmd, dir, gz_mb] if cmd == "generate" => generate(Path::new(dir), gz_mb.parse()?),
        [cmd, dir] if cmd == "read" => read(Path::new(dir)),
        _ => Err("usage: trail_read generate DIR GZIPPED_MB | trail_read read DIR".into()),
    }
}

/// Files until their gzipped size reaches `gz_mb` MB.
fn generate(dir: &Path, gz_mb: u64) -> Result<(), Box<dyn std::error::Error>> {
    let logs = dir.join("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02");
    std::fs::create_dir_all(&logs)?;
    let (mut gz_bytes, mut json_bytes, mut n) = (0u64, 0u64, 0u64);
    while gz_bytes < gz_mb << 20 {
        let path = logs.join(format!(
            "111122223333_CloudTrail_us-east-1_20260302T{n:06}Z_synthetic.json.gz"
        ));
        let mut gz = GzEncoder::new(std::fs::File::create(&path)?, Compression::fast());
        json_bytes += write_trail_file(&mut gz, RECORDS_PER_FILE, RDS_PERCENT, n)?;
        gz.finish()?;
        gz_bytes += std::fs::metadata(&path)?.len();
        n += 1;
    }
    std::fs::File::create(dir.join(MANIFEST))?.write_all(json_bytes.to_string().as_bytes())?;
    println!(
        "{n} files, {:.0} MB gzipped, {:.0} MB of JSON",
        gz_bytes as f64 / 1e6,
        json_bytes as f64 / 1e6
    );
    Ok(())
}

fn read(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let json_bytes: u64 = std::fs::read_to_string(dir.join(MANIFEST))?
        .trim()
        .parse()?;
    let started = Instant::now();
    let trail = read_trail(dir);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} files, {} RDS events kept, {} load errors, {:.1} s, {:.0} MB/s of JSON",
        trail.files,
        trail.events.len(),
        trail.errors.len(),
        secs,
        json_bytes as f64 / 1e6 / secs
    );
    Ok(())
}
