//! Popups drawn over the panes: the remediation plan, pickers, help and
//! describe. Their state lives in `tui::app`; here they are only drawn.

mod help;
mod picker;
mod plan;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::Dialog;
use super::layout::{describe_popup, wrapped_height};
use super::theme::Theme;
use crate::text::sanitize;

/// A bordered popup of wrapped lines, scrolled (never past the end).
pub fn scrollable(
    frame: &mut Frame<'_>,
    popup: Rect,
    title: &str,
    lines: Vec<Line<'_>>,
    scroll: u16,
    theme: &Theme,
) {
    let inner = Block::default().borders(Borders::ALL).inner(popup);
    let total = wrapped_height(lines.iter().map(Line::width), inner.width);
    let max_scroll = (total as u16).saturating_sub(inner.height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title.to_string())
        .title_bottom(" j/k scroll · Esc close ");
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max_scroll), 0)),
        popup,
    );
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, dialog: &Dialog, theme: &Theme) {
    match dialog {
        Dialog::Plan(plan) => plan::draw(frame, area, plan, theme),
        Dialog::Help { scroll } => help::draw(frame, area, *scroll, theme),
        Dialog::Picker(picker) => picker::draw(frame, area, picker, theme),
        Dialog::Describe {
            title,
            text,
            scroll,
        } => {
            let lines = text.lines().map(|l| Line::raw(sanitize(l))).collect();
            scrollable(
                frame,
                describe_popup(area),
                &sanitize(&format!(" describe {title} ")),
                lines,
                *scroll,
                theme,
            );
        }
    }
}
