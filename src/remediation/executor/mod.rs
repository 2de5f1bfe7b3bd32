//! Runs a confirmed plan step by step against a source: audit, send, wait
//! for the resource to settle, re-read it. Reports progress as events so
//! the UI never waits on it.

use std::fmt;
use std::sync::Arc;

use crate::remediation::audit::{AuditLog, Ending, Origin};
use crate::remediation::flight::PlanControl;
use crate::remediation::plan::Plan;
mod resolve;

use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::remediation::{Step, Verify};
use crate::source::{FleetSource, Pacing, StepOutcome};
use resolve::Answered;
pub use resolve::READ_BACK_LIMIT;

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
        done: StepDone,
    },
    StepFailed {
        step: usize,
        error: String,
    },
    /// Fresh copies of every resource the plan touched, to merge and
    /// re-judge. (Boxed: a fleet is large beside the other events.)
    Refreshed {
        resource: ResourceRef,
        fragment: Box<Fleet>,
    },
    Finished {
        ok: bool,
    },
}

/// How one step ended: what AWS said, and what the re-read saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDone {
    pub outcome: StepOutcome,
    /// The target's status once settled; `None` when there is nothing to
    /// wait for (a change held for the window, a security group).
    pub settled: Option<String>,
    /// The audit log's "after" line could not be written.
    pub audit_error: Option<String>,
}

impl fmt::Display for StepDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.outcome)?;
        if let Some(status) = &self.settled {
            write!(f, " → {status}")?;
        }
        if let Some(e) = &self.audit_error {
            write!(f, " (audit log write failed: {e})")?;
        }
        Ok(())
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
    let control = PlanControl::default();
    run_plan_until(source, audit, plan, pacing, &control, report).await
}

/// Why a plan stopped: the step, the reason, and whether that step was sent.
pub(super) struct Failure {
    pub index: usize,
    pub error: String,
    pub sent: bool,
}

/// As [`run_plan`], but stops early once `control.stop` is set (rdsight
/// quitting): never inside a call — a call in flight returns and gets its
/// audit line — and never starting another step. Calls in flight are
/// listed in `control` while they are.
pub async fn run_plan_until(
    source: Arc<dyn FleetSource>,
    audit: AuditLog,
    plan: Plan,
    pacing: Pacing,
    control: &PlanControl,
    report: impl Fn(Progress),
) {
    let run = Run {
        source: &*source,
        audit: &audit,
        origin: Origin::from(&source.info()),
        pacing,
        control,
        report: &report,
    };
    let mut touched: Vec<ResourceRef> = Vec::new();
    let mut failure = None;
    for (index, planned) in plan.steps.iter().enumerate() {
        if let Err(f) = run.step(index, &planned.step, &mut touched).await {
            failure = Some(f);
            break;
        }
    }
    if let Some(f) = &failure {
        report(Progress::StepFailed {
            step: f.index,
            error: f.error.clone(),
        });
        let first_unsent = if f.sent { f.index + 1 } else { f.index };
        let not_sent: Vec<&Step> = plan.steps[first_unsent..].iter().map(|s| &s.step).collect();
        let ended = if control.stopping() {
            "stopped"
        } else {
            "failed"
        };
        let reason = format!(
            "step {} of {} {ended}: {}",
            f.index + 1,
            plan.steps.len(),
            f.error
        );
        // Best effort: the failed call's own lines are already written.
        let _ = audit.stopped(&run.origin, &reason, &not_sent);
    }
    // Re-read what the plan was about, too: a finding's resource may differ
    // from the step target (a revoked group guards an instance).
    for finding in &plan.findings {
        let resource = finding.resource_ref();
        if !touched.contains(&resource) {
            touched.push(resource);
        }
    }
    for resource in touched {
        if control.stopping() {
            break;
        }
        if let Ok(fragment) = source.refresh(&resource).await {
            let fragment = Box::new(fragment);
            report(Progress::Refreshed { resource, fragment });
        }
    }
    report(Progress::Finished {
        ok: failure.is_none(),
    });
}

/// One plan's run: where steps go, where they are recorded, who hears.
pub(super) struct Run<'r, R: Fn(Progress)> {
    pub source: &'r dyn FleetSource,
    pub audit: &'r AuditLog,
    pub origin: Origin,
    pub pacing: Pacing,
    pub control: &'r PlanControl,
    pub report: &'r R,
}

impl<R: Fn(Progress)> Run<'_, R> {
    /// Audit, send, show the transitional state, wait until settled.
    async fn step(
        &self,
        index: usize,
        step: &Step,
        touched: &mut Vec<ResourceRef>,
    ) -> Result<(), Failure> {
        let fail = |error: String, sent: bool| Failure { index, error, sent };
        if self.control.stopping() {
            return Err(fail(
                "not sent: rdsight quit before this step".into(),
                false,
            ));
        }
        (self.report)(Progress::StepStarted { step: index });
        let result = resolve::send(self, index, step).await;
        let target = step.target();
        if !touched.contains(&target) {
            // A call that was sent and failed may still have changed
            // something: it is re-read with the rest.
            touched.push(target.clone());
        }
        let Answered {
            outcome,
            audit_error,
        } = result?;
        // Show the transitional state (modifying, creating) at once.
        if let Ok(fragment) = self.source.refresh(&target).await {
            (self.report)(Progress::Refreshed {
                resource: target.clone(),
                fragment: Box::new(fragment),
            });
        }
        let mut verify = step.verify();
        if outcome.pending_window() {
            // A change held for the window stays pending by design.
            verify.not_pending = None;
        }
        let (settled, now) = self
            .settle(index, &target, verify)
            .await
            .map_err(|e| fail(e, true))?;
        // A change held for the window is not there to compare yet.
        if !outcome.pending_window() {
            self.check_after(step, &now).map_err(|e| fail(e, true))?;
        }
        // Security groups and held changes have no status worth repeating.
        let settled = (!outcome.pending_window() && target.kind != ResourceType::SecurityGroup)
            .then_some(settled);
        let done = StepDone {
            outcome,
            settled,
            audit_error,
        };
        (self.report)(Progress::StepDone { step: index, done });
        Ok(())
    }

    /// Verify-after on the settled re-read: a difference fails the step,
    /// and the audit log records it beside the call's own lines.
    fn check_after(&self, step: &Step, now: &Fleet) -> Result<(), String> {
        step.check_after(now).map_err(|differs| {
            let error = format!("verify-after: {differs}");
            // Best effort: the call's own lines are written; the failure
            // reaches the user through the plan's progress either way.
            let _ = self
                .audit
                .after(&self.origin, step, Ending::Mismatch(&error));
            error
        })
    }

    async fn settle(
        &self,
        index: usize,
        target: &ResourceRef,
        verify: Verify,
    ) -> Result<(String, Fleet), String> {
        wait_until_settled(
            self.source,
            target,
            verify,
            self.pacing,
            &self.control.stop,
            |status| {
                (self.report)(Progress::StepWaiting {
                    step: index,
                    status,
                })
            },
        )
        .await
    }
}

async fn wait_until_settled(
    source: &dyn FleetSource,
    target: &ResourceRef,
    settle: Verify,
    pacing: Pacing,
    stop: &std::sync::atomic::AtomicBool,
    on_status: impl Fn(String),
) -> Result<(String, Fleet), String> {
    let started = tokio::time::Instant::now();
    let mut last: Option<String> = None;
    loop {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
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
            return Ok((status.unwrap_or_else(|| "deleted".into()), fragment));
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
