//! From findings to plans: the catalogue names each rule's remedy; this
//! asks it for the plan that fixes a finding.

use super::{Finding, rule_info};
use crate::config::RuleConfig;
use crate::model::{Fleet, FleetIndex, GroupKey};
use crate::remediation::{FixInput, NoRemediation, Plan, PlanChoice, PlanOptions};

/// The plan that fixes one finding, or why there is none.
pub fn plan_for(
    fleet: &Fleet,
    config: &RuleConfig,
    finding: &Finding,
    options: PlanOptions,
) -> Result<Plan, NoRemediation> {
    let index = FleetIndex::new(fleet);
    let input = FixInput {
        fleet,
        index: &index,
        config,
        finding,
        options: &options,
    };
    if finding.is_unknown() {
        return Err(NoRemediation::NotApplicable(format!(
            "rdsight could not judge this ({}): nothing to fix until it can — reload once the input is readable",
            finding.reason
        )));
    }
    rule_info(finding.rule).remedy.plan(&input)
}

/// One plan covering every finding given; fails if any has no plan.
pub fn plan_for_all(
    fleet: &Fleet,
    config: &RuleConfig,
    findings: &[Finding],
    options: PlanOptions,
) -> Result<Plan, NoRemediation> {
    if findings.is_empty() {
        return Err(NoRemediation::NothingSelected);
    }
    let plans = findings
        .iter()
        .map(|f| plan_for(fleet, config, f, options.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Plan::combine(plans))
}

/// What the plans for `findings` need read beyond the fleet: the security
/// groups whose users they name, and whether any offers narrowing.
pub fn plans_need(
    fleet: &Fleet,
    config: &RuleConfig,
    findings: &[Finding],
    options: &PlanOptions,
) -> (Vec<GroupKey>, bool) {
    let plans: Vec<Plan> = findings
        .iter()
        .filter_map(|f| plan_for(fleet, config, f, options.clone()).ok())
        .collect();
    let mut groups: Vec<GroupKey> = plans.iter().flat_map(Plan::groups_to_read).collect();
    groups.sort();
    groups.dedup();
    let narrows = plans.iter().any(|p| p.offers(PlanChoice::NarrowTo));
    (groups, narrows)
}
