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
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

mod quitting;

use super::app::{App, Effect, Msg};
use super::screen;
use super::theme::Theme;
use crate::cli::SourceArgs;
use crate::config::RuleConfig;
use crate::remediation::audit::AuditLog;
use crate::remediation::executor::run_plan_until;
use crate::remediation::flight::PlanControl;
use crate::signals::Signals;
use crate::source::{self, FleetSource, LoadSink, SourceContext, SourceHandle};

/// Put the terminal back: raw mode off, main screen, no mouse capture, no
/// bracketed paste. Every way out calls this: the guard's drop, the panic
/// hook, and a forced exit after repeated quits.
pub(super) fn restore_terminal() {
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
pub(super) struct Worker {
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
    pub(super) control: Arc<PlanControl>,
    pub(super) plans: Vec<JoinHandle<()>>,
}

impl Worker {
    /// Give `msg` to the app and start what it asks for; true to quit.
    pub(super) fn handle(&mut self, app: &mut App, msg: Msg) -> bool {
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
                Effect::ReadGroupUsers { groups } => {
                    // A read beside the loop: the dialog stays live and
                    // fills in when the answer comes.
                    let source = Arc::clone(&self.source);
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let users = source::read_group_users(&*source, &groups).await;
                        let _ = tx.send(Msg::GroupUsers(users));
                    });
                }
                Effect::ListProfiles => {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let profiles = crate::source::aws::profiles::available().await;
                        let _ = tx.send(Msg::Profiles(profiles));
                    });
                }
                Effect::RunPlan { id, plan } => {
                    let source = Arc::clone(&self.source);
                    let audit = self.audit.clone();
                    let tx = self.tx.clone();
                    let control = Arc::clone(&self.control);
                    self.plans.push(tokio::spawn(async move {
                        let pacing = source.pacing();
                        run_plan_until(source, audit, plan, pacing, &control, |progress| {
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
}

/// Messages taken per batch before drawing, so input is never starved.
const MAX_BATCH: usize = 512;

pub(super) type Term = ratatui::DefaultTerminal;

/// Why the event loop ended.
pub(super) enum Ended {
    /// The user quit, or the terminal went away.
    Quit,
    /// A quit signal.
    Signal(crate::signals::Quit),
}

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
    // Before the terminal changes: from here on SIGINT, SIGTERM and SIGHUP
    // are a quit like `q`, which puts the terminal back.
    let mut signals = Signals::install().wrap_err("cannot listen for signals")?;
    install_panic_hook();
    let mut terminal = ratatui::try_init().wrap_err("cannot set up the terminal")?;
    let _guard = TerminalGuard;
    execute!(std::io::stdout(), EnableMouseCapture).wrap_err("cannot enable the mouse")?;
    // Pastes arrive as one text, never as keys (a pasted newline is not Enter).
    execute!(std::io::stdout(), EnableBracketedPaste).wrap_err("cannot enable bracketed paste")?;

    let theme = Theme::from_env();
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
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
        control: Arc::new(PlanControl::default()),
        plans: Vec::new(),
    };
    worker.spawn(app.start());
    let mut events = EventStream::new();
    let mut screen = Screen {
        terminal: &mut terminal,
        app: &mut app,
        theme: &theme,
    };
    let ended = event_loop(&mut screen, &mut worker, &mut rx, &mut events, &mut signals).await;
    // However the loop ended — a quit, a signal, a terminal gone or broken
    // — calls in flight are resolved before the terminal is put back.
    quitting::stop_plans(&mut screen, &mut worker, &mut rx, &mut events, &mut signals).await;
    if let Ended::Signal(signal) = ended? {
        tracing::info!("quit on {signal}");
    }
    Ok(())
}

/// What the loops draw on.
pub(super) struct Screen<'s> {
    pub terminal: &'s mut Term,
    pub app: &'s mut App,
    pub theme: &'s Theme,
}

impl Screen<'_> {
    pub fn draw(&mut self) -> Result<()> {
        self.app.flush();
        let (app, theme) = (&*self.app, self.theme);
        self.terminal
            .draw(|frame| screen::draw(frame, app, theme))
            .wrap_err("cannot draw")?;
        // The guard against keys queued before a dialog was seen counts
        // from the frame that showed it.
        self.app.update(Msg::Drawn { at: Instant::now() });
        Ok(())
    }
}

/// One terminal event as a message; `None` for events the app ignores.
pub(super) fn message(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key {
            key,
            at: Instant::now(),
        }),
        // Pastes arrive as one text, never as keys (a pasted newline is not Enter).
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// Draw, wait for the next input or message, hand it over; until a quit.
async fn event_loop(
    screen: &mut Screen<'_>,
    worker: &mut Worker,
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    events: &mut EventStream,
    signals: &mut Signals,
) -> Result<Ended> {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            screen.draw()?;
        }
        let app = &mut *screen.app;
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match message(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e).wrap_err("cannot read terminal input"),
                None => return Ok(Ended::Quit),
            },
            Some(msg) = rx.recv() => msg,
            signal = signals.next() => return Ok(Ended::Signal(signal)),
            _ = tick.tick() => Msg::Tick,
        };
        // Idle ticks only redraw while something is moving.
        dirty = !matches!(msg, Msg::Tick)
            || app.loading
            || app.activities.iter().any(|a| a.finished.is_none());
        if worker.handle(app, msg) {
            return Ok(Ended::Quit);
        }
        // A load sends pages in bursts: take everything already queued
        // before drawing, so the rules run once per burst, not per page.
        for _ in 0..MAX_BATCH {
            let Ok(queued) = rx.try_recv() else { break };
            if worker.handle(app, queued) {
                return Ok(Ended::Quit);
            }
        }
    }
}
