//! Stop sharing a snapshot: remove `all` (public), the untrusted
//! accounts, or — for an unencrypted snapshot — every account, from its
//! `restore` attribute. One call, undone by adding the same values back.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::support::{non_empty, snapshot_mut};
use crate::finding::RuleId;
use crate::model::{Fleet, PUBLIC_RESTORE_ACCOUNT, ResourceRef, ResourceType, SnapshotKind};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, NoRemediation, Param, PlannedStep, Reversibility, Sent,
    Step, Waiter,
};
use crate::source::aws::{RegionClients, convert};
use crate::source::demo::DemoChange;
use crate::source::{Fact, SourceError, StepOutcome};

/// Answers `snapshot-public`, `snapshot-shared-untrusted` and
/// `snapshot-shared-unencrypted`.
pub struct StopSharing;

pub static STOP_SHARING: StopSharing = StopSharing;

impl Fix for StopSharing {
    fn summary(&self) -> &'static str {
        "remove the accounts from the snapshot's restore attribute"
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let kind = snapshot_kind(finding.resource_type)?;
        let snapshot = input
            .fleet
            .snapshot(&finding.region, kind, &finding.resource_id)
            .ok_or_else(|| input.gone())?;
        let mut caveats = Vec::new();
        let remove: Vec<String> = if finding.rule == RuleId::SnapshotPublic {
            caveats.push(Caveat::warning(
                "copies already made stay out of your control: treat this as an incident",
            ));
            vec![PUBLIC_RESTORE_ACCOUNT.to_string()]
        } else if finding.rule == RuleId::SnapshotSharedUnencrypted {
            // No key guards an unencrypted snapshot: trust in the account
            // is all that protects it, so every account goes.
            caveats.push(Caveat::warning(
                "every account is removed, trusted ones included: share an encrypted copy (customer-managed key) instead; copies they already made stay theirs",
            ));
            snapshot.shared_with.clone()
        } else {
            snapshot
                .shared_with
                .iter()
                .filter(|a| *a != PUBLIC_RESTORE_ACCOUNT && **a != input.fleet.account)
                .filter(|a| !input.config.trusted_accounts.contains(a))
                .cloned()
                .collect()
        };
        let step = ModifySnapshotAttribute {
            kind,
            region: finding.region.clone(),
            snapshot_id: finding.resource_id.clone(),
            values_to_add: Vec::new(),
            values_to_remove: remove,
        };
        Ok(Fixing {
            steps: vec![PlannedStep::new(step, "stop sharing the snapshot")],
            caveats,
            choices: Vec::new(),
        })
    }
}

pub(super) fn snapshot_kind(kind: ResourceType) -> Result<SnapshotKind, NoRemediation> {
    match kind {
        ResourceType::DbSnapshot => Ok(SnapshotKind::Db),
        ResourceType::DbClusterSnapshot => Ok(SnapshotKind::Cluster),
        other => Err(NoRemediation::NotApplicable(format!(
            "{other} is not a snapshot"
        ))),
    }
}

/// ModifyDBSnapshotAttribute or ModifyDBClusterSnapshotAttribute on the
/// `restore` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModifySnapshotAttribute {
    pub kind: SnapshotKind,
    pub region: String,
    pub snapshot_id: String,
    pub values_to_add: Vec<String>,
    pub values_to_remove: Vec<String>,
}

impl Call for ModifySnapshotAttribute {
    fn api(&self) -> &'static str {
        match self.kind {
            SnapshotKind::Db => "rds:ModifyDBSnapshotAttribute",
            SnapshotKind::Cluster => "rds:ModifyDBClusterSnapshotAttribute",
        }
    }

    fn parameters(&self) -> Vec<Param> {
        let id = match self.kind {
            SnapshotKind::Db => "DBSnapshotIdentifier",
            SnapshotKind::Cluster => "DBClusterSnapshotIdentifier",
        };
        let mut p = vec![
            Param::text(id, &self.snapshot_id),
            Param::text("AttributeName", convert::RESTORE_ATTRIBUTE),
        ];
        if !self.values_to_add.is_empty() {
            p.push(Param::list("ValuesToAdd", &self.values_to_add));
        }
        if !self.values_to_remove.is_empty() {
            p.push(Param::list("ValuesToRemove", &self.values_to_remove));
        }
        p
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(self.kind.resource_type(), &self.region, &self.snapshot_id)
    }

    fn reversibility(&self) -> Reversibility {
        Reversibility::Undo(Box::new(Step::from(ModifySnapshotAttribute {
            values_to_add: self.values_to_remove.clone(),
            values_to_remove: self.values_to_add.clone(),
            ..self.clone()
        })))
    }

    /// Landed when the restore attribute holds every added account and
    /// none of the removed ones.
    fn landed(&self, now: &Fleet) -> Option<bool> {
        let snapshot = now.snapshot(&self.region, self.kind, &self.snapshot_id)?;
        let shared = &snapshot.shared_with;
        Some(
            self.values_to_add.iter().all(|a| shared.contains(a))
                && !self.values_to_remove.iter().any(|a| shared.contains(a)),
        )
    }

    /// Adding or removing an account that is already there or gone
    /// changes nothing.
    fn idempotent(&self) -> bool {
        true
    }

    /// Sharing takes effect when the call returns.
    fn waiter(&self) -> Option<Waiter> {
        None
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let (now, request) = match self.kind {
                SnapshotKind::Db => {
                    let out = aws
                        .rds_once
                        .modify_db_snapshot_attribute()
                        .db_snapshot_identifier(&self.snapshot_id)
                        .attribute_name(convert::RESTORE_ATTRIBUTE)
                        .set_values_to_add(non_empty(&self.values_to_add))
                        .set_values_to_remove(non_empty(&self.values_to_remove))
                        .send()
                        .await
                        .map_err(aws.fail(self.api()))?;
                    let now = out.db_snapshot_attributes_result();
                    (
                        now.map(convert::db_snapshot_restore).unwrap_or_default(),
                        out.request_id().map(str::to_string),
                    )
                }
                SnapshotKind::Cluster => {
                    let out = aws
                        .rds_once
                        .modify_db_cluster_snapshot_attribute()
                        .db_cluster_snapshot_identifier(&self.snapshot_id)
                        .attribute_name(convert::RESTORE_ATTRIBUTE)
                        .set_values_to_add(non_empty(&self.values_to_add))
                        .set_values_to_remove(non_empty(&self.values_to_remove))
                        .send()
                        .await
                        .map_err(aws.fail(self.api()))?;
                    let now = out.db_cluster_snapshot_attributes_result();
                    (
                        now.map(convert::cluster_snapshot_restore)
                            .unwrap_or_default(),
                        out.request_id().map(str::to_string),
                    )
                }
            };
            Ok(StepOutcome::new(
                vec![Fact::SharedWith(now)],
                request.as_deref(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let snapshot = snapshot_mut(fleet, &self.region, self.kind, &self.snapshot_id)?;
        snapshot
            .shared_with
            .retain(|a| !self.values_to_remove.contains(a));
        for account in &self.values_to_add {
            if !snapshot.shared_with.contains(account) {
                snapshot.shared_with.push(account.clone());
            }
        }
        let now = snapshot.shared_with.clone();
        Ok(DemoChange::done(StepOutcome::new(
            vec![Fact::SharedWith(now)],
            None,
        )))
    }
}
