//! DB clusters, DB instances and snapshots.

use serde::{Deserialize, Serialize};

use super::{Certificate, PUBLIC_RESTORE_ACCOUNT, ResourceRef, ResourceType, Tags};

/// An Aurora cluster or a Multi-AZ DB cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cluster {
    pub id: String,
    pub arn: Option<String>,
    pub region: String,
    pub engine: String,
    pub engine_version: String,
    pub status: String,
    pub members: Vec<ClusterMember>,
    /// AWS's own MultiAZ flag for the cluster.
    pub multi_az: bool,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub backup_retention_days: u32,
    pub deletion_protection: bool,
    pub iam_auth_enabled: bool,
    pub port: u16,
    pub master_username: String,
    pub copy_tags_to_snapshot: bool,
    pub cloudwatch_logs_exports: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// Aurora upgrades a minor version only when the cluster and every
    /// member allow it; Multi-AZ DB clusters decide at the cluster alone.
    /// `None` when AWS did not report it.
    pub auto_minor_version_upgrade: Option<bool>,
    /// Multi-AZ DB clusters decide public access for all their members;
    /// Aurora decides it per instance, and reports `None` here.
    pub publicly_accessible: Option<bool>,
    /// The members' class, for Multi-AZ DB clusters.
    pub db_cluster_instance_class: Option<String>,
    /// Enhanced monitoring interval of a Multi-AZ DB cluster's members, in
    /// seconds (0 = off); Aurora sets it per instance.
    pub monitoring_interval_secs: Option<u32>,
    pub endpoint: Option<String>,
    pub created: Option<String>,
    /// Changes accepted but waiting for the maintenance window.
    pub pending_changes: Vec<String>,
    // Carried to restored copies
    /// The DB subnet group: a restored copy must use it to land in the
    /// same network.
    pub subnet_group: Option<String>,
    /// The DB cluster parameter group.
    pub parameter_group: Option<String>,
    /// `aurora`, `aurora-iopt1` (Aurora); `io1`, `gp3` (Multi-AZ DB clusters).
    pub storage_type: Option<String>,
    pub tags: Tags,
    // Issue 14, TLS and parameters
    /// Whether Secrets Manager manages the master password
    /// (`MasterUserSecret` present); `None` when not known (a fleet saved
    /// before rdsight read it).
    pub master_user_secret: Option<bool>,
}

impl Cluster {
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbCluster, &self.region, &self.id)
    }

    pub fn is_aurora(&self) -> bool {
        self.engine.starts_with("aurora")
    }

    /// A Multi-AZ DB cluster: RDS for MySQL or PostgreSQL with a writer
    /// and two readable standbys, whose settings AWS decides at the
    /// cluster, not on its members.
    pub fn is_multi_az_db_cluster(&self) -> bool {
        is_multi_az_cluster_engine(&self.engine)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterMember {
    pub instance_id: String,
    pub is_writer: bool,
}

/// A DB instance, standalone or a member of a cluster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Instance {
    pub id: String,
    pub arn: Option<String>,
    pub region: String,
    pub engine: String,
    pub engine_version: String,
    pub class: String,
    pub status: String,
    /// The cluster this instance belongs to, if any.
    pub cluster_id: Option<String>,
    pub availability_zone: Option<String>,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub allocated_storage_gb: u32,
    pub backup_retention_days: u32,
    pub deletion_protection: bool,
    pub auto_minor_version_upgrade: bool,
    pub iam_auth_enabled: bool,
    pub port: u16,
    pub master_username: Option<String>,
    pub copy_tags_to_snapshot: bool,
    /// Enhanced monitoring interval in seconds; 0 means off.
    pub monitoring_interval_secs: u32,
    pub cloudwatch_logs_exports: Vec<String>,
    pub security_group_ids: Vec<String>,
    /// The DB subnet group (its VPC subnets); a restored copy must use the
    /// same one to land in the same network.
    pub subnet_group: Option<String>,
    /// The DB parameter group; carried over to a restored copy.
    pub parameter_group: Option<String>,
    /// Set when this instance is a read replica of another.
    pub replica_source: Option<String>,
    pub endpoint: Option<String>,
    pub created: Option<String>,
    /// Changes accepted but waiting for the maintenance window.
    pub pending_changes: Vec<String>,
    // Carried to restored copies
    /// The option group; `default:…` when none was chosen.
    pub option_group: Option<String>,
    /// `gp2`, `gp3`, `io1`, `io2`, `standard`.
    pub storage_type: Option<String>,
    /// Provisioned IOPS (io1, io2, gp3).
    pub iops: Option<u32>,
    /// Storage throughput in MiB/s (gp3).
    pub storage_throughput: Option<u32>,
    /// The CA that signs the server certificate clients verify.
    pub ca_certificate: Option<String>,
    /// The role enhanced monitoring publishes with.
    pub monitoring_role_arn: Option<String>,
    pub tags: Tags,
    // Network reachability (issue 14)
    /// The subnets of its DB subnet group, as DescribeDBInstances reports
    /// them: the database may be placed in any of them.
    pub subnet_ids: Vec<String>,
    /// The VPC of its DB subnet group.
    pub vpc_id: Option<String>,
    // Issue 14, TLS and parameters
    /// `ParameterApplyStatus` of its DB parameter group (`in-sync`,
    /// `pending-reboot`, `applying`).
    pub parameter_group_status: Option<String>,
    /// The server certificate (`CertificateDetails`); `None` when AWS did
    /// not report it.
    pub certificate: Option<Certificate>,
    /// Whether Secrets Manager manages the master password; `None` when
    /// not known.
    pub master_user_secret: Option<bool>,
}

impl Instance {
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::DbInstance, &self.region, &self.id)
    }

    pub fn is_read_replica(&self) -> bool {
        self.replica_source.is_some()
    }

    /// A member of a Multi-AZ DB cluster (told by its engine, so even when
    /// the cluster itself was not loaded): its settings are the cluster's.
    pub fn in_multi_az_db_cluster(&self) -> bool {
        self.cluster_id.is_some() && is_multi_az_cluster_engine(&self.engine)
    }
}

/// The engines a Multi-AZ DB cluster runs: RDS for MySQL and PostgreSQL
/// (Aurora's are `aurora-*`; Neptune and DocumentDB are not RDS engines).
fn is_multi_az_cluster_engine(engine: &str) -> bool {
    engine.starts_with("mysql") || engine.starts_with("postgres")
}

/// DB snapshots and DB cluster snapshots share one type, told apart by kind.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotKind {
    #[default]
    Db,
    Cluster,
}

impl SnapshotKind {
    pub fn resource_type(self) -> ResourceType {
        match self {
            SnapshotKind::Db => ResourceType::DbSnapshot,
            SnapshotKind::Cluster => ResourceType::DbClusterSnapshot,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SnapshotKind::Db => "db",
            SnapshotKind::Cluster => "cluster",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    pub id: String,
    pub arn: Option<String>,
    pub region: String,
    pub kind: SnapshotKind,
    /// The instance (DB snapshot) or cluster (cluster snapshot) it was taken from.
    pub source_id: String,
    pub engine: String,
    pub status: String,
    /// `manual`, `automated`, `shared`, `public` or `awsbackup`, as AWS reports it.
    pub snapshot_type: String,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub allocated_storage_gb: u32,
    pub port: u16,
    pub created: Option<String>,
    /// Accounts in the `restore` attribute; `all` means public.
    pub shared_with: Vec<String>,
    /// Its `restore` attribute could not be read (a denied or failed
    /// look-up): `shared_with` then proves nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sharing_unknown: bool,
    // Carried to restored copies
    /// The engine version it holds: a cluster restored from it must be
    /// told, or AWS picks the region's default version.
    pub engine_version: String,
    pub tags: Tags,
}

impl Snapshot {
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef::new(self.kind.resource_type(), &self.region, &self.id)
    }

    pub fn is_public(&self) -> bool {
        self.shared_with.iter().any(|a| a == PUBLIC_RESTORE_ACCOUNT)
    }
}
