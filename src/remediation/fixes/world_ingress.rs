//! Close a security group's rules that let the whole internet reach the
//! database port: one RevokeSecurityGroupIngress per world-open range,
//! for exactly that rule, undone by authorizing the same rule again. An
//! all-traffic or port-range rule closes more than the DB port; the plan
//! says so and can put the DB port back from a typed CIDR alone
//! (`PlanOptions::narrow_to`), an AuthorizeSecurityGroupIngress undone by
//! revoking it.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};
use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

use super::support::{not_found, refused};
use crate::model::{
    Fleet, IngressRule, OpenRule, ResourceRef, ResourceType, SecurityGroup, group_users,
    instance_groups, is_ipv6, open_world_rules,
};
use crate::remediation::{
    Call, Caveat, Fix, FixInput, Fixing, NoRemediation, Param, PlanChoice, PlannedStep,
    Reversibility, Sent, Step, Value,
};
use crate::source::aws::RegionClients;
use crate::source::demo::DemoChange;
use crate::source::{Fact, SourceError, StepOutcome};

/// Answers `sg-open-db-port`.
pub struct CloseWorldIngress;

pub static CLOSE_WORLD_INGRESS: CloseWorldIngress = CloseWorldIngress;

impl Fix for CloseWorldIngress {
    fn summary(&self) -> &'static str {
        "revoke each rule open to the internet on the DB port"
    }

    fn plan(&self, input: &FixInput<'_>) -> Result<Fixing, NoRemediation> {
        let region = &input.finding.region;
        let (groups, port) = guarded_by(input)?;
        let open = open_world_rules(input.index, region, groups, port);
        if open.is_empty() {
            return Err(NoRemediation::Stale(
                "no world-open rule found any more".into(),
            ));
        }
        let mut fixing = Fixing::default();
        // Authorizations go after every revoke: the order, and a
        // group with several broad rules gets its narrowing once.
        let mut narrowed = Vec::new();
        for o in open {
            let revoke =
                RevokeSecurityGroupIngress::new(RuleSpec::of(region, &o.group.id, o.rule, o.cidr));
            let purpose = format!(
                "close {} on {} in {} ({})",
                o.cidr,
                o.rule.port_label(),
                o.group.id,
                o.group.name
            );
            fixing.steps.push(PlannedStep::new(revoke, purpose));
            if is_broad(o.rule, port) {
                narrow(input, &o, port, &mut fixing, &mut narrowed);
            }
            let shared = Caveat::SharedGroup {
                region: region.clone(),
                group: o.group.id.clone(),
                databases: group_users(input.fleet, region, &o.group.id),
                others: input.options.group_users.get(region, &o.group.id),
            };
            if !fixing.caveats.contains(&shared) {
                fixing.caveats.push(shared);
            }
        }
        fixing.steps.extend(narrowed);
        fixing.caveats.push(Caveat::warning(
            "undo data is kept in the audit log (AuthorizeSecurityGroupIngress)",
        ));
        Ok(fixing)
    }
}

/// The groups guarding the finding's database, and its port.
fn guarded_by<'a>(input: &FixInput<'a>) -> Result<(&'a [String], u16), NoRemediation> {
    let finding = input.finding;
    let region = &finding.region;
    match finding.resource_type {
        ResourceType::DbInstance => {
            let i = input
                .index
                .instance(region, &finding.resource_id)
                .ok_or_else(|| input.gone())?;
            Ok((instance_groups(input.index, i), i.port))
        }
        ResourceType::DbCluster => {
            let c = input
                .index
                .cluster(region, &finding.resource_id)
                .ok_or_else(|| input.gone())?;
            Ok((&c.security_group_ids, c.port))
        }
        other => Err(NoRemediation::NotApplicable(format!(
            "{other} has no security groups"
        ))),
    }
}

/// All traffic, or a port range wider than the DB port: revoking it
/// closes more than the database's port.
fn is_broad(rule: &IngressRule, port: u16) -> bool {
    let port = Some(i32::from(port));
    rule.is_all_traffic() || rule.from_port != port || rule.to_port != port
}

/// For a broad world rule: say what its revoke closes besides the DB
/// port, and, with a CIDR chosen, authorize the DB port from it alone.
fn narrow(
    input: &FixInput<'_>,
    open: &OpenRule<'_>,
    port: u16,
    fixing: &mut Fixing,
    narrowed: &mut Vec<PlannedStep>,
) {
    if !fixing.choices.contains(&PlanChoice::NarrowTo) {
        fixing.choices.push(PlanChoice::NarrowTo);
    }
    let (group, rule) = (open.group, open.rule);
    let closes = format!(
        "revoking {} {} on {} closes every port it opens to the internet, not only {port}",
        open.cidr,
        rule.port_label(),
        group.id
    );
    let Some(cidr) = &input.options.narrow_to else {
        fixing.caveats.push(Caveat::Unless {
            choice: PlanChoice::NarrowTo,
            text: closes.into(),
        });
        return;
    };
    let spec = RuleSpec {
        region: group.region.clone(),
        group_id: group.id.clone(),
        protocol: "tcp".into(),
        from_port: Some(i32::from(port)),
        to_port: Some(i32::from(port)),
        cidr: cidr.to_string(),
    };
    if group.ingress.iter().any(|r| spec.matches(r)) {
        fixing.caveats.push(Caveat::warning(format!(
            "{closes}; {} already admits {cidr} on tcp {port}, so nothing is added",
            group.id
        )));
        return;
    }
    let authorize = PlannedStep::new(
        AuthorizeSecurityGroupIngress::new(spec),
        format!(
            "then open tcp {port} in {} to {cidr} only, in place of the world",
            group.id
        ),
    );
    if !narrowed.contains(&authorize) {
        fixing.caveats.push(Caveat::warning(format!(
            "{closes}; {port} stays open to {cidr} alone"
        )));
        narrowed.push(authorize);
    }
}

/// One ingress rule for one range: what a revoke removes and its undo adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSpec {
    pub region: String,
    pub group_id: String,
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub cidr: String,
}

impl RuleSpec {
    fn of(region: &str, group: &str, rule: &IngressRule, cidr: &str) -> Self {
        Self {
            region: region.to_string(),
            group_id: group.to_string(),
            protocol: rule.protocol.clone(),
            from_port: rule.from_port,
            to_port: rule.to_port,
            cidr: cidr.to_string(),
        }
    }

    fn target(&self) -> ResourceRef {
        ResourceRef::new(ResourceType::SecurityGroup, &self.region, &self.group_id)
    }

    /// `GroupId` and `IpPermissions` as sent: the protocol, the ports when
    /// there are any, and the CIDR as an IPv4 or IPv6 range.
    fn parameters(&self) -> Vec<Param> {
        let mut permission = serde_json::json!({ "IpProtocol": self.protocol });
        if let (Some(from), Some(to)) = (self.from_port, self.to_port) {
            permission["FromPort"] = from.into();
            permission["ToPort"] = to.into();
        }
        if is_ipv6(&self.cidr) {
            permission["Ipv6Ranges"] = serde_json::json!([{ "CidrIpv6": self.cidr }]);
        } else {
            permission["IpRanges"] = serde_json::json!([{ "CidrIp": self.cidr }]);
        }
        vec![
            Param::text("GroupId", &self.group_id),
            Param {
                name: "IpPermissions",
                value: Value::Json(serde_json::json!([permission])),
            },
        ]
    }

    /// The same permission for the SDK.
    fn permission(&self) -> IpPermission {
        let mut p = IpPermission::builder().ip_protocol(&self.protocol);
        if let (Some(from), Some(to)) = (self.from_port, self.to_port) {
            p = p.from_port(from).to_port(to);
        }
        if is_ipv6(&self.cidr) {
            p = p.ipv6_ranges(Ipv6Range::builder().cidr_ipv6(&self.cidr).build());
        } else {
            p = p.ip_ranges(IpRange::builder().cidr_ip(&self.cidr).build());
        }
        p.build()
    }

    /// `0.0.0.0/0 tcp 5432`, for outcomes.
    fn label(&self) -> String {
        let ports = match (self.from_port, self.to_port) {
            (Some(f), Some(t)) if f == t => format!("{} {f}", self.protocol),
            (Some(f), Some(t)) => format!("{} {f}-{t}", self.protocol),
            _ if self.protocol == "-1" => "all traffic".to_string(),
            _ => self.protocol.clone(),
        };
        format!("{} {ports}", self.cidr)
    }

    fn changed(&self, revoked: bool) -> Fact {
        Fact::IngressChanged {
            group: self.group_id.clone(),
            rule: self.label(),
            revoked,
        }
    }

    fn group_mut<'f>(&self, fleet: &'f mut Fleet) -> Result<&'f mut SecurityGroup, SourceError> {
        fleet
            .security_groups
            .iter_mut()
            .find(|g| g.region == self.region && g.id == self.group_id)
            .ok_or_else(|| not_found(&self.target()))
    }

    fn matches(&self, rule: &IngressRule) -> bool {
        rule.protocol == self.protocol
            && rule.from_port == self.from_port
            && rule.to_port == self.to_port
            && (rule.ipv4_ranges.contains(&self.cidr) || rule.ipv6_ranges.contains(&self.cidr))
    }
}

/// Which way an ingress call goes.
pub trait Direction: fmt::Debug + Clone + Default + PartialEq + Eq + Send + Sync + 'static {
    const API: &'static str;
    const REVOKE: bool;
}

/// RevokeSecurityGroupIngress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revoke;

/// AuthorizeSecurityGroupIngress: the undo of a revoke.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Authorize;

impl Direction for Revoke {
    const API: &'static str = "ec2:RevokeSecurityGroupIngress";
    const REVOKE: bool = true;
}

impl Direction for Authorize {
    const API: &'static str = "ec2:AuthorizeSecurityGroupIngress";
    const REVOKE: bool = false;
}

/// Revoke or authorize exactly one rule and range of a security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressCall<D: Direction> {
    #[serde(flatten)]
    pub rule: RuleSpec,
    #[serde(skip)]
    way: PhantomData<D>,
}

pub type RevokeSecurityGroupIngress = IngressCall<Revoke>;
pub type AuthorizeSecurityGroupIngress = IngressCall<Authorize>;

impl<D: Direction> IngressCall<D> {
    pub fn new(rule: RuleSpec) -> Self {
        Self {
            rule,
            way: PhantomData,
        }
    }

    /// Take the range out of the demo group's matching rule.
    fn revoke_in(&self, fleet: &mut Fleet) -> Result<(), SourceError> {
        let spec = &self.rule;
        let group = spec.group_mut(fleet)?;
        let rule = group
            .ingress
            .iter_mut()
            .find(|r| spec.matches(r))
            .ok_or_else(|| refused(D::API, NOT_FOUND.into()))?;
        rule.ipv4_ranges.retain(|c| *c != spec.cidr);
        rule.ipv6_ranges.retain(|c| *c != spec.cidr);
        group.ingress.retain(|r| {
            !(r.ipv4_ranges.is_empty() && r.ipv6_ranges.is_empty() && r.source_groups.is_empty())
        });
        Ok(())
    }

    /// Add the rule to the demo group.
    fn authorize_in(&self, fleet: &mut Fleet) -> Result<(), SourceError> {
        let spec = &self.rule;
        let mut rule = IngressRule {
            protocol: spec.protocol.clone(),
            from_port: spec.from_port,
            to_port: spec.to_port,
            ..Default::default()
        };
        if is_ipv6(&spec.cidr) {
            rule.ipv6_ranges.push(spec.cidr.clone());
        } else {
            rule.ipv4_ranges.push(spec.cidr.clone());
        }
        spec.group_mut(fleet)?.ingress.push(rule);
        Ok(())
    }
}

/// EC2's answer when the rule to revoke is not there.
const NOT_FOUND: &str = "InvalidPermission.NotFound: the rule no longer exists";

impl<D: Direction> Call for IngressCall<D> {
    fn api(&self) -> &'static str {
        D::API
    }

    fn parameters(&self) -> Vec<Param> {
        self.rule.parameters()
    }

    fn target(&self) -> ResourceRef {
        self.rule.target()
    }

    fn reversibility(&self) -> Reversibility {
        let rule = self.rule.clone();
        let undo = if D::REVOKE {
            Step::from(AuthorizeSecurityGroupIngress::new(rule))
        } else {
            Step::from(RevokeSecurityGroupIngress::new(rule))
        };
        Reversibility::Undo(Box::new(undo))
    }

    /// Landed when the rule is gone (revoke) or there (authorize).
    fn landed(&self, now: &Fleet) -> Option<bool> {
        let spec = &self.rule;
        let group = now
            .security_groups
            .iter()
            .find(|g| g.region == spec.region && g.id == spec.group_id)?;
        let present = group.ingress.iter().any(|r| spec.matches(r));
        Some(present != D::REVOKE)
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let (group, permission) = (&self.rule.group_id, self.rule.permission());
            let request = if D::REVOKE {
                let out = aws
                    .ec2_once
                    .revoke_security_group_ingress()
                    .group_id(group)
                    .ip_permissions(permission)
                    .send()
                    .await
                    .map_err(aws.fail(D::API))?;
                // EC2 answers "true" with the permissions it did not find
                // when the rule is already gone; that is not a revoke.
                if !out.unknown_ip_permissions().is_empty() || out.r#return() == Some(false) {
                    return Err(SourceError::Call {
                        call: D::API.to_string(),
                        message: NOT_FOUND.into(),
                        code: Some("InvalidPermission.NotFound".into()),
                        request_id: out.request_id().map(str::to_string),
                    });
                }
                out.request_id().map(str::to_string)
            } else {
                let out = aws
                    .ec2_once
                    .authorize_security_group_ingress()
                    .group_id(group)
                    .ip_permissions(permission)
                    .send()
                    .await
                    .map_err(aws.fail(D::API))?;
                out.request_id().map(str::to_string)
            };
            let fact = self.rule.changed(D::REVOKE);
            Ok(StepOutcome::new(vec![fact], request.as_deref()))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        if D::REVOKE {
            self.revoke_in(fleet)?;
        } else {
            self.authorize_in(fleet)?;
        }
        let fact = self.rule.changed(D::REVOKE);
        Ok(DemoChange::done(StepOutcome::new(vec![fact], None)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_picks_the_range_family_by_the_cidr() {
        let spec = |protocol: &str, ports: Option<i32>, cidr: &str| RuleSpec {
            region: "us-east-1".into(),
            group_id: "sg-1".into(),
            protocol: protocol.into(),
            from_port: ports,
            to_port: ports,
            cidr: cidr.into(),
        };
        let v4 = spec("tcp", Some(5432), "0.0.0.0/0").permission();
        assert_eq!(v4.ip_protocol(), Some("tcp"));
        assert_eq!((v4.from_port(), v4.to_port()), (Some(5432), Some(5432)));
        assert_eq!(v4.ip_ranges()[0].cidr_ip(), Some("0.0.0.0/0"));
        assert!(v4.ipv6_ranges().is_empty());

        let v6 = spec("-1", None, "::/0").permission();
        assert_eq!(v6.ipv6_ranges()[0].cidr_ipv6(), Some("::/0"));
        assert!(v6.ip_ranges().is_empty());
        assert_eq!((v6.from_port(), v6.to_port()), (None, None));
        assert_eq!(spec("-1", None, "::/0").label(), "::/0 all traffic");
    }
}
