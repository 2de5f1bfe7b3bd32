//! The filter words of the Events pane, through the app: each narrows the
//! events it speaks of and leaves the other panes whole.

use rdsight::tui::rows::Pane;

use super::fixture::trail_app;
use super::{ids, shown_events};
use crate::support::tui::press;

/// The events shown after typing `filter` on the Events pane.
fn filtered(filter: &str) -> Vec<String> {
    let mut app = trail_app((120, 36));
    // Words are typed with a space between them.
    let typed = filter.replace(' ', " <Space> ");
    press(&mut app, &format!("5 /{typed} <Enter>"));
    assert_eq!(app.filter.error, None, "{filter}");
    shown_events(&app)
}

#[test]
fn newest_first_by_default() {
    let app = {
        let mut app = trail_app((120, 36));
        press(&mut app, "5");
        app
    };
    assert_eq!(app.focus, Pane::Events);
    assert_eq!(
        shown_events(&app),
        ids(&[11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    );
}

#[test]
fn event_words_match_the_name_in_any_case() {
    assert_eq!(
        filtered("event:ModifyDBClusterSnapshotAttribute"),
        ids(&[7, 4, 2])
    );
    assert_eq!(filtered("event:snapshotattr"), ids(&[7, 4, 2]));
    assert_eq!(filtered("event:startexport"), ids(&[3]));
}

#[test]
fn principal_words_match_the_short_name_and_the_whole_arn() {
    let alice = ids(&[10, 3, 2, 1]);
    assert_eq!(filtered("principal:dev-alice"), alice);
    assert_eq!(filtered("principal:user/DEV-alice"), alice);
    assert_eq!(
        filtered("principal:arn:aws:iam::111111111111:user/dev-alice"),
        alice
    );
    // An assumed role by its role and by its session.
    assert_eq!(filtered("principal:role/securityaudit"), ids(&[4]));
    assert_eq!(
        filtered("principal:assumed-role/ci-unknown"),
        ids(&[7, 6, 5])
    );
    assert_eq!(filtered("principal:root"), ids(&[9]));
    assert_eq!(filtered("principal:backup.amazonaws"), ids(&[8]));
}

#[test]
fn ip_words_match_the_start_of_the_address() {
    assert_eq!(filtered("ip:203.0.113."), ids(&[7, 6, 5]));
    assert_eq!(filtered("ip:10."), ids(&[11, 4]));
    assert!(filtered("ip:0.113").is_empty());
}

#[test]
fn result_words_tell_refusals_from_errors_and_successes() {
    assert_eq!(filtered("result:denied"), ids(&[7, 6, 5]));
    assert_eq!(filtered("result:error"), ids(&[11, 7, 6, 5]));
    assert_eq!(filtered("result:ok"), ids(&[10, 9, 8, 4, 3, 2, 1]));
    assert_eq!(filtered("result:invalidparameter"), ids(&[11]));
}

#[test]
fn region_negation_and_free_text_work_on_events_too() {
    assert_eq!(filtered("region:eu-west"), ids(&[10]));
    assert_eq!(
        filtered("!result:denied !region:eu principal:alice"),
        ids(&[3, 2, 1])
    );
    // Free text matches any cell: the resource, the agent's tool.
    assert_eq!(filtered("orders-final-eu"), ids(&[10]));
    assert_eq!(filtered("boto3"), ids(&[7, 6, 5, 3]));
    assert_eq!(filtered("console"), ids(&[4]));
    assert_eq!(filtered("kind:db-snapshot"), ids(&[8]));
}

#[test]
fn event_words_leave_the_other_panes_whole_and_theirs_leave_events() {
    let mut app = trail_app((120, 36));
    let snapshots = app.row_count(Pane::Snapshots);
    press(
        &mut app,
        "5 /principal:alice <Space> !result:denied <Enter>",
    );
    assert_eq!(app.row_count(Pane::Snapshots), snapshots);
    assert_eq!(app.row_count(Pane::Events), 4);
    press(&mut app, "<Esc> /sev:critical <Enter>");
    assert_eq!(
        app.row_count(Pane::Events),
        11,
        "severity says nothing of events"
    );
    assert!(app.row_count(Pane::Snapshots) < snapshots);
}

#[test]
fn s_sorts_the_events_by_their_columns() {
    let mut app = trail_app((120, 36));
    press(&mut app, "5 s");
    // The first `s` sorts by the second column: REGION.
    assert_eq!(app.flash.as_deref(), Some("sorted by REGION"));
    let regions: Vec<String> = app
        .rows(Pane::Events)
        .iter()
        .map(|r| r.region().to_string())
        .collect();
    let mut sorted = regions.clone();
    sorted.sort();
    assert_eq!(regions, sorted);
    // Past the last column, back to the default: newest first.
    press(&mut app, "s s s s s s s");
    assert_eq!(app.panes[Pane::Events.index()].sort, None);
    assert_eq!(shown_events(&app)[0], ids(&[11])[0]);
    // `S` sorts by TIME: oldest first, then reversed.
    press(&mut app, "S");
    assert_eq!(app.panes[Pane::Events.index()].sort, Some((0, false)));
    assert_eq!(
        shown_events(&app),
        ids(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    );
    press(&mut app, "S");
    assert_eq!(shown_events(&app)[0], ids(&[11])[0]);
}
