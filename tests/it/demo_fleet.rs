//! The embedded demo fleet is big and varied enough to demo every rule:
//! several regions, clusters with real members, both snapshot kinds, and
//! for every rule at least one resource that fails it and one that passes;
//! for every activity rule, a finding from the demo's trail and an event
//! it judges and passes over.

use rdsight::config::RuleConfig;
use rdsight::model::{Event, Fleet, ResourceType, SnapshotKind};
use rdsight::rules::{self, CATALOGUE, Context, Finding, RuleId, Severity, Verdict};
use rdsight::source::demo::{demo_fleet, house_rules};
use std::collections::BTreeSet;

fn demo() -> Fleet {
    demo_fleet().unwrap()
}

#[test]
fn demo_fleet_is_big_enough() {
    let f = demo();
    assert!(!f.account.is_empty(), "no account id");
    let regions: BTreeSet<&str> = f.regions.iter().map(String::as_str).collect();
    assert!(regions.len() >= 3, "{} regions", regions.len());
    assert!(f.clusters.len() >= 6, "{} clusters", f.clusters.len());
    assert!(f.instances.len() >= 30, "{} instances", f.instances.len());
    assert!(f.snapshots.len() >= 60, "{} snapshots", f.snapshots.len());
    for kind in [SnapshotKind::Db, SnapshotKind::Cluster] {
        assert!(
            f.snapshots.iter().any(|s| s.kind == kind),
            "no {} snapshots",
            kind.label()
        );
    }
    assert!(!f.security_groups.is_empty(), "no security groups");
}

#[test]
fn demo_resources_live_in_listed_regions_with_unique_ids() {
    let f = demo();
    let listed: BTreeSet<&str> = f.regions.iter().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    for s in rules::subjects(&f) {
        let r = s.resource_ref();
        assert!(
            listed.contains(r.region.as_str()),
            "{r} is in an unlisted region"
        );
        assert!(seen.insert(r.clone()), "{r} appears twice");
        assert!(s.arn().is_some_and(|a| a.contains(&r.region)), "{r} arn");
    }
    for g in &f.security_groups {
        assert!(listed.contains(g.region.as_str()), "{} region", g.id);
    }
}

#[test]
fn every_cluster_member_exists_and_points_back() {
    let f = demo();
    for c in &f.clusters {
        assert!(!c.members.is_empty(), "cluster {} has no members", c.id);
        for m in &c.members {
            let i = f.instance(&c.region, &m.instance_id).unwrap_or_else(|| {
                panic!("cluster {} lists missing member {}", c.id, m.instance_id)
            });
            assert_eq!(
                i.cluster_id.as_deref(),
                Some(c.id.as_str()),
                "member {} does not name its cluster",
                i.id
            );
        }
    }
    for i in &f.instances {
        if let Some(cid) = &i.cluster_id {
            let c = f
                .cluster(&i.region, cid)
                .unwrap_or_else(|| panic!("{} names missing cluster {cid}", i.id));
            assert!(
                c.members.iter().any(|m| m.instance_id == i.id),
                "{} is not listed by its cluster {cid}",
                i.id
            );
        }
    }
}

#[test]
fn attached_security_groups_are_loaded() {
    let f = demo();
    let groups = f
        .clusters
        .iter()
        .map(|c| (&c.region, &c.security_group_ids))
        .chain(
            f.instances
                .iter()
                .map(|i| (&i.region, &i.security_group_ids)),
        );
    for (region, ids) in groups {
        for id in ids {
            assert!(
                f.security_group(region, id).is_some(),
                "{id} in {region} is attached but not in the fleet"
            );
        }
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_resource() {
    let f = demo();
    let config = RuleConfig::default();
    let ctx = Context::new(&f, &config);
    let mut problems = Vec::new();
    // Activity rules judge events, not resources: `activity_rules_…` below.
    for info in CATALOGUE.iter().filter(|info| !info.targets.is_empty()) {
        let (mut fails, mut passes) = (0, 0);
        for subject in rules::subjects(&f) {
            match rules::verdict(&ctx, info.id, subject) {
                Verdict::Fail(_) | Verdict::FailAt(..) => fails += 1,
                Verdict::Pass => passes += 1,
                Verdict::NotApplicable(_) => {}
                // The demo loads everything: nothing may be unknown.
                Verdict::Unknown(why) => {
                    problems.push(format!("{}: unknown verdict: {why}", info.name()))
                }
            }
        }
        if fails == 0 {
            problems.push(format!("{}: no resource fails it", info.name()));
        }
        if passes == 0 {
            problems.push(format!("{}: no resource passes it", info.name()));
        }
    }
    assert!(
        problems.is_empty(),
        "demo fleet gaps:\n{}",
        problems.join("\n")
    );
}

#[test]
fn demo_fleet_survives_a_json_round_trip() {
    let f = demo();
    let text = serde_json::to_string(&f).unwrap();
    let back: Fleet = serde_json::from_str(&text).unwrap();
    assert_eq!(back, f);
    assert_eq!(
        rules::evaluate(&back, &RuleConfig::default()),
        rules::evaluate(&f, &RuleConfig::default())
    );
}

/// The events each activity rule judges, whether it fires on them or not.
fn judges(rule: RuleId, event: &Event) -> bool {
    let name = event.name.as_str();
    match rule {
        RuleId::ActivitySnapshotShared => name.ends_with("SnapshotAttribute"),
        RuleId::ActivitySnapshotExported => name == "StartExportTask",
        RuleId::ActivitySnapshotCopiedCrossRegion => name.starts_with("CopyDB"),
        RuleId::ActivityUnexpectedSnapshotCreator => {
            name.starts_with("CopyDB") || name.starts_with("CreateDB") && name.ends_with("Snapshot")
        }
        // Every call is a caller's: refused or not, root or not.
        _ => true,
    }
}

#[test]
fn every_activity_rule_fires_on_the_story_and_passes_over_some_event_it_judges() {
    let f = demo();
    // The config the demo runs with: its company's expected snapshot takers.
    let config = house_rules(RuleConfig::default());
    let findings = rules::evaluate(&f, &config);
    let mut problems = Vec::new();
    for info in CATALOGUE.iter().filter(|info| info.targets.is_empty()) {
        let fired: Vec<&Finding> = findings.iter().filter(|x| x.rule == info.id).collect();
        if fired.is_empty() {
            problems.push(format!("{}: never fires", info.name()));
        }
        if fired.iter().any(|x| x.is_unknown()) {
            problems.push(format!("{}: an unknown verdict", info.name()));
        }
        let cited = |e: &Event| fired.iter().any(|x| x.reason.contains(e.id.as_str()));
        if !f.events.iter().any(|e| judges(info.id, e) && !cited(e)) {
            problems.push(format!("{}: passes over no event it judges", info.name()));
        }
    }
    assert!(
        problems.is_empty(),
        "demo story gaps:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_demo_trail_is_consistent_with_its_fleet() {
    let f = demo();
    let read: BTreeSet<&str> = f.activity_reads.iter().map(|r| r.region.as_str()).collect();
    let listed: BTreeSet<&str> = f.regions.iter().map(String::as_str).collect();
    assert_eq!(read, listed, "every demo region's trail is read");
    let mut ids = BTreeSet::new();
    for pair in f.events.windows(2) {
        assert!(
            pair[0].time <= pair[1].time,
            "not oldest first at {}",
            pair[1].id
        );
    }
    for e in &f.events {
        assert!(ids.insert(e.id.as_str()), "{} twice", e.id);
        let uuid_shaped = e.id.len() == 36 && e.id.split('-').map(str::len).eq([8, 4, 4, 4, 12]);
        assert!(uuid_shaped, "{} is not a CloudTrail event id", e.id);
        assert!(
            read.contains(e.region.as_str()),
            "{} in unread {}",
            e.id,
            e.region
        );
        assert!(
            !e.user_agent.is_empty() && !e.source_ip.is_empty(),
            "{}",
            e.id
        );
        // What a call that went through acted on is in the fleet (the demo
        // deletes nothing); a refused call may name what was never made.
        if let (Some(r), false) = (&e.resource, e.failed()) {
            let kind = match r.kind {
                ResourceType::DbSnapshot => Some(SnapshotKind::Db),
                ResourceType::DbClusterSnapshot => Some(SnapshotKind::Cluster),
                _ => None,
            };
            let found = match kind {
                Some(kind) => f.snapshot(&r.region, kind, &r.id).is_some(),
                None => f.status_of(&r.resource_ref()).is_some(),
            };
            assert!(
                found,
                "{} names {} {} missing from the fleet",
                e.id, r.kind, r.id
            );
        }
    }
}

#[test]
fn the_demo_story_reads_as_told() {
    let f = demo();
    let findings = rules::evaluate(&f, &house_rules(RuleConfig::default()));
    let of =
        |rule: RuleId| -> Vec<&Finding> { findings.iter().filter(|x| x.rule == rule).collect() };
    let shared = of(RuleId::ActivitySnapshotShared);
    assert_eq!(shared.len(), 1, "{shared:#?}");
    assert_eq!(shared[0].severity, Severity::Critical);
    assert_eq!(shared[0].resource_id, "orders-prod-debug-2026-11-28");
    for words in [
        "user/dev-sam",
        "203.0.113.47",
        "shared with all",
        "shared for 5h 12m",
    ] {
        assert!(
            shared[0].reason.contains(words),
            "{words}: {}",
            shared[0].reason
        );
    }
    let exported: Vec<&str> = of(RuleId::ActivitySnapshotExported)
        .iter()
        .map(|x| x.resource_id.as_str())
        .collect();
    assert!(
        exported.contains(&"orders-prod-debug-2026-11-28"),
        "{exported:?}"
    );
    let denied = of(RuleId::ActivityAccessDenied);
    assert!(denied.len() >= 3, "{denied:#?}");
    assert!(
        denied
            .iter()
            .all(|x| x.resource_id.ends_with(":role/snapshot-sync-legacy"))
    );
    let unexpected = of(RuleId::ActivityUnexpectedSnapshotCreator);
    assert_eq!(
        unexpected.len(),
        1,
        "only dev-sam's snapshot: {unexpected:#?}"
    );
}
