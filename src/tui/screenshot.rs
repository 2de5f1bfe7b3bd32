//! `rdsight screenshot`: draw the dashboard headless after replaying keys,
//! and save it as an SVG.

use color_eyre::eyre::{Result, WrapErr, eyre};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::app::{App, Effect, Msg};
use super::keymap::parse_keys;
use super::theme::Theme;
use super::{screen, svg};
use crate::cli::ScreenshotArgs;
use crate::config::RuleConfig;
use crate::source::FleetSource;

/// Draw `app` into an off-screen buffer of the given size.
pub fn render(app: &App, theme: &Theme, width: u16, height: u16) -> Result<Buffer> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|frame| screen::draw(frame, app, theme))?;
    Ok(terminal.backend().buffer().clone())
}

/// How far apart replayed keys are, as a person presses them: each after
/// the screen the previous one made was drawn and read (so a plan dialog
/// takes them; see `CONFIRM_GUARD`).
const KEY_PACE: Duration = Duration::from_secs(1);

/// Build an app on `source`, loaded, sized, with `keys` replayed. Plans the
/// keys confirm are not run: a screenshot never changes anything.
pub async fn replay(
    source: &Arc<dyn FleetSource>,
    rules: RuleConfig,
    size: (u16, u16),
    keys: &str,
) -> Result<App> {
    let events = parse_keys(keys).map_err(|e| eyre!(e))?;
    let mut app = App::new(source.info(), rules);
    app.update(Msg::Resize(size.0, size.1));
    app.start();
    let result = source.load().await.map_err(|e| e.to_string());
    app.update(Msg::Loaded {
        generation: app.generation(),
        result,
        at: std::time::SystemTime::now(),
    });
    let mut at = Instant::now();
    for key in events {
        let effects = app.update(Msg::Key { key, at });
        app.update(Msg::Drawn { at });
        at += KEY_PACE;
        if effects.contains(&Effect::Quit) {
            break;
        }
        // Answer what only reads, so a picker shows its list; nothing that
        // loads, switches or changes anything is carried out.
        if effects.contains(&Effect::ListRegions) {
            app.update(Msg::Regions(source.available_regions().await));
        }
        for effect in &effects {
            if let Effect::ReadGroupUsers { groups } = effect {
                let users = crate::source::read_group_users(&**source, groups).await;
                app.update(Msg::GroupUsers(users));
                app.update(Msg::Drawn { at });
            }
        }
    }
    Ok(app)
}

pub async fn run(
    source: Arc<dyn FleetSource>,
    rules: RuleConfig,
    args: &ScreenshotArgs,
) -> Result<()> {
    let (width, height) = args.size;
    let app = replay(&source, rules, args.size, &args.keys).await?;
    let buffer = render(&app, &Theme { color: true }, width, height)?;
    let svg = svg::buffer_to_svg(&buffer);
    std::fs::write(&args.out, svg)
        .wrap_err_with(|| format!("cannot write {}", args.out.display()))?;
    Ok(())
}
