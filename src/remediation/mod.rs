//! From findings to reviewed plans of typed steps, and their execution.
//!
//! `fixes/` holds one module per kind of remediation (its plan and the AWS
//! calls it sends); `call.rs` is what every call describes about itself;
//! `plan.rs` the shapes plans take; `executor.rs` runs a confirmed plan,
//! `audit.rs` records every call, `undo.rs` reverses one from the log.

pub mod audit;
mod call;
pub mod executor;
pub mod fixes;
pub mod flight;
mod plan;
mod step;
pub mod undo;

pub use crate::model::DEFAULT_KMS_KEY;
pub use call::{Call, Impact, Param, Reversibility, Sent, Value, Verify, Waiter, cli_line, kebab};
pub use executor::READ_BACK_LIMIT;
pub use fixes::Step;
pub use fixes::carry::{CarriedCluster, CarriedOver};
pub use fixes::settings::Setting;
pub use plan::{
    Caveat, Fix, FixInput, Fixing, NoRemediation, Plan, PlanChoice, PlanOptions, PlannedStep,
    Remedy,
};
