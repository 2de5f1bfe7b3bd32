//! `App::update` for browsing: panes, movement, filter, sort, marks,
//! drill-down, mouse, resize, refresh, help and describe.

mod mouse;
mod navigation;
mod views;
