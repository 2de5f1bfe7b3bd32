//! The help screen's text, generated once from the keymap table, so help,
//! footer hints and dispatch never disagree.

use std::sync::LazyLock;

use super::doc::{Doc, DocLine, Tone, raw, span};
use super::keymap::{BINDINGS, Context, keys_label};

/// Every binding by context, then the filter words and the legend.
pub fn lines() -> &'static [DocLine] {
    static LINES: LazyLock<Doc> = LazyLock::new(build);
    &LINES
}

fn entry(keys: &str, meaning: &str) -> DocLine {
    DocLine::new(vec![span(format!("  {keys:<14}"), Tone::Key), raw(meaning)])
}

fn build() -> Doc {
    let mut lines = Vec::new();
    for (context, title) in [
        (Context::Main, "Browsing"),
        (Context::Plan, "Remediation plan"),
        (Context::Viewer, "Help and describe"),
        (Context::Picker, "Region and profile pickers"),
        (Context::Filter, "Typing a filter"),
        (Context::Confirm, "Typing a confirmation"),
        (Context::Cidr, "Typing a CIDR to narrow to"),
    ] {
        lines.push(DocLine::styled(title, Tone::Header));
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            lines.push(entry(&keys_label(b), b.help));
        }
        lines.push(DocLine::blank());
    }
    lines.push(DocLine::styled(
        "Filter words (all must match)",
        Tone::Header,
    ));
    for (word, meaning) in [
        ("text", "any cell contains it"),
        (
            "sev:high",
            "worst severity is high (sev:high+ = high or worse, sev:ok = clean)",
        ),
        (
            "sev:unknown",
            "a rule could not judge it: an input was not loaded (marked ?)",
        ),
        ("region:eu", "region starts with eu"),
        ("rule:public", "has a finding whose rule contains public"),
        (
            "kind:cluster",
            "resource type or snapshot kind contains cluster",
        ),
        (
            "event:modify",
            "an event whose name contains modify (Events pane)",
        ),
        (
            "principal:alice",
            "an event whose caller's short name or ARN contains alice",
        ),
        ("ip:203.0.113.", "an event from an address starting so"),
        (
            "result:denied",
            "refused for want of permission; result:ok, result:error, or a code",
        ),
        ("!word", "negates any word"),
    ] {
        lines.push(entry(word, meaning));
    }
    lines.push(DocLine::styled(
        "  event words leave resources and findings whole; sev: and rule: leave events whole",
        Tone::Dim,
    ));
    lines.push(DocLine::blank());
    lines.push(DocLine::styled(
        "Mouse: click a row or a pane tab · click a column header to sort (again to reverse) · wheel scrolls",
        Tone::Dim));
    lines.push(DocLine::styled(
        "Severity: ◆ CRIT  ▲ HIGH  ● MED  ○ LOW  ✓ ok · * marks a row",
        Tone::Dim,
    ));
    lines
}
