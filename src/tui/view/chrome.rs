//! Header, pane tabs, activity pane and footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::rules::Severity;
use crate::text::truncate;
use crate::tui::app::{App, PartState, Scope, StepState};
use crate::tui::dialogs::{Dialog, PlanDialog, PlanStage};
use crate::tui::keymap::{self, Context};
use crate::tui::rows::Pane;
use crate::tui::theme::Theme;

pub fn header(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let fleet = &app.fleet;
    let regions = match fleet.regions.len() {
        0 => "none".to_string(),
        1..=3 => fleet.regions.join(", "),
        n => format!("{} (+{})", fleet.regions[..2].join(", "), n - 2),
    };
    let refreshed = match (&app.loaded_at, app.loading) {
        (_, true) if app.loading_secs > 0 => format!("loading… {}s", app.loading_secs),
        (_, true) => "loading…".to_string(),
        (Some(t), false) => format!("refreshed {t}"),
        (None, false) => "not loaded".to_string(),
    };
    let account = if fleet.account.is_empty() {
        "?"
    } else {
        &fleet.account
    };
    let wide = format!(
        "account {account} · {} · regions {regions} · {refreshed}",
        app.source.label
    );
    // Narrow screens get the compact form so the refresh time stays visible.
    let read_only = if app.source.read_only.is_some() {
        10
    } else {
        0
    };
    let text = if wide.width() + 9 + read_only <= area.width as usize {
        wide
    } else {
        format!(
            "{account} · {} · {} region(s) · {refreshed}",
            app.source.label,
            fleet.regions.len()
        )
    };
    let mut first = vec![Span::styled(" rdsight ", theme.header())];
    // First, so no width can cut it off.
    if app.source.read_only.is_some() {
        first.push(Span::styled("READ-ONLY ", theme.warn()));
    }
    first.push(Span::raw(text));
    if app.loaded_at.is_none() || (app.loading && !app.load_parts.is_empty()) {
        // No posture before the first load: 0/0 must not read as "100% passing".
        let second = match load_progress(app) {
            Some(progress) => Line::styled(format!(" {progress}"), theme.warn()),
            None => Line::styled(" loading the fleet…", theme.dim()),
        };
        frame.render_widget(Paragraph::new(vec![Line::from(first), second]), area);
        return;
    }
    let summary = app.summary();
    let mut second = vec![Span::raw(" ")];
    for severity in Severity::DESCENDING {
        let n = summary.count(severity);
        let style = if n > 0 {
            theme.severity(Some(severity))
        } else {
            theme.dim()
        };
        second.push(Span::styled(
            format!("{} {n} {severity}", severity.symbol()),
            style,
        ));
        second.push(Span::raw("  "));
    }
    let pct = summary.passing_percent();
    let pct_style = if pct == 100 {
        theme.good()
    } else {
        theme.warn()
    };
    second.push(Span::styled(
        format!(
            "{}/{} resources passing ({pct}%)",
            summary.resources_passing, summary.resources_scanned
        ),
        pct_style,
    ));
    if !fleet.load_errors.is_empty() {
        second.push(Span::styled(
            format!(
                "  ⚠ {} not loaded: {}",
                fleet.load_errors.len(),
                fleet.load_errors[0]
            ),
            theme.warn(),
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// How far the running load has got: `loading 7/10 lists · 1,530
/// resources · waiting on us-east-1 db-snapshots, eu-west-1 security-groups`.
pub fn load_progress(app: &App) -> Option<String> {
    if !app.loading || app.load_parts.is_empty() {
        return None;
    }
    let total = app.load_parts.len();
    let done = app.load_parts.iter().filter(|p| p.finished()).count();
    let failed = app
        .load_parts
        .iter()
        .filter(|p| matches!(p.state, PartState::Failed(_)))
        .count();
    let waiting: Vec<String> = app
        .load_parts
        .iter()
        .filter(|p| !p.finished())
        .map(|p| format!("{} {}", p.part.region, p.part.what))
        .collect();
    let mut text = format!(
        "loading {done}/{total} lists · {} resources so far",
        app.loaded_so_far()
    );
    if failed > 0 {
        text.push_str(&format!(" · ⚠ {failed} failed"));
    }
    match waiting.len() {
        0 => {}
        1..=2 => text.push_str(&format!(" · waiting on {}", waiting.join(", "))),
        n => text.push_str(&format!(
            " · waiting on {} (+{})",
            waiting[..2].join(", "),
            n - 2
        )),
    }
    if app.loading_secs > 0 {
        text.push_str(&format!(" · {}s", app.loading_secs));
    }
    Some(text)
}

/// Regions where a list behind `pane` could not be loaded: its rows there
/// are unknown, not absent.
pub fn unknown_regions(app: &App, pane: Pane) -> Vec<&str> {
    let mut regions: Vec<&str> = app
        .fleet
        .load_errors
        .iter()
        .filter(|e| match pane {
            Pane::Clusters => e.what == crate::model::ResourceList::DbClusters,
            Pane::Instances => e.what == crate::model::ResourceList::DbInstances,
            Pane::Snapshots => e.what.is_snapshots(),
            // Any missing list hides findings.
            Pane::Findings => true,
        })
        .map(|e| e.region.as_str())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    regions
}

/// The tab labels, in order, as drawn.
fn tab_labels(app: &App) -> Vec<(Pane, String)> {
    Pane::ALL
        .iter()
        .map(|pane| {
            // ⚠: part of what belongs here could not be loaded.
            let unknown = if unknown_regions(app, *pane).is_empty() {
                ""
            } else {
                "⚠"
            };
            let label = format!(
                " {} {} ({}{unknown}) ",
                pane.index() + 1,
                pane.title(),
                app.row_count(*pane)
            );
            (*pane, label)
        })
        .collect()
}

/// Which tab is at screen column `x`.
pub fn tab_at(app: &App, area: Rect, x: u16) -> Option<Pane> {
    let mut left = area.x;
    for (pane, label) in tab_labels(app) {
        let right = left + label.width() as u16;
        if x >= left && x < right {
            return Some(pane);
        }
        left = right + 1;
    }
    None
}

pub fn tabs(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let mut spans = Vec::new();
    for (pane, label) in tab_labels(app) {
        let style = if pane == app.focus {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let mut context = Vec::new();
    match &app.scope {
        Scope::All => {}
        Scope::Cluster(c) => context.push(format!("› cluster {}", c.id)),
        Scope::Instance(i) => context.push(format!("› instance {}", i.id)),
    }
    if !app.filter.is_empty() && app.filter_input.is_none() {
        context.push(format!("filter: {}", app.filter.text()));
    }
    if !app.marked.is_empty() {
        context.push(format!("{} marked", app.marked.len()));
    }
    if !context.is_empty() {
        context.push("(Esc back)".into());
        spans.push(Span::styled(context.join("  "), theme.marked()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn activity(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let width = area.width.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    for activity in app.activities.iter().rev() {
        let (mark, style, state) = match activity.finished {
            None => ("▶", theme.warn(), "running"),
            Some(true) => ("✓", theme.good(), "done"),
            Some(false) => ("✗", theme.bad(), "stopped"),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} plan #{} ", activity.id), style),
            Span::raw(truncate(
                &format!("{} — {state}", activity.plan.title()),
                width,
            )),
        ]));
        for (i, (planned, step)) in activity.plan.steps.iter().zip(&activity.steps).enumerate() {
            let (mark, style, note) = match step {
                // A stopped plan never sends what is left.
                StepState::Pending if activity.finished == Some(false) => {
                    ("·", theme.dim(), "not sent".to_string())
                }
                StepState::Pending => ("·", theme.dim(), "pending".to_string()),
                StepState::Running => ("…", theme.warn(), "sending".to_string()),
                StepState::Waiting(status) => ("…", theme.warn(), format!("waiting: {status}")),
                StepState::Done(done) => ("✓", theme.good(), done.to_string()),
                StepState::Failed(error) => ("✗", theme.bad(), error.clone()),
            };
            let text = format!("{} {} — {note}", i + 1, planned.step.api());
            lines.push(Line::from(vec![
                Span::styled(format!("  {mark} "), style),
                Span::raw(truncate(&text, width.saturating_sub(4))),
            ]));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(" Activity ");
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn footer(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    let line = if let Some(input) = &app.filter_input {
        let mut spans = vec![
            Span::styled("/", theme.key()),
            Span::raw(format!("{input}▏")),
            Span::styled(
                "  Enter keep · Esc cancel · sev:high+ region: rule: kind: !not",
                theme.dim(),
            ),
        ];
        if let Some(error) = &app.filter.error {
            spans.push(Span::styled(format!("  {error}"), theme.bad()));
        }
        Line::from(spans)
    } else if let Some(flash) = &app.flash {
        Line::from(Span::styled(truncate(flash, width), theme.marked()))
    } else if let Some(Dialog::Plan(PlanDialog {
        stage: PlanStage::TypeToConfirm { .. },
        ..
    })) = &app.dialog
    {
        Line::from(vec![
            Span::styled(" type the id", theme.key()),
            Span::raw(" then "),
            Span::styled("Enter", theme.key()),
            Span::raw(" confirm  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" back to the plan"),
        ])
    } else {
        let context = match &app.dialog {
            Some(Dialog::Plan(_)) => Context::Plan,
            Some(Dialog::Picker(_)) => Context::Picker,
            Some(_) => Context::Viewer,
            None => Context::Main,
        };
        let mut spans = Vec::new();
        let mut used = 0;
        for (action, key, hint) in keymap::hints(context) {
            if !app.offers(action) {
                continue;
            }
            let piece = key.width() + hint.width() + 3;
            if used + piece > width {
                break;
            }
            used += piece;
            spans.push(Span::styled(format!(" {key}"), theme.key()));
            spans.push(Span::raw(format!(" {hint} ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}
