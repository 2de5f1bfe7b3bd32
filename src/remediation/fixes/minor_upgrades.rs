//! Take minor versions automatically. An instance or a Multi-AZ DB
//! cluster needs one Modify call. Aurora upgrades a cluster only when the
//! cluster and every member allow it, so the plan for an Aurora cluster
//! turns the setting on wherever it is off: the cluster (ModifyDBCluster)
//! and each member (ModifyDBInstance).

use super::settings::{Setting, modify_step};
use crate::model::{Cluster, ResourceRef, ResourceType};
use crate::remediation::{Fix, FixInput, Fixing, NoRemediation, PlannedStep};

/// Answers `auto-minor-upgrade-off`.
pub struct MinorUpgrades;

pub static MINOR_UPGRADES: MinorUpgrades = MinorUpgrades;

const PURPOSE: &str = "take minor versions in the maintenance window";

impl Fix for MinorUpgrades {
    fn summary(&self) -> &'static str {
        PURPOSE
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let finding = input.finding;
        let targets = match finding.resource_type {
            ResourceType::DbCluster => {
                let cluster = input
                    .fleet
                    .cluster(&finding.region, &finding.resource_id)
                    .ok_or_else(|| input.gone())?;
                holding_back(input, cluster)
            }
            _ => vec![finding.resource_ref()],
        };
        if targets.is_empty() {
            return Err(NoRemediation::Stale(
                "nothing holds minor upgrades back any more".into(),
            ));
        }
        let steps = targets
            .iter()
            .map(|target| step(input, target))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Fixing {
            steps,
            ..Fixing::default()
        })
    }
}

/// Where the setting is off: a Multi-AZ DB cluster itself; for Aurora the
/// cluster (when it says so) and every loaded member with it off.
fn holding_back(input: &FixInput<'_>, cluster: &Cluster) -> Vec<ResourceRef> {
    if cluster.is_multi_az_db_cluster() {
        return vec![cluster.resource_ref()];
    }
    let mut targets = Vec::new();
    if cluster.auto_minor_version_upgrade == Some(false) {
        targets.push(cluster.resource_ref());
    }
    targets.extend(
        cluster
            .members
            .iter()
            .filter_map(|m| input.index.instance(&cluster.region, &m.instance_id))
            .filter(|i| !i.auto_minor_version_upgrade)
            .map(|i| i.resource_ref()),
    );
    targets
}

fn step(input: &FixInput<'_>, target: &ResourceRef) -> Result<PlannedStep, NoRemediation> {
    let setting = Setting::AutoMinorVersionUpgrade(true);
    // The setting applies as soon as possible; upgrades then wait for
    // the window.
    let apply_immediately = input.options.apply_immediately || !setting.honours_window(false);
    modify_step(target, setting, apply_immediately, false, PURPOSE)
}
