//! The Events pane (issue 15) on a small fleet with a trail built in code:
//! its screens, its filter words, sorting, Enter to the resource an event
//! names, and the timeline in a resource's details.

mod fixture;
mod navigation;
mod screens;
mod words;

use rdsight::tui::app::App;
use rdsight::tui::rows::{Pane, Row};

/// The ids of the events the Events pane shows, in order.
fn shown_events(app: &App) -> Vec<String> {
    app.rows(Pane::Events)
        .iter()
        .map(|row| match row {
            Row::Event(e) => e.id.clone(),
            other => panic!("not an event row: {other:?}"),
        })
        .collect()
}

/// The ids of the events numbered `numbers` in the fixture.
fn ids(numbers: &[usize]) -> Vec<String> {
    numbers
        .iter()
        .map(|n| format!("e{n:02}-4f1c-9a7e"))
        .collect()
}
