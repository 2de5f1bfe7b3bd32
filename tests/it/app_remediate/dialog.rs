//! The plan dialog: opening, cancelling, typed confirmation, apply-immediately.

use rdsight::remediation::fixes::settings::ModifyDBInstance;
use rdsight::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
use rdsight::remediation::{Setting, Step};
use rdsight::rules::RuleId;
use rdsight::source::FleetSource;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::tui::app::{App, Dialog, Effect, PlanStage, StepState};
use rdsight::tui::rows::Pane;

use crate::support::app_helpers::*;
use crate::support::tui;
use crate::support::tui::{app_on, press};

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
        Step::ModifySnapshotAttribute(ModifySnapshotAttribute {
            snapshot_id,
            region,
            values_to_add,
            values_to_remove,
            ..
        }) => {
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
    assert!(effects.is_empty(), "no quit: {effects:?}");
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
        Step::ModifyDBInstance(ModifyDBInstance {
            setting,
            apply_immediately,
            instance_id,
            ..
        }) => {
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
fn a_fleet_file_refuses_to_open_a_plan_and_to_apply() {
    let fleet = demo_fleet().unwrap();
    let path = std::env::temp_dir().join(format!("rdsight-fleet-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&fleet).unwrap()).unwrap();
    let source = rdsight::source::file::FileSource::open(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let mut app = app_on(&source, fleet, SIZE);
    assert!(!app.offers(rdsight::tui::action::Action::Remediate));
    let effects = press(&mut app, "/rule:snapshot-public <Enter> 4 f y");
    assert!(effects.is_empty());
    assert!(app.dialog.is_none());
    assert_eq!(
        app.flash.as_deref(),
        Some("remediation is disabled: a saved fleet file is read-only")
    );
    let plan =
        rdsight::rules::plan_for(&app.fleet, &app.rules, &app.findings[0], Default::default())
            .unwrap();
    let refused = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(source.apply(&plan.steps[0].step));
    assert!(matches!(
        refused,
        Err(rdsight::source::SourceError::ReadOnly(_))
    ));
}

#[test]
fn f_without_an_automatic_plan_says_so() {
    let mut app = app();
    // default-admin has no automatic remediation.
    let effects = press(&mut app, "/rule:default-admin <Enter> 4 f");
    assert!(effects.is_empty());
    assert!(app.dialog.is_none());
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("no automatic remediation"), "{flash}");
}

#[test]
fn f_on_a_resource_plans_what_can_be_fixed_and_lists_the_rest() {
    let mut app = app();
    press(&mut app, "2");
    select_id(&mut app, Pane::Instances, "legacy-crm-sqlserver");
    // Opening sends nothing; the open group's users are read.
    let effects = press(&mut app, "f");
    assert!(
        matches!(effects.as_slice(), [Effect::ReadGroupUsers { .. }]),
        "{effects:?}"
    );
    let dialog = plan_dialog(&app);
    let planned: Vec<RuleId> = dialog.plan.findings.iter().map(|f| f.rule).collect();
    let left_out: Vec<RuleId> = dialog.left_out.iter().map(|f| f.rule).collect();
    // The internet reaches it: one finding, the worst, not instance-public too.
    assert!(
        planned.contains(&RuleId::InstanceInternetReachable),
        "{planned:?}"
    );
    assert!(!planned.contains(&RuleId::InstancePublic), "{planned:?}");
    assert!(planned.contains(&RuleId::SgOpenDbPort), "{planned:?}");
    assert!(planned.contains(&RuleId::LogsNotExported), "{planned:?}");
    for rule in [RuleId::DefaultPort, RuleId::DefaultAdmin] {
        assert!(
            left_out.contains(&rule),
            "{rule} should be listed as left out"
        );
        assert!(!planned.contains(&rule));
    }
    // Every finding of the resource is either planned or named as left out.
    let all = app
        .findings
        .iter()
        .filter(|f| f.resource_id == "legacy-crm-sqlserver")
        .count();
    assert_eq!(planned.len() + left_out.len(), all);
    // The list is at the end of the plan: scroll there.
    press(&mut app, &"j".repeat(200));
    let text = tui::screen(&app, 120, 36);
    assert!(text.contains("not in this plan"), "{text}");
    assert!(
        text.contains("default-admin on legacy-crm-sqlserver"),
        "{text}"
    );
}

#[test]
fn a_restore_plan_shows_what_the_copy_carries_and_what_it_cannot() {
    let mut app = app();
    let effects = press(
        &mut app,
        "/rule:instance-unencrypted <Space> qa-sandbox-mariadb <Enter> 4 f",
    );
    assert!(effects.is_empty(), "{effects:?}");
    let mut dialog = plan_dialog(&app).clone();
    dialog.layout_body(400, true);
    let lines: Vec<String> = dialog.body.iter().map(|l| l.text()).collect();
    let restore = lines
        .iter()
        .position(|l| l.contains("rds:RestoreDBInstanceFromDBSnapshot"))
        .unwrap_or_else(|| panic!("no restore step: {lines:#?}"));
    assert!(
        lines[restore..]
            .iter()
            .any(|l| l.trim() == "PubliclyAccessible = false"),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "✓ qa-sandbox-mariadb-encrypted carries the original's DBInstanceClass, Port=3306, MultiAZ=false, PubliclyAccessible=false"
        )),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "⚠ qa-sandbox-mariadb-encrypted does not get the original's maintenance and backup windows: "
        )),
        "{lines:#?}"
    );
}
