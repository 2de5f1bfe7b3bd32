//! Drawing the panes and their chrome. Everything here reads `&App` and
//! nothing else: what to show was worked out by the app, where it goes by
//! `layout`. `tui::screen` puts the dialogs on top.

mod chrome;
mod details;
mod table;

pub use chrome::load_progress;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::App;
use super::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use super::theme::Theme;

/// Header, tabs, table, details, activity and footer; says so when the
/// terminal is too small for them.
pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = frame.area();
    if too_small(area) {
        // A first quit while plans run asks for a second: say so here too.
        let quitting = app.flash.as_deref().filter(|_| app.quit_armed());
        draw_too_small(frame, area, quitting, theme);
        return;
    }
    let areas = app.areas();
    chrome::header(frame, areas.header, app, theme);
    chrome::tabs(frame, areas.tabs, app, theme);
    table::draw(frame, areas.table, app, theme);
    details::draw(frame, areas.details, app, theme);
    if let Some(activity) = areas.activity {
        chrome::activity(frame, activity, app, theme);
    }
    chrome::footer(frame, areas.footer, app, theme);
}

/// No key but quit acts here (`App::too_small`); `flash` says what a
/// second `q` does when the first found plans running.
fn draw_too_small(frame: &mut Frame<'_>, area: Rect, flash: Option<&str>, theme: &Theme) {
    let mut lines = vec![
        Line::styled("rdsight needs a bigger terminal", theme.bad()),
        Line::from(format!(
            "at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}",
            area.width, area.height
        )),
        Line::from("enlarge the window or make the font smaller · q quits"),
    ];
    if let Some(flash) = flash {
        lines.push(Line::styled(flash.to_string(), theme.marked()));
    }
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let area = Rect::new(area.x, area.y + top, area.width, area.height - top);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}
