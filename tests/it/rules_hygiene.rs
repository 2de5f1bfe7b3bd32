//! Case matrix for configuration hygiene: auto-minor-upgrade-off,
//! iam-auth-off, default-port, default-admin, copy-tags-off,
//! enhanced-monitoring-off, logs-not-exported.

use rdsight::model::{Cluster, Fleet, Instance, ResourceType};
use rdsight::rules::{RuleId, Subject};

use crate::support::fleets::*;

/// Cluster `orders` with two members, after `change` is applied to every
/// member (so a member-level setting that the rule ignores is bad).
fn orders_with_bad_members(c: Cluster, change: impl Fn(&mut Instance)) -> Fleet {
    let mut f = fleet();
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    f.instances.iter_mut().for_each(change);
    f
}

#[track_caller]
fn assert_member_not_applicable(f: &Fleet, rule: RuleId) {
    for i in &f.instances {
        assert_not_applicable(judge(f, rule, Subject::Instance(i)), "cluster orders");
    }
}

// ---- auto-minor-upgrade-off ---------------------------------------------------------------

#[test]
fn auto_minor_upgrade_off_fires_on_instances() {
    let i = Instance {
        auto_minor_version_upgrade: false,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::AutoMinorUpgradeOff, i),
        &["AutoMinorVersionUpgrade=false"],
    );
}

#[test]
fn auto_minor_upgrade_off_fires_on_multi_az_db_clusters() {
    let c = Cluster {
        engine: "postgres".into(),
        auto_minor_version_upgrade: Some(false),
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::AutoMinorUpgradeOff, c),
        &["AutoMinorVersionUpgrade=false"],
    );
}

#[test]
fn auto_minor_upgrade_off_passes_when_on() {
    assert_passes(judge_instance(
        RuleId::AutoMinorUpgradeOff,
        instance("db-1"),
    ));
    let c = Cluster {
        engine: "postgres".into(),
        auto_minor_version_upgrade: Some(true),
        ..cluster("orders")
    };
    assert_passes(judge_cluster(RuleId::AutoMinorUpgradeOff, c));
}

#[test]
fn auto_minor_upgrade_is_judged_on_every_aurora_member() {
    // Each member is judged, and (rules_clusters) the cluster with them.
    let f = orders_with_bad_members(cluster("orders"), |i| {
        i.auto_minor_version_upgrade = false;
    });
    assert_fails(
        judge(
            &f,
            RuleId::AutoMinorUpgradeOff,
            Subject::Instance(&f.instances[0]),
        ),
        &["AutoMinorVersionUpgrade=false"],
    );
}

#[test]
fn auto_minor_upgrade_off_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::AutoMinorUpgradeOff,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- iam-auth-off ------------------------------------------------------------------------

#[test]
fn iam_auth_off_fires_for_engines_that_support_it() {
    for engine in ["postgres", "mysql", "mariadb"] {
        let i = Instance {
            engine: engine.into(),
            iam_auth_enabled: false,
            ..instance("db-1")
        };
        assert_fails(
            judge_instance(RuleId::IamAuthOff, i),
            &["IAMDatabaseAuthenticationEnabled=false"],
        );
    }
    for engine in ["aurora-postgresql", "aurora-mysql"] {
        let c = Cluster {
            engine: engine.into(),
            iam_auth_enabled: false,
            ..cluster("orders")
        };
        assert_fails(
            judge_cluster(RuleId::IamAuthOff, c),
            &["IAMDatabaseAuthenticationEnabled=false"],
        );
    }
}

#[test]
fn iam_auth_off_passes_when_enabled() {
    assert_passes(judge_instance(RuleId::IamAuthOff, instance("db-1")));
    assert_passes(judge_cluster(RuleId::IamAuthOff, cluster("orders")));
}

#[test]
fn iam_auth_off_skips_engines_without_iam_auth() {
    for engine in ["sqlserver-se", "oracle-ee"] {
        let i = Instance {
            engine: engine.into(),
            iam_auth_enabled: false,
            ..instance("db-1")
        };
        assert_not_applicable(
            judge_instance(RuleId::IamAuthOff, i),
            &format!("{engine} does not support IAM"),
        );
    }
}

#[test]
fn iam_auth_members_are_judged_through_the_cluster() {
    let f = orders_with_bad_members(
        Cluster {
            iam_auth_enabled: false,
            ..cluster("orders")
        },
        |i| i.iam_auth_enabled = false,
    );
    assert_member_not_applicable(&f, RuleId::IamAuthOff);
    assert_fails(
        judge(&f, RuleId::IamAuthOff, Subject::Cluster(&f.clusters[0])),
        &["IAMDatabaseAuthenticationEnabled=false"],
    );
}

#[test]
fn iam_auth_off_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::IamAuthOff,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- default-port ------------------------------------------------------------------------

#[test]
fn default_port_fires_on_each_engine_default() {
    for (engine, port) in [
        ("postgres", 5432),
        ("mysql", 3306),
        ("mariadb", 3306),
        ("oracle-ee", 1521),
        ("sqlserver-se", 1433),
        ("db2-se", 50000),
    ] {
        let i = Instance {
            engine: engine.into(),
            port,
            ..instance("db-1")
        };
        assert_fails(
            judge_instance(RuleId::DefaultPort, i),
            &[&format!("listens on {port}"), engine],
        );
    }
    for (engine, port) in [("aurora-postgresql", 5432), ("aurora-mysql", 3306)] {
        let c = Cluster {
            engine: engine.into(),
            port,
            ..cluster("orders")
        };
        assert_fails(
            judge_cluster(RuleId::DefaultPort, c),
            &[&format!("listens on {port}"), engine],
        );
    }
}

#[test]
fn default_port_passes_custom_ports() {
    assert_passes(judge_instance(RuleId::DefaultPort, instance("db-1")));
    assert_passes(judge_cluster(RuleId::DefaultPort, cluster("orders")));
    // Another engine's default is not this engine's default.
    let i = Instance {
        engine: "mysql".into(),
        port: 5432,
        ..instance("db-1")
    };
    assert_passes(judge_instance(RuleId::DefaultPort, i));
}

#[test]
fn default_port_skips_unknown_engines() {
    let i = Instance {
        engine: "neptune".into(),
        port: 8182,
        ..instance("db-1")
    };
    assert_not_applicable(
        judge_instance(RuleId::DefaultPort, i),
        "no known default port for neptune",
    );
}

#[test]
fn default_port_members_are_judged_through_the_cluster() {
    let f = orders_with_bad_members(
        Cluster {
            port: 5432,
            ..cluster("orders")
        },
        |i| i.port = 5432,
    );
    assert_member_not_applicable(&f, RuleId::DefaultPort);
    assert_fails(
        judge(&f, RuleId::DefaultPort, Subject::Cluster(&f.clusters[0])),
        &["listens on 5432"],
    );
}

#[test]
fn default_port_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::DefaultPort,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- default-admin -----------------------------------------------------------------------

#[test]
fn default_admin_fires_on_well_known_names() {
    for user in ["admin", "postgres", "root", "sa", "Administrator", "MASTER"] {
        let i = Instance {
            master_username: Some(user.into()),
            ..instance("db-1")
        };
        assert_fails(
            judge_instance(RuleId::DefaultAdmin, i),
            &[&format!("`{user}`")],
        );
    }
    let c = Cluster {
        master_username: "postgres".into(),
        ..cluster("orders")
    };
    assert_fails(judge_cluster(RuleId::DefaultAdmin, c), &["`postgres`"]);
}

#[test]
fn default_admin_passes_custom_names() {
    assert_passes(judge_instance(RuleId::DefaultAdmin, instance("db-1")));
    assert_passes(judge_cluster(RuleId::DefaultAdmin, cluster("orders")));
    let i = Instance {
        master_username: Some("administrator_app".into()),
        ..instance("db-1")
    };
    assert_passes(judge_instance(RuleId::DefaultAdmin, i));
}

#[test]
fn default_admin_skips_unknown_user_names() {
    let i = Instance {
        master_username: None,
        ..instance("db-1")
    };
    assert_not_applicable(judge_instance(RuleId::DefaultAdmin, i), "unknown");
    let c = Cluster {
        master_username: String::new(),
        ..cluster("orders")
    };
    assert_not_applicable(judge_cluster(RuleId::DefaultAdmin, c), "unknown");
}

#[test]
fn default_admin_members_are_judged_through_the_cluster() {
    let f = orders_with_bad_members(
        Cluster {
            master_username: "admin".into(),
            ..cluster("orders")
        },
        |i| i.master_username = Some("admin".into()),
    );
    assert_member_not_applicable(&f, RuleId::DefaultAdmin);
    assert_fails(
        judge(&f, RuleId::DefaultAdmin, Subject::Cluster(&f.clusters[0])),
        &["`admin`"],
    );
}

#[test]
fn default_admin_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::DefaultAdmin,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- copy-tags-off -----------------------------------------------------------------------

#[test]
fn copy_tags_off_fires_on_instances_and_clusters() {
    let i = Instance {
        copy_tags_to_snapshot: false,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::CopyTagsOff, i),
        &["CopyTagsToSnapshot=false"],
    );
    let c = Cluster {
        copy_tags_to_snapshot: false,
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::CopyTagsOff, c),
        &["CopyTagsToSnapshot=false"],
    );
}

#[test]
fn copy_tags_off_passes_when_on() {
    assert_passes(judge_instance(RuleId::CopyTagsOff, instance("db-1")));
    assert_passes(judge_cluster(RuleId::CopyTagsOff, cluster("orders")));
}

#[test]
fn copy_tags_members_are_judged_through_the_cluster() {
    let f = orders_with_bad_members(
        Cluster {
            copy_tags_to_snapshot: false,
            ..cluster("orders")
        },
        |i| i.copy_tags_to_snapshot = false,
    );
    assert_member_not_applicable(&f, RuleId::CopyTagsOff);
    assert_fails(
        judge(&f, RuleId::CopyTagsOff, Subject::Cluster(&f.clusters[0])),
        &["CopyTagsToSnapshot=false"],
    );
}

#[test]
fn copy_tags_off_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::CopyTagsOff,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- enhanced-monitoring-off ---------------------------------------------------------------

#[test]
fn enhanced_monitoring_off_fires_on_zero_interval() {
    let i = Instance {
        monitoring_interval_secs: 0,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::EnhancedMonitoringOff, i),
        &["MonitoringInterval=0"],
    );
}

#[test]
fn enhanced_monitoring_off_passes_any_interval() {
    for secs in [1, 5, 60] {
        let i = Instance {
            monitoring_interval_secs: secs,
            ..instance("db-1")
        };
        assert_passes(judge_instance(RuleId::EnhancedMonitoringOff, i));
    }
}

#[test]
fn enhanced_monitoring_is_per_instance_on_aurora() {
    let mut f = orders_with_bad_members(cluster("orders"), |_| {});
    f.instances[1].monitoring_interval_secs = 0;
    assert_passes(judge(
        &f,
        RuleId::EnhancedMonitoringOff,
        Subject::Instance(&f.instances[0]),
    ));
    assert_fails(
        judge(
            &f,
            RuleId::EnhancedMonitoringOff,
            Subject::Instance(&f.instances[1]),
        ),
        &["MonitoringInterval=0"],
    );
}

#[test]
fn enhanced_monitoring_off_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::EnhancedMonitoringOff,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- logs-not-exported ---------------------------------------------------------------------

#[test]
fn logs_not_exported_fires_on_empty_exports() {
    let i = Instance {
        cloudwatch_logs_exports: Vec::new(),
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::LogsNotExported, i),
        &["not exported to CloudWatch: postgresql, upgrade"],
    );
    let c = Cluster {
        cloudwatch_logs_exports: Vec::new(),
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::LogsNotExported, c),
        &["not exported to CloudWatch: postgresql"],
    );
}

#[test]
fn logs_not_exported_passes_when_every_required_type_is_exported() {
    // Per engine: rules_clusters covers each engine's types.
    assert_passes(judge_instance(RuleId::LogsNotExported, instance("db-1")));
    assert_passes(judge_cluster(RuleId::LogsNotExported, cluster("orders")));
    let one_of_two = Instance {
        cloudwatch_logs_exports: vec!["postgresql".into()],
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::LogsNotExported, one_of_two),
        &["upgrade"],
    );
}

#[test]
fn logs_members_are_judged_through_the_cluster() {
    let f = orders_with_bad_members(
        Cluster {
            cloudwatch_logs_exports: Vec::new(),
            ..cluster("orders")
        },
        |i| i.cloudwatch_logs_exports.clear(),
    );
    assert_member_not_applicable(&f, RuleId::LogsNotExported);
    assert_fails(
        judge(
            &f,
            RuleId::LogsNotExported,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["not exported to CloudWatch"],
    );
}

#[test]
fn logs_not_exported_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::LogsNotExported,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}
