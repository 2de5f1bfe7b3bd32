//! Typing text: the `/` filter and the resource id that confirms an
//! outage or destructive plan. Keys arrive as actions from the keymap
//! (`Context::Filter`, `Context::Confirm`) like every other key.

use super::*;

impl App {
    pub(super) fn on_filter_action(&mut self, action: Action) {
        let Some(input) = self.filter_input.as_mut() else {
            return;
        };
        match action {
            Action::Confirm => self.filter_input = None,
            Action::Cancel => {
                // Abandon the edit: back to the filter in force before `/`.
                self.filter_input = None;
                self.filter = std::mem::take(&mut self.filter_before);
                self.rebuild_rows();
            }
            Action::DeleteBack => {
                input.pop();
                self.apply_filter_input();
            }
            Action::Insert(c) => {
                input.push(c);
                self.apply_filter_input();
            }
            _ => {}
        }
    }

    /// Filter as the user types, so the panes narrow live.
    fn apply_filter_input(&mut self) {
        if let Some(text) = &self.filter_input {
            self.filter = Filter::parse(text);
            self.panes.iter_mut().for_each(PaneView::rewind);
            self.rebuild_rows();
        }
    }

    /// Typing the id that confirms a plan: Enter runs it when it matches.
    pub(super) fn on_confirm_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return Vec::new();
        };
        let PlanStage::TypeToConfirm { typed } = &mut dialog.stage else {
            return Vec::new();
        };
        match action {
            Action::Cancel => dialog.stage = PlanStage::Review,
            Action::DeleteBack => {
                typed.pop();
            }
            Action::Confirm => {
                let expected = dialog.plan.confirmation_text().unwrap_or_default();
                if *typed == expected {
                    return self.start_plan();
                }
                dialog.error = Some(format!("typed text does not match `{expected}`"));
            }
            Action::Insert(c) => {
                typed.push(c);
                dialog.error = None;
            }
            _ => {}
        }
        Vec::new()
    }
}
