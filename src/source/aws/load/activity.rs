//! A region's RDS activity trail, read live: CloudTrail `LookupEvents`
//! filtered to `rds.amazonaws.com` over the last `--activity-days`, every
//! page, each one given to the sink as it arrives.
//!
//! CloudTrail answers LookupEvents twice a second per account and region,
//! 50 events a page: a busy account's 90 days take minutes. Each region's
//! CloudTrail client is paced (`pacer.rs`), regions are read at once (the
//! limit is per region), and a throttled request is retried by the SDK with
//! backoff — its classifier counts `ThrottlingException` as throttling, so
//! nothing here retries again — each retry waiting its turn too. A refusal
//! (AccessDenied) or an endpoint without CloudTrail (moto) is a load error
//! for the region's events, never a failed load.

use aws_sdk_cloudtrail::operation::lookup_events::{LookupEventsError, LookupEventsOutput};
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_sdk_rds::config::http::HttpResponse;
use aws_sdk_rds::error::SdkError;
use aws_smithy_types::DateTime;
use futures::StreamExt;
use std::time::{Duration, SystemTime};

use super::Sink;
use super::lists::{Page, Part, read_pages};
use crate::model::{
    ActivityRead, Event, Fleet, Principal, RDS_EVENT_SOURCE, ResourceList, is_denial_code,
};
use crate::source::aws::RegionClients;
use crate::source::aws::convert::timestamp;
use crate::source::aws::error::{self, CallError, Target};
use crate::source::cloudtrail::event_from_record;

/// The least time between two LookupEvents requests in one region, and
/// between an answer and the next request there: CloudTrail's 2 a second.
pub(crate) const LOOKUP_EVENTS_GAP: Duration = Duration::from_millis(500);

/// The most LookupEvents returns in one page.
const PAGE_SIZE: i32 = 50;

/// How an [`ActivityRead`] names this way of reading.
pub(crate) const VIA: &str = "cloudtrail:LookupEvents";

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// The stretch of time a load reads the trail over, the same in every
/// region.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    since: SystemTime,
    until: SystemTime,
}

impl Window {
    /// The last `days` days up to now; `None` for 0 (no trail).
    pub(crate) fn last_days(days: u32) -> Option<Window> {
        let until = SystemTime::now();
        let since = until.checked_sub(DAY * days)?;
        (days > 0).then_some(Window { since, until })
    }

    fn read(&self, region: &str) -> ActivityRead {
        let text = |t| humantime::format_rfc3339_seconds(t).to_string();
        ActivityRead {
            region: region.to_string(),
            since: text(self.since),
            until: text(self.until),
            via: VIA.to_string(),
        }
    }
}

/// What a region's trail gave: the events of every page that arrived
/// (oldest first within each page), the window when every page did, and
/// the error that stopped it otherwise.
pub(super) struct Trail {
    pub events: Vec<Event>,
    pub read: Option<ActivityRead>,
    pub error: Option<CallError>,
}

/// Read the region's RDS events over `window`, page by page.
pub(super) async fn read_trail(c: &RegionClients, window: Window, sink: Sink<'_>) -> Trail {
    let part = Part::new(c, ResourceList::Events, sink);
    let rds_only = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventSource)
        .attribute_value(RDS_EVENT_SOURCE)
        .build();
    let request = c
        .cloudtrail
        .lookup_events()
        .set_lookup_attributes(rds_only.ok().map(|a| vec![a]))
        .start_time(DateTime::from(window.since))
        .end_time(DateTime::from(window.until))
        .max_results(PAGE_SIZE);
    let pages = futures::stream::unfold(
        request.into_paginator().send(),
        move |mut pages| async move {
            let answer = pages.next().await?;
            Some((answer.map_err(|e| failure(c, &e)), pages))
        },
    )
    .map(|answer| answer.map(|page| Page::plain(events_of(&page, &c.region))));
    let listed = read_pages(part, pages, |events| Fleet {
        events,
        ..Fleet::default()
    })
    .await;
    Trail {
        read: listed.error.is_none().then(|| window.read(&c.region)),
        events: listed.items,
        error: listed.error,
    }
}

/// A page's RDS events, oldest first (CloudTrail answers newest first).
fn events_of(page: &LookupEventsOutput, region: &str) -> Vec<Event> {
    let mut events: Vec<Event> = page
        .events()
        .iter()
        .filter_map(|e| event_of(e, region))
        .collect();
    events.reverse();
    events
}

/// One event, read from the CloudTrail record it carries. A record that
/// is missing or unreadable still leaves its summary: a call half logged
/// is still part of the story.
fn event_of(summary: &aws_sdk_cloudtrail::types::Event, region: &str) -> Option<Event> {
    match summary.cloud_trail_event().map(event_from_record) {
        Some(Ok(Some(mut event))) => {
            if event.region.is_empty() {
                event.region = region.to_string();
            }
            Some(event)
        }
        // Another service's call: not asked for, not kept.
        Some(Ok(None)) => None,
        Some(Err(e)) => {
            tracing::debug!("{region}: event {:?}: {e}", summary.event_id());
            Some(from_summary(summary, region))
        }
        None => Some(from_summary(summary, region)),
    }
}

/// What LookupEvents says of an event beside its record.
fn from_summary(summary: &aws_sdk_cloudtrail::types::Event, region: &str) -> Event {
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    Event {
        id: text(summary.event_id()),
        time: summary.event_time().and_then(timestamp).unwrap_or_default(),
        region: region.to_string(),
        name: text(summary.event_name()),
        // Only a user or role name, no ARN: shown as it is.
        principal: Principal {
            arn: text(summary.username()),
            ..Principal::default()
        },
        ..Event::default()
    }
}

/// What an endpoint without the API answers: moto a bare HTTP 500 (no
/// AWS error code), LocalStack's free edition `InternalFailure` (501).
const NOT_IMPLEMENTED: &[&str] = &["InternalFailure", "NotImplemented"];

/// A failed page in one line. A refusal says to pass `--activity-days 0`
/// to do without the trail; an endpoint other than AWS's that answers as
/// if it had no CloudTrail (moto, LocalStack's free edition) is named as
/// the likely cause.
fn failure(c: &RegionClients, err: &SdkError<LookupEventsError, HttpResponse>) -> CallError {
    let target = Target {
        region: &c.region,
        endpoint: c.cloudtrail_endpoint.as_deref(),
    };
    let mut e = error::describe(err, target);
    let hint = match target.endpoint {
        _ if e.code.as_deref().is_some_and(is_denial_code) => {
            " — or pass --activity-days 0 to read no trail".to_string()
        }
        Some(url) if !e.transport && (e.code.is_none() || e.has_code(NOT_IMPLEMENTED)) => {
            format!(
                " — does {url} implement CloudTrail LookupEvents? --activity-days 0 reads no trail"
            )
        }
        _ => return e,
    };
    e.message = error::one_line(&format!("{}{hint}", e.message));
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::Event as Summary;

    #[test]
    fn a_window_of_no_days_reads_nothing() {
        assert!(Window::last_days(0).is_none());
        let week = Window::last_days(7).unwrap_or_else(|| panic!("a week"));
        let span = week.until.duration_since(week.since).unwrap_or_default();
        assert_eq!(span, DAY * 7);
        let read = week.read("eu-west-1");
        assert_eq!(
            (read.region.as_str(), read.via.as_str()),
            ("eu-west-1", VIA)
        );
        assert!(
            read.since.ends_with('Z') && read.since < read.until,
            "{read:?}"
        );
    }

    #[test]
    fn a_page_is_kept_oldest_first_and_an_unreadable_record_by_its_summary() {
        let record = |id: &str, time: &str| {
            format!(
                r#"{{"eventSource":"rds.amazonaws.com","eventID":"{id}","eventTime":"{time}","eventName":"CreateDBSnapshot","awsRegion":"eu-west-1"}}"#
            )
        };
        let page = LookupEventsOutput::builder()
            .events(
                Summary::builder()
                    .event_id("new")
                    .cloud_trail_event(record("new", "2026-11-30T02:00:00Z"))
                    .build(),
            )
            .events(
                Summary::builder()
                    .event_id("broken")
                    .event_name("DeleteDBSnapshot")
                    .username("alice")
                    .event_time(DateTime::from_secs(1_764_460_800))
                    .cloud_trail_event("{not json")
                    .build(),
            )
            .events(
                Summary::builder()
                    .event_id("old")
                    .cloud_trail_event(record("old", "2026-11-29T02:00:00Z"))
                    .build(),
            )
            .build();
        let events = events_of(&page, "eu-west-1");
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["old", "broken", "new"]);
        let broken = &events[1];
        assert_eq!(broken.name, "DeleteDBSnapshot");
        assert_eq!(broken.principal.short(), "alice");
        assert_eq!(broken.time, "2025-11-30T00:00:00Z");
        assert_eq!(broken.region, "eu-west-1");
    }
}
