//! The interactive dashboard: state (`app`), input (`keymap`, `action`),
//! drawing (`view`, `dialogs`), and the event loop (`runtime`).

pub mod action;
pub mod app;
pub mod dialogs;
pub mod filter;
pub mod keymap;
pub mod layout;
pub mod rows;
pub mod runtime;
pub mod screenshot;
pub mod search;
pub mod svg;
pub mod theme;
pub mod view;
