//! A small fleet with an activity trail built in code: a cluster snapshot
//! created from an odd address, shared with everyone, exported, unshared
//! by the security team, a burst of refusals for an unknown role, a
//! backup by AWS, a deleted snapshot, a copy to another region, and one
//! event whose every string is hostile.

use rdsight::model::{
    ActivityRead, Event, EventDetail, EventResource, Fleet, Principal, PrincipalKind, ResourceType,
};
use rdsight::source::demo::DemoSource;
use rdsight::tui::app::App;

use crate::support::fleets::{
    ACCOUNT, REGION, add_cluster, cluster, cluster_snapshot, db_snapshot, fleet, instance,
};
use crate::support::tui::app_on;

pub const EU: &str = "eu-west-1";
pub const SHARED: &str = "orders-final";
pub const ALICE_ARN: &str = "arn:aws:iam::111111111111:user/dev-alice";
pub const ALICE_IP: &str = "198.51.100.23";
pub const CLI: &str = "aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 lang/python#3.11.9 command/rds.create-db-cluster-snapshot";
pub const BOTO: &str = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 Botocore/1.34.0";
/// The hostile event's caller: an escape sequence and a bidi override.
pub const EVIL_ARN: &str = "arn:aws:iam::111111111111:user/evil\u{1b}[31m\u{202e}gnp.exe";

fn user(arn: &str) -> Principal {
    Principal {
        kind: PrincipalKind::IamUser,
        arn: arn.into(),
        account: ACCOUNT.into(),
        ..Principal::default()
    }
}

fn role(name: &str) -> Principal {
    Principal {
        kind: PrincipalKind::AssumedRole,
        arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/{name}/session-1"),
        account: ACCOUNT.into(),
        role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/{name}")),
        ..Principal::default()
    }
}

fn on(kind: ResourceType, id: &str, region: &str) -> Option<EventResource> {
    Some(EventResource {
        kind,
        id: id.into(),
        region: region.into(),
    })
}

/// An event at `time` (UTC) in the test region.
fn event(n: usize, time: &str, name: &str, principal: Principal) -> Event {
    Event {
        id: format!("e{n:02}-4f1c-9a7e"),
        time: time.into(),
        region: REGION.into(),
        name: name.into(),
        principal,
        source_ip: ALICE_IP.into(),
        user_agent: CLI.into(),
        ..Event::default()
    }
}

fn share(added: &[&str], removed: &[&str]) -> EventDetail {
    EventDetail::Share {
        attribute: "restore".into(),
        added: added.iter().map(|s| s.to_string()).collect(),
        removed: removed.iter().map(|s| s.to_string()).collect(),
    }
}

/// The story, oldest first (as the fleet keeps it).
pub fn events() -> Vec<Event> {
    let snap = on(ResourceType::DbClusterSnapshot, SHARED, REGION);
    let alice = user(ALICE_ARN);
    let unknown = role("ci-unknown");
    let refused = |n, time: &str, name: &str, resource| Event {
        source_ip: "203.0.113.50".into(),
        user_agent: BOTO.into(),
        error_code: Some("AccessDenied".into()),
        error_message: Some(format!("User is not authorized to perform: rds:{name}")),
        resource,
        ..event(n, time, name, unknown.clone())
    };
    let denied = [
        refused(
            5,
            "2026-11-29T03:10:00Z",
            "DescribeDBClusterSnapshots",
            None,
        ),
        refused(
            6,
            "2026-11-29T03:11:00Z",
            "CopyDBClusterSnapshot",
            snap.clone(),
        ),
        refused(
            7,
            "2026-11-29T03:12:00Z",
            "ModifyDBClusterSnapshotAttribute",
            snap.clone(),
        ),
    ];
    let mut all = vec![
        Event {
            resource: snap.clone(),
            detail: EventDetail::Create {
                snapshot: SHARED.into(),
                source: "orders".into(),
            },
            ..event(
                1,
                "2026-11-28T09:00:00Z",
                "CreateDBClusterSnapshot",
                alice.clone(),
            )
        },
        Event {
            resource: snap.clone(),
            detail: share(&["all"], &[]),
            ..event(
                2,
                "2026-11-28T09:20:00Z",
                "ModifyDBClusterSnapshotAttribute",
                alice.clone(),
            )
        },
        Event {
            resource: snap.clone(),
            user_agent: BOTO.into(),
            detail: EventDetail::Export {
                task_id: "exfil-1".into(),
                source_arn: format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:{SHARED}"),
                bucket: "exfil-bucket".into(),
                prefix: None,
                role_arn: format!("arn:aws:iam::{ACCOUNT}:role/export"),
                kms_key_id: format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-9"),
            },
            ..event(3, "2026-11-28T10:02:00Z", "StartExportTask", alice.clone())
        },
        Event {
            resource: snap.clone(),
            source_ip: "10.20.30.40".into(),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0".into(),
            detail: share(&[], &["all"]),
            ..event(
                4,
                "2026-11-28T16:45:00Z",
                "ModifyDBClusterSnapshotAttribute",
                role("SecurityAudit"),
            )
        },
    ];
    all.extend(denied);
    all.extend([
        Event {
            resource: on(ResourceType::DbSnapshot, "billing-nightly", REGION),
            source_ip: "backup.amazonaws.com".into(),
            user_agent: "backup.amazonaws.com".into(),
            detail: EventDetail::Create {
                snapshot: "billing-nightly".into(),
                source: "billing".into(),
            },
            ..event(
                8,
                "2026-11-29T12:00:00Z",
                "CreateDBSnapshot",
                Principal {
                    kind: PrincipalKind::AwsService,
                    invoked_by: Some("backup.amazonaws.com".into()),
                    ..Principal::default()
                },
            )
        },
        Event {
            resource: on(ResourceType::DbClusterSnapshot, "orders-old", REGION),
            ..event(
                9,
                "2026-11-30T08:00:00Z",
                "DeleteDBClusterSnapshot",
                Principal {
                    kind: PrincipalKind::Root,
                    arn: format!("arn:aws:iam::{ACCOUNT}:root"),
                    account: ACCOUNT.into(),
                    ..Principal::default()
                },
            )
        },
        Event {
            region: EU.into(),
            resource: on(ResourceType::DbClusterSnapshot, "orders-final-eu", EU),
            detail: EventDetail::Copy {
                source: format!("arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:{SHARED}"),
                target: "orders-final-eu".into(),
                destination_region: EU.into(),
                source_region: Some(REGION.into()),
                kms_key_id: None,
                encrypted: Some(false),
            },
            ..event(
                10,
                "2026-11-30T09:00:00Z",
                "CopyDBClusterSnapshot",
                alice.clone(),
            )
        },
        Event {
            resource: on(ResourceType::DbInstance, "billing", REGION),
            source_ip: "10.0.0.1\u{7}".into(),
            user_agent: format!("curl/8\u{1b}]0;owned\u{7}{}", "A".repeat(5000)),
            error_code: Some("InvalidParameterCombination\u{202e}".into()),
            error_message: Some(format!("line one\nline two\u{1b}[2J{}", "x".repeat(3000))),
            ..event(
                11,
                "2026-11-30T10:00:00Z",
                "ModifyDBInstance",
                user(EVIL_ARN),
            )
        },
    ]);
    all
}

/// The fleet: cluster `orders` (one member) with its snapshot `orders-final`
/// (shared with all) and instance `billing` with `billing-nightly`, in the
/// test region; a second region whose trail was read too.
pub fn trail_fleet() -> Fleet {
    let mut f = fleet();
    f.regions.push(EU.into());
    add_cluster(&mut f, cluster("orders"), &["us-east-1a"]);
    f.instances.push(instance("billing"));
    f.snapshots.push(rdsight::model::Snapshot {
        shared_with: vec!["all".into()],
        ..cluster_snapshot(SHARED)
    });
    f.snapshots.push(rdsight::model::Snapshot {
        source_id: "billing".into(),
        ..db_snapshot("billing-nightly")
    });
    f.events = events();
    f.activity_reads = [REGION, EU]
        .iter()
        .map(|region| ActivityRead {
            region: region.to_string(),
            since: "2026-11-23T12:00:00Z".into(),
            until: "2026-11-30T12:00:00Z".into(),
            via: "test".into(),
        })
        .collect();
    f
}

/// An app on `fleet` at `size`, loaded.
pub fn app_with(fleet: Fleet, size: (u16, u16)) -> App {
    let source = DemoSource::new(false).unwrap();
    app_on(&source, fleet, size)
}

/// An app on the trail fleet at `size`.
pub fn trail_app(size: (u16, u16)) -> App {
    app_with(trail_fleet(), size)
}
