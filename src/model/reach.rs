//! Can the internet reach a database? Only when every link of the path is
//! open: an internet gateway attached to its VPC, a default route to it in
//! the route table one of its subnets uses, and an attached security group
//! admitting the world on the DB port — over the same IP version (an IPv4
//! route does nothing for an IPv6 rule). Rules, the details pane and the
//! make-private plan all read the path from here.

use super::index::FleetIndex;
use super::routing::{RouteTable, Subnet};
use super::{OpenRule, WORLD_IPV4, WORLD_IPV6, open_world_rules};

/// One link's state: open, closed, or not known for want of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Open,
    Closed,
    Unknown,
}

impl Link {
    /// Both links must be open for the path to be.
    fn and(self, other: Link) -> Link {
        match (self, other) {
            (Link::Closed, _) | (_, Link::Closed) => Link::Closed,
            (Link::Open, Link::Open) => Link::Open,
            _ => Link::Unknown,
        }
    }

    /// Either path open is enough.
    fn or(self, other: Link) -> Link {
        match (self, other) {
            (Link::Open, _) | (_, Link::Open) => Link::Open,
            (Link::Closed, Link::Closed) => Link::Closed,
            _ => Link::Unknown,
        }
    }

    fn any(links: impl Iterator<Item = Link>) -> Link {
        links.fold(Link::Closed, Link::or)
    }
}

/// Where one subnet's default route for one IP version leads.
#[derive(Debug, Clone)]
pub struct Hop<'a> {
    pub state: Link,
    /// The route table, and whether the subnet is associated with it
    /// explicitly (else it is its VPC's main table).
    pub table: Option<(&'a RouteTable, bool)>,
    /// The internet gateway, when the route leads to one attached to the VPC.
    pub gateway: Option<&'a str>,
    /// What the route does, in words: `0.0.0.0/0 → nat-1 (not an internet gateway)`.
    pub text: String,
}

/// One subnet of the database's subnet group and its two default routes.
#[derive(Debug, Clone)]
pub struct SubnetPath<'a> {
    pub id: &'a str,
    pub subnet: Option<&'a Subnet>,
    pub v4: Hop<'a>,
    pub v6: Hop<'a>,
}

impl SubnetPath<'_> {
    /// Does either IP version route to the internet?
    pub fn state(&self) -> Link {
        self.v4.state.or(self.v6.state)
    }
}

/// The whole path of one database, link by link.
pub struct InternetPath<'a> {
    pub subnets: Vec<SubnetPath<'a>>,
    /// World-open rules of the attached groups on the DB port.
    pub open_rules: Vec<OpenRule<'a>>,
    /// Attached groups that were not loaded.
    pub missing_groups: Vec<&'a str>,
    pub port: u16,
}

/// What the path adds up to, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every link open: the path, hop by hop.
    Reachable(String),
    /// A link is closed: which.
    Closed(String),
    /// A link could not be judged: why.
    Unknown(String),
}

/// The internet's path to a database in `region` placed in `subnets`
/// behind `groups`, listening on `port`.
pub fn internet_path<'a: 's, 's>(
    index: &FleetIndex<'a>,
    region: &str,
    subnets: &'s [String],
    groups: &'s [String],
    port: u16,
) -> InternetPath<'s> {
    let network = index.network();
    let subnets = subnets
        .iter()
        .map(|id| {
            let subnet = network.subnet(region, id);
            let table = subnet.and_then(|s| network.route_table_of(s));
            let hop = |dest| default_hop(index, subnet, table, dest);
            let subnet: Option<&'s Subnet> = subnet;
            SubnetPath {
                id,
                subnet,
                v4: hop(WORLD_IPV4),
                v6: hop(WORLD_IPV6),
            }
        })
        .collect();
    let open_rules = if port == 0 {
        Vec::new()
    } else {
        open_world_rules(index, region, groups, port)
    };
    let missing_groups = groups
        .iter()
        .filter(|g| index.security_group(region, g).is_none())
        .map(String::as_str)
        .collect();
    InternetPath {
        subnets,
        open_rules,
        missing_groups,
        port,
    }
}

/// Where `dest` (a default route) of the subnet's table leads.
fn default_hop<'a>(
    index: &FleetIndex<'a>,
    subnet: Option<&'a Subnet>,
    table: Option<(&'a RouteTable, bool)>,
    dest: &str,
) -> Hop<'a> {
    let hop = |state, gateway, text: String| Hop {
        state,
        table,
        gateway,
        text,
    };
    let Some(subnet) = subnet else {
        return hop(Link::Unknown, None, "subnet not loaded".into());
    };
    let Some((rt, _)) = table else {
        return hop(
            Link::Unknown,
            None,
            format!(
                "no route table of {} loaded (neither its own nor the main one)",
                subnet.vpc_id
            ),
        );
    };
    let Some(route) = rt.routes.iter().find(|r| r.destination == dest) else {
        return hop(Link::Closed, None, format!("no {dest} route"));
    };
    let to = format!("{dest} → {}", route.target);
    if !route.is_active() {
        return hop(Link::Closed, None, format!("{to} (blackhole)"));
    }
    if !route.to_internet_gateway() {
        return hop(
            Link::Closed,
            None,
            format!("{to} (not an internet gateway)"),
        );
    }
    match index
        .network()
        .internet_gateway(&subnet.region, &route.target)
    {
        None => hop(Link::Unknown, None, format!("{to} (gateway not loaded)")),
        Some(g) if g.attached_to(&subnet.vpc_id) => hop(Link::Open, Some(&g.id), to),
        Some(_) => hop(
            Link::Closed,
            None,
            format!("{to} (not attached to {})", subnet.vpc_id),
        ),
    }
}

impl<'a> InternetPath<'a> {
    /// Do the subnets route this IP version to the internet?
    fn route(&self, v6: bool) -> Link {
        if self.subnets.is_empty() {
            return Link::Unknown;
        }
        Link::any(
            self.subnets
                .iter()
                .map(|s| if v6 { s.v6.state } else { s.v4.state }),
        )
    }

    /// Do the groups admit the world over this IP version on the port?
    fn groups(&self, v6: bool) -> Link {
        if self.open_rules.iter().any(|o| is_v6(o) == v6) {
            Link::Open
        } else if self.port == 0 || !self.missing_groups.is_empty() {
            Link::Unknown
        } else {
            Link::Closed
        }
    }

    fn family(&self, v6: bool) -> Link {
        self.route(v6).and(self.groups(v6))
    }

    pub fn reach(&self) -> Reach {
        match self.family(false).or(self.family(true)) {
            Link::Open => {
                let v6 = self.family(false) != Link::Open;
                Reach::Reachable(self.describe_open(v6))
            }
            Link::Closed => Reach::Closed(self.describe_closed()),
            Link::Unknown => Reach::Unknown(self.describe_unknown()),
        }
    }

    /// The open path over one IP version, and which subnets are public
    /// when only some are.
    fn describe_open(&self, v6: bool) -> String {
        let public: Vec<&SubnetPath<'_>> = self
            .subnets
            .iter()
            .filter(|s| hop_of(s, v6).state == Link::Open)
            .collect();
        let rule = self.open_rules.iter().find(|o| is_v6(o) == v6);
        let (Some(first), Some(rule)) = (public.first(), rule) else {
            return "every link is open".into();
        };
        let hop = hop_of(first, v6);
        let table = hop
            .table
            .map(|(t, explicit)| format!("{}, {}", t.id, table_kind(t, explicit)));
        let mut text = format!(
            "internet → {} → {} ({} → {}) → {} → {} ({}) allows {} on {} → port {}",
            hop.gateway.unwrap_or("?"),
            table.unwrap_or_default(),
            if v6 { WORLD_IPV6 } else { WORLD_IPV4 },
            hop.gateway.unwrap_or("?"),
            first.id,
            rule.group.id,
            rule.group.name,
            rule.cidr,
            rule.rule.port_label(),
            self.port
        );
        if public.len() < self.subnets.len() {
            let ids: Vec<&str> = public.iter().map(|s| s.id).collect();
            text.push_str(&format!(
                "; public subnet(s): {} of its {} (the database can be placed in any of them)",
                ids.join(", "),
                self.subnets.len()
            ));
        }
        text
    }

    fn describe_closed(&self) -> String {
        let routes = self.route(false).or(self.route(true));
        let groups = self.groups(false).or(self.groups(true));
        if routes == Link::Closed {
            format!(
                "no subnet of its DB subnet group routes 0.0.0.0/0 or ::/0 to an internet gateway of its VPC ({})",
                self.subnet_summary()
            )
        } else if groups == Link::Closed && routes == Link::Open {
            format!(
                "no attached security group admits the internet on the DB port (its routes are open: {})",
                self.subnet_summary()
            )
        } else if groups == Link::Closed {
            "no attached security group admits the internet on the DB port".into()
        } else {
            let word = |l: Link| match l {
                Link::Open => "open",
                Link::Closed => "closed",
                Link::Unknown => "unknown",
            };
            format!(
                "no IP version is open end to end: routes to an internet gateway IPv4 {}, IPv6 {}; groups admitting the internet IPv4 {}, IPv6 {}",
                word(self.route(false)),
                word(self.route(true)),
                word(self.groups(false)),
                word(self.groups(true))
            )
        }
    }

    fn describe_unknown(&self) -> String {
        let mut why = Vec::new();
        if self.subnets.is_empty() {
            why.push(
                "its subnets were not reported (no DB subnet group in its description; for a Multi-AZ DB cluster, no member that reports one was loaded)".to_string(),
            );
        } else if self.route(false).or(self.route(true)) == Link::Unknown {
            why.push(format!(
                "its routes are not all known ({})",
                self.subnet_summary()
            ));
        }
        if !self.missing_groups.is_empty() {
            why.push(format!(
                "security group(s) {} not loaded",
                self.missing_groups.join(", ")
            ));
        }
        if self.port == 0 {
            why.push("the DB port is unknown".into());
        }
        format!(
            "{}: whether the internet reaches it is unknown",
            why.join("; ")
        )
    }

    /// Each subnet with where its default routes lead; subnets that share
    /// a table (and so the same routes) are named together.
    pub fn subnet_summary(&self) -> String {
        let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
        for s in &self.subnets {
            let summary = hop_summary(s);
            match groups.iter_mut().find(|(text, _)| *text == summary) {
                Some((_, ids)) => ids.push(s.id),
                None => groups.push((summary, vec![s.id])),
            }
        }
        groups
            .iter()
            .map(|(text, ids)| format!("{}: {text}", ids.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// `rtb-1 (main) 0.0.0.0/0 → nat-1 (not an internet gateway), no ::/0 route`.
pub fn hop_summary(s: &SubnetPath<'_>) -> String {
    match s.v4.table {
        Some((t, explicit)) => format!(
            "{} ({}): {}, {}",
            t.id,
            table_kind(t, explicit),
            s.v4.text,
            s.v6.text
        ),
        None => s.v4.text.clone(),
    }
}

/// How a subnet came to use a table.
fn table_kind(table: &RouteTable, explicit: bool) -> String {
    if explicit {
        "explicit association".to_string()
    } else {
        format!("main table of {}", table.vpc_id)
    }
}

fn hop_of<'s, 'a>(s: &'s SubnetPath<'a>, v6: bool) -> &'s Hop<'a> {
    if v6 { &s.v6 } else { &s.v4 }
}

fn is_v6(rule: &OpenRule<'_>) -> bool {
    rule.cidr == WORLD_IPV6
}
