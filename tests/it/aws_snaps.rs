//! Can a snapshot leave, and did it? Against a real moto server: export
//! tasks, event subscriptions and KMS key managers read and judged; the
//! AWS-managed key (which moto never reports: a proxy answers as AWS
//! would) copied under a customer-managed key and read back; an
//! unencrypted snapshot unshared from every account, trusted ones too.

use std::sync::{Arc, Mutex};

use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::{NoRemediation, PlanOptions};
use rdsight::rules::{self, Finding, RuleId, Severity, plan_for};
use rdsight::source::FleetSource;
use rdsight::source::aws::AwsSource;

use crate::support::fixer::{Fixer, calls, now};
use crate::support::moto::{self, MOTO_ACCOUNT, Moto, scratch_path};
use crate::support::proxy::{Fault, Proxy, sent_parameters};
use crate::support::seed::{EU, US, source};

const TRUSTED: &str = "222233334444";

async fn kms(moto: &Moto) -> aws_sdk_kms::Client {
    aws_sdk_kms::Client::new(&moto.sdk_config(US).await)
}

/// A new customer-managed key's ARN.
async fn customer_key(kms: &aws_sdk_kms::Client) -> String {
    let out = kms
        .create_key()
        .description("rdsight")
        .send()
        .await
        .unwrap();
    out.key_metadata().unwrap().arn().unwrap().to_string()
}

/// A PostgreSQL instance, encrypted with `key` when one is given.
async fn database(rds: &aws_sdk_rds::Client, id: &str, key: Option<&str>) {
    rds.create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("app_owner")
        .master_user_password("not-a-secret-1")
        .storage_encrypted(key.is_some())
        .set_kms_key_id(key.map(str::to_string))
        .send()
        .await
        .unwrap();
}

/// A manual snapshot of `instance`, its ARN.
async fn snapshot(rds: &aws_sdk_rds::Client, instance: &str, id: &str) -> String {
    let out = rds
        .create_db_snapshot()
        .db_instance_identifier(instance)
        .db_snapshot_identifier(id)
        .send()
        .await
        .unwrap();
    out.db_snapshot()
        .unwrap()
        .db_snapshot_arn()
        .unwrap()
        .to_string()
}

async fn source_at(url: &str, regions: &[&str]) -> AwsSource {
    let args = SourceArgs {
        endpoint_url: Some(url.to_string()),
        region: regions.iter().map(|r| r.to_string()).collect(),
        ..SourceArgs::default()
    };
    AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap()
}

fn findings_of(fleet: &Fleet, config: &RuleConfig, rule: RuleId) -> Vec<Finding> {
    rules::evaluate(fleet, config)
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

#[tokio::test]
async fn exports_subscriptions_and_key_managers_are_read_and_judged() {
    let moto = Moto::start();
    let (rds, rds_eu) = (moto.rds(US).await, moto.rds(EU).await);
    let key = customer_key(&kms(&moto).await).await;
    database(&rds, "billing", Some(&key)).await;
    let arn = snapshot(&rds, "billing", "billing-monthly").await;
    rds.start_export_task()
        .export_task_identifier("billing-to-lake")
        .source_arn(&arn)
        .s3_bucket_name("data-lake")
        .s3_prefix("billing/")
        .iam_role_arn(format!("arn:aws:iam::{MOTO_ACCOUNT}:role/rds-export"))
        .kms_key_id(&key)
        .send()
        .await
        .unwrap();
    rds.create_event_subscription()
        .subscription_name("dba-pager")
        .sns_topic_arn(format!("arn:aws:sns:{US}:{MOTO_ACCOUNT}:dba-pager"))
        .source_type("db-instance")
        .event_categories("failure")
        .event_categories("maintenance")
        .enabled(true)
        .send()
        .await
        .unwrap();
    database(&rds_eu, "eu-db", None).await;

    let fleet = source(&moto, &[US, EU]).await.load().await.unwrap();
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    let managers: Vec<(&str, &str)> = fleet
        .kms_keys
        .iter()
        .map(|k| (k.id.as_str(), k.key_manager.as_str()))
        .collect();
    assert_eq!(managers, [(key.as_str(), "CUSTOMER")]);
    let task = &fleet.export_tasks[0];
    assert_eq!(
        (
            task.s3_bucket.as_str(),
            task.s3_prefix.as_str(),
            task.source_arn.as_str()
        ),
        ("data-lake", "billing/", arn.as_str())
    );
    assert!(
        fleet
            .region_reads
            .iter()
            .all(|r| r.export_tasks && r.event_subscriptions)
    );

    let config = RuleConfig::default();
    let exported = findings_of(&fleet, &config, RuleId::SnapshotExported);
    assert_eq!(exported.len(), 1, "{exported:#?}");
    assert_eq!(exported[0].resource_id, "billing-monthly");
    assert!(
        exported[0].reason.contains("s3://data-lake/billing/"),
        "{exported:?}"
    );
    let silent: Vec<(String, String)> = findings_of(&fleet, &config, RuleId::NoEventSubscription)
        .into_iter()
        .map(|f| (f.region, f.resource_id))
        .collect();
    assert_eq!(silent, [(EU.to_string(), "eu-db".to_string())]);
    assert!(findings_of(&fleet, &config, RuleId::SnapshotAwsManagedKey).is_empty());
}

#[tokio::test]
async fn the_aws_managed_key_is_copied_under_a_customer_key() {
    let moto = Moto::start();
    let rds = moto.rds(US).await;
    let kms = kms(&moto).await;
    let (default_key, customer) = (customer_key(&kms).await, customer_key(&kms).await);
    database(&rds, "helpdesk", Some(&default_key)).await;
    snapshot(&rds, "helpdesk", "helpdesk-handoff").await;
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("helpdesk-handoff")
        .attribute_name("restore")
        .values_to_add(TRUSTED)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster()
        .db_cluster_identifier("ledger")
        .engine("aurora-postgresql")
        .master_username("ledger_admin")
        .master_user_password("not-a-secret-2")
        .storage_encrypted(true)
        .kms_key_id(&default_key)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster_snapshot()
        .db_cluster_identifier("ledger")
        .db_cluster_snapshot_identifier("ledger-snap")
        .send()
        .await
        .unwrap();

    // Moto reports every key as the customer's; AWS says `AWS` for aws/rds.
    let as_aws = Proxy::start(
        &moto.url,
        Fault::Replace("\"CUSTOMER\"".into(), "\"AWS\"".into()),
    );
    let asked = Arc::new(Mutex::new(Vec::new()));
    let recorder = Proxy::start(&as_aws.url, Fault::Record(Arc::clone(&asked)));
    let fleet = source_at(&recorder.url, &[US]).await.load().await.unwrap();
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    assert!(fleet.kms_keys.iter().all(|k| k.is_aws_managed()));
    // Four snapshots (two manual, two automated) on one key: asked once.
    let describes: Vec<String> = asked
        .lock()
        .unwrap()
        .iter()
        .filter(|body| body.contains("\"KeyId\""))
        .cloned()
        .collect();
    assert_eq!(describes, [format!("{{\"KeyId\":\"{default_key}\"}}")]);
    let config = RuleConfig::default();
    // Moto's automated snapshots are on the same key: the manual ones here.
    let findings: Vec<Finding> = findings_of(&fleet, &config, RuleId::SnapshotAwsManagedKey)
        .into_iter()
        .filter(|f| !f.resource_id.starts_with("rds:"))
        .collect();
    let found: Vec<(String, Severity)> = findings
        .iter()
        .map(|f| (f.resource_id.clone(), f.severity))
        .collect();
    assert_eq!(
        found,
        [
            ("helpdesk-handoff".to_string(), Severity::Medium),
            ("ledger-snap".to_string(), Severity::Low),
        ]
    );

    // The default --kms-key is the AWS-managed key itself: refused.
    let refused = plan_for(&fleet, &config, &findings[0], PlanOptions::default());
    let Err(NoRemediation::ByHand(why)) = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert!(why.contains("customer-managed"), "{why}");

    let recorded = Arc::new(Mutex::new(Vec::new()));
    let proxy = Proxy::start(&moto.url, Fault::Record(Arc::clone(&recorded)));
    let fixer = Fixer {
        source: Arc::new(source_at(&proxy.url, &[US]).await),
        audit: AuditLog::new(scratch_path("snaps-cmk-audit")),
        config: config.clone(),
    };
    let options = PlanOptions {
        kms_key_id: customer.clone(),
        ..now()
    };
    for (finding, call) in findings
        .iter()
        .zip(["rds:CopyDBSnapshot", "rds:CopyDBClusterSnapshot"])
    {
        let plan = plan_for(&fleet, &config, finding, options.clone()).unwrap();
        assert_eq!(calls(&plan), [call]);
        fixer.run(plan).await;
    }

    let copy = rds
        .describe_db_snapshots()
        .db_snapshot_identifier("helpdesk-handoff-cmk")
        .send()
        .await
        .unwrap();
    let copy = &copy.db_snapshots()[0];
    assert_eq!(copy.kms_key_id(), Some(customer.as_str()));
    assert_eq!(copy.encrypted(), Some(true));
    let copy = rds
        .describe_db_cluster_snapshots()
        .db_cluster_snapshot_identifier("ledger-snap-cmk")
        .send()
        .await
        .unwrap();
    assert_eq!(
        copy.db_cluster_snapshots()[0].kms_key_id(),
        Some(customer.as_str())
    );
    let sent = sent_parameters(&recorded, "CopyDBClusterSnapshot");
    for (name, value) in [
        ("SourceDBClusterSnapshotIdentifier", "ledger-snap"),
        ("TargetDBClusterSnapshotIdentifier", "ledger-snap-cmk"),
        ("KmsKeyId", customer.as_str()),
        ("CopyTags", "true"),
    ] {
        assert!(
            sent.iter().any(|(n, v)| n == name && v == value),
            "{name}={value} not in {sent:?}"
        );
    }
}

#[tokio::test]
async fn an_unencrypted_snapshot_is_unshared_from_every_account() {
    let moto = Moto::start();
    let rds = moto.rds(US).await;
    database(&rds, "crm", None).await;
    snapshot(&rds, "crm", "crm-handoff").await;
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("crm-handoff")
        .attribute_name("restore")
        .values_to_add(TRUSTED)
        .send()
        .await
        .unwrap();
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(scratch_path("snaps-unshare-audit")),
        config: RuleConfig {
            trusted_accounts: vec![TRUSTED.into()],
            ..RuleConfig::default()
        },
    };
    let (plan, after) = fixer
        .fix(RuleId::SnapshotSharedUnencrypted, "crm-handoff", now())
        .await;
    assert_eq!(calls(&plan), ["rds:ModifyDBSnapshotAttribute"]);
    assert!(
        plan.caveats
            .iter()
            .any(|c| c.to_string().contains("trusted ones included")),
        "{:?}",
        plan.caveats
    );
    let attributes = rds
        .describe_db_snapshot_attributes()
        .db_snapshot_identifier("crm-handoff")
        .send()
        .await
        .unwrap();
    let restore: Vec<String> = attributes
        .db_snapshot_attributes_result()
        .unwrap()
        .db_snapshot_attributes()
        .iter()
        .filter(|a| a.attribute_name() == Some("restore"))
        .flat_map(|a| a.attribute_values().to_vec())
        .collect();
    assert!(restore.is_empty(), "{restore:?}");
    assert!(findings_of(&after, &fixer.config, RuleId::SnapshotSharedUnencrypted).is_empty());
}
