//! Header, pane tabs, activity pane and footer.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::time::SystemTime;
use unicode_width::UnicodeWidthStr;

use crate::rules::Severity;
use crate::text::{sanitize_line, truncate};
use crate::tui::app::{App, PartState, StepState, TrailCoverage};
use crate::tui::keymap::{self, Context};
use crate::tui::rows::Pane;
use crate::tui::theme::Theme;

/// `14:52:10Z`: the time of day a load ended.
fn clock_time(at: SystemTime) -> String {
    let text = humantime::format_rfc3339_seconds(at).to_string();
    // `2026-11-29T14:52:10Z` → `14:52:10Z`
    text.split_once('T')
        .map(|(_, t)| t.to_string())
        .unwrap_or(text)
}

/// Whether the activity trail was read, for the header (wide and
/// compact): ` · trail 7d`, ` · trail 7d (2/4 regions)`, ` · trail not
/// read`; nothing until a load has ended.
fn trail(app: &App) -> (String, String) {
    if app.loaded_at.is_none() || app.loading {
        return (String::new(), String::new());
    }
    match app.trail_coverage() {
        TrailCoverage::NotRead => (" · trail not read".into(), " · no trail".into()),
        TrailCoverage::Read { days, regions, of } => {
            let span = if days > 0 {
                format!(" · trail {days}d")
            } else {
                " · trail read".to_string()
            };
            if regions < of {
                (
                    format!("{span} ({regions}/{of} regions)"),
                    format!("{span} {regions}/{of}"),
                )
            } else {
                (span.clone(), span)
            }
        }
    }
}

/// The first header line: account, source, regions, trail, last refresh.
fn identity(app: &App, width: u16, theme: &Theme) -> Line<'static> {
    let fleet = &app.fleet;
    let regions = match fleet.regions.len() {
        0 => "none".to_string(),
        1..=3 => fleet.regions.join(", "),
        n => format!("{} (+{})", fleet.regions[..2].join(", "), n - 2),
    };
    let refreshed = match (app.loaded_at, app.loading) {
        (_, true) if app.loading_secs > 0 => format!("loading… {}s", app.loading_secs),
        (_, true) => "loading…".to_string(),
        (Some(t), false) => format!("refreshed {}", clock_time(t)),
        (None, false) => "not loaded".to_string(),
    };
    let account = if fleet.account.is_empty() {
        "?"
    } else {
        &fleet.account
    };
    let (trail, trail_short) = trail(app);
    let wide = format!(
        "account {account} · {} · regions {regions}{trail} · {refreshed}",
        app.source.label
    );
    // Narrow screens get the compact form so the refresh time stays visible.
    let read_only = if app.source.read_only.is_some() {
        10
    } else {
        0
    };
    let text = if wide.width() + 9 + read_only <= width as usize {
        wide
    } else {
        format!(
            "{account} · {} · {} region(s){trail_short} · {refreshed}",
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
    Line::from(first)
}

/// The second header line: counts by severity, resources passing, gaps.
fn posture(app: &App, theme: &Theme) -> Line<'static> {
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
    // Only when there are some: an empty fleet need not say "0 unknown".
    if summary.unknown > 0 {
        second.push(Span::styled(
            format!(
                "{} {} unknown",
                crate::finding::UNKNOWN_SYMBOL,
                summary.unknown
            ),
            theme.style(crate::tui::doc::Tone::Unknown),
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
    let errors = &app.fleet.load_errors;
    if let Some(first) = errors.first() {
        second.push(Span::styled(
            format!("  ⚠ {} not loaded: {first}", errors.len()),
            theme.warn(),
        ));
    }
    Line::from(second)
}

pub fn header(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let first = identity(app, area.width, theme);
    let second = if app.loaded_at.is_none() || (app.loading && !app.load_parts.is_empty()) {
        // No posture before the first load: 0/0 must not read as "100% passing".
        match load_progress(app) {
            Some(progress) => Line::styled(format!(" {progress}"), theme.warn()),
            None => Line::styled(" loading the fleet…", theme.dim()),
        }
    } else {
        posture(app, theme)
    };
    // Account, source label, regions and load errors come from AWS or a file.
    frame.render_widget(
        Paragraph::new(vec![sanitize_line(first), sanitize_line(second)]),
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
    if let Some(events) = app.events_so_far() {
        text.push_str(&format!(" · {events} events"));
    }
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

pub fn tabs(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let mut spans = Vec::new();
    for (pane, label) in app.tab_labels(area.width) {
        let style = if pane == app.focus {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    if let Some(context) = app.tab_context() {
        spans.push(Span::styled(context, theme.marked()));
    }
    frame.render_widget(Paragraph::new(sanitize_line(Line::from(spans))), area);
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

/// `key hint` pairs of `context` as the footer shows them.
fn hint_spans(app: &App, context: Context, width: usize, theme: &Theme) -> Vec<Span<'static>> {
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
    spans
}

/// The filter words that speak of the focused pane's rows.
fn filter_words(pane: Pane) -> &'static str {
    match pane {
        Pane::Events => "event: principal: ip: result:denied region: !not",
        _ => "sev:high+ region: rule: kind: !not",
    }
}

/// The filter being typed, its keys and syntax, and what is wrong with it.
fn filter_footer(app: &App, input: &str, theme: &Theme) -> Line<'static> {
    let keys: Vec<String> = keymap::hints(Context::Filter)
        .into_iter()
        .map(|(_, key, hint)| format!("{key} {hint}"))
        .collect();
    let mut spans = vec![
        Span::styled("/", theme.key()),
        Span::raw(format!("{input}▏")),
        Span::styled(
            format!("  {} · {}", keys.join(" · "), filter_words(app.focus)),
            theme.dim(),
        ),
    ];
    if let Some(error) = &app.filter.error {
        spans.push(Span::styled(format!("  {error}"), theme.bad()));
    }
    Line::from(spans)
}

/// While an id is typed to confirm a plan.
fn confirm_footer(theme: &Theme) -> Line<'static> {
    let mut spans = vec![
        Span::styled(" type the id", theme.key()),
        Span::raw(" then "),
    ];
    let hints = keymap::hints(Context::Confirm);
    let last = hints.len().saturating_sub(1);
    for (n, (_, key, hint)) in hints.into_iter().enumerate() {
        spans.push(Span::styled(key, theme.key()));
        let gap = if n == last { "" } else { "  " };
        spans.push(Span::raw(format!(" {hint}{gap}")));
    }
    Line::from(spans)
}

pub fn footer(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    let context = app.key_context();
    let line = match (&app.filter_input, &app.flash) {
        (Some(input), _) => filter_footer(app, input, theme),
        (None, Some(flash)) => Line::from(Span::styled(truncate(flash, width), theme.marked())),
        (None, None) if context == Context::Confirm => confirm_footer(theme),
        (None, None) => Line::from(hint_spans(app, context, width, theme)),
    };
    // The filter being typed can hold anything pasted.
    frame.render_widget(Paragraph::new(sanitize_line(line)), area);
}
