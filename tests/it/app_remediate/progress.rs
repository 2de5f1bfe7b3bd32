//! Plan progress events in the model, and quitting while a plan runs.

use rdsight::model::{ResourceRef, ResourceType};
use rdsight::remediation::executor::{Progress, StepDone};
use rdsight::rules::RuleId;
use rdsight::source::{Fact, StepOutcome};
use rdsight::tui::app::{Effect, Msg, StepState};

use crate::support::app_helpers::*;
use crate::support::tui;
use crate::support::tui::press;

// ----- plan progress -------------------------------------------------------------

#[test]
fn a_failed_step_shows_what_was_done_what_failed_and_what_was_not_sent() {
    let mut app = app();
    open_plan_for(&mut app, "instance-unencrypted");
    let (id, plan) = only_run_plan(press(&mut app, "y"));
    assert_eq!(plan.steps.len(), 3);
    let error = "rds:CopyDBSnapshot failed: KMSKeyNotAccessibleFault: key not found".to_string();
    for progress in [
        Progress::StepDone {
            step: 0,
            done: StepDone {
                outcome: StepOutcome::new(
                    vec![Fact::Created {
                        resource: ResourceRef::new(ResourceType::DbSnapshot, "us-east-1", "snap-1"),
                        encrypted: None,
                    }],
                    None,
                ),
                settled: Some("available".into()),
                audit_error: None,
            },
        },
        Progress::StepFailed {
            step: 1,
            error: error.clone(),
        },
        Progress::Finished { ok: false },
    ] {
        app.update(Msg::Plan { id, progress });
    }
    assert_eq!(
        app.flash.as_deref(),
        Some(format!("plan stopped: {error}; 1 later step(s) not sent").as_str())
    );
    let screen = tui::screen(&app, 160, 40);
    assert!(
        screen.contains("✓ 1 rds:CreateDBSnapshot — db-snapshot snap-1 creating → available"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "✗ 2 rds:CopyDBSnapshot — rds:CopyDBSnapshot failed: KMSKeyNotAccessibleFault"
        ),
        "{screen}"
    );
    assert!(
        screen.contains("· 3 rds:RestoreDBInstanceFromDBSnapshot — not sent"),
        "{screen}"
    );
}

#[test]
fn step_failed_marks_the_step_and_flashes_the_error() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    let (id, _) = only_run_plan(press(&mut app, "y"));

    app.update(Msg::Plan {
        id,
        progress: Progress::StepStarted { step: 0 },
    });
    assert_eq!(app.activities[0].steps, vec![StepState::Running]);

    let error = "rds:ModifyDBClusterSnapshotAttribute failed: AccessDenied".to_string();
    app.update(Msg::Plan {
        id,
        progress: Progress::StepFailed {
            step: 0,
            error: error.clone(),
        },
    });
    assert_eq!(
        app.activities[0].steps,
        vec![StepState::Failed(error.clone())]
    );
    let flash = app.flash.clone().unwrap_or_default();
    assert!(flash.contains("AccessDenied"), "{flash}");

    app.update(Msg::Plan {
        id,
        progress: Progress::Finished { ok: false },
    });
    assert_eq!(app.activities[0].finished, Some(false));
    assert!(
        app.flash
            .clone()
            .unwrap_or_default()
            .contains("AccessDenied"),
        "a failed finish keeps the error on screen"
    );
    // The finding is still open.
    assert!(
        app.findings
            .iter()
            .any(|f| f.rule == RuleId::SnapshotPublic)
    );
}

#[test]
fn progress_for_an_unknown_plan_is_ignored() {
    let mut app = app();
    let before = app.findings.len();
    let effects = app.update(Msg::Plan {
        id: 99,
        progress: Progress::Finished { ok: true },
    });
    assert!(effects.is_empty());
    assert!(app.activities.is_empty());
    assert_eq!(app.findings.len(), before);
}

#[test]
fn quitting_while_a_plan_runs_asks_for_a_second_q() {
    let mut app = app();
    open_plan_for(&mut app, "snapshot-public");
    only_run_plan(press(&mut app, "y"));
    // The plan is running (no progress has come back yet).
    assert!(press(&mut app, "q").is_empty());
    assert!(app.flash.as_deref().unwrap().contains("q again"));
    // Any other key disarms; the next q asks again.
    press(&mut app, "j");
    assert!(press(&mut app, "q").is_empty());
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
}
