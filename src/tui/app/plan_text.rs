//! The plan dialog's body as text: each step exactly as it will be sent,
//! its CLI twin, impact, reversibility and caveats. Built when the plan or
//! the width changes (see `PlanDialog::layout_body`), drawn as is.

use unicode_width::UnicodeWidthStr;

use crate::remediation::PlanOptions;
use crate::remediation::{Caveat, Plan, PlanChoice};
use crate::rules::Finding;
use crate::tui::action::Action;
use crate::tui::columns::finding_mark;
use crate::tui::doc::{Doc, DocLine, Tone, raw, span};
use crate::tui::keymap::{self, Context};

fn checkbox(on: bool) -> &'static str {
    if on { "[x]" } else { "[ ]" }
}

/// Break a shell command at spaces into lines of at most `width` columns,
/// with ` \` continuations and an indent, so it stays copy-pasteable.
pub fn shell_wrap(command: &str, width: usize) -> Vec<String> {
    const FIRST: &str = "  $ ";
    const NEXT: &str = "      ";
    let mut lines = Vec::new();
    let mut current = FIRST.to_string();
    // Split outside quotes only: a wrapped line must paste as the same command.
    for word in crate::text::shell::words(command) {
        let fresh = current == FIRST || current == NEXT;
        if !fresh && current.width() + 1 + word.width() + 2 > width {
            current.push_str(" \\");
            lines.push(std::mem::replace(&mut current, NEXT.to_string()));
        }
        if !(current == FIRST || current == NEXT) {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

/// What the plan dialog lays out: the plan, the options it was built
/// with, and the findings it leaves out.
pub struct PlanParts<'a> {
    pub plan: &'a Plan,
    pub options: &'a PlanOptions,
    pub left_out: &'a [Finding],
}

/// The whole body of the dialog for `width` columns.
pub fn body(dialog: &PlanParts<'_>, width: u16) -> Doc {
    let plan = dialog.plan;
    let mut lines = summary(plan);
    steps(plan, width as usize, &mut lines);
    lines.push(DocLine::blank());
    let mut prose = Vec::new();
    options(dialog, &mut prose);
    // Wrapped here at word boundaries, so every line fits the width and
    // the scroll height counted from them is the height drawn: the last
    // line can always be scrolled into view.
    for line in prose {
        lines.extend(wrapped(line, usize::from(width)));
    }
    lines
}

/// `line` as lines of at most `width` columns, each keeping its tone.
fn wrapped(line: DocLine, width: usize) -> Vec<DocLine> {
    if line.width() <= width || line.spans.len() != 1 {
        return vec![line];
    }
    let Some((tone, text)) = line.spans.into_iter().next() else {
        return Vec::new();
    };
    crate::text::wrap_words(&text, width)
        .into_iter()
        .map(|part| DocLine::styled(part, tone))
        .collect()
}

/// Impact, step count and the findings the plan fixes.
fn summary(plan: &Plan) -> Doc {
    let impact = plan.impact();
    let mut lines = vec![DocLine::new(vec![
        raw("Impact: "),
        span(impact.label(), Tone::Impact(impact)),
        raw(format!(
            " · {} step(s) · nothing is sent until you confirm",
            plan.steps.len()
        )),
    ])];
    for f in &plan.findings {
        let (tone, mark) = finding_mark(f);
        lines.push(DocLine::new(vec![
            span(format!("  {mark}"), tone),
            raw(format!(
                "{} · {} {} ({})",
                f.rule, f.resource_type, f.resource_id, f.region
            )),
        ]));
    }
    lines
}

/// Every step: API, parameters, CLI line and how to undo it.
fn steps(plan: &Plan, width: usize, lines: &mut Doc) {
    let dim = |text: String| DocLine::styled(text, Tone::Dim);
    for (n, planned) in plan.steps.iter().enumerate() {
        let step = &planned.step;
        lines.push(DocLine::blank());
        lines.push(DocLine::new(vec![
            span(format!("Step {} ", n + 1), Tone::Header),
            span(step.api(), Tone::Key),
            raw(format!("  region {}  ", step.region())),
            span(format!("[{}]", step.impact()), Tone::Impact(step.impact())),
        ]));
        lines.push(dim(format!("  {}", planned.purpose)));
        for param in step.parameters() {
            let value = param.value.shown();
            lines.push(DocLine::plain(format!("    {} = {value}", param.name)));
        }
        lines.extend(shell_wrap(&step.cli(), width).into_iter().map(dim));
        match step.undo() {
            Some(undo) => {
                lines.push(dim("  reversible with:".into()));
                lines.extend(shell_wrap(&undo.cli(), width).into_iter().map(dim));
            }
            None => lines.push(dim(format!("  {}", step.reversibility()))),
        }
    }
}

/// A caveat as the dialog says it: one that a choice would change names
/// the key that makes that choice.
fn caveat_text(caveat: &Caveat) -> String {
    let (action, does) = match caveat {
        Caveat::Unless {
            choice: PlanChoice::DeleteOriginal,
            ..
        } => (Action::ToggleDeleteOriginal, "also deletes it"),
        Caveat::Unless {
            choice: PlanChoice::ApplyImmediately,
            ..
        } => (Action::ToggleApplyImmediately, "applies it now"),
        Caveat::Unless {
            choice: PlanChoice::NarrowTo,
            ..
        } => (
            Action::NarrowTo,
            "keeps the DB port open to a CIDR you type instead",
        ),
        other => return other.to_string(),
    };
    let key = keymap::first_key(Context::Plan, action);
    format!("{caveat} ({key} {does})")
}

/// The options that can be toggled, caveats, and what the plan leaves out.
fn options(dialog: &PlanParts<'_>, lines: &mut Doc) {
    let plan = dialog.plan;
    let key = |action| keymap::first_key(Context::Plan, action);
    if plan.offers(PlanChoice::ApplyImmediately) {
        let on = dialog.options.apply_immediately;
        lines.push(DocLine::plain(format!(
            "{} apply immediately ({}) — {}",
            checkbox(on),
            key(Action::ToggleApplyImmediately),
            if on {
                "applies now"
            } else {
                "held for the next maintenance window"
            }
        )));
    }
    if plan.offers(PlanChoice::DeleteOriginal) {
        lines.push(DocLine::plain(format!(
            "{} also delete the unencrypted original ({}) — destructive, needs its id typed",
            checkbox(dialog.options.delete_original),
            key(Action::ToggleDeleteOriginal),
        )));
    }
    if plan.offers(PlanChoice::NarrowTo) {
        let key = key(Action::NarrowTo);
        lines.push(DocLine::plain(match &dialog.options.narrow_to {
            Some(cidr) => format!(
                "[x] narrow to {cidr} ({key}) — after the revoke, the DB port opens to {cidr} alone"
            ),
            None => format!(
                "[ ] narrow ({key}) — after the revoke, open the DB port to a CIDR you type"
            ),
        }));
    }
    for caveat in &plan.caveats {
        if let Some((head, users)) = caveat.listing() {
            lines.push(DocLine::styled(format!("⚠ {head}"), Tone::Warn));
            lines.extend(users.iter().map(|u| DocLine::plain(format!("    · {u}"))));
            continue;
        }
        // What a copy carries is information, not a warning.
        let (mark, tone) = match caveat {
            Caveat::Carried { .. } => ("✓", Tone::Dim),
            _ => ("⚠", Tone::Warn),
        };
        lines.push(DocLine::styled(
            format!("{mark} {}", caveat_text(caveat)),
            tone,
        ));
    }
    if !dialog.left_out.is_empty() {
        let names: Vec<String> = dialog
            .left_out
            .iter()
            .map(|f| format!("{} on {}", f.rule, f.resource_id))
            .collect();
        lines.push(DocLine::styled(
            format!(
                "not in this plan (no automatic remediation; see the details pane): {}",
                names.join(", ")
            ),
            Tone::Dim,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::shell_wrap;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn shell_wrap_keeps_every_word_and_the_width() {
        let command = "aws rds modify-db-instance --region us-east-1 --db-instance-identifier internal-tools-postgres --backup-retention-period 7 --no-apply-immediately";
        let lines = shell_wrap(command, 50);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width() <= 50), "{lines:?}");
        assert!(lines[..lines.len() - 1].iter().all(|l| l.ends_with(" \\")));
        let rejoined: Vec<&str> = lines
            .iter()
            .map(|l| {
                l.trim_start_matches("  $ ")
                    .trim()
                    .trim_end_matches('\\')
                    .trim()
            })
            .collect();
        assert_eq!(rejoined.join(" "), command);
    }
}
