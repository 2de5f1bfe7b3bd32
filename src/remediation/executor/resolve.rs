//! Sending one step until its fate is known. Remediation calls go out
//! once (the SDK does not retry them): a throttled call, which AWS refused
//! before acting, is sent again after a pause; a call with no clear answer
//! (timeout, dropped connection, 5xx) is recorded as `outcome-unknown`,
//! then the target is re-read to see whether it took effect. Only a call
//! the re-read shows did not land — or an idempotent one the re-read
//! cannot judge — is sent once more.

use std::time::Duration;

use super::{Failure, Progress, Run};
use crate::model::Fleet;
use crate::remediation::Step;
use crate::remediation::audit::Ending;
use crate::source::{Fact, StepOutcome};

/// Sends after a throttling answer, each after a longer pause.
const THROTTLE_RESENDS: u32 = 3;
const THROTTLE_PAUSE: Duration = Duration::from_secs(1);

/// Longest wait for the re-read after an unknown outcome. Quitting waits
/// for it too, so it is bounded like a call.
pub const READ_BACK_LIMIT: Duration = Duration::from_secs(35);

/// A step AWS carried out, and whether its audit line was written.
pub struct Answered {
    pub outcome: StepOutcome,
    pub audit_error: Option<String>,
}

/// What the re-read after an unknown outcome showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Landed,
    NotLanded,
    CannotTell,
}

/// Send `step`, each attempt audited before and after, until AWS answered
/// or the re-read settled what happened.
pub(super) async fn send<R: Fn(Progress)>(
    run: &Run<'_, R>,
    index: usize,
    step: &Step,
) -> Result<Answered, Failure> {
    let fail = |error: String, sent: bool| Failure { index, error, sent };
    let mut throttled = 0;
    let mut resent = false;
    loop {
        if let Err(e) = run.audit.before(&run.origin, step) {
            let path = run.audit.path().display();
            return Err(fail(
                format!("not sent: cannot write the audit log {path}: {e}"),
                resent,
            ));
        }
        let in_flight = run.control.enter(&run.origin, run.audit, step);
        let result = run.source.apply(step).await;
        let error = match result {
            Ok(outcome) => {
                let logged = run
                    .audit
                    .after(&run.origin, step, Ending::Succeeded(&outcome));
                return Ok(Answered {
                    outcome,
                    audit_error: logged.err().map(|e| e.to_string()),
                });
            }
            Err(error) => error,
        };
        if !error.is_ambiguous() {
            let _ = run.audit.after(&run.origin, step, Ending::Failed(&error));
            drop(in_flight);
            if error.is_throttled() && throttled < THROTTLE_RESENDS && !run.control.stopping() {
                tokio::time::sleep(THROTTLE_PAUSE * 2u32.pow(throttled)).await;
                throttled += 1;
                continue;
            }
            return Err(fail(error.to_string(), true));
        }
        let _ = run.audit.after(&run.origin, step, Ending::Unknown(&error));
        drop(in_flight);
        (run.report)(Progress::StepWaiting {
            step: index,
            status: "no clear answer from AWS — re-reading to see whether it took effect".into(),
        });
        let (verdict, seen) = read_back(run, step).await;
        let _ = run.audit.after(&run.origin, step, Ending::ReadBack(&seen));
        if verdict == Verdict::Landed {
            let logged = run.audit.after(&run.origin, step, Ending::Verified(&seen));
            return Ok(Answered {
                outcome: verified(step),
                audit_error: logged.err().map(|e| e.to_string()),
            });
        }
        let may_resend =
            verdict == Verdict::NotLanded || (verdict == Verdict::CannotTell && step.idempotent());
        if may_resend && !resent && !run.control.stopping() {
            resent = true;
            continue;
        }
        return Err(fail(format!("{error} — {seen}"), true));
    }
}

/// Re-read the target and judge the step by it; with words for the audit.
async fn read_back<R: Fn(Progress)>(run: &Run<'_, R>, step: &Step) -> (Verdict, String) {
    let target = step.target();
    let reread = tokio::time::timeout(READ_BACK_LIMIT, run.source.refresh(&target)).await;
    let now: Fleet = match reread {
        Ok(Ok(fragment)) => fragment,
        Ok(Err(e)) => {
            return (
                Verdict::CannotTell,
                format!("re-read of {target} failed: {e}"),
            );
        }
        Err(_) => {
            return (
                Verdict::CannotTell,
                format!(
                    "re-read of {target} gave no answer within {}s",
                    READ_BACK_LIMIT.as_secs()
                ),
            );
        }
    };
    let state = match now.status_of(&target) {
        Some(status) => format!("{target} is {status}"),
        None => format!("{target} not found"),
    };
    match step.landed(&now) {
        Some(true) => (Verdict::Landed, format!("{state}: the call took effect")),
        Some(false) => (
            Verdict::NotLanded,
            format!("{state}: the call did not take effect"),
        ),
        None => (
            Verdict::CannotTell,
            format!("{state}: cannot tell whether the call took effect"),
        ),
    }
}

/// The outcome of a step known only from its re-read.
fn verified(step: &Step) -> StepOutcome {
    StepOutcome::new(
        vec![Fact::Status {
            resource: step.target(),
            status: "verified by re-read".into(),
        }],
        None,
    )
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
