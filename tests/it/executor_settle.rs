//! The executor waits until a change is really applied: right after a
//! Modify call AWS can report `available` with the change still queued in
//! PendingModifiedValues.

use futures::future::BoxFuture;
use rdsight::model::{Fleet, Instance, ResourceRef};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::{Progress, run_plan};
use rdsight::remediation::fixes::settings::ModifyDBInstance;
use rdsight::remediation::{Plan, PlannedStep, Setting};
use rdsight::source::Pacing;
use rdsight::source::{FleetSource, SourceError, SourceInfo};
use rdsight::source::{Mutation, StepOutcome};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Reports the MultiAZ change as pending for the first `queued_reads`
/// refreshes, then applied.
struct QueuedThenApplied {
    queued_reads: usize,
    reads: AtomicUsize,
}

impl QueuedThenApplied {
    fn instance(&self, applied: bool) -> Instance {
        Instance {
            id: "orders-db".into(),
            region: "us-east-1".into(),
            status: "available".into(),
            multi_az: applied,
            pending_changes: if applied {
                Vec::new()
            } else {
                vec!["MultiAZ=true".into()]
            },
            ..Instance::default()
        }
    }
}

impl FleetSource for QueuedThenApplied {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: rdsight::source::SourceKind::Demo,
            label: "test".into(),
            account: None,
            read_only: None,
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async { Ok(Fleet::default()) })
    }

    fn apply<'a>(
        &'a self,
        _step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async { Ok(StepOutcome::default()) })
    }

    fn refresh<'a>(
        &'a self,
        _resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let read = self.reads.fetch_add(1, Ordering::SeqCst);
            Ok(Fleet {
                instances: vec![self.instance(read >= self.queued_reads)],
                ..Fleet::default()
            })
        })
    }
}

fn add_standby(id: &str) -> PlannedStep {
    let step = ModifyDBInstance {
        region: "us-east-1".into(),
        instance_id: id.into(),
        setting: Setting::MultiAZ(true),
        apply_immediately: true,
        from_no_backups: false,
    };
    PlannedStep::new(step, "add a standby")
}

#[tokio::test]
async fn a_modify_is_done_only_when_the_change_is_no_longer_pending() {
    let source = std::sync::Arc::new(QueuedThenApplied {
        queued_reads: 3,
        reads: AtomicUsize::new(0),
    });
    let plan = Plan {
        findings: Vec::new(),
        steps: vec![add_standby("orders-db")],
        caveats: Vec::new(),
        choices: Vec::new(),
    };
    let audit_path =
        std::env::temp_dir().join(format!("rdsight-settle-{}.jsonl", std::process::id()));
    let events = Mutex::new(Vec::new());
    let pacing = Pacing {
        poll: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
    };
    run_plan(
        source.clone(),
        AuditLog::new(&audit_path),
        plan,
        pacing,
        |p| events.lock().unwrap().push(p),
    )
    .await;
    let _ = std::fs::remove_file(&audit_path);
    let events = events.into_inner().unwrap();

    let waiting: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            Progress::StepWaiting { status, .. } => Some(status),
            _ => None,
        })
        .collect();
    assert_eq!(waiting, vec!["available (pending MultiAZ=true)"]);
    assert!(
        source.reads.load(Ordering::SeqCst) > 3,
        "finished before the change left PendingModifiedValues"
    );
    assert!(events.contains(&Progress::Finished { ok: true }));
}

#[tokio::test]
async fn stopping_lets_the_call_in_flight_finish_and_starts_nothing_more() {
    use rdsight::remediation::executor::run_plan_until;
    use rdsight::remediation::flight::PlanControl;

    let source = std::sync::Arc::new(QueuedThenApplied {
        queued_reads: 1000,
        reads: AtomicUsize::new(0),
    });
    let plan = Plan {
        findings: Vec::new(),
        steps: vec![add_standby("orders-db"), add_standby("billing-db")],
        caveats: Vec::new(),
        choices: Vec::new(),
    };
    let audit_path =
        std::env::temp_dir().join(format!("rdsight-stop-{}.jsonl", std::process::id()));
    let control = PlanControl::default();
    let events = Mutex::new(Vec::new());
    let pacing = Pacing {
        poll: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
    };
    run_plan_until(
        source,
        AuditLog::new(&audit_path),
        plan,
        pacing,
        &control,
        |p| {
            // Quit while the first step waits for its change.
            if matches!(p, Progress::StepWaiting { .. }) {
                control.stop.store(true, Ordering::SeqCst);
            }
            events.lock().unwrap().push(p);
        },
    )
    .await;
    let audit = std::fs::read_to_string(&audit_path).unwrap();
    let _ = std::fs::remove_file(&audit_path);
    let events = events.into_inner().unwrap();

    // The first call was sent and fully audited; the second never started,
    // and the log says so.
    let lines: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let phases: Vec<&str> = lines.iter().map(|v| v["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["started", "succeeded", "plan-stopped"]);
    assert!(
        lines[..2]
            .iter()
            .all(|l| l["resource"]["id"] == "orders-db")
    );
    let not_sent = lines[2]["not_sent"].as_array().unwrap();
    assert_eq!(not_sent.len(), 1);
    assert!(not_sent[0].as_str().unwrap().contains("billing-db"));
    assert!(events.contains(&Progress::StepFailed {
        step: 0,
        error: "sent, but not waited for: rdsight quit".into()
    }));
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Progress::StepStarted { step: 1 }))
    );
    assert!(events.contains(&Progress::Finished { ok: false }));
}
