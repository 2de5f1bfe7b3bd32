//! Helpers the fix modules share: finding resources in the demo fleet and
//! the errors a source reports, the way AWS reports them.

use crate::model::{
    AWS_KEY_MANAGER, Fleet, Instance, KmsKey, ResourceRef, Snapshot, SnapshotKind,
    is_aws_managed_alias,
};
use crate::source::demo::DemoChange;
use crate::source::{SourceError, StepOutcome};

pub fn not_found(resource: &ResourceRef) -> SourceError {
    SourceError::NotFound {
        resource: format!("{} {}", resource.kind, resource.id),
    }
}

/// A call AWS would refuse, with its error code first.
pub fn refused(api: &str, message: String) -> SourceError {
    SourceError::call(api, message)
}

pub fn snapshot_mut<'f>(
    fleet: &'f mut Fleet,
    region: &str,
    kind: SnapshotKind,
    id: &str,
) -> Result<&'f mut Snapshot, SourceError> {
    fleet
        .snapshots
        .iter_mut()
        .find(|s| s.region == region && s.kind == kind && s.id == id)
        .ok_or_else(|| not_found(&ResourceRef::new(kind.resource_type(), region, id)))
}

pub fn instance_mut<'f>(
    fleet: &'f mut Fleet,
    region: &str,
    id: &str,
) -> Result<&'f mut Instance, SourceError> {
    fleet
        .instances
        .iter_mut()
        .find(|i| i.region == region && i.id == id)
        .ok_or_else(|| {
            not_found(&ResourceRef::new(
                crate::model::ResourceType::DbInstance,
                region,
                id,
            ))
        })
}

/// AWS refuses to create a DB snapshot under an id already taken.
pub fn ensure_free_snapshot_id(
    api: &str,
    fleet: &Fleet,
    region: &str,
    id: &str,
) -> Result<(), SourceError> {
    if fleet.snapshot(region, SnapshotKind::Db, id).is_some() {
        return Err(refused(
            api,
            format!("DBSnapshotAlreadyExists: {id} already exists"),
        ));
    }
    Ok(())
}

/// AWS refuses to create an instance under an id already taken.
pub fn ensure_free_instance_id(
    api: &str,
    fleet: &Fleet,
    region: &str,
    id: &str,
) -> Result<(), SourceError> {
    if fleet.instance(region, id).is_some() {
        return Err(refused(
            api,
            format!("DBInstanceAlreadyExists: {id} already exists"),
        ));
    }
    Ok(())
}

/// A new demo instance: `creating` now, `available` with an endpoint
/// once the transition has passed.
pub fn instance_comes_up(outcome: StepOutcome, target: ResourceRef) -> DemoChange {
    DemoChange::then(outcome, move |fleet| {
        if let Ok(i) = instance_mut(fleet, &target.region, &target.id) {
            i.status = "available".into();
            i.endpoint = Some(format!("{}.demo.{}.rds.amazonaws.com", i.id, i.region));
        }
    })
}

/// The ARN AWS would give a new resource (`snapshot`, `cluster`, `db`).
pub fn arn(fleet: &Fleet, region: &str, kind: &str, id: &str) -> String {
    format!("arn:aws:rds:{region}:{}:{kind}:{id}", fleet.account)
}

/// `None` for an empty list: the SDK then leaves the parameter out.
pub fn non_empty(values: &[String]) -> Option<Vec<String>> {
    (!values.is_empty()).then(|| values.to_vec())
}

/// Make the demo's KMS know `key`, as DescribeKey would describe it after
/// a copy used it: AWS-managed for an `alias/aws/…`, the customer's else.
/// Without it, a copy's key manager would read as never loaded.
pub fn demo_knows_key(fleet: &mut Fleet, region: &str, key: &str) {
    let known = fleet
        .kms_keys
        .iter()
        .any(|k| k.region == region && k.is_named(key));
    if !known {
        let manager = if is_aws_managed_alias(key) {
            AWS_KEY_MANAGER
        } else {
            "CUSTOMER"
        };
        fleet.kms_keys.push(KmsKey {
            region: region.to_string(),
            id: key.to_string(),
            arn: None,
            key_manager: manager.to_string(),
            missing: false,
        });
    }
}
