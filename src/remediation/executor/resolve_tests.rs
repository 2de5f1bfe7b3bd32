//! The executor's answers to calls that get no clear answer, throttling
//! and quitting, against a scripted source over an in-memory fleet.

use futures::future::BoxFuture;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::model::{Fleet, Instance, ResourceRef};
use crate::remediation::audit::AuditLog;
use crate::remediation::executor::{Progress, run_plan, run_plan_until};
use crate::remediation::fixes::instance_encryption::CreateDBSnapshot;
use crate::remediation::fixes::settings::ModifyDBInstance;
use crate::remediation::flight::PlanControl;
use crate::remediation::{Plan, PlannedStep, Setting, Step};
use crate::source::{
    FleetSource, Mutation, Pacing, SourceError, SourceInfo, SourceKind, StepOutcome,
};

const REGION: &str = "us-east-1";

/// What the scripted source does with the next call it is sent.
#[derive(Debug, Clone, Copy)]
enum Script {
    /// Carry it out and answer.
    Answer,
    /// Carry it out, then lose the answer (the connection drops).
    LandThenDrop,
    /// Lose it before AWS sees it.
    DropUnseen,
    /// Refuse it for the rate, without carrying it out.
    Throttle,
}

struct Scripted {
    fleet: Mutex<Fleet>,
    script: Mutex<VecDeque<Script>>,
    sent: AtomicUsize,
    /// Set `stop` while the n-th call is in flight (rdsight quitting).
    stop_during: Option<(usize, Arc<PlanControl>)>,
}

impl Scripted {
    fn new(script: &[Script]) -> Self {
        let instance = Instance {
            id: "db1".into(),
            region: REGION.into(),
            status: "available".into(),
            ..Instance::default()
        };
        Self {
            fleet: Mutex::new(Fleet {
                account: "123456789012".into(),
                regions: vec![REGION.into()],
                instances: vec![instance],
                ..Fleet::default()
            }),
            script: Mutex::new(script.iter().copied().collect()),
            sent: AtomicUsize::new(0),
            stop_during: None,
        }
    }

    fn snapshots(&self) -> usize {
        self.fleet.lock().expect("fleet").snapshots.len()
    }
}

impl FleetSource for Scripted {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Demo,
            label: "scripted".into(),
            account: Some("123456789012".into()),
            read_only: None,
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async { Ok(self.fleet.lock().expect("fleet").clone()) })
    }

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async move {
            let n = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
            if let Some((at, control)) = &self.stop_during
                && *at == n
            {
                control.stop.store(true, Ordering::SeqCst);
            }
            let next = self.script.lock().expect("script").pop_front();
            let lost = SourceError::Unanswered {
                call: step.api().into(),
                message: "cannot reach AWS at http://x: connection reset".into(),
                code: None,
                request_id: None,
            };
            match next.unwrap_or(Script::Answer) {
                Script::DropUnseen => Err(lost),
                Script::Throttle => Err(SourceError::Call {
                    call: step.api().into(),
                    message: "Throttling: Rate exceeded".into(),
                    code: Some("Throttling".into()),
                    request_id: Some("req-throttled".into()),
                }),
                answer => {
                    let mut fleet = self.fleet.lock().expect("fleet");
                    let change = step.apply_demo(&mut fleet)?;
                    match answer {
                        Script::LandThenDrop => Err(lost),
                        _ => Ok(change.outcome),
                    }
                }
            }
        })
    }

    /// Everything settles at once.
    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let mut fragment = self.fleet.lock().expect("fleet").fragment(resource);
            if let Some(status) = fragment.status_mut(resource) {
                *status = "available".into();
            }
            for i in &mut fragment.instances {
                i.pending_changes.clear();
            }
            Ok(fragment)
        })
    }

    fn pacing(&self) -> Pacing {
        Pacing {
            poll: Duration::from_millis(1),
            timeout: Duration::from_secs(5),
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rdsight-resolve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("audit.jsonl")
}

fn phases(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|l| l["phase"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn snapshot_step(id: &str) -> Step {
    Step::from(CreateDBSnapshot {
        region: REGION.into(),
        instance_id: "db1".into(),
        snapshot_id: id.into(),
    })
}

fn plan(steps: Vec<Step>) -> Plan {
    Plan {
        findings: Vec::new(),
        steps: steps
            .into_iter()
            .map(|s| PlannedStep::new(s, "test"))
            .collect(),
        caveats: Vec::new(),
        choices: Vec::new(),
    }
}

/// Run `steps`; whether the plan finished ok.
async fn run(source: &Arc<Scripted>, path: &Path, steps: Vec<Step>) -> bool {
    let ok = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&ok);
    let pacing = source.pacing();
    let dynamic: Arc<dyn FleetSource> = source.clone();
    run_plan(dynamic, AuditLog::new(path), plan(steps), pacing, |p| {
        if let Progress::Finished { ok } = p {
            *seen.lock().expect("ok") = Some(ok);
        }
    })
    .await;
    let finished = *ok.lock().expect("ok");
    finished.unwrap_or(false)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_create_that_landed_before_its_answer_was_lost_counts_once_as_done() {
    let path = scratch("landed");
    let source = Arc::new(Scripted::new(&[Script::LandThenDrop]));
    assert!(run(&source, &path, vec![snapshot_step("s1")]).await);
    assert_eq!(source.sent.load(Ordering::SeqCst), 1, "not sent again");
    assert_eq!(source.snapshots(), 1);
    assert_eq!(
        phases(&path),
        strs(&["started", "outcome-unknown", "read-back", "succeeded"])
    );
    let lines = lines(&path);
    assert!(
        lines[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("connection reset"))
    );
    assert!(
        lines[2]["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("took effect"))
    );
    assert!(
        lines[3]["outcome"]
            .as_str()
            .is_some_and(|o| o.starts_with("verified by read-back"))
    );
}

#[tokio::test]
async fn a_create_the_read_back_shows_missing_is_sent_once_more() {
    let path = scratch("resend");
    let source = Arc::new(Scripted::new(&[Script::DropUnseen, Script::Answer]));
    assert!(run(&source, &path, vec![snapshot_step("s1")]).await);
    assert_eq!(source.sent.load(Ordering::SeqCst), 2);
    assert_eq!(source.snapshots(), 1);
    assert_eq!(
        phases(&path),
        strs(&[
            "started",
            "outcome-unknown",
            "read-back",
            "started",
            "succeeded"
        ])
    );
    assert!(
        lines(&path)[2]["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("did not take effect"))
    );
}

#[tokio::test]
async fn a_second_lost_answer_stops_the_plan_and_lists_what_was_not_sent() {
    let path = scratch("twice");
    let source = Arc::new(Scripted::new(&[Script::DropUnseen, Script::DropUnseen]));
    let steps = vec![snapshot_step("s1"), snapshot_step("s2")];
    assert!(!run(&source, &path, steps).await);
    assert_eq!(source.sent.load(Ordering::SeqCst), 2, "resent once only");
    let all = lines(&path);
    assert_eq!(
        phases(&path),
        strs(&[
            "started",
            "outcome-unknown",
            "read-back",
            "started",
            "outcome-unknown",
            "read-back",
            "plan-stopped"
        ])
    );
    let not_sent = all[6]["not_sent"].as_array().cloned().unwrap_or_default();
    assert_eq!(not_sent.len(), 1);
    assert!(not_sent[0].as_str().is_some_and(|c| c.contains("s2")));
}

#[tokio::test]
async fn a_modify_the_read_back_cannot_judge_is_resent_because_it_is_idempotent() {
    let path = scratch("modify");
    let source = Arc::new(Scripted::new(&[Script::DropUnseen, Script::Answer]));
    let step = Step::from(ModifyDBInstance {
        region: REGION.into(),
        instance_id: "db1".into(),
        setting: Setting::DeletionProtection(true),
        apply_immediately: true,
        from_no_backups: false,
    });
    assert!(run(&source, &path, vec![step]).await);
    assert_eq!(
        phases(&path),
        strs(&[
            "started",
            "outcome-unknown",
            "read-back",
            "started",
            "succeeded"
        ])
    );
    assert!(
        lines(&path)[2]["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("cannot tell"))
    );
}

#[tokio::test]
async fn a_throttled_call_is_sent_again_each_attempt_audited() {
    let path = scratch("throttle");
    let source = Arc::new(Scripted::new(&[Script::Throttle, Script::Answer]));
    assert!(run(&source, &path, vec![snapshot_step("s1")]).await);
    assert_eq!(
        phases(&path),
        strs(&["started", "failed", "started", "succeeded"])
    );
    assert_eq!(lines(&path)[1]["error_code"], "Throttling");
    assert_eq!(source.snapshots(), 1);
}

#[tokio::test]
async fn quitting_during_a_lost_call_verifies_it_but_sends_nothing_more() {
    let path = scratch("quit");
    let control = Arc::new(PlanControl::default());
    let mut scripted = Scripted::new(&[Script::DropUnseen]);
    scripted.stop_during = Some((1, Arc::clone(&control)));
    let source: Arc<dyn FleetSource> = Arc::new(scripted);
    let steps = vec![snapshot_step("s1"), snapshot_step("s2")];
    let pacing = source.pacing();
    run_plan_until(
        Arc::clone(&source),
        AuditLog::new(&path),
        plan(steps),
        pacing,
        &control,
        |_| {},
    )
    .await;
    assert_eq!(
        phases(&path),
        strs(&["started", "outcome-unknown", "read-back", "plan-stopped"])
    );
    let stopped = &lines(&path)[3];
    assert!(
        stopped["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("step 1 of 2 stopped: "))
    );
    // The lost call was sent (and verified not to have landed); the next
    // one never was.
    assert_eq!(stopped["not_sent"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_forced_exit_records_every_call_in_flight_as_outcome_unknown() {
    let path = scratch("abandon");
    let audit = AuditLog::new(&path);
    let control = PlanControl::default();
    let origin = crate::remediation::audit::Origin {
        source: "test".into(),
        account: None,
    };
    let step = snapshot_step("s1");
    let answered = control.enter(&origin, &audit, &snapshot_step("s0"));
    drop(answered);
    let _in_flight = control.enter(&origin, &audit, &step);
    assert_eq!(control.waiting().len(), 1);
    control.abandon("forced");
    let all = lines(&path);
    assert_eq!(all.len(), 1, "only the call still in flight: {all:?}");
    assert_eq!(all[0]["phase"], "outcome-unknown");
    assert_eq!(all[0]["resource"]["id"], "s1");
    assert!(
        all[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("forced"))
    );
    assert!(control.waiting().is_empty());
}
