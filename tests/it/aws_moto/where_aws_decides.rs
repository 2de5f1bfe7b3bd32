//! Fixes sent where AWS takes them: log exports per engine, and Aurora's
//! minor-upgrade setting on the cluster and each member. Checked by the
//! exact parameters the audit log recorded (what AWS would receive) and by
//! reading moto back.

use rdsight::config::RuleConfig;
use rdsight::remediation::audit::AuditLog;
use rdsight::rules::{self, RuleId};
use serde_json::Value;
use std::sync::Arc;

use crate::support::fixer::{Fixer, calls, now};
use crate::support::moto::{self, Moto};
use crate::support::seed::{US, seed, source};

/// The `parameters` of every audit line recording `api` as sent.
fn sent_parameters(path: &std::path::Path, api: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["api"] == api && l["phase"] == "started")
        .map(|l| l["parameters"].clone())
        .collect()
}

#[tokio::test]
async fn log_exports_are_enabled_per_engine_with_the_missing_types_only() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let audit_path = moto::scratch_path("logs-audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig::default(),
    };
    // orders-db (postgres) exports nothing: both PostgreSQL types are due.
    let (plan, fleet) = fixer.fix(RuleId::LogsNotExported, "orders-db", now()).await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBInstance"]);
    let sent = sent_parameters(&audit_path, "rds:ModifyDBInstance");
    // The audit log shows values as the dialog does: JSON as its text.
    assert_eq!(
        sent.last()
            .and_then(|p| p["CloudwatchLogsExportConfiguration"].as_str()),
        Some(r#"{"EnableLogTypes":["postgresql","upgrade"]}"#),
        "{sent:?}"
    );
    let script = plan.steps[0].step.cli();
    assert!(
        script.contains(r#"--cloudwatch-logs-export-configuration '{"EnableLogTypes":["postgresql","upgrade"]}'"#),
        "{script}"
    );
    let orders = fleet.instance(US, "orders-db").unwrap();
    assert!(
        ["postgresql", "upgrade"]
            .iter()
            .all(|t| orders.cloudwatch_logs_exports.contains(&t.to_string())
                || orders.pending_changes.iter().any(|p| p.contains(t))),
        "{orders:?}"
    );
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    assert!(
        !findings
            .iter()
            .any(|f| f.rule == RuleId::LogsNotExported && f.resource_id == "orders-db"),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn an_aurora_member_holding_upgrades_back_is_fixed_on_that_member() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let rds = moto.rds(US).await;
    rds.modify_db_instance()
        .db_instance_identifier("ledger-1")
        .auto_minor_version_upgrade(false)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    let audit_path = moto::scratch_path("aurora-audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig::default(),
    };
    let before = rules::evaluate(&fixer.fleet().await, &RuleConfig::default());
    let on = |id: &str| {
        before
            .iter()
            .any(|f| f.rule == RuleId::AutoMinorUpgradeOff && f.resource_id == id)
    };
    assert!(on("ledger-1"), "the member is reported: {before:#?}");
    assert!(on("ledger"), "and the cluster it holds back: {before:#?}");

    let (plan, fleet) = fixer
        .fix(RuleId::AutoMinorUpgradeOff, "ledger", now())
        .await;
    assert!(calls(&plan).contains(&"rds:ModifyDBInstance"), "{plan:#?}");
    let sent = sent_parameters(&audit_path, "rds:ModifyDBInstance");
    assert!(
        sent.iter()
            .any(|p| p["DBInstanceIdentifier"] == "ledger-1"
                && p["AutoMinorVersionUpgrade"] == "true"),
        "{sent:?}"
    );
    assert!(
        fleet
            .instance(US, "ledger-1")
            .unwrap()
            .auto_minor_version_upgrade
    );
    let after = rules::evaluate(&fleet, &RuleConfig::default());
    assert!(
        !after.iter().any(|f| f.rule == RuleId::AutoMinorUpgradeOff
            && (f.resource_id == "ledger" || f.resource_id == "ledger-1")),
        "{after:#?}"
    );
}
