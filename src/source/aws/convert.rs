//! SDK types → model types. Pure functions: no calls, no clocks.
//!
//! AWS leaves most fields optional; a missing flag reads as `false`, a
//! missing number as 0, so rules judge what AWS reported and nothing more.

use aws_sdk_ec2::types as ec2;
use aws_sdk_rds::types as rds;
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

use crate::model::{
    Certificate, Cluster, ClusterMember, IngressRule, Instance, InternetGateway, Route, RouteTable,
    SecurityGroup, Snapshot, SnapshotKind, Subnet, TLS_PARAMETERS, Tags,
};

/// The snapshot attribute that lists who may restore it.
pub const RESTORE_ATTRIBUTE: &str = "restore";

pub fn cluster(c: &rds::DbCluster, region: &str) -> Cluster {
    Cluster {
        id: text(c.db_cluster_identifier()),
        arn: c.db_cluster_arn().map(str::to_string),
        region: region.to_string(),
        engine: text(c.engine()),
        engine_version: text(c.engine_version()),
        status: text(c.status()),
        members: c
            .db_cluster_members()
            .iter()
            .map(|m| ClusterMember {
                instance_id: text(m.db_instance_identifier()),
                is_writer: m.is_cluster_writer().unwrap_or(false),
            })
            .collect(),
        multi_az: c.multi_az().unwrap_or(false),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        kms_key_id: c.kms_key_id().map(str::to_string),
        backup_retention_days: count(c.backup_retention_period()),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        iam_auth_enabled: c.iam_database_authentication_enabled().unwrap_or(false),
        port: port(c.port()),
        master_username: text(c.master_username()),
        copy_tags_to_snapshot: c.copy_tags_to_snapshot().unwrap_or(false),
        cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
        security_group_ids: c
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
            .collect(),
        auto_minor_version_upgrade: c.auto_minor_version_upgrade(),
        publicly_accessible: c.publicly_accessible(),
        db_cluster_instance_class: c.db_cluster_instance_class().map(str::to_string),
        monitoring_interval_secs: c.monitoring_interval().map(|n| count(Some(n))),
        endpoint: c.endpoint().map(str::to_string),
        created: c.cluster_create_time().and_then(timestamp),
        pending_changes: c
            .pending_modified_values()
            .map(cluster_pending)
            .unwrap_or_default(),
        subnet_group: c.db_subnet_group().map(str::to_string),
        parameter_group: c.db_cluster_parameter_group().map(str::to_string),
        storage_type: c.storage_type().map(str::to_string),
        tags: tags(c.tag_list()),
        master_user_secret: Some(c.master_user_secret().is_some()),
    }
}

pub fn instance(i: &rds::DbInstance, region: &str) -> Instance {
    // The endpoint's port is what clients use; DbInstancePort is 0 for most
    // standalone instances and absent while an instance is being created.
    let port = i
        .endpoint()
        .and_then(|e| e.port())
        .filter(|p| *p > 0)
        .or(i.db_instance_port());
    let parameter_group = i.db_parameter_groups().first();
    let subnet_group = i.db_subnet_group();
    Instance {
        id: text(i.db_instance_identifier()),
        arn: i.db_instance_arn().map(str::to_string),
        region: region.to_string(),
        engine: text(i.engine()),
        engine_version: text(i.engine_version()),
        class: text(i.db_instance_class()),
        status: text(i.db_instance_status()),
        cluster_id: i.db_cluster_identifier().map(str::to_string),
        availability_zone: i.availability_zone().map(str::to_string),
        multi_az: i.multi_az().unwrap_or(false),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        storage_encrypted: i.storage_encrypted().unwrap_or(false),
        kms_key_id: i.kms_key_id().map(str::to_string),
        allocated_storage_gb: count(i.allocated_storage()),
        backup_retention_days: count(i.backup_retention_period()),
        deletion_protection: i.deletion_protection().unwrap_or(false),
        auto_minor_version_upgrade: i.auto_minor_version_upgrade().unwrap_or(false),
        iam_auth_enabled: i.iam_database_authentication_enabled().unwrap_or(false),
        port: self::port(port),
        master_username: i.master_username().map(str::to_string),
        copy_tags_to_snapshot: i.copy_tags_to_snapshot().unwrap_or(false),
        monitoring_interval_secs: count(i.monitoring_interval()),
        cloudwatch_logs_exports: i.enabled_cloudwatch_logs_exports().to_vec(),
        security_group_ids: group_ids(i.vpc_security_groups()),
        subnet_group: subnet_group.and_then(|g| owned(g.db_subnet_group_name())),
        parameter_group: parameter_group.and_then(|g| owned(g.db_parameter_group_name())),
        replica_source: i
            .read_replica_source_db_instance_identifier()
            .or(i.read_replica_source_db_cluster_identifier())
            .map(str::to_string),
        endpoint: i.endpoint().and_then(|e| e.address()).map(str::to_string),
        created: i.instance_create_time().and_then(timestamp),
        pending_changes: i
            .pending_modified_values()
            .map(instance_pending)
            .unwrap_or_default(),
        option_group: i
            .option_group_memberships()
            .first()
            .and_then(|g| g.option_group_name())
            .map(str::to_string),
        storage_type: i.storage_type().map(str::to_string),
        iops: i.iops().and_then(|v| u32::try_from(v).ok()),
        storage_throughput: i.storage_throughput().and_then(|v| u32::try_from(v).ok()),
        ca_certificate: i.ca_certificate_identifier().map(str::to_string),
        monitoring_role_arn: i.monitoring_role_arn().map(str::to_string),
        tags: tags(i.tag_list()),
        subnet_ids: subnet_group.map(subnet_ids).unwrap_or_default(),
        vpc_id: subnet_group.and_then(|g| owned(g.vpc_id())),
        parameter_group_status: parameter_group.and_then(|g| owned(g.parameter_apply_status())),
        certificate: i.certificate_details().map(|d| Certificate {
            ca: d.ca_identifier().map(str::to_string),
            valid_till: d.valid_till().and_then(timestamp),
        }),
        // Aurora members report no secret: the cluster holds it.
        master_user_secret: Some(i.master_user_secret().is_some()),
    }
}

/// An optional borrowed string, owned.
fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_string)
}

/// The ids of the VPC security groups in a membership list.
fn group_ids(groups: &[rds::VpcSecurityGroupMembership]) -> Vec<String> {
    groups
        .iter()
        .filter_map(|g| owned(g.vpc_security_group_id()))
        .collect()
}

/// The subnets of a DB subnet group, by id.
fn subnet_ids(group: &rds::DbSubnetGroup) -> Vec<String> {
    group
        .subnets()
        .iter()
        .filter_map(|s| owned(s.subnet_identifier()))
        .collect()
}

/// The values of the TLS parameters among a page of `Parameters`; one
/// without a value is left out (the engine's default applies).
pub fn tls_values(parameters: &[rds::Parameter]) -> Vec<(String, String)> {
    parameters
        .iter()
        .filter_map(|p| Some((p.parameter_name()?, p.parameter_value()?)))
        .filter(|(name, _)| TLS_PARAMETERS.contains(name))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// A snapshot of either kind from the SDK type's accessors: the two types
/// carry the same fields under a few different names. A macro because they
/// share no trait.
macro_rules! snapshot {
    ($s:expr, $region:expr, $kind:expr, id: $id:ident, arn: $arn:ident,
     source: $source:ident, encrypted: $encrypted:ident) => {{
        let s = $s;
        Snapshot {
            id: text(s.$id()),
            arn: s.$arn().map(str::to_string),
            region: $region.to_string(),
            kind: $kind,
            source_id: text(s.$source()),
            engine: text(s.engine()),
            status: text(s.status()),
            snapshot_type: text(s.snapshot_type()),
            encrypted: s.$encrypted().unwrap_or(false),
            kms_key_id: s.kms_key_id().map(str::to_string),
            allocated_storage_gb: count(s.allocated_storage()),
            port: port(s.port()),
            created: s.snapshot_create_time().and_then(timestamp),
            shared_with: Vec::new(),
            sharing_unknown: false,
            engine_version: text(s.engine_version()),
            tags: tags(s.tag_list()),
        }
    }};
}

/// A DB snapshot; `shared_with` is filled from its attributes separately.
pub fn db_snapshot(s: &rds::DbSnapshot, region: &str) -> Snapshot {
    snapshot!(s, region, SnapshotKind::Db,
        id: db_snapshot_identifier, arn: db_snapshot_arn,
        source: db_instance_identifier, encrypted: encrypted)
}

/// A DB cluster snapshot; `shared_with` is filled from its attributes separately.
pub fn cluster_snapshot(s: &rds::DbClusterSnapshot, region: &str) -> Snapshot {
    snapshot!(s, region, SnapshotKind::Cluster,
        id: db_cluster_snapshot_identifier, arn: db_cluster_snapshot_arn,
        source: db_cluster_identifier, encrypted: storage_encrypted)
}

/// Accounts in a DB snapshot's `restore` attribute (`all` = public).
pub fn db_snapshot_restore(result: &rds::DbSnapshotAttributesResult) -> Vec<String> {
    let attributes = result.db_snapshot_attributes().iter();
    restore_accounts(attributes.map(|a| (a.attribute_name(), a.attribute_values())))
}

/// Accounts in a cluster snapshot's `restore` attribute (`all` = public).
pub fn cluster_snapshot_restore(result: &rds::DbClusterSnapshotAttributesResult) -> Vec<String> {
    let attributes = result.db_cluster_snapshot_attributes().iter();
    restore_accounts(attributes.map(|a| (a.attribute_name(), a.attribute_values())))
}

/// The values of the `restore` attribute among `(name, values)` pairs.
fn restore_accounts<'a>(
    attributes: impl Iterator<Item = (Option<&'a str>, &'a [String])>,
) -> Vec<String> {
    attributes
        .filter(|(name, _)| *name == Some(RESTORE_ATTRIBUTE))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}

pub fn security_group(g: &ec2::SecurityGroup, region: &str) -> SecurityGroup {
    SecurityGroup {
        id: text(g.group_id()),
        name: text(g.group_name()),
        region: region.to_string(),
        vpc_id: g.vpc_id().map(str::to_string),
        description: text(g.description()),
        ingress: g.ip_permissions().iter().map(ingress_rule).collect(),
    }
}

pub fn ingress_rule(p: &ec2::IpPermission) -> IngressRule {
    // EC2 keeps one description per source; the model keeps the first.
    let description = p
        .ip_ranges()
        .iter()
        .filter_map(|r| r.description())
        .chain(p.ipv6_ranges().iter().filter_map(|r| r.description()))
        .chain(
            p.user_id_group_pairs()
                .iter()
                .filter_map(|g| g.description()),
        )
        .find(|d| !d.is_empty())
        .map(str::to_string);
    IngressRule {
        protocol: text(p.ip_protocol()),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ipv4_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
        source_groups: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string))
            .collect(),
        description,
    }
}

/// The account id in an ARN such as `arn:aws:rds:REGION:ACCOUNT:db:NAME`.
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn"))
        .then(|| parts.nth(3))
        .flatten()
        .filter(|a| !a.is_empty())
}

/// Changes waiting for the window, as `Name=value`.
pub fn instance_pending(p: &rds::PendingModifiedValues) -> Vec<String> {
    let mut out = Vec::new();
    push(&mut out, "DBInstanceClass", p.db_instance_class());
    push(&mut out, "AllocatedStorage", p.allocated_storage());
    push(&mut out, "Port", p.port());
    push(
        &mut out,
        "BackupRetentionPeriod",
        p.backup_retention_period(),
    );
    push(&mut out, "MultiAZ", p.multi_az());
    push(&mut out, "EngineVersion", p.engine_version());
    push(&mut out, "LicenseModel", p.license_model());
    push(&mut out, "Iops", p.iops());
    push(&mut out, "StorageThroughput", p.storage_throughput());
    push(&mut out, "DBInstanceIdentifier", p.db_instance_identifier());
    push(&mut out, "StorageType", p.storage_type());
    push(
        &mut out,
        "CACertificateIdentifier",
        p.ca_certificate_identifier(),
    );
    push(&mut out, "DBSubnetGroupName", p.db_subnet_group_name());
    push(
        &mut out,
        "IAMDatabaseAuthenticationEnabled",
        p.iam_database_authentication_enabled(),
    );
    push(&mut out, "MultiTenant", p.multi_tenant());
    push(&mut out, "DedicatedLogVolume", p.dedicated_log_volume());
    push(&mut out, "Engine", p.engine());
    let password = p.master_user_password().is_some();
    secret_and_logs(&mut out, password, p.pending_cloudwatch_logs_exports());
    out
}

pub fn cluster_pending(p: &rds::ClusterPendingModifiedValues) -> Vec<String> {
    let mut out = Vec::new();
    push(&mut out, "DBClusterIdentifier", p.db_cluster_identifier());
    push(
        &mut out,
        "IAMDatabaseAuthenticationEnabled",
        p.iam_database_authentication_enabled(),
    );
    push(&mut out, "EngineVersion", p.engine_version());
    push(
        &mut out,
        "BackupRetentionPeriod",
        p.backup_retention_period(),
    );
    push(&mut out, "StorageType", p.storage_type());
    push(&mut out, "AllocatedStorage", p.allocated_storage());
    push(&mut out, "Iops", p.iops());
    let password = p.master_user_password().is_some();
    secret_and_logs(&mut out, password, p.pending_cloudwatch_logs_exports());
    out
}

/// The pending changes both resource kinds end with: a new master
/// password, and log exports to turn on or off.
fn secret_and_logs(
    out: &mut Vec<String>,
    password: bool,
    logs: Option<&rds::PendingCloudwatchLogsExports>,
) {
    if password {
        // Never the value: AWS masks it, and it has no place on a screen.
        out.push("MasterUserPassword".to_string());
    }
    if let Some(logs) = logs {
        log_exports(out, logs);
    }
}

fn log_exports(out: &mut Vec<String>, logs: &rds::PendingCloudwatchLogsExports) {
    if !logs.log_types_to_enable().is_empty() {
        out.push(format!(
            "EnableLogTypes={}",
            logs.log_types_to_enable().join(",")
        ));
    }
    if !logs.log_types_to_disable().is_empty() {
        out.push(format!(
            "DisableLogTypes={}",
            logs.log_types_to_disable().join(",")
        ));
    }
}

fn push<T: std::fmt::Display>(out: &mut Vec<String>, name: &str, value: Option<T>) {
    if let Some(value) = value {
        out.push(format!("{name}={value}"));
    }
}

/// RFC 3339, as the demo fleet and saved files carry times.
pub fn timestamp(t: &DateTime) -> Option<String> {
    t.fmt(Format::DateTime).ok()
}

fn tags(list: &[rds::Tag]) -> Tags {
    list.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

fn count(value: Option<i32>) -> u32 {
    value.and_then(|v| u32::try_from(v).ok()).unwrap_or(0)
}

fn port(value: Option<i32>) -> u16 {
    value.and_then(|v| u16::try_from(v).ok()).unwrap_or(0)
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;

// Network reachability (issue 14)

pub fn subnet(s: &ec2::Subnet, region: &str) -> Subnet {
    Subnet {
        id: text(s.subnet_id()),
        region: region.to_string(),
        vpc_id: text(s.vpc_id()),
        availability_zone: s.availability_zone().map(str::to_string),
        cidr: s.cidr_block().map(str::to_string),
    }
}

pub fn route_table(t: &ec2::RouteTable, region: &str) -> RouteTable {
    // An association on its way out (or failed) no longer decides routing.
    let live = |a: &&ec2::RouteTableAssociation| {
        a.association_state()
            .and_then(|s| s.state())
            .is_none_or(|s| s.as_str() == "associated")
    };
    let associations: Vec<&ec2::RouteTableAssociation> =
        t.associations().iter().filter(live).collect();
    RouteTable {
        id: text(t.route_table_id()),
        region: region.to_string(),
        vpc_id: text(t.vpc_id()),
        main: associations.iter().any(|a| a.main() == Some(true)),
        subnet_ids: associations
            .iter()
            .filter_map(|a| a.subnet_id().map(str::to_string))
            .collect(),
        routes: t.routes().iter().filter_map(route).collect(),
    }
}

/// A route to a CIDR; routes to a prefix list are left out (never a
/// default route).
fn route(r: &ec2::Route) -> Option<Route> {
    let destination = r
        .destination_cidr_block()
        .or(r.destination_ipv6_cidr_block())?;
    let target = [
        r.gateway_id(),
        r.nat_gateway_id(),
        r.egress_only_internet_gateway_id(),
        r.transit_gateway_id(),
        r.vpc_peering_connection_id(),
        r.network_interface_id(),
        r.instance_id(),
        r.local_gateway_id(),
        r.carrier_gateway_id(),
        r.core_network_arn(),
    ]
    .into_iter()
    .flatten()
    .next();
    Some(Route {
        destination: destination.to_string(),
        target: text(target),
        state: r
            .state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
    })
}

pub fn internet_gateway(g: &ec2::InternetGateway, region: &str) -> InternetGateway {
    // EC2 reports an attached gateway as `available` (the SDK's enum says
    // `attached`); one attaching or detaching carries no traffic yet/any more.
    let attached = |a: &&ec2::InternetGatewayAttachment| {
        a.state()
            .is_none_or(|s| matches!(s.as_str(), "available" | "attached"))
    };
    InternetGateway {
        id: text(g.internet_gateway_id()),
        region: region.to_string(),
        vpc_ids: g
            .attachments()
            .iter()
            .filter(attached)
            .filter_map(|a| a.vpc_id().map(str::to_string))
            .collect(),
    }
}
