//! The configuration of a client, checked once when it is built: base URL, credentials,
//! timeouts, headers, the retry policy and the token cache's margin.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::client::{Core, Inner};
use super::error::{Error, ErrorKind};
use super::exchange;
use super::profile::VendorProfile;
use super::retry::RetryPolicy;
use super::secret::Secret;
use super::token::{Issued, TokenCache};

/// Default whole-request timeout of one attempt, as in the vendors' own SDKs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default margin before expiry at which a cached token is replaced (the Go and Node SDKs use 3 minutes).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// Configuration of a client, checked by [`Builder::build`]. Generated builders wrap it.
#[derive(Debug)]
pub struct Builder {
    profile: &'static VendorProfile,
    base_url: Option<String>,
    credentials: Vec<(&'static str, Secret)>,
    timeout: Duration,
    connect_timeout: Duration,
    refresh_margin: Duration,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    static_token: Option<Secret>,
    /// Tokens of named kinds given instead of fetched (`static_token_for`).
    kind_tokens: Vec<(String, Secret)>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
}

impl Builder {
    /// Starts configuring a client of the vendor `profile` describes, with the defaults.
    pub fn new(profile: &'static VendorProfile) -> Builder {
        Builder {
            profile,
            base_url: None,
            credentials: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            default_headers: Vec::new(),
            http: None,
            static_token: None,
            kind_tokens: Vec::new(),
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
        }
    }

    /// How failed attempts are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Builder {
        self.retry = policy;
        self
    }

    /// Sets the credential `name` (one of the profile's), replacing an earlier value.
    pub fn credential(mut self, name: &'static str, value: String) -> Builder {
        self.credentials.retain(|(n, _)| *n != name);
        self.credentials.push((name, Secret::new(value)));
        self
    }

    /// The base URL of the API; a trailing slash is dropped.
    pub fn base_url(mut self, url: String) -> Builder {
        self.base_url = Some(url);
        self
    }

    /// A whole-request timeout for each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Builder {
        self.timeout = timeout;
        self
    }

    /// A timeout for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Builder {
        self.connect_timeout = timeout;
        self
    }

    /// How long before its expiry a cached token is replaced.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Builder {
        self.refresh_margin = margin;
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: String, value: String) -> Builder {
        self.default_headers.push((name, value));
        self
    }

    /// Uses this `reqwest::Client`; the timeouts set here then do not apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Builder {
        self.http = Some(client);
        self
    }

    /// Uses this token instead of fetching one, and for per-request token kinds when a call passes none.
    pub fn static_token(mut self, token: String) -> Builder {
        self.static_token = Some(Secret::new(token));
        self
    }

    /// Uses this token for the token kind `kind` (one the client fetches, such as Feishu's `app`)
    /// instead of fetching it, replacing an earlier one; its credentials are then not needed.
    pub fn static_token_for(mut self, kind: String, token: String) -> Builder {
        self.kind_tokens.retain(|(k, _)| *k != kind);
        self.kind_tokens.push((kind, Secret::new(token)));
        self
    }

    /// Allows a plain-HTTP base URL on a host that is not loopback.
    pub fn allow_insecure_http(mut self, allow: bool) -> Builder {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Core, Error> {
        let vendor = self.profile.name;
        let config = |message: String| Error::new(ErrorKind::Config, vendor, message);
        let base_url = self.base_url.unwrap_or_else(|| self.profile.default_base_url.to_owned()).trim_end_matches('/').to_owned();
        let url = reqwest::Url::parse(&base_url).map_err(|e| config(format!("base URL {base_url:?} is not a URL: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => return Err(config(format!("base URL {base_url:?} is plain HTTP to a host that is not loopback; use https, or allow it with `allow_insecure_http(true)`"))),
            other => return Err(config(format!("base URL scheme `{other}` is not http or https"))),
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(config(format!("base URL {base_url:?} must not have a query or fragment")));
        }

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| config(format!("default header name {name:?} is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| config(format!("default header `{name}` has a value with control characters (CR, LF)")))?;
            default_headers.append(name, value);
        }

        let exchange_kinds = self.profile.tokens.iter().filter(|t| t.exchange.is_some());
        for (kind, _) in &self.kind_tokens {
            if !exchange_kinds.clone().any(|k| k.name == kind) {
                let known: Vec<String> = exchange_kinds.clone().map(|k| format!("`{}`", k.name)).collect();
                return Err(config(format!("`static_token_for(\"{kind}\", …)`: `{kind}` is not a token kind this client fetches (it fetches {})", known.join(", "))));
            }
        }
        if self.static_token.is_none() {
            for kind in exchange_kinds.clone().filter(|k| !self.kind_tokens.iter().any(|(name, _)| name == k.name)) {
                for (_, credential) in kind.exchange.iter().flat_map(|e| e.body) {
                    // A pushed credential arrives later, in an event.
                    let pushed = self.profile.credentials.iter().any(|c| c.name == *credential && c.pushed.is_some());
                    if !pushed && !self.credentials.iter().any(|(n, _)| n == credential) {
                        return Err(config(format!("credential `{credential}` is not set: call `.{credential}(…)` on the builder, or give a `static_token`")));
                    }
                }
            }
        }
        if self.refresh_margin > Duration::from_secs(24 * 3600) {
            return Err(config(format!("a token refresh margin of {:?} is longer than any token lives; use minutes", self.refresh_margin)));
        }
        if self.retry.max_attempts == 0 {
            return Err(config("a retry policy needs at least one attempt (`max_attempts: 1` turns retries off)".to_owned()));
        }
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .tls_backend_rustls()
                .https_only(false)
                .build()
                .map_err(|e| config(format!("the HTTP client could not be built: {e}")).with_source(e))?,
        };

        let mut tokens = TokenCache::new(exchange_kinds.clone().map(|t| t.name), self.refresh_margin);
        // A static token takes the place of the first token the client would fetch, with the
        // headers that go with it.
        if let Some(token) = &self.static_token
            && let Some(kind) = exchange_kinds.clone().next()
        {
            let headers = kind.exchange.as_ref().map(|e| exchange::bound_headers(&self.credentials, e, token)).unwrap_or_default();
            tokens.preset(kind.name, Issued { token: token.clone(), headers, expires_at: None });
        }
        for (name, token) in &self.kind_tokens {
            let Some(kind) = exchange_kinds.clone().find(|k| k.name == name) else { continue };
            let headers = kind.exchange.as_ref().map(|e| exchange::bound_headers(&self.credentials, e, token)).unwrap_or_default();
            tokens.preset(kind.name, Issued { token: token.clone(), headers, expires_at: None });
        }
        let host = self.profile.hosts.iter().find(|(_, url)| url.trim_end_matches('/').eq_ignore_ascii_case(&base_url)).map(|(name, _)| *name);
        let inner = Inner {
            profile: self.profile,
            base_url,
            host,
            http,
            credentials: std::sync::RwLock::new(self.credentials),
            default_headers,
            retry: self.retry,
            tokens,
            static_token: self.static_token,
        };
        Ok(Core { inner: Arc::new(inner) })
    }
}

/// 127.0.0.0/8, ::1 and `localhost`: the hosts where plain HTTP never leaves the machine.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
