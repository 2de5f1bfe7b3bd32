//! Everything one pane keeps: where the user is in it (selection, scroll,
//! sort) and what it shows (its rows' risk, their sorted order, the text
//! index for filter words, the visible rows).

use crate::rules::{Finding, Severity};
use crate::tui::columns::RowRisk;
use crate::tui::filter::RuleSet;
use crate::tui::search::SearchText;

/// The findings of one resource (or one finding), summarised for rows
/// and filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Risk {
    pub worst: Option<Severity>,
    /// Rules of its findings, for `rule:` filters; one finding per rule.
    pub rules: RuleSet,
}

impl Risk {
    pub fn add(&mut self, finding: &Finding) {
        self.worst = self.worst.max(Some(finding.severity));
        self.rules.insert(finding.rule);
    }

    /// What a row's cells show of it.
    pub fn row(self) -> RowRisk {
        RowRisk {
            worst: self.worst,
            findings: self.rules.len(),
        }
    }
}

/// A pane's rows, all of them, in the order of one sort.
#[derive(Debug, Clone)]
pub(super) struct Order {
    pub sort: Option<(usize, bool)>,
    pub rows: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct PaneView {
    pub selected: usize,
    pub offset: usize,
    /// Column index and direction; `None` is the default risk-first order.
    pub sort: Option<(usize, bool)>,
    /// Per underlying index: the risk of the row, so filtering and
    /// ordering never look resources up by name.
    pub(super) risk: Vec<Risk>,
    /// Every row in the order of the sort it was built for. Filtering and
    /// drilling down only pick from it, so a keystroke never sorts; built
    /// when the pane first shows a sort after an evaluation.
    pub(super) order: Option<Order>,
    /// The rows' cells, lower-cased, for free-text filter words. Built on
    /// the first filtered rebuild after an evaluation, so keystrokes do
    /// not rebuild it and unfiltered evaluations (every plan refresh) do
    /// not pay for it.
    pub(super) search: Option<SearchText>,
    /// Visible rows: indices into the fleet's vectors or the findings.
    pub(super) rows: Vec<usize>,
}

impl PaneView {
    /// The risk of underlying row `index`.
    pub(super) fn risk_at(&self, index: usize) -> Risk {
        self.risk.get(index).copied().unwrap_or_default()
    }

    /// The underlying index of the selected row.
    pub(super) fn selected_index(&self) -> Option<usize> {
        self.rows.get(self.selected).copied()
    }

    /// Forget what the last evaluation built: orders and text index.
    pub(super) fn invalidate(&mut self) {
        self.order = None;
        self.search = None;
    }

    /// Back to the first row.
    pub(super) fn rewind(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }
}
