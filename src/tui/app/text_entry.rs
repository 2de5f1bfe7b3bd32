//! Typing text: the `/` filter, the resource id that confirms an outage
//! or destructive plan, and the CIDR a broad world rule is narrowed to.
//! Keys arrive as actions from the keymap (`Context::Filter`,
//! `Context::Confirm`, `Context::Cidr`) like every other key; a paste
//! arrives whole, as text for the prompt that has focus.

use super::*;

/// The most characters one paste adds; the rest of a longer paste is
/// dropped (and the flash says so).
pub const MAX_PASTE: usize = 4096;

/// Characters that draw nothing but can reorder or hide what is drawn
/// (bidi controls, zero-width characters): dropped from pasted text.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Pasted text as text to type: control characters (newlines, tabs,
/// escapes) never act as keys. Each run of them becomes `separator` when
/// there is one (in the filter a line break separates words), or is
/// dropped. The second value says whether the paste was cut at
/// `MAX_PASTE`.
fn pasted_text(text: &str, separator: Option<char>) -> (String, bool) {
    let mut out = String::with_capacity(text.len().min(MAX_PASTE));
    let mut in_run = false;
    for (n, c) in text.chars().enumerate() {
        if n == MAX_PASTE {
            return (out, true);
        }
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            if let Some(separator) = separator.filter(|_| !in_run) {
                out.push(separator);
            }
            in_run = true;
        } else if !invisible(c) {
            out.push(c);
            in_run = false;
        }
    }
    (out, false)
}

const PASTE_IGNORED: &str = "paste ignored: no text field has focus";

fn cut_notice(what: &str) -> String {
    format!("the paste was cut to its first {MAX_PASTE} characters ({what})")
}

impl App {
    /// Pasted text goes to the prompt that has focus, as one change;
    /// with no prompt focused it does nothing, and says so.
    pub(super) fn on_paste(&mut self, text: &str) {
        if self.too_small() {
            return;
        }
        match self.key_context() {
            Context::Filter => self.paste_into_filter(text),
            Context::Confirm | Context::Cidr => self.paste_into_prompt(text),
            Context::Main => {
                self.flash = Some(format!(
                    "{PASTE_IGNORED} (press {} to filter)",
                    keymap::first_key(Context::Main, Action::StartFilter)
                ));
            }
            Context::Plan | Context::Picker | Context::Viewer => {
                self.flash = Some(PASTE_IGNORED.into());
            }
        }
    }

    /// The paste joins the filter being typed, line breaks as spaces (so
    /// they separate words and never end the filter); the filter is parsed
    /// and applied once for the whole paste.
    fn paste_into_filter(&mut self, text: &str) {
        let (text, cut) = pasted_text(text, Some(' '));
        let Some(input) = self.filter_input.as_mut() else {
            return;
        };
        input.push_str(&text);
        self.apply_filter_input();
        if cut {
            self.flash = Some(cut_notice("filter"));
        }
    }

    /// The paste is typed into the confirmation or the CIDR; line breaks
    /// are dropped and so is space around it, so a copied id matches —
    /// and nothing but Enter, pressed afterwards, confirms the id or puts
    /// the CIDR in the plan (which runs nothing).
    fn paste_into_prompt(&mut self, text: &str) {
        let (text, cut) = pasted_text(text, None);
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return;
        };
        let (typed, what) = match &mut dialog.stage {
            PlanStage::TypeToConfirm { typed } => (typed, "confirmation"),
            PlanStage::TypeCidr { typed } => (typed, "CIDR"),
            PlanStage::Review => return,
        };
        typed.push_str(text.trim());
        dialog.error = cut.then(|| cut_notice(what));
    }

    /// Typing the CIDR to narrow to: Enter checks it and, if it is a
    /// CIDR that is not the world, rebuilds the plan with it (to be
    /// read before it can be confirmed); a refusal says why and keeps
    /// the text for correction.
    pub(super) fn on_cidr_action(&mut self, action: Action) {
        let Some(Dialog::Plan(dialog)) = self.dialog.as_mut() else {
            return;
        };
        let PlanStage::TypeCidr { typed } = &mut dialog.stage else {
            return;
        };
        match action {
            Action::Cancel => {
                dialog.stage = PlanStage::Review;
                dialog.error = None;
                dialog.rearm();
            }
            Action::DeleteBack => {
                typed.pop();
                dialog.error = None;
            }
            Action::Insert(c) => {
                typed.push(c);
                dialog.error = None;
            }
            Action::Confirm => {
                let narrow_to = if typed.trim().is_empty() {
                    None
                } else {
                    match Cidr::parse(typed) {
                        Ok(cidr) => Some(cidr),
                        Err(why) => {
                            dialog.error = Some(format!("refused: {why}"));
                            return;
                        }
                    }
                };
                dialog.options.narrow_to = narrow_to;
                dialog.stage = PlanStage::Review;
                dialog.error = None;
                self.replan();
            }
            _ => {}
        }
    }

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
            Action::Cancel => {
                dialog.stage = PlanStage::Review;
                dialog.rearm();
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_control_characters_never_act() {
        let folded = |text: &str| pasted_text(text, Some(' ')).0;
        assert_eq!(folded("sev:critical\nfy"), "sev:critical fy");
        assert_eq!(folded("a\r\n\tb\x1b[31mc\x7f"), "a b [31mc ");
        assert_eq!(folded("orders\u{202e}-db\u{200b}"), "orders-db");
        assert_eq!(pasted_text("orders-db\r\n", None).0, "orders-db");
        let long = "x".repeat(MAX_PASTE + 10);
        let (text, cut) = pasted_text(&long, None);
        assert!(cut);
        assert_eq!(text.len(), MAX_PASTE);
        assert!(!pasted_text("short", None).1);
    }
}
