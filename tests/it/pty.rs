//! The dashboard as a person sees it: the real binary in a pseudo-terminal,
//! keys typed into it, and the screen read back through a terminal emulator.

use std::time::Duration;

use crate::support::moto::{MOTO_ACCOUNT, Moto};
use crate::support::pty::{Tui, find_bytes, framed, rfind_bytes};
use crate::support::seed::{US, WORLD_IPV4, seed, world_open_on_pg};

/// The demo fleet's publicly shared snapshots.
const PUBLIC_SNAPSHOTS: [&str; 2] = [
    "analytics-warehouse-share-2026-11-20",
    "legacy-crm-sqlserver-final-export-2026-06",
];

/// The dashboard header is drawn and the fleet is loaded: before the load
/// finishes the header already reads `0/0 resources passing` and `loading…`.
pub(super) fn header_drawn(screen: &str) -> bool {
    screen.contains("resources passing")
        && screen.contains("refreshed")
        && !screen.contains("loading…")
}

/// The number in the header's `◆ N critical`.
fn critical_count(screen: &str) -> Option<usize> {
    screen.lines().find_map(|line| {
        let rest = &line[line.find("◆ ")? + "◆ ".len()..];
        let (n, unit) = rest.split_once(' ')?;
        unit.starts_with("critical").then(|| n.parse().ok())?
    })
}

/// Data rows of the focused table: the lines between its column header and
/// its bottom border, without the borders. The Findings pane's title is
/// `┌ Findings [i/n] ─…`.
pub(super) fn table_rows(screen: &str, pane: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let title = format!("┌ {pane} [");
    let Some(top) = lines.iter().position(|l| l.starts_with(&title)) else {
        return Vec::new();
    };
    lines[top + 2..]
        .iter()
        .take_while(|l| !l.starts_with('└'))
        .map(|l| l.trim_start_matches('│').trim_end_matches('│').to_string())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Finding rows of a rule in the Findings table.
pub(super) fn finding_rows(screen: &str, rule: &str) -> Vec<String> {
    table_rows(screen, "Findings")
        .into_iter()
        .filter(|row| row.split_whitespace().any(|cell| cell == rule))
        .collect()
}

/// The RESOURCE cell of a finding row: the word after the RULE cell (it
/// may end in `…` when cut to the column).
fn resource_cell(row: &str) -> String {
    let mut words = row.split_whitespace();
    words.find(|w| w.contains('-') && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    words.next().unwrap_or_default().to_string()
}

/// Whether a (possibly cut) cell shows `id`.
fn shows(cell: &str, id: &str) -> bool {
    let shown = cell.trim_end_matches('…');
    !shown.is_empty() && id.starts_with(shown)
}

/// Focus Findings and filter it with `filter`.
pub(super) fn filter_findings(tui: &Tui, filter: &str) {
    tui.send("4");
    tui.send("/");
    tui.type_text(filter);
    tui.send("\r");
    tui.wait_for(&format!("the filter `{filter}` to apply"), |s| {
        s.contains(&format!("filter: {filter}")) && s.contains("┌ Findings [")
    });
}

#[test]
fn remediates_a_public_snapshot_with_keys() {
    let mut tui = Tui::demo();
    let screen = tui.wait_for("the dashboard header", header_drawn);
    let critical_before = critical_count(&screen)
        .unwrap_or_else(|| panic!("no critical count in the header:\n{}", framed(&screen)));
    assert!(
        critical_before >= PUBLIC_SNAPSHOTS.len(),
        "each public snapshot is a critical finding:\n{}",
        framed(&screen)
    );

    filter_findings(&tui, "rule:snapshot-public");
    let screen = tui.wait_for("snapshot-public findings", |s| {
        !finding_rows(s, "snapshot-public").is_empty()
    });
    let rows_before = finding_rows(&screen, "snapshot-public");
    assert_eq!(
        rows_before.len(),
        PUBLIC_SNAPSHOTS.len(),
        "expected one row per public demo snapshot:\n{}",
        framed(&screen)
    );
    // The first row is selected: that is the one `f` fixes.
    let cell = resource_cell(&rows_before[0]);
    let target = *PUBLIC_SNAPSHOTS
        .iter()
        .find(|id| shows(&cell, id))
        .unwrap_or_else(|| panic!("unexpected resource `{cell}`:\n{}", framed(&screen)));
    let other = *PUBLIC_SNAPSHOTS.iter().find(|id| **id != target).unwrap();

    tui.send("f");
    tui.wait_for("the remediation plan", |s| {
        s.contains("Remediation plan")
            && s.contains("ModifyDB")
            && s.contains("ValuesToRemove")
            && s.contains(target)
    });

    tui.read_the_dialog();
    tui.send("y");
    let screen = tui.wait_for("the snapshot to stop being public", |s| {
        let rows = finding_rows(s, "snapshot-public");
        rows.len() == rows_before.len() - 1
            && !rows.iter().any(|r| shows(&resource_cell(r), target))
            && critical_count(s) == Some(critical_before - 1)
    });
    let rows_after = finding_rows(&screen, "snapshot-public");
    assert!(
        shows(&resource_cell(&rows_after[0]), other),
        "the other public snapshot should still be listed:\n{}",
        framed(&screen)
    );

    let log = tui.audit_lines();
    let api_lines = |phase: &str| {
        log.iter()
            .filter(|l| {
                l.contains(&format!("\"phase\":\"{phase}\""))
                    && l.contains("rds:ModifyDB")
                    && l.contains("SnapshotAttribute")
                    && l.contains(target)
            })
            .count()
    };
    assert_eq!(api_lines("started"), 1, "audit log:\n{}", log.join("\n"));
    assert_eq!(api_lines("succeeded"), 1, "audit log:\n{}", log.join("\n"));
    // The demo audits beside the real log: `undo` never finds a demo change.
    assert!(
        tui.real_audit_lines().is_empty(),
        "{:?}",
        tui.real_audit_lines()
    );

    tui.send("q");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn q_restores_the_terminal() {
    let mut tui = Tui::demo();
    tui.wait_for("the dashboard header", header_drawn);
    tui.send("q");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status {status:?}");
    tui.wait_output_end(Duration::from_secs(2));

    let raw = tui.raw_output();
    let dump = || String::from_utf8_lossy(&raw).escape_debug().to_string();
    let entered = find_bytes(&raw, b"\x1b[?1049h")
        .unwrap_or_else(|| panic!("never entered the alternate screen: {}", dump()));
    let left = rfind_bytes(&raw, b"\x1b[?1049l")
        .unwrap_or_else(|| panic!("never left the alternate screen: {}", dump()));
    assert!(entered < left, "left before entering: {}", dump());

    // crossterm's EnableMouseCapture turns on 1000, 1002, 1003, 1015 and
    // 1006; DisableMouseCapture turns them off in reverse.
    let mouse_on = rfind_bytes(&raw, b"\x1b[?1000h")
        .unwrap_or_else(|| panic!("mouse capture was never enabled: {}", dump()));
    for mode in ["1000", "1002", "1003", "1006", "1015"] {
        let off = format!("\x1b[?{mode}l");
        let at = rfind_bytes(&raw, off.as_bytes());
        assert!(
            at.is_some_and(|at| at > mouse_on),
            "mouse mode {mode} left on: {}",
            dump()
        );
    }

    // Bracketed paste (2004) is turned on with the dashboard and off again.
    let paste_on = rfind_bytes(&raw, b"\x1b[?2004h")
        .unwrap_or_else(|| panic!("bracketed paste was never enabled: {}", dump()));
    assert!(
        rfind_bytes(&raw, b"\x1b[?2004l").is_some_and(|off| off > paste_on),
        "bracketed paste left on: {}",
        dump()
    );

    let shown = rfind_bytes(&raw, b"\x1b[?25h")
        .unwrap_or_else(|| panic!("the cursor was never shown again: {}", dump()));
    if let Some(hidden) = rfind_bytes(&raw, b"\x1b[?25l") {
        assert!(hidden < shown, "the cursor is left hidden: {}", dump());
    }
}

#[test]
fn q_quits_at_once_while_a_large_fleet_file_loads() {
    /// Deletes the file when the test ends, passed or not.
    struct Scratch(std::path::PathBuf);
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
    let scratch = Scratch(
        std::env::temp_dir().join(format!("rdsight-pty-big-fleet-{}.json", std::process::id())),
    );
    let file = &scratch.0;
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_rdsight"))
        .args(["export-fleet", "--synthetic", "100000", "--seed", "1"])
        .stdout(std::fs::File::create(file).unwrap())
        .status()
        .unwrap();
    assert!(export.success(), "export-fleet: {export:?}");

    let mut tui = Tui::spawn(&["--fleet", file.to_str().unwrap()], 120, 36);
    // Reading 100k resources takes seconds (many in a debug build): the
    // first frame says it is loading.
    tui.wait_for("the first frame", |s| s.contains("loading…"));
    tui.send("q");
    let status = tui.wait_exit(Duration::from_secs(3));
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn small_terminal_says_what_size_it_needs() {
    let tui = Tui::spawn(&["--demo"], 60, 20);
    tui.wait_for("the too-small message", |s| {
        s.contains("rdsight needs a bigger terminal")
            && s.contains("at least 80×24; this one is 60×20")
    });
    tui.resize(120, 36);
    let screen = tui.wait_for("the dashboard after resizing", |s| {
        header_drawn(s) && s.contains("┌ Findings [")
    });
    assert!(
        !screen.contains("bigger terminal"),
        "the too-small message stayed:\n{}",
        framed(&screen)
    );
}

#[test]
fn typed_confirmation_guards_an_outage() {
    let tui = Tui::demo();
    tui.wait_for("the dashboard header", header_drawn);
    filter_findings(&tui, "rule:backups-disabled");
    let screen = tui.wait_for("a backups-disabled finding", |s| {
        !finding_rows(s, "backups-disabled").is_empty()
    });
    // The selected (first) row; turning backups on restarts its instance,
    // so the plan asks for the instance id.
    let id = resource_cell(&finding_rows(&screen, "backups-disabled")[0]);
    assert!(
        !id.is_empty() && !id.ends_with('…'),
        "cannot read the instance id:\n{}",
        framed(&screen)
    );

    tui.send("f");
    tui.wait_for("the remediation plan", |s| {
        s.contains("Remediation plan")
            && s.contains("ModifyDBInstance")
            && s.contains(&format!("DBInstanceIdentifier = {id}"))
    });
    assert!(
        tui.audit_lines().is_empty(),
        "opening the plan sent something: {:?}",
        tui.audit_lines()
    );
    tui.read_the_dialog();
    tui.send("y");
    tui.wait_for("the prompt to type the id", typing_prompt);

    tui.read_the_dialog();
    tui.type_text("not-the-right-id");
    tui.send("\r");
    let screen = tui.wait_for("the mismatch message", |s| {
        s.contains("does not match") && s.contains("> not-the-right-id")
    });
    assert!(
        screen.contains("Remediation plan") && typing_prompt(&screen),
        "the dialog left the typed confirmation after a wrong id:\n{}",
        framed(&screen)
    );
    assert!(
        tui.audit_lines().is_empty(),
        "a wrong id sent something: {:?}",
        tui.audit_lines()
    );

    tui.send("\x1b");
    tui.wait_for("back to the plan review", |s| {
        s.contains("Remediation plan") && !typing_prompt(s)
    });
    tui.send("\x1b");
    let screen = tui.wait_for("the dialog to close", |s| {
        !s.contains("Remediation plan") && header_drawn(s)
    });
    assert!(
        screen.contains("nothing was sent"),
        "no cancel message:\n{}",
        framed(&screen)
    );
    // Give a stray plan a moment to reach the log.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        tui.audit_lines().is_empty(),
        "something was sent: {:?}",
        tui.audit_lines()
    );
}

/// The plan dialog's text input (`> typed▏`) is showing.
fn typing_prompt(screen: &str) -> bool {
    screen
        .lines()
        .any(|l| l.contains("│ > ") && l.contains('▏'))
}

// ------------------------------------------------------------ against moto

/// What the two keyed fixes change in moto, read through the SDK: who may
/// restore `orders-public`, and whether `db-open` admits the world on 5432.
#[derive(Debug, PartialEq)]
pub(super) struct MotoState {
    restore: Vec<String>,
    world_open: bool,
}

pub(super) async fn moto_state(moto: &Moto, open_sg: &str) -> MotoState {
    let restore = moto
        .rds(US)
        .await
        .describe_db_snapshot_attributes()
        .db_snapshot_identifier("orders-public")
        .send()
        .await
        .unwrap()
        .db_snapshot_attributes_result()
        .unwrap()
        .db_snapshot_attributes()
        .iter()
        .filter(|a| a.attribute_name() == Some("restore"))
        .flat_map(|a| a.attribute_values().to_vec())
        .collect();
    let world_open = world_open_on_pg(&moto.ec2(US).await, open_sg).await;
    MotoState {
        restore,
        world_open,
    }
}

/// The dashboard on a seeded moto, with dummy credentials from the env.
fn moto_tui(moto: &Moto, extra: &[&str]) -> Tui {
    let mut args = vec!["--endpoint-url", moto.url.as_str(), "--region", US];
    // moto has no CloudTrail LookupEvents (lookup_events.rs is the trail's test).
    args.extend_from_slice(&["--activity-days", "0"]);
    args.extend_from_slice(extra);
    Tui::spawn_with_env(
        &args,
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
        120,
        36,
    )
}

/// A seeded moto, what it holds before the test, and the dashboard on it
/// with the fleet loaded.
pub(super) fn moto_dashboard() -> (tokio::runtime::Runtime, Moto, String, MotoState, Tui) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    let seeded = runtime.block_on(seed(&moto, US));
    let before = runtime.block_on(moto_state(&moto, &seeded.open_sg));
    let tui = moto_tui(&moto, &[]);
    tui.wait_for_within("the moto fleet", Duration::from_secs(30), header_drawn);
    (runtime, moto, seeded.open_sg, before, tui)
}

/// The filter being typed, as the footer shows it: `/text▏`.
pub(super) fn filter_prompt_shows(screen: &str, text: &str) -> bool {
    screen.contains(&format!("/{text}▏"))
}

/// Filter to `rule` alone (Esc clears an earlier filter), press `f` and
/// check the plan names `call`.
fn open_plan(tui: &Tui, rule: &str, call: &str) {
    tui.send("\x1b");
    filter_findings(tui, &format!("rule:{rule}"));
    tui.wait_for(&format!("a {rule} finding"), |s| {
        finding_rows(s, rule).len() == 1
    });
    tui.send("f");
    tui.wait_for(&format!("the {call} plan"), |s| {
        s.contains("Remediation plan") && s.contains(call)
    });
    tui.read_the_dialog();
}

#[test]
fn fixes_a_public_snapshot_and_an_open_group_in_moto_with_keys() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    let seeded = runtime.block_on(seed(&moto, US));
    let before = runtime.block_on(moto_state(&moto, &seeded.open_sg));
    assert_eq!(
        before,
        MotoState {
            restore: vec!["all".into()],
            world_open: true
        }
    );

    let mut tui = moto_tui(&moto, &[]);
    tui.wait_for_within("the moto fleet", Duration::from_secs(30), header_drawn);
    open_plan(&tui, "snapshot-public", "ModifyDBSnapshotAttribute");
    tui.send("y");
    tui.wait_for_within(
        "the snapshot to stop being public",
        Duration::from_secs(30),
        |s| finding_rows(s, "snapshot-public").is_empty() && s.contains("resolved"),
    );
    open_plan(&tui, "sg-open-db-port", "RevokeSecurityGroupIngress");
    tui.send("y");
    tui.wait_for_within("the group to close", Duration::from_secs(30), |s| {
        finding_rows(s, "sg-open-db-port").is_empty() && s.contains("resolved")
    });
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    assert_eq!(
        runtime.block_on(moto_state(&moto, &seeded.open_sg)),
        MotoState {
            restore: Vec::new(),
            world_open: false
        }
    );
    // Exactly the two confirmed calls, each logged before and after, in
    // the account moto speaks for, with AWS's request id.
    let lines: Vec<serde_json::Value> = tui
        .audit_lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let calls: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["phase"].as_str().unwrap(), l["api"].as_str().unwrap()))
        .collect();
    assert_eq!(
        calls,
        [
            ("started", "rds:ModifyDBSnapshotAttribute"),
            ("succeeded", "rds:ModifyDBSnapshotAttribute"),
            ("started", "ec2:RevokeSecurityGroupIngress"),
            ("succeeded", "ec2:RevokeSecurityGroupIngress"),
        ]
    );
    assert!(lines.iter().all(|l| l["account"] == MOTO_ACCOUNT));
    assert!(
        lines
            .iter()
            .filter(|l| l["phase"] == "succeeded")
            .all(|l| l["request_id"].as_str().is_some_and(|r| !r.is_empty()))
    );
    assert_eq!(lines[2]["undo"]["cidr"], WORLD_IPV4);
}

#[test]
fn read_only_keys_change_nothing_in_moto() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    let seeded = runtime.block_on(seed(&moto, US));
    let before = runtime.block_on(moto_state(&moto, &seeded.open_sg));

    let mut tui = moto_tui(&moto, &["--read-only"]);
    tui.wait_for_within("the moto fleet", Duration::from_secs(30), header_drawn);
    for rule in ["snapshot-public", "sg-open-db-port"] {
        tui.send("\x1b");
        filter_findings(&tui, &format!("rule:{rule}"));
        tui.wait_for(&format!("a {rule} finding"), |s| {
            finding_rows(s, rule).len() == 1
        });
        // The same keys as above: f, then y to confirm.
        tui.send("f");
        let screen = tui.wait_for("the refusal", |s| {
            s.contains("remediation is disabled: started with --read-only")
        });
        assert!(!screen.contains("Remediation plan"), "{}", framed(&screen));
        tui.send("y");
    }
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    assert_eq!(runtime.block_on(moto_state(&moto, &seeded.open_sg)), before);
    assert!(tui.audit_lines().is_empty(), "{:?}", tui.audit_lines());
}
