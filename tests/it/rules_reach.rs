//! Case matrix for instance-internet-reachable (the whole path from the
//! internet open) and how it shares the work with instance-public (the
//! flag without the full path): one finding per database, the worst.

use rdsight::model::{
    Cluster, Fleet, Instance, InternetGateway, ResourceType, Route, RouteTable, Subnet,
};
use rdsight::rules::{self, RuleId, Subject, Verdict};

use crate::support::fleets::*;

const VPC: &str = "vpc-1";
const IGW: &str = "igw-1";
const OPEN_SG: &str = "sg-open";
const SUBNET: &str = "subnet-a";

fn subnet(id: &str) -> Subnet {
    Subnet {
        id: id.into(),
        region: REGION.into(),
        vpc_id: VPC.into(),
        availability_zone: Some("us-east-1a".into()),
        cidr: None,
    }
}

fn route(destination: &str, target: &str) -> Route {
    Route {
        destination: destination.into(),
        target: target.into(),
        state: "active".into(),
    }
}

fn table(id: &str, main: bool, subnets: &[&str], routes: Vec<Route>) -> RouteTable {
    let mut all = vec![route("10.0.0.0/16", "local")];
    all.extend(routes);
    RouteTable {
        id: id.into(),
        region: REGION.into(),
        vpc_id: VPC.into(),
        main,
        subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
        routes: all,
    }
}

fn gateway(id: &str, vpc: &str) -> InternetGateway {
    InternetGateway {
        id: id.into(),
        region: REGION.into(),
        vpc_ids: vec![vpc.into()],
    }
}

/// `db-1`, PubliclyAccessible, in `subnet-a`, behind a group open to the
/// world on its port; `subnet-a` explicitly uses `rtb-public`, whose
/// 0.0.0.0/0 goes to `igw-1`, attached to the VPC. Every link open.
fn reachable() -> Fleet {
    let mut f = fleet();
    f.security_groups.push(sg(
        OPEN_SG,
        "vendor-access",
        vec![tcp(PORT, PORT, &["0.0.0.0/0"])],
    ));
    f.instances.push(Instance {
        publicly_accessible: true,
        security_group_ids: vec![PRIVATE_SG.into(), OPEN_SG.into()],
        subnet_ids: vec![SUBNET.into()],
        vpc_id: Some(VPC.into()),
        ..instance("db-1")
    });
    f.network.subnets.push(subnet(SUBNET));
    f.network.route_tables = vec![
        table("rtb-main", true, &[], vec![]),
        table(
            "rtb-public",
            false,
            &[SUBNET],
            vec![route("0.0.0.0/0", IGW)],
        ),
    ];
    f.network.internet_gateways.push(gateway(IGW, VPC));
    f
}

fn reach(f: &Fleet) -> Verdict {
    judge(
        f,
        RuleId::InstanceInternetReachable,
        Subject::Instance(find_instance(f, "db-1")),
    )
}

fn public(f: &Fleet) -> Verdict {
    judge(
        f,
        RuleId::InstancePublic,
        Subject::Instance(find_instance(f, "db-1")),
    )
}

fn set_routes(f: &mut Fleet, table: &str, routes: Vec<Route>) {
    let t = f
        .network
        .route_tables
        .iter_mut()
        .find(|t| t.id == table)
        .unwrap();
    t.routes.truncate(1);
    t.routes.extend(routes);
}

/// The path is closed: no reachable finding, and instance-public says why.
#[track_caller]
fn assert_closed_by(f: &Fleet, evidence: &[&str]) -> String {
    assert_passes(reach(f));
    let mut all = vec!["PubliclyAccessible=true"];
    all.extend_from_slice(evidence);
    assert_fails(public(f), &all)
}

// ---- fires: every link open -------------------------------------------------------------

#[test]
fn fires_through_an_explicit_association_and_shows_the_whole_path() {
    let f = reachable();
    assert_fails(
        reach(&f),
        &[
            "PubliclyAccessible=true",
            IGW,
            "rtb-public",
            "explicit association",
            SUBNET,
            OPEN_SG,
            "vendor-access",
            "0.0.0.0/0",
            "tcp 5433",
            "port 5433",
        ],
    );
    // One finding per database: the worst.
    assert_not_applicable(public(&f), "instance-internet-reachable");
}

#[test]
fn fires_through_the_vpcs_main_table() {
    let mut f = reachable();
    f.network.route_tables = vec![table("rtb-main", true, &[], vec![route("0.0.0.0/0", IGW)])];
    assert_fails(reach(&f), &["rtb-main", "main table of vpc-1", IGW]);
}

#[test]
fn fires_over_ipv6_when_the_route_and_the_rule_are_both_ipv6() {
    let mut f = reachable();
    set_routes(&mut f, "rtb-public", vec![route("::/0", IGW)]);
    f.security_groups[1].ingress = vec![tcp(PORT, PORT, &["::/0"])];
    assert_fails(reach(&f), &["::/0", IGW, OPEN_SG]);
}

#[test]
fn says_which_subnets_are_public_when_only_some_are() {
    let mut f = reachable();
    f.network.subnets.push(subnet("subnet-b"));
    f.instances[0].subnet_ids.push("subnet-b".into());
    assert_fails(reach(&f), &["public subnet(s): subnet-a of its 2"]);
}

#[test]
fn the_evaluation_gives_one_critical_finding_and_no_instance_public() {
    let f = reachable();
    let findings = rules::evaluate(&f, &Default::default());
    let rules: Vec<RuleId> = findings
        .iter()
        .filter(|x| x.resource_id == "db-1")
        .map(|x| x.rule)
        .filter(|r| {
            matches!(
                r,
                RuleId::InstancePublic | RuleId::InstanceInternetReachable
            )
        })
        .collect();
    assert_eq!(rules, [RuleId::InstanceInternetReachable]);
    let finding = findings
        .iter()
        .find(|x| x.rule == RuleId::InstanceInternetReachable)
        .unwrap();
    assert_eq!(finding.severity, rules::Severity::Critical);
    assert_eq!(
        rules::rule_info(RuleId::InstancePublic).severity,
        rules::Severity::High
    );
}

#[test]
fn the_make_private_plan_shows_the_path_it_closes() {
    let f = reachable();
    let findings = rules::evaluate(&f, &Default::default());
    let finding = findings
        .iter()
        .find(|x| x.rule == RuleId::InstanceInternetReachable)
        .unwrap();
    let plan = rules::plan_for(&f, &Default::default(), finding, Default::default()).unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].step.api(), "rds:ModifyDBInstance");
    let caveats: Vec<String> = plan.caveats.iter().map(|c| c.to_string()).collect();
    assert!(
        caveats
            .iter()
            .any(|c| c.contains("the internet reaches it today") && c.contains(IGW)),
        "{caveats:#?}"
    );
}

// ---- passes: a link is closed -------------------------------------------------------------

#[test]
fn an_explicit_association_overrides_the_main_table() {
    let mut f = reachable();
    // The main table routes to the gateway, but the subnet has its own.
    f.network.route_tables = vec![
        table("rtb-main", true, &[], vec![route("0.0.0.0/0", IGW)]),
        table(
            "rtb-private",
            false,
            &[SUBNET],
            vec![route("0.0.0.0/0", "nat-1")],
        ),
    ];
    assert_closed_by(&f, &["no subnet", "rtb-private", "nat-1"]);
}

#[test]
fn a_nat_gateway_or_an_egress_only_gateway_lets_nothing_in() {
    let mut f = reachable();
    set_routes(
        &mut f,
        "rtb-public",
        vec![route("0.0.0.0/0", "nat-1"), route("::/0", "eigw-1")],
    );
    f.security_groups[1].ingress = vec![tcp(PORT, PORT, &["0.0.0.0/0", "::/0"])];
    assert_closed_by(&f, &["nat-1", "eigw-1", "not an internet gateway"]);
}

#[test]
fn a_blackhole_route_carries_nothing() {
    let mut f = reachable();
    let t = &mut f.network.route_tables[1];
    t.routes[1].state = "blackhole".into();
    assert_closed_by(&f, &["blackhole"]);
}

#[test]
fn a_gateway_of_another_vpc_is_no_way_in() {
    let mut f = reachable();
    f.network.internet_gateways = vec![gateway(IGW, "vpc-other")];
    assert_closed_by(&f, &["not attached to vpc-1"]);
}

#[test]
fn a_subnet_without_a_default_route_is_private() {
    let mut f = reachable();
    set_routes(&mut f, "rtb-public", vec![]);
    assert_closed_by(&f, &["no 0.0.0.0/0 route"]);
}

#[test]
fn no_world_open_group_closes_the_path_and_says_the_routes_are_open() {
    let mut f = reachable();
    f.instances[0].security_group_ids = vec![PRIVATE_SG.into()];
    assert_closed_by(
        &f,
        &[
            "no attached security group admits the internet",
            "its routes are open",
            IGW,
        ],
    );
}

#[test]
fn an_ipv4_route_does_nothing_for_an_ipv6_rule() {
    let mut f = reachable();
    f.security_groups[1].ingress = vec![tcp(PORT, PORT, &["::/0"])];
    assert_closed_by(&f, &["no IP version is open end to end"]);
}

#[test]
fn a_private_instance_passes_both_whatever_the_network() {
    let mut f = reachable();
    f.instances[0].publicly_accessible = false;
    assert_passes(reach(&f));
    assert_passes(public(&f));
}

// ---- unknown: an input was not loaded ------------------------------------------------------

#[test]
fn unknown_when_the_subnets_were_not_loaded() {
    let mut f = reachable();
    f.network.subnets.clear();
    assert_unknown(reach(&f), "subnet not loaded");
    // The flag is still set: instance-public reports it, saying the rest is unknown.
    assert_fails(public(&f), &["PubliclyAccessible=true", OPEN_SG, "unknown"]);
}

#[test]
fn unknown_when_the_route_tables_were_not_loaded() {
    let mut f = reachable();
    f.network.route_tables.clear();
    assert_unknown(reach(&f), "no route table of vpc-1 loaded");
}

#[test]
fn unknown_when_the_gateway_was_not_loaded() {
    let mut f = reachable();
    f.network.internet_gateways.clear();
    assert_unknown(reach(&f), "gateway not loaded");
}

#[test]
fn unknown_when_the_instance_reports_no_subnets() {
    let mut f = reachable();
    f.instances[0].subnet_ids.clear();
    assert_unknown(reach(&f), "subnets were not reported");
}

#[test]
fn unknown_when_a_group_was_not_loaded_and_no_other_admits_the_world() {
    let mut f = reachable();
    f.instances[0].security_group_ids = vec![PRIVATE_SG.into(), "sg-missing".into()];
    assert_unknown(reach(&f), "sg-missing not loaded");
}

#[test]
fn a_closed_link_decides_even_when_another_is_unknown() {
    let mut f = reachable();
    f.instances[0].security_group_ids = vec![OPEN_SG.into(), "sg-missing".into()];
    set_routes(&mut f, "rtb-public", vec![route("0.0.0.0/0", "nat-1")]);
    assert_closed_by(&f, &["nat-1"]);
}

// ---- not applicable, and clusters -----------------------------------------------------------

#[test]
fn judges_instances_and_multi_az_db_clusters() {
    assert_only_judges(
        RuleId::InstanceInternetReachable,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

#[test]
fn aurora_clusters_are_judged_per_instance() {
    assert_not_applicable(
        judge_cluster(RuleId::InstanceInternetReachable, cluster("orders")),
        "per instance",
    );
}

/// A public Multi-AZ DB cluster whose members sit in `subnet-a`.
fn public_multi_az_cluster() -> Fleet {
    let mut f = reachable();
    f.instances.clear();
    let c = Cluster {
        publicly_accessible: Some(true),
        security_group_ids: vec![OPEN_SG.into()],
        ..multi_az_cluster("ledger")
    };
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    for i in &mut f.instances {
        i.engine = "postgres".into();
        i.subnet_ids = vec![SUBNET.into()];
    }
    f
}

#[test]
fn a_multi_az_db_cluster_is_judged_at_the_cluster_through_its_members_subnets() {
    let f = public_multi_az_cluster();
    assert_fails(
        judge(
            &f,
            RuleId::InstanceInternetReachable,
            Subject::Cluster(&f.clusters[0]),
        ),
        &["Multi-AZ DB cluster", IGW, SUBNET, OPEN_SG],
    );
    for i in &f.instances {
        assert_not_applicable(
            judge(&f, RuleId::InstanceInternetReachable, Subject::Instance(i)),
            "judged through the cluster",
        );
    }
}

#[test]
fn a_multi_az_db_cluster_without_loaded_members_is_unknown() {
    let mut f = public_multi_az_cluster();
    f.instances.clear();
    assert_unknown(
        judge(
            &f,
            RuleId::InstanceInternetReachable,
            Subject::Cluster(&f.clusters[0]),
        ),
        "subnets were not reported",
    );
}
