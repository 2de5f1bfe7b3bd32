//! Encrypt an Aurora cluster snapshot by restoring it into a new cluster
//! with a KMS key (CopyDBClusterSnapshot cannot encrypt an unencrypted
//! source on AWS). The copy carries the original cluster's settings, and
//! since a restored Aurora cluster has no instances, the plan creates a
//! writer like the original's.

use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::carry::{
    CarriedCluster, carried_caveat, differences, not_carried, sdk_tags, tags_param,
};
use super::snapshot_encryption::encrypted_name;
use super::support::{
    arn, ensure_free_instance_id, instance_comes_up, not_found, refused, snapshot_mut,
};
use crate::model::{
    Cluster, ClusterMember, Fleet, Instance, ResourceRef, ResourceType, SnapshotKind, Tags,
};
use crate::remediation::{
    Call, Caveat, FixInput, Fixing, Impact, NoRemediation, Param, PlannedStep, Sent,
};
use crate::source::aws::RegionClients;
use crate::source::demo::{DemoChange, now};
use crate::source::{SourceError, StepOutcome};

/// Restore cluster snapshot `id` into an encrypted cluster, and create its
/// writer when the original's is known.
pub(super) fn plan(input: &FixInput<'_>, region: &str, id: &str) -> Result<Fixing, NoRemediation> {
    let fleet = input.fleet;
    let snapshot = fleet
        .snapshot(region, SnapshotKind::Cluster, id)
        .ok_or_else(|| input.gone())?;
    if !snapshot.engine.starts_with("aurora") {
        return Err(NoRemediation::ByHand(
            "a Multi-AZ DB cluster snapshot: restore it with --kms-key-id, its --db-cluster-instance-class and --no-publicly-accessible (RestoreDBClusterFromSnapshot); rdsight does not read the settings such a copy must carry".into(),
        ));
    }
    let copy = encrypted_name(id);
    let original = fleet.cluster(region, &snapshot.source_id);
    let writer = original.and_then(|c| {
        let member = c.members.iter().find(|m| m.is_writer)?;
        fleet.instance(region, &member.instance_id)
    });
    let mut carried = match original {
        Some(cluster) => CarriedCluster::new(cluster, writer),
        // Only the snapshot is known: its port, and private access.
        None => CarriedCluster {
            port: Some(snapshot.port).filter(|p| *p > 0),
            ..CarriedCluster::default()
        },
    };
    // The snapshot's version, where known: the original may have been
    // upgraded since it was taken.
    if !snapshot.engine_version.is_empty() {
        carried.engine_version = Some(snapshot.engine_version.clone());
    }
    let restore = RestoreDBClusterFromSnapshot {
        region: region.to_string(),
        snapshot_id: id.to_string(),
        // Named for the snapshot: two snapshots of one cluster must not
        // restore into the same id.
        cluster_id: copy.clone(),
        engine: snapshot.engine.clone(),
        kms_key_id: input.options.kms_key_id.clone(),
        carried,
    };
    let mut caveats = vec![
        Caveat::warning(
            "CopyDBClusterSnapshot cannot encrypt an unencrypted source: this restores an encrypted cluster; snapshot it, then retire the original",
        ),
        carried_caveat(&copy, &restore.carried.parameters()),
    ];
    let mut steps = vec![PlannedStep::new(
        restore,
        "restore into a new encrypted cluster",
    )];
    match (original, writer) {
        (_, Some(writer)) => {
            let create = CreateDBInstance::like(region, &copy, &snapshot.engine, writer);
            caveats.push(Caveat::warning(format!(
                "a restored Aurora cluster has no instances: step 2 creates its writer {} ({}), like {}; add readers by hand",
                create.instance_id, create.instance_class, writer.id
            )));
            caveats.extend(writer_not_carried(&create.instance_id, writer));
            let params = create.settings();
            caveats.push(carried_caveat(&create.instance_id, &params));
            steps.push(PlannedStep::new(create, "create the writer instance"));
        }
        (Some(cluster), None) => caveats.push(Caveat::warning(format!(
            "a restored Aurora cluster has no instances, and no writer of {} is in the fleet: {copy} has none until you create one (CreateDBInstance with --db-cluster-identifier {copy} --no-publicly-accessible)",
            cluster.id
        ))),
        (None, None) => caveats.push(Caveat::warning(format!(
            "{} is no longer in the fleet: {copy} gets the snapshot's settings, AWS's default security group and subnet group, PubliclyAccessible=false, and no instance until you create one",
            snapshot.source_id
        ))),
    }
    caveats.extend(cluster_not_carried(&copy));
    Ok(Fixing {
        steps,
        caveats,
        choices: Vec::new(),
    })
}

fn cluster_not_carried(copy: &str) -> Vec<Caveat> {
    vec![
        not_carried(
            copy,
            "reader instances",
            "only the writer is created; add readers by hand",
        ),
        not_carried(
            copy,
            "Performance Insights, backtrack window and Serverless v2 capacity",
            "rdsight does not read them; set them on the copy by hand if the original has them",
        ),
        not_carried(
            copy,
            "maintenance and backup windows",
            "AWS picks new ones; set them by hand if they matter",
        ),
    ]
}

fn writer_not_carried(writer_id: &str, writer: &Instance) -> Vec<Caveat> {
    let mut out = Vec::new();
    if writer.monitoring_interval_secs > 0 && writer.monitoring_role_arn.is_none() {
        out.push(not_carried(
            writer_id,
            "enhanced monitoring",
            "the original writer's monitoring role is not known, and AWS needs it",
        ));
    }
    if writer.class == "db.serverless" {
        out.push(not_carried(
            writer_id,
            "Serverless v2 capacity range",
            "rdsight does not read it; set it on the copy before a db.serverless writer can be created",
        ));
    }
    out
}

/// RestoreDBClusterFromSnapshot with a KMS key: a new, encrypted cluster
/// carrying the original's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreDBClusterFromSnapshot {
    pub region: String,
    pub snapshot_id: String,
    pub cluster_id: String,
    pub engine: String,
    pub kms_key_id: String,
    #[serde(default)]
    pub carried: CarriedCluster,
}

impl Call for RestoreDBClusterFromSnapshot {
    fn api(&self) -> &'static str {
        "rds:RestoreDBClusterFromSnapshot"
    }

    fn parameters(&self) -> Vec<Param> {
        let mut p = vec![
            Param::text("DBClusterIdentifier", &self.cluster_id),
            Param::text("SnapshotIdentifier", &self.snapshot_id),
            Param::text("Engine", &self.engine),
        ];
        p.extend(self.carried.parameters());
        p.push(Param::text("KmsKeyId", &self.kms_key_id));
        p
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbCluster, &self.region, &self.cluster_id)
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        let copy = now
            .cluster(&self.region, &self.cluster_id)
            .ok_or_else(|| format!("{} is not there to compare", self.cluster_id))?;
        let seen = CarriedCluster::new(copy, None);
        differences(&self.carried.compared(), &seen.compared())
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let c = &self.carried;
            let days = c.backup_retention_days.map(i32::try_from).transpose();
            let days =
                days.map_err(|_| refused(self.api(), "not sent: retention out of range".into()))?;
            let out = aws
                .rds_once
                .restore_db_cluster_from_snapshot()
                .db_cluster_identifier(&self.cluster_id)
                .snapshot_identifier(&self.snapshot_id)
                .engine(&self.engine)
                .set_engine_version(c.engine_version.clone())
                .set_port(c.port.map(i32::from))
                .set_db_subnet_group_name(c.subnet_group.clone())
                .set_vpc_security_group_ids(super::support::non_empty(&c.security_group_ids))
                .set_tags(sdk_tags(&c.tags))
                .enable_iam_database_authentication(c.iam_auth)
                .set_enable_cloudwatch_logs_exports(super::support::non_empty(&c.log_exports))
                .set_db_cluster_parameter_group_name(c.parameter_group.clone())
                .deletion_protection(c.deletion_protection)
                .copy_tags_to_snapshot(c.copy_tags_to_snapshot)
                .set_storage_type(c.storage_type.clone())
                .publicly_accessible(c.publicly_accessible)
                .set_backup_retention_period(days)
                .kms_key_id(&self.kms_key_id)
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let encrypted = out.db_cluster().and_then(|c| c.storage_encrypted());
            Ok(StepOutcome::created(
                self.target(),
                encrypted,
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let region = &self.region;
        let snapshot =
            snapshot_mut(fleet, region, SnapshotKind::Cluster, &self.snapshot_id)?.clone();
        if fleet.cluster(region, &self.cluster_id).is_some() {
            return Err(refused(
                self.api(),
                format!(
                    "DBClusterAlreadyExistsFault: {} already exists",
                    self.cluster_id
                ),
            ));
        }
        let base = fleet
            .cluster(region, &snapshot.source_id)
            .cloned()
            .unwrap_or_else(|| Cluster {
                engine: self.engine.clone(),
                port: snapshot.port,
                backup_retention_days: 7,
                ..Cluster::default()
            });
        let mut cluster = Cluster {
            id: self.cluster_id.clone(),
            arn: Some(arn(fleet, region, "cluster", &self.cluster_id)),
            region: region.clone(),
            engine: self.engine.clone(),
            status: "creating".into(),
            members: Vec::new(),
            storage_encrypted: true,
            kms_key_id: Some(self.kms_key_id.clone()),
            endpoint: None,
            created: Some(now()),
            pending_changes: Vec::new(),
            ..base
        };
        self.carried.apply_to(&mut cluster);
        fleet.clusters.push(cluster);
        let outcome = StepOutcome::created(self.target(), Some(true), None);
        Ok(DemoChange::settling(outcome, self.target()))
    }
}

/// CreateDBInstance in a cluster: the writer of a restored Aurora
/// cluster, like the original's. Public access is always sent — left
/// out, AWS decides by the subnet group's VPC. Deletion protection, IAM
/// auth, copy-tags, encryption and the subnet group are the cluster's on
/// Aurora (the reference: "not applicable" to its instances), so the
/// restore carries them, not this call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateDBInstance {
    pub region: String,
    pub instance_id: String,
    pub cluster_id: String,
    pub engine: String,
    pub instance_class: String,
    #[serde(default)]
    pub parameter_group: Option<String>,
    #[serde(default)]
    pub publicly_accessible: bool,
    #[serde(default)]
    pub auto_minor_version_upgrade: bool,
    /// Enhanced monitoring interval; sent only with its role.
    #[serde(default)]
    pub monitoring_interval_secs: u32,
    #[serde(default)]
    pub monitoring_role_arn: Option<String>,
    #[serde(default)]
    pub ca_certificate: Option<String>,
    #[serde(default)]
    pub tags: Tags,
}

impl CreateDBInstance {
    /// The writer of `cluster_id` (named `<cluster>-writer`), like `writer`.
    pub fn like(region: &str, cluster_id: &str, engine: &str, writer: &Instance) -> Self {
        Self::with_settings(
            region,
            &format!("{cluster_id}-writer"),
            cluster_id,
            engine,
            writer,
        )
    }

    fn with_settings(
        region: &str,
        instance_id: &str,
        cluster_id: &str,
        engine: &str,
        from: &Instance,
    ) -> Self {
        // AWS refuses an interval without its role: without the role, no
        // monitoring is asked for (and the plan says so).
        let role = from.monitoring_role_arn.clone();
        let interval = if role.is_some() {
            from.monitoring_interval_secs
        } else {
            0
        };
        Self {
            region: region.to_string(),
            instance_id: instance_id.to_string(),
            cluster_id: cluster_id.to_string(),
            engine: engine.to_string(),
            instance_class: from.class.clone(),
            parameter_group: from.parameter_group.clone(),
            publicly_accessible: from.publicly_accessible,
            auto_minor_version_upgrade: from.auto_minor_version_upgrade,
            monitoring_interval_secs: interval,
            monitoring_role_arn: role.filter(|_| interval > 0),
            ca_certificate: from.ca_certificate.clone(),
            tags: from.tags.clone(),
        }
    }

    /// The settings it carries: every parameter but the identifiers.
    pub fn settings(&self) -> Vec<Param> {
        let mut p = vec![Param::text("DBInstanceClass", &self.instance_class)];
        if let Some(group) = &self.parameter_group {
            p.push(Param::text("DBParameterGroupName", group));
        }
        p.push(Param::flag("PubliclyAccessible", self.publicly_accessible));
        p.push(Param::flag(
            "AutoMinorVersionUpgrade",
            self.auto_minor_version_upgrade,
        ));
        p.extend(tags_param(&self.tags));
        p.push(Param::number(
            "MonitoringInterval",
            i64::from(self.monitoring_interval_secs),
        ));
        if let Some(role) = &self.monitoring_role_arn {
            p.push(Param::text("MonitoringRoleArn", role));
        }
        if let Some(ca) = &self.ca_certificate {
            p.push(Param::text("CACertificateIdentifier", ca));
        }
        p
    }
}

impl Call for CreateDBInstance {
    fn api(&self) -> &'static str {
        "rds:CreateDBInstance"
    }

    fn parameters(&self) -> Vec<Param> {
        let mut p = vec![
            Param::text("DBInstanceIdentifier", &self.instance_id),
            Param::text("DBClusterIdentifier", &self.cluster_id),
            Param::text("Engine", &self.engine),
        ];
        p.extend(self.settings());
        p
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbInstance, &self.region, &self.instance_id)
    }

    fn impact(&self) -> Impact {
        Impact::CreatesResource
    }

    fn check_after(&self, now: &Fleet) -> Result<(), String> {
        let made = now
            .instance(&self.region, &self.instance_id)
            .ok_or_else(|| format!("{} is not there to compare", self.instance_id))?;
        let cluster = made.cluster_id.as_deref().unwrap_or_default();
        let seen = Self::with_settings(&self.region, &made.id, cluster, &made.engine, made);
        differences(&self.parameters(), &seen.parameters())
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let interval = i32::try_from(self.monitoring_interval_secs).map_err(|_| {
                refused(
                    self.api(),
                    "not sent: monitoring interval out of range".into(),
                )
            })?;
            let out = aws
                .rds_once
                .create_db_instance()
                .db_instance_identifier(&self.instance_id)
                .db_cluster_identifier(&self.cluster_id)
                .engine(&self.engine)
                .db_instance_class(&self.instance_class)
                .set_db_parameter_group_name(self.parameter_group.clone())
                .publicly_accessible(self.publicly_accessible)
                .auto_minor_version_upgrade(self.auto_minor_version_upgrade)
                .set_tags(sdk_tags(&self.tags))
                .monitoring_interval(interval)
                .set_monitoring_role_arn(self.monitoring_role_arn.clone())
                .set_ca_certificate_identifier(self.ca_certificate.clone())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            let encrypted = out.db_instance().and_then(|i| i.storage_encrypted());
            Ok(StepOutcome::created(
                self.target(),
                encrypted,
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let region = &self.region;
        let cluster_ref = ResourceRef::new(ResourceType::DbCluster, region, &self.cluster_id);
        let cluster = fleet
            .cluster(region, &self.cluster_id)
            .cloned()
            .ok_or_else(|| not_found(&cluster_ref))?;
        ensure_free_instance_id(self.api(), fleet, region, &self.instance_id)?;
        fleet.instances.push(Instance {
            id: self.instance_id.clone(),
            arn: Some(arn(fleet, region, "db", &self.instance_id)),
            region: region.clone(),
            engine: self.engine.clone(),
            engine_version: cluster.engine_version.clone(),
            class: self.instance_class.clone(),
            status: "creating".into(),
            cluster_id: Some(self.cluster_id.clone()),
            publicly_accessible: self.publicly_accessible,
            storage_encrypted: cluster.storage_encrypted,
            kms_key_id: cluster.kms_key_id.clone(),
            auto_minor_version_upgrade: self.auto_minor_version_upgrade,
            port: cluster.port,
            monitoring_interval_secs: self.monitoring_interval_secs,
            monitoring_role_arn: self.monitoring_role_arn.clone(),
            security_group_ids: cluster.security_group_ids.clone(),
            subnet_group: cluster.subnet_group.clone(),
            parameter_group: self.parameter_group.clone(),
            ca_certificate: self.ca_certificate.clone(),
            created: Some(now()),
            tags: self.tags.clone(),
            ..Instance::default()
        });
        if let Some(c) = fleet
            .clusters
            .iter_mut()
            .find(|c| c.region == *region && c.id == self.cluster_id)
        {
            c.members.push(ClusterMember {
                instance_id: self.instance_id.clone(),
                is_writer: c.members.is_empty(),
            });
        }
        let outcome = StepOutcome::created(self.target(), Some(cluster.storage_encrypted), None);
        Ok(instance_comes_up(outcome, self.target()))
    }
}

#[cfg(test)]
mod tests {
    use crate::remediation::Step;

    /// Audit logs written before copies carried every setting still read:
    /// `rdsight undo` and the log readers parse every old line.
    #[test]
    fn restores_in_old_audit_logs_still_read() {
        let instance: Step = serde_json::from_str(
            r#"{"call":"RestoreDBInstanceFromDBSnapshot","region":"us-east-1","snapshot_id":"s-encrypted","instance_id":"db-encrypted","carried_over":{"instance_class":"db.t3.micro","subnet_group":null,"security_group_ids":["sg-1"],"parameter_group":"default.postgres16"}}"#,
        )
        .unwrap();
        assert_eq!(instance.api(), "rds:RestoreDBInstanceFromDBSnapshot");
        let cluster: Step = serde_json::from_str(
            r#"{"call":"RestoreDBClusterFromSnapshot","region":"us-east-1","snapshot_id":"c","cluster_id":"c-encrypted","engine":"aurora-mysql","kms_key_id":"alias/aws/rds"}"#,
        )
        .unwrap();
        assert!(cluster.cli().contains("--kms-key-id alias/aws/rds"));
    }
}
