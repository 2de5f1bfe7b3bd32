//! The settings a Modify call changes, as sent and as the demo applies
//! them.

use serde::{Deserialize, Serialize};

use crate::model::{Cluster, Instance};
use crate::remediation::{Impact, Param, Value};
use aws_sdk_rds::types::CloudwatchLogsExportConfiguration;

/// A setting changed by ModifyDBInstance / ModifyDBCluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "parameter", content = "value")]
pub enum Setting {
    PubliclyAccessible(bool),
    MultiAZ(bool),
    BackupRetentionPeriod(u32),
    DeletionProtection(bool),
    AutoMinorVersionUpgrade(bool),
    EnableIAMDatabaseAuthentication(bool),
    CopyTagsToSnapshot(bool),
    /// `CloudwatchLogsExportConfiguration.EnableLogTypes`: log types to
    /// start exporting (the ones exported already are left alone).
    EnableLogTypes(Vec<String>),
    /// Enhanced monitoring every `seconds` (0: off), published with
    /// `role_arn`. A restored copy gets it this way: the restore call has
    /// no such parameter.
    MonitoringInterval {
        seconds: u32,
        role_arn: Option<String>,
    },
}

impl Setting {
    /// The API parameters, as sent: one, or for monitoring its interval
    /// and the role it needs.
    pub fn parameters(&self) -> Vec<Param> {
        let mut params = vec![self.parameter()];
        if let Setting::MonitoringInterval {
            role_arn: Some(role),
            ..
        } = self
        {
            params.push(Param::text("MonitoringRoleArn", role));
        }
        params
    }

    /// The main API parameter, as sent.
    pub fn parameter(&self) -> Param {
        match self {
            Setting::PubliclyAccessible(v) => Param::flag("PubliclyAccessible", *v),
            Setting::MultiAZ(v) => Param::flag("MultiAZ", *v),
            Setting::BackupRetentionPeriod(v) => {
                Param::number("BackupRetentionPeriod", i64::from(*v))
            }
            Setting::DeletionProtection(v) => Param::flag("DeletionProtection", *v),
            Setting::AutoMinorVersionUpgrade(v) => Param::flag("AutoMinorVersionUpgrade", *v),
            Setting::EnableIAMDatabaseAuthentication(v) => {
                Param::flag("EnableIAMDatabaseAuthentication", *v)
            }
            Setting::CopyTagsToSnapshot(v) => Param::flag("CopyTagsToSnapshot", *v),
            Setting::EnableLogTypes(types) => Param {
                name: "CloudwatchLogsExportConfiguration",
                value: Value::Json(serde_json::json!({ "EnableLogTypes": types })),
            },
            Setting::MonitoringInterval { seconds, .. } => {
                Param::number("MonitoringInterval", i64::from(*seconds))
            }
        }
    }

    /// `Name=value`, as sources list pending changes.
    pub fn label(&self) -> String {
        let param = self.parameter();
        format!("{}={}", param.name, param.value.shown())
    }

    /// The name AWS uses for this change in PendingModifiedValues, when it
    /// can show up there.
    pub fn pending_name(&self) -> Option<&'static str> {
        match self {
            Setting::MultiAZ(_) => Some("MultiAZ"),
            Setting::BackupRetentionPeriod(_) => Some("BackupRetentionPeriod"),
            Setting::EnableIAMDatabaseAuthentication(_) => Some("IAMDatabaseAuthenticationEnabled"),
            Setting::EnableLogTypes(_) => Some("EnableLogTypes"),
            _ => None,
        }
    }

    /// Does AWS hold this change for the maintenance window unless told to
    /// apply it immediately? (The others always apply at once.) Backup
    /// retention waits only when it turns backups on or off: between two
    /// non-zero values AWS applies it as soon as possible.
    pub fn honours_window(&self, from_no_backups: bool) -> bool {
        match self {
            Setting::MultiAZ(_) => true,
            Setting::BackupRetentionPeriod(days) => from_no_backups || *days == 0,
            _ => false,
        }
    }

    pub(super) fn impact(&self, from_no_backups: bool) -> Impact {
        match self {
            Setting::MultiAZ(true) => Impact::BriefIoPause,
            // Turning backups on from 0 takes the instance through a restart.
            Setting::BackupRetentionPeriod(n) if *n > 0 && from_no_backups => Impact::Outage,
            _ => Impact::None,
        }
    }

    pub(super) fn apply_to_instance(&self, i: &mut Instance) {
        match self {
            Setting::MonitoringInterval { seconds, role_arn } => {
                i.monitoring_interval_secs = *seconds;
                i.monitoring_role_arn = role_arn.clone();
            }
            Setting::PubliclyAccessible(v) => i.publicly_accessible = *v,
            Setting::MultiAZ(v) => i.multi_az = *v,
            Setting::BackupRetentionPeriod(v) => i.backup_retention_days = *v,
            Setting::DeletionProtection(v) => i.deletion_protection = *v,
            Setting::AutoMinorVersionUpgrade(v) => i.auto_minor_version_upgrade = *v,
            Setting::EnableIAMDatabaseAuthentication(v) => i.iam_auth_enabled = *v,
            Setting::CopyTagsToSnapshot(v) => i.copy_tags_to_snapshot = *v,
            Setting::EnableLogTypes(types) => add_log_types(&mut i.cloudwatch_logs_exports, types),
        }
    }

    pub(super) fn apply_to_cluster(&self, c: &mut Cluster) {
        match self {
            // Not parameters of ModifyDBCluster here; plans never send them.
            Setting::PubliclyAccessible(_) | Setting::MonitoringInterval { .. } => {}
            Setting::MultiAZ(v) => c.multi_az = *v,
            Setting::BackupRetentionPeriod(v) => c.backup_retention_days = *v,
            Setting::DeletionProtection(v) => c.deletion_protection = *v,
            Setting::AutoMinorVersionUpgrade(v) => c.auto_minor_version_upgrade = Some(*v),
            Setting::EnableIAMDatabaseAuthentication(v) => c.iam_auth_enabled = *v,
            Setting::CopyTagsToSnapshot(v) => c.copy_tags_to_snapshot = *v,
            Setting::EnableLogTypes(types) => add_log_types(&mut c.cloudwatch_logs_exports, types),
        }
    }

    /// The SDK's form of [`Setting::EnableLogTypes`], if it is that.
    pub(super) fn log_exports(&self) -> Option<CloudwatchLogsExportConfiguration> {
        match self {
            Setting::EnableLogTypes(types) => Some(
                CloudwatchLogsExportConfiguration::builder()
                    .set_enable_log_types(Some(types.clone()))
                    .build(),
            ),
            _ => None,
        }
    }
}

fn add_log_types(exported: &mut Vec<String>, types: &[String]) {
    for t in types {
        if !exported.contains(t) {
            exported.push(t.clone());
        }
    }
}
