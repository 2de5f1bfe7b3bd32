//! Who uses a security group: its network interfaces
//! (`ec2:DescribeNetworkInterfaces`, filter `group-id`, every page), each
//! told apart by its interface type, its attachment and, for interfaces
//! AWS services manage for you, who requested it.

use aws_sdk_ec2::types::{Filter, NetworkInterface, NetworkInterfaceType};

use super::RegionClients;
use crate::model::{GroupUser, UserKind};
use crate::source::SourceError;

const API: &str = "ec2:DescribeNetworkInterfaces";

/// Every user of `group` in the clients' region, sorted.
pub(super) async fn group_users(
    c: &RegionClients,
    group: &str,
) -> Result<Vec<GroupUser>, SourceError> {
    let filter = Filter::builder().name("group-id").values(group).build();
    let mut pages = c
        .ec2
        .describe_network_interfaces()
        .filters(filter)
        .into_paginator()
        .send();
    let mut users = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            let error = c.error(&e);
            SourceError::Call {
                call: API.to_string(),
                message: format!(
                    "{} — rdsight needs {API} to list who else uses {group}",
                    error.message
                ),
                code: error.code,
                request_id: error.request_id,
            }
        })?;
        users.extend(page.network_interfaces().iter().map(user_of));
    }
    users.sort();
    Ok(users)
}

/// What one interface says about the user behind it.
fn user_of(eni: &NetworkInterface) -> GroupUser {
    let interface = eni.network_interface_id().unwrap_or_default().to_string();
    let description = eni.description().unwrap_or_default().to_string();
    // RequesterId names the AWS service only on interfaces it manages;
    // on your own interfaces it is your principal and says nothing.
    let requester = match eni.requester_managed() {
        Some(true) => eni.requester_id().unwrap_or_default(),
        _ => "",
    };
    let instance = eni.attachment().and_then(|a| a.instance_id());
    let kind = kind_of(eni.interface_type(), requester, &description, instance);
    let id = match kind {
        UserKind::Ec2Instance => instance.map(str::to_string),
        // `ELB app/web/50dc6c495c0c9188`: the load balancer's name and id.
        UserKind::LoadBalancer => description.strip_prefix("ELB ").map(str::to_string),
        UserKind::VpcEndpoint => description
            .split_whitespace()
            .find(|w| w.starts_with("vpce-"))
            .map(str::to_string),
        _ => None,
    }
    .unwrap_or_else(|| interface.clone());
    GroupUser {
        kind,
        id,
        interface,
        description,
    }
}

fn kind_of(
    interface_type: Option<&NetworkInterfaceType>,
    requester: &str,
    description: &str,
    instance: Option<&str>,
) -> UserKind {
    use NetworkInterfaceType as T;
    match interface_type {
        Some(T::LoadBalancer | T::NetworkLoadBalancer | T::GatewayLoadBalancer) => {
            return UserKind::LoadBalancer;
        }
        Some(T::Lambda) => return UserKind::Lambda,
        Some(T::VpcEndpoint | T::GatewayLoadBalancerEndpoint) => return UserKind::VpcEndpoint,
        Some(T::NatGateway) => return UserKind::NatGateway,
        _ => {}
    }
    // Older load balancers and RDS report the plain `interface` type;
    // their requester and description tell them apart.
    if requester == "amazon-elb" || description.starts_with("ELB ") {
        UserKind::LoadBalancer
    } else if requester == "amazon-rds" || description == "RDSNetworkInterface" {
        UserKind::Rds
    } else if description.starts_with("AWS Lambda VPC ENI") {
        UserKind::Lambda
    } else if instance.is_some() {
        UserKind::Ec2Instance
    } else {
        UserKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ec2::types::NetworkInterfaceAttachment;

    fn eni(
        kind: Option<NetworkInterfaceType>,
        managed_by: Option<&str>,
        description: &str,
        instance: Option<&str>,
    ) -> GroupUser {
        let mut b = NetworkInterface::builder()
            .network_interface_id("eni-1")
            .description(description)
            .requester_managed(managed_by.is_some())
            .requester_id(managed_by.unwrap_or("AIDAEXAMPLE"));
        if let Some(kind) = kind {
            b = b.interface_type(kind);
        }
        if let Some(i) = instance {
            b = b.attachment(NetworkInterfaceAttachment::builder().instance_id(i).build());
        }
        user_of(&b.build())
    }

    #[test]
    fn interfaces_are_told_apart_by_type_requester_and_attachment() {
        use NetworkInterfaceType as T;
        let ec2 = eni(Some(T::Interface), None, "", Some("i-0abc"));
        assert_eq!(
            (ec2.kind, ec2.id.as_str()),
            (UserKind::Ec2Instance, "i-0abc")
        );
        let alb = eni(None, Some("amazon-elb"), "ELB app/web/50dc6c", None);
        assert_eq!(
            (alb.kind, alb.id.as_str()),
            (UserKind::LoadBalancer, "app/web/50dc6c")
        );
        let nlb = eni(
            Some(T::NetworkLoadBalancer),
            Some("amazon-elb"),
            "ELB net/nlb/1",
            None,
        );
        assert_eq!(nlb.kind, UserKind::LoadBalancer);
        let lambda = eni(
            Some(T::Lambda),
            Some("AROA:x"),
            "AWS Lambda VPC ENI-fn",
            None,
        );
        assert_eq!(
            (lambda.kind, lambda.id.as_str()),
            (UserKind::Lambda, "eni-1")
        );
        let vpce = eni(
            Some(T::VpcEndpoint),
            Some("amazonaws"),
            "VPC Endpoint Interface vpce-0123",
            None,
        );
        assert_eq!(
            (vpce.kind, vpce.id.as_str()),
            (UserKind::VpcEndpoint, "vpce-0123")
        );
        let nat = eni(
            Some(T::NatGateway),
            Some("amazonaws"),
            "Interface for NAT Gateway nat-1",
            None,
        );
        assert_eq!(nat.kind, UserKind::NatGateway);
        let rds = eni(
            Some(T::Interface),
            Some("amazon-rds"),
            "RDSNetworkInterface",
            None,
        );
        assert_eq!(rds.kind, UserKind::Rds);
        // Not managed: its requester id is a principal, not a service.
        let loose = eni(Some(T::Interface), None, "spare", None);
        assert_eq!((loose.kind, loose.id.as_str()), (UserKind::Other, "eni-1"));
    }
}
