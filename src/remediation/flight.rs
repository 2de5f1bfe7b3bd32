//! What the dashboard shares with the plans it runs: the request to stop,
//! and the calls in flight — so a second quit can say what it waits for,
//! and a forced exit can still leave an audit line for a call that never
//! answered.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::Step;
use super::audit::{AuditLog, Ending, Origin};
use crate::source::SourceError;

/// Shared between the event loop and its plan tasks.
#[derive(Debug, Default)]
pub struct PlanControl {
    /// Set when rdsight quits: plans stop at the next step boundary.
    pub stop: AtomicBool,
    calls: Mutex<Vec<Call>>,
    next: AtomicU64,
}

#[derive(Debug)]
struct Call {
    id: u64,
    step: Step,
    origin: Origin,
    audit: AuditLog,
    since: Instant,
}

/// A call sent and not yet answered, as quitting describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub step: Step,
    pub elapsed: Duration,
}

/// Marks a call in flight until dropped.
pub struct InFlight<'c> {
    control: &'c PlanControl,
    id: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.control
            .with_calls(|calls| calls.retain(|c| c.id != self.id));
    }
}

impl PlanControl {
    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Record that `step` is being sent; drop the guard once its answer
    /// (or its `outcome-unknown`) is in the audit log.
    pub fn enter(&self, origin: &Origin, audit: &AuditLog, step: &Step) -> InFlight<'_> {
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        self.with_calls(|calls| {
            calls.push(Call {
                id,
                step: step.clone(),
                origin: origin.clone(),
                audit: audit.clone(),
                since: Instant::now(),
            })
        });
        InFlight { control: self, id }
    }

    /// The calls sent and not yet answered, oldest first.
    pub fn waiting(&self) -> Vec<Waiting> {
        let mut out = Vec::new();
        self.with_calls(|calls| {
            out = calls
                .iter()
                .map(|c| Waiting {
                    step: c.step.clone(),
                    elapsed: c.since.elapsed(),
                })
                .collect();
        });
        out
    }

    /// rdsight is leaving without the answers: write an `outcome-unknown`
    /// line for every call still in flight, so none is left at `started`.
    pub fn abandon(&self, why: &str) {
        self.with_calls(|calls| {
            for call in calls.drain(..) {
                let error = SourceError::Unanswered {
                    call: call.step.api().to_string(),
                    message: format!(
                        "{why} — re-read {} to see whether it took effect",
                        call.step.target()
                    ),
                    code: None,
                    request_id: None,
                };
                let _ = call
                    .audit
                    .after(&call.origin, &call.step, Ending::Unknown(&error));
            }
        });
    }

    fn with_calls(&self, f: impl FnOnce(&mut Vec<Call>)) {
        // A plan task that panicked mid-update leaves a usable list.
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut calls);
    }
}
