//! Builders for small fleets used by the rule tests, and verdict helpers.
//!
//! Every builder starts from a resource that passes every rule, so a test
//! changes exactly the one field it is about.

use rdsight::config::RuleConfig;
use rdsight::model::{
    Certificate, Cluster, ClusterMember, EventSubscription, Fleet, IngressRule, Instance, KmsKey,
    ParameterGroup, ParameterGroupKind, RegionReads, ResourceType, SecurityGroup, Snapshot,
    SnapshotKind,
};
use rdsight::rules::{self, Context, RuleId, Subject, Verdict};

pub const ACCOUNT: &str = "111111111111";
pub const TRUSTED: &str = "222222222222";
pub const STRANGER: &str = "999999999999";
pub const REGION: &str = "us-east-1";
/// A port no engine uses by default.
pub const PORT: u16 = 5433;
/// The security group compliant builders attach: private ingress only.
pub const PRIVATE_SG: &str = "sg-private";
/// The parameter groups compliant builders use: TLS required.
pub const TLS_GROUP: &str = "app-postgres16";
pub const TLS_CLUSTER_GROUP: &str = "app-aurora-postgresql16";

/// A parameter group of `kind` in the test region with `values` set.
pub fn parameter_group(
    kind: ParameterGroupKind,
    name: &str,
    values: &[(&str, &str)],
) -> ParameterGroup {
    ParameterGroup {
        region: REGION.into(),
        name: name.into(),
        kind,
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

pub fn arn(kind: &str, id: &str) -> String {
    format!("arn:aws:rds:{REGION}:{ACCOUNT}:{kind}:{id}")
}

/// The KMS key the test snapshots use: customer-managed.
pub fn snapshot_key() -> String {
    format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1")
}

/// An empty fleet in one region, with the private security group loaded,
/// and the region's export tasks (none), event subscriptions (one, for
/// failures and maintenance) and the snapshot key's manager read.
pub fn fleet() -> Fleet {
    Fleet {
        account: ACCOUNT.into(),
        regions: vec![REGION.into()],
        kms_keys: vec![KmsKey {
            region: REGION.into(),
            id: snapshot_key(),
            arn: Some(snapshot_key()),
            key_manager: "CUSTOMER".into(),
            missing: false,
        }],
        event_subscriptions: vec![EventSubscription {
            region: REGION.into(),
            id: "dba-pager".into(),
            source_type: Some("db-instance".into()),
            event_categories: vec!["failure".into(), "maintenance".into()],
            enabled: true,
            status: "active".into(),
            ..EventSubscription::default()
        }],
        region_reads: vec![RegionReads {
            region: REGION.into(),
            export_tasks: true,
            event_subscriptions: true,
        }],
        security_groups: vec![sg(
            PRIVATE_SG,
            "app-db",
            vec![
                tcp(PORT, PORT, &["10.0.0.0/8"]),
                IngressRule {
                    protocol: "-1".into(),
                    source_groups: vec!["sg-app-nodes".into()],
                    ..IngressRule::default()
                },
            ],
        )],
        parameter_groups: vec![
            parameter_group(ParameterGroupKind::Db, TLS_GROUP, &[("rds.force_ssl", "1")]),
            parameter_group(
                ParameterGroupKind::Cluster,
                TLS_CLUSTER_GROUP,
                &[("rds.force_ssl", "1")],
            ),
        ],
        ..Fleet::default()
    }
}

/// A standalone PostgreSQL instance that passes every rule.
pub fn instance(id: &str) -> Instance {
    Instance {
        id: id.into(),
        arn: Some(arn("db", id)),
        region: REGION.into(),
        engine: "postgres".into(),
        engine_version: "16.4".into(),
        class: "db.r6g.large".into(),
        status: "available".into(),
        availability_zone: Some("us-east-1a".into()),
        multi_az: true,
        storage_encrypted: true,
        kms_key_id: Some(snapshot_key()),
        allocated_storage_gb: 100,
        backup_retention_days: 7,
        deletion_protection: true,
        auto_minor_version_upgrade: true,
        iam_auth_enabled: true,
        port: PORT,
        master_username: Some("app_owner".into()),
        copy_tags_to_snapshot: true,
        monitoring_interval_secs: 60,
        cloudwatch_logs_exports: vec!["postgresql".into(), "upgrade".into()],
        security_group_ids: vec![PRIVATE_SG.into()],
        parameter_group: Some(TLS_GROUP.into()),
        ca_certificate: Some("rds-ca-rsa2048-g1".into()),
        certificate: Some(Certificate {
            ca: Some("rds-ca-rsa2048-g1".into()),
            valid_till: Some("2061-05-20T00:00:00Z".into()),
        }),
        master_user_secret: Some(true),
        ..Instance::default()
    }
}

/// An Aurora PostgreSQL cluster that passes every rule, without members.
pub fn cluster(id: &str) -> Cluster {
    Cluster {
        id: id.into(),
        arn: Some(arn("cluster", id)),
        region: REGION.into(),
        engine: "aurora-postgresql".into(),
        engine_version: "16.4".into(),
        status: "available".into(),
        multi_az: true,
        storage_encrypted: true,
        kms_key_id: Some(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1")),
        backup_retention_days: 7,
        deletion_protection: true,
        iam_auth_enabled: true,
        port: PORT,
        master_username: "app_owner".into(),
        copy_tags_to_snapshot: true,
        cloudwatch_logs_exports: vec!["postgresql".into()],
        security_group_ids: vec![PRIVATE_SG.into()],
        auto_minor_version_upgrade: None,
        parameter_group: Some(TLS_CLUSTER_GROUP.into()),
        master_user_secret: Some(true),
        ..Cluster::default()
    }
}

/// A member instance of `cluster_id` in `zone`, as AWS describes Aurora
/// instances: the cluster-level settings are not its own to judge.
pub fn member(id: &str, cluster_id: &str, zone: &str) -> Instance {
    Instance {
        cluster_id: Some(cluster_id.into()),
        engine: "aurora-postgresql".into(),
        availability_zone: Some(zone.into()),
        multi_az: false,
        allocated_storage_gb: 1,
        master_username: None,
        ..instance(id)
    }
}

/// Add `cluster` and one member per zone (`<cluster>-instance-<n>`, the
/// first the writer) to `fleet`.
pub fn add_cluster(fleet: &mut Fleet, mut cluster: Cluster, zones: &[&str]) {
    for (n, zone) in zones.iter().enumerate() {
        let id = format!("{}-instance-{}", cluster.id, n + 1);
        cluster.members.push(ClusterMember {
            instance_id: id.clone(),
            is_writer: n == 0,
        });
        fleet.instances.push(member(&id, &cluster.id, zone));
    }
    fleet.clusters.push(cluster);
}

/// An encrypted, unshared manual DB snapshot.
pub fn db_snapshot(id: &str) -> Snapshot {
    Snapshot {
        id: id.into(),
        arn: Some(arn("snapshot", id)),
        region: REGION.into(),
        kind: SnapshotKind::Db,
        source_id: "billing-db".into(),
        engine: "postgres".into(),
        status: "available".into(),
        snapshot_type: "manual".into(),
        encrypted: true,
        kms_key_id: Some(format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1")),
        allocated_storage_gb: 100,
        port: PORT,
        ..Snapshot::default()
    }
}

/// An encrypted, unshared manual cluster snapshot.
pub fn cluster_snapshot(id: &str) -> Snapshot {
    Snapshot {
        arn: Some(arn("cluster-snapshot", id)),
        kind: SnapshotKind::Cluster,
        source_id: "orders".into(),
        engine: "aurora-postgresql".into(),
        ..db_snapshot(id)
    }
}

pub fn sg(id: &str, name: &str, ingress: Vec<IngressRule>) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: name.into(),
        region: REGION.into(),
        vpc_id: Some("vpc-1".into()),
        description: format!("{name} group"),
        ingress,
    }
}

fn split_cidrs(cidrs: &[&str]) -> (Vec<String>, Vec<String>) {
    let (v6, v4): (Vec<&str>, Vec<&str>) = cidrs.iter().partition(|c| c.contains(':'));
    (
        v4.into_iter().map(String::from).collect(),
        v6.into_iter().map(String::from).collect(),
    )
}

fn ports_rule(protocol: &str, from: i32, to: i32, cidrs: &[&str]) -> IngressRule {
    let (ipv4_ranges, ipv6_ranges) = split_cidrs(cidrs);
    IngressRule {
        protocol: protocol.into(),
        from_port: Some(from),
        to_port: Some(to),
        ipv4_ranges,
        ipv6_ranges,
        ..IngressRule::default()
    }
}

/// A TCP rule on `from..=to` admitting `cidrs` (IPv6 ones go to ipv6_ranges).
pub fn tcp(from: u16, to: u16, cidrs: &[&str]) -> IngressRule {
    ports_rule("tcp", i32::from(from), i32::from(to), cidrs)
}

pub fn udp(from: u16, to: u16, cidrs: &[&str]) -> IngressRule {
    ports_rule("udp", i32::from(from), i32::from(to), cidrs)
}

/// Protocol `-1`: all traffic on every port.
pub fn all_traffic(cidrs: &[&str]) -> IngressRule {
    let (ipv4_ranges, ipv6_ranges) = split_cidrs(cidrs);
    IngressRule {
        protocol: "-1".into(),
        ipv4_ranges,
        ipv6_ranges,
        ..IngressRule::default()
    }
}

pub fn find_instance<'a>(fleet: &'a Fleet, id: &str) -> &'a Instance {
    fleet
        .instance(REGION, id)
        .unwrap_or_else(|| panic!("no instance {id} in the test fleet"))
}

/// The verdict of `rule` on `subject` under `config`.
pub fn judge_with(
    fleet: &Fleet,
    config: &RuleConfig,
    rule: RuleId,
    subject: Subject<'_>,
) -> Verdict {
    rules::verdict(&Context::new(fleet, config), rule, subject)
}

/// The verdict of `rule` on `subject` under the default configuration.
pub fn judge(fleet: &Fleet, rule: RuleId, subject: Subject<'_>) -> Verdict {
    judge_with(fleet, &RuleConfig::default(), rule, subject)
}

/// Judge a standalone resource in a fleet that holds just it (plus the
/// private security group).
pub fn judge_instance(rule: RuleId, i: Instance) -> Verdict {
    let mut f = fleet();
    f.instances.push(i);
    judge(&f, rule, Subject::Instance(&f.instances[0]))
}

pub fn judge_cluster(rule: RuleId, c: Cluster) -> Verdict {
    let mut f = fleet();
    f.clusters.push(c);
    judge(&f, rule, Subject::Cluster(&f.clusters[0]))
}

pub fn judge_snapshot(rule: RuleId, s: Snapshot) -> Verdict {
    let mut f = fleet();
    f.snapshots.push(s);
    judge(&f, rule, Subject::Snapshot(&f.snapshots[0]))
}

/// Assert `verdict` fails and its reason contains every piece of
/// `evidence`; returns the reason.
#[track_caller]
pub fn assert_fails(verdict: Verdict, evidence: &[&str]) -> String {
    match verdict {
        Verdict::Fail(reason) | Verdict::FailAt(_, reason) => {
            for e in evidence {
                assert!(
                    reason.contains(e),
                    "reason {reason:?} does not carry the evidence {e:?}"
                );
            }
            reason.into_owned()
        }
        other => panic!("expected Fail carrying {evidence:?}, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_passes(verdict: Verdict) {
    assert_eq!(verdict, Verdict::Pass);
}

/// Assert `verdict` is NotApplicable and says `why` (case-insensitive).
#[track_caller]
pub fn assert_not_applicable(verdict: Verdict, why: &str) {
    match verdict {
        Verdict::NotApplicable(text) => assert!(
            text.to_lowercase().contains(&why.to_lowercase()),
            "NotApplicable text {text:?} does not mention {why:?}"
        ),
        other => panic!("expected NotApplicable mentioning {why:?}, got {other:?}"),
    }
}

/// Assert `verdict` is Unknown and says `why` (case-insensitive).
#[track_caller]
pub fn assert_unknown(verdict: Verdict, why: &str) {
    match verdict {
        Verdict::Unknown(text) => assert!(
            text.to_lowercase().contains(&why.to_lowercase()),
            "Unknown text {text:?} does not mention {why:?}"
        ),
        other => panic!("expected Unknown mentioning {why:?}, got {other:?}"),
    }
}

/// A Multi-AZ DB cluster (RDS for PostgreSQL) that passes every rule,
/// without members: the settings are the cluster's.
pub fn multi_az_cluster(id: &str) -> Cluster {
    Cluster {
        engine: "postgres".into(),
        publicly_accessible: Some(false),
        auto_minor_version_upgrade: Some(true),
        monitoring_interval_secs: Some(60),
        db_cluster_instance_class: Some("db.m6gd.large".into()),
        cloudwatch_logs_exports: vec!["postgresql".into(), "upgrade".into()],
        ..cluster(id)
    }
}

/// Is `verdict` the catalogue's "this rule does not judge that type"?
pub fn is_wrong_type(verdict: &Verdict) -> bool {
    matches!(verdict, Verdict::NotApplicable(why) if why.contains("does not judge"))
}

/// Assert `rule` judges exactly the `judged` types: NotApplicable, saying
/// it does not judge that type, for the others (one instance, one cluster,
/// one DB snapshot, one cluster snapshot).
#[track_caller]
pub fn assert_only_judges(rule: RuleId, judged: &[ResourceType]) {
    let mut f = fleet();
    f.instances.push(instance("db-1"));
    f.clusters.push(cluster("cl-1"));
    f.snapshots.push(db_snapshot("snap-1"));
    f.snapshots.push(cluster_snapshot("csnap-1"));
    let mut seen = Vec::new();
    for subject in rules::subjects(&f) {
        let kind = subject.resource_type();
        seen.push(kind);
        let verdict = judge(&f, rule, subject);
        if judged.contains(&kind) {
            assert!(
                !is_wrong_type(&verdict),
                "{rule} should judge a {kind}, got {verdict:?}"
            );
        } else {
            assert_not_applicable(verdict, &format!("{rule} does not judge {kind}"));
        }
    }
    seen.sort();
    assert_eq!(seen, ResourceType::ALL.to_vec());
}
