//! Reading the fleet: every region at once, every resource type at once
//! within a region (`lists.rs`), then who each manual snapshot is shared
//! with (`sharing.rs`); beside all that, the region's RDS activity trail
//! from CloudTrail (`activity.rs`); and re-reading one resource
//! (`refresh.rs`).
//!
//! Pages are reported to a sink as they arrive, so the dashboard fills
//! while a large account loads. A call that fails becomes a [`LoadError`]
//! and the rest still loads, including the pages that part gave before it
//! failed: honest partial results. Only when nothing at all could be listed
//! is the load an error.

mod activity;
mod lists;
mod network;
mod parameters;
mod refresh;
mod sharing;
mod snaps;

use aws_sdk_rds::config::http::HttpResponse;
use aws_sdk_rds::error::{ProvideErrorMetadata, SdkError};
use futures::future::join_all;

use super::RegionClients;
use super::convert;
use super::error::CallError;
use crate::model::{Cluster, Fleet, Instance, LoadError, ResourceList, SecurityGroup, Snapshot};
use crate::source::{LoadEvent, LoadPart, SourceError};
use lists::Listed;

pub(super) use activity::{LOOKUP_EVENTS_GAP, Window};
pub(super) use refresh::refresh;
pub(super) use sharing::ATTRIBUTE_CONCURRENCY;

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

/// Where pages go as they arrive.
pub(super) type Sink<'a> = &'a (dyn Fn(LoadEvent) + Send + Sync);

/// What one region gave back.
#[derive(Default)]
struct RegionLoad {
    region: String,
    clusters: Vec<Cluster>,
    instances: Vec<Instance>,
    snapshots: Vec<Snapshot>,
    security_groups: Vec<SecurityGroup>,
    network: crate::model::Network,
    parameter_groups: Vec<crate::model::ParameterGroup>,
    /// The account that owns the region's security groups.
    owner: Option<String>,
    failures: Vec<(ResourceList, CallError)>,
    /// At least one list call answered.
    answered: bool,
    /// Export tasks, event subscriptions, KMS key managers.
    snaps: snaps::Loaded,
    /// The RDS activity trail, when one was asked for.
    events: Vec<crate::model::Event>,
    activity_read: Option<crate::model::ActivityRead>,
}

impl RegionLoad {
    fn take<T>(&mut self, what: ResourceList, listed: Listed<T>) -> Vec<T> {
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

/// The look-ups behind a snapshot list, named in its sharing failures.
fn sharing_part(what: ResourceList) -> ResourceList {
    if what == ResourceList::DbClusterSnapshots {
        ResourceList::DbClusterSnapshotAttributes
    } else {
        ResourceList::DbSnapshotAttributes
    }
}

/// The parts a load of `regions` reads: the lists, and the activity trail
/// when `trail`.
pub(super) fn parts(regions: &[RegionClients], trail: bool) -> Vec<LoadPart> {
    let trail = trail.then_some(ResourceList::Events);
    regions
        .iter()
        .flat_map(|c| {
            ResourceList::LISTS
                .into_iter()
                .chain(trail)
                .map(|what| LoadPart {
                    region: c.region.clone(),
                    what,
                })
        })
        .collect()
}

/// Load every region in `regions`, reporting pages to `sink`, with the RDS
/// activity trail over `trail` when given. `account` is the caller's
/// account from STS; when empty (a server that does not answer STS the way
/// AWS does) it is read off the resources.
pub(super) async fn load_fleet(
    regions: &[RegionClients],
    account: &str,
    trail: Option<Window>,
    sink: Sink<'_>,
) -> Result<Fleet, SourceError> {
    sink(LoadEvent::Planned(parts(regions, trail.is_some())));
    let loads = join_all(regions.iter().map(|c| load_region(c, trail, sink))).await;
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
        fleet.network.extend(load.network);
        load.snaps.add_to(&mut fleet);
        fleet.parameter_groups.extend(load.parameter_groups);
        fleet.events.extend(load.events);
        fleet.activity_reads.extend(load.activity_read);
        fleet
            .load_errors
            .extend(load.failures.into_iter().map(|(what, e)| LoadError {
                region: load.region.clone(),
                what,
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

/// One region: its resources, and beside them (never holding them up) its
/// activity trail.
async fn load_region(c: &RegionClients, trail: Option<Window>, sink: Sink<'_>) -> RegionLoad {
    let trail = async move {
        match trail {
            Some(window) => Some(activity::read_trail(c, window, sink).await),
            None => None,
        }
    };
    let (mut load, trail) = futures::join!(load_resources(c, sink), trail);
    if let Some(trail) = trail {
        load.events = trail.events;
        load.activity_read = trail.read;
        // Not `answered`: a trail alone is no fleet.
        load.failures
            .extend(trail.error.map(|e| (ResourceList::Events, e)));
    }
    load
}

async fn load_resources(c: &RegionClients, sink: Sink<'_>) -> RegionLoad {
    let (clusters, instances, db_snapshots, cluster_snapshots, groups, net, snaps) = futures::join!(
        lists::list_clusters(c, sink),
        lists::list_instances(c, sink),
        lists::list_db_snapshots(c, sink),
        lists::list_cluster_snapshots(c, sink),
        lists::list_security_groups(c, sink),
        network::list_network(c, sink),
        snaps::read_lists(c),
    );
    let mut load = RegionLoad {
        region: c.region.clone(),
        ..RegionLoad::default()
    };
    load.clusters = load.take(ResourceList::DbClusters, clusters);
    load.instances = load.take(ResourceList::DbInstances, instances);
    let mut snapshots = load.take(ResourceList::DbSnapshots, db_snapshots);
    snapshots.extend(load.take(ResourceList::DbClusterSnapshots, cluster_snapshots));
    load.snapshots = snapshots;
    let (groups, owner) = groups;
    load.security_groups = load.take(ResourceList::SecurityGroups, groups);
    load.owner = owner;
    load.network = network::take(&mut load, net);
    // A server that stopped answering mid-load (a dropped connection, not
    // a refusal) is not asked for more: each key and parameter group would
    // wait out its own retries. Their verdicts are unknown, and the lists'
    // load errors say why.
    let unreachable = load.failures.iter().any(|(_, e)| e.transport);
    let keys_of: &[crate::model::Snapshot] = if unreachable { &[] } else { &load.snapshots };
    load.snaps = snaps::finish(c, snaps, keys_of).await;
    let wanted = if unreachable {
        Default::default()
    } else {
        parameters::groups_in_use(&load.instances, &load.clusters)
    };
    let read = parameters::read_parameters(c, wanted).await;
    load.parameter_groups = read.groups;
    load.failures.extend(read.failures);
    load
}

/// What a call by identifier answered, read by `read`; `None` when AWS
/// says the resource is not there (any more): an answer, not an error.
fn unless_gone<O, E, T>(
    c: &RegionClients,
    answer: Result<O, SdkError<E, HttpResponse>>,
    read: impl FnOnce(O) -> T,
) -> Result<Option<T>, CallError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match answer {
        Ok(out) => Ok(Some(read(out))),
        Err(e) => {
            let e = c.error(&e);
            if e.has_code(NOT_FOUND) {
                Ok(None)
            } else {
                Err(e)
            }
        }
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
    fleet.network.sort();
    // Oldest first; ids break ties so the order is the same every load.
    fleet
        .events
        .sort_by(|a, b| (&a.time, &a.region, &a.id).cmp(&(&b.time, &b.region, &b.id)));
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
