//! [`LongConnection`] and its builder: the loop that fetches an endpoint, connects, serves the
//! connection, and reconnects on the server's schedule until shutdown or a fatal error.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::config::{Overrides, Timings};
use super::endpoint::{self, Endpoint};
use super::error::{Failure, LongConnectionError};
use super::fragments::DEFAULT_FRAGMENT_TTL;
use super::session::{self, Context, Ended, Shutdown, Socket};
use crate::runtime::Secret;
use crate::runtime::events::Dispatcher;

/// The open platform of Feishu (China), the default base URL.
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";
/// The open platform of Lark (international).
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";
/// The time limit of one endpoint fetch and of one handshake, unless the builder says otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long handlers in flight may take to finish on shutdown (the server allows 3 s per event).
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// The configuration of a [`LongConnection`]; see the [module docs](super) for an example.
pub struct LongConnectionBuilder {
    app_id: String,
    app_secret: Secret,
    base_url: String,
    dispatcher: Dispatcher,
    http: Option<reqwest::Client>,
    overrides: Overrides,
    connect_timeout: Duration,
    shutdown_grace: Duration,
    fragment_ttl: Duration,
    shutdown: Option<Shutdown>,
}

/// A client of the event long connection (a WebSocket the app opens to the open platform,
/// instead of receiving webhooks). [`LongConnection::run`] keeps it open until the shutdown
/// signal or an error that retrying does not mend.
pub struct LongConnection {
    core: Core,
    shutdown: Shutdown,
}

/// Everything but the shutdown signal, which is not `Sync`: the connection's tasks borrow this.
struct Core {
    app_id: String,
    app_secret: Secret,
    base_url: String,
    dispatcher: Arc<Dispatcher>,
    http: reqwest::Client,
    overrides: Overrides,
    connect_timeout: Duration,
    shutdown_grace: Duration,
    fragment_ttl: Duration,
    tls: OnceLock<Arc<rustls::ClientConfig>>,
}

impl fmt::Debug for LongConnectionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongConnectionBuilder")
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret)
            .field("base_url", &self.base_url)
            .field("dispatcher", &self.dispatcher)
            .field("overrides", &self.overrides)
            .field("connect_timeout", &self.connect_timeout)
            .field("shutdown_grace", &self.shutdown_grace)
            .field("fragment_ttl", &self.fragment_ttl)
            .field("shutdown", &self.shutdown.is_some())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for LongConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongConnection")
            .field("app_id", &self.core.app_id)
            .field("base_url", &self.core.base_url)
            .field("dispatcher", &self.core.dispatcher)
            .finish_non_exhaustive()
    }
}

impl LongConnection {
    /// A connection for the app `app_id`, to Feishu unless [`base_url`](LongConnectionBuilder::base_url)
    /// or [`lark`](LongConnectionBuilder::lark) says otherwise.
    pub fn builder(app_id: impl Into<String>, app_secret: impl Into<Secret>) -> LongConnectionBuilder {
        LongConnectionBuilder {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            base_url: FEISHU_BASE_URL.to_owned(),
            dispatcher: Dispatcher::new(),
            http: None,
            overrides: Overrides::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            fragment_ttl: DEFAULT_FRAGMENT_TTL,
            shutdown: None,
        }
    }

    /// Connects and serves events until the shutdown signal (then `Ok(())`) or an error that
    /// retrying does not mend. Transient failures are logged and retried on the schedule the
    /// [module docs](super) describe.
    pub async fn run(self) -> Result<(), LongConnectionError> {
        let LongConnection { core, mut shutdown } = self;
        core.serve(&mut shutdown).await
    }
}

impl Core {
    async fn serve(&self, shutdown: &mut Shutdown) -> Result<(), LongConnectionError> {
        let mut timings = Timings::new(self.overrides);
        // `None` on the first connection: one try at once before the reconnect schedule.
        let mut lost: Option<String> = None;
        loop {
            let Some((socket, endpoint)) = self.establish(&mut timings, lost.take(), shutdown).await? else {
                tracing::info!("long connection: shut down before connecting");
                return Ok(());
            };
            tracing::info!(host = %endpoint.host, service_id = endpoint.service_id, "long connection established");
            let cx = Context { dispatcher: &self.dispatcher, timings: &mut timings, service_id: endpoint.service_id, fragment_ttl: self.fragment_ttl, grace: self.shutdown_grace };
            match session::serve(socket, cx, shutdown).await {
                Ended::Shutdown => {
                    tracing::info!(host = %endpoint.host, "long connection closed on shutdown");
                    return Ok(());
                }
                Ended::Lost(why) => {
                    tracing::warn!(host = %endpoint.host, "long connection lost: {why}; reconnecting");
                    lost = Some(why);
                }
            }
        }
    }

    /// Connects: on the first start one try at once; then (or after a lost connection) the
    /// reconnect round: a random wait under the nonce, then tries every reconnect interval, up
    /// to the allowed number. `Ok(None)` when the shutdown signal came first.
    async fn establish(&self, timings: &mut Timings, lost: Option<String>, shutdown: &mut Shutdown) -> Result<Option<(Socket, Endpoint)>, LongConnectionError> {
        let mut last = match lost {
            Some(why) => why,
            None => match self.attempt_until(timings, shutdown).await {
                Some(Ok(connected)) => return Ok(Some(connected)),
                Some(Err(Failure::Fatal(e))) => return Err(e),
                Some(Err(Failure::Retry(why))) => {
                    tracing::warn!("long connection: the first try failed: {why}");
                    why
                }
                None => return Ok(None),
            },
        };
        let jitter = timings.jitter();
        tracing::debug!("long connection: reconnecting in {jitter:?}");
        if !pause(jitter, shutdown).await {
            return Ok(None);
        }
        let mut tries: u32 = 0;
        loop {
            if timings.reconnect_tries().is_some_and(|max| tries >= max) {
                return Err(LongConnectionError::RetriesExhausted { tries, last });
            }
            tries += 1;
            match self.attempt_until(timings, shutdown).await {
                Some(Ok(connected)) => return Ok(Some(connected)),
                Some(Err(Failure::Fatal(e))) => return Err(e),
                Some(Err(Failure::Retry(why))) => last = why,
                None => return Ok(None),
            }
            if timings.reconnect_tries().is_some_and(|max| tries >= max) {
                return Err(LongConnectionError::RetriesExhausted { tries, last });
            }
            let interval = timings.reconnect_interval();
            tracing::warn!("long connection: try {tries} failed: {last}; next try in {interval:?}");
            if !pause(interval, shutdown).await {
                return Ok(None);
            }
        }
    }

    /// One try, abandoned if the shutdown signal comes first (`None`).
    async fn attempt_until(&self, timings: &mut Timings, shutdown: &mut Shutdown) -> Option<Result<(Socket, Endpoint), Failure>> {
        tokio::select! {
            biased;
            () = shutdown => None,
            result = self.attempt(timings) => Some(result),
        }
    }

    /// Fetches an endpoint (taking its settings) and opens the WebSocket.
    async fn attempt(&self, timings: &mut Timings) -> Result<(Socket, Endpoint), Failure> {
        let endpoint = endpoint::fetch(&self.http, &self.base_url, &self.app_id, &self.app_secret, self.connect_timeout).await?;
        if let Some(config) = &endpoint.config {
            timings.apply(config);
        }
        let tls = if endpoint.secure { Some(self.tls()?) } else { None };
        let socket = session::open(&endpoint, tls, self.connect_timeout).await?;
        Ok((socket, endpoint))
    }

    fn tls(&self) -> Result<Arc<rustls::ClientConfig>, LongConnectionError> {
        if let Some(config) = self.tls.get() {
            return Ok(Arc::clone(config));
        }
        let config = super::tls::client_config()?;
        Ok(Arc::clone(self.tls.get_or_init(|| config)))
    }
}

/// Waits `duration`; `false` if the shutdown signal came first.
async fn pause(duration: Duration, shutdown: &mut Shutdown) -> bool {
    tokio::select! {
        biased;
        () = shutdown => false,
        () = tokio::time::sleep(duration) => true,
    }
}

impl LongConnectionBuilder {
    /// The open platform's base URL: [`FEISHU_BASE_URL`] (the default), [`LARK_BASE_URL`], or a
    /// test server's `http://127.0.0.1:port`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> LongConnectionBuilder {
        self.base_url = base_url.into();
        self
    }

    /// Connects to Lark (open.larksuite.com) instead of Feishu.
    pub fn lark(self) -> LongConnectionBuilder {
        self.base_url(LARK_BASE_URL)
    }

    /// The handlers of the events and callbacks that arrive. Without one, every event is
    /// acknowledged and dropped.
    pub fn dispatcher(mut self, dispatcher: Dispatcher) -> LongConnectionBuilder {
        self.dispatcher = dispatcher;
        self
    }

    /// The HTTP client for the endpoint exchange (a new one by default).
    pub fn http_client(mut self, client: reqwest::Client) -> LongConnectionBuilder {
        self.http = Some(client);
        self
    }

    /// The signal to stop: when it completes, the handlers in flight get the
    /// [`shutdown_grace`](Self::shutdown_grace) to finish and be acknowledged, the connection is
    /// closed and [`LongConnection::run`] returns `Ok(())`. Any future: `tokio::signal::ctrl_c()`
    /// (mapped to `()`), a `CancellationToken`'s `cancelled_owned()`, a oneshot receiver.
    pub fn with_graceful_shutdown(mut self, signal: impl Future<Output = ()> + Send + 'static) -> LongConnectionBuilder {
        self.shutdown = Some(Box::pin(signal));
        self
    }

    /// The ping interval, replacing the server's `PingInterval` (default 120 s). The connection
    /// is taken for dead after two intervals without any frame.
    pub fn ping_interval(mut self, interval: Duration) -> LongConnectionBuilder {
        self.overrides.ping_interval = Some(interval);
        self
    }

    /// The wait between reconnect tries, replacing the server's `ReconnectInterval`.
    pub fn reconnect_interval(mut self, interval: Duration) -> LongConnectionBuilder {
        self.overrides.reconnect_interval = Some(interval);
        self
    }

    /// The bound of the random wait before a reconnect round, replacing the server's
    /// `ReconnectNonce`.
    pub fn reconnect_nonce(mut self, nonce: Duration) -> LongConnectionBuilder {
        self.overrides.reconnect_nonce = Some(nonce);
        self
    }

    /// The most tries in one reconnect round (`None`: no limit), replacing the server's
    /// `ReconnectCount`.
    pub fn reconnect_tries(mut self, tries: Option<u32>) -> LongConnectionBuilder {
        self.overrides.reconnect_tries = Some(tries);
        self
    }

    /// The time limit of one endpoint fetch and of one handshake (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> LongConnectionBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long handlers in flight may take to finish on shutdown (default 3 s).
    pub fn shutdown_grace(mut self, grace: Duration) -> LongConnectionBuilder {
        self.shutdown_grace = grace;
        self
    }

    /// How long the parts of a split message are kept waiting for the rest (default 5 s).
    pub fn fragment_ttl(mut self, ttl: Duration) -> LongConnectionBuilder {
        self.fragment_ttl = ttl;
        self
    }

    /// Checks the configuration.
    pub fn build(self) -> Result<LongConnection, LongConnectionError> {
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| LongConnectionError::InvalidBaseUrl(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(LongConnectionError::InvalidBaseUrl(format!("scheme `{}`, not http or https", url.scheme())));
        }
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder().build().map_err(|e| LongConnectionError::Tls(e.to_string()))?,
        };
        let core = Core {
            app_id: self.app_id,
            app_secret: self.app_secret,
            base_url: self.base_url,
            dispatcher: Arc::new(self.dispatcher),
            http,
            overrides: self.overrides,
            connect_timeout: self.connect_timeout,
            shutdown_grace: self.shutdown_grace,
            fragment_ttl: self.fragment_ttl,
            tls: OnceLock::new(),
        };
        Ok(LongConnection { core, shutdown: self.shutdown.unwrap_or_else(|| Box::pin(std::future::pending())) })
    }

    /// Builds and runs: [`LongConnection::run`].
    pub async fn run(self) -> Result<(), LongConnectionError> {
        self.build()?.run().await
    }
}
