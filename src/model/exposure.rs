//! What a database is exposed through: the security groups that guard it
//! and the rules in them open to the whole internet. Rules judge with
//! these, fixes revoke what they find, the dashboard shows it.

use super::{Cluster, Fleet, IngressRule, Instance, SecurityGroup, index::FleetIndex};

/// One world-open ingress rule of an attached group.
#[derive(Debug, Clone, Copy)]
pub struct OpenRule<'a> {
    pub group: &'a SecurityGroup,
    pub rule: &'a IngressRule,
    pub cidr: &'a str,
}

/// Every ingress rule of `groups` that admits 0.0.0.0/0 or ::/0 on TCP `port`.
pub fn open_world_rules<'a>(
    index: &FleetIndex<'a>,
    region: &str,
    groups: &[String],
    port: u16,
) -> Vec<OpenRule<'a>> {
    groups
        .iter()
        .filter_map(|id| index.security_group(region, id))
        .flat_map(|group| {
            group
                .ingress
                .iter()
                .filter(move |rule| rule.covers_tcp_port(port))
                .flat_map(move |rule| {
                    rule.world_ranges()
                        .into_iter()
                        .map(move |cidr| OpenRule { group, rule, cidr })
                })
        })
        .collect()
}

/// Security groups guarding an instance: its own, or its cluster's.
pub fn instance_groups<'r, 'a: 'r, 's: 'r>(
    index: &FleetIndex<'a>,
    instance: &'s Instance,
) -> &'r [String] {
    if !instance.security_group_ids.is_empty() {
        return &instance.security_group_ids;
    }
    instance
        .cluster_id
        .as_deref()
        .and_then(|id| index.cluster(&instance.region, id))
        .map(|c: &Cluster| c.security_group_ids.as_slice())
        .unwrap_or_default()
}

/// Every DB instance and cluster using a security group, as `cluster a`,
/// `instance b`: who else loses access when one of its rules goes.
pub fn group_users(fleet: &Fleet, region: &str, group: &str) -> Vec<String> {
    let has = |ids: &[String]| ids.iter().any(|g| g == group);
    fleet
        .clusters
        .iter()
        .filter(|c| c.region == region && has(&c.security_group_ids))
        .map(|c| format!("cluster {}", c.id))
        .chain(
            fleet
                .instances
                .iter()
                .filter(|i| {
                    i.region == region && i.cluster_id.is_none() && has(&i.security_group_ids)
                })
                .map(|i| format!("instance {}", i.id)),
        )
        .collect()
}
