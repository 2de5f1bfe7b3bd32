//! End to end: the executor against the demo source, then the model.

use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::Progress;
use rdsight::rules::RuleId;
use rdsight::source::FleetSource;
use rdsight::source::demo::DemoSource;
use rdsight::tui::app::{Msg, StepState};
use std::sync::Arc;
use std::time::Duration;

use crate::support::app_helpers::*;
use crate::support::fixer::{audit_lines, run_demo};
use crate::support::tui::{app_on, press};

// ----- end to end: the executor against the demo source --------------------------

fn audit_in_temp(name: &str) -> (std::path::PathBuf, AuditLog) {
    let dir =
        std::env::temp_dir().join(format!("rdsight-app-update-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.jsonl");
    (dir, AuditLog::new(&path))
}

#[tokio::test]
async fn confirmed_plan_runs_fixes_the_finding_and_is_audited() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("public");

    open_plan_for(&mut app, "snapshot-public");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(&mut app, "y"));

    let progress = run_demo(&source, &audit, plan.clone()).await;
    assert_eq!(progress.first(), Some(&Progress::StepStarted { step: 0 }));
    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    for p in progress {
        assert!(app.update(Msg::Plan { id, progress: p }).is_empty());
    }

    assert!(
        !app.findings
            .iter()
            .any(|f| f.rule == finding.rule && f.resource_ref() == finding.resource_ref()),
        "the public-snapshot finding is gone"
    );
    let activity = &app.activities[0];
    assert_eq!(activity.finished, Some(true));
    assert!(
        matches!(&activity.steps[..], [StepState::Done(_)]),
        "{:?}",
        activity.steps
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("1 finding(s) resolved"), "{flash}");
    // The snapshot itself is still there, no longer shared.
    let snapshot = app
        .fleet
        .snapshots
        .iter()
        .find(|s| s.id == finding.resource_id)
        .unwrap();
    assert!(!snapshot.is_public());

    let lines = audit_lines(audit.path());
    let api = "rds:ModifyDBClusterSnapshotAttribute";
    let phases: Vec<&str> = lines
        .iter()
        .filter(|l| l["api"] == api)
        .map(|l| l["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, vec!["started", "succeeded"], "{lines:#?}");
    assert_eq!(
        lines[0]["parameters"]["DBClusterSnapshotIdentifier"],
        finding.resource_id.as_str()
    );
    assert_eq!(lines[0]["parameters"]["ValuesToRemove"], r#"["all"]"#);
    assert_eq!(lines[0]["source"], "demo");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_outage_applied_now_waits_for_the_instance_and_resolves() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(30)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("backups");

    open_plan_for(&mut app, "backups-disabled");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(
        &mut app,
        &format!("a y {} <Enter>", finding.resource_id),
    ));

    let progress = run_demo(&source, &audit, plan).await;
    assert!(
        progress
            .iter()
            .any(|p| matches!(p, Progress::StepWaiting { status, .. } if status == "modifying")),
        "{progress:?}"
    );
    for p in progress {
        app.update(Msg::Plan { id, progress: p });
        // While it runs, the instance shows its transitional status.
    }
    let instance = app
        .fleet
        .instance(&finding.region, &finding.resource_id)
        .unwrap();
    assert_eq!(instance.status, "available");
    assert_eq!(instance.backup_retention_days, 7);
    assert!(
        !app.findings.iter().any(
            |f| f.rule == RuleId::BackupsDisabled && f.resource_ref() == finding.resource_ref()
        )
    );
    assert_eq!(app.activities[0].finished, Some(true));

    let phases: Vec<String> = audit_lines(audit.path())
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l["api"].as_str().unwrap(),
                l["phase"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        phases,
        vec![
            "rds:ModifyDBInstance started",
            "rds:ModifyDBInstance succeeded"
        ]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn held_for_the_window_the_finding_stays_and_the_flash_says_why() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("window");

    open_plan_for(&mut app, "backups-disabled");
    let finding = plan_dialog(&app).findings[0].clone();
    // Default: held for the maintenance window.
    let (id, plan) = only_run_plan(press(
        &mut app,
        &format!("y {} <Enter>", finding.resource_id),
    ));
    for p in run_demo(&source, &audit, plan).await {
        app.update(Msg::Plan { id, progress: p });
    }
    assert_eq!(app.activities[0].finished, Some(true));
    assert!(
        app.findings.iter().any(
            |f| f.rule == RuleId::BackupsDisabled && f.resource_ref() == finding.resource_ref()
        )
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("maintenance window"), "{flash}");
    let instance = app
        .fleet
        .instance(&finding.region, &finding.resource_id)
        .unwrap();
    assert_eq!(instance.pending_changes, vec!["BackupRetentionPeriod=7"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_encryption_plan_says_what_it_created_and_that_the_original_keeps_its_finding() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("created");

    open_plan_for(&mut app, "instance-unencrypted");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(&mut app, "y"));
    for p in run_demo(&source, &audit, plan).await {
        app.update(Msg::Plan { id, progress: p });
    }
    assert_eq!(app.activities[0].finished, Some(true));
    let copy = format!("{}-encrypted", finding.resource_id);
    let created = app.fleet.instance(&finding.region, &copy).unwrap();
    assert!(created.storage_encrypted);
    assert_eq!(created.status, "available");
    // The original is untouched and keeps its finding; the flash says why.
    assert!(app.findings.contains(&finding));
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains(&format!("created {copy}")), "{flash}");
    assert!(flash.contains("stays on the original"), "{flash}");
    let _ = std::fs::remove_dir_all(dir);
}
