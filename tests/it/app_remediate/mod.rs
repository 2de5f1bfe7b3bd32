//! `App::update` for remediation: the plan dialog, typed confirmation,
//! progress events, and the executor end to end on the demo source.

mod blast_radius;
mod dialog;
mod executor;
mod progress;
