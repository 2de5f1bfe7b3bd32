//! Where a command's output goes: stdout, or `--output FILE` written
//! atomically — into a temporary file beside it, synced, then renamed over
//! it, so a reader (or a failed run) never sees half a report or a
//! truncated plan. And whether it is coloured (`--color`).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::ColorChoice;

/// Write through `write` to `file`, or to stdout when there is none. A
/// reader that went away from stdout (`| head`) is not an error.
pub fn write_to(
    file: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match file {
        Some(path) => write_atomically(path, write),
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    }
}

/// All of it at `path`, or (on any failure) nothing new there.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temporary = temporary_beside(path);
    let result = (|| {
        // create_new: never write through something already at that name.
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        let file: File = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        // The rename replaces a symlink at `path` itself, never its target.
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// `.NAME.rdsight-PID` in the same directory: a rename within one file
/// system is atomic.
fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let hidden = format!(".{name}.rdsight-{}", std::process::id());
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.join(hidden),
        None => PathBuf::from(hidden),
    }
}

/// Should a report written to `file` (or stdout) be coloured?
pub fn colored(choice: ColorChoice, file: Option<&Path>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            file.is_none() && std::io::stdout().is_terminal() && crate::text::color_allowed()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rdsight-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn a_file_is_written_whole_and_nothing_is_left_beside_it() {
        let dir = scratch("whole");
        let path = dir.join("report.json");
        fs::write(&path, "old").expect("seed");
        write_to(Some(&path), |out| out.write_all(b"new report")).expect("written");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new report");
        let left: Vec<_> = fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_as_it_was() {
        let dir = scratch("failed");
        let path = dir.join("plan.sh");
        fs::write(&path, "the reviewed plan").expect("seed");
        let failed = write_to(Some(&path), |out| {
            out.write_all(b"half a pl")?;
            Err(std::io::Error::other("the fleet could not be read"))
        });
        assert!(failed.is_err());
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            "the reviewed plan"
        );
        assert_eq!(fs::read_dir(&dir).expect("list").count(), 1);
    }

    #[test]
    fn colour_follows_the_choice_and_never_goes_to_a_file_unasked() {
        let file = Path::new("report.txt");
        assert!(colored(ColorChoice::Always, Some(file)));
        assert!(!colored(ColorChoice::Never, None));
        assert!(!colored(ColorChoice::Auto, Some(file)));
    }
}
