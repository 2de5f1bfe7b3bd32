//! `rdsight undo [REQUEST_ID]`: reverse one audited call. Shows the call
//! that will be sent and sends it only after `yes` on stdin, through the
//! same executor and audit log as a plan confirmed in the dashboard.

use color_eyre::eyre::{Result, WrapErr, eyre};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::{SourceArgs, UndoArgs};
use crate::remediation::audit::{self, AuditLog};
use crate::remediation::executor::{Progress, run_plan_until};
use crate::remediation::flight::PlanControl;
use crate::remediation::undo;
use crate::remediation::{Plan, PlannedStep};
use crate::signals::Signals;
use crate::source::{self, FleetSource};
use crate::text::sanitize;

pub async fn run(source_args: &SourceArgs, args: &UndoArgs) -> Result<u8> {
    // An undo needs the account, not the activity trail (minutes to read).
    let source_args = SourceArgs {
        activity_days: 0,
        ..source_args.clone()
    };
    let source = source::open(&source_args).await?;
    if let Some(why) = source.info().read_only {
        return Err(eyre!("remediation is disabled: {why}"));
    }
    // The demo's changes are in their own log: an undo never crosses over.
    let log = AuditLog::new(audit::path_for(source.info().kind));
    let found = undo::find(log.path(), args.request_id.as_deref())?;
    // The account comes with the first load; an undo must go back to the
    // account the call was made in.
    let fleet = source.load().await?;
    if let Some(made_in) = &found.account
        && !fleet.account.is_empty()
        && *made_in != fleet.account
    {
        return Err(eyre!(
            "{} was made in account {made_in}, but these credentials are for {} — use that account's profile",
            found.request_id,
            fleet.account
        ));
    }
    let step = found.undo.clone();
    // Everything shown comes from the audit log, a file: sanitised.
    let intro = format!(
        "Undo {} (request {}, {}):",
        found.api, found.request_id, found.time
    );
    println!("{}", sanitize(&intro));
    println!("  {} in {}", step.api(), sanitize(&step.region()));
    for param in step.parameters() {
        println!("    {} = {}", param.name, sanitize(&param.value.shown()));
    }
    println!("  CLI: {}", sanitize(&step.cli()));
    print!("Type yes to send it: ");
    std::io::stdout()
        .flush()
        .wrap_err("cannot write to stdout")?;
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .wrap_err("cannot read the answer")?
    .wrap_err("cannot read the answer from stdin")?;
    if answer.trim() != "yes" {
        return Err(eyre!("not sent: the answer was not `yes`"));
    }
    let purpose = format!("undo {} {}", found.api, found.request_id);
    let plan = Plan {
        findings: Vec::new(),
        steps: vec![PlannedStep::new(step, purpose)],
        caveats: Vec::new(),
        choices: Vec::new(),
    };
    send(source, log, plan).await
}

/// Run the undo's one-step plan; the exit status. From here a signal
/// (SIGINT, SIGTERM, SIGHUP) stops the undo after its call has returned and
/// been audited, rather than killing it mid-call; a second one leaves at
/// once, recording the call as `outcome-unknown`.
async fn send(source: Arc<dyn FleetSource>, log: AuditLog, plan: Plan) -> Result<u8> {
    let ok = Arc::new(AtomicBool::new(false));
    let done = Arc::clone(&ok);
    let pacing = source.pacing();
    let mut signals = Signals::install().wrap_err("cannot listen for signals")?;
    let control = PlanControl::default();
    let running = run_plan_until(
        source,
        log,
        plan,
        pacing,
        &control,
        move |progress| match progress {
            Progress::StepDone { done, .. } => println!("✓ {}", sanitize(&done.to_string())),
            Progress::StepFailed { error, .. } => {
                eprintln!("rdsight: undo failed: {}", sanitize(&error))
            }
            Progress::Finished { ok } => done.store(ok, Ordering::SeqCst),
            _ => {}
        },
    );
    tokio::pin!(running);
    let mut signalled = None;
    loop {
        tokio::select! {
            () = &mut running => break,
            signal = signals.next() => {
                if signalled.is_some() {
                    control.abandon(&format!("rdsight was stopped by a second {signal}"));
                    return Ok(signal.exit_code());
                }
                control.stop.store(true, Ordering::SeqCst);
                eprintln!(
                    "rdsight: {signal}: waiting for the call in flight to return — the audit log will record it; again to leave now"
                );
                signalled = Some(signal);
            }
        }
    }
    Ok(match signalled {
        Some(signal) => signal.exit_code(),
        None if ok.load(Ordering::SeqCst) => 0,
        None => 1,
    })
}
