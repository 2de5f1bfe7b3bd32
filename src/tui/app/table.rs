//! Which rows each pane shows: scope, filter, sort, selection.
//!
//! Per evaluation, each pane keeps its rows' risk (`row_risk`), its rows in
//! sorted order (`order`, per sort) and, once a filter is typed, an index
//! of their text (`search_text`). A keystroke in the filter then only
//! picks rows from the sorted order: no sorting, no lookups by name, no
//! strings per row, which keeps it instant on 100k resources.

use std::borrow::Cow;

use super::*;

impl App {
    pub(super) fn row_at(&self, pane: Pane, index: usize) -> Option<Row<'_>> {
        match pane {
            Pane::Clusters => self.fleet.clusters.get(index).map(Row::Cluster),
            Pane::Instances => self.fleet.instances.get(index).map(Row::Instance),
            Pane::Snapshots => self.fleet.snapshots.get(index).map(Row::Snapshot),
            Pane::Findings => self.findings.get(index).map(Row::Finding),
        }
    }

    pub(super) fn pane_len_unfiltered(&self, pane: Pane) -> usize {
        match pane {
            Pane::Clusters => self.fleet.clusters.len(),
            Pane::Instances => self.fleet.instances.len(),
            Pane::Snapshots => self.fleet.snapshots.len(),
            Pane::Findings => self.findings.len(),
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
    }

    /// Visible rows `skip..skip + take` of a pane, in display order: what
    /// a table draws, without touching the rows it does not show.
    pub fn visible_rows(&self, pane: Pane, skip: usize, take: usize) -> Vec<Row<'_>> {
        self.rows[pane.index()]
            .iter()
            .skip(skip)
            .take(take)
            .filter_map(|i| self.row_at(pane, *i))
            .collect()
    }

    pub fn row_count(&self, pane: Pane) -> usize {
        self.rows[pane.index()].len()
    }

    pub fn selected_row(&self) -> Option<Row<'_>> {
        let state = &self.panes[self.focus.index()];
        self.rows[self.focus.index()]
            .get(state.selected)
            .and_then(|i| self.row_at(self.focus, *i))
    }

    /// Cells of a row plus its risk, as the table draws them.
    pub fn cells<'a>(&self, row: &Row<'a>) -> (Option<Severity>, Vec<Cow<'a, str>>) {
        let (worst, count) = match row {
            Row::Finding(f) => (Some(f.severity), 1),
            other => self.risk_of(&other.resource()),
        };
        (worst, row.cells(worst, count))
    }

    /// Cells of row `index` of `pane`, its risk taken from the row index
    /// (no lookup by name): for building every row's cells at once.
    fn cells_at<'a>(&self, pane: Pane, index: usize, row: &Row<'a>) -> Vec<Cow<'a, str>> {
        let risk = self.row_risk[pane.index()]
            .get(index)
            .copied()
            .unwrap_or_default();
        row.cells(risk.worst, risk.rules.len())
    }

    /// Each row's risk, index-aligned with the fleet and the findings.
    pub(super) fn index_risk(&mut self) {
        // One reusable key: looking a row up allocates nothing.
        let mut probe = ResourceRef::new(ResourceType::DbCluster, "", "");
        let row_risk = Pane::ALL.map(|pane| {
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
        self.row_risk = row_risk;
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
            // Findings follow their resource; see `rebuild_rows`.
            (_, Row::Finding(_)) => true,
        }
    }

    /// Does row `index` of `pane` pass the filter? `hits` holds, per
    /// free-text word, which rows of the pane contain it.
    fn passes_filter(
        &self,
        pane: Pane,
        index: usize,
        row: &Row<'_>,
        hits: &[(&str, Vec<bool>)],
    ) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let risk = self.row_risk[pane.index()]
            .get(index)
            .copied()
            .unwrap_or_default();
        let (kind, _, _) = row.resource_parts();
        let kinds: &[&str] = match row {
            Row::Snapshot(s) => &[kind.as_str(), s.kind.label()],
            _ => &[kind.as_str()],
        };
        let contains = |word: &str| {
            hits.iter()
                .find(|(w, _)| *w == word)
                .is_some_and(|(_, rows)| rows.get(index).copied().unwrap_or(false))
        };
        self.filter.matches(&filter::Subject {
            worst: risk.worst,
            region: row.region(),
            rules: risk.rules,
            kinds,
            contains: &contains,
        })
    }

    fn build_search_text(&self) -> [SearchText; 4] {
        Pane::ALL.map(|pane| {
            SearchText::build(
                self.all_rows(pane)
                    .map(|(i, row)| self.cells_at(pane, i, &row)),
            )
        })
    }

    /// Every row of `pane` in the order `sort` asks for; cached per
    /// evaluation, so only changing the sort sorts.
    fn ensure_order(&mut self, pane: Pane, sort: Option<(usize, bool)>) {
        if matches!(&self.order[pane.index()], Some(order) if order.sort == sort) {
            return;
        }
        let risk = &self.row_risk[pane.index()];
        let worst = |i: usize| risk.get(i).and_then(|r| r.worst);
        let mut order: Vec<usize> = (0..self.pane_len_unfiltered(pane)).collect();
        match sort {
            // Worst first, then by name; findings come sorted already.
            None if pane != Pane::Findings => {
                let mut keyed: Vec<(usize, Option<Severity>, &str)> = self
                    .all_rows(pane)
                    .map(|(i, row)| (i, worst(i), row.resource_parts().2))
                    .collect();
                keyed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(b.2)));
                order = keyed.into_iter().map(|(i, _, _)| i).collect();
            }
            None => {}
            Some((0, desc)) => {
                order.sort_by_key(|i| worst(*i));
                if desc {
                    order.reverse();
                }
            }
            Some((column, desc)) => {
                let mut keyed: Vec<(usize, Cow<'_, str>)> = self
                    .all_rows(pane)
                    .map(|(i, row)| {
                        let mut cells = self.cells_at(pane, i, &row);
                        let key = if column < cells.len() {
                            cells.swap_remove(column)
                        } else {
                            Cow::Borrowed("")
                        };
                        (i, key)
                    })
                    .collect();
                keyed.sort_by(|a, b| compare_cells(&a.1, &b.1));
                order = keyed.into_iter().map(|(i, _)| i).collect();
                if desc {
                    order.reverse();
                }
            }
        }
        self.order[pane.index()] = Some(Order { sort, rows: order });
    }

    /// Recompute which rows each pane shows, in what order. Cells are built
    /// only when a filter or a column sort needs them, so the default view
    /// of a large fleet stays cheap.
    pub(super) fn rebuild_rows(&mut self) {
        if !self.filter.is_empty() && self.search_text.is_none() {
            self.search_text = Some(self.build_search_text());
        }
        // Resources inside a drill-down, so findings can follow them.
        let scoped: Option<HashSet<ResourceRef>> = (self.scope != Scope::All).then(|| {
            [Pane::Clusters, Pane::Instances, Pane::Snapshots]
                .iter()
                .flat_map(|pane| self.all_rows(*pane))
                .filter(|(_, r)| self.in_scope(r))
                .map(|(_, r)| r.resource())
                .collect()
        });
        for pane in Pane::ALL {
            let selected_key = self.selected_key(pane);
            self.ensure_order(pane, self.panes[pane.index()].sort);
            let hits: Vec<(&str, Vec<bool>)> = match &self.search_text {
                Some(search) => self
                    .filter
                    .text_words()
                    .map(|word| (word, search[pane.index()].rows_containing(word)))
                    .collect(),
                None => Vec::new(),
            };
            let order = self.order[pane.index()]
                .as_ref()
                .map(|order| order.rows.as_slice())
                .unwrap_or_default();
            let everything = scoped.is_none() && self.filter.is_empty();
            let visible: Vec<usize> = if everything {
                order.to_vec()
            } else {
                order
                    .iter()
                    .filter_map(|i| self.row_at(pane, *i).map(|r| (*i, r)))
                    .filter(|(_, r)| match (&scoped, r) {
                        (Some(set), Row::Finding(f)) => set.contains(&f.resource_ref()),
                        _ => self.in_scope(r),
                    })
                    .filter(|(i, r)| self.passes_filter(pane, *i, r, &hits))
                    .map(|(i, _)| i)
                    .collect()
            };
            self.rows[pane.index()] = visible;
            self.reselect(pane, selected_key);
        }
    }

    pub(super) fn selected_key(&self, pane: Pane) -> Option<RowKey> {
        let state = &self.panes[pane.index()];
        self.rows[pane.index()]
            .get(state.selected)
            .and_then(|i| self.row_at(pane, *i))
            .map(|r| r.key())
    }

    /// Keep the same row selected after a rebuild when it is still there.
    pub(super) fn reselect(&mut self, pane: Pane, key: Option<RowKey>) {
        let position = key.and_then(|key| {
            self.rows[pane.index()]
                .iter()
                .position(|i| self.row_at(pane, *i).is_some_and(|r| r.is(&key)))
        });
        let len = self.rows[pane.index()].len();
        let state = &mut self.panes[pane.index()];
        state.selected = position.unwrap_or(state.selected.min(len.saturating_sub(1)));
        self.keep_selection_visible();
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let height = self.areas().table_rows().max(1);
        for state in &mut self.panes {
            if state.selected < state.offset {
                state.offset = state.selected;
            } else if state.selected >= state.offset + height {
                state.offset = state.selected + 1 - height;
            }
        }
    }
}

/// A cell's sort key: whole numbers (counts, `7d` retention) by value and
/// before text, text by itself. A total order, so sorting is consistent.
fn sort_key(cell: &str) -> (u8, u64, &str) {
    let digits = cell.strip_suffix('d').unwrap_or(cell);
    match digits.parse::<u64>() {
        Ok(n) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => (0, n, ""),
        _ => (1, 0, cell),
    }
}

fn compare_cells(a: &str, b: &str) -> std::cmp::Ordering {
    sort_key(a).cmp(&sort_key(b))
}
