//! Move a snapshot off the AWS-managed `aws/rds` key: an encrypted copy
//! under a customer-managed key (`--kms-key`), whose policy can be
//! restricted and which can be granted to other accounts. A DB snapshot is
//! copied with CopyDBSnapshot, a cluster snapshot with
//! CopyDBClusterSnapshot (both re-encrypt an encrypted source).

use super::snapshot_encryption::{CopyDBClusterSnapshot, CopyDBSnapshot};
use super::snapshot_sharing::snapshot_kind;
use crate::model::{Fleet, SnapshotKind, is_aws_managed_alias};
use crate::remediation::{Caveat, Fix, FixInput, Fixing, NoRemediation, PlannedStep};

/// Answers `snapshot-aws-managed-key`.
pub struct CustomerKeyCopy;

pub static CUSTOMER_KEY_COPY: CustomerKeyCopy = CustomerKeyCopy;

impl Fix for CustomerKeyCopy {
    fn summary(&self) -> &'static str {
        "copy the snapshot under a customer-managed KMS key (--kms-key)"
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let kind = snapshot_kind(finding.resource_type)?;
        let (region, id) = (&finding.region, &finding.resource_id);
        let snapshot = input
            .fleet
            .snapshot(region, kind, id)
            .ok_or_else(|| input.gone())?;
        let key = &input.options.kms_key_id;
        if aws_managed(input.fleet, region, key) {
            return Err(NoRemediation::ByHand(
                format!(
                    "--kms-key is {key}, an AWS-managed key: a copy under it would change nothing — pass --kms-key with a customer-managed key (its id, ARN or alias)"
                )
                .into(),
            ));
        }
        let (region, source, target) = (region.clone(), id.clone(), customer_key_name(id));
        let step = match kind {
            SnapshotKind::Db => PlannedStep::new(
                CopyDBSnapshot {
                    region,
                    source_snapshot_id: source,
                    target_snapshot_id: target.clone(),
                    kms_key_id: key.clone(),
                },
                "copy it under the customer-managed key",
            ),
            SnapshotKind::Cluster => PlannedStep::new(
                CopyDBClusterSnapshot {
                    region,
                    source_snapshot_id: source,
                    target_snapshot_id: target.clone(),
                    kms_key_id: key.clone(),
                },
                "copy it under the customer-managed key",
            ),
        };
        let mut caveats = vec![Caveat::warning(format!(
            "{id} stays on the AWS-managed key: delete it by hand once {target} is available and nothing restores from {id}"
        ))];
        if !snapshot.shared_with.is_empty() {
            caveats.push(Caveat::warning(format!(
                "{target} is not shared: grant {} use of {key} in its key policy, then share {target}",
                snapshot.shared_with.join(", ")
            )));
        }
        Ok(Fixing {
            steps: vec![step],
            caveats,
            choices: Vec::new(),
        })
    }
}

/// Is `key` an AWS-managed key: an `alias/aws/…` alias, or a key the load
/// found AWS manages?
fn aws_managed(fleet: &Fleet, region: &str, key: &str) -> bool {
    is_aws_managed_alias(key)
        || fleet
            .kms_keys
            .iter()
            .any(|k| k.region == region && k.is_named(key) && k.is_aws_managed())
}

/// The id of the copy: automated snapshots are named `rds:…`, and a new
/// snapshot's id may not contain a colon.
fn customer_key_name(id: &str) -> String {
    format!("{}-cmk", id.strip_prefix("rds:").unwrap_or(id))
}
