//! The pieces the details pane is written in: `name value` fields that
//! wrap between each other, never inside one, yes/no flags coloured when
//! the value is the risk, and section titles.

use crate::tui::doc::{DocLine, Tone, raw};

/// Non-breaking space: wrapping may split between fields, never inside one.
pub const NBSP: &str = "\u{a0}";

pub fn field(name: &str, value: impl Into<String>) -> (Tone, String) {
    let value = value.into().replace(' ', NBSP);
    raw(format!("{name}{NBSP}{value}   "))
}

pub fn flag(name: &str, value: bool, risky_when: bool) -> (Tone, String) {
    let text = format!("{name}{NBSP}{}   ", if value { "yes" } else { "no" });
    let tone = if value == risky_when {
        Tone::Bad
    } else {
        Tone::Plain
    };
    (tone, text)
}

pub fn section(title: &str) -> DocLine {
    DocLine::styled(title, Tone::Header)
}
