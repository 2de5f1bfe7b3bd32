//! Nothing reaches a source without a confirmed plan: a wrapper source
//! counts every `apply`, the app is driven through opening, cancelling,
//! mistyping and refusing plans, and only what was confirmed is sent —
//! each call with its started/succeeded pair in the audit log.

use futures::future::BoxFuture;
use rdsight::model::{Fleet, ResourceRef};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::run_plan;
use rdsight::source::Pacing;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::source::{FleetSource, SourceError, SourceInfo};
use rdsight::source::{Mutation, StepOutcome};
use rdsight::tui::app::{App, Effect};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::app_helpers::{SIZE, open_plan_for};
use crate::support::tui::{app_on, press};

/// The demo source, remembering every step sent to it (as its CLI line:
/// what exactly was sent).
struct Counting {
    inner: DemoSource,
    applied: Mutex<Vec<String>>,
}

impl FleetSource for Counting {
    fn info(&self) -> SourceInfo {
        self.inner.info()
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        self.inner.load()
    }

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        self.applied.lock().unwrap().push(step.cli());
        self.inner.apply(step)
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        self.inner.refresh(resource)
    }
}

/// Carry out the effects as the runtime would: plans run to the end.
async fn run_effects(
    source: &Arc<Counting>,
    audit: &AuditLog,
    effects: Vec<Effect>,
) -> Vec<String> {
    let mut confirmed = Vec::new();
    for effect in effects {
        if let Effect::RunPlan { plan, .. } = effect {
            confirmed.extend(plan.steps.iter().map(|s| s.step.cli()));
            let pacing = Pacing {
                poll: Duration::from_millis(20),
                timeout: Duration::from_secs(20),
            };
            let source: Arc<dyn FleetSource> = source.clone();
            run_plan(source, audit.clone(), plan, pacing, |_| {}).await;
        }
    }
    confirmed
}

#[tokio::test]
async fn only_confirmed_plans_reach_the_source() {
    let source = Arc::new(Counting {
        inner: DemoSource::new(false).unwrap(),
        applied: Mutex::new(Vec::new()),
    });
    let audit_path =
        std::env::temp_dir().join(format!("rdsight-confirmed-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&audit_path);
    let audit = AuditLog::new(&audit_path);
    let mut app: App = app_on(&*source, demo_fleet().unwrap(), SIZE);
    let mut confirmed = Vec::new();

    // Opened and cancelled, with n and with Esc.
    for cancel in ["n", "<Esc>"] {
        open_plan_for(&mut app, "snapshot-public");
        confirmed.extend(run_effects(&source, &audit, press(&mut app, cancel)).await);
        press(&mut app, "<Esc>");
    }
    // An outage plan: y, a wrong id, then backing out.
    open_plan_for(&mut app, "backups-disabled");
    let keys = "y not-the-id <Enter> <Esc> <Esc>";
    confirmed.extend(run_effects(&source, &audit, press(&mut app, keys)).await);
    press(&mut app, "<Esc>");
    // A finding without an automatic plan: f, then y for good measure.
    let keys = "/rule:default-admin <Enter> 4 f y <Esc>";
    confirmed.extend(run_effects(&source, &audit, press(&mut app, keys)).await);
    assert!(confirmed.is_empty());
    assert!(source.applied.lock().unwrap().is_empty());

    // Confirmed: exactly its step is sent, audited before and after.
    open_plan_for(&mut app, "snapshot-public");
    confirmed.extend(run_effects(&source, &audit, press(&mut app, "y")).await);
    assert_eq!(confirmed.len(), 1);
    assert_eq!(*source.applied.lock().unwrap(), confirmed);
    let phases: Vec<String> = std::fs::read_to_string(&audit_path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{} {}",
                v["phase"].as_str().unwrap(),
                v["api"].as_str().unwrap()
            )
        })
        .collect();
    let _ = std::fs::remove_file(&audit_path);
    let api = match confirmed[0].split(' ').nth(2) {
        Some("modify-db-snapshot-attribute") => "rds:ModifyDBSnapshotAttribute",
        Some("modify-db-cluster-snapshot-attribute") => "rds:ModifyDBClusterSnapshotAttribute",
        other => panic!("not a sharing call: {other:?}"),
    };
    assert_eq!(
        phases,
        [format!("started {api}"), format!("succeeded {api}")]
    );
}
