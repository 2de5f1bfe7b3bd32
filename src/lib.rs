//! rdsight: security and resilience posture of Amazon RDS / Aurora fleets.
//!
//! Data flows one way: a [`source`] loads a [`model::Fleet`], [`rules`] turn
//! it into findings, and [`report`] or [`tui`] show them. Remediation plans
//! go back to the source through [`remediation`], audited.

pub mod cli;
pub mod commands;
pub mod config;
pub mod finding;
pub mod logging;
pub mod model;
pub mod paths;
pub mod private_file;
pub mod remediation;
pub mod report;
pub mod rules;
pub mod signals;
pub mod source;
pub mod text;
pub mod tui;
