//! The one sanitiser for text that reaches a terminal.
//!
//! Ids, tags, reasons and error messages come from AWS or from a file
//! someone else wrote. A terminal acts on some characters instead of
//! showing them: `ESC ]0;…` retitles the window, `ESC [2J` clears the
//! screen, a carriage return overwrites the line, and bidi controls
//! reorder what is shown (an id can read as another). Every such
//! character is shown as its Rust escape, `\u{1b}`, so nothing is hidden
//! and nothing acts; line breaks and tabs fold to one space, so one record
//! stays one line.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::text::Line;

/// Would a terminal act on `c` rather than draw it? C0 controls, DEL, C1
/// controls (`char::is_control`) and the bidi embedding, override,
/// isolate and mark characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that end or split a line: folded to a space, not escaped,
/// so multi-line error text still reads as text.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` as a terminal may show it: unsafe characters escaped (`\u{1b}`),
/// each run of line breaks and tabs one space. Clean text is borrowed, so
/// the check costs nothing on the common path.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) || is_line_break(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut folding = false;
    for c in text.chars() {
        if is_line_break(c) {
            if !folding {
                out.push(' ');
            }
            folding = true;
            continue;
        }
        folding = false;
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Every span of `line` sanitised, styles kept: for the dashboard's lines
/// that mix fixed labels with fleet text.
pub fn sanitize_line(mut line: Line<'_>) -> Line<'_> {
    for span in &mut line.spans {
        let clean = match sanitize(&span.content) {
            Cow::Owned(clean) => Some(clean),
            Cow::Borrowed(_) => None,
        };
        if let Some(clean) = clean {
            span.content = Cow::Owned(clean);
        }
    }
    line
}

/// The dashboard's backstop, run on every frame after drawing: a cell that
/// still holds an unsafe character (text drawn by a path that forgot to
/// sanitise) becomes `�`. One column, so the layout holds; the readable
/// escape is the drawing code's job, this only guarantees nothing acts.
pub fn sanitize_buffer(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(is_unsafe) {
            cell.set_symbol("\u{FFFD}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert_eq!(sanitize("db\u{1b}]0;pwned\u{7}"), "db\\u{1b}]0;pwned\\u{7}");
        assert_eq!(sanitize("\u{1b}[2Jx"), "\\u{1b}[2Jx");
        assert_eq!(sanitize("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(sanitize("a\u{7f}"), "a\\u{7f}");
        assert_eq!(sanitize("abc\u{202e}fed"), "abc\\u{202e}fed");
        for bidi in [
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}',
        ] {
            assert!(!sanitize(&format!("x{bidi}y")).contains(bidi), "{bidi:?}");
        }
    }

    #[test]
    fn folds_line_breaks_and_leaves_clean_text_borrowed() {
        assert_eq!(sanitize("one\r\ntwo\n\nthree\tfour"), "one two three four");
        assert_eq!(sanitize("up\u{2028}down"), "up down");
        assert!(matches!(sanitize("orders-prod 日本 é"), Cow::Borrowed(_)));
    }

    #[test]
    fn sanitised_text_has_nothing_a_terminal_acts_on() {
        let hostile = "\u{1b}]0;t\u{7}\u{1b}[2J\u{9b}\u{85}\r\u{202e}\u{2067}\u{0}";
        assert!(
            !sanitize(hostile)
                .chars()
                .any(|c| is_unsafe(c) || is_line_break(c))
        );
    }

    #[test]
    fn the_backstop_blanks_cells_holding_controls() {
        use ratatui::layout::Rect;
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer.content[1].set_symbol("\u{1b}");
        buffer.content[2].set_symbol("\u{202e}");
        sanitize_buffer(&mut buffer);
        assert_eq!(buffer.content[0].symbol(), " ");
        assert_eq!(buffer.content[1].symbol(), "\u{FFFD}");
        assert_eq!(buffer.content[2].symbol(), "\u{FFFD}");
    }
}
