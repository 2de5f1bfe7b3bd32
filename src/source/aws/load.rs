//! Reading the fleet: every region at once, every resource type at once
//! within a region, then who each manual snapshot is shared with.
//!
//! Pages are reported to a sink as they arrive, so the dashboard fills
//! while a large account loads. A call that fails becomes a [`LoadError`]
//! and the rest still loads, including the pages that part gave before it
//! failed: honest partial results. Only when nothing at all could be listed
//! is the load an error.

use futures::future::join_all;
use futures::{StreamExt, stream};
use std::future::Future;
use tokio::sync::Semaphore;

use super::RegionClients;
use super::convert;
use super::error::CallError;
use crate::model::{
    Cluster, Fleet, Instance, LoadError, ResourceRef, ResourceType, SecurityGroup, Snapshot,
};
use crate::source::{LoadEvent, LoadPart, SourceError};

/// Attribute look-ups in flight at once per region, across both snapshot
/// kinds: RDS allows about 12 requests a second per account and region,
/// and the list calls need some of that too.
pub(super) const ATTRIBUTE_CONCURRENCY: usize = 8;

/// Only manual snapshots can be shared; automated ones never carry `restore`.
const SHAREABLE_TYPE: &str = "manual";

const DB_CLUSTERS: &str = "db-clusters";
const DB_INSTANCES: &str = "db-instances";
const DB_SNAPSHOTS: &str = "db-snapshots";
const DB_CLUSTER_SNAPSHOTS: &str = "db-cluster-snapshots";
const SECURITY_GROUPS: &str = "security-groups";

/// The lists every region is read with, in the order they are shown.
pub const PARTS: [&str; 5] = [
    DB_CLUSTERS,
    DB_INSTANCES,
    DB_SNAPSHOTS,
    DB_CLUSTER_SNAPSHOTS,
    SECURITY_GROUPS,
];

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

/// Where pages go as they arrive.
pub(super) type Sink<'a> = &'a (dyn Fn(LoadEvent) + Send + Sync);

/// What one list gave: every page that arrived, and the error that
/// stopped it, if one did.
struct Listed<T> {
    items: Vec<T>,
    error: Option<CallError>,
    /// Snapshots whose sharing could not be read.
    sharing_error: Option<CallError>,
}

/// One part being read: counts its resources and reports its pages.
struct Part<'a> {
    part: LoadPart,
    sink: Sink<'a>,
    count: usize,
}

impl<'a> Part<'a> {
    fn new(c: &RegionClients, what: &'static str, sink: Sink<'a>) -> Self {
        Self {
            part: LoadPart {
                region: c.region.clone(),
                what,
            },
            sink,
            count: 0,
        }
    }

    fn page(&mut self, fragment: Fleet) {
        self.count += fragment.listed_count();
        (self.sink)(LoadEvent::Page {
            part: self.part.clone(),
            fragment,
        });
    }

    fn finish<T>(self, items: Vec<T>, error: Option<CallError>) -> Listed<T> {
        let result = match &error {
            None => Ok(self.count),
            Some(e) => Err(e.message.clone()),
        };
        (self.sink)(LoadEvent::Finished {
            part: self.part,
            result,
        });
        Listed {
            items,
            error,
            sharing_error: None,
        }
    }
}

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
    fn take<T>(&mut self, what: &'static str, listed: Listed<T>) -> Vec<T> {
        match listed.error {
            // A list that failed on its first page never answered.
            Some(e) => {
                self.answered |= !listed.items.is_empty();
                self.failures.push((what, e));
            }
            None => self.answered = true,
        }
        if let Some(e) = listed.sharing_error {
            self.failures.push((sharing_part(what), e));
        }
        listed.items
    }
}

fn sharing_part(what: &str) -> &'static str {
    if what == DB_CLUSTER_SNAPSHOTS {
        "db-cluster-snapshot-attributes"
    } else {
        "db-snapshot-attributes"
    }
}

/// The parts a load of `regions` reads.
pub(super) fn parts(regions: &[RegionClients]) -> Vec<LoadPart> {
    regions
        .iter()
        .flat_map(|c| {
            PARTS.iter().map(|what| LoadPart {
                region: c.region.clone(),
                what,
            })
        })
        .collect()
}

/// Load every region in `regions`, reporting pages to `sink`. `account` is
/// the caller's account from STS; when empty (a server that does not answer
/// STS the way AWS does) it is read off the resources.
pub(super) async fn load_fleet(
    regions: &[RegionClients],
    account: &str,
    sink: Sink<'_>,
) -> Result<Fleet, SourceError> {
    sink(LoadEvent::Planned(parts(regions)));
    let loads = join_all(regions.iter().map(|c| load_region(c, sink))).await;
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
    fleet.account = if account.is_empty() {
        owner.unwrap_or_else(|| account_from_arns(&fleet))
    } else {
        account.to_string()
    };
    sort(&mut fleet);
    Ok(fleet)
}

async fn load_region(c: &RegionClients, sink: Sink<'_>) -> RegionLoad {
    let (clusters, instances, db_snapshots, cluster_snapshots, groups) = futures::join!(
        list_clusters(c, sink),
        list_instances(c, sink),
        list_db_snapshots(c, sink),
        list_cluster_snapshots(c, sink),
        list_security_groups(c, sink),
    );
    let mut load = RegionLoad {
        region: c.region.clone(),
        ..RegionLoad::default()
    };
    load.clusters = load.take(DB_CLUSTERS, clusters);
    load.instances = load.take(DB_INSTANCES, instances);
    let mut snapshots = load.take(DB_SNAPSHOTS, db_snapshots);
    snapshots.extend(load.take(DB_CLUSTER_SNAPSHOTS, cluster_snapshots));
    load.snapshots = snapshots;
    let (groups, owner) = groups;
    load.security_groups = load.take(SECURITY_GROUPS, groups);
    load.owner = owner;
    load
}

/// Read every page of a paginated list: `convert` turns a page into
/// resources, `page_of` wraps them as a fleet fragment for the sink.
macro_rules! list_pages {
    ($part:expr, $c:expr, $pages:expr, |$page:ident| $convert:expr, $wrap:expr) => {{
        let mut part = $part;
        let mut pages = $pages;
        let mut items = Vec::new();
        let mut error = None;
        while let Some(answer) = pages.next().await {
            match answer {
                Ok($page) => {
                    let converted: Vec<_> = $convert;
                    part.page($wrap(converted.clone()));
                    items.extend(converted);
                }
                Err(e) => {
                    error = Some($c.error(&e));
                    break;
                }
            }
        }
        (part, items, error)
    }};
}

async fn list_clusters(c: &RegionClients, sink: Sink<'_>) -> Listed<Cluster> {
    let (part, items, error) = list_pages!(
        Part::new(c, DB_CLUSTERS, sink),
        c,
        c.rds.describe_db_clusters().into_paginator().send(),
        |page| page
            .db_clusters()
            .iter()
            .map(|x| convert::cluster(x, &c.region))
            .filter(|x| is_rds_engine(&x.engine))
            .collect(),
        |clusters| Fleet {
            clusters,
            ..Fleet::default()
        }
    );
    part.finish(items, error)
}

async fn list_instances(c: &RegionClients, sink: Sink<'_>) -> Listed<Instance> {
    let (part, items, error) = list_pages!(
        Part::new(c, DB_INSTANCES, sink),
        c,
        c.rds.describe_db_instances().into_paginator().send(),
        |page| page
            .db_instances()
            .iter()
            .map(|x| convert::instance(x, &c.region))
            .filter(|x| is_rds_engine(&x.engine))
            .collect(),
        |instances| Fleet {
            instances,
            ..Fleet::default()
        }
    );
    part.finish(items, error)
}

/// DB snapshots, a page at a time, each page with its sharing filled in
/// before it is shown: a public snapshot must never look private because
/// its attributes had not arrived yet.
async fn list_db_snapshots(c: &RegionClients, sink: Sink<'_>) -> Listed<Snapshot> {
    let mut unknown: Vec<(String, CallError)> = Vec::new();
    let (part, items, error) = list_pages!(
        Part::new(c, DB_SNAPSHOTS, sink),
        c,
        c.rds.describe_db_snapshots().into_paginator().send(),
        |page| {
            let mut snapshots: Vec<Snapshot> = page
                .db_snapshots()
                .iter()
                .map(|x| convert::db_snapshot(x, &c.region))
                .filter(|x| is_rds_engine(&x.engine))
                .collect();
            let slots = &c.attribute_slots;
            unknown
                .extend(fill_sharing(slots, &mut snapshots, |id| db_snapshot_restore(c, id)).await);
            snapshots
        },
        |snapshots| Fleet {
            snapshots,
            ..Fleet::default()
        }
    );
    let mut listed = part.finish(items, error);
    listed.sharing_error = summarize(unknown);
    listed
}

async fn list_cluster_snapshots(c: &RegionClients, sink: Sink<'_>) -> Listed<Snapshot> {
    let mut unknown: Vec<(String, CallError)> = Vec::new();
    let (part, items, error) = list_pages!(
        Part::new(c, DB_CLUSTER_SNAPSHOTS, sink),
        c,
        c.rds
            .describe_db_cluster_snapshots()
            .into_paginator()
            .send(),
        |page| {
            let mut snapshots: Vec<Snapshot> = page
                .db_cluster_snapshots()
                .iter()
                .map(|x| convert::cluster_snapshot(x, &c.region))
                .filter(|x| is_rds_engine(&x.engine))
                .collect();
            let slots = &c.attribute_slots;
            unknown.extend(
                fill_sharing(slots, &mut snapshots, |id| cluster_snapshot_restore(c, id)).await,
            );
            snapshots
        },
        |snapshots| Fleet {
            snapshots,
            ..Fleet::default()
        }
    );
    let mut listed = part.finish(items, error);
    listed.sharing_error = summarize(unknown);
    listed
}

/// The region's security groups, and the account that owns them.
async fn list_security_groups(
    c: &RegionClients,
    sink: Sink<'_>,
) -> (Listed<SecurityGroup>, Option<String>) {
    let mut owner: Option<String> = None;
    let (part, items, error) = list_pages!(
        Part::new(c, SECURITY_GROUPS, sink),
        c,
        c.ec2.describe_security_groups().into_paginator().send(),
        |page| {
            owner = owner.take().or_else(|| {
                page.security_groups()
                    .iter()
                    .find_map(|g| g.owner_id().filter(|o| !o.is_empty()))
                    .map(str::to_string)
            });
            page.security_groups()
                .iter()
                .map(|g| convert::security_group(g, &c.region))
                .collect()
        },
        |security_groups| Fleet {
            security_groups,
            ..Fleet::default()
        }
    );
    (part.finish(items, error), owner)
}

/// Fill `shared_with` of every manual snapshot, a few look-ups at a time
/// (the region's attribute slots bound them across both snapshot kinds).
/// Snapshots deleted meanwhile are dropped. Returns the snapshots whose
/// sharing could not be read; they are kept, and reported.
async fn fill_sharing<F, Fut>(
    slots: &Semaphore,
    snapshots: &mut Vec<Snapshot>,
    fetch: F,
) -> Vec<(String, CallError)>
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
            // A closed semaphore cannot happen (nobody closes it); if it
            // did, asking without a slot is still correct, only less polite.
            let _slot = slots.acquire().await.ok();
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
    failed
}

/// Many snapshots whose sharing is unknown, as one error, so a denied
/// permission does not flood the load errors.
fn summarize(mut failed: Vec<(String, CallError)>) -> Option<CallError> {
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
        request_id: first.request_id.clone(),
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
        code: e.code,
        request_id: e.request_id,
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
            let unknown = fill_sharing(&c.attribute_slots, &mut snapshots, |id| {
                db_snapshot_restore(c, id)
            })
            .await;
            if let Some(e) = summarize(unknown) {
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
            let unknown = fill_sharing(&c.attribute_slots, &mut snapshots, |id| {
                cluster_snapshot_restore(c, id)
            })
            .await;
            if let Some(e) = summarize(unknown) {
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
        let engines = ["aurora-postgresql", "docdb", "neptune", "postgres"];
        let kept: Vec<&str> = engines.into_iter().filter(|e| is_rds_engine(e)).collect();
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
            request_id: None,
        }
    }

    #[tokio::test]
    async fn sharing_is_read_for_manual_snapshots_only() {
        let mut snapshots = vec![
            snapshot("manual-1", SnapshotKind::Db, "manual"),
            snapshot("rds:auto-1", SnapshotKind::Db, "automated"),
            snapshot("manual-gone", SnapshotKind::Db, "manual"),
        ];
        let slots = Semaphore::new(ATTRIBUTE_CONCURRENCY);
        let failed = fill_sharing(&slots, &mut snapshots, |id| async move {
            match id.as_str() {
                "manual-1" => Ok(Some(vec!["all".to_string()])),
                "manual-gone" => Ok(None),
                other => panic!("asked about {other}"),
            }
        })
        .await;
        assert!(failed.is_empty());
        let ids: Vec<&str> = snapshots.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["manual-1", "rds:auto-1"]);
        assert!(snapshots[0].is_public());
    }

    #[tokio::test]
    async fn sharing_failures_become_one_error() {
        let mut snapshots: Vec<Snapshot> = (0..5)
            .map(|n| snapshot(&format!("s{n}"), SnapshotKind::Cluster, "manual"))
            .collect();
        let slots = Semaphore::new(ATTRIBUTE_CONCURRENCY);
        let failed =
            summarize(fill_sharing(&slots, &mut snapshots, |_| async { Err(denied()) }).await)
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
