//! Screens of the dashboard on the demo fleet, as text, after replaying keys.
//!
//! Each snapshot is the whole screen drawn on a `TestBackend` without
//! colour. Regenerate with `INSTA_UPDATE=always cargo test --test it
//! tui_snapshots` and read every changed `.snap` before accepting it.

use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::Progress;
use rdsight::rules::RuleId;
use rdsight::source::FleetSource;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::tui::app::{App, Dialog, Effect, Msg, PlanStage};
use rdsight::tui::rows::{Pane, Row};
use std::sync::Arc;
use std::time::Duration;

use crate::support::fixer::run_demo;
use crate::support::tui::{app_on, demo_app, press, screen};

const W: u16 = 120;
const H: u16 = 36;

/// The demo app at 120x36 after `keys`.
fn after(keys: &str) -> App {
    let mut app = demo_app((W, H));
    press(&mut app, keys);
    app
}

fn selected_id(app: &App) -> String {
    app.selected_row().unwrap().resource().id
}

// ----- panes, each with its details pane ----------------------------------

#[test]
fn pane_1_clusters() {
    let app = after("1");
    assert_eq!(app.focus, Pane::Clusters);
    insta::assert_snapshot!("pane_1_clusters", screen(&app, W, H));
}

#[test]
fn pane_2_instances() {
    let app = after("2");
    assert_eq!(app.focus, Pane::Instances);
    insta::assert_snapshot!("pane_2_instances", screen(&app, W, H));
}

#[test]
fn pane_3_snapshots() {
    let app = after("3");
    assert_eq!(app.focus, Pane::Snapshots);
    insta::assert_snapshot!("pane_3_snapshots", screen(&app, W, H));
}

#[test]
fn pane_4_findings() {
    let app = after("4");
    assert_eq!(app.focus, Pane::Findings);
    insta::assert_snapshot!("pane_4_findings", screen(&app, W, H));
}

// ----- details of particular rows -------------------------------------------

#[test]
fn details_of_a_cluster_shows_members_snapshots_and_groups() {
    // orders-prod: three members, three automated snapshots and a manual one.
    let app = after("1 /orders-prod <Enter>");
    assert_eq!(selected_id(&app), "orders-prod");
    let text = screen(&app, W, H);
    // With one row in the table, the details pane gets the room to show
    // the whole cluster: members, snapshots and security groups.
    assert!(text.contains("Members (3)"), "{text}");
    assert!(text.contains("Security groups (1)"), "{text}");
    insta::assert_snapshot!("details_cluster", text);
}

#[test]
fn details_of_a_cluster_scrolled_with_shift_j() {
    // Unfiltered, the table keeps its rows and the details of the first
    // cluster run past the pane: `J` scrolls to the groups at the end.
    let app = after("1 J J J J J J");
    assert_eq!(selected_id(&app), "analytics-warehouse");
    assert!(app.details_offset() > 0);
    let text = screen(&app, W, H);
    for section in ["Snapshots (4)", "Security groups (1)"] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    insta::assert_snapshot!("details_cluster_scrolled", text);
}

#[test]
fn details_of_a_cluster_in_the_wide_layout_shows_everything() {
    // From 140 columns the details pane sits beside the table, full height.
    let (w, h) = (160, 40);
    let mut app = demo_app((w, h));
    press(&mut app, "1 /orders-prod <Enter>");
    assert_eq!(selected_id(&app), "orders-prod");
    let text = screen(&app, w, h);
    for section in ["Members (3)", "Snapshots (5)", "Security groups (1)"] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    insta::assert_snapshot!("details_cluster_wide", text);
}

#[test]
fn details_of_a_cluster_member_says_it_is_judged_through_the_cluster() {
    let app = after("2 /orders-prod-instance-1 <Enter>");
    assert_eq!(selected_id(&app), "orders-prod-instance-1");
    let text = screen(&app, W, H);
    assert!(text.contains("judged through the cluster"), "{text}");
    insta::assert_snapshot!("details_cluster_member_instance", text);
}

#[test]
fn details_of_a_public_snapshot() {
    let app = after("3 /rule:snapshot-public <Enter>");
    let Some(Row::Snapshot(s)) = app.selected_row() else {
        panic!("no snapshot selected");
    };
    assert!(s.is_public());
    let text = screen(&app, W, H);
    assert!(text.contains("PUBLIC"), "{text}");
    insta::assert_snapshot!("details_public_snapshot", text);
}

// ----- filter, help, describe ------------------------------------------------

#[test]
fn filter_being_typed() {
    let app = after("/sev:critical");
    assert_eq!(app.filter_input.as_deref(), Some("sev:critical"));
    insta::assert_snapshot!("filter_typing", screen(&app, W, H));
}

#[test]
fn filter_applied() {
    let app = after("/sev:critical <Enter>");
    assert_eq!(app.filter_input, None);
    assert_eq!(app.filter.text(), "sev:critical");
    insta::assert_snapshot!("filter_applied", screen(&app, W, H));
}

#[test]
fn help() {
    let app = after("?");
    assert!(matches!(app.dialog, Some(Dialog::Help { .. })));
    insta::assert_snapshot!("help", screen(&app, W, H));
}

#[test]
fn describe() {
    let app = after("1 /orders-prod <Enter> d");
    assert!(matches!(app.dialog, Some(Dialog::Describe { .. })));
    insta::assert_snapshot!("describe_cluster", screen(&app, W, H));
}

// ----- the plan dialog -----------------------------------------------------

#[test]
fn plan_for_a_public_snapshot() {
    let app = after("/rule:snapshot-public <Enter> 4 f");
    let Some(Dialog::Plan(dialog)) = &app.dialog else {
        panic!("no plan dialog");
    };
    assert_eq!(dialog.stage, PlanStage::Review);
    assert_eq!(dialog.findings[0].rule, RuleId::SnapshotPublic);
    insta::assert_snapshot!("plan_public_snapshot", screen(&app, W, H));
}

#[test]
fn plan_for_disabled_backups_is_an_outage_and_asks_for_the_id() {
    let mut app = after("/rule:backups-disabled <Enter> 4 f");
    let Some(Dialog::Plan(dialog)) = &app.dialog else {
        panic!("no plan dialog");
    };
    assert_eq!(dialog.findings[0].rule, RuleId::BackupsDisabled);
    let id = dialog.findings[0].resource_id.clone();
    insta::assert_snapshot!("plan_backups_disabled_review", screen(&app, W, H));

    let effects = press(&mut app, &format!("y {}", &id[..id.len() / 2]));
    assert!(effects.is_empty(), "{effects:?}");
    let Some(Dialog::Plan(dialog)) = &app.dialog else {
        panic!("plan dialog closed");
    };
    assert!(matches!(dialog.stage, PlanStage::TypeToConfirm { .. }));
    insta::assert_snapshot!("plan_backups_disabled_typing_id", screen(&app, W, H));
}

// ----- sizes -----------------------------------------------------------------

#[test]
fn too_small_says_so() {
    let app = demo_app((60, 20));
    let text = screen(&app, 60, 20);
    assert!(text.contains("80×24"), "{text}");
    insta::assert_snapshot!("too_small_60x20", text);
}

#[test]
fn main_screen_at_80x24() {
    let app = demo_app((80, 24));
    insta::assert_snapshot!("main_80x24", screen(&app, 80, 24));
}

// ----- whole app: an async notification and a key press -------------------

#[tokio::test]
async fn plan_progress_shows_activity_and_the_finding_goes() {
    let source: Arc<dyn FleetSource> = Arc::new(
        DemoSource::new(false)
            .unwrap()
            .with_transition(Duration::from_millis(10)),
    );
    let mut app = app_on(&*source, demo_fleet().unwrap(), (W, H));
    press(&mut app, "/rule:snapshot-public <Enter> 4");
    assert_eq!(app.row_count(Pane::Findings), 2);

    let effects = press(&mut app, "f y");
    let [Effect::RunPlan { id, plan }] = effects.as_slice() else {
        panic!("expected one RunPlan, got {effects:?}");
    };
    let target = plan.findings[0].clone();

    let audit_dir = std::env::temp_dir().join(format!("rdsight-tui-snap-{}", std::process::id()));
    let audit = AuditLog::new(audit_dir.join("audit.jsonl"));
    let progress = run_demo(&source, &audit, plan.clone()).await;
    let _ = std::fs::remove_dir_all(&audit_dir);

    assert_eq!(progress.last(), Some(&Progress::Finished { ok: true }));
    for p in progress {
        app.update(Msg::Plan {
            id: *id,
            progress: p,
        });
    }
    assert!(
        app.flash.as_deref().unwrap_or("").contains("resolved"),
        "{:?}",
        app.flash
    );
    assert!(
        !app.findings
            .iter()
            .any(|f| f.rule == target.rule && f.resource_ref() == target.resource_ref())
    );
    assert_eq!(app.row_count(Pane::Findings), 1);

    // The user looks at the snapshots the filter still matches.
    press(&mut app, "3");
    let text = screen(&app, W, H);
    assert!(text.contains("Activity"), "{text}");
    insta::assert_snapshot!("activity_after_plan", text);
}
