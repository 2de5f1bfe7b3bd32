//! VPCs for the AWS tests, created through the SDK in moto: subnets in a
//! DB subnet group, and an internet gateway routed to one way or another.

use aws_sdk_ec2::Client as Ec2;
use aws_sdk_rds::Client as Rds;

use super::seed::WORLD_IPV4;

/// A VPC (10.`cidr`.0.0/16) with two subnets in a DB subnet group named
/// `name`, and an internet gateway as `internet` says. Returns the VPC id.
pub async fn network(ec2: &Ec2, rds: &Rds, name: &str, cidr: u8, internet: Internet) -> String {
    let vpc = ec2
        .create_vpc()
        .cidr_block(format!("10.{cidr}.0.0/16"))
        .send()
        .await
        .unwrap()
        .vpc()
        .unwrap()
        .vpc_id()
        .unwrap()
        .to_string();
    let mut subnets = Vec::new();
    for (n, zone) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(format!("10.{cidr}.{n}.0/24"))
            .availability_zone(*zone)
            .send()
            .await
            .unwrap();
        subnets.push(subnet.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    if internet != Internet::None {
        let igw = ec2.create_internet_gateway().send().await.unwrap();
        let igw = igw
            .internet_gateway()
            .unwrap()
            .internet_gateway_id()
            .unwrap();
        ec2.attach_internet_gateway()
            .internet_gateway_id(igw)
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap();
        route_to(ec2, &vpc, &subnets[0], igw, internet).await;
    }
    rds.create_db_subnet_group()
        .db_subnet_group_name(name)
        .db_subnet_group_description(format!("rdsight test {name}"))
        .set_subnet_ids(Some(subnets))
        .send()
        .await
        .unwrap();
    vpc
}

/// Route 0.0.0.0/0 to `igw` from a table of its own associated with
/// `subnet`, or from the VPC's main table.
async fn route_to(ec2: &Ec2, vpc: &str, subnet: &str, igw: &str, internet: Internet) {
    let table = match internet {
        Internet::AttachedOnly | Internet::None => return,
        Internet::Explicit => {
            let created = ec2.create_route_table().vpc_id(vpc).send().await.unwrap();
            let table = created.route_table().unwrap().route_table_id().unwrap();
            ec2.associate_route_table()
                .route_table_id(table)
                .subnet_id(subnet)
                .send()
                .await
                .unwrap();
            table.to_string()
        }
        Internet::Main => main_table(ec2, vpc).await,
    };
    ec2.create_route()
        .route_table_id(&table)
        .destination_cidr_block(WORLD_IPV4)
        .gateway_id(igw)
        .send()
        .await
        .unwrap();
}

/// How a VPC reaches the internet.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Internet {
    /// A route table of its own, associated with the first subnet.
    Explicit,
    /// The VPC's main table.
    Main,
    /// A gateway attached, but no route to it.
    AttachedOnly,
    /// No gateway.
    None,
}

pub async fn main_table(ec2: &Ec2, vpc: &str) -> String {
    let tables = ec2
        .describe_route_tables()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(vpc)
                .build(),
        )
        .send()
        .await
        .unwrap();
    tables
        .route_tables()
        .iter()
        .find(|t| t.associations().iter().any(|a| a.main() == Some(true)))
        .and_then(|t| t.route_table_id())
        .expect("every VPC has a main route table")
        .to_string()
}
