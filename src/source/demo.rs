//! The embedded demo fleet. `apply` changes it in memory with the same
//! status transitions AWS shows (`modifying` → `available`, new snapshots
//! `creating` → `available`), so a posture demo visibly goes green.

use futures::future::BoxFuture;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{FleetSource, SourceError, SourceInfo, SourceKind};
use crate::model::{Cluster, Fleet, Instance, ResourceRef, ResourceType, Snapshot, SnapshotKind};
use crate::remediation::{Setting, Step, StepOutcome};

const DEMO_FLEET_JSON: &str = include_str!("../../assets/demo-fleet.json");

/// The embedded demo fleet, parsed.
pub fn demo_fleet() -> Result<Fleet, SourceError> {
    serde_json::from_str(DEMO_FLEET_JSON)
        .map_err(|e| SourceError::Unavailable(format!("embedded demo fleet is corrupt: {e}")))
}

/// The demo fleet narrowed to `regions` (all of it when none are named),
/// as `--region` narrows a live account.
pub fn in_regions(mut fleet: Fleet, regions: &[String]) -> Result<Fleet, SourceError> {
    if regions.is_empty() {
        return Ok(fleet);
    }
    if let Some(unknown) = regions.iter().find(|r| !fleet.regions.contains(r)) {
        return Err(SourceError::Unavailable(format!(
            "the demo fleet has no region {unknown} — it has {}",
            fleet.regions.join(", ")
        )));
    }
    let keep = |region: &String| regions.contains(region);
    fleet.regions.retain(keep);
    fleet.clusters.retain(|x| keep(&x.region));
    fleet.instances.retain(|x| keep(&x.region));
    fleet.snapshots.retain(|x| keep(&x.region));
    fleet.security_groups.retain(|x| keep(&x.region));
    Ok(fleet)
}

pub struct DemoSource {
    fleet: Arc<Mutex<Fleet>>,
    /// A synthetic fleet `(size, seed, regions)` still to generate: made
    /// on the first load, so the dashboard draws before a large one exists.
    pending: Mutex<Option<(usize, u64, Vec<String>)>>,
    read_only: bool,
    /// Every region the demo has, for the region picker.
    regions: Vec<String>,
    /// How long transitional states last.
    transition: Duration,
}

impl DemoSource {
    pub fn new(read_only: bool) -> Result<Self, SourceError> {
        Ok(Self::from_fleet(demo_fleet()?, read_only))
    }

    pub fn from_fleet(fleet: Fleet, read_only: bool) -> Self {
        Self {
            regions: fleet.regions.clone(),
            fleet: Arc::new(Mutex::new(fleet)),
            pending: Mutex::new(None),
            read_only,
            transition: Duration::from_millis(1200),
        }
    }

    /// Offer `regions` in the region picker (the whole demo's, when this
    /// source holds only some of them).
    pub fn with_regions(mut self, regions: Vec<String>) -> Self {
        self.regions = regions;
        self
    }

    /// A demo on a synthetic fleet of `size` resources (`--demo-size`),
    /// narrowed to `regions` (all when empty) once it is made.
    pub fn synthetic(size: usize, seed: u64, regions: Vec<String>, read_only: bool) -> Self {
        let source = Self::from_fleet(Fleet::default(), read_only);
        *source.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some((size, seed, regions));
        source
    }

    /// Shorten transitions (tests).
    pub fn with_transition(mut self, transition: Duration) -> Self {
        self.transition = transition;
        self
    }

    fn lock(&self) -> MutexGuard<'_, Fleet> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.fleet.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Run `finish` on the fleet after the transition, as AWS would.
    fn later(&self, finish: impl FnOnce(&mut Fleet) + Send + 'static) {
        let fleet = Arc::clone(&self.fleet);
        let delay = self.transition;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let mut fleet = fleet.lock().unwrap_or_else(|e| e.into_inner());
            finish(&mut fleet);
        });
    }

    fn apply_now(&self, step: &Step) -> Result<StepOutcome, SourceError> {
        let mut fleet = self.lock();
        let done = |message: String| {
            Ok(StepOutcome {
                message,
                pending_window: false,
                request_id: None,
            })
        };
        match step.clone() {
            Step::ModifySnapshotAttribute {
                kind,
                region,
                snapshot_id,
                values_to_add,
                values_to_remove,
            } => {
                let snapshot = snapshot_mut(&mut fleet, &region, kind, &snapshot_id)?;
                snapshot
                    .shared_with
                    .retain(|a| !values_to_remove.contains(a));
                for account in values_to_add {
                    if !snapshot.shared_with.contains(&account) {
                        snapshot.shared_with.push(account);
                    }
                }
                done(if snapshot.shared_with.is_empty() {
                    "no longer shared".to_string()
                } else {
                    format!("now shared with {}", snapshot.shared_with.join(", "))
                })
            }
            Step::CreateDBSnapshot {
                region,
                instance_id,
                snapshot_id,
            } => {
                let instance = instance_mut(&mut fleet, &region, &instance_id)?.clone();
                ensure_free_snapshot_id(step, &fleet, &region, &snapshot_id)?;
                let arn = format!(
                    "arn:aws:rds:{region}:{}:snapshot:{snapshot_id}",
                    fleet.account
                );
                fleet.snapshots.push(Snapshot {
                    id: snapshot_id.clone(),
                    arn: Some(arn),
                    region: region.clone(),
                    kind: SnapshotKind::Db,
                    source_id: instance.id.clone(),
                    engine: instance.engine.clone(),
                    status: "creating".into(),
                    snapshot_type: "manual".into(),
                    encrypted: instance.storage_encrypted,
                    kms_key_id: instance.kms_key_id.clone(),
                    allocated_storage_gb: instance.allocated_storage_gb,
                    port: instance.port,
                    created: Some(now()),
                    shared_with: Vec::new(),
                    tags: instance.tags.clone(),
                });
                self.settle(step.target());
                done(format!("snapshot {snapshot_id} creating"))
            }
            Step::CopyDBSnapshot {
                region,
                source_snapshot_id,
                target_snapshot_id,
                kms_key_id,
            } => {
                let source =
                    snapshot_mut(&mut fleet, &region, SnapshotKind::Db, &source_snapshot_id)?
                        .clone();
                if source.status != "available" {
                    return Err(call_error(
                        step,
                        format!(
                            "InvalidDBSnapshotState: {source_snapshot_id} is {}",
                            source.status
                        ),
                    ));
                }
                ensure_free_snapshot_id(step, &fleet, &region, &target_snapshot_id)?;
                let arn = format!(
                    "arn:aws:rds:{region}:{}:snapshot:{target_snapshot_id}",
                    fleet.account
                );
                fleet.snapshots.push(Snapshot {
                    id: target_snapshot_id.clone(),
                    arn: Some(arn),
                    status: "creating".into(),
                    snapshot_type: "manual".into(),
                    encrypted: true,
                    kms_key_id: Some(kms_key_id),
                    created: Some(now()),
                    shared_with: Vec::new(),
                    ..source
                });
                self.settle(step.target());
                done(format!("encrypted copy {target_snapshot_id} creating"))
            }
            Step::DeleteDBSnapshot {
                region,
                snapshot_id,
            } => {
                snapshot_mut(&mut fleet, &region, SnapshotKind::Db, &snapshot_id)?.status =
                    "deleting".into();
                self.later(move |fleet| {
                    fleet.snapshots.retain(|s| {
                        !(s.region == region && s.kind == SnapshotKind::Db && s.id == snapshot_id)
                    })
                });
                done("snapshot deleting".into())
            }
            Step::RestoreDBClusterFromSnapshot {
                region,
                snapshot_id,
                cluster_id,
                engine,
                kms_key_id,
            } => {
                let snapshot =
                    snapshot_mut(&mut fleet, &region, SnapshotKind::Cluster, &snapshot_id)?.clone();
                if fleet.cluster(&region, &cluster_id).is_some() {
                    return Err(call_error(
                        step,
                        format!("DBClusterAlreadyExistsFault: {cluster_id} already exists"),
                    ));
                }
                let original = fleet.cluster(&region, &snapshot.source_id).cloned();
                let base = original.unwrap_or_else(|| Cluster {
                    engine: engine.clone(),
                    port: snapshot.port,
                    backup_retention_days: 7,
                    ..Cluster::default()
                });
                let arn = format!(
                    "arn:aws:rds:{region}:{}:cluster:{cluster_id}",
                    fleet.account
                );
                fleet.clusters.push(Cluster {
                    id: cluster_id.clone(),
                    arn: Some(arn),
                    region: region.clone(),
                    engine,
                    status: "creating".into(),
                    members: Vec::new(),
                    storage_encrypted: true,
                    kms_key_id: Some(kms_key_id),
                    endpoint: None,
                    created: Some(now()),
                    pending_changes: Vec::new(),
                    ..base
                });
                self.settle(step.target());
                done("encrypted cluster creating (add instances to it before cut-over)".into())
            }
            Step::RestoreDBInstanceFromDBSnapshot {
                region,
                snapshot_id,
                instance_id,
                carried_over,
            } => {
                let snapshot =
                    snapshot_mut(&mut fleet, &region, SnapshotKind::Db, &snapshot_id)?.clone();
                if fleet.instance(&region, &instance_id).is_some() {
                    return Err(call_error(
                        step,
                        format!("DBInstanceAlreadyExists: {instance_id} already exists"),
                    ));
                }
                let original = fleet
                    .instance(&region, &snapshot.source_id)
                    .cloned()
                    .unwrap_or_default();
                let arn = format!("arn:aws:rds:{region}:{}:db:{instance_id}", fleet.account);
                fleet.instances.push(Instance {
                    id: instance_id.clone(),
                    arn: Some(arn),
                    region: region.clone(),
                    status: "creating".into(),
                    storage_encrypted: snapshot.encrypted,
                    kms_key_id: snapshot.kms_key_id.clone(),
                    endpoint: None,
                    created: Some(now()),
                    pending_changes: Vec::new(),
                    class: carried_over
                        .instance_class
                        .unwrap_or(original.class.clone()),
                    subnet_group: carried_over.subnet_group.or(original.subnet_group.clone()),
                    security_group_ids: if carried_over.security_group_ids.is_empty() {
                        original.security_group_ids.clone()
                    } else {
                        carried_over.security_group_ids
                    },
                    parameter_group: carried_over
                        .parameter_group
                        .or(original.parameter_group.clone()),
                    ..original
                });
                self.later(move |fleet| {
                    if let Some(i) = fleet
                        .instances
                        .iter_mut()
                        .find(|i| i.region == region && i.id == instance_id)
                    {
                        i.status = "available".into();
                        i.endpoint = Some(format!("{}.demo.{}.rds.amazonaws.com", i.id, i.region));
                    }
                });
                done("encrypted instance creating".into())
            }
            Step::ModifyDBInstance {
                setting,
                apply_immediately,
                ..
            }
            | Step::ModifyDBCluster {
                setting,
                apply_immediately,
                ..
            } => {
                let target = step.target();
                let resource = modifiable(&mut fleet, &target)
                    .ok_or_else(|| not_found(target.kind.as_str(), &target.id))?;
                if setting.honours_window() && !apply_immediately {
                    resource.pending_changes().push(pending_label(&setting));
                    return Ok(StepOutcome {
                        message: "accepted: pending the next maintenance window".into(),
                        pending_window: true,
                        request_id: None,
                    });
                }
                if let Some(status) = fleet.status_mut(&target) {
                    *status = "modifying".into();
                }
                let kind = target.kind;
                self.later(move |fleet| {
                    if let Some(resource) = modifiable(fleet, &target) {
                        resource.apply(&setting);
                    }
                    if let Some(status) = fleet.status_mut(&target) {
                        *status = "available".into();
                    }
                });
                done(format!("{kind} modifying"))
            }
            Step::RevokeSecurityGroupIngress {
                region,
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
            } => {
                let group = fleet
                    .security_groups
                    .iter_mut()
                    .find(|g| g.region == region && g.id == group_id)
                    .ok_or_else(|| not_found("security-group", &group_id))?;
                let rule = group
                    .ingress
                    .iter_mut()
                    .find(|r| {
                        r.protocol == protocol
                            && r.from_port == from_port
                            && r.to_port == to_port
                            && (r.ipv4_ranges.contains(&cidr) || r.ipv6_ranges.contains(&cidr))
                    })
                    .ok_or_else(|| {
                        call_error(
                            step,
                            "InvalidPermission.NotFound: the rule no longer exists".into(),
                        )
                    })?;
                rule.ipv4_ranges.retain(|c| *c != cidr);
                rule.ipv6_ranges.retain(|c| *c != cidr);
                group.ingress.retain(|r| {
                    !(r.ipv4_ranges.is_empty()
                        && r.ipv6_ranges.is_empty()
                        && r.source_groups.is_empty())
                });
                done(format!("revoked {cidr} from {group_id}"))
            }
            Step::AuthorizeSecurityGroupIngress {
                region,
                group_id,
                protocol,
                from_port,
                to_port,
                cidr,
            } => {
                let group = fleet
                    .security_groups
                    .iter_mut()
                    .find(|g| g.region == region && g.id == group_id)
                    .ok_or_else(|| not_found("security-group", &group_id))?;
                let mut rule = crate::model::IngressRule {
                    protocol,
                    from_port,
                    to_port,
                    ..Default::default()
                };
                if crate::model::is_ipv6(&cidr) {
                    rule.ipv6_ranges.push(cidr.clone());
                } else {
                    rule.ipv4_ranges.push(cidr.clone());
                }
                group.ingress.push(rule);
                done(format!("authorized {cidr} on {group_id}"))
            }
        }
    }

    /// Make `target` `available` after the transition, as AWS would.
    fn settle(&self, target: ResourceRef) {
        self.later(move |fleet| {
            if let Some(status) = fleet.status_mut(&target) {
                *status = "available".into();
            }
        });
    }
}

fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

fn pending_label(setting: &Setting) -> String {
    let (name, value) = setting.parameter();
    format!("{name}={value}")
}

/// What ModifyDBInstance and ModifyDBCluster change, alike for both.
trait Modifiable {
    fn pending_changes(&mut self) -> &mut Vec<String>;
    fn apply(&mut self, setting: &Setting);
}

impl Modifiable for Instance {
    fn pending_changes(&mut self) -> &mut Vec<String> {
        &mut self.pending_changes
    }

    fn apply(&mut self, setting: &Setting) {
        match *setting {
            Setting::PubliclyAccessible(v) => self.publicly_accessible = v,
            Setting::MultiAZ(v) => self.multi_az = v,
            Setting::BackupRetentionPeriod(v) => self.backup_retention_days = v,
            Setting::DeletionProtection(v) => self.deletion_protection = v,
            Setting::AutoMinorVersionUpgrade(v) => self.auto_minor_version_upgrade = v,
            Setting::EnableIAMDatabaseAuthentication(v) => self.iam_auth_enabled = v,
            Setting::CopyTagsToSnapshot(v) => self.copy_tags_to_snapshot = v,
        }
    }
}

impl Modifiable for Cluster {
    fn pending_changes(&mut self) -> &mut Vec<String> {
        &mut self.pending_changes
    }

    fn apply(&mut self, setting: &Setting) {
        match *setting {
            // Clusters have no such parameter; plans never send it.
            Setting::PubliclyAccessible(_) => {}
            Setting::MultiAZ(v) => self.multi_az = v,
            Setting::BackupRetentionPeriod(v) => self.backup_retention_days = v,
            Setting::DeletionProtection(v) => self.deletion_protection = v,
            Setting::AutoMinorVersionUpgrade(v) => self.auto_minor_version_upgrade = Some(v),
            Setting::EnableIAMDatabaseAuthentication(v) => self.iam_auth_enabled = v,
            Setting::CopyTagsToSnapshot(v) => self.copy_tags_to_snapshot = v,
        }
    }
}

/// The instance or cluster `target` names, as something a Modify call changes.
fn modifiable<'f>(fleet: &'f mut Fleet, target: &ResourceRef) -> Option<&'f mut dyn Modifiable> {
    let (region, id) = (&target.region, &target.id);
    match target.kind {
        ResourceType::DbInstance => fleet
            .instances
            .iter_mut()
            .find(|i| &i.region == region && &i.id == id)
            .map(|i| i as &mut dyn Modifiable),
        ResourceType::DbCluster => fleet
            .clusters
            .iter_mut()
            .find(|c| &c.region == region && &c.id == id)
            .map(|c| c as &mut dyn Modifiable),
        _ => None,
    }
}

fn not_found(kind: &str, id: &str) -> SourceError {
    SourceError::NotFound {
        resource: format!("{kind} {id}"),
    }
}

fn call_error(step: &Step, message: String) -> SourceError {
    SourceError::call(step.api(), message)
}

fn snapshot_mut<'f>(
    fleet: &'f mut Fleet,
    region: &str,
    kind: SnapshotKind,
    id: &str,
) -> Result<&'f mut Snapshot, SourceError> {
    fleet
        .snapshots
        .iter_mut()
        .find(|s| s.region == region && s.kind == kind && s.id == id)
        .ok_or_else(|| not_found(kind.resource_type().as_str(), id))
}

fn instance_mut<'f>(
    fleet: &'f mut Fleet,
    region: &str,
    id: &str,
) -> Result<&'f mut Instance, SourceError> {
    fleet
        .instances
        .iter_mut()
        .find(|i| i.region == region && i.id == id)
        .ok_or_else(|| not_found("db-instance", id))
}

fn ensure_free_snapshot_id(
    step: &Step,
    fleet: &Fleet,
    region: &str,
    id: &str,
) -> Result<(), SourceError> {
    if fleet.snapshot(region, SnapshotKind::Db, id).is_some() {
        return Err(call_error(
            step,
            format!("DBSnapshotAlreadyExists: {id} already exists"),
        ));
    }
    Ok(())
}

impl FleetSource for DemoSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Demo,
            label: "demo".into(),
            account: Some(self.lock().account.clone()).filter(|a| !a.is_empty()),
            read_only: self
                .read_only
                .then(|| "started with --read-only".to_string()),
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let pending = self
                .pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some((size, seed, regions)) = pending {
                let fleet = tokio::task::spawn_blocking(move || {
                    in_regions(super::synthetic::synthetic_fleet(size, seed), &regions)
                })
                .await
                .map_err(|e| {
                    SourceError::Unavailable(format!("generating the demo fleet: {e}"))
                })??;
                *self.lock() = fleet;
            }
            Ok(self.lock().clone())
        })
    }

    fn available_regions(&self) -> BoxFuture<'_, Option<Vec<String>>> {
        Box::pin(async move { Some(self.regions.clone()) })
    }

    fn apply<'a>(&'a self, step: &'a Step) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async move {
            if self.read_only {
                return Err(SourceError::ReadOnly("started with --read-only".into()));
            }
            self.apply_now(step)
        })
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move { Ok(self.lock().fragment(resource)) })
    }
}
