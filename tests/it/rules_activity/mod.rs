//! Case matrices for the activity rules: small fleets built in code, with
//! the events CloudTrail would have recorded, judged by `rules::evaluate`
//! as every source's fleet is.

mod callers;
mod creators;
mod moved;
mod reports;
mod shared;

use rdsight::config::RuleConfig;
use rdsight::model::{
    ActivityRead, Event, EventDetail, EventResource, Fleet, Principal, PrincipalKind, ResourceType,
};
use rdsight::rules::{self, Finding, RuleId};

use crate::support::fleets::{ACCOUNT, REGION, fleet};

pub const OTHER_REGION: &str = "eu-west-1";
pub const CLI: &str = "aws-cli/2.17.5 Python/3.11.9 Linux/6.1 exe/x86_64";

pub fn iam_user(name: &str) -> Principal {
    Principal {
        kind: PrincipalKind::IamUser,
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        account: ACCOUNT.into(),
        ..Principal::default()
    }
}

pub fn assumed(role: &str, session: &str) -> Principal {
    Principal {
        kind: PrincipalKind::AssumedRole,
        arn: format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{session}"),
        account: ACCOUNT.into(),
        role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/{role}")),
        invoked_by: None,
    }
}

pub fn root() -> Principal {
    Principal {
        kind: PrincipalKind::Root,
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        account: ACCOUNT.into(),
        ..Principal::default()
    }
}

/// A uuid-shaped event id, distinct per number.
pub fn id(n: u32) -> String {
    format!("5e0c1d0e-6a7b-4c2e-9a51-{n:012}")
}

/// A successful call in the test region.
pub fn call(n: u32, time: &str, name: &str, principal: Principal) -> Event {
    Event {
        id: id(n),
        time: time.into(),
        region: REGION.into(),
        name: name.into(),
        principal,
        source_ip: "203.0.113.47".into(),
        user_agent: CLI.into(),
        ..Event::default()
    }
}

pub fn on(mut event: Event, kind: ResourceType, snapshot: &str) -> Event {
    event.resource = Some(EventResource {
        kind,
        id: snapshot.into(),
        region: event.region.clone(),
    });
    event
}

pub fn refused(mut event: Event, code: &str) -> Event {
    event.error_code = Some(code.into());
    event.error_message = Some(format!("{code}: not allowed"));
    event
}

pub fn in_region(mut event: Event, region: &str) -> Event {
    event.region = region.into();
    if let Some(r) = &mut event.resource {
        r.region = region.into();
    }
    event
}

/// `ModifyDB[Cluster]SnapshotAttribute` on `restore`.
pub fn share(
    n: u32,
    time: &str,
    principal: Principal,
    (kind, snapshot): (ResourceType, &str),
    added: &[&str],
    removed: &[&str],
) -> Event {
    let name = match kind {
        ResourceType::DbClusterSnapshot => "ModifyDBClusterSnapshotAttribute",
        _ => "ModifyDBSnapshotAttribute",
    };
    let mut event = on(call(n, time, name, principal), kind, snapshot);
    event.detail = EventDetail::Share {
        attribute: "restore".into(),
        added: added.iter().map(|a| a.to_string()).collect(),
        removed: removed.iter().map(|a| a.to_string()).collect(),
    };
    event
}

/// `who` adding `added` to a snapshot's restore attribute on the morning
/// of 2026-11-27.
pub fn shares_at_ten(n: u32, who: &str, snapshot: (ResourceType, &str), added: &[&str]) -> Event {
    share(
        n,
        "2026-11-27T10:00:00Z",
        iam_user(who),
        snapshot,
        added,
        &[],
    )
}

/// The test fleet holding `snapshot`, its region's trail read.
pub fn holding(snapshot: rdsight::model::Snapshot, events: Vec<Event>) -> Fleet {
    let mut f = fleet();
    f.snapshots.push(snapshot);
    with_trail(f, &[REGION], events)
}

/// The test fleet, its trail read in `regions` over the demo's week.
pub fn with_trail(mut fleet: Fleet, regions: &[&str], events: Vec<Event>) -> Fleet {
    fleet.activity_reads = regions
        .iter()
        .map(|region| ActivityRead {
            region: region.to_string(),
            since: "2026-11-21T09:00:00Z".into(),
            until: "2026-11-28T09:00:00Z".into(),
            via: "test".into(),
        })
        .collect();
    fleet.events = events;
    fleet
}

/// An empty test fleet with its region's trail read.
pub fn trail(events: Vec<Event>) -> Fleet {
    with_trail(fleet(), &[REGION], events)
}

/// The findings of one rule.
pub fn findings_of(fleet: &Fleet, config: &RuleConfig, rule: RuleId) -> Vec<Finding> {
    rules::evaluate(fleet, config)
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

/// The one finding of `rule`, failing the test unless there is exactly one.
#[track_caller]
pub fn only(fleet: &Fleet, rule: RuleId) -> Finding {
    let mut found = findings_of(fleet, &RuleConfig::default(), rule);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

#[track_caller]
pub fn says(finding: &Finding, words: &[&str]) {
    for word in words {
        assert!(
            finding.reason.contains(word),
            "`{word}` missing from: {}",
            finding.reason
        );
    }
}
