//! From `f` to a running plan: choosing findings, the plan dialog,
//! typed confirmation, and progress coming back.

use super::*;

/// What `f` and `Space` say on the Events pane.
pub(super) const NOTHING_TO_FIX_IN_EVENTS: &str =
    "an event is a record, with nothing to fix or mark: Enter goes to the resource it names";

impl App {
    /// The findings `f` acts on: marked ones, else the selected one (or the
    /// selected resource's findings that have a plan), and the ones left out
    /// for having no automatic remediation.
    pub(super) fn findings_to_fix(&self) -> Result<(Vec<Finding>, Vec<Finding>), String> {
        let marked: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| {
                self.marked
                    .contains(&RowKey::resource(f.resource_ref(), Some(f.rule)))
                    || self
                        .marked
                        .contains(&RowKey::resource(f.resource_ref(), None))
            })
            .cloned()
            .collect();
        let from_resources = marked.is_empty() && self.focus != Pane::Findings;
        let chosen = if !marked.is_empty() {
            marked
        } else {
            match self.selected_row() {
                Some(Row::Finding(f)) => vec![f.clone()],
                Some(Row::Event(_)) => return Err(NOTHING_TO_FIX_IN_EVENTS.into()),
                Some(row) => {
                    let resource = row.resource();
                    self.findings
                        .iter()
                        .filter(|f| f.resource_ref() == resource)
                        .cloned()
                        .collect()
                }
                None => Vec::new(),
            }
        };
        if chosen.is_empty() {
            return Err(
                "nothing to fix: select a finding (pane 4) or a resource with findings".into(),
            );
        }
        let resource_marked = self
            .marked
            .iter()
            .any(|k| matches!(k, RowKey::Resource { rule: None, .. }));
        if from_resources || resource_marked {
            // From resources, take what can be fixed and say what cannot.
            let (fixable, left_out): (Vec<Finding>, Vec<Finding>) =
                chosen.into_iter().partition(|f| {
                    plan_for(&self.fleet, &self.rules, f, PlanOptions::default()).is_ok()
                });
            if fixable.is_empty() {
                return Err(
                    "none of these findings has an automatic remediation: see the details pane"
                        .into(),
                );
            }
            return Ok((fixable, left_out));
        }
        Ok((chosen, Vec::new()))
    }

    /// Open the plan for the chosen findings; the effects read who uses
    /// the security groups it changes (the dialog shows them as they come).
    pub(super) fn open_plan(&mut self) -> Vec<Effect> {
        if let Some(why) = &self.source.read_only {
            self.flash = Some(format!("remediation is disabled: {why}"));
            return Vec::new();
        }
        let (findings, left_out) = match self.findings_to_fix() {
            Ok(chosen) => chosen,
            Err(e) => {
                self.flash = Some(e);
                return Vec::new();
            }
        };
        let options = PlanOptions {
            backup_retention_days: self.rules.min_backup_retention_days,
            kms_key_id: self.kms_key_id.clone(),
            ..PlanOptions::default()
        };
        match plan_for_all(&self.fleet, &self.rules, &findings, options.clone()) {
            Ok(plan) => {
                let groups = plan.groups_to_read();
                let dialog = PlanDialog::new(findings, left_out, options, plan);
                self.dialog = Some(Dialog::Plan(Box::new(dialog)));
                if groups.is_empty() {
                    self.layout_plan(true);
                    return Vec::new();
                }
                self.set_group_users(groups.iter().map(|g| (g.clone(), OtherUsers::Reading)));
                vec![Effect::ReadGroupUsers { groups }]
            }
            Err(e) => {
                self.flash = Some(format!("no automatic remediation: {e}"));
                Vec::new()
            }
        }
    }

    /// The source answered who uses the groups of the plan under review.
    /// Answers for a plan no longer open (or groups it no longer reads)
    /// are dropped.
    pub(super) fn on_group_users(&mut self, users: Vec<(GroupKey, OtherUsers)>) {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_ref() else {
            return;
        };
        let book = &dialog.options.group_users;
        let awaited: Vec<(GroupKey, OtherUsers)> = users
            .into_iter()
            .filter(|((region, group), _)| book.get(region, group) == OtherUsers::Reading)
            .collect();
        if !awaited.is_empty() {
            self.set_group_users(awaited);
        }
    }

    /// Record what is known of groups' users in the open plan and show it.
    fn set_group_users(&mut self, users: impl IntoIterator<Item = (GroupKey, OtherUsers)>) {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return;
        };
        for ((region, group), known) in users {
            dialog.options.group_users.set(&region, &group, known);
        }
        if !dialog.options.group_users.reading() {
            dialog.error = None;
        }
        // The impact changed: it must be seen before Enter counts.
        self.replan();
    }

    /// A key on the plan under review.
    pub(super) fn on_plan_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Cancel => {
                self.dialog = None;
                self.flash = Some("cancelled: nothing was sent".into());
            }
            Action::Confirm if dialog.options.group_users.reading() => {
                dialog.error = Some(
                    "not yet: still reading who else uses the group — the plan runs once it shows everyone who loses access"
                        .into(),
                );
            }
            Action::Confirm => {
                if dialog.plan.confirmation_text().is_some() {
                    dialog.stage = PlanStage::TypeToConfirm {
                        typed: String::new(),
                    };
                    // A new prompt: keys count once it has been seen.
                    dialog.rearm();
                } else {
                    return self.start_plan();
                }
            }
            Action::ToggleApplyImmediately if dialog.plan.has_window_choice() => {
                dialog.options.apply_immediately = !dialog.options.apply_immediately;
                self.replan();
            }
            Action::ToggleDeleteOriginal if dialog.offers_delete_original() => {
                dialog.options.delete_original = !dialog.options.delete_original;
                self.replan();
            }
            Action::NarrowTo if dialog.plan.offers(PlanChoice::NarrowTo) => {
                let typed = dialog
                    .options
                    .narrow_to
                    .as_ref()
                    .map(|c| c.to_string())
                    .unwrap_or_default();
                dialog.stage = PlanStage::TypeCidr { typed };
                dialog.error = None;
            }
            Action::Down => dialog.scroll = dialog.scroll.saturating_add(1),
            Action::Up => dialog.scroll = dialog.scroll.saturating_sub(1),
            _ => {}
        }
        Vec::new()
    }

    /// Rebuild the plan after an option changed, so it shows what will be sent.
    pub(super) fn replan(&mut self) {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return;
        };
        match plan_for_all(
            &self.fleet,
            &self.rules,
            &dialog.findings,
            dialog.options.clone(),
        ) {
            Ok(plan) => dialog.plan = plan,
            Err(e) => dialog.error = Some(e.to_string()),
        }
        // What Enter would run changed: it must be seen before it is run.
        dialog.rearm();
        self.layout_plan(true);
    }

    pub(super) fn start_plan(&mut self) -> Vec<Effect> {
        let Some(Dialog::Plan(dialog)) = self.dialog.take() else {
            return Vec::new();
        };
        let id = self.next_plan_id;
        self.next_plan_id += 1;
        let plan = dialog.plan;
        self.activities.push(Activity {
            id,
            plan: plan.clone(),
            steps: vec![StepState::Pending; plan.steps.len()],
            finished: None,
        });
        // Keep only the latest few finished plans on screen.
        while self.activities.len() > 3 {
            match self.activities.iter().position(|a| a.finished.is_some()) {
                Some(old) => {
                    self.activities.remove(old);
                }
                None => break,
            }
        }
        self.marked.clear();
        self.flash = Some(format!("running: {}", plan.title()));
        self.keep_selection_visible();
        vec![Effect::RunPlan { id, plan }]
    }

    pub(super) fn on_progress(&mut self, id: usize, progress: Progress) {
        let Some(activity) = self.activities.iter_mut().find(|a| a.id == id) else {
            return;
        };
        let set = |steps: &mut Vec<StepState>, i: usize, state: StepState| {
            if let Some(slot) = steps.get_mut(i) {
                *slot = state;
            }
        };
        match progress {
            Progress::StepStarted { step } => set(&mut activity.steps, step, StepState::Running),
            Progress::StepWaiting { step, status } => {
                set(&mut activity.steps, step, StepState::Waiting(status))
            }
            Progress::StepDone { step, done } => {
                set(&mut activity.steps, step, StepState::Done(done))
            }
            Progress::StepFailed { step, error } => {
                set(&mut activity.steps, step, StepState::Failed(error.clone()));
                let left = activity.steps.len().saturating_sub(step + 1);
                self.flash = Some(if left == 0 {
                    format!("plan stopped: {error}")
                } else {
                    format!("plan stopped: {error}; {left} later step(s) not sent")
                });
            }
            Progress::Refreshed { resource, fragment } => {
                self.fleet.merge_resource(&resource, *fragment);
                self.reevaluate();
            }
            Progress::Finished { ok } => {
                activity.finished = Some(ok);
                let total = activity.plan.findings.len();
                let still_open = activity
                    .plan
                    .findings
                    .iter()
                    .filter(|f| {
                        self.findings
                            .iter()
                            .any(|g| g.rule == f.rule && g.resource_ref() == f.resource_ref())
                    })
                    .count();
                if ok {
                    let pending = activity
                        .steps
                        .iter()
                        .any(|s| matches!(s, StepState::Done(d) if d.outcome.pending_window()));
                    // Encryption plans build a new resource beside the
                    // original, which keeps its finding until cut-over.
                    let created: Vec<String> = match activity.steps.last() {
                        Some(StepState::Done(d)) => d.outcome.creation().map(|r| r.id.clone()),
                        _ => None,
                    }
                    .into_iter()
                    .collect();
                    self.flash = Some(if still_open == 0 {
                        format!("✓ {}: {total} finding(s) resolved", activity.plan.title())
                    } else if !created.is_empty() {
                        format!(
                            "✓ created {}: the finding stays on the original until you cut over and retire it",
                            created.join(", ")
                        )
                    } else if pending {
                        format!(
                            "✓ {}: accepted; {still_open} finding(s) stay until the maintenance window",
                            activity.plan.title()
                        )
                    } else {
                        format!(
                            "✓ {}: done; {still_open} of {total} finding(s) still open",
                            activity.plan.title()
                        )
                    });
                }
            }
        }
    }
}
