//! The human report: two lines per finding so it reads at 80 columns —
//! severity, rule, resource and region, then the evidence indented below.
//!
//! Every piece of text from the fleet reaches the terminal through `fit`,
//! `truncate` or `wrap`, and all three sanitise it (`text::sanitize`):
//! an id or an error message cannot retitle the window or clear the screen.

use crossterm::style::{Color, Stylize};
use std::fmt::Write;

use super::{ScanReport, TableStyle};
use crate::rules::Severity;
use crate::text::{fit, sanitize, truncate, width as columns};

const SEV_W: usize = 6;
const RULE_W: usize = 25;
const REGION_W: usize = 14;
const INDENT: usize = SEV_W + 1;
/// Narrower terminals still get this many columns: below it the table
/// cannot show a rule, a resource and a region on one line.
const MIN_WIDTH: usize = 60;

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Blue,
    }
}

fn paint(text: String, color: Option<Color>, style: TableStyle) -> String {
    match (style.color, color) {
        (true, Some(c)) => text.with(c).bold().to_string(),
        _ => text,
    }
}

fn dim(text: String, style: TableStyle) -> String {
    if style.color {
        text.dim().to_string()
    } else {
        text
    }
}

pub fn render_table(report: &ScanReport, style: TableStyle) -> String {
    let mut out = String::new();
    let width = style.width.unwrap_or(usize::MAX).max(MIN_WIDTH);
    // Resource ids get what is left after the fixed columns, within reason.
    let longest_id = report
        .findings
        .iter()
        .map(|f| columns(&sanitize(&f.resource_id)))
        .max()
        .unwrap_or(8);
    // Whole rule names when the line has room for them and the ids
    // (`activity-snapshot-copied-cross-region` is 37 columns), else cut.
    let longest_rule = report
        .findings
        .iter()
        .map(|f| f.rule.as_str().len())
        .max()
        .unwrap_or(RULE_W);
    let rule_w = if SEV_W + longest_rule + longest_id + REGION_W + 3 <= width {
        longest_rule.max(RULE_W)
    } else {
        RULE_W
    };
    // When ids and regions do not both fit, the region moves to the
    // evidence line: a cut id is useless, a region on the next line is not.
    let region_inline = SEV_W + rule_w + longest_id + REGION_W + 3 <= width;
    let fixed = SEV_W + rule_w + 2 + if region_inline { REGION_W + 1 } else { 0 };
    let resource_w = longest_id.min(width.saturating_sub(fixed).max(12));

    if !report.findings.is_empty() {
        let mut header = format!(
            "{} {} {}",
            fit("SEV", SEV_W),
            fit("RULE", rule_w),
            fit("RESOURCE", resource_w),
        );
        if region_inline {
            header.push_str(" REGION");
        }
        let _ = writeln!(out, "{}", dim(header.trim_end().to_string(), style));
    }
    for f in &report.findings {
        let (symbol, label) = f.mark();
        let sev = format!("{symbol} {label}");
        let color = f.judged_severity().map_or(Color::Cyan, severity_color);
        // The id gets the room; its type leads the evidence line below.
        let resource = &f.resource_id;
        let mut line = format!(
            "{} {} {}",
            paint(fit(&sev, SEV_W), Some(color), style),
            fit(f.rule.as_str(), rule_w),
            fit(resource, resource_w),
        );
        if region_inline {
            line.push(' ');
            line.push_str(&truncate(&f.region, REGION_W));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        let evidence = if region_inline {
            format!("{} · {}", f.resource_type, f.reason)
        } else {
            format!("{} · {} · {}", f.region, f.resource_type, f.reason)
        };
        // The evidence is the point of a finding: wrap it, never cut it.
        let evidence_style = TableStyle {
            width: style.width.map(|w| w.saturating_sub(INDENT)),
            ..style
        };
        for line in wrap(&evidence, evidence_style, 0) {
            let _ = writeln!(out, "{}{}", " ".repeat(INDENT), dim(line, style));
        }
    }
    write_summary(&mut out, report, style);
    out
}

/// Word-wrap `text` to `width` columns (when the table has a width), later
/// lines indented by `indent` spaces; words longer than a line are cut.
/// Summary and warning lines carry the evidence of what was not loaded, so
/// they wrap rather than truncate.
fn wrap(text: &str, style: TableStyle, indent: usize) -> Vec<String> {
    let text = sanitize(text);
    let Some(width) = style.width else {
        return vec![text.into_owned()];
    };
    let width = width.max(MIN_WIDTH);
    // Columns available on the next line, given how many are done.
    let room = |done: usize| if done == 0 { width } else { width - indent };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && columns(&line) + 1 + columns(word) > room(lines.len()) {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A single word wider than a whole line is cut, not overflowed.
        if columns(&line) > room(lines.len()) {
            line = truncate(&line, room(lines.len()));
        }
    }
    lines.push(line);
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(n, l)| if n == 0 { l } else { format!("{pad}{l}") })
        .collect()
}

fn write_summary(out: &mut String, report: &ScanReport, style: TableStyle) {
    let s = &report.summary;
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let counts: Vec<String> = Severity::DESCENDING
        .iter()
        .map(|sev| {
            let text = format!("{} {}", s.count(*sev), sev);
            let color = (s.count(*sev) > 0).then(|| severity_color(*sev));
            paint(text, color, style)
        })
        .collect();
    let _ = writeln!(out, "{} findings: {}", s.total, counts.join(" · "));
    if s.unknown > 0 {
        let text = format!(
            "{} verdict(s) unknown: an input their rule needs was not loaded (marked {})",
            s.unknown,
            crate::finding::UNKNOWN_LABEL
        );
        for line in wrap(&text, style, 2) {
            let _ = writeln!(out, "{}", paint(line, Some(Color::Cyan), style));
        }
    }
    let hidden = (s.total + s.unknown).saturating_sub(report.findings.len());
    if hidden > 0 {
        let _ = writeln!(out, "{hidden} below --min-severity not shown");
    }
    let scope = format!(
        "account {} · {} region(s) · {} resources scanned, {} passing ({}%)",
        if report.account.is_empty() {
            "unknown"
        } else {
            &report.account
        },
        report.regions.len(),
        s.resources_scanned,
        s.resources_passing,
        s.passing_percent()
    );
    for line in wrap(&scope, style, 2) {
        let _ = writeln!(out, "{line}");
    }
    for e in &report.load_errors {
        let warning = format!("warning: not loaded: {e} — findings there are unknown");
        for line in wrap(&warning, style, 2) {
            let _ = writeln!(out, "{}", paint(line, Some(Color::Yellow), style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(width: Option<usize>) -> TableStyle {
        TableStyle {
            width,
            color: false,
        }
    }

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let text = "warning: not loaded: me-central-1 db-instances: AccessDenied: \
                    User: arn:aws:iam::123456789012:user/auditor is not authorized \
                    to perform: rds:DescribeDBInstances — findings there are unknown";
        let lines = wrap(text, styled(Some(60)), 2);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| columns(l) <= 60), "{lines:#?}");
        assert!(lines[1..].iter().all(|l| l.starts_with("  ")));
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn wrap_cuts_words_longer_than_a_line_and_leaves_unbounded_text_alone() {
        let long = "x".repeat(100);
        let lines = wrap(&format!("a {long} b"), styled(Some(60)), 2);
        assert!(lines.iter().all(|l| columns(l) <= 60), "{lines:#?}");
        assert_eq!(lines.last().map(String::as_str), Some("  b"));
        assert_eq!(wrap(&long, styled(None), 2), vec![long.clone()]);
    }
}
