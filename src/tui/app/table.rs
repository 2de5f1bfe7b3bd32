//! Which rows each pane shows: scope, filter, sort, selection.
//!
//! Per evaluation, each pane keeps its rows' risk (`PaneView::risk`), its
//! rows in sorted order (`order`, per sort) and, once a filter is typed,
//! an index of their text (`search`). A keystroke in the filter then only
//! picks rows from the sorted order: no sorting, no lookups by name, no
//! strings per row, which keeps it instant on 100k resources.

use std::borrow::Cow;

use super::pane::Shown;
use super::*;
use crate::tui::columns::{RowRisk, SortKey};

/// A text word scans the whole pane's text (one fast pass) while at least
/// one row in this many is left to check; below that it checks only the
/// rows left, one by one.
const SCAN_ALL_BELOW: usize = 8;

/// A row's place in the default order: its worst severity, then whether a
/// verdict is unknown (above clean rows, below any failure).
type RiskRank = (Option<Severity>, bool);

/// The snapshot kind a resource type is (`db`/`cluster`), for `kind:`
/// words; other types add nothing.
fn snapshot_label(kind: ResourceType) -> &'static str {
    match kind {
        ResourceType::DbSnapshot => crate::model::SnapshotKind::Db.label(),
        ResourceType::DbClusterSnapshot => crate::model::SnapshotKind::Cluster.label(),
        _ => "",
    }
}

/// Events newest first, the order they were recorded in for equal times.
/// The fleet keeps them oldest first, so that order reversed is usually
/// the answer, found without sorting.
fn newest_first(events: &[crate::model::Event]) -> Vec<usize> {
    let sorted = events.windows(2).all(|w| w[0].time <= w[1].time);
    let mut rows: Vec<usize> = (0..events.len()).collect();
    if sorted {
        rows.reverse();
    } else {
        rows.sort_by(|a, b| events[*b].time.cmp(&events[*a].time).then(b.cmp(a)));
    }
    rows
}

impl App {
    pub(super) fn row_at(&self, pane: Pane, index: usize) -> Option<Row<'_>> {
        match pane {
            Pane::Clusters => self.fleet.clusters.get(index).map(Row::Cluster),
            Pane::Instances => self.fleet.instances.get(index).map(Row::Instance),
            Pane::Snapshots => self.fleet.snapshots.get(index).map(Row::Snapshot),
            Pane::Findings => self.findings.get(index).map(Row::Finding),
            Pane::Events => self.fleet.events.get(index).map(Row::Event),
        }
    }

    pub(super) fn pane_len_unfiltered(&self, pane: Pane) -> usize {
        match pane {
            Pane::Clusters => self.fleet.clusters.len(),
            Pane::Instances => self.fleet.instances.len(),
            Pane::Snapshots => self.fleet.snapshots.len(),
            Pane::Findings => self.findings.len(),
            Pane::Events => self.fleet.events.len(),
        }
    }

    /// Every row of a pane, in underlying order.
    fn all_rows(&self, pane: Pane) -> impl Iterator<Item = (usize, Row<'_>)> {
        (0..self.pane_len_unfiltered(pane))
            .filter_map(move |i| self.row_at(pane, i).map(|r| (i, r)))
    }

    /// Visible rows of a pane, in display order.
    pub fn rows(&self, pane: Pane) -> Vec<Row<'_>> {
        self.visible_rows(pane, 0, usize::MAX)
            .into_iter()
            .map(|(row, _)| row)
            .collect()
    }

    /// Visible rows `skip..skip + take` of a pane, in display order, with
    /// their risk: what a table draws, without touching the rows it does
    /// not show (and without looking their risk up by name).
    pub fn visible_rows(&self, pane: Pane, skip: usize, take: usize) -> Vec<(Row<'_>, RowRisk)> {
        let view = &self.panes[pane.index()];
        view.rows
            .iter()
            .skip(skip)
            .take(take)
            .filter_map(|i| self.row_at(pane, *i).map(|r| (r, view.risk_at(*i).row())))
            .collect()
    }

    pub fn row_count(&self, pane: Pane) -> usize {
        self.panes[pane.index()].rows.len()
    }

    pub fn selected_row(&self) -> Option<Row<'_>> {
        self.panes[self.focus.index()]
            .selected_index()
            .and_then(|i| self.row_at(self.focus, i))
    }

    /// Cells of a row plus what the findings say of it, as the table
    /// shows them.
    pub fn cells<'a>(&self, row: &Row<'a>) -> (RowRisk, Vec<Cow<'a, str>>) {
        let risk = match row {
            Row::Finding(f) => RowRisk::of(f),
            // An event is a fact, not a verdict.
            Row::Event(_) => RowRisk::default(),
            other => self.risk_of(&other.resource()),
        };
        (risk, row.cells(risk))
    }

    /// Each row's risk, index-aligned with the fleet and the findings.
    pub(super) fn index_risk(&mut self) {
        // One reusable key: looking a row up allocates nothing.
        let mut probe = ResourceRef::new(ResourceType::DbCluster, "", "");
        let risks = Pane::ALL.map(|pane| {
            if pane == Pane::Events {
                // Events carry no risk: `risk_at` answers none for them.
                return Vec::new();
            }
            self.all_rows(pane)
                .map(|(_, row)| match row {
                    Row::Finding(f) => {
                        let mut risk = Risk::default();
                        risk.add(f);
                        risk
                    }
                    other => {
                        let (kind, region, id) = other.resource_parts();
                        probe.kind = kind;
                        probe.region.clear();
                        probe.region.push_str(region);
                        probe.id.clear();
                        probe.id.push_str(id);
                        self.risk.get(&probe).copied().unwrap_or_default()
                    }
                })
                .collect()
        });
        for (view, risk) in self.panes.iter_mut().zip(risks) {
            view.risk = risk;
            view.invalidate();
        }
    }

    /// Is a resource row inside the current drill-down?
    pub(super) fn in_scope(&self, row: &Row<'_>) -> bool {
        use crate::model::SnapshotKind;
        match (&self.scope, row) {
            (Scope::All, _) => true,
            (Scope::Cluster(c), Row::Cluster(cl)) => cl.id == c.id && cl.region == c.region,
            (Scope::Cluster(c), Row::Instance(i)) => {
                i.region == c.region && i.cluster_id.as_deref() == Some(c.id.as_str())
            }
            (Scope::Cluster(c), Row::Snapshot(s)) => {
                s.region == c.region && s.kind == SnapshotKind::Cluster && s.source_id == c.id
            }
            (Scope::Instance(r), Row::Instance(i)) => i.id == r.id && i.region == r.region,
            (Scope::Instance(r), Row::Snapshot(s)) => {
                s.region == r.region && s.kind == SnapshotKind::Db && s.source_id == r.id
            }
            (Scope::Instance(_), Row::Cluster(_)) => false,
            // Findings and events follow their resource; see `rebuild_rows`.
            (_, Row::Finding(_) | Row::Event(_)) => true,
        }
    }

    /// What the filter's structured words look at in row `index`.
    fn passes_word(&self, pane: Pane, index: usize, word: &filter::Word) -> bool {
        let Some(row) = self.row_at(pane, index) else {
            return false;
        };
        let risk = self.panes[pane.index()].risk_at(index);
        let (kind, _, _) = row.resource_parts();
        let kinds: &[&str] = match &row {
            Row::Snapshot(s) => &[kind.as_str(), s.kind.label()],
            Row::Event(e) => match &e.resource {
                Some(r) => &[r.kind.as_str(), snapshot_label(r.kind)],
                None => &[],
            },
            _ => &[kind.as_str()],
        };
        word.matches(&filter::Subject {
            worst: risk.worst,
            unknown: risk.unknown,
            region: row.region(),
            rules: risk.rules,
            kinds,
            event: match row {
                Row::Event(e) => Some(e),
                _ => None,
            },
            // Text words are answered from the pane's index instead.
            contains: &|_| false,
        })
    }

    /// The rows of `rows` (underlying indices of `pane`, in display order)
    /// that pass the filter, in the same order. Word by word, each over the
    /// rows the words before it left: structured words first (cheap per
    /// row), then text words, longest (most telling) first; a text word
    /// scans the whole pane's text when most rows are left, and only the
    /// rows left otherwise. So a long pasted filter costs little more than
    /// its first few words.
    fn apply_filter(&self, pane: Pane, mut rows: Vec<usize>) -> Vec<usize> {
        let words = self.filter.words();
        // A word that cannot describe this pane's rows lets them all through.
        let events = pane == Pane::Events;
        let structured = words
            .iter()
            .filter(|w| w.text().is_none() && w.narrows_rows_of(events));
        for word in structured {
            if rows.is_empty() {
                return rows;
            }
            rows.retain(|i| self.passes_word(pane, *i, word));
        }
        let Some(search) = self.panes[pane.index()].search.as_ref() else {
            return rows;
        };
        let mut texts: Vec<(&str, bool)> = words
            .iter()
            .filter_map(|w| w.text().map(|t| (t, w.negated())))
            .collect();
        texts.sort_by_key(|(text, _)| std::cmp::Reverse(text.len()));
        for (text, negated) in texts {
            if rows.is_empty() {
                break;
            }
            if rows.len().saturating_mul(SCAN_ALL_BELOW) >= search.len() {
                let hits = search.rows_containing(text);
                rows.retain(|i| hits.get(*i).copied().unwrap_or(false) != negated);
            } else {
                let finder = memchr::memmem::Finder::new(text.as_bytes());
                rows.retain(|i| search.row_contains(*i, &finder) != negated);
            }
        }
        rows
    }

    fn build_search_text(&self, pane: Pane) -> SearchText {
        let view = &self.panes[pane.index()];
        SearchText::build(
            self.all_rows(pane)
                .map(|(i, row)| row.cells(view.risk_at(i).row())),
        )
    }

    /// Every row of `pane` in the order `sort` asks for; cached per
    /// evaluation, so only changing the sort sorts.
    fn ensure_order(&mut self, pane: Pane) {
        let view = &self.panes[pane.index()];
        let sort = view.sort;
        if matches!(&view.order, Some(order) if order.sort == sort) {
            return;
        }
        let rows = match sort {
            // Findings come sorted already.
            None if pane == Pane::Findings => (0..self.pane_len_unfiltered(pane)).collect(),
            None if pane == Pane::Events => newest_first(&self.fleet.events),
            // Worst first, then by name.
            None => {
                // Unknown verdicts rank above clean rows, below failures.
                let mut keyed: Vec<(usize, RiskRank, &str)> = self
                    .all_rows(pane)
                    .map(|(i, row)| {
                        let risk = view.risk_at(i);
                        (i, (risk.worst, risk.unknown), row.resource_parts().2)
                    })
                    .collect();
                keyed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(b.2)));
                keyed.into_iter().map(|(i, _, _)| i).collect()
            }
            // By the column's value: one key per row, then one sort.
            Some((column, desc)) => {
                let mut keyed: Vec<(usize, SortKey<'_>)> = self
                    .all_rows(pane)
                    .map(|(i, row)| (i, row.sort_key(column, view.risk_at(i).row())))
                    .collect();
                keyed.sort_by(|a, b| a.1.cmp(&b.1));
                let mut rows: Vec<usize> = keyed.into_iter().map(|(i, _)| i).collect();
                if desc {
                    rows.reverse();
                }
                rows
            }
        };
        self.panes[pane.index()].order = Some(Order { sort, rows });
    }

    /// Resources inside the drill-down, so findings can follow them.
    fn scoped_resources(&self) -> Option<HashSet<ResourceRef>> {
        (self.scope != Scope::All).then(|| {
            [Pane::Clusters, Pane::Instances, Pane::Snapshots]
                .iter()
                .flat_map(|pane| self.all_rows(*pane))
                .filter(|(_, r)| self.in_scope(r))
                .map(|(_, r)| r.resource())
                .collect()
        })
    }

    /// The rows of `pane` inside the drill-down, in display order.
    fn scoped_order(&self, pane: Pane, scoped: Option<&HashSet<ResourceRef>>) -> Vec<usize> {
        let order = self.panes[pane.index()]
            .order
            .as_ref()
            .map(|order| order.rows.as_slice())
            .unwrap_or_default();
        if self.scope == Scope::All {
            return order.to_vec();
        }
        order
            .iter()
            .copied()
            .filter(|i| {
                self.row_at(pane, *i).is_some_and(|r| match (scoped, &r) {
                    (Some(set), Row::Finding(f)) => set.contains(&f.resource_ref()),
                    (Some(set), Row::Event(e)) => e
                        .resource
                        .as_ref()
                        .is_some_and(|named| set.contains(&named.resource_ref())),
                    _ => self.in_scope(&r),
                })
            })
            .collect()
    }

    /// Recompute which rows each pane shows, in what order. Cells are built
    /// only when a text filter or a column sort needs them, so the default
    /// view of a large fleet stays cheap; a filter that only narrows the
    /// last one (typing on, pasting) picks from the rows already shown.
    pub(super) fn rebuild_rows(&mut self) {
        let mut scoped: Option<Option<HashSet<ResourceRef>>> = None;
        for pane in Pane::ALL {
            if self.filter.has_text() && self.panes[pane.index()].search.is_none() {
                self.panes[pane.index()].search = Some(self.build_search_text(pane));
            }
            let selected_key = self.selected_key(pane);
            self.ensure_order(pane);
            let view = &self.panes[pane.index()];
            let candidates = match view.narrowable(&self.filter, &self.scope) {
                Some(rows) => rows.to_vec(),
                None => {
                    let scoped = scoped.get_or_insert_with(|| self.scoped_resources());
                    self.scoped_order(pane, scoped.as_ref())
                }
            };
            let rows = self.apply_filter(pane, candidates);
            let view = &mut self.panes[pane.index()];
            view.rows = rows;
            view.shown = Some(Shown {
                filter: self.filter.clone(),
                scope: self.scope.clone(),
                sort: view.sort,
            });
            self.reselect(pane, selected_key);
        }
    }

    pub(super) fn selected_key(&self, pane: Pane) -> Option<RowKey> {
        self.panes[pane.index()]
            .selected_index()
            .and_then(|i| self.row_at(pane, i))
            .map(|r| r.key())
    }

    /// Keep the same row selected after a rebuild when it is still there.
    pub(super) fn reselect(&mut self, pane: Pane, key: Option<RowKey>) {
        let view = &self.panes[pane.index()];
        let position = key.and_then(|key| {
            view.rows
                .iter()
                .position(|i| self.row_at(pane, *i).is_some_and(|r| r.is(&key)))
        });
        let len = view.rows.len();
        let view = &mut self.panes[pane.index()];
        view.selected = position.unwrap_or(view.selected.min(len.saturating_sub(1)));
        self.keep_selection_visible();
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let height = self.areas().table_rows().max(1);
        for view in &mut self.panes {
            if view.selected < view.offset {
                view.offset = view.selected;
            } else if view.selected >= view.offset + height {
                view.offset = view.selected + 1 - height;
            }
        }
    }
}
