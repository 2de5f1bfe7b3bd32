//! The details pane: draws the content the app built for the selected row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::text::sanitize;
use crate::tui::app::App;
use crate::tui::layout::doc_height;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let details = &app.details;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(Line::raw(sanitize(&details.title)));
    let inner = block.inner(area);
    let total = doc_height(&details.lines, inner.width);
    let offset = app.details_offset();
    if total > offset as usize + inner.height as usize {
        block = block.title_bottom(Line::styled(" ↓ more: J/K scroll ", theme.key()));
    } else if offset > 0 {
        block = block.title_bottom(Line::styled(" ↑ K scrolls back ", theme.key()));
    }
    frame.render_widget(
        Paragraph::new(theme.lines(&details.lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((offset, 0)),
        area,
    );
}
