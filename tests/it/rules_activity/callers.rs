//! activity-access-denied and activity-root-user: findings on principals.

use rdsight::config::RuleConfig;
use rdsight::model::{Principal, PrincipalKind, ResourceType};
use rdsight::rules::{RuleId, Severity};

use super::*;
use crate::support::fleets::ACCOUNT;

const DENIED: RuleId = RuleId::ActivityAccessDenied;

fn role_arn(role: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{role}")
}

#[test]
fn refusals_are_grouped_per_principal_and_call_with_exact_counts_and_ids() {
    let probe = |session: &str| assumed("snapshot-sync", session);
    let events = vec![
        refused(
            call(1, "2026-11-28T04:51:03Z", "DescribeDBSnapshots", probe("a")),
            "AccessDenied",
        ),
        refused(
            call(2, "2026-11-28T04:51:04Z", "DescribeDBSnapshots", probe("b")),
            "AccessDenied",
        ),
        refused(
            call(
                3,
                "2026-11-28T04:52:17Z",
                "ModifyDBSnapshotAttribute",
                probe("a"),
            ),
            "AccessDenied",
        ),
        refused(
            call(
                4,
                "2026-11-28T04:53:00Z",
                "DescribeDBSnapshots",
                iam_user("mallory"),
            ),
            "AccessDeniedException",
        ),
        refused(
            call(
                5,
                "2026-11-28T04:53:30Z",
                "ModifyDBSnapshotAttribute",
                iam_user("mallory"),
            ),
            "Client.UnauthorizedOperation",
        ),
        refused(
            call(6, "2026-11-28T04:54:12Z", "DescribeDBSnapshots", probe("c")),
            "AccessDenied",
        ),
        // Not refusals: a call that went through, and one that failed for
        // another reason.
        call(7, "2026-11-28T04:55:00Z", "DescribeDBSnapshots", probe("a")),
        refused(
            call(8, "2026-11-28T04:56:00Z", "StartExportTask", probe("a")),
            "KMSKeyNotAccessibleFault",
        ),
    ];
    let found = findings_of(&trail(events), &RuleConfig::default(), DENIED);
    let groups: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|f| (f.resource_id.as_str(), f.event_name.as_deref()))
        .collect();
    let (sync, mallory) = (
        role_arn("snapshot-sync"),
        format!("arn:aws:iam::{ACCOUNT}:user/mallory"),
    );
    assert_eq!(
        groups,
        [
            (sync.as_str(), Some("DescribeDBSnapshots")),
            (sync.as_str(), Some("ModifyDBSnapshotAttribute")),
            (mallory.as_str(), Some("DescribeDBSnapshots")),
            (mallory.as_str(), Some("ModifyDBSnapshotAttribute")),
        ]
    );
    for f in &found {
        assert_eq!(f.severity, Severity::Medium);
        assert_eq!(f.resource_type, ResourceType::Principal);
        assert_eq!(f.arn.as_deref(), Some(f.resource_id.as_str()));
        assert_eq!(f.region, REGION);
    }
    says(
        &found[0],
        &[
            "3 calls to DescribeDBSnapshots refused (AccessDenied) for role/snapshot-sync",
            "between 2026-11-28T04:51:03Z and 2026-11-28T04:54:12Z",
            "from 203.0.113.47",
            &format!("events {}, {}, {}", id(1), id(2), id(6)),
        ],
    );
    says(
        &found[1],
        &[
            "1 call to ModifyDBSnapshotAttribute",
            "at 2026-11-28T04:52:17Z",
            &format!("event {}", id(3)),
        ],
    );
    says(&found[2], &["(AccessDeniedException)", &id(4)]);
    says(&found[3], &["(Client.UnauthorizedOperation)", &id(5)]);
    for f in &found {
        for other in [7, 8] {
            assert!(!f.reason.contains(&id(other)), "{}", f.reason);
        }
    }
}

#[test]
fn many_refusals_list_five_ids_and_count_the_rest_exactly() {
    let events: Vec<_> = (1..=12)
        .map(|n| {
            let time = format!("2026-11-28T05:{n:02}:00Z");
            refused(
                call(n, &time, "DescribeDBSnapshots", iam_user("probe")),
                "AccessDenied",
            )
        })
        .collect();
    let found = only(&trail(events), DENIED);
    let listed = (1..=5).map(id).collect::<Vec<_>>().join(", ");
    says(
        &found,
        &["12 calls", &format!("events {listed} and 7 more")],
    );
    assert!(!found.reason.contains(&id(6)), "{}", found.reason);
}

#[test]
fn refusals_in_two_regions_are_two_findings() {
    let here = refused(
        call(
            1,
            "2026-11-28T05:00:00Z",
            "DescribeDBSnapshots",
            iam_user("probe"),
        ),
        "AccessDenied",
    );
    let there = in_region(
        refused(
            call(
                2,
                "2026-11-28T05:00:01Z",
                "DescribeDBSnapshots",
                iam_user("probe"),
            ),
            "AccessDenied",
        ),
        OTHER_REGION,
    );
    let f = with_trail(
        crate::support::fleets::fleet(),
        &[REGION, OTHER_REGION],
        vec![here, there],
    );
    let regions: Vec<String> = findings_of(&f, &RuleConfig::default(), DENIED)
        .into_iter()
        .map(|f| f.region)
        .collect();
    assert_eq!(regions, [OTHER_REGION, REGION]);
}

#[test]
fn a_principal_without_an_arn_is_named_by_its_short_name() {
    let nobody = Principal {
        kind: PrincipalKind::Other,
        ..Principal::default()
    };
    let event = refused(
        call(1, "2026-11-28T05:00:00Z", "DescribeDBInstances", nobody),
        "AccessDenied",
    );
    let found = only(&trail(vec![event]), DENIED);
    assert_eq!(found.resource_id, "unknown");
    assert_eq!(found.arn, None);
}

#[test]
fn root_calls_are_high_and_grouped_per_region() {
    let events = vec![
        call(1, "2026-11-25T18:03:27Z", "ModifyDBInstance", root()),
        call(2, "2026-11-25T18:04:00Z", "DescribeDBInstances", root()),
        call(3, "2026-11-25T18:05:00Z", "ModifyDBInstance", root()),
        in_region(
            call(4, "2026-11-25T19:00:00Z", "DescribeDBClusters", root()),
            OTHER_REGION,
        ),
        call(
            5,
            "2026-11-25T19:30:00Z",
            "ModifyDBInstance",
            iam_user("ops"),
        ),
    ];
    let f = with_trail(
        crate::support::fleets::fleet(),
        &[REGION, OTHER_REGION],
        events,
    );
    let found = findings_of(&f, &RuleConfig::default(), RuleId::ActivityRootUser);
    assert_eq!(found.len(), 2, "{found:#?}");
    let root_arn = format!("arn:aws:iam::{ACCOUNT}:root");
    for f in &found {
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.resource_type, ResourceType::Principal);
        assert_eq!(f.resource_id, root_arn);
    }
    assert_eq!(found[0].region, OTHER_REGION);
    says(&found[0], &["1 call (DescribeDBClusters)", &id(4)]);
    says(
        &found[1],
        &[
            "the root user made 3 calls (ModifyDBInstance ×2, DescribeDBInstances)",
            "between 2026-11-25T18:03:27Z and 2026-11-25T18:05:00Z",
            &format!("events {}, {}, {}", id(1), id(2), id(3)),
        ],
    );
    assert!(!found[1].reason.contains(&id(5)));
}

#[test]
fn a_root_call_without_an_arn_is_named_from_its_account() {
    let bare = Principal {
        arn: String::new(),
        ..root()
    };
    let found = only(
        &trail(vec![call(
            1,
            "2026-11-25T18:03:27Z",
            "DescribeDBInstances",
            bare,
        )]),
        RuleId::ActivityRootUser,
    );
    assert_eq!(found.resource_id, format!("arn:aws:iam::{ACCOUNT}:root"));
}
