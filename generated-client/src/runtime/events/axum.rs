//! The receivers as axum routers (feature `axum`). The body is taken as bytes, never through a
//! JSON extractor, so the signature is checked over the bytes Feishu signed.

use std::sync::Arc;

use ::axum::Router;
use ::axum::body::{Body, Bytes};
use ::axum::extract::State;
use ::axum::http::{HeaderMap, StatusCode};
use ::axum::response::{IntoResponse, Response};
use ::axum::routing::post;

use super::{CardV1Receiver, WebhookReceiver, WebhookRequest, WebhookResponse};

impl WebhookReceiver {
    /// A router answering `POST path` with this receiver, to merge into the application's own:
    /// `app.merge(receiver.into_router("/feishu/events"))`. axum's default body limit (2 MB)
    /// applies. Panics, as axum's `route` does, if `path` does not start with `/`.
    pub fn into_router<S: Clone + Send + Sync + 'static>(self, path: &str) -> Router<S> {
        Router::new().route(path, post(receive_event)).with_state(Arc::new(self))
    }
}

impl CardV1Receiver {
    /// A router answering `POST path` with this receiver; see [`WebhookReceiver::into_router`].
    pub fn into_router<S: Clone + Send + Sync + 'static>(self, path: &str) -> Router<S> {
        Router::new().route(path, post(receive_card_v1)).with_state(Arc::new(self))
    }
}

async fn receive_event(State(receiver): State<Arc<WebhookReceiver>>, headers: HeaderMap, body: Bytes) -> WebhookResponse {
    receiver.handle(WebhookRequest { headers, body }).await
}

async fn receive_card_v1(State(receiver): State<Arc<CardV1Receiver>>, headers: HeaderMap, body: Bytes) -> WebhookResponse {
    receiver.handle(WebhookRequest { headers, body }).await
}

impl IntoResponse for WebhookResponse {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = self.headers;
        response
    }
}
