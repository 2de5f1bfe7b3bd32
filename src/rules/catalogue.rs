//! The table of rules: id, severity, what each checks, how its findings
//! are fixed, and what it maps to.

use std::borrow::Cow;

use super::{
    RuleId, Subject, Verdict, activity, checks, checks_net, checks_params, checks_snaps,
    context::Context,
};
use crate::model::ResourceType;
use crate::remediation::Remedy;
use crate::remediation::fixes::{
    credentials, instance_encryption, minor_upgrades, settings, snapshot_encryption, snapshot_key,
    snapshot_sharing, tls_parameters, world_ingress,
};
use crate::rules::Severity;

/// Static description of one rule.
pub struct RuleInfo {
    pub id: RuleId,
    pub title: &'static str,
    pub severity: Severity,
    pub targets: &'static [ResourceType],
    pub check: fn(&Context<'_>, Subject<'_>) -> Verdict,
    /// How its findings are fixed: the fix module, or advice by hand.
    pub remedy: Remedy,
    /// Compliance ids, each for the resources and engines it covers.
    pub compliance: &'static [Cite],
}

/// Which engines a compliance id covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engines {
    Any,
    /// Engines whose name starts with this (`postgres`, `aurora-mysql`).
    Named(&'static str),
    /// RDS engines, not Aurora: Multi-AZ DB clusters among clusters.
    NotAurora,
}

impl Engines {
    fn covers(self, engine: &str) -> bool {
        match self {
            Engines::Any => true,
            Engines::Named(prefix) => engine.starts_with(prefix),
            Engines::NotAurora => !engine.is_empty() && !engine.starts_with("aurora"),
        }
    }
}

/// One compliance id and what it covers: a control applies to a resource
/// type (`None`: every type the rule judges) and to some engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cite {
    pub kind: Option<ResourceType>,
    pub engines: Engines,
    pub id: &'static str,
}

/// Cited for every resource the rule judges.
const fn all(id: &'static str) -> Cite {
    Cite {
        kind: None,
        engines: Engines::Any,
        id,
    }
}

/// Cited for one resource type.
const fn on(kind: ResourceType, id: &'static str) -> Cite {
    Cite {
        kind: Some(kind),
        engines: Engines::Any,
        id,
    }
}

/// Cited for one resource type on some engines.
const fn on_engine(kind: ResourceType, engines: Engines, id: &'static str) -> Cite {
    Cite {
        kind: Some(kind),
        engines,
        id,
    }
}

impl RuleInfo {
    /// The id as written in reports and config, e.g. `snapshot-public`.
    pub fn name(&self) -> &'static str {
        self.id.as_str()
    }

    /// The ids that apply to a resource of `kind` running `engine`.
    pub fn compliance_for(&self, kind: ResourceType, engine: &str) -> Vec<Cow<'static, str>> {
        self.compliance
            .iter()
            .filter(|c| c.kind.is_none_or(|k| k == kind) && c.engines.covers(engine))
            .map(|c| Cow::Borrowed(c.id))
            .collect()
    }
}

use ResourceType::{DbCluster as C, DbClusterSnapshot as CS, DbInstance as I, DbSnapshot as S};

const SNAPSHOTS: &[ResourceType] = &[S, CS];
const INSTANCES: &[ResourceType] = &[I];
const CLUSTERS: &[ResourceType] = &[C];
const COMPUTE: &[ResourceType] = &[I, C];
/// Activity rules judge events, not one resource at a time: `evaluate`
/// asks `activity::findings` for theirs.
const ACTIVITY: &[ResourceType] = &[];

pub static CATALOGUE: &[RuleInfo] = &[
    RuleInfo {
        id: RuleId::SnapshotPublic,
        title: "Snapshot is public",
        severity: Severity::Critical,
        targets: SNAPSHOTS,
        check: checks::snapshot_public,
        remedy: Remedy::Fix(&snapshot_sharing::STOP_SHARING),
        compliance: &[
            all("SecurityHub RDS.1"),
            all("Prowler rds_snapshots_public_access"),
        ],
    },
    RuleInfo {
        id: RuleId::SnapshotSharedUntrusted,
        title: "Snapshot shared with an untrusted account",
        severity: Severity::High,
        targets: SNAPSHOTS,
        check: checks::snapshot_shared_untrusted,
        remedy: Remedy::Fix(&snapshot_sharing::STOP_SHARING),
        compliance: &[all(
            "Steampipe aws_perimeter rds_snapshot_shared_with_trusted_accounts",
        )],
    },
    RuleInfo {
        id: RuleId::SnapshotUnencrypted,
        title: "Snapshot is not encrypted",
        severity: Severity::High,
        targets: SNAPSHOTS,
        check: checks::snapshot_unencrypted,
        remedy: Remedy::Fix(&snapshot_encryption::ENCRYPT_SNAPSHOT),
        compliance: &[
            all("SecurityHub RDS.4"),
            all("Prowler rds_snapshots_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::SnapshotSharedUnencrypted,
        title: "Unencrypted snapshot is shared",
        severity: Severity::Critical,
        targets: SNAPSHOTS,
        check: checks_snaps::snapshot_shared_unencrypted,
        remedy: Remedy::Fix(&snapshot_sharing::STOP_SHARING),
        // It is unencrypted, so it fails RDS.4 too.
        compliance: &[all("SecurityHub RDS.4")],
    },
    RuleInfo {
        id: RuleId::SnapshotAwsManagedKey,
        title: "Snapshot is encrypted with the AWS-managed key",
        // Medium when shared; the check lowers it to low otherwise.
        severity: Severity::Medium,
        targets: SNAPSHOTS,
        check: checks_snaps::snapshot_aws_managed_key,
        remedy: Remedy::Fix(&snapshot_key::CUSTOMER_KEY_COPY),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::SnapshotExported,
        title: "Snapshot was exported to S3",
        severity: Severity::High,
        targets: SNAPSHOTS,
        check: checks_snaps::snapshot_exported,
        remedy: Remedy::ByHand(
            "check who can read the bucket and prefix, and the export's KMS key: the export is a copy outside RDS. If it was not intended, treat it as an incident — delete the exported objects and review who started it (CloudTrail StartExportTask) and the IAM role it used",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::NoEventSubscription,
        title: "No event subscription for failures and maintenance",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks_snaps::no_event_subscription,
        remedy: Remedy::ByHand(
            "create an SNS topic with a subscriber on call reads, then an RDS event subscription in the region for db-instance (and db-cluster) sources with the failure and maintenance categories: aws rds create-event-subscription --subscription-name rds-critical --sns-topic-arn ARN --source-type db-instance --event-categories failure maintenance",
        ),
        // Without a subscription for failure and maintenance, neither
        // the cluster-events control nor the instance-events one holds.
        compliance: &[all("SecurityHub RDS.19"), all("SecurityHub RDS.20")],
    },
    RuleInfo {
        id: RuleId::InstanceInternetReachable,
        title: "Instance is reachable from the internet",
        severity: Severity::Critical,
        targets: COMPUTE,
        check: checks_net::instance_internet_reachable,
        remedy: Remedy::Fix(&settings::MAKE_PRIVATE),
        compliance: &[
            // The same controls as instance-public: this is its worst case.
            on(I, "SecurityHub RDS.2"),
            on(I, "CIS v5.0 2.2.3"),
            on(I, "Prowler rds_instance_no_public_access"),
        ],
    },
    RuleInfo {
        id: RuleId::InstancePublic,
        title: "Instance is publicly accessible",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks_net::instance_public,
        remedy: Remedy::Fix(&settings::MAKE_PRIVATE),
        compliance: &[
            // RDS.2 and CIS 2.2.3 judge DB instances; a Multi-AZ DB
            // cluster's public setting has no control of its own.
            on(I, "SecurityHub RDS.2"),
            on(I, "CIS v5.0 2.2.3"),
            on(I, "Prowler rds_instance_no_public_access"),
        ],
    },
    RuleInfo {
        id: RuleId::InstanceUnencrypted,
        title: "Instance storage is not encrypted",
        severity: Severity::High,
        targets: INSTANCES,
        check: checks::instance_unencrypted,
        remedy: Remedy::Fix(&instance_encryption::ENCRYPT_INSTANCE),
        compliance: &[
            all("SecurityHub RDS.3"),
            all("CIS v5.0 2.2.1"),
            all("Prowler rds_instance_storage_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::ClusterUnencrypted,
        title: "Cluster storage is not encrypted",
        severity: Severity::High,
        targets: CLUSTERS,
        check: checks::cluster_unencrypted,
        remedy: Remedy::ByHand(
            "snapshot the cluster, then restore it with --kms-key-id (RestoreDBClusterFromSnapshot); plan the cut-over",
        ),
        compliance: &[
            all("SecurityHub RDS.27"),
            all("Prowler rds_cluster_storage_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::InstanceSingleAz,
        title: "Instance has no Multi-AZ standby",
        severity: Severity::Medium,
        targets: INSTANCES,
        check: checks::instance_single_az,
        remedy: Remedy::Fix(&settings::ADD_STANDBY),
        compliance: &[
            all("SecurityHub RDS.5"),
            all("CIS v5.0 2.2.4"),
            all("Prowler rds_instance_multi_az"),
        ],
    },
    RuleInfo {
        id: RuleId::ClusterSingleAz,
        title: "Cluster runs in a single Availability Zone",
        severity: Severity::Medium,
        targets: CLUSTERS,
        check: checks::cluster_single_az,
        remedy: Remedy::ByHand(
            "add a reader instance in another Availability Zone (CreateDBInstance with --db-cluster-identifier); rdsight does not create compute for you",
        ),
        compliance: &[
            all("SecurityHub RDS.15"),
            all("Prowler rds_cluster_multi_az"),
        ],
    },
    RuleInfo {
        id: RuleId::BackupsDisabled,
        title: "Automated backups are disabled",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks::backups_disabled,
        remedy: Remedy::Fix(&settings::KEEP_BACKUPS),
        compliance: &[
            on(I, "SecurityHub RDS.11"),
            on(C, "SecurityHub RDS.50"),
            on(I, "Prowler rds_instance_backup_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::BackupsShort,
        title: "Backup retention is shorter than the minimum",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::backups_short,
        remedy: Remedy::Fix(&settings::KEEP_BACKUPS),
        compliance: &[on(I, "SecurityHub RDS.11"), on(C, "SecurityHub RDS.50")],
    },
    RuleInfo {
        id: RuleId::DeletionProtectionOff,
        title: "Deletion protection is off",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::deletion_protection_off,
        remedy: Remedy::Fix(&settings::BLOCK_DELETION),
        compliance: &[
            on(C, "SecurityHub RDS.7"),
            on(I, "SecurityHub RDS.8"),
            on(I, "Prowler rds_instance_deletion_protection"),
            on(C, "Prowler rds_cluster_deletion_protection"),
        ],
    },
    RuleInfo {
        id: RuleId::SgOpenDbPort,
        title: "Security group open to the internet on the DB port",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks::sg_open_db_port,
        remedy: Remedy::Fix(&world_ingress::CLOSE_WORLD_INGRESS),
        compliance: &[
            // Not CIS 5.x: those cover admin ports 22 and 3389, not DB ports.
            all("Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_*"),
        ],
    },
    RuleInfo {
        id: RuleId::AutoMinorUpgradeOff,
        title: "Automatic minor version upgrade is off",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::auto_minor_upgrade_off,
        remedy: Remedy::Fix(&minor_upgrades::MINOR_UPGRADES),
        compliance: &[
            on(I, "SecurityHub RDS.13"),
            on(I, "CIS v5.0 2.2.2"),
            // RDS.35 covers Multi-AZ DB clusters only, not Aurora.
            on_engine(C, Engines::NotAurora, "SecurityHub RDS.35"),
            on(I, "Prowler rds_instance_minor_version_upgrade_enabled"),
            on_engine(
                C,
                Engines::NotAurora,
                "Prowler rds_cluster_minor_version_upgrade_enabled",
            ),
        ],
    },
    RuleInfo {
        id: RuleId::IamAuthOff,
        title: "IAM database authentication is off",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::iam_auth_off,
        remedy: Remedy::Fix(&settings::IAM_AUTH),
        compliance: &[
            on(I, "SecurityHub RDS.10"),
            on(C, "SecurityHub RDS.12"),
            on(I, "Prowler rds_instance_iam_authentication_enabled"),
            on(C, "Prowler rds_cluster_iam_authentication_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::DefaultPort,
        title: "Engine default port in use",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::default_port,
        remedy: Remedy::ByHand(
            "changing the port restarts the database and breaks every client: plan it with the application owners",
        ),
        compliance: &[
            on(I, "SecurityHub RDS.23"),
            on(I, "Prowler rds_instance_non_default_port"),
            on(C, "Prowler rds_cluster_non_default_port"),
        ],
    },
    RuleInfo {
        id: RuleId::DefaultAdmin,
        title: "Default administrator user name",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::default_admin,
        remedy: Remedy::ByHand(
            "the master user name cannot be changed: create a new master user on a restored copy",
        ),
        compliance: &[
            on(C, "SecurityHub RDS.24"),
            on(I, "SecurityHub RDS.25"),
            on(I, "Prowler rds_instance_default_admin"),
            on(C, "Prowler rds_cluster_default_admin"),
        ],
    },
    RuleInfo {
        id: RuleId::CopyTagsOff,
        title: "Tags are not copied to snapshots",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::copy_tags_off,
        remedy: Remedy::Fix(&settings::COPY_TAGS),
        compliance: &[
            on(C, "SecurityHub RDS.16"),
            on(I, "SecurityHub RDS.17"),
            on(I, "Prowler rds_instance_copy_tags_to_snapshots"),
            on(C, "Prowler rds_cluster_copy_tags_to_snapshots"),
        ],
    },
    RuleInfo {
        id: RuleId::EnhancedMonitoringOff,
        title: "Enhanced monitoring is off",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks::enhanced_monitoring_off,
        remedy: Remedy::ByHand(
            "needs a monitoring IAM role: modify-db-instance (modify-db-cluster for a Multi-AZ DB cluster) --monitoring-interval 60 --monitoring-role-arn ROLE",
        ),
        compliance: &[
            on(I, "SecurityHub RDS.6"),
            on(I, "Prowler rds_instance_enhanced_monitoring_enabled"),
        ],
    },
    RuleInfo {
        id: RuleId::LogsNotExported,
        title: "Database logs are not exported to CloudWatch",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks::logs_not_exported,
        remedy: Remedy::Fix(&settings::EXPORT_LOGS),
        compliance: &[
            on(I, "SecurityHub RDS.9"),
            on_engine(I, Engines::Named("postgres"), "SecurityHub RDS.36"),
            on_engine(I, Engines::Named("sqlserver"), "SecurityHub RDS.40"),
            on_engine(I, Engines::Named("mariadb"), "SecurityHub RDS.42"),
            on_engine(C, Engines::Named("aurora-mysql"), "SecurityHub RDS.34"),
            on_engine(C, Engines::Named("aurora-postgresql"), "SecurityHub RDS.37"),
            on(I, "Prowler rds_instance_integration_cloudwatch_logs"),
        ],
    },
    RuleInfo {
        id: RuleId::TlsNotEnforced,
        title: "Connections without TLS are accepted",
        severity: Severity::High,
        targets: COMPUTE,
        check: checks_params::tls_not_enforced,
        remedy: Remedy::Fix(&tls_parameters::REQUIRE_TLS),
        compliance: &[
            // Prowler judges the instance's DB parameter group only.
            on(I, "Prowler rds_instance_transport_encrypted"),
        ],
    },
    RuleInfo {
        id: RuleId::CaCertificateExpiring,
        title: "Server certificate expires soon or its CA is retired",
        severity: Severity::High,
        targets: INSTANCES,
        check: checks_params::ca_certificate_expiring,
        remedy: Remedy::Fix(&credentials::ROTATE_CERTIFICATE),
        compliance: &[all("Prowler rds_instance_certificate_expiration")],
    },
    RuleInfo {
        id: RuleId::DefaultSecurityGroup,
        title: "Guarded by the VPC's default security group",
        severity: Severity::Medium,
        targets: COMPUTE,
        check: checks_params::default_security_group,
        remedy: Remedy::ByHand(
            "create a security group for the database admitting only its clients on the DB port, attach it (modify-db-instance / modify-db-cluster --vpc-security-group-ids) and detach the default group",
        ),
        // EC2.2 judges the default group's rules, not who uses it: no id.
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::PasswordNotManaged,
        title: "Master password is not managed by Secrets Manager",
        severity: Severity::Low,
        targets: COMPUTE,
        check: checks_params::password_not_managed,
        remedy: Remedy::Fix(&credentials::MANAGE_PASSWORD),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivitySnapshotShared,
        title: "A snapshot was shared in the activity window",
        severity: Severity::Critical,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "review who shared it and why; if the share was not intended, treat it as an incident: the snapshot could be restored by the accounts it named (or by anyone, for `all`) while it was shared. Stop any share still in place (snapshot-public / snapshot-shared-untrusted plan it), and ask the recipients to delete their copies",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivitySnapshotExported,
        title: "A snapshot was exported to S3 in the activity window",
        severity: Severity::High,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "check the bucket's policy and who can read the prefix, and the export's role and KMS key; if the export was not intended, delete the exported objects and review the principal that started it",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivitySnapshotCopiedCrossRegion,
        title: "A snapshot was copied to another region in the activity window",
        severity: Severity::Low,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "confirm the copy was intended (disaster recovery), that it is encrypted with a key you control in that region, and that the region is one your data may live in",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivityAccessDenied,
        title: "RDS calls were refused for want of permission",
        severity: Severity::Medium,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "find out who the principal is and what it tried; repeated refusals are either a misconfigured tool or someone probing. Tighten or fix its policy accordingly",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivityRootUser,
        title: "The root user made RDS calls",
        severity: Severity::High,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "stop using the root user for RDS: use IAM roles, enable MFA on the root user, and check that its calls were made by someone entitled to",
        ),
        compliance: &[],
    },
    RuleInfo {
        id: RuleId::ActivityUnexpectedSnapshotCreator,
        title: "A snapshot was created or copied by an unexpected principal",
        severity: Severity::Medium,
        targets: ACTIVITY,
        check: activity::judged_from_events,
        remedy: Remedy::ByHand(
            "check with the principal's owner; if the snapshot was not expected, find where it went (shares, exports, copies) before deleting it, or add the principal to expected_snapshot_principals in the config",
        ),
        compliance: &[],
    },
];

/// The catalogue entry of a rule. The catalogue lists rules in `RuleId`
/// order, one entry each (a unit test holds that), so this is an index.
pub fn rule_info(id: RuleId) -> &'static RuleInfo {
    &CATALOGUE[id as usize]
}
