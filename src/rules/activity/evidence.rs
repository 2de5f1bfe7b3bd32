//! The words and lookups every activity rule shares: who made a call, the
//! events cited, how long something lasted, and the snapshot a call names.

use std::time::{Duration, SystemTime};

use super::Context;
use crate::model::{Event, Principal, ResourceType, Snapshot, SnapshotKind};

/// How many event ids a finding lists before "and N more".
pub const LISTED_IDS: usize = 5;

/// Who made a call, for evidence: the short name and the full ARN (for an
/// assumed role, the session's, which names the person or job).
pub fn who(principal: &Principal) -> String {
    let short = principal.short();
    if principal.arn.is_empty() || principal.arn == short {
        short
    } else {
        format!("{short} ({})", principal.arn)
    }
}

/// `event <id>`, or `events <id>, <id> … and N more`: the first
/// [`LISTED_IDS`] exactly, the rest counted exactly.
pub fn ids<'e>(events: impl ExactSizeIterator<Item = &'e Event>) -> String {
    let total = events.len();
    let listed: Vec<&str> = events.take(LISTED_IDS).map(|e| e.id.as_str()).collect();
    let noun = if total == 1 { "event" } else { "events" };
    let more = total - listed.len();
    if more == 0 {
        format!("{noun} {}", listed.join(", "))
    } else {
        format!("{noun} {} and {more} more", listed.join(", "))
    }
}

/// Each event's line, the first [`LISTED_IDS`] of them, then how many
/// more and their ids: `…; and 2 more (events a, b)`.
pub fn listed(events: &[&Event], line: impl Fn(&Event) -> String) -> String {
    let mut said: Vec<String> = events.iter().take(LISTED_IDS).map(|e| line(e)).collect();
    if let Some(rest) = events.get(LISTED_IDS..).filter(|rest| !rest.is_empty()) {
        said.push(format!(
            "and {} more ({})",
            rest.len(),
            ids(rest.iter().copied())
        ));
    }
    said.join("; ")
}

/// `by <who> at <time> from <address> (event <id>)`.
pub fn by_at_from(event: &Event) -> String {
    format!(
        "by {} at {} from {} (event {})",
        who(&event.principal),
        event.time,
        address(event),
        event.id
    )
}

/// The caller's address, or that CloudTrail gave none.
pub fn address(event: &Event) -> &str {
    if event.source_ip.is_empty() {
        "an unrecorded address"
    } else {
        &event.source_ip
    }
}

/// Up to [`LISTED_IDS`] distinct values in first-seen order, and how many
/// more there are: `a, b and 2 more`.
pub fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut more = std::collections::HashSet::new();
    for value in values {
        if seen.contains(&value) || more.contains(value) {
            continue;
        }
        if seen.len() < LISTED_IDS {
            seen.push(value);
        } else {
            more.insert(value);
        }
    }
    match more.len() {
        0 => seen.join(", "),
        n => format!("{} and {n} more", seen.join(", ")),
    }
}

/// The time between two CloudTrail times, as `5h 12m`; `None` when either
/// cannot be read.
pub fn between(from: &str, to: &str) -> Option<String> {
    let from = parse_time(from)?;
    let to = parse_time(to)?;
    Some(duration(to.duration_since(from).unwrap_or_default()))
}

fn parse_time(time: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(time).ok()
}

/// `2d 3h`, `5h 12m`, `12m`, `40s`: the two largest units.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else if minutes > 0 {
        format!("{minutes}m")
    } else {
        format!("{secs}s")
    }
}

/// The snapshot kind of a resource type, for the snapshot types.
pub fn snapshot_kind(kind: ResourceType) -> Option<SnapshotKind> {
    match kind {
        ResourceType::DbSnapshot => Some(SnapshotKind::Db),
        ResourceType::DbClusterSnapshot => Some(SnapshotKind::Cluster),
        _ => None,
    }
}

/// The snapshot as the fleet lists it now, if it still exists.
pub fn fleet_snapshot<'f>(
    ctx: &Context<'f>,
    kind: ResourceType,
    region: &str,
    id: &str,
) -> Option<&'f Snapshot> {
    ctx.index.snapshot(region, snapshot_kind(kind)?, id)
}

/// A snapshot's ARN: the fleet's, or built from the account of the caller
/// who acted on it (RDS calls act on the caller's own account), or the
/// fleet's account. `None` for types other than snapshots and clusters.
pub fn resource_arn(
    ctx: &Context<'_>,
    event: &Event,
    kind: ResourceType,
    region: &str,
    id: &str,
) -> Option<String> {
    if let Some(s) = fleet_snapshot(ctx, kind, region, id) {
        return s.arn.clone();
    }
    let noun = match kind {
        ResourceType::DbSnapshot => "snapshot",
        ResourceType::DbClusterSnapshot => "cluster-snapshot",
        ResourceType::DbCluster => "cluster",
        ResourceType::DbInstance => "db",
        ResourceType::SecurityGroup | ResourceType::Principal => return None,
    };
    let account = [&event.principal.account, &ctx.fleet.account]
        .into_iter()
        .find(|a| !a.is_empty())?;
    let partition = partition(&event.principal.arn);
    Some(format!(
        "arn:{partition}:rds:{region}:{account}:{noun}:{id}"
    ))
}

/// `aws`, `aws-cn`, `aws-us-gov`: the partition an ARN is in (`aws` when
/// it is not an ARN).
fn partition(arn: &str) -> &str {
    match arn
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').next())
    {
        Some(p) if !p.is_empty() => p,
        _ => "aws",
    }
}

/// An RDS ARN's resource: (type, region, id), e.g. from
/// `arn:aws:rds:eu-west-1:123456789012:snapshot:rds:db-2026-11-28` (an
/// automated snapshot's id holds a colon).
pub fn parse_rds_arn(arn: &str) -> Option<(ResourceType, &str, &str)> {
    let mut parts = arn.splitn(7, ':');
    let (scheme, _partition, service) = (parts.next()?, parts.next()?, parts.next()?);
    if scheme != "arn" || service != "rds" {
        return None;
    }
    let region = parts.next()?;
    let _account = parts.next()?;
    let kind = match parts.next()? {
        "snapshot" => ResourceType::DbSnapshot,
        "cluster-snapshot" => ResourceType::DbClusterSnapshot,
        "cluster" => ResourceType::DbCluster,
        "db" => ResourceType::DbInstance,
        _ => return None,
    };
    let id = parts.next().filter(|id| !id.is_empty())?;
    Some((kind, region, id))
}

/// The region an identifier names: an ARN's, or `None` for a bare id
/// (which names a resource in the call's own region).
pub fn arn_region(identifier: &str) -> Option<&str> {
    identifier
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(2))
        .filter(|region| !region.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_the_two_largest_units() {
        assert_eq!(
            duration(Duration::from_secs(5 * 3600 + 12 * 60 + 11)),
            "5h 12m"
        );
        assert_eq!(
            duration(Duration::from_secs(2 * 86_400 + 3 * 3600 + 59)),
            "2d 3h"
        );
        assert_eq!(duration(Duration::from_secs(12 * 60 + 5)), "12m");
        assert_eq!(duration(Duration::from_secs(40)), "40s");
        assert_eq!(
            between("2026-11-28T03:05:41Z", "2026-11-28T08:17:52Z").as_deref(),
            Some("5h 12m")
        );
        assert_eq!(between("yesterday", "2026-11-28T08:17:52Z"), None);
    }

    #[test]
    fn rds_arns_name_type_region_and_id() {
        assert_eq!(
            parse_rds_arn("arn:aws:rds:eu-west-1:123456789012:snapshot:rds:db-2026-11-28"),
            Some((ResourceType::DbSnapshot, "eu-west-1", "rds:db-2026-11-28"))
        );
        assert_eq!(
            parse_rds_arn("arn:aws-cn:rds:cn-north-1:1:cluster-snapshot:c"),
            Some((ResourceType::DbClusterSnapshot, "cn-north-1", "c"))
        );
        assert_eq!(parse_rds_arn("arn:aws:s3:::bucket"), None);
        assert_eq!(parse_rds_arn("snap-1"), None);
        assert_eq!(
            arn_region("arn:aws:rds:us-east-1:1:snapshot:s"),
            Some("us-east-1")
        );
        assert_eq!(arn_region("snap-1"), None);
        assert_eq!(partition("arn:aws-us-gov:iam::1:user/a"), "aws-us-gov");
        assert_eq!(partition(""), "aws");
    }

    #[test]
    fn lists_cap_at_five_and_count_the_rest() {
        let events: Vec<Event> = (0..7)
            .map(|n| Event {
                id: format!("e{n}"),
                ..Event::default()
            })
            .collect();
        assert_eq!(ids(events[..1].iter()), "event e0");
        assert_eq!(ids(events.iter()), "events e0, e1, e2, e3, e4 and 2 more");
        assert_eq!(distinct(["a", "b", "a"].into_iter()), "a, b");
        assert_eq!(
            distinct(["1", "2", "3", "4", "5", "6", "7", "6"].into_iter()),
            "1, 2, 3, 4, 5 and 2 more"
        );
    }
}
