//! What each command does, given parsed arguments. Returns the exit status.

use color_eyre::eyre::{Result, WrapErr, eyre};

use crate::cli::{
    Cli, ColorChoice, Command, ExportArgs, ManArgs, PlanArgs, RemediationArgs, RuleArgs, ScanArgs,
    SourceArgs,
};
use crate::config::{Config, RuleConfig};
use crate::model::OtherUsers;
use crate::remediation::PlanOptions;
use crate::remediation::audit::{self, AuditLog};
use crate::report::plan_script::{self as script, ScriptHeader};
use crate::report::{self, ScanReport, TableStyle};
use crate::rules;
use crate::source;

mod output;
mod undo;

/// Exit status when `scan --fail-on` finds something at or above it.
pub const EXIT_FINDINGS: u8 = 3;

/// Config file, then command-line overrides.
pub fn rule_config(args: &RuleArgs) -> Result<RuleConfig> {
    let mut config = Config::load(args.config.as_deref())?.rules;
    for account in &args.trusted_accounts {
        if !config.trusted_accounts.contains(account) {
            config.trusted_accounts.push(account.clone());
        }
    }
    if let Some(days) = args.min_backup_days {
        config.min_backup_retention_days = days;
    }
    Ok(config)
}

pub async fn run(cli: Cli) -> Result<u8> {
    match cli.output.color {
        ColorChoice::Always => crate::text::choose_color(true),
        ColorChoice::Never => crate::text::choose_color(false),
        ColorChoice::Auto => {}
    }
    // These two need no config, no source and no credentials.
    match &cli.command {
        Some(Command::Completions(args)) => {
            let mut command = Cli::command_with_help();
            output::write_to(None, |out| {
                clap_complete::generate(args.shell, &mut command, "rdsight", out);
                Ok(())
            })?;
            return Ok(0);
        }
        Some(Command::Man(args)) => return man(args),
        _ => {}
    }
    let mut rules = rule_config(&cli.rules)?;
    if cli.source.demo {
        rules = source::demo::house_rules(rules);
    }
    match cli.command {
        Some(Command::Completions(_) | Command::Man(_)) => Ok(0),
        Some(Command::Scan(args)) => scan(&cli.source, &rules, &args, cli.output.color).await,
        Some(Command::Plan(args)) => plan(&cli.source, &rules, &cli.remediation, &args).await,
        Some(Command::Undo(args)) => undo::run(&cli.source, &args).await,
        Some(Command::ExportFleet(args)) => export_fleet(&cli.source, &args).await,
        Some(Command::Screenshot(args)) => {
            let source = source::open(&cli.source).await?;
            crate::tui::screenshot::run(source, rules, &args).await?;
            Ok(0)
        }
        None => {
            let source = source::open_checked(&cli.source, &cli.remediation.kms_key).await?;
            let audit = AuditLog::new(audit::path_for(source.info().kind));
            crate::tui::runtime::run(
                source,
                cli.source.clone(),
                rules,
                audit,
                cli.remediation.kms_key,
            )
            .await?;
            Ok(0)
        }
    }
}

/// The manual page: rdsight.1 on stdout, or every page into a directory.
fn man(args: &ManArgs) -> Result<u8> {
    let command = Cli::command_with_help();
    match &args.out_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|_| clap_mangen::generate_to(command, dir))
                .wrap_err_with(|| format!("cannot write the manual pages to {}", dir.display()))?;
        }
        None => output::write_to(None, |out| clap_mangen::Man::new(command).render(out))
            .wrap_err("cannot write the manual page to stdout")?,
    }
    Ok(0)
}

/// Where a command's output goes, for its error line.
fn destination(file: Option<&std::path::Path>) -> String {
    file.map_or_else(|| "stdout".to_string(), |f| f.display().to_string())
}

async fn scan(
    source_args: &SourceArgs,
    rules: &RuleConfig,
    args: &ScanArgs,
    color: ColorChoice,
) -> Result<u8> {
    let fleet = source::open(source_args).await?.load().await?;
    let findings = rules::evaluate(&fleet, rules);
    let report = ScanReport::new(&fleet, findings, args.min_severity);
    // The report holds all it prints: free the fleet before writing it.
    drop(fleet);
    let file = args.out.output.as_deref();
    let on_terminal = file.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let style = TableStyle {
        width: on_terminal.then(|| {
            crossterm::terminal::size()
                .map(|(w, _)| w as usize)
                .unwrap_or(80)
        }),
        color: output::colored(color, file),
    };
    output::write_to(file, |mut out| {
        report::write(&report, args.format, style, &mut out)
    })
    .wrap_err_with(|| format!("cannot write the report to {}", destination(file)))?;
    if let Some(threshold) = args.fail_on
        && report.has_finding_at_or_above(threshold)
    {
        return Ok(EXIT_FINDINGS);
    }
    // A scan, and above all a gate, must not pass on what it could not see.
    if !report.complete && !args.allow_incomplete {
        return Err(eyre!("{}", incomplete_reason(&report)));
    }
    Ok(0)
}

/// Why a scan is incomplete, in one line: what was not loaded, which
/// verdicts are unknown, and what to do.
fn incomplete_reason(report: &ScanReport) -> String {
    let mut parts = Vec::new();
    if let Some(first) = report.load_errors.first() {
        parts.push(format!(
            "{} part(s) of the fleet could not be loaded (first: {first})",
            report.load_errors.len()
        ));
    }
    if report.summary.unknown > 0 {
        let first = report
            .findings
            .iter()
            .find(|f| f.is_unknown())
            .map(|f| format!(" (first: {} on {}: {})", f.rule, f.resource_id, f.reason))
            .unwrap_or_default();
        parts.push(format!(
            "{} verdict(s) unknown{first}",
            report.summary.unknown
        ));
    }
    format!(
        "scan incomplete: {} — fix access, narrow --region, or pass --allow-incomplete",
        parts.join("; ")
    )
}

/// Print the plans for the current findings as a reviewable bash script.
async fn plan(
    source_args: &SourceArgs,
    rules: &RuleConfig,
    remediation: &RemediationArgs,
    args: &PlanArgs,
) -> Result<u8> {
    let source = source::open(source_args).await?;
    source.check_kms_key(&remediation.kms_key).await?;
    let fleet = source.load().await?;
    let findings: Vec<rules::Finding> = rules::evaluate(&fleet, rules)
        .into_iter()
        .filter(|f| args.rule.is_empty() || args.rule.contains(&f.rule))
        .filter(|f| args.resource.is_empty() || args.resource.contains(&f.resource_id))
        .collect();
    let mut options = PlanOptions {
        apply_immediately: args.apply_immediately,
        backup_retention_days: rules.min_backup_retention_days,
        kms_key_id: remediation.kms_key.clone(),
        narrow_to: args.narrow_to.clone(),
        ..PlanOptions::default()
    };
    read_group_users(&*source, &fleet, rules, &findings, &mut options).await;
    let info = source.info();
    let header = ScriptHeader {
        source: info.label,
        account: info
            .account
            .or_else(|| Some(fleet.account.clone()).filter(|a| !a.is_empty())),
        regions: fleet.regions.clone(),
        generated: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
    };
    let text = script::render(&fleet, rules, &findings, &options, &header);
    let file = args.out.output.as_deref();
    output::write_to(file, |out| out.write_all(text.as_bytes()))
        .wrap_err_with(|| format!("cannot write the plan to {}", destination(file)))?;
    if !fleet.load_errors.is_empty() {
        eprintln!(
            "rdsight: plan covers only what loaded: {} part(s) of the fleet could not be read (see `rdsight scan`)",
            fleet.load_errors.len()
        );
    }
    Ok(0)
}

/// Read who uses every security group the plans change, into `options`,
/// so each revoke's comments name them; what could not be read is said
/// there, and here on stderr.
async fn read_group_users(
    source: &dyn source::FleetSource,
    fleet: &crate::model::Fleet,
    rules: &RuleConfig,
    findings: &[rules::Finding],
    options: &mut PlanOptions,
) {
    let (groups, narrows) = rules::plans_need(fleet, rules, findings, options);
    if let Some(cidr) = &options.narrow_to
        && !narrows
    {
        eprintln!(
            "rdsight: --narrow-to {cidr} changes nothing: no plan revokes an all-traffic or port-range world rule"
        );
    }
    for ((region, group), users) in source::read_group_users(source, &groups).await {
        if let OtherUsers::Unknown(why) = &users {
            eprintln!(
                "rdsight: who else uses {group} ({region}) is unknown: {} — the plan says so",
                crate::text::sanitize(why)
            );
        }
        options.group_users.set(&region, &group, users);
    }
}

async fn export_fleet(source_args: &SourceArgs, args: &ExportArgs) -> Result<u8> {
    let fleet = match args.synthetic {
        Some(size) => source::synthetic::synthetic_fleet(size, args.seed),
        None => source::open(source_args).await?.load().await?,
    };
    // Streamed, so a 100k-resource fleet never sits in memory twice.
    let file = args.out.output.as_deref();
    output::write_to(file, |out| {
        source::file::write_saved(&fleet, &mut *out)?;
        out.write_all(b"\n")
    })
    .wrap_err_with(|| format!("cannot write the fleet to {}", destination(file)))?;
    Ok(0)
}
