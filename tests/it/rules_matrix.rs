//! The catalogue itself, and semantics that cut across rules: cluster
//! members, read replicas, what every finding carries, configuration.
//! Per-rule cases live in the modules rules_snapshots, rules_exposure,
//! rules_resilience and rules_hygiene.

use rdsight::config::RuleConfig;
use rdsight::model::{Cluster, Fleet, Instance, ResourceType, Snapshot};
use rdsight::rules::{
    self, CATALOGUE, Context, Finding, RuleId, Severity, Subject, Verdict, rule_info,
};
use std::collections::{BTreeSet, HashSet};

use crate::support::fleets::*;

const RULE_NAMES: [&str; 34] = [
    "snapshot-public",
    "snapshot-shared-untrusted",
    "snapshot-unencrypted",
    "snapshot-shared-unencrypted",
    "snapshot-aws-managed-key",
    "snapshot-exported",
    "no-event-subscription",
    "instance-internet-reachable",
    "instance-public",
    "instance-unencrypted",
    "cluster-unencrypted",
    "instance-single-az",
    "cluster-single-az",
    "backups-disabled",
    "backups-short",
    "deletion-protection-off",
    "sg-open-db-port",
    "auto-minor-upgrade-off",
    "iam-auth-off",
    "default-port",
    "default-admin",
    "copy-tags-off",
    "enhanced-monitoring-off",
    "logs-not-exported",
    "tls-not-enforced",
    "ca-certificate-expiring",
    "default-security-group",
    "password-not-managed",
    "activity-snapshot-shared",
    "activity-snapshot-exported",
    "activity-snapshot-copied-cross-region",
    "activity-access-denied",
    "activity-root-user",
    "activity-unexpected-snapshot-creator",
];

// ---- the catalogue ------------------------------------------------------------------

#[test]
fn catalogue_is_indexed_by_rule_id() {
    assert_eq!(CATALOGUE.len(), RULE_NAMES.len());
    for (i, info) in CATALOGUE.iter().enumerate() {
        assert_eq!(info.id as usize, i, "{} is out of place", info.name());
        assert_eq!(rule_info(info.id).name(), info.name());
    }
}

#[test]
fn catalogue_names_are_the_serde_names_and_the_expected_list() {
    let names: Vec<&str> = CATALOGUE.iter().map(|r| r.name()).collect();
    assert_eq!(names, RULE_NAMES);
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate rule names");
    for info in CATALOGUE {
        let serde_name = serde_json::to_string(&info.id).unwrap();
        assert_eq!(serde_name, format!("\"{}\"", info.name()));
        let back: RuleId = serde_json::from_str(&serde_name).unwrap();
        assert_eq!(back, info.id);
        assert_eq!(info.id.to_string(), info.name());
        assert_eq!(info.name().parse::<RuleId>().unwrap(), info.id);
    }
    assert!("no-such-rule".parse::<RuleId>().is_err());
}

#[test]
fn every_rule_maps_to_compliance_ids() {
    // Not every type a rule judges has a control (a Multi-AZ DB cluster's
    // public setting has none): no id is better than a wrong one. But
    // every rule maps somewhere, except those no control covers: no
    // Security Hub, CIS or Prowler control judges an AWS-managed snapshot
    // key, a snapshot export, who uses a VPC's default group (EC2.2 judges
    // the group's rules) or whether RDS manages the master password.
    const NO_CONTROL: [RuleId; 4] = [
        RuleId::SnapshotAwsManagedKey,
        RuleId::SnapshotExported,
        RuleId::DefaultSecurityGroup,
        RuleId::PasswordNotManaged,
    ];
    for info in CATALOGUE {
        // The activity rules judge calls, not resources: their findings
        // carry no control (none is scoped to a resource type they judge).
        if NO_CONTROL.contains(&info.id) || info.targets.is_empty() {
            assert!(info.compliance.is_empty(), "{} maps now", info.name());
            continue;
        }
        assert!(!info.title.is_empty(), "{} has no title", info.name());
        assert!(!info.targets.is_empty(), "{} judges nothing", info.name());
        let mapped = info
            .targets
            .iter()
            .any(|kind| !info.compliance_for(*kind, "postgres").is_empty());
        assert!(mapped, "{} has no compliance ids", info.name());
    }
}

#[test]
fn every_rule_is_not_applicable_to_types_it_does_not_target() {
    let mut f = fleet();
    f.instances.push(instance("db-1"));
    f.clusters.push(cluster("cl-1"));
    f.snapshots.push(db_snapshot("snap-1"));
    f.snapshots.push(cluster_snapshot("csnap-1"));
    let ctx_config = RuleConfig::default();
    let ctx = Context::new(&f, &ctx_config);
    for info in CATALOGUE {
        for subject in rules::subjects(&f) {
            let verdict = rules::verdict(&ctx, info.id, subject);
            let targeted = info.targets.contains(&subject.resource_type());
            assert_eq!(
                is_wrong_type(&verdict),
                !targeted,
                "{} on a compliant {}: {verdict:?}",
                info.name(),
                subject.resource_type()
            );
        }
    }
}

// ---- a compliant fleet ----------------------------------------------------------------

fn compliant_fleet() -> Fleet {
    let mut f = fleet();
    f.instances.push(instance("billing-db"));
    add_cluster(&mut f, cluster("orders"), &["us-east-1a", "us-east-1b"]);
    f.snapshots.push(Snapshot {
        shared_with: vec![ACCOUNT.into()],
        ..db_snapshot("billing-db-manual")
    });
    f.snapshots.push(cluster_snapshot("orders-manual"));
    f
}

#[test]
fn a_compliant_fleet_has_no_findings() {
    let f = compliant_fleet();
    assert_eq!(rules::evaluate(&f, &RuleConfig::default()), Vec::new());
    let summary = rules::Summary::new(&f, &[]);
    assert_eq!(summary.resources_scanned, 6);
    assert_eq!(summary.passing_percent(), 100);
}

// ---- cluster members and read replicas -------------------------------------------------

#[test]
fn cluster_members_are_judged_through_their_cluster() {
    // Members whose own values would each fire, in a cluster that fires.
    let mut f = fleet();
    add_cluster(
        &mut f,
        Cluster {
            multi_az: false,
            storage_encrypted: false,
            backup_retention_days: 0,
            deletion_protection: false,
            ..cluster("orders")
        },
        &["us-east-1a", "us-east-1a"],
    );
    for i in &mut f.instances {
        i.multi_az = false;
        i.storage_encrypted = false;
        i.backup_retention_days = 3;
        i.deletion_protection = false;
    }
    f.instances[1].backup_retention_days = 0;

    // (rule on the member, rule on the cluster, the cluster's evidence)
    let via_cluster = [
        (
            RuleId::InstanceSingleAz,
            RuleId::ClusterSingleAz,
            "MultiAZ=false",
        ),
        (
            RuleId::BackupsDisabled,
            RuleId::BackupsDisabled,
            "BackupRetentionPeriod=0",
        ),
        (
            RuleId::BackupsShort,
            RuleId::BackupsDisabled,
            "BackupRetentionPeriod=0",
        ),
        (
            RuleId::DeletionProtectionOff,
            RuleId::DeletionProtectionOff,
            "DeletionProtection=false",
        ),
        (
            RuleId::InstanceUnencrypted,
            RuleId::ClusterUnencrypted,
            "StorageEncrypted=false",
        ),
    ];
    for (member_rule, cluster_rule, evidence) in via_cluster {
        for i in &f.instances {
            assert_not_applicable(
                judge(&f, member_rule, Subject::Instance(i)),
                "member of cluster orders",
            );
        }
        assert_fails(
            judge(&f, cluster_rule, Subject::Cluster(&f.clusters[0])),
            &[evidence],
        );
    }

    let findings = rules::evaluate(&f, &RuleConfig::default());
    let member_rules: BTreeSet<RuleId> = findings
        .iter()
        .filter(|x| x.resource_type == ResourceType::DbInstance)
        .map(|x| x.rule)
        .collect();
    for (member_rule, _, _) in via_cluster {
        assert!(
            !member_rules.contains(&member_rule),
            "member flagged by {member_rule}"
        );
    }
    let cluster_rules: BTreeSet<RuleId> = findings
        .iter()
        .filter(|x| x.resource_type == ResourceType::DbCluster)
        .map(|x| x.rule)
        .collect();
    for rule in [
        RuleId::ClusterSingleAz,
        RuleId::ClusterUnencrypted,
        RuleId::BackupsDisabled,
        RuleId::DeletionProtectionOff,
    ] {
        assert!(
            cluster_rules.contains(&rule),
            "cluster not flagged by {rule}"
        );
    }
}

#[test]
fn read_replicas_are_not_flagged_for_backups() {
    let mut f = fleet();
    f.instances.push(instance("db-1"));
    for (id, days) in [("db-1-replica-a", 0), ("db-1-replica-b", 2)] {
        f.instances.push(Instance {
            replica_source: Some("db-1".into()),
            backup_retention_days: days,
            ..instance(id)
        });
    }
    let findings = rules::evaluate(&f, &RuleConfig::default());
    assert_eq!(findings, Vec::new(), "replicas flagged: {findings:#?}");
    for i in &f.instances[1..] {
        for rule in [RuleId::BackupsDisabled, RuleId::BackupsShort] {
            assert_not_applicable(judge(&f, rule, Subject::Instance(i)), "read replica");
        }
    }
}

// ---- what findings carry ------------------------------------------------------------------

/// A fleet where every rule in the catalogue fires at least once.
fn failing_fleet() -> Fleet {
    let mut f = fleet();
    f.security_groups
        .push(sg("sg-open", "world", vec![all_traffic(&["0.0.0.0/0"])]));
    f.instances.push(Instance {
        engine: "postgres".into(),
        port: 5432,
        master_username: Some("postgres".into()),
        storage_encrypted: false,
        multi_az: false,
        publicly_accessible: true,
        backup_retention_days: 0,
        deletion_protection: false,
        auto_minor_version_upgrade: false,
        iam_auth_enabled: false,
        copy_tags_to_snapshot: false,
        monitoring_interval_secs: 0,
        cloudwatch_logs_exports: Vec::new(),
        security_group_ids: vec!["sg-open".into(), "sg-default".into()],
        parameter_group: Some("default.postgres14".into()),
        engine_version: "14.10".into(),
        ca_certificate: Some("rds-ca-2019".into()),
        certificate: None,
        master_user_secret: Some(false),
        ..instance("bad-db")
    });
    f.security_groups
        .push(sg("sg-default", "default", Vec::new()));
    f.parameter_groups.push(parameter_group(
        rdsight::model::ParameterGroupKind::Db,
        "default.postgres14",
        &[],
    ));
    f.instances.push(Instance {
        backup_retention_days: 3,
        ..instance("short-db")
    });
    add_cluster(
        &mut f,
        Cluster {
            port: 5432,
            master_username: "postgres".into(),
            storage_encrypted: false,
            multi_az: false,
            backup_retention_days: 0,
            deletion_protection: false,
            iam_auth_enabled: false,
            copy_tags_to_snapshot: false,
            cloudwatch_logs_exports: Vec::new(),
            security_group_ids: vec!["sg-open".into()],
            ..cluster("bad-cluster")
        },
        &["us-east-1a"],
    );
    f.clusters.push(Cluster {
        auto_minor_version_upgrade: Some(false),
        backup_retention_days: 2,
        ..multi_az_cluster("maz-cluster")
    });
    f.snapshots.push(Snapshot {
        encrypted: false,
        shared_with: vec!["all".into()],
        ..db_snapshot("bad-db-export")
    });
    f.snapshots.push(Snapshot {
        shared_with: vec![STRANGER.into()],
        ..cluster_snapshot("bad-cluster-share")
    });
    // Shared with a trusted account, unencrypted.
    f.snapshots.push(Snapshot {
        encrypted: false,
        kms_key_id: None,
        shared_with: vec![STRANGER.into()],
        ..db_snapshot("bad-db-handoff")
    });
    // Shared, on the AWS-managed key (at the catalogue's severity).
    let aws_key = "arn:aws:kms:us-east-1:111111111111:key/aws-rds";
    f.kms_keys.push(rdsight::model::KmsKey {
        region: REGION.into(),
        id: aws_key.into(),
        arn: Some(aws_key.into()),
        key_manager: "AWS".into(),
        missing: false,
    });
    f.snapshots.push(Snapshot {
        kms_key_id: Some(aws_key.into()),
        ..f.snapshots[f.snapshots.len() - 2].clone()
    });
    let last = f.snapshots.len() - 1;
    f.snapshots[last].id = "bad-cluster-aws-key".into();
    f.snapshots[last].arn = Some(arn("cluster-snapshot", "bad-cluster-aws-key"));
    f.export_tasks.push(rdsight::model::ExportTask {
        region: REGION.into(),
        id: "export-1".into(),
        source_arn: arn("snapshot", "bad-db-export"),
        status: "COMPLETE".into(),
        s3_bucket: "outside".into(),
        ..Default::default()
    });
    f.event_subscriptions.clear();
    f
}

#[test]
fn the_failing_fleet_fires_every_rule() {
    let findings = rules::evaluate(&failing_fleet(), &RuleConfig::default());
    let fired: BTreeSet<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    // Every rule that judges resources; the activity rules judge events
    // (their matrices are in rules_activity).
    let all: BTreeSet<&str> = CATALOGUE
        .iter()
        .filter(|info| !info.targets.is_empty())
        .map(|info| info.name())
        .collect();
    assert_eq!(fired, all);
}

fn arn_of(fleet: &Fleet, f: &Finding) -> Option<String> {
    rules::subjects(fleet)
        .find(|s| s.resource_ref() == f.resource_ref())
        .and_then(|s| s.arn().map(str::to_string))
}

#[test]
fn every_finding_carries_rule_severity_resource_reason_and_compliance() {
    let fleet = failing_fleet();
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    assert!(!findings.is_empty());
    for f in &findings {
        let info = rule_info(f.rule);
        assert_eq!(f.severity, info.severity, "{f:?}");
        assert!(info.targets.contains(&f.resource_type), "{f:?}");
        assert!(!f.resource_id.is_empty(), "{f:?}");
        assert_eq!(f.region, REGION, "{f:?}");
        let arn = arn_of(&fleet, f).unwrap_or_else(|| panic!("no resource for {f:?}"));
        assert_eq!(f.arn.as_deref(), Some(arn.as_str()), "{f:?}");
        assert!(arn.contains(&f.resource_id), "{f:?}");
        assert!(!f.reason.trim().is_empty(), "{f:?}");
        assert!(!f.reason.contains('\n'), "reason is one line: {f:?}");
        let engine = rules::subjects(&fleet)
            .find(|s| s.resource_ref() == f.resource_ref())
            .map(|s| s.engine().to_string())
            .unwrap_or_default();
        assert_eq!(
            f.compliance,
            info.compliance_for(f.resource_type, &engine),
            "{f:?}"
        );
    }
}

#[test]
fn findings_come_out_worst_first_and_unknown_verdicts_last() {
    let mut fleet = failing_fleet();
    // One unknown verdict: a member whose cluster was not loaded.
    fleet
        .instances
        .push(member("orphan-1", "missing-cluster", "us-east-1a"));
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    let first_unknown = findings
        .iter()
        .position(|f| f.is_unknown())
        .expect("the orphan's verdicts are unknown");
    assert!(findings[first_unknown..].iter().all(|f| f.is_unknown()));
    let findings = &findings[..first_unknown];
    for pair in findings.windows(2) {
        assert!(pair[0].severity >= pair[1].severity, "{pair:#?}");
        if pair[0].severity == pair[1].severity {
            assert!(pair[0].rule <= pair[1].rule, "{pair:#?}");
        }
    }
    assert_eq!(findings[0].severity, Severity::Critical);
}

#[test]
fn deletion_protection_maps_instances_and_clusters_to_different_controls() {
    let findings = rules::evaluate(&failing_fleet(), &RuleConfig::default());
    let of = |kind: ResourceType| -> &Finding {
        findings
            .iter()
            .find(|f| f.rule == RuleId::DeletionProtectionOff && f.resource_type == kind)
            .unwrap_or_else(|| panic!("no deletion-protection-off finding on a {kind}"))
    };
    let instance = &of(ResourceType::DbInstance).compliance;
    let cluster = &of(ResourceType::DbCluster).compliance;
    assert!(
        instance.iter().any(|c| c == "SecurityHub RDS.8"),
        "{instance:?}"
    );
    assert!(
        !instance.iter().any(|c| c == "SecurityHub RDS.7"),
        "{instance:?}"
    );
    assert!(
        cluster.iter().any(|c| c == "SecurityHub RDS.7"),
        "{cluster:?}"
    );
    assert!(
        !cluster.iter().any(|c| c == "SecurityHub RDS.8"),
        "{cluster:?}"
    );
}

#[test]
fn evaluate_agrees_with_verdict_for_every_rule_and_resource() {
    let fleet = failing_fleet();
    let config = RuleConfig::default();
    let ctx = Context::new(&fleet, &config);
    let findings = rules::evaluate(&fleet, &config);
    let found: HashSet<(RuleId, rdsight::model::ResourceRef)> = findings
        .iter()
        .map(|f| (f.rule, f.resource_ref()))
        .collect();
    assert_eq!(found.len(), findings.len(), "duplicate findings");
    for subject in rules::subjects(&fleet) {
        for info in CATALOGUE {
            let fails = matches!(
                rules::verdict(&ctx, info.id, subject),
                Verdict::Fail(_) | Verdict::FailAt(..) | Verdict::Unknown(_)
            );
            assert_eq!(
                fails,
                found.contains(&(info.id, subject.resource_ref())),
                "{} on {}",
                info.name(),
                subject.resource_ref()
            );
        }
    }
}

// ---- configuration ------------------------------------------------------------------------

#[test]
fn disabled_rules_are_not_evaluated() {
    let fleet = failing_fleet();
    let all = rules::evaluate(&fleet, &RuleConfig::default());
    let config = RuleConfig {
        disabled_rules: vec![RuleId::DefaultPort, RuleId::SnapshotPublic],
        ..RuleConfig::default()
    };
    let some = rules::evaluate(&fleet, &config);
    assert!(all.iter().any(|f| f.rule == RuleId::DefaultPort));
    assert!(all.iter().any(|f| f.rule == RuleId::SnapshotPublic));
    let expected: Vec<Finding> = all
        .into_iter()
        .filter(|f| !config.disabled_rules.contains(&f.rule))
        .collect();
    assert_eq!(some, expected);

    let none = RuleConfig {
        disabled_rules: CATALOGUE.iter().map(|r| r.id).collect(),
        ..RuleConfig::default()
    };
    assert_eq!(rules::evaluate(&fleet, &none), Vec::new());
}

#[test]
fn trusted_accounts_and_backup_minimum_reach_evaluate() {
    let fleet = failing_fleet();
    let config = RuleConfig {
        trusted_accounts: vec![STRANGER.into()],
        min_backup_retention_days: 2,
        ..RuleConfig::default()
    };
    let findings = rules::evaluate(&fleet, &config);
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == RuleId::SnapshotSharedUntrusted)
    );
    // short-db keeps 3 days and maz-cluster 2: both meet a 2-day minimum.
    assert!(!findings.iter().any(|f| f.rule == RuleId::BackupsShort));
}

#[test]
fn members_of_a_cluster_that_was_not_loaded_say_so() {
    // The cluster failed to load: its members must not pretend to be
    // judged "through the cluster", and must not be judged on their own
    // copies of cluster settings either.
    let mut f = fleet();
    f.instances.push(Instance {
        deletion_protection: false,
        backup_retention_days: 0,
        ..member("orphan-1", "missing-cluster", "us-east-1a")
    });
    let i = &f.instances[0];
    for rule in [RuleId::DeletionProtectionOff, RuleId::BackupsDisabled] {
        assert_unknown(
            judge(&f, rule, Subject::Instance(i)),
            "missing-cluster, which was not loaded",
        );
    }
}

#[test]
fn multi_az_db_cluster_members_take_auto_minor_upgrade_from_the_cluster() {
    // Multi-AZ DB clusters (non-Aurora) carry AutoMinorVersionUpgrade; one
    // setting must give one finding, on the cluster, not one per member.
    let mut f = fleet();
    add_cluster(
        &mut f,
        Cluster {
            engine: "postgres".into(),
            auto_minor_version_upgrade: Some(false),
            ..cluster("payouts")
        },
        &["us-east-1a", "us-east-1b", "us-east-1c"],
    );
    for i in &mut f.instances {
        i.engine = "postgres".into();
        i.auto_minor_version_upgrade = false;
    }
    let findings: Vec<_> = rules::evaluate(&f, &RuleConfig::default())
        .into_iter()
        .filter(|x| x.rule == RuleId::AutoMinorUpgradeOff)
        .collect();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].resource_type, ResourceType::DbCluster);

    // Aurora members keep their own setting.
    let mut aurora = fleet();
    add_cluster(&mut aurora, cluster("orders"), &["us-east-1a"]);
    aurora.instances[0].auto_minor_version_upgrade = false;
    assert_fails(
        judge(
            &aurora,
            RuleId::AutoMinorUpgradeOff,
            Subject::Instance(&aurora.instances[0]),
        ),
        &["AutoMinorVersionUpgrade=false"],
    );
}
