//! AWS_CA_BUNDLE, as the AWS CLI reads it: the certificates rdsight trusts
//! for HTTPS (a corporate proxy's CA), checked against moto over HTTPS
//! with a test CA; a bundle that cannot be used is one line, up front.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::moto::{MOTO_ACCOUNT, Moto, free_port, rdsight};

/// tests/fixtures/tls: a test-only CA and the certificate it signed for
/// 127.0.0.1 (with its key), valid until 2126.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

fn scan(url: &str, ca_bundle: Option<&Path>) -> std::process::Output {
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID", "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
    ];
    if let Some(path) = ca_bundle {
        env.push(("AWS_CA_BUNDLE", path.display().to_string()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args: Vec<&str> = "scan --format json --region us-east-1 --activity-days 0 --endpoint-url"
        .split(' ')
        .chain([url])
        .collect();
    rdsight(&args, &env)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn https_through_a_ca_bundle_reaches_a_server_the_system_does_not_trust() {
    let moto = Moto::start_tls(&fixture("server.pem"), &fixture("server.key"));
    assert!(moto.url.starts_with("https://"), "{}", moto.url);

    let trusted = scan(&moto.url, Some(&fixture("ca.pem")));
    assert!(trusted.status.success(), "{}", stderr(&trusted));
    let report: Value = serde_json::from_slice(&trusted.stdout).unwrap();
    assert_eq!(report["account"], MOTO_ACCOUNT, "{report}");

    // Without the bundle the system's roots are used, and they do not
    // know the test CA: the same server is refused, in one line that
    // says what to do about a proxy's CA.
    let refused = scan(&moto.url, None);
    assert!(!refused.status.success(), "a test CA was trusted");
    let err = stderr(&refused);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("UnknownIssuer"), "{err}");
    assert!(err.contains("set AWS_CA_BUNDLE"), "{err}");
}

#[test]
fn a_ca_bundle_that_does_not_exist_is_one_line_before_any_call() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let missing = Path::new("/nonexistent/rdsight-ca.pem");
    let out = scan(&url, Some(missing));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with("rdsight: AWS_CA_BUNDLE=/nonexistent/rdsight-ca.pem: cannot read it:"),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("point it at a PEM file of CA certificates, or unset it"),
        "{err}"
    );
    // Nothing was tried: an attempt would have said it cannot reach AWS.
    assert!(!err.contains("cannot reach"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_ca_bundle_without_certificates_is_one_line() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let not_pem = fixture("server.key");
    let out = scan(&url, Some(&not_pem));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("holds no PEM certificate"), "{err}");
}

/// A shared config whose default profile names `bundle` as its CA bundle,
/// written to a file unique to `test`.
fn config_naming(test: &str, bundle: &Path) -> String {
    let path = std::env::temp_dir().join(format!(
        "rdsight-ca-profile-{test}-{}.ini",
        std::process::id()
    ));
    std::fs::write(
        &path,
        format!(
            "[default]\nregion = us-east-1\nca_bundle = {}\n",
            bundle.display()
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn the_profile_ca_bundle_is_trusted_when_the_variable_is_unset() {
    let moto = Moto::start_tls(&fixture("server.pem"), &fixture("server.key"));
    let config = config_naming("trusted", &fixture("ca.pem"));
    let out = rdsight(
        &[
            "scan",
            "--format",
            "json",
            "--region",
            "us-east-1",
            "--activity-days",
            "0",
            "--endpoint-url",
            &moto.url,
        ],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", &config),
        ],
    );
    let _ = std::fs::remove_file(&config);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["account"], MOTO_ACCOUNT, "{report}");
}

#[test]
fn a_profile_ca_bundle_that_cannot_be_read_names_the_profile_line() {
    let url = format!("http://127.0.0.1:{}", free_port());
    let config = config_naming("missing", Path::new("/nonexistent/corp.pem"));
    let out = rdsight(
        &["scan", "--region", "us-east-1", "--endpoint-url", &url],
        &[
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", &config),
        ],
    );
    let _ = std::fs::remove_file(&config);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.starts_with(
            "rdsight: ca_bundle = /nonexistent/corp.pem in profile default: cannot read it:"
        ),
        "{err}"
    );
    assert!(!err.contains("cannot reach"), "{err}");
}
