//! Case matrix for network exposure: instance-public and sg-open-db-port.

use rdsight::model::{Fleet, IngressRule, Instance, ResourceType};
use rdsight::rules::{RuleId, Subject, Verdict};

use crate::support::fleets::*;

const OPEN_SG: &str = "sg-0open";
const OPEN_NAME: &str = "legacy-db-access";

/// A fleet with `db-1` (standalone, port 5433) guarded by the private group
/// and by `sg-0open`, whose ingress is `rules`.
fn guarded(rules: Vec<IngressRule>) -> Fleet {
    let mut f = fleet();
    f.security_groups.push(sg(OPEN_SG, OPEN_NAME, rules));
    f.instances.push(Instance {
        security_group_ids: vec![PRIVATE_SG.into(), OPEN_SG.into()],
        ..instance("db-1")
    });
    f
}

fn sg_verdict(f: &Fleet) -> Verdict {
    judge(
        f,
        RuleId::SgOpenDbPort,
        Subject::Instance(find_instance(f, "db-1")),
    )
}

// ---- instance-public -------------------------------------------------------------

#[test]
fn instance_public_fires_and_shows_the_open_group() {
    let mut f = guarded(vec![tcp(PORT, PORT, &["0.0.0.0/0"])]);
    f.instances[0].publicly_accessible = true;
    let v = judge(
        &f,
        RuleId::InstancePublic,
        Subject::Instance(&f.instances[0]),
    );
    assert_fails(
        v,
        &[
            "PubliclyAccessible=true",
            OPEN_SG,
            OPEN_NAME,
            "0.0.0.0/0",
            "tcp 5433",
        ],
    );
}

#[test]
fn instance_public_fires_and_says_when_no_group_is_open() {
    let i = Instance {
        publicly_accessible: true,
        ..instance("db-1")
    };
    assert_fails(
        judge_instance(RuleId::InstancePublic, i),
        &[
            "PubliclyAccessible=true",
            "no attached security group admits the internet",
        ],
    );
}

#[test]
fn instance_public_of_a_cluster_member_uses_the_cluster_groups() {
    // Aurora instances are public or not one by one; their network
    // evidence comes from the cluster's groups when they list none.
    let mut f = fleet();
    f.security_groups
        .push(sg(OPEN_SG, OPEN_NAME, vec![tcp(PORT, PORT, &["::/0"])]));
    let mut c = cluster("orders");
    c.security_group_ids = vec![OPEN_SG.into()];
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    f.instances[0].publicly_accessible = true;
    f.instances[0].security_group_ids.clear();
    let v = judge(
        &f,
        RuleId::InstancePublic,
        Subject::Instance(&f.instances[0]),
    );
    assert_fails(v, &["PubliclyAccessible=true", OPEN_SG, "::/0"]);
    // The private reader is fine.
    assert_passes(judge(
        &f,
        RuleId::InstancePublic,
        Subject::Instance(&f.instances[1]),
    ));
}

#[test]
fn instance_public_passes_private_instances() {
    assert_passes(judge_instance(RuleId::InstancePublic, instance("db-1")));
    // A world-open group alone does not make the instance public.
    let f = guarded(vec![tcp(PORT, PORT, &["0.0.0.0/0"])]);
    assert_passes(judge(
        &f,
        RuleId::InstancePublic,
        Subject::Instance(&f.instances[0]),
    ));
}

#[test]
fn instance_public_judges_instances_and_multi_az_db_clusters() {
    assert_only_judges(
        RuleId::InstancePublic,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}

// ---- sg-open-db-port: fires ---------------------------------------------------------

#[test]
fn sg_open_fires_on_ipv4_world_on_the_db_port() {
    let f = guarded(vec![tcp(PORT, PORT, &["0.0.0.0/0"])]);
    assert_fails(
        sg_verdict(&f),
        &[OPEN_SG, OPEN_NAME, "0.0.0.0/0", "tcp 5433"],
    );
}

#[test]
fn sg_open_fires_on_ipv6_world_on_the_db_port() {
    let f = guarded(vec![tcp(PORT, PORT, &["::/0"])]);
    assert_fails(sg_verdict(&f), &[OPEN_SG, OPEN_NAME, "::/0", "tcp 5433"]);
}

#[test]
fn sg_open_fires_on_a_port_range_covering_the_db_port() {
    let f = guarded(vec![tcp(1000, 6000, &["0.0.0.0/0"])]);
    assert_fails(sg_verdict(&f), &[OPEN_SG, OPEN_NAME, "tcp 1000-6000"]);
}

#[test]
fn sg_open_fires_on_range_edges() {
    for (from, to) in [(PORT, 6000), (1000, PORT)] {
        let f = guarded(vec![tcp(from, to, &["0.0.0.0/0"])]);
        assert_fails(sg_verdict(&f), &[OPEN_SG, &format!("tcp {from}-{to}")]);
    }
}

#[test]
fn sg_open_fires_on_all_traffic_rules() {
    let f = guarded(vec![all_traffic(&["0.0.0.0/0"])]);
    assert_fails(sg_verdict(&f), &[OPEN_SG, OPEN_NAME, "all traffic"]);
}

#[test]
fn sg_open_fires_for_clusters_on_their_own_port() {
    let mut f = fleet();
    f.security_groups.push(sg(
        OPEN_SG,
        OPEN_NAME,
        vec![tcp(3306, 3306, &["0.0.0.0/0"])],
    ));
    let mut c = cluster("orders");
    c.engine = "aurora-mysql".into();
    c.port = 3306;
    c.security_group_ids = vec![OPEN_SG.into()];
    add_cluster(&mut f, c, &["us-east-1a"]);
    let v = judge(&f, RuleId::SgOpenDbPort, Subject::Cluster(&f.clusters[0]));
    assert_fails(v, &[OPEN_SG, OPEN_NAME, "tcp 3306"]);
}

#[test]
fn sg_open_names_every_open_rule() {
    let f = guarded(vec![
        tcp(PORT, PORT, &["0.0.0.0/0", "::/0"]),
        all_traffic(&["0.0.0.0/0"]),
    ]);
    let reason = assert_fails(sg_verdict(&f), &["0.0.0.0/0", "::/0", "all traffic"]);
    assert_eq!(reason.matches(OPEN_SG).count(), 3, "{reason}");
}

// ---- sg-open-db-port: does not fire ---------------------------------------------

#[test]
fn sg_open_ignores_world_rules_on_other_ports() {
    let f = guarded(vec![
        tcp(443, 443, &["0.0.0.0/0"]),
        tcp(5432, 5432, &["0.0.0.0/0"]),
        tcp(5434, 6000, &["::/0"]),
    ]);
    assert_passes(sg_verdict(&f));
}

#[test]
fn sg_open_ignores_private_cidrs() {
    let f = guarded(vec![
        tcp(PORT, PORT, &["10.0.0.0/8"]),
        tcp(PORT, PORT, &["192.168.0.0/16", "fd00::/8"]),
        all_traffic(&["172.16.0.0/12"]),
    ]);
    assert_passes(sg_verdict(&f));
}

#[test]
fn sg_open_ignores_source_group_references() {
    let f = guarded(vec![IngressRule {
        protocol: "tcp".into(),
        from_port: Some(i32::from(PORT)),
        to_port: Some(i32::from(PORT)),
        source_groups: vec!["sg-app-nodes".into()],
        ..IngressRule::default()
    }]);
    assert_passes(sg_verdict(&f));
}

#[test]
fn sg_open_ignores_udp_on_the_db_port() {
    let f = guarded(vec![udp(PORT, PORT, &["0.0.0.0/0", "::/0"])]);
    assert_passes(sg_verdict(&f));
}

#[test]
fn sg_open_ignores_groups_not_attached() {
    let mut f = fleet();
    f.security_groups
        .push(sg(OPEN_SG, OPEN_NAME, vec![all_traffic(&["0.0.0.0/0"])]));
    f.instances.push(instance("db-1"));
    assert_eq!(f.instances[0].security_group_ids, vec![PRIVATE_SG]);
    assert_passes(sg_verdict(&f));
}

#[test]
fn sg_open_ignores_a_same_named_group_in_another_region() {
    let mut f = guarded(Vec::new());
    f.security_groups.push(rdsight::model::SecurityGroup {
        region: "eu-west-1".into(),
        ..sg(OPEN_SG, OPEN_NAME, vec![all_traffic(&["0.0.0.0/0"])])
    });
    assert_passes(sg_verdict(&f));
}

// ---- sg-open-db-port: not applicable ------------------------------------------------

#[test]
fn sg_open_member_instances_are_judged_through_the_cluster() {
    let mut f = fleet();
    f.security_groups.push(sg(
        OPEN_SG,
        OPEN_NAME,
        vec![tcp(PORT, PORT, &["0.0.0.0/0"])],
    ));
    let mut c = cluster("orders");
    c.security_group_ids = vec![OPEN_SG.into()];
    add_cluster(&mut f, c, &["us-east-1a", "us-east-1b"]);
    assert_not_applicable(
        judge(&f, RuleId::SgOpenDbPort, Subject::Instance(&f.instances[0])),
        "cluster orders",
    );
    assert_fails(
        judge(&f, RuleId::SgOpenDbPort, Subject::Cluster(&f.clusters[0])),
        &[OPEN_SG],
    );
}

#[test]
fn sg_open_says_when_a_group_was_not_loaded() {
    let mut f = fleet();
    f.instances.push(Instance {
        security_group_ids: vec![PRIVATE_SG.into(), "sg-missing".into()],
        ..instance("db-1")
    });
    // Not a pass, not "does not apply": nobody knows what sg-missing admits.
    assert_unknown(sg_verdict(&f), "sg-missing");
}

#[test]
fn a_public_instance_behind_an_unloaded_group_does_not_claim_the_group_is_closed() {
    let mut f = fleet();
    f.instances.push(Instance {
        publicly_accessible: true,
        security_group_ids: vec!["sg-missing".into()],
        ..instance("db-1")
    });
    let reason = assert_fails(
        judge(
            &f,
            RuleId::InstancePublic,
            Subject::Instance(&f.instances[0]),
        ),
        &[
            "PubliclyAccessible=true",
            "sg-missing not loaded",
            "unknown",
        ],
    );
    assert!(!reason.contains("no attached security group"), "{reason}");
}

#[test]
fn sg_open_needs_a_known_port() {
    let mut f = guarded(vec![all_traffic(&["0.0.0.0/0"])]);
    f.instances[0].port = 0;
    assert_not_applicable(sg_verdict(&f), "port unknown");
}

#[test]
fn sg_open_judges_instances_and_clusters_only() {
    assert_only_judges(
        RuleId::SgOpenDbPort,
        &[ResourceType::DbInstance, ResourceType::DbCluster],
    );
}
