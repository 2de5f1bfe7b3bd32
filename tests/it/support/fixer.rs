//! Runs remediation plans against a source the way the dashboard does:
//! plan from a fresh load, run through the executor, read the result back.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdsight::cli::SourceArgs;
use rdsight::config::RuleConfig;
use rdsight::model::Fleet;
use rdsight::remediation::audit::AuditLog;
use rdsight::remediation::executor::{Progress, run_plan};
use rdsight::remediation::{Plan, PlanOptions};
use rdsight::rules::plan_for;
use rdsight::rules::{self, RuleId};
use rdsight::source::FleetSource;
use rdsight::source::Pacing;
use rdsight::source::aws::AwsSource;

use super::moto::{self, Moto, scratch_path};
use super::proxy::{Fault, Proxy};
use super::seed::US;

/// Short waits: moto settles at once, but the executor still polls.
pub const FAST: Pacing = Pacing {
    poll: Duration::from_millis(100),
    timeout: Duration::from_secs(60),
};

pub struct Fixer {
    pub source: Arc<dyn FleetSource>,
    pub audit: AuditLog,
    pub config: RuleConfig,
}

impl Fixer {
    pub async fn fleet(&self) -> Fleet {
        let fleet = self.source.load().await.unwrap();
        assert!(fleet.load_errors.is_empty(), "{:?}", fleet.load_errors);
        fleet
    }

    /// Plan the fix for `rule` on `resource` from a fresh load, run it, and
    /// return the plan and a fresh load of the result.
    pub async fn fix(&self, rule: RuleId, resource: &str, options: PlanOptions) -> (Plan, Fleet) {
        let fleet = self.fleet().await;
        let findings = rules::evaluate(&fleet, &self.config);
        let finding = findings
            .iter()
            .find(|f| f.rule == rule && f.resource_id == resource)
            .unwrap_or_else(|| {
                let all: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{} {}", f.rule, f.resource_id))
                    .collect();
                panic!("no {rule} finding on {resource}; findings: {all:#?}")
            });
        let plan = plan_for(&fleet, &self.config, finding, options).unwrap();
        self.run(plan.clone()).await;
        (plan, self.fleet().await)
    }

    pub async fn run(&self, plan: Plan) -> Vec<Progress> {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        run_plan(
            Arc::clone(&self.source),
            self.audit.clone(),
            plan,
            FAST,
            move |p| sink.lock().unwrap().push(p),
        )
        .await;
        let events = events.lock().unwrap().clone();
        assert!(
            matches!(events.last(), Some(Progress::Finished { ok: true })),
            "plan failed: {events:#?}"
        );
        events
    }
}

pub fn calls(plan: &Plan) -> Vec<&'static str> {
    plan.steps.iter().map(|s| s.step.api()).collect()
}

pub fn now() -> PlanOptions {
    PlanOptions {
        apply_immediately: true,
        ..PlanOptions::default()
    }
}

/// Run `plan` on `source` polling every 5 ms (the demo source settles at
/// once); return every progress event, whatever the outcome.
pub async fn run_demo(
    source: &Arc<dyn FleetSource>,
    audit: &AuditLog,
    plan: Plan,
) -> Vec<Progress> {
    let progress = Mutex::new(Vec::new());
    let pacing = Pacing {
        poll: Duration::from_millis(5),
        timeout: Duration::from_secs(10),
    };
    run_plan(Arc::clone(source), audit.clone(), plan, pacing, |p| {
        progress.lock().unwrap().push(p)
    })
    .await;
    progress.into_inner().unwrap()
}

/// The audit log at `path`, one JSON value a line; empty if it was never
/// written.
pub fn audit_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A fixer whose AWS source goes through a recording proxy.
pub async fn recorded_fixer(moto: &Moto, audit: &str) -> (Fixer, Proxy, Arc<Mutex<Vec<String>>>) {
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let proxy = Proxy::start(&moto.url, Fault::Record(Arc::clone(&recorded)));
    let args = SourceArgs {
        endpoint_url: Some(proxy.url.clone()),
        region: vec![US.into()],
        ..SourceArgs::default()
    };
    let source = AwsSource::connect_with(&args, moto::with_test_credentials)
        .await
        .unwrap();
    let fixer = Fixer {
        source: Arc::new(source),
        audit: AuditLog::new(scratch_path(audit)),
        config: RuleConfig::default(),
    };
    (fixer, proxy, recorded)
}

/// The plan for `rule` on `resource` of the embedded demo fleet.
pub fn demo_plan(rule: RuleId, resource: &str, options: PlanOptions) -> Plan {
    let fleet = rdsight::source::demo::demo_fleet().unwrap();
    let config = RuleConfig::default();
    let finding = rules::evaluate(&fleet, &config)
        .into_iter()
        .find(|f| f.rule == rule && f.resource_id == resource)
        .unwrap_or_else(|| panic!("no {rule} finding on {resource}"));
    plan_for(&fleet, &config, &finding, options).unwrap()
}
