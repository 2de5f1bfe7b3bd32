//! Data leaving where it was: activity-snapshot-exported (a snapshot or
//! cluster written to S3) and activity-snapshot-copied-cross-region (a
//! snapshot copied into another region, worse when the copy is not
//! encrypted).

use std::collections::HashMap;

use super::evidence;
use super::{ActivityHit, Context};
use crate::finding::Severity;
use crate::model::{Event, EventDetail, ResourceType};

/// A resource as events name it: type, region, id.
type Key<'f> = (ResourceType, &'f str, &'f str);

/// Each resource's events as one hit.
fn hit(
    ctx: &Context<'_>,
    key: Key<'_>,
    events: &[&Event],
    severity: Severity,
    line: impl Fn(&Event) -> String,
) -> Option<ActivityHit> {
    let first = *events.first()?;
    let reason = evidence::listed(events, line);
    Some(ActivityHit::on_resource(ctx, first, key, severity, reason))
}

/// A snapshot's id from its identifier, an ARN or the id itself.
fn bare_id(identifier: &str) -> &str {
    evidence::parse_rds_arn(identifier).map_or(identifier, |(_, _, id)| id)
}

fn or_unsaid(value: &str) -> &str {
    if value.is_empty() { "not given" } else { value }
}

pub fn snapshot_exported<'f>(ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    let mut by_source: HashMap<Key<'_>, Vec<&Event>> = HashMap::new();
    for event in events.iter().copied() {
        if event.name != "StartExportTask" || event.failed() {
            continue;
        }
        let EventDetail::Export { source_arn, .. } = &event.detail else {
            continue;
        };
        let named = event
            .resource
            .as_ref()
            .map(|r| (r.kind, r.region.as_str(), r.id.as_str()));
        if let Some(key) = evidence::parse_rds_arn(source_arn).or(named) {
            by_source.entry(key).or_default().push(event);
        }
    }
    by_source
        .into_iter()
        .filter_map(|(key, events)| hit(ctx, key, &events, Severity::High, export_line))
        .collect()
}

fn export_line(event: &Event) -> String {
    let EventDetail::Export {
        task_id,
        bucket,
        prefix,
        role_arn,
        kms_key_id,
        ..
    } = &event.detail
    else {
        return format!("exported {}", evidence::by_at_from(event));
    };
    format!(
        "exported to s3://{bucket}/{} {}, task {}, role {}, KMS key {}",
        prefix.as_deref().unwrap_or(""),
        evidence::by_at_from(event),
        or_unsaid(task_id),
        or_unsaid(role_arn),
        or_unsaid(kms_key_id),
    )
}

const COPY_CALLS: [(&str, ResourceType); 2] = [
    ("CopyDBSnapshot", ResourceType::DbSnapshot),
    ("CopyDBClusterSnapshot", ResourceType::DbClusterSnapshot),
];

/// What is known of a copy's encryption, and how it is known.
enum Encryption {
    Encrypted(String),
    Unencrypted(String),
    Unknown,
}

/// A successful copy between regions: its type, source region and
/// destination region.
fn cross_region(event: &Event) -> Option<(ResourceType, &str, &str)> {
    let (_, kind) = COPY_CALLS.iter().find(|(name, _)| *name == event.name)?;
    let EventDetail::Copy {
        source,
        destination_region,
        source_region,
        ..
    } = &event.detail
    else {
        return None;
    };
    if event.failed() {
        return None;
    }
    let destination = Some(destination_region.as_str())
        .filter(|r| !r.is_empty())
        .unwrap_or(&event.region);
    // A bare identifier names a snapshot in the call's own region.
    let from = source_region
        .as_deref()
        .filter(|r| !r.is_empty())
        .or_else(|| evidence::arn_region(source))
        .unwrap_or(destination);
    (from != destination).then_some((*kind, from, destination))
}

pub fn copied_cross_region<'f>(ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    let mut copies: HashMap<Key<'_>, Vec<&Event>> = HashMap::new();
    for event in events.iter().copied() {
        let Some((kind, _, destination)) = cross_region(event) else {
            continue;
        };
        if let EventDetail::Copy { target, .. } = &event.detail {
            copies
                .entry((kind, destination, target.as_str()))
                .or_default()
                .push(event);
        }
    }
    copies
        .into_iter()
        .filter_map(|(key, events)| {
            let unencrypted = events
                .iter()
                .any(|e| matches!(encryption(ctx, e), Encryption::Unencrypted(_)));
            let severity = if unencrypted {
                Severity::Medium
            } else {
                Severity::Low
            };
            hit(ctx, key, &events, severity, |e| copy_line(ctx, e))
        })
        .collect()
}

fn copy_line(ctx: &Context<'_>, event: &Event) -> String {
    let (Some((_, from, to)), EventDetail::Copy { source, target, .. }) =
        (cross_region(event), &event.detail)
    else {
        return format!("copied {}", evidence::by_at_from(event));
    };
    let how = match encryption(ctx, event) {
        Encryption::Encrypted(how) => how,
        Encryption::Unencrypted(why) => format!("UNENCRYPTED: {why}"),
        Encryption::Unknown => "encryption unknown: the event names no key, and neither the copy nor its source is in the fleet".into(),
    };
    format!(
        "copied from {} in {from} to {target} in {to} {}: {how}",
        bare_id(source),
        evidence::by_at_from(event),
    )
}

/// The copy's encryption: from the event (its response's flag, or a key
/// given), else the copy as the fleet lists it, else its source (a copy
/// without a key is encrypted exactly when its source is).
fn encryption(ctx: &Context<'_>, event: &Event) -> Encryption {
    let (
        Some((kind, from, to)),
        EventDetail::Copy {
            source,
            target,
            kms_key_id,
            encrypted,
            ..
        },
    ) = (cross_region(event), &event.detail)
    else {
        return Encryption::Unknown;
    };
    let key = kms_key_id.as_deref().filter(|k| !k.is_empty());
    match (encrypted, key) {
        (Some(true), Some(key)) => {
            return Encryption::Encrypted(format!("encrypted under KMS key {key}"));
        }
        (Some(true), None) => return Encryption::Encrypted("encrypted".into()),
        (Some(false), _) => return Encryption::Unencrypted("the copy is not encrypted".into()),
        (None, Some(key)) => {
            return Encryption::Encrypted(format!("encrypted under KMS key {key}"));
        }
        (None, None) => {}
    }
    if let Some(copy) = evidence::fleet_snapshot(ctx, kind, to, target) {
        return if copy.encrypted {
            Encryption::Encrypted("encrypted, as the copy in the fleet shows".into())
        } else {
            Encryption::Unencrypted("the copy in the fleet is not encrypted".into())
        };
    }
    match evidence::fleet_snapshot(ctx, kind, from, bare_id(source)) {
        Some(s) if s.encrypted => {
            Encryption::Encrypted("encrypted, as its source is (no key was given)".into())
        }
        Some(_) => {
            Encryption::Unencrypted("its source is not encrypted and no key was given".into())
        }
        None => Encryption::Unknown,
    }
}
