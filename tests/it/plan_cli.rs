//! `rdsight plan` on the demo fleet: a script bash accepts, one section per
//! finding with a plan, `--region` on every command, the filters, and the
//! findings that need a person listed rather than dropped.

use rdsight::config::RuleConfig;
use rdsight::remediation::PlanOptions;
use rdsight::rules;
use rdsight::rules::plan_for;
use rdsight::source::demo::demo_fleet;
use std::collections::BTreeSet;
use std::process::Command;

use crate::support::moto::{rdsight, scratch_path};

fn plan(args: &[&str]) -> String {
    let mut all = vec!["plan", "--demo"];
    all.extend_from_slice(args);
    let out = rdsight(&all, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `# ── n/N rule on type id (region) · severity ──` headers: (rule, id).
fn sections(script: &str) -> BTreeSet<(String, String)> {
    script
        .lines()
        .filter(|l| l.starts_with("# ── ") && l.contains(" on "))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words[3].to_string(), words[6].to_string())
        })
        .collect()
}

#[test]
fn the_script_has_a_section_per_plannable_finding_and_bash_accepts_it() {
    let script = plan(&[]);
    let fleet = demo_fleet().unwrap();
    // What `--demo` judges with: the demo company's expected snapshot takers.
    let config = rdsight::source::demo::house_rules(RuleConfig::default());
    let findings = rules::evaluate(&fleet, &config);
    let plannable: BTreeSet<(String, String)> = findings
        .iter()
        .filter(|f| plan_for(&fleet, &config, f, PlanOptions::default()).is_ok())
        .map(|f| (f.rule.to_string(), f.resource_id.clone()))
        .collect();
    assert!(!plannable.is_empty());
    assert_eq!(sections(&script), plannable);
    let by_hand = findings.len() - plannable.len();
    assert!(by_hand > 0);
    assert!(script.contains(&format!(
        "# {} finding(s) with a plan, {by_hand} to handle by hand",
        plannable.len()
    )));
    assert!(script.contains("# ── Not planned"));

    for line in script.lines().filter(|l| l.starts_with("aws ")) {
        assert!(line.contains(" --region "), "{line}");
    }
    let path = scratch_path("demo-plan.sh");
    std::fs::write(&path, &script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
}

#[test]
fn rule_and_resource_filters_narrow_the_script() {
    let public = plan(&["--rule", "snapshot-public"]);
    let ids: Vec<String> = sections(&public).into_iter().map(|(_, id)| id).collect();
    assert_eq!(
        ids,
        [
            "analytics-warehouse-share-2026-11-20",
            "legacy-crm-sqlserver-final-export-2026-06"
        ]
    );
    let one = plan(&["--resource", "legacy-crm-sqlserver-final-export-2026-06"]);
    assert!(
        sections(&one)
            .iter()
            .all(|(_, id)| id == "legacy-crm-sqlserver-final-export-2026-06")
    );
    let kms = plan(&[
        "--rule",
        "snapshot-unencrypted",
        "--kms-key",
        "alias/rdsight",
    ]);
    assert!(kms.contains("--kms-key-id alias/rdsight"));
    assert!(!kms.contains("alias/aws/rds"));
    let unknown = rdsight(&["plan", "--demo", "--rule", "no-such-rule"], &[]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_restore_says_what_its_copy_carries_and_what_it_cannot() {
    let script = plan(&[
        "--rule",
        "instance-unencrypted",
        "--resource",
        "qa-sandbox-mariadb",
    ]);
    let restore = script
        .lines()
        .find(|l| l.starts_with("aws rds restore-db-instance-from-db-snapshot "))
        .unwrap_or_else(|| panic!("no restore in:\n{script}"));
    // Public access is never left to AWS's default.
    assert!(restore.contains(" --no-publicly-accessible"), "{restore}");
    let carried = script
        .lines()
        .find(|l| l.starts_with("# Carried: qa-sandbox-mariadb-encrypted carries the original's "))
        .unwrap_or_else(|| panic!("no carried line in:\n{script}"));
    assert!(carried.contains("PubliclyAccessible=false"), "{carried}");
    assert!(carried.contains("DeletionProtection="), "{carried}");
    assert!(script.lines().any(|l| l.starts_with(
        "# Not carried: qa-sandbox-mariadb-encrypted does not get the original's Performance Insights: "
    )));

    let aurora = plan(&["--resource", "rds:analytics-warehouse-2026-11-28-06-13"]);
    assert!(
        aurora.contains("\naws rds create-db-instance --region "),
        "{aurora}"
    );
    assert!(aurora.contains(
        "# Caveat: a restored Aurora cluster has no instances: step 2 creates its writer"
    ));
    assert!(aurora.contains("aws rds wait db-cluster-available"));
}
