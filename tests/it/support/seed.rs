//! The fleet the AWS tests start from, created through the AWS SDK in
//! moto, and the `AwsSource` that reads it.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::source::aws::AwsSource;
use rdsight::source::{FleetSource, LoadEvent, LoadSink, SourceError};
use rdsight::tui::app::{App, Msg};
use std::sync::{Arc, Mutex};

use super::moto::{self, Moto};

pub const US: &str = "us-east-1";
pub const EU: &str = "eu-west-1";
/// An account the seeded snapshot is shared with; not trusted by default.
pub const UNTRUSTED: &str = "210987654321";
pub const PG_PORT: i32 = 5432;
pub const WORLD_IPV4: &str = "0.0.0.0/0";

pub struct Seeded {
    pub open_sg: String,
    pub private_sg: String,
}

/// TCP on `port` from `cidr`.
pub fn tcp_rule(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

/// A group allowing PostgreSQL's port from `cidr`.
pub async fn security_group(ec2: &aws_sdk_ec2::Client, name: &str, cidr: &str) -> String {
    security_group_with(ec2, name, tcp_rule(PG_PORT, cidr)).await
}

/// A group with one ingress permission.
pub async fn security_group_with(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    rule: IpPermission,
) -> String {
    security_group_in(ec2, None, name, rule).await
}

/// A group with one ingress permission in `vpc` (moto's default VPC when `None`).
pub async fn security_group_in(
    ec2: &aws_sdk_ec2::Client,
    vpc: Option<&str>,
    name: &str,
    rule: IpPermission,
) -> String {
    let id = ec2
        .create_security_group()
        .group_name(name)
        .description(format!("rdsight test group {name}"))
        .set_vpc_id(vpc.map(str::to_string))
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(rule)
        .send()
        .await
        .unwrap();
    id
}

/// The fleet every test starts from, in `region`:
/// - `db-open` (5432 from 0.0.0.0/0) and `db-private` (5432 from 10/8);
/// - `orders-db`: postgres, unencrypted, publicly accessible, backups off,
///   attached to `db-open`;
/// - `ledger`: encrypted Aurora PostgreSQL with member `ledger-1`;
/// - manual DB snapshots `orders-public` (restore: all) and `orders-shared`
///   (restore: 210987654321), and manual cluster snapshot `ledger-manual`.
pub async fn seed(moto: &Moto, region: &str) -> Seeded {
    let ec2 = moto.ec2(region).await;
    let rds = moto.rds(region).await;
    let open_sg = security_group(&ec2, "db-open", WORLD_IPV4).await;
    let private_sg = security_group(&ec2, "db-private", "10.0.0.0/8").await;

    rds.create_db_instance()
        .db_instance_identifier("orders-db")
        .engine("postgres")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("orders_admin")
        .master_user_password("not-a-secret-1")
        .publicly_accessible(true)
        .storage_encrypted(false)
        .backup_retention_period(0)
        .auto_minor_version_upgrade(false)
        .copy_tags_to_snapshot(false)
        .vpc_security_group_ids(&open_sg)
        .send()
        .await
        .unwrap();

    rds.create_db_cluster()
        .db_cluster_identifier("ledger")
        .engine("aurora-postgresql")
        .master_username("ledger_admin")
        .master_user_password("not-a-secret-2")
        .storage_encrypted(true)
        .vpc_security_group_ids(&private_sg)
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier("ledger-1")
        .db_cluster_identifier("ledger")
        .engine("aurora-postgresql")
        .db_instance_class("db.r6g.large")
        .send()
        .await
        .unwrap();

    for id in ["orders-public", "orders-shared"] {
        rds.create_db_snapshot()
            .db_instance_identifier("orders-db")
            .db_snapshot_identifier(id)
            .send()
            .await
            .unwrap();
    }
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("orders-public")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .unwrap();
    rds.modify_db_snapshot_attribute()
        .db_snapshot_identifier("orders-shared")
        .attribute_name("restore")
        .values_to_add(UNTRUSTED)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster_snapshot()
        .db_cluster_identifier("ledger")
        .db_cluster_snapshot_identifier("ledger-manual")
        .send()
        .await
        .unwrap();
    Seeded {
        open_sg,
        private_sg,
    }
}

/// An AwsSource built from the same arguments the command line parses.
pub async fn source(moto: &Moto, regions: &[&str]) -> AwsSource {
    let args = SourceArgs {
        endpoint_url: Some(moto.url.clone()),
        region: regions.iter().map(|r| r.to_string()).collect(),
        ..SourceArgs::default()
    };
    AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap()
}

/// Load through `source`, collecting every streamed event.
pub async fn load_streamed(source: &AwsSource) -> (Result<Fleet, SourceError>, Vec<LoadEvent>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let sink: LoadSink = Arc::new(move |event| seen.lock().unwrap().push(event));
    let result = source.load_streaming(sink).await;
    let events = events.lock().unwrap().clone();
    (result, events)
}

/// An app fed `events` as the runtime would, without the final answer.
pub fn app_fed(source: &AwsSource, events: &[LoadEvent]) -> App {
    let mut app = App::new(source.info(), RuleConfig::default());
    app.update(Msg::Resize(160, 40));
    app.start();
    let generation = app.generation();
    for event in events {
        app.update(Msg::Loading {
            generation,
            event: event.clone(),
        });
    }
    app.flush();
    app
}

/// Seed what only the remediation test needs: a spare unencrypted DB
/// snapshot, and an unencrypted cluster with a public manual snapshot.
pub async fn seed_remediation_extras(moto: &Moto) {
    let rds = moto.rds(US).await;
    rds.create_db_snapshot()
        .db_instance_identifier("orders-db")
        .db_snapshot_identifier("orders-archive")
        .send()
        .await
        .unwrap();
    rds.create_db_cluster()
        .db_cluster_identifier("reports")
        .engine("aurora-mysql")
        .master_username("reports_admin")
        .master_user_password("not-a-secret-4")
        .storage_encrypted(false)
        .send()
        .await
        .unwrap();
    rds.create_db_cluster_snapshot()
        .db_cluster_identifier("reports")
        .db_cluster_snapshot_identifier("reports-manual")
        .send()
        .await
        .unwrap();
    rds.modify_db_cluster_snapshot_attribute()
        .db_cluster_snapshot_identifier("reports-manual")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .unwrap();
}

/// Whether `group` admits 0.0.0.0/0 on the Postgres port, read through
/// the SDK.
pub async fn world_open_on_pg(ec2: &aws_sdk_ec2::Client, group: &str) -> bool {
    ec2.describe_security_groups()
        .group_ids(group)
        .send()
        .await
        .unwrap()
        .security_groups()[0]
        .ip_permissions()
        .iter()
        .any(|p| {
            p.from_port() == Some(PG_PORT)
                && p.ip_ranges()
                    .iter()
                    .any(|r| r.cidr_ip() == Some(WORLD_IPV4))
        })
}
