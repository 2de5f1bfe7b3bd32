//! The dashboard never shows what it could not judge as clean: unknown
//! verdicts get their own mark, their own filter word and their own count,
//! and no plan. Also: a plan offers the maintenance window only for a
//! change AWS holds for it.

use rdsight::model::Fleet;
use rdsight::remediation::PlanOptions;
use rdsight::rules::{self, RuleId};
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::tui::rows::Pane;

use crate::support::app_helpers::{SIZE, select_id};
use crate::support::tui::{app_on, press, screen};

/// The demo fleet without cluster `orders-staging`: its member stays, and
/// its cluster-level settings can no longer be judged.
fn fleet_missing_a_cluster() -> Fleet {
    let mut fleet = demo_fleet().unwrap();
    fleet.clusters.retain(|c| c.id != "orders-staging");
    fleet
}

#[test]
fn a_member_whose_cluster_was_not_loaded_is_marked_unknown_not_ok() {
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, fleet_missing_a_cluster(), SIZE);
    press(&mut app, "2");
    select_id(&mut app, Pane::Instances, "orders-staging-instance-1");
    let text = screen(&app, SIZE.0, SIZE.1);
    let row = text
        .lines()
        .find(|l| l.contains("orders-staging-instance-1"))
        .expect("the member is listed");
    assert!(row.contains("? UNKN"), "{row}");
    assert!(!row.contains("✓ ok"), "{row}");
    // The header counts them apart from the severities.
    assert!(text.contains("unknown"), "{text}");

    // `sev:unknown` finds it; `sev:ok` does not.
    press(&mut app, "/ sev:unknown <Enter>");
    let rows: Vec<String> = app
        .rows(Pane::Instances)
        .iter()
        .map(|r| r.resource().id)
        .collect();
    assert!(
        rows.contains(&"orders-staging-instance-1".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.iter().all(|id| id == "orders-staging-instance-1"),
        "{rows:?}"
    );
    press(&mut app, "<Esc> / sev:ok <Enter>");
    let clean: Vec<String> = app
        .rows(Pane::Instances)
        .iter()
        .map(|r| r.resource().id)
        .collect();
    assert!(
        !clean.contains(&"orders-staging-instance-1".to_string()),
        "{clean:?}"
    );
}

#[test]
fn an_unknown_verdict_gets_no_plan() {
    let fleet = fleet_missing_a_cluster();
    let config = rdsight::config::RuleConfig::default();
    let findings = rules::evaluate(&fleet, &config);
    let unknown = findings
        .iter()
        .find(|f| f.is_unknown() && f.resource_id == "orders-staging-instance-1")
        .expect("an unknown verdict on the member");
    let refused = rules::plan_for(&fleet, &config, unknown, PlanOptions::default())
        .expect_err("nothing to fix until it can be judged");
    assert!(refused.to_string().contains("could not judge"), "{refused}");
}

#[test]
fn only_changes_aws_holds_for_the_window_offer_the_window() {
    let fleet = demo_fleet().unwrap();
    let config = rdsight::config::RuleConfig::default();
    let findings = rules::evaluate(&fleet, &config);
    let plan = |rule: RuleId| {
        let finding = findings
            .iter()
            .find(|f| f.rule == rule && f.resource_type == rdsight::model::ResourceType::DbInstance)
            .unwrap_or_else(|| panic!("the demo has a {rule} instance"));
        rules::plan_for(&fleet, &config, finding, PlanOptions::default()).unwrap()
    };
    // 0 → 7 days restarts the instance: AWS holds it for the window.
    let on = plan(RuleId::BackupsDisabled);
    assert!(on.has_window_choice());
    assert!(on.steps[0].step.cli().contains("--no-apply-immediately"));
    // n → 7 days applies as soon as possible: no window to offer.
    let longer = plan(RuleId::BackupsShort);
    assert!(!longer.has_window_choice(), "{longer:#?}");
    assert!(longer.steps[0].step.cli().contains("--apply-immediately"));
}
