//! The VPC network around a database: subnets, the route tables that
//! decide where their traffic goes, and the internet gateways a route can
//! lead to. Evidence for "can the internet reach it" (see `reach.rs`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Subnets, route tables and internet gateways of every loaded region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub internet_gateways: Vec<InternetGateway>,
}

impl Network {
    pub fn len(&self) -> usize {
        self.subnets.len() + self.route_tables.len() + self.internet_gateways.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Add a page of another load (pages carry one list each).
    pub fn extend(&mut self, more: Network) {
        self.subnets.extend(more.subnets);
        self.route_tables.extend(more.route_tables);
        self.internet_gateways.extend(more.internet_gateways);
    }

    /// Keep only what `keep` says of each item's region.
    pub fn retain_regions(&mut self, keep: impl Fn(&String) -> bool) {
        self.subnets.retain(|x| keep(&x.region));
        self.route_tables.retain(|x| keep(&x.region));
        self.internet_gateways.retain(|x| keep(&x.region));
    }

    pub fn sort(&mut self) {
        self.subnets
            .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.route_tables
            .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
        self.internet_gateways
            .sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Subnet {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub availability_zone: Option<String>,
    pub cidr: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RouteTable {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    /// The VPC's main table: subnets without an association of their own use it.
    pub main: bool,
    /// Subnets explicitly associated with this table.
    pub subnet_ids: Vec<String>,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Route {
    /// An IPv4 or IPv6 CIDR (prefix-list destinations are left out).
    pub destination: String,
    /// What it sends to: `igw-…`, `nat-…`, `eigw-…`, `local`, `pcx-…`.
    pub target: String,
    /// `active`, or `blackhole` when the target is gone.
    pub state: String,
}

impl Route {
    /// A route AWS can use; a blackhole route drops what it matches.
    pub fn is_active(&self) -> bool {
        !self.state.eq_ignore_ascii_case("blackhole")
    }

    /// Sends to an internet gateway: the only target that lets the
    /// internet start a connection (NAT and egress-only gateways do not).
    pub fn to_internet_gateway(&self) -> bool {
        self.target.starts_with("igw-")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InternetGateway {
    pub id: String,
    pub region: String,
    /// The VPCs it is attached to (attachments `available` or `attached`).
    pub vpc_ids: Vec<String>,
}

impl InternetGateway {
    pub fn attached_to(&self, vpc: &str) -> bool {
        self.vpc_ids.iter().any(|v| v == vpc)
    }
}

type Key<'a> = (&'a str, &'a str);

/// Lookups over a [`Network`], built once: by subnet, the table it
/// uses explicitly; by VPC, its main table; gateways by id.
pub struct NetworkIndex<'a> {
    subnets: HashMap<Key<'a>, &'a Subnet>,
    explicit: HashMap<Key<'a>, &'a RouteTable>,
    main: HashMap<Key<'a>, &'a RouteTable>,
    gateways: HashMap<Key<'a>, &'a InternetGateway>,
}

impl<'a> NetworkIndex<'a> {
    pub fn new(network: &'a Network) -> Self {
        let mut explicit = HashMap::new();
        let mut main = HashMap::new();
        for table in &network.route_tables {
            for subnet in &table.subnet_ids {
                explicit.insert((table.region.as_str(), subnet.as_str()), table);
            }
            if table.main {
                main.insert((table.region.as_str(), table.vpc_id.as_str()), table);
            }
        }
        Self {
            subnets: keyed(&network.subnets, |s| (&s.region, &s.id)),
            explicit,
            main,
            gateways: keyed(&network.internet_gateways, |g| (&g.region, &g.id)),
        }
    }

    pub fn subnet(&self, region: &str, id: &str) -> Option<&'a Subnet> {
        self.subnets.get(&(region, id)).copied()
    }

    /// The table a subnet uses, and whether through its own association
    /// (`true`) or as its VPC's main table.
    pub fn route_table_of(&self, subnet: &Subnet) -> Option<(&'a RouteTable, bool)> {
        let region = subnet.region.as_str();
        if let Some(table) = self.explicit.get(&(region, subnet.id.as_str())) {
            return Some((table, true));
        }
        self.main
            .get(&(region, subnet.vpc_id.as_str()))
            .map(|t| (*t, false))
    }

    pub fn internet_gateway(&self, region: &str, id: &str) -> Option<&'a InternetGateway> {
        self.gateways.get(&(region, id)).copied()
    }
}

fn keyed<'a, T>(
    items: &'a [T],
    key: fn(&'a T) -> (&'a String, &'a String),
) -> HashMap<Key<'a>, &'a T> {
    items
        .iter()
        .map(|item| {
            let (region, id) = key(item);
            ((region.as_str(), id.as_str()), item)
        })
        .collect()
}
