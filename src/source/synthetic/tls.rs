//! TLS, certificates and credentials of a synthetic fleet, added after
//! everything else from a random stream of their own, so the fleets a
//! seed gave before keep every other value.
//!
//! The rates follow what large accounts look like: most databases on
//! custom parameter groups, a fifth of those still without TLS required
//! (and default MySQL groups never require it); nearly every instance on
//! the current CA, a few on the retired rds-ca-2019 or with an expired
//! certificate; a few guarded by their VPC's default group; fewer than
//! half with the master password in Secrets Manager.

use std::collections::BTreeSet;

use super::Rng;
use crate::model::{
    Certificate, Fleet, ParameterGroup, ParameterGroupKind, SecurityGroup, tls_on_value,
    tls_parameter,
};

/// Mixed into the seed: this stream never repeats the generator's.
const SALT: u64 = 0x7153_0000_0000_0014;

pub(super) fn add_tls_and_credentials(fleet: &mut Fleet, seed: u64) {
    let mut rng = Rng(seed ^ SALT);
    let mut groups: BTreeSet<(String, ParameterGroupKind, String, Option<&'static str>)> =
        BTreeSet::new();
    let default_groups = default_security_groups(fleet);
    for c in &mut fleet.clusters {
        let (name, tls) = pick_group(&mut rng, &c.engine, &c.engine_version);
        let parameter = tls.then(|| tls_parameter(&c.engine)).flatten();
        groups.insert((
            c.region.clone(),
            ParameterGroupKind::Cluster,
            name.clone(),
            parameter,
        ));
        c.parameter_group = Some(name);
        c.master_user_secret = Some(rng.chance(40));
        if rng.chance(3) {
            attach_default(&default_groups, &c.region, &mut c.security_group_ids);
        }
    }
    for i in &mut fleet.instances {
        i.master_user_secret = Some(rng.chance(40));
        let (ca, till) = certificate(&mut rng);
        i.ca_certificate = Some(ca.to_string());
        i.certificate = Some(Certificate {
            ca: Some(ca.to_string()),
            valid_till: Some(till),
        });
        if i.cluster_id.is_some() {
            let family = family(&i.engine, &i.engine_version);
            i.parameter_group = Some(format!("default.{family}"));
            continue;
        }
        let (name, tls) = pick_group(&mut rng, &i.engine, &i.engine_version);
        let parameter = tls.then(|| tls_parameter(&i.engine)).flatten();
        groups.insert((
            i.region.clone(),
            ParameterGroupKind::Db,
            name.clone(),
            parameter,
        ));
        i.parameter_group = Some(name);
        i.parameter_group_status = Some("in-sync".into());
        if rng.chance(3) {
            attach_default(&default_groups, &i.region, &mut i.security_group_ids);
        }
    }
    fleet.parameter_groups = groups
        .into_iter()
        .map(|(region, kind, name, on)| ParameterGroup {
            region,
            kind,
            values: on
                .map(|p| (p.to_string(), tls_on_value(p).to_string()))
                .into_iter()
                .collect(),
            name,
        })
        .collect();
}

/// A group for an engine: a third use the default group (engine
/// defaults), the rest a custom one, four in five of those with TLS
/// required (`-tls`) and the rest without (`-app`).
fn pick_group(rng: &mut Rng, engine: &str, version: &str) -> (String, bool) {
    let family = family(engine, version);
    if rng.chance(33) {
        return (format!("default.{family}"), false);
    }
    let tls = rng.chance(80);
    let suffix = if tls { "tls" } else { "app" };
    (format!("{}-{suffix}", family.replace('.', "-")), tls)
}

/// `postgres15`, `mysql8.0`, `aurora-postgresql15`: AWS's family names
/// (major version, and minor for the MySQL line).
fn family(engine: &str, version: &str) -> String {
    let mut parts = version.split('.');
    let major = parts.next().unwrap_or_default();
    if engine.contains("mysql") || engine.starts_with("mariadb") {
        format!("{engine}{major}.{}", parts.next().unwrap_or("0"))
    } else {
        format!("{engine}{major}")
    }
}

/// The CA and expiry: mostly current, some retired, a few expired.
fn certificate(rng: &mut Rng) -> (&'static str, String) {
    let ca = match rng.below(100) {
        0..=1 => "rds-ca-2019",
        2..=11 => "rds-ca-rsa4096-g1",
        _ => "rds-ca-rsa2048-g1",
    };
    let till = if ca == "rds-ca-2019" || rng.chance(2) {
        "2024-08-22T17:08:50Z".to_string()
    } else {
        format!(
            "{}-{:02}-14T09:30:00Z",
            2029 + rng.below(3),
            1 + rng.below(12)
        )
    };
    (ca, till)
}

/// Each region's VPC default group, made when the fleet has none there.
fn default_security_groups(fleet: &mut Fleet) -> Vec<(String, String)> {
    let regions = fleet.regions.clone();
    regions
        .iter()
        .enumerate()
        .map(|(n, region)| {
            let id = format!("sg-0defa017{n:08x}");
            fleet.security_groups.push(SecurityGroup {
                id: id.clone(),
                name: "default".into(),
                region: region.clone(),
                vpc_id: Some(format!("vpc-0defa017{n:08x}")),
                description: "default VPC security group".into(),
                ingress: Vec::new(),
            });
            (region.clone(), id)
        })
        .collect()
}

fn attach_default(defaults: &[(String, String)], region: &str, groups: &mut Vec<String>) {
    if let Some((_, id)) = defaults.iter().find(|(r, _)| r == region) {
        groups.push(id.clone());
    }
}
