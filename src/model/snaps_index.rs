//! Lookups for the snapshot-exposure rules, built on first use like the
//! rest of [`FleetIndex`](super::FleetIndex): a 100k-snapshot fleet with a
//! thousand exports stays O(1) per snapshot.

use std::cell::OnceCell;
use std::collections::HashMap;

use super::{ExportTask, Fleet, KmsKey, ResourceType, key_id_of};

pub struct SnapsIndex<'a> {
    fleet: &'a Fleet,
    exports: OnceCell<HashMap<&'a str, Vec<&'a ExportTask>>>,
    keys: OnceCell<HashMap<(&'a str, &'a str), &'a KmsKey>>,
    firsts: OnceCell<HashMap<&'a str, (ResourceType, &'a str)>>,
}

impl<'a> SnapsIndex<'a> {
    pub fn new(fleet: &'a Fleet) -> Self {
        Self {
            fleet,
            exports: OnceCell::new(),
            keys: OnceCell::new(),
            firsts: OnceCell::new(),
        }
    }

    /// The export tasks of whatever has this ARN.
    pub fn exports_of(&self, arn: &str) -> &[&'a ExportTask] {
        let index = self.exports.get_or_init(|| {
            let mut by_source: HashMap<&str, Vec<&ExportTask>> = HashMap::new();
            for task in &self.fleet.export_tasks {
                by_source.entry(&task.source_arn).or_default().push(task);
            }
            by_source
        });
        index.get(arn).map(Vec::as_slice).unwrap_or_default()
    }

    /// The key a snapshot of `region` names `key` (id or ARN).
    pub fn key(&self, region: &str, key: &str) -> Option<&'a KmsKey> {
        let index = self.keys.get_or_init(|| {
            let fleet = self.fleet;
            fleet
                .kms_keys
                .iter()
                .map(|k| ((k.region.as_str(), key_id_of(&k.id)), k))
                .collect()
        });
        index.get(&(region, key_id_of(key))).copied()
    }

    /// The database a region-wide finding is reported on: the region's
    /// first cluster by id, or its first instance when it has no cluster.
    pub fn first_database(&self, region: &str) -> Option<(ResourceType, &'a str)> {
        let index = self.firsts.get_or_init(|| {
            let mut firsts: HashMap<&str, (ResourceType, &str)> = HashMap::new();
            let fleet = self.fleet;
            let clusters = fleet
                .clusters
                .iter()
                .map(|c| (c.region.as_str(), ResourceType::DbCluster, c.id.as_str()));
            let instances = fleet
                .instances
                .iter()
                .map(|i| (i.region.as_str(), ResourceType::DbInstance, i.id.as_str()));
            for (region, kind, id) in clusters.chain(instances) {
                let first = firsts.entry(region).or_insert((kind, id));
                // Clusters come first; among one kind, the smallest id.
                if first.0 == kind && id < first.1 {
                    *first = (kind, id);
                }
            }
            firsts
        });
        index.get(region).copied()
    }
}
