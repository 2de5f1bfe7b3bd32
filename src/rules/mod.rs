//! The rule catalogue: pure checks over a [`Fleet`] that yield findings.
//!
//! Each rule judges one resource at a time and returns a [`Verdict`]; the
//! verdicts that fail become [`Finding`]s. Keeping "passes" and "not
//! applicable" explicit lets the UI say *why* a rule did not fire (e.g. an
//! Aurora member judged through its cluster) and lets tests pin each case.

mod catalogue;
mod checks;
mod context;

pub use catalogue::{CATALOGUE, RuleInfo, rule_info};
pub use checks::{OpenRule, engine_default_port, instance_groups, open_world_rules};
pub use context::Context;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::config::RuleConfig;
use crate::model::{Cluster, Fleet, Instance, ResourceRef, ResourceType, Snapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Highest first, the order reports and summaries use.
    pub const DESCENDING: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    /// Short upper-case label that reads without colour.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Low => "LOW",
            Severity::Medium => "MED",
            Severity::High => "HIGH",
            Severity::Critical => "CRIT",
        }
    }

    /// A symbol per severity, distinct in shape so it reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Severity::Low => "○",
            Severity::Medium => "●",
            Severity::High => "▲",
            Severity::Critical => "◆",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" | "med" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" | "crit" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium or low)"
            )),
        }
    }
}

/// Every rule rdsight knows, named as in reports and configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    SnapshotPublic,
    SnapshotSharedUntrusted,
    SnapshotUnencrypted,
    InstancePublic,
    InstanceUnencrypted,
    ClusterUnencrypted,
    InstanceSingleAz,
    ClusterSingleAz,
    BackupsDisabled,
    BackupsShort,
    DeletionProtectionOff,
    SgOpenDbPort,
    AutoMinorUpgradeOff,
    IamAuthOff,
    DefaultPort,
    DefaultAdmin,
    CopyTagsOff,
    EnhancedMonitoringOff,
    LogsNotExported,
}

impl RuleId {
    pub fn as_str(self) -> &'static str {
        rule_info(self).name
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CATALOGUE
            .iter()
            .find(|r| r.name == s)
            .map(|r| r.id)
            .ok_or_else(|| format!("unknown rule `{s}`"))
    }
}

/// What one rule concluded about one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The rule fires; the text is the evidence shown to the user.
    Fail(String),
    /// The rule does not judge this resource here, and why.
    NotApplicable(String),
}

/// A resource as rules see it.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Cluster(&'a Cluster),
    Instance(&'a Instance),
    Snapshot(&'a Snapshot),
}

impl Subject<'_> {
    pub fn resource_type(&self) -> ResourceType {
        match self {
            Subject::Cluster(_) => ResourceType::DbCluster,
            Subject::Instance(_) => ResourceType::DbInstance,
            Subject::Snapshot(s) => s.kind.resource_type(),
        }
    }

    pub fn resource_ref(&self) -> ResourceRef {
        match self {
            Subject::Cluster(c) => c.resource_ref(),
            Subject::Instance(i) => i.resource_ref(),
            Subject::Snapshot(s) => s.resource_ref(),
        }
    }

    pub fn arn(&self) -> Option<&str> {
        match self {
            Subject::Cluster(c) => c.arn.as_deref(),
            Subject::Instance(i) => i.arn.as_deref(),
            Subject::Snapshot(s) => s.arn.as_deref(),
        }
    }
}

/// One failed check on one resource, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub resource_type: ResourceType,
    pub resource_id: String,
    pub arn: Option<String>,
    pub region: String,
    pub reason: String,
    pub compliance: Vec<String>,
}

impl Finding {
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(self.resource_type, &self.region, &self.resource_id)
    }
}

/// Judge one resource by one rule.
pub fn verdict(ctx: &Context<'_>, rule: RuleId, subject: Subject<'_>) -> Verdict {
    let info = rule_info(rule);
    if !info.targets.contains(&subject.resource_type()) {
        return Verdict::NotApplicable(format!(
            "{} does not judge {}s",
            info.name,
            subject.resource_type()
        ));
    }
    (info.check)(ctx, subject)
}

/// All verdicts for one resource, in catalogue order, skipping rules that
/// never target its type.
pub fn verdicts_for<'a>(ctx: &Context<'_>, subject: Subject<'a>) -> Vec<(RuleId, Verdict)> {
    CATALOGUE
        .iter()
        .filter(|r| r.targets.contains(&subject.resource_type()))
        .filter(|r| ctx.config.is_enabled(r.id))
        .map(|r| (r.id, (r.check)(ctx, subject)))
        .collect()
}

/// Every subject in the fleet, clusters first.
pub fn subjects(fleet: &Fleet) -> impl Iterator<Item = Subject<'_>> {
    fleet
        .clusters
        .iter()
        .map(Subject::Cluster)
        .chain(fleet.instances.iter().map(Subject::Instance))
        .chain(fleet.snapshots.iter().map(Subject::Snapshot))
}

/// Evaluate every enabled rule over every resource. Findings come out
/// ordered by severity (worst first), then rule, region and resource.
pub fn evaluate(fleet: &Fleet, config: &RuleConfig) -> Vec<Finding> {
    let ctx = Context::new(fleet, config);
    let mut findings: Vec<Finding> = subjects(fleet)
        .flat_map(|subject| findings_for(&ctx, subject))
        .collect();
    sort_findings(&mut findings);
    findings
}

/// The findings of one resource.
pub fn findings_for(ctx: &Context<'_>, subject: Subject<'_>) -> Vec<Finding> {
    verdicts_for(ctx, subject)
        .into_iter()
        .filter_map(|(rule, verdict)| match verdict {
            Verdict::Fail(reason) => Some(make_finding(rule, subject, reason)),
            _ => None,
        })
        .collect()
}

fn make_finding(rule: RuleId, subject: Subject<'_>, reason: String) -> Finding {
    let info = rule_info(rule);
    let resource = subject.resource_ref();
    Finding {
        rule,
        severity: info.severity,
        resource_type: resource.kind,
        resource_id: resource.id,
        arn: subject.arn().map(str::to_string),
        region: resource.region,
        reason,
        compliance: info.compliance_for(resource.kind),
    }
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.rule.cmp(&b.rule))
            .then_with(|| a.region.cmp(&b.region))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
    });
}

/// Counts for the posture summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub total: usize,
    pub resources_scanned: usize,
    pub resources_passing: usize,
}

impl Summary {
    pub fn new(fleet: &Fleet, findings: &[Finding]) -> Self {
        let mut summary = Summary {
            resources_scanned: fleet.resource_count(),
            total: findings.len(),
            ..Summary::default()
        };
        for f in findings {
            *summary.count_mut(f.severity) += 1;
        }
        let failing: std::collections::HashSet<ResourceRef> =
            findings.iter().map(Finding::resource_ref).collect();
        summary.resources_passing = summary.resources_scanned.saturating_sub(failing.len());
        summary
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
            Severity::Critical => self.critical,
        }
    }

    fn count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Low => &mut self.low,
            Severity::Medium => &mut self.medium,
            Severity::High => &mut self.high,
            Severity::Critical => &mut self.critical,
        }
    }

    /// Share of scanned resources with no finding, as a whole percentage.
    pub fn passing_percent(&self) -> u32 {
        if self.resources_scanned == 0 {
            return 100;
        }
        ((self.resources_passing * 100) / self.resources_scanned) as u32
    }
}
