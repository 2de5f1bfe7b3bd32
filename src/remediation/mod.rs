//! From findings to reviewed plans of typed steps, and their execution.

pub mod audit;
mod cli;
pub mod executor;
mod plan;
pub mod script;
mod step;
pub mod undo;

pub use plan::{
    DEFAULT_KMS_KEY, NoRemediation, Plan, PlanOptions, PlannedStep, plan_for, plan_for_all,
};
pub use step::{CarriedOver, Impact, Setting, Step, StepOutcome};
