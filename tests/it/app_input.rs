//! `App::update` for input that must not misfire: pastes are text for the
//! prompt that has focus, a plan dialog takes only keys pressed after it
//! was drawn, the too-small screen takes no key but quit, and the filter
//! narrows incrementally to the same rows it would find from scratch.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use rdsight::model::Fleet;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::source::synthetic::synthetic_fleet;
use rdsight::tui::app::{App, CONFIRM_GUARD, Effect, MAX_PASTE, Msg, PlanStage};
use rdsight::tui::rows::{Pane, RowKey};

use crate::support::app_helpers::*;
use crate::support::tui::{app_on, finish_load, next_key_time, press, screen};

fn key_at(app: &mut App, c: char, at: Instant) -> Vec<Effect> {
    let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    app.update(Msg::Key { key, at })
}

fn enter_at(app: &mut App, at: Instant) -> Vec<Effect> {
    let key = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    app.update(Msg::Key { key, at })
}

fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    app.update(Msg::Paste(text.to_string()))
}

fn typed(app: &App) -> String {
    match &plan_dialog(app).stage {
        PlanStage::TypeToConfirm { typed } => typed.clone(),
        other => panic!("expected the typed confirmation, got {other:?}"),
    }
}

fn flash(app: &App) -> String {
    app.flash.clone().unwrap_or_default()
}

/// Every pane's visible rows, in order.
fn all_rows(app: &App) -> Vec<Vec<RowKey>> {
    Pane::ALL
        .iter()
        .map(|pane| app.rows(*pane).iter().map(|r| r.key()).collect())
        .collect()
}

// ----- pastes ------------------------------------------------------------------

#[test]
fn a_paste_into_the_filter_is_one_change_to_it() {
    let mut by_keys = app();
    let mut app = app();
    press(&mut app, "/");
    assert!(paste(&mut app, "rule:snapshot-public").is_empty());
    assert_eq!(app.filter_input.as_deref(), Some("rule:snapshot-public"));
    assert_eq!(app.filter.text(), "rule:snapshot-public");
    // The same rows as typing it key by key.
    press(&mut by_keys, "/rule:snapshot-public");
    assert_eq!(all_rows(&app), all_rows(&by_keys));
    assert_eq!(app.row_count(Pane::Findings), 2);
    // It joins what was typed before it, as typing on would.
    press(&mut app, "<BS> <BS> <BS> <BS> <BS> <BS>");
    paste(&mut app, "public analytics");
    assert_eq!(app.filter.text(), "rule:snapshot-public analytics");
    assert_eq!(app.row_count(Pane::Findings), 1);
}

#[test]
fn a_pasted_newline_separates_words_and_never_ends_the_filter() {
    let mut app = app();
    press(&mut app, "4 /");
    // Typed, this would keep the filter, then open the selected
    // critical finding's plan and confirm it.
    let effects = paste(&mut app, "sev:critical\nfy");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.filter_input.as_deref(), Some("sev:critical fy"));
    assert!(app.dialog.is_none());
    assert!(app.activities.is_empty());
    // Runs of line breaks and other control characters are one space.
    press(&mut app, "<Esc> /");
    paste(&mut app, "rule:snapshot-public\r\n\r\n\tanalytics\n");
    assert_eq!(
        app.filter_input.as_deref(),
        Some("rule:snapshot-public analytics ")
    );
    assert_eq!(app.row_count(Pane::Findings), 1);
    // Enter, pressed afterwards, keeps it.
    press(&mut app, "<Enter>");
    assert_eq!(app.filter_input, None);
    assert_eq!(app.filter.text(), "rule:snapshot-public analytics ");
}

#[test]
fn a_paste_with_no_text_field_focused_does_nothing_and_says_so() {
    let mut app = app();
    press(&mut app, "4");
    let before = selected(&app, Pane::Findings);
    let effects = paste(&mut app, "fy\nq");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.dialog.is_none());
    assert!(app.filter_input.is_none());
    assert_eq!(app.focus, Pane::Findings);
    assert_eq!(selected(&app, Pane::Findings), before);
    assert!(
        flash(&app).contains("paste ignored: no text field has focus"),
        "{}",
        flash(&app)
    );

    // Nor on the plan under review: it has no text field.
    open_plan_for(&mut app, "snapshot-public");
    let effects = paste(&mut app, "y\n");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(plan_dialog(&app).stage, PlanStage::Review);
    assert!(flash(&app).contains("paste ignored"), "{}", flash(&app));
    assert!(app.activities.is_empty());
}

#[test]
fn a_paste_into_the_typed_confirmation_types_the_id_and_never_confirms() {
    let mut app = app();
    open_plan_for(&mut app, "backups-disabled");
    let id = plan_dialog(&app).plan.confirmation_text().unwrap();
    press(&mut app, "y");
    assert_eq!(typed(&app), "");

    // A copied id with its line break: typed, not submitted.
    let effects = paste(&mut app, &format!("{id}\r\n"));
    assert!(effects.is_empty(), "a paste must not confirm: {effects:?}");
    assert_eq!(typed(&app), id);
    assert!(app.activities.is_empty());
    // Enter, pressed, runs it.
    let (_, plan) = only_run_plan(press(&mut app, "<Enter>"));
    assert_eq!(plan.confirmation_text().as_deref(), Some(id.as_str()));
}

#[test]
fn a_paste_longer_than_the_limit_is_cut_and_says_so() {
    let mut app = app();
    press(&mut app, "/");
    paste(&mut app, &"x".repeat(MAX_PASTE * 2));
    assert_eq!(app.filter_input.as_ref().map(String::len), Some(MAX_PASTE));
    assert!(flash(&app).contains("cut"), "{}", flash(&app));
}

// ----- the plan dialog's guard -------------------------------------------------

/// The demo app with the snapshot-public findings filtered in pane 4 and
/// the first one selected; the time of the last key pressed.
fn app_before_f() -> (App, Instant) {
    let mut app = app();
    press(&mut app, "/rule:snapshot-public <Enter> 4");
    let last = next_key_time();
    (app, last)
}

#[test]
fn keys_queued_before_the_plan_was_drawn_are_swallowed() {
    let (mut app, t) = app_before_f();
    // `f y` typed together: the y arrives before the plan is drawn.
    assert!(key_at(&mut app, 'f', t).is_empty());
    plan_dialog(&app);
    assert!(key_at(&mut app, 'y', t + Duration::from_millis(5)).is_empty());
    assert!(enter_at(&mut app, t + Duration::from_millis(6)).is_empty());
    assert!(app.activities.is_empty());
    assert!(flash(&app).starts_with("key ignored"), "{}", flash(&app));

    // Drawn now; keys inside the guard are still swallowed.
    let drawn = t + Duration::from_millis(20);
    app.update(Msg::Drawn { at: drawn });
    let early = drawn + CONFIRM_GUARD - Duration::from_millis(1);
    assert!(key_at(&mut app, 'y', early).is_empty());
    assert!(app.activities.is_empty());
    plan_dialog(&app);

    // A key pressed once the plan has been on screen for the guard works,
    // and the notice goes.
    let (_, plan) = only_run_plan(key_at(&mut app, 'y', drawn + CONFIRM_GUARD));
    assert!(app.dialog.is_none());
    assert_eq!(plan.steps.len(), 1);
    assert!(!flash(&app).starts_with("key ignored"), "{}", flash(&app));
}

#[test]
fn later_frames_do_not_restart_the_guard() {
    let (mut app, t) = app_before_f();
    key_at(&mut app, 'f', t);
    app.update(Msg::Drawn { at: t });
    // Redraws (ticks, progress) while the user reads.
    app.update(Msg::Drawn {
        at: t + CONFIRM_GUARD,
    });
    assert_eq!(
        only_run_plan(key_at(&mut app, 'y', t + CONFIRM_GUARD))
            .1
            .steps
            .len(),
        1
    );
}

#[test]
fn scrolling_waits_for_the_guard_but_backing_out_does_not() {
    let (mut app, t) = app_before_f();
    key_at(&mut app, 'f', t);
    app.update(Msg::Drawn { at: t });
    key_at(&mut app, 'j', t + Duration::from_millis(10));
    assert_eq!(plan_dialog(&app).scroll, 0);
    // Esc and n send nothing: never held back.
    assert!(key_at(&mut app, 'n', t + Duration::from_millis(20)).is_empty());
    assert!(app.dialog.is_none());
    assert!(flash(&app).contains("nothing was sent"), "{}", flash(&app));
}

#[test]
fn the_typed_confirmation_and_a_changed_plan_start_the_guard_again() {
    let mut app = app();
    open_plan_for(&mut app, "backups-disabled");
    let id = plan_dialog(&app).plan.confirmation_text().unwrap();
    assert!(plan_dialog(&app).plan.has_window_choice());
    let t = next_key_time();

    // `a` changes what would be sent: the y right behind it is swallowed.
    key_at(&mut app, 'a', t);
    assert!(plan_dialog(&app).options.apply_immediately);
    assert!(key_at(&mut app, 'y', t + Duration::from_millis(5)).is_empty());
    assert_eq!(plan_dialog(&app).stage, PlanStage::Review);
    app.update(Msg::Drawn {
        at: t + Duration::from_millis(10),
    });
    let t = t + Duration::from_millis(10) + CONFIRM_GUARD;
    key_at(&mut app, 'y', t);
    assert_eq!(typed(&app), "");

    // The prompt to type the id is new too: keys typed ahead of it are
    // dropped, not typed.
    for (n, c) in id.chars().enumerate() {
        key_at(&mut app, c, t + Duration::from_millis(n as u64));
    }
    assert!(enter_at(&mut app, t + Duration::from_millis(100)).is_empty());
    assert_eq!(typed(&app), "");
    assert!(app.activities.is_empty());
    assert!(flash(&app).starts_with("key ignored"), "{}", flash(&app));

    let drawn = t + Duration::from_millis(150);
    app.update(Msg::Drawn { at: drawn });
    let t = drawn + CONFIRM_GUARD;
    for (n, c) in id.chars().enumerate() {
        key_at(&mut app, c, t + Duration::from_millis(n as u64));
    }
    assert_eq!(typed(&app), id);
    let (_, plan) = only_run_plan(enter_at(&mut app, t + Duration::from_secs(1)));
    assert_eq!(plan.confirmation_text().as_deref(), Some(id.as_str()));
}

#[test]
fn a_plan_hidden_by_the_too_small_screen_is_not_seen() {
    let (mut app, t) = app_before_f();
    key_at(&mut app, 'f', t);
    app.update(Msg::Resize(60, 20));
    // Frames of the size message do not show the plan.
    app.update(Msg::Drawn { at: t });
    app.update(Msg::Resize(120, 36));
    assert!(key_at(&mut app, 'y', t + CONFIRM_GUARD * 2).is_empty());
    assert!(app.activities.is_empty());
    let drawn = t + CONFIRM_GUARD * 3;
    app.update(Msg::Drawn { at: drawn });
    only_run_plan(key_at(&mut app, 'y', drawn + CONFIRM_GUARD));
}

// ----- the too-small screen ----------------------------------------------------

#[test]
fn the_too_small_screen_takes_no_key_but_quit() {
    let mut app = app();
    press(&mut app, "/rule:snapshot-public <Enter> 4");
    let rows = all_rows(&app);
    app.update(Msg::Resize(60, 20));
    assert!(app.too_small());

    let effects = press(&mut app, "4 f y <Enter> / 1 r <Esc> ?");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.dialog.is_none());
    assert!(app.filter_input.is_none());
    assert_eq!(app.focus, Pane::Findings);
    assert_eq!(app.filter.text(), "rule:snapshot-public");
    assert!(paste(&mut app, "fy").is_empty());
    // No mouse action either: a click on where the Clusters tab would be.
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 3,
        row: 2,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.focus, Pane::Findings);
    assert_eq!(all_rows(&app), rows);

    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let at = next_key_time();
    assert_eq!(app.update(Msg::Key { key: ctrl_c, at }), vec![Effect::Quit]);
}

#[test]
fn with_plans_running_the_too_small_screen_asks_for_a_second_q() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    only_run_plan(press(&mut app, "y"));
    app.update(Msg::Resize(60, 20));
    assert!(press(&mut app, "q").is_empty());
    let text = screen(&app, 60, 20);
    assert!(
        text.contains("bigger terminal") && text.contains("q again"),
        "{text}"
    );
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
}

#[test]
fn q_quits_from_the_too_small_screen_even_in_a_text_field() {
    let mut app = app();
    press(&mut app, "/");
    app.update(Msg::Resize(79, 24));
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    assert_eq!(app.filter_input.as_deref(), Some(""));
}

#[test]
fn keys_act_again_once_the_terminal_is_big_enough() {
    let mut app = app();
    app.update(Msg::Resize(80, 23));
    press(&mut app, "1");
    assert_eq!(app.focus, Pane::Findings);
    app.update(Msg::Resize(80, 24));
    press(&mut app, "1");
    assert_eq!(app.focus, Pane::Clusters);
}

// ----- the filter, incrementally -----------------------------------------------

/// The rows an app shows for `filter` worked out from scratch: typed,
/// kept, then the fleet loaded again (which rebuilds every pane).
fn from_scratch(fleet: &Fleet, filter: &str) -> Vec<Vec<RowKey>> {
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, fleet.clone(), SIZE);
    press(&mut app, "/");
    paste(&mut app, filter);
    press(&mut app, "<Enter>");
    finish_load(&mut app, Ok(fleet.clone()));
    all_rows(&app)
}

#[test]
fn typing_on_narrows_to_the_rows_a_fresh_filter_finds() {
    let fleet = demo_fleet().unwrap();
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, fleet.clone(), SIZE);
    press(&mut app, "/");
    // Each step is checked against the same filter worked out afresh:
    // typing on (narrows), erasing (widens), negating, structured words.
    let steps = [
        "p", "r", "o", "d", "<BS>", "<BS>", "<Space>", "s", "e", "v", ":", "h", "i", "g", "h", "+",
        "<Space>", "!", "r", "e", "g", "i", "o", "n", ":", "u", "s", "<BS>", "<BS>", "e", "u",
    ];
    let mut text = String::new();
    for step in steps {
        press(&mut app, step);
        match step {
            "<BS>" => {
                text.pop();
            }
            "<Space>" => text.push(' '),
            c => text.push_str(c),
        }
        assert_eq!(app.filter.text(), text);
        assert_eq!(
            all_rows(&app),
            from_scratch(&fleet, &text),
            "after `{text}`"
        );
    }
    // A paste on top narrows again.
    paste(&mut app, " legacy\nsqlserver");
    let text = format!("{text} legacy sqlserver");
    assert_eq!(
        all_rows(&app),
        from_scratch(&fleet, &text),
        "after `{text}`"
    );
}

#[test]
fn a_drill_down_is_never_narrowed_from_the_wrong_rows() {
    let mut app = app();
    press(&mut app, "/e <Enter> 1 <Enter>");
    let in_cluster = all_rows(&app);
    press(&mut app, "<Esc>");
    // Back out of the drill-down: every pane shows all rows with an `e`.
    let everywhere = all_rows(&app);
    assert!(
        everywhere
            .iter()
            .zip(&in_cluster)
            .all(|(all, scoped)| all.len() >= scoped.len())
    );
    assert!(everywhere.iter().map(Vec::len).sum::<usize>() > in_cluster.iter().map(Vec::len).sum());
    press(&mut app, "/x");
    let fleet = demo_fleet().unwrap();
    assert_eq!(all_rows(&app), from_scratch(&fleet, "ex"));
}

/// A 1 KB block of the fleet's own JSON with its line breaks, as an
/// accidental paste would bring (the same as `benches/tui.rs` pastes).
fn one_kb_paste(fleet: &Fleet) -> String {
    let json = serde_json::to_string_pretty(&fleet.instances[..4]).unwrap();
    let mut end = 1024;
    while !json.is_char_boundary(end) {
        end -= 1;
    }
    json[..end].to_string()
}

/// Not a benchmark (the budget lives in `benches/tui.rs`): the same paste
/// on 100k resources works in one pass, and how long it took is printed
/// (`--nocapture`) for a look at a debug build.
#[test]
fn a_1kb_paste_into_the_filter_on_100k_resources() {
    let fleet = synthetic_fleet(100_000, 1);
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, fleet.clone(), SIZE);
    let text = one_kb_paste(&fleet);
    assert_eq!(text.len(), 1024);
    press(&mut app, "/");
    // The first text filter builds each pane's text index: once per load.
    paste(&mut app, "i");
    press(&mut app, "<BS>");

    let started = Instant::now();
    paste(&mut app, &text);
    let took = started.elapsed();
    eprintln!("1 KB paste into the filter, 100k resources, this build: {took:?}");

    // One filter of the whole paste, line breaks and all, still typed.
    let input = app
        .filter_input
        .clone()
        .expect("the paste ended the filter");
    assert!(!input.contains('\n'));
    assert!(input.split_whitespace().eq(text.split_whitespace()));
    assert!(app.filter.words().len() > 20);
    // JSON words are in no cell: nothing passes.
    assert_eq!(all_rows(&app).iter().map(Vec::len).sum::<usize>(), 0);
}
