//! The interactive dashboard: state (`app`), input (`keymap`, `action`),
//! where things go (`layout`), drawing (`view`, `dialogs`), and the event
//! loop (`runtime`). `app` imports neither `view` nor `dialogs`; they draw
//! what `app` built (`doc`, `columns`) where `layout` puts it.

pub mod action;
pub mod app;
pub mod columns;
pub mod dialogs;
pub mod doc;
pub mod filter;
pub mod help;
pub mod keymap;
pub mod layout;
pub mod rows;
pub mod runtime;
pub mod screen;
pub mod screenshot;
pub mod search;
pub mod svg;
pub mod theme;
pub mod view;
