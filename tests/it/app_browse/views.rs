//! Drill-down, refresh, quit, help, describe and scrolling details.

use crossterm::event::KeyModifiers;
use rdsight::model::{ResourceRef, ResourceType};
use rdsight::source::demo::demo_fleet;
use rdsight::tui::app::{Dialog, Effect, Msg, Scope};
use rdsight::tui::rows::{Pane, Row};

use crate::support::app_helpers::*;
use crate::support::tui;
use crate::support::tui::{demo_app, finish_load, is_load, next_key_time, press};

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
    // Its snapshots only: three automated and two manual cluster snapshots
    // (the second, dev-sam's, is the demo's activity story).
    assert_eq!(app.row_count(Pane::Snapshots), 5);
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

// ----- refresh, quit, help, describe --------------------------------------------

#[test]
fn r_loads_once_until_the_load_answers() {
    let mut app = app();
    assert!(!app.loading);
    assert!(is_load(&press(&mut app, "r")));
    assert!(app.loading);
    assert_eq!(press(&mut app, "r"), vec![], "no second load while loading");
    finish_load(&mut app, Ok(demo_fleet().unwrap()));
    assert!(!app.loading);
    assert!(is_load(&press(&mut app, "r")));
}

#[test]
fn a_failed_load_is_shown_and_allows_another_try() {
    let mut app = app();
    press(&mut app, "r");
    finish_load(&mut app, Err("ExpiredToken: the token has expired".into()));
    assert!(!app.loading);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("ExpiredToken"), "{flash}");
    // The fleet already shown stays.
    assert!(app.row_count(Pane::Findings) > 0);
    assert!(is_load(&press(&mut app, "r")));
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut app = app();
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);

    let mut app = demo_app(SIZE);
    let ctrl_c = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    );
    assert_eq!(
        app.update(Msg::Key {
            key: ctrl_c,
            at: next_key_time()
        }),
        vec![Effect::Quit]
    );
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
    // A cluster's details (members, snapshots, groups) run past the pane.
    press(&mut app, "1");
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

#[test]
fn a_slow_load_counts_its_seconds_in_the_header() {
    let mut app = app();
    assert!(is_load(&press(&mut app, "r")));
    app.update(Msg::Tick);
    app.update(Msg::Tick);
    assert_eq!(app.loading_secs, 2);
    let text = tui::screen(&app, 120, 36);
    assert!(
        text.lines().next().unwrap().contains("loading… 2s"),
        "{text}"
    );
    // Ticks while idle change nothing.
    finish_load(&mut app, Ok(rdsight::source::demo::demo_fleet().unwrap()));
    app.update(Msg::Tick);
    assert_eq!(app.loading_secs, 2);
    assert!(!app.loading);
}

#[test]
fn scrolling_a_dialog_stops_at_its_end() {
    let mut app = app();
    press(&mut app, "?");
    press(&mut app, "G");
    let Some(Dialog::Help { scroll: bottom }) = app.dialog.clone() else {
        panic!("help is not open");
    };
    assert!(bottom > 0 && bottom < 200, "help scrolled to {bottom}");
    // One k moves up at once: the scroll was not left past the end.
    press(&mut app, "k");
    let Some(Dialog::Help { scroll }) = app.dialog.clone() else {
        panic!("help is not open");
    };
    assert_eq!(scroll, bottom - 1);
    // Holding j never goes past the end either.
    press(&mut app, &"j".repeat(500));
    let Some(Dialog::Help { scroll }) = app.dialog.clone() else {
        panic!("help is not open");
    };
    assert_eq!(scroll, bottom);
}

#[test]
fn details_do_not_scroll_past_their_end() {
    let mut app = app();
    // A finding's details fit the pane: J has nowhere to go.
    press(&mut app, "J J J");
    assert_eq!(app.details_offset(), 0);
    // A cluster's do not; holding J stops at the last line.
    press(&mut app, "1");
    press(&mut app, &"J".repeat(100));
    let end = app.details_offset();
    assert!(end > 0 && end < 100, "scrolled to {end}");
    press(&mut app, "K");
    assert_eq!(app.details_offset(), end.saturating_sub(3));
}
