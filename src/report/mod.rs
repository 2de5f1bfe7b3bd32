//! Headless output: a scan as a table for people, JSON, CSV and ASFF for
//! machines; the remediation plans as a reviewable script (`plan_script`).
//!
//! Whatever lands on a terminal is safe there: the table sanitises fleet
//! text (`text::sanitize`), JSON and ASFF escape every control character
//! (`json`), CSV neutralises formulas, the plan script quotes every value.

mod asff;
mod csv;
mod json;
pub mod plan_script;
mod table;

pub use table::render_table;

use serde::Serialize;

use crate::model::{Fleet, LoadError};
use crate::rules::{Finding, Severity, Summary};

/// The output formats `rdsight scan --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// AWS Security Finding Format, for Security Hub import.
    Asff,
}

/// Everything a scan produced, shaped as the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub account: String,
    pub regions: Vec<String>,
    /// False when part of the fleet could not be loaded, or a rule could
    /// not judge a resource for want of an input: verdicts there are
    /// unknown, and a clean summary proves nothing about them.
    pub complete: bool,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub load_errors: Vec<LoadError>,
}

impl ScanReport {
    /// Build the report, keeping findings at or above `min_severity`.
    /// The summary counts every finding so the posture is never understated.
    pub fn new(fleet: &Fleet, findings: Vec<Finding>, min_severity: Severity) -> Self {
        let summary = Summary::new(fleet, &findings);
        Self {
            account: fleet.account.clone(),
            regions: fleet.regions.clone(),
            complete: fleet.load_errors.is_empty() && summary.unknown == 0,
            summary,
            findings: findings
                .into_iter()
                .filter(|f| f.severity >= min_severity)
                .collect(),
            load_errors: fleet.load_errors.clone(),
        }
    }

    /// Is there a finding at or above `threshold`? Counted over all findings,
    /// not only those shown.
    pub fn has_finding_at_or_above(&self, threshold: Severity) -> bool {
        Severity::DESCENDING
            .iter()
            .filter(|s| **s >= threshold)
            .any(|s| self.summary.count(*s) > 0)
    }
}

/// How the table is laid out for the terminal it lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyle {
    /// Truncate rows to this width; `None` prints full reasons (pipes, files).
    pub width: Option<usize>,
    pub color: bool,
}

/// Write the report to `out`. JSON is streamed: a 100k-resource scan never
/// holds its whole report text in memory.
pub fn write(
    report: &ScanReport,
    format: Format,
    style: TableStyle,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            json::write_pretty(&mut *out, report)?;
            out.write_all(b"\n")
        }
        other => out.write_all(render(report, other, style).as_bytes()),
    }
}

pub fn render(report: &ScanReport, format: Format, style: TableStyle) -> String {
    match format {
        Format::Table => render_table(report, style),
        Format::Json => {
            let mut text = json::to_string_pretty(report)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
            text.push('\n');
            text
        }
        Format::Csv => csv::render_csv(report),
        Format::Asff => asff::render_asff(report),
    }
}
