//! The options that choose and shape a source. Declared here, beside what
//! reads them, and flattened into the command line by `cli`.

use clap::Args;
use std::path::PathBuf;

use crate::model::MAX_ACTIVITY_DAYS;

/// Days of RDS activity read from CloudTrail when `--activity-days` is not given.
pub const DEFAULT_ACTIVITY_DAYS: u32 = 7;

/// Where the fleet comes from. Global so `rdsight scan --demo` works.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Source")]
pub struct SourceArgs {
    /// Use the embedded demo fleet: no AWS, no network.
    #[arg(long, global = true, conflicts_with = "fleet")]
    pub demo: bool,

    /// Replace the demo fleet with a synthetic one of N resources (the
    /// mix of a large account), to see rdsight on a large estate.
    #[arg(long, global = true, value_name = "N", requires = "demo")]
    pub demo_size: Option<usize>,

    /// Triage a saved inventory (from `rdsight export-fleet`), read-only.
    #[arg(long, global = true, value_name = "FILE")]
    pub fleet: Option<PathBuf>,

    /// Add the RDS activity trail from CloudTrail log files: a file, or a
    /// directory searched for *.json.gz and *.json (as `aws s3 sync` of the
    /// trail's bucket gives them), or the output of `aws cloudtrail
    /// lookup-events`. Works with --demo, --fleet and a live account.
    #[arg(long, global = true, value_name = "PATH")]
    pub cloudtrail: Option<PathBuf>,

    /// AWS profile from your shared config.
    #[arg(long, global = true, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Regions to scan, comma-separated or repeated.
    #[arg(long, global = true, value_delimiter = ',', value_name = "REGION")]
    pub region: Vec<String>,

    /// Scan every region enabled for the account.
    #[arg(long, global = true, conflicts_with = "region")]
    pub all_regions: bool,

    /// Send every AWS call to this endpoint (moto, LocalStack). Without
    /// it the SDK decides, as the AWS CLI does: AWS_ENDPOINT_URL_<SERVICE>,
    /// then AWS_ENDPOINT_URL, then the profile's endpoint_url / services
    /// section; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns those off.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Browse only: no remediation can be started.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Read the last N days of RDS activity from CloudTrail (LookupEvents
    /// in every scanned region, at most 90); 0 reads none. (A
    /// `SourceArgs::default()` built in code reads none either.)
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = DEFAULT_ACTIVITY_DAYS,
        value_parser = activity_days
    )]
    pub activity_days: u32,
}

/// `--activity-days`: a whole number of days CloudTrail can still answer for.
fn activity_days(text: &str) -> Result<u32, String> {
    let days: u32 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number of days"))?;
    if days > MAX_ACTIVITY_DAYS {
        return Err(format!(
            "at most {MAX_ACTIVITY_DAYS}: CloudTrail's LookupEvents keeps {MAX_ACTIVITY_DAYS} days of management events"
        ));
    }
    Ok(days)
}
