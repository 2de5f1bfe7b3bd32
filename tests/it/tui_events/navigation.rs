//! Enter on an event goes to the resource it names, selected in its pane;
//! what the fleet does not hold is said in the footer, and the events
//! stay. Events are records: nothing to mark or fix.

use rdsight::model::{LoadError, ResourceList};
use rdsight::tui::app::Dialog;
use rdsight::tui::rows::{Pane, Row};

use super::fixture::{SHARED, app_with, trail_app, trail_fleet};
use super::{ids, shown_events};
use crate::support::fleets::REGION;
use crate::support::tui::press;

/// Select the fixture's event number `n` on the Events pane.
fn select_event(app: &mut rdsight::tui::app::App, n: usize) {
    press(app, "5 g");
    let position = shown_events(app)
        .iter()
        .position(|id| *id == ids(&[n])[0])
        .unwrap_or_else(|| panic!("event {n} not shown"));
    for _ in 0..position {
        press(app, "j");
    }
}

fn flash(app: &rdsight::tui::app::App) -> &str {
    app.flash.as_deref().unwrap_or_default()
}

#[test]
fn enter_on_an_event_selects_its_snapshot() {
    let mut app = trail_app((120, 36));
    select_event(&mut app, 2);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Snapshots);
    let Some(Row::Snapshot(s)) = app.selected_row() else {
        panic!("no snapshot selected");
    };
    assert_eq!(s.id, SHARED);
    assert!(flash(&app).contains("5 goes back"), "{}", flash(&app));
    // And back: the event is still selected.
    press(&mut app, "5");
    assert_eq!(app.selected_row().map(|r| r.key()), {
        let mut again = trail_app((120, 36));
        select_event(&mut again, 2);
        again.selected_row().map(|r| r.key())
    });
}

#[test]
fn enter_goes_to_an_instance_and_to_a_cluster_through_the_filter() {
    let mut app = trail_app((120, 36));
    select_event(&mut app, 11);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Instances);
    assert_eq!(app.selected_row().unwrap().resource().id, "billing");

    // A principal filter leaves the snapshots whole: Enter keeps it.
    let mut app = trail_app((120, 36));
    press(&mut app, "5 /principal:alice <Enter>");
    select_event(&mut app, 1);
    press(&mut app, "<Enter>");
    assert_eq!(app.selected_row().unwrap().resource().id, SHARED);
    assert_eq!(app.filter.text(), "principal:alice");

    // Free text that hides the snapshot is cleared, and the footer says so.
    let mut app = trail_app((120, 36));
    press(&mut app, "5 /dev-alice <Enter>");
    select_event(&mut app, 2);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Snapshots);
    assert_eq!(app.selected_row().unwrap().resource().id, SHARED);
    assert!(app.filter.is_empty());
    assert!(flash(&app).contains("filter hid it"), "{}", flash(&app));
}

#[test]
fn a_resource_not_in_the_fleet_is_said_and_the_events_stay() {
    let mut app = trail_app((120, 36));
    // Event 9 deleted `orders-old`: it is gone.
    select_event(&mut app, 9);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Events);
    assert!(flash(&app).contains("orders-old"), "{}", flash(&app));
    assert!(flash(&app).contains("not in the fleet"), "{}", flash(&app));
    // Event 5 names no resource.
    select_event(&mut app, 5);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Events);
    assert_eq!(flash(&app), "this event names no resource");
}

#[test]
fn a_resource_whose_list_failed_is_unknown_not_absent() {
    let mut fleet = trail_fleet();
    fleet.snapshots.retain(|s| s.id != SHARED);
    fleet.load_errors.push(LoadError {
        region: REGION.into(),
        what: ResourceList::DbClusterSnapshots,
        message: "AccessDenied".into(),
    });
    let mut app = app_with(fleet, (120, 36));
    select_event(&mut app, 2);
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, Pane::Events);
    assert!(flash(&app).contains("is unknown"), "{}", flash(&app));
}

#[test]
fn an_empty_events_pane_takes_enter_and_every_key_calmly() {
    let mut fleet = trail_fleet();
    fleet.events.clear();
    fleet.activity_reads.clear();
    let mut app = app_with(fleet, (80, 24));
    press(&mut app, "5 <Enter> j k G g s S <Space> f d /x <Enter>");
    assert_eq!(app.focus, Pane::Events);
    assert_eq!(app.row_count(Pane::Events), 0);
}

#[test]
fn events_are_not_marked_or_fixed_but_can_be_described() {
    let mut app = trail_app((120, 36));
    select_event(&mut app, 2);
    let effects = press(&mut app, "<Space>");
    assert!(effects.is_empty() && app.marked.is_empty());
    assert!(flash(&app).contains("nothing to fix or mark"));
    let effects = press(&mut app, "f");
    assert!(effects.is_empty() && app.dialog.is_none());
    assert!(flash(&app).contains("nothing to fix or mark"));
    press(&mut app, "d");
    let Some(Dialog::Describe { title, text, .. }) = &app.dialog else {
        panic!("no describe dialog");
    };
    assert!(title.contains("ModifyDBClusterSnapshotAttribute"));
    assert!(
        text.contains("\"valuesToAdd\"") || text.contains("\"added\""),
        "{text}"
    );
}

#[test]
fn a_drill_down_into_a_cluster_keeps_the_events_about_it() {
    let mut app = trail_app((120, 36));
    // The cluster `orders`: its member, its snapshot `orders-final`.
    press(&mut app, "1 <Enter> 5");
    assert_eq!(app.focus, Pane::Events);
    assert_eq!(shown_events(&app), ids(&[7, 6, 4, 3, 2, 1]));
    press(&mut app, "<Esc>");
    assert_eq!(app.row_count(Pane::Events), 11);
}
