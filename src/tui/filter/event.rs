//! The words that speak of events: what `result:` asks, and how an
//! event's name, caller, address and answer are matched without a
//! lower-cased copy per row (a keystroke on 100k events stays instant).

use super::Term;
use crate::model::{Event, PrincipalKind};

/// What `result:` asks of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Outcome {
    Ok,
    /// Any error code.
    Error,
    /// A refusal for want of permission (`model::is_denial_code`).
    Denied,
    /// An error code containing the text.
    Code(String),
}

impl Outcome {
    pub(super) fn parse(value: &str) -> Self {
        match value {
            "ok" | "success" => Outcome::Ok,
            "error" | "failed" | "fail" => Outcome::Error,
            "denied" | "deny" => Outcome::Denied,
            code => Outcome::Code(code.into()),
        }
    }
}

/// An event word against one event. Words are lower-case; the event's
/// text is compared without lower-casing a copy of it per row.
pub(super) fn event_matches(term: &Term, e: &Event) -> bool {
    match term {
        Term::EventName(name) => contains_folded(&e.name, name),
        Term::Principal(who) => {
            let p = &e.principal;
            contains_folded(&p.arn, who)
                || p.role_arn.as_deref().is_some_and(|r| contains_folded(r, who))
                || p.invoked_by.as_deref().is_some_and(|s| contains_folded(s, who))
                // `root`, `service …`, `unknown`: short names not in an ARN.
                || ((matches!(p.kind, PrincipalKind::Root | PrincipalKind::AwsService)
                    || p.arn.is_empty())
                    && contains_folded(&p.short(), who))
        }
        Term::Ip(ip) => starts_folded(&e.source_ip, ip),
        Term::Result(Outcome::Ok) => !e.failed(),
        Term::Result(Outcome::Error) => e.failed(),
        Term::Result(Outcome::Denied) => e.is_denied(),
        Term::Result(Outcome::Code(code)) => e
            .error_code
            .as_deref()
            .is_some_and(|c| contains_folded(c, code)),
        _ => false,
    }
}

/// Whether `text` starts with `lower` (lower-case), ignoring case.
fn starts_folded(text: &str, lower: &str) -> bool {
    text.get(..lower.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(lower))
}

/// Whether `text` contains `lower` (lower-case), ignoring case: candidate
/// starts found by `memchr`, then compared in place.
fn contains_folded(text: &str, lower: &str) -> bool {
    if !lower.is_ascii() {
        return text.to_lowercase().contains(lower);
    }
    let (hay, needle) = (text.as_bytes(), lower.as_bytes());
    let Some((&first, _)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start])
        .any(|at| hay[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::super::{Filter, RuleSet, Subject};
    use super::*;
    use crate::rules::{RuleId, Severity};

    fn alice_shares() -> Event {
        Event {
            name: "ModifyDBClusterSnapshotAttribute".into(),
            region: "us-east-1".into(),
            principal: crate::model::Principal {
                kind: PrincipalKind::IamUser,
                arn: "arn:aws:iam::111111111111:user/Alice".into(),
                account: "111111111111".into(),
                ..Default::default()
            },
            source_ip: "203.0.113.7".into(),
            ..Event::default()
        }
    }

    fn event_subject(e: &Event) -> Subject<'_> {
        Subject {
            worst: None,
            unknown: false,
            region: &e.region,
            rules: RuleSet::default(),
            kinds: &["db-cluster-snapshot", "cluster"],
            event: Some(e),
            contains: &|_| false,
        }
    }

    #[test]
    fn event_words_match_name_caller_address_and_result() {
        let ok = alice_shares();
        let s = event_subject(&ok);
        let passes = |filter: &str| Filter::parse(filter).matches(&s);
        assert!(passes("event:ModifyDBClusterSnapshotAttribute"));
        assert!(passes("event:snapshotattr"));
        assert!(!passes("event:CreateDBSnapshot"));
        // The short name and the whole ARN, any case.
        assert!(passes("principal:user/alice"));
        assert!(passes("principal:arn:aws:iam::111111111111:user/Alice"));
        assert!(passes("who:ALICE"));
        assert!(!passes("principal:bob"));
        assert!(passes("ip:203.0.113."));
        assert!(!passes("ip:113.7"), "an address matches from its start");
        assert!(passes("result:ok"));
        assert!(!passes("result:error") && !passes("result:denied"));
        assert!(passes("!result:denied region:us-east kind:cluster"));

        let denied = Event {
            error_code: Some("Client.UnauthorizedOperation".into()),
            ..alice_shares()
        };
        let s = event_subject(&denied);
        let passes = |filter: &str| Filter::parse(filter).matches(&s);
        assert!(passes("result:denied") && passes("result:error"));
        assert!(passes("result:unauthorized") && !passes("result:ok"));
        let failed = Event {
            error_code: Some("DBClusterSnapshotNotFoundFault".into()),
            ..alice_shares()
        };
        let s = event_subject(&failed);
        assert!(Filter::parse("result:error").matches(&s));
        assert!(!Filter::parse("result:denied").matches(&s));
    }

    #[test]
    fn callers_without_an_arn_match_by_their_short_name() {
        let root = Event {
            principal: crate::model::Principal {
                kind: PrincipalKind::Root,
                arn: "arn:aws:iam::111111111111:root".into(),
                ..Default::default()
            },
            ..alice_shares()
        };
        assert!(Filter::parse("principal:root").matches(&event_subject(&root)));
        let service = Event {
            principal: crate::model::Principal {
                kind: PrincipalKind::AwsService,
                invoked_by: Some("backup.amazonaws.com".into()),
                ..Default::default()
            },
            ..alice_shares()
        };
        let s = event_subject(&service);
        assert!(Filter::parse("principal:service").matches(&s));
        assert!(Filter::parse("principal:backup").matches(&s));
    }

    #[test]
    fn words_leave_alone_the_rows_they_cannot_describe() {
        let resource = Subject {
            worst: Some(Severity::High),
            unknown: false,
            region: "us-east-1",
            rules: RuleSet::of(RuleId::SnapshotPublic),
            kinds: &["db-snapshot"],
            event: None,
            contains: &|_| false,
        };
        // Event words, negated or not, keep every resource and finding.
        for filter in [
            "principal:alice",
            "!principal:alice",
            "event:x ip:1 result:ok",
        ] {
            assert!(Filter::parse(filter).matches(&resource), "{filter}");
        }
        assert!(!Filter::parse("principal:alice sev:low").matches(&resource));
        // Severity and rule words keep every event; region still speaks.
        let e = alice_shares();
        let s = event_subject(&e);
        assert!(Filter::parse("sev:critical !rule:public").matches(&s));
        assert!(!Filter::parse("sev:critical region:eu").matches(&s));
    }

    #[test]
    fn event_words_narrow_as_they_are_typed() {
        let narrows = |new: &str, old: &str| Filter::parse(new).narrows(&Filter::parse(old));
        assert!(narrows("principal:alice", "principal:ali"));
        assert!(narrows("event:modifydb", "event:modify"));
        assert!(narrows("ip:10.0.1", "ip:10.0"));
        assert!(!narrows("ip:10.0", "ip:10.0.1"));
        assert!(!narrows("result:denied", "result:error"));
        assert!(narrows("result:denied x", "result:denied"));
    }
}
