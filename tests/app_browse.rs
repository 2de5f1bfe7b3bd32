#![allow(clippy::unwrap_used)]
//! `App::update` for browsing: panes, movement, filter, sort, marks,
//! drill-down, mouse, resize, refresh, help and describe.

#[path = "common/app_helpers.rs"]
mod helpers;
#[path = "common/tui.rs"]
mod tui;

use crossterm::event::{KeyModifiers, MouseEventKind};
use rdsight::model::{ResourceRef, ResourceType};
use rdsight::rules::Severity;
use rdsight::source::demo::demo_fleet;
use rdsight::tui::app::{Dialog, Effect, Msg, Scope};
use rdsight::tui::rows::{Pane, Row};

use helpers::*;
use tui::{demo_app, finish_load, is_load, press};

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
    assert!(effects.is_empty(), "no quit: {effects:?}");
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
        .map(|r| app.cells(r).1[1].to_string())
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
        .map(|r| app.cells(r).1[1].to_string())
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

    // The details pane is not rows, and the column header sorts rather
    // than selects: the same finding stays selected.
    press(&mut app, "g");
    let before = app.selected_row().unwrap().key();
    click(&mut app, areas.details.x + 5, areas.details.y + 2);
    assert_eq!(selected(&app, Pane::Findings), 0);
    click(&mut app, x, areas.first_row_y() - 1);
    assert_eq!(app.selected_row().unwrap().key(), before);
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

#[test]
fn clicking_a_column_header_sorts_by_it_and_again_reverses() {
    let mut app = app();
    press(&mut app, "3");
    let areas = app.areas();
    let header_y = areas.first_row_y() - 1;
    let name_x = (areas.table.x..areas.table.x + areas.table.width)
        .find(|x| rdsight::tui::layout::column_at(Pane::Snapshots, areas.table, *x) == Some(1))
        .unwrap();
    click(&mut app, name_x, header_y);
    assert_eq!(app.panes[Pane::Snapshots.index()].sort, Some((1, false)));
    let names = |app: &rdsight::tui::app::App| -> Vec<String> {
        app.rows(Pane::Snapshots)
            .iter()
            .map(|r| r.resource().id)
            .collect()
    };
    let ascending = names(&app);
    let mut sorted = ascending.clone();
    sorted.sort();
    assert_eq!(ascending, sorted);
    click(&mut app, name_x, header_y);
    assert_eq!(app.panes[Pane::Snapshots.index()].sort, Some((1, true)));
    let descending = names(&app);
    assert_eq!(descending.first(), ascending.last());
    // A click in the gutter left of the first column sorts nothing.
    click(&mut app, areas.table.x + 1, header_y);
    assert_eq!(app.panes[Pane::Snapshots.index()].sort, Some((1, true)));
}
