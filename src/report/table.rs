//! The human report: two lines per finding so it reads at 80 columns —
//! severity, rule, resource and region, then the evidence indented below.

use crossterm::style::{Color, Stylize};
use std::fmt::Write;

use super::{ScanReport, TableStyle};
use crate::rules::Severity;
use crate::text::{fit, truncate};

const SEV_W: usize = 6;
const RULE_W: usize = 25;
const REGION_W: usize = 14;
const INDENT: usize = SEV_W + 1;

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
    let width = style.width.unwrap_or(usize::MAX).max(60);
    // Resource ids get what is left after the fixed columns, within reason.
    let longest_id = report
        .findings
        .iter()
        .map(|f| f.resource_type.as_str().len() + 1 + f.resource_id.len())
        .max()
        .unwrap_or(8);
    let resource_w = longest_id.min(width.saturating_sub(SEV_W + RULE_W + REGION_W + 3).max(12));

    if !report.findings.is_empty() {
        let header = format!(
            "{} {} {} {}",
            fit("SEV", SEV_W),
            fit("RULE", RULE_W),
            fit("RESOURCE", resource_w),
            "REGION"
        );
        let _ = writeln!(out, "{}", dim(header, style));
    }
    for f in &report.findings {
        let sev = format!("{} {}", f.severity.symbol(), f.severity.label());
        let resource = format!("{} {}", f.resource_type, f.resource_id);
        let _ = writeln!(
            out,
            "{} {} {} {}",
            paint(fit(&sev, SEV_W), Some(severity_color(f.severity)), style),
            fit(f.rule.as_str(), RULE_W),
            fit(&resource, resource_w),
            truncate(&f.region, REGION_W)
        );
        let reason = match style.width {
            Some(_) => truncate(&f.reason, width.saturating_sub(INDENT)),
            None => f.reason.clone(),
        };
        let _ = writeln!(out, "{}{}", " ".repeat(INDENT), dim(reason, style));
    }
    write_summary(&mut out, report, style);
    out
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
    let hidden = s.total - report.findings.len();
    if hidden > 0 {
        let _ = writeln!(out, "{hidden} below --min-severity not shown");
    }
    let _ = writeln!(
        out,
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
    for e in &report.load_errors {
        let line = format!("warning: not loaded: {e} — findings there are unknown");
        let _ = writeln!(out, "{}", paint(line, Some(Color::Yellow), style));
    }
}
