//! The plan dialog: its body (laid out by the app), a line saying when it
//! goes on below, and the confirmation prompt.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::text::sanitize;
use crate::tui::app::PlanDialog;
use crate::tui::layout::plan_geometry;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame<'_>, area: Rect, dialog: &PlanDialog, theme: &Theme) {
    let prompt = dialog.prompt();
    let g = plan_geometry(area, &dialog.body, prompt.len() as u16);
    frame.render_widget(Clear, g.popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(sanitize(&format!(" Remediation plan: {} ", dialog.plan.title())).into_owned());
    frame.render_widget(block, g.popup);
    let scroll = dialog.scroll.min(g.max_scroll);
    // The line between body and prompt says when the plan goes on below.
    if scroll < g.max_scroll {
        frame.render_widget(
            Paragraph::new(Line::styled("↓ more below: j/k scroll", theme.key())),
            g.gap,
        );
    }
    frame.render_widget(
        Paragraph::new(theme.lines(&dialog.body))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        g.body,
    );
    frame.render_widget(Paragraph::new(theme.lines(&prompt)), g.bottom);
}
