//! Keys, clicks and the navigation they cause.

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // A second quit key confirms quitting while plans run; any other
        // key disarms it.
        let armed = std::mem::take(&mut self.quit_armed);
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return self.quit(armed);
        }
        if self.filter_input.is_some() {
            self.on_filter_key(key);
            return Vec::new();
        }
        match &self.dialog {
            Some(Dialog::Plan(_)) => return self.on_plan_key(key),
            Some(Dialog::Picker(_)) => {
                return match keymap::lookup(Context::Picker, &key) {
                    Some(action) => self.on_picker_action(action),
                    None => Vec::new(),
                };
            }
            Some(Dialog::Help { .. } | Dialog::Describe { .. }) => {
                if let Some(action) = keymap::lookup(Context::Viewer, &key) {
                    self.on_viewer_action(action);
                }
                return Vec::new();
            }
            None => {}
        }
        match keymap::lookup(Context::Main, &key) {
            Some(Action::Quit) => self.quit(armed),
            Some(action) => self.on_action(action),
            None => Vec::new(),
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
        self.should_quit = true;
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
            Action::Remediate => self.open_plan(),
            Action::Describe => self.describe(),
            Action::DetailsDown | Action::DetailsUp => {
                let key = self.selected_row().map(|r| r.key());
                let current = self.details_offset();
                let limit = crate::tui::view::details::max_scroll(self, self.areas().details);
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
            | Action::SelectAll => {}
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

    pub(super) fn toggle_mark(&mut self) {
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

    pub(super) fn select_resource(&mut self, pane: Pane, target: &ResourceRef) {
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

    pub(super) fn on_filter_key(&mut self, key: KeyEvent) {
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
    pub(super) fn apply_filter_input(&mut self) {
        if let Some(text) = &self.filter_input {
            self.filter = Filter::parse(text);
            for state in &mut self.panes {
                state.selected = 0;
                state.offset = 0;
            }
            self.rebuild_rows();
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
                    if let Some(pane) = crate::tui::view::tab_at(self, areas.tabs, mouse.column) {
                        self.focus = pane;
                    }
                } else if areas.table.contains(at) && mouse.row + 1 == areas.first_row_y() {
                    // The header row: sort by the clicked column.
                    if let Some(column) =
                        crate::tui::view::column_at(self.focus, areas.table, mouse.column)
                    {
                        self.sort_by_column(column);
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

    /// Sort by `column`; again on the same column reverses the order.
    fn sort_by_column(&mut self, column: usize) {
        let state = &mut self.panes[self.focus.index()];
        state.sort = Some(match state.sort {
            Some((current, desc)) if current == column => (column, !desc),
            _ => (column, false),
        });
        let header = columns(self.focus)[column].header;
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
        };
        self.dialog = Some(Dialog::Describe {
            title,
            text: json.unwrap_or_else(|e| format!("cannot show as JSON: {e}")),
            scroll: 0,
        });
    }
}
