//! Help, generated from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::centered;
use crate::tui::keymap::{BINDINGS, Context, keys_label};
use crate::tui::theme::Theme;

pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (context, title) in [
        (Context::Main, "Browsing"),
        (Context::Plan, "Remediation plan"),
        (Context::Viewer, "Help and describe"),
        (Context::Picker, "Region and profile pickers"),
    ] {
        lines.push(Line::styled(title.to_string(), theme.header()));
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys_label(b)), theme.key()),
                Span::raw(b.help.to_string()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "Filter words (all must match)".to_string(),
        theme.header(),
    ));
    for (word, meaning) in [
        ("text", "any cell contains it"),
        (
            "sev:high",
            "worst severity is high (sev:high+ = high or worse, sev:ok = clean)",
        ),
        ("region:eu", "region starts with eu"),
        ("rule:public", "has a finding whose rule contains public"),
        (
            "kind:cluster",
            "resource type or snapshot kind contains cluster",
        ),
        ("!word", "negates any word"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {word:<14}"), theme.key()),
            Span::raw(meaning.to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Mouse: click a row or a pane tab · click a column header to sort (again to reverse) · wheel scrolls".to_string(),
        theme.dim(),
    ));
    lines.push(Line::styled(
        "Severity: ◆ CRIT  ▲ HIGH  ● MED  ○ LOW  ✓ ok · * marks a row".to_string(),
        theme.dim(),
    ));
    lines
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, scroll: u16, theme: &Theme) {
    let popup = centered(area, 80, 90);
    super::scrollable(frame, popup, " rdsight help ", lines(theme), scroll, theme);
}

/// The furthest help can scroll on a screen of `area`.
pub fn max_scroll(area: Rect) -> u16 {
    super::scroll_limit(centered(area, 80, 90), &lines(&Theme { color: false }))
}
