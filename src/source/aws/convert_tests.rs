//! Conversion tests on values built with the SDK's own builders.

use super::*;
use aws_sdk_rds::types::{
    DbCluster, DbClusterMember, DbClusterSnapshot, DbClusterSnapshotAttribute,
    DbClusterSnapshotAttributesResult, DbInstance, DbSnapshot, DbSnapshotAttribute,
    DbSnapshotAttributesResult, Endpoint, PendingModifiedValues, Tag, VpcSecurityGroupMembership,
};

const REGION: &str = "eu-west-1";

fn sg_membership(id: &str) -> VpcSecurityGroupMembership {
    VpcSecurityGroupMembership::builder()
        .vpc_security_group_id(id)
        .status("active")
        .build()
}

#[test]
fn standalone_instance_carries_every_flag() {
    let created = DateTime::from_secs(1_700_000_000);
    let sdk = DbInstance::builder()
        .db_instance_identifier("orders-db")
        .db_instance_arn("arn:aws:rds:eu-west-1:123456789012:db:orders-db")
        .engine("postgres")
        .engine_version("16.3")
        .db_instance_class("db.m6g.large")
        .db_instance_status("available")
        .availability_zone("eu-west-1a")
        .multi_az(false)
        .publicly_accessible(true)
        .storage_encrypted(false)
        .allocated_storage(100)
        .backup_retention_period(0)
        .deletion_protection(true)
        .auto_minor_version_upgrade(true)
        .iam_database_authentication_enabled(false)
        .endpoint(
            Endpoint::builder()
                .address("orders-db.abc.eu-west-1.rds.amazonaws.com")
                .port(5432)
                .build(),
        )
        // Standalone instances report 0 here; the endpoint port wins.
        .db_instance_port(0)
        .master_username("postgres")
        .copy_tags_to_snapshot(true)
        .monitoring_interval(60)
        .enabled_cloudwatch_logs_exports("postgresql")
        .vpc_security_groups(sg_membership("sg-open"))
        .instance_create_time(created)
        .tag_list(Tag::builder().key("team").value("payments").build())
        .pending_modified_values(
            PendingModifiedValues::builder()
                .multi_az(true)
                .backup_retention_period(7)
                .master_user_password("****")
                .build(),
        )
        .build();
    let i = instance(&sdk, REGION);
    assert_eq!(i.id, "orders-db");
    assert_eq!(i.region, REGION);
    assert_eq!(i.class, "db.m6g.large");
    assert!(i.publicly_accessible);
    assert!(!i.storage_encrypted);
    assert!(!i.multi_az);
    assert!(i.deletion_protection);
    assert!(i.auto_minor_version_upgrade);
    assert_eq!(i.port, 5432);
    assert_eq!(i.backup_retention_days, 0);
    assert_eq!(i.allocated_storage_gb, 100);
    assert_eq!(i.monitoring_interval_secs, 60);
    assert_eq!(i.security_group_ids, vec!["sg-open"]);
    assert_eq!(i.cloudwatch_logs_exports, vec!["postgresql"]);
    assert_eq!(i.master_username.as_deref(), Some("postgres"));
    assert_eq!(
        i.endpoint.as_deref(),
        Some("orders-db.abc.eu-west-1.rds.amazonaws.com")
    );
    assert_eq!(i.created.as_deref(), Some("2023-11-14T22:13:20Z"));
    assert_eq!(i.tags.get("team"), Some("payments"));
    assert_eq!(i.cluster_id, None);
    assert_eq!(i.replica_source, None);
    assert_eq!(
        i.pending_changes,
        vec![
            "BackupRetentionPeriod=7",
            "MultiAZ=true",
            "MasterUserPassword"
        ]
    );
}

#[test]
fn instance_reads_what_a_restored_copy_must_carry() {
    use aws_sdk_rds::types::OptionGroupMembership;
    let sdk = DbInstance::builder()
        .db_instance_identifier("orders-db")
        .option_group_memberships(
            OptionGroupMembership::builder()
                .option_group_name("orders-options")
                .build(),
        )
        .storage_type("gp3")
        .iops(12000)
        .storage_throughput(500)
        .ca_certificate_identifier("rds-ca-rsa2048-g1")
        .monitoring_role_arn("arn:aws:iam::123456789012:role/rds-monitoring")
        .build();
    let i = instance(&sdk, REGION);
    assert_eq!(i.option_group.as_deref(), Some("orders-options"));
    assert_eq!(i.storage_type.as_deref(), Some("gp3"));
    assert_eq!((i.iops, i.storage_throughput), (Some(12000), Some(500)));
    assert_eq!(i.ca_certificate.as_deref(), Some("rds-ca-rsa2048-g1"));
    assert_eq!(
        i.monitoring_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/rds-monitoring")
    );
    // A negative number from a file or an emulator is not a setting.
    let odd = instance(&DbInstance::builder().iops(-1).build(), REGION);
    assert_eq!(odd.iops, None);
}

#[test]
fn cluster_reads_what_a_restored_copy_must_carry() {
    let sdk = DbCluster::builder()
        .db_cluster_identifier("ledger")
        .db_subnet_group("private-subnets")
        .db_cluster_parameter_group("ledger-params")
        .storage_type("aurora-iopt1")
        .build();
    let c = cluster(&sdk, REGION);
    assert_eq!(c.subnet_group.as_deref(), Some("private-subnets"));
    assert_eq!(c.parameter_group.as_deref(), Some("ledger-params"));
    assert_eq!(c.storage_type.as_deref(), Some("aurora-iopt1"));
}

#[test]
fn missing_fields_read_as_false_and_zero() {
    let i = instance(
        &DbInstance::builder().db_instance_identifier("bare").build(),
        REGION,
    );
    assert!(!i.publicly_accessible && !i.storage_encrypted && !i.multi_az);
    assert!(!i.deletion_protection && !i.iam_auth_enabled);
    assert_eq!((i.port, i.backup_retention_days), (0, 0));
    assert_eq!(i.status, "");
    assert!(i.pending_changes.is_empty());
    assert!(i.created.is_none());
}

#[test]
fn aurora_member_instance_points_at_its_cluster() {
    let sdk = DbInstance::builder()
        .db_instance_identifier("ledger-1")
        .engine("aurora-postgresql")
        .db_cluster_identifier("ledger")
        .storage_encrypted(true)
        .kms_key_id("arn:aws:kms:eu-west-1:123456789012:key/abc")
        // No endpoint yet (creating): fall back to DbInstancePort.
        .db_instance_port(5433)
        .build();
    let i = instance(&sdk, REGION);
    assert_eq!(i.cluster_id.as_deref(), Some("ledger"));
    assert!(i.storage_encrypted);
    assert_eq!(i.port, 5433);
    assert!(!i.is_read_replica());
}

#[test]
fn read_replica_names_its_source() {
    let sdk = DbInstance::builder()
        .db_instance_identifier("orders-db-replica")
        .read_replica_source_db_instance_identifier("orders-db")
        .backup_retention_period(0)
        .build();
    let i = instance(&sdk, REGION);
    assert_eq!(i.replica_source.as_deref(), Some("orders-db"));
    assert!(i.is_read_replica());
}

#[test]
fn cluster_lists_members_and_writer() {
    let sdk = DbCluster::builder()
        .db_cluster_identifier("ledger")
        .db_cluster_arn("arn:aws:rds:eu-west-1:123456789012:cluster:ledger")
        .engine("aurora-postgresql")
        .status("available")
        .storage_encrypted(true)
        .backup_retention_period(7)
        .port(5432)
        .master_username("ledger_admin")
        .db_cluster_members(
            DbClusterMember::builder()
                .db_instance_identifier("ledger-1")
                .is_cluster_writer(true)
                .build(),
        )
        .db_cluster_members(
            DbClusterMember::builder()
                .db_instance_identifier("ledger-2")
                .is_cluster_writer(false)
                .build(),
        )
        .vpc_security_groups(sg_membership("sg-private"))
        .pending_modified_values(
            aws_sdk_rds::types::ClusterPendingModifiedValues::builder()
                .backup_retention_period(14)
                .build(),
        )
        .build();
    let c = cluster(&sdk, REGION);
    assert_eq!(c.id, "ledger");
    assert!(c.is_aurora());
    assert!(c.storage_encrypted);
    assert!(!c.deletion_protection && !c.multi_az);
    assert_eq!(c.port, 5432);
    assert_eq!(c.backup_retention_days, 7);
    assert_eq!(c.members.len(), 2);
    assert!(c.members[0].is_writer && !c.members[1].is_writer);
    assert_eq!(c.members[1].instance_id, "ledger-2");
    assert_eq!(c.security_group_ids, vec!["sg-private"]);
    assert_eq!(c.auto_minor_version_upgrade, None);
    assert_eq!(c.pending_changes, vec!["BackupRetentionPeriod=14"]);
    // Aurora reports no cluster-level public access or monitoring.
    assert_eq!(c.publicly_accessible, None);
    assert_eq!(c.monitoring_interval_secs, None);
}

#[test]
fn multi_az_db_cluster_carries_what_it_decides_for_its_members() {
    let c = rds::DbCluster::builder()
        .db_cluster_identifier("payouts")
        .engine("postgres")
        .publicly_accessible(true)
        .auto_minor_version_upgrade(false)
        .monitoring_interval(0)
        .db_cluster_instance_class("db.m6gd.large")
        .build();
    let c = cluster(&c, "eu-west-1");
    assert!(c.is_multi_az_db_cluster());
    assert_eq!(c.publicly_accessible, Some(true));
    assert_eq!(c.auto_minor_version_upgrade, Some(false));
    assert_eq!(c.monitoring_interval_secs, Some(0));
    assert_eq!(
        c.db_cluster_instance_class.as_deref(),
        Some("db.m6gd.large")
    );
}

#[test]
fn snapshots_keep_their_kind_and_source() {
    let db = db_snapshot(
        &DbSnapshot::builder()
            .db_snapshot_identifier("orders-before-migration")
            .db_instance_identifier("orders-db")
            .snapshot_type("manual")
            .status("available")
            .engine("postgres")
            .encrypted(false)
            .port(5432)
            .allocated_storage(100)
            .build(),
        REGION,
    );
    assert_eq!(db.kind, SnapshotKind::Db);
    assert_eq!(db.source_id, "orders-db");
    assert_eq!(db.snapshot_type, "manual");
    assert!(!db.encrypted);
    assert_eq!((db.port, db.allocated_storage_gb), (5432, 100));

    let cluster = cluster_snapshot(
        &DbClusterSnapshot::builder()
            .db_cluster_snapshot_identifier("ledger-weekly")
            .db_cluster_identifier("ledger")
            .snapshot_type("manual")
            .storage_encrypted(true)
            .engine_version("16.4")
            .build(),
        REGION,
    );
    assert_eq!(cluster.kind, SnapshotKind::Cluster);
    assert_eq!(cluster.source_id, "ledger");
    assert!(cluster.encrypted);
    // What a cluster restored from it must be told.
    assert_eq!(cluster.engine_version, "16.4");
}

#[test]
fn restore_attribute_all_makes_a_public_snapshot() {
    let result = DbSnapshotAttributesResult::builder()
        .db_snapshot_identifier("orders-before-migration")
        .db_snapshot_attributes(
            DbSnapshotAttribute::builder()
                .attribute_name("restore")
                .attribute_values("all")
                .attribute_values("210987654321")
                .build(),
        )
        .build();
    let snapshot = Snapshot {
        shared_with: db_snapshot_restore(&result),
        ..Snapshot::default()
    };
    assert_eq!(snapshot.shared_with, vec!["all", "210987654321"]);
    assert!(snapshot.is_public());

    let unshared = DbClusterSnapshotAttributesResult::builder()
        .db_cluster_snapshot_attributes(
            DbClusterSnapshotAttribute::builder()
                .attribute_name("restore")
                .build(),
        )
        .build();
    assert!(cluster_snapshot_restore(&unshared).is_empty());
}

#[test]
fn ipv6_world_rule_and_source_groups() {
    let sdk = ec2::SecurityGroup::builder()
        .group_id("sg-0abc")
        .group_name("db-open")
        .description("database")
        .vpc_id("vpc-1")
        .owner_id("123456789012")
        .ip_permissions(
            ec2::IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(5432)
                .to_port(5432)
                .ip_ranges(ec2::IpRange::builder().cidr_ip("10.0.0.0/8").build())
                .ipv6_ranges(
                    ec2::Ipv6Range::builder()
                        .cidr_ipv6("::/0")
                        .description("anyone over v6")
                        .build(),
                )
                .build(),
        )
        .ip_permissions(
            ec2::IpPermission::builder()
                .ip_protocol("-1")
                .user_id_group_pairs(ec2::UserIdGroupPair::builder().group_id("sg-app").build())
                .build(),
        )
        .build();
    let g = security_group(&sdk, REGION);
    assert_eq!((g.id.as_str(), g.name.as_str()), ("sg-0abc", "db-open"));
    assert_eq!(g.vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(g.ingress.len(), 2);
    let world = &g.ingress[0];
    assert_eq!(world.protocol, "tcp");
    assert_eq!((world.from_port, world.to_port), (Some(5432), Some(5432)));
    assert_eq!(world.ipv4_ranges, vec!["10.0.0.0/8"]);
    assert_eq!(world.ipv6_ranges, vec!["::/0"]);
    assert_eq!(world.world_ranges(), vec!["::/0"]);
    assert!(world.covers_tcp_port(5432));
    assert_eq!(world.description.as_deref(), Some("anyone over v6"));
    let internal = &g.ingress[1];
    assert!(internal.is_all_traffic());
    assert_eq!(internal.source_groups, vec!["sg-app"]);
    assert!(internal.world_ranges().is_empty());
}

#[test]
fn account_comes_out_of_an_arn() {
    assert_eq!(
        arn_account("arn:aws:rds:us-east-1:123456789012:db:x"),
        Some("123456789012")
    );
    assert_eq!(
        arn_account("arn:aws-cn:rds:cn-north-1:210987654321:snapshot:s"),
        Some("210987654321")
    );
    assert_eq!(arn_account("not-an-arn"), None);
    assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
}

// ---- network reachability ------------------------------------------------------

#[test]
fn an_instance_carries_its_subnet_groups_subnets_and_vpc() {
    use aws_sdk_rds::types::{DbSubnetGroup, Subnet as RdsSubnet};
    let group = DbSubnetGroup::builder()
        .db_subnet_group_name("data")
        .vpc_id("vpc-1")
        .subnets(RdsSubnet::builder().subnet_identifier("subnet-a").build())
        .subnets(RdsSubnet::builder().subnet_identifier("subnet-b").build())
        .build();
    let sdk = DbInstance::builder()
        .db_instance_identifier("db")
        .db_subnet_group(group)
        .build();
    let i = instance(&sdk, REGION);
    assert_eq!(i.subnet_group.as_deref(), Some("data"));
    assert_eq!(i.subnet_ids, vec!["subnet-a", "subnet-b"]);
    assert_eq!(i.vpc_id.as_deref(), Some("vpc-1"));
    // No subnet group reported (moto without one): nothing invented.
    let bare = instance(&DbInstance::builder().build(), REGION);
    assert!(bare.subnet_ids.is_empty() && bare.vpc_id.is_none());
}

#[test]
fn a_route_table_keeps_its_live_associations_and_every_cidr_route() {
    use aws_sdk_ec2::types::{
        Route as Ec2Route, RouteState, RouteTable as Ec2Table, RouteTableAssociation,
        RouteTableAssociationState, RouteTableAssociationStateCode,
    };
    let state = |code| RouteTableAssociationState::builder().state(code).build();
    let sdk = Ec2Table::builder()
        .route_table_id("rtb-1")
        .vpc_id("vpc-1")
        .associations(RouteTableAssociation::builder().main(true).build())
        .associations(
            RouteTableAssociation::builder()
                .subnet_id("subnet-a")
                .association_state(state(RouteTableAssociationStateCode::Associated))
                .build(),
        )
        .associations(
            RouteTableAssociation::builder()
                .subnet_id("subnet-gone")
                .association_state(state(RouteTableAssociationStateCode::Disassociated))
                .build(),
        )
        .routes(
            Ec2Route::builder()
                .destination_cidr_block("0.0.0.0/0")
                .nat_gateway_id("nat-1")
                .state(RouteState::Active)
                .build(),
        )
        .routes(
            Ec2Route::builder()
                .destination_ipv6_cidr_block("::/0")
                .gateway_id("igw-1")
                .state(RouteState::Blackhole)
                .build(),
        )
        .routes(
            Ec2Route::builder()
                .destination_prefix_list_id("pl-1")
                .gateway_id("vpce-1")
                .build(),
        )
        .build();
    let t = route_table(&sdk, REGION);
    assert!(t.main);
    assert_eq!(t.subnet_ids, vec!["subnet-a"]);
    assert_eq!(t.routes.len(), 2, "{:?}", t.routes);
    assert_eq!(
        (
            t.routes[0].destination.as_str(),
            t.routes[0].target.as_str()
        ),
        ("0.0.0.0/0", "nat-1")
    );
    assert!(t.routes[0].is_active() && !t.routes[0].to_internet_gateway());
    assert!(t.routes[1].to_internet_gateway() && !t.routes[1].is_active());
}

#[test]
fn a_gateway_is_attached_only_where_its_attachment_is_available() {
    use aws_sdk_ec2::types::{AttachmentStatus, InternetGatewayAttachment};
    let attachment = |vpc: &str, state: &str| {
        InternetGatewayAttachment::builder()
            .vpc_id(vpc)
            .state(AttachmentStatus::from(state))
            .build()
    };
    let sdk = aws_sdk_ec2::types::InternetGateway::builder()
        .internet_gateway_id("igw-1")
        .attachments(attachment("vpc-1", "available"))
        .attachments(attachment("vpc-2", "detached"))
        .build();
    let g = internet_gateway(&sdk, REGION);
    assert_eq!(g.vpc_ids, vec!["vpc-1"]);
    assert!(g.attached_to("vpc-1") && !g.attached_to("vpc-2"));
}
