//! Browsing by keyboard: panes and movement, filter, sort and marks.

use rdsight::rules::Severity;
use rdsight::tui::rows::{Pane, Row};

use crate::support::app_helpers::*;
use crate::support::tui::press;

// ----- panes and movement --------------------------------------------------

#[test]
fn starts_on_findings_and_tab_backtab_and_digits_switch_panes() {
    let mut app = app();
    assert_eq!(app.focus, Pane::Findings);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Pane::Events, "Tab goes through the events");
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Pane::Clusters, "Tab wraps from the last pane");
    press(&mut app, "<Tab>");
    assert_eq!(app.focus, Pane::Instances);
    press(&mut app, "<BackTab> <BackTab>");
    assert_eq!(app.focus, Pane::Events, "BackTab wraps from the first");
    for (key, pane) in [
        ("1", Pane::Clusters),
        ("2", Pane::Instances),
        ("3", Pane::Snapshots),
        ("4", Pane::Findings),
        ("5", Pane::Events),
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
    // Two public snapshots, the one instance the internet reaches, the
    // unencrypted snapshot shared with a partner, and the snapshot the
    // demo's trail shows shared with everyone for five hours.
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
    assert_eq!(app.row_count(Pane::Instances), 1);
    assert_eq!(app.row_count(Pane::Snapshots), 4);
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
