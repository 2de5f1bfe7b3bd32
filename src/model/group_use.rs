//! Who uses a security group beyond the databases the fleet shows: EC2
//! instances, load balancers, Lambda functions, endpoints — read from the
//! group's network interfaces when a plan that changes the group opens.
//! A revoke's impact names them; not knowing them is said, never taken
//! for "nothing else".

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What kind of thing a network interface in a group belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserKind {
    Ec2Instance,
    LoadBalancer,
    Lambda,
    VpcEndpoint,
    NatGateway,
    Rds,
    Other,
}

impl UserKind {
    pub fn label(self) -> &'static str {
        match self {
            UserKind::Ec2Instance => "ec2-instance",
            UserKind::LoadBalancer => "load-balancer",
            UserKind::Lambda => "lambda",
            UserKind::VpcEndpoint => "vpc-endpoint",
            UserKind::NatGateway => "nat-gateway",
            UserKind::Rds => "rds",
            UserKind::Other => "other",
        }
    }
}

/// One user of a group, as its network interface tells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GroupUser {
    pub kind: UserKind,
    /// The best id the interface gives: the instance id, the load
    /// balancer's name, the endpoint id, else the interface id.
    pub id: String,
    /// The network interface (`eni-…`).
    pub interface: String,
    /// AWS's description of the interface (`ELB app/web/…`), may be empty.
    pub description: String,
}

impl fmt::Display for GroupUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.label(), self.id)?;
        // `ELB app/web/…` says no more than the id taken from it.
        if !self.description.is_empty() && !self.description.contains(&self.id) {
            write!(f, " ({})", self.description)?;
        }
        Ok(())
    }
}

/// What is known of a group's users beyond the fleet's databases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OtherUsers {
    /// Not asked (a plan built without a source, e.g. in tests).
    #[default]
    NotRead,
    /// Being read from the source.
    Reading,
    /// Every network interface in the group.
    Read(Vec<GroupUser>),
    /// The read failed: why (an `AccessDenied`, a timeout…).
    Unknown(String),
}

impl OtherUsers {
    /// The users read, without the databases' own interfaces (the fleet
    /// names those databases already), and how many of those there were.
    pub fn beyond_databases(&self) -> (Vec<&GroupUser>, usize) {
        match self {
            OtherUsers::Read(users) => {
                let (rds, others): (Vec<&GroupUser>, Vec<&GroupUser>) =
                    users.iter().partition(|u| u.kind == UserKind::Rds);
                (others, rds.len())
            }
            _ => (Vec::new(), 0),
        }
    }
}

/// A security group, by region and id.
pub type GroupKey = (String, String);

/// What has been read about each group's users, for the plans that
/// change them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupUsersBook(BTreeMap<GroupKey, OtherUsers>);

impl GroupUsersBook {
    pub fn get(&self, region: &str, group: &str) -> OtherUsers {
        self.0
            .get(&(region.to_string(), group.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    pub fn set(&mut self, region: &str, group: &str, users: OtherUsers) {
        self.0
            .insert((region.to_string(), group.to_string()), users);
    }

    /// Whether any group's users are still being read.
    pub fn reading(&self) -> bool {
        self.0.values().any(|u| *u == OtherUsers::Reading)
    }
}
