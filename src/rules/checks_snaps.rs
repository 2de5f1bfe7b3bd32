//! Can a snapshot leave the account, and did it? Is anyone told when a
//! database fails? Checks on sharing of unencrypted snapshots, the
//! AWS-managed key, exports to S3 and event subscriptions.

use std::borrow::Cow;

use super::{Severity, Subject, Verdict, context::Context};
use crate::model::{
    NEEDED_CATEGORIES, PUBLIC_RESTORE_ACCOUNT, RegionReads, ResourceList, Snapshot, SnapshotKind,
};

type Reason = Cow<'static, str>;

fn snapshot_of(subject: Subject<'_>) -> Option<&Snapshot> {
    match subject {
        Subject::Snapshot(s) => Some(s),
        _ => None,
    }
}

fn not_applicable(why: impl Into<Reason>) -> Verdict {
    Verdict::NotApplicable(why.into())
}

fn unknown(why: impl Into<Reason>) -> Verdict {
    Verdict::Unknown(why.into())
}

/// The accounts a snapshot is shared with by name: `all` is
/// `snapshot-public`'s to judge, the owner's own account shares nothing.
fn named_accounts<'s>(ctx: &Context<'_>, s: &'s Snapshot) -> Vec<&'s str> {
    s.shared_with
        .iter()
        .map(String::as_str)
        .filter(|a| *a != PUBLIC_RESTORE_ACCOUNT && *a != ctx.fleet.account)
        .collect()
}

const SHARING_UNKNOWN: &str =
    "who may restore it could not be read (the snapshot attribute look-up failed)";

pub fn snapshot_shared_unencrypted(ctx: &Context<'_>, subject: Subject<'_>) -> Verdict {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    if s.encrypted {
        return Verdict::Pass;
    }
    if s.sharing_unknown {
        return unknown(SHARING_UNKNOWN);
    }
    let accounts = named_accounts(ctx, s);
    if accounts.is_empty() {
        return Verdict::Pass;
    }
    Verdict::Fail(
        format!(
            "Encrypted=false and shared with {}: they can restore it without any key grant",
            accounts.join(", ")
        )
        .into(),
    )
}

pub fn snapshot_aws_managed_key(ctx: &Context<'_>, subject: Subject<'_>) -> Verdict {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    if !s.encrypted {
        return not_applicable("not encrypted: snapshot-unencrypted judges it");
    }
    let Some(key) = s.kms_key_id.as_deref() else {
        return unknown("encrypted, but AWS did not report its KMS key");
    };
    let Some(found) = ctx.index.snaps().key(&s.region, key) else {
        return unknown(format!(
            "the manager of KMS key {key} was not read{}",
            load_error(ctx, &s.region, ResourceList::KmsKeys)
        ));
    };
    // A deleted key (`missing`) was customer-managed: AWS's cannot go.
    if !found.is_aws_managed() {
        return Verdict::Pass;
    }
    let evidence = format!(
        "KMS key {key} has KeyManager={}: the AWS-managed aws/rds key, whose policy cannot be restricted and which cannot be shared across accounts",
        found.key_manager
    );
    if s.sharing_unknown {
        return Verdict::Fail(format!("{evidence}; who may restore it is unknown").into());
    }
    let accounts = named_accounts(ctx, s);
    if accounts.is_empty() && !s.is_public() {
        return Verdict::FailAt(Severity::Low, evidence.into());
    }
    Verdict::Fail(format!("{evidence}; shared with {}", s.shared_with.join(", ")).into())
}

/// The ARN export tasks name a snapshot by; built from the account when
/// the source did not give one (a saved fleet).
fn snapshot_arn(ctx: &Context<'_>, s: &Snapshot) -> String {
    s.arn.clone().unwrap_or_else(|| {
        let kind = match s.kind {
            SnapshotKind::Db => "snapshot",
            SnapshotKind::Cluster => "cluster-snapshot",
        };
        format!(
            "arn:aws:rds:{}:{}:{kind}:{}",
            s.region, ctx.fleet.account, s.id
        )
    })
}

fn reads<'f>(ctx: &Context<'f>, region: &str) -> Option<&'f RegionReads> {
    ctx.fleet.region_reads.iter().find(|r| r.region == region)
}

/// `: <why>` from the load error of `what` in `region`, if one was kept.
fn load_error(ctx: &Context<'_>, region: &str, what: ResourceList) -> String {
    ctx.fleet
        .load_errors
        .iter()
        .find(|e| e.region == region && e.what == what)
        .map(|e| format!(": {}", e.message))
        .unwrap_or_else(|| format!(" ({what} not loaded)"))
}

pub fn snapshot_exported(ctx: &Context<'_>, subject: Subject<'_>) -> Verdict {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    if !reads(ctx, &s.region).is_some_and(|r| r.export_tasks) {
        return unknown(format!(
            "its exports to S3 were not read{}",
            load_error(ctx, &s.region, ResourceList::ExportTasks)
        ));
    }
    let arn = snapshot_arn(ctx, s);
    let exports: Vec<String> = ctx
        .index
        .snaps()
        .exports_of(&arn)
        .iter()
        .filter(|t| t.left_or_leaving())
        .map(|t| {
            format!(
                "s3://{}/{} by task {} ({}, started {}), role {}, KMS key {}",
                t.s3_bucket,
                t.s3_prefix,
                t.id,
                t.status,
                t.task_start_time.as_deref().unwrap_or("at an unknown time"),
                t.iam_role_arn.as_deref().unwrap_or("not reported"),
                t.kms_key_id.as_deref().unwrap_or("not reported"),
            )
        })
        .collect();
    if exports.is_empty() {
        return Verdict::Pass;
    }
    Verdict::Fail(format!("exported to {}", exports.join("; ")).into())
}

pub fn no_event_subscription(ctx: &Context<'_>, subject: Subject<'_>) -> Verdict {
    let (region, id) = subject.region_and_id();
    if matches!(subject, Subject::Snapshot(_)) {
        return not_applicable("not a DB instance or cluster");
    }
    let Some((kind, first)) = ctx.index.snaps().first_database(region) else {
        return not_applicable("no database in its region");
    };
    if (kind, first) != (subject.resource_type(), id) {
        return not_applicable(format!(
            "judged once per region, on {kind} {first} for {region}"
        ));
    }
    if !reads(ctx, region).is_some_and(|r| r.event_subscriptions) {
        return unknown(format!(
            "the event subscriptions of {region} were not read{}",
            load_error(ctx, region, ResourceList::EventSubscriptions)
        ));
    }
    let in_region: Vec<_> = ctx
        .fleet
        .event_subscriptions
        .iter()
        .filter(|e| e.region == region)
        .collect();
    if in_region.iter().any(|e| e.covers_failure_and_maintenance()) {
        return Verdict::Pass;
    }
    let others = match in_region.len() {
        0 => "it has none".to_string(),
        n => format!(
            "none of its {n} ({}) is enabled for every instance or cluster with both",
            in_region
                .iter()
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Verdict::Fail(
        format!(
            "region {region}: no enabled RDS event subscription covers {} events of its DB instances or clusters; {others}",
            NEEDED_CATEGORIES.join(" and ")
        )
        .into(),
    )
}
