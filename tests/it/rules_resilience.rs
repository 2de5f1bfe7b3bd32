//! Case matrix for storage encryption, availability and recoverability:
//! instance-unencrypted, cluster-unencrypted, instance-single-az,
//! cluster-single-az, backups-disabled, backups-short, deletion-protection-off.

use rdsight::config::RuleConfig;
use rdsight::model::{Cluster, Fleet, Instance, ResourceType};
use rdsight::rules::{RuleId, Subject};

use crate::support::fleets::*;

/// A read replica of `db-1` with its own retention set to `days`.
fn replica(days: u32) -> Instance {
    Instance {
        replica_source: Some(arn("db", "db-1")),
        backup_retention_days: days,
        ..instance("db-1-replica")
    }
}

/// An Aurora cluster `orders` with two members in different zones.
fn orders(c: Cluster) -> Fleet {
    let mut f = fleet();
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    f
}

// ---- instance-unencrypted ---------------------------------------------------------

#[test]
fn instance_unencrypted_fires() {
    let i = Instance {
        storage_encrypted: false,
        kms_key_id: None,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::InstanceUnencrypted, i),
        &["StorageEncrypted=false"],
    );
}

#[test]
fn instance_unencrypted_judges_the_flag_not_the_key_id() {
    let i = Instance {
        storage_encrypted: false,
        ..instance("db-1")
    };
    assert!(i.kms_key_id.is_some());
    assert_fails(
        judge_instance(RuleId::InstanceUnencrypted, i),
        &["StorageEncrypted=false"],
    );
    let i = Instance {
        kms_key_id: None,
        ..instance("db-1")
    };
    assert_passes(judge_instance(RuleId::InstanceUnencrypted, i));
}

#[test]
fn instance_unencrypted_passes_encrypted_instances() {
    assert_passes(judge_instance(
        RuleId::InstanceUnencrypted,
        instance("db-1"),
    ));
}

#[test]
fn instance_unencrypted_members_are_judged_through_the_cluster() {
    let mut f = orders(Cluster {
        storage_encrypted: false,
        ..cluster("orders")
    });
    f.instances[0].storage_encrypted = false;
    assert_not_applicable(
        judge(
            &f,
            RuleId::InstanceUnencrypted,
            Subject::Instance(&f.instances[0]),
        ),
        "cluster orders",
    );
    assert_fails(
        judge(
            &f,
            RuleId::ClusterUnencrypted,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["StorageEncrypted=false"],
    );
}

#[test]
fn instance_unencrypted_judges_only_instances() {
    assert_only_judges(RuleId::InstanceUnencrypted, &[ResourceType::DbInstance]);
}

// ---- cluster-unencrypted -------------------------------------------------------------

#[test]
fn cluster_unencrypted_fires_with_member_count() {
    let f = orders(Cluster {
        storage_encrypted: false,
        kms_key_id: None,
        ..cluster("orders")
    });
    assert_fails(
        judge(
            &f,
            RuleId::ClusterUnencrypted,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["StorageEncrypted=false", "2 member(s)"],
    );
}

#[test]
fn cluster_unencrypted_judges_the_flag_not_the_key_id() {
    let c = Cluster {
        storage_encrypted: false,
        ..cluster("orders")
    };
    assert!(c.kms_key_id.is_some());
    assert_fails(
        judge_cluster(RuleId::ClusterUnencrypted, c),
        &["StorageEncrypted=false"],
    );
    let c = Cluster {
        kms_key_id: None,
        ..cluster("orders")
    };
    assert_passes(judge_cluster(RuleId::ClusterUnencrypted, c));
}

#[test]
fn cluster_unencrypted_passes_encrypted_clusters() {
    assert_passes(judge_cluster(RuleId::ClusterUnencrypted, cluster("orders")));
}

#[test]
fn cluster_unencrypted_judges_only_clusters() {
    assert_only_judges(RuleId::ClusterUnencrypted, &[ResourceType::DbCluster]);
}

// ---- instance-single-az --------------------------------------------------------------

#[test]
fn instance_single_az_fires_naming_the_zone() {
    let i = Instance {
        multi_az: false,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::InstanceSingleAz, i),
        &["MultiAZ=false", "us-east-1a"],
    );
}

#[test]
fn instance_single_az_passes_multi_az_instances() {
    assert_passes(judge_instance(RuleId::InstanceSingleAz, instance("db-1")));
}

#[test]
fn instance_single_az_members_are_judged_through_the_cluster() {
    // Members report MultiAZ=false; availability is the cluster's.
    let mut f = fleet();
    add_cluster(
        &mut f,
        Cluster {
            multi_az: false,
            ..cluster("orders")
        },
        &["us-east-1a", "us-east-1a"],
    );
    assert!(!f.instances[0].multi_az);
    for i in &f.instances {
        assert_not_applicable(
            judge(&f, RuleId::InstanceSingleAz, Subject::Instance(i)),
            "cluster orders",
        );
    }
    assert_fails(
        judge(
            &f,
            RuleId::ClusterSingleAz,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["MultiAZ=false", "all in us-east-1a"],
    );
}

#[test]
fn instance_single_az_judges_only_instances() {
    assert_only_judges(RuleId::InstanceSingleAz, &[ResourceType::DbInstance]);
}

// ---- cluster-single-az -------------------------------------------------------------

#[test]
fn cluster_single_az_fires_when_all_members_share_a_zone() {
    let mut f = fleet();
    add_cluster(
        &mut f,
        Cluster {
            multi_az: false,
            ..cluster("orders")
        },
        &["us-east-1c", "us-east-1c", "us-east-1c"],
    );
    assert_fails(
        judge(
            &f,
            RuleId::ClusterSingleAz,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["3 member(s)", "all in us-east-1c"],
    );
}

#[test]
fn cluster_single_az_fires_for_a_single_writer() {
    let mut f = fleet();
    add_cluster(
        &mut f,
        Cluster {
            multi_az: false,
            ..cluster("orders")
        },
        &["us-east-1b"],
    );
    assert_fails(
        judge(
            &f,
            RuleId::ClusterSingleAz,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["1 member(s)", "us-east-1b"],
    );
}

#[test]
fn cluster_single_az_passes_members_spread_over_zones() {
    // Even when the cluster's own flag is false.
    let f = orders(Cluster {
        multi_az: false,
        ..cluster("orders")
    });
    assert_passes(judge(
        &f,
        RuleId::ClusterSingleAz,
        Subject::Cluster(&f.clusters[0]),
    ));
}

#[test]
fn cluster_single_az_passes_multi_az_clusters() {
    let mut f = fleet();
    add_cluster(&mut f, cluster("orders"), &["us-east-1a"]);
    assert_passes(judge(
        &f,
        RuleId::ClusterSingleAz,
        Subject::Cluster(&f.clusters[0]),
    ));
}

#[test]
fn cluster_single_az_judges_only_clusters() {
    assert_only_judges(RuleId::ClusterSingleAz, &[ResourceType::DbCluster]);
}

// ---- backups-disabled --------------------------------------------------------------

#[test]
fn backups_disabled_fires_on_zero_retention() {
    let i = Instance {
        backup_retention_days: 0,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::BackupsDisabled, i),
        &["BackupRetentionPeriod=0"],
    );
    let c = Cluster {
        backup_retention_days: 0,
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::BackupsDisabled, c),
        &["BackupRetentionPeriod=0"],
    );
}

#[test]
fn backups_disabled_passes_any_retention() {
    for days in [1, 6, 7, 35] {
        let i = Instance {
            backup_retention_days: days,
            ..instance("db-1")
        };
        assert_passes(judge_instance(RuleId::BackupsDisabled, i));
        let c = Cluster {
            backup_retention_days: days,
            ..cluster("orders")
        };
        assert_passes(judge_cluster(RuleId::BackupsDisabled, c));
    }
}

#[test]
fn backups_disabled_skips_read_replicas() {
    assert_not_applicable(
        judge_instance(RuleId::BackupsDisabled, replica(0)),
        "read replica",
    );
}

#[test]
fn backups_members_are_judged_through_the_cluster() {
    let mut f = orders(Cluster {
        backup_retention_days: 0,
        ..cluster("orders")
    });
    f.instances[0].backup_retention_days = 0;
    f.instances[1].backup_retention_days = 3;
    for rule in [RuleId::BackupsDisabled, RuleId::BackupsShort] {
        for i in &f.instances {
            assert_not_applicable(judge(&f, rule, Subject::Instance(i)), "cluster orders");
        }
    }
    assert_fails(
        judge(
            &f,
            RuleId::BackupsDisabled,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["BackupRetentionPeriod=0"],
    );

    let mut f = orders(Cluster {
        backup_retention_days: 3,
        ..cluster("orders")
    });
    f.instances[0].backup_retention_days = 3;
    assert_not_applicable(
        judge(&f, RuleId::BackupsShort, Subject::Instance(&f.instances[0])),
        "cluster orders",
    );
    assert_fails(
        judge(&f, RuleId::BackupsShort, Subject::Cluster(&f.clusters[0])),
        &["BackupRetentionPeriod=3"],
    );
}

#[test]
fn backups_disabled_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::BackupsDisabled,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- backups-short -------------------------------------------------------------------

#[test]
fn backups_short_fires_from_one_to_six_days() {
    for days in 1..=6 {
        let i = Instance {
            backup_retention_days: days,
            ..instance("db-1")
        };
        assert_fails(
            judge_instance(RuleId::BackupsShort, i),
            &[&format!("BackupRetentionPeriod={days} "), "7-day minimum"],
        );
        let c = Cluster {
            backup_retention_days: days,
            ..cluster("orders")
        };
        assert_fails(
            judge_cluster(RuleId::BackupsShort, c),
            &[&format!("BackupRetentionPeriod={days} ")],
        );
    }
}

#[test]
fn backups_short_passes_the_minimum_and_above() {
    for days in [7, 8, 14, 35] {
        let i = Instance {
            backup_retention_days: days,
            ..instance("db-1")
        };
        assert_passes(judge_instance(RuleId::BackupsShort, i));
    }
}

#[test]
fn backups_short_leaves_zero_to_backups_disabled() {
    let i = Instance {
        backup_retention_days: 0,
        ..instance("db-1")
    };
    assert_not_applicable(judge_instance(RuleId::BackupsShort, i), "backups-disabled");
    let c = Cluster {
        backup_retention_days: 0,
        ..cluster("orders")
    };
    assert_not_applicable(judge_cluster(RuleId::BackupsShort, c), "backups-disabled");
}

#[test]
fn backups_short_minimum_is_configurable() {
    let mut f = fleet();
    f.instances.push(Instance {
        backup_retention_days: 10,
        ..instance("db-1")
    });
    f.instances.push(Instance {
        backup_retention_days: 14,
        ..instance("db-2")
    });
    let strict = RuleConfig {
        min_backup_retention_days: 14,
        ..RuleConfig::default()
    };
    let ten = Subject::Instance(&f.instances[0]);
    let fourteen = Subject::Instance(&f.instances[1]);
    assert_passes(judge(&f, RuleId::BackupsShort, ten));
    assert_fails(
        judge_with(&f, &strict, RuleId::BackupsShort, ten),
        &["BackupRetentionPeriod=10 ", "14-day minimum"],
    );
    assert_passes(judge_with(&f, &strict, RuleId::BackupsShort, fourteen));
}

#[test]
fn backups_short_skips_read_replicas() {
    assert_not_applicable(
        judge_instance(RuleId::BackupsShort, replica(3)),
        "read replica",
    );
}

#[test]
fn backups_short_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::BackupsShort,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- deletion-protection-off ----------------------------------------------------------

#[test]
fn deletion_protection_off_fires_on_instances_and_clusters() {
    let i = Instance {
        deletion_protection: false,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::DeletionProtectionOff, i),
        &["DeletionProtection=false"],
    );
    let c = Cluster {
        deletion_protection: false,
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::DeletionProtectionOff, c),
        &["DeletionProtection=false"],
    );
}

#[test]
fn deletion_protection_off_passes_protected_resources() {
    assert_passes(judge_instance(
        RuleId::DeletionProtectionOff,
        instance("db-1"),
    ));
    assert_passes(judge_cluster(
        RuleId::DeletionProtectionOff,
        cluster("orders"),
    ));
}

#[test]
fn deletion_protection_members_are_judged_through_the_cluster() {
    let mut f = orders(Cluster {
        deletion_protection: false,
        ..cluster("orders")
    });
    f.instances[0].deletion_protection = false;
    assert_not_applicable(
        judge(
            &f,
            RuleId::DeletionProtectionOff,
            Subject::Instance(&f.instances[0]),
        ),
        "cluster orders",
    );
    assert_fails(
        judge(
            &f,
            RuleId::DeletionProtectionOff,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["DeletionProtection=false"],
    );
}

#[test]
fn deletion_protection_off_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::DeletionProtectionOff,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}
