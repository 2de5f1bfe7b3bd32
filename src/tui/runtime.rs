//! Terminal setup and the event loop. The loop never awaits I/O itself:
//! loads and plans run as tasks and report back on one channel.

use color_eyre::eyre::{Result, WrapErr, eyre};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream, KeyEventKind,
};
use crossterm::execute;
use futures::StreamExt;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::app::{App, Effect, Msg};
use super::screen;
use super::theme::Theme;
use crate::cli::SourceArgs;
use crate::config::RuleConfig;
use crate::remediation::audit::AuditLog;
use crate::remediation::executor::run_plan_until;
use crate::source::{self, FleetSource, LoadSink, SourceContext, SourceHandle};

/// Put the terminal back: raw mode off, main screen, no mouse capture, no
/// bracketed paste.
fn restore_terminal() {
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture
    );
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
    /// The command line's source arguments: a switch changes only the
    /// profile and regions.
    args: SourceArgs,
    /// The load or switch in flight; a new one cancels it.
    loading: Option<JoinHandle<()>>,
    audit: AuditLog,
    /// `--kms-key`: checked again on a switched-to source before it is used.
    kms_key_id: String,
    tx: mpsc::UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
    plans: Vec<JoinHandle<()>>,
}

impl Worker {
    /// Give `msg` to the app and start what it asks for; true to quit.
    fn handle(&mut self, app: &mut App, msg: Msg) -> bool {
        // A switch that connected brings its source: use it from now on.
        if let Msg::Switched {
            generation,
            result: Ok(handle),
        } = &msg
            && *generation == app.generation()
        {
            self.source = Arc::clone(&handle.0);
        }
        let effects = app.update(msg);
        self.spawn(effects)
    }

    /// Start the effects; true when one of them is Quit.
    fn spawn(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        self.plans.retain(|plan| !plan.is_finished());
        for effect in effects {
            match effect {
                Effect::Quit => quit = true,
                Effect::Load { generation } => {
                    let source = Arc::clone(&self.source);
                    let tx = self.tx.clone();
                    self.replace_load(tokio::spawn(async move {
                        let events = tx.clone();
                        let sink: LoadSink = Arc::new(move |event| {
                            let _ = events.send(Msg::Loading { generation, event });
                        });
                        let result = source.load_streaming(sink).await.map_err(|e| e.to_string());
                        let at = SystemTime::now();
                        let _ = tx.send(Msg::Loaded {
                            generation,
                            result,
                            at,
                        });
                    }));
                }
                Effect::Switch {
                    generation,
                    context,
                } => {
                    let args = context.apply_to(&self.args);
                    let kms_key_id = self.kms_key_id.clone();
                    let tx = self.tx.clone();
                    self.replace_load(tokio::spawn(async move {
                        let result = source::open_checked(&args, &kms_key_id)
                            .await
                            .map(SourceHandle)
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::Switched { generation, result });
                    }));
                }
                Effect::ListRegions => {
                    let source = Arc::clone(&self.source);
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(Msg::Regions(source.available_regions().await));
                    });
                }
                Effect::ListProfiles => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let _ = tx.send(Msg::Profiles(crate::source::aws::profiles::available()));
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

    /// Cancel the load or switch in flight, if any, in favour of `next`:
    /// its answer would be dropped anyway, so it should not keep calling.
    fn replace_load(&mut self, next: JoinHandle<()>) {
        if let Some(previous) = self.loading.replace(next) {
            previous.abort();
        }
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

/// Messages taken per batch before drawing, so input is never starved.
const MAX_BATCH: usize = 512;

/// How long quitting waits for calls in flight.
const QUIT_GRACE: Duration = Duration::from_secs(30);

type Term = ratatui::DefaultTerminal;

/// Run the dashboard; plans that encrypt use `kms_key_id`.
pub async fn run(
    source: Arc<dyn FleetSource>,
    args: SourceArgs,
    rules: RuleConfig,
    audit: AuditLog,
    kms_key_id: String,
) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(eyre!(
            "the dashboard needs an interactive terminal — for pipelines use `rdsight scan`"
        ));
    }
    install_panic_hook();
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    let _guard = TerminalGuard;
    execute!(std::io::stdout(), EnableMouseCapture).wrap_err("cannot enable the mouse")?;
    // Pastes arrive as one text, never as keys (a pasted newline is not Enter).
    execute!(std::io::stdout(), EnableBracketedPaste).wrap_err("cannot enable bracketed paste")?;

    let theme = Theme::from_env();
    let (tx, rx) = mpsc::unbounded_channel::<Msg>();
    let mut app = App::new(source.info(), rules);
    app.context = SourceContext::from_args(&args);
    app.kms_key_id = kms_key_id.clone();
    let size = terminal.size().wrap_err("cannot read the terminal size")?;
    app.update(Msg::Resize(size.width, size.height));
    let mut worker = Worker {
        source,
        args,
        loading: None,
        audit,
        kms_key_id,
        tx,
        stop: Arc::new(AtomicBool::new(false)),
        plans: Vec::new(),
    };
    worker.spawn(app.start());
    event_loop(&mut terminal, &mut app, &mut worker, rx, &theme).await?;
    if worker.plans.iter().any(|p| !p.is_finished()) {
        worker.handle(&mut app, Msg::Stopping);
        let _ = terminal.draw(|frame| screen::draw(frame, &app, &theme));
        worker.stop_plans().await;
    }
    Ok(())
}

/// Draw, wait for the next input or message, hand it over; until a quit.
async fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    worker: &mut Worker,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    theme: &Theme,
) -> Result<()> {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            app.flush();
            terminal
                .draw(|frame| screen::draw(frame, app, theme))
                .wrap_err("cannot draw")?;
            app.update(Msg::Drawn { at: Instant::now() });
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key {
                    key,
                    at: Instant::now(),
                },
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e).wrap_err("cannot read terminal input"),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => msg,
            _ = tick.tick() => Msg::Tick,
        };
        // Idle ticks only redraw while something is moving.
        dirty = !matches!(msg, Msg::Tick)
            || app.loading
            || app.activities.iter().any(|a| a.finished.is_none());
        if worker.handle(app, msg) {
            return Ok(());
        }
        // A load sends pages in bursts: take everything already queued
        // before drawing, so the rules run once per burst, not per page.
        for _ in 0..MAX_BATCH {
            let Ok(queued) = rx.try_recv() else { break };
            if worker.handle(app, queued) {
                return Ok(());
            }
        }
    }
}
