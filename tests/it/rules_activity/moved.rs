//! activity-snapshot-exported and activity-snapshot-copied-cross-region.

use rdsight::config::RuleConfig;
use rdsight::model::ResourceType::{DbCluster, DbClusterSnapshot, DbSnapshot};
use rdsight::model::{Event, EventDetail, Snapshot};
use rdsight::rules::{RuleId, Severity};

use super::*;
use crate::support::fleets::{ACCOUNT, db_snapshot, fleet};

fn export(n: u32, source_arn: &str) -> Event {
    let mut event = call(
        n,
        "2026-11-28T03:12:30Z",
        "StartExportTask",
        iam_user("dev-sam"),
    );
    event.detail = EventDetail::Export {
        task_id: "orders-debug".into(),
        source_arn: source_arn.into(),
        bucket: "sam-scratch".into(),
        prefix: Some("orders/".into()),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/rds-s3-export"),
        kms_key_id: format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-9"),
    };
    event
}

#[test]
fn an_export_names_bucket_role_key_and_event_on_the_exported_snapshot() {
    let arn = format!("arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:rds:db-2026-11-28-03-48");
    let found = only(
        &trail(vec![export(1, &arn)]),
        RuleId::ActivitySnapshotExported,
    );
    assert_eq!(found.severity, Severity::High);
    assert_eq!(found.resource_type, DbSnapshot);
    assert_eq!(found.resource_id, "rds:db-2026-11-28-03-48");
    assert_eq!(found.arn.as_deref(), Some(arn.as_str()));
    says(
        &found,
        &[
            "exported to s3://sam-scratch/orders/ by user/dev-sam",
            "at 2026-11-28T03:12:30Z from 203.0.113.47",
            "task orders-debug",
            &format!("role arn:aws:iam::{ACCOUNT}:role/rds-s3-export"),
            &format!("KMS key arn:aws:kms:{REGION}:{ACCOUNT}:key/k-9"),
            &id(1),
        ],
    );
}

#[test]
fn exports_of_one_source_are_one_finding_and_a_cluster_export_is_on_the_cluster() {
    let cluster = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster:orders");
    let snapshot = format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:orders-snap");
    let f = trail(vec![
        export(1, &cluster),
        export(2, &snapshot),
        export(3, &snapshot),
    ]);
    let found = findings_of(&f, &RuleConfig::default(), RuleId::ActivitySnapshotExported);
    let on: Vec<_> = found
        .iter()
        .map(|f| (f.resource_type, f.resource_id.as_str()))
        .collect();
    assert_eq!(
        on,
        [(DbCluster, "orders"), (DbClusterSnapshot, "orders-snap")]
    );
    says(&found[1], &[&id(2), &id(3)]);
}

#[test]
fn a_failed_export_is_ignored() {
    let arn = format!("arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:s-1");
    let f = trail(vec![refused(export(1, &arn), "KMSKeyNotAccessibleFault")]);
    let found = findings_of(&f, &RuleConfig::default(), RuleId::ActivitySnapshotExported);
    assert_eq!(found, vec![]);
}

const COPIED: RuleId = RuleId::ActivitySnapshotCopiedCrossRegion;

/// `CopyDBSnapshot` of `source` (an ARN from `from`, or a bare id) into
/// the test region.
fn copy(
    n: u32,
    source: &str,
    from: Option<&str>,
    key: Option<&str>,
    encrypted: Option<bool>,
) -> Event {
    let mut event = on(
        call(
            n,
            "2026-11-27T06:02:18Z",
            "CopyDBSnapshot",
            assumed("platform-ops", "jlee"),
        ),
        DbSnapshot,
        "dr-copy",
    );
    event.detail = EventDetail::Copy {
        source: source.into(),
        target: "dr-copy".into(),
        destination_region: REGION.into(),
        source_region: from.map(String::from),
        kms_key_id: key.map(String::from),
        encrypted,
    };
    event
}

fn remote_arn(id: &str) -> String {
    format!("arn:aws:rds:{OTHER_REGION}:{ACCOUNT}:snapshot:{id}")
}

#[test]
fn a_copy_into_another_region_is_low_and_names_its_key() {
    let key = format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/dr");
    let event = copy(
        1,
        &remote_arn("billing-1"),
        Some(OTHER_REGION),
        Some(&key),
        Some(true),
    );
    let found = only(&trail(vec![event]), COPIED);
    assert_eq!(found.severity, Severity::Low);
    assert_eq!(
        (found.resource_type, found.resource_id.as_str()),
        (DbSnapshot, "dr-copy")
    );
    assert_eq!(found.region, REGION);
    says(
        &found,
        &[
            &format!("copied from billing-1 in {OTHER_REGION} to dr-copy in {REGION}"),
            "by role/platform-ops",
            &format!("encrypted under KMS key {key}"),
            &id(1),
        ],
    );
    // The source region read from the ARN when the event does not say.
    let event = copy(2, &remote_arn("billing-1"), None, Some(&key), None);
    assert_eq!(only(&trail(vec![event]), COPIED).severity, Severity::Low);
}

#[test]
fn a_copy_in_the_same_region_finds_nothing() {
    let f = trail(vec![
        copy(1, "billing-1", None, None, Some(true)),
        copy(2, "billing-2", Some(REGION), None, Some(true)),
    ]);
    assert_eq!(findings_of(&f, &RuleConfig::default(), COPIED), vec![]);
}

#[test]
fn an_unencrypted_copy_is_medium() {
    let event = copy(
        1,
        &remote_arn("legacy-1"),
        Some(OTHER_REGION),
        None,
        Some(false),
    );
    let found = only(&trail(vec![event]), COPIED);
    assert_eq!(found.severity, Severity::Medium);
    says(&found, &["UNENCRYPTED"]);

    // Unsaid by the event: the source in the fleet is unencrypted and no
    // key was given, so neither is the copy.
    let source = Snapshot {
        region: OTHER_REGION.into(),
        encrypted: false,
        kms_key_id: None,
        ..db_snapshot("legacy-1")
    };
    let mut f = fleet();
    f.regions.push(OTHER_REGION.into());
    f.snapshots.push(source);
    let event = copy(2, &remote_arn("legacy-1"), Some(OTHER_REGION), None, None);
    let f = with_trail(f, &[REGION, OTHER_REGION], vec![event]);
    let found = only(&f, COPIED);
    assert_eq!(found.severity, Severity::Medium);
    says(
        &found,
        &["its source is not encrypted and no key was given"],
    );
}

#[test]
fn a_copy_of_unknown_encryption_stays_low_and_says_so() {
    let event = copy(1, &remote_arn("unseen"), Some(OTHER_REGION), None, None);
    let found = only(&trail(vec![event]), COPIED);
    assert_eq!(found.severity, Severity::Low);
    says(&found, &["encryption unknown"]);
}

#[test]
fn a_failed_copy_is_ignored() {
    let event = refused(
        copy(1, &remote_arn("s"), Some(OTHER_REGION), None, None),
        "AccessDenied",
    );
    assert_eq!(
        findings_of(&trail(vec![event]), &RuleConfig::default(), COPIED),
        vec![]
    );
}
