//! Lookups by region and id, built once per use of a fleet so checks and
//! plans stay O(1) per resource.
//!
//! Each index is built on its first use: an evaluation uses them all, but
//! a details pane or a plan that looks up one cluster or one group of a
//! 100k-resource fleet does not pay for indexing every instance.

use std::cell::OnceCell;
use std::collections::HashMap;

use super::routing::NetworkIndex;
use super::snaps_index::SnapsIndex;
use super::{
    Cluster, Fleet, Instance, ParameterGroup, ParameterGroupKind, ResourceRef, ResourceType,
    SecurityGroup, Snapshot, SnapshotKind,
};

type Index<'a, T> = OnceCell<HashMap<(&'a str, &'a str), &'a T>>;

pub struct FleetIndex<'a> {
    pub fleet: &'a Fleet,
    clusters: Index<'a, Cluster>,
    instances: Index<'a, Instance>,
    groups: Index<'a, SecurityGroup>,
    network: OnceCell<NetworkIndex<'a>>,
    snaps: SnapsIndex<'a>,
    /// By region, kind and name: a DB and a DB cluster parameter group
    /// may share a name.
    parameter_groups: ParameterIndex<'a>,
    /// By region, kind and id: a DB and a DB cluster snapshot may share an id.
    snapshots: OnceCell<HashMap<(&'a str, SnapshotKind, &'a str), &'a Snapshot>>,
}

type ParameterIndex<'a> =
    OnceCell<HashMap<(&'a str, ParameterGroupKind, &'a str), &'a ParameterGroup>>;

/// Look `(region, id)` up in `index`, building it from `items` first.
fn lookup<'a, T>(
    index: &Index<'a, T>,
    items: &'a [T],
    key: impl Fn(&'a T) -> (&'a str, &'a str),
    region: &str,
    id: &str,
) -> Option<&'a T> {
    index
        .get_or_init(|| items.iter().map(|item| (key(item), item)).collect())
        .get(&(region, id))
        .copied()
}

impl<'a> FleetIndex<'a> {
    pub fn new(fleet: &'a Fleet) -> Self {
        Self {
            fleet,
            clusters: OnceCell::new(),
            instances: OnceCell::new(),
            groups: OnceCell::new(),
            network: OnceCell::new(),
            snaps: SnapsIndex::new(fleet),
            parameter_groups: OnceCell::new(),
            snapshots: OnceCell::new(),
        }
    }

    pub fn snapshot(&self, region: &str, kind: SnapshotKind, id: &str) -> Option<&'a Snapshot> {
        self.snapshots
            .get_or_init(|| {
                let snapshots = self.fleet.snapshots.iter();
                snapshots
                    .map(|s| ((s.region.as_str(), s.kind, s.id.as_str()), s))
                    .collect()
            })
            .get(&(region, kind, id))
            .copied()
    }

    /// Is `resource` in the fleet? (A finding may name one that is not: a
    /// snapshot deleted since an event, a principal.)
    pub fn contains(&self, resource: &ResourceRef) -> bool {
        let (region, id) = (resource.region.as_str(), resource.id.as_str());
        match resource.kind {
            ResourceType::DbCluster => self.cluster(region, id).is_some(),
            ResourceType::DbInstance => self.instance(region, id).is_some(),
            ResourceType::DbSnapshot => self.snapshot(region, SnapshotKind::Db, id).is_some(),
            ResourceType::DbClusterSnapshot => {
                self.snapshot(region, SnapshotKind::Cluster, id).is_some()
            }
            ResourceType::SecurityGroup => self.security_group(region, id).is_some(),
            ResourceType::Principal => false,
        }
    }

    pub fn cluster(&self, region: &str, id: &str) -> Option<&'a Cluster> {
        let key = |c: &'a Cluster| (c.region.as_str(), c.id.as_str());
        lookup(&self.clusters, &self.fleet.clusters, key, region, id)
    }

    pub fn security_group(&self, region: &str, id: &str) -> Option<&'a SecurityGroup> {
        let key = |g: &'a SecurityGroup| (g.region.as_str(), g.id.as_str());
        lookup(&self.groups, &self.fleet.security_groups, key, region, id)
    }

    pub fn instance(&self, region: &str, id: &str) -> Option<&'a Instance> {
        let key = |i: &'a Instance| (i.region.as_str(), i.id.as_str());
        lookup(&self.instances, &self.fleet.instances, key, region, id)
    }

    /// Subnets, route tables and gateways by id (network reachability).
    pub fn network(&self) -> &NetworkIndex<'a> {
        self.network
            .get_or_init(|| NetworkIndex::new(&self.fleet.network))
    }

    /// Exports, KMS keys and the database a region is reported on.
    pub fn snaps(&self) -> &SnapsIndex<'a> {
        &self.snaps
    }

    pub fn parameter_group(
        &self,
        region: &str,
        kind: ParameterGroupKind,
        name: &str,
    ) -> Option<&'a ParameterGroup> {
        self.parameter_groups
            .get_or_init(|| {
                let groups = self.fleet.parameter_groups.iter();
                groups
                    .map(|g| ((g.region.as_str(), g.kind, g.name.as_str()), g))
                    .collect()
            })
            .get(&(region, kind, name))
            .copied()
    }
}
