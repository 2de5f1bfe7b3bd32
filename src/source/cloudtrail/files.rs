//! Trail log files on disk → the RDS events in them (`--cloudtrail PATH`).
//!
//! PATH is a file, or a directory searched for `*.json.gz` and `*.json`
//! (what `aws s3 sync s3://BUCKET/AWSLogs/ACCOUNT/CloudTrail/ DIR` gives,
//! digest files skipped by name). A file is gzip when it starts like gzip,
//! whatever its name. Each holds CloudTrail's `{"Records": [...]}` or the
//! `{"Events": [...]}` that `aws cloudtrail lookup-events` prints.
//!
//! Files are streamed ([`scan`]) and a record is parsed only when its bytes
//! name `rds.amazonaws.com`: memory grows with the RDS events kept, not
//! with the files. A file that cannot be read or followed is one load error
//! naming it; the events read from it before the fault are kept, and every
//! other file still loads.

use flate2::read::MultiGzDecoder;
use memchr::memmem::Finder;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::record::{Text, event_from_record, is_utc_seconds};
use super::scan::{Element, ScanError, scan};
use crate::model::{ActivityRead, Event, LoadError, RDS_EVENT_SOURCE, ResourceList};

/// What reading a trail gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trail {
    /// The RDS events, each event id once, oldest first.
    pub events: Vec<Event>,
    /// One per region whose records were seen: the first and last record
    /// time there, RDS or not (a quiet region is read, not unknown).
    pub reads: Vec<ActivityRead>,
    /// One line per file or directory that could not be read.
    pub errors: Vec<LoadError>,
    /// Trail files opened (read wholly or in part).
    pub files: usize,
}

/// Read the trail at `path` (a file or a directory).
pub fn read_trail(path: &Path) -> Trail {
    read_trail_until(path, &AtomicBool::new(false))
}

/// [`read_trail`], stopping between records once `stop` is set (the load
/// was cancelled; what was read so far is returned).
pub fn read_trail_until(path: &Path, stop: &AtomicBool) -> Trail {
    let mut collector = Collector::default();
    for file in trail_files(path, &mut collector.errors) {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        collector.read_file(&file, stop);
    }
    collector.finish(&format!("trail files {}", path.display()))
}

/// The region a load error of the trail names when its file's name does
/// not tell (a trail file may hold any region's records).
pub const ANY_REGION: &str = "*";

/// How deep a directory tree is followed: `AWSLogs/<account>/CloudTrail/
/// <region>/YYYY/MM/DD` is seven.
const MAX_DEPTH: usize = 32;

/// The files to read under `path`, sorted, each once. Directories are
/// followed only as themselves, never through a symbolic link (no loops).
fn trail_files(path: &Path, errors: &mut Vec<LoadError>) -> Vec<PathBuf> {
    match std::fs::metadata(path) {
        Err(e) => {
            errors.push(trail_error(path, &e.to_string()));
            return Vec::new();
        }
        Ok(meta) if !meta.is_dir() => return vec![path.to_path_buf()],
        Ok(_) => {}
    }
    let mut files = Vec::new();
    let mut dirs = vec![(path.to_path_buf(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                errors.push(trail_error(&dir, &format!("cannot list: {e}")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < MAX_DEPTH {
                    dirs.push((path, depth + 1));
                }
            } else if is_trail_name(&path)
                && (kind.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file()))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `*.json.gz` or `*.json`, and not a digest file (CloudTrail's signed
/// hashes of the log files, delivered beside them under `CloudTrail-Digest`).
fn is_trail_name(path: &Path) -> bool {
    let Some(name) = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
    else {
        return false;
    };
    (name.ends_with(".json.gz") || name.ends_with(".json")) && !name.contains("cloudtrail-digest")
}

/// A load error about `path`, in the region its CloudTrail file name
/// (`<account>_CloudTrail_<region>_<time>_<id>.json.gz`) gives.
fn trail_error(path: &Path, message: &str) -> LoadError {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let region = name
        .split_once("_CloudTrail_")
        .and_then(|(_, rest)| rest.split('_').next())
        .filter(|region| is_region_like(region.as_bytes()))
        .unwrap_or(ANY_REGION);
    LoadError {
        region: region.to_string(),
        what: ResourceList::Events,
        message: format!("trail file {}: {message}", path.display()),
    }
}

/// Open a trail file: gzip when it starts with gzip's magic bytes.
fn open(path: &Path) -> std::io::Result<Box<dyn Read>> {
    let mut file = BufReader::with_capacity(64 * 1024, File::open(path)?);
    Ok(if file.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

static RDS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(RDS_EVENT_SOURCE.as_bytes()));
static REGION_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(br#""awsRegion":""#));
static TIME_KEY: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(br#""eventTime":""#));

/// Most regions a trail's windows are kept for from records of other
/// services (AWS has about 35): a hostile file cannot grow memory with
/// invented ones.
const MAX_REGIONS: usize = 64;

/// The window of one region: first and last record time seen.
#[derive(Debug, Default)]
struct Window {
    since: String,
    until: String,
}

#[derive(Default)]
struct Collector {
    events: Vec<Event>,
    ids: HashSet<String>,
    windows: BTreeMap<String, Window>,
    errors: Vec<LoadError>,
    files: usize,
}

/// Records of one file that could not be read.
#[derive(Default)]
struct BadRecords {
    count: usize,
    first: Option<String>,
}

impl BadRecords {
    fn add(&mut self, why: String) {
        self.count += 1;
        self.first.get_or_insert(why);
    }
}

/// A `lookup-events` event: only the record it carries.
#[derive(Deserialize)]
struct LookupEvent {
    #[serde(rename = "CloudTrailEvent", default)]
    record: Option<String>,
}

/// The two fields a record's window needs, when they are not written the
/// compact way CloudTrail writes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stamp<'a> {
    #[serde(borrow, default)]
    event_time: Text<'a>,
    #[serde(borrow, default)]
    aws_region: Text<'a>,
}

impl Collector {
    fn read_file(&mut self, path: &Path, stop: &AtomicBool) {
        let reader = match open(path) {
            Ok(reader) => reader,
            Err(e) => {
                return self
                    .errors
                    .push(trail_error(path, &ScanError::from(e).to_string()));
            }
        };
        self.files += 1;
        let mut bad = BadRecords::default();
        let mut seen = 0u32;
        let result = scan(reader, |element, bytes| {
            seen = seen.wrapping_add(1);
            if seen.is_multiple_of(1024) && stop.load(Ordering::Relaxed) {
                return false;
            }
            match element {
                Element::Record => self.record(bytes, &mut bad),
                Element::LookupEvent => self.lookup_event(bytes, &mut bad),
            }
            true
        });
        if let Err(e) = result {
            self.errors.push(trail_error(path, &e.to_string()));
        }
        if let Some(first) = bad.first {
            let message = format!("{} record(s) could not be read (first: {first})", bad.count);
            self.errors.push(trail_error(path, &message));
        }
    }

    fn lookup_event(&mut self, bytes: &[u8], bad: &mut BadRecords) {
        match serde_json::from_slice::<LookupEvent>(bytes) {
            Ok(LookupEvent {
                record: Some(record),
            }) => self.record(record.as_bytes(), bad),
            Ok(LookupEvent { record: None }) => bad.add("an event without CloudTrailEvent".into()),
            Err(e) => bad.add(format!("not a lookup-events event: {e}")),
        }
    }

    /// One record: parsed when it may be an RDS call, else only dated.
    fn record(&mut self, bytes: &[u8], bad: &mut BadRecords) {
        if RDS.find(bytes).is_some() {
            let parsed = std::str::from_utf8(bytes)
                .map_err(|e| e.to_string())
                .and_then(|text| event_from_record(text).map_err(|e| e.to_string()));
            match parsed {
                Ok(Some(event)) => self.keep(event),
                // A record of another service that mentions RDS.
                Ok(None) => self.date(bytes),
                Err(why) => bad.add(why),
            }
        } else {
            self.date(bytes);
        }
    }

    fn keep(&mut self, event: Event) {
        if !event.region.is_empty() && !event.time.is_empty() {
            self.note(&event.region, &event.time, true);
        }
        if event.id.is_empty() || self.ids.insert(event.id.clone()) {
            self.events.push(event);
        }
    }

    /// Widen the window of the record's region by its time, read from the
    /// bytes where CloudTrail writes them compact, parsed otherwise.
    fn date(&mut self, bytes: &[u8]) {
        let region = compact_field(bytes, &REGION_KEY);
        let time = compact_field(bytes, &TIME_KEY);
        if let (Some(region), Some(time)) = (region, time) {
            if let (Ok(region), Ok(time)) = (std::str::from_utf8(region), std::str::from_utf8(time))
            {
                self.note(region, time, false);
            }
            return;
        }
        if let Ok(stamp) = serde_json::from_slice::<Stamp>(bytes) {
            self.note(stamp.aws_region.as_str(), stamp.event_time.as_str(), false);
        }
    }

    /// Widen `region`'s window to `time`. Times of other services' records
    /// count only in CloudTrail's own form, and only for region-like names.
    /// Called for every record: no allocation once the region is known.
    fn note(&mut self, region: &str, time: &str, rds: bool) {
        if !rds && (!is_region_like(region.as_bytes()) || !is_utc_seconds(time.as_bytes())) {
            return;
        }
        if !self.windows.contains_key(region) {
            if !rds && self.windows.len() >= MAX_REGIONS {
                return;
            }
            self.windows.insert(region.to_string(), Window::default());
        }
        let Some(window) = self.windows.get_mut(region) else {
            return;
        };
        if window.since.is_empty() || time < window.since.as_str() {
            window.since.clear();
            window.since.push_str(time);
        }
        if time > window.until.as_str() {
            window.until.clear();
            window.until.push_str(time);
        }
    }

    fn finish(mut self, via: &str) -> Trail {
        self.events.sort_by(|a, b| a.time.cmp(&b.time));
        let reads = self
            .windows
            .into_iter()
            .map(|(region, window)| ActivityRead {
                region,
                since: window.since,
                until: window.until,
                via: via.to_string(),
            })
            .collect();
        Trail {
            events: self.events,
            reads,
            errors: self.errors,
            files: self.files,
        }
    }
}

/// The text value after `key` (`"awsRegion":"`), up to its closing quote,
/// when short and unescaped.
fn compact_field<'a>(bytes: &'a [u8], key: &Finder<'_>) -> Option<&'a [u8]> {
    let from = key.find(bytes)? + key.needle().len();
    let rest = &bytes[from..bytes.len().min(from + 64)];
    let len = memchr::memchr2(b'"', b'\\', rest)?;
    (rest[len] == b'"').then(|| &rest[..len])
}

/// An AWS region's shape: `us-east-1`, `eu-central-2`, `us-gov-west-1`.
fn is_region_like(name: &[u8]) -> bool {
    (1..=32).contains(&name.len())
        && name
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compact_fields_are_read_without_a_parse() {
        let record = br#"{"eventTime":"2026-03-02T09:14:07Z","awsRegion":"us-east-1","x":1}"#;
        assert_eq!(
            compact_field(record, &TIME_KEY),
            Some(&b"2026-03-02T09:14:07Z"[..])
        );
        assert_eq!(compact_field(record, &REGION_KEY), Some(&b"us-east-1"[..]));
        assert_eq!(
            compact_field(br#"{"awsRegion":"us\u002deast-1"}"#, &REGION_KEY),
            None
        );
        // Written with spaces: the parse reads it.
        let mut collector = Collector::default();
        collector.date(br#"{ "eventTime" : "2026-03-02T09:14:07Z", "awsRegion" : "eu-west-1" }"#);
        assert_eq!(collector.windows.keys().collect::<Vec<_>>(), ["eu-west-1"]);
    }

    #[test]
    fn invented_regions_cannot_grow_the_windows() {
        let mut collector = Collector::default();
        for n in 0..1000 {
            let record = format!(r#"{{"eventTime":"2026-03-02T09:14:07Z","awsRegion":"r-{n}"}}"#);
            collector.date(record.as_bytes());
        }
        collector.date(br#"{"eventTime":"2026-03-02T09:14:07Z","awsRegion":"US EAST \u001b"}"#);
        collector.date(br#"{"eventTime":"soon","awsRegion":"us-east-1"}"#);
        assert_eq!(collector.windows.len(), MAX_REGIONS);
        assert!(!collector.windows.contains_key("us-east-1"));
    }

    #[test]
    fn trail_names_are_json_and_gzipped_json_but_not_digests() {
        let name = |n: &str| is_trail_name(Path::new(n));
        assert!(name(
            "logs/111122223333_CloudTrail_us-east-1_20260302T0915Z_a.json.gz"
        ));
        assert!(name("events.JSON"));
        assert!(!name(
            "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20260302T101500Z.json.gz"
        ));
        assert!(!name("notes.txt"));
        assert!(!name("archive.gz"));
    }
}
