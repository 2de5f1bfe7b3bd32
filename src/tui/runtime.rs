//! Terminal setup and the event loop. The loop never awaits I/O itself:
//! loads and plans run as tasks and report back on one channel.

use color_eyre::eyre::{Result, WrapErr, eyre};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event, EventStream, KeyEventKind};
use crossterm::execute;
use futures::StreamExt;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::app::{App, Effect, Msg};
use super::theme::Theme;
use super::view;
use crate::config::RuleConfig;
use crate::remediation::audit::AuditLog;
use crate::remediation::executor::run_plan_until;
use crate::source::FleetSource;

/// Put the terminal back: raw mode off, main screen, no mouse capture.
fn restore_terminal() {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Restores the terminal when dropped, so every exit path (including `?`)
/// leaves the user's shell usable.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Carries out effects as tasks that answer on one channel, and keeps hold
/// of running plans so quitting can let the call in flight finish.
struct Worker {
    source: Arc<dyn FleetSource>,
    audit: AuditLog,
    tx: mpsc::UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
    plans: Vec<JoinHandle<()>>,
}

impl Worker {
    /// Start the effects; true when one of them is Quit.
    fn spawn(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        self.plans.retain(|plan| !plan.is_finished());
        for effect in effects {
            match effect {
                Effect::Quit => quit = true,
                Effect::Load => {
                    let source = Arc::clone(&self.source);
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let result = source.load().await.map_err(|e| e.to_string());
                        let _ = tx.send(Msg::Loaded(result));
                    });
                }
                Effect::RunPlan { id, plan } => {
                    let source = Arc::clone(&self.source);
                    let audit = self.audit.clone();
                    let tx = self.tx.clone();
                    let stop = Arc::clone(&self.stop);
                    self.plans.push(tokio::spawn(async move {
                        let pacing = source.pacing();
                        run_plan_until(source, audit, plan, pacing, &stop, |progress| {
                            let _ = tx.send(Msg::Plan { id, progress });
                        })
                        .await;
                    }));
                }
            }
        }
        quit
    }

    /// Ask running plans to stop and wait for them: a call already sent
    /// returns and gets its audit line; no further step starts.
    async fn stop_plans(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for plan in self.plans.drain(..) {
            if tokio::time::timeout(QUIT_GRACE, plan).await.is_err() {
                tracing::warn!("a plan did not stop within {QUIT_GRACE:?}");
            }
        }
    }
}

/// How long quitting waits for calls in flight.
const QUIT_GRACE: Duration = Duration::from_secs(30);

pub async fn run(source: Arc<dyn FleetSource>, rules: RuleConfig, audit: AuditLog) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "the dashboard needs an interactive terminal — for pipelines use `rdsight scan`"
        ));
    }
    install_panic_hook();
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    let _guard = TerminalGuard;
    execute!(std::io::stdout(), EnableMouseCapture).wrap_err("cannot enable the mouse")?;

    let theme = Theme::from_env();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut app = App::new(source.info(), rules);
    let size = terminal.size().wrap_err("cannot read the terminal size")?;
    app.update(Msg::Resize(size.width, size.height));
    let mut worker = Worker {
        source,
        audit,
        tx,
        stop: Arc::new(AtomicBool::new(false)),
        plans: Vec::new(),
    };
    worker.spawn(app.start());

    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            terminal
                .draw(|frame| view::draw(frame, &app, &theme))
                .wrap_err("cannot draw")?;
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e).wrap_err("cannot read terminal input"),
                None => break,
            },
            Some(msg) = rx.recv() => msg,
            _ = tick.tick() => Msg::Tick,
        };
        // Idle ticks only redraw while something is moving.
        dirty = !matches!(msg, Msg::Tick)
            || app.loading
            || app.activities.iter().any(|a| a.finished.is_none());
        let effects = app.update(msg);
        if worker.spawn(effects) || app.should_quit {
            break;
        }
    }
    if worker.plans.iter().any(|p| !p.is_finished()) {
        app.flash =
            Some("stopping: letting the call in flight return and reach the audit log…".into());
        let _ = terminal.draw(|frame| view::draw(frame, &app, &theme));
        worker.stop_plans().await;
    }
    Ok(())
}
