//! Pastes and small screens against moto, in the real binary: a paste is
//! text for the prompt that has focus and never confirms anything, and
//! keys on a screen too small to show the plan change nothing.

use std::time::Duration;

use super::pty::{
    filter_findings, filter_prompt_shows, finding_rows, header_drawn, moto_dashboard, moto_state,
    table_rows,
};
use crate::support::pty::framed;

#[test]
fn a_pasted_enter_never_ends_the_filter_nor_confirms_a_plan_in_moto() {
    let (runtime, moto, open_sg, before, mut tui) = moto_dashboard();
    tui.send("4");
    tui.send("/");
    // Typed, these keys would keep the filter (Enter), open the plan of the
    // selected critical finding (f) and confirm it (y).
    tui.paste("sev:critical\nfy");
    let screen = tui.wait_for("the paste in the filter prompt", |s| {
        filter_prompt_shows(s, "sev:critical fy")
    });
    assert!(!screen.contains("Remediation plan"), "{}", framed(&screen));
    // Give a stray key time to act, and a plan time to reach moto.
    std::thread::sleep(Duration::from_secs(1));
    let screen = tui.screen();
    assert!(
        filter_prompt_shows(&screen, "sev:critical fy") && !screen.contains("Remediation plan"),
        "the paste acted as keys:\n{}",
        framed(&screen)
    );
    tui.send("\x1b");
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());

    assert!(tui.audit_lines().is_empty(), "{:?}", tui.audit_lines());
    assert_eq!(runtime.block_on(moto_state(&moto, &open_sg)), before);
}

#[test]
fn a_paste_with_line_breaks_is_one_filter_in_moto() {
    let (_runtime, _moto, _open_sg, _before, mut tui) = moto_dashboard();
    tui.send("4");
    tui.send("/");
    tui.paste("rule:snapshot-public\r\n\r\norders-public\n");
    // Each run of line breaks separates two words; the prompt stays open.
    let screen = tui.wait_for("the pasted words to filter the findings", |s| {
        filter_prompt_shows(s, "rule:snapshot-public orders-public ")
            && finding_rows(s, "snapshot-public").len() == 1
    });
    assert!(
        table_rows(&screen, "Findings").len() == 1,
        "other findings pass the pasted filter:\n{}",
        framed(&screen)
    );
    // Enter, pressed, keeps it.
    tui.send("\r");
    let screen = tui.wait_for("the filter to be kept", |s| {
        s.contains("filter: rule:snapshot-public orders-public") && !s.contains("▏")
    });
    assert_eq!(finding_rows(&screen, "snapshot-public").len(), 1);
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    assert!(tui.audit_lines().is_empty(), "{:?}", tui.audit_lines());
}

#[test]
fn keys_on_the_too_small_screen_change_nothing_in_moto() {
    let (runtime, moto, open_sg, before, mut tui) = moto_dashboard();
    // The public snapshot's finding is selected: on the full screen, `f`
    // would open its plan and `y` confirm it.
    filter_findings(&tui, "rule:snapshot-public");
    tui.wait_for("the snapshot-public finding", |s| {
        finding_rows(s, "snapshot-public").len() == 1
    });
    tui.resize(60, 20);
    tui.wait_for("the too-small message", |s| {
        s.contains("rdsight needs a bigger terminal")
    });
    for key in ["4", "f", "y"] {
        tui.send(key);
        // Slower than the plan dialog's guard: only the size stops them.
        tui.read_the_dialog();
    }
    tui.resize(120, 36);
    let screen = tui.wait_for("the dashboard again", |s| {
        header_drawn(s) && s.contains("┌ Findings [")
    });
    assert!(
        !screen.contains("Remediation plan") && !screen.contains("running"),
        "a key acted on the too-small screen:\n{}",
        framed(&screen)
    );
    assert!(tui.audit_lines().is_empty(), "{:?}", tui.audit_lines());
    assert_eq!(runtime.block_on(moto_state(&moto, &open_sg)), before);

    // q still quits there.
    tui.resize(60, 20);
    tui.wait_for("the too-small message", |s| {
        s.contains("rdsight needs a bigger terminal")
    });
    tui.send("q");
    assert!(tui.wait_exit(Duration::from_secs(10)).success());
    assert!(tui.audit_lines().is_empty(), "{:?}", tui.audit_lines());
}
