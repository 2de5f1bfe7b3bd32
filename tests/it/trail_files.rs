//! Trail log files (`--cloudtrail`): CloudTrail records of each RDS call
//! the activity rules judge, as CloudTrail writes them
//! (`tests/fixtures/cloudtrail/rds-records.json`), read from plain and
//! gzipped files, a bucket synced to disk, `lookup-events` output, and
//! files that are broken.

use flate2::Compression;
use flate2::write::GzEncoder;
use rdsight::model::{
    Event, EventDetail, EventResource, PrincipalKind, ResourceList, ResourceType,
};
use rdsight::source::cloudtrail::{Trail, read_trail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const ACCOUNT: &str = "111122223333";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cloudtrail")
        .join(name)
}

pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// A directory in the temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("rdsight-trail-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Write `bytes` at `relative`, creating its directories.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// The fixture's records, each a line of `{"Records":[` … `]}`.
pub fn fixture_records() -> Vec<String> {
    fixture_text("rds-records.json")
        .lines()
        .filter(|line| line.starts_with('{') && !line.starts_with("{\"Records\""))
        .map(|line| line.trim_end_matches(',').to_string())
        .collect()
}

pub fn records_file(records: &[String]) -> Vec<u8> {
    format!("{{\"Records\":[{}]}}", records.join(",")).into_bytes()
}

fn by_name<'a>(trail: &'a Trail, name: &str) -> Vec<&'a Event> {
    trail.events.iter().filter(|e| e.name == name).collect()
}

fn one<'a>(trail: &'a Trail, id_suffix: &str) -> &'a Event {
    trail
        .events
        .iter()
        .find(|e| e.id.ends_with(id_suffix))
        .unwrap_or_else(|| panic!("no event …{id_suffix} in {:#?}", trail.events))
}

fn resource(kind: ResourceType, id: &str, region: &str) -> Option<EventResource> {
    Some(EventResource {
        kind,
        id: id.to_string(),
        region: region.to_string(),
    })
}

#[test]
fn each_rds_call_is_read_with_its_detail_and_resource() {
    let trail = read_trail(&fixture("rds-records.json"));
    assert!(trail.errors.is_empty(), "{:?}", trail.errors);
    // Ten RDS calls; the EC2, STS and KMS records (KMS used by RDS names
    // rds.amazonaws.com) are not kept.
    assert_eq!(trail.events.len(), 10, "{:#?}", trail.events);
    assert!(trail.events.iter().all(|e| e.id.starts_with("6f1c2a53")));

    let created = one(&trail, "c01");
    assert_eq!(created.name, "CreateDBClusterSnapshot");
    assert_eq!(created.time, "2026-03-02T09:14:07Z");
    assert_eq!(created.source_ip, "203.0.113.45");
    assert!(created.user_agent.starts_with("aws-cli/2.15.30"));
    assert_eq!(created.principal.kind, PrincipalKind::IamUser);
    assert_eq!(
        created.principal.arn,
        "arn:aws:iam::111122223333:user/dev-alice"
    );
    assert_eq!(created.principal.short(), "user/dev-alice");
    assert_eq!(
        created.detail,
        EventDetail::Create {
            snapshot: "orders-prod-manual-0302".into(),
            source: "orders-prod".into()
        }
    );
    let snapshot = resource(
        ResourceType::DbClusterSnapshot,
        "orders-prod-manual-0302",
        "us-east-1",
    );
    assert_eq!(created.resource, snapshot);

    let shared = one(&trail, "c02");
    assert_eq!(
        shared.detail,
        EventDetail::Share {
            attribute: "restore".into(),
            added: vec!["all".into()],
            removed: vec![]
        }
    );
    assert_eq!(shared.resource, snapshot);
    assert!(!shared.failed());

    let unshared = one(&trail, "c05");
    assert_eq!(
        unshared.detail,
        EventDetail::Share {
            attribute: "restore".into(),
            added: vec![],
            removed: vec!["all".into()]
        }
    );

    let to_accounts = one(&trail, "c06");
    assert_eq!(to_accounts.name, "ModifyDBSnapshotAttribute");
    assert_eq!(
        to_accounts.detail,
        EventDetail::Share {
            attribute: "restore".into(),
            added: vec!["444455556666".into()],
            removed: vec!["777788889999".into()]
        }
    );
    assert_eq!(
        to_accounts.resource,
        resource(ResourceType::DbSnapshot, "billing-db-0301", "us-east-1")
    );
}

#[test]
fn exports_and_copies_carry_where_the_data_went() {
    let trail = read_trail(&fixture("rds-records.json"));
    let export = one(&trail, "c03");
    assert_eq!(
        export.detail,
        EventDetail::Export {
            task_id: "orders-export-0302".into(),
            source_arn:
                "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders-prod-manual-0302".into(),
            bucket: "acme-analytics-drop".into(),
            prefix: Some("exports/orders".into()),
            role_arn: "arn:aws:iam::111122223333:role/rds-s3-export".into(),
            kms_key_id:
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        }
    );
    // The source ARN is this account's: cut to the id the fleet lists.
    assert_eq!(
        export.resource,
        resource(
            ResourceType::DbClusterSnapshot,
            "orders-prod-manual-0302",
            "us-east-1"
        )
    );
    assert_eq!(export.principal.kind, PrincipalKind::AssumedRole);
    assert_eq!(
        export.principal.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/DataExportRole")
    );
    assert_eq!(export.principal.short(), "role/DataExportRole");

    let cross_region = one(&trail, "c07");
    assert_eq!(
        cross_region.detail,
        EventDetail::Copy {
            source: "arn:aws:rds:us-east-1:111122223333:snapshot:billing-db-0301".into(),
            target: "billing-db-0301-usw2".into(),
            destination_region: "us-west-2".into(),
            source_region: Some("us-east-1".into()),
            kms_key_id: Some(
                "arn:aws:kms:us-west-2:111122223333:key/abcd1234-a123-456a-a12b-a123b4cd56ef"
                    .into()
            ),
            encrypted: Some(true),
        }
    );
    assert_eq!(
        cross_region.resource,
        resource(
            ResourceType::DbSnapshot,
            "billing-db-0301-usw2",
            "us-west-2"
        )
    );

    let same_region = one(&trail, "c08");
    assert_eq!(
        same_region.detail,
        EventDetail::Copy {
            source: "orders-prod-manual-0302".into(),
            target: "orders-prod-copy".into(),
            destination_region: "us-east-1".into(),
            source_region: Some("us-east-1".into()),
            kms_key_id: None,
            encrypted: Some(false),
        }
    );
    assert_eq!(
        same_region.resource,
        resource(
            ResourceType::DbClusterSnapshot,
            "orders-prod-copy",
            "us-east-1"
        )
    );
}

#[test]
fn refusals_root_and_service_callers_are_told_apart() {
    let trail = read_trail(&fixture("rds-records.json"));
    let denied = one(&trail, "c04");
    assert_eq!(denied.error_code.as_deref(), Some("AccessDenied"));
    assert!(denied.is_denied());
    assert_eq!(denied.result(), "AccessDenied");
    assert!(denied.error_message.as_deref().is_some_and(|m| {
        m.contains("is not authorized to perform: rds:ModifyDBClusterSnapshotAttribute")
    }));
    assert_eq!(denied.source_ip, "198.51.100.23");
    assert_eq!(
        denied.principal.arn,
        "arn:aws:sts::111122223333:assumed-role/ci-deployer/1772445751"
    );
    assert_eq!(
        denied.principal.role_arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/ci-deployer")
    );
    // What was attempted is still read: the rules judge it as refused.
    assert!(
        matches!(&denied.detail, EventDetail::Share { added, .. } if added == &["999988887777"])
    );

    let root = one(&trail, "c09");
    assert_eq!(root.principal.kind, PrincipalKind::Root);
    assert_eq!(root.principal.short(), "root");
    assert_eq!(root.principal.account, ACCOUNT);
    assert_eq!(root.result(), "ok");

    let service = one(&trail, "c10");
    assert_eq!(service.principal.kind, PrincipalKind::AwsService);
    assert_eq!(
        service.principal.invoked_by.as_deref(),
        Some("backup.amazonaws.com")
    );
    assert_eq!(service.principal.short(), "service backup.amazonaws.com");
    // AWS Backup's snapshot ids carry a colon: kept whole.
    assert_eq!(
        service.resource,
        resource(
            ResourceType::DbSnapshot,
            "awsbackup:job-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
            "us-east-1"
        )
    );
}

#[test]
fn events_are_oldest_first_and_every_region_seen_is_read() {
    let path = fixture("rds-records.json");
    let trail = read_trail(&path);
    let times: Vec<&str> = trail.events.iter().map(|e| e.time.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    // The window is every record's, RDS or not: the EC2 call before the
    // first RDS one opens it, and eu-west-1 saw only STS — quiet, not unknown.
    let reads: Vec<(&str, &str, &str)> = trail
        .reads
        .iter()
        .map(|r| (r.region.as_str(), r.since.as_str(), r.until.as_str()))
        .collect();
    assert_eq!(
        reads,
        [
            ("eu-west-1", "2026-03-04T08:00:00Z", "2026-03-04T08:00:00Z"),
            ("us-east-1", "2026-03-01T23:59:58Z", "2026-03-04T03:00:05Z"),
            ("us-west-2", "2026-03-03T12:30:15Z", "2026-03-03T12:30:15Z"),
        ]
    );
    let via = format!("trail files {}", path.display());
    assert!(trail.reads.iter().all(|r| r.via == via));
}

#[test]
fn gzip_and_plain_files_read_alike() {
    let dir = TempDir::new("gzip");
    let plain = fixture_text("rds-records.json");
    // Named like neither: gzip is known by its first bytes.
    let gz = dir.write("records.json", &gzip(plain.as_bytes()));
    let from_gzip = read_trail(&gz);
    assert!(from_gzip.errors.is_empty(), "{:?}", from_gzip.errors);
    assert_eq!(
        from_gzip.events,
        read_trail(&fixture("rds-records.json")).events
    );
    assert_eq!(from_gzip.files, 1);
}

/// `aws s3 sync s3://BUCKET/AWSLogs/ ./logs`: files per account, region
/// and day, digest files beside them, and whatever else was in the bucket.
#[test]
fn a_synced_bucket_is_read_recursively_each_event_once() {
    let dir = TempDir::new("synced");
    let records = fixture_records();
    let base = "AWSLogs/111122223333/CloudTrail";
    let file = |region: &str, day: &str, stamp: &str| {
        format!(
            "{base}/{region}/2026/03/{day}/{ACCOUNT}_CloudTrail_{region}_202603{day}T{stamp}Z_a1b2c3d4e5f6a7b8.json.gz"
        )
    };
    dir.write(
        &file("us-east-1", "02", "0915"),
        &gzip(&records_file(&records[..4])),
    );
    dir.write(
        &file("us-east-1", "02", "1000"),
        &gzip(&records_file(&records[4..9])),
    );
    dir.write(
        &file("us-east-1", "03", "1105"),
        &gzip(&records_file(&records[9..])),
    );
    // A copy of one file elsewhere (an overlapping second sync).
    dir.write("older-sync/part.json", &records_file(&records[2..6]));
    dir.write(
        &format!("AWSLogs/{ACCOUNT}/CloudTrail-Digest/us-east-1/2026/03/02/{ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20260302T101500Z.json.gz"),
        &gzip(br#"{"awsAccountId":"111122223333","digestStartTime":"2026-03-02T09:15:00Z","logFiles":[]}"#),
    );
    dir.write("README.txt", b"not a trail file");
    let trail = read_trail(&dir.0);
    assert!(trail.errors.is_empty(), "{:?}", trail.errors);
    assert_eq!(trail.files, 4);
    assert_eq!(
        trail.events,
        read_trail(&fixture("rds-records.json")).events
    );
}

#[test]
fn lookup_events_output_is_read_and_merged_with_files() {
    let alone = read_trail(&fixture("lookup-events.json"));
    assert!(alone.errors.is_empty(), "{:?}", alone.errors);
    assert_eq!(alone.events.len(), 3);
    let describe = one(&alone, "c11");
    assert_eq!(describe.name, "DescribeDBClusterSnapshots");
    assert_eq!(
        describe.resource,
        resource(
            ResourceType::DbClusterSnapshot,
            "orders-prod-manual-0302",
            "us-east-1"
        )
    );
    // The same as the trail file says, from the JSON string it is carried in.
    let files = read_trail(&fixture("rds-records.json"));
    assert_eq!(one(&alone, "c04"), one(&files, "c04"));

    let dir = TempDir::new("lookup");
    dir.write("events.json", fixture_text("lookup-events.json").as_bytes());
    dir.write(
        "trail/records.json",
        fixture_text("rds-records.json").as_bytes(),
    );
    let both = read_trail(&dir.0);
    assert!(both.errors.is_empty(), "{:?}", both.errors);
    // Ten from the file, one more from lookup-events; two were in both.
    assert_eq!(both.events.len(), 11);
    assert_eq!(by_name(&both, "DescribeDBClusterSnapshots").len(), 1);
    assert_eq!(
        both.events.last().map(|e| e.id.as_str()),
        Some(describe.id.as_str())
    );
}

#[test]
fn a_broken_file_is_one_load_error_naming_it_and_the_rest_loads() {
    let dir = TempDir::new("broken");
    let records = fixture_records();
    let good = dir.write("good.json.gz", &gzip(&records_file(&records[1..])));
    let whole = gzip(&records_file(&records[..3]));
    let cut_name = format!("{ACCOUNT}_CloudTrail_eu-west-1_20260302T0000Z_cut.json.gz");
    let cut = dir.write(&cut_name, &whole[..whole.len() / 2]);
    let garbage = dir.write("garbage.json", b"<html>503 Service Unavailable</html>");
    let ends_early = dir.write(
        "ends-early.json",
        format!("{{\"Records\":[{},", records[0]).as_bytes(),
    );
    let foreign = dir.write("package.json", br#"{"name":"left-pad","version":"1.3.0"}"#);
    let trail = read_trail(&dir.0);

    // What a file held before its fault is kept.
    let before_the_fault = read_trail(&ends_early).events;
    assert_eq!(before_the_fault.len(), 1);
    let mut events = read_trail(&good).events;
    rdsight::model::merge_events(&mut events, before_the_fault);
    assert_eq!(trail.events, events, "every good record is kept");
    let errors: Vec<(&str, &str)> = trail
        .errors
        .iter()
        .map(|e| (e.region.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(trail.errors.iter().all(|e| e.what == ResourceList::Events));
    let error_for = |path: &Path| {
        let named = format!("trail file {}: ", path.display());
        trail
            .errors
            .iter()
            .find(|e| e.message.starts_with(&named))
            .unwrap_or_else(|| panic!("no error names {}: {errors:#?}", path.display()))
    };
    let cut_error = error_for(&cut);
    // A CloudTrail file name says its region.
    assert_eq!(cut_error.region, "eu-west-1");
    assert!(
        cut_error.message.contains("truncated"),
        "{}",
        cut_error.message
    );
    assert!(
        error_for(&garbage)
            .message
            .contains("expected a JSON object at byte 0")
    );
    assert_eq!(error_for(&garbage).region, "*");
    assert!(error_for(&ends_early).message.contains("ends early"));
    assert!(error_for(&foreign).message.contains("not a CloudTrail log"));
    assert!(
        trail.errors.iter().all(|e| !e.message.contains('\n')),
        "one line each: {errors:#?}"
    );
}

#[test]
fn a_bad_rds_record_is_counted_and_its_file_still_read() {
    let dir = TempDir::new("bad-record");
    let mut records = fixture_records();
    // An RDS record that is not an object, and one with a broken value.
    records.insert(1, "\"rds.amazonaws.com\"".to_string());
    records.insert(
        2,
        r#"{"eventSource":"rds.amazonaws.com","eventName":nope}"#.to_string(),
    );
    let path = dir.write("mixed.json", &records_file(&records));
    let trail = read_trail(&path);
    assert_eq!(trail.events.len(), 10);
    assert_eq!(trail.errors.len(), 1, "{:?}", trail.errors);
    assert!(
        trail.errors[0]
            .message
            .contains("2 record(s) could not be read (first: not a CloudTrail record"),
        "{}",
        trail.errors[0].message
    );
}

#[test]
fn hostile_names_and_a_missing_path_are_only_data() {
    let dir = TempDir::new("hostile");
    let records = fixture_records();
    let evil = dir.write("evil\u{1b}[31m\n\u{202e}.json", b"{\"Records\":[oops");
    dir.write("ok.json", &records_file(&records[2..4]));
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"not-utf8-\xff\xfe.json");
        std::fs::write(dir.0.join(name), records_file(&records[4..6])).unwrap();
    }
    let trail = read_trail(&dir.0);
    let expected = if cfg!(unix) { 4 } else { 2 };
    assert_eq!(trail.events.len(), expected);
    assert_eq!(trail.errors.len(), 1, "{:?}", trail.errors);
    assert!(
        trail.errors[0]
            .message
            .contains(&evil.display().to_string())
    );

    let missing = read_trail(&dir.0.join("no-such-dir"));
    assert!(missing.events.is_empty());
    assert_eq!(missing.files, 0);
    assert_eq!(missing.errors.len(), 1);
    assert!(missing.errors[0].message.contains("no-such-dir"));
}
