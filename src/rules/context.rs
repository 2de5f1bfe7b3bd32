//! What a check sees: the fleet with its lookups, and the user's settings.

use std::time::SystemTime;

use crate::config::RuleConfig;
use crate::model::{Cluster, Fleet, FleetIndex, Instance, SecurityGroup};

pub struct Context<'a> {
    pub fleet: &'a Fleet,
    pub config: &'a RuleConfig,
    pub index: FleetIndex<'a>,
    /// When the fleet is judged: what a certificate's expiry is measured
    /// from. Read once per evaluation, so every verdict agrees.
    pub now: SystemTime,
}

impl<'a> Context<'a> {
    pub fn new(fleet: &'a Fleet, config: &'a RuleConfig) -> Self {
        Self {
            fleet,
            config,
            index: FleetIndex::new(fleet),
            now: SystemTime::now(),
        }
    }

    pub fn cluster(&self, region: &str, id: &str) -> Option<&'a Cluster> {
        self.index.cluster(region, id)
    }

    pub fn security_group(&self, region: &str, id: &str) -> Option<&'a SecurityGroup> {
        self.index.security_group(region, id)
    }

    pub fn fleet_instance(&self, region: &str, id: &str) -> Option<&'a Instance> {
        self.index.instance(region, id)
    }
}
