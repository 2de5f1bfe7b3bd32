//! Restored copies keep every safety setting of their original, against
//! a real moto server. moto forgives what AWS does not: it treats a
//! `false` flag as "not given" and copies the original's value, and it
//! does not model the internet-gateway default of PubliclyAccessible. So
//! the parameters are checked as sent — in the audit log and in the
//! request bodies a recording proxy saw — and the copies as read back.

use aws_sdk_rds::types::{DbInstance, Tag};
use rdsight::rules::RuleId;

use crate::support::fixer::{audit_lines, calls, now, recorded_fixer};
use crate::support::moto::Moto;
use crate::support::proxy::sent_parameters;
use crate::support::seed::{US, security_group_with};
use crate::support::vpc::{Internet, network};

const MONITORING_ROLE: &str = "arn:aws:iam::123456789012:role/rds-monitoring";

/// A VPC with an internet gateway attached — where AWS makes a copy
/// public unless told otherwise — a DB subnet group in it, and a group
/// admitting the VPC on 5433. Returns (subnet group, security group).
async fn vpc_with_internet_gateway(moto: &Moto) -> (String, String) {
    let ec2 = moto.ec2(US).await;
    let rds = moto.rds(US).await;
    network(&ec2, &rds, "billing-subnets", 20, Internet::AttachedOnly).await;
    let rule = aws_sdk_ec2::types::IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5433)
        .to_port(5433)
        .ip_ranges(
            aws_sdk_ec2::types::IpRange::builder()
                .cidr_ip("10.20.0.0/16")
                .build(),
        )
        .build();
    let group = security_group_with(&ec2, "billing-private", rule).await;
    (String::from("billing-subnets"), group)
}

async fn described(moto: &Moto, id: &str) -> DbInstance {
    moto.rds(US)
        .await
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .unwrap()
        .db_instances()[0]
        .clone()
}

/// The settings a copy must share with its original, as AWS reports them.
fn safety_settings(i: &DbInstance) -> Vec<String> {
    let groups: Vec<&str> = i
        .vpc_security_groups()
        .iter()
        .filter_map(|g| g.vpc_security_group_id())
        .collect();
    let mut tags: Vec<String> = i
        .tag_list()
        .iter()
        .map(|t| format!("{}={}", t.key().unwrap_or(""), t.value().unwrap_or("")))
        .collect();
    tags.sort();
    vec![
        format!("public {:?}", i.publicly_accessible()),
        format!("multi-az {:?}", i.multi_az()),
        format!("deletion protection {:?}", i.deletion_protection()),
        format!("iam {:?}", i.iam_database_authentication_enabled()),
        format!("copy tags {:?}", i.copy_tags_to_snapshot()),
        format!("minor upgrades {:?}", i.auto_minor_version_upgrade()),
        format!("retention {:?}", i.backup_retention_period()),
        format!("class {:?}", i.db_instance_class()),
        format!("storage {:?} {:?}", i.storage_type(), i.iops()),
        format!("port {:?}", i.endpoint().and_then(|e| e.port())),
        format!("logs {:?}", i.enabled_cloudwatch_logs_exports()),
        format!(
            "subnets {:?}",
            i.db_subnet_group().and_then(|g| g.db_subnet_group_name())
        ),
        format!("groups {groups:?}"),
        format!("tags {tags:?}"),
        format!(
            "monitoring {:?} {:?}",
            i.monitoring_interval(),
            i.monitoring_role_arn()
        ),
        format!("ca {:?}", i.ca_certificate_identifier()),
    ]
}

#[tokio::test]
async fn a_private_instance_in_a_vpc_with_an_internet_gateway_is_restored_private() {
    let moto = Moto::start();
    let (subnets, group) = vpc_with_internet_gateway(&moto).await;
    moto.rds(US)
        .await
        .create_db_instance()
        .db_instance_identifier("billing-db")
        .engine("postgres")
        .db_instance_class("db.m6g.large")
        .allocated_storage(100)
        .storage_type("io1")
        .iops(3000)
        .port(5433)
        .master_username("billing_admin")
        .master_user_password("not-a-secret-9")
        .db_subnet_group_name(&subnets)
        .vpc_security_group_ids(&group)
        .publicly_accessible(false)
        .storage_encrypted(false)
        .multi_az(true)
        .deletion_protection(true)
        .enable_iam_database_authentication(true)
        .copy_tags_to_snapshot(true)
        .auto_minor_version_upgrade(false)
        .backup_retention_period(9)
        .enable_cloudwatch_logs_exports("postgresql")
        .monitoring_interval(30)
        .monitoring_role_arn(MONITORING_ROLE)
        .tags(Tag::builder().key("team").value("billing").build())
        .send()
        .await
        .unwrap();
    let (fixer, _proxy, recorded) = recorded_fixer(&moto, "restore-private-audit.jsonl").await;

    // Fixer::run asserts the plan finished ok: every verify-after held.
    let (plan, fleet) = fixer
        .fix(RuleId::InstanceUnencrypted, "billing-db", now())
        .await;
    assert_eq!(
        calls(&plan),
        vec![
            "rds:CreateDBSnapshot",
            "rds:CopyDBSnapshot",
            "rds:RestoreDBInstanceFromDBSnapshot",
            "rds:ModifyDBInstance",
        ]
    );

    // What was sent, as AWS reads it: public access explicitly off,
    // every other safety setting of the original with it.
    let sent = sent_parameters(&recorded, "RestoreDBInstanceFromDBSnapshot");
    let value = |name: &str| {
        sent.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{name} not sent: {sent:?}"))
    };
    assert_eq!(value("PubliclyAccessible"), "false");
    assert_eq!(value("MultiAZ"), "true");
    assert_eq!(value("DeletionProtection"), "true");
    assert_eq!(value("EnableIAMDatabaseAuthentication"), "true");
    assert_eq!(value("CopyTagsToSnapshot"), "true");
    assert_eq!(value("AutoMinorVersionUpgrade"), "false");
    assert_eq!(value("BackupRetentionPeriod"), "9");
    assert_eq!(value("DBSubnetGroupName"), subnets);
    assert_eq!(value("VpcSecurityGroupIds.VpcSecurityGroupId.1"), group);
    assert_eq!(value("DBInstanceClass"), "db.m6g.large");
    assert_eq!((value("StorageType"), value("Iops")), ("io1", "3000"));
    assert_eq!(value("Port"), "5433");
    assert_eq!(value("EnableCloudwatchLogsExports.member.1"), "postgresql");
    assert_eq!(
        (value("Tags.Tag.1.Key"), value("Tags.Tag.1.Value")),
        ("team", "billing")
    );
    // Monitoring follows by ModifyDBInstance: the restore cannot take it.
    assert!(!sent.iter().any(|(k, _)| k.starts_with("Monitoring")));
    let modify = sent_parameters(&recorded, "ModifyDBInstance");
    assert!(modify.contains(&("MonitoringInterval".into(), "30".into())));
    assert!(modify.contains(&("MonitoringRoleArn".into(), MONITORING_ROLE.into())));

    // The audit log holds the same parameters, before the call.
    let lines = audit_lines(fixer.audit.path());
    let _ = std::fs::remove_file(fixer.audit.path());
    let started = lines
        .iter()
        .find(|l| l["phase"] == "started" && l["api"] == "rds:RestoreDBInstanceFromDBSnapshot")
        .unwrap();
    assert_eq!(started["parameters"]["PubliclyAccessible"], "false");
    assert_eq!(started["parameters"]["MultiAZ"], "true");
    assert!(
        !lines.iter().any(|l| l["phase"] == "verify-failed"),
        "{lines:?}"
    );

    // The plan said what the copy carries and what it cannot.
    let said: Vec<String> = plan.caveats.iter().map(ToString::to_string).collect();
    assert!(
        said.iter()
            .any(|c| c.starts_with("billing-db-encrypted carries")
                && c.contains("PubliclyAccessible=false")),
        "{said:#?}"
    );
    assert!(
        said.iter()
            .any(|c| c.contains("does not get the original's Performance Insights"))
    );

    // What AWS reports of the copy: every setting as the original's.
    let original = described(&moto, "billing-db").await;
    let copy = described(&moto, "billing-db-encrypted").await;
    assert_eq!(copy.storage_encrypted(), Some(true));
    assert_eq!(safety_settings(&copy), safety_settings(&original));
    assert_eq!(copy.publicly_accessible(), Some(false));
    assert!(
        !fleet
            .instance(US, "billing-db-encrypted")
            .unwrap()
            .publicly_accessible
    );
}

#[tokio::test]
async fn an_aurora_snapshot_is_restored_with_a_writer_like_the_original() {
    let moto = Moto::start();
    let (subnets, group) = vpc_with_internet_gateway(&moto).await;
    let rds = moto.rds(US).await;
    rds.create_db_cluster()
        .db_cluster_identifier("billing-aurora")
        .engine("aurora-postgresql")
        .master_username("billing_admin")
        .master_user_password("not-a-secret-10")
        .storage_encrypted(false)
        .db_subnet_group_name(&subnets)
        .vpc_security_group_ids(&group)
        .deletion_protection(true)
        .copy_tags_to_snapshot(true)
        .backup_retention_period(5)
        .tags(Tag::builder().key("team").value("billing").build())
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("billing-aurora-1")
        .db_cluster_identifier("billing-aurora")
        .engine("aurora-postgresql")
        .db_instance_class("db.r6g.xlarge")
        .publicly_accessible(false)
        .auto_minor_version_upgrade(false)
        .monitoring_interval(15)
        .monitoring_role_arn(MONITORING_ROLE)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster_snapshot()
        .db_cluster_identifier("billing-aurora")
        .db_cluster_snapshot_identifier("billing-aurora-manual")
        .send()
        .await
        .unwrap();
    let (fixer, _proxy, recorded) = recorded_fixer(&moto, "restore-aurora-audit.jsonl").await;

    let (plan, fleet) = fixer
        .fix(RuleId::SnapshotUnencrypted, "billing-aurora-manual", now())
        .await;
    let _ = std::fs::remove_file(fixer.audit.path());
    assert_eq!(
        calls(&plan),
        vec!["rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance"]
    );
    let said: Vec<String> = plan.caveats.iter().map(ToString::to_string).collect();
    assert!(
        said.iter().any(|c| c.starts_with(
            "a restored Aurora cluster has no instances: step 2 creates its writer billing-aurora-manual-encrypted-writer (db.r6g.xlarge), like billing-aurora-1"
        )),
        "{said:#?}"
    );

    let engine_version = rds
        .describe_db_cluster_snapshots()
        .db_cluster_snapshot_identifier("billing-aurora-manual")
        .send()
        .await
        .unwrap()
        .db_cluster_snapshots()[0]
        .engine_version()
        .unwrap()
        .to_string();
    let restore = sent_parameters(&recorded, "RestoreDBClusterFromSnapshot");
    for (name, value) in [
        ("DBSubnetGroupName", subnets.as_str()),
        ("VpcSecurityGroupIds.VpcSecurityGroupId.1", group.as_str()),
        ("DeletionProtection", "true"),
        ("CopyTagsToSnapshot", "true"),
        ("BackupRetentionPeriod", "5"),
        ("PubliclyAccessible", "false"),
        ("KmsKeyId", "alias/aws/rds"),
        // Left out, AWS would restore into the region's default version.
        ("EngineVersion", engine_version.as_str()),
    ] {
        assert!(
            restore.contains(&(name.into(), value.into())),
            "{name}={value} not sent: {restore:?}"
        );
    }
    let create = sent_parameters(&recorded, "CreateDBInstance");
    for (name, value) in [
        ("DBClusterIdentifier", "billing-aurora-manual-encrypted"),
        ("DBInstanceClass", "db.r6g.xlarge"),
        ("PubliclyAccessible", "false"),
        ("AutoMinorVersionUpgrade", "false"),
        ("MonitoringInterval", "15"),
        ("MonitoringRoleArn", MONITORING_ROLE),
    ] {
        assert!(
            create.contains(&(name.into(), value.into())),
            "{name}={value} not sent: {create:?}"
        );
    }

    // The copy has its writer, as moto reports it.
    let copy = fleet
        .cluster(US, "billing-aurora-manual-encrypted")
        .unwrap();
    assert!(
        copy.deletion_protection && copy.copy_tags_to_snapshot,
        "{copy:?}"
    );
    assert_eq!(copy.backup_retention_days, 5);
    let writer = fleet
        .instance(US, "billing-aurora-manual-encrypted-writer")
        .unwrap();
    assert_eq!(
        writer.cluster_id.as_deref(),
        Some("billing-aurora-manual-encrypted")
    );
    assert_eq!(writer.class, "db.r6g.xlarge");
    assert!(!writer.publicly_accessible && !writer.auto_minor_version_upgrade);
    assert_eq!(writer.monitoring_interval_secs, 15);
    assert_eq!(writer.status, "available");
}
