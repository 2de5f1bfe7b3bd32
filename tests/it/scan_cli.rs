//! `rdsight scan` as a pipeline sees it: the real binary, its exit status,
//! stdout and stderr.

use crate::support::assert_status;
use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, Instance, LoadError};
use rdsight::report::{self, Format, ScanReport, TableStyle};
use rdsight::rules::{self, Severity};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use unicode_width::UnicodeWidthStr;

use crate::support::fleets;

/// The binary with an environment that cannot leak into results: no user
/// config, no colour preference, no AWS settings.
fn command(args: &[&str]) -> Command {
    let home = std::env::temp_dir().join("rdsight-scan-cli-home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rdsight"));
    cmd.args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("NO_COLOR")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("RUST_LOG");
    cmd
}

fn rdsight(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn json_report(args: &[&str]) -> Value {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let out = rdsight(&all);
    assert_status(&out, 0);
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(items: &[&'a str]) -> BTreeSet<&'a str> {
    items.iter().copied().collect()
}

/// A file in the temp dir that is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "rdsight-scan-cli-{}-{}.json",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, contents).unwrap();
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A saved fleet whose worst finding is high (an unencrypted instance).
fn high_only_fleet() -> TempFile {
    let mut fleet = fleets::fleet();
    fleet.instances.push(Instance {
        storage_encrypted: false,
        ..fleets::instance("billing-db")
    });
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.severity == Severity::High));
    TempFile::new(&serde_json::to_string_pretty(&fleet).unwrap())
}

// ---- table ---------------------------------------------------------------------------

#[test]
fn scan_demo_prints_a_table_and_exits_zero() {
    let out = rdsight(&["scan", "--demo"]);
    assert_status(&out, 0);
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    for column in ["SEV", "RULE", "RESOURCE", "REGION"] {
        assert!(header.contains(column), "header {header:?}");
    }
    let total = json_report(&["--demo"])["summary"]["total"]
        .as_u64()
        .unwrap();
    assert!(total > 0);
    assert!(
        text.contains(&format!("{total} findings: ")),
        "no summary line for {total} findings in:\n{text}"
    );
    assert!(text.contains("resources scanned"), "{text}");
    assert!(stderr(&out).is_empty(), "stderr: {}", stderr(&out));
}

#[test]
fn table_output_without_a_tty_has_no_ansi_escapes() {
    for format in ["table", "json", "csv", "asff"] {
        let out = rdsight(&["scan", "--demo", "--format", format]);
        assert_status(&out, 0);
        assert!(
            !out.stdout.contains(&0x1b),
            "{format} output holds ANSI escapes"
        );
    }
}

fn demo_report(min_severity: Severity) -> ScanReport {
    let fleet = rdsight::source::demo::demo_fleet().unwrap();
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    ScanReport::new(&fleet, findings, min_severity)
}

#[track_caller]
fn assert_fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            line.width() <= width,
            "{} columns > {width}: {line:?}",
            line.width()
        );
    }
}

#[test]
fn table_fits_80_columns() {
    let style = TableStyle {
        width: Some(80),
        color: false,
    };
    for min in [Severity::Low, Severity::Critical] {
        let text = report::render_table(&demo_report(min), style);
        assert!(text.lines().count() > 3);
        assert_fits(&text, 80);
    }
}

#[test]
fn table_fits_80_columns_with_long_ids_and_load_errors() {
    let mut fleet = rdsight::source::demo::demo_fleet().unwrap();
    fleet.account = "123456789012".into();
    fleet.regions.push("ap-southeast-4".into());
    let mut long = fleets::instance(&"a-very-long-instance-identifier-".repeat(2));
    long.region = "ap-southeast-4".into();
    long.storage_encrypted = false;
    fleet.instances.push(long);
    fleet.load_errors.push(LoadError {
        region: "me-central-1".into(),
        what: rdsight::model::ResourceList::DbClusterSnapshots,
        message: "AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not \
                  authorized to perform: rds:DescribeDBClusterSnapshots"
            .into(),
    });
    let findings = rules::evaluate(&fleet, &RuleConfig::default());
    let report = ScanReport::new(&fleet, findings, Severity::Medium);
    let style = TableStyle {
        width: Some(80),
        color: false,
    };
    let text = report::render_table(&report, style);
    assert!(text.contains("me-central-1"), "{text}");
    assert!(text.contains("below --min-severity"), "{text}");
    assert_fits(&text, 80);
}

#[test]
fn table_without_a_width_keeps_full_reasons() {
    let report = demo_report(Severity::Low);
    let text = report::render(
        &report,
        Format::Table,
        TableStyle {
            width: None,
            color: false,
        },
    );
    for f in &report.findings {
        assert!(
            text.contains(f.reason.as_ref()),
            "missing full reason {:?}",
            f.reason
        );
    }
}

// ---- json ----------------------------------------------------------------------------

#[test]
fn json_report_has_exactly_the_documented_keys() {
    let v = json_report(&["--demo"]);
    assert_eq!(
        keys(&v),
        set(&[
            "account",
            "regions",
            "complete",
            "summary",
            "findings",
            "load_errors"
        ])
    );
    assert_eq!(
        keys(&v["summary"]),
        set(&[
            "critical",
            "high",
            "medium",
            "low",
            "total",
            "resources_scanned",
            "resources_passing",
            "unknown",
        ])
    );
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let finding_keys = set(&[
        "rule",
        "severity",
        "resource_type",
        "resource_id",
        "arn",
        "region",
        "reason",
        "compliance",
        "status",
    ]);
    for f in findings {
        // Refusals are found per principal and call: they name the call.
        let mut expected = finding_keys.clone();
        if f["rule"] == "activity-access-denied" {
            expected.insert("event_name");
        }
        assert_eq!(keys(f), expected, "{f}");
        assert!(!f["reason"].as_str().unwrap().is_empty(), "{f}");
        // Which ids apply is the catalogue's (rules_matrix); some findings
        // have none (no control covers an Aurora cluster's minor upgrades).
        assert!(f["compliance"].is_array(), "{f}");
    }
    assert!(v["load_errors"].is_array());
    assert!(v["regions"].as_array().unwrap().len() >= 3);
    let s = &v["summary"];
    let by_severity: u64 = ["critical", "high", "medium", "low"]
        .iter()
        .map(|k| s[*k].as_u64().unwrap())
        .sum();
    assert_eq!(by_severity, s["total"].as_u64().unwrap());
    assert_eq!(findings.len() as u64, by_severity);
}

#[test]
fn min_severity_hides_findings_but_not_their_counts() {
    let v = json_report(&["--demo", "--min-severity", "high"]);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let severity = f["severity"].as_str().unwrap();
        assert!(
            severity == "high" || severity == "critical",
            "{severity} shown: {f}"
        );
    }
    let s = &v["summary"];
    assert!(s["low"].as_u64().unwrap() > 0);
    assert!(s["medium"].as_u64().unwrap() > 0);
    assert_eq!(
        findings.len() as u64,
        s["critical"].as_u64().unwrap() + s["high"].as_u64().unwrap()
    );
    assert!(s["total"].as_u64().unwrap() > findings.len() as u64);
}

#[test]
fn trusted_account_removes_that_shared_snapshot_finding() {
    const ACCOUNT: &str = "210987654321";
    let shared_with = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "snapshot-shared-untrusted")
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .collect()
    };
    let before = shared_with(&json_report(&["--demo"]));
    assert!(before.iter().any(|r| r.contains(ACCOUNT)), "{before:?}");
    let after = shared_with(&json_report(&["--demo", "--trusted-account", ACCOUNT]));
    assert!(!after.iter().any(|r| r.contains(ACCOUNT)), "{after:?}");
    let with_it = before.iter().filter(|r| r.contains(ACCOUNT)).count();
    assert_eq!(
        after.len(),
        before.len() - with_it,
        "other shares stay flagged"
    );
    assert!(!after.is_empty(), "other shares stay flagged");
}

// ---- csv -----------------------------------------------------------------------------

#[test]
fn csv_has_a_header_and_one_row_per_finding() {
    let out = rdsight(&["scan", "--demo", "--format", "csv"]);
    assert_status(&out, 0);
    let text = stdout(&out);
    assert_eq!(
        text.lines().next(),
        Some(
            "rule,severity,resource_type,resource_id,arn,region,reason,compliance,status,event_name"
        )
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let total = json_report(&["--demo"])["summary"]["total"]
        .as_u64()
        .unwrap();
    assert_eq!(rows.len() as u64, total);
    assert!(rows.iter().all(|r| r.len() == 10));
}

// ---- exit status ----------------------------------------------------------------------

#[test]
fn fail_on_critical_exits_3_on_the_demo_fleet() {
    let out = rdsight(&["scan", "--demo", "--fail-on", "critical"]);
    assert_status(&out, 3);
    assert!(!stdout(&out).is_empty(), "the report is still printed");
}

#[test]
fn fail_on_counts_findings_hidden_by_min_severity() {
    let out = rdsight(&[
        "scan",
        "--demo",
        "--min-severity",
        "critical",
        "--fail-on",
        "low",
    ]);
    assert_status(&out, 3);
}

#[test]
fn fail_on_passes_a_fleet_below_the_threshold() {
    let file = high_only_fleet();
    let out = rdsight(&["scan", "--fleet", file.path(), "--fail-on", "critical"]);
    assert_status(&out, 0);
    assert!(stdout(&out).contains("instance-unencrypted"));
    let out = rdsight(&["scan", "--fleet", file.path(), "--fail-on", "high"]);
    assert_status(&out, 3);
    let out = rdsight(&["scan", "--fleet", file.path()]);
    assert_status(&out, 0);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = rdsight(&["scan", "--demo", "--no-such-flag"]);
    assert_status(&out, 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("--no-such-flag"), "{err}");
    assert!(err.contains("Usage:"), "{err}");
    assert!(err.trim().lines().count() <= 5, "{err}");
}

#[test]
fn bad_severity_is_a_usage_error() {
    let out = rdsight(&["scan", "--demo", "--fail-on", "urgent"]);
    assert_status(&out, 2);
    assert!(stderr(&out).contains("urgent"));
}

#[track_caller]
fn assert_one_line_error(out: &Output) -> String {
    assert_status(out, 1);
    let err = stderr(out);
    let lines: Vec<&str> = err.trim_end().lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {err:?}");
    assert!(lines[0].starts_with("rdsight:"), "{err:?}");
    for noise in [
        "backtrace",
        "panicked",
        "Location:",
        "RUST_BACKTRACE",
        "\x1b",
    ] {
        assert!(!err.contains(noise), "{noise:?} in {err:?}");
    }
    err
}

#[test]
fn malformed_fleet_file_is_one_line_error() {
    let file = TempFile::new("{\"account\": \"1\", \"regions\": [");
    let out = command(&["scan", "--fleet", file.path()])
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .output()
        .unwrap();
    let err = assert_one_line_error(&out);
    assert!(err.contains(file.path()), "names the file: {err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_fleet_file_is_one_line_error() {
    let path = std::env::temp_dir().join(format!(
        "rdsight-scan-cli-{}-does-not-exist.json",
        std::process::id()
    ));
    let out = rdsight(&["scan", "--fleet", path.to_str().unwrap()]);
    let err = assert_one_line_error(&out);
    assert!(err.contains("cannot read fleet file"), "{err}");
}

#[test]
fn saved_fleet_scans_like_the_demo() {
    // export-fleet | scan --fleet gives the same report as scan --demo,
    // activity findings included: a saved fleet carries its trail. Under
    // one config: --demo alone brings the demo company's expected
    // snapshot principals, which a saved fleet does not.
    let out = rdsight(&["export-fleet", "--demo"]);
    assert_status(&out, 0);
    let saved: Fleet = serde_json::from_slice(&out.stdout).unwrap();
    let file = TempFile::new(&stdout(&out));
    let patterns = rdsight::source::demo::EXPECTED_SNAPSHOT_PRINCIPALS.map(|p| format!("{p:?}"));
    let config = TempFile::new(&format!(
        "[rules]\nexpected_snapshot_principals = [{}]\n",
        patterns.join(", ")
    ));
    let from_file = json_report(&["--fleet", file.path(), "--config", config.path()]);
    assert_eq!(from_file, json_report(&["--demo"]));
    assert_eq!(
        from_file,
        json_report(&["--demo", "--config", config.path()])
    );
    assert!(!saved.instances.is_empty());
    assert!(!saved.events.is_empty() && !saved.activity_reads.is_empty());
    let activity = from_file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("activity-"))
        .count();
    assert!(activity >= 6, "{activity} activity findings");
}

#[test]
fn scan_demo_reports_the_activity_story_with_exact_event_ids() {
    let report = json_report(&["--demo"]);
    let fleet = rdsight::source::demo::demo_fleet().unwrap();
    let findings = report["findings"].as_array().unwrap();
    let rules: BTreeSet<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .filter(|r| r.starts_with("activity-"))
        .collect();
    assert_eq!(rules.len(), 6, "{rules:?}");
    let shared = findings
        .iter()
        .find(|f| f["rule"] == "activity-snapshot-shared")
        .unwrap();
    let reason = shared["reason"].as_str().unwrap();
    // The share and its removal, by their ids in the trail.
    let cited: Vec<&str> = fleet
        .events
        .iter()
        .filter(|e| reason.contains(e.id.as_str()))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        cited,
        [
            "ModifyDBClusterSnapshotAttribute",
            "ModifyDBClusterSnapshotAttribute"
        ]
    );
    assert!(reason.contains("shared for 5h 12m"), "{reason}");
}

#[test]
fn a_saved_fleet_from_before_the_trail_still_loads_and_finds_no_activity() {
    let out = rdsight(&["export-fleet", "--demo"]);
    assert_status(&out, 0);
    let mut saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    let object = saved.as_object_mut().unwrap();
    object.remove("events");
    object.remove("activity_reads");
    let file = TempFile::new(&saved.to_string());
    let report = json_report(&["--fleet", file.path()]);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|f| !f["rule"].as_str().unwrap().starts_with("activity-"))
    );
}

#[test]
fn fail_on_does_not_pass_a_scan_that_could_not_see_everything() {
    // No finding at all, but one region denied access: the gate must fail
    // (exit 1, one line) rather than report a clean fleet.
    let mut fleet = fleets::fleet();
    fleet.instances.push(fleets::instance("billing-db"));
    fleet.load_errors.push(rdsight::model::LoadError {
        region: "eu-west-1".into(),
        what: rdsight::model::ResourceList::DbInstances,
        message: "AccessDenied: not authorized to perform rds:DescribeDBInstances".into(),
    });
    let file = TempFile::new(&serde_json::to_string_pretty(&fleet).unwrap());

    let gated = rdsight(&[
        "scan",
        "--fleet",
        file.path(),
        "--fail-on",
        "low",
        "--format",
        "json",
    ]);
    assert_status(&gated, 1);
    let err = stderr(&gated);
    assert!(err.contains("scan incomplete"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The report itself still went out, with the load error in it.
    let report: Value = serde_json::from_str(&stdout(&gated)).unwrap();
    assert_eq!(report["load_errors"].as_array().unwrap().len(), 1);

    assert_eq!(report["complete"], false);

    // Without a gate the partial report still does not pass as a clean one.
    let plain = rdsight(&["scan", "--fleet", file.path()]);
    assert_status(&plain, 1);
    assert!(
        stderr(&plain).contains("--allow-incomplete"),
        "{}",
        stderr(&plain)
    );
    assert!(stdout(&plain).contains("not loaded"), "{}", stdout(&plain));

    // Unless the caller says a partial answer is acceptable.
    let allowed = rdsight(&["scan", "--fleet", file.path(), "--allow-incomplete"]);
    assert_status(&allowed, 0);
    let gated_allowed = rdsight(&[
        "scan",
        "--fleet",
        file.path(),
        "--allow-incomplete",
        "--fail-on",
        "low",
    ]);
    assert_status(&gated_allowed, 0);
}

#[test]
fn a_complete_scan_says_so() {
    assert_eq!(json_report(&["--demo"])["complete"], true);
}

#[test]
fn saved_fleets_carry_their_format_version_and_other_versions_are_refused() {
    let out = rdsight(&["export-fleet", "--demo"]);
    assert_status(&out, 0);
    let saved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(saved["format_version"], 1);

    let mut newer = saved.clone();
    newer["format_version"] = 2.into();
    let file = TempFile::new(&newer.to_string());
    let out = rdsight(&["scan", "--fleet", file.path()]);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(file.path()), "{err}");
    assert!(err.contains("format version 2"), "{err}");
    assert!(err.contains("reads version 1"), "{err}");
}

#[test]
fn a_malformed_fleet_file_is_one_line_naming_the_file_and_the_problem() {
    let text = stdout(&rdsight(&["export-fleet", "--demo"]));
    let truncated = TempFile::new(&text[..text.len() / 2]);
    let out = rdsight(&["scan", "--fleet", truncated.path()]);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(truncated.path()), "{err}");
    assert!(err.contains("is not a saved rdsight fleet"), "{err}");
    assert!(err.contains("line"), "says where: {err}");

    let wrong_shape = TempFile::new(r#"{"format_version": 1, "clusters": 7}"#);
    let err = stderr(&rdsight(&["--fleet", wrong_shape.path(), "scan"]));
    assert!(err.contains("is not a saved rdsight fleet"), "{err}");
    assert!(
        err.contains("expected a sequence at line 1 column"),
        "{err}"
    );
}
