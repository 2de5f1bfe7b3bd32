//! Where fleets come from, and where remediation steps are sent.
//!
//! A [`FleetSource`] loads a [`Fleet`], applies one remediation [`Step`] at
//! a time and re-reads single resources. Implementations: `aws` (the live
//! account through the AWS SDK), `demo` (embedded, mutable in memory), `file`
//! (a saved inventory, read-only).

mod args;
pub mod aws;
pub mod cloudtrail;
pub mod demo;
pub mod file;
mod outcome;
pub mod synthetic;

pub use args::SourceArgs;
pub use outcome::{Fact, StepOutcome};

use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

use crate::model::{Fleet, GroupKey, GroupUser, OtherUsers, ResourceList, ResourceRef};

/// Errors sources report, one line each, with what to try.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Unavailable(String),
    #[error("remediation is disabled: {0}")]
    ReadOnly(String),
    #[error("{resource} not found — it may have been deleted; refresh the fleet")]
    NotFound { resource: String },
    #[error("{call} failed: {message}")]
    Call {
        call: String,
        /// One line, starting with the AWS error code when there is one.
        message: String,
        /// The AWS error code (`KMSKeyNotAccessibleFault`), for the audit log.
        code: Option<String>,
        /// The AWS request id of the failed call, when AWS answered.
        request_id: Option<String>,
    },
    /// A mutating call that got no clear answer (a timeout, a dropped
    /// connection, a 5xx): AWS may or may not have carried it out, so it
    /// must be verified by re-reading the resource, never simply resent.
    #[error("{call}: no clear answer, it may or may not have been carried out: {message}")]
    Unanswered {
        call: String,
        message: String,
        code: Option<String>,
        request_id: Option<String>,
    },
}

impl SourceError {
    /// A call refused or failed without an AWS error code or request id.
    pub fn call(call: impl Into<String>, message: impl Into<String>) -> Self {
        SourceError::Call {
            call: call.into(),
            message: message.into(),
            code: None,
            request_id: None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            SourceError::Call { code, .. } | SourceError::Unanswered { code, .. } => {
                code.as_deref()
            }
            _ => None,
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            SourceError::Call { request_id, .. } | SourceError::Unanswered { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// AWS may have carried the call out: verify before deciding.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, SourceError::Unanswered { .. })
    }

    /// AWS refused the call for its rate before acting on it: it can be
    /// sent again after a pause.
    pub fn is_throttled(&self) -> bool {
        matches!(self, SourceError::Call { .. })
            && self.code().is_some_and(|c| THROTTLING_CODES.contains(&c))
    }
}

/// Why a source started with `--read-only` refuses changes.
fn read_only_reason(read_only: bool) -> Option<String> {
    read_only.then(|| "started with --read-only".to_string())
}

/// Refuse a step when the source was started with `--read-only`.
fn refuse_if_read_only(read_only: bool) -> Result<(), SourceError> {
    match read_only_reason(read_only) {
        Some(why) => Err(SourceError::ReadOnly(why)),
        None => Ok(()),
    }
}

/// Error codes AWS answers with when it rejects a request for its rate,
/// before doing anything.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
];

/// Which kind of source, for what it can do beyond loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Demo,
    /// A saved fleet: fixed regions, no profile, read-only.
    File,
    Aws,
}

/// What the header shows about the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub kind: SourceKind,
    /// e.g. `demo`, `file saved.json`, `aws profile prod`.
    pub label: String,
    /// The AWS account id the source speaks for, when known (audit records
    /// and the header name it).
    pub account: Option<String>,
    /// Why remediation is impossible, when it is.
    pub read_only: Option<String>,
}

/// One list a load reads: a resource kind in a region.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoadPart {
    pub region: String,
    /// One of [`ResourceList::LISTS`].
    pub what: ResourceList,
}

/// What a streaming load reports while it runs.
#[derive(Debug, Clone, PartialEq)]
// Pages are the common event, and each is moved once into a channel:
// boxing the fleet would add an allocation per page and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum LoadEvent {
    /// The parts this load will read, before any of them answers.
    Planned(Vec<LoadPart>),
    /// A page of resources from one part, complete enough to judge
    /// (snapshots come with who they are shared with).
    Page { part: LoadPart, fragment: Fleet },
    /// A part is finished: how many resources it gave, or why it failed.
    Finished {
        part: LoadPart,
        result: Result<usize, String>,
    },
}

/// Where a streaming load sends its events.
pub type LoadSink = Arc<dyn Fn(LoadEvent) + Send + Sync>;

/// One change a source can send: a remediation step. Each kind of call
/// says how it is sent through the SDK and what it does to the demo fleet,
/// so a source only supplies its clients or its fleet.
pub trait Mutation: Send + Sync {
    /// `service:Action`, e.g. `rds:ModifyDBInstance`.
    fn api(&self) -> &'static str;
    fn region(&self) -> String;
    /// The call as an `aws` CLI line: what exactly would be sent.
    fn cli(&self) -> String;
    fn send_aws<'a>(
        &'a self,
        aws: &'a aws::RegionClients,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>>;
    fn apply_demo(&self, fleet: &mut Fleet) -> Result<demo::DemoChange, SourceError>;
}

/// Timing of the wait-for-settle loop; the demo source settles in seconds,
/// AWS in minutes.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    pub poll: Duration,
    pub timeout: Duration,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(300),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

pub trait FleetSource: Send + Sync {
    fn info(&self) -> SourceInfo;

    /// Load the whole fleet. Partial failures go in `Fleet::load_errors`;
    /// an `Err` means nothing could be loaded.
    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>>;

    /// Load the whole fleet, telling `sink` about each page as it arrives
    /// so a screen can fill while a large account loads. The returned fleet
    /// is the whole answer. Sources that load at once need not stream.
    fn load_streaming(&self, sink: LoadSink) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        let _ = sink;
        self.load()
    }

    /// Regions this source could be switched to (the region picker lists
    /// them); `None` when it cannot say.
    fn available_regions(&self) -> BoxFuture<'_, Option<Vec<String>>> {
        Box::pin(async { None })
    }

    /// Send one step, exactly as planned.
    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>>;

    /// Re-read one resource into a copy of `fleet` shape: returns the fleet
    /// fragment holding just that resource (empty when it is gone).
    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>>;

    /// Check, before any plan uses it, that the KMS key `key` (id, ARN or
    /// alias) exists and is enabled where this source would encrypt with
    /// it. Sources that are not AWS accept any key.
    fn check_kms_key<'a>(&'a self, _key: &'a str) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(async { Ok(()) })
    }

    /// Who uses security group `group` in `region`, from its network
    /// interfaces: what a revoke's impact names beyond the fleet's
    /// databases. A source that cannot tell says why; never an empty list.
    fn group_users<'a>(
        &'a self,
        _region: &'a str,
        _group: &'a str,
    ) -> BoxFuture<'a, Result<Vec<GroupUser>, SourceError>> {
        Box::pin(async {
            Err(SourceError::Unavailable(
                "this source does not record network interfaces".into(),
            ))
        })
    }

    /// How often the executor re-reads a resource while waiting for it to
    /// settle, and for how long.
    fn pacing(&self) -> Pacing {
        Pacing::default()
    }
}

/// Read the users of every group in `groups` at once: what is known of
/// each, a failure kept as the reason it is unknown.
pub async fn read_group_users(
    source: &dyn FleetSource,
    groups: &[GroupKey],
) -> Vec<(GroupKey, OtherUsers)> {
    let reads = groups.iter().map(|(region, group)| async move {
        let users = match source.group_users(region, group).await {
            Ok(users) => OtherUsers::Read(users),
            Err(e) => OtherUsers::Unknown(e.to_string()),
        };
        ((region.clone(), group.clone()), users)
    });
    futures::future::join_all(reads).await
}

/// A source, passed from the task that connected it to the loop that uses
/// it (a profile or region switch).
#[derive(Clone)]
pub struct SourceHandle(pub Arc<dyn FleetSource>);

impl std::fmt::Debug for SourceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceHandle({})", self.0.info().label)
    }
}

/// The profile and regions a dashboard shows: what the pickers change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceContext {
    pub profile: Option<String>,
    /// Regions named explicitly; empty means the profile's own region (or
    /// every enabled region with `all_regions`).
    pub regions: Vec<String>,
    pub all_regions: bool,
}

impl SourceContext {
    pub fn from_args(args: &SourceArgs) -> Self {
        Self {
            profile: args.profile.clone(),
            regions: args.region.clone(),
            all_regions: args.all_regions,
        }
    }

    /// `args` with this context's profile and regions.
    pub fn apply_to(&self, args: &SourceArgs) -> SourceArgs {
        SourceArgs {
            profile: self.profile.clone(),
            region: self.regions.clone(),
            all_regions: self.all_regions && self.regions.is_empty(),
            ..args.clone()
        }
    }
}

/// Open the source the command line asks for: the demo, a saved fleet, or
/// else the live AWS account; with `--cloudtrail`, its loads add the trail
/// files' events.
pub async fn open(args: &SourceArgs) -> Result<Arc<dyn FleetSource>, SourceError> {
    let source: Arc<dyn FleetSource> = if args.demo {
        Arc::new(match args.demo_size {
            Some(size) => {
                let regions = synthetic::regions();
                // Checked now: a wrong --region fails at once, not at the first load.
                let known = crate::model::Fleet {
                    regions: regions.clone(),
                    ..Default::default()
                };
                demo::in_regions(known, &args.region)?;
                demo::DemoSource::synthetic(
                    size,
                    synthetic::DEMO_SEED,
                    args.region.clone(),
                    args.read_only,
                )
                .with_regions(regions)
            }
            None => {
                let fleet = demo::demo_fleet()?;
                let regions = fleet.regions.clone();
                let fleet = demo::in_regions(fleet, &args.region)?;
                demo::DemoSource::from_fleet(fleet, args.read_only).with_regions(regions)
            }
        })
    } else if let Some(path) = &args.fleet {
        Arc::new(file::FileSource::open(path)?)
    } else {
        Arc::new(aws::AwsSource::connect(args).await?)
    };
    match &args.cloudtrail {
        Some(path) => Ok(Arc::new(cloudtrail::WithTrail::new(source, path)?)),
        None => Ok(source),
    }
}

/// [`open`], then, when the source can remediate, check the KMS key
/// encrypting plans will use (another profile is another account, with
/// other keys): a missing key is one line before anything runs.
pub async fn open_checked(
    args: &SourceArgs,
    kms_key_id: &str,
) -> Result<Arc<dyn FleetSource>, SourceError> {
    let source = open(args).await?;
    if source.info().read_only.is_none() {
        source.check_kms_key(kms_key_id).await?;
    }
    Ok(source)
}
