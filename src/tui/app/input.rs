//! Keys, clicks and the navigation they cause.

use super::*;

/// How the flash starts when the plan dialog's guard swallows a key.
const IGNORED: &str = "key ignored: ";

impl App {
    /// A key that arrived at `at`.
    pub(super) fn on_key(&mut self, key: KeyEvent, at: Instant) -> Vec<Effect> {
        // A second quit key confirms quitting while plans run; any other
        // key disarms it.
        let armed = std::mem::take(&mut self.quit_armed);
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return self.quit(armed);
        }
        if self.too_small() {
            // Only the size message is on screen: nothing else to act on.
            let plain_q = key.code == KeyCode::Char('q')
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            return if plain_q {
                self.quit(armed)
            } else {
                Vec::new()
            };
        }
        let context = self.key_context();
        let Some(action) = keymap::lookup(context, &key) else {
            return Vec::new();
        };
        // Backing out sends nothing, so it is never held back.
        if matches!(context, Context::Plan | Context::Confirm)
            && action != Action::Cancel
            && !self.plan_takes_key(context, at)
        {
            return Vec::new();
        }
        match context {
            Context::Main if action == Action::Quit => self.quit(armed),
            Context::Main => self.on_action(action),
            Context::Filter => {
                self.on_filter_action(action);
                Vec::new()
            }
            Context::Plan => self.on_plan_action(action),
            Context::Confirm => self.on_confirm_action(action),
            Context::Cidr => {
                self.on_cidr_action(action);
                Vec::new()
            }
            Context::Picker => self.on_picker_action(action),
            Context::Viewer => {
                self.on_viewer_action(action);
                Vec::new()
            }
        }
    }

    /// Whether the plan dialog takes a key that arrived at `at`: only once
    /// the plan (or the prompt to type its id) has been on screen for
    /// `CONFIRM_GUARD`, so keys typed ahead never confirm what the user
    /// has not seen. A key it does not take says so in the flash.
    fn plan_takes_key(&mut self, context: Context, at: Instant) -> bool {
        let Some(Dialog::Plan(dialog)) = &self.dialog else {
            return true;
        };
        if dialog.takes_key_at(at) {
            if self
                .flash
                .as_deref()
                .is_some_and(|f| f.starts_with(IGNORED))
            {
                self.flash = None;
            }
            return true;
        }
        self.flash = Some(if context == Context::Confirm {
            format!("{IGNORED}it came as the prompt appeared — type the id it shows")
        } else {
            format!(
                "{IGNORED}it came as the plan appeared — read the plan, then press {} to confirm",
                keymap::keys_for(Context::Plan, Action::Confirm)
            )
        });
        false
    }

    /// A frame went out at `at`: the plan dialog, if it shows, has been
    /// seen from then on (not while the size message hides it).
    pub(super) fn on_drawn(&mut self, at: Instant) {
        if self.too_small() {
            return;
        }
        if let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() {
            dialog.drawn(at);
        }
    }

    /// Quit, unless plans are running and this is the first request: then
    /// say what quitting does and wait for a second one.
    fn quit(&mut self, armed: bool) -> Vec<Effect> {
        let running = self
            .activities
            .iter()
            .filter(|a| a.finished.is_none())
            .count();
        if running > 0 && !armed {
            self.quit_armed = true;
            self.flash = Some(format!(
                "{running} plan(s) running: quitting lets the call in flight finish, then stops before the next step — q again to quit"
            ));
            return Vec::new();
        }
        vec![Effect::Quit]
    }

    pub fn on_action(&mut self, action: Action) -> Vec<Effect> {
        self.flash = None;
        match action {
            Action::Quit => return self.quit(false),
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
            Action::Remediate => return self.open_plan(),
            Action::Describe => self.describe(),
            Action::DetailsDown | Action::DetailsUp => {
                let key = self.selected_row().map(|r| r.key());
                let current = self.details_offset();
                let limit = layout::details_max_scroll(&self.details.lines, self.areas().details);
                let next = if action == Action::DetailsDown {
                    current.saturating_add(3).min(limit)
                } else {
                    current.saturating_sub(3)
                };
                self.details_scroll = (key, next);
            }
            Action::Refresh => {
                if !self.loading {
                    let nothing_shown = self.loaded_at.is_none();
                    let effects = self.begin_load(nothing_shown);
                    self.flash = Some("refreshing…".into());
                    return effects;
                }
            }
            Action::PickRegion => return self.open_region_picker(),
            Action::PickProfile => return self.open_profile_picker(),
            Action::Help => self.dialog = Some(Dialog::Help { scroll: 0 }),
            Action::Confirm
            | Action::Cancel
            | Action::ToggleApplyImmediately
            | Action::ToggleDeleteOriginal
            | Action::NarrowTo
            | Action::SelectAll
            | Action::Insert(_)
            | Action::DeleteBack => {}
        }
        Vec::new()
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
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

    pub(super) fn sort_next(&mut self) {
        let count = specs(self.focus).len();
        let state = &mut self.panes[self.focus.index()];
        state.sort = match state.sort {
            None => Some((1, false)),
            Some((c, _)) if c + 1 < count => Some((c + 1, false)),
            Some(_) => None,
        };
        let label = match state.sort {
            Some((c, _)) => format!("sorted by {}", specs(self.focus)[c].header),
            None => "sorted by risk".to_string(),
        };
        self.rebuild_rows();
        self.flash = Some(label);
    }

    pub(super) fn toggle_mark(&mut self) {
        if self.focus == Pane::Events {
            self.flash = Some(super::remediate::NOTHING_TO_FIX_IN_EVENTS.into());
            return;
        }
        if let Some(key) = self.selected_row().map(|r| r.key()) {
            if !self.marked.remove(&key) {
                self.marked.insert(key);
            }
            self.move_selection(1);
        }
    }

    pub(super) fn drill_down(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        if let Row::Event(event) = row {
            let named = event.resource.as_ref().map(|r| r.resource_ref());
            self.go_to_named_resource(named);
            return;
        }
        let resource = row.resource();
        match resource.kind {
            ResourceType::DbCluster if self.focus == Pane::Clusters => {
                self.flash = Some(format!(
                    "cluster {}: its instances, snapshots, findings and events — Esc to go back",
                    resource.id
                ));
                self.scope = Scope::Cluster(resource);
                self.focus = Pane::Instances;
            }
            ResourceType::DbInstance if self.focus == Pane::Instances => {
                self.flash = Some(format!(
                    "instance {}: its snapshots, findings and events — Esc to go back",
                    resource.id
                ));
                self.scope = Scope::Instance(resource);
                self.focus = Pane::Snapshots;
            }
            ResourceType::Principal if self.focus == Pane::Findings => {
                self.go_to_callers_events(&resource.id);
                return;
            }
            _ if self.focus == Pane::Findings => {
                // An activity finding may be about a snapshot deleted
                // since: no row to go to. (A caller's goes to its calls.)
                if self.fleet.status_of(&resource).is_none() {
                    self.flash = Some(format!("{resource} is no longer in the fleet"));
                    return;
                }
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
        self.panes.iter_mut().for_each(PaneView::rewind);
        self.rebuild_rows();
    }

    pub(super) fn select_resource(&mut self, pane: Pane, target: &ResourceRef) {
        let found = self.panes[pane.index()].rows.iter().position(|i| {
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

    pub(super) fn back(&mut self) {
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

    pub(super) fn on_viewer_action(&mut self, action: Action) {
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

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) {
        if self.dialog.is_some() || self.filter_input.is_some() || self.too_small() {
            return;
        }
        let areas = self.areas();
        let at = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::ScrollDown if areas.table.contains(at) => self.move_selection(3),
            MouseEventKind::ScrollUp if areas.table.contains(at) => self.move_selection(-3),
            MouseEventKind::Down(MouseButton::Left) => self.on_click(&areas, at),
            _ => {}
        }
    }

    /// A left click: a tab focuses its pane, a column header sorts, a row
    /// is selected.
    fn on_click(&mut self, areas: &Areas, at: Position) {
        if areas.tabs.contains(at) {
            if let Some(pane) = layout::tab_at(&self.tab_labels(areas.tabs.width), areas.tabs, at.x)
            {
                self.focus = pane;
            }
        } else if areas.table.contains(at) && at.y + 1 == areas.first_row_y() {
            // The header row: sort by the clicked column.
            if let Some(column) = layout::column_at(self.focus, areas.table, at.x) {
                self.sort_by_column(column);
            }
        } else if areas.table.contains(at) && at.y >= areas.first_row_y() {
            let view = &mut self.panes[self.focus.index()];
            let index = view.offset + (at.y - areas.first_row_y()) as usize;
            if index < view.rows.len() && index < view.offset + areas.table_rows() {
                view.selected = index;
            }
        }
    }

    /// Sort by `column`; again on the same column reverses the order.
    fn sort_by_column(&mut self, column: usize) {
        let state = &mut self.panes[self.focus.index()];
        state.sort = Some(match state.sort {
            Some((current, desc)) if current == column => (column, !desc),
            _ => (column, false),
        });
        let header = specs(self.focus)[column].header;
        self.rebuild_rows();
        self.flash = Some(format!("sorted by {header} (click again to reverse)"));
    }

    pub(super) fn describe(&mut self) {
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
            Row::Event(e) => (
                format!("event {} {}", e.name, e.id),
                serde_json::to_string_pretty(e),
            ),
        };
        self.dialog = Some(Dialog::Describe {
            title,
            text: json.unwrap_or_else(|e| format!("cannot show as JSON: {e}")),
            scroll: 0,
        });
    }
}
