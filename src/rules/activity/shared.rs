//! activity-snapshot-shared: who opened a snapshot's `restore` attribute
//! to everyone (`all`) or to an account not trusted, and for how long —
//! also when the share was taken back since, which the snapshot's state
//! alone cannot tell.

use std::collections::HashMap;

use super::evidence::{self, LISTED_IDS};
use super::{ActivityHit, Context};
use crate::finding::Severity;
use crate::model::{Event, EventDetail, PUBLIC_RESTORE_ACCOUNT, ResourceType};

const SHARE_CALLS: [&str; 2] = [
    "ModifyDBSnapshotAttribute",
    "ModifyDBClusterSnapshotAttribute",
];
const DELETE_CALLS: [&str; 2] = ["DeleteDBSnapshot", "DeleteDBClusterSnapshot"];

/// A snapshot as events name it: type, region, id.
type SnapshotKey<'f> = (ResourceType, &'f str, &'f str);

/// One account's access to a snapshot: opened by one call, closed by a
/// later one, or not closed in the trail read.
struct Window<'f> {
    account: &'f str,
    opened: &'f Event,
    closed: Option<&'f Event>,
}

pub fn snapshot_shared<'f>(ctx: &Context<'f>, events: &[&'f Event]) -> Vec<ActivityHit> {
    let mut shares: HashMap<SnapshotKey<'_>, Vec<&Event>> = HashMap::new();
    let mut deletions: HashMap<SnapshotKey<'_>, &Event> = HashMap::new();
    for event in events.iter().copied() {
        let Some(resource) = event.resource.as_ref().filter(|_| !event.failed()) else {
            continue;
        };
        let key = (
            resource.kind,
            resource.region.as_str(),
            resource.id.as_str(),
        );
        if SHARE_CALLS.contains(&event.name.as_str()) && is_restore_change(event) {
            shares.entry(key).or_default().push(event);
        } else if DELETE_CALLS.contains(&event.name.as_str()) {
            deletions.insert(key, event);
        }
    }
    shares
        .into_iter()
        .filter_map(|(key, events)| judge(ctx, key, events, deletions.get(&key).copied()))
        .collect()
}

fn is_restore_change(event: &Event) -> bool {
    matches!(&event.detail, EventDetail::Share { attribute, .. } if attribute.eq_ignore_ascii_case("restore"))
}

/// `all` however it was written; an account id as it is.
fn normalised(account: &str) -> &str {
    if account.eq_ignore_ascii_case(PUBLIC_RESTORE_ACCOUNT) {
        PUBLIC_RESTORE_ACCOUNT
    } else {
        account
    }
}

/// The windows of access to accounts that matter (everyone, or an
/// account neither the fleet's own nor trusted), in the order opened.
fn windows<'f>(ctx: &Context<'_>, mut events: Vec<&'f Event>) -> Vec<Window<'f>> {
    let harmless = |account: &str| {
        account == ctx.fleet.account || ctx.config.trusted_accounts.iter().any(|t| t == account)
    };
    events.sort_by(|a, b| a.time.cmp(&b.time));
    let mut windows: Vec<Window<'f>> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for event in events {
        let EventDetail::Share { added, removed, .. } = &event.detail else {
            continue;
        };
        for account in removed {
            if let Some(at) = open.remove(normalised(account)) {
                windows[at].closed = Some(event);
            }
        }
        for account in added.iter().map(|a| normalised(a)) {
            if account.is_empty() || harmless(account) || open.contains_key(account) {
                continue;
            }
            open.insert(account, windows.len());
            windows.push(Window {
                account,
                opened: event,
                closed: None,
            });
        }
    }
    windows
}

fn judge<'f>(
    ctx: &Context<'f>,
    (kind, region, id): SnapshotKey<'f>,
    events: Vec<&'f Event>,
    deleted: Option<&'f Event>,
) -> Option<ActivityHit> {
    let first = *events.first()?;
    let windows = windows(ctx, events);
    if windows.is_empty() {
        return None;
    }
    let public = windows.iter().any(|w| w.account == PUBLIC_RESTORE_ACCOUNT);
    // Accounts opened by one call and ended alike are said once.
    let mut lines: Vec<(&Event, String, Vec<&str>)> = Vec::new();
    for window in &windows {
        let end = end_of(ctx, window, (kind, region, id), deleted);
        match lines.last_mut() {
            Some((opened, said, accounts)) if opened.id == window.opened.id && *said == end => {
                accounts.push(window.account)
            }
            _ => lines.push((window.opened, end, vec![window.account])),
        }
    }
    let mut said: Vec<String> = lines
        .iter()
        .take(LISTED_IDS)
        .map(|(opened, end, accounts)| {
            format!(
                "shared with {} {}, {end}",
                accounts.join(", "),
                evidence::by_at_from(opened)
            )
        })
        .collect();
    if lines.len() > LISTED_IDS {
        said.push(format!("and {} more shares", lines.len() - LISTED_IDS));
    }
    let severity = if public {
        Severity::Critical
    } else {
        Severity::High
    };
    let key = (kind, region, id);
    Some(ActivityHit::on_resource(
        ctx,
        first,
        key,
        severity,
        said.join("; "),
    ))
}

/// How a window ended: removed (and after how long), still open as the
/// fleet shows the snapshot now, or gone with the snapshot.
fn end_of(
    ctx: &Context<'_>,
    window: &Window<'_>,
    (kind, region, id): SnapshotKey<'_>,
    deleted: Option<&Event>,
) -> String {
    let since = |until: &Event| {
        evidence::between(&window.opened.time, &until.time)
            .map(|d| format!(": shared for {d}"))
            .unwrap_or_default()
    };
    if let Some(closed) = window.closed {
        return format!(
            "removed at {} by {} (event {}){}",
            closed.time,
            closed.principal.short(),
            closed.id,
            since(closed)
        );
    }
    match evidence::fleet_snapshot(ctx, kind, region, id) {
        Some(s) if s.sharing_unknown => {
            "no removal in the trail read, and who it is shared with now was not read".into()
        }
        Some(s)
            if s.shared_with
                .iter()
                .any(|a| normalised(a) == window.account) =>
        {
            "still shared".into()
        }
        Some(_) => "no longer shared, though the trail read holds no removal".into(),
        None => match deleted.filter(|d| d.time >= window.opened.time) {
            Some(d) => format!(
                "until the snapshot was deleted at {} (event {}){}",
                d.time,
                d.id,
                since(d)
            ),
            None => "removed, snapshot since deleted".into(),
        },
    }
}
