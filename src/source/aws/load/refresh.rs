//! Re-reading one resource after a remediation step, by its identifier.

use aws_sdk_rds::config::http::HttpResponse;
use aws_sdk_rds::error::{ProvideErrorMetadata, SdkError};
use std::future::Future;

use super::sharing::{Sharing, cluster_snapshot_restore, db_snapshot_restore, fill_sharing};
use super::{sharing, unless_gone};
use crate::model::{Cluster, Fleet, Instance, ResourceRef, ResourceType, SecurityGroup, Snapshot};
use crate::source::SourceError;
use crate::source::aws::RegionClients;
use crate::source::aws::convert;
use crate::source::aws::error::CallError;

/// Re-read one resource. A resource AWS no longer knows gives an empty
/// fragment: it was deleted.
pub(in crate::source::aws) async fn refresh(
    c: &RegionClients,
    resource: &ResourceRef,
    account: String,
) -> Result<Fleet, SourceError> {
    let mut fleet = Fleet {
        account,
        regions: vec![c.region.clone()],
        ..Fleet::default()
    };
    let id = resource.id.as_str();
    match resource.kind {
        ResourceType::DbInstance => fleet.instances = instance(c, id).await?,
        ResourceType::DbCluster => fleet.clusters = cluster(c, id).await?,
        ResourceType::DbSnapshot => fleet.snapshots = db_snapshot(c, id).await?,
        ResourceType::DbClusterSnapshot => fleet.snapshots = cluster_snapshot(c, id).await?,
        ResourceType::SecurityGroup => fleet.security_groups = security_group(c, id).await?,
        // Nothing of a principal is loaded: its findings come from events.
        ResourceType::Principal => {}
    }
    keep_only(&mut fleet, resource);
    // The TLS parameters of its group, so a plan that changed them shows
    // its effect; a group that cannot be read keeps what the load read.
    let groups = super::parameters::groups_in_use(&fleet.instances, &fleet.clusters);
    if !groups.is_empty() {
        fleet.parameter_groups = super::parameters::read_parameters(c, groups).await.groups;
    }
    Ok(fleet)
}

async fn instance(c: &RegionClients, id: &str) -> Result<Vec<Instance>, SourceError> {
    let request = c.rds.describe_db_instances().db_instance_identifier(id);
    found(c, "rds:DescribeDBInstances", request.send().await, |out| {
        let items = out.db_instances().iter();
        items.map(|x| convert::instance(x, &c.region)).collect()
    })
}

async fn cluster(c: &RegionClients, id: &str) -> Result<Vec<Cluster>, SourceError> {
    let request = c.rds.describe_db_clusters().db_cluster_identifier(id);
    found(c, "rds:DescribeDBClusters", request.send().await, |out| {
        let items = out.db_clusters().iter();
        items.map(|x| convert::cluster(x, &c.region)).collect()
    })
}

async fn db_snapshot(c: &RegionClients, id: &str) -> Result<Vec<Snapshot>, SourceError> {
    let request = c.rds.describe_db_snapshots().db_snapshot_identifier(id);
    let snapshots = found(c, "rds:DescribeDBSnapshots", request.send().await, |out| {
        let items = out.db_snapshots().iter();
        items.map(|x| convert::db_snapshot(x, &c.region)).collect()
    })?;
    let restore = |id| db_snapshot_restore(c, id);
    with_sharing(c, snapshots, restore, "rds:DescribeDBSnapshotAttributes").await
}

async fn cluster_snapshot(c: &RegionClients, id: &str) -> Result<Vec<Snapshot>, SourceError> {
    let request = c.rds.describe_db_cluster_snapshots();
    let request = request.db_cluster_snapshot_identifier(id);
    let snapshots = found(
        c,
        "rds:DescribeDBClusterSnapshots",
        request.send().await,
        |out| {
            let items = out.db_cluster_snapshots().iter();
            items
                .map(|x| convert::cluster_snapshot(x, &c.region))
                .collect()
        },
    )?;
    let restore = |id| cluster_snapshot_restore(c, id);
    with_sharing(
        c,
        snapshots,
        restore,
        "rds:DescribeDBClusterSnapshotAttributes",
    )
    .await
}

async fn security_group(c: &RegionClients, id: &str) -> Result<Vec<SecurityGroup>, SourceError> {
    let request = c.ec2.describe_security_groups().group_ids(id);
    found(
        c,
        "ec2:DescribeSecurityGroups",
        request.send().await,
        |out| {
            let groups = out.security_groups().iter();
            groups
                .map(|g| convert::security_group(g, &c.region))
                .collect()
        },
    )
}

/// The resources an answer holds; none when AWS says the resource is not
/// found (it was deleted), which is an answer, not an error.
fn found<O, E, T>(
    c: &RegionClients,
    call: &str,
    answer: Result<O, SdkError<E, HttpResponse>>,
    read: impl FnOnce(O) -> Vec<T>,
) -> Result<Vec<T>, SourceError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let items = unless_gone(c, answer, read).map_err(|e| failed(call, e))?;
    Ok(items.unwrap_or_default())
}

/// Snapshots with their sharing read. Unlike a full load, a refresh that
/// cannot tell who may restore the snapshot fails: its answer would be
/// judged as private.
async fn with_sharing<Fut>(
    c: &RegionClients,
    mut snapshots: Vec<Snapshot>,
    restore: impl Fn(String) -> Fut,
    call: &str,
) -> Result<Vec<Snapshot>, SourceError>
where
    Fut: Future<Output = Sharing>,
{
    let unknown = fill_sharing(&c.attribute_slots, &mut snapshots, restore).await;
    match sharing::summarize(unknown) {
        Some(e) => Err(failed(call, e)),
        None => Ok(snapshots),
    }
}

fn failed(call: &str, e: CallError) -> SourceError {
    SourceError::Call {
        call: call.to_string(),
        message: e.message,
        code: e.code,
        request_id: e.request_id,
    }
}

/// Describe calls by identifier answer with that one resource; keep only
/// it, whatever else a permissive server sends.
fn keep_only(fleet: &mut Fleet, resource: &ResourceRef) {
    let id = resource.id.as_str();
    let keep = |kind: ResourceType, rid: &str| kind == resource.kind && rid == id;
    fleet
        .instances
        .retain(|i| keep(ResourceType::DbInstance, &i.id));
    fleet
        .clusters
        .retain(|x| keep(ResourceType::DbCluster, &x.id));
    fleet
        .snapshots
        .retain(|s| keep(s.kind.resource_type(), &s.id));
    fleet
        .security_groups
        .retain(|g| keep(ResourceType::SecurityGroup, &g.id));
}
