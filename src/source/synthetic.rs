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

use std::collections::BTreeMap;

use crate::model::{
    Cluster, ClusterMember, Fleet, IngressRule, Instance, PUBLIC_RESTORE_ACCOUNT, SecurityGroup,
    Snapshot, SnapshotKind, Tags,
};

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
    let mut builder = Generator {
        rng: Rng(seed),
        fleet: Fleet {
            account: ACCOUNT.to_string(),
            regions: regions(),
            ..Fleet::default()
        },
        groups_by_region: BTreeMap::new(),
    };
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
    builder.fleet
}

struct Generator {
    rng: Rng,
    fleet: Fleet,
    /// Group ids per region, to attach to databases there.
    groups_by_region: BTreeMap<&'static str, Vec<String>>,
}

impl Generator {
    fn region(&mut self) -> &'static str {
        self.rng.weighted(&REGIONS)
    }

    fn name(&mut self, n: usize) -> String {
        let app = APPS[self.rng.below(APPS.len())];
        let env = self.rng.weighted(&ENVS);
        format!("{app}-{env}-{n:05}")
    }

    fn arn(&self, region: &str, kind: &str, id: &str) -> Option<String> {
        Some(format!("arn:aws:rds:{region}:{ACCOUNT}:{kind}:{id}"))
    }

    fn kms_key(&mut self, region: &str) -> Option<String> {
        Some(format!(
            "arn:aws:kms:{region}:{ACCOUNT}:key/{:08x}-0000-4000-8000-{:012x}",
            self.rng.next() as u32,
            self.rng.next() & 0xffff_ffff_ffff
        ))
    }

    fn tags(&mut self, name: &str) -> Tags {
        let mut parts = name.splitn(3, '-');
        let app = parts.next().unwrap_or_default();
        let env = parts.next().unwrap_or_default();
        Tags::from([
            ("app".to_string(), format!("{app}-service")),
            ("env".to_string(), env.to_string()),
            (
                "cost-center".to_string(),
                format!("CC-{}", 1000 + self.rng.below(40)),
            ),
        ])
    }

    fn created(&mut self) -> Option<String> {
        let year = 2019 + self.rng.below(7);
        let month = 1 + self.rng.below(12);
        let day = 1 + self.rng.below(28);
        Some(format!("{year}-{month:02}-{day:02}T04:20:00Z"))
    }

    fn groups_for(&mut self, region: &'static str) -> Vec<String> {
        let ids = self.groups_by_region.get(region).map(Vec::as_slice);
        match ids {
            Some(ids) if !ids.is_empty() => {
                let pick = ids[self.rng.below(ids.len())].clone();
                vec![pick]
            }
            _ => Vec::new(),
        }
    }

    /// Groups in every region, about one per `INSTANCES_PER_GROUP`
    /// instances; one in twelve admits the internet on a DB port.
    fn security_groups(&mut self, instances: usize) {
        let per_region = (instances / INSTANCES_PER_GROUP / REGIONS.len()).max(1);
        for (region, _) in REGIONS {
            for n in 0..per_region {
                let id = format!("sg-0{:016x}", self.rng.next());
                let open = self.rng.chance(8);
                let port = if self.rng.chance(50) { 5432 } else { 3306 };
                let mut ingress = vec![IngressRule {
                    protocol: "tcp".into(),
                    from_port: Some(port),
                    to_port: Some(port),
                    ipv4_ranges: vec!["10.0.0.0/8".into()],
                    description: Some("application subnets".into()),
                    ..IngressRule::default()
                }];
                if open {
                    let all_traffic = self.rng.chance(25);
                    ingress.push(IngressRule {
                        protocol: if all_traffic { "-1" } else { "tcp" }.into(),
                        from_port: (!all_traffic).then_some(port),
                        to_port: (!all_traffic).then_some(port),
                        ipv4_ranges: vec!["0.0.0.0/0".into()],
                        ipv6_ranges: if self.rng.chance(30) {
                            vec!["::/0".into()]
                        } else {
                            Vec::new()
                        },
                        description: Some("temporary vendor access".into()),
                        ..IngressRule::default()
                    });
                }
                self.fleet.security_groups.push(SecurityGroup {
                    id: id.clone(),
                    name: format!("db-access-{n:03}"),
                    region: region.to_string(),
                    vpc_id: Some(format!("vpc-{:017x}", self.rng.next() & 0xffff_ffff)),
                    description: "database access".into(),
                    ingress,
                });
                self.groups_by_region.entry(region).or_default().push(id);
            }
        }
    }

    fn cluster(&mut self, n: usize) {
        let region = self.region();
        let id = self.name(n);
        let aurora = self.rng.chance(85);
        let postgres = self.rng.chance(50);
        let (engine, version, port) = match (aurora, postgres) {
            (true, true) => ("aurora-postgresql", "15.4", 5432),
            (true, false) => ("aurora-mysql", "8.0.mysql_aurora.3.05.2", 3306),
            (false, true) => ("postgres", "15.4", 5432),
            (false, false) => ("mysql", "8.0.35", 3306),
        };
        let encrypted = self.rng.chance(90);
        let cluster = Cluster {
            arn: self.arn(region, "cluster", &id),
            region: region.to_string(),
            engine: engine.into(),
            engine_version: version.into(),
            status: "available".into(),
            multi_az: self.rng.chance(75),
            storage_encrypted: encrypted,
            kms_key_id: if encrypted {
                self.kms_key(region)
            } else {
                None
            },
            backup_retention_days: self.rng.retention().max(1),
            deletion_protection: self.rng.chance(60),
            iam_auth_enabled: self.rng.chance(35),
            port: if self.rng.chance(75) { port } else { port + 1 },
            master_username: if self.rng.chance(20) {
                ADMIN_NAMES[self.rng.below(ADMIN_NAMES.len())].into()
            } else {
                format!("{}_admin", &id[..id.find('-').unwrap_or(id.len())])
            },
            copy_tags_to_snapshot: self.rng.chance(70),
            cloudwatch_logs_exports: if self.rng.chance(55) {
                vec!["error".into(), "slowquery".into()]
            } else {
                Vec::new()
            },
            security_group_ids: self.groups_for(region),
            // Multi-AZ DB clusters carry the setting; Aurora sets it per instance.
            auto_minor_version_upgrade: (!aurora).then(|| self.rng.chance(80)),
            endpoint: Some(format!("{id}.cluster-c9akciq32.{region}.rds.amazonaws.com")),
            created: self.created(),
            tags: self.tags(&id),
            id,
            ..Cluster::default()
        };
        self.fleet.clusters.push(cluster);
    }

    /// A writer or reader of cluster `c`, placed in its own zone unless
    /// the cluster is single-AZ.
    fn member(&mut self, c: usize, writer: bool) {
        let cluster = &self.fleet.clusters[c];
        let id = format!("{}-instance-{}", cluster.id, cluster.members.len() + 1);
        let zone = if cluster.multi_az && !writer {
            'b'
        } else {
            'a'
        };
        let instance = Instance {
            arn: Some(format!("arn:aws:rds:{}:{ACCOUNT}:db:{id}", cluster.region)),
            region: cluster.region.clone(),
            engine: cluster.engine.clone(),
            engine_version: cluster.engine_version.clone(),
            class: CLASSES[c % 2].into(),
            status: "available".into(),
            cluster_id: Some(cluster.id.clone()),
            availability_zone: Some(format!("{}{zone}", cluster.region)),
            storage_encrypted: cluster.storage_encrypted,
            kms_key_id: cluster.kms_key_id.clone(),
            allocated_storage_gb: 1,
            backup_retention_days: cluster.backup_retention_days,
            deletion_protection: cluster.deletion_protection,
            iam_auth_enabled: cluster.iam_auth_enabled,
            port: cluster.port,
            copy_tags_to_snapshot: cluster.copy_tags_to_snapshot,
            cloudwatch_logs_exports: cluster.cloudwatch_logs_exports.clone(),
            security_group_ids: cluster.security_group_ids.clone(),
            endpoint: Some(format!(
                "{id}.c9akciq32.{}.rds.amazonaws.com",
                cluster.region
            )),
            created: cluster.created.clone(),
            tags: cluster.tags.clone(),
            id: id.clone(),
            ..Instance::default()
        };
        let auto_minor = self.rng.chance(85);
        let monitoring = if self.rng.chance(60) { 60 } else { 0 };
        self.fleet.clusters[c].members.push(ClusterMember {
            instance_id: id,
            is_writer: writer,
        });
        self.fleet.instances.push(Instance {
            auto_minor_version_upgrade: auto_minor,
            monitoring_interval_secs: monitoring,
            ..instance
        });
    }

    fn standalone(&mut self, n: usize) {
        let region = self.region();
        let id = format!("{}-db", self.name(n));
        let (engine, version) = self.rng.weighted3(&ENGINES);
        let port = crate::rules::engine_default_port(engine).unwrap_or(5432);
        let encrypted = self.rng.chance(88);
        let multi_az = self.rng.chance(55);
        let zone = ['a', 'b', 'c'][self.rng.below(3)];
        // One standalone instance in ten is a read replica of the one before.
        let replica = self.rng.chance(10);
        let replica_source = self
            .fleet
            .instances
            .last()
            .filter(|prev| replica && prev.cluster_id.is_none() && prev.region == region)
            .map(|prev| prev.id.clone());
        let instance = Instance {
            arn: self.arn(region, "db", &id),
            region: region.to_string(),
            engine: engine.into(),
            engine_version: version.into(),
            class: CLASSES[self.rng.below(CLASSES.len())].into(),
            status: "available".into(),
            availability_zone: Some(format!("{region}{zone}")),
            multi_az,
            publicly_accessible: self.rng.chance(4),
            storage_encrypted: encrypted,
            kms_key_id: if encrypted {
                self.kms_key(region)
            } else {
                None
            },
            allocated_storage_gb: [20, 100, 500, 2000][self.rng.below(4)],
            backup_retention_days: self.rng.retention(),
            deletion_protection: self.rng.chance(45),
            auto_minor_version_upgrade: self.rng.chance(85),
            iam_auth_enabled: self.rng.chance(30),
            port: if self.rng.chance(75) { port } else { port + 1 },
            master_username: Some(if self.rng.chance(20) {
                ADMIN_NAMES[self.rng.below(ADMIN_NAMES.len())].into()
            } else {
                "app_owner".into()
            }),
            copy_tags_to_snapshot: self.rng.chance(65),
            monitoring_interval_secs: if self.rng.chance(55) { 60 } else { 0 },
            cloudwatch_logs_exports: if self.rng.chance(50) {
                vec!["postgresql".into()]
            } else {
                Vec::new()
            },
            security_group_ids: self.groups_for(region),
            replica_source,
            endpoint: Some(format!("{id}.c9akciq32.{region}.rds.amazonaws.com")),
            created: self.created(),
            tags: self.tags(&id),
            id,
            ..Instance::default()
        };
        self.fleet.instances.push(instance);
    }

    /// Snapshot `n`: one in three of a cluster, the rest of standalone
    /// instances; one in five manual, and a quarter of those shared.
    fn snapshot(&mut self, n: usize, standalone: &[usize]) {
        let of_cluster =
            (n.is_multiple_of(3) || standalone.is_empty()) && !self.fleet.clusters.is_empty();
        let (kind, region, source, engine, encrypted, kms, port, tags) = if of_cluster {
            let c = &self.fleet.clusters[(n / 3) % self.fleet.clusters.len()];
            (
                SnapshotKind::Cluster,
                c.region.clone(),
                c.id.clone(),
                c.engine.clone(),
                c.storage_encrypted,
                c.kms_key_id.clone(),
                c.port,
                c.tags.clone(),
            )
        } else if let Some(i) = standalone
            .get(n % standalone.len().max(1))
            .map(|at| &self.fleet.instances[*at])
        {
            (
                SnapshotKind::Db,
                i.region.clone(),
                i.id.clone(),
                i.engine.clone(),
                i.storage_encrypted,
                i.kms_key_id.clone(),
                i.port,
                i.tags.clone(),
            )
        } else {
            // No database left to take it from: a snapshot of a deleted one.
            let region = self.region().to_string();
            let source = format!("{}-retired", self.name(n));
            (
                SnapshotKind::Db,
                region,
                source,
                "postgres".to_string(),
                false,
                None,
                5432,
                Tags::default(),
            )
        };
        let manual = self.rng.chance(20);
        let created = format!("2026-{:02}-{:02}T04:20:00Z", 1 + (n / 28) % 11, 1 + n % 28);
        let id = if manual {
            format!("{source}-manual-{n}")
        } else {
            format!("rds:{source}-{}-04-20", &created[..10])
        };
        let shared_with = if manual && self.rng.chance(25) {
            match self.rng.below(10) {
                0 => vec![PUBLIC_RESTORE_ACCOUNT.to_string()],
                1..=5 => vec![OTHER_ACCOUNTS[0].to_string()],
                _ => vec![OTHER_ACCOUNTS[1].to_string()],
            }
        } else {
            Vec::new()
        };
        let kind_label = match kind {
            SnapshotKind::Db => "snapshot",
            SnapshotKind::Cluster => "cluster-snapshot",
        };
        self.fleet.snapshots.push(Snapshot {
            arn: self.arn(&region, kind_label, &id),
            region,
            kind,
            source_id: source,
            engine,
            status: "available".into(),
            snapshot_type: if manual { "manual" } else { "automated" }.into(),
            // Manual copies are sometimes made unencrypted to share them.
            encrypted: encrypted && !(manual && self.rng.chance(10)),
            kms_key_id: kms,
            allocated_storage_gb: 1,
            port,
            created: Some(created),
            shared_with,
            tags,
            id,
        });
    }
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
        let fleet = synthetic_fleet(10_000, 1);
        let findings = rules::evaluate(&fleet, &RuleConfig::default());
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
