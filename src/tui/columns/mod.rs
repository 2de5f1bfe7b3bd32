//! Typed columns, one enum per pane: each column knows its header and
//! widths, renders its cell, says when its value is itself the risk, and
//! gives a sort key by value (numbers and days as numbers, yes/no as
//! bools, severity by rank, text as text), as bottom's `DataToCell` does.

use std::borrow::Cow;

use super::doc::Tone;
use super::rows::{Pane, Row, sharing};
use crate::model::{Cluster, Instance, Snapshot};
use crate::rules::{Finding, Severity};

/// One column's header, widths, and how long it survives a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub header: &'static str,
    /// Width when there is room.
    pub width: u16,
    /// Width it may shrink to (equal to `width` for fixed columns).
    pub min: u16,
    /// Narrow screens drop low priorities first; `KEEP` is never dropped.
    pub priority: u8,
}

pub const KEEP: u8 = 9;

const fn col(header: &'static str, width: u16, priority: u8) -> ColumnSpec {
    ColumnSpec {
        header,
        width,
        min: width,
        priority,
    }
}

/// A column that grows into spare space and shrinks down to `min`.
const fn flex(header: &'static str, min: u16, width: u16, priority: u8) -> ColumnSpec {
    ColumnSpec {
        header,
        width,
        min,
        priority,
    }
}

/// What the findings say about a row's resource.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowRisk {
    pub worst: Option<Severity>,
    /// Some rule could not judge it: never shown as clean.
    pub unknown: bool,
    /// How many findings (one per rule).
    pub findings: usize,
}

/// A finding's symbol and label (`◆ CRIT`, `? UNKN`) with a trailing
/// space, in its tone.
pub fn finding_mark(f: &Finding) -> (Tone, String) {
    let (symbol, label) = f.mark();
    (RowRisk::of(f).tone(), format!("{symbol} {label} "))
}

impl RowRisk {
    /// One finding's row.
    pub fn of(finding: &Finding) -> Self {
        Self {
            worst: finding.judged_severity(),
            unknown: finding.is_unknown(),
            findings: 1,
        }
    }

    /// The tone of its severity cell.
    pub fn tone(self) -> Tone {
        match (self.worst, self.unknown) {
            (None, true) => Tone::Unknown,
            (worst, _) => Tone::Severity(worst),
        }
    }
}

/// Severity cell text: symbol and label, readable without colour. A row
/// with no failure but a verdict rdsight could not reach is `? UNKN`,
/// never `✓ ok`.
pub fn severity_cell(risk: RowRisk) -> &'static str {
    match (risk.worst, risk.unknown) {
        (Some(Severity::Critical), _) => "◆ CRIT",
        (Some(Severity::High), _) => "▲ HIGH",
        (Some(Severity::Medium), _) => "● MED",
        (Some(Severity::Low), _) => "○ LOW",
        (None, true) => "? UNKN",
        (None, false) => "✓ ok",
    }
}

/// A cell's value for sorting. Within a column every key has the same
/// variant, so the derived order is the value's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey<'a> {
    Rank(Option<Severity>),
    Number(u64),
    /// Days; `None` when the value is the cluster's.
    Days(Option<u32>),
    /// Yes/no; `None` when the value is the cluster's.
    Flag(Option<bool>),
    Text(Cow<'a, str>),
}

/// A pane's column enum as a table: every column in display order, each
/// one's spec, and which shows the severity. Written by `column_table!`.
pub trait ColumnTable: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    const SPECS: &'static [ColumnSpec];
    /// The column that shows the row's worst severity (events have none).
    const SEVERITY: Option<Self>;
}

/// The columns of one pane over its typed rows.
pub trait Columns: ColumnTable {
    type Row;

    fn cell<'a>(self, row: &'a Self::Row, risk: RowRisk) -> Cow<'a, str>;
    fn sort_key<'a>(self, row: &'a Self::Row, risk: RowRisk) -> SortKey<'a>;
    /// Is the cell's value itself the risk (highlighted in the row)?
    fn risky(self, row: &Self::Row) -> bool;

    fn tone(self, row: &Self::Row, risk: RowRisk) -> Tone {
        if Some(self) == Self::SEVERITY {
            risk.tone()
        } else if self.risky(row) {
            Tone::Bad
        } else {
            Tone::Plain
        }
    }
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

fn count(risk: RowRisk) -> Cow<'static, str> {
    match risk.findings {
        0 => Cow::Borrowed("-"),
        n => Cow::Owned(n.to_string()),
    }
}

pub(crate) fn text(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

pub(crate) fn by_text(s: &str) -> SortKey<'_> {
    SortKey::Text(Cow::Borrowed(s))
}

fn created_time(created: &Option<String>) -> String {
    created
        .as_deref()
        .map(|t| t.replace('T', " ").chars().take(16).collect())
        .unwrap_or_default()
}

/// Declare a pane's column enum, one line per column with its spec, in
/// display order.
macro_rules! column_table {
    (@severity) => { None };
    (@severity $severity:ident) => { Some(Self::$severity) };
    (
        $(#[$doc:meta])*
        $name:ident, $(severity: $severity:ident,)?
        { $($variant:ident => $spec:expr,)+ }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
        }

        impl ColumnTable for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)+];
            const SPECS: &'static [ColumnSpec] = &[$($spec,)+];
            const SEVERITY: Option<Self> = column_table!(@severity $($severity)?);
        }

        impl $name {
            pub fn spec(self) -> ColumnSpec {
                Self::SPECS[self as usize]
            }
        }
    };
}

// After the macro, which it uses.
mod events;

pub use events::{EventColumn, short_time, short_user_agent};

// Risk columns (encryption, Multi-AZ, public, backups) outlive descriptive
// ones (engine, class, created), so 80 columns still show the posture.

column_table! {
    /// The columns of the Clusters pane.
    ClusterColumn, severity: Severity,
    {
        Severity => col("SEV", 6, KEEP),
        Name => flex("NAME", 18, 24, KEEP),
        Region => col("REGION", 14, 3),
        Engine => col("ENGINE", 17, 1),
        Status => col("STATUS", 10, 2),
        Members => col("MBR", 3, 2),
        Encrypted => col("ENC", 3, 6),
        MultiAz => col("M-AZ", 4, 5),
        Backup => col("BACKUP", 6, 5),
        DeletionProtection => col("DELPROT", 7, 4),
        Findings => col("FIND", 4, 4),
    }
}

impl Columns for ClusterColumn {
    type Row = Cluster;

    fn cell<'a>(self, c: &'a Cluster, risk: RowRisk) -> Cow<'a, str> {
        match self {
            Self::Severity => text(severity_cell(risk)),
            Self::Name => text(&c.id),
            Self::Region => text(&c.region),
            Self::Engine => text(&c.engine),
            Self::Status => text(&c.status),
            Self::Members => Cow::Owned(c.members.len().to_string()),
            Self::Encrypted => yes_no(c.storage_encrypted),
            Self::MultiAz => yes_no(c.multi_az),
            Self::Backup => days(c.backup_retention_days),
            Self::DeletionProtection => yes_no(c.deletion_protection),
            Self::Findings => count(risk),
        }
    }

    fn sort_key<'a>(self, c: &'a Cluster, risk: RowRisk) -> SortKey<'a> {
        match self {
            Self::Severity => SortKey::Rank(risk.worst),
            Self::Members => SortKey::Number(c.members.len() as u64),
            Self::Encrypted => SortKey::Flag(Some(c.storage_encrypted)),
            Self::MultiAz => SortKey::Flag(Some(c.multi_az)),
            Self::Backup => SortKey::Days(Some(c.backup_retention_days)),
            Self::DeletionProtection => SortKey::Flag(Some(c.deletion_protection)),
            Self::Findings => SortKey::Number(risk.findings as u64),
            other => SortKey::Text(other.cell(c, risk)),
        }
    }

    fn risky(self, c: &Cluster) -> bool {
        match self {
            Self::Encrypted => !c.storage_encrypted,
            Self::MultiAz => !c.multi_az,
            Self::Backup => c.backup_retention_days == 0,
            Self::DeletionProtection => !c.deletion_protection,
            _ => false,
        }
    }
}

column_table! {
    /// The columns of the Instances pane.
    InstanceColumn, severity: Severity,
    {
        Severity => col("SEV", 6, KEEP),
        Name => flex("NAME", 24, 30, KEEP),
        Region => col("REGION", 14, 3),
        Engine => col("ENGINE", 17, 1),
        Class => col("CLASS", 15, 0),
        Status => col("STATUS", 10, 2),
        Cluster => flex("CLUSTER", 12, 18, 0),
        Encrypted => col("ENC", 3, 6),
        MultiAz => col("M-AZ", 7, 5),
        Public => col("PUB", 3, 7),
        Backup => col("BACKUP", 7, 5),
        Findings => col("FIND", 4, 4),
    }
}

/// Multi-AZ of a standalone instance; a cluster member's is the cluster's.
fn own_multi_az(i: &Instance) -> Option<bool> {
    i.cluster_id.is_none().then_some(i.multi_az)
}

/// Backup days of a standalone instance; a cluster member's are the cluster's.
fn own_backup_days(i: &Instance) -> Option<u32> {
    i.cluster_id.is_none().then_some(i.backup_retention_days)
}

impl Columns for InstanceColumn {
    type Row = Instance;

    fn cell<'a>(self, i: &'a Instance, risk: RowRisk) -> Cow<'a, str> {
        match self {
            Self::Severity => text(severity_cell(risk)),
            Self::Name => text(&i.id),
            Self::Region => text(&i.region),
            Self::Engine => text(&i.engine),
            Self::Class => text(&i.class),
            Self::Status => text(&i.status),
            Self::Cluster => text(i.cluster_id.as_deref().unwrap_or("-")),
            Self::Encrypted => yes_no(i.storage_encrypted),
            Self::MultiAz => own_multi_az(i).map_or(text("cluster"), yes_no),
            Self::Public => yes_no(i.publicly_accessible),
            Self::Backup => own_backup_days(i).map_or(text("cluster"), days),
            Self::Findings => count(risk),
        }
    }

    fn sort_key<'a>(self, i: &'a Instance, risk: RowRisk) -> SortKey<'a> {
        match self {
            Self::Severity => SortKey::Rank(risk.worst),
            Self::Encrypted => SortKey::Flag(Some(i.storage_encrypted)),
            Self::MultiAz => SortKey::Flag(own_multi_az(i)),
            Self::Public => SortKey::Flag(Some(i.publicly_accessible)),
            Self::Backup => SortKey::Days(own_backup_days(i)),
            Self::Findings => SortKey::Number(risk.findings as u64),
            other => SortKey::Text(other.cell(i, risk)),
        }
    }

    fn risky(self, i: &Instance) -> bool {
        match self {
            Self::Encrypted => !i.storage_encrypted,
            Self::MultiAz => own_multi_az(i) == Some(false),
            Self::Public => i.publicly_accessible,
            Self::Backup => own_backup_days(i) == Some(0),
            _ => false,
        }
    }
}

column_table! {
    /// The columns of the Snapshots pane.
    SnapshotColumn, severity: Severity,
    {
        Severity => col("SEV", 6, KEEP),
        Name => flex("NAME", 30, 40, KEEP),
        Kind => col("KIND", 7, 6),
        Region => col("REGION", 14, 3),
        Source => flex("SOURCE", 14, 22, 2),
        Type => col("TYPE", 9, 1),
        Status => col("STATUS", 10, 2),
        Encrypted => col("ENC", 3, 7),
        Shared => flex("SHARED", 14, 26, 8),
        Created => col("CREATED", 16, 1),
    }
}

impl Columns for SnapshotColumn {
    type Row = Snapshot;

    fn cell<'a>(self, s: &'a Snapshot, risk: RowRisk) -> Cow<'a, str> {
        match self {
            Self::Severity => text(severity_cell(risk)),
            Self::Name => text(&s.id),
            Self::Kind => text(s.kind.label()),
            Self::Region => text(&s.region),
            Self::Source => text(&s.source_id),
            Self::Type => text(&s.snapshot_type),
            Self::Status => text(&s.status),
            Self::Encrypted => yes_no(s.encrypted),
            Self::Shared => Cow::Owned(sharing(s)),
            Self::Created => Cow::Owned(created_time(&s.created)),
        }
    }

    fn sort_key<'a>(self, s: &'a Snapshot, risk: RowRisk) -> SortKey<'a> {
        match self {
            Self::Severity => SortKey::Rank(risk.worst),
            Self::Encrypted => SortKey::Flag(Some(s.encrypted)),
            // ISO 8601 times sort as text.
            Self::Created => by_text(s.created.as_deref().unwrap_or("")),
            other => SortKey::Text(other.cell(s, risk)),
        }
    }

    fn risky(self, s: &Snapshot) -> bool {
        match self {
            Self::Encrypted => !s.encrypted,
            Self::Shared => s.is_public(),
            _ => false,
        }
    }
}

column_table! {
    /// The columns of the Findings pane.
    FindingColumn, severity: Severity,
    {
        Severity => col("SEV", 6, KEEP),
        Rule => col("RULE", 25, KEEP),
        Resource => flex("RESOURCE", 24, 36, KEEP),
        Region => col("REGION", 14, 4),
        Reason => flex("REASON", 20, 60, 3),
    }
}

impl Columns for FindingColumn {
    type Row = Finding;

    fn cell<'a>(self, f: &'a Finding, _: RowRisk) -> Cow<'a, str> {
        match self {
            Self::Severity => text(severity_cell(RowRisk::of(f))),
            Self::Rule => text(f.rule.as_str()),
            Self::Resource => text(&f.resource_id),
            Self::Region => text(&f.region),
            Self::Reason => text(f.reason.as_ref()),
        }
    }

    fn sort_key<'a>(self, f: &'a Finding, risk: RowRisk) -> SortKey<'a> {
        match self {
            Self::Severity => SortKey::Rank(f.judged_severity()),
            other => SortKey::Text(other.cell(f, risk)),
        }
    }

    fn risky(self, _: &Finding) -> bool {
        false
    }
}

/// The column specs of `pane`, in display order.
pub fn specs(pane: Pane) -> &'static [ColumnSpec] {
    match pane {
        Pane::Clusters => ClusterColumn::SPECS,
        Pane::Instances => InstanceColumn::SPECS,
        Pane::Snapshots => SnapshotColumn::SPECS,
        Pane::Findings => FindingColumn::SPECS,
        Pane::Events => EventColumn::SPECS,
    }
}

/// Apply `$body` to column `$column` of `$row`'s pane, typed: `$c` is the
/// pane's column enum and `$r` its typed row. `None` past the last column.
macro_rules! on_column {
    ($row:expr, $column:expr, |$c:ident, $r:ident| $body:expr) => {
        match $row {
            Row::Cluster($r) => ClusterColumn::ALL.get($column).map(|$c| $body),
            Row::Instance($r) => InstanceColumn::ALL.get($column).map(|$c| $body),
            Row::Snapshot($r) => SnapshotColumn::ALL.get($column).map(|$c| $body),
            Row::Finding($r) => FindingColumn::ALL.get($column).map(|$c| $body),
            Row::Event($r) => EventColumn::ALL.get($column).map(|$c| $body),
        }
    };
}

impl<'a> Row<'a> {
    /// The text of column `column` (by position in the pane's columns).
    pub fn cell(&self, column: usize, risk: RowRisk) -> Cow<'a, str> {
        on_column!(*self, column, |c, r| c.cell(r, risk)).unwrap_or_default()
    }

    /// How column `column` of this row is coloured.
    pub fn tone(&self, column: usize, risk: RowRisk) -> Tone {
        on_column!(*self, column, |c, r| c.tone(r, risk)).unwrap_or_default()
    }

    /// The value column `column` sorts this row by.
    pub fn sort_key(&self, column: usize, risk: RowRisk) -> SortKey<'a> {
        on_column!(*self, column, |c, r| c.sort_key(r, risk))
            .unwrap_or(SortKey::Text(Cow::Borrowed("")))
    }

    /// Every cell in column order, borrowed from the row where they can be
    /// (a large fleet builds them for every row when filtering).
    pub fn cells(&self, risk: RowRisk) -> Vec<Cow<'a, str>> {
        let count = specs(self.pane()).len();
        (0..count).map(|column| self.cell(column, risk)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_sorts_by_rank_and_days_by_value() {
        assert!(SortKey::Rank(Some(Severity::Critical)) > SortKey::Rank(Some(Severity::Low)));
        assert!(SortKey::Rank(Some(Severity::Low)) > SortKey::Rank(None));
        assert!(SortKey::Days(Some(0)) < SortKey::Days(Some(7)));
        assert!(SortKey::Days(Some(7)) < SortKey::Days(Some(35)));
        assert!(SortKey::Flag(Some(false)) < SortKey::Flag(Some(true)));
    }

    #[test]
    fn risk_colour_comes_from_the_column_not_the_header() {
        let public = Instance {
            publicly_accessible: true,
            storage_encrypted: true,
            ..Instance::default()
        };
        let risk = RowRisk::default();
        assert_eq!(InstanceColumn::Public.tone(&public, risk), Tone::Bad);
        assert_eq!(InstanceColumn::Encrypted.tone(&public, risk), Tone::Plain);
        let member = Instance {
            cluster_id: Some("orders".into()),
            ..public
        };
        assert_eq!(InstanceColumn::MultiAz.cell(&member, risk), "cluster");
        assert_eq!(InstanceColumn::MultiAz.tone(&member, risk), Tone::Plain);
    }
}
