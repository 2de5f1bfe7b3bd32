//! Turn findings into plans: the steps, their impact, and what to warn about.

use crate::config::RuleConfig;
use crate::model::{Fleet, ResourceType, SnapshotKind};
use crate::rules::{Context, Finding, RuleId, instance_groups, open_world_rules};

use super::step::{CarriedOver, Impact, Setting, Step};

/// Choices the user makes in the plan dialog (and `--kms-key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// Apply now rather than in the next maintenance window.
    pub apply_immediately: bool,
    /// After an encrypted copy, delete the unencrypted original.
    pub delete_original: bool,
    /// Retention set by backups remediation.
    pub backup_retention_days: u32,
    /// KMS key (id, ARN or alias) every encrypting step uses.
    pub kms_key_id: String,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            apply_immediately: false,
            delete_original: false,
            backup_retention_days: 7,
            kms_key_id: DEFAULT_KMS_KEY.to_string(),
        }
    }
}

/// KMS key for encrypted copies unless `--kms-key` says otherwise: the
/// AWS-managed RDS key, which AWS creates in a region on first use.
pub const DEFAULT_KMS_KEY: &str = "alias/aws/rds";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    pub step: Step,
    /// What this step is for, in plain words.
    pub purpose: String,
}

/// Everything the confirmation dialog shows, and what the executor runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub findings: Vec<Finding>,
    pub steps: Vec<PlannedStep>,
    /// Warnings the user must read before confirming.
    pub caveats: Vec<String>,
}

impl Plan {
    pub fn impact(&self) -> Impact {
        self.steps
            .iter()
            .map(|s| s.step.impact())
            .max()
            .unwrap_or(Impact::None)
    }

    /// Resource ids the user must type before an outage or destructive step.
    pub fn confirmation_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.step.impact().needs_typed_confirmation())
            .map(|s| s.step.target().id)
            .collect();
        ids.dedup();
        ids
    }

    /// The text to type to confirm, if any: the ids, space separated.
    pub fn confirmation_text(&self) -> Option<String> {
        let ids = self.confirmation_ids();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    pub fn has_window_choice(&self) -> bool {
        self.steps.iter().any(|s| s.step.honours_window())
    }

    pub fn title(&self) -> String {
        match self.findings.as_slice() {
            [one] => format!("{} on {}", one.rule, one.resource_id),
            many => format!("{} findings", many.len()),
        }
    }
}

/// Why a finding has no automatic plan, with what to do by hand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NoRemediation(pub String);

/// One plan covering every finding given; fails if any has no plan.
pub fn plan_for_all(
    fleet: &Fleet,
    config: &RuleConfig,
    findings: &[Finding],
    options: PlanOptions,
) -> Result<Plan, NoRemediation> {
    let mut plan = Plan {
        findings: Vec::new(),
        steps: Vec::new(),
        caveats: Vec::new(),
    };
    for finding in findings {
        let one = plan_for(fleet, config, finding, options.clone())?;
        plan.findings.extend(one.findings);
        for step in one.steps {
            if !plan.steps.iter().any(|s| s.step == step.step) {
                plan.steps.push(step);
            }
        }
        for caveat in one.caveats {
            if !plan.caveats.contains(&caveat) {
                plan.caveats.push(caveat);
            }
        }
    }
    if plan.findings.is_empty() {
        return Err(NoRemediation("no finding selected".into()));
    }
    Ok(plan)
}

/// The plan that fixes one finding.
pub fn plan_for(
    fleet: &Fleet,
    config: &RuleConfig,
    finding: &Finding,
    options: PlanOptions,
) -> Result<Plan, NoRemediation> {
    let region = finding.region.clone();
    let id = finding.resource_id.clone();
    let step = |step: Step, purpose: &str| PlannedStep {
        step,
        purpose: purpose.to_string(),
    };
    let mut caveats = Vec::new();
    let steps = match finding.rule {
        RuleId::SnapshotPublic | RuleId::SnapshotSharedUntrusted => {
            let kind = snapshot_kind(finding)?;
            let snapshot = fleet
                .snapshot(&region, kind, &id)
                .ok_or_else(|| gone(finding))?;
            let remove: Vec<String> = if finding.rule == RuleId::SnapshotPublic {
                caveats.push(
                    "copies already made stay out of your control: treat this as an incident"
                        .into(),
                );
                vec![crate::model::PUBLIC_RESTORE_ACCOUNT.to_string()]
            } else {
                snapshot
                    .shared_with
                    .iter()
                    .filter(|a| *a != crate::model::PUBLIC_RESTORE_ACCOUNT)
                    .filter(|a| **a != fleet.account)
                    .filter(|a| !config.trusted_accounts.contains(a))
                    .cloned()
                    .collect()
            };
            vec![step(
                Step::ModifySnapshotAttribute {
                    kind,
                    region,
                    snapshot_id: id,
                    values_to_add: Vec::new(),
                    values_to_remove: remove,
                },
                "stop sharing the snapshot",
            )]
        }
        RuleId::SnapshotUnencrypted => match snapshot_kind(finding)? {
            SnapshotKind::Db => {
                let encrypted_id = encrypted_name(&id);
                let mut steps = vec![step(
                    Step::CopyDBSnapshot {
                        region: region.clone(),
                        source_snapshot_id: id.clone(),
                        target_snapshot_id: encrypted_id,
                        kms_key_id: options.kms_key_id.clone(),
                    },
                    "make an encrypted copy",
                )];
                if options.delete_original {
                    steps.push(step(
                        Step::DeleteDBSnapshot {
                            region,
                            snapshot_id: id.clone(),
                        },
                        "delete the unencrypted original",
                    ));
                    caveats.push(format!(
                        "deleting {id} cannot be undone: type its id to confirm"
                    ));
                } else {
                    caveats.push(
                        "the unencrypted original is kept (press x to also delete it)".into(),
                    );
                }
                steps
            }
            SnapshotKind::Cluster => {
                let snapshot = fleet
                    .snapshot(&region, SnapshotKind::Cluster, &id)
                    .ok_or_else(|| gone(finding))?;
                caveats.push(
                    "CopyDBClusterSnapshot cannot encrypt an unencrypted source: this restores an encrypted cluster; snapshot it, then retire the original".into(),
                );
                vec![step(
                    Step::RestoreDBClusterFromSnapshot {
                        region,
                        snapshot_id: id.clone(),
                        // Named for the snapshot: two snapshots of one
                        // cluster must not restore into the same id.
                        cluster_id: encrypted_name(&id),
                        engine: snapshot.engine.clone(),
                        kms_key_id: options.kms_key_id.clone(),
                    },
                    "restore into a new encrypted cluster",
                )]
            }
        },
        RuleId::InstanceUnencrypted => {
            let original = fleet.instance(&region, &id).ok_or_else(|| gone(finding))?;
            let carried_over = CarriedOver {
                instance_class: Some(original.class.clone()).filter(|c| !c.is_empty()),
                subnet_group: original.subnet_group.clone(),
                security_group_ids: original.security_group_ids.clone(),
                parameter_group: original.parameter_group.clone(),
            };
            let staging = format!("{id}-pre-encryption");
            let encrypted = format!("{staging}-encrypted");
            caveats.push(format!(
                "the new instance {id}-encrypted has a new endpoint: stop writes to {id} for the cut-over; the original is kept"
            ));
            vec![
                step(
                    Step::CreateDBSnapshot {
                        region: region.clone(),
                        instance_id: id.clone(),
                        snapshot_id: staging.clone(),
                    },
                    "snapshot the instance",
                ),
                step(
                    Step::CopyDBSnapshot {
                        region: region.clone(),
                        source_snapshot_id: staging,
                        target_snapshot_id: encrypted.clone(),
                        kms_key_id: options.kms_key_id.clone(),
                    },
                    "encrypt a copy of the snapshot",
                ),
                step(
                    Step::RestoreDBInstanceFromDBSnapshot {
                        region,
                        snapshot_id: encrypted,
                        instance_id: format!("{id}-encrypted"),
                        carried_over,
                    },
                    "restore an encrypted instance beside the original",
                ),
            ]
        }
        RuleId::InstancePublic => {
            caveats.push(
                "clients outside the VPC lose access at once; PubliclyAccessible applies immediately"
                    .into(),
            );
            vec![modify(
                finding,
                Setting::PubliclyAccessible(false),
                options,
                false,
                "make it private",
            )?]
        }
        RuleId::InstanceSingleAz | RuleId::ClusterSingleAz => {
            if finding.resource_type == ResourceType::DbCluster {
                return Err(NoRemediation(
                    "add a reader instance in another Availability Zone (CreateDBInstance with --db-cluster-identifier); rdsight does not create compute for you".into(),
                ));
            }
            caveats.push(
                "adds a standby: a brief I/O pause while it syncs, and about twice the instance cost"
                    .into(),
            );
            vec![modify(
                finding,
                Setting::MultiAZ(true),
                options,
                false,
                "add a standby in another zone",
            )?]
        }
        RuleId::BackupsDisabled | RuleId::BackupsShort => {
            let from_zero = finding.rule == RuleId::BackupsDisabled;
            if from_zero {
                caveats.push(
                    "turning backups on from 0 restarts the instance: an outage; type its id to confirm"
                        .into(),
                );
            }
            vec![modify(
                finding,
                Setting::BackupRetentionPeriod(
                    options
                        .backup_retention_days
                        .max(config.min_backup_retention_days),
                ),
                options,
                from_zero,
                "keep automated backups",
            )?]
        }
        RuleId::DeletionProtectionOff => vec![modify(
            finding,
            Setting::DeletionProtection(true),
            options,
            false,
            "block deletion",
        )?],
        RuleId::AutoMinorUpgradeOff => vec![modify(
            finding,
            Setting::AutoMinorVersionUpgrade(true),
            options,
            false,
            "take minor versions in the maintenance window",
        )?],
        RuleId::IamAuthOff => {
            caveats.push(
                "existing password logins keep working; grant rds_iam to users who should use IAM"
                    .into(),
            );
            vec![modify(
                finding,
                Setting::EnableIAMDatabaseAuthentication(true),
                options,
                false,
                "allow IAM authentication",
            )?]
        }
        RuleId::CopyTagsOff => vec![modify(
            finding,
            Setting::CopyTagsToSnapshot(true),
            options,
            false,
            "copy tags to new snapshots",
        )?],
        RuleId::SgOpenDbPort => {
            let steps = revoke_steps(fleet, config, finding)?;
            let groups: Vec<String> = steps
                .iter()
                .filter_map(|s| match &s.step {
                    Step::RevokeSecurityGroupIngress { group_id, .. } => Some(group_id.clone()),
                    _ => None,
                })
                .collect();
            for group in groups {
                let users = group_users(fleet, &finding.region, &group);
                caveats.push(format!(
                    "{group} is attached to {}: clients coming from the internet through it lose access",
                    if users.is_empty() { "nothing else known".into() } else { users.join(", ") }
                ));
            }
            caveats
                .push("undo data is kept in the audit log (AuthorizeSecurityGroupIngress)".into());
            steps
        }
        RuleId::EnhancedMonitoringOff => {
            return Err(NoRemediation(
                "needs a monitoring IAM role: modify-db-instance --monitoring-interval 60 --monitoring-role-arn ROLE".into(),
            ));
        }
        RuleId::LogsNotExported => {
            return Err(NoRemediation(
                "log types depend on the engine: modify-db-instance --cloudwatch-logs-export-configuration EnableLogTypes=…".into(),
            ));
        }
        RuleId::DefaultPort => {
            return Err(NoRemediation(
                "changing the port restarts the database and breaks every client: plan it with the application owners".into(),
            ));
        }
        RuleId::DefaultAdmin => {
            return Err(NoRemediation(
                "the master user name cannot be changed: create a new master user on a restored copy".into(),
            ));
        }
        RuleId::ClusterUnencrypted => {
            return Err(NoRemediation(
                "snapshot the cluster, then restore it with --kms-key-id (RestoreDBClusterFromSnapshot); plan the cut-over".into(),
            ));
        }
    };
    Ok(Plan {
        findings: vec![finding.clone()],
        steps,
        caveats,
    })
}

/// The id of what an encryption plan creates from snapshot `id`.
/// Automated snapshots are named `rds:…`; a new resource's id may not
/// contain a colon.
fn encrypted_name(id: &str) -> String {
    format!("{}-encrypted", id.strip_prefix("rds:").unwrap_or(id))
}

fn gone(finding: &Finding) -> NoRemediation {
    NoRemediation(format!(
        "{} is no longer in the fleet — press r to refresh",
        finding.resource_id
    ))
}

fn snapshot_kind(finding: &Finding) -> Result<SnapshotKind, NoRemediation> {
    match finding.resource_type {
        ResourceType::DbSnapshot => Ok(SnapshotKind::Db),
        ResourceType::DbClusterSnapshot => Ok(SnapshotKind::Cluster),
        other => Err(NoRemediation(format!("{other} is not a snapshot"))),
    }
}

fn modify(
    finding: &Finding,
    setting: Setting,
    options: PlanOptions,
    from_no_backups: bool,
    purpose: &str,
) -> Result<PlannedStep, NoRemediation> {
    let region = finding.region.clone();
    let apply_immediately = options.apply_immediately || !setting.honours_window();
    let step = match finding.resource_type {
        ResourceType::DbInstance => Step::ModifyDBInstance {
            region,
            instance_id: finding.resource_id.clone(),
            setting,
            apply_immediately,
            from_no_backups,
        },
        ResourceType::DbCluster => Step::ModifyDBCluster {
            region,
            cluster_id: finding.resource_id.clone(),
            setting,
            apply_immediately,
            from_no_backups,
        },
        other => return Err(NoRemediation(format!("cannot modify a {other}"))),
    };
    Ok(PlannedStep {
        step,
        purpose: purpose.to_string(),
    })
}

/// One revoke per world-open rule on the resource's port.
fn revoke_steps(
    fleet: &Fleet,
    config: &RuleConfig,
    finding: &Finding,
) -> Result<Vec<PlannedStep>, NoRemediation> {
    let ctx = Context::new(fleet, config);
    let region = &finding.region;
    let (groups, port): (&[String], u16) = match finding.resource_type {
        ResourceType::DbInstance => {
            let i = fleet
                .instance(region, &finding.resource_id)
                .ok_or_else(|| gone(finding))?;
            (instance_groups(&ctx, i), i.port)
        }
        ResourceType::DbCluster => {
            let c = fleet
                .cluster(region, &finding.resource_id)
                .ok_or_else(|| gone(finding))?;
            (&c.security_group_ids, c.port)
        }
        other => return Err(NoRemediation(format!("{other} has no security groups"))),
    };
    let steps: Vec<PlannedStep> = open_world_rules(&ctx, region, groups, port)
        .into_iter()
        .map(|open| PlannedStep {
            step: Step::RevokeSecurityGroupIngress {
                region: region.clone(),
                group_id: open.group.id.clone(),
                protocol: open.rule.protocol.clone(),
                from_port: open.rule.from_port,
                to_port: open.rule.to_port,
                cidr: open.cidr.to_string(),
            },
            purpose: format!(
                "close {} on {} in {} ({})",
                open.cidr,
                open.rule.port_label(),
                open.group.id,
                open.group.name
            ),
        })
        .collect();
    if steps.is_empty() {
        return Err(NoRemediation(
            "no world-open rule found any more — press r to refresh".into(),
        ));
    }
    Ok(steps)
}

/// Every DB instance and cluster using a security group.
pub fn group_users(fleet: &Fleet, region: &str, group: &str) -> Vec<String> {
    let has = |ids: &[String]| ids.iter().any(|g| g == group);
    fleet
        .clusters
        .iter()
        .filter(|c| c.region == region && has(&c.security_group_ids))
        .map(|c| format!("cluster {}", c.id))
        .chain(
            fleet
                .instances
                .iter()
                .filter(|i| {
                    i.region == region && i.cluster_id.is_none() && has(&i.security_group_ids)
                })
                .map(|i| format!("instance {}", i.id)),
        )
        .collect()
}
