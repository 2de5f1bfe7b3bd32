//! `--cloudtrail PATH` on a source: the trail's events added to whatever
//! the source loads, streamed into the dashboard, kept by `export-fleet`,
//! and a broken file reported by `scan` like any part that did not load.

use crate::support::assert_status;
use rdsight::config::RuleConfig;
use rdsight::model::{Event, Fleet, merge_events};
use rdsight::source::cloudtrail::{WithTrail, read_trail};
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::source::file::read_saved;
use rdsight::source::{FleetSource, LoadEvent, LoadSink};
use rdsight::tui::app::{App, Msg};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use crate::trail_files::{TempDir, fixture, fixture_text};

fn rdsight(args: &[&str]) -> Output {
    let home = std::env::temp_dir().join("rdsight-trail-cli-home");
    Command::new(env!("CARGO_BIN_EXE_rdsight"))
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap()
}

/// A trail directory: the fixture's records and the lookup-events output.
fn trail_dir() -> TempDir {
    let dir = TempDir::new("cli");
    dir.write(
        "logs/records.json",
        fixture_text("rds-records.json").as_bytes(),
    );
    dir.write(
        "lookup/events.json",
        fixture_text("lookup-events.json").as_bytes(),
    );
    dir
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn export_fleet_keeps_the_trail_and_a_second_read_adds_nothing_twice() {
    let dir = trail_dir();
    let trail = read_trail(&dir.0);
    assert_eq!(trail.events.len(), 11);
    let saved = dir.0.join("saved.json");
    let out = rdsight(&[
        "export-fleet",
        "--demo",
        "--cloudtrail",
        path(&dir.0),
        "--output",
        path(&saved),
    ]);
    assert_status(&out, 0);
    let fleet = read_saved(&saved).unwrap();
    let mut expected = demo_fleet().unwrap().events;
    merge_events(&mut expected, trail.events.clone());
    assert_eq!(fleet.events, expected);
    for read in &trail.reads {
        assert!(fleet.activity_reads.contains(read), "{read:?} not saved");
    }

    // The saved fleet with the same trail again: every event once.
    let again = dir.0.join("again.json");
    let out = rdsight(&[
        "export-fleet",
        "--fleet",
        path(&saved),
        "--cloudtrail",
        path(&dir.0.join("logs")),
        "--output",
        path(&again),
    ]);
    assert_status(&out, 0);
    assert_eq!(ids(&read_saved(&again).unwrap().events), ids(&fleet.events));
}

#[test]
fn scan_reports_a_broken_trail_file_as_a_part_not_loaded() {
    let dir = trail_dir();
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            "--demo",
            "--cloudtrail",
            path(&dir.0),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        rdsight(&args)
    };
    let clean = scan(&[]);
    assert_status(&clean, 0);
    let report: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(report["load_errors"], Value::Array(vec![]), "{report:#}");

    let broken = dir.write("logs/broken.json", b"{\"Records\":[{\"eventSource\":");
    let out = scan(&[]);
    // A scan that could not read part of what it was given is incomplete.
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not be loaded"), "{stderr}");
    let out = scan(&["--allow-incomplete"]);
    assert_status(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["load_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["region"], "*");
    assert_eq!(errors[0]["what"], "events");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("trail file {}: ends early", broken.display())),
        "{message}"
    );
}

#[test]
fn a_cloudtrail_path_that_does_not_exist_is_refused_before_loading() {
    let dir = TempDir::new("missing");
    let missing = dir.0.join("no-such-logs");
    for command in ["scan", "plan", "export-fleet"] {
        let out = rdsight(&[command, "--demo", "--cloudtrail", path(&missing)]);
        assert_ne!(out.status.code(), Some(0), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("--cloudtrail {}", missing.display())),
            "{command}: {stderr}"
        );
    }
    let out = rdsight(&[
        "plan",
        "--demo",
        "--cloudtrail",
        path(&fixture("rds-records.json")),
    ]);
    assert_status(&out, 0);
}

/// A demo source whose fleet already has `events`.
fn demo_with(events: Vec<Event>) -> Arc<dyn FleetSource> {
    let fleet = Fleet {
        events,
        ..demo_fleet().unwrap()
    };
    Arc::new(DemoSource::from_fleet(fleet, false))
}

async fn load_streamed(source: &dyn FleetSource) -> (Fleet, Vec<LoadEvent>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink: LoadSink = {
        let seen = Arc::clone(&seen);
        Arc::new(move |event| seen.lock().unwrap().push(event))
    };
    let fleet = source.load_streaming(sink).await.unwrap();
    let events = seen.lock().unwrap().clone();
    (fleet, events)
}

#[tokio::test]
async fn the_trail_streams_as_one_part_and_joins_the_sources_own_events() {
    let records = read_trail(&fixture("rds-records.json"));
    // The source already knows one of the trail's calls, and one of its own.
    let mut own = records.events[3].clone();
    own.user_agent = "as the source saw it".into();
    let story = Event {
        id: "demo-story-0001".into(),
        time: "2026-03-01T00:00:00Z".into(),
        name: "CreateDBSnapshot".into(),
        ..Event::default()
    };
    let inner = demo_with(vec![story.clone(), own.clone()]);
    let source = WithTrail::new(inner, &fixture("rds-records.json")).unwrap();
    assert!(
        source.info().label.ends_with("rds-records.json"),
        "{}",
        source.info().label
    );

    let (fleet, streamed) = load_streamed(&source).await;
    assert_eq!(fleet.events.len(), 11);
    assert_eq!(fleet.events[0], story, "oldest first");
    let kept = fleet.events.iter().find(|e| e.id == own.id).unwrap();
    assert_eq!(
        kept.user_agent, "as the source saw it",
        "the source's copy is kept"
    );
    // The source's own reads (the demo's week), then the files'.
    let mut reads = demo_fleet().unwrap().activity_reads;
    reads.extend(records.reads.iter().cloned());
    assert_eq!(fleet.activity_reads, reads);

    let part = WithTrail::part();
    assert!(matches!(&streamed[0], LoadEvent::Planned(parts) if parts.contains(&part)));
    let page = streamed.iter().find_map(|e| match e {
        LoadEvent::Page { part: p, fragment } if *p == part => Some(fragment),
        _ => None,
    });
    assert_eq!(page.map(|f| f.events.len()), Some(10));
    assert!(
        streamed
            .iter()
            .any(|e| matches!(e, LoadEvent::Finished { part: p, result: Ok(10) } if *p == part))
    );

    // The dashboard shows the page as it lands, sorted, and no `*` region.
    let mut app = App::new(source.info(), RuleConfig::default());
    app.update(Msg::Resize(120, 36));
    app.start();
    let generation = app.generation();
    for event in streamed {
        app.update(Msg::Loading { generation, event });
    }
    app.flush();
    assert_eq!(ids(&app.fleet.events), ids(&records.events));
    assert_eq!(app.fleet.activity_reads, records.reads);
    assert!(
        !app.fleet.regions.iter().any(|r| r == "*"),
        "{:?}",
        app.fleet.regions
    );
}

#[test]
fn a_hostile_file_name_reaches_the_terminal_escaped() {
    let dir = TempDir::new("hostile-cli");
    dir.write("evil\u{1b}[2J\u{202e}.json", b"not json");
    let out = rdsight(&["scan", "--demo", "--cloudtrail", path(&dir.0)]);
    assert_eq!(out.status.code(), Some(1), "incomplete");
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(r"evil\u{1b}[2J\u{202e}.json"), "{stderr}");
}
