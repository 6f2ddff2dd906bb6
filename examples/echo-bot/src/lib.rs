//! An echo bot for Feishu (Lark): each text message a person sends it is answered with the same
//! text. Events arrive over the webhook ([`webhook_router`]) or the long connection
//! ([`run_long_connection`]); one [`dispatcher`] serves both, and the answer is the generated
//! `im/v1` reply call.

use std::cmp::Reverse;
use std::future::Future;

use generated_client::feishu;
use generated_client::feishu::im_v1::events::MessageReceiveV1;
use generated_client::feishu::im_v1::{ReplyMessageMsgType, ReplyMessageRequired};
use generated_client::runtime::events::{Dispatcher, Envelope, WebhookReceiver};
use generated_client::runtime::longconn::{LongConnection, LongConnectionError};
use serde::Deserialize;

/// The path the webhook router answers on: the request URL to set in the developer console is
/// `https://<your host>/feishu/events`.
pub const WEBHOOK_PATH: &str = "/feishu/events";

/// What the bot writes before the text it echoes.
pub const PREFIX: &str = "echo: ";

/// The bot's handlers: each `im.message.receive_v1` is answered through `client`. A failed
/// reply fails the delivery, so Feishu delivers the event again.
pub fn dispatcher(client: feishu::Client) -> Dispatcher {
    let replier = client.clone();
    let handlers = Dispatcher::new().on(move |e: Envelope<MessageReceiveV1>| {
        let client = replier.clone();
        async move { answer(&client, &e.event).await }
    });
    // The credentials Feishu pushes (a store app's hourly app_ticket) go into the client.
    client.receive_pushed_credentials(handlers)
}

/// The bot as an axum router answering `POST /feishu/events`: the signature (with an Encrypt
/// Key), decryption, the URL challenge and the verification token are checked before the
/// [`dispatcher`] sees an event.
pub fn webhook_router(client: feishu::Client, verification_token: &str, encrypt_key: Option<&str>) -> axum::Router {
    let mut receiver = WebhookReceiver::new(verification_token, dispatcher(client));
    if let Some(key) = encrypt_key {
        receiver = receiver.encrypt_key(key);
    }
    receiver.into_router(WEBHOOK_PATH)
}

/// The bot on the long connection to `base_url` (no public URL needed), until `shutdown`
/// completes or the platform refuses the app for good.
pub async fn run_long_connection(
    client: feishu::Client,
    app_id: &str,
    app_secret: &str,
    base_url: &str,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), LongConnectionError> {
    LongConnection::builder(app_id, app_secret).base_url(base_url).dispatcher(dispatcher(client)).with_graceful_shutdown(shutdown).run().await
}

/// The echo of a received message: the id of the message to reply to, and the reply's text.
/// `None` for what the bot leaves alone: messages other than text, and messages not sent by a
/// person (another bot could answer the echo, and so on without end).
pub fn echo(event: &MessageReceiveV1) -> Option<(&str, String)> {
    let from_person = event.sender.as_ref().and_then(|s| s.sender_type.as_deref()) == Some("user");
    let message = event.message.as_ref()?;
    if !from_person || message.message_type.as_deref() != Some("text") {
        return None;
    }
    let TextContent { mut text } = serde_json::from_str(message.content.as_deref()?).ok()?;
    // In a group, each @mention stands in the text as a key such as `@_user_1`; the longest
    // first, so `@_user_1` does not eat the start of `@_user_12`.
    let mut keys: Vec<&str> = message.mentions.iter().flatten().filter_map(|m| m.key.as_deref()).collect();
    keys.sort_by_key(|k| Reverse(k.len()));
    for key in keys {
        text = text.replace(key, "");
    }
    Some((message.message_id.as_deref()?, format!("{PREFIX}{}", text.trim())))
}

/// The content of a text message: `{"text": "…"}`.
#[derive(Deserialize)]
struct TextContent {
    text: String,
}

async fn answer(client: &feishu::Client, event: &MessageReceiveV1) -> Result<(), feishu::Error> {
    let Some((message_id, text)) = echo(event) else {
        return Ok(());
    };
    let content = serde_json::json!({ "text": text }).to_string();
    client
        .im()
        .v1()
        .message()
        .reply(message_id, ReplyMessageRequired { content, msg_type: ReplyMessageMsgType::Text })
        // Feishu may deliver an event twice; with the message's id as uuid, it replies once.
        .uuid(message_id)
        .send()
        .await?;
    Ok(())
}
