//! Pretty JSON that is safe to print on a terminal.
//!
//! serde_json escapes the C0 controls, but writes DEL, the C1 controls
//! (U+0080–U+009F, which some terminals read as `ESC [` and the like) and
//! the bidi controls as raw UTF-8. `scan --format json` is often read on a
//! terminal, so this formatter writes those as `\uXXXX` too: the text is
//! still JSON and parses to exactly the same strings.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};

use crate::text::is_unsafe;

/// `value` as pretty JSON into `out`, with every terminal control escaped.
pub fn write_pretty(out: &mut impl Write, value: &impl Serialize) -> serde_json::Result<()> {
    let mut serializer = Serializer::with_formatter(out, SafeFormatter::default());
    value.serialize(&mut serializer)
}

/// `value` as pretty JSON text, with every terminal control escaped.
pub fn to_string_pretty(value: &impl Serialize) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write_pretty(&mut out, value)?;
    // The formatter writes only UTF-8 (escapes are ASCII).
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `PrettyFormatter`, escaping what serde_json leaves raw.
#[derive(Default)]
struct SafeFormatter {
    pretty: PrettyFormatter<'static>,
}

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every unsafe character is in the BMP: one \u escape.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_json_parses_back_the_same() {
        let value = serde_json::json!({
            "id": "db\u{1b}]0;x\u{7}\u{9b}2J\u{7f}\u{202e}日本",
            "list": ["a", "b"],
        });
        let text = to_string_pretty(&value).unwrap();
        assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text}");
        assert!(
            text.contains(r"db\u001b]0;x\u0007\u009b2J\u007f\u202e日本"),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        // Clean text is laid out exactly as serde_json's pretty printer does.
        let clean = serde_json::json!({"id": "db", "list": ["a", "b"], "n": {}});
        assert_eq!(
            to_string_pretty(&clean).unwrap(),
            serde_json::to_string_pretty(&clean).unwrap()
        );
    }
}
