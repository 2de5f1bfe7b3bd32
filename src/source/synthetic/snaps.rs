//! The snapshot-exposure facts of a synthetic fleet: KMS key managers,
//! export tasks, event subscriptions. Derived from the ids already drawn
//! (a hash, no draw from the generator's `Rng`), so every existing seed
//! keeps its fleet and only gains these.

use super::{ACCOUNT, regions};
use crate::model::{EventSubscription, ExportTask, Fleet, KmsKey, RegionReads};

/// FNV-1a: a stable number per id, for choices at fixed rates.
pub(super) fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Is `text` among the `percent` in a hundred picked for `purpose`?
fn picked(purpose: &str, text: &str, percent: u64) -> bool {
    hash(&format!("{purpose}/{text}")) % 100 < percent
}

pub(super) fn add(fleet: &mut Fleet) {
    key_managers(fleet);
    export_tasks(fleet);
    subscriptions(fleet);
    fleet.region_reads = regions()
        .into_iter()
        .map(|region| RegionReads {
            region,
            export_tasks: true,
            event_subscriptions: true,
        })
        .collect();
}

/// One key in twelve is the AWS-managed aws/rds key: databases created
/// with the console's default.
fn key_managers(fleet: &mut Fleet) {
    let mut keys: Vec<(&str, &str)> = fleet
        .snapshots
        .iter()
        .filter(|s| s.encrypted)
        .filter_map(|s| Some((s.region.as_str(), s.kms_key_id.as_deref()?)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let keys: Vec<KmsKey> = keys
        .into_iter()
        .map(|(region, id)| KmsKey {
            region: region.to_string(),
            id: id.to_string(),
            arn: Some(id.to_string()),
            key_manager: if picked("aws-key", id, 8) {
                "AWS"
            } else {
                "CUSTOMER"
            }
            .into(),
            missing: false,
        })
        .collect();
    fleet.kms_keys = keys;
}

/// One manual snapshot in twenty was exported to S3; a few of those
/// exports are still running, failed or were cancelled.
fn export_tasks(fleet: &mut Fleet) {
    const STATUSES: [&str; 10] = [
        "COMPLETE",
        "COMPLETE",
        "COMPLETE",
        "COMPLETE",
        "COMPLETE",
        "COMPLETE",
        "IN_PROGRESS",
        "FAILED",
        "CANCELED",
        "COMPLETE",
    ];
    let tasks: Vec<ExportTask> = fleet
        .snapshots
        .iter()
        .filter(|s| s.snapshot_type == "manual" && picked("export", &s.id, 5))
        .filter_map(|s| {
            let arn = s.arn.clone()?;
            let h = hash(&s.id);
            Some(ExportTask {
                region: s.region.clone(),
                id: format!("export-{}", s.id),
                source_arn: arn,
                status: STATUSES[(h % 10) as usize].into(),
                s3_bucket: format!("acme-rds-exports-{}", s.region),
                s3_prefix: format!("{}/", s.source_id),
                iam_role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/rds-s3-export")),
                kms_key_id: s.kms_key_id.clone(),
                task_start_time: s.created.clone(),
                task_end_time: None,
            })
        })
        .collect();
    fleet.export_tasks = tasks;
}

/// Most regions page someone on failures and maintenance; one in three
/// has only a backup report, or nothing.
fn subscriptions(fleet: &mut Fleet) {
    let mut all = Vec::new();
    for (n, region) in regions().into_iter().enumerate() {
        let topic = format!("arn:aws:sns:{region}:{ACCOUNT}:dba-pager");
        let (source_type, categories): (&str, &[&str]) = match n % 3 {
            0 | 1 => ("db-instance", &["failure", "maintenance", "failover"]),
            _ if n % 2 == 0 => ("db-instance", &["backup"]),
            _ => continue,
        };
        all.push(EventSubscription {
            id: format!("dba-pager-{region}"),
            region,
            sns_topic_arn: Some(topic),
            source_type: Some(source_type.into()),
            event_categories: categories.iter().map(|c| c.to_string()).collect(),
            source_ids: Vec::new(),
            enabled: true,
            status: "active".into(),
        });
    }
    fleet.event_subscriptions = all;
}
