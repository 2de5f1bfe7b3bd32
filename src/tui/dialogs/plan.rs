//! The plan dialog: each step exactly as it will be sent, its CLI twin,
//! impact, reversibility and caveats, then confirmation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{PlanDialog, PlanStage, centered};
use crate::tui::theme::Theme;

fn checkbox(on: bool) -> &'static str {
    if on { "[x]" } else { "[ ]" }
}

pub fn lines(dialog: &PlanDialog, theme: &Theme) -> Vec<Line<'static>> {
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
        for (name, value) in step.parameters() {
            lines.push(Line::raw(format!("    {name} = {value}")));
        }
        lines.push(Line::styled(format!("  $ {}", step.cli()), theme.dim()));
        lines.push(Line::styled(
            format!("  {}", step.reversibility()),
            theme.dim(),
        ));
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
        lines.push(Line::styled(format!("⚠ {caveat}"), theme.warn()));
    }
    lines
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, dialog: &PlanDialog, theme: &Theme) {
    let popup = centered(area, 86, 86);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" Remediation plan: {} ", dialog.plan.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    // Bottom: the confirmation prompt, always visible.
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
    let prompt_height = prompt.len() as u16;
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(prompt_height + 1),
    );
    let bottom = Rect::new(
        inner.x,
        inner.y + inner.height.saturating_sub(prompt_height),
        inner.width,
        prompt_height.min(inner.height),
    );
    frame.render_widget(
        Paragraph::new(lines(dialog, theme))
            .wrap(Wrap { trim: false })
            .scroll((dialog.scroll, 0)),
        body,
    );
    frame.render_widget(Paragraph::new(prompt), bottom);
}
