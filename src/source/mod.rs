//! Where fleets come from, and where remediation steps are sent.
//!
//! A [`FleetSource`] loads a [`Fleet`], applies one remediation [`Step`] at
//! a time and re-reads single resources. Implementations: `aws` (the live
//! account through the AWS SDK), `demo` (embedded, mutable in memory), `file`
//! (a saved inventory, read-only).

pub mod aws;
pub mod demo;
pub mod file;

use futures::future::BoxFuture;
use std::sync::Arc;

use crate::cli::SourceArgs;
use crate::model::{Fleet, ResourceRef};
use crate::remediation::executor::Pacing;
use crate::remediation::{Step, StepOutcome};

/// Errors sources report, one line each, with what to try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Unavailable(String),
    #[error("remediation is disabled: {0}")]
    ReadOnly(String),
    #[error("{resource} not found — it may have been deleted; press r to refresh")]
    NotFound { resource: String },
    #[error("{call} failed: {message}")]
    Call { call: String, message: String },
}

/// What the header shows about the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// e.g. `demo`, `file saved.json`, `aws profile prod`.
    pub label: String,
    /// The AWS account id the source speaks for, when known (audit records
    /// and the header name it).
    pub account: Option<String>,
    /// Why remediation is impossible, when it is.
    pub read_only: Option<String>,
}

pub trait FleetSource: Send + Sync {
    fn info(&self) -> SourceInfo;

    /// Load the whole fleet. Partial failures go in `Fleet::load_errors`;
    /// an `Err` means nothing could be loaded.
    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>>;

    /// Send one step, exactly as planned.
    fn apply<'a>(&'a self, step: &'a Step) -> BoxFuture<'a, Result<StepOutcome, SourceError>>;

    /// Re-read one resource into a copy of `fleet` shape: returns the fleet
    /// fragment holding just that resource (empty when it is gone).
    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>>;

    /// How often the executor re-reads a resource while waiting for it to
    /// settle, and for how long.
    fn pacing(&self) -> Pacing {
        Pacing::default()
    }
}

/// Open the source the command line asks for: the demo, a saved fleet, or
/// else the live AWS account.
pub async fn open(args: &SourceArgs) -> Result<Arc<dyn FleetSource>, SourceError> {
    let source: Arc<dyn FleetSource> = if args.demo {
        let fleet = demo::demo_fleet()?;
        let fleet = match args.demo_size {
            Some(size) => demo::scaled_fleet(&fleet, size),
            None => fleet,
        };
        Arc::new(demo::DemoSource::from_fleet(fleet, args.read_only))
    } else if let Some(path) = &args.fleet {
        Arc::new(file::FileSource::open(path)?)
    } else {
        Arc::new(aws::AwsSource::connect(args).await?)
    };
    Ok(source)
}
