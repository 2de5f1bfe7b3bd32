//! The integration tests, as one binary: one module per area, and the
//! helpers they share in `support`.
#![allow(clippy::unwrap_used)]

mod support;

mod app_browse;
mod app_context;
mod app_input;
mod app_remediate;
mod app_unknown;
mod aws_inventory;
mod aws_moto;
mod aws_remediate;
mod aws_unknown;
mod ca_bundle;
mod confirmed_only;
mod credentials;
mod demo_fleet;
mod executor_settle;
mod injection;
mod lost_answers;
mod plan_cli;
mod pty;
mod pty_paste;
mod pty_signals;
mod rules_clusters;
mod rules_exposure;
mod rules_hygiene;
mod rules_matrix;
mod rules_resilience;
mod rules_snapshots;
mod scan_cli;
mod tui_snapshots;
mod undo_signals;
