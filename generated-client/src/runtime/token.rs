//! The token cache: one slot per token kind, each holding a token and the headers that go with
//! it. It knows nothing of HTTP or of the client: each caller hands it the fetch to run when the
//! token is missing or due. It runs one fetch however many callers wait (they share its
//! failure), replaces a token a margin before it expires, and drops a refused token only while
//! it is still the cached one. The model is smithy-rs's lazy identity cache
//! (`aws-smithy-runtime/src/client/identity/cache/lazy.rs`), plus the shared failure.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};

use super::error::Error;
use super::secret::Secret;

/// A token and the headers that go with it.
#[derive(Debug)]
pub(crate) struct Issued {
    pub token: Secret,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// `None`: never expires (a lifetime too large for the clock, or a preset token).
    pub expires_at: Option<Instant>,
}

/// The tokens of one client, shared by its clones.
#[derive(Debug)]
pub(crate) struct TokenCache {
    /// How long before its expiry a token is replaced.
    margin: Duration,
    slots: Vec<Slot>,
}

#[derive(Debug)]
struct Slot {
    kind: &'static str,
    /// A preset token (the builder's static token): never replaced, never dropped.
    preset: bool,
    /// Loads finished so far, successful or not.
    loads: AtomicU64,
    /// Read without waiting on a load: a cache hit takes no async lock. Never held across an `await`.
    cached: RwLock<Option<Arc<Issued>>>,
    /// Held across the fetch, so concurrent callers wait for the one fetch instead of starting
    /// theirs. It keeps the last failed load and its number: callers that were waiting for that
    /// load share its error instead of each trying again.
    loading: tokio::sync::Mutex<Option<(u64, Error)>>,
}

impl TokenCache {
    /// A cache with an empty slot for each of `kinds`.
    pub fn new(kinds: impl Iterator<Item = &'static str>, margin: Duration) -> TokenCache {
        let slots = kinds.map(|kind| Slot { kind, preset: false, loads: AtomicU64::new(0), cached: RwLock::new(None), loading: tokio::sync::Mutex::new(None) }).collect();
        TokenCache { margin, slots }
    }

    /// Fills the slot of `kind` with a token that is never fetched, replaced or dropped.
    pub fn preset(&mut self, kind: &str, issued: Issued) {
        if let Some(slot) = self.slots.iter_mut().find(|s| s.kind == kind) {
            slot.preset = true;
            slot.cached = RwLock::new(Some(Arc::new(issued)));
        }
    }

    /// A token of `kind` usable for at least the margin: the cached one, or the one `fetch`
    /// returns. `fetch` runs only when no other caller's fetch is in flight; a caller that
    /// waited for a fetch that failed gets that failure. A kind without a slot is fetched every
    /// time (the client makes a slot for every kind it fetches, so this does not happen).
    pub async fn get<F, Fut>(&self, kind: &str, fetch: F) -> Result<Arc<Issued>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, Error>>,
    {
        let Some(slot) = self.slots.iter().find(|s| s.kind == kind) else {
            return fetch().await.map(Arc::new);
        };
        // Read before the cache: a load that finishes after this point is one this call waited for.
        let seen = slot.loads.load(Ordering::SeqCst);
        if let Some(issued) = slot.fresh(self.margin) {
            return Ok(issued);
        }
        let mut failure = slot.loading.lock().await;
        // Another caller may have loaded while this one waited for the lock.
        if let Some(issued) = slot.fresh(self.margin) {
            return Ok(issued);
        }
        if let Some((load, error)) = &*failure
            && *load > seen
        {
            return Err(error.clone());
        }
        match fetch().await {
            Ok(issued) => {
                let issued = Arc::new(issued);
                *slot.cached.write().unwrap_or_else(PoisonError::into_inner) = Some(issued.clone());
                *failure = None;
                slot.loads.fetch_add(1, Ordering::SeqCst);
                Ok(issued)
            }
            Err(error) => {
                let load = slot.loads.fetch_add(1, Ordering::SeqCst) + 1;
                *failure = Some((load, error.clone()));
                Err(error)
            }
        }
    }

    /// Drops `stale` if it is still the cached token of `kind`, so that a refused token is never
    /// sent again but a token another caller already replaced is kept. Says whether a new token
    /// can be fetched (a preset token cannot be replaced).
    pub fn invalidate(&self, kind: &str, stale: &Arc<Issued>) -> bool {
        let Some(slot) = self.slots.iter().find(|s| s.kind == kind) else { return true };
        if slot.preset {
            return false;
        }
        let mut cached = slot.cached.write().unwrap_or_else(PoisonError::into_inner);
        if cached.as_ref().is_some_and(|c| Arc::ptr_eq(c, stale)) {
            *cached = None;
        }
        true
    }
}

impl Slot {
    /// The cached token, if it is usable for at least `margin` more.
    fn fresh(&self, margin: Duration) -> Option<Arc<Issued>> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached.as_ref().filter(|issued| issued.fresh(margin)).cloned()
    }
}

impl Issued {
    /// Usable for at least `margin` more. (A margin too large for the clock means every token is due.)
    fn fresh(&self, margin: Duration) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => Instant::now().checked_add(margin).is_some_and(|due| due < at),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use super::{Issued, TokenCache};
    use crate::runtime::error::{Error, ErrorKind};
    use crate::runtime::secret::Secret;

    fn issued(token: &str, lifetime: Duration) -> Issued {
        Issued { token: Secret::new(token), headers: Vec::new(), expires_at: Instant::now().checked_add(lifetime) }
    }

    #[tokio::test]
    async fn loads_once_then_serves_from_the_cache_until_the_margin() {
        let cache = TokenCache::new(["app"].into_iter(), Duration::from_secs(60));
        let fetches = AtomicUsize::new(0);
        let fetch = |lifetime| {
            let fetches = &fetches;
            move || async move {
                let n = fetches.fetch_add(1, Ordering::SeqCst);
                Ok(issued(&format!("t{n}"), lifetime))
            }
        };
        assert_eq!(cache.get("app", fetch(Duration::from_secs(3600))).await.unwrap().token.expose(), "t0");
        assert_eq!(cache.get("app", fetch(Duration::from_secs(3600))).await.unwrap().token.expose(), "t0");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // Lives 30 s, inside the 60 s margin: due at once, so each call fetches.
        let cache = TokenCache::new(["app"].into_iter(), Duration::from_secs(60));
        cache.get("app", fetch(Duration::from_secs(30))).await.unwrap();
        cache.get("app", fetch(Duration::from_secs(30))).await.unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn invalidating_drops_only_the_token_still_cached() {
        let cache = TokenCache::new(["app"].into_iter(), Duration::ZERO);
        let a = cache.get("app", || async { Ok(issued("a", Duration::from_secs(3600))) }).await.unwrap();
        assert!(cache.invalidate("app", &a));
        let b = cache.get("app", || async { Ok(issued("b", Duration::from_secs(3600))) }).await.unwrap();
        assert_eq!(b.token.expose(), "b");
        // A second caller refused `a` too: `b` stays.
        assert!(cache.invalidate("app", &a));
        let still = cache.get("app", || async { Ok(issued("c", Duration::from_secs(3600))) }).await.unwrap();
        assert!(Arc::ptr_eq(&still, &b));
    }

    #[tokio::test]
    async fn a_preset_token_is_never_fetched_nor_dropped() {
        let mut cache = TokenCache::new(["app"].into_iter(), Duration::ZERO);
        cache.preset("app", Issued { token: Secret::new("static"), headers: Vec::new(), expires_at: None });
        let token = cache.get("app", || async { Ok(issued("fetched", Duration::from_secs(1))) }).await.unwrap();
        assert_eq!(token.token.expose(), "static");
        assert!(!cache.invalidate("app", &token), "a preset token cannot be replaced");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn waiters_share_the_failure_of_the_fetch_they_waited_for_and_later_callers_try_again() {
        let cache = Arc::new(TokenCache::new(["app"].into_iter(), Duration::ZERO));
        let fetches = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (cache, fetches) = (cache.clone(), fetches.clone());
                tokio::spawn(async move {
                    cache
                        .get("app", || async move {
                            fetches.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            Err::<Issued, _>(Error::new(ErrorKind::Token, "test", "refused"))
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap_err().message(), "refused");
        }
        let shared = fetches.load(Ordering::SeqCst);
        assert!(shared <= 2, "the callers waiting for a fetch share its failure: {shared} fetches");
        let later = cache.get("app", || async { Ok(issued("t", Duration::from_secs(60))) }).await.unwrap();
        assert_eq!(later.token.expose(), "t", "a later caller tries again");
    }
}
