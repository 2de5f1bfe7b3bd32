//! Case matrix for TLS and credentials: tls-not-enforced,
//! ca-certificate-expiring, default-security-group, password-not-managed.

use rdsight::model::{
    Certificate, Cluster, Fleet, Instance, ParameterGroupKind, ResourceType, SecurityGroup,
};
use rdsight::rules::{RuleId, Subject};

use crate::support::fleets::*;

const DEFAULT_SG: &str = "sg-default";

fn with_group(
    mut f: Fleet,
    kind: ParameterGroupKind,
    name: &str,
    values: &[(&str, &str)],
) -> Fleet {
    f.parameter_groups.push(parameter_group(kind, name, values));
    f
}

fn judge_instance_in(f: Fleet, i: Instance, rule: RuleId) -> rdsight::rules::Verdict {
    let mut f = f;
    f.instances.push(i);
    judge(&f, rule, Subject::Instance(&f.instances[0]))
}

fn judge_cluster_in(f: Fleet, c: Cluster, rule: RuleId) -> rdsight::rules::Verdict {
    let mut f = f;
    f.clusters.push(c);
    judge(&f, rule, Subject::Cluster(&f.clusters[0]))
}

// ---- tls-not-enforced -------------------------------------------------------------------

#[test]
fn tls_not_enforced_judges_instances_and_clusters() {
    assert_only_judges(
        RuleId::TlsNotEnforced,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

#[test]
fn tls_passes_when_the_group_requires_it() {
    assert_passes(judge_instance(RuleId::TlsNotEnforced, instance("db-1")));
    assert_passes(judge_cluster(RuleId::TlsNotEnforced, cluster("cl-1")));
    let f = with_group(
        fleet(),
        ParameterGroupKind::Db,
        "app-mysql",
        &[("require_secure_transport", "ON")],
    );
    let mysql = Instance {
        engine: "mysql".into(),
        engine_version: "8.0.35".into(),
        parameter_group: Some("app-mysql".into()),
        ..instance("db-1")
    };
    assert_passes(judge_instance_in(f, mysql, RuleId::TlsNotEnforced));
}

#[test]
fn tls_fails_on_a_custom_group_that_leaves_it_off() {
    let f = with_group(
        fleet(),
        ParameterGroupKind::Db,
        "legacy-pg",
        &[("rds.force_ssl", "0")],
    );
    let i = Instance {
        parameter_group: Some("legacy-pg".into()),
        ..instance("db-1")
    };
    let reason = assert_fails(
        judge_instance_in(f, i, RuleId::TlsNotEnforced),
        &[
            "DB parameter group legacy-pg",
            "rds.force_ssl=0",
            "without TLS",
        ],
    );
    assert!(!reason.contains("default"), "{reason}");
}

#[test]
fn tls_reads_the_engine_default_when_the_group_sets_none() {
    // A default MySQL group: require_secure_transport defaults to OFF.
    let f = with_group(fleet(), ParameterGroupKind::Db, "default.mysql8.0", &[]);
    let mysql = Instance {
        engine: "mysql".into(),
        engine_version: "8.0.35".into(),
        parameter_group: Some("default.mysql8.0".into()),
        ..instance("db-1")
    };
    assert_fails(
        judge_instance_in(f, mysql, RuleId::TlsNotEnforced),
        &[
            "require_secure_transport=OFF",
            "engine default",
            "cannot be modified",
        ],
    );
    // PostgreSQL 15 and later default rds.force_ssl to 1; 14 to 0.
    let f = with_group(fleet(), ParameterGroupKind::Db, "default.postgres16", &[]);
    let pg16 = Instance {
        parameter_group: Some("default.postgres16".into()),
        ..instance("db-1")
    };
    assert_passes(judge_instance_in(f, pg16, RuleId::TlsNotEnforced));
    let f = with_group(fleet(), ParameterGroupKind::Db, "default.postgres14", &[]);
    let pg14 = Instance {
        engine_version: "14.10".into(),
        parameter_group: Some("default.postgres14".into()),
        ..instance("db-1")
    };
    assert_fails(
        judge_instance_in(f, pg14, RuleId::TlsNotEnforced),
        &["rds.force_ssl=0", "engine default"],
    );
}

#[test]
fn tls_on_aurora_is_the_cluster_groups_and_members_are_judged_there() {
    let f = with_group(
        fleet(),
        ParameterGroupKind::Cluster,
        "orders-aurora-mysql",
        &[("require_secure_transport", "OFF")],
    );
    let c = Cluster {
        engine: "aurora-mysql".into(),
        engine_version: "8.0.mysql_aurora.3.05.2".into(),
        parameter_group: Some("orders-aurora-mysql".into()),
        ..cluster("orders")
    };
    let mut f = f;
    add_cluster(&mut f, c, &["us-east-1a"]);
    assert_fails(
        judge(&f, RuleId::TlsNotEnforced, Subject::Cluster(&f.clusters[0])),
        &[
            "DB cluster parameter group orders-aurora-mysql",
            "require_secure_transport=OFF",
        ],
    );
    assert_not_applicable(
        judge(
            &f,
            RuleId::TlsNotEnforced,
            Subject::Instance(&f.instances[0]),
        ),
        "cluster orders",
    );
}

#[test]
fn tls_is_not_applicable_to_oracle() {
    let i = Instance {
        engine: "oracle-ee".into(),
        ..instance("db-1")
    };
    assert_not_applicable(judge_instance(RuleId::TlsNotEnforced, i), "SSL option");
}

#[test]
fn tls_is_unknown_when_the_group_was_not_loaded() {
    let i = Instance {
        parameter_group: Some("never-read".into()),
        ..instance("db-1")
    };
    assert_unknown(
        judge_instance(RuleId::TlsNotEnforced, i),
        "never-read were not loaded",
    );
    // A DB group of the same name does not stand in for a cluster group.
    let f = with_group(
        fleet(),
        ParameterGroupKind::Db,
        "shared-name",
        &[("rds.force_ssl", "1")],
    );
    let c = Cluster {
        parameter_group: Some("shared-name".into()),
        ..cluster("cl-1")
    };
    assert_unknown(judge_cluster_in(f, c, RuleId::TlsNotEnforced), "not loaded");
}

// ---- ca-certificate-expiring ------------------------------------------------------------

fn with_certificate(ca: &str, till: Option<&str>) -> Instance {
    Instance {
        ca_certificate: Some(ca.into()),
        certificate: Some(Certificate {
            ca: Some(ca.into()),
            valid_till: till.map(str::to_string),
        }),
        ..instance("db-1")
    }
}

fn days_from_now(days: u64) -> String {
    let at = std::time::SystemTime::now() + std::time::Duration::from_secs(days * 86_400);
    humantime::format_rfc3339_seconds(at).to_string()
}

#[test]
fn certificates_are_judged_on_instances_only() {
    assert_only_judges(RuleId::CaCertificateExpiring, &[ResourceType::DbInstance]);
}

#[test]
fn a_certificate_far_from_expiry_passes() {
    assert_passes(judge_instance(
        RuleId::CaCertificateExpiring,
        instance("db-1"),
    ));
    let i = with_certificate("rds-ca-rsa4096-g1", Some(&days_from_now(120)));
    assert_passes(judge_instance(RuleId::CaCertificateExpiring, i));
}

#[test]
fn a_certificate_expiring_within_90_days_or_expired_fails() {
    let i = with_certificate("rds-ca-rsa2048-g1", Some(&days_from_now(30)));
    assert_fails(
        judge_instance(RuleId::CaCertificateExpiring, i),
        &["rds-ca-rsa2048-g1", "days from now"],
    );
    let i = with_certificate("rds-ca-rsa2048-g1", Some("2020-01-01T00:00:00Z"));
    assert_fails(
        judge_instance(RuleId::CaCertificateExpiring, i),
        &["expired at 2020-01-01T00:00:00Z"],
    );
}

#[test]
fn a_retired_ca_fails_whatever_the_expiry_says() {
    for ca in ["rds-ca-2015", "rds-ca-2019"] {
        let i = with_certificate(ca, Some("2024-08-22T17:08:50Z"));
        assert_fails(
            judge_instance(RuleId::CaCertificateExpiring, i),
            &[ca, "retired", "valid till 2024-08-22T17:08:50Z"],
        );
    }
    // Even without CertificateDetails, the CA id alone is enough.
    let i = Instance {
        ca_certificate: Some("rds-ca-2019".into()),
        certificate: None,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::CaCertificateExpiring, i),
        &["rds-ca-2019"],
    );
}

#[test]
fn a_certificate_without_details_is_unknown() {
    let i = Instance {
        certificate: None,
        ..instance("db-1")
    };
    assert_unknown(
        judge_instance(RuleId::CaCertificateExpiring, i),
        "CertificateDetails",
    );
    let i = with_certificate("rds-ca-rsa2048-g1", Some("next tuesday"));
    assert_unknown(
        judge_instance(RuleId::CaCertificateExpiring, i),
        "could not be read",
    );
}

// ---- default-security-group -------------------------------------------------------------

fn with_default_group() -> Fleet {
    let mut f = fleet();
    f.security_groups.push(SecurityGroup {
        vpc_id: Some("vpc-1".into()),
        ..sg(DEFAULT_SG, "default", Vec::new())
    });
    f
}

#[test]
fn default_security_group_judges_instances_and_clusters() {
    assert_only_judges(
        RuleId::DefaultSecurityGroup,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

#[test]
fn default_security_group_fails_on_the_vpc_default_group() {
    assert_passes(judge_instance(
        RuleId::DefaultSecurityGroup,
        instance("db-1"),
    ));
    let i = Instance {
        security_group_ids: vec![PRIVATE_SG.into(), DEFAULT_SG.into()],
        ..instance("db-1")
    };
    assert_fails(
        judge_instance_in(with_default_group(), i, RuleId::DefaultSecurityGroup),
        &["sg-default (default group of vpc-1)"],
    );
    let c = Cluster {
        security_group_ids: vec![DEFAULT_SG.into()],
        ..cluster("cl-1")
    };
    assert_fails(
        judge_cluster_in(with_default_group(), c, RuleId::DefaultSecurityGroup),
        &["sg-default"],
    );
}

#[test]
fn default_security_group_judges_members_at_the_cluster_and_unknown_groups_are_unknown() {
    let mut f = with_default_group();
    add_cluster(&mut f, cluster("orders"), &["us-east-1a"]);
    assert_not_applicable(
        judge(
            &f,
            RuleId::DefaultSecurityGroup,
            Subject::Instance(&f.instances[0]),
        ),
        "cluster orders",
    );
    let i = Instance {
        security_group_ids: vec!["sg-unseen".into()],
        ..instance("db-1")
    };
    assert_unknown(
        judge_instance(RuleId::DefaultSecurityGroup, i),
        "sg-unseen not loaded",
    );
}

// ---- password-not-managed ---------------------------------------------------------------

#[test]
fn password_not_managed_judges_instances_and_clusters() {
    assert_only_judges(
        RuleId::PasswordNotManaged,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

#[test]
fn an_unmanaged_master_password_fails() {
    assert_passes(judge_instance(RuleId::PasswordNotManaged, instance("db-1")));
    assert_passes(judge_cluster(RuleId::PasswordNotManaged, cluster("cl-1")));
    let i = Instance {
        master_user_secret: Some(false),
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::PasswordNotManaged, i),
        &["no MasterUserSecret"],
    );
    let c = Cluster {
        master_user_secret: Some(false),
        ..cluster("cl-1")
    };
    assert_fails(
        judge_cluster(RuleId::PasswordNotManaged, c),
        &["Secrets Manager"],
    );
}

#[test]
fn passwords_of_members_and_replicas_are_not_theirs() {
    let mut f = fleet();
    add_cluster(&mut f, cluster("orders"), &["us-east-1a"]);
    f.instances[0].master_user_secret = Some(false);
    assert_not_applicable(
        judge(
            &f,
            RuleId::PasswordNotManaged,
            Subject::Instance(&f.instances[0]),
        ),
        "cluster orders",
    );
    let replica = Instance {
        replica_source: Some("db-0".into()),
        master_user_secret: Some(false),
        ..instance("db-1")
    };
    assert_not_applicable(
        judge_instance(RuleId::PasswordNotManaged, replica),
        "read replica",
    );
}

#[test]
fn a_password_nobody_recorded_is_unknown() {
    let i = Instance {
        master_user_secret: None,
        ..instance("db-1")
    };
    assert_unknown(
        judge_instance(RuleId::PasswordNotManaged, i),
        "was not recorded",
    );
}
