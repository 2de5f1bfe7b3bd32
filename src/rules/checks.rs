//! The checks behind each catalogue entry. Each is a pure function of the
//! fleet context and one resource.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::{Subject, Verdict, context::Context};
use crate::model::engine_default_port;
use crate::model::log_types;
use crate::model::{
    Cluster, Instance, OpenRule, PUBLIC_RESTORE_ACCOUNT, Snapshot, open_world_rules,
};

pub(super) type Check = Verdict;

/// Reasons are text or fixed strings: a fixed one costs no allocation,
/// which matters when a rule fires on thousands of resources.
type Reason = Cow<'static, str>;

pub(super) fn fail(reason: impl Into<Reason>) -> Check {
    Verdict::Fail(reason.into())
}

pub(super) fn not_applicable(why: impl Into<Reason>) -> Check {
    Verdict::NotApplicable(why.into())
}

/// The rule judges this resource, but an input it needs is missing.
pub(super) fn unknown(why: impl Into<Reason>) -> Check {
    Verdict::Unknown(why.into())
}

fn pass_unless(failing: bool, reason: impl FnOnce() -> Reason) -> Check {
    if failing {
        fail(reason())
    } else {
        Verdict::Pass
    }
}

/// Member instances take this setting from their cluster; say so. When
/// the cluster itself was not loaded, nothing judged the setting: unknown.
pub(super) fn through_cluster(ctx: &Context<'_>, instance: &Instance) -> Option<Check> {
    instance.cluster_id.as_ref().map(|cluster| {
        if ctx.cluster(&instance.region, cluster).is_some() {
            not_applicable(format!(
                "member of cluster {cluster}: judged through the cluster"
            ))
        } else {
            unknown(format!(
                "member of cluster {cluster}, which was not loaded: the setting is the cluster's"
            ))
        }
    })
}

/// Settings a Multi-AZ DB cluster decides for its members (public access,
/// monitoring, minor upgrades) are judged at the cluster; Aurora members
/// keep their own.
pub(super) fn through_multi_az_cluster(ctx: &Context<'_>, instance: &Instance) -> Option<Check> {
    if instance.in_multi_az_db_cluster() {
        through_cluster(ctx, instance)
    } else {
        None
    }
}

/// Shared shape of instance-or-cluster boolean settings that members of a
/// cluster inherit.
fn compute_setting(
    ctx: &Context<'_>,
    subject: Subject<'_>,
    instance_value: impl Fn(&Instance) -> bool,
    cluster_value: impl Fn(&Cluster) -> bool,
    reason: impl Fn() -> Reason,
) -> Check {
    match subject {
        Subject::Instance(i) => {
            through_cluster(ctx, i).unwrap_or_else(|| pass_unless(!instance_value(i), &reason))
        }
        Subject::Cluster(c) => pass_unless(!cluster_value(c), &reason),
        Subject::Snapshot(_) => not_applicable("not a DB instance or cluster"),
    }
}

fn snapshot_of(subject: Subject<'_>) -> Option<&Snapshot> {
    match subject {
        Subject::Snapshot(s) => Some(s),
        _ => None,
    }
}

/// A snapshot whose `restore` attribute could not be read.
fn sharing_unknown(s: &Snapshot) -> Option<Check> {
    s.sharing_unknown.then(|| {
        unknown("who may restore it could not be read (the snapshot attribute look-up failed)")
    })
}

pub fn snapshot_public(_: &Context<'_>, subject: Subject<'_>) -> Check {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    if let Some(unknown) = sharing_unknown(s) {
        return unknown;
    }
    pass_unless(s.is_public(), || {
        format!(
            "restore attribute contains `{PUBLIC_RESTORE_ACCOUNT}`: any AWS account can copy or restore it"
        ).into()
    })
}

pub fn snapshot_shared_untrusted(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    if let Some(unknown) = sharing_unknown(s) {
        return unknown;
    }
    let untrusted: Vec<&str> = s
        .shared_with
        .iter()
        .map(String::as_str)
        .filter(|a| *a != PUBLIC_RESTORE_ACCOUNT)
        .filter(|a| *a != ctx.fleet.account)
        .filter(|a| !ctx.config.trusted_accounts.iter().any(|t| t == a))
        .collect();
    pass_unless(!untrusted.is_empty(), || {
        format!(
            "restore attribute shares it with untrusted account(s) {}",
            untrusted.join(", ")
        )
        .into()
    })
}

pub fn snapshot_unencrypted(_: &Context<'_>, subject: Subject<'_>) -> Check {
    let Some(s) = snapshot_of(subject) else {
        return not_applicable("not a snapshot");
    };
    pass_unless(!s.encrypted, || {
        format!("Encrypted=false (taken from {})", s.source_id).into()
    })
}

/// What the security groups say about reaching a public database: the
/// world-open rules, or that there are none, or that some group was not
/// loaded and so nobody knows.
pub(super) fn network_evidence(
    ctx: &Context<'_>,
    region: &str,
    groups: &[String],
    port: u16,
) -> String {
    let open = open_world_rules(&ctx.index, region, groups, port);
    if !open.is_empty() {
        return describe_open(&open);
    }
    let missing = missing_groups(ctx, region, groups);
    if missing.is_empty() {
        "no attached security group admits the internet on the DB port".to_string()
    } else {
        format!(
            "security group(s) {} not loaded: whether the internet reaches it is unknown",
            missing.join(", ")
        )
    }
}

pub(super) fn missing_groups<'g>(
    ctx: &Context<'_>,
    region: &str,
    groups: &'g [String],
) -> Vec<&'g str> {
    groups
        .iter()
        .filter(|g| ctx.security_group(region, g).is_none())
        .map(String::as_str)
        .collect()
}

pub fn instance_unencrypted(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let Subject::Instance(i) = subject else {
        return not_applicable("not a DB instance");
    };
    through_cluster(ctx, i)
        .unwrap_or_else(|| pass_unless(!i.storage_encrypted, || "StorageEncrypted=false".into()))
}

pub fn cluster_unencrypted(_: &Context<'_>, subject: Subject<'_>) -> Check {
    let Subject::Cluster(c) = subject else {
        return not_applicable("not a DB cluster");
    };
    pass_unless(!c.storage_encrypted, || {
        format!(
            "StorageEncrypted=false; its {} member(s) and snapshots inherit it",
            c.members.len()
        )
        .into()
    })
}

pub fn instance_single_az(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let Subject::Instance(i) = subject else {
        return not_applicable("not a DB instance");
    };
    through_cluster(ctx, i).unwrap_or_else(|| {
        pass_unless(!i.multi_az, || {
            format!(
                "MultiAZ=false: no standby outside {}",
                i.availability_zone.as_deref().unwrap_or("its zone")
            )
            .into()
        })
    })
}

pub fn cluster_single_az(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let Subject::Cluster(c) = subject else {
        return not_applicable("not a DB cluster");
    };
    if c.multi_az {
        return Verdict::Pass;
    }
    let zones: BTreeSet<&str> = c
        .members
        .iter()
        .filter_map(|m| ctx.fleet_instance(&c.region, &m.instance_id))
        .filter_map(|i| i.availability_zone.as_deref())
        .collect();
    if zones.len() > 1 {
        return Verdict::Pass;
    }
    if zones.is_empty() && !c.members.is_empty() {
        return unknown(format!(
            "none of its {} member(s) was loaded: their zones are unknown",
            c.members.len()
        ));
    }
    let place = match zones.iter().next() {
        Some(zone) => format!("all in {zone}"),
        None => "no zone known".to_string(),
    };
    fail(format!(
        "MultiAZ=false; {} member(s), {place}: no failover target in another zone",
        c.members.len()
    ))
}

/// Retention as judged for this resource, or why it is not judged.
fn backup_retention(ctx: &Context<'_>, subject: Subject<'_>) -> Result<u32, Check> {
    match subject {
        Subject::Instance(i) => {
            if let Some(na) = through_cluster(ctx, i) {
                return Err(na);
            }
            if i.is_read_replica() {
                return Err(not_applicable(
                    "read replica: backups are taken on its source",
                ));
            }
            Ok(i.backup_retention_days)
        }
        Subject::Cluster(c) => Ok(c.backup_retention_days),
        Subject::Snapshot(_) => Err(not_applicable("not a DB instance or cluster")),
    }
}

pub fn backups_disabled(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    match backup_retention(ctx, subject) {
        Ok(days) => pass_unless(days == 0, || {
            "BackupRetentionPeriod=0: automated backups and point-in-time recovery are off".into()
        }),
        Err(na) => na,
    }
}

pub fn backups_short(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let minimum = ctx.config.min_backup_retention_days;
    match backup_retention(ctx, subject) {
        Ok(0) => not_applicable("backups are disabled (see backups-disabled)"),
        Ok(days) => pass_unless(days < minimum, || {
            format!("BackupRetentionPeriod={days} day(s), below the {minimum}-day minimum").into()
        }),
        Err(na) => na,
    }
}

pub fn deletion_protection_off(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    compute_setting(
        ctx,
        subject,
        |i| i.deletion_protection,
        |c| c.deletion_protection,
        || "DeletionProtection=false: one API call can delete it".into(),
    )
}

pub fn sg_open_db_port(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let (region, groups, port) = match subject {
        Subject::Instance(i) => {
            if let Some(na) = through_cluster(ctx, i) {
                return na;
            }
            (&i.region, i.security_group_ids.as_slice(), i.port)
        }
        Subject::Cluster(c) => (&c.region, c.security_group_ids.as_slice(), c.port),
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    if port == 0 {
        return not_applicable("DB port unknown");
    }
    let open = open_world_rules(&ctx.index, region, groups, port);
    if !open.is_empty() {
        return fail(describe_open(&open));
    }
    let missing = missing_groups(ctx, region, groups);
    if missing.is_empty() {
        Verdict::Pass
    } else {
        unknown(format!(
            "security group(s) {} not loaded: whether they admit the internet is unknown",
            missing.join(", ")
        ))
    }
}

pub(super) fn describe_open(open: &[OpenRule<'_>]) -> String {
    open.iter()
        .map(|o| {
            format!(
                "{} ({}) allows {} on {}",
                o.group.id,
                o.group.name,
                o.cidr,
                o.rule.port_label()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const MINOR_OFF: &str = "AutoMinorVersionUpgrade=false: security patches wait for a manual upgrade";

pub fn auto_minor_upgrade_off(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    match subject {
        Subject::Instance(i) => {
            if let Some(judged) = through_multi_az_cluster(ctx, i) {
                return judged;
            }
            pass_unless(!i.auto_minor_version_upgrade, || {
                match &i.cluster_id {
                Some(cluster) => format!(
                    "{MINOR_OFF}; Aurora upgrades cluster {cluster} only when every member allows it"
                )
                .into(),
                None => MINOR_OFF.into(),
            }
            })
        }
        Subject::Cluster(c) if c.is_multi_az_db_cluster() => match c.auto_minor_version_upgrade {
            Some(enabled) => pass_unless(!enabled, || MINOR_OFF.into()),
            None => unknown("the cluster's AutoMinorVersionUpgrade was not reported"),
        },
        Subject::Cluster(c) => aurora_minor_upgrades(ctx, c),
        Subject::Snapshot(_) => not_applicable("not a DB instance or cluster"),
    }
}

/// Aurora takes a minor version only when the cluster and every member
/// allow it: one member with it off holds the whole cluster back.
fn aurora_minor_upgrades(ctx: &Context<'_>, c: &Cluster) -> Check {
    let mut off: Vec<&str> = Vec::new();
    if c.auto_minor_version_upgrade == Some(false) {
        off.push("the cluster");
    }
    let mut missing: Vec<&str> = Vec::new();
    for member in &c.members {
        match ctx.fleet_instance(&c.region, &member.instance_id) {
            Some(i) if !i.auto_minor_version_upgrade => off.push(&member.instance_id),
            Some(_) => {}
            None => missing.push(&member.instance_id),
        }
    }
    if !off.is_empty() {
        return fail(format!(
            "AutoMinorVersionUpgrade=false on {}: Aurora upgrades only when the cluster and every member allow it",
            off.join(", ")
        ));
    }
    if !missing.is_empty() {
        return unknown(format!(
            "member(s) {} not loaded: whether they allow minor upgrades is unknown",
            missing.join(", ")
        ));
    }
    Verdict::Pass
}

fn supports_iam_auth(engine: &str) -> bool {
    ["mysql", "mariadb", "postgres", "aurora"]
        .iter()
        .any(|family| engine.starts_with(family))
}

pub fn iam_auth_off(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let engine = match subject {
        Subject::Instance(i) => &i.engine,
        Subject::Cluster(c) => &c.engine,
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    if !supports_iam_auth(engine) {
        return not_applicable(format!("{engine} does not support IAM authentication"));
    }
    compute_setting(
        ctx,
        subject,
        |i| i.iam_auth_enabled,
        |c| c.iam_auth_enabled,
        || "IAMDatabaseAuthenticationEnabled=false: only static passwords".into(),
    )
}

pub fn default_port(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let (engine, port) = match subject {
        Subject::Instance(i) => {
            if let Some(na) = through_cluster(ctx, i) {
                return na;
            }
            (&i.engine, i.port)
        }
        Subject::Cluster(c) => (&c.engine, c.port),
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    match engine_default_port(engine) {
        Some(default) => pass_unless(port == default, || {
            format!("listens on {port}, the {engine} default").into()
        }),
        None => not_applicable(format!("no known default port for {engine}")),
    }
}

const DEFAULT_ADMIN_NAMES: &[&str] =
    &["admin", "postgres", "root", "sa", "administrator", "master"];

pub fn default_admin(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let user = match subject {
        Subject::Instance(i) => {
            if let Some(na) = through_cluster(ctx, i) {
                return na;
            }
            i.master_username.as_deref()
        }
        Subject::Cluster(c) => Some(c.master_username.as_str()).filter(|u| !u.is_empty()),
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    let Some(user) = user else {
        return not_applicable("master user name unknown");
    };
    let is_default = DEFAULT_ADMIN_NAMES
        .iter()
        .any(|d| d.eq_ignore_ascii_case(user));
    pass_unless(is_default, || {
        format!("master user is `{user}`, a well-known default name").into()
    })
}

pub fn copy_tags_off(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    compute_setting(
        ctx,
        subject,
        |i| i.copy_tags_to_snapshot,
        |c| c.copy_tags_to_snapshot,
        || "CopyTagsToSnapshot=false: snapshots lose ownership and data-class tags".into(),
    )
}

pub fn enhanced_monitoring_off(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    const OFF: &str = "MonitoringInterval=0: no OS-level metrics";
    match subject {
        Subject::Instance(i) => through_multi_az_cluster(ctx, i)
            .unwrap_or_else(|| pass_unless(i.monitoring_interval_secs == 0, || OFF.into())),
        Subject::Cluster(c) if c.is_multi_az_db_cluster() => match c.monitoring_interval_secs {
            Some(seconds) => pass_unless(seconds == 0, || OFF.into()),
            None => unknown("the cluster's MonitoringInterval was not reported"),
        },
        Subject::Cluster(_) => not_applicable("Aurora sets enhanced monitoring per instance"),
        Subject::Snapshot(_) => not_applicable("not a DB instance or cluster"),
    }
}

pub fn logs_not_exported(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let (engine, exported, on_cluster) = match subject {
        Subject::Instance(i) => {
            // Aurora and Multi-AZ DB clusters export logs for the cluster.
            if let Some(judged) = through_cluster(ctx, i) {
                return judged;
            }
            (&i.engine, &i.cloudwatch_logs_exports, false)
        }
        Subject::Cluster(c) => (&c.engine, &c.cloudwatch_logs_exports, true),
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    let Some(required) = log_types::required(engine, on_cluster) else {
        return not_applicable(format!("no log types are required of {engine}"));
    };
    let missing = log_types::missing(required, exported);
    pass_unless(!missing.is_empty(), || {
        format!(
            "not exported to CloudWatch: {} ({engine} needs {})",
            missing.join(", "),
            required.join(", ")
        )
        .into()
    })
}
