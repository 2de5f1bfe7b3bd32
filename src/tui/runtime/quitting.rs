//! Leaving while plans run. Quitting (a second `q`, or SIGINT, SIGTERM or
//! SIGHUP) stops every plan at its next step boundary and waits for the
//! call in flight to return and reach the audit log. Waiting, the screen
//! says what for; a further quit says it again and warns; the one after
//! leaves at once, recording the unanswered call as `outcome-unknown`.

use crossterm::event::{EventStream, KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{Screen, Worker, message, restore_terminal};
use crate::remediation::READ_BACK_LIMIT;
use crate::remediation::flight::{PlanControl, Waiting};
use crate::signals::Signals;
use crate::source::aws::MUTATION_DEADLINE;
use crate::tui::app::Msg;

/// How long quitting waits for plans: one remediation call (sent once,
/// never retried), the re-read that verifies a call with no clear answer,
/// and a margin. Longer than any one SDK attempt, so a call is never cut
/// off merely for being slow.
pub(super) const QUIT_GRACE: Duration =
    Duration::from_secs(MUTATION_DEADLINE.as_secs() + READ_BACK_LIMIT.as_secs() + 5);

/// Quits, after the one that started the wait, that leave without waiting.
const QUITS_TO_FORCE: u32 = 2;

/// Stop the running plans and wait for them, still drawing and listening.
pub(super) async fn stop_plans(
    screen: &mut Screen<'_>,
    worker: &mut Worker,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    events: &mut EventStream,
    signals: &mut Signals,
) {
    worker.plans.retain(|plan| !plan.is_finished());
    if worker.plans.is_empty() {
        return;
    }
    let control = std::sync::Arc::clone(&worker.control);
    control
        .stop
        .store(true, std::sync::atomic::Ordering::SeqCst);
    screen.app.update(Msg::Stopping);
    let deadline = Instant::now() + QUIT_GRACE;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut terminal_gone = false;
    let mut quits = 0;
    loop {
        worker.plans.retain(|plan| !plan.is_finished());
        if worker.plans.is_empty() {
            return;
        }
        screen.app.flash = Some(waiting_text(&control.waiting(), deadline, quits));
        // A terminal that hung up cannot be drawn on; the plans still end.
        let _ = screen.draw();
        let again = tokio::select! {
            event = events.next(), if !terminal_gone => match event {
                Some(Ok(event)) => match message(event) {
                    Some(Msg::Key { key, .. }) => is_quit(key),
                    Some(msg @ Msg::Resize(..)) => {
                        screen.app.update(msg);
                        false
                    }
                    _ => false,
                },
                _ => {
                    terminal_gone = true;
                    false
                }
            },
            // Progress still shows; what it asks for (a reload) is moot.
            Some(msg) = rx.recv() => {
                screen.app.update(msg);
                false
            }
            _ = signals.next() => true,
            _ = tick.tick() => false,
            _ = tokio::time::sleep_until(deadline) => {
                tracing::warn!("plans did not stop within {QUIT_GRACE:?}");
                control.abandon(&format!(
                    "rdsight stopped waiting for an answer after {}s",
                    QUIT_GRACE.as_secs()
                ));
                return;
            }
        };
        if again {
            quits += 1;
            if quits >= QUITS_TO_FORCE {
                force_exit(&control);
            }
        }
    }
}

/// Leave now: record every unanswered call, put the terminal back, exit.
fn force_exit(control: &PlanControl) -> ! {
    control.abandon("rdsight was made to quit before AWS answered");
    restore_terminal();
    eprintln!(
        "rdsight: left without waiting; the audit log records the call in flight as outcome-unknown"
    );
    std::process::exit(130);
}

fn is_quit(key: KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char('q') | KeyCode::Char('Q'))
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
}

/// What quitting is waiting for, in one line.
fn waiting_text(waiting: &[Waiting], deadline: Instant, quits: u32) -> String {
    let left = deadline.saturating_duration_since(Instant::now()).as_secs();
    // The warning first: a narrow status line cuts the end off.
    let mut text = if quits > 0 {
        "quit again to leave now (recorded as outcome-unknown) — ".to_string()
    } else {
        String::new()
    };
    text += &match waiting.first() {
        Some(call) => format!(
            "quitting: waiting for {} on {} to return (up to {left}s) — the audit log will record it",
            call.step.api(),
            call.step.target()
        ),
        None => "quitting: stopping the plan before its next step…".to_string(),
    };
    if waiting.len() > 1 {
        text.push_str(&format!(" (+{} more)", waiting.len() - 1));
    }
    text
}
