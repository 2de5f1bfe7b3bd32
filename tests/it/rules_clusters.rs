//! Aurora and Multi-AZ DB clusters judged where AWS decides each setting:
//! Aurora minor upgrades on the cluster and every member, a Multi-AZ DB
//! cluster's public access, monitoring and upgrades at the cluster, log
//! types per engine.

use rdsight::model::{Cluster, Fleet, Instance, ResourceType};
use rdsight::rules::{RuleId, Subject};

use crate::support::fleets::*;

/// `cluster` with two members (writer first), after `change` on each.
fn with_members(c: Cluster, change: impl Fn(&mut Instance)) -> Fleet {
    let mut f = fleet();
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    for i in &mut f.instances {
        // Multi-AZ DB cluster members run the cluster's engine.
        i.engine = f.clusters[0].engine.clone();
        change(i);
    }
    f
}

// ---- Aurora minor upgrades -------------------------------------------------------------

#[test]
fn an_aurora_member_with_minor_upgrades_off_is_reported_on_it_and_on_its_cluster() {
    let mut f = with_members(cluster("orders"), |_| {});
    f.instances[1].auto_minor_version_upgrade = false;
    assert_passes(judge(
        &f,
        RuleId::AutoMinorUpgradeOff,
        Subject::Instance(&f.instances[0]),
    ));
    assert_fails(
        judge(
            &f,
            RuleId::AutoMinorUpgradeOff,
            Subject::Instance(&f.instances[1]),
        ),
        &["AutoMinorVersionUpgrade=false", "cluster orders"],
    );
    assert_fails(
        judge(
            &f,
            RuleId::AutoMinorUpgradeOff,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["orders-instance-2", "every member"],
    );
}

#[test]
fn an_aurora_cluster_with_the_setting_off_holds_its_members_back() {
    let f = with_members(
        Cluster {
            auto_minor_version_upgrade: Some(false),
            ..cluster("orders")
        },
        |_| {},
    );
    assert_fails(
        judge(
            &f,
            RuleId::AutoMinorUpgradeOff,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["the cluster"],
    );
    let on = with_members(cluster("orders"), |_| {});
    assert_passes(judge(
        &on,
        RuleId::AutoMinorUpgradeOff,
        Subject::Cluster(&on.clusters[0]),
    ));
}

#[test]
fn an_aurora_cluster_whose_members_were_not_loaded_is_unknown_not_passing() {
    let mut f = with_members(cluster("orders"), |_| {});
    f.instances.clear();
    assert_unknown(
        judge(
            &f,
            RuleId::AutoMinorUpgradeOff,
            Subject::Cluster(&f.clusters[0]),
        ),
        "not loaded",
    );
}

#[test]
fn rds_35_is_cited_for_multi_az_db_clusters_only() {
    let info = rdsight::rules::rule_info(RuleId::AutoMinorUpgradeOff);
    let aurora = info.compliance_for(ResourceType::DbCluster, "aurora-postgresql");
    let multi_az = info.compliance_for(ResourceType::DbCluster, "postgres");
    assert!(!aurora.iter().any(|c| c.contains("RDS.35")), "{aurora:?}");
    assert!(
        multi_az.iter().any(|c| c == "SecurityHub RDS.35"),
        "{multi_az:?}"
    );
    let instance = info.compliance_for(ResourceType::DbInstance, "aurora-postgresql");
    assert!(
        instance.iter().any(|c| c == "SecurityHub RDS.13"),
        "{instance:?}"
    );
}

// ---- Multi-AZ DB clusters --------------------------------------------------------------

#[test]
fn a_multi_az_db_clusters_public_setting_is_judged_at_the_cluster() {
    let f = with_members(
        Cluster {
            publicly_accessible: Some(true),
            ..multi_az_cluster("ledger")
        },
        |i| i.publicly_accessible = true,
    );
    assert_fails(
        judge(&f, RuleId::InstancePublic, Subject::Cluster(&f.clusters[0])),
        &["PubliclyAccessible=true", "Multi-AZ DB cluster"],
    );
    for i in &f.instances {
        assert_not_applicable(
            judge(&f, RuleId::InstancePublic, Subject::Instance(i)),
            "judged through the cluster",
        );
    }
    let private = with_members(multi_az_cluster("ledger"), |_| {});
    assert_passes(judge(
        &private,
        RuleId::InstancePublic,
        Subject::Cluster(&private.clusters[0]),
    ));
}

#[test]
fn aurora_public_access_stays_per_instance() {
    let mut f = with_members(cluster("orders"), |_| {});
    f.instances[1].publicly_accessible = true;
    assert_not_applicable(
        judge(&f, RuleId::InstancePublic, Subject::Cluster(&f.clusters[0])),
        "per instance",
    );
    assert_fails(
        judge(
            &f,
            RuleId::InstancePublic,
            Subject::Instance(&f.instances[1]),
        ),
        &["PubliclyAccessible=true"],
    );
}

#[test]
fn a_public_multi_az_db_cluster_gets_advice_not_a_call_aws_would_reject() {
    let f = with_members(
        Cluster {
            publicly_accessible: Some(true),
            ..multi_az_cluster("ledger")
        },
        |_| {},
    );
    let findings = rdsight::rules::evaluate(&f, &Default::default());
    let finding = findings
        .iter()
        .find(|x| x.rule == RuleId::InstancePublic)
        .expect("the cluster is public");
    assert_eq!(finding.resource_type, ResourceType::DbCluster);
    let plan = rdsight::rules::plan_for(&f, &Default::default(), finding, Default::default());
    let advice = plan
        .expect_err("no API makes a Multi-AZ DB cluster private")
        .to_string();
    assert!(
        advice.contains("ModifyDBCluster cannot change PubliclyAccessible"),
        "{advice}"
    );
}

#[test]
fn multi_az_db_cluster_monitoring_and_upgrades_are_the_clusters() {
    let f = with_members(
        Cluster {
            monitoring_interval_secs: Some(0),
            auto_minor_version_upgrade: Some(false),
            ..multi_az_cluster("ledger")
        },
        |i| {
            i.monitoring_interval_secs = 0;
            i.auto_minor_version_upgrade = false;
        },
    );
    for (rule, evidence) in [
        (RuleId::EnhancedMonitoringOff, "MonitoringInterval=0"),
        (RuleId::AutoMinorUpgradeOff, "AutoMinorVersionUpgrade=false"),
    ] {
        assert_fails(
            judge(&f, rule, Subject::Cluster(&f.clusters[0])),
            &[evidence],
        );
        for i in &f.instances {
            assert_not_applicable(judge(&f, rule, Subject::Instance(i)), "through the cluster");
        }
    }
    assert_not_applicable(
        judge_cluster(RuleId::EnhancedMonitoringOff, cluster("orders")),
        "per instance",
    );
}

// ---- log types per engine --------------------------------------------------------------

#[test]
fn log_types_are_judged_per_engine_and_each_missing_one_is_named() {
    let cases: [(&str, &[&str], &[&str]); 5] = [
        ("postgres", &["postgresql"], &["upgrade"]),
        ("mysql", &["error"], &["audit", "general", "slowquery"]),
        ("mariadb", &["audit", "error", "general"], &["slowquery"]),
        ("oracle-ee", &["alert", "audit"], &["trace", "listener"]),
        ("sqlserver-se", &["error"], &["agent"]),
    ];
    for (engine, exported, missing) in cases {
        let i = Instance {
            engine: engine.into(),
            cloudwatch_logs_exports: exported.iter().map(|s| s.to_string()).collect(),
            ..instance("db-1")
        };
        let reason = assert_fails(judge_instance(RuleId::LogsNotExported, i), missing);
        for present in exported {
            assert!(
                !reason.contains(&format!("CloudWatch: {present}")),
                "{engine}: {reason}"
            );
        }
    }
    let aurora_mysql = Cluster {
        engine: "aurora-mysql".into(),
        cloudwatch_logs_exports: vec!["error".into(), "slowquery".into()],
        ..cluster("orders")
    };
    assert_fails(
        judge_cluster(RuleId::LogsNotExported, aurora_mysql),
        &["audit"],
    );
}

#[test]
fn log_controls_are_cited_per_engine() {
    let info = rdsight::rules::rule_info(RuleId::LogsNotExported);
    let cluster_ids = |engine| info.compliance_for(ResourceType::DbCluster, engine);
    assert_eq!(cluster_ids("aurora-mysql"), vec!["SecurityHub RDS.34"]);
    assert_eq!(cluster_ids("aurora-postgresql"), vec!["SecurityHub RDS.37"]);
    let postgres = info.compliance_for(ResourceType::DbInstance, "postgres");
    assert!(
        postgres.iter().any(|c| c == "SecurityHub RDS.36"),
        "{postgres:?}"
    );
    assert!(
        postgres.iter().any(|c| c == "SecurityHub RDS.9"),
        "{postgres:?}"
    );
    let mysql = info.compliance_for(ResourceType::DbInstance, "mysql");
    assert!(!mysql.iter().any(|c| c.contains("RDS.36")), "{mysql:?}");
}

// ---- compliance ids, checked against the controls' scope -------------------------------

#[test]
fn no_control_is_cited_for_what_it_does_not_cover() {
    use rdsight::rules::CATALOGUE;
    let engines = [
        "postgres",
        "mysql",
        "mariadb",
        "oracle-ee",
        "sqlserver-se",
        "aurora-mysql",
        "aurora-postgresql",
    ];
    for info in CATALOGUE {
        for kind in info.targets {
            for engine in engines {
                for id in info.compliance_for(*kind, engine) {
                    // CIS v5.0's RDS section (2.2.x) judges DB instances only;
                    // v3.0's numbers (2.3.x) and 5.2 (admin ports) are gone.
                    if id.starts_with("CIS") {
                        assert!(id.starts_with("CIS v5.0 2.2."), "{}: {id}", info.name());
                        assert_eq!(*kind, ResourceType::DbInstance, "{}: {id}", info.name());
                    }
                    if id == "SecurityHub RDS.23" || id == "SecurityHub RDS.13" {
                        assert_eq!(*kind, ResourceType::DbInstance, "{}: {id}", info.name());
                    }
                    if id == "SecurityHub RDS.35" {
                        assert!(!engine.starts_with("aurora"), "{}: {id}", info.name());
                    }
                }
            }
        }
    }
}
