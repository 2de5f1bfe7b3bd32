//! Helpers shared by the `App::update` test files.

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use rdsight::model::ResourceRef;
use rdsight::remediation::{Plan, Step};
use rdsight::rules::Severity;
use rdsight::tui::app::Dialog;
use rdsight::tui::app::{App, Effect, Msg};
use rdsight::tui::rows::Pane;

use super::tui::{demo_app, press};

pub const SIZE: (u16, u16) = (120, 36);

pub fn app() -> App {
    demo_app(SIZE)
}

pub fn selected(app: &App, pane: Pane) -> usize {
    app.panes[pane.index()].selected
}

pub fn selected_resource(app: &App) -> ResourceRef {
    app.selected_row().unwrap().resource()
}

/// Is the focused pane's selection inside the visible window?
pub fn selection_visible(app: &App) -> bool {
    let state = &app.panes[app.focus.index()];
    let height = app.areas().table_rows();
    state.offset <= state.selected && state.selected < state.offset + height
}

/// Worst severity of every visible row of a pane.
pub fn worst_of_rows(app: &App, pane: Pane) -> Vec<Option<Severity>> {
    app.rows(pane)
        .iter()
        .map(|r| app.cells(r).0.worst)
        .collect()
}

/// Select the row of `pane` whose resource id is `id`, with `g` and `j`s.
pub fn select_id(app: &mut App, pane: Pane, id: &str) {
    press(app, &format!("{}", pane.index() + 1));
    let position = app
        .rows(pane)
        .iter()
        .position(|r| r.resource().id == id)
        .unwrap_or_else(|| panic!("{id} not in {pane:?}"));
    press(app, "g");
    for _ in 0..position {
        press(app, "j");
    }
    assert_eq!(selected_resource(app).id, id);
}

/// The plan dialog, or a panic.
pub fn plan_dialog(app: &App) -> &rdsight::tui::app::PlanDialog {
    match &app.dialog {
        Some(Dialog::Plan(dialog)) => dialog,
        other => panic!("expected the plan dialog, got {other:?}"),
    }
}

/// Open the plan of the first finding of `rule` (filtered, pane 4).
pub fn open_plan_for(app: &mut App, rule: &str) {
    let effects = press(app, &format!("/rule:{rule} <Enter> 4 f"));
    // Opening a plan sends nothing; it may read who uses a group.
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::ReadGroupUsers { .. })),
        "opening a plan sends nothing: {effects:?}"
    );
    plan_dialog(app);
}

pub fn only_run_plan(effects: Vec<Effect>) -> (usize, Plan) {
    match <[Effect; 1]>::try_from(effects) {
        Ok([Effect::RunPlan { id, plan }]) => (id, plan),
        Ok(other) => panic!("expected RunPlan, got {other:?}"),
        Err(effects) => panic!("expected exactly one effect, got {effects:?}"),
    }
}

pub fn parameter(step: &Step, name: &str) -> String {
    step.parameters()
        .into_iter()
        .find(|p| p.name == name)
        .map(|p| p.value.shown())
        .unwrap_or_else(|| panic!("{name} not in {:?}", step.parameters()))
}

pub fn click(app: &mut App, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

pub fn wheel(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}
