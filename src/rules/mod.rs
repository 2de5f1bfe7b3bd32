//! The rule catalogue: pure checks over a [`Fleet`] that yield findings.
//!
//! Each rule judges one resource at a time and returns a [`Verdict`]; the
//! verdicts that fail become [`Finding`]s. Keeping "passes" and "not
//! applicable" explicit lets the UI say *why* a rule did not fire (e.g. an
//! Aurora member judged through its cluster) and lets tests pin each case.

pub mod activity;
mod catalogue;
mod checks;
mod checks_net;
mod checks_params;
mod checks_snaps;
mod context;
mod remedy;

pub use crate::finding::{Finding, RuleId, Severity, Status};
pub use crate::model::engine_default_port;
pub use catalogue::{CATALOGUE, Cite, Engines, RuleInfo, rule_info};
pub use context::Context;
pub use remedy::{plan_for, plan_for_all, plans_need};

use serde::Serialize;
use std::borrow::Cow;

use crate::config::RuleConfig;
use crate::model::{Cluster, Fleet, FleetIndex, Instance, ResourceRef, ResourceType, Snapshot};

/// What one rule concluded about one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The rule fires; the text is the evidence shown to the user.
    Fail(Cow<'static, str>),
    /// The rule fires at another severity than the catalogue's, because
    /// how bad it is depends on the resource (an AWS-managed key matters
    /// more on a shared snapshot): the finding carries this severity.
    FailAt(Severity, Cow<'static, str>),
    /// The rule does not judge this resource here, and why.
    NotApplicable(Cow<'static, str>),
    /// The rule judges this resource but an input it needs was not loaded:
    /// the text says which. Reported, never read as a pass.
    Unknown(Cow<'static, str>),
}

/// A resource as rules see it.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Cluster(&'a Cluster),
    Instance(&'a Instance),
    Snapshot(&'a Snapshot),
}

impl<'a> Subject<'a> {
    pub fn resource_type(&self) -> ResourceType {
        match self {
            Subject::Cluster(_) => ResourceType::DbCluster,
            Subject::Instance(_) => ResourceType::DbInstance,
            Subject::Snapshot(s) => s.kind.resource_type(),
        }
    }

    pub fn resource_ref(&self) -> ResourceRef {
        match self {
            Subject::Cluster(c) => c.resource_ref(),
            Subject::Instance(i) => i.resource_ref(),
            Subject::Snapshot(s) => s.resource_ref(),
        }
    }

    /// Region and identifier, borrowed.
    pub fn region_and_id(&self) -> (&'a str, &'a str) {
        match *self {
            Subject::Cluster(c) => (&c.region, &c.id),
            Subject::Instance(i) => (&i.region, &i.id),
            Subject::Snapshot(s) => (&s.region, &s.id),
        }
    }

    /// The engine it runs (`postgres`, `aurora-mysql`), or was taken from.
    pub fn engine(&self) -> &'a str {
        match *self {
            Subject::Cluster(c) => &c.engine,
            Subject::Instance(i) => &i.engine,
            Subject::Snapshot(s) => &s.engine,
        }
    }

    pub fn arn(&self) -> Option<&str> {
        match self {
            Subject::Cluster(c) => c.arn.as_deref(),
            Subject::Instance(i) => i.arn.as_deref(),
            Subject::Snapshot(s) => s.arn.as_deref(),
        }
    }
}

/// Judge one resource by one rule.
pub fn verdict(ctx: &Context<'_>, rule: RuleId, subject: Subject<'_>) -> Verdict {
    let info = rule_info(rule);
    if !info.targets.contains(&subject.resource_type()) {
        return Verdict::NotApplicable(
            format!(
                "{} does not judge {}s",
                info.name(),
                subject.resource_type()
            )
            .into(),
        );
    }
    (info.check)(ctx, subject)
}

/// Every subject in the fleet, clusters first.
pub fn subjects(fleet: &Fleet) -> impl Iterator<Item = Subject<'_>> {
    fleet
        .clusters
        .iter()
        .map(Subject::Cluster)
        .chain(fleet.instances.iter().map(Subject::Instance))
        .chain(fleet.snapshots.iter().map(Subject::Snapshot))
}

/// Evaluate every enabled rule over every resource. Findings come out
/// ordered by severity (worst first), then rule, region and resource.
///
/// Built for 100k-resource fleets: verdicts are collected as small records
/// that borrow from the fleet, sorted, and only then turned into owned
/// findings, so nothing large is moved or compared through a pointer.
pub fn evaluate(fleet: &Fleet, config: &RuleConfig) -> Vec<Finding> {
    let ctx = Context::new(fleet, config);
    let enabled: Vec<&RuleInfo> = CATALOGUE
        .iter()
        .filter(|r| config.is_enabled(r.id))
        .collect();
    let per_type = ResourceType::ALL.map(|kind| {
        enabled
            .iter()
            .copied()
            .filter(|r| r.targets.contains(&kind))
            .collect::<Vec<_>>()
    });
    // Regions as numbers in name order, so most comparisons in the sort
    // below are of integers rather than of strings scattered in memory.
    let regions: Vec<&str> = subjects(fleet)
        .map(|s| s.region_and_id().0)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut hits: Vec<Hit<'_>> = Vec::new();
    for (order, subject) in subjects(fleet).enumerate() {
        let kind = subject.resource_type();
        let Some(rules) = ResourceType::ALL
            .iter()
            .position(|k| *k == kind)
            .map(|at| &per_type[at])
        else {
            continue;
        };
        let (region, id) = subject.region_and_id();
        let region = regions.binary_search(&region).unwrap_or_default() as u32;
        let prefix = id_prefix(id);
        for rule in rules {
            let (status, severity, reason) = match (rule.check)(&ctx, subject) {
                Verdict::Fail(reason) => (Status::Fail, rule.severity, reason),
                Verdict::FailAt(severity, reason) => (Status::Fail, severity, reason),
                Verdict::Unknown(reason) => (Status::Unknown, rule.severity, reason),
                Verdict::Pass | Verdict::NotApplicable(_) => continue,
            };
            hits.push(Hit {
                group: status_bit(status) | u32::from(rank(rule, severity)) << 16 | region,
                prefix,
                id,
                order,
                rule,
                subject,
                status,
                severity,
                reason,
            });
        }
    }
    // (rank, region, id) then subject order: a total order, so the
    // unstable sort gives what a stable sort of the findings would. The id
    // is compared by its first bytes as a number before the whole string.
    hits.sort_unstable_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(a.prefix.cmp(&b.prefix))
            .then_with(|| a.id.cmp(b.id))
            .then(a.order.cmp(&b.order))
    });
    let findings: Vec<Finding> = hits
        .into_iter()
        .map(|hit| {
            make_finding(
                hit.rule,
                hit.subject,
                (hit.status, hit.severity),
                hit.reason,
            )
        })
        .collect();
    with_activity(findings, &ctx, &enabled)
}

/// `findings` (sorted) with the activity rules' findings merged in.
fn with_activity(
    mut findings: Vec<Finding>,
    ctx: &Context<'_>,
    enabled: &[&RuleInfo],
) -> Vec<Finding> {
    let from_events = activity::findings(ctx, enabled);
    if !from_events.is_empty() {
        findings.extend(from_events);
        // Few, appended to one sorted run: the stable sort is near linear.
        sort_findings(&mut findings);
    }
    findings
}

/// One failed verdict before it becomes a [`Finding`].
struct Hit<'a> {
    /// Unknown verdicts after every failure, then the rank of the rule,
    /// then the region's position in name order.
    group: u32,
    /// The id's first 16 bytes, big-endian and zero-padded: orders like the
    /// id wherever two prefixes differ.
    prefix: u128,
    id: &'a str,
    /// Position of the subject in [`subjects`] order.
    order: usize,
    rule: &'static RuleInfo,
    subject: Subject<'a>,
    status: Status,
    /// The catalogue's, unless the verdict said otherwise.
    severity: Severity,
    reason: Cow<'static, str>,
}

/// The top bit of a hit's group: set for unknown verdicts, which sort
/// after every failure (a rank fits in 11 bits, shifted by 16).
fn status_bit(status: Status) -> u32 {
    match status {
        Status::Fail => 0,
        Status::Unknown => 1 << 31,
    }
}

fn id_prefix(id: &str) -> u128 {
    let mut bytes = [0u8; 16];
    for (to, from) in bytes.iter_mut().zip(id.as_bytes()) {
        *to = *from;
    }
    u128::from_be_bytes(bytes)
}

/// Worst severity first (the finding's, which a verdict may set), then
/// catalogue rule order: the first two keys of [`sort_findings`] in one
/// number.
fn rank(rule: &RuleInfo, severity: Severity) -> u16 {
    (Severity::Critical as u16 - severity as u16) << 8 | rule.id as u16
}

fn make_finding(
    info: &RuleInfo,
    subject: Subject<'_>,
    (status, severity): (Status, Severity),
    reason: Cow<'static, str>,
) -> Finding {
    let (region, id) = subject.region_and_id();
    let resource_type = subject.resource_type();
    Finding {
        rule: info.id,
        severity,
        status,
        resource_type,
        resource_id: id.to_string(),
        arn: subject.arn().map(str::to_string),
        region: region.to_string(),
        reason,
        compliance: info.compliance_for(resource_type, subject.engine()),
        event_name: None,
    }
}

pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule.cmp(&b.rule))
            .then_with(|| a.region.cmp(&b.region))
            .then_with(|| a.resource_id.cmp(&b.resource_id))
    });
}

/// Counts for the posture summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Failed verdicts, every severity.
    pub total: usize,
    /// Verdicts a rule could not reach for want of an input.
    pub unknown: usize,
    pub resources_scanned: usize,
    pub resources_passing: usize,
}

impl Summary {
    pub fn new(fleet: &Fleet, findings: &[Finding]) -> Self {
        let mut summary = Summary {
            resources_scanned: fleet.resource_count(),
            ..Summary::default()
        };
        for f in findings {
            match f.judged_severity() {
                Some(severity) => {
                    *summary.count_mut(severity) += 1;
                    summary.total += 1;
                }
                None => summary.unknown += 1,
            }
        }
        // Only resources scanned can stop passing: an activity finding may
        // name a principal, or a snapshot deleted since the event.
        let index = FleetIndex::new(fleet);
        let scanned = |f: &Finding| {
            !rule_info(f.rule).targets.is_empty() || index.contains(&f.resource_ref())
        };
        // Borrowed keys: counting resources allocates nothing per finding.
        let failing: std::collections::HashSet<(ResourceType, &str, &str)> = findings
            .iter()
            .filter(|f| scanned(f))
            .map(|f| (f.resource_type, f.region.as_str(), f.resource_id.as_str()))
            .collect();
        summary.resources_passing = summary.resources_scanned.saturating_sub(failing.len());
        summary
    }

    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
            Severity::Critical => self.critical,
        }
    }

    fn count_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Low => &mut self.low,
            Severity::Medium => &mut self.medium,
            Severity::High => &mut self.high,
            Severity::Critical => &mut self.critical,
        }
    }

    /// Share of scanned resources with no finding, as a whole percentage.
    pub fn passing_percent(&self) -> u32 {
        if self.resources_scanned == 0 {
            return 100;
        }
        ((self.resources_passing * 100) / self.resources_scanned) as u32
    }
}
