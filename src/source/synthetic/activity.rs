//! A synthetic RDS activity trail for a synthetic fleet: `count` events
//! over the week before the demo's morning, mostly ordinary (reads, the
//! ops role's changes, the backup runner's snapshots) with the tail the
//! activity rules look for (shares, exports, copies between regions,
//! refusals, the root user). For benchmarks of the activity rules and
//! the events pane at scale. Derived from a hash of the event's number,
//! so the same fleet and count give the same trail.

use std::time::{Duration, SystemTime};

use super::{ACCOUNT, OTHER_ACCOUNTS, snaps::hash};
use crate::model::{
    ActivityRead, Event, EventDetail, EventResource, Fleet, Principal, PrincipalKind, ResourceType,
    Snapshot,
};

/// The end of the trail: the demo fleet's morning.
const UNTIL: &str = "2026-11-28T09:00:00Z";
const WEEK: Duration = Duration::from_secs(7 * 86_400);

/// The principals the backup runner and the ops role are, as
/// `expected_snapshot_principals` would name them.
pub const EXPECTED: [&str; 2] = ["role/rds-backup-runner", "role/platform-ops"];

fn role(name: &str, session: &str) -> Principal {
    Principal {
        kind: PrincipalKind::AssumedRole,
        arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/{name}/{session}"),
        account: ACCOUNT.into(),
        role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/{name}")),
        invoked_by: None,
    }
}

fn user(kind: PrincipalKind, name: &str) -> Principal {
    Principal {
        kind,
        arn: format!("arn:aws:iam::{ACCOUNT}:{name}"),
        account: ACCOUNT.into(),
        role_arn: None,
        invoked_by: None,
    }
}

/// A uuid-shaped id from a number.
fn event_id(n: usize) -> String {
    let (a, b) = (hash(&format!("id/{n}")), hash(&format!("id2/{n}")));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Add `count` events (oldest first) and a week's trail read for every
/// region of the fleet.
pub fn add_events(fleet: &mut Fleet, count: usize) {
    let Ok(until) = humantime::parse_rfc3339(UNTIL) else {
        return;
    };
    let since = until - WEEK;
    let snapshots: Vec<&Snapshot> = fleet.snapshots.iter().collect();
    let step = WEEK.as_secs_f64() / count.max(1) as f64;
    let events: Vec<Event> = (0..count)
        .map(|n| {
            let at = since + Duration::from_secs_f64(step * n as f64);
            let snapshot =
                snapshots.get(hash(&format!("snap/{n}")) as usize % snapshots.len().max(1));
            event(n, at, snapshot.copied())
        })
        .collect();
    fleet.activity_reads = fleet
        .regions
        .iter()
        .map(|region| ActivityRead {
            region: region.clone(),
            since: humantime::format_rfc3339_seconds(since).to_string(),
            until: UNTIL.into(),
            via: "synthetic".into(),
        })
        .collect();
    fleet.events = events;
}

/// The ops role reading snapshots: most of any trail.
fn read(n: usize, at: SystemTime, region: &str) -> Event {
    Event {
        id: event_id(n),
        time: humantime::format_rfc3339_seconds(at).to_string(),
        region: region.to_string(),
        name: "DescribeDBSnapshots".into(),
        principal: role("platform-ops", "ops-session"),
        source_ip: "192.0.2.10".into(),
        user_agent: "aws-cli/2.17.5 Python/3.11.9 Linux/6.1 exe/x86_64".into(),
        ..Event::default()
    }
}

fn event(n: usize, at: SystemTime, snapshot: Option<&Snapshot>) -> Event {
    let draw = hash(&format!("kind/{n}")) % 1000;
    let region = snapshot.map_or("us-east-1", |s| s.region.as_str());
    let mut event = read(n, at, region);
    let Some(snapshot) = snapshot else {
        return event;
    };
    let resource = EventResource {
        kind: snapshot.kind.resource_type(),
        id: snapshot.id.clone(),
        region: snapshot.region.clone(),
    };
    let cluster = resource.kind == ResourceType::DbClusterSnapshot;
    let call = |db: &str, cluster_call: &str| if cluster { cluster_call } else { db }.to_string();
    match draw {
        0..=699 => {}
        700..=849 => {
            event.name = call("ModifyDBSnapshot", "ModifyDBClusterSnapshot");
            event.resource = Some(resource);
        }
        // Snapshots taken: mostly by the backup runner, some by developers.
        850..=909 => {
            event.name = call("CreateDBSnapshot", "CreateDBClusterSnapshot");
            event.principal = match draw {
                850..=899 => role("rds-backup-runner", "backup"),
                _ => user(PrincipalKind::IamUser, &format!("user/dev-{}", n % 7)),
            };
            event.detail = EventDetail::Create {
                snapshot: format!("{}-made-{n}", snapshot.source_id),
                source: snapshot.source_id.clone(),
            };
            event.resource = Some(resource);
        }
        910..=929 => copy(
            &mut event,
            snapshot,
            resource,
            n,
            call("CopyDBSnapshot", "CopyDBClusterSnapshot"),
        ),
        930..=939 => {
            event.name = call(
                "ModifyDBSnapshotAttribute",
                "ModifyDBClusterSnapshotAttribute",
            );
            event.detail = share(n);
            event.resource = Some(resource);
        }
        940..=944 => {
            event.name = "StartExportTask".into();
            event.detail = export(snapshot, n);
            event.resource = Some(resource);
        }
        945..=994 => {
            const PROBED: [&str; 3] = [
                "DescribeDBSnapshots",
                "ModifyDBSnapshotAttribute",
                "CopyDBSnapshot",
            ];
            event.principal = role(&format!("probe-{}", n % 20), "session");
            event.name = PROBED[n % 3].into();
            event.error_code = Some("AccessDenied".into());
            event.source_ip = "198.51.100.23".into();
        }
        995..=996 => {
            event.principal = user(PrincipalKind::Root, "root");
            event.user_agent = "console.amazonaws.com".into();
        }
        _ => {}
    }
    event
}

/// A share with everyone, the fleet's own account or another account; one
/// in three takes the account back instead.
fn share(n: usize) -> EventDetail {
    let account = match n % 4 {
        0 => "all",
        1 => ACCOUNT,
        _ => OTHER_ACCOUNTS[n % 2],
    };
    let (added, removed) = if n.is_multiple_of(3) {
        (Vec::new(), vec![account.to_string()])
    } else {
        (vec![account.to_string()], Vec::new())
    };
    EventDetail::Share {
        attribute: "restore".into(),
        added,
        removed,
    }
}

fn export(snapshot: &Snapshot, n: usize) -> EventDetail {
    EventDetail::Export {
        task_id: format!("export-{n}"),
        source_arn: snapshot.arn.clone().unwrap_or_default(),
        bucket: "acme-exports".into(),
        prefix: Some(format!("{}/", snapshot.source_id)),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/rds-s3-export"),
        kms_key_id: snapshot.kms_key_id.clone().unwrap_or_default(),
    }
}

/// A copy by the backup runner: one in four into another region.
fn copy(event: &mut Event, snapshot: &Snapshot, resource: EventResource, n: usize, name: String) {
    let elsewhere = n.is_multiple_of(4);
    let destination = if elsewhere {
        if snapshot.region == "us-west-2" {
            "us-east-1"
        } else {
            "us-west-2"
        }
    } else {
        snapshot.region.as_str()
    };
    event.name = name;
    event.principal = role("rds-backup-runner", "backup");
    event.region = destination.to_string();
    event.detail = EventDetail::Copy {
        source: snapshot.arn.clone().unwrap_or_else(|| snapshot.id.clone()),
        target: format!("{}-copy-{n}", snapshot.source_id),
        destination_region: destination.to_string(),
        source_region: Some(snapshot.region.clone()),
        kms_key_id: None,
        encrypted: Some(snapshot.encrypted),
    };
    event.resource = Some(EventResource {
        region: destination.to_string(),
        id: format!("{}-copy-{n}", snapshot.source_id),
        ..resource
    });
}
