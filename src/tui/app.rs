//! Application state and the one function that changes it.
//!
//! `App::update` takes a message (a key, a click, a loaded fleet, plan
//! progress) and returns effects for the runtime to carry out. It does no
//! I/O, so every behaviour here is unit-testable.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::collections::{BTreeSet, HashMap, HashSet};

use super::action::Action;
use super::dialogs::{Dialog, PlanDialog, PlanStage};
use super::filter::{self, Filter};
use super::keymap::{self, Context};
use super::layout::{self, Areas};
use super::rows::{Pane, Row, RowKey, columns};
use crate::config::RuleConfig;
use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::remediation::executor::Progress;
use crate::remediation::{Plan, PlanOptions, plan_for, plan_for_all};
use crate::rules::{self, Finding, Severity};
use crate::source::SourceInfo;

/// Inputs to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Slow clock: lets the header age "last refresh" and spinners move.
    Tick,
    Loaded(Result<Fleet, String>),
    Plan {
        id: usize,
        progress: Progress,
    },
}

/// Work for the runtime; results come back as `Msg`s.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Load,
    RunPlan { id: usize, plan: Plan },
    Quit,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneState {
    pub selected: usize,
    pub offset: usize,
    /// Column index and direction; `None` is the default risk-first order.
    pub sort: Option<(usize, bool)>,
}

/// Where a drill-down has narrowed the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// A cluster: its members and its snapshots.
    Cluster(ResourceRef),
    /// An instance: its snapshots.
    Instance(ResourceRef),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepState {
    Pending,
    Running,
    Waiting(String),
    Done(String),
    Failed(String),
}

/// The findings of one resource, summarised for rows and filters.
#[derive(Debug, Clone)]
struct Risk {
    worst: Severity,
    /// Rule ids of its findings, for `rule:` filters.
    rules: Vec<String>,
}

/// A running or finished plan, for the activity pane.
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: usize,
    pub plan: Plan,
    pub steps: Vec<StepState>,
    pub finished: Option<bool>,
}

pub struct App {
    pub fleet: Fleet,
    pub findings: Vec<Finding>,
    pub rules: RuleConfig,
    pub source: SourceInfo,
    pub loaded_at: Option<String>,
    pub loading: bool,
    pub focus: Pane,
    pub panes: [PaneState; 4],
    pub filter: Filter,
    /// The filter being typed, while `/` is active.
    pub filter_input: Option<String>,
    /// The filter in force before `/`, restored when typing is abandoned.
    filter_before: Filter,
    pub scope: Scope,
    pub marked: BTreeSet<RowKey>,
    pub dialog: Option<Dialog>,
    pub activities: Vec<Activity>,
    /// One line of feedback in the footer.
    pub flash: Option<String>,
    pub size: (u16, u16),
    /// Scroll of the details pane, for the row it was scrolled on.
    pub details_scroll: (Option<RowKey>, u16),
    pub should_quit: bool,
    next_plan_id: usize,
    /// What the findings say about each resource.
    risk: HashMap<ResourceRef, Risk>,
    summary: rules::Summary,
    /// Visible rows per pane: indices into the fleet's vectors or findings.
    rows: [Vec<usize>; 4],
}

impl App {
    pub fn new(source: SourceInfo, rules: RuleConfig) -> Self {
        Self {
            fleet: Fleet::default(),
            findings: Vec::new(),
            rules,
            source,
            loaded_at: None,
            loading: false,
            focus: Pane::Findings,
            panes: Default::default(),
            filter: Filter::default(),
            filter_input: None,
            filter_before: Filter::default(),
            scope: Scope::All,
            marked: BTreeSet::new(),
            dialog: None,
            activities: Vec::new(),
            flash: None,
            size: (120, 36),
            details_scroll: (None, 0),
            should_quit: false,
            next_plan_id: 1,
            risk: HashMap::new(),
            summary: rules::Summary::default(),
            rows: Default::default(),
        }
    }

    /// The first effects: load the fleet.
    pub fn start(&mut self) -> Vec<Effect> {
        self.loading = true;
        vec![Effect::Load]
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => {
                self.on_mouse(mouse);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.keep_selection_visible();
                Vec::new()
            }
            Msg::Tick => Vec::new(),
            Msg::Loaded(result) => {
                self.loading = false;
                match result {
                    Ok(fleet) => {
                        self.fleet = fleet;
                        self.loaded_at = Some(clock_now());
                        self.flash = None;
                        self.reevaluate();
                        if !self.fleet.load_errors.is_empty() {
                            self.flash = Some(format!(
                                "{} part(s) of the fleet could not be loaded: see the header",
                                self.fleet.load_errors.len()
                            ));
                        }
                    }
                    Err(e) => self.flash = Some(format!("load failed: {e}")),
                }
                Vec::new()
            }
            Msg::Plan { id, progress } => {
                self.on_progress(id, progress);
                Vec::new()
            }
        }
    }

    // ----- derived state -------------------------------------------------

    /// Re-run the rules and rebuild every pane's rows.
    pub fn reevaluate(&mut self) {
        self.findings = rules::evaluate(&self.fleet, &self.rules);
        self.summary = rules::Summary::new(&self.fleet, &self.findings);
        self.risk.clear();
        for f in &self.findings {
            let entry = self.risk.entry(f.resource_ref()).or_insert(Risk {
                worst: f.severity,
                rules: Vec::new(),
            });
            entry.worst = entry.worst.max(f.severity);
            entry.rules.push(f.rule.to_string());
        }
        self.marked.retain(|key| match key.rule {
            Some(rule) => self
                .findings
                .iter()
                .any(|f| f.rule == rule && f.resource_ref() == key.resource),
            None => self.fleet.status_of(&key.resource).is_some(),
        });
        self.rebuild_rows();
    }

    pub fn risk_of(&self, resource: &ResourceRef) -> (Option<Severity>, usize) {
        match self.risk.get(resource) {
            Some(risk) => (Some(risk.worst), risk.rules.len()),
            None => (None, 0),
        }
    }

    pub fn summary(&self) -> &rules::Summary {
        &self.summary
    }

    fn row_at(&self, pane: Pane, index: usize) -> Option<Row<'_>> {
        match pane {
            Pane::Clusters => self.fleet.clusters.get(index).map(Row::Cluster),
            Pane::Instances => self.fleet.instances.get(index).map(Row::Instance),
            Pane::Snapshots => self.fleet.snapshots.get(index).map(Row::Snapshot),
            Pane::Findings => self.findings.get(index).map(Row::Finding),
        }
    }

    fn pane_len_unfiltered(&self, pane: Pane) -> usize {
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
    fn in_scope(&self, row: &Row<'_>) -> bool {
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

    fn passes_filter(&self, row: &Row<'_>) -> bool {
        if self.filter.is_empty() {
            return true;
        }
        let (worst, cells) = self.cells(row);
        let resource = row.resource();
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
            cells: &cells,
        })
    }

    /// Recompute which rows each pane shows, in what order. Cells are built
    /// only when a filter or a column sort needs them, so the default view
    /// of a large fleet stays cheap.
    fn rebuild_rows(&mut self) {
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
                .filter(|(_, r)| self.passes_filter(r))
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

    fn selected_key(&self, pane: Pane) -> Option<RowKey> {
        let state = &self.panes[pane.index()];
        self.rows[pane.index()]
            .get(state.selected)
            .and_then(|i| self.row_at(pane, *i))
            .map(|r| r.key())
    }

    /// Keep the same row selected after a rebuild when it is still there.
    fn reselect(&mut self, pane: Pane, key: Option<RowKey>) {
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

    /// Whether an action means anything right now (for footer hints).
    pub fn offers(&self, action: Action) -> bool {
        match (&self.dialog, action) {
            (Some(Dialog::Plan(d)), Action::ToggleApplyImmediately) => d.plan.has_window_choice(),
            (Some(Dialog::Plan(d)), Action::ToggleDeleteOriginal) => d.offers_delete_original(),
            (None, Action::Remediate) => self.source.read_only.is_none(),
            _ => true,
        }
    }

    /// How far the details pane is scrolled for the selected row.
    pub fn details_offset(&self) -> u16 {
        let key = self.selected_row().map(|r| r.key());
        if self.details_scroll.0 == key {
            self.details_scroll.1
        } else {
            0
        }
    }

    pub fn areas(&self) -> Areas {
        let activity_lines = self.activity_lines();
        layout::areas(
            Rect::new(0, 0, self.size.0, self.size.1),
            activity_lines,
            self.row_count(self.focus),
        )
    }

    pub fn activity_lines(&self) -> u16 {
        self.activities
            .iter()
            .map(|a| 1 + a.steps.len() as u16)
            .sum::<u16>()
            .min(8)
    }

    fn keep_selection_visible(&mut self) {
        let height = self.areas().table_rows().max(1);
        for state in &mut self.panes {
            if state.selected < state.offset {
                state.offset = state.selected;
            } else if state.selected >= state.offset + height {
                state.offset = state.selected + 1 - height;
            }
        }
    }

    // ----- input ---------------------------------------------------------

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.should_quit = true;
            return vec![Effect::Quit];
        }
        if self.filter_input.is_some() {
            self.on_filter_key(key);
            return Vec::new();
        }
        match &self.dialog {
            Some(Dialog::Plan(_)) => return self.on_plan_key(key),
            Some(Dialog::Help { .. } | Dialog::Describe { .. }) => {
                if let Some(action) = keymap::lookup(Context::Viewer, &key) {
                    self.on_viewer_action(action);
                }
                return Vec::new();
            }
            None => {}
        }
        match keymap::lookup(Context::Main, &key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    pub fn on_action(&mut self, action: Action) -> Vec<Effect> {
        self.flash = None;
        match action {
            Action::Quit => {
                self.should_quit = true;
                return vec![Effect::Quit];
            }
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::FocusPane(pane) => self.focus = pane,
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::PageUp => self.move_selection(-(self.areas().table_rows().max(1) as isize)),
            Action::PageDown => self.move_selection(self.areas().table_rows().max(1) as isize),
            Action::DrillDown => self.drill_down(),
            Action::Back => self.back(),
            Action::StartFilter => {
                self.filter_before = self.filter.clone();
                self.filter_input = Some(self.filter.text().to_string());
            }
            Action::SortNext => self.sort_next(),
            Action::SortReverse => {
                let state = &mut self.panes[self.focus.index()];
                state.sort = Some(match state.sort {
                    Some((c, desc)) => (c, !desc),
                    None => (0, false),
                });
                self.rebuild_rows();
            }
            Action::ToggleMark => self.toggle_mark(),
            Action::Remediate => self.open_plan(),
            Action::Describe => self.describe(),
            Action::DetailsDown | Action::DetailsUp => {
                let key = self.selected_row().map(|r| r.key());
                let current = self.details_offset();
                let next = if action == Action::DetailsDown {
                    current.saturating_add(3)
                } else {
                    current.saturating_sub(3)
                };
                self.details_scroll = (key, next);
            }
            Action::Refresh => {
                if !self.loading {
                    self.loading = true;
                    self.flash = Some("refreshing…".into());
                    return vec![Effect::Load];
                }
            }
            Action::Help => self.dialog = Some(Dialog::Help { scroll: 0 }),
            Action::Confirm
            | Action::Cancel
            | Action::ToggleApplyImmediately
            | Action::ToggleDeleteOriginal => {}
        }
        Vec::new()
    }

    fn move_selection(&mut self, delta: isize) {
        let len = self.row_count(self.focus);
        let state = &mut self.panes[self.focus.index()];
        if len == 0 {
            state.selected = 0;
            return;
        }
        let target = (state.selected as isize).saturating_add(delta);
        state.selected = target.clamp(0, len as isize - 1) as usize;
        self.keep_selection_visible();
    }

    fn sort_next(&mut self) {
        let count = columns(self.focus).len();
        let state = &mut self.panes[self.focus.index()];
        state.sort = match state.sort {
            None => Some((1, false)),
            Some((c, _)) if c + 1 < count => Some((c + 1, false)),
            Some(_) => None,
        };
        let label = match state.sort {
            Some((c, _)) => format!("sorted by {}", columns(self.focus)[c].header),
            None => "sorted by risk".to_string(),
        };
        self.rebuild_rows();
        self.flash = Some(label);
    }

    fn toggle_mark(&mut self) {
        if let Some(key) = self.selected_row().map(|r| r.key()) {
            if !self.marked.remove(&key) {
                self.marked.insert(key);
            }
            self.move_selection(1);
        }
    }

    fn drill_down(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let resource = row.resource();
        match resource.kind {
            ResourceType::DbCluster if self.focus == Pane::Clusters => {
                self.flash = Some(format!(
                    "cluster {}: its instances, snapshots and findings — Esc to go back",
                    resource.id
                ));
                self.scope = Scope::Cluster(resource);
                self.focus = Pane::Instances;
            }
            ResourceType::DbInstance if self.focus == Pane::Instances => {
                self.flash = Some(format!(
                    "instance {}: its snapshots and findings — Esc to go back",
                    resource.id
                ));
                self.scope = Scope::Instance(resource);
                self.focus = Pane::Snapshots;
            }
            _ if self.focus == Pane::Findings => {
                let pane = match resource.kind {
                    ResourceType::DbCluster => Pane::Clusters,
                    ResourceType::DbInstance => Pane::Instances,
                    _ => Pane::Snapshots,
                };
                self.focus = pane;
                self.rebuild_rows();
                self.select_resource(pane, &resource);
                return;
            }
            _ => {
                self.describe();
                return;
            }
        }
        for state in &mut self.panes {
            state.selected = 0;
            state.offset = 0;
        }
        self.rebuild_rows();
    }

    fn select_resource(&mut self, pane: Pane, target: &ResourceRef) {
        let found = self.rows[pane.index()].iter().position(|i| {
            self.row_at(pane, *i)
                .is_some_and(|r| r.resource() == *target)
        });
        match found {
            Some(position) => {
                self.panes[pane.index()].selected = position;
                self.keep_selection_visible();
            }
            None => {
                self.flash = Some(format!("{target} is hidden by the filter or drill-down"));
            }
        }
    }

    fn back(&mut self) {
        if self.scope != Scope::All {
            self.scope = Scope::All;
            self.rebuild_rows();
        } else if !self.filter.is_empty() {
            self.filter = Filter::default();
            self.rebuild_rows();
        } else if !self.marked.is_empty() {
            self.marked.clear();
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent) {
        let Some(input) = self.filter_input.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Enter => {
                self.filter_input = None;
            }
            KeyCode::Esc => {
                // Abandon the edit: back to the filter in force before `/`.
                self.filter_input = None;
                self.filter = std::mem::take(&mut self.filter_before);
                self.rebuild_rows();
            }
            KeyCode::Backspace => {
                input.pop();
                self.apply_filter_input();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.push(c);
                self.apply_filter_input();
            }
            _ => {}
        }
    }

    /// Filter as the user types, so the panes narrow live.
    fn apply_filter_input(&mut self) {
        if let Some(text) = &self.filter_input {
            self.filter = Filter::parse(text);
            for state in &mut self.panes {
                state.selected = 0;
                state.offset = 0;
            }
            self.rebuild_rows();
        }
    }

    fn on_viewer_action(&mut self, action: Action) {
        let Some(Dialog::Help { scroll } | Dialog::Describe { scroll, .. }) = self.dialog.as_mut()
        else {
            return;
        };
        match action {
            Action::Cancel => self.dialog = None,
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(10),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = u16::MAX / 2,
            _ => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent) {
        if self.dialog.is_some() || self.filter_input.is_some() {
            return;
        }
        let areas = self.areas();
        let at = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollDown if areas.table.contains(at) => self.move_selection(3),
            MouseEventKind::ScrollUp if areas.table.contains(at) => self.move_selection(-3),
            MouseEventKind::Down(MouseButton::Left) => {
                if areas.tabs.contains(at) {
                    if let Some(pane) = super::view::tab_at(self, areas.tabs, mouse.column) {
                        self.focus = pane;
                    }
                } else if areas.table.contains(at) && mouse.row >= areas.first_row_y() {
                    let offset = self.panes[self.focus.index()].offset;
                    let index = offset + (mouse.row - areas.first_row_y()) as usize;
                    if index < self.row_count(self.focus) && index < offset + areas.table_rows() {
                        self.panes[self.focus.index()].selected = index;
                    }
                }
            }
            _ => {}
        }
    }

    // ----- describe and remediate ------------------------------------------

    fn describe(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (title, json) = match row {
            Row::Cluster(c) => (format!("cluster {}", c.id), serde_json::to_string_pretty(c)),
            Row::Instance(i) => (
                format!("instance {}", i.id),
                serde_json::to_string_pretty(i),
            ),
            Row::Snapshot(s) => (
                format!("snapshot {}", s.id),
                serde_json::to_string_pretty(s),
            ),
            Row::Finding(f) => (
                format!("finding {} on {}", f.rule, f.resource_id),
                serde_json::to_string_pretty(f),
            ),
        };
        self.dialog = Some(Dialog::Describe {
            title,
            text: json.unwrap_or_else(|e| format!("cannot show as JSON: {e}")),
            scroll: 0,
        });
    }

    /// The findings `f` acts on: marked ones, else the selected one (or the
    /// selected resource's findings that have a plan).
    fn findings_to_fix(&self) -> Result<Vec<Finding>, String> {
        let marked: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| {
                self.marked.contains(&RowKey {
                    resource: f.resource_ref(),
                    rule: Some(f.rule),
                }) || self.marked.contains(&RowKey {
                    resource: f.resource_ref(),
                    rule: None,
                })
            })
            .cloned()
            .collect();
        let from_resources = marked.is_empty() && self.focus != Pane::Findings;
        let chosen = if !marked.is_empty() {
            marked
        } else {
            match self.selected_row() {
                Some(Row::Finding(f)) => vec![f.clone()],
                Some(row) => {
                    let resource = row.resource();
                    self.findings
                        .iter()
                        .filter(|f| f.resource_ref() == resource)
                        .cloned()
                        .collect()
                }
                None => Vec::new(),
            }
        };
        if chosen.is_empty() {
            return Err(
                "nothing to fix: select a finding (pane 4) or a resource with findings".into(),
            );
        }
        if from_resources || self.marked.iter().any(|k| k.rule.is_none()) {
            // From resources, take what can be fixed and say what cannot.
            let fixable: Vec<Finding> = chosen
                .iter()
                .filter(|f| plan_for(&self.fleet, &self.rules, f, PlanOptions::default()).is_ok())
                .cloned()
                .collect();
            if fixable.is_empty() {
                return Err(
                    "none of these findings has an automatic remediation: see the details pane"
                        .into(),
                );
            }
            return Ok(fixable);
        }
        Ok(chosen)
    }

    fn open_plan(&mut self) {
        if let Some(why) = &self.source.read_only {
            self.flash = Some(format!("remediation is disabled: {why}"));
            return;
        }
        let findings = match self.findings_to_fix() {
            Ok(f) => f,
            Err(e) => {
                self.flash = Some(e);
                return;
            }
        };
        let options = PlanOptions {
            backup_retention_days: self.rules.min_backup_retention_days,
            ..PlanOptions::default()
        };
        match plan_for_all(&self.fleet, &self.rules, &findings, options) {
            Ok(plan) => {
                self.dialog = Some(Dialog::Plan(PlanDialog {
                    findings,
                    options,
                    plan,
                    stage: PlanStage::Review,
                    scroll: 0,
                    error: None,
                }))
            }
            Err(e) => self.flash = Some(format!("no automatic remediation: {e}")),
        }
    }

    fn on_plan_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return Vec::new();
        };
        if let PlanStage::TypeToConfirm { typed } = &mut dialog.stage {
            match key.code {
                KeyCode::Esc => dialog.stage = PlanStage::Review,
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Enter => {
                    let expected = dialog.plan.confirmation_text().unwrap_or_default();
                    if *typed == expected {
                        return self.start_plan();
                    }
                    dialog.error = Some(format!("typed text does not match `{expected}`"));
                }
                KeyCode::Char(c) => {
                    typed.push(c);
                    dialog.error = None;
                }
                _ => {}
            }
            return Vec::new();
        }
        match keymap::lookup(Context::Plan, &key) {
            Some(Action::Cancel) => {
                self.dialog = None;
                self.flash = Some("cancelled: nothing was sent".into());
            }
            Some(Action::Confirm) => {
                if dialog.plan.confirmation_text().is_some() {
                    dialog.stage = PlanStage::TypeToConfirm {
                        typed: String::new(),
                    };
                } else {
                    return self.start_plan();
                }
            }
            Some(Action::ToggleApplyImmediately) if dialog.plan.has_window_choice() => {
                dialog.options.apply_immediately = !dialog.options.apply_immediately;
                self.replan();
            }
            Some(Action::ToggleDeleteOriginal) if dialog.offers_delete_original() => {
                dialog.options.delete_original = !dialog.options.delete_original;
                self.replan();
            }
            Some(Action::Down) => dialog.scroll = dialog.scroll.saturating_add(1),
            Some(Action::Up) => dialog.scroll = dialog.scroll.saturating_sub(1),
            _ => {}
        }
        Vec::new()
    }

    /// Rebuild the plan after an option changed, so it shows what will be sent.
    fn replan(&mut self) {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return;
        };
        match plan_for_all(&self.fleet, &self.rules, &dialog.findings, dialog.options) {
            Ok(plan) => dialog.plan = plan,
            Err(e) => dialog.error = Some(e.to_string()),
        }
    }

    fn start_plan(&mut self) -> Vec<Effect> {
        let Some(Dialog::Plan(dialog)) = self.dialog.take() else {
            return Vec::new();
        };
        let id = self.next_plan_id;
        self.next_plan_id += 1;
        let plan = dialog.plan;
        self.activities.push(Activity {
            id,
            plan: plan.clone(),
            steps: vec![StepState::Pending; plan.steps.len()],
            finished: None,
        });
        // Keep only the latest few finished plans on screen.
        while self.activities.len() > 3 {
            match self.activities.iter().position(|a| a.finished.is_some()) {
                Some(old) => {
                    self.activities.remove(old);
                }
                None => break,
            }
        }
        self.marked.clear();
        self.flash = Some(format!("running: {}", plan.title()));
        self.keep_selection_visible();
        vec![Effect::RunPlan { id, plan }]
    }

    fn on_progress(&mut self, id: usize, progress: Progress) {
        let Some(activity) = self.activities.iter_mut().find(|a| a.id == id) else {
            return;
        };
        let set = |steps: &mut Vec<StepState>, i: usize, state: StepState| {
            if let Some(slot) = steps.get_mut(i) {
                *slot = state;
            }
        };
        match progress {
            Progress::StepStarted { step } => set(&mut activity.steps, step, StepState::Running),
            Progress::StepWaiting { step, status } => {
                set(&mut activity.steps, step, StepState::Waiting(status))
            }
            Progress::StepDone { step, message } => {
                set(&mut activity.steps, step, StepState::Done(message))
            }
            Progress::StepFailed { step, error } => {
                set(&mut activity.steps, step, StepState::Failed(error.clone()));
                self.flash = Some(format!("plan stopped: {error}"));
            }
            Progress::Refreshed { resource, fragment } => {
                self.fleet.merge_resource(&resource, fragment);
                self.reevaluate();
            }
            Progress::Finished { ok } => {
                activity.finished = Some(ok);
                let total = activity.plan.findings.len();
                let still_open = activity
                    .plan
                    .findings
                    .iter()
                    .filter(|f| {
                        self.findings
                            .iter()
                            .any(|g| g.rule == f.rule && g.resource_ref() == f.resource_ref())
                    })
                    .count();
                if ok {
                    let pending = activity.steps.iter().any(
                        |s| matches!(s, StepState::Done(m) if m.contains("maintenance window")),
                    );
                    self.flash = Some(if still_open == 0 {
                        format!("✓ {}: {total} finding(s) resolved", activity.plan.title())
                    } else if pending {
                        format!(
                            "✓ {}: accepted; {still_open} finding(s) stay until the maintenance window",
                            activity.plan.title()
                        )
                    } else {
                        format!(
                            "✓ {}: done; {still_open} of {total} finding(s) still open",
                            activity.plan.title()
                        )
                    });
                }
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

fn clock_now() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    // `2026-11-29T14:52:10Z` → `14:52:10Z`
    now.split_once('T')
        .map(|(_, t)| t.to_string())
        .unwrap_or(now)
}
