//! Whose account the credentials speak for: STS GetCallerIdentity.
//!
//! Asked once per connection, before anything loads. It doubles as the
//! check that the credentials work at all, so an expired SSO session or a
//! revoked key is one clear line at start, not a screen of AccessDenied.

use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_sdk_rds::config::Region;

use super::error::{self, CallError, Target};
use crate::source::SourceError;

/// Tries of GetCallerIdentity, the first included.
const IDENTITY_ATTEMPTS: u32 = 2;

/// Codes STS answers with when the session or key is no longer valid.
const EXPIRED: &[&str] = &["ExpiredToken", "ExpiredTokenException", "RequestExpired"];
const REJECTED: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "UnrecognizedClientException",
    "AccessDenied",
];

/// The account id of the caller, asked of STS in `region`.
pub(super) async fn account(
    config: &SdkConfig,
    region: &str,
    profile: Option<&str>,
) -> Result<String, SourceError> {
    // One retry: this call only checks who we are, and a dead endpoint or
    // a bad key should be one line within seconds, not after backing off.
    let sts_config = aws_sdk_sts::config::Builder::from(config)
        .region(Region::new(region.to_string()))
        .retry_config(RetryConfig::standard().with_max_attempts(IDENTITY_ATTEMPTS))
        .build();
    let sts = aws_sdk_sts::Client::from_conf(sts_config);
    match sts.get_caller_identity().send().await {
        Ok(out) => Ok(out.account().unwrap_or_default().to_string()),
        Err(e) => {
            let endpoint = super::service_endpoint(config, "STS");
            let call = error::describe(
                &e,
                Target {
                    region,
                    endpoint: endpoint.as_deref(),
                },
            );
            Err(SourceError::Unavailable(explain(&call, profile)))
        }
    }
}

/// One line saying what is wrong with the credentials and what to run.
pub(super) fn explain(call: &CallError, profile: Option<&str>) -> String {
    let login = match profile {
        Some(p) => format!("aws sso login --profile {p}"),
        None => "aws sso login".to_string(),
    };
    if call.has_code(EXPIRED) {
        format!(
            "the AWS session has expired ({}) — run `{login}` or refresh your credentials, or run with --demo",
            call.message
        )
    } else if call.has_code(REJECTED) {
        format!(
            "AWS rejected the credentials ({}) — check AWS_PROFILE / AWS_ACCESS_KEY_ID, or run `{login}`",
            call.message
        )
    } else if call.transport {
        call.message.clone()
    } else {
        format!("cannot identify the AWS account: {}", call.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str) -> CallError {
        CallError {
            message: format!("{code}: The security token included in the request is expired"),
            code: Some(code.to_string()),
            transport: false,
            request_id: None,
        }
    }

    #[test]
    fn an_expired_session_says_to_log_in_again() {
        let line = explain(&service("ExpiredToken"), Some("prod"));
        assert!(line.contains("session has expired"), "{line}");
        assert!(line.contains("aws sso login --profile prod"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn rejected_keys_name_what_to_check() {
        let line = explain(&service("InvalidClientTokenId"), None);
        assert!(line.starts_with("AWS rejected the credentials"), "{line}");
        assert!(line.contains("AWS_PROFILE"), "{line}");
    }

    #[test]
    fn an_unreachable_endpoint_keeps_its_own_words() {
        let call = CallError {
            message: "cannot reach AWS at http://127.0.0.1:9: connection refused — is the endpoint right?".into(),
            code: None,
            transport: true,
            request_id: None,
        };
        assert_eq!(explain(&call, None), call.message);
    }
}
