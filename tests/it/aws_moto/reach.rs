//! instance-internet-reachable against moto: three VPCs seeded through the
//! SDK — an internet gateway reached through a subnet's explicit route
//! table association, one reached through the VPC's main table, and one
//! with no internet route — each holding a publicly accessible instance
//! behind a world-open group. The scan must give exactly one of the two
//! public-access rules to each.
//!
//! moto answers DescribeDBInstances with `DBSubnetGroup.Subnets` and
//! `VpcId`, and DescribeRouteTables with `Associations[].Main`, as AWS
//! does. Where it forgives: it never reports a `blackhole` route (a route
//! to a deleted gateway stays `active`; rdsight then finds no such gateway
//! and says unknown), it accepts a security group in a VPC that does not
//! exist, and an instance created
//! without a subnet group has none (AWS always reports one, `default` at
//! least). The blackhole and cross-VPC cases are therefore covered by the
//! rule matrix (`rules_reach`), not here.

use aws_sdk_ec2::Client as Ec2;
use aws_sdk_rds::Client as Rds;
use rdsight::model::ResourceList;
use rdsight::source::FleetSource;
use serde_json::Value;

use crate::support::moto::{self, Moto};
use crate::support::seed::{PG_PORT, US, WORLD_IPV4, security_group_in, source, tcp_rule};
use crate::support::vpc::{Internet, network};

/// A world-open group on PostgreSQL's port in `vpc`.
async fn world_open_group(ec2: &Ec2, vpc: &str, name: &str) -> String {
    security_group_in(ec2, Some(vpc), name, tcp_rule(PG_PORT, WORLD_IPV4)).await
}

async fn public_instance(rds: &Rds, id: &str, subnet_group: &str, group: &str) {
    rds.create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("app_owner")
        .master_user_password("not-a-secret-1")
        .publicly_accessible(true)
        .db_subnet_group_name(subnet_group)
        .vpc_security_group_ids(group)
        .send()
        .await
        .unwrap();
}

async fn seed_three_networks(moto: &Moto) {
    let ec2 = moto.ec2(US).await;
    let rds = moto.rds(US).await;
    for (id, cidr, internet) in [
        ("via-explicit", 31, Internet::Explicit),
        ("via-main", 32, Internet::Main),
        ("no-route", 33, Internet::None),
    ] {
        let vpc = network(&ec2, &rds, &format!("{id}-subnets"), cidr, internet).await;
        let group = world_open_group(&ec2, &vpc, &format!("{id}-open")).await;
        public_instance(&rds, id, &format!("{id}-subnets"), &group).await;
    }
}

/// The public-access findings of a JSON scan, as (rule, id, status).
fn public_access(report: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let rule = f["rule"].as_str().unwrap();
            rule == "instance-public" || rule == "instance-internet-reachable"
        })
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_string();
            (text("rule"), text("resource_id"), text("status"))
        })
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn the_scan_gives_each_public_instance_exactly_the_rule_its_path_earns() {
    let moto = Moto::start();
    seed_three_networks(&moto).await;
    let out = moto::rdsight(
        &[
            "scan",
            "--format",
            "json",
            "--endpoint-url",
            &moto.url,
            "--region",
            US,
            // moto reports no CertificateDetails: ca-certificate-expiring is
            // unknown there, which is not what this test is about.
            "--allow-incomplete",
            "--activity-days",
            "0",
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["load_errors"], serde_json::json!([]), "{report:#}");
    let fail = |rule: &str, id: &str| (rule.to_string(), id.to_string(), "fail".to_string());
    assert_eq!(
        public_access(&report),
        vec![
            fail("instance-internet-reachable", "via-explicit"),
            fail("instance-internet-reachable", "via-main"),
            fail("instance-public", "no-route"),
        ]
    );
    let reason = |id: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource_id"] == id && f["rule"] != "sg-open-db-port")
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(reason("via-explicit").contains("explicit association"));
    assert!(reason("via-main").contains("main table of vpc-"));
    assert!(reason("no-route").contains("no 0.0.0.0/0 route"));
}

#[tokio::test]
async fn the_source_loads_subnets_route_tables_and_gateways() {
    let moto = Moto::start();
    seed_three_networks(&moto).await;
    let fleet = source(&moto, &[US]).await.load().await.unwrap();
    assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
    let i = fleet.instance(US, "via-main").unwrap();
    assert_eq!(i.subnet_ids.len(), 2, "{i:?}");
    assert!(i.vpc_id.as_deref().is_some_and(|v| v.starts_with("vpc-")));
    let vpc = i.vpc_id.clone().unwrap();
    let net = &fleet.network;
    assert!(
        i.subnet_ids
            .iter()
            .all(|s| net.subnets.iter().any(|x| &x.id == s))
    );
    let main = net
        .route_tables
        .iter()
        .find(|t| t.vpc_id == vpc && t.main)
        .expect("the main table is marked");
    assert!(
        main.routes
            .iter()
            .any(|r| r.destination == WORLD_IPV4 && r.target.starts_with("igw-")),
        "{main:?}"
    );
    assert!(
        net.internet_gateways
            .iter()
            .any(|g| g.vpc_ids.contains(&vpc)),
        "{:?}",
        net.internet_gateways
    );
    let explicit = fleet.instance(US, "via-explicit").unwrap();
    assert!(
        net.route_tables
            .iter()
            .any(|t| !t.main && t.subnet_ids.contains(&explicit.subnet_ids[0])),
        "the explicit association is read"
    );
    // The lists are named in load progress and load errors.
    assert!(rdsight::model::ResourceList::LISTS.contains(&ResourceList::RouteTables));
}
