//! The client core every generated vendor `Client` wraps: its configuration, and the entry
//! points that hand a request to the one pipeline and read the answer as JSON, as nothing, as a
//! file or as a stream.

use std::fmt;
use std::sync::{Arc, RwLock};

use futures_util::TryStreamExt;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::answer::Answer;
use super::call::Call;
use super::error::{Error, ErrorKind};
use super::files::{Download, DownloadStream, disposition_file_name};
use super::pending::Pending;
use super::pipeline::{self, Read, Reply};
use super::profile::{Method, VendorProfile};
use super::raw::RawRequest;
use super::retry::RetryPolicy;
use super::secret::Secret;
use super::token::TokenCache;

/// A configured client: cheap to clone, clones share the connection pool and the token cache.
/// Built with [`Builder`](super::Builder); generated vendor clients wrap one.
#[derive(Clone)]
pub struct Core {
    pub(crate) inner: Arc<Inner>,
}

impl Core {
    /// The vendor this client calls, e.g. `feishu`.
    pub fn vendor(&self) -> &'static str {
        self.inner.profile.name
    }

    /// The base URL every path is appended to, without a trailing slash. When it is one of the
    /// vendor's hosts, the operations of a service served elsewhere (`hosts:` of its
    /// declaration) go to that service's host of the same name instead.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a call to an endpoint that has no spec yet: `path` is appended to the base URL
    /// (e.g. `/open-apis/im/v1/messages`) and sent as written, so percent-encode any segment
    /// that holds user input. It must start with `/` and have no query (`?`), fragment (`#`) or
    /// control characters; use [`RawRequest::query`] for the query.
    ///
    /// The call goes through the same pipeline as generated ones: the client's token (by default
    /// the first kind it fetches itself), retries by the method's idempotency, the envelope (or
    /// HTTP status) check, and an [`Error`] with the vendor's code, message and request id.
    ///
    /// ```no_run
    /// # async fn demo(lark: &generated_client::feishu::Client) -> Result<(), generated_client::runtime::Error> {
    /// use generated_client::runtime::{Method, serde_json::{Value, json}};
    ///
    /// let sent: Value = lark
    ///     .core()
    ///     .raw(Method::Post, "/open-apis/im/v1/messages")
    ///     .query("receive_id_type", "open_id")
    ///     .json(&json!({"receive_id": "ou_7d8a6e6df7621556ce0d21922b676706ccs", "msg_type": "text", "content": "{\"text\":\"hi\"}"}))
    ///     .send()
    ///     .await?;
    /// println!("message {}", sent["message_id"]);
    /// # Ok(()) }
    /// ```
    /// Sets a credential the vendor pushes to the app (Feishu's `app_ticket`, declared `pushed`
    /// in the vendor file), replacing the one before: token exchanges read it from now on. The
    /// generated `Client::receive_pushed_credentials` registers the events that carry them.
    pub fn set_credential(&self, name: &str, value: impl Into<String>) -> Result<(), Error> {
        let Some(spec) = self.inner.profile.credentials.iter().find(|c| c.name == name && c.pushed.is_some()) else {
            let pushed: Vec<&str> = self.inner.profile.credentials.iter().filter(|c| c.pushed.is_some()).map(|c| c.name).collect();
            let message = format!("`{name}` is not a credential the vendor pushes (those are: {})", if pushed.is_empty() { "none".to_owned() } else { pushed.join(", ") });
            return Err(Error::new(ErrorKind::Config, self.inner.profile.name, message));
        };
        let mut credentials = self.inner.credentials.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        credentials.retain(|(n, _)| *n != spec.name);
        credentials.push((spec.name, Secret::new(value)));
        Ok(())
    }

    pub fn raw(&self, method: Method, path: impl Into<String>) -> RawRequest {
        RawRequest::new(self.clone(), method, path.into())
    }

    /// [`Core::send_json`] on an owned core, the error converted to the vendor's: what a
    /// generated `send` returns. The future is the runtime's, one per payload type, and it is a
    /// named type, so an operation adds neither an `async` body nor an opaque type (whose `Send`
    /// rustc would prove again for each) to compile.
    pub fn call_json<T: DeserializeOwned + Send + 'static, E: From<Error> + Send + 'static>(self, call: Call) -> Pending<T, E> {
        Pending::new(async move { self.send_json::<T>(call).await.map_err(E::from) })
    }

    /// [`Core::send_unit`] on an owned core, the error converted to the vendor's.
    pub fn call_unit<E: From<Error> + Send + 'static>(self, call: Call) -> Pending<(), E> {
        Pending::new(async move { self.send_unit(call).await.map_err(E::from) })
    }

    /// [`Core::send_binary`] on an owned core, the error converted to the vendor's.
    pub fn call_binary<E: From<Error> + Send + 'static>(self, call: Call) -> Pending<Download, E> {
        Pending::new(async move { self.send_binary(call).await.map_err(E::from) })
    }

    /// [`Core::send_binary_stream`] on an owned core, the error converted to the vendor's.
    pub fn call_binary_stream<E: From<Error> + Send + 'static>(self, call: Call) -> Pending<DownloadStream, E> {
        Pending::new(async move { self.send_binary_stream(call).await.map_err(E::from) })
    }

    /// Sends a call and decodes its payload as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let answer = self.answer(&call, Read::Json).await?;
        answer.payload(self.inner.profile, call.response).map_err(|e| e.for_operation(call.operation))
    }

    /// Sends a call whose answer carries no payload.
    pub async fn send_unit(&self, call: Call) -> Result<(), Error> {
        self.answer(&call, Read::Json).await.map(|_| ())
    }

    /// Sends a call whose answer is a file, and reads it into memory.
    pub async fn send_binary(&self, call: Call) -> Result<Download, Error> {
        let answer = self.answer(&call, Read::File).await?;
        Ok(Download { file_name: file_name(&answer.headers), content_type: header(&answer.headers, reqwest::header::CONTENT_TYPE), bytes: answer.body })
    }

    /// Sends a call whose answer is a file, and hands the body over as it arrives. Until the
    /// server starts sending a file (a 2xx answer that is not JSON), the call is retried and its
    /// token refreshed like any other; after that, a failure ends the stream with an error.
    pub async fn send_binary_stream(&self, call: Call) -> Result<DownloadStream, Error> {
        let vendor = self.inner.profile.name;
        let response = match pipeline::send(&self.inner, &call, Read::Stream).await? {
            Reply::Streaming(response) => response,
            // An answer that passed the check without being a file: its body is the file.
            Reply::Whole(answer) => {
                let body = futures_util::stream::once(std::future::ready(Ok(answer.body.clone())));
                return Ok(DownloadStream {
                    file_name: file_name(&answer.headers),
                    content_type: header(&answer.headers, reqwest::header::CONTENT_TYPE),
                    content_length: Some(answer.body.len() as u64),
                    body: Box::pin(body),
                });
            }
        };
        let headers = response.headers();
        let (file_name, content_type) = (file_name(headers), header(headers, reqwest::header::CONTENT_TYPE));
        let content_length = header(headers, reqwest::header::CONTENT_LENGTH).and_then(|l| l.parse().ok());
        let operation = call.operation;
        let body = response.bytes_stream().map_err(move |e| Error::transport(vendor, e).for_operation(operation));
        Ok(DownloadStream { file_name, content_type, content_length, body: Box::pin(body) })
    }

    /// Sends a call through the pipeline and reads its answer whole.
    async fn answer(&self, call: &Call, read: Read) -> Result<Answer, Error> {
        pipeline::send_whole(&self.inner, call, read).await
    }
}

/// What every call of one client shares: configuration, connection pool, token cache.
pub(crate) struct Inner {
    pub profile: &'static VendorProfile,
    pub base_url: String,
    /// The name of the vendor's host the base URL is; `None` for any other base URL (a proxy,
    /// a test server), to which every call goes.
    pub host: Option<&'static str>,
    pub http: reqwest::Client,
    /// Set by the builder; pushed ones (`CredentialSpec::pushed`) also later, by `set_credential`.
    pub credentials: RwLock<Vec<(&'static str, Secret)>>,
    pub default_headers: HeaderMap,
    pub retry: RetryPolicy,
    pub tokens: TokenCache,
    /// The builder's `static_token`, also used for per-request kinds when a call passes none.
    pub static_token: Option<Secret>,
}

impl Inner {
    pub fn credential(&self, name: &str) -> Option<Secret> {
        self.credentials().iter().find(|(n, _)| *n == name).map(|(_, s)| s.clone())
    }

    pub fn credentials(&self) -> std::sync::RwLockReadGuard<'_, Vec<(&'static str, Secret)>> {
        // A panic while holding the lock cannot leave the list half-written: entries are replaced whole.
        self.credentials.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn file_name(headers: &HeaderMap) -> Option<String> {
    header(headers, reqwest::header::CONTENT_DISPOSITION).as_deref().and_then(disposition_file_name)
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Core")
            .field("vendor", &i.profile.name)
            .field("base_url", &i.base_url)
            .field("credentials", &i.credentials().iter().map(|(n, _)| *n).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner").field("vendor", &self.profile.name).finish_non_exhaustive()
    }
}
