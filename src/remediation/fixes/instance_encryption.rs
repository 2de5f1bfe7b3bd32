//! Encrypt an instance: snapshot it, copy the snapshot with a KMS key, and
//! restore an encrypted instance beside the original, carrying every
//! setting of the original the restore call takes (`carry.rs`), then the
//! ones it cannot take by ModifyDBInstance. The original is kept for the
//! cut-over.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::carry::{CarriedOver, carried_caveat, differences, instance_not_carried, sdk_tags};
use super::settings::{ModifyDBInstance, Setting};
use super::snapshot_encryption::CopyDBSnapshot;
use super::support::{
    arn, ensure_free_instance_id, ensure_free_snapshot_id, instance_comes_up, instance_mut,
    non_empty, refused, snapshot_mut,
};
use crate::model::{Fleet, Instance, ResourceRef, ResourceType, Snapshot, SnapshotKind};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, Impact, NoRemediation, Param, PlannedStep, Sent,
};
use crate::source::aws::RegionClients;
use crate::source::demo::{DemoChange, now};
use crate::source::{SourceError, StepOutcome};

/// Answers `instance-unencrypted`.
pub struct EncryptInstance;

pub static ENCRYPT_INSTANCE: EncryptInstance = EncryptInstance;

impl Fix for EncryptInstance {
    fn summary(&self) -> &'static str {
        "snapshot, encrypt a copy, restore an encrypted instance beside the original"
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let (region, id) = (&input.finding.region, &input.finding.resource_id);
        let original = input
            .fleet
            .instance(region, id)
            .ok_or_else(|| input.gone())?;
        let staging = format!("{id}-pre-encryption");
        let encrypted = format!("{staging}-encrypted");
        let copy = format!("{id}-encrypted");
        let restore = RestoreDBInstanceFromDBSnapshot {
            region: region.clone(),
            snapshot_id: encrypted.clone(),
            instance_id: copy.clone(),
            carried_over: CarriedOver::from(original),
        };
        let mut caveats = vec![
            Caveat::warning(format!(
                "the new instance {copy} has a new endpoint: stop writes to {id} for the cut-over; the original is kept"
            )),
            carried_caveat(&copy, &restore.carried_over.parameters()),
        ];
        let mut steps = vec![
            PlannedStep::new(
                CreateDBSnapshot {
                    region: region.clone(),
                    instance_id: id.clone(),
                    snapshot_id: staging.clone(),
                },
                "snapshot the instance",
            ),
            PlannedStep::new(
                CopyDBSnapshot {
                    region: region.clone(),
                    source_snapshot_id: staging,
                    target_snapshot_id: encrypted.clone(),
                    kms_key_id: input.options.kms_key_id.clone(),
                },
                "encrypt a copy of the snapshot",
            ),
            PlannedStep::new(restore, "restore an encrypted instance beside the original"),
        ];
        if let Some(monitoring) = monitoring_follow_up(region, &copy, original) {
            caveats.push(carried_caveat(&copy, &monitoring.parameters()));
            steps.push(PlannedStep::new(
                monitoring,
                "turn on enhanced monitoring like the original's (the restore cannot)",
            ));
        }
        caveats.extend(instance_not_carried(&copy, original));
        Ok(Fixing {
            steps,
            caveats,
            choices: Vec::new(),
        })
    }
}

/// The ModifyDBInstance that gives the copy the original's enhanced
/// monitoring, which RestoreDBInstanceFromDBSnapshot cannot take. Only
/// with its role: AWS refuses an interval without one.
fn monitoring_follow_up(region: &str, copy: &str, original: &Instance) -> Option<ModifyDBInstance> {
    let role = original.monitoring_role_arn.clone()?;
    (original.monitoring_interval_secs > 0).then(|| ModifyDBInstance {
        region: region.to_string(),
        instance_id: copy.to_string(),
        setting: Setting::MonitoringInterval {
            seconds: original.monitoring_interval_secs,
            role_arn: Some(role),
        },
        // The copy serves nothing yet: no window to wait for.
        apply_immediately: true,
        from_no_backups: false,
    })
}

/// CreateDBSnapshot: a manual snapshot of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDBSnapshot {
    pub region: String,
    pub instance_id: String,
    pub snapshot_id: String,
}

impl Call for CreateDBSnapshot {
    fn api(&self) -> &'static str {
        "rds:CreateDBSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        vec![
            Param::text("DBInstanceIdentifier", &self.instance_id),
            Param::text("DBSnapshotIdentifier", &self.snapshot_id),
        ]
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbSnapshot, &self.region, &self.snapshot_id)
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .create_db_snapshot()
                .db_instance_identifier(&self.instance_id)
                .db_snapshot_identifier(&self.snapshot_id)
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let encrypted = out.db_snapshot().and_then(|s| s.encrypted());
            Ok(StepOutcome::created(
                self.target(),
                encrypted,
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let region = &self.region;
        let instance = instance_mut(fleet, region, &self.instance_id)?.clone();
        ensure_free_snapshot_id(self.api(), fleet, region, &self.snapshot_id)?;
        fleet.snapshots.push(Snapshot {
            id: self.snapshot_id.clone(),
            arn: Some(arn(fleet, region, "snapshot", &self.snapshot_id)),
            region: region.clone(),
            kind: SnapshotKind::Db,
            source_id: instance.id.clone(),
            engine: instance.engine.clone(),
            status: "creating".into(),
            snapshot_type: "manual".into(),
            encrypted: instance.storage_encrypted,
            kms_key_id: instance.kms_key_id.clone(),
            allocated_storage_gb: instance.allocated_storage_gb,
            port: instance.port,
            created: Some(now()),
            shared_with: Vec::new(),
            sharing_unknown: false,
            engine_version: instance.engine_version.clone(),
            tags: instance.tags.clone(),
        });
        let outcome = StepOutcome::created(self.target(), Some(instance.storage_encrypted), None);
        Ok(DemoChange::settling(outcome, self.target()))
    }
}

/// RestoreDBInstanceFromDBSnapshot: a new instance from a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreDBInstanceFromDBSnapshot {
    pub region: String,
    pub snapshot_id: String,
    pub instance_id: String,
    #[serde(default)]
    pub carried_over: CarriedOver,
}

impl Call for RestoreDBInstanceFromDBSnapshot {
    fn api(&self) -> &'static str {
        "rds:RestoreDBInstanceFromDBSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        let mut p = vec![
            Param::text("DBInstanceIdentifier", &self.instance_id),
            Param::text("DBSnapshotIdentifier", &self.snapshot_id),
        ];
        p.extend(self.carried_over.parameters());
        p
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbInstance, &self.region, &self.instance_id)
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        let copy = now
            .instance(&self.region, &self.instance_id)
            .ok_or_else(|| format!("{} is not there to compare", self.instance_id))?;
        let sent = self.carried_over.parameters();
        differences(&sent, &CarriedOver::from(copy).parameters())
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let c = &self.carried_over;
            let number = |n: Option<u32>| {
                n.map(i32::try_from)
                    .transpose()
                    .map_err(|_| refused(self.api(), format!("not sent: {n:?} is out of range")))
            };
            let out = aws
                .rds_once
                .restore_db_instance_from_db_snapshot()
                .db_instance_identifier(&self.instance_id)
                .db_snapshot_identifier(&self.snapshot_id)
                .set_db_instance_class(c.instance_class.clone())
                .set_port(c.port.map(i32::from))
                .set_db_subnet_group_name(c.subnet_group.clone())
                .multi_az(c.multi_az)
                .publicly_accessible(c.publicly_accessible)
                .auto_minor_version_upgrade(c.auto_minor_version_upgrade)
                .set_iops(number(c.iops)?)
                .set_storage_throughput(number(c.storage_throughput)?)
                .set_option_group_name(c.option_group.clone())
                .set_tags(sdk_tags(&c.tags))
                .set_storage_type(c.storage_type.clone())
                .set_vpc_security_group_ids(non_empty(&c.security_group_ids))
                .copy_tags_to_snapshot(c.copy_tags_to_snapshot)
                .enable_iam_database_authentication(c.iam_auth)
                .set_enable_cloudwatch_logs_exports(non_empty(&c.log_exports))
                .set_db_parameter_group_name(c.parameter_group.clone())
                .deletion_protection(c.deletion_protection)
                .set_backup_retention_period(number(c.backup_retention_days)?)
                .set_ca_certificate_identifier(c.ca_certificate.clone())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let encrypted = out.db_instance().and_then(|i| i.storage_encrypted());
            Ok(StepOutcome::created(
                self.target(),
                encrypted,
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let region = &self.region;
        let snapshot = snapshot_mut(fleet, region, SnapshotKind::Db, &self.snapshot_id)?.clone();
        ensure_free_instance_id(self.api(), fleet, region, &self.instance_id)?;
        let original = fleet
            .instance(region, &snapshot.source_id)
            .cloned()
            .unwrap_or_default();
        let mut copy = Instance {
            id: self.instance_id.clone(),
            arn: Some(arn(fleet, region, "db", &self.instance_id)),
            region: region.clone(),
            status: "creating".into(),
            storage_encrypted: snapshot.encrypted,
            kms_key_id: snapshot.kms_key_id.clone(),
            endpoint: None,
            created: Some(now()),
            pending_changes: Vec::new(),
            ..original
        };
        self.carried_over.apply_to(&mut copy);
        fleet.instances.push(copy);
        let outcome = StepOutcome::created(self.target(), Some(snapshot.encrypted), None);
        Ok(instance_comes_up(outcome, self.target()))
    }
}
