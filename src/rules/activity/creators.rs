//! activity-unexpected-snapshot-creator: a snapshot created or copied by a
//! principal none of `expected_snapshot_principals` names. Silent without
//! that list; AWS services (automated snapshots, AWS Backup's
//! service-linked role) are never unexpected.

use std::collections::HashMap;

use super::evidence;
use super::{ActivityHit, Context};
use crate::finding::Severity;
use crate::model::{Event, EventDetail, Principal, PrincipalKind, ResourceType};

const CREATING_CALLS: [(&str, ResourceType); 4] = [
    ("CreateDBSnapshot", ResourceType::DbSnapshot),
    ("CreateDBClusterSnapshot", ResourceType::DbClusterSnapshot),
    ("CopyDBSnapshot", ResourceType::DbSnapshot),
    ("CopyDBClusterSnapshot", ResourceType::DbClusterSnapshot),
];

/// Does `text` match `pattern`, where `*` matches any run of characters
/// (none included) and everything else itself, case and all (as IAM
/// matches ARNs)? Linear in practice: one backtrack point, the last `*`.
pub fn matches_pattern(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((star_at, matched_to)) = star {
            // Let the last `*` take one more character and try again.
            pi = star_at + 1;
            ti = matched_to + 1;
            star = Some((star_at, ti));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

/// Is the principal one the config expects to take snapshots? Matched
/// against its policy ARN (the role's, for an assumed role) and its short
/// name (`role/rds-backup-runner`).
fn expected(patterns: &[&str], principal: &Principal) -> bool {
    let (arn, short) = (principal.matchable_arn(), principal.short());
    patterns
        .iter()
        .any(|p| (!arn.is_empty() && matches_pattern(p, arn)) || matches_pattern(p, &short))
}

/// An AWS service acting for itself, or through its service-linked role
/// (AWS Backup's `aws-service-role/backup.amazonaws.com/…`): automated
/// snapshots, never a person's.
fn is_aws_service(principal: &Principal) -> bool {
    principal.kind == PrincipalKind::AwsService
        || principal
            .matchable_arn()
            .contains(":role/aws-service-role/")
}

/// The snapshot a successful create or copy made: type, region, id.
fn made(event: &Event) -> Option<(ResourceType, &str, &str)> {
    let (_, kind) = CREATING_CALLS
        .iter()
        .find(|(name, _)| *name == event.name)?;
    if event.failed() {
        return None;
    }
    let (region, id) = match &event.detail {
        EventDetail::Create { snapshot, .. } => (event.region.as_str(), snapshot.as_str()),
        EventDetail::Copy {
            target,
            destination_region,
            ..
        } => (
            Some(destination_region.as_str())
                .filter(|r| !r.is_empty())
                .unwrap_or(&event.region),
            target.as_str(),
        ),
        _ => {
            let resource = event.resource.as_ref()?;
            (resource.region.as_str(), resource.id.as_str())
        }
    };
    (!id.is_empty()).then_some((*kind, region, id))
}

pub fn unexpected_creator<'f>(ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    let patterns: Vec<&str> = ctx
        .config
        .expected_snapshot_principals
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if patterns.is_empty() {
        return Vec::new();
    }
    let mut made_by: HashMap<(ResourceType, &str, &str), Vec<&Event>> = HashMap::new();
    for event in events.iter().copied() {
        let Some(snapshot) = made(event) else {
            continue;
        };
        if is_aws_service(&event.principal) || expected(&patterns, &event.principal) {
            continue;
        }
        made_by.entry(snapshot).or_default().push(event);
    }
    let expected_list = patterns.join(", ");
    made_by
        .into_iter()
        .filter_map(|(key, events)| {
            let first = *events.first()?;
            let reason = format!(
                "{}; matches none of expected_snapshot_principals ({expected_list})",
                evidence::listed(&events, line)
            );
            Some(ActivityHit::on_resource(
                ctx,
                first,
                key,
                Severity::Medium,
                reason,
            ))
        })
        .collect()
}

fn line(event: &Event) -> String {
    match &event.detail {
        EventDetail::Create { source, .. } if !source.is_empty() => {
            format!("created from {source} {}", evidence::by_at_from(event))
        }
        EventDetail::Copy { source, .. } => {
            format!("copied from {source} {}", evidence::by_at_from(event))
        }
        _ => format!("{} {}", event.name, evidence::by_at_from(event)),
    }
}

#[cfg(test)]
mod tests {
    use super::matches_pattern;

    #[test]
    fn star_matches_any_run() {
        assert!(matches_pattern(
            "role/rds-backup-*",
            "role/rds-backup-runner"
        ));
        assert!(matches_pattern("*", ""));
        assert!(matches_pattern(
            "arn:aws:iam::*:role/ops",
            "arn:aws:iam::123:role/ops"
        ));
        assert!(matches_pattern("*backup*", "role/nightly-backup-job"));
        assert!(matches_pattern("a*b*c", "aXbYbZc"));
        assert!(!matches_pattern("role/ops", "role/ops-admin"));
        assert!(!matches_pattern("role/Ops", "role/ops"));
        assert!(!matches_pattern("a*b*c", "aXbYbZ"));
        assert!(!matches_pattern("", "x"));
    }
}
