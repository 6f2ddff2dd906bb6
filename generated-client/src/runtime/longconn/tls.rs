//! TLS for `wss://`: rustls with the process's default crypto provider if one is installed,
//! else aws-lc-rs (the provider reqwest's `rustls` feature builds, so no second backend is
//! compiled and no global default is needed), and the platform's certificate verifier, as
//! reqwest does.

use std::sync::Arc;

use rustls_platform_verifier::BuilderVerifierExt;

use super::error::LongConnectionError;

/// The client configuration for `wss://` connections.
pub(crate) fn client_config() -> Result<Arc<rustls::ClientConfig>, LongConnectionError> {
    let provider = rustls::crypto::CryptoProvider::get_default().cloned().unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| LongConnectionError::Tls(e.to_string()))?
        .with_platform_verifier()
        .map_err(|e| LongConnectionError::Tls(e.to_string()))?
        .with_no_client_auth();
    Ok(Arc::new(config))
}
