//! The activity trail in the details pane: everything CloudTrail recorded
//! of one event, and a resource's own timeline (newest first, capped).

use super::App;
use super::fields::{NBSP, field, section};
use crate::model::{Event, EventDetail, PrincipalKind, ResourceRef, ResourceType, arn_resource};
use crate::tui::columns::{short_time, short_user_agent};
use crate::tui::doc::{Doc, DocLine, Tone, raw, span};

/// Timeline lines a resource's details show; the rest are counted.
pub const TIMELINE_CAP: usize = 8;

/// Characters of one value from the trail shown in the details: enough
/// for any real ARN, agent or error message, not a screenful of a
/// hostile one.
const MAX_VALUE: usize = 600;

/// A value from the trail, cut to `MAX_VALUE` characters.
fn capped(text: &str) -> String {
    match text.char_indices().nth(MAX_VALUE) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `  name value` as one unbreakable word (a long value still wraps, but
/// never away from its name).
fn labelled(name: &str, value: &str) -> DocLine {
    DocLine::plain(format!("  {name}{NBSP}{}", capped(value)))
}

/// Fields on one line, without the gap after the last (which would wrap
/// onto a line of its own at the pane's edge).
fn fields(mut spans: Vec<(Tone, String)>) -> DocLine {
    if let Some((_, last)) = spans.last_mut() {
        last.truncate(last.trim_end().len());
    }
    DocLine::new(spans)
}

/// The tone of an event's result: refusals stand out, errors warn.
fn result_tone(e: &Event) -> Tone {
    if e.is_denied() {
        Tone::Bad
    } else if e.failed() {
        Tone::Warn
    } else {
        Tone::Good
    }
}

fn kind_words(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Root => "the account's root user",
        PrincipalKind::IamUser => "IAM user",
        PrincipalKind::AssumedRole => "assumed role",
        PrincipalKind::FederatedUser => "federated user",
        PrincipalKind::AwsService => "AWS service",
        PrincipalKind::AwsAccount => "another account",
        PrincipalKind::Other => "other identity",
    }
}

/// The resource type an RDS ARN names (`arn:aws:rds:region:account:TYPE:id`).
fn arn_type(kind: ResourceType) -> &'static str {
    match kind {
        ResourceType::DbCluster => "cluster",
        ResourceType::DbInstance => "db",
        ResourceType::DbSnapshot => "snapshot",
        ResourceType::DbClusterSnapshot => "cluster-snapshot",
        ResourceType::SecurityGroup | ResourceType::Principal => "",
    }
}

/// Does `text` (an id, or an RDS ARN) name `resource`? An id alone is
/// taken to be in `region_if_id`.
fn names(text: &str, region_if_id: &str, resource: &ResourceRef) -> bool {
    if text.starts_with("arn:") {
        let parts: Vec<&str> = text.splitn(7, ':').collect();
        parts.get(3) == Some(&resource.region.as_str())
            && parts.get(5) == Some(&arn_type(resource.kind))
            && parts.get(6) == Some(&resource.id.as_str())
    } else {
        region_if_id == resource.region && text == resource.id
    }
}

/// Whether event `e` is part of `resource`'s story: it names it, or (for a
/// cluster or instance) a snapshot was taken of it, or it was exported,
/// or (for a snapshot) a copy was made of it.
fn concerns(e: &Event, resource: &ResourceRef) -> bool {
    if let Some(named) = &e.resource
        && named.kind == resource.kind
        && named.id == resource.id
        && named.region == resource.region
    {
        return true;
    }
    match (&e.detail, resource.kind) {
        // CreateDBClusterSnapshot names a cluster, CreateDBSnapshot an instance.
        (EventDetail::Create { source, .. }, ResourceType::DbCluster) => {
            e.name.contains("DBCluster") && names(source, &e.region, resource)
        }
        (EventDetail::Create { source, .. }, ResourceType::DbInstance) => {
            !e.name.contains("DBCluster") && names(source, &e.region, resource)
        }
        (
            EventDetail::Copy {
                source,
                source_region,
                ..
            },
            ResourceType::DbSnapshot | ResourceType::DbClusterSnapshot,
        ) => names(
            source,
            source_region.as_deref().unwrap_or(&e.region),
            resource,
        ),
        (EventDetail::Export { source_arn, .. }, _) => names(source_arn, &e.region, resource),
        _ => false,
    }
}

/// What an event did, in a few words for one timeline line.
fn did(e: &Event) -> String {
    match &e.detail {
        EventDetail::Share { added, removed, .. } => {
            let added = added.iter().map(|a| format!("+{a}"));
            let removed = removed.iter().map(|r| format!("−{r}"));
            added.chain(removed).collect::<Vec<_>>().join(" ")
        }
        EventDetail::Export { bucket, .. } => format!("→ s3://{bucket}"),
        EventDetail::Create { snapshot, .. } => format!("→ {snapshot}"),
        EventDetail::Copy {
            target,
            destination_region,
            source_region,
            ..
        } => {
            let from = source_region.as_deref().unwrap_or(&e.region);
            if from == destination_region {
                format!("→ {target}")
            } else {
                format!("→ {target} in {destination_region}")
            }
        }
        EventDetail::None => String::new(),
    }
}

/// Whether these accounts added to a restore attribute make it public.
fn made_public_by(added: &[String]) -> bool {
    added
        .iter()
        .any(|a| a == crate::model::PUBLIC_RESTORE_ACCOUNT)
}

/// Whether the event made a snapshot public.
fn made_public(e: &Event) -> bool {
    matches!(&e.detail, EventDetail::Share { added, .. } if made_public_by(added))
}

/// One timeline line: when, what, who, from where, and the answer.
fn timeline_line(e: &Event) -> DocLine {
    let what = did(e);
    let what_tone = if made_public(e) {
        Tone::Bad
    } else {
        Tone::Plain
    };
    DocLine::new(vec![
        raw(format!("  {} {}", short_time(&e.time), capped(&e.name))),
        span(
            if what.is_empty() {
                String::new()
            } else {
                format!(" {}", capped(&what))
            },
            what_tone,
        ),
        raw(format!(
            " · {} · {} · ",
            capped(&e.principal.short()),
            capped(&e.source_ip)
        )),
        span(capped(e.result()), result_tone(e)),
    ])
}

impl App {
    /// Which trail covers `region`: `Some(days)` when it was read (days
    /// unknown: 0), `None` when it was not.
    fn trail_of(&self, region: &str) -> Option<u32> {
        self.fleet
            .activity_reads
            .iter()
            .filter(|read| read.region == region)
            .map(super::events::read_days)
            .max()
    }
}

/// The timeline section of `resource`'s details: its events newest
/// first, capped, or why there are none.
pub fn timeline_section(app: &App, resource: &ResourceRef, lines: &mut Doc) {
    let mut events: Vec<&Event> = app
        .fleet
        .events
        .iter()
        .filter(|e| concerns(e, resource))
        .collect();
    events.sort_by(|a, b| b.time.cmp(&a.time));
    let trail = app.trail_of(&resource.region);
    if events.is_empty() {
        // One line: the trail's silence, or that it was not read.
        let why = match trail {
            Some(_) => "none recorded in the trail read",
            None if app.fleet.activity_reads.is_empty() => "the trail was not read",
            None => "this region's trail was not read",
        };
        lines.push(DocLine::new(vec![
            span("Activity: ", Tone::Header),
            span(why, Tone::Dim),
        ]));
        return;
    }
    let window = match trail {
        Some(days) if days > 0 => format!(" over {days}d"),
        _ => String::new(),
    };
    lines.push(section(&format!("Activity ({}){window}", events.len())));
    for e in events.iter().take(TIMELINE_CAP) {
        lines.push(timeline_line(e));
    }
    if events.len() > TIMELINE_CAP {
        lines.push(DocLine::styled(
            format!(
                "  … and {} more: press 5, then / {}",
                events.len() - TIMELINE_CAP,
                resource.id
            ),
            Tone::Dim,
        ));
    }
}

/// Everything the trail recorded of one event.
pub fn event_lines(app: &App, e: &Event) -> Doc {
    let result = capped(e.result()).replace(' ', NBSP);
    let mut lines = vec![fields(vec![
        field("time", capped(&e.time)),
        field("region", capped(&e.region)),
        span(format!("result{NBSP}{result}"), result_tone(e)),
    ])];
    if let Some(message) = &e.error_message {
        lines.push(DocLine::styled(
            format!("error: {}", capped(message)),
            result_tone(e),
        ));
    }
    lines.push(resource_line(app, e));
    caller_lines(e, &mut lines);
    detail_lines(&e.detail, &mut lines);
    lines.push(DocLine::styled(
        format!("event id {}", capped(&e.id)),
        Tone::Dim,
    ));
    lines
}

/// The resource the event names, and whether the fleet has it.
fn resource_line(app: &App, e: &Event) -> DocLine {
    let Some(named) = &e.resource else {
        return DocLine::styled("names no resource", Tone::Dim);
    };
    let target = named.resource_ref();
    let (note, tone) = if app.fleet.status_of(&target).is_some() {
        ("Enter goes to it", Tone::Dim)
    } else {
        ("not in the fleet: deleted since, or elsewhere", Tone::Warn)
    };
    let note = note.replace(' ', NBSP);
    DocLine::new(vec![
        raw(format!(
            "on {} {} ({}) · ",
            named.kind,
            capped(&named.id),
            capped(&named.region)
        )),
        span(note, tone),
    ])
}

fn caller_lines(e: &Event, lines: &mut Doc) {
    let p = &e.principal;
    lines.push(section("Caller"));
    lines.push(fields(vec![
        field("who", capped(&p.short())),
        field("type", kind_words(p.kind)),
        field("account", capped(&p.account)),
    ]));
    if !p.arn.is_empty() {
        lines.push(labelled("arn", &p.arn));
    }
    if let Some(role) = &p.role_arn {
        lines.push(labelled("role", role));
    }
    if let Some(service) = &p.invoked_by {
        lines.push(labelled("invoked by", service));
    }
    lines.push(labelled("from", &e.source_ip));
    let tool = short_user_agent(&e.user_agent);
    lines.push(labelled("with", &tool));
    if tool != e.user_agent.as_str() {
        lines.push(DocLine::styled(
            format!("  agent {}", capped(&e.user_agent)),
            Tone::Dim,
        ));
    }
}

fn detail_lines(detail: &EventDetail, lines: &mut Doc) {
    match detail {
        EventDetail::None => {}
        EventDetail::Share {
            attribute,
            added,
            removed,
        } => {
            lines.push(section(&format!(
                "Sharing ({} attribute)",
                capped(attribute)
            )));
            let public = added
                .iter()
                .any(|a| a == crate::model::PUBLIC_RESTORE_ACCOUNT);
            let list = |values: &[String]| {
                if values.is_empty() {
                    "-".to_string()
                } else {
                    capped(&values.join(", "))
                }
            };
            lines.push(DocLine::new(vec![
                raw("  shared with "),
                span(list(added), if public { Tone::Bad } else { Tone::Plain }),
                raw(if public { " — PUBLIC" } else { "" }),
            ]));
            lines.push(DocLine::plain(format!("  removed {}", list(removed))));
        }
        EventDetail::Export {
            task_id,
            source_arn,
            bucket,
            prefix,
            role_arn,
            kms_key_id,
        } => {
            lines.push(section("Export to S3"));
            let prefix = prefix
                .as_deref()
                .map(|p| format!("/{p}"))
                .unwrap_or_default();
            for (name, value) in [
                ("bucket", format!("s3://{bucket}{prefix}")),
                ("source", source_arn.clone()),
                ("role", role_arn.clone()),
                ("key", kms_key_id.clone()),
                ("task", task_id.clone()),
            ] {
                lines.push(labelled(name, &value));
            }
        }
        EventDetail::Create { snapshot, source } => {
            lines.push(section("Snapshot"));
            lines.push(DocLine::plain(format!(
                "  {} of {}",
                capped(snapshot),
                capped(source)
            )));
        }
        EventDetail::Copy { .. } => copy_lines(detail, lines),
    }
}

fn copy_lines(detail: &EventDetail, lines: &mut Doc) {
    let EventDetail::Copy {
        source,
        target,
        destination_region,
        source_region,
        kms_key_id,
        encrypted,
    } = detail
    else {
        return;
    };
    lines.push(section("Copy"));
    lines.push(DocLine::plain(format!(
        "  {} → {}",
        capped(arn_resource(source)),
        capped(target)
    )));
    let from = source_region.as_deref().unwrap_or(destination_region);
    lines.push(DocLine::plain(format!(
        "  regions {} → {}",
        capped(from),
        capped(destination_region)
    )));
    lines.push(labelled("source", source));
    let (text, tone) = match encrypted {
        Some(true) => ("encrypted yes".to_string(), Tone::Plain),
        Some(false) => ("encrypted no".to_string(), Tone::Bad),
        None => ("encrypted not said".to_string(), Tone::Dim),
    };
    lines.push(DocLine::new(vec![
        raw("  "),
        span(text, tone),
        raw(format!(
            "   key {}",
            capped(kms_key_id.as_deref().unwrap_or("-"))
        )),
    ]));
}
