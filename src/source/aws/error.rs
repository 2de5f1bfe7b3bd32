//! SDK errors, turned into one line a person can act on.
//!
//! Service errors read `Code: message`, as AWS sends them. Transport errors
//! say where rdsight tried to go and what to check, because "dispatch
//! failure" tells nobody anything.

use aws_sdk_rds::config::http::HttpResponse;
use aws_sdk_rds::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_rds::operation::RequestId;
use std::error::Error;

/// Longest message kept: findings panes and status lines are narrow.
const MAX_MESSAGE: usize = 300;

/// One failed call, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallError {
    /// One line: `AccessDenied: …`, `cannot reach AWS at …`.
    pub message: String,
    /// The service's error code, when the service answered.
    pub code: Option<String>,
    /// The request never got an answer (network, endpoint, credentials).
    pub transport: bool,
    /// The AWS request id of the answer, when there was one.
    pub request_id: Option<String>,
}

impl CallError {
    pub fn has_code(&self, codes: &[&str]) -> bool {
        self.code.as_deref().is_some_and(|c| codes.contains(&c))
    }
}

/// Where a call was going, for messages about not getting there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub region: &'a str,
    pub endpoint: Option<&'a str>,
}

/// Describe any SDK error from the RDS or EC2 client.
pub(crate) fn describe<E>(err: &SdkError<E, HttpResponse>, target: Target<'_>) -> CallError
where
    E: ProvideErrorMetadata + Error + 'static,
{
    let place = target.endpoint.unwrap_or("AWS");
    let status = err.raw_response().map(|r| r.status().as_u16());
    match err {
        SdkError::ServiceError(_) => {
            let code = err.code().map(str::to_string);
            let message = match (err.code(), err.message()) {
                (Some(code), Some(text)) => format!("{code}: {text}"),
                (Some(code), None) => code.to_string(),
                // No AWS error document: say what came back instead.
                _ => format!(
                    "HTTP {} from {place}: {}",
                    status.map_or("error".to_string(), |s| s.to_string()),
                    root_cause(err)
                ),
            };
            CallError {
                message: one_line(&message),
                code,
                transport: false,
                request_id: err.request_id().map(str::to_string),
            }
        }
        SdkError::TimeoutError(_) => unreachable(target, "timed out"),
        SdkError::DispatchFailure(failure) => {
            if mentions_credentials(&chain(err)) {
                return CallError {
                    message: one_line(&format!(
                        "cannot sign the request: {} — run with --demo, or set AWS_PROFILE / AWS_ACCESS_KEY_ID",
                        root_cause(err)
                    )),
                    code: None,
                    transport: true,
                    request_id: None,
                };
            }
            let cause = match failure.as_connector_error() {
                Some(c) if c.is_timeout() => "timed out".to_string(),
                _ => root_cause(err),
            };
            unreachable(target, &cause)
        }
        SdkError::ResponseError(_) => CallError {
            message: one_line(&format!(
                "unexpected answer from {place} (HTTP {}): {} — is it an AWS endpoint?",
                status.map_or("?".to_string(), |s| s.to_string()),
                root_cause(err)
            )),
            code: None,
            transport: true,
            request_id: None,
        },
        _ => CallError {
            message: one_line(&chain(err)),
            code: None,
            transport: true,
            request_id: None,
        },
    }
}

/// May AWS have carried out the call that failed this way? True for a
/// timeout after the request left, a connection lost mid-call, an answer
/// that could not be read, and a server error (5xx). False when AWS said
/// no (4xx), or the request never left: it could not be built or signed,
/// or the connection was refused or never made.
pub(crate) fn maybe_executed<E>(err: &SdkError<E, HttpResponse>) -> bool
where
    E: ProvideErrorMetadata + Error + 'static,
{
    match err {
        SdkError::ServiceError(_) => err
            .raw_response()
            .is_some_and(|r| r.status().is_server_error()),
        SdkError::TimeoutError(_) | SdkError::ResponseError(_) => true,
        SdkError::DispatchFailure(failure) => {
            let never_sent = failure.is_user()
                || failure.as_connector_error().is_some_and(|c| c.is_timeout())
                || mentions_credentials(&chain(err))
                || root_cause(err) == "connection refused";
            !never_sent
        }
        _ => false,
    }
}

fn unreachable(target: Target<'_>, cause: &str) -> CallError {
    let message = match target.endpoint {
        _ if untrusted_certificate(cause) => format!(
            "cannot reach AWS {}: {cause} — behind a TLS-inspecting proxy? set {} to its CA certificates (PEM)",
            target.endpoint.map_or_else(
                || format!("in {}", target.region),
                |url| format!("at {url}")
            ),
            super::http::CA_BUNDLE_VAR
        ),
        Some(url) => format!("cannot reach AWS at {url}: {cause} — is the endpoint right?"),
        None => format!(
            "cannot reach AWS in {}: {cause} — check the network, proxy and region name",
            target.region
        ),
    };
    CallError {
        message: one_line(&message),
        code: None,
        transport: true,
        request_id: None,
    }
}

/// rustls refused the server's certificate: an unknown issuer is what a
/// TLS-inspecting proxy's own CA looks like.
fn untrusted_certificate(cause: &str) -> bool {
    cause.contains("UnknownIssuer")
}

fn mentions_credentials(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("credential") && !lower.contains("connection refused")
}

/// The innermost cause, in words: `connection refused`, not `io error`.
pub(crate) fn root_cause(err: &(dyn Error + 'static)) -> String {
    let mut current: &(dyn Error + 'static) = err;
    loop {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            let known = match io.kind() {
                ConnectionRefused => Some("connection refused"),
                ConnectionReset => Some("connection reset"),
                ConnectionAborted => Some("connection aborted"),
                TimedOut => Some("timed out"),
                NotFound => Some("host not found"),
                _ => None,
            };
            if let Some(words) = known {
                return words.to_string();
            }
        }
        match current.source() {
            Some(next) => current = next,
            None => return strip_os_error(&current.to_string()),
        }
    }
}

fn strip_os_error(text: &str) -> String {
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// Every message in an error's chain, outermost first, joined by `: `.
pub(crate) fn chain(err: &(dyn Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut current = err.source();
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Collapse whitespace to single spaces and keep it short, cut between
/// grapheme clusters (never inside an accented letter or an emoji).
pub(crate) fn one_line(text: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.graphemes(true).count() > MAX_MESSAGE {
        line = line
            .graphemes(true)
            .take(MAX_MESSAGE - 1)
            .collect::<String>()
            + "…";
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_collapses_and_truncates() {
        assert_eq!(one_line("a\n  b\tc "), "a b c");
        let long = "x".repeat(1000);
        assert_eq!(one_line(&long).chars().count(), MAX_MESSAGE);
        // A family emoji is one grapheme of several chars: kept whole.
        let family = "👨\u{200d}👩\u{200d}👧";
        let cut = one_line(&family.repeat(1000));
        assert!(cut.ends_with(&format!("{family}…")), "{cut}");
    }

    #[test]
    fn os_error_suffix_is_dropped() {
        assert_eq!(
            strip_os_error("Connection refused (os error 111)"),
            "Connection refused"
        );
    }

    #[test]
    fn only_a_request_that_may_have_left_is_ambiguous() {
        use aws_sdk_rds::error::ConnectorError;
        use aws_sdk_rds::operation::create_db_snapshot::CreateDBSnapshotError;
        use std::io::{Error as Io, ErrorKind};
        type Sdk = SdkError<CreateDBSnapshotError, HttpResponse>;
        let io = |kind: ErrorKind| ConnectorError::io(Box::new(Io::from(kind)));

        let reset: Sdk = SdkError::dispatch_failure(io(ErrorKind::ConnectionReset));
        assert!(maybe_executed(&reset), "lost after it left");
        let timed_out: Sdk = SdkError::timeout_error("attempt timeout");
        assert!(maybe_executed(&timed_out));

        let refused: Sdk = SdkError::dispatch_failure(io(ErrorKind::ConnectionRefused));
        assert!(!maybe_executed(&refused), "never reached AWS");
        let connect: Sdk =
            SdkError::dispatch_failure(ConnectorError::timeout("connect timeout".into()));
        assert!(!maybe_executed(&connect), "never connected");
        let unsigned: Sdk = SdkError::construction_failure("no credentials");
        assert!(!maybe_executed(&unsigned));
    }

    #[test]
    fn io_kinds_become_words() {
        let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(root_cause(&io), "connection refused");
    }
}
