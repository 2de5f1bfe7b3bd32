//! What the rest of rdsight does with activity findings: counts, plans and
//! reports, with fleet text from a trail that may be hostile.

use rdsight::config::RuleConfig;
use rdsight::model::ResourceType::DbSnapshot;
use rdsight::model::{Event, Principal, PrincipalKind};
use rdsight::remediation::{NoRemediation, PlanOptions};
use rdsight::report::{self, Format, ScanReport, TableStyle};
use rdsight::rules::{self, RuleId, Severity, Summary};

use super::*;
use crate::support::fleets::{db_snapshot, fleet};

/// A snapshot since deleted shared with everyone, then a refused call.
fn shared_then_refused() -> Vec<Event> {
    let refusal = call(
        2,
        "2026-11-27T10:01:00Z",
        "DescribeDBSnapshots",
        iam_user("dev"),
    );
    vec![
        shares_at_ten(1, "dev", (DbSnapshot, "gone"), &["all"]),
        refused(refusal, "AccessDenied"),
    ]
}

#[test]
fn principals_and_deleted_snapshots_do_not_lower_the_passing_count() {
    let mut f = fleet();
    f.snapshots.push(db_snapshot("kept"));
    let mut events = shared_then_refused();
    events.push(call(
        3,
        "2026-11-27T10:02:00Z",
        "DescribeDBSnapshots",
        root(),
    ));
    let f = with_trail(f, &[REGION], events.clone());
    let findings = rules::evaluate(&f, &RuleConfig::default());
    assert_eq!(findings.len(), 3, "{findings:#?}");
    let summary = Summary::new(&f, &findings);
    assert_eq!(
        (summary.resources_scanned, summary.resources_passing),
        (1, 1)
    );
    assert_eq!((summary.critical, summary.high, summary.medium), (1, 1, 1));

    // A finding on a snapshot in the fleet does count against it.
    let mut more = events;
    more.push(share(
        4,
        "2026-11-27T11:00:00Z",
        iam_user("dev"),
        (DbSnapshot, "kept"),
        &["all"],
        &[],
    ));
    let f = with_trail(f, &[REGION], more);
    let findings = rules::evaluate(&f, &RuleConfig::default());
    assert_eq!(Summary::new(&f, &findings).resources_passing, 0);
}

#[test]
fn an_activity_finding_gets_advice_never_a_plan() {
    let f = trail(shared_then_refused());
    let config = RuleConfig::default();
    let findings = rules::evaluate(&f, &config);
    assert_eq!(findings.len(), 2);
    for finding in &findings {
        match rules::plan_for(&f, &config, finding, PlanOptions::default()) {
            Err(NoRemediation::ByHand(advice)) => assert!(!advice.is_empty()),
            other => panic!("{}: {other:?}", finding.rule),
        }
    }
    // Marked together, they still make no plan.
    let together = rules::plan_for_all(&f, &config, &findings, PlanOptions::default());
    assert!(
        matches!(together, Err(NoRemediation::ByHand(_))),
        "{together:?}"
    );
}

/// A trail whose text is hostile: a principal ARN that is a spreadsheet
/// formula, an address that is a terminal escape.
fn hostile() -> Fleet {
    let formula = Principal {
        kind: PrincipalKind::IamUser,
        arn: "=HYPERLINK(\"http://evil.example\")".into(),
        ..Principal::default()
    };
    let mut event = refused(
        call(1, "2026-11-27T10:00:00Z", "DescribeDBSnapshots", formula),
        "AccessDenied",
    );
    event.source_ip = "\u{1b}]0;pwned\u{7}203.0.113.9".into();
    trail(vec![event])
}

fn rendered(fleet: &Fleet, format: Format) -> String {
    let findings = rules::evaluate(fleet, &RuleConfig::default());
    let report = ScanReport::new(fleet, findings, Severity::Low);
    report::render(
        &report,
        format,
        TableStyle {
            width: Some(120),
            color: false,
        },
    )
}

#[test]
fn hostile_trail_text_is_neutralised_in_every_report() {
    let f = hostile();
    let csv = rendered(&f, Format::Csv);
    // The cell that starts with the formula gets a leading quote.
    assert!(csv.contains(",\"'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",\"=HYPERLINK"), "{csv}");
    // The refused call is its own column.
    assert!(
        csv.trim_end().ends_with(",fail,DescribeDBSnapshots"),
        "{csv}"
    );
    for format in [Format::Table, Format::Json, Format::Asff] {
        let text = rendered(&f, format);
        assert!(!text.contains('\u{1b}'), "{format:?}: {text}");
        assert!(!text.contains('\u{7}'), "{format:?}: {text}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&rendered(&f, Format::Json)).unwrap_or_else(|e| panic!("{e}"));
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], RuleId::ActivityAccessDenied.as_str());
    assert_eq!(finding["resource_type"], "iam-principal");
    assert_eq!(finding["event_name"], "DescribeDBSnapshots");
}

#[test]
fn the_table_shows_whole_activity_rule_names_when_there_is_room() {
    let key = "arn:aws:rds:eu-west-1:111111111111:snapshot:s";
    let mut copy = on(
        call(1, "2026-11-27T06:00:00Z", "CopyDBSnapshot", iam_user("ops")),
        DbSnapshot,
        "c",
    );
    copy.detail = rdsight::model::EventDetail::Copy {
        source: key.into(),
        target: "c".into(),
        destination_region: REGION.into(),
        source_region: None,
        kms_key_id: None,
        encrypted: Some(true),
    };
    let table = rendered(&trail(vec![copy]), Format::Table);
    assert!(
        table.contains("activity-snapshot-copied-cross-region c"),
        "{table}"
    );
}

#[test]
fn the_dashboard_lists_principal_findings_and_offers_no_fix() {
    use crate::support::tui::{demo_app, press, screen};
    let mut app = demo_app((120, 36));
    for rule in ["activity-access-denied", "activity-root-user"] {
        press(&mut app, &format!("<Esc> /rule:{rule} <Enter> 4"));
        assert!(
            app.row_count(rdsight::tui::rows::Pane::Findings) > 0,
            "{rule}"
        );
        // Drawn with its details, described, marked, asked to fix: never a plan.
        let text = screen(&app, 120, 36);
        assert!(text.contains(rule), "{rule}:\n{text}");
        // Enter goes to a finding's resource: for a caller, its calls.
        press(&mut app, "d <Esc> <Enter>");
        assert_eq!(app.focus, rdsight::tui::rows::Pane::Events, "{rule}");
        assert!(
            app.row_count(rdsight::tui::rows::Pane::Events) > 0,
            "{rule}"
        );
        press(&mut app, "<Esc> 4");
        press(&mut app, "<Space>");
        let effects = press(&mut app, "f");
        assert!(effects.is_empty(), "{rule}: {effects:?}");
        assert!(app.dialog.is_none(), "{rule}: {:?}", app.dialog);
        let flash = app.flash.clone().unwrap_or_default();
        assert!(
            flash.contains("no automatic remediation"),
            "{rule}: {flash}"
        );
        press(&mut app, "<Space>");
    }
    // A finding on a snapshot still in the fleet: no fix either, and Enter
    // goes to the snapshot.
    press(
        &mut app,
        "<Esc> <Esc> /rule:activity-snapshot-shared <Enter> 4",
    );
    assert!(press(&mut app, "f").is_empty());
    assert!(app.dialog.is_none());
    press(&mut app, "<Enter>");
    assert_eq!(app.focus, rdsight::tui::rows::Pane::Snapshots);
    assert_eq!(
        crate::support::app_helpers::selected_resource(&app).id,
        "orders-prod-debug-2026-11-28"
    );
}

#[test]
fn enter_on_a_finding_about_a_deleted_snapshot_stays_and_says_so() {
    use crate::support::tui::{app_on, press};
    let f = trail(vec![shares_at_ten(
        1,
        "dev",
        (DbSnapshot, "gone"),
        &["all"],
    )]);
    let source = rdsight::source::demo::DemoSource::from_fleet(f.clone(), true);
    let mut app = app_on(&source, f, (120, 36));
    press(&mut app, "4 <Enter>");
    assert_eq!(app.focus, rdsight::tui::rows::Pane::Findings);
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("no longer in the fleet"), "{flash}");
}
