//! When to try a call again, and how long to wait first.

use std::time::Duration;

use super::error::{Error, ErrorKind};
use super::profile::VendorProfile;

/// How failed attempts are retried. `RetryPolicy::default()` is on; [`RetryPolicy::disabled`] is off.
///
/// Retried: connection failures (the request never left), for every method; HTTP 429, 502, 503,
/// 504, the vendor's rate-limit codes, timeouts and connections dropped mid-answer, for
/// idempotent methods only (GET, PUT, DELETE): a POST or PATCH may have been carried out, so it is
/// retried only when it provably never reached the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 means no retries.
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one, with jitter.
    pub initial_backoff: Duration,
    /// Longest wait between attempts, before jitter.
    pub max_backoff: Duration,
    /// Longest wait a rate-limit reset header may ask for; a longer one is not waited out, the
    /// error is returned with [`Error::retry_after`] set.
    pub max_rate_limit_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(200), max_backoff: Duration::from_secs(5), max_rate_limit_wait: Duration::from_secs(60) }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential with full jitter
    /// over its upper half, so waits spread out but never collapse to zero.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        half + Duration::from_nanos(fastrand::u64(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64))
    }
}

/// What the failure of one attempt calls for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    GiveUp,
    /// Retry after this long.
    RetryAfter(Duration),
}

/// Decides whether a failed attempt is retried, and after how long. `idempotent` says whether
/// the call may be sent again after it may have reached the server: its method's
/// [`Method::is_idempotent`](super::profile::Method::is_idempotent), or true for a call that
/// changes nothing whatever its method (the token exchange).
pub(crate) fn verdict(policy: &RetryPolicy, profile: &VendorProfile, idempotent: bool, error: &Error, attempt: u32) -> Verdict {
    if attempt >= policy.max_attempts {
        return Verdict::GiveUp;
    }
    // What failed on the wire: a failed token fetch is filed as kind `Token`, but retried as
    // the transport failure, timeout or answer it was.
    let retryable = match error.wire_kind() {
        ErrorKind::Transport if error.never_sent() => true,
        ErrorKind::Transport | ErrorKind::Timeout => idempotent,
        ErrorKind::Api | ErrorKind::Decode => {
            let rate_limited = is_rate_limited(profile, error);
            let gateway = error.http_status().is_some_and(|s| matches!(s, 502..=504));
            (rate_limited || gateway) && idempotent
        }
        _ => false,
    };
    if !retryable {
        return Verdict::GiveUp;
    }
    match error.retry_after() {
        Some(wait) if wait > policy.max_rate_limit_wait => Verdict::GiveUp,
        Some(wait) => Verdict::RetryAfter(wait),
        None => Verdict::RetryAfter(policy.backoff(attempt)),
    }
}

/// HTTP 429 or one of the vendor's rate-limit codes.
pub(crate) fn is_rate_limited(profile: &VendorProfile, error: &Error) -> bool {
    error.http_status().is_some_and(|s| s == 429 || profile.rate_limit_statuses.contains(&s)) || error.envelope_code().is_some_and(|c| profile.rate_limit_codes.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jittered_bounds_and_is_capped() {
        let p = RetryPolicy { initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(350), ..RetryPolicy::default() };
        for _ in 0..200 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = p.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = p.backoff(9);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350), "{capped:?}");
        }
    }
}
