//! The mouse and resizing: clicks, the wheel, column headers, a smaller terminal.

use crossterm::event::MouseEventKind;
use rdsight::tui::app::Msg;
use rdsight::tui::rows::Pane;

use crate::support::app_helpers::*;
use crate::support::tui::press;

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
    assert_eq!(app.focus, Pane::Events);
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
