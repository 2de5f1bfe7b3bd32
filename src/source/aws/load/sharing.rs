//! Who each manual snapshot is shared with: one attribute look-up per
//! snapshot, a few at a time.

use futures::{StreamExt, stream};
use std::future::Future;
use tokio::sync::Semaphore;

use super::unless_gone;
use crate::model::Snapshot;
use crate::source::aws::RegionClients;
use crate::source::aws::convert;
use crate::source::aws::error::CallError;

/// Attribute look-ups in flight at once per region, across both snapshot
/// kinds: RDS allows about 12 requests a second per account and region,
/// and the list calls need some of that too.
pub(in crate::source::aws) const ATTRIBUTE_CONCURRENCY: usize = 8;

/// Only manual snapshots can be shared; automated ones never carry `restore`.
const SHAREABLE_TYPE: &str = "manual";

/// Who may restore a snapshot: `None` when it no longer exists.
pub(super) type Sharing = Result<Option<Vec<String>>, CallError>;

/// Fill `shared_with` of every manual snapshot, a few look-ups at a time
/// (the region's attribute slots bound them across both snapshot kinds).
/// Snapshots deleted meanwhile are dropped. Returns the snapshots whose
/// sharing could not be read; they are kept, marked `sharing_unknown`, and
/// reported.
pub(super) async fn fill_sharing<F, Fut>(
    slots: &Semaphore,
    snapshots: &mut Vec<Snapshot>,
    fetch: F,
) -> Vec<(String, CallError)>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Sharing>,
{
    let manual: Vec<String> = snapshots
        .iter()
        .filter(|s| s.snapshot_type == SHAREABLE_TYPE)
        .map(|s| s.id.clone())
        .collect();
    let fetch = &fetch;
    let answers: Vec<(String, Sharing)> = stream::iter(manual)
        .map(|id| async move {
            // A closed semaphore cannot happen (nobody closes it); if it
            // did, asking without a slot is still correct, only less polite.
            let _slot = slots.acquire().await.ok();
            let answer = fetch(id.clone()).await;
            (id, answer)
        })
        .buffer_unordered(ATTRIBUTE_CONCURRENCY)
        .collect()
        .await;
    let mut failed: Vec<(String, CallError)> = Vec::new();
    let mut gone: Vec<String> = Vec::new();
    for (id, answer) in answers {
        match answer {
            Ok(Some(accounts)) => {
                if let Some(s) = snapshots.iter_mut().find(|s| s.id == id) {
                    s.shared_with = accounts;
                }
            }
            Ok(None) => gone.push(id),
            Err(e) => {
                // Kept, but marked: an empty list would read as "private".
                if let Some(s) = snapshots.iter_mut().find(|s| s.id == id) {
                    s.sharing_unknown = true;
                }
                failed.push((id, e));
            }
        }
    }
    snapshots.retain(|s| !gone.contains(&s.id));
    failed
}

/// Many snapshots whose sharing is unknown, as one error, so a denied
/// permission does not flood the load errors.
pub(super) fn summarize(failed: Vec<(String, CallError)>) -> Option<CallError> {
    summarize_as("sharing unknown", failed)
}

/// Many look-ups that failed, as one error saying `what` for whom.
pub(super) fn summarize_as(what: &str, mut failed: Vec<(String, CallError)>) -> Option<CallError> {
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    let (first_id, first) = failed.first()?;
    let who = match failed.len() {
        1 => first_id.clone(),
        n => format!("{first_id} and {} more", n - 1),
    };
    Some(CallError {
        message: format!("{what} for {who}: {}", first.message),
        code: first.code.clone(),
        transport: first.transport,
        request_id: first.request_id.clone(),
    })
}

/// Who may restore a DB snapshot; `None` when it no longer exists.
pub(super) async fn db_snapshot_restore(c: &RegionClients, id: String) -> Sharing {
    let request = c.rds.describe_db_snapshot_attributes();
    let answer = request.db_snapshot_identifier(id).send().await;
    unless_gone(c, answer, |out| {
        out.db_snapshot_attributes_result()
            .map(convert::db_snapshot_restore)
            .unwrap_or_default()
    })
}

/// Who may restore a cluster snapshot; `None` when it no longer exists.
pub(super) async fn cluster_snapshot_restore(c: &RegionClients, id: String) -> Sharing {
    let request = c.rds.describe_db_cluster_snapshot_attributes();
    let answer = request.db_cluster_snapshot_identifier(id).send().await;
    unless_gone(c, answer, |out| {
        out.db_cluster_snapshot_attributes_result()
            .map(convert::cluster_snapshot_restore)
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SnapshotKind;

    fn snapshot(id: &str, kind: SnapshotKind, snapshot_type: &str) -> Snapshot {
        Snapshot {
            id: id.into(),
            kind,
            snapshot_type: snapshot_type.into(),
            ..Snapshot::default()
        }
    }

    fn denied() -> CallError {
        CallError {
            message: "AccessDenied: not allowed".into(),
            code: Some("AccessDenied".into()),
            transport: false,
            request_id: None,
        }
    }

    #[tokio::test]
    async fn sharing_is_read_for_manual_snapshots_only() {
        let mut snapshots = vec![
            snapshot("manual-1", SnapshotKind::Db, "manual"),
            snapshot("rds:auto-1", SnapshotKind::Db, "automated"),
            snapshot("manual-gone", SnapshotKind::Db, "manual"),
        ];
        let slots = Semaphore::new(ATTRIBUTE_CONCURRENCY);
        let failed = fill_sharing(&slots, &mut snapshots, |id| async move {
            match id.as_str() {
                "manual-1" => Ok(Some(vec!["all".to_string()])),
                "manual-gone" => Ok(None),
                other => panic!("asked about {other}"),
            }
        })
        .await;
        assert!(failed.is_empty());
        let ids: Vec<&str> = snapshots.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["manual-1", "rds:auto-1"]);
        assert!(snapshots[0].is_public());
    }

    #[tokio::test]
    async fn sharing_failures_become_one_error() {
        let mut snapshots: Vec<Snapshot> = (0..5)
            .map(|n| snapshot(&format!("s{n}"), SnapshotKind::Cluster, "manual"))
            .collect();
        let slots = Semaphore::new(ATTRIBUTE_CONCURRENCY);
        let failed =
            summarize(fill_sharing(&slots, &mut snapshots, |_| async { Err(denied()) }).await)
                .expect("an error");
        assert_eq!(
            failed.message,
            "sharing unknown for s0 and 4 more: AccessDenied: not allowed"
        );
        assert_eq!(snapshots.len(), 5, "unknown sharing keeps the snapshot");
        assert!(
            snapshots.iter().all(|s| s.sharing_unknown),
            "and marks it, so rules do not read `[]` as private"
        );
    }
}
