//! User configuration: which accounts are trusted, rule thresholds, and
//! rules switched off. Read from a TOML file; every field is optional.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::finding::RuleId;

/// The knobs rules read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleConfig {
    /// Accounts snapshots may be shared with without a finding.
    pub trusted_accounts: Vec<String>,
    /// `backups-short` fires below this many days.
    pub min_backup_retention_days: u32,
    /// Rules not evaluated at all.
    pub disabled_rules: Vec<RuleId>,
    /// Who may create or copy snapshots without an
    /// `activity-unexpected-snapshot-creator` finding: patterns matched
    /// against the caller's ARN (the role's, for an assumed role) and its
    /// short name (`role/backup-runner`), `*` matching any run of
    /// characters. Empty: the rule is silent.
    pub expected_snapshot_principals: Vec<String>,
}

impl Default for RuleConfig {
    fn default() -> Self {
        Self {
            trusted_accounts: Vec::new(),
            min_backup_retention_days: 7,
            disabled_rules: Vec::new(),
            expected_snapshot_principals: Vec::new(),
        }
    }
}

impl RuleConfig {
    pub fn is_enabled(&self, rule: RuleId) -> bool {
        !self.disabled_rules.contains(&rule)
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub rules: RuleConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path} is not valid: {message} — fix or remove the file")]
    Parse { path: PathBuf, message: String },
}

impl Config {
    /// Where the config lives unless `--config` says otherwise.
    pub fn default_path() -> Option<PathBuf> {
        crate::paths::config_file()
    }

    /// Load `explicit` (which must exist) or the default path (which may not).
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        match explicit {
            Some(path) => Self::read(path),
            None => match Self::default_path() {
                Some(path) if path.exists() => Self::read(&path),
                _ => Ok(Self::default()),
            },
        }
    }

    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(Config::default().rules.min_backup_retention_days, 7);
    }

    #[test]
    fn reads_rule_settings() {
        let config = Config::parse(
            "[rules]\ntrusted_accounts = [\"111122223333\"]\nmin_backup_retention_days = 14\ndisabled_rules = [\"default-port\"]\n",
        )
        .unwrap();
        assert_eq!(config.rules.trusted_accounts, vec!["111122223333"]);
        assert_eq!(config.rules.min_backup_retention_days, 14);
        assert!(!config.rules.is_enabled(RuleId::DefaultPort));
        assert!(config.rules.is_enabled(RuleId::DefaultAdmin));
        assert!(config.rules.expected_snapshot_principals.is_empty());
    }

    #[test]
    fn reads_expected_snapshot_principals() {
        let config = Config::parse(
            "[rules]\nexpected_snapshot_principals = [\"role/rds-backup-*\", \"arn:aws:iam::111122223333:user/ops\"]\n",
        )
        .unwrap();
        assert_eq!(
            config.rules.expected_snapshot_principals,
            vec!["role/rds-backup-*", "arn:aws:iam::111122223333:user/ops"]
        );
    }

    #[test]
    fn rejects_unknown_rules_and_keys() {
        assert!(Config::parse("[rules]\ndisabled_rules = [\"nope\"]\n").is_err());
        assert!(Config::parse("[rulez]\n").is_err());
    }
}
