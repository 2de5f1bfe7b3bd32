//! A revoke's whole blast radius in the plan dialog: the group's users are
//! read (never assumed), shown by kind and id, and the plan runs only once
//! they are; a broad world rule can be narrowed to the DB port from a
//! typed CIDR, which is checked and never the world.

use rdsight::model::{Cidr, Fleet, GroupKey, OtherUsers};
use rdsight::remediation::Step;
use rdsight::source::demo::{DemoSource, demo_fleet};
use rdsight::source::read_group_users;
use rdsight::tui::app::{App, Effect, Msg, PlanStage};

use crate::support::app_helpers::*;
use crate::support::tui::{self, app_on, next_key_time, press};

/// The demo's `internal-tools-db` group with its all-traffic rule opened
/// to the world, as a careless console edit would leave it.
const TOOLS_GROUP: &str = "sg-0f6b2d8a1c5e79b35";

fn fleet_with_world_all_traffic() -> Fleet {
    let mut fleet = demo_fleet().unwrap();
    let group = fleet
        .security_groups
        .iter_mut()
        .find(|g| g.id == TOOLS_GROUP)
        .unwrap();
    let rule = group
        .ingress
        .iter_mut()
        .find(|r| r.protocol == "-1")
        .unwrap();
    rule.ipv4_ranges.push("0.0.0.0/0".into());
    fleet
}

/// The plan for `instance`'s open group, with the read it asks for.
fn open_revoke(app: &mut App, instance: &str) -> Vec<GroupKey> {
    let effects = press(
        app,
        &format!("/rule:sg-open-db-port <Space> {instance} <Enter> 4 f"),
    );
    plan_dialog(app);
    match effects.as_slice() {
        [Effect::ReadGroupUsers { groups }] => groups.clone(),
        other => panic!("expected one read of the group's users, got {other:?}"),
    }
}

/// Answer the read as `source` does, as the runtime would.
async fn answer(app: &mut App, source: &DemoSource, groups: &[GroupKey]) {
    let users = read_group_users(source, groups).await;
    users_arrive(app, users);
}

/// The answer to the read arrives, and the plan it changed is drawn.
fn users_arrive(app: &mut App, users: Vec<(GroupKey, OtherUsers)>) {
    app.update(Msg::GroupUsers(users));
    app.update(Msg::Drawn {
        at: next_key_time(),
    });
}

/// What the plan says about `group`'s users.
fn caveat_of(app: &App, group: &str) -> String {
    plan_dialog(app)
        .plan
        .caveats
        .iter()
        .map(|c| c.to_string())
        .find(|c| c.starts_with(group))
        .unwrap_or_else(|| panic!("no caveat about {group}"))
}

/// A screen snapshot, kept with the other screens in `tests/it/snapshots`.
fn snapshot(name: &str, app: &App) {
    let (w, h) = app.size;
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(name, tui::screen(app, w, h));
    });
}

fn apis(steps: &[rdsight::remediation::PlannedStep]) -> Vec<&'static str> {
    steps.iter().map(|s| s.step.api()).collect()
}

#[tokio::test]
async fn a_revoke_names_the_groups_other_users_and_runs_only_once_they_are_read() {
    let source = DemoSource::new(false).unwrap();
    let mut app = app_on(&source, demo_fleet().unwrap(), SIZE);
    let groups = open_revoke(&mut app, "legacy-crm-sqlserver");
    assert_eq!(
        groups,
        vec![("us-east-1".to_string(), "sg-0d4fab6e8a3c57913".to_string())]
    );
    let text = tui::screen(&app, 120, 36);
    assert!(text.contains("reading its network interfaces"), "{text}");
    // Not before everyone who loses access is on screen.
    assert!(press(&mut app, "y").is_empty());
    assert!(
        plan_dialog(&app)
            .error
            .as_deref()
            .is_some_and(|e| e.contains("still reading")),
        "{:?}",
        plan_dialog(&app).error
    );

    answer(&mut app, &source, &groups).await;
    let text = caveat_of(&app, "sg-0d4fab6e8a3c57913");
    for user in [
        "instance legacy-crm-sqlserver",
        "ec2-instance i-0c4e6a8b1d3f5a7c9",
        "ec2-instance i-0d5f7b9c2e4a6b8d0",
        "load-balancer app/legacy-crm/7f3e2a1b9c4d5e6f",
    ] {
        assert!(text.contains(user), "{user} missing: {text}");
    }
    press(&mut app, &"j".repeat(40));
    snapshot("plan_revoke_group_users", &app);
    let (_, plan) = only_run_plan(press(&mut app, "y"));
    assert_eq!(apis(&plan.steps), vec!["ec2:RevokeSecurityGroupIngress"]);
}

#[test]
fn a_failed_read_says_the_users_are_unknown_and_why_never_that_there_are_none() {
    let mut app = app();
    let groups = open_revoke(&mut app, "legacy-crm-sqlserver");
    let why = "ec2:DescribeNetworkInterfaces failed: UnauthorizedOperation: You are not authorized";
    let answer = groups
        .iter()
        .map(|g| (g.clone(), OtherUsers::Unknown(why.into())))
        .collect();
    users_arrive(&mut app, answer);
    let shared = caveat_of(&app, "sg-0d4fab6e8a3c57913");
    assert!(shared.contains("other users are unknown"), "{shared}");
    assert!(shared.contains("UnauthorizedOperation"), "{shared}");
    assert!(!shared.contains("nothing else"), "{shared}");
    // Unknown is said, and the plan can still be run by someone who read it.
    only_run_plan(press(&mut app, "y"));
}

#[test]
fn an_answer_for_a_plan_no_longer_open_changes_nothing() {
    let mut app = app();
    let groups = open_revoke(&mut app, "legacy-crm-sqlserver");
    press(&mut app, "<Esc>");
    let answer = groups
        .iter()
        .map(|g| (g.clone(), OtherUsers::Read(Vec::new())))
        .collect();
    assert!(app.update(Msg::GroupUsers(answer)).is_empty());
    assert!(app.dialog.is_none());
}

#[test]
fn a_broad_world_rule_narrows_to_the_db_port_from_a_checked_cidr() {
    let fleet = fleet_with_world_all_traffic();
    let source = DemoSource::from_fleet(fleet.clone(), false);
    let mut app = app_on(&source, fleet, SIZE);
    let groups = open_revoke(&mut app, "internal-tools-postgres");
    let no_others = groups
        .iter()
        .map(|g| (g.clone(), OtherUsers::Read(Vec::new())))
        .collect();
    users_arrive(&mut app, no_others);
    let closes = plan_dialog(&app)
        .plan
        .caveats
        .iter()
        .map(|c| c.to_string())
        .find(|c| c.contains("closes every port it opens"));
    assert!(closes.is_some_and(|c| c.contains("0.0.0.0/0 all traffic")));

    press(&mut app, "c");
    assert!(matches!(
        plan_dialog(&app).stage,
        PlanStage::TypeCidr { .. }
    ));
    // Typed and refused, on the smallest screen rdsight draws.
    press(&mut app, "0.0.0.0/0 <Enter>");
    app.update(Msg::Resize(80, 24));
    snapshot("plan_cidr_refused_80x24", &app);
    app.update(Msg::Resize(SIZE.0, SIZE.1));
    press(&mut app, &"<BS> ".repeat(9));
    // The world, however written, and malformed CIDRs are refused with why.
    for (typed, says) in [
        ("0.0.0.0/0", "whole internet"),
        ("::/0", "whole internet"),
        ("0::0/00", "whole internet"),
        ("10.9.9.9/0", "whole internet"),
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("10.0.0.5/8", "did you mean 10.0.0.0/8?"),
        ("office", "no prefix length"),
    ] {
        press(&mut app, &format!("{typed} <Enter>"));
        let dialog = plan_dialog(&app);
        let error = dialog.error.clone().unwrap_or_default();
        assert!(error.contains(says), "{typed}: {error}");
        assert!(matches!(dialog.stage, PlanStage::TypeCidr { .. }));
        assert_eq!(dialog.options.narrow_to, None);
        press(&mut app, &"<BS> ".repeat(typed.len()));
    }
    // A paste is text: its newline neither applies the CIDR nor confirms.
    assert!(app.update(Msg::Paste("10.20.0.0/16\r\n".into())).is_empty());
    let dialog = plan_dialog(&app);
    assert_eq!(
        dialog.stage,
        PlanStage::TypeCidr {
            typed: "10.20.0.0/16".into()
        }
    );
    assert_eq!(apis(&dialog.plan.steps).len(), 1);

    // Enter puts it in the plan — and only the plan: nothing runs.
    assert!(press(&mut app, "<Enter>").is_empty());
    let dialog = plan_dialog(&app);
    assert_eq!(dialog.stage, PlanStage::Review);
    assert_eq!(
        dialog.options.narrow_to,
        Some(Cidr::parse("10.20.0.0/16").unwrap())
    );
    assert_eq!(
        apis(&dialog.plan.steps),
        vec![
            "ec2:RevokeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupIngress"
        ]
    );
    let authorize = &dialog.plan.steps[1].step;
    assert_eq!(parameter(authorize, "GroupId"), TOOLS_GROUP);
    assert_eq!(
        parameter(authorize, "IpPermissions"),
        r#"[{"FromPort":5432,"IpProtocol":"tcp","IpRanges":[{"CidrIp":"10.20.0.0/16"}],"ToPort":5432}]"#
    );
    // Its undo is the revoke of the same rule.
    let undo = authorize.undo().unwrap();
    assert_eq!(undo.api(), "ec2:RevokeSecurityGroupIngress");
    assert!(matches!(undo, Step::RevokeSecurityGroupIngress(_)));
    press(&mut app, &"j".repeat(40));
    snapshot("plan_narrowed_revoke", &app);

    let (_, plan) = only_run_plan(press(&mut app, "y"));
    assert_eq!(plan.steps.len(), 2);
}
