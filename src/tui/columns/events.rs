//! The Events pane's columns: one CloudTrail event per row. Times are
//! compact UTC, callers their short name, tools their product and version;
//! the details pane has the full values.

use std::borrow::Cow;

use super::{ColumnSpec, ColumnTable, Columns, KEEP, RowRisk, SortKey, by_text, col, flex, text};
use crate::model::Event;
use crate::tui::doc::Tone;

// When, what, who and the answer are never dropped; then the resource,
// the address, the tool, and last the region (the details have it, the
// filter has `region:`), so 80 columns still say who did what to which
// resource and whether AWS refused it. EVENT and RESOURCE grow first.
column_table! {
    /// The columns of the Events pane.
    EventColumn,
    {
        Time => col("TIME UTC", 11, KEEP),
        Region => col("REGION", 14, 1),
        Event => flex("EVENT", 19, 26, KEEP),
        Resource => flex("RESOURCE", 15, 30, 5),
        Principal => flex("PRINCIPAL", 16, 26, KEEP),
        SourceIp => col("SOURCE IP", 15, 3),
        UserAgent => flex("USER AGENT", 10, 22, 2),
        Result => flex("RESULT", 12, 24, KEEP),
    }
}

/// What the RESOURCE cell shows for an event that names none.
pub const NO_RESOURCE: &str = "—";

impl Columns for EventColumn {
    type Row = Event;

    fn cell<'a>(self, e: &'a Event, _: RowRisk) -> Cow<'a, str> {
        match self {
            Self::Time => short_time(&e.time),
            Self::Region => text(&e.region),
            Self::Event => text(&e.name),
            Self::Resource => text(e.resource.as_ref().map_or(NO_RESOURCE, |r| r.id.as_str())),
            Self::Principal => Cow::Owned(e.principal.short()),
            Self::SourceIp => text(&e.source_ip),
            Self::UserAgent => short_user_agent(&e.user_agent),
            Self::Result => text(e.result()),
        }
    }

    fn sort_key<'a>(self, e: &'a Event, risk: RowRisk) -> SortKey<'a> {
        match self {
            // RFC 3339 UTC times sort as text, to the second.
            Self::Time => by_text(&e.time),
            other => SortKey::Text(other.cell(e, risk)),
        }
    }

    fn risky(self, e: &Event) -> bool {
        self == Self::Result && e.is_denied()
    }

    /// A refusal is the risk; any other failure is worth a look.
    fn tone(self, e: &Event, _: RowRisk) -> Tone {
        match self {
            Self::Result if e.is_denied() => Tone::Bad,
            Self::Result if e.failed() => Tone::Warn,
            _ => Tone::Plain,
        }
    }
}

/// `2026-11-30T02:14:07Z` as `11-30 02:14`: the column says UTC, the
/// details the whole time. Anything else is shown as it came.
pub fn short_time(time: &str) -> Cow<'_, str> {
    let parts = (time.get(5..10), time.get(10..11), time.get(11..16));
    match parts {
        (Some(day), Some("T"), Some(minute)) => Cow::Owned(format!("{day} {minute}")),
        _ => Cow::Borrowed(time),
    }
}

/// Tools a user agent may name, most telling first: Terraform's agent
/// names its SDK too, the CLI's names Python.
const TOOLS: [&str; 9] = [
    "terraform/",
    "pulumi",
    "aws-cdk",
    "cloudformation",
    "aws-cli/",
    "boto3/",
    "botocore/",
    "aws-sdk-",
    "aws-internal/",
];

/// Does `text` start with `prefix` (lower-case), in any case?
fn starts_folded(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The tool a call came from, in a few characters: `aws-cli/2.17.5`,
/// `Boto3/1.34.0`, `console` (a browser, or the console's own agent),
/// else the agent's first word. The details pane has the whole agent.
/// Borrowed from the agent, without a lower-cased copy: the text index
/// builds this cell for every event.
pub fn short_user_agent(agent: &str) -> Cow<'_, str> {
    // CloudTrail wraps some agents in brackets: `[aws-cli/2.17.5 …]`.
    let agent = agent.trim().trim_start_matches('[').trim_end_matches(']');
    if starts_folded(agent, "mozilla/")
        || starts_folded(agent, "console.")
        || agent.eq_ignore_ascii_case("signin.amazonaws.com")
    {
        return Cow::Borrowed("console");
    }
    if agent.eq_ignore_ascii_case("aws internal") {
        return Cow::Borrowed("AWS internal");
    }
    for tool in TOOLS {
        if let Some(word) = agent.split_whitespace().find(|w| starts_folded(w, tool)) {
            return Cow::Borrowed(word);
        }
    }
    Cow::Borrowed(agent.split_whitespace().next().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EventResource, Principal, PrincipalKind, ResourceType};

    #[test]
    fn user_agents_shorten_to_the_tool_and_version() {
        for (agent, short) in [
            (
                "aws-cli/2.17.5 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 command/rds.modify-db-cluster-snapshot-attribute",
                "aws-cli/2.17.5",
            ),
            (
                "[aws-cli/2.17.5 Python/3.11.9 Linux/6.5.0]",
                "aws-cli/2.17.5",
            ),
            (
                "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1 Botocore/1.34.0",
                "Boto3/1.34.0",
            ),
            (
                "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.17.0 aws-sdk-go/1.45.11",
                "Terraform/1.5.7",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0",
                "console",
            ),
            ("console.amazonaws.com", "console"),
            ("signin.amazonaws.com", "console"),
            ("AWS Internal", "AWS internal"),
            ("rds.amazonaws.com", "rds.amazonaws.com"),
            ("", ""),
        ] {
            assert_eq!(short_user_agent(agent), short, "{agent}");
        }
    }

    #[test]
    fn times_are_compact_and_odd_ones_shown_as_they_came() {
        assert_eq!(short_time("2026-11-30T02:14:07Z"), "11-30 02:14");
        assert_eq!(short_time("yesterday"), "yesterday");
        // A multi-byte character where the cut falls is not a panic.
        assert_eq!(short_time("2026-1é-30T02:14:07Z"), "2026-1é-30T02:14:07Z");
    }

    #[test]
    fn cells_say_who_did_what_and_refusals_stand_out() {
        let denied = Event {
            time: "2026-11-30T02:14:07Z".into(),
            name: "ModifyDBClusterSnapshotAttribute".into(),
            principal: Principal {
                kind: PrincipalKind::AssumedRole,
                arn: "arn:aws:sts::111111111111:assumed-role/Ops/session".into(),
                role_arn: Some("arn:aws:iam::111111111111:role/Ops".into()),
                ..Principal::default()
            },
            error_code: Some("AccessDenied".into()),
            resource: Some(EventResource {
                kind: ResourceType::DbClusterSnapshot,
                id: "orders-final".into(),
                region: "us-east-1".into(),
            }),
            ..Event::default()
        };
        let risk = RowRisk::default();
        assert_eq!(EventColumn::Principal.cell(&denied, risk), "role/Ops");
        assert_eq!(EventColumn::Resource.cell(&denied, risk), "orders-final");
        assert_eq!(EventColumn::Result.cell(&denied, risk), "AccessDenied");
        assert_eq!(EventColumn::Result.tone(&denied, risk), Tone::Bad);
        let failed = Event {
            error_code: Some("InvalidDBClusterSnapshotStateFault".into()),
            resource: None,
            ..denied.clone()
        };
        assert_eq!(EventColumn::Result.tone(&failed, risk), Tone::Warn);
        assert_eq!(EventColumn::Resource.cell(&failed, risk), NO_RESOURCE);
        let ok = Event {
            error_code: None,
            ..denied
        };
        assert_eq!(EventColumn::Result.cell(&ok, risk), "ok");
        assert_eq!(EventColumn::Result.tone(&ok, risk), Tone::Plain);
    }
}
