//! The TLS parameters of the parameter groups in use: one paginated
//! `DescribeDBParameters` (`DescribeDBClusterParameters` for a cluster
//! group) per distinct group, a few at a time, after the instances and
//! clusters of the region have been listed.

use futures::{StreamExt, stream};
use std::collections::BTreeSet;

use super::sharing::{ATTRIBUTE_CONCURRENCY, summarize_as};
use crate::model::is_default_group;
use crate::model::{Cluster, Instance, ParameterGroup, ParameterGroupKind, ResourceList};
use crate::source::aws::RegionClients;
use crate::source::aws::convert;
use crate::source::aws::error::CallError;

/// Groups read at once per region. Each also takes one of the region's
/// attribute slots, so with the snapshot look-ups they stay inside the
/// ~12 requests a second RDS allows.
const PARAMETER_CONCURRENCY: usize = 4;

/// What AWS answers for a group that is not there.
const GROUP_NOT_FOUND: &[&str] = &["DBParameterGroupNotFound", "DBParameterGroupNotFoundFault"];

/// The groups read, and one error per list that failed (named after the
/// first group that failed and how many more did).
pub(super) struct ParametersRead {
    pub groups: Vec<ParameterGroup>,
    pub failures: Vec<(ResourceList, CallError)>,
}

/// The groups the checks need: a standalone instance's DB parameter group
/// and a cluster's DB cluster parameter group (members take TLS from the
/// cluster's). Each distinct group once.
pub(super) fn groups_in_use(
    instances: &[Instance],
    clusters: &[Cluster],
) -> BTreeSet<(ParameterGroupKind, String)> {
    let db = instances
        .iter()
        .filter(|i| i.cluster_id.is_none())
        .filter_map(|i| i.parameter_group.clone())
        .map(|name| (ParameterGroupKind::Db, name));
    let cluster = clusters
        .iter()
        .filter_map(|c| c.parameter_group.clone())
        .map(|name| (ParameterGroupKind::Cluster, name));
    db.chain(cluster).collect()
}

pub(super) async fn read_parameters(
    c: &RegionClients,
    wanted: BTreeSet<(ParameterGroupKind, String)>,
) -> ParametersRead {
    let answers: Vec<_> = stream::iter(wanted)
        .map(|(kind, name)| async move {
            // Nobody closes the semaphore; without a slot the read is
            // still correct, only less polite.
            let _slot = c.attribute_slots.acquire().await.ok();
            let answer = read_group(c, kind, &name).await;
            (kind, name, answer)
        })
        .buffer_unordered(PARAMETER_CONCURRENCY.min(ATTRIBUTE_CONCURRENCY))
        .collect()
        .await;
    let mut groups = Vec::new();
    let (mut db_failed, mut cluster_failed) = (Vec::new(), Vec::new());
    for (kind, name, answer) in answers {
        match answer {
            Ok(values) => groups.push(ParameterGroup {
                region: c.region.clone(),
                name,
                kind,
                values: values.into_iter().collect(),
            }),
            Err(e) if kind == ParameterGroupKind::Db => db_failed.push((name, e)),
            Err(e) => cluster_failed.push((name, e)),
        }
    }
    groups.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    let mut failures = Vec::new();
    const WHAT: &str = "TLS parameters unknown";
    if let Some(e) = summarize_as(WHAT, db_failed) {
        failures.push((ResourceList::DbParameters, e));
    }
    if let Some(e) = summarize_as(WHAT, cluster_failed) {
        failures.push((ResourceList::DbClusterParameters, e));
    }
    ParametersRead { groups, failures }
}

/// The TLS values of one group, every page read. A default group AWS says
/// is not there (an emulator that does not keep AWS's default groups)
/// holds the engine's defaults by definition: no value set.
async fn read_group(
    c: &RegionClients,
    kind: ParameterGroupKind,
    name: &str,
) -> Result<Vec<(String, String)>, CallError> {
    let answer = match kind {
        ParameterGroupKind::Db => db_values(c, name).await,
        ParameterGroupKind::Cluster => cluster_values(c, name).await,
    };
    match answer {
        Err(e) if e.has_code(GROUP_NOT_FOUND) && is_default_group(name) => Ok(Vec::new()),
        other => other,
    }
}

async fn db_values(c: &RegionClients, name: &str) -> Result<Vec<(String, String)>, CallError> {
    let request = c.rds.describe_db_parameters().db_parameter_group_name(name);
    let mut pages = request.into_paginator().send();
    let mut values = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| c.error(&e))?;
        values.extend(convert::tls_values(page.parameters()));
    }
    Ok(values)
}

async fn cluster_values(c: &RegionClients, name: &str) -> Result<Vec<(String, String)>, CallError> {
    let request = c.rds.describe_db_cluster_parameters();
    let mut pages = request
        .db_cluster_parameter_group_name(name)
        .into_paginator()
        .send();
    let mut values = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| c.error(&e))?;
        values.extend(convert::tls_values(page.parameters()));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_take_their_cluster_group_and_each_group_is_read_once() {
        let instance = |id: &str, cluster: Option<&str>, group: &str| Instance {
            id: id.into(),
            cluster_id: cluster.map(str::to_string),
            parameter_group: Some(group.into()),
            ..Instance::default()
        };
        let instances = [
            instance("a", None, "tls-on"),
            instance("b", None, "tls-on"),
            instance("m", Some("c"), "default.aurora-postgresql16"),
        ];
        let clusters = [Cluster {
            id: "c".into(),
            parameter_group: Some("tls-on".into()),
            ..Cluster::default()
        }];
        let wanted: Vec<_> = groups_in_use(&instances, &clusters).into_iter().collect();
        assert_eq!(
            wanted,
            vec![
                (ParameterGroupKind::Db, "tls-on".to_string()),
                (ParameterGroupKind::Cluster, "tls-on".to_string()),
            ]
        );
    }
}
