//! Encrypt a snapshot. A DB snapshot is copied with a KMS key (and the
//! unencrypted original optionally deleted); a cluster snapshot cannot be
//! copied into encryption on AWS, so it is restored into a new encrypted
//! cluster (`cluster_restore.rs`).

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::snapshot_sharing::snapshot_kind;
use super::support::{arn, demo_knows_key, ensure_free_snapshot_id, refused, snapshot_mut};
use crate::model::{Fleet, ResourceRef, ResourceType, Snapshot, SnapshotKind};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, Impact, NoRemediation, Param, PlanChoice, PlannedStep,
    Reversibility, Sent, Verify, Waiter,
};
use crate::source::aws::RegionClients;
use crate::source::demo::{DemoChange, now};
use crate::source::{Fact, SourceError, StepOutcome};

/// Answers `snapshot-unencrypted`.
pub struct EncryptSnapshot;

pub static ENCRYPT_SNAPSHOT: EncryptSnapshot = EncryptSnapshot;

impl Fix for EncryptSnapshot {
    fn summary(&self) -> &'static str {
        "make an encrypted copy (a DB snapshot) or restore an encrypted cluster (a cluster snapshot)"
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let (region, id) = (&finding.region, &finding.resource_id);
        match snapshot_kind(finding.resource_type)? {
            SnapshotKind::Db => Ok(copy_plan(input, region, id)),
            SnapshotKind::Cluster => super::cluster_restore::plan(input, region, id),
        }
    }
}

fn copy_plan(input: &FixInput<'_>, region: &str, id: &str) -> Fixing {
    let copy = CopyDBSnapshot {
        region: region.to_string(),
        source_snapshot_id: id.to_string(),
        target_snapshot_id: encrypted_name(id),
        kms_key_id: input.options.kms_key_id.clone(),
    };
    let mut fixing = Fixing {
        steps: vec![PlannedStep::new(copy, "make an encrypted copy")],
        caveats: Vec::new(),
        choices: vec![PlanChoice::DeleteOriginal],
    };
    if input.options.delete_original {
        let delete = DeleteDBSnapshot {
            region: region.to_string(),
            snapshot_id: id.to_string(),
        };
        fixing
            .steps
            .push(PlannedStep::new(delete, "delete the unencrypted original"));
        fixing
            .caveats
            .push(Caveat::warning(format!("deleting {id} cannot be undone")));
    } else {
        fixing.caveats.push(Caveat::Unless {
            choice: PlanChoice::DeleteOriginal,
            text: "the unencrypted original is kept".into(),
        });
    }
    fixing
}

/// The id of what an encryption plan creates from snapshot `id`.
/// Automated snapshots are named `rds:…`; a new resource's id may not
/// contain a colon.
pub(super) fn encrypted_name(id: &str) -> String {
    format!("{}-encrypted", id.strip_prefix("rds:").unwrap_or(id))
}

/// CopyDBSnapshot with a KMS key: an encrypted copy, tags included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyDBSnapshot {
    pub region: String,
    pub source_snapshot_id: String,
    pub target_snapshot_id: String,
    pub kms_key_id: String,
}

impl Call for CopyDBSnapshot {
    fn api(&self) -> &'static str {
        "rds:CopyDBSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        vec![
            Param::text("SourceDBSnapshotIdentifier", &self.source_snapshot_id),
            Param::text("TargetDBSnapshotIdentifier", &self.target_snapshot_id),
            Param::text("KmsKeyId", &self.kms_key_id),
            Param::flag("CopyTags", true),
        ]
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(
            ResourceType::DbSnapshot,
            &self.region,
            &self.target_snapshot_id,
        )
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .copy_db_snapshot()
                .source_db_snapshot_identifier(&self.source_snapshot_id)
                .target_db_snapshot_identifier(&self.target_snapshot_id)
                .kms_key_id(&self.kms_key_id)
                .copy_tags(true)
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
        let (region, source_id) = (&self.region, &self.source_snapshot_id);
        let source = snapshot_mut(fleet, region, SnapshotKind::Db, source_id)?.clone();
        if source.status != "available" {
            return Err(refused(
                self.api(),
                format!("InvalidDBSnapshotState: {source_id} is {}", source.status),
            ));
        }
        ensure_free_snapshot_id(self.api(), fleet, region, &self.target_snapshot_id)?;
        let copy = Snapshot {
            id: self.target_snapshot_id.clone(),
            arn: Some(arn(fleet, region, "snapshot", &self.target_snapshot_id)),
            status: "creating".into(),
            snapshot_type: "manual".into(),
            encrypted: true,
            kms_key_id: Some(self.kms_key_id.clone()),
            created: Some(now()),
            shared_with: Vec::new(),
            ..source
        };
        fleet.snapshots.push(copy);
        demo_knows_key(fleet, region, &self.kms_key_id);
        let outcome = StepOutcome::created(self.target(), Some(true), None);
        Ok(DemoChange::settling(outcome, self.target()))
    }
}

/// DeleteDBSnapshot: destructive, and typed to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteDBSnapshot {
    pub region: String,
    pub snapshot_id: String,
}

impl Call for DeleteDBSnapshot {
    fn api(&self) -> &'static str {
        "rds:DeleteDBSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        vec![Param::text("DBSnapshotIdentifier", &self.snapshot_id)]
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbSnapshot, &self.region, &self.snapshot_id)
    }

    fn impact(&self) -> Impact {
        Impact::Destructive
    }

    fn reversibility(&self) -> Reversibility {
        Reversibility::Irreversible("the snapshot is gone")
    }

    /// Landed once the snapshot is gone or on its way out.
    fn landed(&self, now: &Fleet) -> Option<bool> {
        Some(
            now.status_of(&self.target())
                .is_none_or(|s| s == "deleting"),
        )
    }

    fn verify(&self) -> Verify {
        Verify {
            deleting: true,
            not_pending: None,
        }
    }

    fn waiter(&self) -> Option<Waiter> {
        Waiter::until(&self.target(), "deleted")
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .delete_db_snapshot()
                .db_snapshot_identifier(&self.snapshot_id)
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let status = out.db_snapshot().and_then(|s| s.status());
            let fact = Fact::Status {
                resource: self.target(),
                status: status.unwrap_or("deleting").to_string(),
            };
            Ok(StepOutcome::new(vec![fact], out.request_id()))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        snapshot_mut(fleet, &self.region, SnapshotKind::Db, &self.snapshot_id)?.status =
            "deleting".into();
        let fact = Fact::Status {
            resource: self.target(),
            status: "deleting".into(),
        };
        let (region, id) = (self.region.clone(), self.snapshot_id.clone());
        Ok(DemoChange::then(
            StepOutcome::new(vec![fact], None),
            move |fleet| {
                fleet
                    .snapshots
                    .retain(|s| !(s.region == region && s.kind == SnapshotKind::Db && s.id == id))
            },
        ))
    }
}

/// CopyDBClusterSnapshot with a KMS key: a copy of an encrypted cluster
/// snapshot under another key, tags included. (AWS cannot encrypt an
/// unencrypted cluster snapshot this way: that is `cluster_restore`'s.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyDBClusterSnapshot {
    pub region: String,
    pub source_snapshot_id: String,
    pub target_snapshot_id: String,
    pub kms_key_id: String,
}

impl Call for CopyDBClusterSnapshot {
    fn api(&self) -> &'static str {
        "rds:CopyDBClusterSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        vec![
            Param::text(
                "SourceDBClusterSnapshotIdentifier",
                &self.source_snapshot_id,
            ),
            Param::text(
                "TargetDBClusterSnapshotIdentifier",
                &self.target_snapshot_id,
            ),
            Param::text("KmsKeyId", &self.kms_key_id),
            Param::flag("CopyTags", true),
        ]
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(
            ResourceType::DbClusterSnapshot,
            &self.region,
            &self.target_snapshot_id,
        )
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    /// The CLI waits for a cluster snapshot by its own waiter.
    fn waiter(&self) -> Option<Waiter> {
        Some(Waiter {
            name: "db-cluster-snapshot-available".into(),
            id: Param::text("DBClusterSnapshotIdentifier", &self.target_snapshot_id),
        })
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .rds_once
                .copy_db_cluster_snapshot()
                .source_db_cluster_snapshot_identifier(&self.source_snapshot_id)
                .target_db_cluster_snapshot_identifier(&self.target_snapshot_id)
                .kms_key_id(&self.kms_key_id)
                .copy_tags(true)
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let encrypted = out
                .db_cluster_snapshot()
                .and_then(|s| s.storage_encrypted());
            Ok(StepOutcome::created(
                self.target(),
                encrypted,
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let (region, source_id) = (&self.region, &self.source_snapshot_id);
        let source = snapshot_mut(fleet, region, SnapshotKind::Cluster, source_id)?.clone();
        if source.status != "available" {
            return Err(refused(
                self.api(),
                format!(
                    "InvalidDBClusterSnapshotStateFault: {source_id} is {}",
                    source.status
                ),
            ));
        }
        let target = &self.target_snapshot_id;
        if fleet
            .snapshot(region, SnapshotKind::Cluster, target)
            .is_some()
        {
            return Err(refused(
                self.api(),
                format!("DBClusterSnapshotAlreadyExistsFault: {target} already exists"),
            ));
        }
        let copy = Snapshot {
            id: target.clone(),
            arn: Some(arn(fleet, region, "cluster-snapshot", target)),
            status: "creating".into(),
            snapshot_type: "manual".into(),
            encrypted: true,
            kms_key_id: Some(self.kms_key_id.clone()),
            created: Some(now()),
            shared_with: Vec::new(),
            ..source
        };
        fleet.snapshots.push(copy);
        demo_knows_key(fleet, region, &self.kms_key_id);
        let outcome = StepOutcome::created(self.target(), Some(true), None);
        Ok(DemoChange::settling(outcome, self.target()))
    }
}
