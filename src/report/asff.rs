//! AWS Security Finding Format, for `aws securityhub batch-import-findings`.

use serde_json::{Value, json};

use super::ScanReport;
use crate::model::ResourceType;
use crate::rules::{Finding, Severity, rule_info};

fn resource_type(kind: ResourceType) -> &'static str {
    match kind {
        ResourceType::DbInstance => "AwsRdsDbInstance",
        ResourceType::DbCluster => "AwsRdsDbCluster",
        ResourceType::DbSnapshot => "AwsRdsDbSnapshot",
        ResourceType::DbClusterSnapshot => "AwsRdsDbClusterSnapshot",
        ResourceType::SecurityGroup => "AwsEc2SecurityGroup",
        // ASFF has no one type for "an IAM user or role": `Other` is its
        // catch-all, with the ARN as the resource id.
        ResourceType::Principal => "Other",
    }
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
    }
}

fn finding(report: &ScanReport, f: &Finding, now: &str) -> Value {
    let account = &report.account;
    let resource_id = f.arn.clone().unwrap_or_else(|| f.resource_id.clone());
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": finding_id(f, &resource_id),
        "ProductArn": format!("arn:aws:securityhub:{}:{account}:product/{account}/default", f.region),
        "GeneratorId": format!("rdsight/{}", f.rule),
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": now,
        "UpdatedAt": now,
        "Severity": { "Label": label(f.severity) },
        "Title": rule_info(f.rule).title,
        "Description": description(&f.reason),
        "Resources": [{
            "Type": resource_type(f.resource_type),
            "Id": resource_id,
            "Region": f.region,
        }],
        "Compliance": {
            // ASFF's word for a control that could not be evaluated.
            "Status": if f.is_unknown() { "NOT_AVAILABLE" } else { "FAILED" },
            "RelatedRequirements": f.compliance,
        },
        "RecordState": "ACTIVE",
        "Workflow": { "Status": "NEW" },
    })
}

/// Stable per rule and resource, so re-imports update, not duplicate. A
/// principal is global but its findings are per region, and refusals per
/// call too: those are part of its findings' ids.
fn finding_id(f: &Finding, resource_id: &str) -> String {
    let mut id = format!("rdsight/{}/{resource_id}", f.rule);
    if f.resource_type == ResourceType::Principal {
        id.push('/');
        id.push_str(&f.region);
    }
    if let Some(name) = &f.event_name {
        id.push('/');
        id.push_str(name);
    }
    id
}

/// ASFF's `Description` holds at most 1024 characters; Security Hub
/// refuses a finding with more. Long evidence (many events) is cut, and
/// says so.
const MAX_DESCRIPTION: usize = 1024;

fn description(reason: &str) -> String {
    if reason.chars().count() <= MAX_DESCRIPTION {
        return reason.to_string();
    }
    let mut cut: String = reason.chars().take(MAX_DESCRIPTION - 1).collect();
    cut.push('…');
    cut
}

/// A JSON array of ASFF findings, one per finding in the report.
pub fn render_asff(report: &ScanReport) -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding(report, f, &now))
        .collect();
    let mut text = super::json::to_string_pretty(&findings).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fleet;
    use crate::rules::RuleId;

    #[test]
    fn maps_a_finding_to_asff_fields() {
        let fleet = Fleet {
            account: "123456789012".into(),
            ..Fleet::default()
        };
        let f = Finding {
            status: crate::rules::Status::Fail,
            rule: RuleId::SnapshotPublic,
            severity: Severity::Critical,
            resource_type: ResourceType::DbClusterSnapshot,
            resource_id: "snap".into(),
            arn: Some("arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:snap".into()),
            region: "eu-west-1".into(),
            reason: "restore attribute contains `all`".into(),
            compliance: vec!["SecurityHub RDS.1".into()],
            event_name: None,
        };
        let report = ScanReport::new(&fleet, vec![f], Severity::Low);
        let parsed: Value = serde_json::from_str(&render_asff(&report)).unwrap();
        let one = &parsed[0];
        assert_eq!(one["SchemaVersion"], "2018-10-08");
        assert_eq!(one["AwsAccountId"], "123456789012");
        assert_eq!(one["Severity"]["Label"], "CRITICAL");
        assert_eq!(one["Resources"][0]["Type"], "AwsRdsDbClusterSnapshot");
        assert_eq!(
            one["Resources"][0]["Id"],
            "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:snap"
        );
        assert_eq!(
            one["ProductArn"],
            "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default"
        );
        assert_eq!(one["Compliance"]["Status"], "FAILED");
        assert_eq!(
            one["Compliance"]["RelatedRequirements"][0],
            "SecurityHub RDS.1"
        );
    }

    #[test]
    fn principal_findings_are_other_resources_with_ids_per_region_and_call() {
        let fleet = Fleet {
            account: "123456789012".into(),
            ..Fleet::default()
        };
        let role = "arn:aws:iam::123456789012:role/probe";
        let denied = |region: &str, call: &str| Finding {
            status: crate::rules::Status::Fail,
            rule: RuleId::ActivityAccessDenied,
            severity: Severity::Medium,
            resource_type: ResourceType::Principal,
            resource_id: role.into(),
            arn: Some(role.into()),
            region: region.into(),
            reason: "x".repeat(3000).into(),
            compliance: Vec::new(),
            event_name: Some(call.into()),
        };
        let findings = vec![
            denied("us-east-1", "DescribeDBSnapshots"),
            denied("us-east-1", "CopyDBSnapshot"),
            denied("eu-west-1", "DescribeDBSnapshots"),
        ];
        let report = ScanReport::new(&fleet, findings, Severity::Low);
        let parsed: Value = serde_json::from_str(&render_asff(&report)).unwrap();
        let ids: Vec<&str> = (0..3).map(|n| parsed[n]["Id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "rdsight/activity-access-denied/arn:aws:iam::123456789012:role/probe/us-east-1/DescribeDBSnapshots",
                "rdsight/activity-access-denied/arn:aws:iam::123456789012:role/probe/us-east-1/CopyDBSnapshot",
                "rdsight/activity-access-denied/arn:aws:iam::123456789012:role/probe/eu-west-1/DescribeDBSnapshots",
            ]
        );
        assert_eq!(parsed[0]["Resources"][0]["Type"], "Other");
        assert_eq!(parsed[0]["Resources"][0]["Id"], role);
        let description = parsed[0]["Description"].as_str().unwrap();
        assert_eq!(description.chars().count(), 1024);
        assert!(description.ends_with('…'));
    }
}
