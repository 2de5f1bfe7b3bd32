//! SIGTERM and SIGHUP while a plan runs, against moto, the first call
//! made slow by a delaying proxy: rdsight lets the call in flight return,
//! audits it, stops before the next step, and leaves the terminal as it
//! found it.

use std::time::{Duration, Instant};

use crate::support::moto::Moto;
use crate::support::proxy::{Fault, Proxy};
use crate::support::pty::{Tui, rfind_bytes};
use crate::support::seed::{US, seed};

/// How long the proxy holds back CreateDBSnapshot's answer.
const SLOW_CALL: Duration = Duration::from_secs(4);

fn header_drawn(screen: &str) -> bool {
    screen.contains("resources passing")
        && screen.contains("refreshed")
        && !screen.contains("loading…")
}

/// Focus Findings, filter it to `rule`, open the plan for its one finding.
fn open_plan(tui: &Tui, rule: &str, call: &str) {
    tui.send("4");
    tui.send("/");
    tui.type_text(&format!("rule:{rule}"));
    tui.send("\r");
    tui.wait_for(&format!("the filter to {rule}"), |s| {
        s.contains(&format!("filter: rule:{rule}"))
    });
    tui.send("f");
    tui.wait_for(&format!("the {call} plan"), |s| {
        s.contains("Remediation plan") && s.contains(call)
    });
    // Keys typed the instant a dialog appears may be ignored as typed
    // before it was seen.
    std::thread::sleep(Duration::from_millis(500));
}

fn audit(tui: &Tui) -> Vec<serde_json::Value> {
    tui.audit_lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every `started` line is followed, for its call, by an outcome — or by
/// `outcome-unknown` and a `read-back`.
fn assert_every_start_resolved(lines: &[serde_json::Value]) {
    for (i, line) in lines.iter().enumerate() {
        if line["phase"] != "started" {
            continue;
        }
        let mut later = lines[i + 1..]
            .iter()
            .filter(|l| l["api"] == line["api"] && l["resource"] == line["resource"]);
        let end = later.next().unwrap_or_else(|| panic!("no end: {lines:#?}"));
        match end["phase"].as_str() {
            Some("succeeded" | "failed") => {}
            Some("outcome-unknown") => assert!(
                later.next().is_some_and(|l| l["phase"] == "read-back"),
                "outcome-unknown without a read-back: {lines:#?}"
            ),
            other => panic!("started, then {other:?}: {lines:#?}"),
        }
    }
}

/// Moto behind a proxy that holds CreateDBSnapshot's answer for `slow`,
/// the dashboard on it, and the encryption plan confirmed: returns once
/// its first call is audited as started.
fn slow_plan_started(slow: Duration) -> (Moto, Proxy, Tui) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    runtime.block_on(seed(&moto, US));
    let proxy = Proxy::start(&moto.url, Fault::Delay("CreateDBSnapshot".into(), slow));
    let tui = Tui::spawn_with_env(
        &[
            "--endpoint-url",
            &proxy.url,
            "--region",
            US,
            "--activity-days",
            "0",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
        120,
        36,
    );
    tui.wait_for_within("the moto fleet", Duration::from_secs(30), header_drawn);
    let (before, running) = tui.modes();
    assert_ne!(before, running, "the dashboard runs in raw mode");

    open_plan(&tui, "instance-unencrypted", "CreateDBSnapshot");
    tui.send("y");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !audit(&tui).iter().any(|l| l["phase"] == "started") {
        assert!(Instant::now() < deadline, "the plan never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    (moto, proxy, tui)
}

/// The terminal modes are as before rdsight started, and it left the
/// alternate screen and mouse capture.
fn assert_terminal_restored(tui: &mut Tui) {
    tui.wait_output_end(Duration::from_secs(2));
    let (before, after) = tui.modes();
    assert_eq!(before, after, "terminal modes not restored");
    let raw = tui.raw_output();
    let entered = rfind_bytes(&raw, b"\x1b[?1049h").unwrap();
    let left = rfind_bytes(&raw, b"\x1b[?1049l").expect("left the alternate screen");
    assert!(left > entered);
    let mouse_on = rfind_bytes(&raw, b"\x1b[?1000h").unwrap();
    assert!(rfind_bytes(&raw, b"\x1b[?1000l").is_some_and(|off| off > mouse_on));
}

fn quit_mid_plan_on(signal: &str) {
    let (_moto, _proxy, mut tui) = slow_plan_started(SLOW_CALL);
    let signalled = Instant::now();
    tui.signal(signal);
    let status = tui.wait_exit(Duration::from_secs(30));
    // It quit as from `q`, not killed by the signal's default action...
    assert!(status.success(), "{status:?}");
    // ...after waiting for the slow call, not dying mid-call.
    assert!(
        signalled.elapsed() >= SLOW_CALL / 2,
        "{:?} {:#?}",
        signalled.elapsed(),
        audit(&tui)
    );
    assert_terminal_restored(&mut tui);

    let lines = audit(&tui);
    assert_every_start_resolved(&lines);
    let phases: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["phase"].as_str().unwrap(),
                l["api"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        phases[..2],
        [
            ("started", "rds:CreateDBSnapshot"),
            ("succeeded", "rds:CreateDBSnapshot")
        ],
        "{lines:#?}"
    );
    let stopped = lines.last().unwrap();
    assert_eq!(stopped["phase"], "plan-stopped", "{lines:#?}");
    let not_sent: Vec<&str> = stopped["not_sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(not_sent.len(), 2, "{not_sent:?}");
    assert!(
        not_sent[0].starts_with("aws rds copy-db-snapshot"),
        "{not_sent:?}"
    );
    assert!(!lines.iter().any(|l| l["api"] == "rds:CopyDBSnapshot"));
}

#[test]
fn sigterm_mid_plan_resolves_the_call_and_restores_the_terminal() {
    quit_mid_plan_on("TERM");
}

#[test]
fn sighup_mid_plan_resolves_the_call_and_restores_the_terminal() {
    quit_mid_plan_on("HUP");
}

#[test]
fn a_third_signal_leaves_at_once_recording_the_call_as_outcome_unknown() {
    let (_moto, _proxy, mut tui) = slow_plan_started(Duration::from_secs(60));
    tui.signal("TERM");
    tui.wait_for("what quitting waits for", |s| {
        s.contains("waiting for rds:CreateDBSnapshot on db-snapshot orders-db-pre-encryption")
    });
    tui.signal("TERM");
    tui.wait_for("the warning", |s| s.contains("quit again to leave now"));
    tui.signal("TERM");
    let status = tui.wait_exit(Duration::from_secs(10));
    assert!(!status.success(), "{status:?}");
    assert_terminal_restored(&mut tui);

    let lines = audit(&tui);
    let phases: Vec<&str> = lines.iter().map(|l| l["phase"].as_str().unwrap()).collect();
    assert_eq!(phases, ["started", "outcome-unknown"], "{lines:#?}");
    assert_eq!(lines[1]["api"], "rds:CreateDBSnapshot");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("made to quit before AWS answered"),
        "{lines:#?}"
    );
}
