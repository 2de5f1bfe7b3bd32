#![allow(clippy::unwrap_used)]
//! `App::update` without a screen: key (or click, or progress) → action →
//! state → effects.

#[path = "common/tui.rs"]
mod tui;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use rdsight::model::{ResourceRef, ResourceType};
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::{Pacing, Progress, run_plan};
use rdsight::remediation::{Plan, Setting, Step};
use rdsight::rules::{RuleId, Severity};
use rdsight::source::FleetSource;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::tui::app::{App, Effect, Msg, Scope, StepState};
use rdsight::tui::dialogs::{Dialog, PlanStage};
use rdsight::tui::rows::{Pane, Row};

use tui::{app_on, demo_app, press};

const SIZE: (u16, u16) = (120, 36);

fn app() -> App {
    demo_app(SIZE)
}

fn selected(app: &App, pane: Pane) -> usize {
    app.panes[pane.index()].selected
}

fn selected_resource(app: &App) -> ResourceRef {
    app.selected_row().unwrap().resource()
}

/// Is the focused pane's selection inside the visible window?
fn selection_visible(app: &App) -> bool {
    let state = &app.panes[app.focus.index()];
    let height = app.areas().table_rows();
    state.offset <= state.selected && state.selected < state.offset + height
}

/// Worst severity of every visible row of a pane.
fn worst_of_rows(app: &App, pane: Pane) -> Vec<Option<Severity>> {
    app.rows(pane).iter().map(|r| app.cells(r).0).collect()
}

/// Select the row of `pane` whose resource id is `id`, with `g` and `j`s.
fn select_id(app: &mut App, pane: Pane, id: &str) {
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
fn plan_dialog(app: &App) -> &rdsight::tui::dialogs::PlanDialog {
    match &app.dialog {
        Some(Dialog::Plan(dialog)) => dialog,
        other => panic!("expected the plan dialog, got {other:?}"),
    }
}

/// Open the plan of the first finding of `rule` (filtered, pane 4).
fn open_plan_for(app: &mut App, rule: &str) {
    let effects = press(app, &format!("/rule:{rule} <Enter> 4 f"));
    assert!(
        effects.is_empty(),
        "opening a plan sends nothing: {effects:?}"
    );
    plan_dialog(app);
}

fn only_run_plan(effects: Vec<Effect>) -> (usize, Plan) {
    match <[Effect; 1]>::try_from(effects) {
        Ok([Effect::RunPlan { id, plan }]) => (id, plan),
        Ok(other) => panic!("expected RunPlan, got {other:?}"),
        Err(effects) => panic!("expected exactly one effect, got {effects:?}"),
    }
}

fn parameter(step: &Step, name: &str) -> String {
    step.parameters()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{name} not in {:?}", step.parameters()))
}

fn click(app: &mut App, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn wheel(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

// ----- panes and movement --------------------------------------------------

#[test]
fn starts_on_findings_and_tab_backtab_and_digits_switch_panes() {
    let mut app = app();
    assert_eq!(app.focus, Pane::Findings);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Pane::Clusters, "Tab wraps from the last pane");
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Pane::Instances);
    press(&mut app, "<BackTab> <BackTab>");
    assert_eq!(app.focus, Pane::Findings, "BackTab wraps from the first");
    for (key, pane) in [
        ("1", Pane::Clusters),
        ("2", Pane::Instances),
        ("3", Pane::Snapshots),
        ("4", Pane::Findings),
    ] {
        let effects = press(&mut app, key);
        assert!(effects.is_empty());
        assert_eq!(app.focus, pane, "key {key}");
    }
}

#[test]
fn j_k_g_g_and_page_down_move_and_clamp() {
    let mut app = app();
    let len = app.row_count(Pane::Findings);
    assert!(len > 40, "the demo has many findings: {len}");
    let page = app.areas().table_rows();

    press(&mut app, "k");
    assert_eq!(selected(&app, Pane::Findings), 0, "k clamps at the top");
    press(&mut app, "j j j");
    assert_eq!(selected(&app, Pane::Findings), 3);
    press(&mut app, "k");
    assert_eq!(selected(&app, Pane::Findings), 2);
    press(&mut app, "<Down> <Up> <Down>");
    assert_eq!(selected(&app, Pane::Findings), 3);

    press(&mut app, "G");
    assert_eq!(selected(&app, Pane::Findings), len - 1);
    assert!(selection_visible(&app));
    press(&mut app, "j");
    assert_eq!(
        selected(&app, Pane::Findings),
        len - 1,
        "j clamps at the end"
    );
    press(&mut app, "g");
    assert_eq!(selected(&app, Pane::Findings), 0);
    assert_eq!(app.panes[Pane::Findings.index()].offset, 0);

    press(&mut app, "<PageDown>");
    assert_eq!(selected(&app, Pane::Findings), page);
    assert!(selection_visible(&app));
    for _ in 0..20 {
        press(&mut app, "<PageDown>");
    }
    assert_eq!(selected(&app, Pane::Findings), len - 1, "PgDn clamps");
    press(&mut app, "<PageUp>");
    assert_eq!(selected(&app, Pane::Findings), len - 1 - page);
    assert!(selection_visible(&app));
}

#[test]
fn each_pane_keeps_its_own_selection() {
    let mut app = app();
    press(&mut app, "j j");
    press(&mut app, "2 j");
    assert_eq!(selected(&app, Pane::Instances), 1);
    assert_eq!(selected(&app, Pane::Findings), 2);
    press(&mut app, "1 G");
    assert_eq!(
        selected(&app, Pane::Clusters),
        app.row_count(Pane::Clusters) - 1
    );
    assert_eq!(selected(&app, Pane::Instances), 1);
}

// ----- filter ----------------------------------------------------------------

#[test]
fn filter_narrows_live_while_typing_and_esc_clears_it() {
    let mut app = app();
    let all = app.row_count(Pane::Findings);
    press(&mut app, "/");
    assert_eq!(app.filter_input.as_deref(), Some(""));
    assert_eq!(app.row_count(Pane::Findings), all);

    press(&mut app, "snap");
    let snap = app.row_count(Pane::Findings);
    assert!(snap < all, "{snap} < {all}");
    press(&mut app, "shot-public");
    let public = app.row_count(Pane::Findings);
    assert_eq!(public, 2, "two public snapshots in the demo");
    press(&mut app, "<BS> <BS> <BS> <BS> <BS> <BS> <BS>");
    assert_eq!(app.filter_input.as_deref(), Some("snapshot"));
    assert!(
        app.row_count(Pane::Findings) > public,
        "backspace widens again"
    );

    // Keys are text while typing: `q` does not quit, `1` does not switch.
    let effects = press(&mut app, "q1");
    assert!(effects.is_empty());
    assert!(!app.should_quit);
    assert_eq!(app.focus, Pane::Findings);
    assert_eq!(app.row_count(Pane::Findings), 0);

    press(&mut app, "<Esc>");
    assert_eq!(app.filter_input, None);
    assert!(app.filter.is_empty());
    assert_eq!(app.row_count(Pane::Findings), all);
}

#[test]
fn enter_keeps_the_filter_and_esc_in_the_pane_clears_it() {
    let mut app = app();
    let all = app.row_count(Pane::Findings);
    press(&mut app, "/rule:snapshot-public <Enter>");
    assert_eq!(app.filter_input, None);
    assert_eq!(app.row_count(Pane::Findings), 2);
    // Keys act on panes again.
    press(&mut app, "3");
    assert_eq!(app.focus, Pane::Snapshots);
    assert_eq!(app.row_count(Pane::Snapshots), 2);
    press(&mut app, "<Esc>");
    assert!(app.filter.is_empty());
    assert_eq!(app.row_count(Pane::Findings), all);
}

#[test]
fn sev_critical_leaves_only_critical_rows_in_every_pane() {
    let mut app = app();
    press(&mut app, "/sev:critical <Enter>");
    let findings = app.rows(Pane::Findings);
    assert_eq!(findings.len(), 5);
    for row in &findings {
        let Row::Finding(f) = row else {
            panic!("not a finding row")
        };
        assert_eq!(f.severity, Severity::Critical, "{}", f.rule);
    }
    for pane in [Pane::Clusters, Pane::Instances, Pane::Snapshots] {
        let worst = worst_of_rows(&app, pane);
        assert!(
            worst.iter().all(|w| *w == Some(Severity::Critical)),
            "{pane:?}: {worst:?}"
        );
    }
    assert_eq!(app.row_count(Pane::Instances), 3);
    assert_eq!(app.row_count(Pane::Snapshots), 2);
    assert_eq!(app.row_count(Pane::Clusters), 0);
}

#[test]
fn bang_negates_a_filter_word() {
    let mut app = app();
    let all = app.row_count(Pane::Findings);
    press(&mut app, "/!sev:critical <Enter>");
    assert_eq!(app.row_count(Pane::Findings), all - 5);
    assert!(app.rows(Pane::Findings).iter().all(|r| match r {
        Row::Finding(f) => f.severity != Severity::Critical,
        _ => false,
    }));

    // Words are separated by <Space>: `parse_keys` types each word as is.
    press(
        &mut app,
        "<Esc> /rule:snapshot <Space> !region:us-east <Enter>",
    );
    let rows = app.rows(Pane::Findings);
    assert!(!rows.is_empty());
    for row in rows {
        let Row::Finding(f) = row else { panic!() };
        assert!(f.rule.as_str().contains("snapshot"), "{}", f.rule);
        assert!(!f.region.starts_with("us-east"), "{}", f.region);
    }
}

#[test]
fn a_bad_severity_word_is_reported_not_ignored_silently() {
    let mut app = app();
    press(&mut app, "/sev:urgent");
    let error = app.filter.error.clone().unwrap();
    assert!(error.contains("urgent"), "{error}");
}

// ----- sort --------------------------------------------------------------------

#[test]
fn s_sorts_by_the_next_column_and_keeps_the_selected_row() {
    let mut app = app();
    // Findings start in risk order: critical first.
    let worst = worst_of_rows(&app, Pane::Findings);
    assert!(worst.windows(2).all(|w| w[0] >= w[1]), "risk order");

    press(&mut app, "j j j");
    let before = selected_resource(&app);
    let before_rule = match app.selected_row().unwrap() {
        Row::Finding(f) => f.rule,
        _ => panic!(),
    };

    press(&mut app, "s");
    assert_eq!(app.panes[Pane::Findings.index()].sort, Some((1, false)));
    assert_eq!(app.flash.as_deref(), Some("sorted by RULE"));
    let rules: Vec<String> = app
        .rows(Pane::Findings)
        .iter()
        .map(|r| app.cells(r).1[1].clone())
        .collect();
    assert!(rules.windows(2).all(|w| w[0] <= w[1]), "{rules:?}");
    // The same finding stays selected, wherever it moved.
    let Some(Row::Finding(f)) = app.selected_row() else {
        panic!()
    };
    assert_eq!((f.resource_ref(), f.rule), (before.clone(), before_rule));
    assert!(selection_visible(&app));

    press(&mut app, "S");
    assert_eq!(app.panes[Pane::Findings.index()].sort, Some((1, true)));
    let rules: Vec<String> = app
        .rows(Pane::Findings)
        .iter()
        .map(|r| app.cells(r).1[1].clone())
        .collect();
    assert!(rules.windows(2).all(|w| w[0] >= w[1]), "S reverses");

    // Past the last column, back to risk order.
    press(&mut app, "s s s s");
    assert_eq!(app.panes[Pane::Findings.index()].sort, None);
    assert_eq!(app.flash.as_deref(), Some("sorted by risk"));
}

#[test]
fn numeric_columns_sort_as_numbers() {
    let mut app = app();
    // Clusters: SEV, NAME, REGION, ENGINE, STATUS, MBR, … FIND (last).
    press(&mut app, "1 s s s s s");
    assert_eq!(app.panes[Pane::Clusters.index()].sort, Some((5, false)));
    let members: Vec<usize> = app
        .rows(Pane::Clusters)
        .iter()
        .map(|r| match r {
            Row::Cluster(c) => c.members.len(),
            _ => panic!(),
        })
        .collect();
    assert!(members.windows(2).all(|w| w[0] <= w[1]), "{members:?}");
}

#[test]
fn sorting_one_pane_leaves_the_others_alone() {
    let mut app = app();
    press(&mut app, "2 s");
    assert!(app.panes[Pane::Instances.index()].sort.is_some());
    for pane in [Pane::Clusters, Pane::Snapshots, Pane::Findings] {
        assert_eq!(app.panes[pane.index()].sort, None, "{pane:?}");
    }
}

// ----- marks -----------------------------------------------------------------

#[test]
fn space_marks_the_selected_row_and_moves_down() {
    let mut app = app();
    let first = app.selected_row().unwrap().key();
    press(&mut app, "<Space>");
    assert!(app.marked.contains(&first));
    assert_eq!(selected(&app, Pane::Findings), 1);
    let second = app.selected_row().unwrap().key();
    press(&mut app, "<Space>");
    assert_eq!(app.marked.len(), 2);
    assert!(app.marked.contains(&second));

    // Space again on a marked row unmarks it.
    press(&mut app, "g <Space>");
    assert!(!app.marked.contains(&first));
    assert_eq!(app.marked.len(), 1);

    // Esc with no drill-down and no filter clears the marks.
    press(&mut app, "<Esc>");
    assert!(app.marked.is_empty());
}

#[test]
fn f_on_marked_findings_plans_them_together() {
    let mut app = app();
    // The two public snapshots are the first two findings.
    press(&mut app, "/rule:snapshot-public <Enter> 4 <Space> <Space>");
    assert_eq!(app.marked.len(), 2);
    press(&mut app, "f");
    let dialog = plan_dialog(&app);
    assert_eq!(dialog.plan.findings.len(), 2);
    assert_eq!(dialog.plan.steps.len(), 2);
    assert_eq!(dialog.plan.title(), "2 findings");
}

// ----- drill down ----------------------------------------------------------------

#[test]
fn enter_on_a_cluster_scopes_to_it_and_esc_returns() {
    let mut app = app();
    let all_instances = app.row_count(Pane::Instances);
    select_id(&mut app, Pane::Clusters, "orders-prod");
    let effects = press(&mut app, "<Enter>");
    assert!(effects.is_empty());
    let cluster = ResourceRef::new(ResourceType::DbCluster, "us-east-1", "orders-prod");
    assert_eq!(app.scope, Scope::Cluster(cluster));
    assert_eq!(app.focus, Pane::Instances);

    let members: Vec<String> = app
        .rows(Pane::Instances)
        .iter()
        .map(|r| match r {
            Row::Instance(i) => {
                assert_eq!(i.cluster_id.as_deref(), Some("orders-prod"));
                i.id.clone()
            }
            _ => panic!(),
        })
        .collect();
    assert_eq!(members.len(), 3, "{members:?}");
    // Its snapshots only: three automated and one manual cluster snapshot.
    assert_eq!(app.row_count(Pane::Snapshots), 4);
    assert!(app.rows(Pane::Snapshots).iter().all(|r| match r {
        Row::Snapshot(s) => s.source_id == "orders-prod",
        _ => false,
    }));
    assert_eq!(app.row_count(Pane::Clusters), 1);

    press(&mut app, "<Esc>");
    assert_eq!(app.scope, Scope::All);
    assert_eq!(app.row_count(Pane::Instances), all_instances);
}

#[test]
fn enter_on_a_finding_jumps_to_its_resource() {
    for (rule, pane) in [
        ("instance-public", Pane::Instances),
        ("snapshot-public", Pane::Snapshots),
        ("cluster-unencrypted", Pane::Clusters),
    ] {
        let mut app = app();
        let finding = app
            .findings
            .iter()
            .find(|f| f.rule.as_str() == rule)
            .unwrap()
            .clone();
        let position = app
            .rows(Pane::Findings)
            .iter()
            .position(|r| matches!(r, Row::Finding(f) if **f == finding))
            .unwrap();
        for _ in 0..position {
            press(&mut app, "j");
        }
        let effects = press(&mut app, "<Enter>");
        assert!(effects.is_empty());
        assert_eq!(app.focus, pane, "{rule}");
        assert_eq!(selected_resource(&app), finding.resource_ref(), "{rule}");
        assert!(selection_visible(&app), "{rule}");
        assert_eq!(app.scope, Scope::All, "a jump is not a drill-down");
    }
}

// ----- the plan dialog -----------------------------------------------------------

#[test]
fn f_on_a_public_snapshot_opens_the_plan_and_sends_nothing() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let dialog = plan_dialog(&app);
    assert_eq!(dialog.stage, PlanStage::Review);
    assert_eq!(dialog.findings.len(), 1);
    assert_eq!(dialog.findings[0].rule, RuleId::SnapshotPublic);
    assert!(app.activities.is_empty());
    // Pane keys do nothing while the dialog is open.
    let effects = press(&mut app, "q r 1");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.focus, Pane::Findings);
    assert!(matches!(app.dialog, Some(Dialog::Plan(_))));
}

#[test]
fn n_and_esc_cancel_without_sending() {
    for key in ["n", "<Esc>"] {
        let mut app = app();
        open_plan_for(&mut app, "snapshot-public");
        let effects = press(&mut app, key);
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(app.dialog.is_none(), "{key}");
        assert!(app.activities.is_empty(), "{key}");
        let flash = app.flash.clone().unwrap_or_default();
        assert!(flash.contains("nothing was sent"), "{key}: {flash}");
    }
}

#[test]
fn y_runs_exactly_one_plan_removing_all_from_the_restore_attribute() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(&mut app, "y"));
    assert!(app.dialog.is_none());
    assert_eq!(plan.findings, vec![finding.clone()]);
    assert_eq!(plan.steps.len(), 1);
    match &plan.steps[0].step {
        Step::ModifySnapshotAttribute {
            snapshot_id,
            region,
            values_to_add,
            values_to_remove,
            ..
        } => {
            assert_eq!(snapshot_id, &finding.resource_id);
            assert_eq!(region, &finding.region);
            assert!(values_to_add.is_empty());
            assert_eq!(values_to_remove, &vec!["all".to_string()]);
        }
        other => panic!("expected ModifySnapshotAttribute, got {other:?}"),
    }
    // The activity pane tracks it, every step pending.
    assert_eq!(app.activities.len(), 1);
    assert_eq!(app.activities[0].id, id);
    assert_eq!(app.activities[0].steps, vec![StepState::Pending]);
    assert_eq!(app.activities[0].finished, None);
    // Nothing else happens on more keys.
    assert!(press(&mut app, "y").is_empty());
}

#[test]
fn enter_confirms_like_y() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let (_, plan) = only_run_plan(press(&mut app, "<Enter>"));
    assert_eq!(plan.steps.len(), 1);
}

#[test]
fn an_outage_needs_the_id_typed_before_it_runs() {
    let mut app = app();
    open_plan_for(&mut app, "backups-disabled");
    let finding = plan_dialog(&app).findings[0].clone();
    assert_eq!(finding.rule, RuleId::BackupsDisabled);
    assert_eq!(
        plan_dialog(&app).plan.confirmation_text().as_deref(),
        Some(finding.resource_id.as_str())
    );

    let effects = press(&mut app, "y");
    assert!(effects.is_empty(), "y must not run an outage: {effects:?}");
    assert_eq!(
        plan_dialog(&app).stage,
        PlanStage::TypeToConfirm {
            typed: String::new()
        }
    );

    // A wrong id: nothing sent, an error shown, still asking.
    let effects = press(&mut app, "internal-tools <Enter>");
    assert!(effects.is_empty(), "{effects:?}");
    let dialog = plan_dialog(&app);
    let error = dialog.error.clone().unwrap();
    assert!(error.contains(&finding.resource_id), "{error}");
    assert!(matches!(dialog.stage, PlanStage::TypeToConfirm { .. }));
    assert!(app.activities.is_empty());

    // Keys are text here: `q`, `n` and `y` are typed, not obeyed.
    let effects = press(&mut app, "qny");
    assert!(effects.is_empty());
    assert!(!app.should_quit);
    let PlanStage::TypeToConfirm { typed } = &plan_dialog(&app).stage else {
        panic!()
    };
    assert_eq!(typed, "internal-toolsqny");
    assert_eq!(plan_dialog(&app).error, None, "typing clears the error");

    // Clear it and type the right id.
    for _ in 0.."internal-toolsqny".len() {
        press(&mut app, "<BS>");
    }
    let effects = press(&mut app, &format!("{} <Enter>", finding.resource_id));
    let (_, plan) = only_run_plan(effects);
    assert_eq!(plan.findings, vec![finding]);
    assert!(app.dialog.is_none());
}

#[test]
fn esc_in_the_typed_confirmation_goes_back_to_the_review() {
    let mut app = app();
    open_plan_for(&mut app, "backups-disabled");
    press(&mut app, "y intern <Esc>");
    assert_eq!(plan_dialog(&app).stage, PlanStage::Review);
    let effects = press(&mut app, "<Esc>");
    assert!(effects.is_empty());
    assert!(app.dialog.is_none());
}

#[test]
fn a_toggles_apply_immediately_in_the_step_sent() {
    let mut app = app();
    open_plan_for(&mut app, "backups-disabled");
    let step = |app: &App| plan_dialog(app).plan.steps[0].step.clone();
    assert!(plan_dialog(&app).plan.has_window_choice());
    assert!(!plan_dialog(&app).options.apply_immediately);
    assert_eq!(parameter(&step(&app), "ApplyImmediately"), "false");
    assert!(step(&app).cli().contains("--no-apply-immediately"));

    press(&mut app, "a");
    assert!(plan_dialog(&app).options.apply_immediately);
    assert_eq!(parameter(&step(&app), "ApplyImmediately"), "true");
    assert_eq!(parameter(&step(&app), "BackupRetentionPeriod"), "7");
    assert!(step(&app).cli().contains("--apply-immediately"));

    press(&mut app, "a");
    assert_eq!(parameter(&step(&app), "ApplyImmediately"), "false");

    // What is confirmed is what the dialog showed.
    press(&mut app, "a y");
    let id = plan_dialog(&app).findings[0].resource_id.clone();
    let (_, plan) = only_run_plan(press(&mut app, &format!("{id} <Enter>")));
    match &plan.steps[0].step {
        Step::ModifyDBInstance {
            setting,
            apply_immediately,
            instance_id,
            ..
        } => {
            assert_eq!(instance_id, &id);
            assert_eq!(setting, &Setting::BackupRetentionPeriod(7));
            assert!(apply_immediately);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_does_nothing_when_the_plan_has_no_window_choice() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let before = plan_dialog(&app).plan.clone();
    press(&mut app, "a x");
    assert_eq!(plan_dialog(&app).plan, before);
    assert!(!plan_dialog(&app).options.apply_immediately);
    assert!(!plan_dialog(&app).options.delete_original);
}

#[test]
fn read_only_source_refuses_to_open_a_plan() {
    let source = DemoSource::new(true).unwrap();
    let mut app = app_on(&source, demo_fleet().unwrap(), SIZE);
    let effects = press(&mut app, "/rule:snapshot-public <Enter> 4 f");
    assert!(effects.is_empty());
    assert!(app.dialog.is_none());
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("read-only") && flash.contains("disabled"),
        "{flash}"
    );
}

#[test]
fn f_without_an_automatic_plan_says_so() {
    let mut app = app();
    // logs-not-exported has no automatic remediation.
    let effects = press(&mut app, "/rule:logs-not-exported <Enter> 4 f");
    assert!(effects.is_empty());
    assert!(app.dialog.is_none());
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("no automatic remediation"), "{flash}");
}

// ----- refresh, quit, help, describe --------------------------------------------

#[test]
fn r_loads_once_until_the_load_answers() {
    let mut app = app();
    assert!(!app.loading);
    assert_eq!(press(&mut app, "r"), vec![Effect::Load]);
    assert!(app.loading);
    assert_eq!(press(&mut app, "r"), vec![], "no second load while loading");
    app.update(Msg::Loaded(Ok(demo_fleet().unwrap())));
    assert!(!app.loading);
    assert_eq!(press(&mut app, "r"), vec![Effect::Load]);
}

#[test]
fn a_failed_load_is_shown_and_allows_another_try() {
    let mut app = app();
    press(&mut app, "r");
    app.update(Msg::Loaded(Err(
        "ExpiredToken: the token has expired".into()
    )));
    assert!(!app.loading);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("ExpiredToken"), "{flash}");
    // The fleet already shown stays.
    assert!(app.row_count(Pane::Findings) > 0);
    assert_eq!(press(&mut app, "r"), vec![Effect::Load]);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut app = app();
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    assert!(app.should_quit);

    let mut app = demo_app(SIZE);
    let ctrl_c = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    );
    assert_eq!(app.update(Msg::Key(ctrl_c)), vec![Effect::Quit]);
}

#[test]
fn question_mark_opens_help_and_esc_or_q_close_it_without_quitting() {
    let mut app = app();
    press(&mut app, "?");
    assert!(matches!(app.dialog, Some(Dialog::Help { scroll: 0 })));
    press(&mut app, "j j");
    assert!(matches!(app.dialog, Some(Dialog::Help { scroll: 2 })));
    assert_eq!(
        selected(&app, Pane::Findings),
        0,
        "j scrolls help, not rows"
    );
    press(&mut app, "<Esc>");
    assert!(app.dialog.is_none());

    press(&mut app, "?");
    let effects = press(&mut app, "q");
    assert!(effects.is_empty(), "q closes help: {effects:?}");
    assert!(!app.should_quit);
    assert!(app.dialog.is_none());
}

#[test]
fn d_describes_the_selected_resource_as_json() {
    let mut app = app();
    select_id(&mut app, Pane::Instances, "billing-prod");
    let effects = press(&mut app, "d");
    assert!(effects.is_empty());
    let Some(Dialog::Describe { title, text, .. }) = &app.dialog else {
        panic!("no describe dialog: {:?}", app.dialog);
    };
    assert!(title.contains("billing-prod"), "{title}");
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(json["id"], "billing-prod");
    assert_eq!(json["region"], "us-east-1");
    let instance = app.fleet.instance("us-east-1", "billing-prod").unwrap();
    assert_eq!(json, serde_json::to_value(instance).unwrap());
    press(&mut app, "<Esc>");
    assert!(app.dialog.is_none());
}

#[test]
fn shift_j_and_k_scroll_the_details_of_the_selected_row_only() {
    let mut app = app();
    press(&mut app, "J J");
    assert_eq!(app.details_offset(), 6);
    press(&mut app, "K");
    assert_eq!(app.details_offset(), 3);
    press(&mut app, "K K");
    assert_eq!(app.details_offset(), 0);
    press(&mut app, "J j");
    assert_eq!(app.details_offset(), 0, "another row starts at the top");
    press(&mut app, "k");
    assert_eq!(
        app.details_offset(),
        3,
        "back on the scrolled row, its scroll is kept"
    );
    press(&mut app, "j J k");
    assert_eq!(
        app.details_offset(),
        0,
        "only the last scrolled row keeps it"
    );
}

// ----- mouse -----------------------------------------------------------------------

#[test]
fn clicking_a_row_selects_it() {
    let mut app = app();
    let areas = app.areas();
    let x = areas.table.x + 10;
    click(&mut app, x, areas.first_row_y() + 4);
    assert_eq!(selected(&app, Pane::Findings), 4);
    click(&mut app, x, areas.first_row_y());
    assert_eq!(selected(&app, Pane::Findings), 0);

    // With the table scrolled, a click is relative to the first visible row.
    press(&mut app, "G");
    let offset = app.panes[Pane::Findings.index()].offset;
    assert!(offset > 0);
    click(&mut app, x, areas.first_row_y() + 1);
    assert_eq!(selected(&app, Pane::Findings), offset + 1);

    // The column header and the details pane are not rows.
    press(&mut app, "g");
    click(&mut app, x, areas.first_row_y() - 1);
    click(&mut app, areas.details.x + 5, areas.details.y + 2);
    assert_eq!(selected(&app, Pane::Findings), 0);
}

#[test]
fn clicking_below_the_last_visible_row_does_not_select_a_hidden_row() {
    let mut app = app();
    let areas = app.areas();
    // The table's bottom border is inside its area but is not a row.
    let bottom_border = areas.table.y + areas.table.height - 1;
    click(&mut app, areas.table.x + 10, bottom_border);
    assert!(
        selection_visible(&app),
        "selected {} is not on screen (offset {}, {} rows)",
        selected(&app, Pane::Findings),
        app.panes[Pane::Findings.index()].offset,
        areas.table_rows()
    );
}

#[test]
fn clicking_a_tab_focuses_its_pane() {
    let mut app = app();
    let areas = app.areas();
    // The tabs as drawn: " N Title (count) " with one space between.
    let mut x = areas.tabs.x;
    let mut starts = Vec::new();
    for pane in Pane::ALL {
        let label = format!(
            " {} {} ({}) ",
            pane.index() + 1,
            pane.title(),
            app.row_count(pane)
        );
        starts.push((pane, x, label.chars().count() as u16));
        x += label.chars().count() as u16 + 1;
    }
    for (pane, left, width) in starts {
        // Click the middle of the label.
        click(&mut app, left + width / 2, areas.tabs.y);
        assert_eq!(app.focus, pane);
    }
    // Past the last tab nothing changes.
    click(&mut app, x + 5, areas.tabs.y);
    assert_eq!(app.focus, Pane::Findings);
}

#[test]
fn the_wheel_moves_the_selection_over_the_table_only() {
    let mut app = app();
    let areas = app.areas();
    let (x, y) = (areas.table.x + 10, areas.first_row_y() + 2);
    wheel(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(selected(&app, Pane::Findings), 3);
    wheel(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(selected(&app, Pane::Findings), 6);
    wheel(&mut app, MouseEventKind::ScrollUp, x, y);
    assert_eq!(selected(&app, Pane::Findings), 3);
    wheel(&mut app, MouseEventKind::ScrollUp, x, y);
    wheel(&mut app, MouseEventKind::ScrollUp, x, y);
    assert_eq!(selected(&app, Pane::Findings), 0, "clamps at the top");
    // Over the header, the wheel does nothing.
    wheel(&mut app, MouseEventKind::ScrollDown, x, areas.header.y);
    assert_eq!(selected(&app, Pane::Findings), 0);
    // Scrolling far keeps the selection on screen.
    for _ in 0..20 {
        wheel(&mut app, MouseEventKind::ScrollDown, x, y);
    }
    assert!(selection_visible(&app));
}

#[test]
fn the_mouse_is_ignored_while_a_dialog_is_open() {
    let mut app = app();
    press(&mut app, "?");
    let areas = app.areas();
    click(&mut app, areas.table.x + 10, areas.first_row_y() + 3);
    assert_eq!(selected(&app, Pane::Findings), 0);
}

// ----- resize ------------------------------------------------------------------------

#[test]
fn shrinking_the_terminal_keeps_the_selection_visible() {
    let mut app = app();
    press(&mut app, "j j j j j j j j j j j j");
    assert_eq!(selected(&app, Pane::Findings), 12);
    assert_eq!(app.panes[Pane::Findings.index()].offset, 0);
    assert!(selection_visible(&app));

    app.update(Msg::Resize(80, 24));
    assert_eq!(app.size, (80, 24));
    assert_eq!(selected(&app, Pane::Findings), 12);
    assert!(
        app.panes[Pane::Findings.index()].offset > 0,
        "offset adjusts"
    );
    assert!(selection_visible(&app));

    // Other panes too.
    press(&mut app, "2 G");
    app.update(Msg::Resize(80, 26));
    assert!(selection_visible(&app));
    app.update(Msg::Resize(80, 24));
    assert!(selection_visible(&app));
}

// ----- plan progress -------------------------------------------------------------

#[test]
fn step_failed_marks_the_step_and_flashes_the_error() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let (id, _) = only_run_plan(press(&mut app, "y"));

    app.update(Msg::Plan {
        id,
        progress: Progress::StepStarted { step: 0 },
    });
    assert_eq!(app.activities[0].steps, vec![StepState::Running]);

    let error = "rds:ModifyDBClusterSnapshotAttribute failed: AccessDenied".to_string();
    app.update(Msg::Plan {
        id,
        progress: Progress::StepFailed {
            step: 0,
            error: error.clone(),
        },
    });
    assert_eq!(
        app.activities[0].steps,
        vec![StepState::Failed(error.clone())]
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("AccessDenied"), "{flash}");

    app.update(Msg::Plan {
        id,
        progress: Progress::Finished { ok: false },
    });
    assert_eq!(app.activities[0].finished, Some(false));
    assert!(
        app.flash
            .clone()
            .unwrap_or_default()
            .contains("AccessDenied"),
        "a failed finish keeps the error on screen"
    );
    // The finding is still open.
    assert!(
        app.findings
            .iter()
            .any(|f| f.rule == RuleId::SnapshotPublic)
    );
}

#[test]
fn progress_for_an_unknown_plan_is_ignored() {
    let mut app = app();
    let before = app.findings.len();
    let effects = app.update(Msg::Plan {
        id: 99,
        progress: Progress::Finished { ok: true },
    });
    assert!(effects.is_empty());
    assert!(app.activities.is_empty());
    assert_eq!(app.findings.len(), before);
}

// ----- end to end: the executor against the demo source --------------------------

/// Run `plan` on `source` with fast pacing; return every progress event.
async fn run(source: &Arc<dyn FleetSource>, audit: &AuditLog, plan: Plan) -> Vec<Progress> {
    let progress = Mutex::new(Vec::new());
    let pacing = Pacing {
        poll: Duration::from_millis(5),
        timeout: Duration::from_secs(10),
    };
    run_plan(Arc::clone(source), audit.clone(), plan, pacing, |p| {
        progress.lock().unwrap().push(p)
    })
    .await;
    progress.into_inner().unwrap()
}

fn audit_in_temp(name: &str) -> (std::path::PathBuf, AuditLog) {
    let dir =
        std::env::temp_dir().join(format!("rdsight-app-update-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.jsonl");
    (dir, AuditLog::new(&path))
}

fn audit_lines(log: &AuditLog) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn confirmed_plan_runs_fixes_the_finding_and_is_audited() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("public");

    open_plan_for(&mut app, "snapshot-public");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(&mut app, "y"));

    let progress = run(&source, &audit, plan.clone()).await;
    assert_eq!(progress.first(), Some(&Progress::StepStarted { step: 0 }));
    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    for p in progress {
        assert!(app.update(Msg::Plan { id, progress: p }).is_empty());
    }

    assert!(
        !app.findings
            .iter()
            .any(|f| f.rule == finding.rule && f.resource_ref() == finding.resource_ref()),
        "the public-snapshot finding is gone"
    );
    let activity = &app.activities[0];
    assert_eq!(activity.finished, Some(true));
    assert!(
        matches!(&activity.steps[..], [StepState::Done(_)]),
        "{:?}",
        activity.steps
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("1 finding(s) resolved"), "{flash}");
    // The snapshot itself is still there, no longer shared.
    let snapshot = app
        .fleet
        .snapshots
        .iter()
        .find(|s| s.id == finding.resource_id)
        .unwrap();
    assert!(!snapshot.is_public());

    let lines = audit_lines(&audit);
    let api = "rds:ModifyDBClusterSnapshotAttribute";
    let phases: Vec<&str> = lines
        .iter()
        .filter(|l| l["api"] == api)
        .map(|l| l["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, vec!["started", "succeeded"], "{lines:#?}");
    assert_eq!(
        lines[0]["parameters"]["DBClusterSnapshotIdentifier"],
        finding.resource_id.as_str()
    );
    assert_eq!(lines[0]["parameters"]["ValuesToRemove"], r#"["all"]"#);
    assert_eq!(lines[0]["source"], "demo");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn an_outage_applied_now_waits_for_the_instance_and_resolves() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(30)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("backups");

    open_plan_for(&mut app, "backups-disabled");
    let finding = plan_dialog(&app).findings[0].clone();
    let (id, plan) = only_run_plan(press(
        &mut app,
        &format!("a y {} <Enter>", finding.resource_id),
    ));

    let progress = run(&source, &audit, plan).await;
    assert!(
        progress
            .iter()
            .any(|p| matches!(p, Progress::StepWaiting { status, .. } if status == "modifying")),
        "{progress:?}"
    );
    for p in progress {
        app.update(Msg::Plan { id, progress: p });
        // While it runs, the instance shows its transitional status.
    }
    let instance = app
        .fleet
        .instance(&finding.region, &finding.resource_id)
        .unwrap();
    assert_eq!(instance.status, "available");
    assert_eq!(instance.backup_retention_days, 7);
    assert!(
        !app.findings.iter().any(
            |f| f.rule == RuleId::BackupsDisabled && f.resource_ref() == finding.resource_ref()
        )
    );
    assert_eq!(app.activities[0].finished, Some(true));

    let phases: Vec<String> = audit_lines(&audit)
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l["api"].as_str().unwrap(),
                l["phase"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        phases,
        vec![
            "rds:ModifyDBInstance started",
            "rds:ModifyDBInstance succeeded"
        ]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn held_for_the_window_the_finding_stays_and_the_flash_says_why() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, source.load().await.unwrap(), SIZE);
    let (dir, audit) = audit_in_temp("window");

    open_plan_for(&mut app, "backups-disabled");
    let finding = plan_dialog(&app).findings[0].clone();
    // Default: held for the maintenance window.
    let (id, plan) = only_run_plan(press(
        &mut app,
        &format!("y {} <Enter>", finding.resource_id),
    ));
    for p in run(&source, &audit, plan).await {
        app.update(Msg::Plan { id, progress: p });
    }
    assert_eq!(app.activities[0].finished, Some(true));
    assert!(
        app.findings.iter().any(
            |f| f.rule == RuleId::BackupsDisabled && f.resource_ref() == finding.resource_ref()
        )
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("maintenance window"), "{flash}");
    let instance = app
        .fleet
        .instance(&finding.region, &finding.resource_id)
        .unwrap();
    assert_eq!(instance.pending_changes, vec!["BackupRetentionPeriod=7"]);
    let _ = std::fs::remove_dir_all(dir);
}
