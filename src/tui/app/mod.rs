//! Application state and the one function that changes it.
//!
//! `App::update` takes a message (a key, a click, a loaded fleet, plan
//! progress) and returns effects for the runtime to carry out. It does no
//! I/O and never reads the clock (keys and frames come stamped with their
//! time), so every behaviour here is unit-testable.

use crate::tui::columns::RowRisk;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Instant, SystemTime};

use super::action::Action;
use super::columns::specs;
use super::filter::{self, Filter, RuleSet};
use super::keymap::{self, Context};
use super::layout::{self, Areas};
use super::rows::{Pane, Row, RowKey};
use super::search::SearchText;
use crate::config::RuleConfig;
use crate::model::{Cidr, Fleet, GroupKey, OtherUsers, ResourceList, ResourceRef, ResourceType};
use crate::remediation::executor::{Progress, StepDone};
use crate::remediation::{Plan, PlanChoice, PlanOptions};
use crate::rules::{self, Finding, Severity, plan_for, plan_for_all};
use crate::source::{LoadEvent, SourceContext, SourceHandle, SourceInfo};

/// Inputs to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key, stamped with when the runtime read it: a confirmation only
    /// takes keys that arrived a moment after it was drawn.
    Key {
        key: KeyEvent,
        at: Instant,
    },
    /// Text pasted into the terminal (bracketed paste): text for the
    /// prompt that has focus, never keys.
    Paste(String),
    /// A frame went to the terminal at `at`: a dialog waiting to be seen
    /// counts its guard from here.
    Drawn {
        at: Instant,
    },
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// Slow clock: counts the seconds of a load and keeps spinners moving.
    Tick,
    /// Progress of load `generation`: pages as they arrive.
    Loading {
        generation: u64,
        event: LoadEvent,
    },
    /// Load `generation` is over: the whole fleet, or why it failed; `at`
    /// is when it ended (the app never reads the clock).
    Loaded {
        generation: u64,
        result: Result<Fleet, String>,
        at: SystemTime,
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
    /// Who uses the security groups an open plan changes, as the source
    /// read them (or why it could not).
    GroupUsers(Vec<(GroupKey, OtherUsers)>),
    /// The runtime is stopping and waits for the calls in flight.
    Stopping,
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
    /// Read who uses these security groups (network interfaces), for the
    /// plan under review; answered by `Msg::GroupUsers`. Changes nothing.
    ReadGroupUsers {
        groups: Vec<GroupKey>,
    },
    /// Leave the dashboard: the one quit signal.
    Quit,
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
    /// When the fleet on screen finished loading.
    pub loaded_at: Option<SystemTime>,
    pub loading: bool,
    /// Seconds the current load has taken (counted by ticks), so a slow
    /// account visibly is still loading rather than hung.
    pub loading_secs: u32,
    pub focus: Pane,
    /// Per pane, in `Pane` order: selection, sort and rows.
    pub panes: [PaneView; 5],
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
    /// What the details pane shows for the selected row.
    pub details: Details,
    /// Bumped by every evaluation, so the details know when to rebuild.
    data_version: u64,
    /// A quit was asked for while plans run; the next quit key confirms.
    quit_armed: bool,
    next_plan_id: usize,
    /// What the findings say about each resource.
    risk: HashMap<ResourceRef, Risk>,
    summary: rules::Summary,
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
mod details;
mod details_events;
mod dialog;
mod events;
mod fields;
mod input;
mod loading;
mod pane;
mod plan_text;
mod remediate;
mod table;
mod text_entry;

pub use context::describe as describe_context;
pub use details::Details;
pub use dialog::{CONFIRM_GUARD, Dialog, PickerDialog, PickerKind, PlanDialog, PlanStage};
pub use events::TrailCoverage;
pub use loading::{PartProgress, PartState};
pub use pane::PaneView;
use pane::{Order, Risk};
pub use text_entry::MAX_PASTE;

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
            details: Details::default(),
            data_version: 0,
            quit_armed: false,
            next_plan_id: 1,
            risk: HashMap::new(),
            summary: rules::Summary::default(),
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
        let effects = self.dispatch(msg);
        self.sync_details();
        effects
    }

    fn dispatch(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key { key, at } => {
                let effects = self.on_key(key, at);
                self.clamp_dialog_scroll();
                return effects;
            }
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Drawn { at } => self.on_drawn(at),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.keep_selection_visible();
                self.layout_plan(false);
                self.clamp_dialog_scroll();
            }
            Msg::Tick => {
                if self.loading {
                    self.loading_secs += 1;
                }
            }
            Msg::Loading { generation, event } if generation == self.generation => {
                self.on_load_event(event)
            }
            Msg::Loaded {
                generation,
                result,
                at,
            } if generation == self.generation => self.on_loaded(result, at),
            Msg::Regions(regions) => self.on_regions(regions),
            Msg::Profiles(profiles) => self.on_profiles(profiles),
            Msg::Switched { generation, result } if generation == self.generation => {
                return self.on_switched(result);
            }
            Msg::Plan { id, progress } => self.on_progress(id, progress),
            Msg::GroupUsers(users) => self.on_group_users(users),
            Msg::Stopping => {
                self.flash = Some(
                    "stopping: letting the call in flight return and reach the audit log…".into(),
                );
            }
            // Answers to loads and switches no longer listened to.
            Msg::Loading { .. } | Msg::Loaded { .. } | Msg::Switched { .. } => {}
        }
        Vec::new()
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
        self.data_version += 1;
        self.marked.retain(|key| match key {
            RowKey::Resource {
                resource,
                rule: Some(rule),
            } => self
                .risk
                .get(resource)
                .is_some_and(|risk| risk.rules.intersects(RuleSet::of(*rule))),
            RowKey::Resource {
                resource,
                rule: None,
            } => self.fleet.status_of(resource).is_some(),
            // Events are never marked: they have nothing to fix.
            RowKey::Event { .. } => false,
        });
        self.rebuild_rows();
        self.sync_details();
    }

    pub fn risk_of(&self, resource: &ResourceRef) -> RowRisk {
        self.risk.get(resource).copied().unwrap_or_default().row()
    }

    pub fn summary(&self) -> &rules::Summary {
        &self.summary
    }

    fn screen(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Whether a quit key found plans running and waits for a second one.
    pub fn quit_armed(&self) -> bool {
        self.quit_armed
    }

    /// Whether the screen is too small to draw the dashboard: it then says
    /// what size it needs, and no key but quit acts.
    pub fn too_small(&self) -> bool {
        layout::too_small(self.screen())
    }

    /// Lay the open plan out for the screen width (`force`: the plan or an
    /// option changed).
    fn layout_plan(&mut self, force: bool) {
        let width = layout::plan_width(self.screen());
        if let Some(Dialog::Plan(plan)) = self.dialog.as_mut() {
            plan.layout_body(width, force);
        }
    }

    /// Scrolling stops at the end of a dialog, so `k` after `G` moves at once.
    fn clamp_dialog_scroll(&mut self) {
        let area = self.screen();
        let Some(max) = self.dialog.as_ref().map(|dialog| match dialog {
            Dialog::Plan(plan) => {
                layout::plan_geometry(area, &plan.body, plan.prompt().len() as u16).max_scroll
            }
            Dialog::Help { .. } => layout::help_max_scroll(super::help::lines(), area),
            Dialog::Describe { text, .. } => layout::describe_max_scroll(text, area),
            Dialog::Picker(_) => 0,
        }) else {
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
            (Some(Dialog::Plan(d)), Action::NarrowTo) => d.plan.offers(PlanChoice::NarrowTo),
            (None, Action::Remediate) => self.source.read_only.is_none(),
            _ => true,
        }
    }

    /// Which keymap context keys go to now.
    pub fn key_context(&self) -> Context {
        if self.filter_input.is_some() {
            return Context::Filter;
        }
        match &self.dialog {
            Some(Dialog::Plan(plan)) => match plan.stage {
                PlanStage::Review => Context::Plan,
                PlanStage::TypeToConfirm { .. } => Context::Confirm,
                PlanStage::TypeCidr { .. } => Context::Cidr,
            },
            Some(Dialog::Picker(_)) => Context::Picker,
            Some(Dialog::Help { .. } | Dialog::Describe { .. }) => Context::Viewer,
            None => Context::Main,
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
        layout::areas(self.screen(), activity_lines, self.row_count(self.focus))
    }

    pub fn activity_lines(&self) -> u16 {
        self.activities
            .iter()
            .map(|a| 1 + a.steps.len() as u16)
            .sum::<u16>()
            .min(8)
    }

    /// Regions where a list behind `pane` could not be loaded: its rows
    /// there are unknown, not absent.
    pub fn unknown_regions(&self, pane: Pane) -> Vec<&str> {
        let mut regions: Vec<&str> = self
            .fleet
            .load_errors
            .iter()
            .filter(|e| match pane {
                Pane::Clusters => e.what == ResourceList::DbClusters,
                Pane::Instances => e.what == ResourceList::DbInstances,
                Pane::Snapshots => e.what.is_snapshots(),
                // Any missing list hides findings.
                Pane::Findings => true,
                Pane::Events => e.what == ResourceList::Events,
            })
            .map(|e| e.region.as_str())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }

    /// What narrows the view, after the tabs: the drill-down, the filter
    /// in force, the marks.
    pub fn tab_context(&self) -> Option<String> {
        let mut context = Vec::new();
        match &self.scope {
            Scope::All => {}
            Scope::Cluster(c) => context.push(format!("› cluster {}", c.id)),
            Scope::Instance(i) => context.push(format!("› instance {}", i.id)),
        }
        if !self.filter.is_empty() && self.filter_input.is_none() {
            context.push(format!("filter: {}", self.filter.text()));
        }
        if !self.marked.is_empty() {
            context.push(format!("{} marked", self.marked.len()));
        }
        if context.is_empty() {
            return None;
        }
        context.push("(Esc back)".into());
        Some(context.join("  "))
    }

    /// The pane tabs' labels, in order, as drawn in `width` columns and as
    /// clicks find them: short titles when the whole ones and the context
    /// after them do not fit.
    pub fn tab_labels(&self, width: u16) -> Vec<(Pane, String)> {
        let labels = |short: bool| -> Vec<(Pane, String)> {
            Pane::ALL
                .iter()
                .map(|pane| {
                    // ⚠: part of what belongs here could not be loaded.
                    let unknown = if self.unknown_regions(*pane).is_empty() {
                        ""
                    } else {
                        "⚠"
                    };
                    let title = if short {
                        pane.short_title()
                    } else {
                        pane.title()
                    };
                    let label = format!(
                        " {} {title} ({}{unknown}) ",
                        pane.index() + 1,
                        self.row_count(*pane)
                    );
                    (*pane, label)
                })
                .collect()
        };
        let whole = labels(false);
        let tabs: usize = whole
            .iter()
            .map(|(_, label)| crate::text::width(label) + 1)
            .sum();
        let context = self.tab_context().map_or(0, |c| crate::text::width(&c));
        if tabs + context <= width as usize {
            whole
        } else {
            labels(true)
        }
    }
}
