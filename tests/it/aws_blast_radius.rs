//! A revoke's whole blast radius against a real moto server: the group's
//! users are read from its network interfaces (an EC2 instance beside the
//! database), named in the plan and in `rdsight plan`'s script; and the
//! narrowing of an all-traffic world rule leaves exactly the DB port open,
//! from the typed CIDR, read back with DescribeSecurityGroups.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::{Cidr, OtherUsers, UserKind};
use rdsight::remediation::PlanOptions;
use rdsight::remediation::audit::AuditLog;
use rdsight::rules::{self, RuleId, plan_for, plans_need};
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, read_group_users};
use std::sync::Arc;

use crate::support::fixer::{Fixer, audit_lines, calls, now};
use crate::support::moto::{Moto, rdsight, scratch_path, with_test_credentials};
use crate::support::proxy::{Fault, Proxy};
use crate::support::seed::{PG_PORT, US, WORLD_IPV4, security_group_with, source, tcp_rule};

/// A group admitting `rule`, and a PostgreSQL instance `db` in it.
async fn database_in_group(moto: &Moto, db: &str, rule: IpPermission) -> String {
    let group = security_group_with(&moto.ec2(US).await, &format!("{db}-sg"), rule).await;
    moto.rds(US)
        .await
        .create_db_instance()
        .db_instance_identifier(db)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("blast_admin")
        .master_user_password("not-a-secret-6")
        .vpc_security_group_ids(&group)
        .send()
        .await
        .unwrap();
    group
}

/// Run an EC2 instance in `group`; moto gives it a network interface in
/// the group, as AWS does. Returns the instance id.
async fn ec2_instance_in(moto: &Moto, group: &str) -> String {
    let out = moto
        .ec2(US)
        .await
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .security_group_ids(group)
        .send()
        .await
        .unwrap();
    out.instances()[0].instance_id().unwrap().to_string()
}

/// A permission as DescribeSecurityGroups gives it back: protocol, ports,
/// IPv4 ranges, and how many other sources (IPv6 ranges, groups) it has.
type ReadBack = (String, Option<i32>, Option<i32>, Vec<String>, usize);

fn moto_env(moto: &Moto) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_ENDPOINT_URL", moto.url.clone()),
    ]
}

#[tokio::test]
async fn a_group_used_by_an_ec2_instance_and_a_database_lists_both_in_the_revoke_plan() {
    let moto = Moto::start();
    let group = database_in_group(&moto, "shared-db", tcp_rule(PG_PORT, WORLD_IPV4)).await;
    let instance = ec2_instance_in(&moto, &group).await;
    let source = source(&moto, &[US]).await;

    let users = source.group_users(US, &group).await.unwrap();
    assert!(
        users.iter().any(|u| u.kind == UserKind::Ec2Instance
            && u.id == instance
            && u.interface.starts_with("eni-")),
        "{users:?}"
    );

    // The plan names both, read as the dashboard and `plan` read them.
    let fleet = source.load().await.unwrap();
    let config = RuleConfig::default();
    let findings: Vec<rules::Finding> = rules::evaluate(&fleet, &config)
        .into_iter()
        .filter(|f| f.rule == RuleId::SgOpenDbPort && f.resource_id == "shared-db")
        .collect();
    let mut options = PlanOptions::default();
    let (groups, _) = plans_need(&fleet, &config, &findings, &options);
    assert_eq!(groups, vec![(US.to_string(), group.clone())]);
    for ((region, id), users) in read_group_users(&source, &groups).await {
        options.group_users.set(&region, &id, users);
    }
    let plan = plan_for(&fleet, &config, &findings[0], options).unwrap();
    let impact: Vec<String> = plan.caveats.iter().map(|c| c.to_string()).collect();
    let shared = impact.iter().find(|c| c.starts_with(&group)).unwrap();
    assert!(shared.contains("instance shared-db"), "{shared}");
    assert!(
        shared.contains(&format!("ec2-instance {instance}")),
        "{shared}"
    );

    // `rdsight plan` reads them too, into the script's comments.
    let env = moto_env(&moto);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args = ["plan", "--region", US, "--rule", "sg-open-db-port"];
    let out = rdsight(&[&args[..], &["--activity-days", "0"]].concat(), &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap();
    // A headline, then one comment per user.
    let users: Vec<&str> = script
        .lines()
        .skip_while(|l| !l.starts_with(&format!("# Caveat: {group} is used by these 2")))
        .skip(1)
        .take_while(|l| l.starts_with("# - "))
        .collect();
    assert_eq!(users.len(), 2, "{script}");
    assert_eq!(users[0], "# - rds instance shared-db");
    // Then the interface's own description (moto: `Primary network interface`).
    assert!(
        users[1].starts_with(&format!("# - ec2-instance {instance} (")),
        "{script}"
    );
}

#[tokio::test]
async fn narrowing_an_all_traffic_world_rule_leaves_exactly_the_db_port_open_from_the_cidr() {
    let moto = Moto::start();
    let all_traffic = IpPermission::builder()
        .ip_protocol("-1")
        .ip_ranges(IpRange::builder().cidr_ip(WORLD_IPV4).build())
        .build();
    let group = database_in_group(&moto, "wide-db", all_traffic).await;
    let audit_path = scratch_path("narrow-audit.jsonl");
    let fixer = Fixer {
        source: Arc::new(source(&moto, &[US]).await),
        audit: AuditLog::new(&audit_path),
        config: RuleConfig::default(),
    };
    let options = PlanOptions {
        narrow_to: Some(Cidr::parse("10.20.0.0/16").unwrap()),
        ..now()
    };
    let (plan, fleet) = fixer.fix(RuleId::SgOpenDbPort, "wide-db", options).await;
    assert_eq!(
        calls(&plan),
        vec![
            "ec2:RevokeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupIngress"
        ]
    );
    assert!(
        !rules::evaluate(&fleet, &fixer.config)
            .iter()
            .any(|f| f.rule == RuleId::SgOpenDbPort && f.resource_id == "wide-db")
    );

    // Read back: one permission, TCP on the DB port, from the CIDR alone.
    let described = moto
        .ec2(US)
        .await
        .describe_security_groups()
        .group_ids(&group)
        .send()
        .await
        .unwrap();
    let left: Vec<ReadBack> = described.security_groups()[0]
        .ip_permissions()
        .iter()
        .map(|p| {
            (
                p.ip_protocol().unwrap_or_default().to_string(),
                p.from_port(),
                p.to_port(),
                p.ip_ranges()
                    .iter()
                    .filter_map(|r| r.cidr_ip().map(str::to_string))
                    .collect(),
                p.ipv6_ranges().len() + p.user_id_group_pairs().len(),
            )
        })
        .collect();
    assert_eq!(
        left,
        vec![(
            "tcp".to_string(),
            Some(PG_PORT),
            Some(PG_PORT),
            vec!["10.20.0.0/16".to_string()],
            0
        )]
    );

    // Both calls audited before and after, each with the call that undoes it.
    let lines = audit_lines(&audit_path);
    let started: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["phase"] == "started").collect();
    assert_eq!(started.len(), 2, "{lines:#?}");
    assert_eq!(started[0]["undo"]["call"], "AuthorizeSecurityGroupIngress");
    assert_eq!(started[1]["api"], "ec2:AuthorizeSecurityGroupIngress");
    assert_eq!(started[1]["undo"]["call"], "RevokeSecurityGroupIngress");
    assert_eq!(started[1]["undo"]["cidr"], "10.20.0.0/16");
    assert_eq!(
        lines.iter().filter(|l| l["phase"] == "succeeded").count(),
        2
    );
}

#[test]
fn the_plan_command_refuses_a_world_or_malformed_cidr_with_a_clear_message() {
    for (cidr, says) in [
        ("0.0.0.0/0", "whole internet"),
        ("::/0", "whole internet"),
        ("0:0::/0", "whole internet"),
        ("::ffff:0.0.0.0/96", "IPv4-mapped"),
        ("10.0.0.0", "no prefix length"),
        ("10.0.0.1/8", "did you mean 10.0.0.0/8?"),
    ] {
        let out = rdsight(&["plan", "--demo", "--narrow-to", cidr], &[]);
        assert_eq!(out.status.code(), Some(2), "{cidr}");
        assert!(out.stdout.is_empty(), "{cidr}: nothing planned");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{cidr}: {stderr}");
    }
}

#[tokio::test]
async fn without_describe_network_interfaces_the_plan_says_the_users_are_unknown_and_why() {
    let moto = Moto::start();
    let group = database_in_group(&moto, "denied-db", tcp_rule(PG_PORT, WORLD_IPV4)).await;
    ec2_instance_in(&moto, &group).await;
    let proxy = Proxy::start(
        &moto.url,
        Fault::DenyAction("DescribeNetworkInterfaces".into()),
    );
    let args = SourceArgs {
        endpoint_url: Some(proxy.url.clone()),
        region: vec![US.into()],
        ..SourceArgs::default()
    };
    let source = AwsSource::connect_with(&args, with_test_credentials)
        .await
        .unwrap();

    let error = source.group_users(US, &group).await.unwrap_err();
    assert_eq!(error.code(), Some("UnauthorizedOperation"), "{error}");
    assert!(
        error
            .to_string()
            .contains("rdsight needs ec2:DescribeNetworkInterfaces"),
        "{error}"
    );
    let fleet = source.load().await.unwrap();
    let config = RuleConfig::default();
    let finding = rules::evaluate(&fleet, &config)
        .into_iter()
        .find(|f| f.rule == RuleId::SgOpenDbPort && f.resource_id == "denied-db")
        .unwrap();
    let mut options = PlanOptions::default();
    let read = read_group_users(&source, &[(US.to_string(), group.clone())]).await;
    for ((region, id), users) in read {
        options.group_users.set(&region, &id, users);
    }
    let plan = plan_for(&fleet, &config, &finding, options).unwrap();
    let shared = plan
        .caveats
        .iter()
        .map(|c| c.to_string())
        .find(|c| c.starts_with(&group))
        .unwrap();
    assert!(shared.contains("instance denied-db"), "{shared}");
    assert!(shared.contains("other users are unknown"), "{shared}");
    assert!(shared.contains("UnauthorizedOperation"), "{shared}");
    assert!(!shared.contains("nothing else"), "{shared}");
}

/// Keeps an unknown read from reading as "nothing else": a source that
/// cannot list interfaces says so in the plan.
#[tokio::test]
async fn a_source_that_cannot_read_interfaces_leaves_the_users_unknown() {
    let fleet = rdsight::source::demo::demo_fleet().unwrap();
    let file = std::env::temp_dir().join(format!("rdsight-blast-{}.json", std::process::id()));
    let mut saved = Vec::new();
    rdsight::source::file::write_saved(&fleet, &mut saved).unwrap();
    std::fs::write(&file, saved).unwrap();
    let source = rdsight::source::file::FileSource::open(&file).unwrap();
    let read = read_group_users(&source, &[(US.into(), "sg-0d4fab6e8a3c57913".into())]).await;
    let _ = std::fs::remove_file(&file);
    match &read[0].1 {
        OtherUsers::Unknown(why) => assert!(why.contains("network interfaces"), "{why}"),
        other => panic!("expected unknown, got {other:?}"),
    }
}
