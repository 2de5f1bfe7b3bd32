//! Command-line interface: flags shared by every command, and the commands.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::model::Cidr;
use crate::report::Format;
use crate::rules::{RuleId, Severity};

/// Where the fleet comes from: the source layer's own options.
pub use crate::source::SourceArgs;

#[derive(Debug, Parser)]
#[command(
    name = "rdsight",
    version,
    about = "Security and resilience posture of Amazon RDS and Aurora fleets, in your terminal",
    after_help = "Without a command, opens the dashboard. Try `rdsight --demo`."
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub remediation: RemediationArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Rule settings that override the config file.
#[derive(Debug, Clone, Default, Args)]
pub struct RuleArgs {
    /// Config file (default: ~/.config/rdsight/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// An account snapshots may be shared with (repeatable).
    #[arg(long = "trusted-account", global = true, value_name = "ACCOUNT_ID")]
    pub trusted_accounts: Vec<String>,

    /// Minimum backup retention in days for `backups-short` (default 7).
    #[arg(long, global = true, value_name = "DAYS")]
    pub min_backup_days: Option<u32>,
}

/// How remediation plans are built.
#[derive(Debug, Clone, Args)]
pub struct RemediationArgs {
    /// KMS key (id, ARN or alias) for encrypted copies and restores.
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        default_value = crate::remediation::DEFAULT_KMS_KEY
    )]
    pub kms_key: String,
}

impl Default for RemediationArgs {
    fn default() -> Self {
        Self {
            kms_key: crate::remediation::DEFAULT_KMS_KEY.to_string(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate every rule and print the findings (for pipelines and reports).
    Scan(ScanArgs),
    /// Print the remediation plans for current findings as a bash script
    /// of `aws` CLI commands, for review; changes nothing.
    Plan(PlanArgs),
    /// Reverse one audited call (a revoked rule, a removed share), after
    /// showing it and asking for `yes` on stdin.
    Undo(UndoArgs),
    /// Print the loaded fleet as JSON, for `--fleet` later.
    ExportFleet(ExportArgs),
    /// Render the dashboard to an SVG file after replaying keys.
    Screenshot(ScreenshotArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,

    /// Show only findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub min_severity: Severity,

    /// Exit with status 3 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,

    /// Exit 0 even when part of the fleet could not be loaded (the report
    /// still lists what is missing under load_errors).
    #[arg(long)]
    pub allow_incomplete: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Only findings of this rule (e.g. snapshot-public); repeatable.
    #[arg(long, value_name = "RULE", value_parser = parse_rule)]
    pub rule: Vec<RuleId>,

    /// Only findings on this resource id; repeatable.
    #[arg(long, value_name = "ID")]
    pub resource: Vec<String>,

    /// Apply changes now instead of in the next maintenance window.
    #[arg(long)]
    pub apply_immediately: bool,

    /// After revoking an all-traffic or port-range world rule, open only
    /// the DB port, from this CIDR (never 0.0.0.0/0, ::/0 or another /0).
    #[arg(long, value_name = "CIDR", value_parser = parse_cidr)]
    pub narrow_to: Option<Cidr>,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// The AWS request id of the call to reverse, from its "succeeded"
    /// line in the audit log; without it, the latest reversible call.
    #[arg(value_name = "REQUEST_ID")]
    pub request_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Print a synthetic fleet of N resources instead of loading one: about
    /// 1 cluster : 4 instances : 15 snapshots, with a realistic spread of
    /// risks (for trying `--fleet` at scale and for benchmarks).
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,

    /// Seed of the synthetic fleet: the same seed gives the same fleet.
    #[arg(long, value_name = "S", default_value_t = 1, requires = "synthetic")]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// Where to write the SVG.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Terminal size as COLUMNSxROWS.
    #[arg(long, default_value = "120x36", value_parser = parse_size)]
    pub size: (u16, u16),

    /// Keys to replay first, e.g. "4 j f" or "/ sev:critical <Enter>": each
    /// word is typed character by character (no space between words; use
    /// <Space>), <Enter> <Esc> <Tab> <Up> <Down> <PgUp> <PgDn> <BS> are keys.
    #[arg(long, default_value = "")]
    pub keys: String,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_rule(s: &str) -> Result<RuleId, String> {
    s.parse()
}

fn parse_cidr(s: &str) -> Result<Cidr, String> {
    Cidr::parse(s)
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("size `{s}` must look like 120x36"))?;
    let w: u16 = w.parse().map_err(|_| format!("bad width in `{s}`"))?;
    let h: u16 = h.parse().map_err(|_| format!("bad height in `{s}`"))?;
    if w < 20 || h < 5 {
        return Err(format!("size `{s}` is too small"));
    }
    Ok((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_accepts_global_source_flags_after_the_command() {
        let cli =
            Cli::try_parse_from(["rdsight", "scan", "--demo", "--fail-on", "critical"]).unwrap();
        assert!(cli.source.demo);
        match cli.command {
            Some(Command::Scan(args)) => assert_eq!(args.fail_on, Some(Severity::Critical)),
            other => panic!("expected scan, got {other:?}"),
        }
    }

    #[test]
    fn plan_takes_rules_resources_and_a_global_kms_key() {
        let cli = Cli::try_parse_from([
            "rdsight",
            "plan",
            "--rule",
            "snapshot-public",
            "--resource",
            "orders-db",
            "--kms-key",
            "alias/rdsight",
        ])
        .unwrap();
        assert_eq!(cli.remediation.kms_key, "alias/rdsight");
        match cli.command {
            Some(Command::Plan(args)) => {
                assert_eq!(args.rule, vec![RuleId::SnapshotPublic]);
                assert_eq!(args.resource, vec!["orders-db"]);
            }
            other => panic!("expected plan, got {other:?}"),
        }
        let default = Cli::try_parse_from(["rdsight", "--demo"]).unwrap();
        assert_eq!(default.remediation.kms_key, "alias/aws/rds");
        assert!(Cli::try_parse_from(["rdsight", "plan", "--rule", "no-such-rule"]).is_err());
    }

    #[test]
    fn regions_split_on_commas() {
        let cli = Cli::try_parse_from(["rdsight", "--region", "us-east-1,eu-west-1"]).unwrap();
        assert_eq!(cli.source.region, vec!["us-east-1", "eu-west-1"]);
    }

    #[test]
    fn rejects_bad_severity_and_size() {
        assert!(Cli::try_parse_from(["rdsight", "scan", "--fail-on", "urgent"]).is_err());
        assert!(
            Cli::try_parse_from(["rdsight", "screenshot", "--out", "a.svg", "--size", "wide"])
                .is_err()
        );
    }
}
