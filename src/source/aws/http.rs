//! The HTTPS client every AWS call goes through, built here rather than
//! taken from the SDK's `default-https-client` feature.
//!
//! It is the SDK's own client (`aws-smithy-http-client`: hyper 1, rustls,
//! proxies from `HTTPS_PROXY` / `NO_PROXY`) with two differences:
//!
//! - rustls runs on `ring` instead of `aws-lc-rs`, which compiles in a
//!   fraction of the time (no C/CMake build of aws-lc-sys);
//! - `AWS_CA_BUNDLE` is honoured as the AWS CLI honours it (and, when it
//!   is unset, the profile's `ca_bundle` key): the certificates in that
//!   PEM file are the trust store (instead of the system's roots), so a
//!   corporate TLS-inspecting proxy can be trusted.
//!   A path that cannot be read, or a file without a valid certificate, is
//!   one clear line before anything is sent.
//!
//! Every SDK config rdsight builds takes its client from [`client`]: the
//! config loader hands it on to the credential providers (SSO, STS, the
//! metadata service) and to every service client.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use aws_config::provider_config::ProviderConfig;
use aws_sdk_rds::config::SharedHttpClient;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::source::SourceError;

/// The variable the AWS CLI and SDKs read a CA bundle from.
pub const CA_BUNDLE_VAR: &str = "AWS_CA_BUNDLE";

/// The certificates of a CA bundle file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    pub path: PathBuf,
    /// The file as read: PEM text holding `certificates` certificates.
    pub pem: Vec<u8>,
    pub certificates: usize,
}

/// The HTTPS client for every SDK config, trusting `AWS_CA_BUNDLE` when
/// it is set (and not empty), else the system's root certificates.
pub fn client() -> Result<SharedHttpClient, SourceError> {
    let bundle = ca_bundle_from(std::env::var_os(CA_BUNDLE_VAR))?;
    Ok(client_trusting(trust_store(bundle.as_ref())))
}

/// As [`client`], and when `AWS_CA_BUNDLE` is unset, the `ca_bundle` key
/// of `profile` (or of the profile the SDK selects): the AWS CLI's order.
pub async fn client_for_profile(profile: Option<&str>) -> Result<SharedHttpClient, SourceError> {
    let bundle = match ca_bundle_from(std::env::var_os(CA_BUNDLE_VAR))? {
        Some(bundle) => Some(bundle),
        None => match super::profiles::ca_bundle(profile).await {
            Some((name, path)) => Some(read_ca_bundle_for(
                Path::new(&path),
                &format!("ca_bundle = {path} in profile {name}"),
                "fix or remove that line",
            )?),
            None => None,
        },
    };
    Ok(client_trusting(trust_store(bundle.as_ref())))
}

/// What a credential provider built outside the config loader needs (the
/// loader hands [`client`] to its own): without it, one that calls out
/// (SSO, STS, the metadata service) would have no HTTP client.
pub fn provider_config(client: SharedHttpClient) -> ProviderConfig {
    ProviderConfig::default().with_http_client(client)
}

/// The CA bundle `value` (the variable's value) names, if any.
pub fn ca_bundle_from(value: Option<OsString>) -> Result<Option<CaBundle>, SourceError> {
    match value {
        Some(path) if !path.is_empty() => read_ca_bundle(Path::new(&path)).map(Some),
        _ => Ok(None),
    }
}

/// Reads and checks a PEM bundle: every certificate in it must parse, as
/// rustls would take it as a root, and there must be at least one.
pub fn read_ca_bundle(path: &Path) -> Result<CaBundle, SourceError> {
    read_ca_bundle_for(
        path,
        &format!("{CA_BUNDLE_VAR}={}", path.display()),
        "point it at a PEM file of CA certificates, or unset it",
    )
}

/// [`read_ca_bundle`], its errors naming where the path came from
/// (`origin`) and what to do (`remedy`).
fn read_ca_bundle_for(path: &Path, origin: &str, remedy: &str) -> Result<CaBundle, SourceError> {
    let fail = |why: String| SourceError::Unavailable(format!("{origin}: {why} — {remedy}"));
    let pem = std::fs::read(path).map_err(|e| fail(format!("cannot read it: {e}")))?;
    let mut roots = RootCertStore::empty();
    let mut certificates = 0;
    for (n, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert =
            cert.map_err(|e| fail(format!("certificate {} is not valid PEM: {e}", n + 1)))?;
        roots
            .add(cert)
            .map_err(|e| fail(format!("certificate {} cannot be trusted: {e}", n + 1)))?;
        certificates += 1;
    }
    if certificates == 0 {
        return Err(fail("it holds no PEM certificate".into()));
    }
    Ok(CaBundle {
        path: path.to_path_buf(),
        pem,
        certificates,
    })
}

/// The roots to trust: exactly the bundle's certificates when one is set
/// (as the AWS CLI does), else the system's.
pub fn trust_store(bundle: Option<&CaBundle>) -> TrustStore {
    match bundle {
        Some(bundle) => TrustStore::empty()
            .with_native_roots(false)
            .with_pem_certificate(bundle.pem.clone()),
        None => TrustStore::default(),
    }
}

/// The SDK's default client (hyper 1, rustls, proxies from the
/// environment), on `ring`, trusting `roots`.
fn client_trusting(roots: TrustStore) -> SharedHttpClient {
    let context = TlsContext::builder().with_trust_store(roots).build();
    // `build` cannot fail today; if it ever does, keep the default trust.
    let context = context.unwrap_or_default();
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut connector = ConnectorBuilder::default()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .tls_context(context.clone());
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
