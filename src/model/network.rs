//! VPC security groups: the evidence for "open to the world" findings.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub region: String,
    pub vpc_id: Option<String>,
    pub description: String,
    pub ingress: Vec<IngressRule>,
}

/// One ingress permission as EC2 reports it: a protocol and port range with
/// the sources it admits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp` or `-1` for all traffic.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    /// Other security groups this rule admits.
    pub source_groups: Vec<String>,
    pub description: Option<String>,
}

/// Is this CIDR an IPv6 range? Decides IpRanges vs Ipv6Ranges everywhere a
/// rule is shown or sent, so what the plan shows is what is sent.
pub fn is_ipv6(cidr: &str) -> bool {
    cidr.contains(':')
}

/// CIDRs that mean "the whole internet".
pub const WORLD_IPV4: &str = "0.0.0.0/0";
pub const WORLD_IPV6: &str = "::/0";

impl IngressRule {
    pub fn is_all_traffic(&self) -> bool {
        self.protocol == "-1" || self.protocol.eq_ignore_ascii_case("all")
    }

    /// Does this rule admit TCP traffic on `port`?
    pub fn covers_tcp_port(&self, port: u16) -> bool {
        if self.is_all_traffic() {
            return true;
        }
        if !(self.protocol == "tcp" || self.protocol == "6") {
            return false;
        }
        match (self.from_port, self.to_port) {
            (Some(from), Some(to)) => from <= i32::from(port) && i32::from(port) <= to,
            _ => false,
        }
    }

    /// The world-open CIDRs this rule lists, if any.
    pub fn world_ranges(&self) -> Vec<&str> {
        self.ipv4_ranges
            .iter()
            .chain(&self.ipv6_ranges)
            .map(String::as_str)
            .filter(|c| *c == WORLD_IPV4 || *c == WORLD_IPV6)
            .collect()
    }

    /// Human text such as `tcp 5432` or `all traffic` or `tcp 0-65535`.
    pub fn port_label(&self) -> String {
        if self.is_all_traffic() {
            return "all traffic".to_string();
        }
        match (self.from_port, self.to_port) {
            (Some(f), Some(t)) if f == t => format!("{} {f}", self.protocol),
            (Some(f), Some(t)) => format!("{} {f}-{t}", self.protocol),
            _ => self.protocol.clone(),
        }
    }
}
