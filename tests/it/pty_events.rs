//! The activity trail as an on-call engineer meets it: the real binary on
//! the demo in a pseudo-terminal — the Events pane, a filter by who, Enter
//! to the snapshot they shared, and its story in the details pane.

use crate::pty::{header_drawn, table_rows};
use crate::support::pty::{Tui, framed};

/// The details pane's text in the wide layout (right of the table), its
/// wrapped lines joined: a timeline line reads whole however it wrapped.
fn details_text(screen: &str) -> String {
    let text: Vec<&str> = screen
        .lines()
        .filter_map(|line| line.split_once("││").map(|(_, details)| details))
        .map(|details| details.trim_end().trim_end_matches('│'))
        .collect();
    text.join(" ")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Events table's rows in the wide layout, without the details pane
/// drawn beside them.
fn event_rows(screen: &str) -> Vec<String> {
    table_rows(screen, "Events")
        .iter()
        .filter_map(|line| line.split("││").next())
        .filter(|row| !row.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The demo's story: the developer who shared a cluster snapshot with all.
const DEVELOPER: &str = "dev-sam";
const SNAPSHOT: &str = "orders-prod-debug-2026-11-28";

#[test]
fn events_filtered_by_principal_lead_to_the_snapshot_and_its_timeline() {
    // Wide: the details pane sits beside the table, full height.
    // Tall enough that the snapshot's findings (the activity rules' among
    // them) and its timeline fit in the details at once.
    let tui = Tui::spawn(&["--demo"], 160, 90);
    let screen = tui.wait_for("the dashboard header", header_drawn);
    assert!(screen.contains("trail 7d"), "{}", framed(&screen));

    tui.send("5");
    let screen = tui.wait_for("the Events pane", |s| {
        s.contains("┌ Events [") && s.contains("TIME UTC")
    });
    let all = event_rows(&screen).len();
    assert!(all > 10, "the demo's week of events:\n{}", framed(&screen));

    tui.send("/");
    tui.type_text(&format!("principal:{DEVELOPER}"));
    tui.send("\r");
    let screen = tui.wait_for("the principal filter to apply", |s| {
        s.contains(&format!("filter: principal:{DEVELOPER}")) && s.contains("┌ Events [1/")
    });
    let rows = event_rows(&screen);
    assert!(
        !rows.is_empty() && rows.len() < all,
        "only the developer's calls:\n{}",
        framed(&screen)
    );
    assert!(
        rows.iter()
            .all(|r| r.contains(&format!("user/{DEVELOPER}"))),
        "{}",
        framed(&screen)
    );
    // Newest first: walk down to the call that shared the snapshot.
    let share = rows
        .iter()
        .position(|r| r.contains("ModifyDBClusterSna"))
        .unwrap_or_else(|| panic!("no share among:\n{}", framed(&screen)));
    for _ in 0..share {
        tui.send("j");
    }
    tui.wait_for("the share event's details", |s| {
        s.contains("event ModifyDBClusterSnapshotAttribute") && s.contains("shared with all")
    });

    tui.send("\r");
    let screen = tui.wait_for("the snapshot selected, with its timeline", |s| {
        s.contains(&format!("snapshot {SNAPSHOT}")) && s.contains("Activity (")
    });
    assert!(screen.contains("┌ Snapshots ["), "{}", framed(&screen));
    // Its story, newest first: taken back by on-call, exported, shared
    // with all, created — each with who and from where.
    let story = [
        "ModifyDBClusterSnapshotAttribute −all · role/platform-ops",
        "StartExportTask → s3://",
        &format!("ModifyDBClusterSnapshotAttribute +all · user/{DEVELOPER} · 203.0.113.47 · ok"),
        &format!("CreateDBClusterSnapshot → {SNAPSHOT} · user/{DEVELOPER}"),
    ];
    let details = details_text(&screen);
    let mut from = 0;
    for line in story {
        let at = details[from..]
            .find(line)
            .unwrap_or_else(|| panic!("`{line}` missing or out of order:\n{}", framed(&screen)));
        from += at + line.len();
    }
    // The principal filter left the snapshots whole: nothing was cleared.
    assert!(
        screen.contains(&format!("filter: principal:{DEVELOPER}")),
        "{}",
        framed(&screen)
    );
}
