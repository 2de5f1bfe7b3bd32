//! ModifyDBInstance and ModifyDBCluster with one setting: parameters,
//! verification, SDK send and demo transition.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::super::support::{not_found, refused};
use super::Setting;
use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::remediation::{Call, Impact, NoRemediation, Param, PlannedStep, Sent, Verify};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{Fact, SourceError, StepOutcome};

/// The Modify call that changes `setting` on the instance or cluster
/// `target`, as a plan step.
pub(in crate::remediation::fixes) fn modify_step(
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
        super::super::carry::differences(&self.setting.parameters(), &seen.parameters())
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
