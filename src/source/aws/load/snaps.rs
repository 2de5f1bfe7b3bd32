//! What decides whether a snapshot can leave, and whether anyone hears of
//! trouble: a region's export tasks and event subscriptions (read beside
//! the lists), then the manager of each KMS key its snapshots use (read
//! once the snapshots are in: one `kms:DescribeKey` per distinct key).
//!
//! None of this is a part of its own in load progress; a failure is a
//! [`LoadError`](crate::model::LoadError) naming its list, and the rules
//! that need it say unknown for that region.

use futures::{StreamExt, stream};

use super::sharing::summarize;
use crate::model::{
    EventSubscription, ExportTask, Fleet, KmsKey, LoadError, RegionReads, ResourceList, Snapshot,
};
use crate::source::aws::RegionClients;
use crate::source::aws::convert::timestamp;
use crate::source::aws::error::CallError;

/// `kms:DescribeKey` calls in flight at once per region. KMS allows far
/// more, but the request quota is shared with every other KMS user of the
/// account: a few at a time is plenty for the handful of keys a fleet uses.
const KEY_CONCURRENCY: usize = 4;

/// DescribeKey's answer for a key that does not exist.
const KEY_NOT_FOUND: &str = "NotFoundException";

/// The two lists read beside the region's other lists.
pub(super) struct Lists {
    export_tasks: Result<Vec<ExportTask>, CallError>,
    subscriptions: Result<Vec<EventSubscription>, CallError>,
}

/// Everything this area loaded in one region, and what failed.
#[derive(Default)]
pub(super) struct Loaded {
    kms_keys: Vec<KmsKey>,
    export_tasks: Vec<ExportTask>,
    subscriptions: Vec<EventSubscription>,
    reads: RegionReads,
    failures: Vec<(ResourceList, CallError)>,
}

impl Loaded {
    /// Add it to the fleet, its failures as load errors.
    pub(super) fn add_to(self, fleet: &mut Fleet) {
        let region = self.reads.region.clone();
        fleet.kms_keys.extend(self.kms_keys);
        fleet.export_tasks.extend(self.export_tasks);
        fleet.event_subscriptions.extend(self.subscriptions);
        fleet.region_reads.push(self.reads);
        fleet
            .load_errors
            .extend(self.failures.into_iter().map(|(what, e)| LoadError {
                region: region.clone(),
                what,
                message: e.message,
            }));
    }
}

/// Read the export tasks and event subscriptions of a region, every page.
pub(super) async fn read_lists(c: &RegionClients) -> Lists {
    let (export_tasks, subscriptions) = futures::join!(export_tasks(c), subscriptions(c));
    Lists {
        export_tasks,
        subscriptions,
    }
}

async fn export_tasks(c: &RegionClients) -> Result<Vec<ExportTask>, CallError> {
    let mut pages = c.rds.describe_export_tasks().into_paginator().send();
    let mut tasks = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| c.error(&e))?;
        tasks.extend(
            page.export_tasks()
                .iter()
                .map(|t| export_task(t, &c.region)),
        );
    }
    Ok(tasks)
}

async fn subscriptions(c: &RegionClients) -> Result<Vec<EventSubscription>, CallError> {
    let mut pages = c.rds.describe_event_subscriptions().into_paginator().send();
    let mut subscriptions = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| c.error(&e))?;
        let list = page.event_subscriptions_list().iter();
        subscriptions.extend(list.map(|s| subscription(s, &c.region)));
    }
    Ok(subscriptions)
}

/// The lists, and the manager of every KMS key the region's snapshots use.
pub(super) async fn finish(c: &RegionClients, lists: Lists, snapshots: &[Snapshot]) -> Loaded {
    let mut loaded = Loaded {
        reads: RegionReads {
            region: c.region.clone(),
            ..RegionReads::default()
        },
        ..Loaded::default()
    };
    match lists.export_tasks {
        Ok(tasks) => (loaded.export_tasks, loaded.reads.export_tasks) = (tasks, true),
        Err(e) => loaded.failures.push((ResourceList::ExportTasks, e)),
    }
    match lists.subscriptions {
        Ok(list) => (loaded.subscriptions, loaded.reads.event_subscriptions) = (list, true),
        Err(e) => loaded.failures.push((ResourceList::EventSubscriptions, e)),
    }
    let (keys, failed) = describe_keys(c, snapshot_keys(snapshots)).await;
    loaded.kms_keys = keys;
    if let Some(e) = summarize_keys(failed) {
        loaded.failures.push((ResourceList::KmsKeys, e));
    }
    loaded
}

/// Each KMS key encrypted snapshots name, once.
fn snapshot_keys(snapshots: &[Snapshot]) -> Vec<String> {
    let mut keys: Vec<String> = snapshots
        .iter()
        .filter(|s| s.encrypted)
        .filter_map(|s| s.kms_key_id.clone())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// DescribeKey for each key, a few at a time: the keys it described, and
/// the ones it could not.
async fn describe_keys(
    c: &RegionClients,
    keys: Vec<String>,
) -> (Vec<KmsKey>, Vec<(String, CallError)>) {
    let answers: Vec<(String, Result<KmsKey, CallError>)> = stream::iter(keys)
        .map(|key| async move {
            let answer = c.kms.describe_key().key_id(&key).send().await;
            let read = match answer {
                Ok(out) => Ok(kms_key(&key, out.key_metadata(), &c.region)),
                Err(e) => {
                    let e = c.error(&e);
                    // A deleted key is an answer, not a failure: only a
                    // customer-managed key can be deleted.
                    if e.has_code(&[KEY_NOT_FOUND]) {
                        Ok(KmsKey {
                            missing: true,
                            ..kms_key(&key, None, &c.region)
                        })
                    } else {
                        Err(e)
                    }
                }
            };
            (key, read)
        })
        .buffer_unordered(KEY_CONCURRENCY)
        .collect()
        .await;
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for (key, answer) in answers {
        match answer {
            Ok(k) => found.push(k),
            Err(e) => failed.push((key, e)),
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    (found, failed)
}

/// Many keys whose manager is unknown, as one error.
fn summarize_keys(failed: Vec<(String, CallError)>) -> Option<CallError> {
    let mut one = summarize(failed)?;
    // `summarize` speaks of sharing; these are keys.
    one.message = one
        .message
        .replacen("sharing unknown for", "key manager unknown for", 1);
    Some(one)
}

/// A key as DescribeKey described it, under the name the snapshot used.
fn kms_key(named: &str, meta: Option<&aws_sdk_kms::types::KeyMetadata>, region: &str) -> KmsKey {
    KmsKey {
        region: region.to_string(),
        id: named.to_string(),
        arn: meta.and_then(|m| m.arn()).map(str::to_string),
        key_manager: meta
            .and_then(|m| m.key_manager())
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
        missing: false,
    }
}

fn export_task(t: &aws_sdk_rds::types::ExportTask, region: &str) -> ExportTask {
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    ExportTask {
        region: region.to_string(),
        id: text(t.export_task_identifier()),
        source_arn: text(t.source_arn()),
        status: text(t.status()),
        s3_bucket: text(t.s3_bucket()),
        s3_prefix: text(t.s3_prefix()),
        iam_role_arn: t.iam_role_arn().map(str::to_string),
        kms_key_id: t.kms_key_id().map(str::to_string),
        task_start_time: t.task_start_time().and_then(timestamp),
        task_end_time: t.task_end_time().and_then(timestamp),
    }
}

fn subscription(s: &aws_sdk_rds::types::EventSubscription, region: &str) -> EventSubscription {
    EventSubscription {
        region: region.to_string(),
        id: s.cust_subscription_id().unwrap_or_default().to_string(),
        sns_topic_arn: s.sns_topic_arn().map(str::to_string),
        source_type: s.source_type().map(str::to_string),
        event_categories: s.event_categories_list().to_vec(),
        source_ids: s.source_ids_list().to_vec(),
        enabled: s.enabled().unwrap_or(false),
        status: s.status().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_keep_what_coverage_needs() {
        let sdk = aws_sdk_rds::types::EventSubscription::builder()
            .cust_subscription_id("on-call")
            .source_type("db-instance")
            .event_categories_list("failure")
            .event_categories_list("maintenance")
            .enabled(true)
            .status("active")
            .build();
        let s = subscription(&sdk, "eu-west-1");
        assert_eq!(s.id, "on-call");
        assert!(s.covers_failure_and_maintenance());
    }

    #[test]
    fn export_tasks_keep_their_destination() {
        let sdk = aws_sdk_rds::types::ExportTask::builder()
            .export_task_identifier("exp-1")
            .source_arn("arn:aws:rds:eu-west-1:111122223333:snapshot:s")
            .status("COMPLETE")
            .s3_bucket("bucket")
            .s3_prefix("p/")
            .build();
        let t = export_task(&sdk, "eu-west-1");
        assert_eq!(
            (t.s3_bucket.as_str(), t.s3_prefix.as_str()),
            ("bucket", "p/")
        );
        assert!(t.left_or_leaving());
    }

    #[test]
    fn each_key_is_asked_once() {
        let snapshot = |key: Option<&str>, encrypted| Snapshot {
            kms_key_id: key.map(str::to_string),
            encrypted,
            ..Snapshot::default()
        };
        let snapshots = [
            snapshot(Some("k2"), true),
            snapshot(Some("k1"), true),
            snapshot(Some("k2"), true),
            snapshot(Some("k3"), false),
            snapshot(None, false),
        ];
        assert_eq!(snapshot_keys(&snapshots), ["k1", "k2"]);
    }
}
