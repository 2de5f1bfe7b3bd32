//! What decides whether a snapshot can leave the account, and whether it
//! did: the manager of each KMS key snapshots use, snapshot exports to S3,
//! and the RDS event subscriptions that would tell someone it happened.

use serde::{Deserialize, Serialize};

/// KMS's `KeyManager` for a key managed by AWS (`aws/rds`): its policy
/// cannot be changed, so what it encrypts cannot be shared across accounts.
pub const AWS_KEY_MANAGER: &str = "AWS";

/// One KMS key a snapshot refers to, as `kms:DescribeKey` described it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KmsKey {
    pub region: String,
    /// The key as snapshots name it (`KmsKeyId`, usually its ARN).
    pub id: String,
    /// Its ARN, as DescribeKey answered.
    pub arn: Option<String>,
    /// `AWS` or `CUSTOMER`.
    pub key_manager: String,
    /// DescribeKey said there is no such key: it was deleted. Never an
    /// AWS-managed key, which cannot be deleted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

impl KmsKey {
    pub fn is_aws_managed(&self) -> bool {
        self.key_manager == AWS_KEY_MANAGER
    }

    /// Does `key` (an id, ARN or alias ARN as a user or a snapshot names
    /// it) name this key?
    pub fn is_named(&self, key: &str) -> bool {
        self.id == key || self.arn.as_deref() == Some(key) || key_id_of(&self.id) == key
    }
}

/// The key id at the end of a key ARN (`…:key/<id>`), or the text itself.
pub fn key_id_of(key: &str) -> &str {
    key.rsplit_once(":key/").map_or(key, |(_, id)| id)
}

/// An alias of an AWS-managed key (`alias/aws/rds`, or its ARN form).
pub fn is_aws_managed_alias(key: &str) -> bool {
    key.starts_with("alias/aws/") || key.contains(":alias/aws/")
}

/// One export of a snapshot (or cluster) to S3, as
/// `rds:DescribeExportTasks` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportTask {
    pub region: String,
    pub id: String,
    /// The ARN of what was exported: a DB snapshot, a cluster snapshot or
    /// a cluster.
    pub source_arn: String,
    /// `STARTING`, `IN_PROGRESS`, `COMPLETE`, `CANCELING`, `CANCELED`,
    /// `FAILED` (AWS spells them in upper case; moto in lower).
    pub status: String,
    pub s3_bucket: String,
    pub s3_prefix: String,
    pub iam_role_arn: Option<String>,
    pub kms_key_id: Option<String>,
    pub task_start_time: Option<String>,
    pub task_end_time: Option<String>,
}

impl ExportTask {
    /// The data is in S3, or on its way there.
    pub fn left_or_leaving(&self) -> bool {
        matches!(
            self.status.to_ascii_uppercase().as_str(),
            "COMPLETE" | "IN_PROGRESS" | "STARTING"
        )
    }
}

/// Source types an instance or cluster event reaches a subscription
/// through; no source type means every source.
const COMPUTE_SOURCES: &[&str] = &["db-instance", "db-cluster"];
/// Categories on-call must hear about.
pub const NEEDED_CATEGORIES: [&str; 2] = ["failure", "maintenance"];
/// Statuses of a subscription that delivers nothing.
const BROKEN: &[&str] = &["no-permission", "topic-not-exist", "deleting"];

/// One RDS event subscription, as `rds:DescribeEventSubscriptions` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventSubscription {
    pub region: String,
    pub id: String,
    pub sns_topic_arn: Option<String>,
    /// `db-instance`, `db-cluster`, …; `None`: every source type.
    pub source_type: Option<String>,
    /// Empty: every category.
    pub event_categories: Vec<String>,
    /// Empty: every source of the type.
    pub source_ids: Vec<String>,
    pub enabled: bool,
    /// `active`, `no-permission`, `topic-not-exist`, …
    pub status: String,
}

impl EventSubscription {
    /// Enabled, delivering, for every instance or every cluster, and for
    /// failure and maintenance events at least.
    pub fn covers_failure_and_maintenance(&self) -> bool {
        let source = self
            .source_type
            .as_deref()
            .is_none_or(|t| t.is_empty() || COMPUTE_SOURCES.contains(&t));
        let categories = self.event_categories.is_empty()
            || NEEDED_CATEGORIES
                .iter()
                .all(|c| self.event_categories.iter().any(|e| e == c));
        self.enabled
            && !BROKEN.contains(&self.status.as_str())
            && source
            && self.source_ids.is_empty()
            && categories
    }
}

/// Which of this area's lists were read in a region. Absent (a fleet saved
/// before they existed, a failed read): rules say unknown, never pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionReads {
    pub region: String,
    pub export_tasks: bool,
    pub event_subscriptions: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription(source: Option<&str>, categories: &[&str]) -> EventSubscription {
        EventSubscription {
            source_type: source.map(str::to_string),
            event_categories: categories.iter().map(|c| c.to_string()).collect(),
            enabled: true,
            status: "active".into(),
            ..EventSubscription::default()
        }
    }

    #[test]
    fn coverage_needs_failure_and_maintenance_for_compute() {
        assert!(subscription(None, &[]).covers_failure_and_maintenance());
        assert!(subscription(Some("db-cluster"), &[]).covers_failure_and_maintenance());
        let both = ["maintenance", "failure", "backup"];
        assert!(subscription(Some("db-instance"), &both).covers_failure_and_maintenance());
        assert!(!subscription(Some("db-instance"), &["failure"]).covers_failure_and_maintenance());
        assert!(!subscription(Some("db-snapshot"), &[]).covers_failure_and_maintenance());
        let off = EventSubscription {
            enabled: false,
            ..subscription(None, &[])
        };
        assert!(!off.covers_failure_and_maintenance());
        let scoped = EventSubscription {
            source_ids: vec!["db-1".into()],
            ..subscription(None, &[])
        };
        assert!(!scoped.covers_failure_and_maintenance());
        let broken = EventSubscription {
            status: "topic-not-exist".into(),
            ..subscription(None, &[])
        };
        assert!(!broken.covers_failure_and_maintenance());
    }

    #[test]
    fn keys_are_named_by_id_arn_or_alias() {
        let key = KmsKey {
            id: "arn:aws:kms:eu-west-1:111122223333:key/abcd".into(),
            arn: Some("arn:aws:kms:eu-west-1:111122223333:key/abcd".into()),
            key_manager: "AWS".into(),
            ..KmsKey::default()
        };
        assert!(key.is_named("abcd") && key.is_aws_managed());
        assert!(is_aws_managed_alias("alias/aws/rds"));
        assert!(is_aws_managed_alias(
            "arn:aws:kms:eu-west-1:1:alias/aws/rds"
        ));
        assert!(!is_aws_managed_alias("alias/rds-snapshots"));
        let running = ExportTask {
            status: "in_progress".into(),
            ..ExportTask::default()
        };
        assert!(running.left_or_leaving());
    }
}
