//! The state of the popups: the remediation plan, the pickers, help and
//! describe. `tui::dialogs` draws them; this is what they are.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::plan_text;
use crate::remediation::{Impact, Plan, PlanChoice, PlanOptions};
use crate::rules::Finding;
use crate::tui::action::Action;
use crate::tui::doc::{Doc, DocLine, Tone, raw, span};
use crate::tui::keymap::{self, Context};

#[derive(Debug, Clone)]
pub enum Dialog {
    Help {
        scroll: u16,
    },
    Describe {
        title: String,
        text: String,
        scroll: u16,
    },
    /// Boxed: a plan and its options dwarf the other dialogs.
    Plan(Box<PlanDialog>),
    Picker(PickerDialog),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanStage {
    /// Reading the plan; options can be toggled.
    Review,
    /// An outage or destructive step: the resource id must be typed.
    TypeToConfirm { typed: String },
    /// Typing the CIDR a broad world rule is narrowed to. Enter only
    /// changes the plan (which must then be seen again); it runs nothing.
    TypeCidr { typed: String },
}

/// A plan dialog takes keys only from this long after the plan (as it now
/// stands) was first drawn: keys typed ahead, queued before it appeared,
/// never confirm it.
pub const CONFIRM_GUARD: Duration = Duration::from_millis(300);

#[derive(Debug, Clone)]
pub struct PlanDialog {
    pub findings: Vec<Finding>,
    /// Findings of the chosen resources that have no automatic plan.
    pub left_out: Vec<Finding>,
    pub options: PlanOptions,
    pub plan: Plan,
    pub stage: PlanStage,
    pub scroll: u16,
    pub error: Option<String>,
    /// The plan as it is shown, laid out to `body_width`: rebuilt when
    /// the plan, an option or the screen width changes, never per frame.
    pub body: Doc,
    body_width: u16,
    /// When the plan and prompt as they now stand were first drawn; `None`
    /// until then. Reset whenever what a confirmation would do changes
    /// (an option, the typed-confirmation stage).
    drawn_at: Option<Instant>,
}

impl PlanDialog {
    pub fn new(
        findings: Vec<Finding>,
        left_out: Vec<Finding>,
        options: PlanOptions,
        plan: Plan,
    ) -> Self {
        Self {
            findings,
            left_out,
            options,
            plan,
            stage: PlanStage::Review,
            scroll: 0,
            error: None,
            body: Doc::new(),
            body_width: 0,
            drawn_at: None,
        }
    }

    /// The plan or its prompt changed: keys count again only once the
    /// change has been on screen for `CONFIRM_GUARD`.
    pub fn rearm(&mut self) {
        self.drawn_at = None;
    }

    /// A frame showing the dialog went out at `at`.
    pub fn drawn(&mut self, at: Instant) {
        self.drawn_at.get_or_insert(at);
    }

    /// Whether a key that arrived at `at` was pressed with the dialog, as
    /// it stands, in view long enough to have been read — not queued
    /// before it appeared.
    pub fn takes_key_at(&self, at: Instant) -> bool {
        self.drawn_at
            .and_then(|drawn| at.checked_duration_since(drawn))
            .is_some_and(|shown| shown >= CONFIRM_GUARD)
    }

    /// Only unencrypted DB snapshots offer deleting the original.
    pub fn offers_delete_original(&self) -> bool {
        self.plan.offers(PlanChoice::DeleteOriginal)
    }

    /// Lay the plan out again for `width` columns (after the plan or an
    /// option changed, `force`, or when the width did).
    pub fn layout_body(&mut self, width: u16, force: bool) {
        if force || width != self.body_width {
            let parts = plan_text::PlanParts {
                plan: &self.plan,
                options: &self.options,
                left_out: &self.left_out,
            };
            self.body = plan_text::body(&parts, width);
            self.body_width = width;
        }
    }

    /// The confirmation prompt at the bottom of the dialog, always visible.
    pub fn prompt(&self) -> Doc {
        let mut prompt = Vec::new();
        if let Some(error) = &self.error {
            // Wrapped here: the prompt is drawn line for line, and a
            // refusal cut at the border would hide why.
            let lines = crate::text::wrap_words(error, usize::from(self.body_width));
            prompt.extend(lines.into_iter().map(|l| DocLine::styled(l, Tone::Bad)));
        }
        match &self.stage {
            PlanStage::Review if self.options.group_users.reading() => {
                prompt.extend(reading_prompt());
            }
            PlanStage::Review => {
                let typed = self.plan.confirmation_text().is_some();
                let keys = |action| keymap::first_key(Context::Plan, action);
                prompt.push(DocLine::new(vec![
                    span(
                        format!(" {} ", keymap::keys_for(Context::Plan, Action::Confirm)),
                        Tone::Key,
                    ),
                    raw(if typed {
                        "continue to typed confirmation"
                    } else {
                        "confirm and run"
                    }),
                    span(
                        format!("  {} ", keymap::keys_for(Context::Plan, Action::Cancel)),
                        Tone::Key,
                    ),
                    raw("cancel"),
                    span(
                        format!("  {}/{} ", keys(Action::Down), keys(Action::Up)),
                        Tone::Key,
                    ),
                    raw("scroll"),
                ]));
            }
            PlanStage::TypeToConfirm { typed } => {
                let expected = self.plan.confirmation_text().unwrap_or_default();
                let kind = match self.plan.impact() {
                    Impact::Outage => "an outage",
                    _ => "a destructive",
                };
                prompt.push(DocLine::styled(
                    format!("This plan has {kind} step. To run it, type:"),
                    Tone::Bad,
                ));
                prompt.push(DocLine::styled(format!("   {expected}"), Tone::Key));
                prompt.push(DocLine::new(vec![
                    span(" > ", Tone::Key),
                    raw(format!("{typed}▏")),
                ]));
            }
            PlanStage::TypeCidr { typed } => prompt.extend(cidr_prompt(typed)),
        }
        prompt
    }
}

/// While the group's users are read, the plan can only be cancelled.
fn reading_prompt() -> Doc {
    vec![
        DocLine::styled(
            "reading who else uses the group… the plan can run once it shows them",
            Tone::Warn,
        ),
        DocLine::new(vec![
            span(
                format!(" {} ", keymap::keys_for(Context::Plan, Action::Cancel)),
                Tone::Key,
            ),
            raw("cancel"),
        ]),
    ]
}

/// Typing the CIDR to narrow to: what it does, its keys, the text.
fn cidr_prompt(typed: &str) -> Doc {
    let key = |action| keymap::first_key(Context::Cidr, action);
    vec![
        DocLine::styled(
            "Narrow: the DB port opens to this CIDR alone (never the whole internet)",
            Tone::Header,
        ),
        DocLine::styled(
            format!(
                "{} puts it in the plan (empty: none) · {} back · nothing is sent",
                key(Action::Confirm),
                key(Action::Cancel)
            ),
            Tone::Dim,
        ),
        DocLine::new(vec![span(" CIDR > ", Tone::Key), raw(format!("{typed}▏"))]),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// Several regions can be chosen.
    Region,
    /// One profile.
    Profile,
}

#[derive(Debug, Clone)]
pub struct PickerDialog {
    pub kind: PickerKind,
    pub items: Vec<String>,
    pub chosen: BTreeSet<String>,
    pub cursor: usize,
    /// Still loading the list, or why it is short.
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use crate::text::wrap_words;

    #[test]
    fn wrap_words_keeps_every_word_within_the_width() {
        let text = "refused: 10.0.0.5/8 has host bits set: did you mean 10.0.0.0/8?";
        let lines = wrap_words(text, 24);
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap_words(text, 0), vec![text.to_string()]);
    }
}
