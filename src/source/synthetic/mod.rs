//! A deterministic synthetic fleet of any size, for benchmarks and for
//! trying rdsight on a large estate (`--demo-size`, `export-fleet
//! --synthetic`).
//!
//! The mix follows what large accounts look like: about 1 cluster to 4
//! instances to 15 snapshots, spread over eight regions with more in the
//! first, mostly healthy with a realistic tail of risks (a few public
//! instances and snapshots, unencrypted storage, short or no backups,
//! groups open to the internet). The same `(size, seed)` always gives the
//! same fleet, byte for byte.

mod activity;
mod generator;
mod snaps;
mod tls;
pub mod trail;

use crate::model::Fleet;
pub use activity::{EXPECTED as EXPECTED_SNAPSHOT_PRINCIPALS, add_events};
use generator::Generator;

const ACCOUNT: &str = "493812047561";
/// Accounts snapshots get shared with: a partner and a stranger.
const OTHER_ACCOUNTS: [&str; 2] = ["210987654321", "777788889999"];

/// Regions, most-used first: region `n` gets about twice the share of `n+1`
/// for the first few, like real fleets that grew from one home region.
const REGIONS: [(&str, u32); 8] = [
    ("us-east-1", 32),
    ("eu-west-1", 20),
    ("us-west-2", 14),
    ("eu-central-1", 10),
    ("ap-southeast-2", 8),
    ("ap-northeast-1", 7),
    ("us-east-2", 5),
    ("sa-east-1", 4),
];

const APPS: [&str; 16] = [
    "orders",
    "billing",
    "ledger",
    "search",
    "catalog",
    "payments",
    "identity",
    "inventory",
    "shipping",
    "analytics",
    "reporting",
    "notify",
    "session",
    "pricing",
    "fraud",
    "audit",
];
const ENVS: [(&str, u32); 3] = [("prod", 5), ("staging", 3), ("dev", 2)];
const CLASSES: [&str; 6] = [
    "db.r6g.large",
    "db.r6g.2xlarge",
    "db.m6g.large",
    "db.m5.xlarge",
    "db.t3.medium",
    "db.t4g.small",
];
/// Standalone engines with their usual version.
const ENGINES: [(&str, &str, u32); 6] = [
    ("postgres", "15.4", 35),
    ("mysql", "8.0.35", 30),
    ("mariadb", "10.11.6", 10),
    ("sqlserver-se", "15.00.4345.5.v1", 5),
    ("oracle-ee", "19.0.0.0.ru-2023-10.rur-2023-10.r1", 5),
    ("postgres", "13.12", 15),
];
const ADMIN_NAMES: [&str; 4] = ["admin", "postgres", "root", "master"];
/// Security groups per region: one per this many instances in it.
const INSTANCES_PER_GROUP: usize = 8;

/// SplitMix64: tiny, fast and good enough to spread risks; keeps the
/// generator free of a dependency and stable across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut pick = (self.next() % u64::from(total.max(1))) as u32;
        for (item, weight) in items {
            if pick < *weight {
                return *item;
            }
            pick -= weight;
        }
        items[0].0
    }

    fn weighted3<'a>(&mut self, items: &'a [(&'a str, &'a str, u32)]) -> (&'a str, &'a str) {
        let pairs: Vec<((&str, &str), u32)> =
            items.iter().map(|(e, v, w)| ((*e, *v), *w)).collect();
        self.weighted(&pairs)
    }

    /// Backup retention: mostly 7–35 days, a tail of short and none.
    fn retention(&mut self) -> u32 {
        self.weighted(&[(0, 3), (1, 6), (3, 6), (7, 45), (14, 28), (35, 12)])
    }
}

/// The seed `--demo-size` uses, so every demo at a size is the same.
pub const DEMO_SEED: u64 = 1;

/// The regions every synthetic fleet spans.
pub fn regions() -> Vec<String> {
    REGIONS.iter().map(|(r, _)| r.to_string()).collect()
}

/// How many of each kind make up `size` resources.
fn shape(size: usize) -> (usize, usize, usize) {
    let clusters = size / 20;
    let instances = size * 4 / 20;
    (clusters, instances, size - clusters - instances)
}

/// A synthetic fleet of exactly `size` resources (clusters + instances +
/// snapshots), with security groups to match.
pub fn synthetic_fleet(size: usize, seed: u64) -> Fleet {
    let mut builder = Generator::new(seed);
    let (clusters, instances, snapshots) = shape(size);
    builder.security_groups(instances);
    for n in 0..clusters {
        builder.cluster(n);
    }
    // Two instances of every four belong to a cluster (writer and reader)
    // while clusters last; the rest stand alone.
    let mut standalone = Vec::new();
    for n in 0..instances {
        let cluster = n / 4;
        if cluster < clusters && n % 4 < 2 {
            builder.member(cluster, n % 4 == 0);
        } else {
            standalone.push(builder.fleet.instances.len());
            builder.standalone(n);
        }
    }
    for n in 0..snapshots {
        builder.snapshot(n, &standalone);
    }
    // Derived, not drawn: every fleet of a seed stays as it was.
    builder.network();
    snaps::add(&mut builder.fleet);
    let mut fleet = builder.fleet;
    tls::add_tls_and_credentials(&mut fleet, seed);
    fleet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleConfig;
    use crate::rules::{self, RuleId};
    use std::collections::BTreeSet;

    #[test]
    fn has_exactly_the_size_asked_for_in_the_usual_mix() {
        for size in [0, 7, 1_000, 10_000] {
            let fleet = synthetic_fleet(size, 1);
            assert_eq!(fleet.resource_count(), size);
        }
        let fleet = synthetic_fleet(10_000, 1);
        assert_eq!(fleet.clusters.len(), 500);
        assert_eq!(fleet.instances.len(), 2_000);
        assert_eq!(fleet.snapshots.len(), 7_500);
    }

    #[test]
    fn same_seed_same_fleet_other_seed_other_fleet() {
        assert_eq!(synthetic_fleet(2_000, 7), synthetic_fleet(2_000, 7));
        assert_ne!(synthetic_fleet(2_000, 7), synthetic_fleet(2_000, 8));
    }

    #[test]
    fn ids_are_unique_and_references_resolve() {
        let fleet = synthetic_fleet(5_000, 3);
        let instances: BTreeSet<(&str, &str)> = fleet
            .instances
            .iter()
            .map(|i| (i.region.as_str(), i.id.as_str()))
            .collect();
        assert_eq!(instances.len(), fleet.instances.len());
        let snapshots: BTreeSet<_> = fleet
            .snapshots
            .iter()
            .map(|s| (s.region.as_str(), s.kind, s.id.as_str()))
            .collect();
        assert_eq!(snapshots.len(), fleet.snapshots.len());
        for c in &fleet.clusters {
            for m in &c.members {
                assert!(fleet.instance(&c.region, &m.instance_id).is_some());
            }
        }
        for i in &fleet.instances {
            for g in &i.security_group_ids {
                assert!(fleet.security_group(&i.region, g).is_some(), "{g}");
            }
        }
    }

    #[test]
    fn evaluate_orders_findings_as_sort_findings_does() {
        let mut fleet = synthetic_fleet(10_000, 5);
        // A cluster and an instance with one name: ties keep cluster first.
        let mut twin = fleet.instances[3].clone();
        twin.id = fleet.clusters[0].id.clone();
        twin.region = fleet.clusters[0].region.clone();
        twin.cluster_id = None;
        fleet.instances.push(twin);
        let findings = rules::evaluate(&fleet, &RuleConfig::default());
        let mut sorted = findings.clone();
        rules::sort_findings(&mut sorted);
        assert_eq!(findings, sorted);
    }

    #[test]
    fn every_rule_fires_somewhere_and_most_resources_are_clean_of_the_worst() {
        let mut fleet = synthetic_fleet(10_000, 1);
        add_events(&mut fleet, 10_000);
        let config = RuleConfig {
            expected_snapshot_principals: EXPECTED_SNAPSHOT_PRINCIPALS.map(String::from).to_vec(),
            ..RuleConfig::default()
        };
        let findings = rules::evaluate(&fleet, &config);
        let fired: BTreeSet<RuleId> = findings.iter().map(|f| f.rule).collect();
        let all: BTreeSet<RuleId> = rules::CATALOGUE.iter().map(|r| r.id).collect();
        assert_eq!(fired, all);
        let critical = findings
            .iter()
            .filter(|f| f.severity == rules::Severity::Critical)
            .count();
        assert!(critical > 0 && critical < fleet.resource_count() / 20);
    }
}

#[cfg(test)]
mod demo_tests {
    use crate::source::FleetSource;
    use crate::source::demo::DemoSource;

    #[tokio::test]
    async fn a_sized_demo_is_generated_on_its_first_load_not_before() {
        let source = DemoSource::synthetic(500, super::DEMO_SEED, Vec::new(), true);
        assert_eq!(source.info().account, None, "nothing generated yet");
        let fleet = source.load().await.unwrap();
        assert_eq!(fleet, super::synthetic_fleet(500, super::DEMO_SEED));
        assert_eq!(source.load().await.unwrap(), fleet, "generated once");
        assert!(source.info().account.is_some());
    }
}
