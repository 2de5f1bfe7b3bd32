//! The Events pane and the timelines as a person sees them: whole screens
//! as text, at 80×24 and 160×48, and hostile strings shown, never acted on.

use rdsight::tui::rows::{Pane, Row};

use super::fixture::{EVIL_ARN, SHARED, trail_app};
use crate::support::tui::{press, screen};

/// Whether `text` holds a character a terminal would act on.
fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn events_pane_at_80x24() {
    let mut app = trail_app((80, 24));
    press(&mut app, "5 j");
    let text = screen(&app, 80, 24);
    // Who did what and what AWS said, even at 80 columns.
    for header in ["TIME UTC", "EVENT", "RESOURCE", "PRINCIPAL", "RESULT"] {
        assert!(text.contains(header), "{header} missing:\n{text}");
    }
    assert!(text.contains("trail 7d"), "{text}");
    assert!(!has_control(&text));
    insta::assert_snapshot!("events_pane_80x24", text);
}

#[test]
fn events_pane_at_160x48() {
    let mut app = trail_app((160, 48));
    press(&mut app, "5 j j j j");
    let Some(Row::Event(e)) = app.selected_row() else {
        panic!("no event selected");
    };
    assert_eq!(e.name, "ModifyDBClusterSnapshotAttribute");
    assert!(e.is_denied());
    let text = screen(&app, 160, 48);
    for needed in [
        "SOURCE IP",
        "203.0.113.50",
        "role/ci-unknown",
        "AccessDenied",
        "Boto3/1.34.0",
        "role arn:aws:iam::111111111111:role/ci-unknown",
    ] {
        assert!(text.contains(needed), "{needed} missing:\n{text}");
    }
    insta::assert_snapshot!("events_pane_160x48", text);
}

#[test]
fn a_snapshots_details_tell_its_story_newest_first() {
    let mut app = trail_app((120, 36));
    press(&mut app, &format!("3 /{SHARED} <Enter>"));
    let Some(Row::Snapshot(s)) = app.selected_row() else {
        panic!("no snapshot selected");
    };
    assert_eq!(s.id, SHARED);
    // Its activity findings come first: scroll the details to its timeline.
    press(&mut app, "J J J J J J J J");
    let text = screen(&app, 120, 36);
    let story = [
        "CopyDBClusterSnapshot → orders-final-eu in eu-west-1",
        "ModifyDBClusterSnapshotAttribute",
        "CopyDBClusterSnapshot · role/ci-unknown",
        "ModifyDBClusterSnapshotAttribute −all · role/SecurityAudit",
        "StartExportTask → s3://exfil-bucket",
        "ModifyDBClusterSnapshotAttribute +all · user/dev-alice · 198.51.100.23 · ok",
    ];
    let mut from = 0;
    for line in story {
        let at = text[from..]
            .find(line)
            .unwrap_or_else(|| panic!("`{line}` missing or out of order:\n{text}"));
        from += at + line.len();
    }
    // The refusal that named no resource is not in it.
    assert!(text.contains("Activity (7) over 7d"), "{text}");
    assert!(!text.contains("DescribeDBClusterSnapshots"), "{text}");
    assert!(
        !text.contains("more: press 5"),
        "eight fit under the cap:\n{text}"
    );
    insta::assert_snapshot!("events_snapshot_timeline", text);
}

#[test]
fn a_long_timeline_is_capped_and_says_where_the_rest_is() {
    let mut fleet = super::fixture::trail_fleet();
    let refusal = fleet.events[5].clone();
    for n in 0..20 {
        fleet.events.push(rdsight::model::Event {
            id: format!("burst-{n}"),
            time: format!("2026-11-30T11:{n:02}:00Z"),
            ..refusal.clone()
        });
    }
    let mut app = super::fixture::app_with(fleet, (160, 48));
    press(&mut app, &format!("3 /{SHARED} <Enter>"));
    let text = screen(&app, 160, 48);
    assert!(text.contains("Activity (27)"), "{text}");
    assert!(
        text.contains("… and 19 more: press 5, then / orders-final"),
        "{text}"
    );
}

#[test]
fn a_clusters_details_include_the_snapshots_taken_of_it() {
    let mut app = trail_app((160, 48));
    press(&mut app, "1");
    let text = screen(&app, 160, 48);
    assert!(text.contains("Activity (1)"), "{text}");
    assert!(
        text.contains("11-28 09:00 CreateDBClusterSnapshot → orders-final"),
        "{text}"
    );
}

#[test]
fn an_events_details_show_everything_the_trail_kept() {
    let mut app = trail_app((160, 48));
    // The newest first: 11 10 9 8 7 6 5 4 3 — the export is ninth.
    press(&mut app, "5 j j j j j j j j");
    let Some(Row::Event(e)) = app.selected_row() else {
        panic!("no event selected");
    };
    assert_eq!(e.name, "StartExportTask");
    let text = screen(&app, 160, 48);
    for needed in [
        "arn arn:aws:iam::111111111111:user/dev-alice",
        "bucket s3://exfil-bucket",
        "role arn:aws:iam::111111111111:role/export",
        "key arn:aws:kms:us-east-1:111111111111:key/k-9",
        "with Boto3/1.34.0",
        "agent Boto3/1.34.0 md/Botocore#1.34.0",
        "event id e03-4f1c-9a7e",
        "Enter goes to it",
    ] {
        assert!(text.contains(needed), "{needed} missing:\n{text}");
    }
    insta::assert_snapshot!("events_details_export", text);
}

#[test]
fn hostile_strings_are_shown_escaped_and_never_reach_the_terminal() {
    for size in [(80, 24), (160, 48)] {
        let mut app = trail_app(size);
        // The hostile event is the newest: selected first.
        press(&mut app, "5");
        let Some(Row::Event(e)) = app.selected_row() else {
            panic!("no event selected");
        };
        assert_eq!(e.principal.arn, EVIL_ARN);
        let text = screen(&app, size.0, size.1);
        assert!(
            !has_control(&text),
            "a control character reached the screen:\n{text}"
        );
        assert!(text.contains("\\u{1b}"), "escapes are shown:\n{text}");
        // The 5000-character agent is cut to a few lines, not a screenful.
        let shown = text.matches('A').count();
        assert!(shown <= 600, "{shown} characters of agent:\n{text}");
        assert_eq!(app.focus, Pane::Events);
    }
}
