//! One CSV row per finding, compliance ids joined with `;`.
//!
//! Cells are neutralised against formula injection as OWASP recommends:
//! a spreadsheet runs a cell starting with `=`, `+`, `-` or `@` (or a tab
//! or carriage return before one) as a formula, and ids, tags and reasons
//! come from AWS or a file. Such a cell gets a leading `'`, which the
//! spreadsheet shows as text; the csv writer then quotes it as any field.

use std::borrow::Cow;

use super::ScanReport;

/// `cell` as a spreadsheet will read it as text, never as a formula.
fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

pub fn render_csv(report: &ScanReport) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "rule",
        "severity",
        "resource_type",
        "resource_id",
        "arn",
        "region",
        "reason",
        "compliance",
        "status",
        // Only activity-access-denied sets it: the refused call.
        "event_name",
    ];
    // Writing to a Vec cannot fail for I/O reasons; errors here would mean a
    // bug in the csv crate, so they are dropped rather than panicking.
    let _ = writer.write_record(header);
    for f in &report.findings {
        let compliance = f.compliance.join(";");
        let _ = writer.write_record(
            [
                f.rule.as_str(),
                f.severity.as_str(),
                f.resource_type.as_str(),
                &f.resource_id,
                f.arn.as_deref().unwrap_or(""),
                &f.region,
                &f.reason,
                &compliance,
                f.status.as_str(),
                f.event_name.as_deref().unwrap_or(""),
            ]
            .map(neutralise)
            .iter()
            .map(|cell| cell.as_bytes()),
        );
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fleet, ResourceType};
    use crate::rules::{Finding, RuleId, Severity};

    #[test]
    fn quotes_fields_with_commas_and_quotes() {
        let fleet = Fleet::default();
        let finding = Finding {
            status: crate::rules::Status::Fail,
            rule: RuleId::SnapshotSharedUntrusted,
            severity: Severity::High,
            resource_type: ResourceType::DbSnapshot,
            resource_id: "snap-1".into(),
            arn: None,
            region: "us-east-1".into(),
            reason: "shared with 1, 2 and \"3\"".into(),
            compliance: vec!["A".into(), "B".into()],
            event_name: None,
        };
        let report = ScanReport::new(&fleet, vec![finding], Severity::Low);
        let text = render_csv(&report);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "rule,severity,resource_type,resource_id,arn,region,reason,compliance,status,event_name"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "snapshot-shared-untrusted,high,db-snapshot,snap-1,,us-east-1,\"shared with 1, 2 and \"\"3\"\"\",A;B,fail,"
            )
        );
    }
}
