//! Runs a confirmed plan step by step against a source: audit, send, wait
//! for the resource to settle, re-read it. Reports progress as events so
//! the UI never waits on it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::audit::{AuditLog, Ending, Origin};
use super::plan::Plan;
use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::source::FleetSource;

/// Progress of one plan, sent as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    StepStarted {
        step: usize,
    },
    StepWaiting {
        step: usize,
        status: String,
    },
    StepDone {
        step: usize,
        message: String,
    },
    StepFailed {
        step: usize,
        error: String,
    },
    /// Fresh copies of every resource the plan touched, to merge and re-judge.
    Refreshed {
        resource: ResourceRef,
        fragment: Fleet,
    },
    Finished {
        ok: bool,
    },
}

/// Timing of the wait-for-settle loop; the demo source settles in seconds,
/// AWS in minutes.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub poll: Duration,
    pub timeout: Duration,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(300),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

fn is_settled(status: Option<&str>, deleting: bool) -> bool {
    match status {
        None => deleting,
        Some(s) => !deleting && matches!(s, "available" | "stopped" | "incompatible-parameters"),
    }
}

/// Run `plan`, calling `report` with each progress event. Stops at the first
/// failed step. The audit log gets a line before and after every call.
pub async fn run_plan(
    source: Arc<dyn FleetSource>,
    audit: AuditLog,
    plan: Plan,
    pacing: Pacing,
    report: impl Fn(Progress),
) {
    run_plan_until(source, audit, plan, pacing, &AtomicBool::new(false), report).await
}

/// As [`run_plan`], but stops early once `stop` is set (rdsight quitting):
/// never inside a call — a call in flight returns and gets its audit line —
/// and never starting another step.
pub async fn run_plan_until(
    source: Arc<dyn FleetSource>,
    audit: AuditLog,
    plan: Plan,
    pacing: Pacing,
    stop: &AtomicBool,
    report: impl Fn(Progress),
) {
    let origin = Origin::from(&source.info());
    let mut touched: Vec<ResourceRef> = Vec::new();
    // The step that failed, why, and whether it was sent; the steps after
    // it never are.
    let mut failure: Option<(usize, String, bool)> = None;
    for (index, planned) in plan.steps.iter().enumerate() {
        let step = &planned.step;
        if stop.load(Ordering::SeqCst) {
            failure = Some((
                index,
                "not sent: rdsight quit before this step".into(),
                false,
            ));
            break;
        }
        report(Progress::StepStarted { step: index });
        if let Err(e) = audit.before(&origin, step) {
            failure = Some((
                index,
                format!(
                    "not sent: cannot write the audit log {}: {e}",
                    audit.path().display()
                ),
                false,
            ));
            break;
        }
        let result = source.apply(step).await;
        let logged = match &result {
            Ok(outcome) => audit.after(&origin, step, Ending::Succeeded(outcome)),
            Err(e) => audit.after(&origin, step, Ending::Failed(e)),
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(e) => {
                // A call that was sent and failed may still have changed
                // something: re-read its target with the rest.
                touched.push(step.target());
                failure = Some((index, e.to_string(), true));
                break;
            }
        };
        let target = step.target();
        if !touched.contains(&target) {
            touched.push(target.clone());
        }
        // Show the transitional state (modifying, creating) at once.
        if let Ok(fragment) = source.refresh(&target).await {
            report(Progress::Refreshed {
                resource: target.clone(),
                fragment,
            });
        }
        let settle = Settle {
            deleting: step.deletes_target(),
            // A change held for the window stays pending by design.
            not_pending: step.pending_name().filter(|_| !outcome.pending_window),
        };
        let waited = wait_until_settled(&*source, &target, settle, pacing, stop, |status| {
            report(Progress::StepWaiting {
                step: index,
                status,
            })
        })
        .await;
        let settled = match waited {
            Ok(status) => status,
            Err(e) => {
                failure = Some((index, e, true));
                break;
            }
        };
        let mut message = outcome.message;
        // Security groups have no status worth repeating.
        if !outcome.pending_window && target.kind != ResourceType::SecurityGroup {
            message.push_str(&format!(" → {settled}"));
        }
        if let Err(e) = logged {
            message.push_str(&format!(" (audit log write failed: {e})"));
        }
        report(Progress::StepDone {
            step: index,
            message,
        });
    }
    if let Some((index, error, sent)) = &failure {
        report(Progress::StepFailed {
            step: *index,
            error: error.clone(),
        });
        let first_unsent = if *sent { index + 1 } else { *index };
        let not_sent: Vec<&crate::remediation::Step> =
            plan.steps[first_unsent..].iter().map(|s| &s.step).collect();
        let reason = format!("step {} of {} failed: {error}", index + 1, plan.steps.len());
        // Best effort: the failed call's own lines are already written.
        let _ = audit.stopped(&origin, &reason, &not_sent);
    }
    let ok = failure.is_none();
    // Re-read what the plan was about, too: a finding's resource may differ
    // from the step target (a revoked group guards an instance).
    for finding in &plan.findings {
        let resource = finding.resource_ref();
        if !touched.contains(&resource) {
            touched.push(resource);
        }
    }
    for resource in touched {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(fragment) = source.refresh(&resource).await {
            report(Progress::Refreshed { resource, fragment });
        }
    }
    report(Progress::Finished { ok });
}

/// What "settled" means for one step's target.
#[derive(Debug, Clone, Copy)]
struct Settle<'a> {
    /// The step deletes the target: settled means gone.
    deleting: bool,
    /// The change must no longer be pending under this name: right after
    /// a Modify call AWS can still say `available` with the change queued.
    not_pending: Option<&'a str>,
}

async fn wait_until_settled(
    source: &dyn FleetSource,
    target: &ResourceRef,
    settle: Settle<'_>,
    pacing: Pacing,
    stop: &AtomicBool,
    on_status: impl Fn(String),
) -> Result<String, String> {
    let started = tokio::time::Instant::now();
    let mut last: Option<String> = None;
    loop {
        if stop.load(Ordering::SeqCst) {
            return Err("sent, but not waited for: rdsight quit".into());
        }
        let fragment = source.refresh(target).await.map_err(|e| e.to_string())?;
        let mut status = fragment.status_of(target).map(str::to_string);
        let queued = settle.not_pending.and_then(|name| {
            fragment
                .pending_changes_of(target)
                .iter()
                .find(|p| p.split('=').next() == Some(name))
                .cloned()
        });
        if queued.is_none() && is_settled(status.as_deref(), settle.deleting) {
            return Ok(status.unwrap_or_else(|| "deleted".into()));
        }
        if let (Some(change), Some(s)) = (&queued, &mut status) {
            s.push_str(&format!(" (pending {change})"));
        }
        if status != last {
            on_status(status.clone().unwrap_or_else(|| "not visible yet".into()));
            last = status;
        }
        if started.elapsed() > pacing.timeout {
            return Err(format!(
                "{target} did not settle within {}s (last status: {})",
                pacing.timeout.as_secs(),
                last.as_deref().unwrap_or("unknown")
            ));
        }
        tokio::time::sleep(pacing.poll).await;
    }
}
