//! Verify-after on restored copies, on the demo source: a copy that comes
//! back as its original passes; one that comes back different — here a
//! source that reports the copy public — fails its step, and the audit
//! log says which setting differs.

use futures::future::BoxFuture;
use rdsight::model::{Fleet, ResourceRef};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::Progress;
use rdsight::remediation::{CarriedOver, Plan, PlanOptions};
use rdsight::rules::RuleId;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::source::{FleetSource, Mutation, SourceError, SourceInfo, StepOutcome};
use std::sync::Arc;
use std::time::Duration;

use crate::support::fixer::{audit_lines, calls, demo_plan, run_demo};
use crate::support::moto::scratch_path;

/// A private, unencrypted standalone instance of the demo fleet.
const PRIVATE: &str = "qa-sandbox-mariadb";

/// The demo source, except that every re-read shows `copy` public: a copy
/// that did not come back as the plan asked.
struct ComesBackPublic {
    demo: DemoSource,
    copy: String,
}

impl FleetSource for ComesBackPublic {
    fn info(&self) -> SourceInfo {
        self.demo.info()
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        self.demo.load()
    }

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        self.demo.apply(step)
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let mut fragment = self.demo.refresh(resource).await?;
            for i in fragment.instances.iter_mut().filter(|i| i.id == self.copy) {
                i.publicly_accessible = true;
            }
            Ok(fragment)
        })
    }
}

fn demo() -> DemoSource {
    DemoSource::from_fleet(demo_fleet().unwrap(), false).with_transition(Duration::from_millis(20))
}

fn plan(rule: RuleId, resource: &str) -> Plan {
    demo_plan(rule, resource, PlanOptions::default())
}

/// Run `plan` on the demo, which must finish it; the fleet after.
async fn run_ok(plan: Plan) -> Fleet {
    let source: Arc<dyn FleetSource> = Arc::new(demo());
    let audit = AuditLog::new(scratch_path("restore-demo-audit.jsonl"));
    let events = run_demo(&source, &audit, plan).await;
    let _ = std::fs::remove_file(audit.path());
    assert_eq!(
        events.last(),
        Some(&Progress::Finished { ok: true }),
        "{events:#?}"
    );
    source.load().await.unwrap()
}

#[tokio::test]
async fn a_restored_copy_keeps_every_setting_of_its_original() {
    let fleet = run_ok(plan(RuleId::InstanceUnencrypted, PRIVATE)).await;
    let original = fleet.instances.iter().find(|i| i.id == PRIVATE).unwrap();
    let copy = fleet
        .instances
        .iter()
        .find(|i| i.id == format!("{PRIVATE}-encrypted"))
        .unwrap();
    assert!(
        copy.storage_encrypted && !copy.publicly_accessible,
        "{copy:?}"
    );
    assert_eq!(
        CarriedOver::from(copy).parameters(),
        CarriedOver::from(original).parameters()
    );
}

#[tokio::test]
async fn a_copy_that_differs_from_its_original_fails_verify_after() {
    let copy = format!("{PRIVATE}-encrypted");
    let source: Arc<dyn FleetSource> = Arc::new(ComesBackPublic {
        demo: demo(),
        copy: copy.clone(),
    });
    let audit = AuditLog::new(scratch_path("restore-mismatch-audit.jsonl"));
    let plan = plan(RuleId::InstanceUnencrypted, PRIVATE);
    assert_eq!(plan.steps.len(), 3);
    let events = run_demo(&source, &audit, plan).await;
    let lines = audit_lines(audit.path());
    let _ = std::fs::remove_file(audit.path());

    let expected = "verify-after: the copy differs: PubliclyAccessible is true, not false";
    assert!(
        events.contains(&Progress::StepFailed {
            step: 2,
            error: expected.into()
        }),
        "{events:#?}"
    );
    assert_eq!(events.last(), Some(&Progress::Finished { ok: false }));

    let restore: Vec<(&str, &serde_json::Value)> = lines
        .iter()
        .filter(|l| l["api"] == "rds:RestoreDBInstanceFromDBSnapshot")
        .map(|l| (l["phase"].as_str().unwrap(), &l["error"]))
        .collect();
    assert_eq!(
        restore,
        vec![
            ("started", &serde_json::Value::Null),
            ("succeeded", &serde_json::Value::Null),
            ("verify-failed", &serde_json::json!(expected)),
        ]
    );
    let stopped = lines.last().unwrap();
    assert_eq!(stopped["phase"], "plan-stopped");
    assert_eq!(stopped["reason"], format!("step 3 of 3 failed: {expected}"));
}

#[tokio::test]
async fn a_restored_aurora_cluster_gets_a_writer_like_the_original() {
    let snapshot = "rds:analytics-warehouse-2026-11-28-06-13";
    let plan = plan(RuleId::SnapshotUnencrypted, snapshot);
    assert_eq!(
        calls(&plan),
        vec!["rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance"]
    );
    let fleet = run_ok(plan).await;
    let copy = fleet
        .clusters
        .iter()
        .find(|c| c.id == "analytics-warehouse-2026-11-28-06-13-encrypted")
        .unwrap();
    let original = fleet
        .clusters
        .iter()
        .find(|c| c.id == "analytics-warehouse")
        .unwrap();
    assert!(copy.storage_encrypted);
    assert_eq!(copy.security_group_ids, original.security_group_ids);
    assert_eq!(copy.deletion_protection, original.deletion_protection);
    let [member] = copy.members.as_slice() else {
        panic!("one member expected: {copy:?}");
    };
    assert!(member.is_writer);
    let writer = fleet
        .instances
        .iter()
        .find(|i| i.id == member.instance_id)
        .unwrap();
    let old_writer = fleet
        .instances
        .iter()
        .find(|i| i.id == "analytics-warehouse-instance-1")
        .unwrap();
    assert_eq!(writer.class, old_writer.class);
    assert_eq!(writer.publicly_accessible, old_writer.publicly_accessible);
    assert!(!writer.publicly_accessible);
    assert_eq!(writer.status, "available");
}
