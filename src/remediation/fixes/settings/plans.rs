//! Which setting answers which finding: the `SettingFix` of each rule,
//! its purpose and caveats.

use super::Setting;
use super::calls::modify_step;
use crate::finding::RuleId;
use crate::model::log_types;
use crate::model::{Reach, ResourceType, instance_groups, internet_path};
use crate::remediation::{Caveat, Fix, FixInput, Fixing, NoRemediation};

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
        let makes_private = matches!(setting, Setting::PubliclyAccessible(false));
        let step = modify_step(
            &finding.resource_ref(),
            setting,
            apply_immediately,
            from_no_backups,
            self.purpose,
        )?;
        let mut caveats: Vec<Caveat> = self.caveat.map(Caveat::warning).into_iter().collect();
        if makes_private {
            caveats.extend(internet_path_caveat(input));
        }
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

/// For an instance the internet reaches today, the path a private flag
/// closes: shown so the reviewer sees what was open, link by link.
fn internet_path_caveat(input: &FixInput<'_>) -> Option<Caveat> {
    let f = input.finding;
    if f.resource_type != ResourceType::DbInstance {
        return None;
    }
    let i = input.index.instance(&f.region, &f.resource_id)?;
    let groups = instance_groups(input.index, i);
    match internet_path(input.index, &i.region, &i.subnet_ids, groups, i.port).reach() {
        Reach::Reachable(path) => Some(Caveat::warning(format!(
            "the internet reaches it today: {path}; without a public address the path ends at the VPC, whatever the routes and groups say"
        ))),
        Reach::Closed(_) | Reach::Unknown(_) => None,
    }
}
