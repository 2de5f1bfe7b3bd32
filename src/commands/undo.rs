//! `rdsight undo [REQUEST_ID]`: reverse one audited call. Shows the call
//! that will be sent and sends it only after `yes` on stdin, through the
//! same executor and audit log as a plan confirmed in the dashboard.

use color_eyre::eyre::{Result, WrapErr, eyre};
use std::io::Write;

use crate::cli::{SourceArgs, UndoArgs};
use crate::remediation::audit::{self, AuditLog};
use crate::remediation::executor::{Progress, run_plan};
use crate::remediation::undo;
use crate::remediation::{Plan, PlannedStep};
use crate::source;
use crate::text::sanitize;

pub async fn run(source_args: &SourceArgs, args: &UndoArgs) -> Result<u8> {
    let source = source::open(source_args).await?;
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
    let ok = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = std::sync::Arc::clone(&ok);
    let pacing = source.pacing();
    run_plan(source, log, plan, pacing, move |progress| match progress {
        Progress::StepDone { done, .. } => println!("✓ {}", sanitize(&done.to_string())),
        Progress::StepFailed { error, .. } => {
            eprintln!("rdsight: undo failed: {}", sanitize(&error))
        }
        Progress::Finished { ok } => done.store(ok, std::sync::atomic::Ordering::SeqCst),
        _ => {}
    })
    .await;
    Ok(if ok.load(std::sync::atomic::Ordering::SeqCst) {
        0
    } else {
        1
    })
}
