#![allow(clippy::unwrap_used)]
//! The live AWS source against a real moto server: seeded through the AWS
//! SDK, loaded through `AwsSource`, every remediation run through the
//! executor and checked by reading the state back.
//!
//! moto differs from AWS in places (everything is `available` at once,
//! apply-immediately=false is applied at once, instances get automated
//! snapshots). These tests assert what holds on both; where moto is
//! stricter or looser, they assert the weaker true thing and say why.

#[path = "support/fixer.rs"]
mod fixer;
#[path = "support/moto.rs"]
mod moto;
#[path = "support/seed.rs"]
mod seed;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use fixer::{Fixer, calls, now};
use moto::{MOTO_ACCOUNT, Moto, rdsight};
use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, ResourceRef, ResourceType, SnapshotKind};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::{Plan, PlanOptions, PlannedStep, Step};
use rdsight::rules::{self, RuleId};
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, SourceError};
use seed::{
    EU, PG_PORT, UNTRUSTED, US, WORLD_IPV4, security_group, seed, seed_remediation_extras, source,
};

fn ids_for(findings: &[rules::Finding], rule: RuleId) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.resource_id.clone())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

// ------------------------------------------------------------------- load

#[tokio::test]
async fn load_sees_the_seeded_fleet_with_the_right_flags_and_findings() {
    let moto = Moto::start();
    let seeded = seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    let fleet = source.load().await.unwrap();

    assert_eq!(fleet.account, MOTO_ACCOUNT);
    assert_eq!(fleet.regions, vec![US]);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);

    let orders = fleet.instance(US, "orders-db").expect("orders-db loaded");
    assert_eq!(orders.engine, "postgres");
    assert_eq!(orders.status, "available");
    assert!(orders.publicly_accessible);
    assert!(!orders.storage_encrypted);
    assert_eq!(orders.backup_retention_days, 0);
    assert_eq!(orders.port, 5432);
    assert_eq!(orders.security_group_ids, vec![seeded.open_sg.clone()]);
    assert_eq!(orders.cluster_id, None);
    assert!(orders.arn.as_deref().unwrap().contains(MOTO_ACCOUNT));

    let ledger = fleet.cluster(US, "ledger").expect("ledger loaded");
    assert!(ledger.is_aurora());
    assert!(ledger.storage_encrypted);
    assert_eq!(ledger.security_group_ids, vec![seeded.private_sg.clone()]);
    assert!(
        ledger
            .members
            .iter()
            .any(|m| m.instance_id == "ledger-1" && m.is_writer),
        "{:?}",
        ledger.members
    );
    let member = fleet.instance(US, "ledger-1").expect("ledger-1 loaded");
    assert_eq!(member.cluster_id.as_deref(), Some("ledger"));

    let public = fleet
        .snapshot(US, SnapshotKind::Db, "orders-public")
        .unwrap();
    assert!(public.shared_with.iter().any(|a| a == "all"));
    assert!(public.is_public());
    assert_eq!(public.snapshot_type, "manual");
    assert_eq!(public.source_id, "orders-db");
    let shared = fleet
        .snapshot(US, SnapshotKind::Db, "orders-shared")
        .unwrap();
    assert_eq!(shared.shared_with, vec![UNTRUSTED]);
    let cluster_snapshot = fleet
        .snapshot(US, SnapshotKind::Cluster, "ledger-manual")
        .unwrap();
    assert_eq!(cluster_snapshot.source_id, "ledger");
    assert_eq!(cluster_snapshot.snapshot_type, "manual");
    assert!(cluster_snapshot.encrypted);
    assert!(cluster_snapshot.shared_with.is_empty());

    let open = fleet.security_group(US, &seeded.open_sg).unwrap();
    assert_eq!(open.name, "db-open");
    assert!(
        open.ingress.iter().any(|r| r.protocol == "tcp"
            && r.from_port == Some(PG_PORT)
            && r.to_port == Some(PG_PORT)
            && r.ipv4_ranges.iter().any(|c| c == WORLD_IPV4)),
        "{:?}",
        open.ingress
    );
    let private = fleet.security_group(US, &seeded.private_sg).unwrap();
    assert!(private.ingress.iter().all(|r| r.world_ranges().is_empty()));
    // Every VPC has a default group; moto's carries the account id.
    assert!(fleet.security_groups.iter().any(|g| g.name == "default"));

    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    assert_eq!(
        ids_for(&findings, RuleId::SnapshotPublic),
        set(&["orders-public"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::SnapshotSharedUntrusted),
        set(&["orders-shared"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::InstancePublic),
        set(&["orders-db"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::SgOpenDbPort),
        set(&["orders-db"])
    );
    assert_eq!(
        ids_for(&findings, RuleId::BackupsDisabled),
        set(&["orders-db"])
    );
    assert!(ids_for(&findings, RuleId::InstanceUnencrypted).contains("orders-db"));
    assert!(!ids_for(&findings, RuleId::ClusterUnencrypted).contains("ledger"));
}

#[tokio::test]
async fn load_covers_every_region_asked_for() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let eu_ec2 = moto.ec2(EU).await;
    let eu_sg = security_group(&eu_ec2, "db-eu", "10.1.0.0/16").await;
    moto.rds(EU)
        .await
        .create_db_instance()
        .db_instance_identifier("eu-orders")
        .engine("mysql")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("eu_admin")
        .master_user_password("not-a-secret-3")
        .storage_encrypted(true)
        .vpc_security_group_ids(&eu_sg)
        .send()
        .await
        .unwrap();

    let fleet = source(&moto, &[US, EU]).await.load().await.unwrap();
    assert_eq!(fleet.regions, vec![US, EU]);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    let eu = fleet.instance(EU, "eu-orders").expect("eu instance loaded");
    assert!(eu.storage_encrypted);
    assert_eq!(eu.security_group_ids, vec![eu_sg.clone()]);
    assert!(fleet.instance(US, "eu-orders").is_none());
    assert!(fleet.instance(US, "orders-db").is_some());
    assert!(fleet.security_group(EU, &eu_sg).is_some());
    assert_eq!(fleet.account, MOTO_ACCOUNT);

    // --all-regions asks the home region which regions are enabled.
    let args = SourceArgs {
        endpoint_url: Some(moto.url.clone()),
        all_regions: true,
        ..SourceArgs::default()
    };
    let all = AwsSource::connect_with(&args, |loader| {
        moto::with_test_credentials(loader).region(aws_sdk_rds::config::Region::new(US))
    })
    .await
    .unwrap();
    let regions = all.regions();
    assert!(regions.contains(&US.to_string()) && regions.contains(&EU.to_string()));
    assert!(
        regions.windows(2).all(|w| w[0] < w[1]),
        "sorted, no repeats"
    );
    let fleet = all.load().await.unwrap();
    assert_eq!(fleet.regions, regions);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    assert!(fleet.instance(EU, "eu-orders").is_some());
    assert!(fleet.instance(US, "orders-db").is_some());
}

#[tokio::test]
async fn a_failing_region_becomes_load_errors_and_the_rest_still_loads() {
    let moto = Moto::start();
    seed(&moto, US).await;
    // No such region: moto answers 500, real AWS has no endpoint for it.
    // Either way every call there fails while us-east-1 answers.
    let fleet = source(&moto, &[US, "mars-east-1"])
        .await
        .load()
        .await
        .unwrap();
    assert!(fleet.instance(US, "orders-db").is_some());
    assert!(!fleet.load_errors.is_empty());
    for error in &fleet.load_errors {
        assert_eq!(error.region, "mars-east-1", "{error}");
        assert!(!error.message.is_empty() && !error.message.contains('\n'));
    }
    let whats: BTreeSet<&str> = fleet.load_errors.iter().map(|e| e.what.as_str()).collect();
    assert!(whats.contains("db-instances") && whats.contains("security-groups"));
}

#[tokio::test]
async fn an_unreachable_endpoint_is_one_clear_error() {
    let url = format!("http://127.0.0.1:{}", moto::free_port());
    let args = SourceArgs {
        endpoint_url: Some(url.clone()),
        region: vec![US.into()],
        ..SourceArgs::default()
    };
    // The account is asked of STS before anything loads, so a dead
    // endpoint is one line at connect, within the connect timeout.
    let started = std::time::Instant::now();
    let err = match AwsSource::connect_with(&args, moto::with_test_credentials).await {
        Ok(_) => panic!("connected to a closed port"),
        Err(e) => e,
    };
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let message = err.to_string();
    assert!(matches!(err, SourceError::Unavailable(_)), "{err:?}");
    assert!(message.contains(&url), "{message}");
    assert!(message.contains("cannot reach AWS"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

// ---------------------------------------------------------------- refresh

#[tokio::test]
async fn refresh_reads_one_resource_and_a_deleted_one_is_an_empty_fragment() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    let rds = moto.rds(US).await;
    rds.create_db_snapshot()
        .db_instance_identifier("orders-db")
        .db_snapshot_identifier("short-lived")
        .send()
        .await
        .unwrap();
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("short-lived")
        .attribute_name("restore")
        .values_to_add(UNTRUSTED)
        .send()
        .await
        .unwrap();
    let target = ResourceRef::new(ResourceType::DbSnapshot, US, "short-lived");

    let fragment = source.refresh(&target).await.unwrap();
    assert_eq!(fragment.snapshots.len(), 1);
    assert_eq!(fragment.snapshots[0].shared_with, vec![UNTRUSTED]);
    assert_eq!(fragment.status_of(&target), Some("available"));
    assert!(fragment.instances.is_empty() && fragment.clusters.is_empty());

    rds.delete_db_snapshot()
        .db_snapshot_identifier("short-lived")
        .send()
        .await
        .unwrap();
    let fragment = source.refresh(&target).await.unwrap();
    assert!(fragment.snapshots.is_empty(), "{fragment:?}");
    assert_eq!(fragment.status_of(&target), None);

    // Each kind's not-found code means "deleted", not an error.
    for kind in [
        ResourceType::DbInstance,
        ResourceType::DbCluster,
        ResourceType::DbSnapshot,
        ResourceType::DbClusterSnapshot,
    ] {
        let gone = ResourceRef::new(kind, US, "never-existed");
        let fragment = source.refresh(&gone).await.unwrap();
        assert_eq!(fragment.resource_count(), 0, "{kind}: {fragment:?}");
    }
    let gone = ResourceRef::new(ResourceType::SecurityGroup, US, "sg-0123456789abcdef0");
    let fragment = source.refresh(&gone).await.unwrap();
    assert!(fragment.security_groups.is_empty());

    let cluster = ResourceRef::new(ResourceType::DbCluster, US, "ledger");
    let fragment = source.refresh(&cluster).await.unwrap();
    assert_eq!(fragment.clusters.len(), 1);
}

// ------------------------------------------------------------ remediation

#[tokio::test]
async fn every_remediation_changes_what_moto_reports() {
    let moto = Moto::start();
    let seeded = seed(&moto, US).await;
    seed_remediation_extras(&moto).await;
    let audit_path = moto::scratch_path("audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig::default(),
    };
    let db = |fleet: &Fleet, id: &str| {
        fleet
            .snapshot(US, SnapshotKind::Db, id)
            .cloned()
            .unwrap_or_else(|| panic!("snapshot {id} missing"))
    };

    // Sharing: ModifyDBSnapshotAttribute / ModifyDBClusterSnapshotAttribute.
    let (plan, fleet) = fixer
        .fix(RuleId::SnapshotPublic, "orders-public", now())
        .await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBSnapshotAttribute"]);
    assert!(
        !db(&fleet, "orders-public")
            .shared_with
            .contains(&"all".into())
    );

    let (_, fleet) = fixer
        .fix(RuleId::SnapshotSharedUntrusted, "orders-shared", now())
        .await;
    assert!(
        !db(&fleet, "orders-shared")
            .shared_with
            .contains(&UNTRUSTED.into())
    );

    let (plan, fleet) = fixer
        .fix(RuleId::SnapshotPublic, "reports-manual", now())
        .await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBClusterSnapshotAttribute"]);
    let reports = fleet
        .snapshot(US, SnapshotKind::Cluster, "reports-manual")
        .unwrap();
    assert!(!reports.is_public());

    // ModifyDBInstance, one setting each.
    let (plan, fleet) = fixer
        .fix(
            RuleId::InstanceSingleAz,
            "orders-db",
            PlanOptions::default(),
        )
        .await;
    assert!(matches!(
        plan.steps[0].step,
        Step::ModifyDBInstance {
            apply_immediately: false,
            ..
        }
    ));
    // Held for the window on AWS; moto applies it at once.
    let orders = fleet.instance(US, "orders-db").unwrap();
    assert!(
        orders.multi_az || orders.pending_changes.contains(&"MultiAZ=true".into()),
        "{orders:?}"
    );

    let (_, fleet) = fixer.fix(RuleId::BackupsDisabled, "orders-db", now()).await;
    assert_eq!(
        fleet
            .instance(US, "orders-db")
            .unwrap()
            .backup_retention_days,
        7
    );

    let (_, fleet) = fixer
        .fix(RuleId::DeletionProtectionOff, "orders-db", now())
        .await;
    assert!(fleet.instance(US, "orders-db").unwrap().deletion_protection);

    for rule in [
        RuleId::AutoMinorUpgradeOff,
        RuleId::IamAuthOff,
        RuleId::CopyTagsOff,
    ] {
        fixer.fix(rule, "orders-db", now()).await;
    }
    let orders = fixer
        .fleet()
        .await
        .instance(US, "orders-db")
        .cloned()
        .unwrap();
    assert!(orders.auto_minor_version_upgrade);
    assert!(orders.iam_auth_enabled);
    assert!(orders.copy_tags_to_snapshot);

    // Security group: revoke the world rule, then the audited undo.
    let (plan, fleet) = fixer.fix(RuleId::SgOpenDbPort, "orders-db", now()).await;
    assert_eq!(calls(&plan), vec!["ec2:RevokeSecurityGroupIngress"]);
    let world_on_5432 = |fleet: &Fleet| {
        fleet
            .security_group(US, &seeded.open_sg)
            .unwrap()
            .ingress
            .iter()
            .any(|r| r.covers_tcp_port(5432) && !r.world_ranges().is_empty())
    };
    assert!(!world_on_5432(&fleet));
    let undo = plan.steps[0].step.undo().expect("revoke has an undo");
    assert!(matches!(undo, Step::AuthorizeSecurityGroupIngress { .. }));
    fixer
        .run(Plan {
            findings: Vec::new(),
            steps: vec![PlannedStep {
                step: undo,
                purpose: "undo the revoke".into(),
            }],
            caveats: Vec::new(),
        })
        .await;
    assert!(world_on_5432(&fixer.fleet().await));

    let (_, fleet) = fixer.fix(RuleId::InstancePublic, "orders-db", now()).await;
    assert!(!fleet.instance(US, "orders-db").unwrap().publicly_accessible);

    // ModifyDBCluster.
    let (plan, fleet) = fixer
        .fix(RuleId::DeletionProtectionOff, "ledger", now())
        .await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBCluster"]);
    assert!(fleet.cluster(US, "ledger").unwrap().deletion_protection);

    let (_, fleet) = fixer
        .fix(RuleId::BackupsShort, "ledger", PlanOptions::default())
        .await;
    let ledger = fleet.cluster(US, "ledger").unwrap();
    // Aurora applies retention changes right away; the weaker check also
    // holds where a change waits for the window.
    assert!(
        ledger.backup_retention_days == 7
            || ledger
                .pending_changes
                .contains(&"BackupRetentionPeriod=7".into()),
        "{ledger:?}"
    );

    // Encrypted copy of a DB snapshot, then deleting the original.
    let options = PlanOptions {
        delete_original: true,
        ..now()
    };
    let (plan, fleet) = fixer
        .fix(RuleId::SnapshotUnencrypted, "orders-archive", options)
        .await;
    assert_eq!(
        calls(&plan),
        vec!["rds:CopyDBSnapshot", "rds:DeleteDBSnapshot"]
    );
    let copy = db(&fleet, "orders-archive-encrypted");
    assert!(copy.encrypted, "{copy:?}");
    assert!(
        fleet
            .snapshot(US, SnapshotKind::Db, "orders-archive")
            .is_none()
    );

    // Encrypting an instance: snapshot → encrypted copy → restore.
    let (plan, fleet) = fixer
        .fix(RuleId::InstanceUnencrypted, "orders-db", now())
        .await;
    assert_eq!(
        calls(&plan),
        vec![
            "rds:CreateDBSnapshot",
            "rds:CopyDBSnapshot",
            "rds:RestoreDBInstanceFromDBSnapshot"
        ]
    );
    assert!(!db(&fleet, "orders-db-pre-encryption").encrypted);
    assert!(db(&fleet, "orders-db-pre-encryption-encrypted").encrypted);
    let restored = fleet.instance(US, "orders-db-encrypted").unwrap();
    assert!(restored.storage_encrypted, "{restored:?}");
    assert_eq!(restored.status, "available");
    assert!(
        fleet.instance(US, "orders-db").is_some(),
        "the original is kept"
    );
    // Read back through the SDK: the copy kept the original's class,
    // security groups and parameter group (moto, like AWS, would otherwise
    // give it the defaults).
    let rds = moto.rds(US).await;
    let described = |id: &'static str| {
        let rds = rds.clone();
        async move {
            rds.describe_db_instances()
                .db_instance_identifier(id)
                .send()
                .await
                .unwrap()
                .db_instances()[0]
                .clone()
        }
    };
    let (original, copy) = (
        described("orders-db").await,
        described("orders-db-encrypted").await,
    );
    assert_eq!(copy.storage_encrypted(), Some(true));
    assert_eq!(copy.db_instance_class(), original.db_instance_class());
    let groups = |i: &aws_sdk_rds::types::DbInstance| -> Vec<String> {
        i.vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
            .collect()
    };
    assert_eq!(groups(&copy), vec![seeded.open_sg.clone()]);
    let parameter_group = |i: &aws_sdk_rds::types::DbInstance| {
        i.db_parameter_groups()
            .first()
            .and_then(|g| g.db_parameter_group_name())
            .map(str::to_string)
    };
    assert!(parameter_group(&original).is_some());
    assert_eq!(parameter_group(&copy), parameter_group(&original));

    // An unencrypted cluster snapshot becomes an encrypted cluster.
    let (plan, fleet) = fixer
        .fix(RuleId::SnapshotUnencrypted, "reports-manual", now())
        .await;
    assert_eq!(calls(&plan), vec!["rds:RestoreDBClusterFromSnapshot"]);
    let encrypted = fleet.cluster(US, "reports-manual-encrypted").unwrap();
    assert_eq!(encrypted.status, "available");
    // AWS encrypts a cluster restored with KmsKeyId from an unencrypted
    // snapshot; moto records the key but copies StorageEncrypted=false from
    // the snapshot. The key it records proves KmsKeyId was sent.
    assert!(
        encrypted.storage_encrypted || encrypted.kms_key_id.as_deref() == Some("alias/aws/rds"),
        "{encrypted:?}"
    );

    // The audit log has a started and a succeeded line for every call.
    let text = std::fs::read_to_string(&audit_path).unwrap();
    let _ = std::fs::remove_file(&audit_path);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let phases = |phase: &str| -> BTreeSet<String> {
        lines
            .iter()
            .filter(|l| l["phase"] == phase)
            .map(|l| l["api"].as_str().unwrap().to_string())
            .collect()
    };
    let every_call = set(&[
        "rds:ModifyDBSnapshotAttribute",
        "rds:ModifyDBClusterSnapshotAttribute",
        "rds:CreateDBSnapshot",
        "rds:CopyDBSnapshot",
        "rds:DeleteDBSnapshot",
        "rds:RestoreDBClusterFromSnapshot",
        "rds:RestoreDBInstanceFromDBSnapshot",
        "rds:ModifyDBInstance",
        "rds:ModifyDBCluster",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupIngress",
    ]);
    assert_eq!(phases("started"), every_call);
    assert_eq!(phases("succeeded"), every_call);
    assert!(phases("failed").is_empty(), "{text}");
    let started = lines.iter().filter(|l| l["phase"] == "started").count();
    let succeeded = lines.iter().filter(|l| l["phase"] == "succeeded").count();
    assert_eq!(started, succeeded);
    assert!(
        lines
            .iter()
            .all(|l| l["source"].as_str().unwrap().contains(&moto.url))
    );
    // Every line names the account; every answer carries AWS's request id.
    assert!(lines.iter().all(|l| l["account"] == MOTO_ACCOUNT), "{text}");
    for line in lines.iter().filter(|l| l["phase"] == "succeeded") {
        assert!(
            line["request_id"].as_str().is_some_and(|r| !r.is_empty()),
            "no request id: {line}"
        );
    }
    // The revoke keeps the exact rule, to authorize it again on request.
    let revoke = lines
        .iter()
        .find(|l| l["phase"] == "started" && l["api"] == "ec2:RevokeSecurityGroupIngress")
        .unwrap();
    assert_eq!(revoke["undo"]["call"], "AuthorizeSecurityGroupIngress");
    assert_eq!(revoke["undo"]["group_id"], seeded.open_sg.as_str());
    assert_eq!(revoke["undo"]["cidr"], WORLD_IPV4);
    assert_eq!(revoke["undo"]["from_port"], PG_PORT);
    assert!(
        revoke["undo_cli"]
            .as_str()
            .unwrap()
            .starts_with("aws ec2 authorize-security-group-ingress")
    );
}

#[tokio::test]
async fn a_failed_call_is_reported_with_its_aws_error_code() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    let step = Step::ModifySnapshotAttribute {
        kind: SnapshotKind::Db,
        region: US.into(),
        snapshot_id: "no-such-snapshot".into(),
        values_to_add: Vec::new(),
        values_to_remove: vec!["all".into()],
    };
    match source.apply(&step).await {
        Err(SourceError::Call {
            call,
            message,
            code,
            request_id,
        }) => {
            assert_eq!(call, "rds:ModifyDBSnapshotAttribute");
            assert!(message.starts_with("DBSnapshotNotFound"), "{message}");
            assert_eq!(code.as_deref(), Some("DBSnapshotNotFound"));
            assert!(request_id.is_some_and(|id| !id.is_empty()));
            assert!(!message.contains('\n'));
        }
        other => panic!("expected a call error, got {other:?}"),
    }
}

// ---------------------------------------------------- the source as a whole

#[tokio::test]
async fn read_only_refuses_and_info_names_the_endpoint() {
    let moto = Moto::start();
    let args = SourceArgs {
        endpoint_url: Some(moto.url.clone()),
        region: vec![US.into()],
        read_only: true,
        ..SourceArgs::default()
    };
    let source = AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap();
    let info = source.info();
    assert_eq!(
        info.label,
        format!("aws (default credentials) @ {}", moto.url)
    );
    // moto's default account, read through STS GetCallerIdentity.
    assert_eq!(info.account.as_deref(), Some("123456789012"));
    assert_eq!(info.read_only.as_deref(), Some("started with --read-only"));
    assert_eq!(source.pacing().poll, Duration::from_secs(5));
    let step = Step::DeleteDBSnapshot {
        region: US.into(),
        snapshot_id: "anything".into(),
    };
    assert!(matches!(
        source.apply(&step).await,
        Err(SourceError::ReadOnly(_))
    ));
}

#[tokio::test]
async fn scan_reads_moto_through_the_command_line_and_environment() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let out = rdsight(
        &["scan", "--format", "json", "--fail-on", "critical"],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", US),
            ("AWS_ENDPOINT_URL", &moto.url),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["account"], MOTO_ACCOUNT);
    assert_eq!(report["regions"], serde_json::json!([US]));
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(found.contains(&("snapshot-public".into(), "orders-public".into())));
    assert!(found.contains(&("instance-public".into(), "orders-db".into())));
}

#[test]
fn missing_credentials_are_one_clear_line() {
    let out = rdsight(
        &[
            "scan",
            "--region",
            US,
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "rdsight: no AWS credentials found — run with --demo, or set AWS_PROFILE / AWS_ACCESS_KEY_ID"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_region_is_one_clear_line() {
    let out = rdsight(
        &["scan"],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "rdsight: no AWS region configured — pass --region, set AWS_REGION, or run with --demo"
    );
}
