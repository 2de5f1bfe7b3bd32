//! Typed rows for each pane and their identity; `columns` turns them into cells.

use crate::model::{Cluster, Instance, ResourceRef, ResourceType, Snapshot};
use crate::rules::{Finding, RuleId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Clusters,
    Instances,
    Snapshots,
    Findings,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Clusters,
        Pane::Instances,
        Pane::Snapshots,
        Pane::Findings,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Clusters => "Clusters",
            Pane::Instances => "Instances",
            Pane::Snapshots => "Snapshots",
            Pane::Findings => "Findings",
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % 4]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + 3) % 4]
    }
}

/// A row of any pane, pointing into the fleet or the findings.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Cluster(&'a Cluster),
    Instance(&'a Instance),
    Snapshot(&'a Snapshot),
    Finding(&'a Finding),
}

/// Identity of a row that survives rebuilds (for selection and marks).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowKey {
    pub resource: ResourceRef,
    pub rule: Option<RuleId>,
}

/// How a snapshot is shared, in a few words.
pub fn sharing(s: &Snapshot) -> String {
    if s.is_public() {
        "PUBLIC".into()
    } else if s.shared_with.is_empty() {
        "-".into()
    } else {
        s.shared_with.join(",")
    }
}

impl<'a> Row<'a> {
    pub fn key(&self) -> RowKey {
        let (kind, region, id) = self.resource_parts();
        RowKey {
            resource: ResourceRef::new(kind, region, id),
            rule: self.rule(),
        }
    }

    /// The rule of a finding row.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            Row::Finding(f) => Some(f.rule),
            _ => None,
        }
    }

    /// The pane this row belongs to.
    pub fn pane(&self) -> Pane {
        match self {
            Row::Cluster(_) => Pane::Clusters,
            Row::Instance(_) => Pane::Instances,
            Row::Snapshot(_) => Pane::Snapshots,
            Row::Finding(_) => Pane::Findings,
        }
    }

    pub fn resource(&self) -> ResourceRef {
        self.key().resource
    }

    /// Type, region and id of the row's resource, borrowed: for hot paths
    /// that must not build a [`ResourceRef`] per row.
    pub fn resource_parts(&self) -> (ResourceType, &'a str, &'a str) {
        match *self {
            Row::Cluster(c) => (ResourceType::DbCluster, &c.region, &c.id),
            Row::Instance(i) => (ResourceType::DbInstance, &i.region, &i.id),
            Row::Snapshot(s) => (s.kind.resource_type(), &s.region, &s.id),
            Row::Finding(f) => (f.resource_type, &f.region, &f.resource_id),
        }
    }

    /// Is this the row `key` names? (Compares in place, allocating nothing.)
    pub fn is(&self, key: &RowKey) -> bool {
        let (kind, region, id) = self.resource_parts();
        self.rule() == key.rule
            && kind == key.resource.kind
            && id == key.resource.id
            && region == key.resource.region
    }

    pub fn region(&self) -> &'a str {
        self.resource_parts().1
    }
}
