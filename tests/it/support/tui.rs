//! Helpers for the TUI tests: build a loaded app the way
//! `tui::screenshot::replay` does, press keys, and render the screen as text.
//!
//! Kept apart from the rule-test helpers in `support::fleets`.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime};

use ratatui::buffer::Buffer;
use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::source::FleetSource;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::tui::app::{App, Effect, Msg};
use rdsight::tui::keymap::parse_keys;
use rdsight::tui::screenshot::render;
use rdsight::tui::theme::Theme;
use unicode_width::UnicodeWidthStr;

/// The load time every test app shows (`12:00:00Z`), so screens are stable.
pub fn loaded_at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(12 * 3600)
}

/// An app on `source`, sized, started and loaded with `fleet`.
pub fn app_on(source: &dyn FleetSource, fleet: Fleet, (w, h): (u16, u16)) -> App {
    let mut app = App::new(source.info(), RuleConfig::default());
    app.update(Msg::Resize(w, h));
    let effects = app.start();
    assert!(is_load(&effects), "{effects:?}");
    finish_load(&mut app, Ok(fleet));
    app
}

/// Whether `effects` is exactly one load.
pub fn is_load(effects: &[Effect]) -> bool {
    matches!(effects, [Effect::Load { .. }])
}

/// Answer the app's current load with `result`.
pub fn finish_load(app: &mut App, result: Result<Fleet, String>) {
    let generation = app.generation();
    app.update(Msg::Loaded {
        generation,
        result,
        at: loaded_at(),
    });
}

/// An app on the embedded demo fleet.
pub fn demo_app(size: (u16, u16)) -> App {
    let source = DemoSource::new(false).unwrap();
    app_on(&source, demo_fleet().unwrap(), size)
}

thread_local! {
    /// This test's clock for key presses (each test runs on its thread).
    static LAST_KEY: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// How far apart `press` presses keys: a person's pace, well past the
/// plan dialog's guard.
pub const KEY_PACE: Duration = Duration::from_secs(1);

/// When the next key of this test is pressed: `KEY_PACE` after the last.
pub fn next_key_time() -> Instant {
    LAST_KEY.with(|last| {
        let at = last.get().map_or_else(Instant::now, |t| t + KEY_PACE);
        last.set(Some(at));
        at
    })
}

/// Replay `keys` (see `keymap::parse_keys`) as a person types them: each
/// key after the screen the last one made was drawn. Returns every effect.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for key in parse_keys(keys).unwrap() {
        let at = next_key_time();
        effects.extend(app.update(Msg::Key { key, at }));
        app.update(Msg::Drawn { at });
    }
    effects
}

/// One line per buffer row, trailing spaces trimmed, cells hidden by a
/// wide symbol skipped.
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        // A wide symbol covers the next cell(s); skip what it hides.
        let mut hidden = 0;
        for x in area.left()..area.right() {
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            hidden = symbol.width().saturating_sub(1);
            // The details pane glues fields with no-break spaces; they
            // look like spaces, so write them as spaces.
            line.push_str(&symbol.replace('\u{a0}', " "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The screen as text, without colour.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    buffer_text(&render(app, &Theme { color: false }, w, h).unwrap())
}
