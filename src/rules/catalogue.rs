//! The table of rules: id, severity, what each checks and what it maps to.

use std::borrow::Cow;

use super::{RuleId, Subject, Verdict, checks, context::Context};
use crate::model::ResourceType;
use crate::rules::Severity;

/// Static description of one rule.
pub struct RuleInfo {
    pub id: RuleId,
    /// The id as written in reports and config, e.g. `snapshot-public`.
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub targets: &'static [ResourceType],
    pub check: fn(&Context<'_>, Subject<'_>) -> Verdict,
    /// Compliance ids; entries tied to a resource type apply only to it.
    pub compliance: &'static [(Option<ResourceType>, &'static str)],
}

impl RuleInfo {
    pub fn compliance_for(&self, kind: ResourceType) -> Vec<Cow<'static, str>> {
        self.compliance
            .iter()
            .filter(|(only, _)| only.is_none_or(|k| k == kind))
            .map(|(_, id)| Cow::Borrowed(*id))
            .collect()
    }
}

use ResourceType::{DbCluster as C, DbClusterSnapshot as CS, DbInstance as I, DbSnapshot as S};

const SNAPSHOTS: &[ResourceType] = &[S, CS];
const INSTANCES: &[ResourceType] = &[I];
const CLUSTERS: &[ResourceType] = &[C];
const COMPUTE: &[ResourceType] = &[I, C];

pub static CATALOGUE: &[RuleInfo] = &[
    RuleInfo {
        id: RuleId::SnapshotPublic,
        name: "snapshot-public",
        title: "Snapshot is public",
        severity: Severity::Critical,
        targets: SNAPSHOTS,
        check: checks::snapshot_public,
        compliance: &[
            (None, "SecurityHub RDS.1"),
            (None, "Prowler rds_snapshots_public_access"),
        ],
    },
    RuleInfo {
        id: RuleId::SnapshotSharedUntrusted,
        name: "snapshot-shared-untrusted",
        title: "Snapshot shared with an untrusted account",
        severity: Severity::High,
        targets: SNAPSHOTS,
        check: checks::snapshot_shared_untrusted,
        compliance: &[(
            None,
            "Steampipe aws_perimeter rds_snapshot_shared_with_trusted_accounts",
        )],
    },
    RuleInfo {
        id: RuleId::SnapshotUnencrypted,
        name: "snapshot-unencrypted",
        title: "Snapshot is not encrypted",
        severity: Severity::High,
        targets: SNAPSHOTS,
        check: checks::snapshot_unencrypted,
        compliance: &[
            (None, "SecurityHub RDS.4"),
            (None, "Prowler rds_snapshots_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::InstancePublic,
        name: "instance-public",
        title: "Instance is publicly accessible",
        severity: Severity::Critical,
        targets: INSTANCES,
        check: checks::instance_public,
        compliance: &[
            (None, "SecurityHub RDS.2"),
            (None, "CIS 2.3.3"),
            (None, "Prowler rds_instance_no_public_access"),
        ],
    },
    RuleInfo {
        id: RuleId::InstanceUnencrypted,
        name: "instance-unencrypted",
        title: "Instance storage is not encrypted",
        severity: Severity::High,
        targets: INSTANCES,
        check: checks::instance_unencrypted,
        compliance: &[
            (None, "SecurityHub RDS.3"),
            (None, "CIS 2.3.1"),
            (None, "Prowler rds_instance_storage_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::ClusterUnencrypted,
        name: "cluster-unencrypted",
        title: "Cluster storage is not encrypted",
        severity: Severity::High,
        targets: CLUSTERS,
        check: checks::cluster_unencrypted,
        compliance: &[
            (None, "SecurityHub RDS.27"),
            (None, "CIS 2.3.1"),
            (None, "Prowler rds_cluster_storage_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::InstanceSingleAz,
        name: "instance-single-az",
        title: "Instance has no Multi-AZ standby",
        severity: Severity::Medium,
        targets: INSTANCES,
        check: checks::instance_single_az,
        compliance: &[
            (None, "SecurityHub RDS.5"),
            (None, "Prowler rds_instance_multi_az"),
        ],
    },
    RuleInfo {
        id: RuleId::ClusterSingleAz,
        name: "cluster-single-az",
        title: "Cluster runs in a single Availability Zone",
        severity: Severity::Medium,
        targets: CLUSTERS,
        check: checks::cluster_single_az,
        compliance: &[
            (None, "SecurityHub RDS.15"),
            (None, "Prowler rds_cluster_multi_az"),
        ],
    },
    RuleInfo {
        id: RuleId::BackupsDisabled,
        name: "backups-disabled",
        title: "Automated backups are disabled",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks::backups_disabled,
        compliance: &[
            (Some(I), "SecurityHub RDS.11"),
            (Some(C), "SecurityHub RDS.50"),
            (Some(I), "Prowler rds_instance_backup_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::BackupsShort,
        name: "backups-short",
        title: "Backup retention is shorter than the minimum",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::backups_short,
        compliance: &[
            (Some(I), "SecurityHub RDS.11"),
            (Some(C), "SecurityHub RDS.50"),
        ],
    },
    RuleInfo {
        id: RuleId::DeletionProtectionOff,
        name: "deletion-protection-off",
        title: "Deletion protection is off",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::deletion_protection_off,
        compliance: &[
            (Some(C), "SecurityHub RDS.7"),
            (Some(I), "SecurityHub RDS.8"),
            (Some(I), "Prowler rds_instance_deletion_protection"),
            (Some(C), "Prowler rds_cluster_deletion_protection"),
        ],
    },
    RuleInfo {
        id: RuleId::SgOpenDbPort,
        name: "sg-open-db-port",
        title: "Security group open to the internet on the DB port",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks::sg_open_db_port,
        compliance: &[
            (None, "CIS 5.2"),
            (
                None,
                "Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_*",
            ),
        ],
    },
    RuleInfo {
        id: RuleId::AutoMinorUpgradeOff,
        name: "auto-minor-upgrade-off",
        title: "Automatic minor version upgrade is off",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::auto_minor_upgrade_off,
        compliance: &[
            (Some(I), "SecurityHub RDS.13"),
            (Some(C), "SecurityHub RDS.35"),
            (None, "CIS 2.3.2"),
            (
                Some(I),
                "Prowler rds_instance_minor_version_upgrade_enabled",
            ),
        ],
    },
    RuleInfo {
        id: RuleId::IamAuthOff,
        name: "iam-auth-off",
        title: "IAM database authentication is off",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::iam_auth_off,
        compliance: &[
            (Some(I), "SecurityHub RDS.10"),
            (Some(C), "SecurityHub RDS.12"),
            (Some(I), "Prowler rds_instance_iam_authentication_enabled"),
            (Some(C), "Prowler rds_cluster_iam_authentication_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::DefaultPort,
        name: "default-port",
        title: "Engine default port in use",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::default_port,
        compliance: &[
            (None, "SecurityHub RDS.23"),
            (Some(I), "Prowler rds_instance_non_default_port"),
            (Some(C), "Prowler rds_cluster_non_default_port"),
        ],
    },
    RuleInfo {
        id: RuleId::DefaultAdmin,
        name: "default-admin",
        title: "Default administrator user name",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::default_admin,
        compliance: &[
            (Some(C), "SecurityHub RDS.24"),
            (Some(I), "SecurityHub RDS.25"),
            (Some(I), "Prowler rds_instance_default_admin"),
            (Some(C), "Prowler rds_cluster_default_admin"),
        ],
    },
    RuleInfo {
        id: RuleId::CopyTagsOff,
        name: "copy-tags-off",
        title: "Tags are not copied to snapshots",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::copy_tags_off,
        compliance: &[
            (Some(C), "SecurityHub RDS.16"),
            (Some(I), "SecurityHub RDS.17"),
            (Some(I), "Prowler rds_instance_copy_tags_to_snapshots"),
            (Some(C), "Prowler rds_cluster_copy_tags_to_snapshots"),
        ],
    },
    RuleInfo {
        id: RuleId::EnhancedMonitoringOff,
        name: "enhanced-monitoring-off",
        title: "Enhanced monitoring is off",
        severity: Severity::Low,
        targets: INSTANCES,
        check: checks::enhanced_monitoring_off,
        compliance: &[
            (None, "SecurityHub RDS.6"),
            (None, "Prowler rds_instance_enhanced_monitoring_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::LogsNotExported,
        name: "logs-not-exported",
        title: "Database logs are not exported to CloudWatch",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::logs_not_exported,
        compliance: &[
            (Some(I), "SecurityHub RDS.9"),
            (Some(C), "SecurityHub RDS.34"),
            (Some(I), "Prowler rds_instance_integration_cloudwatch_logs"),
        ],
    },
];

/// The catalogue entry of a rule. The catalogue lists rules in `RuleId`
/// order, one entry each (a unit test holds that), so this is an index.
pub fn rule_info(id: RuleId) -> &'static RuleInfo {
    &CATALOGUE[id as usize]
}
