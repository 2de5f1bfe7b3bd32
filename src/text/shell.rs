//! Quoting for the shell: every value rdsight places in a generated `aws`
//! command line (the `plan` script, the plan dialog's copyable line) goes
//! through [`quote`], so an id from a saved fleet is always exactly one
//! argument, whatever it holds.

use std::borrow::Cow;

use super::is_unsafe;

/// Characters no POSIX shell gives a meaning to inside a word. A word made
/// only of these (and not empty) is left bare for readability; anything
/// else — a space, a quote, `$`, a backtick, `~`, `*`, non-ASCII — is quoted.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+' | '%')
}

/// `value` as one shell word that expands to exactly `value`.
///
/// Plain words stay bare; others are single-quoted, an embedded `'`
/// written `'\''`. A value holding a character a terminal acts on (an
/// escape, a bidi control) is written in bash's `$'…'` form with those
/// characters as `\xHH` bytes instead: the script then holds no raw
/// control character, so `cat` shows every line and the copied line is
/// the line that runs. A leading `-` is not the shell's business: see
/// [`option`].
pub fn quote(value: &str) -> Cow<'_, str> {
    if !value.is_empty() && value.chars().all(is_plain) {
        return Cow::Borrowed(value);
    }
    if value.chars().any(is_unsafe) {
        return Cow::Owned(ansi_c(value));
    }
    Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
}

fn ansi_c(value: &str) -> String {
    let mut out = String::from("$'");
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\'' => out.push_str(r"\'"),
            c if is_unsafe(c) => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("\\x{byte:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `--name value`, the value quoted. A value starting with `-` is joined
/// as `--name=value`: quoting keeps it one word, but only the `=` form
/// stops the `aws` CLI reading it as an option of its own.
pub fn option(name: &str, value: &str) -> String {
    if value.starts_with('-') {
        format!("--{name}={}", quote(value))
    } else {
        format!("--{name} {}", quote(value))
    }
}

/// The words of a line rdsight rendered, split at spaces outside quotes:
/// for wrapping a command without breaking a quoted value apart.
pub fn words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some('$') | None, '\\') => escaped = true,
            (Some(_), '\'') => quote = None,
            (Some(_), _) => {}
            (None, '$') if chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
                quote = Some('$');
            }
            (None, '\'') => quote = Some('\''),
            (None, ' ') => {
                if i > start {
                    words.push(&line[start..i]);
                }
                start = i + 1;
            }
            (None, _) => {}
        }
    }
    if start < line.len() {
        words.push(&line[start..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare_and_everything_else_is_quoted() {
        assert_eq!(quote("orders-prod"), "orders-prod");
        assert_eq!(
            quote("arn:aws:kms:us-east-1:1:key/a-b"),
            "arn:aws:kms:us-east-1:1:key/a-b"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("$(touch /tmp/x)"), "'$(touch /tmp/x)'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("~root"), "'~root'");
        assert_eq!(quote("日本"), "'日本'");
    }

    #[test]
    fn controls_are_written_as_bytes_never_raw() {
        assert_eq!(quote("a\u{1b}]0;x\u{7}"), r"$'a\x1b]0;x\x07'");
        assert_eq!(quote("a\u{202e}'\\"), r"$'a\xe2\x80\xae\'\\'");
        assert_eq!(quote("l1\nl2"), r"$'l1\x0al2'");
    }

    #[test]
    fn values_starting_with_a_dash_are_joined_to_their_option() {
        assert_eq!(
            option("db-instance-identifier", "db"),
            "--db-instance-identifier db"
        );
        assert_eq!(
            option("db-instance-identifier", "-x --publicly-accessible"),
            "--db-instance-identifier='-x --publicly-accessible'"
        );
        assert_eq!(option("n", "-1"), "--n=-1");
    }

    #[test]
    fn words_keep_quoted_values_whole() {
        let line = r"aws rds x --a 'p q' --b=$'c\' d' --c 'e'\''f g' h";
        assert_eq!(
            words(line),
            vec![
                "aws",
                "rds",
                "x",
                "--a",
                "'p q'",
                r"--b=$'c\' d'",
                "--c",
                r"'e'\''f g'",
                "h"
            ]
        );
    }
}
