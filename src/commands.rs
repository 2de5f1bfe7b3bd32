//! What each command does, given parsed arguments. Returns the exit status.

use color_eyre::eyre::{Result, WrapErr, eyre};
use std::io::{IsTerminal, Write};

use crate::cli::{
    Cli, Command, ExportArgs, PlanArgs, RemediationArgs, RuleArgs, ScanArgs, SourceArgs,
};
use crate::config::{Config, RuleConfig};
use crate::model::OtherUsers;
use crate::remediation::PlanOptions;
use crate::remediation::audit::{self, AuditLog};
use crate::report::plan_script::{self as script, ScriptHeader};
use crate::report::{self, ScanReport, TableStyle};
use crate::rules;
use crate::source;

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

/// Write to stdout through a buffer; a reader that went away (`| head`) is
/// not an error.
fn write_stdout(
    stdout: std::io::Stdout,
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

pub async fn run(cli: Cli) -> Result<u8> {
    let rules = rule_config(&cli.rules)?;
    match cli.command {
        Some(Command::Scan(args)) => scan(&cli.source, &rules, &args).await,
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

async fn scan(source_args: &SourceArgs, rules: &RuleConfig, args: &ScanArgs) -> Result<u8> {
    let fleet = source::open(source_args).await?.load().await?;
    let findings = rules::evaluate(&fleet, rules);
    let report = ScanReport::new(&fleet, findings, args.min_severity);
    // The report holds all it prints: free the fleet before writing it.
    drop(fleet);
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let style = TableStyle {
        width: tty.then(|| {
            crossterm::terminal::size()
                .map(|(w, _)| w as usize)
                .unwrap_or(80)
        }),
        color: tty && crate::text::color_allowed(),
    };
    write_stdout(stdout, |out| {
        report::write(&report, args.format, style, out)
    })
    .wrap_err("cannot write the report to stdout")?;
    if let Some(threshold) = args.fail_on
        && report.has_finding_at_or_above(threshold)
    {
        return Ok(EXIT_FINDINGS);
    }
    // A scan, and above all a gate, must not pass on what it could not see.
    if !report.complete && !args.allow_incomplete {
        let first = report
            .load_errors
            .first()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default();
        return Err(eyre!(
            "scan incomplete: {} part(s) of the fleet could not be loaded{first} — fix access, narrow --region, or pass --allow-incomplete",
            report.load_errors.len()
        ));
    }
    Ok(0)
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
    write_stdout(std::io::stdout(), |out| out.write_all(text.as_bytes()))
        .wrap_err("cannot write the plan to stdout")?;
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
    write_stdout(std::io::stdout(), |out| {
        source::file::write_saved(&fleet, &mut *out)?;
        out.write_all(b"\n")
    })
    .wrap_err("cannot write the fleet to stdout")?;
    Ok(0)
}
