//! The plan dialog: each step exactly as it will be sent, its CLI twin,
//! impact, reversibility and caveats, then confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use super::{PlanDialog, PlanStage, centered};
use crate::remediation::{Caveat, PlanChoice};
use crate::tui::theme::Theme;

fn checkbox(on: bool) -> &'static str {
    if on { "[x]" } else { "[ ]" }
}

/// Break a shell command at spaces into lines of at most `width` columns,
/// with ` \` continuations and an indent, so it stays copy-pasteable.
pub fn shell_wrap(command: &str, width: usize) -> Vec<String> {
    const FIRST: &str = "  $ ";
    const NEXT: &str = "      ";
    let mut lines = Vec::new();
    let mut current = FIRST.to_string();
    for word in command.split(' ') {
        let fresh = current == FIRST || current == NEXT;
        if !fresh && current.width() + 1 + word.width() + 2 > width {
            current.push_str(" \\");
            lines.push(std::mem::replace(&mut current, NEXT.to_string()));
        }
        if !(current == FIRST || current == NEXT) {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

pub fn lines(dialog: &PlanDialog, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = width as usize;
    let plan = &dialog.plan;
    let impact = plan.impact();
    let mut lines = vec![Line::from(vec![
        Span::raw("Impact: "),
        Span::styled(impact.label().to_string(), theme.impact(impact)),
        Span::raw(format!(
            " · {} step(s) · nothing is sent until you confirm",
            plan.steps.len()
        )),
    ])];
    for f in &plan.findings {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} {} ", f.severity.symbol(), f.severity.label()),
                theme.severity(Some(f.severity)),
            ),
            Span::raw(format!(
                "{} · {} {} ({})",
                f.rule, f.resource_type, f.resource_id, f.region
            )),
        ]));
    }
    for (n, planned) in plan.steps.iter().enumerate() {
        let step = &planned.step;
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled(format!("Step {} ", n + 1), theme.header()),
            Span::styled(step.api().to_string(), theme.key()),
            Span::raw(format!("  region {}  ", step.region())),
            Span::styled(format!("[{}]", step.impact()), theme.impact(step.impact())),
        ]));
        lines.push(Line::styled(format!("  {}", planned.purpose), theme.dim()));
        for param in step.parameters() {
            lines.push(Line::raw(format!(
                "    {} = {}",
                param.name,
                param.value.shown()
            )));
        }
        for line in shell_wrap(&step.cli(), width) {
            lines.push(Line::styled(line, theme.dim()));
        }
        match step.undo() {
            Some(undo) => {
                lines.push(Line::styled("  reversible with:", theme.dim()));
                for line in shell_wrap(&undo.cli(), width) {
                    lines.push(Line::styled(line, theme.dim()));
                }
            }
            None => lines.push(Line::styled(
                format!("  {}", step.reversibility()),
                theme.dim(),
            )),
        }
    }
    lines.push(Line::raw(""));
    if plan.has_window_choice() {
        let on = dialog.options.apply_immediately;
        lines.push(Line::raw(format!(
            "{} apply immediately (a) — {}",
            checkbox(on),
            if on {
                "applies now"
            } else {
                "held for the next maintenance window"
            }
        )));
    }
    if dialog.offers_delete_original() {
        lines.push(Line::raw(format!(
            "{} also delete the unencrypted original (x) — destructive, needs its id typed",
            checkbox(dialog.options.delete_original)
        )));
    }
    for caveat in &plan.caveats {
        lines.push(Line::styled(
            format!("⚠ {}", caveat_text(caveat)),
            theme.warn(),
        ));
    }
    if !dialog.left_out.is_empty() {
        let names: Vec<String> = dialog
            .left_out
            .iter()
            .map(|f| format!("{} on {}", f.rule, f.resource_id))
            .collect();
        lines.push(Line::styled(
            format!(
                "not in this plan (no automatic remediation; see the details pane): {}",
                names.join(", ")
            ),
            theme.dim(),
        ));
    }
    lines
}

/// A caveat as the dialog says it: one that a choice would change names
/// the key for that choice.
pub fn caveat_text(caveat: &Caveat) -> String {
    match caveat {
        Caveat::Unless {
            choice: PlanChoice::DeleteOriginal,
            text,
        } => format!("{text} (x also deletes it)"),
        Caveat::Unless {
            choice: PlanChoice::ApplyImmediately,
            text,
        } => format!("{text} (a applies it now)"),
        other => other.to_string(),
    }
}

/// The confirmation prompt at the bottom of the dialog, always visible.
fn prompt(dialog: &PlanDialog, theme: &Theme) -> Vec<Line<'static>> {
    let mut prompt = Vec::new();
    if let Some(error) = &dialog.error {
        prompt.push(Line::styled(error.clone(), theme.bad()));
    }
    match &dialog.stage {
        PlanStage::Review => {
            let typed = dialog.plan.confirmation_text().is_some();
            prompt.push(Line::from(vec![
                Span::styled(" Enter/y ", theme.key()),
                Span::raw(if typed {
                    "continue to typed confirmation"
                } else {
                    "confirm and run"
                }),
                Span::styled("  Esc/n ", theme.key()),
                Span::raw("cancel"),
                Span::styled("  j/k ", theme.key()),
                Span::raw("scroll"),
            ]));
        }
        PlanStage::TypeToConfirm { typed } => {
            let expected = dialog.plan.confirmation_text().unwrap_or_default();
            let kind = match dialog.plan.impact() {
                crate::remediation::Impact::Outage => "an outage",
                _ => "a destructive",
            };
            prompt.push(Line::styled(
                format!("This plan has {kind} step. To run it, type:"),
                theme.bad(),
            ));
            prompt.push(Line::styled(format!("   {expected}"), theme.key()));
            prompt.push(Line::from(vec![
                Span::styled(" > ", theme.key()),
                Span::raw(format!("{typed}▏")),
            ]));
        }
    }
    prompt
}

/// Where things go inside the dialog: the block, the plan body, the line
/// below it and the prompt; and how far the body can scroll.
struct Geometry {
    popup: Rect,
    body: Rect,
    gap: Rect,
    bottom: Rect,
    max_scroll: u16,
}

fn geometry(area: Rect, content: &[Line<'_>], prompt_height: u16) -> Geometry {
    let popup = centered(area, 86, 86);
    let inner = Block::default().borders(Borders::ALL).inner(popup);
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(prompt_height + 1),
    );
    let total = crate::tui::view::wrapped_height(content, body.width);
    Geometry {
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

/// The furthest the plan can scroll on a screen of `area`.
pub fn max_scroll(dialog: &PlanDialog, area: Rect) -> u16 {
    let theme = Theme { color: false };
    let width = Block::default()
        .borders(Borders::ALL)
        .inner(centered(area, 86, 86))
        .width;
    let content = lines(dialog, &theme, width);
    geometry(area, &content, prompt(dialog, &theme).len() as u16).max_scroll
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, dialog: &PlanDialog, theme: &Theme) {
    let width = Block::default()
        .borders(Borders::ALL)
        .inner(centered(area, 86, 86))
        .width;
    let content = lines(dialog, theme, width);
    let prompt = prompt(dialog, theme);
    let g = geometry(area, &content, prompt.len() as u16);
    frame.render_widget(Clear, g.popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" Remediation plan: {} ", dialog.plan.title()));
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
        Paragraph::new(content)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        g.body,
    );
    frame.render_widget(Paragraph::new(prompt), g.bottom);
}

#[cfg(test)]
mod tests {
    use super::shell_wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn shell_wrap_keeps_every_word_and_the_width() {
        let command = "aws rds modify-db-instance --region us-east-1 --db-instance-identifier internal-tools-postgres --backup-retention-period 7 --no-apply-immediately";
        let lines = shell_wrap(command, 50);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width() <= 50), "{lines:?}");
        assert!(lines[..lines.len() - 1].iter().all(|l| l.ends_with(" \\")));
        let rejoined: Vec<&str> = lines
            .iter()
            .map(|l| {
                l.trim_start_matches("  $ ")
                    .trim()
                    .trim_end_matches('\\')
                    .trim()
            })
            .collect();
        assert_eq!(rejoined.join(" "), command);
    }
}
