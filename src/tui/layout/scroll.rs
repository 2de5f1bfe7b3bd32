//! How far scrollable text can scroll: the details pane and the dialogs
//! stop at their last line, so a key back up moves at once.

use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthStr;

use super::centered;
use crate::tui::doc::DocLine;

/// Lines of the given widths take once wrapped to `width` (an estimate
/// that matches ratatui's word wrap closely enough to decide whether to
/// say "more").
pub fn wrapped_height(widths: impl IntoIterator<Item = usize>, width: u16) -> usize {
    let width = width.max(1) as usize;
    widths
        .into_iter()
        .map(|line| line.div_ceil(width).max(1))
        .sum()
}

/// Wrapped height of styled lines.
pub fn doc_height(lines: &[DocLine], width: u16) -> usize {
    wrapped_height(lines.iter().map(DocLine::width), width)
}

/// Wrapped height of plain text, line by line.
pub fn text_height(text: &str, width: u16) -> usize {
    wrapped_height(text.lines().map(str::width), width)
}

/// How far `height` wrapped lines scroll inside a bordered box `area`.
fn bordered_limit(area: Rect, height: impl FnOnce(u16) -> usize) -> u16 {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    (height(inner.width) as u16).saturating_sub(inner.height)
}

/// The furthest the details pane in `area` scrolls over `lines`.
pub fn details_max_scroll(lines: &[DocLine], area: Rect) -> u16 {
    bordered_limit(area, |width| doc_height(lines, width))
}

/// The help popup on a screen of `area`.
pub fn help_popup(area: Rect) -> Rect {
    centered(area, 80, 90)
}

/// The describe popup on a screen of `area`.
pub fn describe_popup(area: Rect) -> Rect {
    centered(area, 80, 80)
}

/// The furthest help scrolls on a screen of `area`.
pub fn help_max_scroll(lines: &[DocLine], area: Rect) -> u16 {
    bordered_limit(help_popup(area), |width| doc_height(lines, width))
}

/// The furthest a describe popup of `text` scrolls on a screen of `area`.
pub fn describe_max_scroll(text: &str, area: Rect) -> u16 {
    bordered_limit(describe_popup(area), |width| text_height(text, width))
}

/// Where things go inside the plan dialog: the block, the plan body, the
/// line below it and the prompt; and how far the body can scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanGeometry {
    pub popup: Rect,
    pub body: Rect,
    pub gap: Rect,
    pub bottom: Rect,
    pub max_scroll: u16,
}

fn plan_popup(area: Rect) -> Rect {
    centered(area, 86, 86)
}

/// The width the plan's lines are laid out to on a screen of `area`.
pub fn plan_width(area: Rect) -> u16 {
    Block::default()
        .borders(Borders::ALL)
        .inner(plan_popup(area))
        .width
}

/// The plan dialog on a screen of `area`, for a body of `content` and a
/// prompt of `prompt_height` lines.
pub fn plan_geometry(area: Rect, content: &[DocLine], prompt_height: u16) -> PlanGeometry {
    let popup = plan_popup(area);
    let inner = Block::default().borders(Borders::ALL).inner(popup);
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(prompt_height + 1),
    );
    let total = doc_height(content, body.width);
    PlanGeometry {
        popup,
        body,
        gap: Rect::new(inner.x, body.y + body.height, inner.width, 1),
        bottom: Rect::new(
            inner.x,
            inner.y + inner.height.saturating_sub(prompt_height),
            inner.width,
            prompt_height.min(inner.height),
        ),
        max_scroll: (total as u16).saturating_sub(body.height),
    }
}
