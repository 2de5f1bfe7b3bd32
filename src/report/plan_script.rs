//! `rdsight plan`: the remediation plans for a set of findings as a bash
//! script of `aws` CLI commands, for change-management review.
//!
//! The commands are the same lines the plan dialog shows (`Step::cli`),
//! each followed by the `aws rds wait` that keeps the next one from
//! running against a resource that is still changing. An `aws` shell
//! function in the script adds `--endpoint-url` when `ENDPOINT` is set, so
//! the same file runs against moto or LocalStack unchanged.
//!
//! Ids come from the fleet, and a fleet can be a file anyone wrote: every
//! value in a command is shell-quoted (`text::shell`), so each is exactly
//! one argument, and every comment is sanitised onto one line.

use std::fmt::Write as _;

use crate::config::RuleConfig;
use crate::model::Fleet;
use crate::remediation::{Caveat, Plan, PlanOptions, Step, Value};
use crate::rules::{Finding, plan_for};
use crate::text::sanitize;

/// What the header says about where the plans come from.
#[derive(Debug, Clone)]
pub struct ScriptHeader {
    pub source: String,
    pub account: Option<String>,
    pub regions: Vec<String>,
    pub generated: String,
}

/// The prelude: strict mode, and the `aws` hook for the CLI and endpoint.
const PRELUDE: &str = r#"set -euo pipefail

# Which aws CLI to run, and an emulator endpoint (moto, LocalStack) if any:
#   ENDPOINT=http://127.0.0.1:5000 bash plan.sh
AWS_CLI="${AWS_CLI:-aws}"
ENDPOINT="${ENDPOINT:-}"
export AWS_PAGER=""
aws() {
    if [ -n "$ENDPOINT" ]; then
        command "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"
    else
        command "$AWS_CLI" "$@"
    fi
}
"#;

/// The whole script for `findings`: one section per finding, in order.
pub fn render(
    fleet: &Fleet,
    config: &RuleConfig,
    findings: &[Finding],
    options: &PlanOptions,
    header: &ScriptHeader,
) -> String {
    let mut planned: Vec<(&Finding, Plan)> = Vec::new();
    let mut by_hand: Vec<(&Finding, String)> = Vec::new();
    for finding in findings {
        match plan_for(fleet, config, finding, options.clone()) {
            Ok(plan) => planned.push((finding, plan)),
            Err(why) => by_hand.push((finding, why.to_string())),
        }
    }

    let mut out = String::from("#!/usr/bin/env bash\n");
    comment(
        &mut out,
        "rdsight remediation plan: review every command before running it.",
    );
    comment(
        &mut out,
        "Nothing has been sent; this script changes what it says when run.",
    );
    comment(
        &mut out,
        &format!("Generated {} from {}", header.generated, header.source),
    );
    let regions = if header.regions.is_empty() {
        "none".to_string()
    } else {
        header.regions.join(", ")
    };
    comment(
        &mut out,
        &format!(
            "Account {}, regions {regions}",
            header.account.as_deref().unwrap_or("unknown")
        ),
    );
    comment(
        &mut out,
        &format!(
            "{} finding(s) with a plan, {} to handle by hand (listed at the end).",
            planned.len(),
            by_hand.len()
        ),
    );
    out.push('\n');
    out.push_str(PRELUDE);

    let mut sent: Vec<&Step> = Vec::new();
    let total = planned.len();
    for (n, (finding, plan)) in planned.iter().enumerate() {
        section(&mut out, n + 1, total, finding, plan, &mut sent);
    }
    if !by_hand.is_empty() {
        out.push('\n');
        comment(
            &mut out,
            "── Not planned: these need a decision rdsight cannot make ──",
        );
        for (finding, why) in &by_hand {
            comment(&mut out, &by_hand_line(finding, why));
        }
    }
    out.push_str("\necho \"rdsight plan: done\"\n");
    out
}

/// `rule on id (region): why`; refusals are found per call: say which.
fn by_hand_line(finding: &Finding, why: &str) -> String {
    let call = finding
        .event_name
        .as_deref()
        .map(|name| format!(", {name}"))
        .unwrap_or_default();
    format!(
        "{} on {} ({}{call}): {why}",
        finding.rule, finding.resource_id, finding.region
    )
}

fn section<'p>(
    out: &mut String,
    n: usize,
    total: usize,
    finding: &Finding,
    plan: &'p Plan,
    sent: &mut Vec<&'p Step>,
) {
    out.push('\n');
    comment(
        out,
        &format!(
            "── {n}/{total} {} on {} {} ({}) · {} ──",
            finding.rule,
            finding.resource_type,
            finding.resource_id,
            finding.region,
            finding.severity
        ),
    );
    comment(out, &format!("Finding: {}", finding.reason));
    comment(out, &format!("Impact: {}", plan.impact()));
    if plan.impact().needs_typed_confirmation() {
        comment(
            out,
            &format!(
                "CAUTION: {} — the dashboard asks for the id to be typed before this",
                plan.impact()
            ),
        );
    }
    for caveat in &plan.caveats {
        let label = match caveat {
            Caveat::Carried { .. } => "Carried",
            Caveat::NotCarried { .. } => "Not carried",
            _ => "Caveat",
        };
        match caveat.listing() {
            Some((head, users)) => {
                comment(out, &format!("{label}: {head}"));
                for user in users {
                    comment(out, &format!("  - {user}"));
                }
            }
            None => comment(out, &format!("{label}: {caveat}")),
        }
    }
    for (i, planned) in plan.steps.iter().enumerate() {
        let step = &planned.step;
        comment(
            out,
            &format!(
                "Step {}/{}: {} ({}; {})",
                i + 1,
                plan.steps.len(),
                planned.purpose,
                step.api(),
                step.impact()
            ),
        );
        comment(out, &format!("Undo: {}", step.reversibility()));
        if sent.contains(&step) {
            comment(out, "(already sent above for another finding)");
            continue;
        }
        sent.push(step);
        if let Some(why) = unsendable(step) {
            comment(out, &format!("SKIPPED: {why}: {}", step.cli()));
            continue;
        }
        let _ = writeln!(out, "{}", step.cli());
        if let Some(wait) = step.wait_cli() {
            let _ = writeln!(out, "{wait}");
        }
    }
}

/// One comment line. Text from the fleet (an id with a newline or an
/// escape in a saved file) is folded onto that line and its control
/// characters shown escaped: it can neither end the comment and become a
/// command, nor hide lines from `cat`.
fn comment(out: &mut String, text: &str) {
    out.push_str("# ");
    out.push_str(sanitize(text).trim());
    out.push('\n');
}

/// Why a step's values cannot be scripted, for the few no quoting fixes.
/// Every other value is quoted into one argument. A NUL cannot be passed
/// in an argument at all. And the `aws` CLI replaces a value starting with
/// `file://` or `fileb://` (and, in v1, `http(s)://`) by what it points
/// at: a saved fleet could make the script send a local file to AWS. No
/// AWS id or region holds either.
fn unsendable(step: &Step) -> Option<&'static str> {
    const LOADED: [&str; 4] = ["file://", "fileb://", "http://", "https://"];
    let mut values = vec![step.region()];
    for param in step.parameters() {
        match param.value {
            Value::Text(text) => values.push(text),
            Value::List(items) => values.extend(items),
            _ => {}
        }
    }
    if values.iter().any(|v| v.contains('\0')) {
        return Some("a value holds a NUL character");
    }
    let loaded = |v: &String| LOADED.iter().any(|p| v.to_ascii_lowercase().starts_with(p));
    values
        .iter()
        .any(loaded)
        .then_some("a value starts with a URL the aws CLI would load")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_text_cannot_leave_a_comment() {
        let mut out = String::new();
        comment(&mut out, "Finding: db\nrm -rf ~ #\r\n");
        assert_eq!(out, "# Finding: db rm -rf ~ #\n");
        let mut out = String::new();
        comment(&mut out, "db\u{1b}[1A\u{1b}[2K\u{202e}x");
        assert_eq!(out, "# db\\u{1b}[1A\\u{1b}[2K\\u{202e}x\n");
    }

    #[test]
    fn values_the_aws_cli_would_load_or_cannot_pass_are_refused() {
        use crate::model::SnapshotKind;
        use crate::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
        let share = |id: &str, remove: &str| {
            Step::from(ModifySnapshotAttribute {
                kind: SnapshotKind::Db,
                region: "eu-west-1".into(),
                snapshot_id: id.into(),
                values_to_add: Vec::new(),
                values_to_remove: vec![remove.into()],
            })
        };
        assert_eq!(unsendable(&share("s-1 $(x) -y", "all")), None);
        assert!(unsendable(&share("file:///home/u/.aws/credentials", "all")).is_some());
        assert!(unsendable(&share("s", "HTTPS://x")).is_some());
        assert!(unsendable(&share("s\0", "all")).is_some());
    }

    #[test]
    fn waits_follow_steps_that_leave_a_resource_changing() {
        use crate::model::SnapshotKind;
        use crate::remediation::fixes::snapshot_encryption::CopyDBSnapshot;
        use crate::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
        let copy = Step::from(CopyDBSnapshot {
            region: "eu-west-1".into(),
            source_snapshot_id: "s".into(),
            target_snapshot_id: "s-encrypted".into(),
            kms_key_id: "alias/aws/rds".into(),
        });
        assert_eq!(
            copy.wait_cli().as_deref(),
            Some(
                "aws rds wait db-snapshot-available --db-snapshot-identifier s-encrypted --region eu-west-1"
            )
        );
        let share = Step::from(ModifySnapshotAttribute {
            kind: SnapshotKind::Db,
            region: "eu-west-1".into(),
            snapshot_id: "s".into(),
            values_to_add: Vec::new(),
            values_to_remove: vec!["all".into()],
        });
        assert_eq!(share.wait_cli(), None);
    }
}
