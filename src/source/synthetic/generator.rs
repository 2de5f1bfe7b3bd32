//! The generator behind [`synthetic_fleet`](super::synthetic_fleet): one
//! method per kind of resource, all drawing from one seeded `Rng` in a
//! fixed order, so a `(size, seed)` always gives the same fleet.

use std::collections::BTreeMap;

use super::{
    ACCOUNT, ADMIN_NAMES, APPS, CLASSES, ENGINES, ENVS, INSTANCES_PER_GROUP, OTHER_ACCOUNTS,
    REGIONS, Rng, regions,
};
use crate::model::{
    Cluster, ClusterMember, Fleet, IngressRule, Instance, InternetGateway, PUBLIC_RESTORE_ACCOUNT,
    Route, RouteTable, SecurityGroup, Snapshot, SnapshotKind, Subnet, Tags,
};

pub(super) struct Generator {
    rng: Rng,
    pub(super) fleet: Fleet,
    /// Group ids per region, to attach to databases there.
    groups_by_region: BTreeMap<&'static str, Vec<String>>,
}

impl Generator {
    pub(super) fn new(seed: u64) -> Self {
        Self {
            rng: Rng(seed),
            fleet: Fleet {
                account: ACCOUNT.to_string(),
                regions: regions(),
                ..Fleet::default()
            },
            groups_by_region: BTreeMap::new(),
        }
    }

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
    pub(super) fn security_groups(&mut self, instances: usize) {
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

    /// One VPC per region: private subnets on the main table (out through
    /// NAT only) and public subnets with their own table to the internet
    /// gateway. Databases sit in the private ones, but about two publicly
    /// accessible instances in five, and every public one behind a
    /// world-open group, were placed in the public ones. All
    /// derived from the ids, with no draws, so a seed keeps its fleet.
    pub(super) fn network(&mut self) {
        let mut public_subnets = SubnetsByRegion::new();
        let mut private_subnets = SubnetsByRegion::new();
        for (n, (region, _)) in REGIONS.iter().enumerate() {
            let vpc = format!("vpc-0{n:02x}5e1d7c3a9b2f4");
            let subnet = |kind: &str, zone: char| Subnet {
                id: format!("subnet-0{n:02x}{kind}{zone}7c3a9b2f46e1"),
                region: region.to_string(),
                vpc_id: vpc.clone(),
                availability_zone: Some(format!("{region}{zone}")),
                cidr: None,
            };
            let (private, public): (Vec<Subnet>, Vec<Subnet>) = ['a', 'b', 'c']
                .into_iter()
                .map(|z| (subnet("d", z), subnet("e", z)))
                .unzip();
            let igw = format!("igw-0{n:02x}9b2f46e17c3a5");
            let route = |destination: &str, target: &str| Route {
                destination: destination.into(),
                target: target.into(),
                state: "active".into(),
            };
            let table = |id: String, main: bool, subnets: &[Subnet], to: &str| RouteTable {
                id,
                region: region.to_string(),
                vpc_id: vpc.clone(),
                main,
                subnet_ids: subnets.iter().map(|s| s.id.clone()).collect(),
                routes: vec![route("10.0.0.0/16", "local"), route("0.0.0.0/0", to)],
            };
            let network = &mut self.fleet.network;
            network.route_tables.push(table(
                format!("rtb-0{n:02x}d7c3a9b2f46e1"),
                true,
                &[],
                &format!("nat-0{n:02x}c3a9b2f46e1d7"),
            ));
            network.route_tables.push(table(
                format!("rtb-0{n:02x}e7c3a9b2f46e1"),
                false,
                &public,
                &igw,
            ));
            network.internet_gateways.push(InternetGateway {
                id: igw,
                region: region.to_string(),
                vpc_ids: vec![vpc.clone()],
            });
            let ids = |subnets: &[Subnet]| -> Vec<String> {
                subnets.iter().map(|s| s.id.clone()).collect()
            };
            private_subnets.insert(*region, (ids(&private), vpc.clone()));
            public_subnets.insert(*region, (ids(&public), vpc));
            network.subnets.extend(private);
            network.subnets.extend(public);
        }
        self.place_instances(&public_subnets, &private_subnets);
    }

    /// Which subnets each instance sits in. A group opened to the world
    /// usually means someone wanted the database reached from outside:
    /// those sit in public subnets too, and one public instance in five
    /// got a second, world-open group.
    fn place_instances(
        &mut self,
        public_subnets: &SubnetsByRegion,
        private_subnets: &SubnetsByRegion,
    ) {
        let groups = std::mem::take(&mut self.fleet.security_groups);
        let by_id: BTreeMap<&str, &SecurityGroup> =
            groups.iter().map(|g| (g.id.as_str(), g)).collect();
        let admits_world = |g: &SecurityGroup, port: u16| {
            g.ingress
                .iter()
                .any(|r| r.covers_tcp_port(port) && !r.world_ranges().is_empty())
        };
        for i in &mut self.fleet.instances {
            let hash = i.id.bytes().map(u32::from).sum::<u32>() % 5;
            let mut open = i
                .security_group_ids
                .iter()
                .filter_map(|g| by_id.get(g.as_str()))
                .any(|g| admits_world(g, i.port));
            if i.publicly_accessible && hash == 0 && !open {
                let world = groups
                    .iter()
                    .find(|g| g.region == i.region && admits_world(g, i.port));
                if let Some(g) = world {
                    i.security_group_ids.push(g.id.clone());
                    open = true;
                }
            }
            let exposed = i.publicly_accessible && (hash < 2 || open);
            let pick = if exposed {
                public_subnets
            } else {
                private_subnets
            };
            if let Some((subnets, vpc)) = pick.get(i.region.as_str()) {
                i.subnet_ids = subnets.clone();
                i.vpc_id = Some(vpc.clone());
            }
        }
        self.fleet.security_groups = groups;
    }

    pub(super) fn cluster(&mut self, n: usize) {
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
            // Multi-AZ DB clusters decide the setting alone; Aurora clusters
            // report it too, and each member has its own.
            auto_minor_version_upgrade: Some(aurora || self.rng.chance(80)),
            // Decided at the cluster for Multi-AZ DB clusters only. Fixed
            // values: drawing more would change every fleet after this one.
            publicly_accessible: (!aurora).then_some(false),
            db_cluster_instance_class: (!aurora).then(|| CLASSES[n % 2].to_string()),
            monitoring_interval_secs: (!aurora).then_some(60),
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
    pub(super) fn member(&mut self, c: usize, writer: bool) {
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

    pub(super) fn standalone(&mut self, n: usize) {
        let region = self.region();
        let id = format!("{}-db", self.name(n));
        let (engine, version) = self.rng.weighted3(&ENGINES);
        let port = crate::model::engine_default_port(engine).unwrap_or(5432);
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
    pub(super) fn snapshot(&mut self, n: usize, standalone: &[usize]) {
        let origin = self.origin(n, standalone);
        let manual = self.rng.chance(20);
        let created = format!("2026-{:02}-{:02}T04:20:00Z", 1 + (n / 28) % 11, 1 + n % 28);
        let id = if manual {
            format!("{}-manual-{n}", origin.source)
        } else {
            format!("rds:{}-{}-04-20", origin.source, &created[..10])
        };
        let shared_with = self.shared_with(manual);
        let kind_label = match origin.kind {
            SnapshotKind::Db => "snapshot",
            SnapshotKind::Cluster => "cluster-snapshot",
        };
        self.fleet.snapshots.push(Snapshot {
            arn: self.arn(&origin.region, kind_label, &id),
            region: origin.region,
            kind: origin.kind,
            source_id: origin.source,
            engine: origin.engine,
            status: "available".into(),
            snapshot_type: if manual { "manual" } else { "automated" }.into(),
            // Manual copies are sometimes made unencrypted to share them.
            encrypted: origin.encrypted && !(manual && self.rng.chance(10)),
            kms_key_id: origin.kms_key_id,
            allocated_storage_gb: 1,
            port: origin.port,
            created: Some(created),
            shared_with,
            sharing_unknown: false,
            // Left empty (no allocation per snapshot at fleet scale): a
            // restore then sends its cluster's version.
            engine_version: String::new(),
            tags: origin.tags,
            id,
        });
    }

    /// The database snapshot `n` is taken from.
    fn origin(&mut self, n: usize, standalone: &[usize]) -> Origin {
        let of_cluster =
            (n.is_multiple_of(3) || standalone.is_empty()) && !self.fleet.clusters.is_empty();
        if of_cluster {
            Origin::cluster(&self.fleet.clusters[(n / 3) % self.fleet.clusters.len()])
        } else if let Some(i) = standalone
            .get(n % standalone.len().max(1))
            .map(|at| &self.fleet.instances[*at])
        {
            Origin::instance(i)
        } else {
            // No database left to take it from: a snapshot of a deleted one.
            Origin {
                kind: SnapshotKind::Db,
                region: self.region().to_string(),
                source: format!("{}-retired", self.name(n)),
                engine: "postgres".to_string(),
                encrypted: false,
                kms_key_id: None,
                port: 5432,
                tags: Tags::default(),
            }
        }
    }

    /// Who a snapshot is shared with: a quarter of manual ones are, mostly
    /// with the partner account, sometimes with everyone.
    fn shared_with(&mut self, manual: bool) -> Vec<String> {
        if !(manual && self.rng.chance(25)) {
            return Vec::new();
        }
        match self.rng.below(10) {
            0 => vec![PUBLIC_RESTORE_ACCOUNT.to_string()],
            1..=5 => vec![OTHER_ACCOUNTS[0].to_string()],
            _ => vec![OTHER_ACCOUNTS[1].to_string()],
        }
    }
}

/// Per region: subnet ids and their VPC.
type SubnetsByRegion = BTreeMap<&'static str, (Vec<String>, String)>;

/// What a snapshot takes from the database it copies.
struct Origin {
    kind: SnapshotKind,
    region: String,
    source: String,
    engine: String,
    encrypted: bool,
    kms_key_id: Option<String>,
    port: u16,
    tags: Tags,
}

impl Origin {
    fn cluster(c: &Cluster) -> Self {
        Self {
            kind: SnapshotKind::Cluster,
            region: c.region.clone(),
            source: c.id.clone(),
            engine: c.engine.clone(),
            encrypted: c.storage_encrypted,
            kms_key_id: c.kms_key_id.clone(),
            port: c.port,
            tags: c.tags.clone(),
        }
    }

    fn instance(i: &Instance) -> Self {
        Self {
            kind: SnapshotKind::Db,
            region: i.region.clone(),
            source: i.id.clone(),
            engine: i.engine.clone(),
            encrypted: i.storage_encrypted,
            kms_key_id: i.kms_key_id.clone(),
            port: i.port,
            tags: i.tags.clone(),
        }
    }
}
