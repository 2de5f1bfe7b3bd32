//! Between events and resources: Enter on an event goes to the resource
//! it names, Enter on a finding about a caller goes to that caller's
//! events. What is not in the fleet is said in the footer, never a crash.

use super::*;
use crate::model::ActivityRead;

/// How many days a trail read covers, rounded up; 0 when its window
/// cannot be read.
pub(super) fn read_days(read: &ActivityRead) -> u32 {
    let (Ok(since), Ok(until)) = (
        humantime::parse_rfc3339_weak(&read.since),
        humantime::parse_rfc3339_weak(&read.until),
    ) else {
        return 0;
    };
    let secs = until.duration_since(since).map_or(0, |d| d.as_secs());
    secs.div_ceil(86_400).max(1) as u32
}

/// What the header says of the activity trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrailCoverage {
    /// No region's trail was read.
    NotRead,
    /// Read over `days` (0: unknown) in `regions` of the fleet's `of`.
    Read {
        days: u32,
        regions: usize,
        of: usize,
    },
}

/// The pane that lists resources of `kind`.
fn pane_of(kind: ResourceType) -> Option<Pane> {
    match kind {
        ResourceType::DbCluster => Some(Pane::Clusters),
        ResourceType::DbInstance => Some(Pane::Instances),
        ResourceType::DbSnapshot | ResourceType::DbClusterSnapshot => Some(Pane::Snapshots),
        ResourceType::SecurityGroup | ResourceType::Principal => None,
    }
}

/// The list `kind` is read with, to tell "not loaded" from "not there".
fn list_of(kind: ResourceType) -> Option<ResourceList> {
    match kind {
        ResourceType::DbCluster => Some(ResourceList::DbClusters),
        ResourceType::DbInstance => Some(ResourceList::DbInstances),
        ResourceType::DbSnapshot => Some(ResourceList::DbSnapshots),
        ResourceType::DbClusterSnapshot => Some(ResourceList::DbClusterSnapshots),
        ResourceType::SecurityGroup => Some(ResourceList::SecurityGroups),
        ResourceType::Principal => None,
    }
}

impl App {
    /// Enter on an event: select the resource it names in its pane. A
    /// filter or drill-down hiding it is cleared (and said); a resource
    /// the fleet does not hold is explained, and the events stay.
    pub(super) fn go_to_named_resource(&mut self, named: Option<ResourceRef>) {
        let Some(target) = named else {
            self.flash = Some("this event names no resource".into());
            return;
        };
        let Some(pane) = pane_of(target.kind) else {
            self.flash = Some(format!("{target} has no pane: its details are here"));
            return;
        };
        if self.fleet.status_of(&target).is_none() {
            self.flash = Some(self.why_absent(&target));
            return;
        }
        self.focus = pane;
        if self.position_of(pane, &target).is_none() {
            self.scope = Scope::All;
            self.filter = Filter::default();
            self.rebuild_rows();
            self.flash = Some(format!(
                "{target}: the filter hid it, so it is cleared — 5 goes back to the events"
            ));
        } else {
            self.flash = Some(format!("{target} — 5 goes back to the events"));
        }
        if let Some(position) = self.position_of(pane, &target) {
            self.panes[pane.index()].selected = position;
            self.keep_selection_visible();
        }
    }

    /// Where `target` is among the rows `pane` shows.
    fn position_of(&self, pane: Pane, target: &ResourceRef) -> Option<usize> {
        let key = RowKey::resource(target.clone(), None);
        self.panes[pane.index()]
            .rows
            .iter()
            .position(|i| self.row_at(pane, *i).is_some_and(|r| r.is(&key)))
    }

    /// Why a resource an event names is not in the fleet.
    fn why_absent(&self, target: &ResourceRef) -> String {
        let unread = list_of(target.kind).is_some_and(|list| {
            self.fleet
                .load_errors
                .iter()
                .any(|e| e.what == list && e.region == target.region)
        });
        if unread {
            format!("{target} is unknown: that list could not be loaded there")
        } else {
            format!("{target} is not in the fleet: deleted since, or in another account or region")
        }
    }

    /// Enter on a finding about a caller: that caller's events.
    pub(super) fn go_to_callers_events(&mut self, caller: &str) {
        self.focus = Pane::Events;
        self.scope = Scope::All;
        self.filter = Filter::parse(&format!("principal:{caller}"));
        self.rebuild_rows();
        self.panes[Pane::Events.index()].rewind();
        self.keep_selection_visible();
        self.flash = Some("the caller's events — Esc clears the filter".into());
    }

    /// Whether the activity trail was read, over how long, for how many
    /// of the fleet's regions.
    pub fn trail_coverage(&self) -> TrailCoverage {
        let reads = &self.fleet.activity_reads;
        if reads.is_empty() {
            return TrailCoverage::NotRead;
        }
        let mut regions: Vec<&str> = reads.iter().map(|r| r.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        let covered = self
            .fleet
            .regions
            .iter()
            .filter(|r| regions.contains(&r.as_str()))
            .count();
        TrailCoverage::Read {
            days: reads.iter().map(read_days).max().unwrap_or(0),
            regions: covered,
            of: self.fleet.regions.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Principal, PrincipalKind};
    use crate::rules::{RuleId, Severity, Status};
    use crate::source::SourceKind;

    const CALLER: &str = "arn:aws:iam::111111111111:role/forgotten";

    fn call(id: &str, arn: &str) -> Event {
        Event {
            id: id.into(),
            region: "us-east-1".into(),
            principal: Principal {
                kind: PrincipalKind::AssumedRole,
                arn: format!("{arn}-session"),
                role_arn: Some(arn.into()),
                ..Principal::default()
            },
            error_code: Some("AccessDenied".into()),
            ..Event::default()
        }
    }

    #[test]
    fn enter_on_a_finding_about_a_caller_shows_its_events() {
        let info = SourceInfo {
            kind: SourceKind::File,
            label: "test".into(),
            account: None,
            read_only: None,
        };
        let mut app = App::new(info, RuleConfig::default());
        app.fleet.events = vec![call("a", CALLER), call("b", "arn:aws:iam::1:role/other")];
        // A finding about the caller, as the activity rules write them.
        app.findings = vec![Finding {
            rule: RuleId::ALL[RuleId::ALL.len() - 1],
            severity: Severity::Medium,
            status: Status::Fail,
            resource_type: ResourceType::Principal,
            resource_id: CALLER.into(),
            arn: None,
            region: "us-east-1".into(),
            reason: "refused".into(),
            compliance: Vec::new(),
            event_name: Some("DescribeDBSnapshots".into()),
        }];
        app.index_risk();
        app.rebuild_rows();
        app.focus = Pane::Findings;
        app.drill_down();
        assert_eq!(app.focus, Pane::Events);
        assert_eq!(app.filter.text(), format!("principal:{CALLER}"));
        let shown: Vec<&str> = app
            .rows(Pane::Events)
            .iter()
            .filter_map(|r| match r {
                Row::Event(e) => Some(e.id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(shown, ["a"]);
    }
}
