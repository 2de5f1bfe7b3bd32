//! What rdsight does not know, it says: against moto behind a proxy that
//! denies one call, the verdicts that needed it are unknown, never passes.

use serde_json::Value;

use crate::support::moto::{Moto, rdsight};
use crate::support::proxy::{Fault, Proxy};
use crate::support::seed::{US, seed};

fn scan(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "scan",
        "--format",
        "json",
        "--endpoint-url",
        url,
        "--region",
        US,
        "--activity-days",
        "0",
    ];
    args.extend_from_slice(extra);
    rdsight(
        &args,
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    )
}

fn finding<'r>(report: &'r Value, rule: &str, id: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["resource_id"] == id)
        .unwrap_or_else(|| panic!("no {rule} on {id}: {report}"))
}

#[tokio::test]
async fn verdicts_are_unknown_when_describe_security_groups_is_denied() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let proxy = Proxy::start(
        &moto.url,
        Fault::DenyAction("DescribeSecurityGroups".into()),
    );

    // A gate must not pass on what it could not see.
    let out = scan(&proxy.url, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("scan incomplete"), "{stderr}");
    assert!(stderr.contains("verdict(s) unknown"), "{stderr}");

    let out = scan(&proxy.url, &["--allow-incomplete"]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["complete"], false);
    assert!(
        report["summary"]["unknown"].as_u64().unwrap() >= 2,
        "{report}"
    );

    // orders-db sits behind db-open (0.0.0.0/0 on 5432): with the group
    // unreadable, the world-open verdict is unknown, not a pass.
    let open = finding(&report, "sg-open-db-port", "orders-db");
    assert_eq!(open["status"], "unknown", "{open}");
    assert!(
        open["reason"].as_str().unwrap().contains("not loaded"),
        "{open}"
    );
    // ledger sits behind db-private: unknown too, never "clean".
    assert_eq!(
        finding(&report, "sg-open-db-port", "ledger")["status"],
        "unknown"
    );
    // It is still public; what the network allows is said to be unknown.
    let public = finding(&report, "instance-public", "orders-db");
    assert_eq!(public["status"], "fail");
    let reason = public["reason"].as_str().unwrap();
    assert!(reason.contains("unknown"), "{reason}");
    assert!(!reason.contains("no attached security group"), "{reason}");
    // The count by severity holds only what was judged.
    let by_severity: u64 = ["critical", "high", "medium", "low"]
        .iter()
        .map(|k| report["summary"][*k].as_u64().unwrap())
        .sum();
    assert_eq!(by_severity, report["summary"]["total"].as_u64().unwrap());

    // The table marks them, and says how many.
    let table = rdsight(
        &[
            "scan",
            "--endpoint-url",
            &proxy.url,
            "--region",
            US,
            "--allow-incomplete",
            "--activity-days",
            "0",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    );
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("? UNKN sg-open-db-port"), "{text}");
    assert!(text.contains("verdict(s) unknown"), "{text}");
}
