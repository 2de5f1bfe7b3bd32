//! Plain fleet data: what rdsight knows about an account's RDS estate.
//!
//! Every source (AWS, demo, saved file) converts into these types at its
//! edge, so rules, reports and the TUI never see SDK types.

mod activity;
mod cidr;
mod exposure;
mod group_use;
mod index;
pub mod log_types;
mod network;
mod parameters;
mod reach;
mod resources;
mod routing;
mod snaps;
mod snaps_index;
mod tags;

pub use activity::{
    ActivityRead, Event, EventDetail, EventResource, MAX_ACTIVITY_DAYS, Principal, PrincipalKind,
    RDS_EVENT_SOURCE, arn_resource, is_denial_code, merge_events,
};
pub use cidr::Cidr;
pub use exposure::{OpenRule, group_users, instance_groups, open_world_rules};
pub use group_use::{GroupKey, GroupUser, GroupUsersBook, OtherUsers, UserKind};
pub use index::FleetIndex;

pub use network::{IngressRule, SecurityGroup, WORLD_IPV4, WORLD_IPV6, is_ipv6};
pub use parameters::{
    CURRENT_CA, Certificate, ParameterGroup, ParameterGroupKind, RETIRED_CAS, TLS_PARAMETERS,
    is_default_group, is_on, is_retired_ca, tls_default_value, tls_on_value, tls_parameter,
};
pub use reach::{Hop, InternetPath, Link, Reach, SubnetPath, hop_summary, internet_path};
pub use resources::{Cluster, ClusterMember, Instance, Snapshot, SnapshotKind};
pub use routing::{InternetGateway, Network, NetworkIndex, Route, RouteTable, Subnet};
pub use snaps::{
    AWS_KEY_MANAGER, EventSubscription, ExportTask, KmsKey, NEEDED_CATEGORIES, RegionReads,
    is_aws_managed_alias, key_id_of,
};
pub use tags::Tags;

use serde::{Deserialize, Serialize};
use std::fmt;

/// The restore-attribute value AWS uses for "anyone may restore this".
pub const PUBLIC_RESTORE_ACCOUNT: &str = "all";

/// KMS key for encrypted copies unless `--kms-key` says otherwise: the
/// AWS-managed RDS key, which AWS creates in a region on first use.
pub const DEFAULT_KMS_KEY: &str = "alias/aws/rds";

/// The port an engine listens on unless told otherwise.
pub fn engine_default_port(engine: &str) -> Option<u16> {
    if engine.starts_with("aurora-postgresql") || engine.starts_with("postgres") {
        Some(5432)
    } else if engine.starts_with("aurora")
        || engine.starts_with("mysql")
        || engine.starts_with("mariadb")
    {
        Some(3306)
    } else if engine.starts_with("oracle") {
        Some(1521)
    } else if engine.starts_with("sqlserver") {
        Some(1433)
    } else if engine.starts_with("db2") {
        Some(50000)
    } else {
        None
    }
}

/// Everything loaded for one account across the scanned regions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fleet {
    pub account: String,
    pub regions: Vec<String>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    #[serde(default)]
    pub instances: Vec<Instance>,
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    /// What could not be loaded, so the UI can say what it does not know.
    #[serde(default)]
    pub load_errors: Vec<LoadError>,
    // Network reachability (issue 14)
    /// Subnets, route tables and internet gateways: the path from the
    /// internet to a database.
    #[serde(default)]
    pub network: Network,
    // Snapshot exports, KMS key managers, event subscriptions (issue 14, snaps)
    /// The manager of each KMS key snapshots use, per region.
    #[serde(default)]
    pub kms_keys: Vec<KmsKey>,
    #[serde(default)]
    pub export_tasks: Vec<ExportTask>,
    #[serde(default)]
    pub event_subscriptions: Vec<EventSubscription>,
    /// Which of the lists above each region was read with.
    #[serde(default)]
    pub region_reads: Vec<RegionReads>,
    // Issue 14, TLS and parameters
    /// The parameter groups the fleet's instances and clusters use, with
    /// the values of the TLS parameters.
    #[serde(default)]
    pub parameter_groups: Vec<ParameterGroup>,
    // Issue 15, the activity trail
    /// RDS calls CloudTrail recorded, oldest first.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Which regions' trails were read, over which window: the activity
    /// rules speak only for these.
    #[serde(default)]
    pub activity_reads: Vec<ActivityRead>,
}

impl Fleet {
    /// Number of resources rules are evaluated over (security groups are
    /// evidence, not scanned resources).
    pub fn resource_count(&self) -> usize {
        self.clusters.len() + self.instances.len() + self.snapshots.len()
    }

    /// Everything a load lists, security groups and trail events
    /// included: what load progress counts.
    pub fn listed_count(&self) -> usize {
        self.resource_count() + self.security_groups.len() + self.network.len() + self.events.len()
    }

    pub fn cluster(&self, region: &str, id: &str) -> Option<&Cluster> {
        self.clusters
            .iter()
            .find(|c| c.region == region && c.id == id)
    }

    pub fn instance(&self, region: &str, id: &str) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.region == region && i.id == id)
    }

    pub fn snapshot(&self, region: &str, kind: SnapshotKind, id: &str) -> Option<&Snapshot> {
        self.snapshots
            .iter()
            .find(|s| s.region == region && s.kind == kind && s.id == id)
    }

    pub fn security_group(&self, region: &str, id: &str) -> Option<&SecurityGroup> {
        self.security_groups
            .iter()
            .find(|g| g.region == region && g.id == id)
    }

    /// The status of `resource`, or `None` when it is not in the fleet.
    /// Security groups have no status and report `available`.
    pub fn status_of(&self, resource: &ResourceRef) -> Option<&str> {
        let (region, id) = (resource.region.as_str(), resource.id.as_str());
        match resource.kind {
            ResourceType::DbInstance => self.instance(region, id).map(|i| i.status.as_str()),
            ResourceType::DbCluster => self.cluster(region, id).map(|c| c.status.as_str()),
            ResourceType::DbSnapshot => self
                .snapshot(region, SnapshotKind::Db, id)
                .map(|s| s.status.as_str()),
            ResourceType::DbClusterSnapshot => self
                .snapshot(region, SnapshotKind::Cluster, id)
                .map(|s| s.status.as_str()),
            ResourceType::SecurityGroup => self.security_group(region, id).map(|_| "available"),
            ResourceType::Principal => None,
        }
    }

    /// The status of `resource` to change in place (sources that keep the
    /// fleet in memory); `None` when absent or without a status.
    pub fn status_mut(&mut self, resource: &ResourceRef) -> Option<&mut String> {
        let (region, id) = (resource.region.as_str(), resource.id.as_str());
        match resource.kind {
            ResourceType::DbInstance => self
                .instances
                .iter_mut()
                .find(|i| i.region == region && i.id == id)
                .map(|i| &mut i.status),
            ResourceType::DbCluster => self
                .clusters
                .iter_mut()
                .find(|c| c.region == region && c.id == id)
                .map(|c| &mut c.status),
            ResourceType::DbSnapshot | ResourceType::DbClusterSnapshot => self
                .snapshots
                .iter_mut()
                .find(|s| {
                    s.region == region && s.kind.resource_type() == resource.kind && s.id == id
                })
                .map(|s| &mut s.status),
            ResourceType::SecurityGroup | ResourceType::Principal => None,
        }
    }

    /// Changes accepted for `resource` but not applied yet (`Name=value`).
    pub fn pending_changes_of(&self, resource: &ResourceRef) -> &[String] {
        let (region, id) = (resource.region.as_str(), resource.id.as_str());
        match resource.kind {
            ResourceType::DbInstance => self
                .instance(region, id)
                .map(|i| i.pending_changes.as_slice())
                .unwrap_or_default(),
            ResourceType::DbCluster => self
                .cluster(region, id)
                .map(|c| c.pending_changes.as_slice())
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// A fleet holding only `resource` (empty if it is not here), for
    /// sources that answer a refresh from memory.
    pub fn fragment(&self, resource: &ResourceRef) -> Fleet {
        let matches = |kind: ResourceType, region: &str, id: &str| {
            kind == resource.kind && region == resource.region && id == resource.id
        };
        Fleet {
            account: self.account.clone(),
            regions: vec![resource.region.clone()],
            clusters: self
                .clusters
                .iter()
                .filter(|c| matches(ResourceType::DbCluster, &c.region, &c.id))
                .cloned()
                .collect(),
            instances: self
                .instances
                .iter()
                .filter(|i| matches(ResourceType::DbInstance, &i.region, &i.id))
                .cloned()
                .collect(),
            snapshots: self
                .snapshots
                .iter()
                .filter(|s| matches(s.kind.resource_type(), &s.region, &s.id))
                .cloned()
                .collect(),
            security_groups: self
                .security_groups
                .iter()
                .filter(|g| matches(ResourceType::SecurityGroup, &g.region, &g.id))
                .cloned()
                .collect(),
            load_errors: Vec::new(),
            network: Network::default(),
            parameter_groups: Vec::new(),
            ..Fleet::default()
        }
    }

    /// Replace `resource` with its fresh copy from `fragment`, or remove it
    /// when the fragment does not hold it (it was deleted).
    pub fn merge_resource(&mut self, resource: &ResourceRef, mut fragment: Fleet) {
        // Issue 14: a re-read instance or cluster brings its parameter
        // group's values, fresher than the ones the load read.
        for group in std::mem::take(&mut fragment.parameter_groups) {
            let same = |g: &ParameterGroup| {
                (g.region.as_str(), g.kind, g.name.as_str())
                    == (group.region.as_str(), group.kind, group.name.as_str())
            };
            match self.parameter_groups.iter().position(same) {
                Some(at) => self.parameter_groups[at] = group,
                None => self.parameter_groups.push(group),
            }
        }
        let same = |kind: ResourceType, region: &str, id: &str| {
            kind == resource.kind && region == resource.region && id == resource.id
        };
        match resource.kind {
            ResourceType::DbCluster => {
                replace_or_remove(&mut self.clusters, fragment.clusters, |c| {
                    same(ResourceType::DbCluster, &c.region, &c.id)
                })
            }
            ResourceType::DbInstance => {
                replace_or_remove(&mut self.instances, fragment.instances, |i| {
                    same(ResourceType::DbInstance, &i.region, &i.id)
                })
            }
            ResourceType::DbSnapshot | ResourceType::DbClusterSnapshot => {
                replace_or_remove(&mut self.snapshots, fragment.snapshots, |s| {
                    same(s.kind.resource_type(), &s.region, &s.id)
                })
            }
            ResourceType::SecurityGroup => {
                replace_or_remove(&mut self.security_groups, fragment.security_groups, |g| {
                    same(ResourceType::SecurityGroup, &g.region, &g.id)
                })
            }
            ResourceType::Principal => {}
        }
    }
}

/// Swap the element matching `is_target` for the fresh one (appending it
/// when new), or drop it when there is no fresh one.
fn replace_or_remove<T>(items: &mut Vec<T>, fresh: Vec<T>, is_target: impl Fn(&T) -> bool) {
    let fresh = fresh.into_iter().find(|f| is_target(f));
    match (items.iter().position(&is_target), fresh) {
        (Some(at), Some(new)) => items[at] = new,
        (Some(at), None) => {
            items.remove(at);
        }
        (None, Some(new)) => items.push(new),
        (None, None) => {}
    }
}

/// The kinds of resource rules judge, named as in findings and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceType {
    DbCluster,
    DbInstance,
    DbSnapshot,
    DbClusterSnapshot,
    /// Not judged by rules; changed by remediation, so it can be re-read.
    SecurityGroup,
    /// An IAM identity (user, role, root), named by its ARN: what the
    /// activity rules about callers (denied calls, the root user) judge.
    #[serde(rename = "iam-principal")]
    Principal,
}

impl ResourceType {
    pub const ALL: [ResourceType; 4] = [
        ResourceType::DbCluster,
        ResourceType::DbInstance,
        ResourceType::DbSnapshot,
        ResourceType::DbClusterSnapshot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::DbCluster => "db-cluster",
            ResourceType::DbInstance => "db-instance",
            ResourceType::DbSnapshot => "db-snapshot",
            ResourceType::DbClusterSnapshot => "db-cluster-snapshot",
            ResourceType::SecurityGroup => "security-group",
            ResourceType::Principal => "iam-principal",
        }
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable pointer to one resource: type, region and identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceRef {
    pub kind: ResourceType,
    pub region: String,
    pub id: String,
}

impl ResourceRef {
    pub fn new(kind: ResourceType, region: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            kind,
            region: region.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.kind, self.id, self.region)
    }
}

/// Something a source could not read: a region that denied access, a call
/// that timed out. Kept so screens and reports can say what is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadError {
    pub region: String,
    /// What was being loaded, e.g. `db-instances` or `security-groups`.
    pub what: ResourceList,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.region, self.what, self.message)
    }
}

/// What a load reads in each region: one of the lists, or the sharing
/// look-ups behind a snapshot list. Load progress and load errors name it;
/// saved fleets and `scan --format json` carry the kebab-case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceList {
    DbClusters,
    DbInstances,
    DbSnapshots,
    DbClusterSnapshots,
    SecurityGroups,
    /// Who manual DB snapshots are shared with. Never a part of its own:
    /// it only names the failure when a snapshot list loaded but its
    /// sharing could not be read.
    DbSnapshotAttributes,
    /// Who manual cluster snapshots are shared with (as above).
    DbClusterSnapshotAttributes,
    Subnets,
    RouteTables,
    InternetGateways,
    /// The manager of the KMS keys snapshots use (`kms:DescribeKey`).
    KmsKeys,
    /// Snapshot exports to S3.
    ExportTasks,
    /// RDS event subscriptions.
    EventSubscriptions,
    /// The TLS parameters of the DB parameter groups in use. Read after
    /// the instances, never a part of its own.
    DbParameters,
    /// The TLS parameters of the DB cluster parameter groups in use.
    DbClusterParameters,
    /// The RDS activity trail (CloudTrail `LookupEvents`, or trail files).
    Events,
}

impl ResourceList {
    /// The lists every region is read with, in the order they are shown.
    pub const LISTS: [ResourceList; 8] = [
        ResourceList::DbClusters,
        ResourceList::DbInstances,
        ResourceList::DbSnapshots,
        ResourceList::DbClusterSnapshots,
        ResourceList::SecurityGroups,
        ResourceList::Subnets,
        ResourceList::RouteTables,
        ResourceList::InternetGateways,
    ];

    /// The name used on screen and in saved JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceList::DbClusters => "db-clusters",
            ResourceList::DbInstances => "db-instances",
            ResourceList::DbSnapshots => "db-snapshots",
            ResourceList::DbClusterSnapshots => "db-cluster-snapshots",
            ResourceList::SecurityGroups => "security-groups",
            ResourceList::DbSnapshotAttributes => "db-snapshot-attributes",
            ResourceList::DbClusterSnapshotAttributes => "db-cluster-snapshot-attributes",
            ResourceList::Subnets => "subnets",
            ResourceList::RouteTables => "route-tables",
            ResourceList::InternetGateways => "internet-gateways",
            ResourceList::KmsKeys => "kms-keys",
            ResourceList::ExportTasks => "export-tasks",
            ResourceList::EventSubscriptions => "event-subscriptions",
            ResourceList::DbParameters => "db-parameters",
            ResourceList::DbClusterParameters => "db-cluster-parameters",
            ResourceList::Events => "events",
        }
    }

    /// Snapshots, of either kind, or who they are shared with: what the
    /// snapshots pane cannot vouch for when it failed.
    pub fn is_snapshots(self) -> bool {
        matches!(
            self,
            ResourceList::DbSnapshots
                | ResourceList::DbClusterSnapshots
                | ResourceList::DbSnapshotAttributes
                | ResourceList::DbClusterSnapshotAttributes
        )
    }
}

impl fmt::Display for ResourceList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_LISTS: [ResourceList; 15] = [
        ResourceList::DbClusters,
        ResourceList::DbInstances,
        ResourceList::DbSnapshots,
        ResourceList::DbClusterSnapshots,
        ResourceList::SecurityGroups,
        ResourceList::DbSnapshotAttributes,
        ResourceList::DbClusterSnapshotAttributes,
        ResourceList::Subnets,
        ResourceList::RouteTables,
        ResourceList::InternetGateways,
        ResourceList::KmsKeys,
        ResourceList::ExportTasks,
        ResourceList::EventSubscriptions,
        ResourceList::DbParameters,
        ResourceList::DbClusterParameters,
    ];

    #[test]
    fn resource_lists_serialize_as_their_names() {
        // Saved fleets held these strings before the enum: they must not change.
        for list in ALL_LISTS {
            let json = serde_json::to_string(&list).expect("serializes");
            assert_eq!(json, format!("\"{}\"", list.as_str()));
            let back: ResourceList = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back, list);
        }
    }

    #[test]
    fn load_errors_keep_their_json() {
        let json =
            r#"{"region":"eu-west-1","what":"db-cluster-snapshot-attributes","message":"x"}"#;
        let error: LoadError = serde_json::from_str(json).expect("deserializes");
        assert_eq!(error.what, ResourceList::DbClusterSnapshotAttributes);
        assert_eq!(serde_json::to_string(&error).expect("serializes"), json);
        assert_eq!(
            error.to_string(),
            "eu-west-1 db-cluster-snapshot-attributes: x"
        );
    }

    #[test]
    fn snapshot_lists_are_the_ones_naming_snapshots() {
        for list in ALL_LISTS {
            assert_eq!(list.is_snapshots(), list.as_str().contains("snapshot"));
        }
    }
}
