//! A call AWS carried out whose answer never arrived: rdsight must not
//! send it again blindly (the SDK used to resend CreateDBSnapshot five
//! times), and the audit log must say what happened — `outcome-unknown`,
//! then what a re-read showed.

use rdsight::cli::SourceArgs;
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::{Progress, run_plan};
use rdsight::remediation::fixes::instance_encryption::CreateDBSnapshot;
use rdsight::remediation::{Plan, PlannedStep};
use rdsight::source::FleetSource;
use rdsight::source::aws::AwsSource;
use std::sync::{Arc, Mutex};

use crate::support::fixer::{FAST, audit_lines};
use crate::support::moto::{self, Moto, scratch_path};
use crate::support::proxy::{Fault, Proxy};
use crate::support::seed::{US, seed};

const SNAPSHOT: &str = "orders-db-lost-answer";

async fn snapshot_ids(moto: &Moto) -> Vec<String> {
    moto.rds(US)
        .await
        .describe_db_snapshots()
        .db_instance_identifier("orders-db")
        .send()
        .await
        .unwrap()
        .db_snapshots()
        .iter()
        .filter_map(|s| s.db_snapshot_identifier().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_verified_not_resent() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let before = snapshot_ids(&moto).await;
    let proxy = Proxy::start(&moto.url, Fault::LoseAnswerTo("CreateDBSnapshot".into()));
    let args = SourceArgs {
        endpoint_url: Some(proxy.url.clone()),
        region: vec![US.into()],
        ..SourceArgs::default()
    };
    let source: Arc<dyn FleetSource> = Arc::new(
        AwsSource::connect_with(&args, moto::with_test_credentials)
            .await
            .unwrap(),
    );
    let step = CreateDBSnapshot {
        region: US.into(),
        instance_id: "orders-db".into(),
        snapshot_id: SNAPSHOT.into(),
    };
    let plan = Plan {
        findings: Vec::new(),
        steps: vec![PlannedStep::new(step, "snapshot before encrypting")],
        caveats: Vec::new(),
        choices: Vec::new(),
    };
    let audit_path = scratch_path("lost-answer-audit.jsonl");
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    run_plan(source, AuditLog::new(&audit_path), plan, FAST, move |p| {
        sink.lock().unwrap().push(p)
    })
    .await;
    let events = events.lock().unwrap().clone();

    // Exactly one new snapshot: the call was not sent a second time.
    let after = snapshot_ids(&moto).await;
    let new: Vec<&String> = after.iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(new, [SNAPSHOT], "{after:?}");
    // The step counts as done, because the re-read found what it made.
    assert_eq!(
        events.last(),
        Some(&Progress::Finished { ok: true }),
        "{events:#?}"
    );

    let lines = audit_lines(&audit_path);
    let phases: Vec<&str> = lines.iter().map(|l| l["phase"].as_str().unwrap()).collect();
    assert_eq!(
        phases,
        ["started", "outcome-unknown", "read-back", "succeeded"],
        "{lines:#?}"
    );
    assert!(lines.iter().all(|l| l["api"] == "rds:CreateDBSnapshot"));
    let error = lines[1]["error"].as_str().unwrap();
    assert!(
        error.contains("may or may not have been carried out"),
        "{error}"
    );
    let seen = lines[2]["outcome"].as_str().unwrap();
    assert!(
        seen.contains(SNAPSHOT) && seen.contains("took effect"),
        "{seen}"
    );
    assert!(
        lines[3]["outcome"]
            .as_str()
            .unwrap()
            .starts_with("verified by read-back"),
        "{lines:#?}"
    );
}
