//! The live activity trail: CloudTrail `LookupEvents` against a local
//! stand-in (moto does not implement it) while RDS and EC2 are moto's —
//! the request as the API reference defines it, every page, the pace of
//! two requests a second per region, throttling, a refusal, and what a
//! user pointing rdsight at plain moto sees.

use aws_config::retry::RetryConfig;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use rdsight::cli::SourceArgs;
use rdsight::model::{Fleet, ResourceList};
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, LoadEvent};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::support::cloudtrail::{
    self, Answer, FakeCloudTrail, LOOKUP_EVENTS, Request, denied_record, page, share_record,
    summary,
};
use crate::support::moto::{self, Moto, rdsight};
use crate::support::seed::{EU, US, app_fed, load_streamed, seed};

/// CloudTrail answers LookupEvents twice a second per account and region.
const LEAST_GAP: Duration = Duration::from_millis(500);

/// The three pages of a region's trail, newest first as CloudTrail
/// answers: a share, a refusal, and between them whatever else happened.
fn pages_of(region: &str) -> [Vec<Value>; 3] {
    let event = |n: u32, time: &str| {
        let id = format!("{region}-{n}");
        if n.is_multiple_of(2) {
            summary(&share_record(&id, time, region))
        } else {
            summary(&denied_record(&id, time, region))
        }
    };
    [
        vec![
            event(6, "2026-11-30T06:00:00Z"),
            event(5, "2026-11-30T05:00:00Z"),
        ],
        vec![
            event(4, "2026-11-30T04:00:00Z"),
            event(3, "2026-11-30T03:00:00Z"),
        ],
        vec![
            event(2, "2026-11-30T02:00:00Z"),
            event(1, "2026-11-30T01:00:00Z"),
        ],
    ]
}

/// The page a request asks for, by its NextToken.
fn answer_pages(request: &Request) -> Answer {
    let [first, second, third] = pages_of(&request.region);
    match request.next_token() {
        None => page(&first, Some("page-2")),
        Some("page-2") => page(&second, Some("page-3")),
        Some("page-3") => page(&third, None),
        Some(other) => cloudtrail::error(400, "InvalidNextTokenException", other),
    }
}

/// An AWS source whose RDS, EC2 and STS calls go to `moto` and whose
/// CloudTrail calls go to `trail`, as a profile's `services` section
/// would send them (no `--endpoint-url`: it would send everything to one).
async fn split_source(moto: &Moto, trail: &str, regions: &[&str], days: u32) -> AwsSource {
    split_source_with(moto, trail, regions, days, None).await
}

/// [`split_source`], with the SDK retrying as `retry` says (as
/// `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` would) instead of rdsight's
/// default.
async fn split_source_with(
    moto: &Moto,
    trail: &str,
    regions: &[&str],
    days: u32,
    retry: Option<RetryConfig>,
) -> AwsSource {
    let config = format!(
        "[default]\nendpoint_url = {}\nservices = split\n\n[services split]\ncloudtrail =\n  endpoint_url = {trail}\n",
        moto.url
    );
    let files = EnvConfigFiles::builder()
        .with_contents(EnvConfigFileKind::Config, config)
        .with_contents(EnvConfigFileKind::Credentials, "")
        .build();
    let args = SourceArgs {
        region: regions.iter().map(|r| r.to_string()).collect(),
        activity_days: days,
        ..SourceArgs::default()
    };
    AwsSource::connect_with(&args, |loader| {
        let loader = moto::with_test_credentials(loader).profile_files(files);
        match retry {
            Some(retry) => loader.retry_config(retry),
            None => loader,
        }
    })
    .await
    .unwrap()
}

/// Seconds since the epoch, as LookupEvents' JSON writes a timestamp.
fn epoch_secs(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// The gaps between consecutive requests.
fn gaps(requests: &[Request]) -> Vec<Duration> {
    requests.windows(2).map(|w| w[1].at - w[0].at).collect()
}

#[tokio::test]
async fn every_page_of_every_region_streams_in_at_two_requests_a_second() {
    let moto = Moto::start();
    let trail = FakeCloudTrail::start(answer_pages);
    let source = split_source(&moto, &trail.url, &[US, EU], 7).await;
    let (result, streamed) = load_streamed(&source).await;
    let fleet = result.unwrap();
    let asked_at = now_secs();
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);

    assert_requests(&trail, asked_at);

    // Oldest first, across regions, each record read whole.
    let times: Vec<&str> = fleet.events.iter().map(|e| e.time.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    assert_eq!(fleet.events.len(), 12);
    let share = fleet.events.iter().find(|e| e.id == "us-east-1-6").unwrap();
    assert_eq!(share.name, "ModifyDBClusterSnapshotAttribute");
    assert_eq!(share.region, US);
    assert_eq!(share.principal.short(), "user/dev-alice");
    assert_eq!(share.source_ip, "198.51.100.23");
    assert!(share.user_agent.starts_with("aws-cli/2.15.30"));
    let refused = fleet.events.iter().find(|e| e.id == "eu-west-1-1").unwrap();
    assert!(refused.is_denied(), "{refused:?}");
    assert_eq!(
        refused.principal.role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/unknown-probe")
    );

    // Which trails were read, over which window.
    let mut reads = fleet.activity_reads.clone();
    reads.sort_by(|a, b| a.region.cmp(&b.region));
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(
        (reads[0].region.as_str(), reads[1].region.as_str()),
        (EU, US)
    );
    for read in &reads {
        assert_eq!(read.via, "cloudtrail:LookupEvents");
        let since = cloudtrail::epoch(&read.since) as f64;
        let until = cloudtrail::epoch(&read.until) as f64;
        assert!((until - since - 7.0 * 86_400.0).abs() < 1.0, "{read:?}");
        let asked = trail.requests();
        assert!((until - epoch_secs(&asked[0].body["EndTime"])).abs() < 1.0);
    }

    assert_streamed(&source, &streamed);
}

/// Each region's requests as the API reference defines them, three pages
/// each, at CloudTrail's pace; the regions at once.
fn assert_requests(trail: &FakeCloudTrail, asked_at: f64) {
    let requests = trail.requests();
    assert_eq!(requests.len(), 6, "three pages in each of two regions");
    for r in &requests {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
        assert!(r.target.ends_with(LOOKUP_EVENTS), "{}", r.target);
        assert_eq!(r.service, "cloudtrail");
        assert_eq!(r.content_type, "application/x-amz-json-1.1");
        assert_eq!(
            r.body["LookupAttributes"],
            json!([{"AttributeKey": "EventSource", "AttributeValue": "rds.amazonaws.com"}])
        );
        assert_eq!(r.body["MaxResults"], json!(50));
        let (start, end) = (
            epoch_secs(&r.body["StartTime"]),
            epoch_secs(&r.body["EndTime"]),
        );
        assert!((end - start - 7.0 * 86_400.0).abs() < 1.0, "{}", r.body);
        assert!(asked_at - end < 60.0 && end <= asked_at, "{}", r.body);
    }
    for region in [US, EU] {
        let asked = trail.requests_in(region);
        let tokens: Vec<Option<&str>> = asked.iter().map(Request::next_token).collect();
        assert_eq!(tokens, [None, Some("page-2"), Some("page-3")]);
        // A later page repeats the first one's window, as NextToken requires.
        assert!(
            asked
                .iter()
                .all(|r| r.body["StartTime"] == asked[0].body["StartTime"])
        );
        for gap in gaps(&asked) {
            assert!(gap >= LEAST_GAP, "{region}: requests {gap:?} apart");
        }
    }
    // Regions are read at once: the limit is per region.
    let firsts = (trail.requests_in(US)[0].at, trail.requests_in(EU)[0].at);
    let apart = firsts.0.max(firsts.1) - firsts.0.min(firsts.1);
    assert!(apart < LEAST_GAP, "first requests {apart:?} apart");
}

/// The trail streamed in as the lists do: announced, page by page, then
/// counted; and the dashboard's model shows the pages as they came.
fn assert_streamed(source: &AwsSource, streamed: &[LoadEvent]) {
    let LoadEvent::Planned(parts) = &streamed[0] else {
        panic!("first comes the plan: {:?}", streamed[0]);
    };
    for region in [US, EU] {
        assert!(
            parts
                .iter()
                .any(|p| p.region == region && p.what == ResourceList::Events),
            "{parts:?}"
        );
        let pages: Vec<usize> = streamed
            .iter()
            .filter_map(|e| match e {
                LoadEvent::Page { part, fragment }
                    if part.region == region && part.what == ResourceList::Events =>
                {
                    Some(fragment.events.len())
                }
                _ => None,
            })
            .collect();
        assert_eq!(pages, [2, 2, 2], "{region}");
        let finished = streamed.iter().find_map(|e| match e {
            LoadEvent::Finished { part, result }
                if part.region == region && part.what == ResourceList::Events =>
            {
                Some(result.clone())
            }
            _ => None,
        });
        assert_eq!(finished, Some(Ok(6)), "{region}");
    }

    let app = app_fed(source, streamed);
    assert_eq!(app.fleet.events.len(), 12, "pages reach the dashboard");
    assert!(app.loaded_so_far() >= 12);
}

#[tokio::test]
async fn a_throttled_page_is_asked_again_after_a_pause_and_the_trail_completes() {
    let moto = Moto::start();
    let throttled = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&throttled);
    let trail = FakeCloudTrail::start(move |request| {
        // The second page is refused once for the account's rate.
        if request.next_token() == Some("page-2") && count.fetch_add(1, Ordering::SeqCst) == 0 {
            return cloudtrail::error(400, "ThrottlingException", "Rate exceeded");
        }
        answer_pages(request)
    });
    // A region of its own: the SDK's retry quota is kept per region.
    let region = "ap-southeast-2";
    let source = split_source(&moto, &trail.url, &[region], 7).await;
    let fleet = source.load().await.unwrap();

    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    assert_eq!(fleet.events.len(), 6);
    assert_eq!(fleet.activity_reads.len(), 1);
    let asked = trail.requests_in(region);
    let tokens: Vec<Option<&str>> = asked.iter().map(Request::next_token).collect();
    assert_eq!(
        tokens,
        [None, Some("page-2"), Some("page-2"), Some("page-3")],
        "the refused page, asked again once"
    );
    for gap in gaps(&asked) {
        assert!(gap >= LEAST_GAP, "requests {gap:?} apart");
    }
}

#[tokio::test]
async fn throttling_that_does_not_end_fails_the_trail_after_the_sdks_attempts_alone() {
    // Standard retries, 3 attempts: quicker to give up than rdsight's
    // adaptive 5, which wait out the rate for a minute.
    let moto = Moto::start();
    let trail = FakeCloudTrail::start(|request| {
        if request.next_token().is_none() {
            return answer_pages(request);
        }
        cloudtrail::error(400, "ThrottlingException", "Rate exceeded")
    });
    let region = "ca-central-1";
    let retry = RetryConfig::standard().with_max_attempts(3);
    let source = split_source_with(&moto, &trail.url, &[region], 7, Some(retry)).await;
    let (result, streamed) = load_streamed(&source).await;
    let fleet = result.unwrap();

    // The SDK retried as configured; nothing retried on top of it.
    let asked = trail.requests_in(region);
    let second_page = asked
        .iter()
        .filter(|r| r.next_token() == Some("page-2"))
        .count();
    assert_eq!(second_page, 3, "{asked:?}");
    for gap in gaps(&asked) {
        assert!(gap >= LEAST_GAP, "requests {gap:?} apart");
    }
    let errors: Vec<String> = fleet.load_errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [format!(
            "{region} events: ThrottlingException: Rate exceeded"
        )]
    );
    // The page that arrived is kept; the window is not claimed as read.
    assert_eq!(fleet.events.len(), 2);
    assert!(fleet.activity_reads.is_empty());
    assert!(streamed.iter().any(|e| matches!(
        e,
        LoadEvent::Finished { part, result: Err(_) } if part.what == ResourceList::Events
    )));
}

#[tokio::test]
async fn a_load_dropped_mid_trail_asks_cloudtrail_nothing_more() {
    let moto = Moto::start();
    // A trail with no end: every page names a next one.
    let trail = FakeCloudTrail::start(|request| {
        let n: u32 = request.next_token().map_or(0, |t| t.parse().unwrap());
        page(&[], Some(&(n + 1).to_string()))
    });
    let region = "sa-east-1";
    let source = Arc::new(split_source(&moto, &trail.url, &[region], 90).await);
    let load = tokio::spawn({
        let source = Arc::clone(&source);
        async move { source.load().await }
    });
    let started = Instant::now();
    while trail.requests().len() < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no pages asked"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What the dashboard does when a new load or quitting replaces it.
    load.abort();
    assert!(load.await.unwrap_err().is_cancelled());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let asked = trail.requests().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        trail.requests().len(),
        asked,
        "pages asked after the load was dropped"
    );
}

#[test]
fn access_denied_is_one_load_line_for_the_trail_and_the_fleet_still_loads() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    runtime.block_on(seed(&moto, US));
    let trail = FakeCloudTrail::start(|_| {
        cloudtrail::error(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/test is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
        )
    });
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_ENDPOINT_URL", moto.url.as_str()),
        ("AWS_ENDPOINT_URL_CLOUDTRAIL", trail.url.as_str()),
    ];
    let out = rdsight(&["export-fleet", "--region", US], &env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let fleet: Fleet = serde_json::from_slice(&out.stdout).unwrap();

    assert!(fleet.instance(US, "orders-db").is_some(), "RDS still loads");
    assert!(fleet.cluster(US, "ledger").is_some());
    let errors: Vec<String> = fleet.load_errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "us-east-1 events: AccessDeniedException: User: arn:aws:iam::123456789012:user/test is not authorized to perform: cloudtrail:LookupEvents"
        ),
        "{errors:?}"
    );
    assert!(fleet.events.is_empty() && fleet.activity_reads.is_empty());
    assert_eq!(trail.requests().len(), 1, "a refusal is not asked again");

    // `scan` counts it as something it could not see.
    let out = rdsight(&["scan", "--region", US, "--format", "json"], &env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("us-east-1 events: AccessDeniedException"),
        "{stderr}"
    );
}

#[test]
fn plain_moto_gives_one_clear_line_for_the_trail_and_days_0_reads_none() {
    let moto = Moto::start();
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ];
    let export = |extra: &[&str]| {
        let mut args = vec!["export-fleet", "--region", US, "--endpoint-url", &moto.url];
        args.extend_from_slice(extra);
        let started = Instant::now();
        let out = rdsight(&args, &env);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let fleet: Fleet = serde_json::from_slice(&out.stdout).unwrap();
        (fleet, started.elapsed())
    };

    let (fleet, took) = export(&[]);
    let errors: Vec<String> = fleet.load_errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let line = &errors[0];
    assert!(line.starts_with("us-east-1 events: HTTP 500"), "{line}");
    assert!(
        line.ends_with(&format!(
            "does {} implement CloudTrail LookupEvents? --activity-days 0 reads no trail",
            moto.url
        )),
        "{line}"
    );
    eprintln!("the trail's load against plain moto took {took:?}");

    let (fleet, _) = export(&["--activity-days", "0"]);
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    assert!(fleet.activity_reads.is_empty());
}

#[test]
fn activity_days_beyond_what_cloudtrail_keeps_is_a_usage_error() {
    for (days, words) in [
        ("91", "at most 90: CloudTrail's LookupEvents keeps 90 days"),
        ("a week", "'a week' is not a whole number of days"),
        ("-1", "'-1' is not a whole number of days"),
    ] {
        let flag = format!("--activity-days={days}");
        let out = rdsight(&["scan", "--demo", &flag], &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{days}: {stderr}");
        assert!(stderr.contains(words), "{days}: {stderr}");
    }
    let out = rdsight(&["scan", "--demo", "--activity-days", "90"], &[]);
    assert_ne!(out.status.code(), Some(2), "90 is allowed");
}
