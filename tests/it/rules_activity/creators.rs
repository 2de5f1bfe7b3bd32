//! activity-unexpected-snapshot-creator and `expected_snapshot_principals`.

use rdsight::config::RuleConfig;
use rdsight::model::ResourceType::{DbClusterSnapshot, DbSnapshot};
use rdsight::model::{Event, EventDetail, Principal, PrincipalKind};
use rdsight::rules::{RuleId, Severity};

use super::*;
use crate::support::fleets::ACCOUNT;

const RULE: RuleId = RuleId::ActivityUnexpectedSnapshotCreator;

fn expecting(patterns: &[&str]) -> RuleConfig {
    RuleConfig {
        expected_snapshot_principals: patterns.iter().map(|p| p.to_string()).collect(),
        ..RuleConfig::default()
    }
}

fn create(n: u32, principal: Principal) -> Event {
    let mut event = on(
        call(
            n,
            "2026-11-28T02:47:13Z",
            "CreateDBClusterSnapshot",
            principal,
        ),
        DbClusterSnapshot,
        "debug-snap",
    );
    event.detail = EventDetail::Create {
        snapshot: "debug-snap".into(),
        source: "orders-prod".into(),
    };
    event
}

#[test]
fn a_snapshot_by_an_unexpected_principal_is_medium_on_the_snapshot() {
    let f = trail(vec![create(1, iam_user("dev-sam"))]);
    let found = findings_of(&f, &expecting(&["role/rds-backup-*"]), RULE);
    assert_eq!(found.len(), 1, "{found:#?}");
    let found = &found[0];
    assert_eq!(found.severity, Severity::Medium);
    assert_eq!(
        (found.resource_type, found.resource_id.as_str()),
        (DbClusterSnapshot, "debug-snap")
    );
    says(
        found,
        &[
            "created from orders-prod by user/dev-sam",
            "from 203.0.113.47",
            &id(1),
            "matches none of expected_snapshot_principals (role/rds-backup-*)",
        ],
    );
}

#[test]
fn patterns_match_the_role_arn_or_the_short_name() {
    let backup = assumed("rds-backup-runner", "job-42");
    let ops = iam_user("ops");
    let f = trail(vec![create(1, backup), create(2, ops)]);
    // The short name of an assumed role is its role's, not the session's.
    assert_eq!(
        findings_of(&f, &expecting(&["role/rds-backup-*", "user/ops"]), RULE),
        vec![]
    );
    // Whole ARNs, with wildcards.
    let by_arn = expecting(&[
        &format!("arn:aws:iam::{ACCOUNT}:role/rds-backup-*"),
        "arn:aws:iam::*:user/ops",
    ]);
    assert_eq!(findings_of(&f, &by_arn, RULE), vec![]);
    // Case counts, and a pattern must match the whole name.
    let found = findings_of(&f, &expecting(&["role/RDS-backup-*", "user/op"]), RULE);
    assert_eq!(found.len(), 1, "{found:#?}");
    says(&found[0], &[&id(1), &id(2)]);
}

#[test]
fn an_unset_or_empty_list_is_silent() {
    let f = trail(vec![create(1, iam_user("dev-sam"))]);
    assert_eq!(findings_of(&f, &RuleConfig::default(), RULE), vec![]);
    assert_eq!(findings_of(&f, &expecting(&["", "  "]), RULE), vec![]);
}

#[test]
fn aws_services_are_never_unexpected() {
    let service = Principal {
        kind: PrincipalKind::AwsService,
        invoked_by: Some("rds.amazonaws.com".into()),
        ..Principal::default()
    };
    let backup = Principal {
        role_arn: Some(format!(
            "arn:aws:iam::{ACCOUNT}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup"
        )),
        invoked_by: Some("backup.amazonaws.com".into()),
        ..assumed("AWSServiceRoleForBackup", "backup-job")
    };
    let f = trail(vec![create(1, service), create(2, backup)]);
    assert_eq!(findings_of(&f, &expecting(&["role/ops"]), RULE), vec![]);
}

#[test]
fn a_copy_is_judged_on_the_copy_in_its_region_and_failures_are_ignored() {
    let mut copy = in_region(
        on(
            call(
                1,
                "2026-11-27T06:02:18Z",
                "CopyDBSnapshot",
                iam_user("dev-sam"),
            ),
            DbSnapshot,
            "dr-copy",
        ),
        OTHER_REGION,
    );
    copy.detail = EventDetail::Copy {
        source: format!("arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:billing-1"),
        target: "dr-copy".into(),
        destination_region: OTHER_REGION.into(),
        source_region: Some(REGION.into()),
        kms_key_id: None,
        encrypted: Some(true),
    };
    let failed = refused(create(2, iam_user("dev-sam")), "SnapshotQuotaExceeded");
    let f = with_trail(
        crate::support::fleets::fleet(),
        &[REGION, OTHER_REGION],
        vec![copy, failed],
    );
    let found = findings_of(&f, &expecting(&["role/ops"]), RULE);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (
            found[0].resource_type,
            found[0].region.as_str(),
            found[0].resource_id.as_str()
        ),
        (DbSnapshot, OTHER_REGION, "dr-copy")
    );
    says(&found[0], &["copied from arn:aws:rds:", &id(1)]);
}
