//! Close a security group's rules that let the whole internet reach the
//! database port: one RevokeSecurityGroupIngress per world-open range,
//! for exactly that rule, undone by authorizing the same rule again.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range};
use aws_sdk_rds::operation::RequestId;
use serde::{Deserialize, Serialize};

use super::support::{not_found, refused};
use crate::model::{
    Fleet, IngressRule, ResourceRef, ResourceType, group_users, instance_groups, is_ipv6,
    open_world_rules,
};
use crate::remediation::{
    Call, Sent, Caveat, Fix, FixInput, Fixing, NoRemediation, Param, PlannedStep,
    Reversibility, Step, Value,
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
        let finding = input.finding;
        let region = &finding.region;
        let (groups, port): (&[String], u16) = match finding.resource_type {
            ResourceType::DbInstance => {
                let i = input
                    .index
                    .instance(region, &finding.resource_id)
                    .ok_or_else(|| input.gone())?;
                (instance_groups(input.index, i), i.port)
            }
            ResourceType::DbCluster => {
                let c = input
                    .index
                    .cluster(region, &finding.resource_id)
                    .ok_or_else(|| input.gone())?;
                (&c.security_group_ids, c.port)
            }
            other => {
                return Err(NoRemediation::NotApplicable(format!(
                    "{other} has no security groups"
                )));
            }
        };
        let open = open_world_rules(input.index, region, groups, port);
        if open.is_empty() {
            return Err(NoRemediation::Stale(
                "no world-open rule found any more".into(),
            ));
        }
        let mut fixing = Fixing::default();
        for o in open {
            let revoke = RevokeSecurityGroupIngress {
                rule: RuleSpec::of(region, &o.group.id, o.rule, o.cidr),
            };
            let purpose = format!(
                "close {} on {} in {} ({})",
                o.cidr,
                o.rule.port_label(),
                o.group.id,
                o.group.name
            );
            fixing.steps.push(PlannedStep::new(revoke, purpose));
            let shared = Caveat::SharedGroup {
                group: o.group.id.clone(),
                users: group_users(input.fleet, region, &o.group.id),
            };
            if !fixing.caveats.contains(&shared) {
                fixing.caveats.push(shared);
            }
        }
        fixing.caveats.push(Caveat::warning(
            "undo data is kept in the audit log (AuthorizeSecurityGroupIngress)",
        ));
        Ok(fixing)
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

    fn matches(&self, rule: &IngressRule) -> bool {
        rule.protocol == self.protocol
            && rule.from_port == self.from_port
            && rule.to_port == self.to_port
            && (rule.ipv4_ranges.contains(&self.cidr) || rule.ipv6_ranges.contains(&self.cidr))
    }
}

/// RevokeSecurityGroupIngress for exactly one rule and range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeSecurityGroupIngress {
    #[serde(flatten)]
    pub rule: RuleSpec,
}

/// AuthorizeSecurityGroupIngress: the undo of a revoke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeSecurityGroupIngress {
    #[serde(flatten)]
    pub rule: RuleSpec,
}

impl Call for RevokeSecurityGroupIngress {
    fn api(&self) -> &'static str {
        "ec2:RevokeSecurityGroupIngress"
    }

    fn parameters(&self) -> Vec<Param> {
        self.rule.parameters()
    }

    fn target(&self) -> ResourceRef {
        self.rule.target()
    }

    fn reversibility(&self) -> Reversibility {
        Reversibility::Undo(Box::new(Step::from(AuthorizeSecurityGroupIngress {
            rule: self.rule.clone(),
        })))
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .ec2
                .revoke_security_group_ingress()
                .group_id(&self.rule.group_id)
                .ip_permissions(self.rule.permission())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            // EC2 answers "true" with the permissions it did not find when
            // the rule is already gone; that is not a revoke.
            if !out.unknown_ip_permissions().is_empty() || out.r#return() == Some(false) {
                return Err(SourceError::Call {
                    call: self.api().to_string(),
                    message: "InvalidPermission.NotFound: the rule no longer exists".into(),
                    code: Some("InvalidPermission.NotFound".into()),
                    request_id: out.request_id().map(str::to_string),
                });
            }
            Ok(StepOutcome::new(
                vec![self.rule.changed(true)],
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let spec = &self.rule;
        let group = fleet
            .security_groups
            .iter_mut()
            .find(|g| g.region == spec.region && g.id == spec.group_id)
            .ok_or_else(|| not_found(&spec.target()))?;
        let rule = group
            .ingress
            .iter_mut()
            .find(|r| spec.matches(r))
            .ok_or_else(|| {
                refused(
                    self.api(),
                    "InvalidPermission.NotFound: the rule no longer exists".into(),
                )
            })?;
        rule.ipv4_ranges.retain(|c| *c != spec.cidr);
        rule.ipv6_ranges.retain(|c| *c != spec.cidr);
        group.ingress.retain(|r| {
            !(r.ipv4_ranges.is_empty() && r.ipv6_ranges.is_empty() && r.source_groups.is_empty())
        });
        Ok(DemoChange::done(StepOutcome::new(
            vec![spec.changed(true)],
            None,
        )))
    }
}

impl Call for AuthorizeSecurityGroupIngress {
    fn api(&self) -> &'static str {
        "ec2:AuthorizeSecurityGroupIngress"
    }

    fn parameters(&self) -> Vec<Param> {
        self.rule.parameters()
    }

    fn target(&self) -> ResourceRef {
        self.rule.target()
    }

    fn reversibility(&self) -> Reversibility {
        Reversibility::Undo(Box::new(Step::from(RevokeSecurityGroupIngress {
            rule: self.rule.clone(),
        })))
    }

    fn send<'a>(&'a self, aws: &'a RegionClients) -> Sent<'a> {
        Box::pin(async move {
            let out = aws
                .ec2
                .authorize_security_group_ingress()
                .group_id(&self.rule.group_id)
                .ip_permissions(self.rule.permission())
                .send()
                .await
                .map_err(aws.fail(self.api()))?;
            Ok(StepOutcome::new(
                vec![self.rule.changed(false)],
                out.request_id(),
            ))
        })
    }

    fn on_demo(&self, fleet: &mut Fleet) -> Result<DemoChange, SourceError> {
        let spec = &self.rule;
        let group = fleet
            .security_groups
            .iter_mut()
            .find(|g| g.region == spec.region && g.id == spec.group_id)
            .ok_or_else(|| not_found(&spec.target()))?;
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
        group.ingress.push(rule);
        Ok(DemoChange::done(StepOutcome::new(
            vec![spec.changed(false)],
            None,
        )))
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
