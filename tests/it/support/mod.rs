//! What the tests share: fleets for the rule tests, the dashboard's model
//! driven by keys, a moto server with its seed data, a fault-injecting
//! proxy, a stand-in for CloudTrail's LookupEvents, the remediation
//! fixer, and the real binary in a pseudo-terminal.

pub mod app_helpers;
pub mod cloudtrail;
pub mod fixer;
pub mod fleets;
pub mod moto;
pub mod proxy;
pub mod pty;
pub mod seed;
pub mod tui;
pub mod vpc;
