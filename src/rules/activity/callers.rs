//! Findings about who called, not what they touched: activity-access-denied
//! (calls refused for want of permission, per principal, call and region)
//! and activity-root-user (calls by the account's root user, per region).
//! Their resource is the principal (`ResourceType::Principal`), named by
//! its ARN.

use std::borrow::Cow;
use std::collections::HashMap;

use super::evidence::{self, LISTED_IDS};
use super::{ActivityHit, Context};
use crate::finding::Severity;
use crate::model::{Event, Principal, PrincipalKind, ResourceType};

/// How a principal is named as a resource: the ARN policies match (the
/// role's, for an assumed role), or its short name when it has none.
fn principal_id(principal: &Principal) -> Cow<'_, str> {
    match principal.matchable_arn() {
        "" => Cow::Owned(principal.short()),
        arn => Cow::Borrowed(arn),
    }
}

/// A principal as a group of calls names it: its short name and the ARN
/// its calls share (sessions of one role differ; the role does not).
fn group_who(principal: &Principal) -> String {
    let short = principal.short();
    match principal.matchable_arn() {
        "" => short,
        arn if arn == short => short,
        arn => format!("{short} ({arn})"),
    }
}

/// `at <t>` for one call, `between <first> and <last>` for more.
fn when(events: &[&Event]) -> String {
    let first = events.iter().map(|e| e.time.as_str()).min().unwrap_or("");
    let last = events.iter().map(|e| e.time.as_str()).max().unwrap_or("");
    if first == last {
        format!("at {first}")
    } else {
        format!("between {first} and {last}")
    }
}

fn calls(n: usize) -> String {
    if n == 1 {
        "1 call".into()
    } else {
        format!("{n} calls")
    }
}

fn principal_hit(
    principal: &Principal,
    region: &str,
    reason: String,
    event_name: Option<String>,
) -> ActivityHit {
    let id = principal_id(principal).into_owned();
    ActivityHit {
        severity: Severity::Medium,
        resource_type: ResourceType::Principal,
        region: region.to_string(),
        arn: id.starts_with("arn:").then(|| id.clone()),
        resource_id: id,
        reason,
        event_name,
    }
}

pub fn access_denied<'f>(_ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    type Group<'f> = (Cow<'f, str>, &'f str, &'f str);
    let mut groups: HashMap<Group<'_>, Vec<&Event>> = HashMap::new();
    for event in events.iter().copied().filter(|e| e.is_denied()) {
        let key = (
            principal_id(&event.principal),
            event.name.as_str(),
            event.region.as_str(),
        );
        groups.entry(key).or_default().push(event);
    }
    groups
        .into_iter()
        .filter_map(|((_, name, region), events)| {
            let first = *events.first()?;
            let codes = evidence::distinct(events.iter().filter_map(|e| e.error_code.as_deref()));
            let reason = format!(
                "{} to {name} refused ({codes}) for {}, {}, from {}: {}",
                calls(events.len()),
                group_who(&first.principal),
                when(&events),
                evidence::distinct(events.iter().map(|e| evidence::address(e))),
                evidence::ids(events.iter().copied()),
            );
            Some(principal_hit(
                &first.principal,
                region,
                reason,
                Some(name.to_string()),
            ))
        })
        .collect()
}

pub fn root_user<'f>(_ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    let mut groups: HashMap<(Cow<'_, str>, &str), Vec<&Event>> = HashMap::new();
    for event in events
        .iter()
        .copied()
        .filter(|e| e.principal.kind == PrincipalKind::Root)
    {
        let key = (root_arn(&event.principal), event.region.as_str());
        groups.entry(key).or_default().push(event);
    }
    groups
        .into_iter()
        .filter_map(|((arn, region), events)| {
            let first = *events.first()?;
            let reason = format!(
                "the root user made {} ({}) {}, from {}: {}",
                calls(events.len()),
                counted_names(&events),
                when(&events),
                evidence::distinct(events.iter().map(|e| evidence::address(e))),
                evidence::ids(events.iter().copied()),
            );
            let mut hit = principal_hit(&first.principal, region, reason, None);
            hit.severity = Severity::High;
            hit.arn = arn.starts_with("arn:").then(|| arn.to_string());
            hit.resource_id = arn.into_owned();
            Some(hit)
        })
        .collect()
}

/// The root user's ARN, built from its account when CloudTrail gave none.
fn root_arn(principal: &Principal) -> Cow<'_, str> {
    match (principal.arn.as_str(), principal.account.as_str()) {
        ("", "") => Cow::Borrowed("root"),
        ("", account) => Cow::Owned(format!("arn:aws:iam::{account}:root")),
        (arn, _) => Cow::Borrowed(arn),
    }
}

/// `ModifyDBInstance ×2, DescribeDBInstances`: each call once, with its
/// count when more than one, in first-seen order, capped.
fn counted_names(events: &[&Event]) -> String {
    let mut order: Vec<&str> = Vec::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for event in events {
        let count = counts.entry(event.name.as_str()).or_insert(0);
        if *count == 0 {
            order.push(&event.name);
        }
        *count += 1;
    }
    let mut said: Vec<String> = order
        .iter()
        .take(LISTED_IDS)
        .map(|name| match counts.get(name) {
            Some(n) if *n > 1 => format!("{name} ×{n}"),
            _ => name.to_string(),
        })
        .collect();
    if order.len() > LISTED_IDS {
        said.push(format!("and {} more calls", order.len() - LISTED_IDS));
    }
    said.join(", ")
}
