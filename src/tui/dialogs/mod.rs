//! Popups drawn over the panes: the remediation plan, help and describe.

mod help;
mod picker;
mod plan;

pub use picker::{PickerDialog, PickerKind};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::remediation::{Plan, PlanChoice, PlanOptions};
use crate::rules::Finding;

#[derive(Debug, Clone)]
pub enum Dialog {
    Help {
        scroll: u16,
    },
    Describe {
        title: String,
        text: String,
        scroll: u16,
    },
    Plan(PlanDialog),
    Picker(PickerDialog),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanStage {
    /// Reading the plan; options can be toggled.
    Review,
    /// An outage or destructive step: the resource id must be typed.
    TypeToConfirm { typed: String },
}

#[derive(Debug, Clone)]
pub struct PlanDialog {
    pub findings: Vec<Finding>,
    /// Findings of the chosen resources that have no automatic plan.
    pub left_out: Vec<Finding>,
    pub options: PlanOptions,
    pub plan: Plan,
    pub stage: PlanStage,
    pub scroll: u16,
    pub error: Option<String>,
}

impl PlanDialog {
    /// Only unencrypted DB snapshots offer deleting the original.
    pub fn offers_delete_original(&self) -> bool {
        self.plan.offers(PlanChoice::DeleteOriginal)
    }
}

/// A centred rectangle `percent_x` wide, `percent_y` tall, within bounds.
pub fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    // Small terminals give dialogs nearly all the room there is.
    let width = (area.width * percent_x / 100)
        .max(area.width.saturating_sub(2).min(96))
        .min(area.width);
    let height = (area.height * percent_y / 100)
        .max(area.height.saturating_sub(2).min(22))
        .min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// How far a bordered popup of `lines` can scroll.
fn scroll_limit(popup: Rect, lines: &[Line<'_>]) -> u16 {
    let total = crate::tui::view::wrapped_height(lines, popup.width.saturating_sub(2));
    (total as u16).saturating_sub(popup.height.saturating_sub(2))
}

/// The furthest `dialog` can scroll on a screen of `area`, so scrolling
/// keys stop at the end instead of running on past it.
pub fn max_scroll(dialog: &Dialog, area: Rect) -> u16 {
    match dialog {
        Dialog::Plan(plan) => plan::max_scroll(plan, area),
        Dialog::Help { .. } => help::max_scroll(area),
        Dialog::Picker(_) => 0,
        Dialog::Describe { text, .. } => {
            scroll_limit(centered(area, 80, 80), &describe_lines(text))
        }
    }
}

fn describe_lines(text: &str) -> Vec<Line<'static>> {
    text.lines().map(|l| Line::raw(l.to_string())).collect()
}

/// A bordered popup of wrapped lines, scrolled (never past the end).
pub fn scrollable(
    frame: &mut Frame<'_>,
    popup: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: u16,
    theme: &Theme,
) {
    let max_scroll = scroll_limit(popup, &lines);
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
            let lines = describe_lines(text);
            let popup = centered(area, 80, 80);
            scrollable(
                frame,
                popup,
                &format!(" describe {title} "),
                lines,
                *scroll,
                theme,
            );
        }
    }
}
