//! The embedded demo fleet. `apply` changes it in memory with the same
//! status transitions AWS shows (`modifying` → `available`, new snapshots
//! `creating` → `available`), so a posture demo visibly goes green.
//!
//! It carries a week of RDS activity (`Fleet::events`, every region read
//! `via: "demo"`) that tells an incident's story: the IAM user `dev-sam`
//! snapshots `orders-prod` at night from an unusual address, shares the
//! snapshot with `all`, exports it to a bucket, and on-call takes the share
//! back five hours later; a forgotten role is refused a dozen times; around
//! it, the ordinary week (the ops role, the backup runner, a copy to
//! us-west-2 for disaster recovery, one call by the root user).
//!
//! Its times are fixed, like every other time in the demo fleet (snapshot
//! creation, export tasks): the demo is the morning of 2026-11-28, the
//! trail the seven days before. Shifting only the events to "now" would
//! part them from the snapshots they created; what the activity rules say
//! is measured between events ("shared for 5h 12m"), never from the clock,
//! so scans and screens of the demo are the same on every run.

use futures::future::BoxFuture;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::{FleetSource, Mutation, SourceError, SourceInfo, SourceKind, StepOutcome};
use crate::config::RuleConfig;
use crate::model::{Fleet, GroupUser, ResourceRef, UserKind, group_users};

const DEMO_FLEET_JSON: &str = include_str!("../../assets/demo-fleet.json");

/// Who the demo's company expects to take and copy snapshots: its backup
/// runner and its operations role. `activity-unexpected-snapshot-creator`
/// is silent without such a list, so the demo brings its own unless the
/// user's config names one (see [`house_rules`]).
pub const EXPECTED_SNAPSHOT_PRINCIPALS: [&str; 2] = ["role/rds-backup-runner", "role/platform-ops"];

/// The rules as the demo judges its fleet: the user's, with the demo
/// company's expected snapshot principals where the user named none.
pub fn house_rules(mut config: RuleConfig) -> RuleConfig {
    if config.expected_snapshot_principals.is_empty() {
        config.expected_snapshot_principals = EXPECTED_SNAPSHOT_PRINCIPALS
            .iter()
            .map(ToString::to_string)
            .collect();
    }
    config
}

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
    fleet.network.retain_regions(keep);
    fleet.events.retain(|e| keep(&e.region));
    fleet.activity_reads.retain(|r| keep(&r.region));
    Ok(fleet)
}

/// What a call did to the demo fleet: its outcome now, and what happens
/// once the transition has passed (`creating` → `available`), as on AWS.
pub struct DemoChange {
    pub outcome: StepOutcome,
    pub later: Option<Finish>,
}

/// The rest of a demo transition, run on the fleet once it has passed.
pub type Finish = Box<dyn FnOnce(&mut Fleet) + Send>;

impl DemoChange {
    /// A change that is complete at once.
    pub fn done(outcome: StepOutcome) -> Self {
        Self {
            outcome,
            later: None,
        }
    }

    /// A change that completes after the transition.
    pub fn then(outcome: StepOutcome, finish: impl FnOnce(&mut Fleet) + Send + 'static) -> Self {
        Self {
            outcome,
            later: Some(Box::new(finish)),
        }
    }

    /// A change whose `target` turns `available` after the transition.
    pub fn settling(outcome: StepOutcome, target: ResourceRef) -> Self {
        Self::then(outcome, move |fleet| {
            if let Some(status) = fleet.status_mut(&target) {
                *status = "available".into();
            }
        })
    }
}

/// Now, as the demo stamps what it creates.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
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
    fn later(&self, finish: Finish) {
        let fleet = Arc::clone(&self.fleet);
        let delay = self.transition;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let mut fleet = fleet.lock().unwrap_or_else(|e| e.into_inner());
            finish(&mut fleet);
        });
    }
}

impl FleetSource for DemoSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Demo,
            label: "demo".into(),
            account: Some(self.lock().account.clone()).filter(|a| !a.is_empty()),
            read_only: super::read_only_reason(self.read_only),
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

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async move {
            super::refuse_if_read_only(self.read_only)?;
            let change = step.apply_demo(&mut self.lock())?;
            if let Some(finish) = change.later {
                self.later(finish);
            }
            Ok(change.outcome)
        })
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move { Ok(self.lock().fragment(resource)) })
    }

    fn group_users<'a>(
        &'a self,
        region: &'a str,
        group: &'a str,
    ) -> BoxFuture<'a, Result<Vec<GroupUser>, SourceError>> {
        Box::pin(async move { Ok(demo_group_users(&self.lock(), region, group)) })
    }
}

/// The demo's network interfaces in a group: one per database using it,
/// as RDS makes them, and for a few groups the other users a real
/// account has beside its databases, so a revoke shows its reach.
fn demo_group_users(fleet: &Fleet, region: &str, group: &str) -> Vec<GroupUser> {
    // An empty id stands for the interface's own, as for AWS's managed ones.
    let user = |kind, id: &str, n: usize, description: &str| {
        let interface = format!("eni-0{:016x}", fxhash(group) ^ n as u64);
        GroupUser {
            kind,
            id: if id.is_empty() {
                interface.clone()
            } else {
                id.to_string()
            },
            interface,
            description: description.to_string(),
        }
    };
    let databases = group_users(fleet, region, group).len();
    let mut users: Vec<GroupUser> = (0..databases)
        .map(|n| user(UserKind::Rds, "", n, "RDSNetworkInterface"))
        .collect();
    let name = fleet
        .security_groups
        .iter()
        .find(|g| g.region == region && g.id == group)
        .map(|g| g.name.as_str())
        .unwrap_or_default();
    let extras: &[(UserKind, &str, &str)] = match name {
        "legacy-crm-sqlserver" => &[
            (UserKind::Ec2Instance, "i-0c4e6a8b1d3f5a7c9", ""),
            (UserKind::Ec2Instance, "i-0d5f7b9c2e4a6b8d0", ""),
            (
                UserKind::LoadBalancer,
                "app/legacy-crm/7f3e2a1b9c4d5e6f",
                "ELB app/legacy-crm/7f3e2a1b9c4d5e6f",
            ),
        ],
        "analytics-bi-access" => &[
            (
                UserKind::Lambda,
                "eni-0b1d3f5a7c9e2b4d6",
                "AWS Lambda VPC ENI-bi-nightly-refresh",
            ),
            (
                UserKind::VpcEndpoint,
                "vpce-0a2c4e6f8b1d3f5a7",
                "VPC Endpoint Interface vpce-0a2c4e6f8b1d3f5a7",
            ),
        ],
        "eks-app-nodes" | "usw2-data-tier" => &[
            (UserKind::Ec2Instance, "i-0e6a8c1d3f5b7d9e2", ""),
            (
                UserKind::NatGateway,
                "eni-0f7b9d2e4a6c8e1f3",
                "Interface for NAT Gateway nat-0a1b2c3d4e5f6a7b8",
            ),
        ],
        _ => &[],
    };
    users.extend(
        extras
            .iter()
            .enumerate()
            .map(|(n, (kind, id, description))| user(*kind, id, databases + n, description)),
    );
    users.sort();
    users
}

/// A stable small hash, so demo interface ids stay the same every run.
fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
