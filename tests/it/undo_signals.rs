//! `rdsight undo` told to stop (SIGTERM) while its call is in flight:
//! the call returns and is audited before rdsight leaves, with the exit
//! status a shell expects after SIGTERM.

use rdsight::model::SnapshotKind;
use rdsight::remediation::Step;
use rdsight::remediation::audit::{AuditLog, Ending, Origin};
use rdsight::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
use rdsight::source::StepOutcome;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::fixer::audit_lines;
use crate::support::moto::{MOTO_ACCOUNT, Moto, isolated, scratch_path};
use crate::support::proxy::{Fault, Proxy};
use crate::support::seed::{US, seed};

const SLOW_CALL: Duration = Duration::from_secs(4);

#[tokio::test]
async fn sigterm_during_undo_waits_for_the_call_and_audits_it() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let proxy = Proxy::start(
        &moto.url,
        Fault::Delay("ModifyDBSnapshotAttribute".into(), SLOW_CALL),
    );
    // A recorded share removal, as a plan would have left it.
    let audit_path = scratch_path("undo-signal-audit.jsonl");
    let _ = std::fs::remove_file(&audit_path);
    let shared = Step::from(ModifySnapshotAttribute {
        kind: SnapshotKind::Db,
        region: US.into(),
        snapshot_id: "orders-shared".into(),
        values_to_add: Vec::new(),
        values_to_remove: vec!["210987654321".into()],
    });
    let origin = Origin {
        source: "test".into(),
        account: Some(MOTO_ACCOUNT.into()),
    };
    let outcome = StepOutcome::new(Vec::new(), Some("req-undo-me"));
    AuditLog::new(&audit_path)
        .after(&origin, &shared, Ending::Succeeded(&outcome))
        .unwrap();

    let home = scratch_path("undo-signal-home");
    std::fs::create_dir_all(&home).unwrap();
    let mut child = isolated(std::path::Path::new(env!("CARGO_BIN_EXE_rdsight")), &home)
        .args(["undo", "req-undo-me", "--region", US])
        .env("RDSIGHT_AUDIT_LOG", &audit_path)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"yes\n").unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while audit_lines(&audit_path).len() < 2 {
        assert!(Instant::now() < deadline, "the undo never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&home);
    let stderr = String::from_utf8_lossy(&out.stderr);

    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(
        stderr.contains("waiting for the call in flight"),
        "{stderr}"
    );
    let lines = audit_lines(&audit_path);
    let phases: Vec<&str> = lines.iter().map(|l| l["phase"].as_str().unwrap()).collect();
    // The call returned and was audited; waiting for it to settle was
    // cut short, which the plan-stopped line says (nothing was left unsent).
    assert_eq!(
        phases,
        ["succeeded", "started", "succeeded", "plan-stopped"],
        "{lines:#?}"
    );
    assert_eq!(lines[3]["not_sent"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[2]["api"], "rds:ModifyDBSnapshotAttribute");
    assert_eq!(lines[2]["step"]["values_to_add"][0], "210987654321");
}
