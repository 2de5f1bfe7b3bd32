//! The integration tests, as one binary: one module per area, and the
//! helpers they share in `support`.
#![allow(clippy::unwrap_used)]

mod support;

mod app_browse;
mod app_context;
mod app_input;
mod app_remediate;
mod app_unknown;
mod aws_blast_radius;
mod aws_inventory;
mod aws_moto;
mod aws_params;
mod aws_remediate;
mod aws_restore;
mod aws_snaps;
mod aws_unknown;
mod ca_bundle;
mod cli_conventions;
mod confirmed_only;
mod credentials;
mod demo_fleet;
mod demo_params;
mod executor_settle;
mod fix_snaps;
mod injection;
mod lookup_events;
mod lost_answers;
mod plan_cli;
mod pty;
mod pty_events;
mod pty_paste;
mod pty_signals;
mod restore_verify;
mod rules_activity;
mod rules_clusters;
mod rules_exposure;
mod rules_hygiene;
mod rules_matrix;
mod rules_params;
mod rules_reach;
mod rules_resilience;
mod rules_snaps;
mod rules_snapshots;
mod scan_cli;
mod trail_cli;
mod trail_files;
mod tui_events;
mod tui_snapshots;
mod undo_signals;
