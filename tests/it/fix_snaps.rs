//! The snapshot-exposure fixes on the demo source: plans as they read,
//! then run and re-read.

use std::sync::Arc;
use std::time::Duration;

use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, SnapshotKind};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::Progress;
use rdsight::remediation::{NoRemediation, PlanOptions};
use rdsight::rules::{self, Finding, RuleId, plan_for};
use rdsight::source::FleetSource;
use rdsight::source::demo::DemoSource;

use crate::support::fixer::{calls, run_demo};
use crate::support::moto::scratch_path;

const CUSTOMER_KEY: &str =
    "arn:aws:kms:us-west-2:493812047561:key/11111111-2222-4333-8444-555555555555";

fn demo() -> Arc<dyn FleetSource> {
    Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    )
}

fn finding(fleet: &Fleet, rule: RuleId, id: &str) -> Finding {
    rules::evaluate(fleet, &RuleConfig::default())
        .into_iter()
        .find(|f| f.rule == rule && f.resource_id == id)
        .unwrap_or_else(|| panic!("no {rule} on {id}"))
}

#[tokio::test]
async fn the_demo_vendor_handoff_is_copied_under_a_customer_key() {
    let source = demo();
    let fleet = source.load().await.unwrap();
    let config = RuleConfig::default();
    let handoff = finding(
        &fleet,
        RuleId::SnapshotAwsManagedKey,
        "support-desk-mariadb-vendor-handoff",
    );
    let refused = plan_for(&fleet, &config, &handoff, PlanOptions::default());
    assert!(
        matches!(&refused, Err(NoRemediation::ByHand(why)) if why.contains("alias/aws/rds")),
        "{refused:?}"
    );
    let options = PlanOptions {
        kms_key_id: CUSTOMER_KEY.into(),
        ..PlanOptions::default()
    };
    let plan = plan_for(&fleet, &config, &handoff, options).unwrap();
    assert_eq!(calls(&plan), ["rds:CopyDBSnapshot"]);
    let caveats: Vec<String> = plan.caveats.iter().map(|c| c.to_string()).collect();
    assert!(
        caveats.iter().any(|c| c.contains("grant 210987654321")),
        "{caveats:?}"
    );
    assert!(
        plan.steps[0].step.cli().contains("--kms-key-id"),
        "{}",
        plan.steps[0].step.cli()
    );

    let audit = AuditLog::new(scratch_path("snaps-demo-cmk"));
    let progress = run_demo(&source, &audit, plan).await;
    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    let after = source.load().await.unwrap();
    let copy = after
        .snapshot(
            "us-west-2",
            SnapshotKind::Db,
            "support-desk-mariadb-vendor-handoff-cmk",
        )
        .expect("the copy");
    assert_eq!(copy.kms_key_id.as_deref(), Some(CUSTOMER_KEY));
    assert!(copy.shared_with.is_empty());
    // The copy's key is known as the customer's: judged, and it passes.
    let on_copy: Vec<Finding> = rules::evaluate(&after, &config)
        .into_iter()
        .filter(|f| f.resource_id == copy.id)
        .collect();
    assert!(on_copy.is_empty(), "{on_copy:#?}");
}

#[tokio::test]
async fn the_demo_cluster_snapshot_gets_copy_db_cluster_snapshot() {
    let source = demo();
    let mut fleet = source.load().await.unwrap();
    // Put a cluster snapshot of the demo on the AWS-managed key.
    let key = fleet
        .snapshots
        .iter()
        .find(|s| s.id == "merchant-payouts-pre-16-upgrade")
        .and_then(|s| s.kms_key_id.clone())
        .unwrap();
    for k in fleet.kms_keys.iter_mut().filter(|k| k.id == key) {
        k.key_manager = "AWS".into();
    }
    let config = RuleConfig::default();
    let found = finding(
        &fleet,
        RuleId::SnapshotAwsManagedKey,
        "merchant-payouts-pre-16-upgrade",
    );
    assert_eq!(found.severity, rules::Severity::Low);
    let options = PlanOptions {
        kms_key_id: "alias/payouts-snapshots".into(),
        ..PlanOptions::default()
    };
    let plan = plan_for(&fleet, &config, &found, options).unwrap();
    assert_eq!(calls(&plan), ["rds:CopyDBClusterSnapshot"]);
    let cli = plan.steps[0].step.cli();
    for part in [
        "aws rds copy-db-cluster-snapshot",
        "--source-db-cluster-snapshot-identifier merchant-payouts-pre-16-upgrade",
        "--target-db-cluster-snapshot-identifier merchant-payouts-pre-16-upgrade-cmk",
        "--kms-key-id alias/payouts-snapshots",
        "--copy-tags",
    ] {
        assert!(cli.contains(part), "{part} not in {cli}");
    }
    // A key the load found AWS manages is refused by id too.
    let options = PlanOptions {
        kms_key_id: key.clone(),
        ..PlanOptions::default()
    };
    assert!(matches!(
        plan_for(&fleet, &config, &found, options),
        Err(NoRemediation::ByHand(_))
    ));

    let audit = AuditLog::new(scratch_path("snaps-demo-cluster-cmk"));
    let progress = run_demo(&source, &audit, plan).await;
    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    let after = source.load().await.unwrap();
    let copy = after
        .snapshot(
            "eu-west-1",
            SnapshotKind::Cluster,
            "merchant-payouts-pre-16-upgrade-cmk",
        )
        .expect("the copy");
    assert_eq!(copy.kms_key_id.as_deref(), Some("alias/payouts-snapshots"));
    assert_eq!(copy.status, "available");
}

#[tokio::test]
async fn the_demo_unencrypted_handoff_is_unshared_from_every_account() {
    let source = demo();
    let fleet = source.load().await.unwrap();
    let config = RuleConfig {
        trusted_accounts: vec!["758321649012".into()],
        ..RuleConfig::default()
    };
    let id = "legacy-crm-sqlserver-pre-patch-2026-08";
    let found = rules::evaluate(&fleet, &config)
        .into_iter()
        .find(|f| f.rule == RuleId::SnapshotSharedUnencrypted && f.resource_id == id)
        .unwrap();
    let plan = plan_for(&fleet, &config, &found, PlanOptions::default()).unwrap();
    let cli = plan.steps[0].step.cli();
    assert!(cli.contains("--values-to-remove 758321649012"), "{cli}");
    let audit = AuditLog::new(scratch_path("snaps-demo-unshare"));
    let progress = run_demo(&source, &audit, plan).await;
    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    let after = source.load().await.unwrap();
    let snapshot = after.snapshot("us-east-1", SnapshotKind::Db, id).unwrap();
    assert!(snapshot.shared_with.is_empty());
}
