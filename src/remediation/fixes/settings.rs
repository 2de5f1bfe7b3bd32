//! Change one setting of an instance or cluster with ModifyDBInstance or
//! ModifyDBCluster: make it private, add a standby, keep backups, block
//! deletion, take minor upgrades, allow IAM authentication, copy tags.
//! Some changes wait for the maintenance window unless applied now.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::support::{not_found, refused};
use crate::finding::RuleId;
use crate::model::log_types;
use crate::model::{Cluster, Fleet, Instance, ResourceRef, ResourceType};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, Impact, NoRemediation, Param, PlannedStep, Sent, Value,
    Verify,
};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{Fact, SourceError, StepOutcome};
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

    fn impact(&self, from_no_backups: bool) -> Impact {
        match self {
            Setting::MultiAZ(true) => Impact::BriefIoPause,
            // Turning backups on from 0 takes the instance through a restart.
            Setting::BackupRetentionPeriod(n) if *n > 0 && from_no_backups => Impact::Outage,
            _ => Impact::None,
        }
    }

    fn apply_to_instance(&self, i: &mut Instance) {
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

    fn apply_to_cluster(&self, c: &mut Cluster) {
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
    fn log_exports(&self) -> Option<CloudwatchLogsExportConfiguration> {
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

/// One setting fix: which setting, why, and what to warn about.
pub struct SettingFix {
    setting: fn(&FixInput<'_>) -> Result<Setting, NoRemediation>,
    purpose: &'static str,
    caveat: Option<&'static str>,
}

/// Why a public Multi-AZ DB cluster has no automatic fix.
const MULTI_AZ_CLUSTER_PUBLIC: &str = "ModifyDBCluster cannot change PubliclyAccessible and its members cannot be modified one by one: remove the world-open ingress from its security groups, or restore a snapshot with --no-publicly-accessible and cut over";

/// Answers `instance-public`.
pub static MAKE_PRIVATE: SettingFix = SettingFix {
    setting: |input| match input.finding.resource_type {
        // ModifyDBCluster has no PubliclyAccessible: a Multi-AZ DB
        // cluster keeps the setting it was created with.
        ResourceType::DbCluster => Err(NoRemediation::ByHand(MULTI_AZ_CLUSTER_PUBLIC.into())),
        _ => Ok(Setting::PubliclyAccessible(false)),
    },
    purpose: "make it private",
    caveat: Some(
        "clients outside the VPC lose access at once; PubliclyAccessible applies immediately",
    ),
};

/// Answers `instance-single-az`.
pub static ADD_STANDBY: SettingFix = SettingFix {
    setting: |_| Ok(Setting::MultiAZ(true)),
    purpose: "add a standby in another zone",
    caveat: Some(
        "adds a standby: a brief I/O pause while it syncs, and about twice the instance cost",
    ),
};

/// Answers `backups-disabled` and `backups-short`.
pub static KEEP_BACKUPS: SettingFix = SettingFix {
    setting: |input| {
        Ok(Setting::BackupRetentionPeriod(
            input
                .options
                .backup_retention_days
                .max(input.config.min_backup_retention_days),
        ))
    },
    purpose: "keep automated backups",
    caveat: None,
};

/// Answers `deletion-protection-off`.
pub static BLOCK_DELETION: SettingFix = SettingFix {
    setting: |_| Ok(Setting::DeletionProtection(true)),
    purpose: "block deletion",
    caveat: None,
};

/// Answers `iam-auth-off`.
pub static IAM_AUTH: SettingFix = SettingFix {
    setting: |_| Ok(Setting::EnableIAMDatabaseAuthentication(true)),
    purpose: "allow IAM authentication",
    caveat: Some(
        "existing password logins keep working; grant rds_iam to users who should use IAM",
    ),
};

/// Answers `copy-tags-off`.
pub static COPY_TAGS: SettingFix = SettingFix {
    setting: |_| Ok(Setting::CopyTagsToSnapshot(true)),
    purpose: "copy tags to new snapshots",
    caveat: None,
};

/// Answers `logs-not-exported`: export the log types the engine still
/// lacks (CloudwatchLogsExportConfiguration applies at once).
pub static EXPORT_LOGS: SettingFix = SettingFix {
    setting: |input| {
        let (engine, exported, on_cluster) = exports_of(input)?;
        let required = log_types::required(engine, on_cluster).ok_or_else(|| {
            NoRemediation::NotApplicable(format!("no log types are required of {engine}"))
        })?;
        let missing = log_types::missing(required, exported);
        if missing.is_empty() {
            return Err(NoRemediation::Stale(
                "every required log type is exported now".into(),
            ));
        }
        Ok(Setting::EnableLogTypes(
            missing.into_iter().map(str::to_string).collect(),
        ))
    },
    purpose: "export the missing log types to CloudWatch Logs",
    caveat: Some(
        "CloudWatch Logs bills for what is sent and kept; MySQL and MariaDB write audit logs only with the MARIADB_AUDIT_PLUGIN option, and general and slow-query logs only with general_log / slow_query_log = 1 and log_output = FILE in a custom parameter group",
    ),
};

/// The engine and exported log types of the finding's instance or
/// cluster, and whether it is a cluster.
fn exports_of<'f>(input: &FixInput<'f>) -> Result<(&'f str, &'f [String], bool), NoRemediation> {
    let (region, id) = (&input.finding.region, &input.finding.resource_id);
    match input.finding.resource_type {
        ResourceType::DbCluster => input.fleet.cluster(region, id).map(|c| {
            (
                c.engine.as_str(),
                c.cloudwatch_logs_exports.as_slice(),
                true,
            )
        }),
        _ => input.fleet.instance(region, id).map(|i| {
            (
                i.engine.as_str(),
                i.cloudwatch_logs_exports.as_slice(),
                false,
            )
        }),
    }
    .ok_or_else(|| input.gone())
}

impl Fix for SettingFix {
    fn summary(&self) -> &'static str {
        self.purpose
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let setting = (self.setting)(input)?;
        // Backups from 0 restart the instance: an outage.
        let from_no_backups = finding.rule == RuleId::BackupsDisabled;
        let apply_immediately =
            input.options.apply_immediately || !setting.honours_window(from_no_backups);
        let step = modify_step(
            &finding.resource_ref(),
            setting,
            apply_immediately,
            from_no_backups,
            self.purpose,
        )?;
        let mut caveats: Vec<Caveat> = self.caveat.map(Caveat::warning).into_iter().collect();
        if from_no_backups {
            caveats.push(Caveat::warning(
                "turning backups on from 0 restarts the instance: an outage",
            ));
        }
        Ok(Fixing {
            steps: vec![step],
            caveats,
            choices: Vec::new(),
        })
    }
}

/// The Modify call that changes `setting` on the instance or cluster
/// `target`, as a plan step.
pub(super) fn modify_step(
    target: &ResourceRef,
    setting: Setting,
    apply_immediately: bool,
    from_no_backups: bool,
    purpose: &str,
) -> Result<PlannedStep, NoRemediation> {
    let region = target.region.clone();
    match target.kind {
        ResourceType::DbInstance => Ok(PlannedStep::new(
            ModifyDBInstance {
                region,
                instance_id: target.id.clone(),
                setting,
                apply_immediately,
                from_no_backups,
            },
            purpose,
        )),
        ResourceType::DbCluster => Ok(PlannedStep::new(
            ModifyDBCluster {
                region,
                cluster_id: target.id.clone(),
                setting,
                apply_immediately,
                from_no_backups,
            },
            purpose,
        )),
        other => Err(NoRemediation::NotApplicable(format!(
            "cannot modify a {other}"
        ))),
    }
}

/// ModifyDBInstance with one setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyDBInstance {
    pub region: String,
    pub instance_id: String,
    pub setting: Setting,
    pub apply_immediately: bool,
    /// Retention was 0 before: turning backups on is an outage.
    pub from_no_backups: bool,
}

/// ModifyDBCluster with one setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifyDBCluster {
    pub region: String,
    pub cluster_id: String,
    pub setting: Setting,
    pub apply_immediately: bool,
    pub from_no_backups: bool,
}

/// What the two Modify calls share; `kind` tells them apart.
trait Modify {
    fn kind(&self) -> ResourceType;
    fn id(&self) -> &str;
    fn region(&self) -> &str;
    fn setting(&self) -> &Setting;
    fn apply_immediately(&self) -> bool;
    fn turns_backups_on(&self) -> bool;

    fn honours_window(&self) -> bool {
        self.setting().honours_window(self.turns_backups_on())
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(self.kind(), self.region(), self.id())
    }

    fn parameters(&self) -> Vec<Param> {
        let id_name = match self.kind() {
            ResourceType::DbCluster => "DBClusterIdentifier",
            _ => "DBInstanceIdentifier",
        };
        let mut params = vec![Param::text(id_name, self.id())];
        params.extend(self.setting().parameters());
        params.push(Param::flag("ApplyImmediately", self.apply_immediately()));
        params
    }

    fn verify(&self) -> Verify {
        Verify {
            deleting: false,
            not_pending: self.setting().pending_name(),
        }
    }

    /// The outcome facts: pending the window only when AWS shows the
    /// change in PendingModifiedValues.
    fn outcome(&self, status: Option<&str>, pending: bool, request: Option<&str>) -> StepOutcome {
        let setting = self.setting();
        let fact = if !self.apply_immediately() && self.honours_window() && pending {
            Fact::PendingWindow {
                change: setting.label(),
            }
        } else {
            Fact::Status {
                resource: self.target(),
                status: status.unwrap_or("sent").to_string(),
            }
        };
        StepOutcome::new(vec![fact], request)
    }

    /// The demo: a held change is listed as pending; any other goes
    /// through `modifying` and applies after the transition.
    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let target = self.target();
        let setting = self.setting().clone();
        let pending = match target.kind {
            ResourceType::DbCluster => fleet
                .clusters
                .iter_mut()
                .find(|c| c.region == target.region && c.id == target.id)
                .map(|c| &mut c.pending_changes),
            _ => fleet
                .instances
                .iter_mut()
                .find(|i| i.region == target.region && i.id == target.id)
                .map(|i| &mut i.pending_changes),
        }
        .ok_or_else(|| not_found(&target))?;
        if self.honours_window() && !self.apply_immediately() {
            pending.push(setting.label());
            return Ok(DemoChange::done(self.outcome(None, true, None)));
        }
        if let Some(status) = fleet.status_mut(&target) {
            *status = "modifying".into();
        }
        let outcome = self.outcome(Some("modifying"), false, None);
        Ok(DemoChange::then(outcome, move |fleet| {
            match target.kind {
                ResourceType::DbCluster => fleet
                    .clusters
                    .iter_mut()
                    .filter(|c| c.region == target.region && c.id == target.id)
                    .for_each(|c| setting.apply_to_cluster(c)),
                _ => fleet
                    .instances
                    .iter_mut()
                    .filter(|i| i.region == target.region && i.id == target.id)
                    .for_each(|i| setting.apply_to_instance(i)),
            }
            if let Some(status) = fleet.status_mut(&target) {
                *status = "available".into();
            }
        }))
    }
}

macro_rules! modify_fields {
    ($type:ty, $kind:expr, $id:ident) => {
        impl Modify for $type {
            fn kind(&self) -> ResourceType {
                $kind
            }
            fn id(&self) -> &str {
                &self.$id
            }
            fn region(&self) -> &str {
                &self.region
            }
            fn setting(&self) -> &Setting {
                &self.setting
            }
            fn apply_immediately(&self) -> bool {
                self.apply_immediately
            }
            fn turns_backups_on(&self) -> bool {
                self.from_no_backups
            }
        }
    };
}

modify_fields!(ModifyDBInstance, ResourceType::DbInstance, instance_id);
modify_fields!(ModifyDBCluster, ResourceType::DbCluster, cluster_id);

/// The `Call` methods both Modify calls answer alike.
macro_rules! modify_call {
    ($api:literal) => {
        fn api(&self) -> &'static str {
            $api
        }
        fn parameters(&self) -> Vec<Param> {
            Modify::parameters(self)
        }
        fn target(&self) -> ResourceRef {
            Modify::target(self)
        }
        fn impact(&self) -> Impact {
            self.setting.impact(self.from_no_backups)
        }
        fn verify(&self) -> Verify {
            Modify::verify(self)
        }
        fn honours_window(&self) -> bool {
            Modify::honours_window(self)
        }
        /// Setting a value twice leaves it set: a Modify whose answer was
        /// lost may be sent once more.
        fn idempotent(&self) -> bool {
            true
        }
        fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
            Modify::on_demo(self, fleet)
        }
    };
}

fn interval(api: &str, seconds: u32) -> Result<i32, SourceError> {
    i32::try_from(seconds).map_err(|_| {
        refused(
            api,
            format!("not sent: {seconds} s is not a valid monitoring interval"),
        )
    })
}

fn retention(api: &str, days: u32) -> Result<i32, SourceError> {
    i32::try_from(days).map_err(|_| {
        refused(
            api,
            format!("not sent: {days} days is not a valid retention"),
        )
    })
}

impl Call for ModifyDBInstance {
    modify_call!("rds:ModifyDBInstance");

    /// Verify-after for the setting a restored copy gets this way,
    /// enhanced monitoring: the re-read must show interval and role. (The
    /// other settings are judged again by the rules after every plan.)
    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        if !matches!(self.setting, Setting::MonitoringInterval { .. }) {
            return Ok(());
        }
        let instance = now
            .instance(&self.region, &self.instance_id)
            .ok_or_else(|| format!("{} is not there to compare", self.instance_id))?;
        let seen = Setting::MonitoringInterval {
            seconds: instance.monitoring_interval_secs,
            role_arn: instance.monitoring_role_arn.clone(),
        };
        super::carry::differences(&self.setting.parameters(), &seen.parameters())
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let call = aws
                .rds_once
                .modify_db_instance()
                .db_instance_identifier(&self.instance_id)
                .apply_immediately(self.apply_immediately);
            let call = match &self.setting {
                Setting::MonitoringInterval { seconds, role_arn } => call
                    .monitoring_interval(interval(self.api(), *seconds)?)
                    .set_monitoring_role_arn(role_arn.clone()),
                Setting::PubliclyAccessible(v) => call.publicly_accessible(*v),
                Setting::MultiAZ(v) => call.multi_az(*v),
                Setting::BackupRetentionPeriod(days) => {
                    call.backup_retention_period(retention(self.api(), *days)?)
                }
                Setting::DeletionProtection(v) => call.deletion_protection(*v),
                Setting::AutoMinorVersionUpgrade(v) => call.auto_minor_version_upgrade(*v),
                Setting::EnableIAMDatabaseAuthentication(v) => {
                    call.enable_iam_database_authentication(*v)
                }
                Setting::CopyTagsToSnapshot(v) => call.copy_tags_to_snapshot(*v),
                Setting::EnableLogTypes(_) => {
                    call.set_cloudwatch_logs_export_configuration(self.setting.log_exports())
                }
            };
            let out = call.send().await.map_err(aws.fail(self.api()))?;
            let instance = out.db_instance();
            let pending = instance
                .and_then(|i| i.pending_modified_values())
                .is_some_and(|p| match self.setting {
                    Setting::MultiAZ(_) => p.multi_az().is_some(),
                    Setting::BackupRetentionPeriod(_) => p.backup_retention_period().is_some(),
                    _ => false,
                });
            let status = instance.and_then(|i| i.db_instance_status());
            Ok(self.outcome(status, pending, out.request_id()))
        })
    }
}

impl Call for ModifyDBCluster {
    modify_call!("rds:ModifyDBCluster");

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let call = aws
                .rds_once
                .modify_db_cluster()
                .db_cluster_identifier(&self.cluster_id)
                .apply_immediately(self.apply_immediately);
            let call = match &self.setting {
                Setting::BackupRetentionPeriod(days) => {
                    call.backup_retention_period(retention(self.api(), *days)?)
                }
                Setting::DeletionProtection(v) => call.deletion_protection(*v),
                Setting::AutoMinorVersionUpgrade(v) => call.auto_minor_version_upgrade(*v),
                Setting::EnableIAMDatabaseAuthentication(v) => {
                    call.enable_iam_database_authentication(*v)
                }
                Setting::CopyTagsToSnapshot(v) => call.copy_tags_to_snapshot(*v),
                Setting::EnableLogTypes(_) => {
                    call.set_cloudwatch_logs_export_configuration(self.setting.log_exports())
                }
                // Not parameters of ModifyDBCluster: refuse rather than send
                // something other than what the plan showed.
                Setting::PubliclyAccessible(_)
                | Setting::MultiAZ(_)
                | Setting::MonitoringInterval { .. } => {
                    let name = self.setting.parameter().name;
                    return Err(refused(
                        self.api(),
                        format!(
                            "not sent: ModifyDBCluster has no {name} parameter — change it on the member instances"
                        ),
                    ));
                }
            };
            let out = call.send().await.map_err(aws.fail(self.api()))?;
            let cluster = out.db_cluster();
            let pending = cluster
                .and_then(|c| c.pending_modified_values())
                .is_some_and(|p| match self.setting {
                    Setting::BackupRetentionPeriod(_) => p.backup_retention_period().is_some(),
                    _ => false,
                });
            Ok(self.outcome(cluster.and_then(|c| c.status()), pending, out.request_id()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multi_az(apply_immediately: bool) -> ModifyDBInstance {
        ModifyDBInstance {
            region: "us-east-1".into(),
            instance_id: "db".into(),
            setting: Setting::MultiAZ(true),
            apply_immediately,
            from_no_backups: false,
        }
    }

    #[test]
    fn window_is_pending_only_when_aws_says_so() {
        assert!(multi_az(false).outcome(None, true, None).pending_window());
        assert!(!multi_az(false).outcome(None, false, None).pending_window());
        assert!(!multi_az(true).outcome(None, true, None).pending_window());
        let protect = ModifyDBInstance {
            setting: Setting::DeletionProtection(true),
            ..multi_az(false)
        };
        assert!(!protect.outcome(None, true, None).pending_window());
        assert_eq!(
            multi_az(false).outcome(None, true, Some("r-1")).to_string(),
            "accepted: MultiAZ=true pending the next maintenance window (request r-1)"
        );
    }
}
