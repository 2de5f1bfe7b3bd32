//! The TLS, certificate and password fixes on the demo source: each plan
//! runs, the finding goes, and the audit log carries the undo the
//! parameter change allows.

use rdsight::config::RuleConfig;
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::Progress;
use rdsight::remediation::{Plan, PlanOptions};
use rdsight::rules::{self, RuleId, plan_for};
use rdsight::source::FleetSource;
use rdsight::source::demo::{DemoSource, demo_fleet};
use std::sync::Arc;
use std::time::Duration;

use crate::support::fixer::{audit_lines, calls, demo_plan, run_demo};
use crate::support::moto::scratch_path;

fn plan(rule: RuleId, resource: &str, options: PlanOptions) -> Plan {
    demo_plan(rule, resource, options)
}

/// Run `plan` on a fresh demo, which must finish it; whether `rule` still
/// fires on `resource` afterwards, and the audit lines.
async fn still_fires(rule: RuleId, resource: &str, plan: Plan) -> (bool, Vec<serde_json::Value>) {
    let demo = DemoSource::from_fleet(demo_fleet().unwrap(), false)
        .with_transition(Duration::from_millis(20));
    let source: Arc<dyn FleetSource> = Arc::new(demo);
    let path = scratch_path(&format!("demo-{rule}-audit.jsonl"));
    let audit = AuditLog::new(&path);
    let events = run_demo(&source, &audit, plan).await;
    assert!(
        matches!(events.last(), Some(Progress::Finished { ok: true })),
        "{events:#?}"
    );
    let fleet = source.load().await.unwrap();
    let fires = rules::evaluate(&fleet, &RuleConfig::default())
        .iter()
        .any(|f| f.rule == rule && f.resource_id == resource);
    (fires, audit_lines(&path))
}

#[tokio::test]
async fn requiring_tls_in_a_custom_group_clears_the_finding_and_keeps_the_undo() {
    let plan = plan(
        RuleId::TlsNotEnforced,
        "internal-tools-postgres",
        PlanOptions::default(),
    );
    assert_eq!(calls(&plan), vec!["rds:ModifyDBParameterGroup"]);
    assert!(plan.impact().needs_typed_confirmation());
    assert!(
        plan.caveats
            .iter()
            .any(|c| c.to_string().contains("refused")),
        "{:?}",
        plan.caveats
    );
    let (fires, audit) = still_fires(RuleId::TlsNotEnforced, "internal-tools-postgres", plan).await;
    assert!(!fires);
    let started = &audit[0];
    assert_eq!(started["undo"]["call"], "ModifyDBParameterGroup");
    assert_eq!(started["undo"]["value"], "0");
}

#[tokio::test]
async fn an_aurora_cluster_group_is_changed_at_the_cluster() {
    let plan = plan(
        RuleId::TlsNotEnforced,
        "analytics-warehouse",
        PlanOptions::default(),
    );
    assert_eq!(calls(&plan), vec!["rds:ModifyDBClusterParameterGroup"]);
    let (fires, _) = still_fires(RuleId::TlsNotEnforced, "analytics-warehouse", plan).await;
    assert!(!fires);
}

#[test]
fn a_default_group_gets_advice_not_a_plan() {
    let fleet = demo_fleet().unwrap();
    let config = RuleConfig::default();
    let finding = rules::evaluate(&fleet, &config)
        .into_iter()
        .find(|f| f.rule == RuleId::TlsNotEnforced && f.resource_id == "marketing-cms-mysql")
        .unwrap();
    let refused = plan_for(&fleet, &config, &finding, PlanOptions::default()).unwrap_err();
    let advice = refused.to_string();
    assert!(
        advice.contains("default.mysql8.0 is a default group"),
        "{advice}"
    );
}

#[tokio::test]
async fn the_retired_ca_is_replaced_now_or_in_the_window() {
    let now = PlanOptions {
        apply_immediately: true,
        ..PlanOptions::default()
    };
    let plan = plan(RuleId::CaCertificateExpiring, "legacy-crm-sqlserver", now);
    assert_eq!(calls(&plan), vec!["rds:ModifyDBInstance"]);
    assert!(plan.has_window_choice());
    let cli = plan.steps[0].step.cli();
    assert!(
        cli.contains("--ca-certificate-identifier rds-ca-rsa2048-g1"),
        "{cli}"
    );
    assert!(!cli.contains("certificate-rotation-restart"), "{cli}");
    let (fires, audit) =
        still_fires(RuleId::CaCertificateExpiring, "legacy-crm-sqlserver", plan).await;
    assert!(!fires);
    assert!(audit[0]["undo"].is_null(), "the retired CA is no way back");
}

#[tokio::test]
async fn the_master_password_goes_to_secrets_manager() {
    let plan = plan(
        RuleId::PasswordNotManaged,
        "orders-staging",
        PlanOptions::default(),
    );
    assert_eq!(calls(&plan), vec!["rds:ModifyDBCluster"]);
    let cli = plan.steps[0].step.cli();
    assert!(
        cli.contains("--manage-master-user-password --apply-immediately"),
        "{cli}"
    );
    let (fires, _) = still_fires(RuleId::PasswordNotManaged, "orders-staging", plan).await;
    assert!(!fires);
}
