//! Tracing to a file, never to the screen: the TUI owns the terminal.
//! Enabled by `RDSIGHT_LOG` (an env-filter such as `info` or `rdsight=debug`).
//!
//! The log is owner-only like the audit log, and keeps credentials out: the
//! SDK's request signing is never logged, and anything shaped like an AWS
//! access key id is masked before it reaches the file.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// Where rdsight keeps its log and audit log (`paths::state_dir`).
pub fn state_dir() -> PathBuf {
    crate::paths::state_dir()
}

pub fn log_path() -> PathBuf {
    state_dir().join("rdsight.log")
}

/// Targets that log signed requests or credential material at trace level,
/// silenced whatever `RDSIGHT_LOG` asks for.
const SILENCED: &str = "aws_sigv4=off,aws_credential_types=off";

/// Start file logging when `RDSIGHT_LOG` is set. Failing to open the log is
/// not worth stopping for; it is reported once on stderr.
pub fn init() {
    let Ok(filter) = std::env::var("RDSIGHT_LOG") else {
        return;
    };
    let path = log_path();
    match crate::private_file::open_append(&path) {
        Ok(file) => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
                    "{filter},{SILENCED}"
                )))
                .with_writer(Mutex::new(Masked(file)))
                .with_ansi(false)
                .try_init();
        }
        Err(e) => eprintln!(
            "rdsight: logging disabled: cannot open {}: {e}",
            path.display()
        ),
    }
}

/// A writer that masks AWS access key ids in what passes through it.
struct Masked<W>(W);

impl<W: Write> Write for Masked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut line = buf.to_vec();
        mask_key_ids(&mut line);
        self.0.write_all(&line)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Prefixes of AWS unique ids that carry an access key or principal id.
const KEY_PREFIXES: [&[u8]; 4] = [b"AKIA", b"ASIA", b"AIDA", b"AROA"];

/// Replace the 16 characters after each access-key-id prefix with `*`.
fn mask_key_ids(text: &mut [u8]) {
    let id_char = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let mut at = 0;
    while at + 20 <= text.len() {
        let is_id = KEY_PREFIXES.iter().any(|p| text[at..].starts_with(p))
            && text[at + 4..at + 20].iter().all(id_char);
        if is_id {
            text[at + 4..at + 20].fill(b'*');
            at += 20;
        } else {
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_key_ids_are_masked_and_other_text_kept() {
        let mut line =
            b"Credentials { access_key_id: \"AKIAIOSFODNN7EXAMPLE\", token: ASIA1234567890ABCDEF }"
                .to_vec();
        mask_key_ids(&mut line);
        let line = String::from_utf8(line).unwrap_or_default();
        assert!(!line.contains("IOSFODNN7EXAMPLE"), "{line}");
        assert!(line.contains("AKIA****************"), "{line}");
        assert!(line.contains("ASIA****************"), "{line}");
        assert!(line.starts_with("Credentials { access_key_id"));
    }
}
