//! Which rows each pane shows: scope, filter, sort, selection.

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

    /// Visible rows of a pane, in display order.
    pub fn rows(&self, pane: Pane) -> Vec<Row<'_>> {
        self.rows[pane.index()]
            .iter()
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
    pub fn cells(&self, row: &Row<'_>) -> (Option<Severity>, Vec<String>) {
        let (worst, count) = match row {
            Row::Finding(f) => (Some(f.severity), 1),
            other => self.risk_of(&other.resource()),
        };
        (worst, row.cells(worst, count))
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

    /// Does row `index` of `pane` pass the filter?
    pub(super) fn passes_filter(&self, pane: Pane, index: usize, row: &Row<'_>) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let resource = row.resource();
        let worst = match row {
            Row::Finding(f) => Some(f.severity),
            _ => self.risk_of(&resource).0,
        };
        let finding_rule;
        let rules: &[String] = match row {
            Row::Finding(f) => {
                finding_rule = [f.rule.to_string()];
                &finding_rule
            }
            _ => self
                .risk
                .get(&resource)
                .map(|r| r.rules.as_slice())
                .unwrap_or(&[]),
        };
        let mut kinds = vec![resource.kind.as_str()];
        if let Row::Snapshot(s) = row {
            kinds.push(s.kind.label());
        }
        self.filter.matches(&filter::Subject {
            worst,
            region: row.region(),
            rules,
            kinds: &kinds,
            text: self
                .search_text
                .as_ref()
                .and_then(|text| text[pane.index()].get(index))
                .map(String::as_str)
                .unwrap_or(""),
        })
    }

    fn build_search_text(&self) -> [Vec<String>; 4] {
        Pane::ALL.map(|pane| {
            (0..self.pane_len_unfiltered(pane))
                .filter_map(|i| self.row_at(pane, i))
                .map(|row| self.cells(&row).1.join("\u{1f}").to_lowercase())
                .collect()
        })
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
                .flat_map(|pane| {
                    (0..self.pane_len_unfiltered(*pane)).filter_map(|i| self.row_at(*pane, i))
                })
                .filter(|r| self.in_scope(r))
                .map(|r| r.resource())
                .collect()
        });
        for pane in Pane::ALL {
            let selected_key = self.selected_key(pane);
            let sort = self.panes[pane.index()].sort;
            let mut visible: Vec<(usize, Option<Severity>, String)> = (0..self
                .pane_len_unfiltered(pane))
                .filter_map(|i| self.row_at(pane, i).map(|r| (i, r)))
                .filter(|(_, r)| match (&scoped, r) {
                    (Some(set), Row::Finding(f)) => set.contains(&f.resource_ref()),
                    _ => self.in_scope(r),
                })
                .filter(|(i, r)| self.passes_filter(pane, *i, r))
                .map(|(i, r)| {
                    let worst = match r {
                        Row::Finding(f) => Some(f.severity),
                        other => self.risk_of(&other.resource()).0,
                    };
                    // The sort key: the sorted column's text, else the name.
                    let key = match sort {
                        Some((column, _)) if column > 0 => self.cells(&r).1.swap_remove(column),
                        _ => r.resource().id,
                    };
                    (i, worst, key)
                })
                .collect();
            match sort {
                None if pane != Pane::Findings => {
                    visible.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)))
                }
                None => {}
                Some((0, desc)) => {
                    visible.sort_by_key(|a| a.1);
                    if desc {
                        visible.reverse();
                    }
                }
                Some((_, desc)) => {
                    visible.sort_by(|a, b| compare_cells(&a.2, &b.2));
                    if desc {
                        visible.reverse();
                    }
                }
            }
            self.rows[pane.index()] = visible.into_iter().map(|(i, _, _)| i).collect();
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
                .position(|i| self.row_at(pane, *i).is_some_and(|r| r.key() == key))
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
