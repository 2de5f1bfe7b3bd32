//! Typed rows for each pane and their identity; `columns` turns them into cells.

use crate::model::{Cluster, Event, Instance, ResourceRef, ResourceType, Snapshot};
use crate::rules::{Finding, RuleId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Clusters,
    Instances,
    Snapshots,
    Findings,
    /// The RDS activity trail: one row per CloudTrail event.
    Events,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Clusters,
        Pane::Instances,
        Pane::Snapshots,
        Pane::Findings,
        Pane::Events,
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
            Pane::Events => "Events",
        }
    }

    /// The title where the tabs have no room for the whole one.
    pub fn short_title(self) -> &'static str {
        match self {
            Pane::Clusters => "Clus",
            Pane::Instances => "Inst",
            Pane::Snapshots => "Snap",
            Pane::Findings => "Find",
            Pane::Events => "Events",
        }
    }

    /// Whether its rows are fleet resources (a drill-down narrows them).
    pub fn lists_resources(self) -> bool {
        matches!(self, Pane::Clusters | Pane::Instances | Pane::Snapshots)
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// A row of any pane, pointing into the fleet or the findings.
#[derive(Debug, Clone, Copy)]
pub enum Row<'a> {
    Cluster(&'a Cluster),
    Instance(&'a Instance),
    Snapshot(&'a Snapshot),
    Finding(&'a Finding),
    Event(&'a Event),
}

/// Identity of a row that survives rebuilds (for selection and marks).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    /// A resource (`rule: None`) or one finding about it.
    Resource {
        resource: ResourceRef,
        rule: Option<RuleId>,
    },
    /// An event: CloudTrail's event id, in the region it was recorded in.
    Event { region: String, id: String },
}

impl RowKey {
    /// The key of a resource row (`rule: None`) or of a finding row.
    pub fn resource(resource: ResourceRef, rule: Option<RuleId>) -> Self {
        RowKey::Resource { resource, rule }
    }
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
        match self {
            Row::Event(e) => RowKey::Event {
                region: e.region.clone(),
                id: e.id.clone(),
            },
            _ => {
                let (kind, region, id) = self.resource_parts();
                RowKey::resource(ResourceRef::new(kind, region, id), self.rule())
            }
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
            Row::Event(_) => Pane::Events,
        }
    }

    /// The resource the row is, or is about: a finding's resource; for an
    /// event, the resource it names, else its caller (as the activity
    /// findings about callers name it).
    pub fn resource(&self) -> ResourceRef {
        let (kind, region, id) = self.resource_parts();
        ResourceRef::new(kind, region, id)
    }

    /// Type, region and id of the row's resource (see [`Row::resource`]),
    /// borrowed: for hot paths that must not build a [`ResourceRef`] per
    /// row.
    pub fn resource_parts(&self) -> (ResourceType, &'a str, &'a str) {
        match *self {
            Row::Cluster(c) => (ResourceType::DbCluster, &c.region, &c.id),
            Row::Instance(i) => (ResourceType::DbInstance, &i.region, &i.id),
            Row::Snapshot(s) => (s.kind.resource_type(), &s.region, &s.id),
            Row::Finding(f) => (f.resource_type, &f.region, &f.resource_id),
            Row::Event(e) => match &e.resource {
                Some(r) => (r.kind, &r.region, &r.id),
                None => (
                    ResourceType::Principal,
                    &e.region,
                    e.principal.matchable_arn(),
                ),
            },
        }
    }

    /// Is this the row `key` names? (Compares in place, allocating nothing.)
    pub fn is(&self, key: &RowKey) -> bool {
        match (self, key) {
            (Row::Event(e), RowKey::Event { region, id }) => e.id == *id && e.region == *region,
            (Row::Event(_), _) | (_, RowKey::Event { .. }) => false,
            (_, RowKey::Resource { resource, rule }) => {
                let (kind, region, id) = self.resource_parts();
                self.rule() == *rule
                    && kind == resource.kind
                    && id == resource.id
                    && region == resource.region
            }
        }
    }

    /// The region of the row: its resource's, or where an event was made.
    pub fn region(&self) -> &'a str {
        match self {
            Row::Event(e) => &e.region,
            _ => self.resource_parts().1,
        }
    }
}
