//! The checks of TLS and credentials: whether the parameter group
//! refuses clients without TLS, whether the server certificate is about
//! to expire, whether the VPC's default security group guards the
//! database, whether Secrets Manager manages the master password.

use std::time::Duration;

use super::checks::{Check, fail, missing_groups, not_applicable, through_cluster, unknown};
use super::{Subject, Verdict, context::Context};
use crate::model::{
    Certificate, ParameterGroupKind, is_on, is_retired_ca, tls_default_value, tls_parameter,
};

/// A certificate that expires sooner than this fails.
const EXPIRY_WARNING: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// The name EC2 gives every VPC's default security group.
const DEFAULT_GROUP_NAME: &str = "default";

pub fn tls_not_enforced(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let (region, engine, version, group, kind) = match subject {
        Subject::Instance(i) => {
            // Aurora and Multi-AZ DB clusters take TLS from the cluster's group.
            if let Some(judged) = through_cluster(ctx, i) {
                return judged;
            }
            let kind = ParameterGroupKind::Db;
            (
                &i.region,
                &i.engine,
                &i.engine_version,
                &i.parameter_group,
                kind,
            )
        }
        Subject::Cluster(c) => {
            let kind = ParameterGroupKind::Cluster;
            (
                &c.region,
                &c.engine,
                &c.engine_version,
                &c.parameter_group,
                kind,
            )
        }
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    let Some(parameter) = tls_parameter(engine) else {
        return not_applicable(format!(
            "{engine} has no parameter that requires TLS (Oracle uses an SSL option)"
        ));
    };
    let Some(name) = group else {
        return unknown(format!("no {} was reported", kind.label()));
    };
    let Some(group) = ctx.index.parameter_group(region, kind, name) else {
        return unknown(format!(
            "the parameters of {} {name} were not loaded",
            kind.label()
        ));
    };
    let (value, origin) = match group.values.get(parameter) {
        Some(value) => (value.as_str(), ""),
        None => (
            tls_default_value(engine, version),
            " (the engine default: the group sets no value)",
        ),
    };
    if is_on(value) {
        return Verdict::Pass;
    }
    let advice = if group.is_default() {
        "; a default group cannot be modified: attach a custom one"
    } else {
        ""
    };
    fail(format!(
        "{} {name}: {parameter}={value}{origin}: clients may connect without TLS{advice}",
        kind.label()
    ))
}

pub fn ca_certificate_expiring(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let Subject::Instance(i) = subject else {
        return not_applicable("certificates belong to DB instances");
    };
    let details = i.certificate.as_ref();
    // The CA of the certificate served now, and the one configured (they
    // differ while a change is pending): either retired fails.
    let serving = details.and_then(|d| d.ca.as_deref());
    let ca = serving.or(i.ca_certificate.as_deref());
    let till = details.and_then(|d| d.valid_till.as_deref());
    let retired = [serving, i.ca_certificate.as_deref()]
        .into_iter()
        .flatten()
        .find(|ca| is_retired_ca(ca));
    if let Some(ca) = retired {
        return fail(format!(
            "uses CA {ca}, which AWS retired{}: clients that verify the server fail once it expires",
            till.map(|t| format!(" (valid till {t})"))
                .unwrap_or_default()
        ));
    }
    judge_expiry(ctx, details, ca)
}

fn judge_expiry(ctx: &Context<'_>, details: Option<&Certificate>, ca: Option<&str>) -> Check {
    let Some(till) = details.and_then(|d| d.valid_till.as_deref()) else {
        return unknown("the server certificate's expiry (CertificateDetails) was not reported");
    };
    let Ok(expires) = humantime::parse_rfc3339_weak(till) else {
        return unknown(format!(
            "the server certificate's expiry `{till}` could not be read"
        ));
    };
    let ca = ca.unwrap_or("an unknown CA");
    if expires <= ctx.now {
        return fail(format!(
            "the server certificate (CA {ca}) expired at {till}: clients that verify it are refused"
        ));
    }
    let left = expires.duration_since(ctx.now).unwrap_or_default();
    if left < EXPIRY_WARNING {
        return fail(format!(
            "the server certificate (CA {ca}) is valid till {till}, {} days from now",
            left.as_secs() / 86_400
        ));
    }
    Verdict::Pass
}

pub fn default_security_group(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let (region, groups) = match subject {
        Subject::Instance(i) => {
            if let Some(judged) = through_cluster(ctx, i) {
                return judged;
            }
            (&i.region, i.security_group_ids.as_slice())
        }
        Subject::Cluster(c) => (&c.region, c.security_group_ids.as_slice()),
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    let defaults: Vec<String> = groups
        .iter()
        .filter_map(|id| ctx.security_group(region, id))
        .filter(|g| g.name == DEFAULT_GROUP_NAME)
        .map(|g| match &g.vpc_id {
            Some(vpc) => format!("{} (default group of {vpc})", g.id),
            None => format!("{} (default)", g.id),
        })
        .collect();
    if !defaults.is_empty() {
        return fail(format!(
            "uses {}: everything launched in the VPC without a group of its own joins it",
            defaults.join(", ")
        ));
    }
    let missing = missing_groups(ctx, region, groups);
    if missing.is_empty() {
        Verdict::Pass
    } else {
        unknown(format!(
            "security group(s) {} not loaded: whether one is the VPC's default is unknown",
            missing.join(", ")
        ))
    }
}

pub fn password_not_managed(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let managed = match subject {
        Subject::Instance(i) => {
            if let Some(judged) = through_cluster(ctx, i) {
                return judged;
            }
            if i.is_read_replica() {
                return not_applicable("a read replica has its source's master password");
            }
            i.master_user_secret
        }
        Subject::Cluster(c) => c.master_user_secret,
        Subject::Snapshot(_) => return not_applicable("not a DB instance or cluster"),
    };
    match managed {
        Some(true) => Verdict::Pass,
        Some(false) => fail(
            "no MasterUserSecret: the master password is not managed (nor rotated) by Secrets Manager",
        ),
        None => unknown("whether Secrets Manager manages the master password was not recorded"),
    }
}
