//! Typed rows for each pane and the one place each kind becomes cells.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::model::{Cluster, Instance, ResourceRef, ResourceType, Snapshot};
use crate::rules::{Finding, RuleId, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// One column: header, widths, and how long it survives a narrow screen.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// Width when there is room.
    pub width: u16,
    /// Width it may shrink to (equal to `width` for fixed columns).
    pub min: u16,
    /// Narrow screens drop low priorities first; `KEEP` is never dropped.
    pub priority: u8,
}

pub const KEEP: u8 = 9;

const fn col(header: &'static str, width: u16, priority: u8) -> Column {
    Column {
        header,
        width,
        min: width,
        priority,
    }
}

/// A column that grows into spare space and shrinks down to `min`.
const fn flex(header: &'static str, min: u16, width: u16, priority: u8) -> Column {
    Column {
        header,
        width,
        min,
        priority,
    }
}

// Risk columns (encryption, Multi-AZ, public, backups) outlive descriptive
// ones (engine, class, created), so 80 columns still show the posture.
const CLUSTER_COLUMNS: &[Column] = &[
    col("SEV", 6, KEEP),
    flex("NAME", 18, 24, KEEP),
    col("REGION", 14, 3),
    col("ENGINE", 17, 1),
    col("STATUS", 10, 2),
    col("MBR", 3, 2),
    col("ENC", 3, 6),
    col("M-AZ", 4, 5),
    col("BACKUP", 6, 5),
    col("DELPROT", 7, 4),
    col("FIND", 4, 4),
];

const INSTANCE_COLUMNS: &[Column] = &[
    col("SEV", 6, KEEP),
    flex("NAME", 24, 30, KEEP),
    col("REGION", 14, 3),
    col("ENGINE", 17, 1),
    col("CLASS", 15, 0),
    col("STATUS", 10, 2),
    flex("CLUSTER", 12, 18, 0),
    col("ENC", 3, 6),
    col("M-AZ", 7, 5),
    col("PUB", 3, 7),
    col("BACKUP", 7, 5),
    col("FIND", 4, 4),
];

const SNAPSHOT_COLUMNS: &[Column] = &[
    col("SEV", 6, KEEP),
    flex("NAME", 30, 40, KEEP),
    col("KIND", 7, 6),
    col("REGION", 14, 3),
    flex("SOURCE", 14, 22, 2),
    col("TYPE", 9, 1),
    col("STATUS", 10, 2),
    col("ENC", 3, 7),
    flex("SHARED", 14, 26, 8),
    col("CREATED", 16, 1),
];

const FINDING_COLUMNS: &[Column] = &[
    col("SEV", 6, KEEP),
    col("RULE", 25, KEEP),
    flex("RESOURCE", 24, 36, KEEP),
    col("REGION", 14, 4),
    flex("REASON", 20, 60, 3),
];

pub fn columns(pane: Pane) -> &'static [Column] {
    match pane {
        Pane::Clusters => CLUSTER_COLUMNS,
        Pane::Instances => INSTANCE_COLUMNS,
        Pane::Snapshots => SNAPSHOT_COLUMNS,
        Pane::Findings => FINDING_COLUMNS,
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

fn yes_no(v: bool) -> Cow<'static, str> {
    Cow::Borrowed(if v { "yes" } else { "no" })
}

fn days(v: u32) -> Cow<'static, str> {
    if v == 0 {
        Cow::Borrowed("off")
    } else {
        Cow::Owned(format!("{v}d"))
    }
}

fn short_time(created: &Option<String>) -> String {
    created
        .as_deref()
        .map(|t| t.replace('T', " ").chars().take(16).collect())
        .unwrap_or_default()
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

/// Severity cell text: symbol and label, readable without colour.
pub fn severity_cell(worst: Option<Severity>) -> &'static str {
    match worst {
        Some(Severity::Critical) => "◆ CRIT",
        Some(Severity::High) => "▲ HIGH",
        Some(Severity::Medium) => "● MED",
        Some(Severity::Low) => "○ LOW",
        None => "✓ ok",
    }
}

impl<'a> Row<'a> {
    pub fn key(&self) -> RowKey {
        match self {
            Row::Cluster(c) => RowKey {
                resource: c.resource_ref(),
                rule: None,
            },
            Row::Instance(i) => RowKey {
                resource: i.resource_ref(),
                rule: None,
            },
            Row::Snapshot(s) => RowKey {
                resource: s.resource_ref(),
                rule: None,
            },
            Row::Finding(f) => RowKey {
                resource: f.resource_ref(),
                rule: Some(f.rule),
            },
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
        let rule = match self {
            Row::Finding(f) => Some(f.rule),
            _ => None,
        };
        let (kind, region, id) = self.resource_parts();
        rule == key.rule
            && kind == key.resource.kind
            && id == key.resource.id
            && region == key.resource.region
    }

    pub fn region(&self) -> &'a str {
        match self {
            Row::Cluster(c) => &c.region,
            Row::Instance(i) => &i.region,
            Row::Snapshot(s) => &s.region,
            Row::Finding(f) => &f.region,
        }
    }

    /// Cell texts in column order, borrowed from the row where they can be
    /// (a large fleet builds them for every row when filtering or sorting).
    /// `worst` and `count` describe the resource's findings (ignored for
    /// finding rows).
    pub fn cells(&self, worst: Option<Severity>, count: usize) -> Vec<Cow<'a, str>> {
        let sev = Cow::Borrowed(severity_cell(worst));
        let count = if count == 0 {
            Cow::Borrowed("-")
        } else {
            Cow::Owned(count.to_string())
        };
        let text = |s: &'a String| Cow::Borrowed(s.as_str());
        match *self {
            Row::Cluster(c) => vec![
                sev,
                text(&c.id),
                text(&c.region),
                text(&c.engine),
                text(&c.status),
                Cow::Owned(c.members.len().to_string()),
                yes_no(c.storage_encrypted),
                yes_no(c.multi_az),
                days(c.backup_retention_days),
                yes_no(c.deletion_protection),
                count,
            ],
            Row::Instance(i) => vec![
                sev,
                text(&i.id),
                text(&i.region),
                text(&i.engine),
                text(&i.class),
                text(&i.status),
                i.cluster_id.as_ref().map_or(Cow::Borrowed("-"), text),
                yes_no(i.storage_encrypted),
                if i.cluster_id.is_some() {
                    Cow::Borrowed("cluster")
                } else {
                    yes_no(i.multi_az)
                },
                yes_no(i.publicly_accessible),
                if i.cluster_id.is_some() {
                    Cow::Borrowed("cluster")
                } else {
                    days(i.backup_retention_days)
                },
                count,
            ],
            Row::Snapshot(s) => vec![
                sev,
                text(&s.id),
                Cow::Borrowed(s.kind.label()),
                text(&s.region),
                text(&s.source_id),
                text(&s.snapshot_type),
                text(&s.status),
                yes_no(s.encrypted),
                Cow::Owned(sharing(s)),
                Cow::Owned(short_time(&s.created)),
            ],
            Row::Finding(f) => vec![
                Cow::Borrowed(severity_cell(Some(f.severity))),
                Cow::Borrowed(f.rule.as_str()),
                text(&f.resource_id),
                text(&f.region),
                Cow::Borrowed(f.reason.as_ref()),
            ],
        }
    }
}
