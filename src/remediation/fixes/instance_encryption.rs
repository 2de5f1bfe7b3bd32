//! Encrypt an instance: snapshot it, copy the snapshot with a KMS key, and
//! restore an encrypted instance beside the original, carrying over what
//! makes it a drop-in replacement. The original is kept for the cut-over.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::snapshot_encryption::CopyDBSnapshot;
use super::support::{
    arn, ensure_free_snapshot_id, instance_mut, non_empty, refused, snapshot_mut,
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
        let steps = vec![
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
            PlannedStep::new(
                RestoreDBInstanceFromDBSnapshot {
                    region: region.clone(),
                    snapshot_id: encrypted,
                    instance_id: format!("{id}-encrypted"),
                    carried_over: CarriedOver::from(original),
                },
                "restore an encrypted instance beside the original",
            ),
        ];
        Ok(Fixing {
            steps,
            caveats: vec![Caveat::warning(format!(
                "the new instance {id}-encrypted has a new endpoint: stop writes to {id} for the cut-over; the original is kept"
            ))],
            choices: Vec::new(),
        })
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

impl From<&Instance> for CarriedOver {
    fn from(original: &Instance) -> Self {
        Self {
            instance_class: Some(original.class.clone()).filter(|c| !c.is_empty()),
            subnet_group: original.subnet_group.clone(),
            security_group_ids: original.security_group_ids.clone(),
            parameter_group: original.parameter_group.clone(),
        }
    }
}

impl CarriedOver {
    /// The API parameters, in API spelling, for the ones that are set.
    fn parameters(&self) -> Vec<Param> {
        let mut p = Vec::new();
        if let Some(class) = &self.instance_class {
            p.push(Param::text("DBInstanceClass", class));
        }
        if let Some(group) = &self.subnet_group {
            p.push(Param::text("DBSubnetGroupName", group));
        }
        if !self.security_group_ids.is_empty() {
            p.push(Param::list("VpcSecurityGroupIds", &self.security_group_ids));
        }
        if let Some(group) = &self.parameter_group {
            p.push(Param::text("DBParameterGroupName", group));
        }
        p
    }

    /// `original` with these settings applied over it.
    fn over(&self, original: &Instance) -> Instance {
        Instance {
            class: self
                .instance_class
                .clone()
                .unwrap_or(original.class.clone()),
            subnet_group: self.subnet_group.clone().or(original.subnet_group.clone()),
            security_group_ids: if self.security_group_ids.is_empty() {
                original.security_group_ids.clone()
            } else {
                self.security_group_ids.clone()
            },
            parameter_group: self
                .parameter_group
                .clone()
                .or(original.parameter_group.clone()),
            ..original.clone()
        }
    }
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

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let carried = &self.carried_over;
            let out = aws
                .rds_once
                .restore_db_instance_from_db_snapshot()
                .db_instance_identifier(&self.instance_id)
                .db_snapshot_identifier(&self.snapshot_id)
                .set_db_instance_class(carried.instance_class.clone())
                .set_db_subnet_group_name(carried.subnet_group.clone())
                .set_vpc_security_group_ids(non_empty(&carried.security_group_ids))
                .set_db_parameter_group_name(carried.parameter_group.clone())
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
        if fleet.instance(region, &self.instance_id).is_some() {
            return Err(refused(
                self.api(),
                format!(
                    "DBInstanceAlreadyExists: {} already exists",
                    self.instance_id
                ),
            ));
        }
        let original = fleet
            .instance(region, &snapshot.source_id)
            .cloned()
            .unwrap_or_default();
        fleet.instances.push(Instance {
            id: self.instance_id.clone(),
            arn: Some(arn(fleet, region, "db", &self.instance_id)),
            region: region.clone(),
            status: "creating".into(),
            storage_encrypted: snapshot.encrypted,
            kms_key_id: snapshot.kms_key_id.clone(),
            endpoint: None,
            created: Some(now()),
            pending_changes: Vec::new(),
            ..self.carried_over.over(&original)
        });
        let outcome = StepOutcome::created(self.target(), Some(snapshot.encrypted), None);
        let target = self.target();
        Ok(DemoChange::then(outcome, move |fleet| {
            if let Ok(i) = instance_mut(fleet, &target.region, &target.id) {
                i.status = "available".into();
                i.endpoint = Some(format!("{}.demo.{}.rds.amazonaws.com", i.id, i.region));
            }
        }))
    }
}
