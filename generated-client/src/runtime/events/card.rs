//! Card callbacks: [`CardActionTrigger`], the event a click (or form submit) on an interactive
//! card delivers as `card.action.trigger`, and [`CardAnswer`], what the handler answers with (a
//! toast, a new card). They arrive in the 2.0 envelope, over the webhook or the long connection,
//! so a [`Dispatcher`](super::Dispatcher) routes them like any event:
//!
//! ```no_run
//! # use generated_client::runtime::events::{CardActionTrigger, CardAnswer, Dispatcher, Envelope, Toast};
//! let dispatcher = Dispatcher::new().on(|e: Envelope<CardActionTrigger>| async move {
//!     let who = e.event.operator.open_id.unwrap_or_default();
//!     Ok::<_, std::io::Error>(CardAnswer::new().toast(Toast::success(format!("done, {who}"))))
//! });
//! ```
//!
//! Feishu waits 3 seconds for the answer, never delivers a card callback again, and shows the
//! user an error for any status but 200.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{EventType, IntoReply, Reply};
use crate::runtime::Secret;

/// `card.action.trigger`: a user acted on an interactive card.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct CardActionTrigger {
    /// Who acted.
    #[serde(default, deserialize_with = "null_as_default")]
    pub operator: CardOperator,
    /// A token to update the card with later (valid 30 minutes, for two updates).
    #[serde(default)]
    pub token: Option<Secret>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub action: CardAction,
    /// Where the card is shown (`im_message`, …).
    #[serde(default)]
    pub host: Option<String>,
    /// `url_preview` for a link preview card; absent otherwise.
    #[serde(default)]
    pub delivery_type: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub context: CardContext,
}

impl EventType for CardActionTrigger {
    const EVENT_TYPE: &'static str = "card.action.trigger";
}

/// The user who acted on the card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct CardOperator {
    #[serde(default)]
    pub tenant_key: Option<String>,
    /// Present only when the app may read user ids.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub open_id: Option<String>,
    #[serde(default)]
    pub union_id: Option<String>,
}

/// What the user did, as the component reports it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct CardAction {
    /// The component's `value`, as the card's author set it: a string or an object.
    #[serde(default)]
    pub value: Option<Value>,
    /// The component's tag (`button`, `select_static`, …).
    #[serde(default)]
    pub tag: Option<String>,
    /// The user's time zone, for date and time pickers.
    #[serde(default)]
    pub timezone: Option<String>,
    /// The component's `name`, which identifies it inside a form.
    #[serde(default)]
    pub name: Option<String>,
    /// A submitted form: each component's `name` and value.
    #[serde(default)]
    pub form_value: Option<Map<String, Value>>,
    /// The text of an input outside a form.
    #[serde(default)]
    pub input_value: Option<String>,
    /// The chosen option of a single-choice component outside a form.
    #[serde(default)]
    pub option: Option<String>,
    /// The chosen options of a multiple-choice component outside a form.
    #[serde(default)]
    pub options: Option<Vec<String>>,
    /// The state of a checker outside a form.
    #[serde(default)]
    pub checked: Option<bool>,
}

/// Where the card is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct CardContext {
    /// The link of a link preview.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub preview_token: Option<String>,
    #[serde(default)]
    pub open_message_id: Option<String>,
    #[serde(default)]
    pub open_chat_id: Option<String>,
}

/// The answer to a card callback: a toast to show, a card to put in place of the one acted on,
/// both, or neither (`{}`: nothing changes).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CardAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toast: Option<Toast>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<CardUpdate>,
}

impl CardAnswer {
    /// An answer that changes nothing.
    pub fn new() -> CardAnswer {
        CardAnswer::default()
    }

    pub fn toast(mut self, toast: Toast) -> CardAnswer {
        self.toast = Some(toast);
        self
    }

    pub fn card(mut self, card: CardUpdate) -> CardAnswer {
        self.card = Some(card);
        self
    }

    /// The answer as the JSON body Feishu reads.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| Value::Object(Map::new()))
    }
}

impl IntoReply for CardAnswer {
    fn into_reply(self) -> Reply {
        Reply::Body(self.to_json())
    }
}

/// A short message the client shows over the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Toast {
    #[serde(rename = "type")]
    pub kind: ToastKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The message by language (`zh_cn`, `en_us`, `ja_jp`, …), instead of `content`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub i18n: BTreeMap<String, String>,
}

impl Toast {
    pub fn new(kind: ToastKind, content: impl Into<String>) -> Toast {
        Toast { kind, content: Some(content.into()), i18n: BTreeMap::new() }
    }

    pub fn info(content: impl Into<String>) -> Toast {
        Toast::new(ToastKind::Info, content)
    }

    pub fn success(content: impl Into<String>) -> Toast {
        Toast::new(ToastKind::Success, content)
    }

    pub fn error(content: impl Into<String>) -> Toast {
        Toast::new(ToastKind::Error, content)
    }

    pub fn warning(content: impl Into<String>) -> Toast {
        Toast::new(ToastKind::Warning, content)
    }

    /// Adds the message in one language (`en_us`, …).
    pub fn i18n(mut self, language: impl Into<String>, content: impl Into<String>) -> Toast {
        self.i18n.insert(language.into(), content.into());
        self
    }
}

/// How the toast looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ToastKind {
    Info,
    Success,
    Error,
    Warning,
}

/// The card that replaces the one acted on: `{"type":"raw","data":<card JSON>}` or
/// `{"type":"template","data":{template_id, …}}`. A card in JSON 2.0 cannot become a 1.0 card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "data", rename_all = "lowercase")]
pub enum CardUpdate {
    /// A card as JSON.
    Raw(Value),
    /// A card made in the card builder, by its template id.
    Template(CardTemplate),
}

/// A card template (made in the card builder) and the values of its variables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardTemplate {
    pub template_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_variable: Option<Value>,
    /// The published version (`1.0.0`); the latest when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_version_name: Option<String>,
}

impl CardTemplate {
    pub fn new(template_id: impl Into<String>) -> CardTemplate {
        CardTemplate { template_id: template_id.into(), template_variable: None, template_version_name: None }
    }

    /// The values of the template's variables, by name.
    pub fn variables(mut self, variables: Value) -> CardTemplate {
        self.template_variable = Some(variables);
        self
    }

    pub fn version(mut self, version_name: impl Into<String>) -> CardTemplate {
        self.template_version_name = Some(version_name.into());
        self
    }
}

/// A nested object that may also be `null`.
fn null_as_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_serialize_as_feishu_reads_them() {
        let answer = CardAnswer::new()
            .toast(Toast::warning("careful").i18n("en_us", "careful"))
            .card(CardUpdate::Template(CardTemplate::new("AAq").variables(json!({"n": 1})).version("1.0.0")));
        assert_eq!(
            answer.to_json(),
            json!({
                "toast": {"type": "warning", "content": "careful", "i18n": {"en_us": "careful"}},
                "card": {"type": "template", "data": {"template_id": "AAq", "template_variable": {"n": 1}, "template_version_name": "1.0.0"}}
            })
        );
        assert_eq!(CardAnswer::new().card(CardUpdate::Raw(json!({"schema": "2.0"}))).to_json(), json!({"card": {"type": "raw", "data": {"schema": "2.0"}}}));
        assert_eq!(CardAnswer::new().to_json(), json!({}));
    }

    #[test]
    fn a_sparse_or_null_event_decodes() {
        let e: CardActionTrigger = serde_json::from_value(json!({"operator": null, "action": {"tag": "button"}})).expect("decodes");
        assert_eq!(e.action.tag.as_deref(), Some("button"));
        assert_eq!(e.operator, CardOperator::default());
    }
}
