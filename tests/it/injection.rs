//! The injection corpus: ids, tags and error text with terminal escapes,
//! bidi controls, line breaks, quotes, command substitutions, a leading
//! dash and spaces, run through every output. Nothing raw reaches the
//! terminal (table, errors, the dashboard), a spreadsheet (CSV) or the
//! shell (`plan`, run by bash with a stub `aws` that records its argv).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use rdsight::config::RuleConfig;
use rdsight::model::{Fleet, LoadError, ResourceList, Tags};
use rdsight::remediation::PlanOptions;
use rdsight::rules::{self, plan_for};
use rdsight::source::demo::DemoSource;
use rdsight::text::is_unsafe;
use rdsight::tui::app::Dialog;
use rdsight::tui::screenshot::render;
use rdsight::tui::theme::Theme;

use crate::support::fleets;
use crate::support::moto::{rdsight, scratch_path};
use crate::support::tui::{app_on, buffer_text, press};

/// Ids a saved fleet can hold, each an attack on some output.
const CORPUS: &[&str] = &[
    "db-title\u{1b}]0;pwned\u{7}",
    "db-clear\u{1b}[2J",
    "db-bidi\u{202e}lmth.exe\u{2066}x\u{2069}",
    "db-c1\u{9b}31m",
    "db-line\nrm -rf ~ #",
    "db-cr\roverwritten",
    "db-quotes'\"\\",
    "db-subst$(touch pwned)",
    "db-tick`touch pwned`",
    "prod --publicly-accessible --master-user-password X",
    "-leading-dash",
    "=HYPERLINK(\"http://x\")",
    "@SUM(1+1)",
    "+cmd",
];

/// Bytes a terminal would act on: anything unsafe but the line ends.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| *c != '\n' && is_unsafe(*c))
        .collect()
}

/// Each corpus id as an instance without deletion protection (a finding
/// with a plan) and hostile tags; the first also as a public snapshot
/// shared with a hostile account id; a load error with escapes.
fn hostile_fleet() -> Fleet {
    let mut fleet = fleets::fleet();
    for id in CORPUS {
        let mut instance = fleets::instance(id);
        instance.deletion_protection = false;
        instance.tags = Tags::from([
            ("Name\u{1b}[31m".to_string(), format!("{id}\u{202e}")),
            ("owner".to_string(), "-x $(id) `id`".to_string()),
        ]);
        fleet.instances.push(instance);
    }
    let mut snapshot = fleets::db_snapshot(CORPUS[0]);
    snapshot.shared_with = vec!["all".into(), "-999999999999 $(touch pwned)".into()];
    fleet.snapshots.push(snapshot);
    fleet.load_errors.push(LoadError {
        region: "us-east-1\u{1b}[2J".into(),
        what: ResourceList::SecurityGroups,
        message: "AccessDenied\u{1b}]0;pwned\u{7}\r\nfake: all clear \u{202e}".into(),
    });
    fleet
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = scratch_path(name);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn fleet_file(&self) -> String {
        let path = self.0.join("fleet.json");
        std::fs::write(&path, serde_json::to_string(&hostile_fleet()).unwrap()).unwrap();
        path.to_str().unwrap().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> (String, String, bool) {
    let out = rdsight(args, &[]);
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

#[test]
fn the_table_and_error_lines_show_escapes_instead_of_acting_on_them() {
    let scratch = Scratch::new("inj-table");
    let fleet = scratch.fleet_file();
    let (table, errors, ok) = run(&["--fleet", &fleet, "scan", "--format", "table"]);
    // Incomplete (a load error), so it fails with the error on stderr.
    assert!(!ok);
    assert_eq!(raw_controls(&table), Vec::<char>::new(), "{table}");
    assert_eq!(raw_controls(&errors), Vec::<char>::new(), "{errors}");
    assert!(table.contains(r"db-title\u{1b}]0;pwned\u{7}"), "{table}");
    assert!(table.contains(r"db-bidi\u{202e}lmth.exe"), "{table}");
    assert!(table.contains("db-line rm -rf ~ #"), "{table}");
    assert!(
        errors.contains(r"AccessDenied\u{1b}]0;pwned\u{7} fake"),
        "{errors}"
    );
    assert_eq!(errors.lines().count(), 1, "{errors}");
    // The warning lines of the report itself, too.
    assert!(
        table.contains(r"us-east-1\u{1b}[2J security-groups"),
        "{table}"
    );
}

#[test]
fn csv_cells_cannot_start_a_formula() {
    let scratch = Scratch::new("inj-csv");
    let fleet = scratch.fleet_file();
    let (csv, _, _) = run(&["--fleet", &fleet, "scan", "--format", "csv"]);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let mut ids = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        for cell in &record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {record:?}"
            );
        }
        ids.insert(record[3].to_string());
    }
    // Neutralised with a leading quote, otherwise intact.
    for id in CORPUS {
        let expected = if id.starts_with(['=', '+', '-', '@']) {
            format!("'{id}")
        } else {
            id.to_string()
        };
        assert!(ids.contains(&expected), "{expected:?} not in {ids:?}");
    }
}

#[test]
fn json_and_asff_stay_json_with_every_id_intact_and_no_raw_controls() {
    let scratch = Scratch::new("inj-json");
    let fleet = scratch.fleet_file();
    for format in ["json", "asff"] {
        let (text, _, _) = run(&["--fleet", &fleet, "scan", "--format", format]);
        assert_eq!(raw_controls(&text), Vec::<char>::new(), "{format}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        let all = parsed.to_string();
        for id in CORPUS {
            let quoted = serde_json::to_string(id).unwrap();
            assert!(
                all.contains(&quoted[1..quoted.len() - 1]),
                "{format}: {id:?}"
            );
        }
    }
}

/// A stand-in `aws`: appends its argument count, then each argument,
/// NUL-terminated, to `$RECORD`.
const STUB_AWS: &str = r#"#!/bin/sh
{ printf '%s\0' "$#"; for a in "$@"; do printf '%s\0' "$a"; done; } >> "$RECORD"
"#;

/// The calls the stub recorded, each its argv.
fn recorded_calls(record: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(record).unwrap_or_default();
    let text = String::from_utf8(bytes).unwrap();
    let mut fields = text.split('\0');
    let mut calls = Vec::new();
    while let Some(count) = fields.next().filter(|c| !c.is_empty()) {
        let count: usize = count.parse().unwrap();
        calls.push(
            (0..count)
                .map(|_| fields.next().unwrap().to_string())
                .collect(),
        );
    }
    calls
}

/// The value of `--name` in `argv`, spelled `--name value` or `--name=value`.
fn option_value<'a>(argv: &'a [String], name: &str) -> Option<&'a str> {
    let joined = format!("{name}=");
    argv.iter().enumerate().find_map(|(i, arg)| {
        if arg == name {
            argv.get(i + 1).map(String::as_str)
        } else {
            arg.strip_prefix(&joined)
        }
    })
}

/// Resource ids the corpus fleet has plans for.
fn planned_ids() -> BTreeSet<String> {
    let fleet = hostile_fleet();
    let config = RuleConfig::default();
    rules::evaluate(&fleet, &config)
        .into_iter()
        .filter(|f| plan_for(&fleet, &config, f, PlanOptions::default()).is_ok())
        .map(|f| f.resource_id)
        .collect()
}

#[test]
fn plan_scripts_pass_every_id_as_exactly_one_argument_and_run_nothing_else() {
    let scratch = Scratch::new("inj-plan");
    let fleet = scratch.fleet_file();
    let (script, errors, ok) = run(&["--fleet", &fleet, "plan"]);
    assert!(ok, "{errors}");
    assert_eq!(raw_controls(&script), Vec::<char>::new(), "{script}");
    assert_eq!(raw_controls(&errors), Vec::<char>::new(), "{errors}");
    assert!(!script.contains("SKIPPED"), "{script}");
    // Every line is a comment, blank, or the script's own code: no id
    // starts a line of its own.
    assert!(!script.lines().any(|l| l.starts_with("rm ")), "{script}");

    let dir = &scratch.0;
    let script_path = dir.join("plan.sh");
    std::fs::write(&script_path, &script).unwrap();
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script_path)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );

    let stub = dir.join("aws-stub");
    std::fs::write(&stub, STUB_AWS).unwrap();
    Command::new("chmod").arg("+x").arg(&stub).status().unwrap();
    let record = dir.join("argv.record");
    let out = Command::new("bash")
        .arg(&script_path)
        .current_dir(dir)
        .env("AWS_CLI", &stub)
        .env("RECORD", &record)
        .env_remove("ENDPOINT")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("pwned").exists(), "a command substitution ran");

    let calls = recorded_calls(&record);
    let mut seen = BTreeSet::new();
    for argv in &calls {
        for flag in ["--publicly-accessible", "--master-user-password"] {
            assert!(!argv.iter().any(|a| a == flag), "{flag} injected: {argv:?}");
        }
        // Every word after the action is an option or the value of one.
        let mut expecting_value = false;
        let first_option = if argv[1] == "wait" { 3 } else { 2 };
        for arg in &argv[first_option..] {
            if expecting_value {
                expecting_value = false;
            } else if arg.starts_with("--") {
                expecting_value = !arg.contains('=') && !is_flag(arg);
            } else {
                panic!("{arg:?} is not an option or its value: {argv:?}");
            }
        }
        for name in ["--db-instance-identifier", "--db-snapshot-identifier"] {
            if let Some(id) = option_value(argv, name) {
                seen.insert(id.to_string());
            }
        }
        if let Some(remove) = option_value(argv, "--values-to-remove") {
            let accounts: Vec<String> =
                serde_json::from_str(remove).unwrap_or_else(|_| vec![remove.to_string()]);
            assert!(
                accounts
                    .iter()
                    .all(|a| a == "all" || a == "-999999999999 $(touch pwned)"),
                "{accounts:?}"
            );
        }
    }
    let planned = planned_ids();
    assert!(planned.len() >= CORPUS.len(), "{planned:?}");
    assert_eq!(seen, planned, "{calls:#?}");
}

/// Boolean options of the plans' calls: no value follows them.
fn is_flag(arg: &str) -> bool {
    arg.starts_with("--no-")
        || matches!(
            arg,
            "--apply-immediately"
                | "--deletion-protection"
                | "--multi-az"
                | "--copy-tags-to-snapshot"
        )
        || arg.starts_with("--enable-")
        || arg.starts_with("--auto-")
}

#[test]
fn the_dashboard_draws_escapes_never_raw_controls() {
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, hostile_fleet(), (140, 45));
    let theme = Theme { color: false };
    let check = |app: &rdsight::tui::app::App, what: &str| {
        let buffer = render(app, &theme, 140, 45).unwrap();
        let text = buffer_text(&buffer);
        assert_eq!(raw_controls(&text), Vec::<char>::new(), "{what}:\n{text}");
        // Escaped where drawn, not caught by the frame's backstop.
        assert!(!text.contains('\u{FFFD}'), "{what}:\n{text}");
        text
    };
    let mut screens = vec![check(&app, "main")];
    let mut plans = Vec::new();
    for _ in 0..CORPUS.len() {
        press(&mut app, "f");
        if matches!(app.dialog, Some(Dialog::Plan(_))) {
            plans.push(check(&app, "plan dialog"));
            press(&mut app, "<Esc>");
        }
        screens.push(check(&app, "details"));
        press(&mut app, "j");
    }
    // Describe shows the resource's JSON, tags and all.
    press(&mut app, "2 d");
    assert!(matches!(app.dialog, Some(Dialog::Describe { .. })));
    press(&mut app, &["j"; 20].join(" "));
    screens.push(check(&app, "describe"));
    let all = screens.join("\n");
    // Table cells, the header's load error, details and tags: escaped.
    for shown in [
        r"db-clear\u{1b}[2J",
        r"us-east-1\u{1b}[2J",
        r"Name\u001b[31m",
        r"\u{202e}",
    ] {
        assert!(all.contains(shown), "{shown} not shown:\n{all}");
    }
    // The plan dialog's command is the quoted, copyable one.
    let plans = plans.join("\n");
    assert!(plans.contains(r"$'db-title\x1b]0;pwned\x07'"), "{plans}");
}
