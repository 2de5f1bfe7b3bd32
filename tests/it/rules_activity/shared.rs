//! activity-snapshot-shared: a restore attribute opened to `all` or to an
//! untrusted account, with how long it stayed open.

use rdsight::config::RuleConfig;
use rdsight::model::ResourceType::{DbClusterSnapshot, DbSnapshot};
use rdsight::rules::{RuleId, Severity};

use super::*;
use crate::support::fleets::{ACCOUNT, STRANGER, TRUSTED, cluster_snapshot, db_snapshot, fleet};

const RULE: RuleId = RuleId::ActivitySnapshotShared;
const SNAP: (rdsight::model::ResourceType, &str) = (DbClusterSnapshot, "debug-snap");

#[test]
fn a_share_with_all_then_its_removal_is_critical_and_says_how_long() {
    let mut f = fleet();
    f.snapshots.push(cluster_snapshot("debug-snap"));
    let f = with_trail(
        f,
        &[REGION],
        vec![
            share(
                1,
                "2026-11-28T03:05:41Z",
                iam_user("dev-sam"),
                SNAP,
                &["all"],
                &[],
            ),
            share(
                2,
                "2026-11-28T08:17:52Z",
                assumed("platform-ops", "jlee"),
                SNAP,
                &[],
                &["all"],
            ),
        ],
    );
    let found = only(&f, RULE);
    assert_eq!(found.severity, Severity::Critical);
    assert_eq!(found.resource_type, DbClusterSnapshot);
    assert_eq!(found.resource_id, "debug-snap");
    assert_eq!(found.region, REGION);
    assert_eq!(
        found.arn.as_deref(),
        Some(format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:debug-snap").as_str())
    );
    says(
        &found,
        &[
            "shared with all by user/dev-sam",
            &format!("arn:aws:iam::{ACCOUNT}:user/dev-sam"),
            "at 2026-11-28T03:05:41Z from 203.0.113.47",
            &id(1),
            "removed at 2026-11-28T08:17:52Z by role/platform-ops",
            &id(2),
            "shared for 5h 12m",
        ],
    );
}

#[test]
fn a_share_still_in_place_says_still_shared() {
    let mut snapshot = db_snapshot("s-1");
    snapshot.shared_with = vec![STRANGER.into()];
    let f = holding(
        snapshot,
        vec![shares_at_ten(1, "ops", (DbSnapshot, "s-1"), &[STRANGER])],
    );
    let found = only(&f, RULE);
    assert_eq!(found.severity, Severity::High);
    assert_eq!(found.resource_type, DbSnapshot);
    says(
        &found,
        &[
            &format!("shared with {STRANGER} by user/ops"),
            "still shared",
        ],
    );
    assert!(!found.reason.contains("shared for"), "{}", found.reason);
}

#[test]
fn a_share_gone_without_a_removal_in_the_trail_says_so() {
    let f = holding(
        db_snapshot("s-1"),
        vec![shares_at_ten(1, "ops", (DbSnapshot, "s-1"), &["all"])],
    );
    says(
        &only(&f, RULE),
        &["no longer shared, though the trail read holds no removal"],
    );
}

#[test]
fn a_share_of_a_deleted_snapshot_still_counts_and_names_the_deletion() {
    // Never in the fleet: deleted since. The finding names it anyway, ARN
    // built from the caller's account.
    let shared = shares_at_ten(1, "dev", (DbSnapshot, "gone"), &["all"]);
    let found = only(&trail(vec![shared.clone()]), RULE);
    assert_eq!(found.severity, Severity::Critical);
    assert_eq!(found.resource_id, "gone");
    assert_eq!(
        found.arn.as_deref(),
        Some(format!("arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:gone").as_str())
    );
    says(&found, &["removed, snapshot since deleted"]);

    let deleted = on(
        call(
            2,
            "2026-11-27T12:30:00Z",
            "DeleteDBSnapshot",
            iam_user("dev"),
        ),
        DbSnapshot,
        "gone",
    );
    let found = only(&trail(vec![shared, deleted]), RULE);
    says(
        &found,
        &[
            "until the snapshot was deleted at 2026-11-27T12:30:00Z",
            &id(2),
            "shared for 2h 30m",
        ],
    );
}

#[test]
fn shares_with_trusted_or_own_accounts_find_nothing() {
    let f = trail(vec![
        shares_at_ten(1, "ops", (DbSnapshot, "s-1"), &[TRUSTED]),
        share(
            2,
            "2026-11-27T10:01:00Z",
            iam_user("ops"),
            (DbSnapshot, "s-2"),
            &[ACCOUNT],
            &[],
        ),
    ]);
    let config = RuleConfig {
        trusted_accounts: vec![TRUSTED.into()],
        ..RuleConfig::default()
    };
    assert_eq!(findings_of(&f, &config, RULE), vec![]);
    // Without the trust, the share with the other account fires; the
    // fleet's own account never does.
    let found = findings_of(&f, &RuleConfig::default(), RULE);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].resource_id, "s-1");
}

#[test]
fn a_failed_share_is_ignored() {
    let f = trail(vec![
        refused(
            shares_at_ten(1, "dev", (DbSnapshot, "s-1"), &["all"]),
            "AccessDenied",
        ),
        refused(
            share(
                2,
                "2026-11-27T10:00:05Z",
                iam_user("dev"),
                (DbSnapshot, "s-1"),
                &[STRANGER],
                &[],
            ),
            "InvalidParameterValue",
        ),
    ]);
    assert_eq!(findings_of(&f, &RuleConfig::default(), RULE), vec![]);
}

#[test]
fn several_shares_on_one_snapshot_are_one_finding_at_the_worst() {
    const OTHER: &str = "888888888888";
    let s = (DbSnapshot, "s-1");
    let events = vec![
        share(
            1,
            "2026-11-27T10:00:00Z",
            iam_user("dev"),
            s,
            &[STRANGER, OTHER],
            &[],
        ),
        share(2, "2026-11-27T11:00:00Z", iam_user("dev"), s, &["all"], &[]),
        share(
            3,
            "2026-11-27T11:20:00Z",
            iam_user("ops"),
            s,
            &[],
            &["all", STRANGER, OTHER],
        ),
        // Shared again after the removal: a second window.
        share(
            4,
            "2026-11-27T12:00:00Z",
            iam_user("dev"),
            s,
            &[STRANGER],
            &[],
        ),
    ];
    let found = only(&trail(events.clone()), RULE);
    assert_eq!(found.severity, Severity::Critical);
    says(
        &found,
        &[
            &format!("shared with {STRANGER}, {OTHER} by user/dev"),
            "shared for 1h 20m",
            "shared with all by user/dev",
            "shared for 20m",
            &id(4),
        ],
    );
    // Without the share with all, the worst is high.
    let untrusted: Vec<_> = events.into_iter().filter(|e| e.id != id(2)).collect();
    assert_eq!(only(&trail(untrusted), RULE).severity, Severity::High);
}

#[test]
fn a_share_in_a_region_whose_trail_was_not_read_is_not_judged() {
    let event = shares_at_ten(1, "dev", (DbSnapshot, "s-1"), &["all"]);
    let f = with_trail(fleet(), &[OTHER_REGION], vec![event.clone()]);
    assert_eq!(findings_of(&f, &RuleConfig::default(), RULE), vec![]);
    // And with no trail read at all, nothing either.
    let mut f = fleet();
    f.events = vec![event];
    assert_eq!(findings_of(&f, &RuleConfig::default(), RULE), vec![]);
}
