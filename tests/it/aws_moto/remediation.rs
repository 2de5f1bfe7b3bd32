//! Every remediation through the executor, checked by reading moto back.

use super::set;
use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, SnapshotKind};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::fixes::settings::ModifyDBInstance;
use rdsight::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
use rdsight::remediation::{Plan, PlanOptions, PlannedStep, Step};
use rdsight::rules::RuleId;
use rdsight::source::{FleetSource, SourceError};
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::support::fixer::{Fixer, calls, now};
use crate::support::moto;
use crate::support::moto::{MOTO_ACCOUNT, Moto};
use crate::support::seed::{
    PG_PORT, UNTRUSTED, US, WORLD_IPV4, seed, seed_remediation_extras, source,
};

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
        Step::ModifyDBInstance(ModifyDBInstance {
            apply_immediately: false,
            ..
        })
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
    assert!(matches!(undo, Step::AuthorizeSecurityGroupIngress(_)));
    fixer
        .run(Plan {
            findings: Vec::new(),
            steps: vec![PlannedStep::new(undo, "undo the revoke")],
            caveats: Vec::new(),
            choices: Vec::new(),
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
    let step = Step::from(ModifySnapshotAttribute {
        kind: SnapshotKind::Db,
        region: US.into(),
        snapshot_id: "no-such-snapshot".into(),
        values_to_add: Vec::new(),
        values_to_remove: vec!["all".into()],
    });
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
