//! Command-line interface: flags shared by every command, and the commands.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::model::Cidr;
use crate::report::Format;
use crate::rules::{RuleId, Severity};

/// Where the fleet comes from: the source layer's own options.
pub use crate::source::SourceArgs;

/// What every `--help` ends with: exit statuses and severities.
const EXIT_STATUSES: &str = "\
Exit status:
  0  done; for scan: no finding at or above --fail-on
  1  an error, or a scan that could not load part of the fleet or reach a
     verdict (unless --allow-incomplete)
  2  a usage error (an unknown flag, a bad value)
  3  scan found something at or above --fail-on

Severities, worst first: critical, high, medium, low.";

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
    pub output: OutputArgs,

    #[command(flatten)]
    pub rules: RuleArgs,

    #[command(flatten)]
    pub remediation: RemediationArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line as clap describes it, with the exit statuses and
    /// the files rdsight uses (whose paths are only known at run time).
    pub fn command_with_help() -> clap::Command {
        let files = crate::paths::describe();
        <Cli as CommandFactory>::command()
            .after_long_help(format!(
                "Without a command, opens the dashboard. Try `rdsight --demo`.\n\n{EXIT_STATUSES}\n\n{files}"
            ))
            .mut_subcommand("scan", |scan| {
                scan.after_long_help(EXIT_STATUSES)
            })
    }

    /// Parse `std::env::args`, printing help or a usage error (exit 2) as
    /// clap does.
    pub fn parse_args() -> Cli {
        let matches = Self::command_with_help().get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// How output looks and where it goes, for every command.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`: when output is coloured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always, even piped or with NO_COLOR.
    Always,
    /// Never.
    Never,
}

/// Rule settings that override the config file.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Rules")]
pub struct RuleArgs {
    /// Config file (default: $XDG_CONFIG_HOME/rdsight/config.toml, see the end of --help).
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
#[command(next_help_heading = "Remediation")]
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
    /// Print a shell completion script: `rdsight completions bash > …`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `rdsight man | man -l -`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write rdsight.1 and one page per command (rdsight-scan.1, …) into
    /// this directory instead of printing rdsight.1.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// `--output FILE`: write there instead of stdout, atomically.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputFile {
    /// Write to FILE instead of stdout: all of it or, on any failure,
    /// nothing (written beside it, then renamed over it).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct ScanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,

    /// Show only findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_enum, default_value = "low")]
    pub min_severity: Severity,

    /// Exit with status 3 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", value_enum)]
    pub fail_on: Option<Severity>,

    /// Exit 0 even when part of the fleet could not be loaded or a verdict
    /// is unknown (the report still says what is missing).
    #[arg(long)]
    pub allow_incomplete: bool,

    #[command(flatten)]
    pub out: OutputFile,
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

    #[command(flatten)]
    pub out: OutputFile,

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

    #[command(flatten)]
    pub out: OutputFile,
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
