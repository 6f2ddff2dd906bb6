//! The connection's timings: the server's `ClientConfig` (in seconds, from the endpoint answer
//! and from pongs), the defaults before the server has said anything, and the builder's
//! overrides, which win over both.

use std::time::Duration;

use serde::Deserialize;

/// Before the server sends its own: ping every 120 s, first reconnect within 30 s, then every
/// 120 s, forever.
pub const DEFAULT_PING_INTERVAL: Duration = Duration::from_secs(120);
pub const DEFAULT_RECONNECT_INTERVAL: Duration = Duration::from_secs(120);
pub const DEFAULT_RECONNECT_NONCE: Duration = Duration::from_secs(30);

/// The shortest ping interval used, whatever is configured: a zero would spin.
const MIN_PING_INTERVAL: Duration = Duration::from_millis(10);

/// `ClientConfig` as the server sends it: every value in seconds, `ReconnectCount` −1 for
/// "forever". Absent or out-of-range values leave the current ones.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct ServerConfig {
    #[serde(rename = "ReconnectCount", default)]
    pub reconnect_count: Option<i64>,
    #[serde(rename = "ReconnectInterval", default)]
    pub reconnect_interval: Option<i64>,
    #[serde(rename = "ReconnectNonce", default)]
    pub reconnect_nonce: Option<i64>,
    #[serde(rename = "PingInterval", default)]
    pub ping_interval: Option<i64>,
}

/// Fixed timings set on the builder; each one set replaces whatever the server says.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Overrides {
    pub ping_interval: Option<Duration>,
    pub reconnect_interval: Option<Duration>,
    pub reconnect_nonce: Option<Duration>,
    /// `Some(None)`: retry forever; `Some(Some(n))`: at most `n` tries.
    pub reconnect_tries: Option<Option<u32>>,
}

/// The timings in force: the server's latest values under the builder's overrides.
#[derive(Debug, Clone)]
pub(crate) struct Timings {
    ping_interval: Duration,
    reconnect_interval: Duration,
    reconnect_nonce: Duration,
    reconnect_tries: Option<u32>,
    overrides: Overrides,
}

impl Timings {
    pub fn new(overrides: Overrides) -> Timings {
        Timings { ping_interval: DEFAULT_PING_INTERVAL, reconnect_interval: DEFAULT_RECONNECT_INTERVAL, reconnect_nonce: DEFAULT_RECONNECT_NONCE, reconnect_tries: None, overrides }
    }

    /// Takes the server's values; a negative interval or a zero ping interval is ignored.
    pub fn apply(&mut self, server: &ServerConfig) {
        let secs = |v: Option<i64>| v.and_then(|s| u64::try_from(s).ok()).map(Duration::from_secs);
        if let Some(d) = secs(server.ping_interval).filter(|d| !d.is_zero()) {
            self.ping_interval = d;
        }
        if let Some(d) = secs(server.reconnect_interval) {
            self.reconnect_interval = d;
        }
        if let Some(d) = secs(server.reconnect_nonce) {
            self.reconnect_nonce = d;
        }
        if let Some(count) = server.reconnect_count {
            self.reconnect_tries = u32::try_from(count).ok();
        }
    }

    pub fn ping_interval(&self) -> Duration {
        self.overrides.ping_interval.unwrap_or(self.ping_interval).max(MIN_PING_INTERVAL)
    }

    /// How long the connection may stay silent (no pong, no frame at all) before it is taken
    /// for dead: two ping intervals.
    pub fn silence_limit(&self) -> Duration {
        self.ping_interval().saturating_mul(2)
    }

    pub fn reconnect_interval(&self) -> Duration {
        self.overrides.reconnect_interval.unwrap_or(self.reconnect_interval)
    }

    pub fn reconnect_nonce(&self) -> Duration {
        self.overrides.reconnect_nonce.unwrap_or(self.reconnect_nonce)
    }

    /// The most tries in one reconnect round; `None` for no limit.
    pub fn reconnect_tries(&self) -> Option<u32> {
        self.overrides.reconnect_tries.unwrap_or(self.reconnect_tries)
    }

    /// A random wait in `[0, nonce)`, so that clients dropped together do not return together.
    pub fn jitter(&self) -> Duration {
        let nonce = u64::try_from(self.reconnect_nonce().as_micros()).unwrap_or(u64::MAX);
        if nonce == 0 { Duration::ZERO } else { Duration::from_micros(fastrand::u64(0..nonce)) }
    }
}
