//! The live AWS source against a real moto server: seeded through the AWS
//! SDK, loaded through `AwsSource`, every remediation run through the
//! executor and checked by reading the state back.
//!
//! moto differs from AWS in places (everything is `available` at once,
//! apply-immediately=false is applied at once, instances get automated
//! snapshots). These tests assert what holds on both; where moto is
//! stricter or looser, they assert the weaker true thing and say why.

use rdsight::rules::{self, RuleId};
use std::collections::BTreeSet;

mod load;
mod reach;
mod remediation;
mod source;
mod where_aws_decides;

fn ids_for(findings: &[rules::Finding], rule: RuleId) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.resource_id.clone())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}
