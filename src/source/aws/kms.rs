//! Checking the KMS key encrypting plans will use, once, before anything
//! runs: a missing or disabled key would otherwise fail a plan halfway,
//! after its snapshot was already taken.

use futures::future::join_all;

use super::RegionClients;
use crate::model::DEFAULT_KMS_KEY;
use crate::source::SourceError;

/// DescribeKey's answer for a key or alias that does not exist.
const NOT_FOUND: &str = "NotFoundException";

/// Check `key` in every region: it must exist and be enabled there (a
/// CopyDBSnapshot uses a key of its own region).
pub(super) async fn check_key(regions: &[RegionClients], key: &str) -> Result<(), SourceError> {
    // AWS creates the AWS-managed RDS key in a region the first time RDS
    // encrypts something there, so its alias can be missing until then.
    if key == DEFAULT_KMS_KEY {
        return Ok(());
    }
    let checks = join_all(regions.iter().map(|c| check_in(c, key))).await;
    checks.into_iter().collect()
}

async fn check_in(c: &RegionClients, key: &str) -> Result<(), SourceError> {
    let region = &c.region;
    let out = match c.kms.describe_key().key_id(key).send().await {
        Ok(out) => out,
        Err(e) => {
            let error = c.error(&e);
            let message = if error.has_code(&[NOT_FOUND]) {
                format!(
                    "KMS key {key} not found in {region} — pass --kms-key with a key id, ARN or alias that exists there, or leave it out to use {DEFAULT_KMS_KEY}"
                )
            } else {
                format!(
                    "cannot check KMS key {key} in {region}: {} — rdsight needs kms:DescribeKey on the key",
                    error.message
                )
            };
            return Err(SourceError::Unavailable(message));
        }
    };
    match out.key_metadata() {
        Some(meta) if meta.enabled() => Ok(()),
        Some(meta) => Err(SourceError::Unavailable(format!(
            "KMS key {key} in {region} is {} — enable it or pass another --kms-key",
            meta.key_state()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "disabled".into())
        ))),
        None => Err(SourceError::Unavailable(format!(
            "KMS key {key} in {region}: DescribeKey returned no key — pass another --kms-key"
        ))),
    }
}
