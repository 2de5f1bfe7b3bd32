//! Remediation against a real moto server, beyond each fix working
//! (`aws_moto`): a plan whose step fails stops there and the audit log
//! says what ran, what failed and what was never sent; the KMS key is
//! checked before anything runs; and `rdsight plan`'s script, run with the
//! real `aws` CLI, fixes what it says.

use rdsight::config::RuleConfig;
use rdsight::model::{ResourceType, SnapshotKind};
use rdsight::remediation::PlanOptions;
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::{Progress, run_plan};
use rdsight::rules::plan_for;
use rdsight::rules::{self, RuleId};
use rdsight::source::{FleetSource, SourceError};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use crate::support::fixer::{FAST, Fixer, audit_lines, calls, now};
use crate::support::moto::{MOTO_ACCOUNT, Moto, aws_cli, isolated, rdsight, scratch_path};
use crate::support::seed::{
    PG_PORT, US, WORLD_IPV4, seed, seed_remediation_extras, source, tcp_rule, world_open_on_pg,
};

/// A well-formed KMS key id that exists nowhere.
const MISSING_KEY: &str = "0badc0de-0000-4000-8000-000000000000";

/// The env that points the binary at moto with dummy credentials.
fn moto_env(moto: &Moto) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_ENDPOINT_URL", moto.url.clone()),
    ]
}

async fn snapshot_exists(rds: &aws_sdk_rds::Client, id: &str) -> bool {
    match rds
        .describe_db_snapshots()
        .db_snapshot_identifier(id)
        .send()
        .await
    {
        Ok(out) => !out.db_snapshots().is_empty(),
        Err(_) => false,
    }
}

async fn instance_exists(rds: &aws_sdk_rds::Client, id: &str) -> bool {
    rds.describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .is_ok_and(|out| !out.db_instances().is_empty())
}

#[tokio::test]
async fn a_failing_step_stops_its_plan_and_the_log_says_what_ran_failed_and_remains() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let source: Arc<dyn FleetSource> = Arc::new(source(&moto, &[US]).await);
    let fleet = source.load().await.unwrap();
    let config = RuleConfig::default();
    let finding = rules::evaluate(&fleet, &config)
        .into_iter()
        .find(|f| f.rule == RuleId::InstanceUnencrypted && f.resource_id == "orders-db")
        .unwrap();
    // No such key in moto; the up-front check (commands) is not called here,
    // so the second step, CopyDBSnapshot, is the one that fails. (A key id:
    // moto 5.2.5 answers an unknown alias in CopyDBSnapshot with HTTP 500.)
    let options = PlanOptions {
        kms_key_id: MISSING_KEY.into(),
        ..now()
    };
    let plan = plan_for(&fleet, &config, &finding, options).unwrap();
    assert_eq!(plan.steps.len(), 3);
    let audit_path = scratch_path("failing-audit.jsonl");
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    run_plan(
        Arc::clone(&source),
        AuditLog::new(&audit_path),
        plan.clone(),
        FAST,
        move |p| sink.lock().unwrap().push(p),
    )
    .await;
    let events = events.lock().unwrap().clone();

    // What the UI hears: step 1 done, step 2 failed with the AWS code,
    // step 3 never started, the plan not ok.
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Progress::StepDone { step: 0, .. }))
    );
    let error = events
        .iter()
        .find_map(|e| match e {
            Progress::StepFailed { step: 1, error } => Some(error.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("step 2 did not fail: {events:#?}"));
    assert!(
        error.starts_with("rds:CopyDBSnapshot failed: KMSKeyNotAccessibleFault"),
        "{error}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Progress::StepStarted { step: 2 }))
    );
    assert_eq!(events.last(), Some(&Progress::Finished { ok: false }));

    // What moto holds: the first step's snapshot, nothing after it.
    let rds = moto.rds(US).await;
    assert!(snapshot_exists(&rds, "orders-db-pre-encryption").await);
    assert!(!snapshot_exists(&rds, "orders-db-pre-encryption-encrypted").await);
    assert!(!instance_exists(&rds, "orders-db-encrypted").await);

    // What the audit log holds.
    let lines = audit_lines(&audit_path);
    let _ = std::fs::remove_file(&audit_path);
    let summary: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["phase"].as_str().unwrap().to_string(),
                l["api"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("started", "rds:CreateDBSnapshot"),
        ("succeeded", "rds:CreateDBSnapshot"),
        ("started", "rds:CopyDBSnapshot"),
        ("failed", "rds:CopyDBSnapshot"),
        ("plan-stopped", ""),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(summary, expected);
    assert!(lines.iter().all(|l| l["account"] == MOTO_ACCOUNT));
    assert!(
        lines[1]["request_id"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    let failed = &lines[3];
    assert_eq!(failed["error_code"], "KMSKeyNotAccessibleFault");
    assert!(failed["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(failed["parameters"]["KmsKeyId"], MISSING_KEY);
    let stopped = &lines[4];
    assert!(
        stopped["reason"]
            .as_str()
            .unwrap()
            .starts_with("step 2 of 3 failed: rds:CopyDBSnapshot failed: KMSKeyNotAccessibleFault")
    );
    assert_eq!(
        stopped["not_sent"],
        serde_json::json!([plan.steps[2].step.cli()])
    );
}

#[tokio::test]
async fn the_kms_key_is_checked_before_anything_runs() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let source = source(&moto, &[US]).await;
    // AWS creates its managed RDS key on first use: always accepted.
    source.check_kms_key("alias/aws/rds").await.unwrap();

    let missing = source.check_kms_key("alias/no-such-key").await.unwrap_err();
    assert_eq!(
        missing,
        SourceError::Unavailable(
            "KMS key alias/no-such-key not found in us-east-1 — pass --kms-key with a key id, ARN or alias that exists there, or leave it out to use alias/aws/rds".into()
        )
    );

    let kms = aws_sdk_kms::Client::new(&moto.sdk_config(US).await);
    let key = kms.create_key().send().await.unwrap();
    let key = key.key_metadata().unwrap();
    let (key_id, key_arn) = (key.key_id().to_string(), key.arn().unwrap().to_string());
    kms.create_alias()
        .alias_name("alias/rdsight-test")
        .target_key_id(&key_id)
        .send()
        .await
        .unwrap();
    for name in [&key_id, &key_arn, &"alias/rdsight-test".to_string()] {
        source.check_kms_key(name).await.unwrap();
    }
    kms.disable_key().key_id(&key_id).send().await.unwrap();
    let disabled = source.check_kms_key(&key_id).await.unwrap_err().to_string();
    assert!(disabled.contains("is Disabled"), "{disabled}");

    // The binary says so in one line and sends nothing.
    let env = moto_env(&moto);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = rdsight(
        &["plan", "--region", US, "--kms-key", "alias/no-such-key"],
        &env,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "rdsight: KMS key alias/no-such-key not found in us-east-1 — pass --kms-key with a key id, ARN or alias that exists there, or leave it out to use alias/aws/rds"
    );
}

/// Findings the script fixes in place: after it runs, they are gone.
/// (Encryption builds a new resource; the original keeps its finding.)
const FIXED_IN_PLACE: &[RuleId] = &[
    RuleId::SnapshotPublic,
    RuleId::SnapshotSharedUntrusted,
    RuleId::InstancePublic,
    RuleId::InstanceSingleAz,
    RuleId::BackupsDisabled,
    RuleId::BackupsShort,
    RuleId::DeletionProtectionOff,
    RuleId::AutoMinorUpgradeOff,
    RuleId::IamAuthOff,
    RuleId::CopyTagsOff,
    RuleId::SgOpenDbPort,
];

#[tokio::test]
async fn the_plan_script_runs_with_the_aws_cli_and_fixes_what_it_says() {
    let moto = Moto::start();
    seed(&moto, US).await;
    seed_remediation_extras(&moto).await;
    let source = source(&moto, &[US]).await;
    let config = RuleConfig::default();
    let key = |f: &rules::Finding| (f.rule, f.resource_id.clone());
    let findings = rules::evaluate(&source.load().await.unwrap(), &config);
    let before: BTreeSet<(RuleId, String)> = findings.iter().map(key).collect();
    // moto 5.2.5 stores ModifyDBCluster's EnableIAMDatabaseAuthentication
    // but reports the cluster's creation value: that one is checked by the
    // command in the script instead of by a re-scan.
    let moto_ignores = |f: &&rules::Finding| {
        f.rule == RuleId::IamAuthOff && f.resource_type == ResourceType::DbCluster
    };
    let in_place: BTreeSet<(RuleId, String)> = findings
        .iter()
        .filter(|f| FIXED_IN_PLACE.contains(&f.rule))
        .filter(|f| !moto_ignores(f))
        .map(key)
        .collect();
    for rule in [
        RuleId::SnapshotPublic,
        RuleId::SgOpenDbPort,
        RuleId::InstancePublic,
    ] {
        assert!(
            in_place.iter().any(|(r, _)| *r == rule),
            "{rule} not seeded"
        );
    }

    let env = moto_env(&moto);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = rdsight(&["plan", "--region", US, "--activity-days", "0"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("\nset -euo pipefail\n"));
    for line in script.lines().filter(|l| l.starts_with("aws ")) {
        assert!(line.contains(&format!("--region {US}")), "{line}");
    }
    assert!(script.contains("aws rds wait db-snapshot-available"));
    assert!(script.contains("aws rds wait db-instance-available"));
    for f in findings.iter().filter(moto_ignores) {
        let command = format!(
            "aws rds modify-db-cluster --region {US} --db-cluster-identifier {} --enable-iam-database-authentication --apply-immediately",
            f.resource_id
        );
        assert!(script.lines().any(|l| l == command), "{command}");
    }
    // Printing the plan changed nothing.
    assert_eq!(
        rules::evaluate(&source.load().await.unwrap(), &config)
            .iter()
            .map(key)
            .collect::<BTreeSet<_>>(),
        before
    );

    let dir = scratch_path("plan-script");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.sh");
    std::fs::write(&path, &script).unwrap();
    let run = isolated(std::path::Path::new("bash"), &dir)
        .arg(&path)
        .env("AWS_CLI", aws_cli())
        .env("ENDPOINT", &moto.url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "the script failed: {stderr}\n{script}"
    );
    assert!(String::from_utf8_lossy(&run.stdout).ends_with("rdsight plan: done\n"));

    // A re-scan: what the script fixed in place is gone; encryption built
    // encrypted copies beside the originals.
    let fleet = source.load().await.unwrap();
    let after: BTreeSet<(RuleId, String)> =
        rules::evaluate(&fleet, &config).iter().map(key).collect();
    let still: Vec<_> = in_place.intersection(&after).collect();
    assert!(still.is_empty(), "still open after the script: {still:?}");
    let restored = fleet.instance(US, "orders-db-encrypted").unwrap();
    assert!(restored.storage_encrypted, "{restored:?}");
    let copy = fleet
        .snapshot(US, SnapshotKind::Db, "orders-archive-encrypted")
        .unwrap();
    assert!(copy.encrypted, "{copy:?}");
}

#[tokio::test]
async fn the_revoke_takes_out_the_world_rule_on_the_db_port_and_nothing_else() {
    let moto = Moto::start();
    let ec2 = moto.ec2(US).await;
    let group = ec2
        .create_security_group()
        .group_name("db-mixed")
        .description("world on 5432 and 22, office on 5432")
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    let rule = tcp_rule;
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(rule(PG_PORT, WORLD_IPV4))
        .ip_permissions(rule(PG_PORT, "10.0.0.0/8"))
        .ip_permissions(rule(22, WORLD_IPV4))
        .send()
        .await
        .unwrap();
    moto.rds(US)
        .await
        .create_db_instance()
        .db_instance_identifier("mixed-db")
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("mixed_admin")
        .master_user_password("not-a-secret-5")
        .vpc_security_group_ids(&group)
        .send()
        .await
        .unwrap();
    let audit_path = scratch_path("revoke-audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig::default(),
    };
    let (plan, _) = fixer.fix(RuleId::SgOpenDbPort, "mixed-db", now()).await;
    assert_eq!(calls(&plan), vec!["ec2:RevokeSecurityGroupIngress"]);

    let described = ec2
        .describe_security_groups()
        .group_ids(&group)
        .send()
        .await
        .unwrap();
    let mut left: Vec<(i32, String)> = described.security_groups()[0]
        .ip_permissions()
        .iter()
        .flat_map(|p| {
            let port = p.from_port().unwrap_or(-1);
            p.ip_ranges()
                .iter()
                .map(move |r| (port, r.cidr_ip().unwrap_or("").to_string()))
        })
        .collect();
    left.sort();
    assert_eq!(
        left,
        vec![
            (22, WORLD_IPV4.to_string()),
            (PG_PORT, "10.0.0.0/8".to_string())
        ]
    );
    let lines = audit_lines(&audit_path);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[0]["parameters"]["IpPermissions"],
        r#"[{"FromPort":5432,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"0.0.0.0/0"}],"ToPort":5432}]"#
    );

    // `rdsight undo REQUEST_ID` authorizes exactly that rule again, after
    // `yes` — not with --read-only, not without the yes.
    let request_id = lines[1]["request_id"].as_str().unwrap().to_string();
    let undo = |extra: &[&str], answer: &str| {
        let home = scratch_path("undo-home");
        std::fs::create_dir_all(&home).unwrap();
        let mut command = isolated(std::path::Path::new(env!("CARGO_BIN_EXE_rdsight")), &home);
        command
            .args(["undo", &request_id, "--region", US])
            .args(extra)
            .env("RDSIGHT_AUDIT_LOG", &audit_path)
            .envs(moto_env(&moto))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let _ = std::fs::remove_dir_all(&home);
        out
    };
    let world_back = || world_open_on_pg(&ec2, &group);
    let refused = undo(&["--read-only"], "yes\n");
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr).trim_end(),
        "rdsight: remediation is disabled: started with --read-only"
    );
    let declined = undo(&[], "no\n");
    assert_eq!(declined.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&declined.stdout)
            .contains("aws ec2 authorize-security-group-ingress")
    );
    assert!(!world_back().await);
    assert_eq!(
        audit_lines(&audit_path).len(),
        2,
        "nothing sent, nothing logged"
    );

    let done = undo(&[], "yes\n");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(world_back().await);
    let lines = audit_lines(&audit_path);
    let _ = std::fs::remove_file(&audit_path);
    let phases: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["phase"].as_str().unwrap(), l["api"].as_str().unwrap()))
        .collect();
    assert_eq!(
        phases[2..],
        [
            ("started", "ec2:AuthorizeSecurityGroupIngress"),
            ("succeeded", "ec2:AuthorizeSecurityGroupIngress"),
        ]
    );
    assert_eq!(lines[2]["account"], MOTO_ACCOUNT);
}

#[tokio::test]
async fn backups_go_to_the_configured_minimum() {
    let moto = Moto::start();
    seed(&moto, US).await;
    let audit_path = scratch_path("backups-audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig {
            min_backup_retention_days: 14,
            ..RuleConfig::default()
        },
    };
    fixer.fix(RuleId::BackupsDisabled, "orders-db", now()).await;
    fixer.fix(RuleId::BackupsShort, "ledger", now()).await;
    let _ = std::fs::remove_file(&audit_path);

    let rds = moto.rds(US).await;
    let instance = rds
        .describe_db_instances()
        .db_instance_identifier("orders-db")
        .send()
        .await
        .unwrap();
    assert_eq!(
        instance.db_instances()[0].backup_retention_period(),
        Some(14)
    );
    let cluster = rds
        .describe_db_clusters()
        .db_cluster_identifier("ledger")
        .send()
        .await
        .unwrap();
    assert_eq!(cluster.db_clusters()[0].backup_retention_period(), Some(14));
}
