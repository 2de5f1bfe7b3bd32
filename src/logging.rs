//! Tracing to a file, never to the screen: the TUI owns the terminal.
//! Enabled by `RDSIGHT_LOG` (an env-filter such as `info` or `rdsight=debug`).

use std::path::PathBuf;

/// Where rdsight keeps its log and audit log: the XDG state directory
/// (`~/.local/state/rdsight`), else local data, else the temp directory.
pub fn state_dir() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("rdsight")
}

pub fn log_path() -> PathBuf {
    state_dir().join("rdsight.log")
}

/// Start file logging when `RDSIGHT_LOG` is set. Failing to open the log is
/// not worth stopping for; it is reported once on stderr.
pub fn init() {
    let Ok(filter) = std::env::var("RDSIGHT_LOG") else {
        return;
    };
    let path = log_path();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        Ok(file) => {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .try_init();
        }
        Err(e) => eprintln!(
            "rdsight: logging disabled: cannot open {}: {e}",
            path.display()
        ),
    }
}
