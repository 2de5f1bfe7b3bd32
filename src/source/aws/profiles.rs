//! The profile names the AWS CLI knows, for the dashboard's profile picker,
//! and whether the shared config already decides retries.
//!
//! Read with the SDK's own parser (`aws_config::profile::load`): the same
//! files (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, the defaults),
//! the same syntax (`[profile prod] # comment`, `[sso-session …]` and
//! `[services …]` are not profiles). Only names, the two retry keys and
//! `ca_bundle` are looked at: keys and secrets are never kept or shown.

use aws_config::profile::ProfileSet;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};

/// Profile names from both files, sorted, `default` first when present.
pub async fn available() -> Vec<String> {
    match load(&Fs::real(), &Env::real()).await {
        Some(set) => names(&set),
        None => Vec::new(),
    }
}

/// Does `profile` (or the default profile) set `max_attempts` or
/// `retry_mode`? Then the SDK's retry settings come from there.
pub async fn sets_retries(profile: Option<&str>) -> bool {
    let Some(set) = load(&Fs::real(), &Env::real()).await else {
        return false;
    };
    let name = profile.unwrap_or_else(|| set.selected_profile());
    set.get_profile(name)
        .is_some_and(|p| p.get("max_attempts").is_some() || p.get("retry_mode").is_some())
}

/// The `ca_bundle` key of `profile` (or of the selected profile), with
/// the profile's name: the CA bundle the AWS CLI trusts when
/// `AWS_CA_BUNDLE` is unset.
pub async fn ca_bundle(profile: Option<&str>) -> Option<(String, String)> {
    let set = load(&Fs::real(), &Env::real()).await?;
    let name = profile.unwrap_or_else(|| set.selected_profile());
    let path = set.get_profile(name)?.get("ca_bundle")?.trim();
    (!path.is_empty()).then(|| (name.to_string(), path.to_string()))
}

/// The parsed files; `None` when they cannot be read or parsed (the SDK
/// reports that itself when credentials are resolved).
async fn load(fs: &Fs, env: &Env) -> Option<ProfileSet> {
    aws_config::profile::load(fs, env, &EnvConfigFiles::default(), None)
        .await
        .ok()
}

fn names(set: &ProfileSet) -> Vec<String> {
    let mut names: Vec<String> = set.profiles().map(str::to_string).collect();
    names.sort();
    names.dedup();
    if let Some(at) = names.iter().position(|n| n == "default") {
        let default = names.remove(at);
        names.insert(0, default);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn names_in(config: &str, credentials: &str) -> Vec<String> {
        let fs = Fs::from_slice(&[
            ("/home/u/.aws/config", config),
            ("/home/u/.aws/credentials", credentials),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/u")]);
        load(&fs, &env).await.map(|s| names(&s)).unwrap_or_default()
    }

    #[tokio::test]
    async fn profiles_come_from_both_files_without_other_sections() {
        let config = "\
[default]
region = us-east-1

[profile prod] # production, read-only role
sso_session = corp
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
[services local]
rds =
  endpoint_url = http://localhost:4566
[profile staging]
";
        let credentials = "[ci]\naws_access_key_id = AKIAEXAMPLE\n[prod]\n";
        assert_eq!(
            names_in(config, credentials).await,
            ["default", "ci", "prod", "staging"]
        );
    }

    #[tokio::test]
    async fn a_profile_named_like_the_keyword_is_not_invented() {
        assert_eq!(
            names_in("[profiler]\n[profile]\n", "").await,
            Vec::<String>::new()
        );
    }

    #[tokio::test]
    async fn missing_files_mean_no_profiles() {
        assert!(names_in("", "").await.is_empty());
    }
}
