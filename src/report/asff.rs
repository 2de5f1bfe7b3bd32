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
        // Stable per rule and resource, so re-imports update, not duplicate.
        "Id": format!("rdsight/{}/{}", f.rule, resource_id),
        "ProductArn": format!("arn:aws:securityhub:{}:{account}:product/{account}/default", f.region),
        "GeneratorId": format!("rdsight/{}", f.rule),
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": now,
        "UpdatedAt": now,
        "Severity": { "Label": label(f.severity) },
        "Title": rule_info(f.rule).title,
        "Description": f.reason,
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
}
