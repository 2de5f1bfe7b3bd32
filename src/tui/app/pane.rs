//! Everything one pane keeps: where the user is in it (selection, scroll,
//! sort) and what it shows (its rows' risk, their sorted order, the text
//! index for filter words, the visible rows).

use super::Scope;
use crate::rules::{Finding, Severity};
use crate::tui::columns::RowRisk;
use crate::tui::filter::{Filter, RuleSet};
use crate::tui::search::SearchText;

/// The findings of one resource (or one finding), summarised for rows
/// and filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Risk {
    /// The worst severity of its failed verdicts.
    pub worst: Option<Severity>,
    /// Some rule could not judge it (an input was not loaded).
    pub unknown: bool,
    /// Rules of its findings, for `rule:` filters; one finding per rule.
    pub rules: RuleSet,
}

impl Risk {
    pub fn add(&mut self, finding: &Finding) {
        match finding.judged_severity() {
            Some(severity) => self.worst = self.worst.max(Some(severity)),
            None => self.unknown = true,
        }
        self.rules.insert(finding.rule);
    }

    /// What a row's cells show of it.
    pub fn row(self) -> RowRisk {
        RowRisk {
            worst: self.worst,
            unknown: self.unknown,
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

/// What a pane's visible rows were picked by: when the next filter only
/// narrows this one (and scope and sort are the same), the next rows are
/// picked from these instead of from every row.
#[derive(Debug, Clone)]
pub(super) struct Shown {
    pub filter: Filter,
    pub scope: Scope,
    pub sort: Option<(usize, bool)>,
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
    /// What `rows` were picked by; `None` after an evaluation.
    pub(super) shown: Option<Shown>,
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

    /// Forget what the last evaluation built: orders, text index, and
    /// what the visible rows were picked by.
    pub(super) fn invalidate(&mut self) {
        self.order = None;
        self.search = None;
        self.shown = None;
    }

    /// The visible rows, when the filter `next` can only narrow them.
    pub(super) fn narrowable(&self, next: &Filter, scope: &Scope) -> Option<&[usize]> {
        let shown = self.shown.as_ref()?;
        (shown.sort == self.sort && shown.scope == *scope && next.narrows(&shown.filter))
            .then_some(self.rows.as_slice())
    }

    /// Back to the first row.
    pub(super) fn rewind(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }
}
