//! What the tests share: fleets for the rule tests, the dashboard's model
//! driven by keys, a moto server with its seed data, a fault-injecting
//! proxy, a stand-in for CloudTrail's LookupEvents, the remediation
//! fixer, and the real binary in a pseudo-terminal.

pub mod app_helpers;
pub mod cloudtrail;
pub mod fixer;
pub mod fleets;
pub mod moto;
pub mod proxy;
pub mod pty;
pub mod seed;
pub mod tui;
pub mod vpc;

/// The process ended with `code`; otherwise both of its outputs are shown.
#[track_caller]
pub fn assert_status(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
