//! The live AWS source: RDS and EC2 through the AWS SDK, and the RDS
//! activity trail through CloudTrail.
//!
//! `connect` settles credentials and regions once, up front, so a missing
//! credential or region is one clear line before any screen opens. Then
//! `load` reads every region concurrently (`load/`), `apply` hands one
//! remediation step the region's clients (each kind of call sends itself:
//! `remediation::fixes`), and `refresh` re-reads one resource. SDK types
//! never leave the source layer except into those calls' `send`:
//! `convert.rs` turns them into the model, and `error.rs` turns SDK errors
//! into one line.

pub(crate) mod convert;
mod error;
pub mod http;
mod identity;
mod interfaces;
mod kms;
mod load;
mod pacer;
pub mod profiles;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_sdk_rds::config::http::HttpResponse;
use aws_sdk_rds::config::{ProvideCredentials, Region};
use aws_sdk_rds::error::{ProvideErrorMetadata, SdkError};
use aws_types::service_config::ServiceConfigKey;
use futures::future::BoxFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

use super::{
    FleetSource, LoadSink, Mutation, Pacing, SourceArgs, SourceError, SourceInfo, SourceKind,
    StepOutcome,
};
use crate::model::{Fleet, GroupUser, ResourceRef};
use error::{CallError, Target};

/// Attempts per call (the first try included). Adaptive retry backs off
/// and slows the client down when RDS throttles (~12 requests/s sustained
/// per account and region), instead of failing the load.
const MAX_ATTEMPTS: u32 = 5;

/// An endpoint that does not answer is reported within seconds, not after
/// the operating system gives up on the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The longest one remediation call can take: it is sent once (no
/// retries), so one connection plus one attempt. Quitting waits longer
/// than this for a call in flight.
pub const MUTATION_DEADLINE: Duration =
    Duration::from_secs(CONNECT_TIMEOUT.as_secs() + ATTEMPT_TIMEOUT.as_secs());

/// One attempt of one call; a stalled server cannot hang a load.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a remediation re-reads its resource, and for how long: AWS
/// takes minutes to modify an instance and can take hours to copy a large
/// encrypted snapshot.
const AWS_PACING: Pacing = Pacing {
    poll: Duration::from_secs(5),
    timeout: Duration::from_secs(2 * 60 * 60),
};

/// Regions an account has not opted into answer nothing useful.
const NOT_OPTED_IN: &str = "not-opted-in";

/// The RDS, EC2 and KMS clients for one region. Opaque outside the
/// crate: remediation calls send through them (`remediation::fixes`).
#[derive(Clone)]
pub struct RegionClients {
    pub(crate) region: String,
    pub(crate) endpoint: Option<String>,
    pub(crate) rds: aws_sdk_rds::Client,
    pub(crate) ec2: aws_sdk_ec2::Client,
    /// Clients that send each request once, for remediation calls. The
    /// SDK's retry cannot tell "AWS never got it" from "AWS did it and the
    /// answer was lost", so resending a Create after a dropped connection
    /// would make or refuse a second copy; the executor verifies by
    /// re-reading instead. (Reads keep `rds`/`ec2` and their retries.)
    pub(crate) rds_once: aws_sdk_rds::Client,
    pub(crate) ec2_once: aws_sdk_ec2::Client,
    /// Snapshot attribute look-ups in flight in this region, shared by both
    /// snapshot kinds so together they stay inside the API's rate.
    pub(crate) attribute_slots: Arc<Semaphore>,
    pub(crate) kms: aws_sdk_kms::Client,
    /// CloudTrail, for `LookupEvents`: paced to its rate (`pacer.rs`).
    pub(crate) cloudtrail: aws_sdk_cloudtrail::Client,
    /// Where CloudTrail calls go, for messages: it may differ from RDS's
    /// (`AWS_ENDPOINT_URL_CLOUDTRAIL`).
    pub(crate) cloudtrail_endpoint: Option<String>,
}

/// Has the environment or the shared config chosen how the SDK retries?
async fn retries_configured(profile: Option<&str>) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("AWS_MAX_ATTEMPTS") || set("AWS_RETRY_MODE") || profiles::sets_retries(profile).await
}

/// The endpoint `service_id`'s clients send to, decided as the SDK decides
/// it when it builds them: `--endpoint-url`, else the service's own
/// (`AWS_ENDPOINT_URL_RDS`, a profile `services` section), else the
/// global one; `None` for AWS's own.
pub(super) fn service_endpoint(config: &SdkConfig, service_id: &str) -> Option<String> {
    let global = config.endpoint_url().map(str::to_string);
    if config.get_origin("endpoint_url").is_client_config() {
        return global;
    }
    let key = ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    config
        .service_config()
        .and_then(|services| services.load_config(key))
        .or(global)
}

impl RegionClients {
    fn new(config: &SdkConfig, region: &str) -> Self {
        let region_value = Region::new(region.to_string());
        let rds = aws_sdk_rds::config::Builder::from(config)
            .region(region_value.clone())
            .build();
        let ec2 = aws_sdk_ec2::config::Builder::from(config)
            .region(region_value.clone())
            .build();
        let kms = aws_sdk_kms::config::Builder::from(config)
            .region(region_value.clone())
            .build();
        let rds_once = aws_sdk_rds::config::Builder::from(config)
            .region(region_value.clone())
            .retry_config(RetryConfig::disabled())
            .build();
        let ec2_once = aws_sdk_ec2::config::Builder::from(config)
            .region(region_value.clone())
            .retry_config(RetryConfig::disabled())
            .build();
        let mut cloudtrail = aws_sdk_cloudtrail::config::Builder::from(config).region(region_value);
        if let Some(http) = config.http_client() {
            // One pacer per region and account: the rate CloudTrail keeps.
            let pacer = pacer::Pacer::new(load::LOOKUP_EVENTS_GAP);
            cloudtrail = cloudtrail.http_client(pacer.client(http));
        }
        Self {
            region: region.to_string(),
            endpoint: service_endpoint(config, "RDS"),
            rds: aws_sdk_rds::Client::from_conf(rds),
            ec2: aws_sdk_ec2::Client::from_conf(ec2),
            rds_once: aws_sdk_rds::Client::from_conf(rds_once),
            ec2_once: aws_sdk_ec2::Client::from_conf(ec2_once),
            attribute_slots: Arc::new(Semaphore::new(load::ATTRIBUTE_CONCURRENCY)),
            kms: aws_sdk_kms::Client::from_conf(kms),
            cloudtrail: aws_sdk_cloudtrail::Client::from_conf(cloudtrail.build()),
            cloudtrail_endpoint: service_endpoint(config, "CloudTrail"),
        }
    }

    /// One line describing a failed call from this region's clients.
    pub(crate) fn error<E>(&self, err: &SdkError<E, HttpResponse>) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        error::describe(
            err,
            Target {
                region: &self.region,
                endpoint: self.endpoint.as_deref(),
            },
        )
    }

    /// Turns a refusal of remediation call `api` into the error the
    /// audit log records: `.map_err(aws.fail(api))`.
    pub(crate) fn fail<E>(&self, api: &str) -> impl Fn(SdkError<E, HttpResponse>) -> SourceError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        move |err| {
            let e = self.error(&err);
            if error::maybe_executed(&err) {
                return SourceError::Unanswered {
                    call: api.to_string(),
                    message: e.message,
                    code: e.code,
                    request_id: e.request_id,
                };
            }
            SourceError::Call {
                call: api.to_string(),
                message: e.message,
                code: e.code,
                request_id: e.request_id,
            }
        }
    }
}

pub struct AwsSource {
    config: SdkConfig,
    regions: Vec<RegionClients>,
    profile: Option<String>,
    /// Where the default chain found credentials, when no profile is named.
    credentials: &'static str,
    read_only: bool,
    /// `--activity-days`: the RDS activity trail each load reads (0: none).
    activity_days: u32,
    /// The account id from the last load, for refresh fragments.
    account: Mutex<String>,
}

impl AwsSource {
    /// Connect with the default credential chain and the command line's
    /// profile, endpoint and regions.
    pub async fn connect(args: &SourceArgs) -> Result<AwsSource, SourceError> {
        Self::connect_with(args, |loader| loader).await
    }

    /// As [`AwsSource::connect`], letting the caller adjust the SDK config
    /// loader first (tests give it static credentials this way).
    pub async fn connect_with(
        args: &SourceArgs,
        customize: impl FnOnce(ConfigLoader) -> ConfigLoader,
    ) -> Result<AwsSource, SourceError> {
        let wanted: Vec<String> = args
            .region
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let http_client = http::client_for_profile(args.profile.as_deref()).await?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http_client.clone())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(CONNECT_TIMEOUT)
                    .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                    .build(),
            );
        if let Some(profile) = &args.profile {
            // The profile's own credentials, ahead of any environment keys:
            // the default chain would take AWS_ACCESS_KEY_ID first, and the
            // header and audit log would name a profile that was not used.
            let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder()
                .configure(&http::provider_config(http_client))
                .profile_name(profile)
                .build();
            loader = loader
                .profile_name(profile)
                .credentials_provider(credentials);
        }
        // Adaptive retries unless AWS_MAX_ATTEMPTS, AWS_RETRY_MODE or the
        // profile say otherwise: setting it here would outrank them.
        if !retries_configured(args.profile.as_deref()).await {
            loader = loader.retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS));
        }
        // Only --endpoint-url is ours to set; AWS_ENDPOINT_URL_<SERVICE>,
        // AWS_ENDPOINT_URL and the profile's endpoints are the SDK's to
        // weigh, as the AWS CLI does (an explicit one would outrank them).
        if let Some(url) = &args.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(first) = wanted.first() {
            // Named regions need no lookup (and never the metadata service).
            loader = loader.region(Region::new(first.clone()));
        }
        let config = customize(loader).load().await;
        check_credentials(&config, args.profile.as_deref()).await?;
        let regions = if !wanted.is_empty() {
            dedup(wanted)
        } else if args.all_regions {
            enabled_regions(&config).await?
        } else {
            match config.region() {
                Some(region) => vec![region.to_string()],
                None => return Err(no_region()),
            }
        };
        // Whose data this is, asked every time credentials or regions change,
        // so nothing is ever shown under the wrong account.
        let home = regions.first().ok_or_else(no_region)?;
        let account = identity::account(&config, home, args.profile.as_deref()).await?;
        let clients = regions
            .iter()
            .map(|r| RegionClients::new(&config, r))
            .collect();
        Ok(AwsSource {
            config,
            regions: clients,
            profile: args.profile.clone(),
            credentials: default_chain_source(),
            read_only: args.read_only,
            activity_days: args.activity_days,
            account: Mutex::new(account),
        })
    }

    /// The regions this source scans.
    pub fn regions(&self) -> Vec<String> {
        self.regions.iter().map(|r| r.region.clone()).collect()
    }

    /// Clients for `region`: a scanned one, or made on the spot.
    fn clients(&self, region: &str) -> RegionClients {
        self.regions
            .iter()
            .find(|r| r.region == region)
            .cloned()
            .unwrap_or_else(|| RegionClients::new(&self.config, region))
    }

    fn account(&self) -> String {
        self.account
            .lock()
            .map(|a| a.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

async fn check_credentials(config: &SdkConfig, profile: Option<&str>) -> Result<(), SourceError> {
    let chain = match config.credentials_provider() {
        None => NOT_ENABLED.to_string(),
        Some(provider) => match provider.provide_credentials().await {
            Ok(_) => return Ok(()),
            Err(e) => error::chain(&e),
        },
    };
    tracing::debug!("credentials: {chain}");
    let message = match (profile, chain.starts_with(NOT_ENABLED)) {
        (None, true) => {
            "no AWS credentials found — run with --demo, or set AWS_PROFILE / AWS_ACCESS_KEY_ID"
                .to_string()
        }
        (Some(p), true) => format!(
            "no AWS credentials for profile {p} — check ~/.aws/config and ~/.aws/credentials, or run with --demo"
        ),
        (None, false) => format!(
            "cannot load AWS credentials: {} — run with --demo, or check AWS_PROFILE / AWS_ACCESS_KEY_ID",
            error::one_line(&chain)
        ),
        (Some(p), false) => format!(
            "cannot load AWS credentials for profile {p}: {} — check ~/.aws/config, or run with --demo",
            error::one_line(&chain)
        ),
    };
    Err(SourceError::Unavailable(message))
}

/// Which link of the default credential chain answers when no profile is
/// named, for the header and the audit log: environment keys come first.
fn default_chain_source() -> &'static str {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
        "environment keys"
    } else {
        "default credentials"
    }
}

/// How the SDK says no provider in the chain had credentials.
const NOT_ENABLED: &str = "the credential provider was not enabled";

fn no_region() -> SourceError {
    SourceError::Unavailable(
        "no AWS region configured — pass --region, set AWS_REGION, or run with --demo".into(),
    )
}

/// Every region enabled for the account, asked of the default region.
async fn enabled_regions(config: &SdkConfig) -> Result<Vec<String>, SourceError> {
    let Some(home) = config.region() else {
        return Err(SourceError::Unavailable(
            "--all-regions needs a home region to list regions from — set AWS_REGION or a region in your AWS profile".into(),
        ));
    };
    let clients = RegionClients::new(config, home.as_ref());
    let out = clients.ec2.describe_regions().send().await.map_err(|e| {
        SourceError::Unavailable(format!(
            "cannot list regions: {}",
            clients.error(&e).message
        ))
    })?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| r.opt_in_status() != Some(NOT_OPTED_IN))
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect();
    regions.sort();
    regions.dedup();
    if regions.is_empty() {
        return Err(SourceError::Unavailable(
            "AWS listed no enabled regions — pass --region".into(),
        ));
    }
    Ok(regions)
}

fn dedup(regions: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in regions {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

impl FleetSource for AwsSource {
    fn info(&self) -> SourceInfo {
        let mut label = match &self.profile {
            Some(p) => format!("aws profile {p}"),
            None => format!("aws ({})", self.credentials),
        };
        // Where the calls really go, as the SDK decided per service.
        let rds = service_endpoint(&self.config, "RDS");
        let ec2 = service_endpoint(&self.config, "EC2");
        if let Some(url) = &rds {
            label.push_str(&format!(" @ {url}"));
        }
        if ec2 != rds {
            let url = ec2.as_deref().unwrap_or("AWS");
            label.push_str(&format!(" (ec2 @ {url})"));
        }
        SourceInfo {
            kind: SourceKind::Aws,
            label,
            account: Some(self.account()).filter(|a| !a.is_empty()),
            read_only: super::read_only_reason(self.read_only),
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        self.load_streaming(Arc::new(|_| {}))
    }

    fn load_streaming(&self, sink: LoadSink) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let trail = load::Window::last_days(self.activity_days);
            let fleet = load::load_fleet(&self.regions, &self.account(), trail, &*sink).await?;
            if !fleet.account.is_empty()
                && let Ok(mut account) = self.account.lock()
            {
                *account = fleet.account.clone();
            }
            Ok(fleet)
        })
    }

    fn available_regions(&self) -> BoxFuture<'_, Option<Vec<String>>> {
        Box::pin(async move { enabled_regions(&self.config).await.ok() })
    }

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async move {
            super::refuse_if_read_only(self.read_only)?;
            step.send_aws(&self.clients(&step.region())).await
        })
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move {
            load::refresh(&self.clients(&resource.region), resource, self.account()).await
        })
    }

    fn check_kms_key<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), SourceError>> {
        Box::pin(kms::check_key(&self.regions, key))
    }

    fn group_users<'a>(
        &'a self,
        region: &'a str,
        group: &'a str,
    ) -> BoxFuture<'a, Result<Vec<GroupUser>, SourceError>> {
        Box::pin(async move { interfaces::group_users(&self.clients(region), group).await })
    }

    fn pacing(&self) -> Pacing {
        AWS_PACING
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_keep_order_without_repeats() {
        assert_eq!(
            dedup(vec![
                "eu-west-1".into(),
                "us-east-1".into(),
                "eu-west-1".into()
            ]),
            vec!["eu-west-1", "us-east-1"]
        );
    }
}
