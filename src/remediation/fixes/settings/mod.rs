//! Change one setting of an instance or cluster with ModifyDBInstance or
//! ModifyDBCluster: make it private, add a standby, keep backups, block
//! deletion, take minor upgrades, allow IAM authentication, copy tags.
//! Some changes wait for the maintenance window unless applied now.
//!
//! `setting.rs` is what changes, `plans.rs` which finding gets which
//! change, `calls.rs` the two Modify calls that send it.

mod calls;
mod plans;
mod setting;

pub(in crate::remediation::fixes) use calls::modify_step;
pub use calls::{ModifyDBCluster, ModifyDBInstance};
pub use plans::{
    ADD_STANDBY, BLOCK_DELETION, COPY_TAGS, EXPORT_LOGS, IAM_AUTH, KEEP_BACKUPS, MAKE_PRIVATE,
    SettingFix,
};
pub use setting::Setting;
