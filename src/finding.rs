//! What a rule concluded: severities, rule ids and findings. Plain data
//! shared by the rules that make findings, the fixes that answer them and
//! everything that shows them.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::model::{ResourceRef, ResourceType};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    #[value(alias = "med")]
    Medium,
    High,
    #[value(alias = "crit")]
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
    SnapshotSharedUnencrypted,
    SnapshotAwsManagedKey,
    SnapshotExported,
    NoEventSubscription,
    InstanceInternetReachable,
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
    TlsNotEnforced,
    CaCertificateExpiring,
    DefaultSecurityGroup,
    PasswordNotManaged,
    // Issue 15: judged from the activity trail, not from one resource.
    ActivitySnapshotShared,
    ActivitySnapshotExported,
    ActivitySnapshotCopiedCrossRegion,
    ActivityAccessDenied,
    ActivityRootUser,
    ActivityUnexpectedSnapshotCreator,
}

impl RuleId {
    /// Every rule, in catalogue order.
    pub const ALL: [RuleId; 34] = [
        RuleId::SnapshotPublic,
        RuleId::SnapshotSharedUntrusted,
        RuleId::SnapshotUnencrypted,
        RuleId::SnapshotSharedUnencrypted,
        RuleId::SnapshotAwsManagedKey,
        RuleId::SnapshotExported,
        RuleId::NoEventSubscription,
        RuleId::InstanceInternetReachable,
        RuleId::InstancePublic,
        RuleId::InstanceUnencrypted,
        RuleId::ClusterUnencrypted,
        RuleId::InstanceSingleAz,
        RuleId::ClusterSingleAz,
        RuleId::BackupsDisabled,
        RuleId::BackupsShort,
        RuleId::DeletionProtectionOff,
        RuleId::SgOpenDbPort,
        RuleId::AutoMinorUpgradeOff,
        RuleId::IamAuthOff,
        RuleId::DefaultPort,
        RuleId::DefaultAdmin,
        RuleId::CopyTagsOff,
        RuleId::EnhancedMonitoringOff,
        RuleId::LogsNotExported,
        RuleId::TlsNotEnforced,
        RuleId::CaCertificateExpiring,
        RuleId::DefaultSecurityGroup,
        RuleId::PasswordNotManaged,
        RuleId::ActivitySnapshotShared,
        RuleId::ActivitySnapshotExported,
        RuleId::ActivitySnapshotCopiedCrossRegion,
        RuleId::ActivityAccessDenied,
        RuleId::ActivityRootUser,
        RuleId::ActivityUnexpectedSnapshotCreator,
    ];

    /// The id as written in reports and configuration, e.g. `snapshot-public`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::SnapshotPublic => "snapshot-public",
            RuleId::SnapshotSharedUntrusted => "snapshot-shared-untrusted",
            RuleId::SnapshotUnencrypted => "snapshot-unencrypted",
            RuleId::SnapshotSharedUnencrypted => "snapshot-shared-unencrypted",
            RuleId::SnapshotAwsManagedKey => "snapshot-aws-managed-key",
            RuleId::SnapshotExported => "snapshot-exported",
            RuleId::NoEventSubscription => "no-event-subscription",
            RuleId::InstanceInternetReachable => "instance-internet-reachable",
            RuleId::InstancePublic => "instance-public",
            RuleId::InstanceUnencrypted => "instance-unencrypted",
            RuleId::ClusterUnencrypted => "cluster-unencrypted",
            RuleId::InstanceSingleAz => "instance-single-az",
            RuleId::ClusterSingleAz => "cluster-single-az",
            RuleId::BackupsDisabled => "backups-disabled",
            RuleId::BackupsShort => "backups-short",
            RuleId::DeletionProtectionOff => "deletion-protection-off",
            RuleId::SgOpenDbPort => "sg-open-db-port",
            RuleId::AutoMinorUpgradeOff => "auto-minor-upgrade-off",
            RuleId::IamAuthOff => "iam-auth-off",
            RuleId::DefaultPort => "default-port",
            RuleId::DefaultAdmin => "default-admin",
            RuleId::CopyTagsOff => "copy-tags-off",
            RuleId::EnhancedMonitoringOff => "enhanced-monitoring-off",
            RuleId::LogsNotExported => "logs-not-exported",
            RuleId::TlsNotEnforced => "tls-not-enforced",
            RuleId::CaCertificateExpiring => "ca-certificate-expiring",
            RuleId::DefaultSecurityGroup => "default-security-group",
            RuleId::PasswordNotManaged => "password-not-managed",
            RuleId::ActivitySnapshotShared => "activity-snapshot-shared",
            RuleId::ActivitySnapshotExported => "activity-snapshot-exported",
            RuleId::ActivitySnapshotCopiedCrossRegion => "activity-snapshot-copied-cross-region",
            RuleId::ActivityAccessDenied => "activity-access-denied",
            RuleId::ActivityRootUser => "activity-root-user",
            RuleId::ActivityUnexpectedSnapshotCreator => "activity-unexpected-snapshot-creator",
        }
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
        RuleId::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown rule `{s}`"))
    }
}

/// Whether a rule judged the resource failing, or could not judge it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The rule fires: the reason is the evidence.
    #[default]
    Fail,
    /// An input the rule needs was not loaded (a denied call, a missing
    /// security group): the reason says which. Never counted as a pass,
    /// never counted at its severity, never planned.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// The mark of an unknown verdict, distinct in shape from every severity's.
pub const UNKNOWN_SYMBOL: &str = "?";
/// Its label, as wide as the severities' labels.
pub const UNKNOWN_LABEL: &str = "UNKN";

/// One failed (or unjudgeable) check on one resource, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    /// The rule's severity; for an unknown verdict, what it would be.
    pub severity: Severity,
    pub status: Status,
    pub resource_type: ResourceType,
    pub resource_id: String,
    pub arn: Option<String>,
    pub region: String,
    /// Fixed text for most rules, so it is shared rather than copied.
    pub reason: Cow<'static, str>,
    pub compliance: Vec<Cow<'static, str>>,
    /// The RDS call an activity finding is about, when its rule finds one
    /// per call on the same resource (activity-access-denied: a
    /// principal's refusals, per call): with the rule, the resource and
    /// the region, what tells such findings apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
}

impl Finding {
    pub fn is_unknown(&self) -> bool {
        self.status == Status::Unknown
    }

    /// Its severity, or `None` when the rule could not judge: what counts,
    /// gates and colours go by.
    pub fn judged_severity(&self) -> Option<Severity> {
        (self.status == Status::Fail).then_some(self.severity)
    }

    /// Symbol and label as shown: the severity's, or the unknown mark.
    pub fn mark(&self) -> (&'static str, &'static str) {
        match self.status {
            Status::Fail => (self.severity.symbol(), self.severity.label()),
            Status::Unknown => (UNKNOWN_SYMBOL, UNKNOWN_LABEL),
        }
    }

    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(self.resource_type, &self.region, &self.resource_id)
    }
}
