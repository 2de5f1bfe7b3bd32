use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::*;

/// A test-only CA (tests/fixtures/tls/ca.pem: it signed server.pem, the
/// certificate of the HTTPS moto the integration tests start).
fn test_ca() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/ca.pem")
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("rdsight-http-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write scratch file");
    path
}

fn message(err: SourceError) -> String {
    match err {
        SourceError::Unavailable(m) => m,
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn the_trust_store_holds_exactly_the_bundles_pem() {
    let pem = std::fs::read(test_ca()).expect("fixture");
    let bundle = ca_bundle_from(Some(test_ca().into_os_string()))
        .expect("valid bundle")
        .expect("a bundle is set");
    assert_eq!(bundle.pem, pem);
    assert_eq!(bundle.certificates, 1);
    // The store is the bundle alone, as with the AWS CLI: no system roots.
    let store = format!("{:?}", trust_store(Some(&bundle)));
    let expected = format!("{:?}", TrustStore::empty().with_pem_certificate(pem));
    assert_eq!(store, expected);
    assert!(store.contains("enable_native_roots: false"), "{store}");
}

#[test]
fn without_a_bundle_the_system_roots_are_trusted() {
    assert_eq!(ca_bundle_from(None).expect("no bundle"), None);
    assert_eq!(ca_bundle_from(Some(OsString::new())).expect("empty"), None);
    let store = format!("{:?}", trust_store(None));
    assert_eq!(store, format!("{:?}", TrustStore::default()));
}

#[test]
fn a_bundle_of_several_certificates_counts_them_all() {
    let one = std::fs::read(test_ca()).expect("fixture");
    let two = [one.clone(), b"\n".to_vec(), one].concat();
    let path = scratch("two.pem", &two);
    let bundle = read_ca_bundle(&path).expect("two certificates");
    assert_eq!(bundle.certificates, 2);
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_missing_bundle_is_one_line_naming_the_variable_and_path() {
    let err = message(read_ca_bundle(Path::new("/nonexistent/ca.pem")).expect_err("missing"));
    assert!(
        err.starts_with("AWS_CA_BUNDLE=/nonexistent/ca.pem: cannot read it:"),
        "{err}"
    );
    assert!(err.ends_with("or unset it"), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn a_file_without_certificates_is_refused() {
    let path = scratch("empty.pem", b"not a certificate\n");
    let err = message(read_ca_bundle(&path).expect_err("no certificate"));
    assert!(err.contains("holds no PEM certificate"), "{err}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_broken_certificate_is_refused_before_any_call() {
    let pem = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let path = scratch("broken.pem", pem);
    let err = message(read_ca_bundle(&path).expect_err("broken"));
    assert!(err.contains("certificate 1"), "{err}");
    assert!(!err.contains('\n'), "{err}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn a_client_is_built_with_and_without_a_bundle() {
    let bundle = read_ca_bundle(&test_ca()).expect("fixture");
    let _ = client_trusting(trust_store(Some(&bundle)));
    let _ = client_trusting(trust_store(None));
}
