//! Case matrix for the snapshot rules: snapshot-public,
//! snapshot-shared-untrusted, snapshot-unencrypted.

use rdsight::config::RuleConfig;
use rdsight::model::ResourceType;
use rdsight::rules::{RuleId, Subject};

use crate::support::fleets::*;

fn shared(mut s: rdsight::model::Snapshot, accounts: &[&str]) -> rdsight::model::Snapshot {
    s.shared_with = accounts.iter().map(|a| (*a).to_string()).collect();
    s
}

// ---- snapshot-public -------------------------------------------------------

#[test]
fn snapshot_public_fires_on_db_snapshot_restorable_by_all() {
    let v = judge_snapshot(RuleId::SnapshotPublic, shared(db_snapshot("s-1"), &["all"]));
    assert_fails(v, &["restore attribute contains `all`"]);
}

#[test]
fn snapshot_public_fires_on_cluster_snapshot_restorable_by_all() {
    let v = judge_snapshot(
        RuleId::SnapshotPublic,
        shared(cluster_snapshot("cs-1"), &[STRANGER, "all"]),
    );
    assert_fails(v, &["`all`"]);
}

#[test]
fn snapshot_public_passes_private_and_account_shared_snapshots() {
    assert_passes(judge_snapshot(RuleId::SnapshotPublic, db_snapshot("s-1")));
    assert_passes(judge_snapshot(
        RuleId::SnapshotPublic,
        shared(cluster_snapshot("cs-1"), &[STRANGER]),
    ));
}

#[test]
fn snapshot_public_does_not_judge_instances_or_clusters() {
    assert_only_judges(
        RuleId::SnapshotPublic,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
}

// ---- snapshot-shared-untrusted -----------------------------------------------

#[test]
fn shared_untrusted_fires_for_a_foreign_account_and_names_it() {
    let v = judge_snapshot(
        RuleId::SnapshotSharedUntrusted,
        shared(db_snapshot("s-1"), &[STRANGER]),
    );
    assert_fails(v, &["untrusted", STRANGER]);
    let v = judge_snapshot(
        RuleId::SnapshotSharedUntrusted,
        shared(cluster_snapshot("cs-1"), &[STRANGER]),
    );
    assert_fails(v, &[STRANGER]);
}

#[test]
fn shared_untrusted_ignores_the_own_account() {
    let v = judge_snapshot(
        RuleId::SnapshotSharedUntrusted,
        shared(db_snapshot("s-1"), &[ACCOUNT]),
    );
    assert_passes(v);
}

#[test]
fn shared_untrusted_ignores_trusted_accounts_from_config() {
    let mut f = fleet();
    f.snapshots.push(shared(db_snapshot("s-1"), &[TRUSTED]));
    let subject = Subject::Snapshot(&f.snapshots[0]);

    // Not trusted by default...
    assert_fails(
        judge(&f, RuleId::SnapshotSharedUntrusted, subject),
        &[TRUSTED],
    );
    // ...trusted once configured.
    let config = RuleConfig {
        trusted_accounts: vec![TRUSTED.into()],
        ..RuleConfig::default()
    };
    assert_passes(judge_with(
        &f,
        &config,
        RuleId::SnapshotSharedUntrusted,
        subject,
    ));
}

#[test]
fn shared_untrusted_names_only_the_untrusted_accounts() {
    let mut f = fleet();
    f.snapshots.push(shared(
        db_snapshot("s-1"),
        &[ACCOUNT, TRUSTED, STRANGER, "all"],
    ));
    let config = RuleConfig {
        trusted_accounts: vec![TRUSTED.into()],
        ..RuleConfig::default()
    };
    let reason = assert_fails(
        judge_with(
            &f,
            &config,
            RuleId::SnapshotSharedUntrusted,
            Subject::Snapshot(&f.snapshots[0]),
        ),
        &[STRANGER],
    );
    assert!(!reason.contains(TRUSTED), "{reason}");
    assert!(!reason.contains(ACCOUNT), "{reason}");
    assert!(!reason.contains("all"), "{reason}");
}

#[test]
fn shared_untrusted_leaves_public_to_snapshot_public() {
    // `all` alone is snapshot-public's finding, not this one.
    let s = shared(db_snapshot("s-1"), &["all"]);
    assert_passes(judge_snapshot(RuleId::SnapshotSharedUntrusted, s.clone()));
    assert_fails(judge_snapshot(RuleId::SnapshotPublic, s), &["all"]);
}

#[test]
fn shared_untrusted_passes_unshared_snapshots() {
    assert_passes(judge_snapshot(
        RuleId::SnapshotSharedUntrusted,
        db_snapshot("s-1"),
    ));
}

#[test]
fn shared_untrusted_does_not_judge_instances_or_clusters() {
    assert_only_judges(
        RuleId::SnapshotSharedUntrusted,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
}

// ---- snapshot-unencrypted ------------------------------------------------------

#[test]
fn snapshot_unencrypted_fires_on_both_kinds_naming_the_source() {
    for s in [db_snapshot("s-1"), cluster_snapshot("cs-1")] {
        let source = s.source_id.clone();
        let s = rdsight::model::Snapshot {
            encrypted: false,
            kms_key_id: None,
            ..s
        };
        assert_fails(
            judge_snapshot(RuleId::SnapshotUnencrypted, s),
            &["Encrypted=false", &source],
        );
    }
}

#[test]
fn snapshot_unencrypted_judges_the_flag_not_the_key_id() {
    // A key id without the encrypted flag is still unencrypted.
    let s = rdsight::model::Snapshot {
        encrypted: false,
        ..db_snapshot("s-1")
    };
    assert!(s.kms_key_id.is_some());
    assert_fails(
        judge_snapshot(RuleId::SnapshotUnencrypted, s),
        &["Encrypted=false"],
    );
    // Encrypted with no key id reported still passes.
    let s = rdsight::model::Snapshot {
        kms_key_id: None,
        ..cluster_snapshot("cs-1")
    };
    assert_passes(judge_snapshot(RuleId::SnapshotUnencrypted, s));
}

#[test]
fn snapshot_unencrypted_passes_encrypted_snapshots() {
    assert_passes(judge_snapshot(
        RuleId::SnapshotUnencrypted,
        db_snapshot("s-1"),
    ));
    assert_passes(judge_snapshot(
        RuleId::SnapshotUnencrypted,
        cluster_snapshot("cs-1"),
    ));
}

#[test]
fn snapshot_unencrypted_does_not_judge_instances_or_clusters() {
    assert_only_judges(
        RuleId::SnapshotUnencrypted,
        &[ResourceType::DbSnapshot, ResourceType::DbClusterSnapshot],
    );
    // Even an unencrypted instance is not this rule's business.
    let i = rdsight::model::Instance {
        storage_encrypted: false,
        ..instance("db-1")
    };
    assert_not_applicable(
        judge_instance(RuleId::SnapshotUnencrypted, i),
        "does not judge db-instance",
    );
}
