//! Loading and switching context in the dashboard's model: pages show as
//! they arrive, a refresh keeps the rows until the answer is in, and a
//! region or profile switch never shows rows of the old context.

use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::source::demo::{DemoSource, demo_fleet, in_regions};
use rdsight::source::{FleetSource, LoadEvent, LoadPart, SourceContext, SourceHandle};
use rdsight::tui::app::{App, Dialog, Effect, Msg};
use rdsight::tui::rows::Pane;
use std::sync::Arc;

use crate::support::app_helpers::{app, only_run_plan, open_plan_for};
use crate::support::tui;
use crate::support::tui::{finish_load, is_load, press};

fn part(region: &str, what: rdsight::model::ResourceList) -> LoadPart {
    LoadPart {
        region: region.into(),
        what,
    }
}

/// A fresh demo app that has asked for its first load and got nothing yet.
fn starting_app() -> App {
    let source = DemoSource::new(false).unwrap();
    let mut app = App::new(source.info(), RuleConfig::default());
    app.update(Msg::Resize(120, 36));
    assert!(is_load(&app.start()));
    app
}

/// The demo fleet's instances of `region`, as one page.
fn page_of_instances(region: &str) -> Fleet {
    let fleet = demo_fleet().unwrap();
    Fleet {
        instances: fleet
            .instances
            .into_iter()
            .filter(|i| i.region == region)
            .collect(),
        ..Fleet::default()
    }
}

#[test]
fn pages_are_on_screen_before_the_load_ends_and_progress_is_in_the_header() {
    let mut app = starting_app();
    let generation = app.generation();
    let parts = vec![
        part("us-east-1", rdsight::model::ResourceList::DbInstances),
        part("eu-west-1", rdsight::model::ResourceList::DbInstances),
    ];
    app.update(Msg::Loading {
        generation,
        event: LoadEvent::Planned(parts.clone()),
    });
    let page = page_of_instances("us-east-1");
    let n = page.instances.len();
    app.update(Msg::Loading {
        generation,
        event: LoadEvent::Page {
            part: parts[0].clone(),
            fragment: page,
        },
    });
    app.update(Msg::Loading {
        generation,
        event: LoadEvent::Finished {
            part: parts[0].clone(),
            result: Ok(n),
        },
    });
    app.flush();
    assert!(app.loading);
    assert_eq!(app.row_count(Pane::Instances), n);
    assert!(
        app.row_count(Pane::Findings) > 0,
        "pages are judged as they come"
    );
    let screen = tui::screen(&app, 120, 36);
    let header = screen.lines().nth(1).unwrap();
    assert!(
        header.contains(&format!(
            "loading 1/2 lists · {n} resources so far · waiting on eu-west-1 db-instances"
        )),
        "{screen}"
    );
}

#[test]
fn events_of_an_older_load_are_dropped() {
    let mut app = starting_app();
    let old = app.generation();
    // `r` while nothing is shown yet starts over.
    finish_load(&mut app, Err("timed out".into()));
    assert!(is_load(&press(&mut app, "r")));
    app.update(Msg::Loading {
        generation: old,
        event: LoadEvent::Page {
            part: part("us-east-1", rdsight::model::ResourceList::DbInstances),
            fragment: page_of_instances("us-east-1"),
        },
    });
    app.update(Msg::Loaded {
        generation: old,
        result: Ok(demo_fleet().unwrap()),
        at: tui::loaded_at(),
    });
    app.flush();
    assert_eq!(app.row_count(Pane::Instances), 0);
    assert!(app.loading, "the current load is still running");
}

#[test]
fn a_refresh_keeps_the_rows_until_the_whole_answer_is_in() {
    let mut app = app();
    let before = app.row_count(Pane::Instances);
    assert!(is_load(&press(&mut app, "r")));
    let generation = app.generation();
    app.update(Msg::Loading {
        generation,
        event: LoadEvent::Planned(vec![part(
            "us-east-1",
            rdsight::model::ResourceList::DbInstances,
        )]),
    });
    app.update(Msg::Loading {
        generation,
        event: LoadEvent::Page {
            part: part("us-east-1", rdsight::model::ResourceList::DbInstances),
            fragment: page_of_instances("us-east-1"),
        },
    });
    app.flush();
    assert_eq!(
        app.row_count(Pane::Instances),
        before,
        "no doubled or blanked rows"
    );
    let mut smaller = demo_fleet().unwrap();
    smaller.instances.truncate(3);
    finish_load(&mut app, Ok(smaller));
    assert_eq!(app.row_count(Pane::Instances), 3);
    assert!(!app.loading);
}

/// Open the region picker and answer it with the demo's regions.
fn region_picker(app: &mut App) {
    assert_eq!(press(app, "R"), vec![Effect::ListRegions]);
    let regions = demo_fleet().unwrap().regions;
    app.update(Msg::Regions(Some(regions)));
    assert!(matches!(app.dialog, Some(Dialog::Picker(_))));
}

fn demo_in(regions: &[&str]) -> SourceHandle {
    let regions: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
    let fleet = in_regions(demo_fleet().unwrap(), &regions).unwrap();
    SourceHandle(Arc::new(DemoSource::from_fleet(fleet, false)))
}

#[test]
fn switching_regions_clears_the_rows_then_loads_only_the_chosen_ones() {
    let mut app = app();
    region_picker(&mut app);
    // Everything is chosen at first: clear it, choose eu-west-1.
    press(&mut app, "a");
    let Some(Dialog::Picker(picker)) = &app.dialog else {
        panic!("no picker")
    };
    let eu = picker.items.iter().position(|r| r == "eu-west-1").unwrap();
    for _ in 0..eu {
        press(&mut app, "j");
    }
    let effects = press(&mut app, "<Space> <Enter>");
    let [
        Effect::Switch {
            generation,
            context,
        },
    ] = effects.as_slice()
    else {
        panic!("expected a switch: {effects:?}")
    };
    assert_eq!(context.regions, vec!["eu-west-1"]);
    // Nothing of the old context is shown while the new one connects.
    assert_eq!(app.fleet.resource_count(), 0);
    assert_eq!(app.row_count(Pane::Findings), 0);
    let screen = tui::screen(&app, 120, 36);
    assert!(screen.contains("switching to profile"), "{screen}");

    let effects = app.update(Msg::Switched {
        generation: *generation,
        result: Ok(demo_in(&["eu-west-1"])),
    });
    assert!(is_load(&effects), "{effects:?}");
    let eu_only = in_regions(demo_fleet().unwrap(), &["eu-west-1".to_string()]).unwrap();
    finish_load(&mut app, Ok(eu_only));
    assert!(app.row_count(Pane::Instances) > 0);
    assert!(app.fleet.instances.iter().all(|i| i.region == "eu-west-1"));
    assert_eq!(app.context.regions, vec!["eu-west-1"]);
}

#[test]
fn a_failed_switch_says_why_and_reloads_what_was_shown() {
    let mut app = app();
    let before = app.context.clone();
    region_picker(&mut app);
    let effects = press(&mut app, "<Enter>");
    // All four regions were already chosen: nothing to switch to.
    assert!(effects.is_empty(), "{effects:?}");
    press(&mut app, "R");
    app.update(Msg::Regions(None));
    let effects = press(&mut app, "<Space> <Enter>");
    let [Effect::Switch { generation, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let effects = app.update(Msg::Switched {
        generation: *generation,
        result: Err("AWS rejected the credentials".into()),
    });
    assert!(is_load(&effects));
    assert_eq!(app.context, before);
    assert!(
        app.flash
            .as_deref()
            .unwrap()
            .contains("cannot switch: AWS rejected")
    );
}

#[test]
fn profiles_are_for_aws_and_nothing_switches_during_a_plan() {
    let mut app = app();
    assert!(press(&mut app, "P").is_empty());
    assert!(app.dialog.is_none());
    assert!(
        app.flash
            .as_deref()
            .unwrap()
            .contains("the demo has no AWS profiles")
    );

    open_plan_for(&mut app, "snapshot-public");
    let (_, _) = only_run_plan(press(&mut app, "y"));
    assert!(press(&mut app, "R").is_empty());
    assert!(app.flash.as_deref().unwrap().contains("a plan is running"));
}

#[test]
fn an_aws_context_names_profile_and_regions() {
    let context = SourceContext {
        profile: Some("prod".into()),
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        all_regions: false,
    };
    assert_eq!(
        rdsight::tui::app::describe_context(&context),
        "profile prod · eu-west-1, us-east-1"
    );
    let args = rdsight::cli::SourceArgs {
        all_regions: true,
        read_only: true,
        ..Default::default()
    };
    let applied = context.apply_to(&args);
    assert!(!applied.all_regions, "named regions replace --all-regions");
    assert!(applied.read_only, "everything else is kept");
    assert_eq!(applied.profile.as_deref(), Some("prod"));
}

#[test]
fn the_profile_picker_lists_profiles_and_switches_to_the_chosen_one() {
    let mut info = DemoSource::new(false).unwrap().info();
    info.kind = rdsight::source::SourceKind::Aws;
    info.label = "aws profile dev".into();
    let mut app = App::new(info, RuleConfig::default());
    app.context.profile = Some("dev".into());
    app.update(Msg::Resize(120, 36));
    app.start();
    finish_load_demo(&mut app);
    assert_eq!(press(&mut app, "P"), vec![Effect::ListProfiles]);
    app.update(Msg::Profiles(vec![
        "default".into(),
        "dev".into(),
        "prod".into(),
    ]));
    let screen = tui::screen(&app, 120, 36);
    assert!(screen.contains("AWS profile"), "{screen}");
    assert!(
        screen.contains(" ●  dev"),
        "the current profile is marked: {screen}"
    );
    // The cursor starts on the current profile; one down is prod.
    let effects = press(&mut app, "j <Enter>");
    let [Effect::Switch { context, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(context.profile.as_deref(), Some("prod"));
    assert_eq!(app.fleet.resource_count(), 0, "dev's rows are gone");
    assert_eq!(app.source.account, None, "the account is read again");
}

fn finish_load_demo(app: &mut App) {
    finish_load(app, Ok(demo_fleet().unwrap()));
}
