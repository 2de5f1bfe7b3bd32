//! One remediation step: one AWS call, shown exactly as it will be sent.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::model::{ResourceRef, ResourceType, SnapshotKind, is_ipv6};

/// How much a step disturbs the database, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    None,
    CreatesResource,
    BriefIoPause,
    Outage,
    Destructive,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::CreatesResource => "creates resource",
            Impact::BriefIoPause => "brief I/O pause",
            Impact::Outage => "outage",
            Impact::Destructive => "destructive",
        }
    }

    /// Steps this disruptive need the resource id typed to confirm.
    pub fn needs_typed_confirmation(self) -> bool {
        matches!(self, Impact::Outage | Impact::Destructive)
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

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
}

impl Setting {
    /// The API parameter name and its value as sent.
    pub fn parameter(&self) -> (&'static str, String) {
        match self {
            Setting::PubliclyAccessible(v) => ("PubliclyAccessible", v.to_string()),
            Setting::MultiAZ(v) => ("MultiAZ", v.to_string()),
            Setting::BackupRetentionPeriod(v) => ("BackupRetentionPeriod", v.to_string()),
            Setting::DeletionProtection(v) => ("DeletionProtection", v.to_string()),
            Setting::AutoMinorVersionUpgrade(v) => ("AutoMinorVersionUpgrade", v.to_string()),
            Setting::EnableIAMDatabaseAuthentication(v) => {
                ("EnableIAMDatabaseAuthentication", v.to_string())
            }
            Setting::CopyTagsToSnapshot(v) => ("CopyTagsToSnapshot", v.to_string()),
        }
    }

    /// The name AWS uses for this change in PendingModifiedValues, when it
    /// can show up there (the demo and AWS sources list pending changes as
    /// `Name=value`).
    pub fn pending_name(&self) -> Option<&'static str> {
        match self {
            Setting::MultiAZ(_) => Some("MultiAZ"),
            Setting::BackupRetentionPeriod(_) => Some("BackupRetentionPeriod"),
            Setting::EnableIAMDatabaseAuthentication(_) => Some("IAMDatabaseAuthenticationEnabled"),
            _ => None,
        }
    }

    /// Does AWS hold this change for the maintenance window unless told to
    /// apply it immediately? (The others always apply at once.)
    pub fn honours_window(&self) -> bool {
        matches!(
            self,
            Setting::MultiAZ(_) | Setting::BackupRetentionPeriod(_)
        )
    }

    pub fn impact(&self, current_retention_zero: bool) -> Impact {
        match self {
            Setting::MultiAZ(true) => Impact::BriefIoPause,
            // Turning backups on from 0 takes the instance through a restart.
            Setting::BackupRetentionPeriod(n) if *n > 0 && current_retention_zero => Impact::Outage,
            _ => Impact::None,
        }
    }
}

/// What a restored copy takes from its original instance, so it is a
/// drop-in replacement: RestoreDBInstanceFromDBSnapshot would otherwise use
/// the default VPC security group, parameter group and subnet group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarriedOver {
    pub instance_class: Option<String>,
    pub subnet_group: Option<String>,
    pub security_group_ids: Vec<String>,
    pub parameter_group: Option<String>,
}

impl CarriedOver {
    /// The API parameters, in API spelling, for the ones that are set.
    fn parameters(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(class) = &self.instance_class {
            p.push(("DBInstanceClass", class.clone()));
        }
        if let Some(group) = &self.subnet_group {
            p.push(("DBSubnetGroupName", group.clone()));
        }
        if !self.security_group_ids.is_empty() {
            p.push(("VpcSecurityGroupIds", json_list(&self.security_group_ids)));
        }
        if let Some(group) = &self.parameter_group {
            p.push(("DBParameterGroupName", group.clone()));
        }
        p
    }
}

/// One AWS call. Field names follow the API so the plan reads as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call")]
pub enum Step {
    ModifySnapshotAttribute {
        kind: SnapshotKind,
        region: String,
        snapshot_id: String,
        values_to_add: Vec<String>,
        values_to_remove: Vec<String>,
    },
    CreateDBSnapshot {
        region: String,
        instance_id: String,
        snapshot_id: String,
    },
    CopyDBSnapshot {
        region: String,
        source_snapshot_id: String,
        target_snapshot_id: String,
        kms_key_id: String,
    },
    DeleteDBSnapshot {
        region: String,
        snapshot_id: String,
    },
    RestoreDBClusterFromSnapshot {
        region: String,
        snapshot_id: String,
        cluster_id: String,
        engine: String,
        kms_key_id: String,
    },
    RestoreDBInstanceFromDBSnapshot {
        region: String,
        snapshot_id: String,
        instance_id: String,
        #[serde(default)]
        carried_over: CarriedOver,
    },
    ModifyDBInstance {
        region: String,
        instance_id: String,
        setting: Setting,
        apply_immediately: bool,
        /// Retention was 0 before: turning backups on is an outage.
        from_no_backups: bool,
    },
    ModifyDBCluster {
        region: String,
        cluster_id: String,
        setting: Setting,
        apply_immediately: bool,
        from_no_backups: bool,
    },
    RevokeSecurityGroupIngress {
        region: String,
        group_id: String,
        protocol: String,
        from_port: Option<i32>,
        to_port: Option<i32>,
        cidr: String,
    },
    AuthorizeSecurityGroupIngress {
        region: String,
        group_id: String,
        protocol: String,
        from_port: Option<i32>,
        to_port: Option<i32>,
        cidr: String,
    },
}

fn snapshot_id_param(kind: SnapshotKind) -> &'static str {
    match kind {
        SnapshotKind::Db => "DBSnapshotIdentifier",
        SnapshotKind::Cluster => "DBClusterSnapshotIdentifier",
    }
}

fn json_list(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}

impl Step {
    /// The API action, e.g. `rds:ModifyDBInstance`.
    pub fn api(&self) -> &'static str {
        match self {
            Step::ModifySnapshotAttribute {
                kind: SnapshotKind::Db,
                ..
            } => "rds:ModifyDBSnapshotAttribute",
            Step::ModifySnapshotAttribute {
                kind: SnapshotKind::Cluster,
                ..
            } => "rds:ModifyDBClusterSnapshotAttribute",
            Step::CreateDBSnapshot { .. } => "rds:CreateDBSnapshot",
            Step::CopyDBSnapshot { .. } => "rds:CopyDBSnapshot",
            Step::DeleteDBSnapshot { .. } => "rds:DeleteDBSnapshot",
            Step::RestoreDBClusterFromSnapshot { .. } => "rds:RestoreDBClusterFromSnapshot",
            Step::RestoreDBInstanceFromDBSnapshot { .. } => "rds:RestoreDBInstanceFromDBSnapshot",
            Step::ModifyDBInstance { .. } => "rds:ModifyDBInstance",
            Step::ModifyDBCluster { .. } => "rds:ModifyDBCluster",
            Step::RevokeSecurityGroupIngress { .. } => "ec2:RevokeSecurityGroupIngress",
            Step::AuthorizeSecurityGroupIngress { .. } => "ec2:AuthorizeSecurityGroupIngress",
        }
    }

    pub fn region(&self) -> &str {
        match self {
            Step::ModifySnapshotAttribute { region, .. }
            | Step::CreateDBSnapshot { region, .. }
            | Step::CopyDBSnapshot { region, .. }
            | Step::DeleteDBSnapshot { region, .. }
            | Step::RestoreDBClusterFromSnapshot { region, .. }
            | Step::RestoreDBInstanceFromDBSnapshot { region, .. }
            | Step::ModifyDBInstance { region, .. }
            | Step::ModifyDBCluster { region, .. }
            | Step::RevokeSecurityGroupIngress { region, .. }
            | Step::AuthorizeSecurityGroupIngress { region, .. } => region,
        }
    }

    /// The parameters exactly as sent, in API spelling.
    pub fn parameters(&self) -> Vec<(&'static str, String)> {
        match self {
            Step::ModifySnapshotAttribute {
                kind,
                snapshot_id,
                values_to_add,
                values_to_remove,
                ..
            } => {
                let mut p = vec![
                    (snapshot_id_param(*kind), snapshot_id.clone()),
                    ("AttributeName", "restore".to_string()),
                ];
                if !values_to_add.is_empty() {
                    p.push(("ValuesToAdd", json_list(values_to_add)));
                }
                if !values_to_remove.is_empty() {
                    p.push(("ValuesToRemove", json_list(values_to_remove)));
                }
                p
            }
            Step::CreateDBSnapshot {
                instance_id,
                snapshot_id,
                ..
            } => vec![
                ("DBInstanceIdentifier", instance_id.clone()),
                ("DBSnapshotIdentifier", snapshot_id.clone()),
            ],
            Step::CopyDBSnapshot {
                source_snapshot_id,
                target_snapshot_id,
                kms_key_id,
                ..
            } => vec![
                ("SourceDBSnapshotIdentifier", source_snapshot_id.clone()),
                ("TargetDBSnapshotIdentifier", target_snapshot_id.clone()),
                ("KmsKeyId", kms_key_id.clone()),
                ("CopyTags", "true".to_string()),
            ],
            Step::DeleteDBSnapshot { snapshot_id, .. } => {
                vec![("DBSnapshotIdentifier", snapshot_id.clone())]
            }
            Step::RestoreDBClusterFromSnapshot {
                snapshot_id,
                cluster_id,
                engine,
                kms_key_id,
                ..
            } => vec![
                ("DBClusterIdentifier", cluster_id.clone()),
                ("SnapshotIdentifier", snapshot_id.clone()),
                ("Engine", engine.clone()),
                ("KmsKeyId", kms_key_id.clone()),
            ],
            Step::RestoreDBInstanceFromDBSnapshot {
                snapshot_id,
                instance_id,
                carried_over,
                ..
            } => {
                let mut p = vec![
                    ("DBInstanceIdentifier", instance_id.clone()),
                    ("DBSnapshotIdentifier", snapshot_id.clone()),
                ];
                p.extend(carried_over.parameters());
                p
            }
            Step::ModifyDBInstance {
                instance_id: id,
                setting,
                apply_immediately,
                ..
            }
            | Step::ModifyDBCluster {
                cluster_id: id,
                setting,
                apply_immediately,
                ..
            } => {
                let id_name = match self {
                    Step::ModifyDBCluster { .. } => "DBClusterIdentifier",
                    _ => "DBInstanceIdentifier",
                };
                let (name, value) = setting.parameter();
                vec![
                    (id_name, id.clone()),
                    (name, value),
                    ("ApplyImmediately", apply_immediately.to_string()),
                ]
            }
            Step::RevokeSecurityGroupIngress {
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
                ..
            }
            | Step::AuthorizeSecurityGroupIngress {
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
                ..
            } => {
                let range = if is_ipv6(cidr) {
                    format!("Ipv6Ranges=[{{CidrIpv6={cidr}}}]")
                } else {
                    format!("IpRanges=[{{CidrIp={cidr}}}]")
                };
                let ports = match (from_port, to_port) {
                    (Some(f), Some(t)) => format!(",FromPort={f},ToPort={t}"),
                    _ => String::new(),
                };
                vec![
                    ("GroupId", group_id.clone()),
                    (
                        "IpPermissions",
                        format!("[{{IpProtocol={protocol}{ports},{range}}}]"),
                    ),
                ]
            }
        }
    }

    pub fn impact(&self) -> Impact {
        match self {
            Step::ModifySnapshotAttribute { .. }
            | Step::RevokeSecurityGroupIngress { .. }
            | Step::AuthorizeSecurityGroupIngress { .. } => Impact::None,
            Step::CreateDBSnapshot { .. }
            | Step::CopyDBSnapshot { .. }
            | Step::RestoreDBClusterFromSnapshot { .. }
            | Step::RestoreDBInstanceFromDBSnapshot { .. } => Impact::CreatesResource,
            Step::DeleteDBSnapshot { .. } => Impact::Destructive,
            Step::ModifyDBInstance {
                setting,
                from_no_backups,
                ..
            }
            | Step::ModifyDBCluster {
                setting,
                from_no_backups,
                ..
            } => setting.impact(*from_no_backups),
        }
    }

    /// The resource this step changes or creates; the executor waits for it
    /// to settle and re-reads it.
    pub fn target(&self) -> ResourceRef {
        let region = self.region().to_string();
        let (kind, id) = match self {
            Step::ModifySnapshotAttribute {
                kind, snapshot_id, ..
            } => (kind.resource_type(), snapshot_id),
            Step::CreateDBSnapshot { snapshot_id, .. } => (ResourceType::DbSnapshot, snapshot_id),
            Step::CopyDBSnapshot {
                target_snapshot_id, ..
            } => (ResourceType::DbSnapshot, target_snapshot_id),
            Step::DeleteDBSnapshot { snapshot_id, .. } => (ResourceType::DbSnapshot, snapshot_id),
            Step::RestoreDBClusterFromSnapshot { cluster_id, .. } => {
                (ResourceType::DbCluster, cluster_id)
            }
            Step::RestoreDBInstanceFromDBSnapshot { instance_id, .. }
            | Step::ModifyDBInstance { instance_id, .. } => (ResourceType::DbInstance, instance_id),
            Step::ModifyDBCluster { cluster_id, .. } => (ResourceType::DbCluster, cluster_id),
            Step::RevokeSecurityGroupIngress { group_id, .. }
            | Step::AuthorizeSecurityGroupIngress { group_id, .. } => {
                (ResourceType::SecurityGroup, group_id)
            }
        };
        ResourceRef::new(kind, region, id.clone())
    }

    /// For a Modify step, the PendingModifiedValues name its change would
    /// appear under while AWS has accepted but not yet applied it.
    pub fn pending_name(&self) -> Option<&'static str> {
        match self {
            Step::ModifyDBInstance { setting, .. } | Step::ModifyDBCluster { setting, .. } => {
                setting.pending_name()
            }
            _ => None,
        }
    }

    /// Does this step remove its target (so "settled" means "gone")?
    pub fn deletes_target(&self) -> bool {
        matches!(self, Step::DeleteDBSnapshot { .. })
    }

    /// Whether apply-immediately vs maintenance window matters for it.
    pub fn honours_window(&self) -> bool {
        match self {
            Step::ModifyDBInstance { setting, .. } | Step::ModifyDBCluster { setting, .. } => {
                setting.honours_window()
            }
            _ => false,
        }
    }

    /// The step that undoes this one, when one call can.
    pub fn undo(&self) -> Option<Step> {
        match self.clone() {
            Step::ModifySnapshotAttribute {
                kind,
                region,
                snapshot_id,
                values_to_add,
                values_to_remove,
            } => Some(Step::ModifySnapshotAttribute {
                kind,
                region,
                snapshot_id,
                values_to_add: values_to_remove,
                values_to_remove: values_to_add,
            }),
            Step::RevokeSecurityGroupIngress {
                region,
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
            } => Some(Step::AuthorizeSecurityGroupIngress {
                region,
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
            }),
            _ => None,
        }
    }

    /// One line on whether and how this can be undone.
    pub fn reversibility(&self) -> String {
        if let Some(undo) = self.undo() {
            return format!("reversible: {}", undo.cli());
        }
        match self {
            Step::DeleteDBSnapshot { .. } => "irreversible: the snapshot is gone".into(),
            Step::CreateDBSnapshot { .. }
            | Step::CopyDBSnapshot { .. }
            | Step::RestoreDBClusterFromSnapshot { .. }
            | Step::RestoreDBInstanceFromDBSnapshot { .. } => {
                "reversible: delete the new resource; the original is untouched".into()
            }
            Step::ModifyDBInstance { .. } | Step::ModifyDBCluster { .. } => {
                "reversible: modify the setting back".into()
            }
            _ => "reversible".into(),
        }
    }
}

/// What a source reports after sending a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepOutcome {
    /// One line for the activity pane, e.g. the request id or new status.
    pub message: String,
    /// True when AWS accepted the change but holds it for the window.
    pub pending_window: bool,
    /// The AWS request id, for the audit log and AWS support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
