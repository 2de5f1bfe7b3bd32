//! The dashboard at scale: loading (rules + rows), a filter keystroke, and
//! drawing one frame, on synthetic fleets of 1k, 10k and 100k resources.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rdsight::config::RuleConfig;
use rdsight::source::SourceInfo;
use rdsight::source::demo::{demo_fleet, scaled_fleet};
use rdsight::tui::app::{App, Msg};
use rdsight::tui::screenshot::render;
use rdsight::tui::theme::Theme;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn backspace() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
}

fn loaded_app(size: usize) -> (App, rdsight::model::Fleet) {
    let demo = demo_fleet().unwrap_or_else(|e| panic!("demo fleet: {e}"));
    let fleet = scaled_fleet(&demo, size);
    let info = SourceInfo {
        kind: rdsight::source::SourceKind::Demo,
        label: "bench".into(),
        account: None,
        read_only: None,
    };
    let mut app = App::new(info, RuleConfig::default());
    app.update(Msg::Resize(120, 36));
    app.update(Msg::Loaded {
        generation: app.generation(),
        result: Ok(fleet.clone()),
    });
    (app, fleet)
}

fn bench_tui(c: &mut Criterion) {
    let mut group = c.benchmark_group("tui");
    group.sample_size(10);
    for size in SIZES {
        let (mut app, fleet) = loaded_app(size);
        group.throughput(Throughput::Elements(size as u64));

        group.bench_with_input(BenchmarkId::new("load", size), &fleet, |b, fleet| {
            b.iter(|| {
                let generation = app.generation();
                app.update(Msg::Loaded {
                    generation,
                    result: Ok(black_box(fleet.clone())),
                })
            });
        });

        // Two keystrokes of a filter being typed (a letter, then backspace):
        // each rebuilds every pane live.
        app.update(key('/'));
        app.update(key('p'));
        app.update(key('r'));
        app.update(key('o'));
        group.bench_function(BenchmarkId::new("filter-type-and-erase", size), |b| {
            b.iter(|| {
                app.update(key('d'));
                app.update(backspace());
            });
        });
        app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));

        let theme = Theme { color: true };
        group.bench_function(BenchmarkId::new("render-frame", size), |b| {
            b.iter(|| render(black_box(&app), &theme, 120, 36));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tui);
criterion_main!(benches);
