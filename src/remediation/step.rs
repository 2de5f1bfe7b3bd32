//! What every step can say, whatever its call: dispatched to the call's
//! own module through the registry (`fixes/mod.rs`).

use futures::future::BoxFuture;

use super::call::{Impact, Param, Reversibility, Verify, cli_line};
use super::fixes::Step;
use crate::model::{Fleet, ResourceRef};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{Mutation, SourceError, StepOutcome};

impl Step {
    /// The API action, e.g. `rds:ModifyDBInstance`.
    pub fn api(&self) -> &'static str {
        self.call().api()
    }

    pub fn region(&self) -> String {
        self.call().target().region
    }

    /// The parameters exactly as sent, in API spelling.
    pub fn parameters(&self) -> Vec<Param> {
        self.call().parameters()
    }

    /// The equivalent `aws` CLI command line, from the same parameters.
    pub fn cli(&self) -> String {
        cli_line(self.api(), &self.region(), &self.parameters())
    }

    pub fn impact(&self) -> Impact {
        self.call().impact()
    }

    /// The resource this step changes or creates; the executor waits for it
    /// to settle and re-reads it.
    pub fn target(&self) -> ResourceRef {
        self.call().target()
    }

    /// When the change has taken, as the executor re-reads for it.
    pub fn verify(&self) -> Verify {
        self.call().verify()
    }

    /// Whether apply-immediately vs maintenance window matters for it.
    pub fn honours_window(&self) -> bool {
        self.call().honours_window()
    }

    /// Does a fresh re-read of the target show this step took effect?
    pub fn landed(&self, now: &Fleet) -> Option<bool> {
        self.call().landed(now)
    }

    /// Verify-after: does the settled re-read hold what the step set?
    pub fn check_after(&self, now: &Fleet) -> Result<(), String> {
        self.call().check_after(now)
    }

    /// Would sending it a second time end where once does?
    pub fn idempotent(&self) -> bool {
        self.call().idempotent()
    }

    /// Whether and how this can be undone.
    pub fn reversibility(&self) -> Reversibility {
        self.call().reversibility()
    }

    /// The step that undoes this one, when one call can.
    pub fn undo(&self) -> Option<Step> {
        match self.reversibility() {
            Reversibility::Undo(step) => Some(*step),
            _ => None,
        }
    }

    /// The `aws rds wait` that holds a script until the step's target is
    /// usable again, where the CLI has a waiter for it. (Sharing and
    /// security-group changes take effect when the call returns.)
    pub fn wait_cli(&self) -> Option<String> {
        let waiter = self.call().waiter()?;
        let service = self.api().split_once(':').map_or("rds", |(s, _)| s);
        Some(format!(
            "aws {service} wait {} {} {}",
            waiter.name,
            waiter.id.cli(),
            crate::text::shell::option("region", &self.region())
        ))
    }
}

impl Mutation for Step {
    fn api(&self) -> &'static str {
        self.call().api()
    }

    fn region(&self) -> String {
        Step::region(self)
    }

    fn cli(&self) -> String {
        Step::cli(self)
    }

    fn send_aws<'a>(
        &'a self,
        aws: &'a RegionClients,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        self.call().send(aws)
    }

    fn apply_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        self.call().on_demo(fleet)
    }
}
