//! Where rdsight keeps its files: the XDG base directories on every Unix
//! (macOS included, where `dirs` would answer `~/Library/…`), so the paths
//! the README and `--help` print are the paths used. Windows keeps its own
//! known folders.
//!
//! - config: `$XDG_CONFIG_HOME/rdsight` (default `~/.config/rdsight`)
//! - state (audit log, debug log): `$XDG_STATE_HOME/rdsight` (default
//!   `~/.local/state/rdsight`)

use std::path::{Path, PathBuf};

/// `$XDG_CONFIG_HOME/rdsight`, or `~/.config/rdsight`.
pub fn config_dir() -> Option<PathBuf> {
    base("XDG_CONFIG_HOME", ".config", dirs::config_dir).map(|d| d.join("rdsight"))
}

/// `$XDG_STATE_HOME/rdsight`, or `~/.local/state/rdsight`; the temp
/// directory when there is no home at all.
pub fn state_dir() -> PathBuf {
    base("XDG_STATE_HOME", ".local/state", dirs::data_local_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("rdsight")
}

/// The config file unless `--config` names another.
pub fn config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

/// An XDG variable holds an absolute path or is ignored (the spec says
/// so); else `$HOME/<fallback>`. Off Unix, the platform's own folder.
fn base(
    variable: &str,
    fallback: &str,
    #[cfg_attr(unix, allow(unused_variables))] platform: fn() -> Option<PathBuf>,
) -> Option<PathBuf> {
    let set = std::env::var_os(variable)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    if set.is_some() {
        return set;
    }
    #[cfg(unix)]
    {
        dirs::home_dir().map(|home| home.join(fallback))
    }
    #[cfg(not(unix))]
    {
        let _ = fallback;
        platform()
    }
}

/// The paths as `--help` prints them.
pub fn describe() -> String {
    let show = |p: Option<PathBuf>| {
        p.map(|p| display(&p))
            .unwrap_or_else(|| "(no home directory)".into())
    };
    format!(
        "Files:\n  config      {}\n  audit log   {}\n  debug log   {} (with RDSIGHT_LOG)",
        show(config_file()),
        display(&state_dir().join("audit.jsonl")),
        display(&state_dir().join("rdsight.log")),
    )
}

/// `~/…` for paths under the home directory: shorter, and no user name.
fn display(path: &Path) -> String {
    match dirs::home_dir().and_then(|home| path.strip_prefix(home).ok().map(Path::to_path_buf)) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn unix_paths_are_xdg_even_without_the_variables() {
        // The test runner's environment may set the variables; either way
        // the answer is XDG-shaped, never ~/Library.
        let state = state_dir();
        let config = config_dir().expect("a home directory");
        assert!(state.ends_with("rdsight"));
        assert!(!state.to_string_lossy().contains("Library"), "{state:?}");
        match std::env::var_os("XDG_STATE_HOME") {
            Some(v) if PathBuf::from(&v).is_absolute() => assert!(state.starts_with(v)),
            _ => assert!(state.ends_with(".local/state/rdsight"), "{state:?}"),
        }
        match std::env::var_os("XDG_CONFIG_HOME") {
            Some(v) if PathBuf::from(&v).is_absolute() => assert!(config.starts_with(v)),
            _ => assert!(config.ends_with(".config/rdsight"), "{config:?}"),
        }
    }

    #[test]
    fn help_names_every_file() {
        let text = describe();
        for name in ["config.toml", "audit.jsonl", "rdsight.log"] {
            assert!(text.contains(name), "{text}");
        }
    }
}
