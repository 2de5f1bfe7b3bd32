//! The activity rules (issue 15): judged from the RDS calls CloudTrail
//! recorded (`Fleet::events`), not from one resource's state. Each finds
//! the calls that matter and groups them into findings on the resource
//! they touched (a snapshot, even one deleted since) or on the principal
//! that made them; the evidence names the event ids, exactly.
//!
//! They speak only for the regions whose trail was read
//! (`Fleet::activity_reads`): with no trail read they find nothing, and
//! the header and coverage say the trail was not read.
//!
//! Built for 100k events: every check walks the events once and groups
//! them in hash maps; lookups in the fleet go through `ctx.index`.

mod callers;
mod creators;
mod evidence;
mod moved;
mod shared;

use std::borrow::Cow;

use super::{Context, RuleId, RuleInfo, Subject, Verdict};
use crate::finding::{Finding, Severity, Status};
use crate::model::{Event, ResourceType};

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
    /// The call the hit is about, when a rule finds one per call on the
    /// same resource (refusals, per principal and call).
    pub event_name: Option<String>,
}

impl ActivityHit {
    /// A hit on the resource `(kind, region, id)` that `first` (one of
    /// the events cited) named: its ARN the fleet's, or built.
    fn on_resource(
        ctx: &Context<'_>,
        first: &Event,
        (kind, region, id): (ResourceType, &str, &str),
        severity: Severity,
        reason: String,
    ) -> Self {
        ActivityHit {
            severity,
            resource_type: kind,
            region: region.to_string(),
            resource_id: id.to_string(),
            arn: evidence::resource_arn(ctx, first, kind, region, id),
            reason,
            event_name: None,
        }
    }
}

/// An activity rule's check: every hit over the events it may judge
/// (see [`judged_events`]), oldest first.
pub type ActivityCheck = for<'f> fn(&Context<'f>, &[&'f Event]) -> Vec<ActivityHit>;

/// The check of each activity rule.
fn check_of(rule: RuleId) -> Option<ActivityCheck> {
    match rule {
        RuleId::ActivitySnapshotShared => Some(shared::snapshot_shared),
        RuleId::ActivitySnapshotExported => Some(moved::snapshot_exported),
        RuleId::ActivitySnapshotCopiedCrossRegion => Some(moved::copied_cross_region),
        RuleId::ActivityAccessDenied => Some(callers::access_denied),
        RuleId::ActivityRootUser => Some(callers::root_user),
        RuleId::ActivityUnexpectedSnapshotCreator => Some(creators::unexpected_creator),
        _ => None,
    }
}

/// The per-resource check in the catalogue of an activity rule: it judges
/// no single resource (its targets are empty, so this is never reached
/// through `verdict`; it says why if it is).
pub fn judged_from_events(_ctx: &Context<'_>, _subject: Subject<'_>) -> Verdict {
    Verdict::NotApplicable("judged from the activity trail, not from one resource".into())
}

/// The events the activity rules may speak for: those of regions whose
/// trail was read, oldest first. Found once for every rule: a region is
/// compared with the few read, not hashed, per event.
fn judged_events<'f>(ctx: &Context<'f>) -> Vec<&'f Event> {
    let mut read: Vec<&str> = ctx
        .fleet
        .activity_reads
        .iter()
        .map(|r| r.region.as_str())
        .collect();
    read.sort_unstable();
    read.dedup();
    ctx.fleet
        .events
        .iter()
        .filter(|e| read.contains(&e.region.as_str()))
        .collect()
}

/// Every enabled activity rule's findings, unsorted.
pub fn findings(ctx: &Context<'_>, enabled: &[&RuleInfo]) -> Vec<Finding> {
    if ctx.fleet.events.is_empty() {
        return Vec::new();
    }
    let events = judged_events(ctx);
    let mut out = Vec::new();
    for rule in enabled {
        let Some(check) = check_of(rule.id) else {
            continue;
        };
        let mut hits = check(ctx, &events);
        // Hash maps group the events: sort, so the same trail gives the
        // same findings in the same order every time.
        hits.sort_by(|a, b| {
            (&a.region, &a.resource_id, &a.event_name).cmp(&(
                &b.region,
                &b.resource_id,
                &b.event_name,
            ))
        });
        out.extend(hits.into_iter().map(|hit| Finding {
            rule: rule.id,
            severity: hit.severity,
            status: Status::Fail,
            resource_type: hit.resource_type,
            resource_id: hit.resource_id,
            arn: hit.arn,
            region: hit.region,
            reason: Cow::Owned(hit.reason),
            compliance: Vec::new(),
            event_name: hit.event_name,
        }));
    }
    out
}
