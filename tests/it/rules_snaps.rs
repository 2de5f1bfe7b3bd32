//! Case matrix for the rules on whether a snapshot can leave, whether it
//! did, and whether anyone hears of trouble: snapshot-shared-unencrypted,
//! snapshot-aws-managed-key, snapshot-exported, no-event-subscription.

use rdsight::config::RuleConfig;
use rdsight::model::{
    EventSubscription, ExportTask, Fleet, LoadError, ResourceList, ResourceType, Snapshot,
};
use rdsight::rules::{self, RuleId, Severity, Subject, Verdict};

use crate::support::fleets::*;

fn shared(mut s: Snapshot, accounts: &[&str]) -> Snapshot {
    s.shared_with = accounts.iter().map(|a| (*a).to_string()).collect();
    s
}

fn unencrypted(s: Snapshot) -> Snapshot {
    Snapshot {
        encrypted: false,
        kms_key_id: None,
        ..s
    }
}

/// A fleet whose snapshot key is the AWS-managed aws/rds key.
fn on_aws_key(s: Snapshot) -> Fleet {
    let mut f = fleet();
    f.kms_keys[0].key_manager = "AWS".into();
    f.snapshots.push(s);
    f
}

fn first_snapshot(f: &Fleet) -> Subject<'_> {
    Subject::Snapshot(&f.snapshots[0])
}

// ---- snapshot-shared-unencrypted ---------------------------------------------

#[test]
fn shared_unencrypted_fires_even_for_a_trusted_account() {
    let mut f = fleet();
    f.snapshots
        .push(shared(unencrypted(db_snapshot("s-1")), &[TRUSTED]));
    let config = RuleConfig {
        trusted_accounts: vec![TRUSTED.into()],
        ..RuleConfig::default()
    };
    let subject = first_snapshot(&f);
    let v = judge_with(&f, &config, RuleId::SnapshotSharedUnencrypted, subject);
    assert_fails(v, &["Encrypted=false", TRUSTED, "without any key grant"]);
    // The untrusted-account rule is satisfied: only this one fires.
    let v = judge_with(&f, &config, RuleId::SnapshotSharedUntrusted, subject);
    assert_passes(v);
    let v = judge_snapshot(
        RuleId::SnapshotSharedUnencrypted,
        shared(unencrypted(cluster_snapshot("cs-1")), &[STRANGER]),
    );
    assert_fails(v, &[STRANGER]);
}

#[test]
fn shared_unencrypted_passes_encrypted_or_unshared_or_only_public() {
    let rule = RuleId::SnapshotSharedUnencrypted;
    assert_passes(judge_snapshot(
        rule,
        shared(db_snapshot("s-1"), &[STRANGER]),
    ));
    assert_passes(judge_snapshot(rule, unencrypted(db_snapshot("s-2"))));
    // `all` is snapshot-public's finding; the owner's own account shares nothing.
    assert_passes(judge_snapshot(
        rule,
        shared(unencrypted(db_snapshot("s-3")), &["all", ACCOUNT]),
    ));
}

#[test]
fn shared_unencrypted_is_unknown_when_sharing_was_not_read() {
    let s = Snapshot {
        sharing_unknown: true,
        ..unencrypted(db_snapshot("s-1"))
    };
    let v = judge_snapshot(RuleId::SnapshotSharedUnencrypted, s);
    assert_unknown(v, "could not be read");
}

#[test]
fn shared_unencrypted_judges_snapshots_only() {
    assert_only_judges(
        RuleId::SnapshotSharedUnencrypted,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
}

// ---- snapshot-aws-managed-key -------------------------------------------------

#[test]
fn aws_managed_key_is_medium_when_shared_and_low_otherwise() {
    let f = on_aws_key(shared(db_snapshot("s-1"), &[TRUSTED]));
    let v = judge(&f, RuleId::SnapshotAwsManagedKey, first_snapshot(&f));
    assert!(matches!(v, Verdict::Fail(_)), "{v:?}");
    assert_fails(v, &["KeyManager=AWS", "k-1", TRUSTED]);
    let f = on_aws_key(cluster_snapshot("cs-1"));
    let v = judge(&f, RuleId::SnapshotAwsManagedKey, first_snapshot(&f));
    assert!(matches!(v, Verdict::FailAt(Severity::Low, _)), "{v:?}");
    assert_fails(v, &["KeyManager=AWS", "cannot be shared"]);
}

#[test]
fn aws_managed_key_findings_carry_their_severity_and_sort_by_it() {
    let mut f = on_aws_key(shared(db_snapshot("s-shared"), &[TRUSTED]));
    f.snapshots.push(db_snapshot("a-private"));
    let findings: Vec<_> = rules::evaluate(&f, &RuleConfig::default())
        .into_iter()
        .filter(|x| x.rule == RuleId::SnapshotAwsManagedKey)
        .map(|x| (x.resource_id, x.severity))
        .collect();
    assert_eq!(
        findings,
        [
            ("s-shared".to_string(), Severity::Medium),
            ("a-private".to_string(), Severity::Low),
        ]
    );
    let summary = rules::Summary::new(&f, &rules::evaluate(&f, &RuleConfig::default()));
    assert_eq!((summary.medium, summary.low), (1, 1));
}

#[test]
fn aws_managed_key_passes_customer_keys_and_skips_unencrypted() {
    let rule = RuleId::SnapshotAwsManagedKey;
    assert_passes(judge_snapshot(rule, shared(db_snapshot("s-1"), &[TRUSTED])));
    assert_not_applicable(
        judge_snapshot(rule, unencrypted(db_snapshot("s-2"))),
        "not encrypted",
    );
    // A key DescribeKey no longer finds was deleted: AWS-managed keys cannot be.
    let mut f = fleet();
    f.kms_keys[0].key_manager = String::new();
    f.kms_keys[0].missing = true;
    f.snapshots.push(db_snapshot("s-3"));
    assert_passes(judge(&f, rule, first_snapshot(&f)));
}

#[test]
fn aws_managed_key_is_unknown_when_the_key_was_not_described() {
    let mut f = fleet();
    f.kms_keys.clear();
    f.load_errors.push(LoadError {
        region: REGION.into(),
        what: ResourceList::KmsKeys,
        message: "AccessDeniedException: kms:DescribeKey".into(),
    });
    f.snapshots.push(db_snapshot("s-1"));
    let v = judge(&f, RuleId::SnapshotAwsManagedKey, first_snapshot(&f));
    assert_unknown(v, "kms:DescribeKey");
    let no_key = Snapshot {
        kms_key_id: None,
        ..db_snapshot("s-2")
    };
    assert_unknown(
        judge_snapshot(RuleId::SnapshotAwsManagedKey, no_key),
        "did not report its KMS key",
    );
}

#[test]
fn aws_managed_key_judges_snapshots_only() {
    assert_only_judges(
        RuleId::SnapshotAwsManagedKey,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
}

// ---- snapshot-exported --------------------------------------------------------

fn export(source_arn: String, status: &str) -> ExportTask {
    ExportTask {
        region: REGION.into(),
        id: "exp-1".into(),
        source_arn,
        status: status.into(),
        s3_bucket: "exports-bucket".into(),
        s3_prefix: "billing/".into(),
        iam_role_arn: Some("arn:aws:iam::111111111111:role/export".into()),
        kms_key_id: Some("arn:aws:kms:us-east-1:111111111111:key/exp".into()),
        task_start_time: Some("2026-11-01T10:00:00Z".into()),
        task_end_time: None,
    }
}

fn judge_exported(s: Snapshot, tasks: Vec<ExportTask>) -> Verdict {
    let mut f = fleet();
    f.export_tasks = tasks;
    f.snapshots.push(s);
    judge(&f, RuleId::SnapshotExported, first_snapshot(&f))
}

#[test]
fn exported_fires_on_a_complete_or_running_export_with_its_destination() {
    for status in ["COMPLETE", "IN_PROGRESS", "STARTING", "complete"] {
        let tasks = vec![export(arn("snapshot", "s-1"), status)];
        let v = judge_exported(db_snapshot("s-1"), tasks);
        assert_fails(
            v,
            &[
                "s3://exports-bucket/billing/",
                "role/export",
                "key/exp",
                "2026-11-01T10:00:00Z",
                status,
            ],
        );
    }
    let tasks = vec![export(arn("cluster-snapshot", "cs-1"), "COMPLETE")];
    assert_fails(judge_exported(cluster_snapshot("cs-1"), tasks), &["exp-1"]);
}

#[test]
fn exported_passes_failed_cancelled_and_other_snapshots_exports() {
    for status in ["FAILED", "CANCELED", "CANCELING"] {
        let tasks = vec![export(arn("snapshot", "s-1"), status)];
        assert_passes(judge_exported(db_snapshot("s-1"), tasks));
    }
    let tasks = vec![export(arn("snapshot", "other"), "COMPLETE")];
    assert_passes(judge_exported(db_snapshot("s-1"), tasks));
}

#[test]
fn exported_matches_a_saved_snapshot_without_arn_by_its_account() {
    let s = Snapshot {
        arn: None,
        ..db_snapshot("s-1")
    };
    let tasks = vec![export(arn("snapshot", "s-1"), "COMPLETE")];
    assert_fails(judge_exported(s, tasks), &["exports-bucket"]);
}

#[test]
fn exported_is_unknown_when_export_tasks_were_not_read() {
    let mut f = fleet();
    f.region_reads[0].export_tasks = false;
    f.load_errors.push(LoadError {
        region: REGION.into(),
        what: ResourceList::ExportTasks,
        message: "AccessDenied: rds:DescribeExportTasks".into(),
    });
    f.snapshots.push(db_snapshot("s-1"));
    let v = judge(&f, RuleId::SnapshotExported, first_snapshot(&f));
    assert_unknown(v, "rds:DescribeExportTasks");
    // A fleet saved before export tasks were read says so too.
    let mut old = fleet();
    old.region_reads.clear();
    old.snapshots.push(db_snapshot("s-1"));
    let v = judge(&old, RuleId::SnapshotExported, first_snapshot(&old));
    assert_unknown(v, "export-tasks not loaded");
}

#[test]
fn exported_judges_snapshots_only() {
    assert_only_judges(
        RuleId::SnapshotExported,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
}

// ---- no-event-subscription ----------------------------------------------------

fn with_subscriptions(subscriptions: Vec<EventSubscription>) -> Fleet {
    let mut f = fleet();
    f.event_subscriptions = subscriptions;
    f.clusters.push(cluster("b-cluster"));
    f.clusters.push(cluster("a-cluster"));
    f.instances.push(instance("a-db"));
    f
}

fn subscription(source: Option<&str>, categories: &[&str]) -> EventSubscription {
    EventSubscription {
        region: REGION.into(),
        id: "pager".into(),
        source_type: source.map(str::to_string),
        event_categories: categories.iter().map(|c| c.to_string()).collect(),
        enabled: true,
        status: "active".into(),
        ..EventSubscription::default()
    }
}

/// The verdicts on every cluster and instance, by id.
fn verdicts(f: &Fleet) -> Vec<(String, Verdict)> {
    rules::subjects(f)
        .filter(|s| !matches!(s, Subject::Snapshot(_)))
        .map(|s| {
            let id = s.region_and_id().1.to_string();
            (id, judge(f, RuleId::NoEventSubscription, s))
        })
        .collect()
}

/// The verdict on `a-cluster`, the region's first by id.
fn on_first_cluster(f: &Fleet) -> Verdict {
    let first = f.cluster(REGION, "a-cluster").expect("a-cluster");
    judge(f, RuleId::NoEventSubscription, Subject::Cluster(first))
}

#[test]
fn no_subscription_fires_once_per_region_on_its_first_cluster() {
    let f = with_subscriptions(Vec::new());
    let verdicts = verdicts(&f);
    let failing: Vec<&str> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Fail(_)))
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(failing, ["a-cluster"]);
    for (id, v) in verdicts {
        if id == "a-cluster" {
            assert_fails(v, &["region us-east-1", "failure and maintenance", "none"]);
        } else {
            assert_not_applicable(v, "judged once per region, on db-cluster a-cluster");
        }
    }
    let findings = rules::evaluate(&f, &RuleConfig::default());
    let ours = findings
        .iter()
        .filter(|x| x.rule == RuleId::NoEventSubscription)
        .count();
    assert_eq!(ours, 1);
}

#[test]
fn no_subscription_fires_when_none_covers_both_categories() {
    let backup = subscription(Some("db-instance"), &["backup", "failure"]);
    let snapshots = subscription(Some("db-snapshot"), &[]);
    let off = EventSubscription {
        enabled: false,
        ..subscription(None, &[])
    };
    let f = with_subscriptions(vec![backup, snapshots, off]);
    let v = on_first_cluster(&f);
    assert_fails(v, &["none of its 3"]);
}

#[test]
fn no_subscription_passes_with_a_covering_subscription() {
    for covering in [
        subscription(None, &[]),
        subscription(Some("db-cluster"), &["maintenance", "failure"]),
        subscription(Some("db-instance"), &[]),
    ] {
        let f = with_subscriptions(vec![covering]);
        let v = on_first_cluster(&f);
        assert_passes(v);
    }
}

#[test]
fn no_subscription_is_judged_on_the_first_instance_without_clusters() {
    let mut f = fleet();
    f.event_subscriptions.clear();
    f.instances.push(instance("z-db"));
    f.instances.push(instance("m-db"));
    let v = judge(
        &f,
        RuleId::NoEventSubscription,
        Subject::Instance(&f.instances[1]),
    );
    assert_fails(v, &["us-east-1"]);
    let v = judge(
        &f,
        RuleId::NoEventSubscription,
        Subject::Instance(&f.instances[0]),
    );
    assert_not_applicable(v, "db-instance m-db");
}

#[test]
fn no_subscription_is_unknown_when_subscriptions_were_not_read() {
    let mut f = with_subscriptions(Vec::new());
    f.region_reads[0].event_subscriptions = false;
    let v = on_first_cluster(&f);
    assert_unknown(v, "event subscriptions of us-east-1 were not read");
}

#[test]
fn no_subscription_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::NoEventSubscription,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}
