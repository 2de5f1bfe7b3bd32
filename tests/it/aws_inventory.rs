//! Inventory at scale and under faults, against a real moto server:
//! two regions, more than one page of instances, every kind of sharing and
//! of world-open ingress, read through the real binary and streamed into
//! the dashboard's model; then a denied region and a server that stops
//! mid-load, injected by a proxy in front of moto.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};
use futures::StreamExt;
use rdsight::cli::SourceArgs;
use rdsight::source::LoadEvent;
use rdsight::source::aws::AwsSource;
use rdsight::tui::app::Msg;
use rdsight::tui::rows::Pane;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::support::moto::{MOTO_ACCOUNT, Moto, rdsight};
use crate::support::proxy::{Fault, Proxy};
use crate::support::seed::{
    EU, UNTRUSTED, US, app_fed, load_streamed, security_group_with as group,
};
use crate::support::{moto, pty, tui};

/// Compliant instances beside the risky ones: more than moto's page of 100.
const FILLERS: usize = 104;
/// The port every seeded database listens on (not the engine default, so
/// default-port stays quiet and the world-open rules are about this port).
const DB_PORT: i32 = 6543;

/// One ingress permission from `cidr` (IPv4 or IPv6).
fn permission(protocol: &str, from: i32, to: i32, cidr: &str) -> IpPermission {
    let builder = IpPermission::builder()
        .ip_protocol(protocol)
        .from_port(from)
        .to_port(to);
    if cidr.contains(':') {
        builder
            .ipv6_ranges(Ipv6Range::builder().cidr_ipv6(cidr).build())
            .build()
    } else {
        builder
            .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    }
}

/// The parameter group compliant instances use: TLS required.
const TLS_GROUP: &str = "tls-required";

/// [`TLS_GROUP`] in the region of `rds`.
async fn tls_group(rds: &aws_sdk_rds::Client) {
    rds.create_db_parameter_group()
        .db_parameter_group_name(TLS_GROUP)
        .db_parameter_group_family("postgres16")
        .description("clients must use TLS")
        .send()
        .await
        .unwrap();
    let force_ssl = aws_sdk_rds::types::Parameter::builder()
        .parameter_name("rds.force_ssl")
        .parameter_value("1")
        .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
        .build();
    rds.modify_db_parameter_group()
        .db_parameter_group_name(TLS_GROUP)
        .parameters(force_ssl)
        .send()
        .await
        .unwrap();
}

/// An instance that passes every rule, unless `public` or the group it is
/// attached to says otherwise.
async fn instance(rds: &aws_sdk_rds::Client, id: &str, group: &str, public: bool) {
    rds.create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("orders_owner")
        .manage_master_user_password(true)
        .db_parameter_group_name(TLS_GROUP)
        .port(DB_PORT)
        .publicly_accessible(public)
        .storage_encrypted(true)
        .multi_az(true)
        .backup_retention_period(7)
        .deletion_protection(true)
        .enable_iam_database_authentication(true)
        .auto_minor_version_upgrade(true)
        .copy_tags_to_snapshot(true)
        .enable_cloudwatch_logs_exports("postgresql")
        .enable_cloudwatch_logs_exports("upgrade")
        .monitoring_interval(60)
        .monitoring_role_arn(format!(
            "arn:aws:iam::{MOTO_ACCOUNT}:role/rds-monitoring-role"
        ))
        .vpc_security_group_ids(group)
        .send()
        .await
        .unwrap();
}

async fn share_db_snapshot(rds: &aws_sdk_rds::Client, source: &str, id: &str, with: &str) {
    rds.create_db_snapshot()
        .db_instance_identifier(source)
        .db_snapshot_identifier(id)
        .send()
        .await
        .unwrap();
    if !with.is_empty() {
        rds.modify_db_snapshot_attribute()
            .db_snapshot_identifier(id)
            .attribute_name("restore")
            .values_to_add(with)
            .send()
            .await
            .unwrap();
    }
}

async fn share_cluster_snapshot(rds: &aws_sdk_rds::Client, id: &str, with: &str) {
    rds.create_db_cluster_snapshot()
        .db_cluster_identifier("vault")
        .db_cluster_snapshot_identifier(id)
        .send()
        .await
        .unwrap();
    if !with.is_empty() {
        rds.modify_db_cluster_snapshot_attribute()
            .db_cluster_snapshot_identifier(id)
            .attribute_name("restore")
            .values_to_add(with)
            .send()
            .await
            .unwrap();
    }
}

/// The fleet of this file (see the expectations in `expected_findings`):
/// - us-east-1: 104 compliant fillers behind a private group; `exposed-v4`,
///   `exposed-v6`, `exposed-all` and `exposed-range` behind groups open to
///   the world over IPv4, IPv6, all protocols and a port range covering
///   the DB port; `ssh-only` behind a group open on port 22 only (not a
///   finding); DB snapshots public / shared with an untrusted account /
///   private; an encrypted Aurora cluster `vault` whose cluster snapshots
///   are public / shared / private.
/// - eu-west-1: `eu-reporting` (compliant) and `eu-public` (publicly
///   accessible) behind a private group.
async fn seed_fleet(moto: &Moto) {
    let ec2 = moto.ec2(US).await;
    let rds = moto.rds(US).await;
    let private = group(
        &ec2,
        "private",
        permission("tcp", DB_PORT, DB_PORT, "10.0.0.0/8"),
    )
    .await;
    let open_v4 = group(
        &ec2,
        "open-v4",
        permission("tcp", DB_PORT, DB_PORT, "0.0.0.0/0"),
    )
    .await;
    let open_v6 = group(&ec2, "open-v6", permission("tcp", DB_PORT, DB_PORT, "::/0")).await;
    let open_all = group(&ec2, "open-all", permission("-1", -1, -1, "0.0.0.0/0")).await;
    let open_range = group(
        &ec2,
        "open-range",
        permission("tcp", 6000, 7000, "0.0.0.0/0"),
    )
    .await;
    let ssh = group(&ec2, "ssh-only", permission("tcp", 22, 22, "0.0.0.0/0")).await;

    tls_group(&rds).await;
    let fillers: Vec<String> = (0..FILLERS).map(|n| format!("app-{n:03}")).collect();
    futures::stream::iter(fillers.iter())
        .for_each_concurrent(8, |id| instance(&rds, id, &private, false))
        .await;
    for (id, sg) in [
        ("exposed-v4", &open_v4),
        ("exposed-v6", &open_v6),
        ("exposed-all", &open_all),
        ("exposed-range", &open_range),
        ("ssh-only", &ssh),
    ] {
        instance(&rds, id, sg, false).await;
    }
    share_db_snapshot(&rds, "app-000", "snap-public", "all").await;
    share_db_snapshot(&rds, "app-000", "snap-shared", UNTRUSTED).await;
    share_db_snapshot(&rds, "app-000", "snap-private", "").await;

    rds.create_db_cluster()
        .db_cluster_identifier("vault")
        .engine("aurora-postgresql")
        .master_username("vault_owner")
        .master_user_password("not-a-secret-2")
        .storage_encrypted(true)
        .deletion_protection(true)
        .backup_retention_period(7)
        .vpc_security_group_ids(&private)
        .send()
        .await
        .unwrap();
    share_cluster_snapshot(&rds, "vault-public", "all").await;
    share_cluster_snapshot(&rds, "vault-shared", UNTRUSTED).await;
    share_cluster_snapshot(&rds, "vault-private", "").await;

    let ec2 = moto.ec2(EU).await;
    let rds = moto.rds(EU).await;
    let private = group(
        &ec2,
        "private",
        permission("tcp", DB_PORT, DB_PORT, "10.0.0.0/8"),
    )
    .await;
    tls_group(&rds).await;
    instance(&rds, "eu-reporting", &private, false).await;
    instance(&rds, "eu-public", &private, true).await;
}

/// What the seeded fleet must produce, and nothing else, for the rules
/// about exposure and sharing (the inventory's reason to exist).
fn expected_findings() -> BTreeSet<(String, String)> {
    [
        ("snapshot-public", "snap-public"),
        ("snapshot-public", "vault-public"),
        ("snapshot-shared-untrusted", "snap-shared"),
        ("snapshot-shared-untrusted", "vault-shared"),
        ("sg-open-db-port", "exposed-v4"),
        ("sg-open-db-port", "exposed-v6"),
        ("sg-open-db-port", "exposed-all"),
        ("sg-open-db-port", "exposed-range"),
        ("instance-public", "eu-public"),
    ]
    .into_iter()
    .map(|(r, id)| (r.to_string(), id.to_string()))
    .collect()
}

/// The exposure and sharing findings of a JSON report, as (rule, id).
fn exposure_findings(report: &Value) -> BTreeSet<(String, String)> {
    const EXPOSURE: [&str; 4] = [
        "snapshot-public",
        "snapshot-shared-untrusted",
        "sg-open-db-port",
        "instance-public",
    ];
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| EXPOSURE.contains(&f["rule"].as_str().unwrap()))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn scan(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scan", "--format", "json", "--endpoint-url", url];
    args.extend_from_slice(&["--region", "us-east-1,eu-west-1"]);
    // moto has no CloudTrail LookupEvents (lookup_events.rs is the trail's test).
    args.extend_from_slice(&["--activity-days", "0"]);
    args.extend_from_slice(extra);
    rdsight(
        &args,
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    )
}

async fn aws_source(url: &str) -> AwsSource {
    let args = SourceArgs {
        endpoint_url: Some(url.to_string()),
        region: vec![US.into(), EU.into()],
        ..SourceArgs::default()
    };
    AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_two_region_fleet_loads_whole_and_scan_finds_exactly_what_was_seeded() {
    let moto = Moto::start();
    seed_fleet(&moto).await;

    // moto reports no CertificateDetails, so ca-certificate-expiring would
    // be unknown on every instance and the scan incomplete; that rule's
    // moto test is aws_params.
    let config = moto::scratch_path("no-certificate-rule.toml");
    std::fs::write(
        &config,
        "[rules]\ndisabled_rules = [\"ca-certificate-expiring\"]\n",
    )
    .unwrap();
    let out = scan(&moto.url, &["--config", config.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["account"], MOTO_ACCOUNT);
    assert_eq!(report["complete"], true);
    assert_eq!(exposure_findings(&report), expected_findings());
    // The compliant fillers, on both pages of instances, judged clean.
    let flagged: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["resource_id"].as_str())
        .collect();
    assert!(
        !flagged.iter().any(|id| id.starts_with("app-")),
        "a compliant filler was flagged: {flagged:?}"
    );
    let instances = FILLERS + 5 + 2;
    assert!(
        report["summary"]["resources_scanned"].as_u64().unwrap() as usize > instances + 6,
        "{}",
        report["summary"]
    );

    // The dashboard's model, fed only the streamed pages, holds every
    // resource before the final answer arrives, and the same afterwards.
    let source = aws_source(&moto.url).await;
    let (result, events) = load_streamed(&source).await;
    let fleet = result.unwrap();
    assert_eq!(fleet.instances.len(), instances);
    let us_instance_pages = events
        .iter()
        .filter(|e| matches!(e, LoadEvent::Page { part, .. } if part.region == US && part.what == rdsight::model::ResourceList::DbInstances))
        .count();
    assert!(
        us_instance_pages >= 2,
        "{FILLERS}+5 instances came in {us_instance_pages} page(s)"
    );
    let mut app = app_fed(&source, &events);
    assert_eq!(app.fleet.instances.len(), fleet.instances.len());
    assert_eq!(app.fleet.clusters.len(), fleet.clusters.len());
    assert_eq!(app.fleet.snapshots.len(), fleet.snapshots.len());
    assert_eq!(app.fleet.security_groups.len(), fleet.security_groups.len());
    assert_eq!(app.row_count(Pane::Instances), instances);
    assert!(
        app.load_parts.iter().all(|p| p.finished()),
        "{:?}",
        app.load_parts
    );
    let generation = app.generation();
    app.update(Msg::Loaded {
        generation,
        result: Ok(fleet.clone()),
        at: std::time::SystemTime::UNIX_EPOCH,
    });
    assert_eq!(app.row_count(Pane::Instances), instances);
    assert_eq!(app.fleet.account, MOTO_ACCOUNT);
}

#[tokio::test]
async fn a_denied_region_is_marked_unknown_and_the_rest_loads() {
    let moto = Moto::start();
    seed_fleet(&moto).await;
    let proxy = Proxy::start(&moto.url, Fault::DenyRegion(EU.into()));

    // scan: the US findings, every EU list named as not loaded, exit 1.
    let out = scan(&proxy.url, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("scan incomplete"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["complete"], false);
    let mut expected = expected_findings();
    expected.retain(|(_, id)| !id.starts_with("eu-"));
    assert_eq!(exposure_findings(&report), expected);
    let errors = report["load_errors"].as_array().unwrap();
    let denied: BTreeSet<&str> = errors
        .iter()
        .filter(|e| e["region"] == EU)
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        denied,
        BTreeSet::from([
            "db-clusters",
            "db-instances",
            "db-snapshots",
            "db-cluster-snapshots",
            "security-groups",
            "subnets",
            "route-tables",
            "internet-gateways",
            "export-tasks",
            "event-subscriptions",
        ])
    );
    assert!(errors.iter().all(|e| e["region"] == EU));
    assert!(
        errors
            .iter()
            .any(|e| e["message"].as_str().unwrap().starts_with("AccessDenied:")),
        "{errors:?}"
    );
    assert_eq!(
        scan(&proxy.url, &["--allow-incomplete"]).status.code(),
        Some(0)
    );

    // The dashboard marks what it cannot know, pane by pane.
    let source = aws_source(&proxy.url).await;
    let (result, events) = load_streamed(&source).await;
    let mut app = app_fed(&source, &events);
    let generation = app.generation();
    app.update(Msg::Loaded {
        generation,
        result: result.map_err(|e| e.to_string()),
        at: std::time::SystemTime::UNIX_EPOCH,
    });
    assert!(app.fleet.instance(US, "exposed-v4").is_some());
    assert!(app.fleet.instance(EU, "eu-public").is_none());
    let screen = tui::screen(&app, 160, 40);
    assert!(
        screen.contains("⚠ unknown in eu-west-1: not loaded"),
        "{screen}"
    );
    assert!(screen.contains("not loaded"), "{screen}");
}

#[tokio::test]
async fn a_server_that_stops_mid_load_keeps_what_arrived_and_says_what_did_not() {
    let moto = Moto::start();
    seed_fleet(&moto).await;
    // One call to connect (STS), then a few lists, then nothing.
    let proxy = Proxy::start(&moto.url, Fault::StopAfter(4));
    let source = aws_source(&proxy.url).await;
    let started = Instant::now();
    let (result, events) = load_streamed(&source).await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let fleet = result.expect("some lists answered before the server stopped");
    assert!(!fleet.load_errors.is_empty());
    for error in &fleet.load_errors {
        assert!(!error.message.contains('\n'), "{error}");
        assert!(error.message.contains(&proxy.url), "{error}");
    }
    // Every list either failed (and says so) or delivered what it listed.
    // (A list can deliver and still miss some sharing attributes or the
    // parameters of its groups: those are reported apart, as
    // `*-attributes` / `*-parameters`; export tasks, event subscriptions
    // and key managers are read beside the lists, not as parts of them.)
    let failed: BTreeSet<(String, String)> = fleet
        .load_errors
        .iter()
        .filter(|e| rdsight::model::ResourceList::LISTS.contains(&e.what))
        .map(|e| (e.region.clone(), e.what.to_string()))
        .collect();
    let delivered: BTreeSet<(String, String)> = events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Finished {
                part,
                result: Ok(_),
            } => Some((part.region.clone(), part.what.to_string())),
            _ => None,
        })
        .collect();
    assert!(!delivered.is_empty(), "nothing answered: {failed:?}");
    assert_eq!(
        delivered.len() + failed.len(),
        2 * rdsight::model::ResourceList::LISTS.len(),
        "{delivered:?} {failed:?}"
    );
    if delivered.contains(&(US.into(), "db-instances".into())) {
        assert_eq!(
            fleet.instances.iter().filter(|i| i.region == US).count(),
            FILLERS + 5
        );
    }
    // The dashboard shows the same partial truth, without a panic.
    let mut app = app_fed(&source, &events);
    let generation = app.generation();
    app.update(Msg::Loaded {
        generation,
        result: Ok(fleet),
        at: std::time::SystemTime::UNIX_EPOCH,
    });
    let screen = tui::screen(&app, 160, 40);
    assert!(screen.contains("not loaded"), "{screen}");
}

#[tokio::test]
async fn the_dashboard_shows_the_fleet_of_a_live_endpoint_with_its_account() {
    let moto = Moto::start();
    seed_fleet(&moto).await;
    let tui = pty::Tui::spawn_with_env(
        &[
            "--endpoint-url",
            &moto.url,
            "--region",
            "us-east-1,eu-west-1",
            "--activity-days",
            "0",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
        160,
        50,
    );
    let instances = FILLERS + 5 + 2;
    let screen = tui.wait_for("every instance listed", |s| {
        s.contains(&format!("2 Instances ({instances})")) && s.contains("refreshed")
    });
    assert!(
        screen.contains(&format!("account {MOTO_ACCOUNT}")),
        "{screen}"
    );
    assert!(screen.contains("regions us-east-1, eu-west-1"), "{screen}");

    // R: the regions moto lists; keep only eu-west-1 and switch.
    tui.send("R");
    let picker = tui.wait_for("the region list", |s| {
        s.contains("[ ] ap-") && s.contains("[x] eu-west-1")
    });
    let items: Vec<&str> = picker
        .lines()
        .filter_map(|l| {
            l.split_once("[x] ")
                .or_else(|| l.split_once("[ ] "))
                .map(|(_, rest)| rest)
        })
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    let eu = items
        .iter()
        .position(|r| *r == "eu-west-1")
        .expect("eu-west-1 listed");
    let us = items
        .iter()
        .position(|r| *r == "us-east-1")
        .expect("us-east-1 listed");
    assert!(eu < us, "{items:?}");
    tui.send(&"j".repeat(us));
    tui.send(" ");
    tui.send("\r");
    let screen = tui.wait_for("eu-west-1 alone", |s| {
        s.contains("regions eu-west-1 ·")
            && s.contains("2 Instances (2)")
            && s.contains("refreshed")
    });
    assert!(
        !screen.contains("exposed-v4"),
        "a us-east-1 row survived: {screen}"
    );
    assert!(
        screen.contains(&format!("account {MOTO_ACCOUNT}")),
        "{screen}"
    );
    tui.send("q");
}

#[test]
fn an_endpoint_that_is_down_at_start_is_one_line_within_seconds() {
    let url = format!("http://127.0.0.1:{}", moto::free_port());
    let started = Instant::now();
    let out = scan(&url, &[]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot reach AWS at {url}")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(out.stdout.is_empty());
}
