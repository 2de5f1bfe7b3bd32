//! What a restored copy takes from its original. A restore that leaves a
//! parameter out gets AWS's default, and some defaults open exposure:
//! without PubliclyAccessible a copy in a VPC with an internet gateway
//! comes back public. So every setting the restore call accepts is sent,
//! flags always explicit, and after the restore the copy is read back and
//! compared with what was sent (verify-after).
//!
//! One description serves both ends: `From<&Instance>` says what an
//! instance's settings are as restore parameters, so the plan sends
//! `CarriedOver::from(original)` and verify-after compares it with
//! `CarriedOver::from(copy)`, parameter by parameter.

use serde::{Deserialize, Serialize};

use crate::model::{Cluster, Instance, Tags};
use crate::remediation::{Caveat, Param, Value};

/// Each parameter of `sent` that `seen` (the same settings read back from
/// the copy) holds differently, or not at all; `Err` lists them.
pub fn differences(sent: &[Param], seen: &[Param]) -> Result<(), String> {
    let differ: Vec<String> = sent
        .iter()
        .filter_map(|want| {
            let got = seen.iter().find(|p| p.name == want.name);
            match got {
                Some(got) if got.value == want.value => None,
                Some(got) => Some(format!(
                    "{} is {}, not {}",
                    want.name,
                    got.value.shown(),
                    want.value.shown()
                )),
                None => Some(format!(
                    "{} is not set, not {}",
                    want.name,
                    want.value.shown()
                )),
            }
        })
        .collect();
    if differ.is_empty() {
        Ok(())
    } else {
        Err(format!("the copy differs: {}", differ.join("; ")))
    }
}

/// `Tags=[{"Key":…,"Value":…}]`, as the API and the CLI take them; `None`
/// when there are none (the copy then starts with none either way).
pub fn tags_param(tags: &Tags) -> Option<Param> {
    if tags.is_empty() {
        return None;
    }
    let list: Vec<serde_json::Value> = tags
        .iter()
        .map(|(k, v)| serde_json::json!({ "Key": k, "Value": v }))
        .collect();
    Some(Param {
        name: "Tags",
        value: Value::Json(serde_json::Value::Array(list)),
    })
}

/// The tags as the SDK takes them.
pub fn sdk_tags(tags: &Tags) -> Option<Vec<aws_sdk_rds::types::Tag>> {
    (!tags.is_empty()).then(|| {
        tags.iter()
            .map(|(k, v)| aws_sdk_rds::types::Tag::builder().key(k).value(v).build())
            .collect()
    })
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// An option group AWS assigns when none is chosen: a copy gets its
/// engine version's default without being told.
fn chosen_option_group(name: Option<&String>) -> Option<String> {
    name.filter(|n| !n.is_empty() && !n.starts_with("default:"))
        .cloned()
}

/// gp3 below its size threshold has a fixed baseline (3000 IOPS, 125
/// MiB/s) that AWS refuses to be told; the copy, of the same size, gets
/// it anyway. io1/io2 take IOPS; gp2 and magnetic take neither.
fn provisioned(
    storage_type: Option<&str>,
    iops: Option<u32>,
    throughput: Option<u32>,
) -> (Option<u32>, Option<u32>) {
    match storage_type {
        Some("io1" | "io2") => (iops, None),
        Some("gp3") if (iops, throughput) != (Some(3000), Some(125)) => (iops, throughput),
        _ => (None, None),
    }
}

/// What a restored instance takes from its original.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarriedOver {
    pub instance_class: Option<String>,
    pub subnet_group: Option<String>,
    pub security_group_ids: Vec<String>,
    pub parameter_group: Option<String>,
    /// Always sent: left out, AWS decides by the subnet group's VPC.
    pub publicly_accessible: bool,
    pub multi_az: bool,
    pub deletion_protection: bool,
    pub iam_auth: bool,
    pub auto_minor_version_upgrade: bool,
    pub copy_tags_to_snapshot: bool,
    pub port: Option<u16>,
    pub option_group: Option<String>,
    pub storage_type: Option<String>,
    pub iops: Option<u32>,
    pub storage_throughput: Option<u32>,
    pub ca_certificate: Option<String>,
    pub log_exports: Vec<String>,
    pub backup_retention_days: Option<u32>,
    pub tags: Tags,
}

impl From<&Instance> for CarriedOver {
    fn from(i: &Instance) -> Self {
        let (iops, storage_throughput) =
            provisioned(i.storage_type.as_deref(), i.iops, i.storage_throughput);
        Self {
            instance_class: Some(i.class.clone()).filter(|c| !c.is_empty()),
            subnet_group: i.subnet_group.clone(),
            security_group_ids: sorted(&i.security_group_ids),
            parameter_group: i.parameter_group.clone(),
            publicly_accessible: i.publicly_accessible,
            multi_az: i.multi_az,
            deletion_protection: i.deletion_protection,
            iam_auth: i.iam_auth_enabled,
            auto_minor_version_upgrade: i.auto_minor_version_upgrade,
            copy_tags_to_snapshot: i.copy_tags_to_snapshot,
            port: Some(i.port).filter(|p| *p > 0),
            option_group: chosen_option_group(i.option_group.as_ref()),
            storage_type: i.storage_type.clone(),
            iops,
            storage_throughput,
            ca_certificate: i.ca_certificate.clone(),
            log_exports: sorted(&i.cloudwatch_logs_exports),
            backup_retention_days: Some(i.backup_retention_days),
            tags: i.tags.clone(),
        }
    }
}

impl CarriedOver {
    /// The RestoreDBInstanceFromDBSnapshot parameters, in API spelling and
    /// order; flags always, the rest when the original has them.
    pub fn parameters(&self) -> Vec<Param> {
        let mut p = Vec::new();
        let text = |p: &mut Vec<Param>, name, value: &Option<String>| {
            if let Some(v) = value {
                p.push(Param::text(name, v));
            }
        };
        let number = |p: &mut Vec<Param>, name, value: Option<u32>| {
            if let Some(v) = value {
                p.push(Param::number(name, i64::from(v)));
            }
        };
        text(&mut p, "DBInstanceClass", &self.instance_class);
        number(&mut p, "Port", self.port.map(u32::from));
        text(&mut p, "DBSubnetGroupName", &self.subnet_group);
        p.push(Param::flag("MultiAZ", self.multi_az));
        p.push(Param::flag("PubliclyAccessible", self.publicly_accessible));
        p.push(Param::flag(
            "AutoMinorVersionUpgrade",
            self.auto_minor_version_upgrade,
        ));
        number(&mut p, "Iops", self.iops);
        number(&mut p, "StorageThroughput", self.storage_throughput);
        text(&mut p, "OptionGroupName", &self.option_group);
        p.extend(tags_param(&self.tags));
        text(&mut p, "StorageType", &self.storage_type);
        if !self.security_group_ids.is_empty() {
            p.push(Param::list("VpcSecurityGroupIds", &self.security_group_ids));
        }
        p.push(Param::flag(
            "CopyTagsToSnapshot",
            self.copy_tags_to_snapshot,
        ));
        p.push(Param::flag(
            "EnableIAMDatabaseAuthentication",
            self.iam_auth,
        ));
        if !self.log_exports.is_empty() {
            p.push(Param::list(
                "EnableCloudwatchLogsExports",
                &self.log_exports,
            ));
        }
        text(&mut p, "DBParameterGroupName", &self.parameter_group);
        p.push(Param::flag("DeletionProtection", self.deletion_protection));
        number(&mut p, "BackupRetentionPeriod", self.backup_retention_days);
        text(&mut p, "CACertificateIdentifier", &self.ca_certificate);
        p
    }

    /// `copy` as the restore makes it: these settings over the original's.
    pub fn apply_to(&self, copy: &mut Instance) {
        if let Some(class) = &self.instance_class {
            copy.class = class.clone();
        }
        let keep = |value: &Option<String>, old: &Option<String>| value.clone().or(old.clone());
        copy.subnet_group = keep(&self.subnet_group, &copy.subnet_group);
        if !self.security_group_ids.is_empty() {
            copy.security_group_ids = self.security_group_ids.clone();
        }
        copy.parameter_group = keep(&self.parameter_group, &copy.parameter_group);
        copy.publicly_accessible = self.publicly_accessible;
        copy.multi_az = self.multi_az;
        copy.deletion_protection = self.deletion_protection;
        copy.iam_auth_enabled = self.iam_auth;
        copy.auto_minor_version_upgrade = self.auto_minor_version_upgrade;
        copy.copy_tags_to_snapshot = self.copy_tags_to_snapshot;
        copy.port = self.port.unwrap_or(copy.port);
        copy.option_group = keep(&self.option_group, &copy.option_group);
        copy.storage_type = keep(&self.storage_type, &copy.storage_type);
        copy.iops = self.iops.or(copy.iops);
        copy.storage_throughput = self.storage_throughput.or(copy.storage_throughput);
        copy.ca_certificate = keep(&self.ca_certificate, &copy.ca_certificate);
        copy.cloudwatch_logs_exports = self.log_exports.clone();
        copy.backup_retention_days = self
            .backup_retention_days
            .unwrap_or(copy.backup_retention_days);
        copy.tags = self.tags.clone();
        // The restore call cannot set monitoring: a copy starts without it.
        copy.monitoring_interval_secs = 0;
        copy.monitoring_role_arn = None;
    }
}

/// What a restored cluster takes from its original. (Aurora: public
/// access, class and monitoring belong to the instances, which the plan
/// creates with their own call.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarriedCluster {
    /// Left out, AWS restores into the region's default version (which
    /// the parameter groups may not fit): the snapshot's is sent.
    pub engine_version: Option<String>,
    pub port: Option<u16>,
    pub subnet_group: Option<String>,
    pub security_group_ids: Vec<String>,
    pub parameter_group: Option<String>,
    /// Always sent: left out, AWS decides by the subnet group's VPC.
    /// Taken from the original's writer (false without one).
    pub publicly_accessible: bool,
    pub deletion_protection: bool,
    pub iam_auth: bool,
    pub copy_tags_to_snapshot: bool,
    pub log_exports: Vec<String>,
    pub backup_retention_days: Option<u32>,
    pub storage_type: Option<String>,
    pub tags: Tags,
}

impl CarriedCluster {
    /// The settings of `original`, public only if its writer is.
    pub fn new(original: &Cluster, writer: Option<&Instance>) -> Self {
        Self {
            engine_version: Some(original.engine_version.clone()).filter(|v| !v.is_empty()),
            port: Some(original.port).filter(|p| *p > 0),
            subnet_group: original.subnet_group.clone(),
            security_group_ids: sorted(&original.security_group_ids),
            parameter_group: original.parameter_group.clone(),
            publicly_accessible: writer.is_some_and(|w| w.publicly_accessible),
            deletion_protection: original.deletion_protection,
            iam_auth: original.iam_auth_enabled,
            copy_tags_to_snapshot: original.copy_tags_to_snapshot,
            log_exports: sorted(&original.cloudwatch_logs_exports),
            // The API takes 1 to 35 for a cluster.
            backup_retention_days: Some(original.backup_retention_days).filter(|d| *d > 0),
            storage_type: original.storage_type.clone(),
            tags: original.tags.clone(),
        }
    }

    /// The RestoreDBClusterFromSnapshot parameters, in API order.
    pub fn parameters(&self) -> Vec<Param> {
        let mut p = Vec::new();
        if let Some(version) = &self.engine_version {
            p.push(Param::text("EngineVersion", version));
        }
        if let Some(port) = self.port {
            p.push(Param::number("Port", i64::from(port)));
        }
        if let Some(group) = &self.subnet_group {
            p.push(Param::text("DBSubnetGroupName", group));
        }
        if !self.security_group_ids.is_empty() {
            p.push(Param::list("VpcSecurityGroupIds", &self.security_group_ids));
        }
        p.extend(tags_param(&self.tags));
        p.push(Param::flag(
            "EnableIAMDatabaseAuthentication",
            self.iam_auth,
        ));
        if !self.log_exports.is_empty() {
            p.push(Param::list(
                "EnableCloudwatchLogsExports",
                &self.log_exports,
            ));
        }
        if let Some(group) = &self.parameter_group {
            p.push(Param::text("DBClusterParameterGroupName", group));
        }
        p.push(Param::flag("DeletionProtection", self.deletion_protection));
        p.push(Param::flag(
            "CopyTagsToSnapshot",
            self.copy_tags_to_snapshot,
        ));
        if let Some(storage) = &self.storage_type {
            p.push(Param::text("StorageType", storage));
        }
        p.push(Param::flag("PubliclyAccessible", self.publicly_accessible));
        if let Some(days) = self.backup_retention_days {
            p.push(Param::number("BackupRetentionPeriod", i64::from(days)));
        }
        p
    }

    /// What verify-after compares: every parameter but PubliclyAccessible,
    /// which an Aurora cluster does not report (its writer does, and the
    /// writer's own step compares it).
    pub fn compared(&self) -> Vec<Param> {
        let mut p = self.parameters();
        p.retain(|p| p.name != "PubliclyAccessible");
        p
    }

    /// `copy` as the restore makes it.
    pub fn apply_to(&self, copy: &mut Cluster) {
        if let Some(version) = &self.engine_version {
            copy.engine_version = version.clone();
        }
        copy.port = self.port.unwrap_or(copy.port);
        copy.subnet_group = self.subnet_group.clone().or(copy.subnet_group.clone());
        if !self.security_group_ids.is_empty() {
            copy.security_group_ids = self.security_group_ids.clone();
        }
        copy.parameter_group = self
            .parameter_group
            .clone()
            .or(copy.parameter_group.clone());
        copy.deletion_protection = self.deletion_protection;
        copy.iam_auth_enabled = self.iam_auth;
        copy.copy_tags_to_snapshot = self.copy_tags_to_snapshot;
        copy.cloudwatch_logs_exports = self.log_exports.clone();
        copy.backup_retention_days = self
            .backup_retention_days
            .unwrap_or(copy.backup_retention_days);
        copy.storage_type = self.storage_type.clone().or(copy.storage_type.clone());
        copy.tags = self.tags.clone();
    }
}

/// The caveat listing what `copy` carries: the parameters sent, by name.
pub fn carried_caveat(copy: &str, params: &[Param]) -> Caveat {
    let mut settings: Vec<String> = params
        .iter()
        .map(|p| match &p.value {
            Value::Flag(_) | Value::Number(_) => format!("{}={}", p.name, p.value.shown()),
            _ => p.name.to_string(),
        })
        .collect();
    settings.dedup();
    Caveat::Carried {
        copy: copy.to_string(),
        settings,
    }
}

/// What no instance restore carries, and why.
pub fn instance_not_carried(copy: &str, original: &Instance) -> Vec<Caveat> {
    let mut out = vec![
        not_carried(
            copy,
            "Performance Insights",
            "rdsight does not read it; turn it on for the copy by hand if the original has it",
        ),
        not_carried(
            copy,
            "maintenance and backup windows",
            "AWS picks new ones; set them by hand if they matter",
        ),
        not_carried(
            copy,
            "storage autoscaling limit",
            "the restore call does not take MaxAllocatedStorage, and rdsight does not read it",
        ),
    ];
    if original.monitoring_interval_secs > 0 && original.monitoring_role_arn.is_none() {
        out.push(not_carried(
            copy,
            "enhanced monitoring",
            "the original's monitoring role is not known, and AWS needs it",
        ));
    }
    out
}

pub fn not_carried(copy: &str, setting: &'static str, why: &'static str) -> Caveat {
    Caveat::NotCarried {
        copy: copy.to_string(),
        setting,
        why: why.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> Instance {
        Instance {
            id: "orders-db".into(),
            class: "db.m6g.large".into(),
            storage_type: Some("gp3".into()),
            iops: Some(3000),
            storage_throughput: Some(125),
            option_group: Some("default:postgres-16".into()),
            port: 5432,
            ..Instance::default()
        }
    }

    #[test]
    fn flags_are_always_sent_and_public_access_never_left_to_aws() {
        let params = CarriedOver::from(&original()).parameters();
        let shown = |name: &str| {
            params
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.value.shown())
        };
        for flag in [
            "PubliclyAccessible",
            "MultiAZ",
            "DeletionProtection",
            "EnableIAMDatabaseAuthentication",
            "CopyTagsToSnapshot",
            "AutoMinorVersionUpgrade",
        ] {
            assert_eq!(shown(flag).as_deref(), Some("false"), "{flag}");
        }
        // What AWS gives the copy anyway is not sent (and could be refused).
        assert_eq!(shown("Iops"), None);
        assert_eq!(shown("OptionGroupName"), None);
        assert_eq!(shown("StorageType").as_deref(), Some("gp3"));
        assert_eq!(shown("BackupRetentionPeriod").as_deref(), Some("0"));
    }

    #[test]
    fn verify_after_names_every_difference() {
        let want = CarriedOver::from(&original());
        let mut copy = original();
        assert_eq!(
            differences(&want.parameters(), &CarriedOver::from(&copy).parameters()),
            Ok(())
        );
        copy.publicly_accessible = true;
        copy.port = 0;
        let differ = differences(&want.parameters(), &CarriedOver::from(&copy).parameters());
        assert_eq!(
            differ,
            Err("the copy differs: Port is not set, not 5432; PubliclyAccessible is true, not false".into())
        );
    }

    #[test]
    fn provisioned_storage_is_sent_only_where_aws_takes_it() {
        assert_eq!(
            provisioned(Some("io1"), Some(5000), Some(9)),
            (Some(5000), None)
        );
        assert_eq!(
            provisioned(Some("gp3"), Some(12000), Some(500)),
            (Some(12000), Some(500))
        );
        assert_eq!(provisioned(Some("gp2"), Some(300), None), (None, None));
    }
}
