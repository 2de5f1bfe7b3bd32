//! Text on its way out: to a terminal (`sanitize`, and the width-aware
//! `fit`/`truncate` the table report and the dashboard draw with) and to a
//! shell (`shell`).
//!
//! Widths are measured per grapheme, as ratatui lays out cells: a cut never
//! splits a flag, an emoji sequence or a letter from its accent, and what
//! we measure is what the terminal draws.

mod sanitize;
pub mod shell;

pub use sanitize::{is_unsafe, sanitize, sanitize_buffer, sanitize_line};

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// `--color always|never`, once set: it outranks `NO_COLOR`.
static COLOR_CHOSEN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Record `--color always` (`true`) or `--color never` (`false`).
pub fn choose_color(on: bool) {
    let _ = COLOR_CHOSEN.set(on);
}

/// Colour is allowed as `--color` says, else unless `NO_COLOR` is set to
/// anything non-empty (no-color.org); the table report and the dashboard
/// both ask here.
pub fn color_allowed() -> bool {
    match COLOR_CHOSEN.get() {
        Some(chosen) => *chosen,
        None => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// `text` in lines of at most `columns` columns, broken at spaces (a word
/// longer than a line gets a line of its own); as is when `columns` is 0.
pub fn wrap_words(text: &str, columns: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && columns > 0 && width(&line) + 1 + width(word) > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// Columns `text` takes on a terminal, grapheme by grapheme. Only for text
/// already sanitised: control characters have no width of their own.
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// `text` made safe for a terminal and cut to at most `width` columns,
/// ending in `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    let text = sanitize(text);
    if self::width(&text) <= width {
        return text.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for grapheme in text.graphemes(true) {
        let w = grapheme.width();
        if used + w > width - 1 {
            break;
        }
        out.push_str(grapheme);
        used += w;
    }
    out.push('…');
    out
}

/// `text` made safe for a terminal, cut or padded with spaces to exactly
/// `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let pad = width.saturating_sub(self::width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("orders-prod", 20), "orders-prod");
        assert_eq!(truncate("orders-prod", 6), "order…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn fit_pads_to_exact_width() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(width(&fit("日本", 5)), 5);
    }

    #[test]
    fn cuts_never_split_a_grapheme() {
        // e + combining acute, then a flag (two regional indicators).
        let text = "cafe\u{301}-🇫🇷-prod";
        assert_eq!(width(text), 12);
        assert_eq!(truncate(text, 5), "cafe\u{301}…");
        assert_eq!(truncate(text, 8), "cafe\u{301}-🇫🇷…");
        assert!(!truncate(text, 7).contains('\u{1F1EB}'));
    }

    #[test]
    fn fitted_cells_are_sanitised_and_keep_their_width() {
        let cell = fit("db\u{1b}[2J", 12);
        assert_eq!(cell, "db\\u{1b}[2J ");
        assert_eq!(width(&cell), 12);
        assert_eq!(truncate("a\u{202e}b", 3), "a\\…");
    }
}
