//! The profile names the AWS CLI knows, for the dashboard's profile picker.
//!
//! Read from the shared config file (`[profile NAME]`, `[default]`) and the
//! credentials file (`[NAME]`), honouring `AWS_CONFIG_FILE` and
//! `AWS_SHARED_CREDENTIALS_FILE` as the SDK does. Only section headers are
//! read: keys and secrets are never parsed, kept or shown.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// Profile names from both files, sorted, `default` first when present.
pub fn available() -> Vec<String> {
    let home = dirs::home_dir().unwrap_or_default();
    let config = env_path("AWS_CONFIG_FILE").unwrap_or_else(|| home.join(".aws").join("config"));
    let credentials = env_path("AWS_SHARED_CREDENTIALS_FILE")
        .unwrap_or_else(|| home.join(".aws").join("credentials"));
    let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    merge(&read(config), &read(credentials))
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Profile names in a config file's and a credentials file's text.
pub fn merge(config: &str, credentials: &str) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    names.extend(sections(config).filter_map(config_profile));
    names.extend(sections(credentials).map(str::to_string));
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    if names.remove("default") {
        out.push("default".into());
    }
    out.extend(names);
    out
}

/// `[name]` headers of an INI-style file.
fn sections(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix('[')?.strip_suffix(']')?.trim();
        (!inner.is_empty()).then_some(inner)
    })
}

/// In the config file a profile is `[profile NAME]`, except `[default]`;
/// other sections (`[sso-session x]`, `[services y]`) are not profiles.
fn config_profile(section: &str) -> Option<String> {
    if section == "default" {
        return Some("default".into());
    }
    let rest = section.strip_prefix("profile")?;
    if !rest.starts_with(char::is_whitespace) {
        return None; // `[profiler]` is some other section
    }
    let name = rest.trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_come_from_both_files_without_other_sections() {
        let config = "\
[default]
region = us-east-1

[profile prod]
sso_session = corp
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
[services local]
rds =
  endpoint_url = http://localhost:4566
[profile  staging ]
";
        let credentials = "[ci]\naws_access_key_id = AKIAEXAMPLE\n[prod]\n";
        assert_eq!(
            merge(config, credentials),
            ["default", "ci", "prod", "staging"]
        );
    }

    #[test]
    fn a_profile_named_like_the_keyword_is_not_invented() {
        assert_eq!(merge("[profiler]\n[profile]\n", ""), Vec::<String>::new());
    }

    #[test]
    fn missing_files_mean_no_profiles() {
        assert!(merge("", "").is_empty());
    }
}
