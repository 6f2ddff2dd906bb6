//! The future a generated `send()` returns: a call on its way, boxed once so that every
//! operation names the same type instead of an opaque `impl Future` of its own.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A call on its way: `.await` it for the decoded answer or the typed error. `Send` and
/// `'static`, so it can be spawned.
#[must_use = "a call does nothing until it is awaited"]
pub struct Pending<T, E> {
    inner: Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'static>>,
}

impl<T, E> Pending<T, E> {
    pub(crate) fn new(future: impl Future<Output = Result<T, E>> + Send + 'static) -> Self {
        Pending { inner: Box::pin(future) }
    }
}

impl<T, E> Future for Pending<T, E> {
    type Output = Result<T, E>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for Pending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pending")
    }
}
