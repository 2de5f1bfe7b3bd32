//! Application state and the one function that changes it.
//!
//! `App::update` takes a message (a key, a click, a loaded fleet, plan
//! progress) and returns effects for the runtime to carry out. It does no
//! I/O, so every behaviour here is unit-testable.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::collections::{BTreeSet, HashMap, HashSet};

use super::action::Action;
use super::dialogs::{self, Dialog, PlanDialog, PlanStage};
use super::filter::{self, Filter, RuleSet};
use super::keymap::{self, Context};
use super::layout::{self, Areas};
use super::rows::{Pane, Row, RowKey, columns};
use super::search::SearchText;
use crate::config::RuleConfig;
use crate::model::{Fleet, ResourceRef, ResourceType};
use crate::remediation::executor::{Progress, StepDone};
use crate::remediation::{Plan, PlanOptions};
use crate::rules::{self, Finding, Severity, plan_for, plan_for_all};
use crate::source::{LoadEvent, SourceContext, SourceHandle, SourceInfo};

/// Inputs to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Slow clock: lets the header age "last refresh" and spinners move.
    Tick,
    /// Progress of load `generation`: pages as they arrive.
    Loading {
        generation: u64,
        event: LoadEvent,
    },
    /// Load `generation` is over: the whole fleet, or why it failed.
    Loaded {
        generation: u64,
        result: Result<Fleet, String>,
    },
    /// Regions the source could switch to, for the region picker.
    Regions(Option<Vec<String>>),
    /// Profiles in the AWS config and credentials files.
    Profiles(Vec<String>),
    /// The switch `generation` asked for has connected, or failed.
    Switched {
        generation: u64,
        result: Result<SourceHandle, String>,
    },
    Plan {
        id: usize,
        progress: Progress,
    },
}

/// Work for the runtime; results come back as `Msg`s.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Load the fleet; progress comes back tagged with `generation`.
    Load {
        generation: u64,
    },
    /// Ask the source which regions it could switch to.
    ListRegions,
    /// Read the profile names from the AWS config files.
    ListProfiles,
    /// Connect to another profile or set of regions, then load.
    Switch {
        generation: u64,
        context: SourceContext,
    },
    RunPlan {
        id: usize,
        plan: Plan,
    },
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
    Done(StepDone),
    Failed(String),
}

/// The findings of one resource (or one finding), summarised for rows
/// and filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Risk {
    worst: Option<Severity>,
    /// Rules of its findings, for `rule:` filters; one finding per rule.
    rules: RuleSet,
}

impl Risk {
    fn add(&mut self, finding: &Finding) {
        self.worst = self.worst.max(Some(finding.severity));
        self.rules.insert(finding.rule);
    }
}

/// A pane's rows, all of them, in the order of one sort.
#[derive(Debug, Clone)]
struct Order {
    sort: Option<(usize, bool)>,
    rows: Vec<usize>,
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
    /// The KMS key encrypting plans use (`--kms-key`).
    pub kms_key_id: String,
    pub loaded_at: Option<String>,
    pub loading: bool,
    /// Seconds the current load has taken (counted by ticks), so a slow
    /// account visibly is still loading rather than hung.
    pub loading_secs: u32,
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
    /// A quit was asked for while plans run; the next quit key confirms.
    quit_armed: bool,
    next_plan_id: usize,
    /// What the findings say about each resource.
    risk: HashMap<ResourceRef, Risk>,
    summary: rules::Summary,
    /// Per pane, per underlying index: the risk of the row, so filtering
    /// and ordering never look resources up by name.
    row_risk: [Vec<Risk>; 4],
    /// Per pane: every row in the order of the sort it was built for.
    /// Filtering and drilling down only pick from it, so a keystroke never
    /// sorts; built when a pane first shows a sort after an evaluation.
    order: [Option<Order>; 4],
    /// Per pane: the rows' cells, lower-cased, for free-text filter words.
    /// Built on the first filtered rebuild after an evaluation, so
    /// keystrokes do not rebuild it and unfiltered evaluations (every plan
    /// refresh) do not pay for it.
    search_text: Option<[SearchText; 4]>,
    /// Visible rows per pane: indices into the fleet's vectors or findings.
    rows: [Vec<usize>; 4],
    /// The load this app listens to; events of older loads are dropped, so
    /// rows from a previous profile or region never mix in.
    generation: u64,
    /// The lists the current (or last) load read and how each went.
    pub load_parts: Vec<PartProgress>,
    /// Whether pages go on screen as they arrive (first load, new context)
    /// or wait for the whole answer (a refresh keeps the old rows).
    streaming_to_screen: bool,
    /// Pages arrived since the rules last ran.
    needs_eval: bool,
    /// The profile and regions shown; the pickers change them.
    pub context: SourceContext,
    /// What to go back to when a switch fails.
    previous: Option<(SourceContext, SourceInfo)>,
}

mod context;
mod input;
mod loading;

pub use context::describe as describe_context;
pub use loading::{PartProgress, PartState};
mod remediate;
mod table;

impl App {
    pub fn new(source: SourceInfo, rules: RuleConfig) -> Self {
        Self {
            fleet: Fleet::default(),
            findings: Vec::new(),
            rules,
            source,
            kms_key_id: crate::remediation::DEFAULT_KMS_KEY.to_string(),
            loaded_at: None,
            loading: false,
            loading_secs: 0,
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
            quit_armed: false,
            next_plan_id: 1,
            risk: HashMap::new(),
            summary: rules::Summary::default(),
            row_risk: Default::default(),
            order: Default::default(),
            search_text: None,
            rows: Default::default(),
            generation: 0,
            load_parts: Vec::new(),
            streaming_to_screen: true,
            needs_eval: false,
            context: SourceContext::default(),
            previous: None,
        }
    }

    /// The first effects: load the fleet.
    pub fn start(&mut self) -> Vec<Effect> {
        self.begin_load(true)
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => {
                let effects = self.on_key(key);
                self.clamp_dialog_scroll();
                effects
            }
            Msg::Mouse(mouse) => {
                self.on_mouse(mouse);
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.keep_selection_visible();
                self.clamp_dialog_scroll();
                Vec::new()
            }
            Msg::Tick => {
                if self.loading {
                    self.loading_secs += 1;
                }
                Vec::new()
            }
            Msg::Loading { generation, event } => {
                if generation == self.generation {
                    self.on_load_event(event);
                }
                Vec::new()
            }
            Msg::Loaded { generation, result } => {
                if generation == self.generation {
                    self.on_loaded(result);
                }
                Vec::new()
            }
            Msg::Regions(regions) => {
                self.on_regions(regions);
                Vec::new()
            }
            Msg::Profiles(profiles) => {
                self.on_profiles(profiles);
                Vec::new()
            }
            Msg::Switched { generation, result } => {
                if generation == self.generation {
                    self.on_switched(result)
                } else {
                    Vec::new()
                }
            }
            Msg::Plan { id, progress } => {
                self.on_progress(id, progress);
                Vec::new()
            }
        }
    }

    /// Re-run the rules and rebuild every pane's rows.
    pub fn reevaluate(&mut self) {
        self.findings = rules::evaluate(&self.fleet, &self.rules);
        self.summary = rules::Summary::new(&self.fleet, &self.findings);
        self.risk.clear();
        for f in &self.findings {
            self.risk.entry(f.resource_ref()).or_default().add(f);
        }
        self.index_risk();
        self.order = Default::default();
        self.search_text = None;
        self.marked.retain(|key| match key.rule {
            Some(rule) => self
                .risk
                .get(&key.resource)
                .is_some_and(|risk| risk.rules.intersects(RuleSet::of(rule))),
            None => self.fleet.status_of(&key.resource).is_some(),
        });
        self.rebuild_rows();
    }

    pub fn risk_of(&self, resource: &ResourceRef) -> (Option<Severity>, usize) {
        let risk = self.risk.get(resource).copied().unwrap_or_default();
        (risk.worst, risk.rules.len())
    }

    pub fn summary(&self) -> &rules::Summary {
        &self.summary
    }

    /// Scrolling stops at the end of a dialog, so `k` after `G` moves at once.
    fn clamp_dialog_scroll(&mut self) {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let Some(max) = self.dialog.as_ref().map(|d| dialogs::max_scroll(d, area)) else {
            return;
        };
        match self.dialog.as_mut() {
            Some(Dialog::Plan(plan)) => plan.scroll = plan.scroll.min(max),
            Some(Dialog::Help { scroll } | Dialog::Describe { scroll, .. }) => {
                *scroll = (*scroll).min(max)
            }
            Some(Dialog::Picker(_)) | None => {}
        }
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
}

fn clock_now() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    // `2026-11-29T14:52:10Z` → `14:52:10Z`
    now.split_once('T')
        .map(|(_, t)| t.to_string())
        .unwrap_or(now)
}
