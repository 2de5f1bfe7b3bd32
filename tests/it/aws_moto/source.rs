//! The source as a whole: read-only, info, the command line, missing settings.

use rdsight::cli::SourceArgs;
use rdsight::remediation::Step;
use rdsight::remediation::fixes::snapshot_encryption::DeleteDBSnapshot;
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, SourceError};
use std::collections::BTreeSet;
use std::time::Duration;

use crate::support::moto;
use crate::support::moto::{MOTO_ACCOUNT, Moto, rdsight};
use crate::support::seed::{US, seed};

// ---------------------------------------------------- the source as a whole

#[tokio::test]
async fn read_only_refuses_and_info_names_the_endpoint() {
    let moto = Moto::start();
    let args = SourceArgs {
        endpoint_url: Some(moto.url.clone()),
        region: vec![US.into()],
        read_only: true,
        ..SourceArgs::default()
    };
    let source = AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap();
    let info = source.info();
    assert_eq!(
        info.label,
        format!("aws (default credentials) @ {}", moto.url)
    );
    // moto's default account, read through STS GetCallerIdentity.
    assert_eq!(info.account.as_deref(), Some("123456789012"));
    assert_eq!(info.read_only.as_deref(), Some("started with --read-only"));
    assert_eq!(source.pacing().poll, Duration::from_secs(5));
    let step = Step::from(DeleteDBSnapshot {
        region: US.into(),
        snapshot_id: "anything".into(),
    });
    assert!(matches!(
        source.apply(&step).await,
        Err(SourceError::ReadOnly(_))
    ));
}

#[tokio::test]
async fn scan_reads_moto_through_the_command_line_and_environment() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let out = rdsight(
        &[
            "scan",
            "--format",
            "json",
            "--fail-on",
            "critical",
            "--activity-days",
            "0",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", US),
            ("AWS_ENDPOINT_URL", &moto.url),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["account"], MOTO_ACCOUNT);
    assert_eq!(report["regions"], serde_json::json!([US]));
    let found: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(found.contains(&("snapshot-public".into(), "orders-public".into())));
    assert!(found.contains(&("instance-public".into(), "orders-db".into())));
}

#[test]
fn missing_credentials_are_one_clear_line() {
    let out = rdsight(
        &[
            "scan",
            "--region",
            US,
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "rdsight: no AWS credentials found — run with --demo, or set AWS_PROFILE / AWS_ACCESS_KEY_ID"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_region_is_one_clear_line() {
    let out = rdsight(
        &["scan"],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "rdsight: no AWS region configured — pass --region, set AWS_REGION, or run with --demo"
    );
}
