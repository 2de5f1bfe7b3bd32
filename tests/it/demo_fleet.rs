//! The embedded demo fleet is big and varied enough to demo every rule:
//! several regions, clusters with real members, both snapshot kinds, and
//! for every rule at least one resource that fails it and one that passes.

use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, SnapshotKind};
use rdsight::rules::{self, CATALOGUE, Context, Verdict};
use rdsight::source::demo::demo_fleet;
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
