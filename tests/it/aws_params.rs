//! TLS parameters, certificates and managed passwords against a real moto
//! server: the parameter groups in use are loaded, each fix runs through
//! the executor and is read back through the SDK. moto keeps no default
//! parameter groups and reports no CertificateDetails, so the requests
//! are also checked as sent, through a recording proxy and the audit log.

use aws_sdk_rds::types::{ApplyMethod, Parameter};
use rdsight::model::ParameterGroupKind;
use rdsight::remediation::NoRemediation;
use rdsight::rules::{self, RuleId, plan_for};
use std::sync::Mutex;

use crate::support::fixer::{audit_lines, calls, now, recorded_fixer};
use crate::support::moto::Moto;
use crate::support::proxy::sent_parameters;
use crate::support::seed::US;

/// The `Name=value` pairs of the recorded request whose body mentions
/// `needle` (several ModifyDBInstance calls were sent).
fn sent_parameters_all(recorded: &Mutex<Vec<String>>, needle: &str) -> Vec<(String, String)> {
    let bodies = recorded.lock().unwrap();
    let body = bodies.iter().find(|b| b.contains(needle)).expect("sent");
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn parameter(name: &str, value: &str) -> Parameter {
    Parameter::builder()
        .parameter_name(name)
        .parameter_value(value)
        .apply_method(ApplyMethod::Immediate)
        .build()
}

/// `legacy-pg`, a custom PostgreSQL 14 group with rds.force_ssl=0, and
/// `tools-db` using it; `cms-db`, MySQL on its default group.
async fn seed_instances(moto: &Moto) {
    let rds = moto.rds(US).await;
    rds.create_db_parameter_group()
        .db_parameter_group_name("legacy-pg")
        .db_parameter_group_family("postgres14")
        .description("TLS left off")
        .send()
        .await
        .unwrap();
    rds.modify_db_parameter_group()
        .db_parameter_group_name("legacy-pg")
        .parameters(parameter("rds.force_ssl", "0"))
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("tools-db")
        .engine("postgres")
        .engine_version("14.10")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("tools_owner")
        .master_user_password("not-a-secret-5")
        .db_parameter_group_name("legacy-pg")
        .ca_certificate_identifier("rds-ca-2019")
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("cms-db")
        .engine("mysql")
        .engine_version("8.0.35")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("cms_owner")
        .master_user_password("not-a-secret-6")
        .send()
        .await
        .unwrap();
}

async fn force_ssl_of(moto: &Moto, group: &str) -> Option<String> {
    let out = moto
        .rds(US)
        .await
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .send()
        .await
        .unwrap();
    out.parameters()
        .iter()
        .find(|p| p.parameter_name() == Some("rds.force_ssl"))
        .and_then(|p| p.parameter_value().map(str::to_string))
}

#[tokio::test]
async fn a_custom_group_without_tls_is_found_and_fixed_and_a_default_group_gets_advice() {
    let moto = Moto::start();
    seed_instances(&moto).await;
    let (fixer, _proxy, recorded) = recorded_fixer(&moto, "params-audit.jsonl").await;
    let fleet = fixer.fleet().await;
    let legacy = fleet
        .parameter_groups
        .iter()
        .find(|g| g.name == "legacy-pg")
        .expect("the group in use is loaded");
    assert_eq!(legacy.kind, ParameterGroupKind::Db);
    assert_eq!(
        legacy.values.get("rds.force_ssl").map(String::as_str),
        Some("0")
    );

    let findings = rules::evaluate(&fleet, &fixer.config);
    let tls = |id: &str| {
        findings
            .iter()
            .find(|f| f.rule == RuleId::TlsNotEnforced && f.resource_id == id)
            .cloned()
            .unwrap_or_else(|| panic!("no tls-not-enforced on {id}"))
    };
    assert!(tls("tools-db").reason.contains("rds.force_ssl=0"));
    let cms = tls("cms-db");
    assert!(
        cms.reason
            .contains("require_secure_transport=OFF (the engine default"),
        "{}",
        cms.reason
    );
    // A default group cannot be modified: advice, not a plan.
    match plan_for(&fleet, &fixer.config, &cms, now()) {
        Err(NoRemediation::ByHand(advice)) => {
            assert!(advice.contains("default group"), "{advice}");
            assert!(advice.contains("require_secure_transport=ON"), "{advice}");
        }
        other => panic!("expected advice, got {other:?}"),
    }

    let (plan, fleet) = fixer.fix(RuleId::TlsNotEnforced, "tools-db", now()).await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBParameterGroup"]);
    assert_eq!(force_ssl_of(&moto, "legacy-pg").await.as_deref(), Some("1"));
    let legacy = fleet
        .parameter_groups
        .iter()
        .find(|g| g.name == "legacy-pg")
        .unwrap();
    assert_eq!(
        legacy.values.get("rds.force_ssl").map(String::as_str),
        Some("1")
    );
    let sent = sent_parameters(&recorded, "ModifyDBParameterGroup");
    for pair in [
        ("DBParameterGroupName", "legacy-pg"),
        ("Parameters.Parameter.1.ParameterName", "rds.force_ssl"),
        ("Parameters.Parameter.1.ParameterValue", "1"),
        ("Parameters.Parameter.1.ApplyMethod", "immediate"),
    ] {
        assert!(
            sent.contains(&(pair.0.to_string(), pair.1.to_string())),
            "{pair:?} not in {sent:?}"
        );
    }
    // Audited with the call that sets it back.
    let lines = audit_lines(fixer.audit.path());
    let started = lines
        .iter()
        .find(|l| l["step"]["call"] == "ModifyDBParameterGroup")
        .expect("audited");
    assert_eq!(started["undo"]["previous"], "1");
    assert_eq!(started["undo"]["value"], "0");
}

#[tokio::test]
async fn an_aurora_cluster_group_is_fixed_with_modify_db_cluster_parameter_group() {
    let moto = Moto::start();
    let rds = moto.rds(US).await;
    rds.create_db_cluster_parameter_group()
        .db_cluster_parameter_group_name("orders-aurora")
        .db_parameter_group_family("aurora-mysql8.0")
        .description("TLS left off")
        .send()
        .await
        .unwrap();
    rds.modify_db_cluster_parameter_group()
        .db_cluster_parameter_group_name("orders-aurora")
        .parameters(parameter("require_secure_transport", "OFF"))
        .send()
        .await
        .unwrap();
    rds.create_db_cluster()
        .db_cluster_identifier("orders")
        .engine("aurora-mysql")
        .master_username("orders_admin")
        .master_user_password("not-a-secret-7")
        .db_cluster_parameter_group_name("orders-aurora")
        .send()
        .await
        .unwrap();
    let (fixer, _proxy, recorded) = recorded_fixer(&moto, "cluster-params-audit.jsonl").await;
    let (plan, _) = fixer.fix(RuleId::TlsNotEnforced, "orders", now()).await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBClusterParameterGroup"]);
    let out = rds
        .describe_db_cluster_parameters()
        .db_cluster_parameter_group_name("orders-aurora")
        .send()
        .await
        .unwrap();
    let value = out
        .parameters()
        .iter()
        .find(|p| p.parameter_name() == Some("require_secure_transport"))
        .and_then(|p| p.parameter_value());
    assert_eq!(value, Some("ON"));
    let sent = sent_parameters(&recorded, "ModifyDBClusterParameterGroup");
    assert!(sent.contains(&("DBClusterParameterGroupName".into(), "orders-aurora".into())));
    assert!(sent.contains(&(
        "Parameters.Parameter.1.ApplyMethod".into(),
        "immediate".into()
    )));
}

#[tokio::test]
async fn a_retired_ca_and_an_unmanaged_password_are_fixed_as_sent() {
    let moto = Moto::start();
    seed_instances(&moto).await;
    let (fixer, _proxy, recorded) = recorded_fixer(&moto, "credentials-audit.jsonl").await;

    let (plan, _) = fixer
        .fix(RuleId::CaCertificateExpiring, "tools-db", now())
        .await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBInstance"]);
    assert!(
        plan.impact().needs_typed_confirmation(),
        "a restart is an outage"
    );
    let described = moto
        .rds(US)
        .await
        .describe_db_instances()
        .db_instance_identifier("tools-db")
        .send()
        .await
        .unwrap();
    let instance = &described.db_instances()[0];
    assert_eq!(
        instance.ca_certificate_identifier(),
        Some("rds-ca-rsa2048-g1")
    );
    let sent = sent_parameters(&recorded, "ModifyDBInstance");
    assert!(sent.contains(&("CACertificateIdentifier".into(), "rds-ca-rsa2048-g1".into())));
    assert!(sent.contains(&("ApplyImmediately".into(), "true".into())));
    assert!(
        !sent.iter().any(|(k, _)| k == "CertificateRotationRestart"),
        "AWS decides the restart as it does by default: {sent:?}"
    );

    let (plan, fleet) = fixer.fix(RuleId::PasswordNotManaged, "cms-db", now()).await;
    assert_eq!(calls(&plan), vec!["rds:ModifyDBInstance"]);
    assert_eq!(
        fleet.instance(US, "cms-db").unwrap().master_user_secret,
        Some(true)
    );
    let described = moto
        .rds(US)
        .await
        .describe_db_instances()
        .db_instance_identifier("cms-db")
        .send()
        .await
        .unwrap();
    assert!(described.db_instances()[0].master_user_secret().is_some());
    let sent: Vec<(String, String)> = sent_parameters_all(&recorded, "ManageMasterUserPassword");
    assert!(sent.contains(&("ManageMasterUserPassword".into(), "true".into())));
    let names: Vec<&str> = sent.iter().map(|(k, _)| k.as_str()).collect();
    assert!(
        !names.contains(&"MasterUserPassword"),
        "no password is sent: {names:?}"
    );
    assert!(
        !names.contains(&"MasterUserSecretKmsKeyId"),
        "the aws/secretsmanager key, by default: {names:?}"
    );
}
