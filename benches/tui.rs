//! The dashboard at scale, on synthetic fleets of 1k, 10k and 100k
//! resources at 200×60: loading (rules + rows), filter keystrokes, sorting,
//! and drawing one frame of each pane (with the details pane of its first
//! row) on ratatui's `TestBackend`, the way the event loop draws: into a
//! terminal that keeps its previous frame.
//!
//! Budgets at 100k: a filter keystroke under 16 ms, a 1 KB paste into the
//! filter under 100 ms, a frame under 4 ms.
//!
//! `tui-events` adds 100k CloudTrail events to the 100k fleet: filtering
//! (free text and `principal:`), sorting and drawing the Events pane, and
//! the details of a snapshot (its timeline scans every event).

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rdsight::config::RuleConfig;
use rdsight::model::{Event, EventDetail, EventResource, Fleet, Principal, PrincipalKind};
use rdsight::source::synthetic::synthetic_fleet;
use rdsight::source::{SourceInfo, SourceKind};
use rdsight::tui::app::{App, Msg};
use rdsight::tui::screen;
use rdsight::tui::theme::Theme;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const SIZE: (u16, u16) = (200, 60);

fn key(code: KeyCode) -> Msg {
    Msg::Key {
        key: KeyEvent::new(code, KeyModifiers::NONE),
        at: Instant::now(),
    }
}

fn char_key(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(char_key(c));
    }
}

/// A 1 KB block of the fleet's own JSON, line breaks and all: what an
/// accidental paste brings (the same as the debug-build check in
/// `tests/it/app_input.rs`).
fn one_kb_paste(fleet: &Fleet) -> String {
    let json = serde_json::to_string_pretty(&fleet.instances[..4])
        .unwrap_or_else(|e| panic!("fleet as JSON: {e}"));
    let mut end = 1024.min(json.len());
    while !json.is_char_boundary(end) {
        end -= 1;
    }
    json[..end].to_string()
}

fn loaded_app(fleet: &Fleet) -> App {
    let info = SourceInfo {
        kind: SourceKind::File,
        label: "bench".into(),
        account: None,
        read_only: None,
    };
    let mut app = App::new(info, RuleConfig::default());
    app.update(Msg::Resize(SIZE.0, SIZE.1));
    loaded(&mut app, fleet.clone());
    app
}

fn loaded(app: &mut App, fleet: Fleet) {
    let generation = app.generation();
    app.update(Msg::Loaded {
        generation,
        result: Ok(fleet),
        at: std::time::SystemTime::UNIX_EPOCH,
    });
}

fn bench_tui(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui");
    group.sample_size(10);
    for size in SIZES {
        let fleet = synthetic_fleet(size, 1);
        let mut app = loaded_app(&fleet);
        group.throughput(Throughput::Elements(size as u64));

        group.bench_function(BenchmarkId::new("load", size), |b| {
            b.iter_batched(
                || fleet.clone(),
                |fleet| loaded(&mut app, black_box(fleet)),
                criterion::BatchSize::LargeInput,
            );
        });

        // The first keystroke of a filter on a fresh view (after a load):
        // every row of every pane is matched.
        group.bench_function(BenchmarkId::new("filter-first-keystroke", size), |b| {
            b.iter_batched_ref(
                || loaded_app(&fleet),
                |app| {
                    app.update(char_key('/'));
                    app.update(char_key('p'));
                },
                criterion::BatchSize::LargeInput,
            );
        });

        // A 1 KB paste into the filter prompt: parsed and applied once. The
        // panes' text index is built beforehand, as any earlier filter
        // since the load has built it (`filter-first-keystroke` pays that).
        let pasted = one_kb_paste(&fleet);
        group.bench_function(BenchmarkId::new("filter-paste-1kb", size), |b| {
            b.iter_batched_ref(
                || {
                    let mut app = loaded_app(&fleet);
                    app.update(char_key('/'));
                    app.update(char_key('x'));
                    app.update(key(KeyCode::Backspace));
                    app
                },
                |app| app.update(Msg::Paste(black_box(pasted.clone()))),
                criterion::BatchSize::LargeInput,
            );
        });

        // Typing on into a filter, then erasing: two keystrokes per
        // iteration (a letter that narrows, a backspace that widens back).
        app.update(char_key('/'));
        type_text(&mut app, "pro");
        group.bench_function(BenchmarkId::new("filter-type-and-erase", size), |b| {
            b.iter(|| {
                app.update(char_key('d'));
                app.update(key(KeyCode::Backspace));
            });
        });
        // A structured word: severity, then a negated region.
        app.update(key(KeyCode::Esc));
        app.update(char_key('/'));
        type_text(&mut app, "sev:high+ !region:us-east");
        group.bench_function(BenchmarkId::new("filter-words-type-and-erase", size), |b| {
            b.iter(|| {
                app.update(char_key('-'));
                app.update(key(KeyCode::Backspace));
            });
        });
        app.update(key(KeyCode::Esc));
        app.update(key(KeyCode::Esc));

        // `s` on the snapshots pane: sort by the next column (cycling through
        // every column and back to risk order), one keystroke per iteration.
        app.update(char_key('3'));
        group.bench_function(BenchmarkId::new("sort-next-column", size), |b| {
            b.iter(|| app.update(char_key('s')));
        });
        while app.panes[2].sort.is_some() {
            app.update(char_key('s'));
        }

        let theme = Theme { color: true };
        let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1))
            .unwrap_or_else(|e| panic!("test terminal: {e}"));
        for (pane, name) in [
            ('1', "clusters"),
            ('2', "instances"),
            ('3', "snapshots"),
            ('4', "findings"),
        ] {
            app.update(char_key(pane));
            group.bench_function(BenchmarkId::new(format!("frame-{name}"), size), |b| {
                b.iter(|| {
                    terminal
                        .draw(|frame| screen::draw(frame, black_box(&app), &theme))
                        .map(|_| ())
                });
            });
        }
    }
    group.finish();
}

/// `count` events spread over the fleet's snapshots, oldest first: a few
/// dozen callers, each from its own address, some refused.
fn synthetic_events(fleet: &Fleet, count: usize) -> Vec<Event> {
    const NAMES: [&str; 5] = [
        "CreateDBClusterSnapshot",
        "ModifyDBClusterSnapshotAttribute",
        "DescribeDBClusterSnapshots",
        "CopyDBSnapshot",
        "StartExportTask",
    ];
    (0..count)
        .map(|n| {
            let snapshot = &fleet.snapshots[n % fleet.snapshots.len()];
            let caller = n % 40;
            Event {
                id: format!("{n:08x}-4f1c-4e0b-9a7e-{caller:012}"),
                time: format!(
                    "2026-11-{:02}T{:02}:{:02}:{:02}Z",
                    1 + n / 86_400 % 28,
                    n / 3600 % 24,
                    n / 60 % 60,
                    n % 60
                ),
                region: snapshot.region.clone(),
                name: NAMES[n % NAMES.len()].into(),
                principal: Principal {
                    kind: PrincipalKind::IamUser,
                    arn: format!("arn:aws:iam::493812047561:user/dev-{caller}"),
                    account: "493812047561".into(),
                    ..Principal::default()
                },
                source_ip: format!("198.51.{}.{}", caller, n % 250),
                user_agent: "aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0".into(),
                error_code: (n % 17 == 0).then(|| "AccessDenied".to_string()),
                resource: Some(EventResource {
                    kind: snapshot.kind.resource_type(),
                    id: snapshot.id.clone(),
                    region: snapshot.region.clone(),
                }),
                detail: EventDetail::None,
                ..Event::default()
            }
        })
        .collect()
}

/// The Events pane with 100k events beside a 100k-resource fleet.
fn bench_events(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui-events");
    group.sample_size(10);
    let size = 100_000;
    let mut fleet = synthetic_fleet(size, 1);
    fleet.events = synthetic_events(&fleet, size);
    group.throughput(Throughput::Elements(size as u64));

    group.bench_function(BenchmarkId::new("load", size), |b| {
        b.iter_batched_ref(
            || loaded_app(&Fleet::default()),
            |app| loaded(app, black_box(fleet.clone())),
            criterion::BatchSize::LargeInput,
        );
    });
    group.bench_function(BenchmarkId::new("filter-first-keystroke", size), |b| {
        b.iter_batched_ref(
            || {
                let mut app = loaded_app(&fleet);
                app.update(char_key('5'));
                app
            },
            |app| {
                app.update(char_key('/'));
                app.update(char_key('p'));
            },
            criterion::BatchSize::LargeInput,
        );
    });

    let mut app = loaded_app(&fleet);
    app.update(char_key('5'));
    app.update(char_key('/'));
    type_text(&mut app, "dev-1");
    group.bench_function(BenchmarkId::new("filter-type-and-erase", size), |b| {
        b.iter(|| {
            app.update(char_key('2'));
            app.update(key(KeyCode::Backspace));
        });
    });
    app.update(key(KeyCode::Esc));
    app.update(char_key('/'));
    type_text(&mut app, "principal:dev-1 !result:denied");
    group.bench_function(BenchmarkId::new("filter-words-type-and-erase", size), |b| {
        b.iter(|| {
            app.update(char_key('x'));
            app.update(key(KeyCode::Backspace));
        });
    });
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));

    group.bench_function(BenchmarkId::new("sort-next-column", size), |b| {
        b.iter(|| app.update(char_key('s')));
    });
    while app.panes[4].sort.is_some() {
        app.update(char_key('s'));
    }

    let theme = Theme { color: true };
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1))
        .unwrap_or_else(|e| panic!("test terminal: {e}"));
    group.bench_function(BenchmarkId::new("frame-events", size), |b| {
        b.iter(|| {
            terminal
                .draw(|frame| screen::draw(frame, black_box(&app), &theme))
                .map(|_| ())
        });
    });
    // A step down the snapshots: each selection builds the details, whose
    // timeline looks through every event.
    app.update(char_key('3'));
    group.bench_function(BenchmarkId::new("snapshot-details-step", size), |b| {
        b.iter(|| {
            app.update(char_key('j'));
            app.update(char_key('k'));
        });
    });
    group.finish();
}

criterion_group!(benches, bench_tui, bench_events);
criterion_main!(benches);
