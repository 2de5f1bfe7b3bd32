//! Public access and the internet's path to a database: the flag alone
//! (`instance-public`), and the flag with every network link open
//! (`instance-internet-reachable`). One finding per database: the worst.

use super::checks::{
    describe_open, fail, network_evidence, not_applicable, through_multi_az_cluster, unknown,
};
use super::{Subject, Verdict, context::Context};
use crate::model::{Cluster, InternetPath, Reach, instance_groups, internet_path};

type Check = Verdict;

/// A database with PubliclyAccessible set: where its path stands, and
/// what its groups say (the evidence instance-public has always shown).
struct Public {
    reach: Reach,
    groups: String,
    /// The groups' world-open rules, when there are any.
    open: Option<String>,
    /// `on the Multi-AZ DB cluster, for all its members`, or nothing.
    scope: &'static str,
}

/// The path of a public database, or the verdict that settles both rules
/// before any path matters (private, judged elsewhere, not judged).
fn public_path(ctx: &Context<'_>, subject: Subject<'_>) -> Result<Public, Check> {
    match subject {
        Subject::Instance(i) => {
            if let Some(judged) = through_multi_az_cluster(ctx, i) {
                return Err(judged);
            }
            if !i.publicly_accessible {
                return Err(Verdict::Pass);
            }
            let groups = instance_groups(&ctx.index, i);
            let path = internet_path(&ctx.index, &i.region, &i.subnet_ids, groups, i.port);
            Ok(public(ctx, &i.region, groups, i.port, &path, ""))
        }
        Subject::Cluster(c) if c.is_multi_az_db_cluster() => match c.publicly_accessible {
            Some(false) => Err(Verdict::Pass),
            Some(true) => {
                let subnets = cluster_subnets(ctx, c);
                let groups = &c.security_group_ids;
                let path = internet_path(&ctx.index, &c.region, subnets, groups, c.port);
                let scope = " on the Multi-AZ DB cluster, for all its members";
                Ok(public(ctx, &c.region, groups, c.port, &path, scope))
            }
            None => Err(unknown("the cluster's PubliclyAccessible was not reported")),
        },
        Subject::Cluster(_) => Err(not_applicable("Aurora decides public access per instance")),
        Subject::Snapshot(_) => Err(not_applicable("not a DB instance or cluster")),
    }
}

fn public(
    ctx: &Context<'_>,
    region: &str,
    groups: &[String],
    port: u16,
    path: &InternetPath<'_>,
    scope: &'static str,
) -> Public {
    Public {
        reach: path.reach(),
        groups: network_evidence(ctx, region, groups, port),
        open: (!path.open_rules.is_empty()).then(|| describe_open(&path.open_rules)),
        scope,
    }
}

/// A Multi-AZ DB cluster's subnets: its subnet group's, as its members
/// report them (DescribeDBClusters names the group but not its subnets).
fn cluster_subnets<'a>(ctx: &Context<'a>, c: &Cluster) -> &'a [String] {
    c.members
        .iter()
        .filter_map(|m| ctx.fleet_instance(&c.region, &m.instance_id))
        .map(|i| i.subnet_ids.as_slice())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

pub fn instance_internet_reachable(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let p = match public_path(ctx, subject) {
        Ok(p) => p,
        Err(settled) => return settled,
    };
    match p.reach {
        Reach::Reachable(path) => fail(format!("PubliclyAccessible=true{}; {path}", p.scope)),
        Reach::Closed(_) => Verdict::Pass,
        Reach::Unknown(why) => unknown(why),
    }
}

pub fn instance_public(ctx: &Context<'_>, subject: Subject<'_>) -> Check {
    let p = match public_path(ctx, subject) {
        Ok(p) => p,
        Err(settled) => return settled,
    };
    match p.reach {
        Reach::Reachable(_) => not_applicable(
            "the whole path from the internet is open: judged by instance-internet-reachable",
        ),
        Reach::Closed(link) if link.starts_with(&p.groups) => {
            fail(format!("PubliclyAccessible=true{}, but {link}", p.scope))
        }
        Reach::Closed(link) => fail(format!(
            "PubliclyAccessible=true{}, but {link}; {}",
            p.scope, p.groups
        )),
        Reach::Unknown(why) => match p.open {
            Some(open) => fail(format!("PubliclyAccessible=true{}; {open}; {why}", p.scope)),
            None => fail(format!("PubliclyAccessible=true{}; {why}", p.scope)),
        },
    }
}
