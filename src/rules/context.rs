//! Lookups rules need, built once per evaluation so checks stay O(1).

use std::collections::HashMap;

use crate::config::RuleConfig;
use crate::model::{Cluster, Fleet, Instance, SecurityGroup};

pub struct Context<'a> {
    pub fleet: &'a Fleet,
    pub config: &'a RuleConfig,
    clusters: HashMap<(&'a str, &'a str), &'a Cluster>,
    instances: HashMap<(&'a str, &'a str), &'a Instance>,
    groups: HashMap<(&'a str, &'a str), &'a SecurityGroup>,
}

impl<'a> Context<'a> {
    pub fn new(fleet: &'a Fleet, config: &'a RuleConfig) -> Self {
        let clusters = fleet
            .clusters
            .iter()
            .map(|c| ((c.region.as_str(), c.id.as_str()), c))
            .collect();
        let instances = fleet
            .instances
            .iter()
            .map(|i| ((i.region.as_str(), i.id.as_str()), i))
            .collect();
        let groups = fleet
            .security_groups
            .iter()
            .map(|g| ((g.region.as_str(), g.id.as_str()), g))
            .collect();
        Self {
            fleet,
            config,
            clusters,
            instances,
            groups,
        }
    }

    pub fn cluster(&self, region: &str, id: &str) -> Option<&'a Cluster> {
        self.clusters.get(&(region, id)).copied()
    }

    pub fn security_group(&self, region: &str, id: &str) -> Option<&'a SecurityGroup> {
        self.groups.get(&(region, id)).copied()
    }

    pub fn fleet_instance(&self, region: &str, id: &str) -> Option<&'a Instance> {
        self.instances.get(&(region, id)).copied()
    }
}
