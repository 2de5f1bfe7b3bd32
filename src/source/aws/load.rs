//! Reading the fleet: every region at once, every resource type at once
//! within a region, then who each manual snapshot is shared with.
//!
//! A call that fails becomes a [`LoadError`] and the rest still loads:
//! honest partial results. Only when nothing at all could be listed is the
//! load an error.

use futures::future::join_all;
use futures::{StreamExt, stream};
use std::future::Future;

use super::RegionClients;
use super::convert;
use super::error::CallError;
use crate::model::{
    Cluster, Fleet, Instance, LoadError, ResourceRef, ResourceType, SecurityGroup, Snapshot,
};
use crate::source::SourceError;

/// Attribute look-ups in flight at once, per region and snapshot kind.
const ATTRIBUTE_CONCURRENCY: usize = 8;

/// Only manual snapshots can be shared; automated ones never carry `restore`.
const SHAREABLE_TYPE: &str = "manual";

/// Error codes that mean "it is not there (any more)".
const NOT_FOUND: &[&str] = &[
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "DBClusterNotFoundFault",
    "DBSnapshotNotFound",
    "DBSnapshotNotFoundFault",
    "DBClusterSnapshotNotFoundFault",
    "InvalidGroup.NotFound",
];

/// Who may restore a snapshot: `None` when it no longer exists.
type Sharing = Result<Option<Vec<String>>, CallError>;

/// What one region gave back.
#[derive(Default)]
struct RegionLoad {
    region: String,
    clusters: Vec<Cluster>,
    instances: Vec<Instance>,
    snapshots: Vec<Snapshot>,
    security_groups: Vec<SecurityGroup>,
    /// The account that owns the region's security groups.
    owner: Option<String>,
    failures: Vec<(&'static str, CallError)>,
    /// At least one list call answered.
    answered: bool,
}

impl RegionLoad {
    fn take<T>(&mut self, what: &'static str, result: Result<Vec<T>, CallError>) -> Vec<T> {
        match result {
            Ok(items) => {
                self.answered = true;
                items
            }
            Err(e) => {
                self.failures.push((what, e));
                Vec::new()
            }
        }
    }
}

/// Load every region in `regions`.
pub(super) async fn load_fleet(regions: &[RegionClients]) -> Result<Fleet, SourceError> {
    let loads = join_all(regions.iter().map(load_region)).await;
    if !loads.iter().any(|l| l.answered)
        && let Some((region, what, first)) = loads
            .iter()
            .flat_map(|l| l.failures.iter().map(move |(w, e)| (&l.region, *w, e)))
            .next()
    {
        let message = if first.transport {
            first.message.clone()
        } else {
            format!(
                "nothing could be loaded — {region} {what}: {}",
                first.message
            )
        };
        return Err(SourceError::Unavailable(message));
    }
    let mut fleet = Fleet {
        regions: regions.iter().map(|r| r.region.clone()).collect(),
        ..Fleet::default()
    };
    let mut owner = None;
    for load in loads {
        owner = owner.or(load.owner);
        fleet.clusters.extend(load.clusters);
        fleet.instances.extend(load.instances);
        fleet.snapshots.extend(load.snapshots);
        fleet.security_groups.extend(load.security_groups);
        fleet
            .load_errors
            .extend(load.failures.into_iter().map(|(what, e)| LoadError {
                region: load.region.clone(),
                what: what.to_string(),
                message: e.message,
            }));
    }
    fleet.account = owner.unwrap_or_else(|| account_from_arns(&fleet));
    keep_rds_engines(&mut fleet);
    sort(&mut fleet);
    Ok(fleet)
}

async fn load_region(c: &RegionClients) -> RegionLoad {
    let (clusters, instances, db_snapshots, cluster_snapshots, groups) = futures::join!(
        list_clusters(c),
        list_instances(c),
        list_db_snapshots(c),
        list_cluster_snapshots(c),
        list_security_groups(c),
    );
    let mut load = RegionLoad {
        region: c.region.clone(),
        ..RegionLoad::default()
    };
    load.clusters = load.take("db-clusters", clusters);
    load.instances = load.take("db-instances", instances);
    let (db_snapshots, db_sharing) = db_snapshots;
    let (cluster_snapshots, cluster_sharing) = cluster_snapshots;
    let mut snapshots = load.take("db-snapshots", db_snapshots);
    snapshots.extend(load.take("db-cluster-snapshots", cluster_snapshots));
    load.snapshots = snapshots;
    if let Some(e) = db_sharing {
        load.failures.push(("db-snapshot-attributes", e));
    }
    if let Some(e) = cluster_sharing {
        load.failures.push(("db-cluster-snapshot-attributes", e));
    }
    match groups {
        Ok((groups, owner)) => {
            load.answered = true;
            load.security_groups = groups;
            load.owner = owner;
        }
        Err(e) => load.failures.push(("security-groups", e)),
    }
    load
}

async fn list_clusters(c: &RegionClients) -> Result<Vec<Cluster>, CallError> {
    let items = c
        .rds
        .describe_db_clusters()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| c.error(&e))?;
    Ok(items
        .iter()
        .map(|x| convert::cluster(x, &c.region))
        .collect())
}

async fn list_instances(c: &RegionClients) -> Result<Vec<Instance>, CallError> {
    let items = c
        .rds
        .describe_db_instances()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| c.error(&e))?;
    Ok(items
        .iter()
        .map(|x| convert::instance(x, &c.region))
        .collect())
}

/// DB snapshots, with sharing filled in; the second value reports
/// snapshots whose sharing could not be read.
async fn list_db_snapshots(
    c: &RegionClients,
) -> (Result<Vec<Snapshot>, CallError>, Option<CallError>) {
    let listed = c
        .rds
        .describe_db_snapshots()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    let mut snapshots: Vec<Snapshot> = match listed {
        Ok(items) => items
            .iter()
            .map(|x| convert::db_snapshot(x, &c.region))
            .collect(),
        Err(e) => return (Err(c.error(&e)), None),
    };
    let failed = fill_sharing(&mut snapshots, |id| db_snapshot_restore(c, id)).await;
    (Ok(snapshots), failed)
}

async fn list_cluster_snapshots(
    c: &RegionClients,
) -> (Result<Vec<Snapshot>, CallError>, Option<CallError>) {
    let listed = c
        .rds
        .describe_db_cluster_snapshots()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    let mut snapshots: Vec<Snapshot> = match listed {
        Ok(items) => items
            .iter()
            .map(|x| convert::cluster_snapshot(x, &c.region))
            .collect(),
        Err(e) => return (Err(c.error(&e)), None),
    };
    let failed = fill_sharing(&mut snapshots, |id| cluster_snapshot_restore(c, id)).await;
    (Ok(snapshots), failed)
}

/// The region's security groups and the account that owns them.
async fn list_security_groups(
    c: &RegionClients,
) -> Result<(Vec<SecurityGroup>, Option<String>), CallError> {
    let items = c
        .ec2
        .describe_security_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| c.error(&e))?;
    let owner = items
        .iter()
        .find_map(|g| g.owner_id().filter(|o| !o.is_empty()))
        .map(str::to_string);
    let groups = items
        .iter()
        .map(|g| convert::security_group(g, &c.region))
        .collect();
    Ok((groups, owner))
}

/// Fill `shared_with` of every manual snapshot, a few look-ups at a time.
/// Snapshots deleted meanwhile are dropped; failures are summed up in one
/// error so a denied permission does not flood the load errors.
async fn fill_sharing<F, Fut>(snapshots: &mut Vec<Snapshot>, fetch: F) -> Option<CallError>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Sharing>,
{
    let manual: Vec<String> = snapshots
        .iter()
        .filter(|s| s.snapshot_type == SHAREABLE_TYPE)
        .map(|s| s.id.clone())
        .collect();
    let fetch = &fetch;
    let answers: Vec<(String, Sharing)> = stream::iter(manual)
        .map(|id| async move {
            let answer = fetch(id.clone()).await;
            (id, answer)
        })
        .buffer_unordered(ATTRIBUTE_CONCURRENCY)
        .collect()
        .await;
    let mut failed: Vec<(String, CallError)> = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    for (id, answer) in answers {
        match answer {
            Ok(Some(accounts)) => {
                if let Some(s) = snapshots.iter_mut().find(|s| s.id == id) {
                    s.shared_with = accounts;
                }
            }
            Ok(None) => gone.push(id),
            Err(e) => failed.push((id, e)),
        }
    }
    snapshots.retain(|s| !gone.contains(&s.id));
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    let (first_id, first) = failed.first()?;
    let who = match failed.len() {
        1 => first_id.clone(),
        n => format!("{first_id} and {} more", n - 1),
    };
    Some(CallError {
        message: format!("sharing unknown for {who}: {}", first.message),
        code: first.code.clone(),
        transport: first.transport,
    })
}

/// Who may restore a DB snapshot; `None` when it no longer exists.
async fn db_snapshot_restore(c: &RegionClients, id: String) -> Sharing {
    match c
        .rds
        .describe_db_snapshot_attributes()
        .db_snapshot_identifier(id)
        .send()
        .await
    {
        Ok(out) => Ok(Some(
            out.db_snapshot_attributes_result()
                .map(convert::db_snapshot_restore)
                .unwrap_or_default(),
        )),
        Err(e) => not_found_as_none(c.error(&e)),
    }
}

async fn cluster_snapshot_restore(c: &RegionClients, id: String) -> Sharing {
    match c
        .rds
        .describe_db_cluster_snapshot_attributes()
        .db_cluster_snapshot_identifier(id)
        .send()
        .await
    {
        Ok(out) => Ok(Some(
            out.db_cluster_snapshot_attributes_result()
                .map(convert::cluster_snapshot_restore)
                .unwrap_or_default(),
        )),
        Err(e) => not_found_as_none(c.error(&e)),
    }
}

fn not_found_as_none<T>(e: CallError) -> Result<Option<T>, CallError> {
    if e.has_code(NOT_FOUND) {
        Ok(None)
    } else {
        Err(e)
    }
}

/// Re-read one resource. A resource AWS no longer knows gives an empty
/// fragment: it was deleted.
pub(super) async fn refresh(
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
    let failed = |call: &str, e: CallError| SourceError::Call {
        call: call.to_string(),
        message: e.message,
    };
    match resource.kind {
        ResourceType::DbInstance => {
            let call = "rds:DescribeDBInstances";
            let answer = c
                .rds
                .describe_db_instances()
                .db_instance_identifier(id)
                .send()
                .await;
            match answer {
                Ok(out) => {
                    fleet.instances = out
                        .db_instances()
                        .iter()
                        .map(|x| convert::instance(x, &c.region))
                        .collect()
                }
                Err(e) => gone_or(c.error(&e)).map_err(|e| failed(call, e))?,
            }
        }
        ResourceType::DbCluster => {
            let call = "rds:DescribeDBClusters";
            let answer = c
                .rds
                .describe_db_clusters()
                .db_cluster_identifier(id)
                .send()
                .await;
            match answer {
                Ok(out) => {
                    fleet.clusters = out
                        .db_clusters()
                        .iter()
                        .map(|x| convert::cluster(x, &c.region))
                        .collect()
                }
                Err(e) => gone_or(c.error(&e)).map_err(|e| failed(call, e))?,
            }
        }
        ResourceType::DbSnapshot => {
            let answer = c
                .rds
                .describe_db_snapshots()
                .db_snapshot_identifier(id)
                .send()
                .await;
            let mut snapshots: Vec<Snapshot> = match answer {
                Ok(out) => out
                    .db_snapshots()
                    .iter()
                    .map(|x| convert::db_snapshot(x, &c.region))
                    .collect(),
                Err(e) => {
                    gone_or(c.error(&e)).map_err(|e| failed("rds:DescribeDBSnapshots", e))?;
                    Vec::new()
                }
            };
            if let Some(e) = fill_sharing(&mut snapshots, |id| db_snapshot_restore(c, id)).await {
                return Err(failed("rds:DescribeDBSnapshotAttributes", e));
            }
            fleet.snapshots = snapshots;
        }
        ResourceType::DbClusterSnapshot => {
            let answer = c
                .rds
                .describe_db_cluster_snapshots()
                .db_cluster_snapshot_identifier(id)
                .send()
                .await;
            let mut snapshots: Vec<Snapshot> = match answer {
                Ok(out) => out
                    .db_cluster_snapshots()
                    .iter()
                    .map(|x| convert::cluster_snapshot(x, &c.region))
                    .collect(),
                Err(e) => {
                    gone_or(c.error(&e))
                        .map_err(|e| failed("rds:DescribeDBClusterSnapshots", e))?;
                    Vec::new()
                }
            };
            if let Some(e) =
                fill_sharing(&mut snapshots, |id| cluster_snapshot_restore(c, id)).await
            {
                return Err(failed("rds:DescribeDBClusterSnapshotAttributes", e));
            }
            fleet.snapshots = snapshots;
        }
        ResourceType::SecurityGroup => {
            let answer = c.ec2.describe_security_groups().group_ids(id).send().await;
            match answer {
                Ok(out) => {
                    fleet.security_groups = out
                        .security_groups()
                        .iter()
                        .map(|g| convert::security_group(g, &c.region))
                        .collect()
                }
                Err(e) => {
                    gone_or(c.error(&e)).map_err(|e| failed("ec2:DescribeSecurityGroups", e))?
                }
            }
        }
    }
    // Describe calls by identifier answer with that one resource; keep only
    // it, whatever else a permissive server sends.
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
    Ok(fleet)
}

/// Not found is an answer (deleted), anything else an error.
fn gone_or(e: CallError) -> Result<(), CallError> {
    if e.has_code(NOT_FOUND) {
        Ok(())
    } else {
        Err(e)
    }
}

fn account_from_arns(fleet: &Fleet) -> String {
    fleet
        .clusters
        .iter()
        .filter_map(|c| c.arn.as_deref())
        .chain(fleet.instances.iter().filter_map(|i| i.arn.as_deref()))
        .chain(fleet.snapshots.iter().filter_map(|s| s.arn.as_deref()))
        .find_map(convert::arn_account)
        .unwrap_or_default()
        .to_string()
}

/// DocumentDB and Neptune answer the same Describe calls as RDS, but they
/// are not RDS databases and the rules would misjudge them: leave them out.
fn is_rds_engine(engine: &str) -> bool {
    !(engine.starts_with("docdb") || engine.starts_with("neptune"))
}

fn keep_rds_engines(fleet: &mut Fleet) {
    fleet.clusters.retain(|c| is_rds_engine(&c.engine));
    fleet.instances.retain(|i| is_rds_engine(&i.engine));
    fleet.snapshots.retain(|s| is_rds_engine(&s.engine));
}

fn sort(fleet: &mut Fleet) {
    fleet
        .clusters
        .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
    fleet
        .instances
        .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
    fleet
        .snapshots
        .sort_by(|a, b| (&a.region, a.kind, &a.id).cmp(&(&b.region, b.kind, &b.id)));
    fleet
        .security_groups
        .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentdb_and_neptune_are_left_out() {
        let mut fleet = Fleet::default();
        for engine in ["aurora-postgresql", "docdb", "neptune", "postgres"] {
            fleet.clusters.push(Cluster {
                id: engine.into(),
                engine: engine.into(),
                ..Cluster::default()
            });
        }
        keep_rds_engines(&mut fleet);
        let kept: Vec<&str> = fleet.clusters.iter().map(|c| c.engine.as_str()).collect();
        assert_eq!(kept, ["aurora-postgresql", "postgres"]);
    }
    use crate::model::SnapshotKind;

    fn snapshot(id: &str, kind: SnapshotKind, snapshot_type: &str) -> Snapshot {
        Snapshot {
            id: id.into(),
            kind,
            snapshot_type: snapshot_type.into(),
            ..Snapshot::default()
        }
    }

    fn denied() -> CallError {
        CallError {
            message: "AccessDenied: not allowed".into(),
            code: Some("AccessDenied".into()),
            transport: false,
        }
    }

    #[tokio::test]
    async fn sharing_is_read_for_manual_snapshots_only() {
        let mut snapshots = vec![
            snapshot("manual-1", SnapshotKind::Db, "manual"),
            snapshot("rds:auto-1", SnapshotKind::Db, "automated"),
            snapshot("manual-gone", SnapshotKind::Db, "manual"),
        ];
        let failed = fill_sharing(&mut snapshots, |id| async move {
            match id.as_str() {
                "manual-1" => Ok(Some(vec!["all".to_string()])),
                "manual-gone" => Ok(None),
                other => panic!("asked about {other}"),
            }
        })
        .await;
        assert!(failed.is_none());
        let ids: Vec<&str> = snapshots.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["manual-1", "rds:auto-1"]);
        assert!(snapshots[0].is_public());
    }

    #[tokio::test]
    async fn sharing_failures_become_one_error() {
        let mut snapshots: Vec<Snapshot> = (0..5)
            .map(|n| snapshot(&format!("s{n}"), SnapshotKind::Cluster, "manual"))
            .collect();
        let failed = fill_sharing(&mut snapshots, |_| async { Err(denied()) })
            .await
            .expect("an error");
        assert_eq!(
            failed.message,
            "sharing unknown for s0 and 4 more: AccessDenied: not allowed"
        );
        assert_eq!(snapshots.len(), 5, "unknown sharing keeps the snapshot");
    }

    #[test]
    fn account_falls_back_to_arns() {
        let fleet = Fleet {
            snapshots: vec![Snapshot {
                arn: Some("arn:aws:rds:us-east-1:123456789012:snapshot:s".into()),
                ..Snapshot::default()
            }],
            ..Fleet::default()
        };
        assert_eq!(account_from_arns(&fleet), "123456789012");
        assert_eq!(account_from_arns(&Fleet::default()), "");
    }
}
