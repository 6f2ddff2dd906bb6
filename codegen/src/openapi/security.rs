//! Security schemes of the document, one per token kind: `http`/`bearer` or an API key in its
//! header, with the token exchange and the header prefix as extensions.

use serde_json::{Map, Value, json};

use super::ext;
use crate::model::Token;

/// The security scheme of token kind `t`.
pub(super) fn scheme(t: &Token) -> Value {
    let how = if t.exchange.is_some() {
        "The client fetches it itself (token exchange with the vendor's credentials) and caches it until it expires."
    } else {
        "Passed per request by the caller."
    };
    let mut s = Map::new();
    let bearer = t.header.eq_ignore_ascii_case("authorization") && t.prefix == "Bearer ";
    if bearer {
        s.insert("type".into(), json!("http"));
        s.insert("scheme".into(), json!("bearer"));
    } else {
        s.insert("type".into(), json!("apiKey"));
        s.insert("in".into(), json!("header"));
        s.insert("name".into(), json!(t.header));
    }
    // Sentences for readers; the facts are the extensions below, and the token's own
    // description travels apart from the sentences.
    let mut d = t.description.clone().unwrap_or_default();
    if !d.is_empty() {
        d.push(' ');
    }
    d.push_str(how);
    if !bearer && !t.prefix.is_empty() {
        d.push_str(&format!(" The header value is `{}` followed by the token.", t.prefix));
    }
    s.insert("description".into(), json!(d));
    ext::insert(&mut s, &ext::Description(t.description.clone()));
    if let Some(x) = &t.exchange {
        let exchange = ext::TokenExchange {
            method: x.method.as_str().to_owned(),
            path: x.path.clone(),
            request: ext::Ordered(x.body.iter().map(|b| (b.field.clone(), b.credential.clone())).collect()),
            token: x.token.join("."),
            expires_in: x.expires_in.join("."),
            headers: ext::Ordered(x.headers.iter().map(|h| (h.name.clone(), ext::BoundHeader { jwt_claim: h.jwt_claim.clone(), credential: h.credential.clone() })).collect()),
        };
        ext::insert(&mut s, &exchange);
    }
    if !t.prefix.is_empty() {
        ext::insert(&mut s, &ext::TokenPrefix(t.prefix.clone()));
    }
    Value::Object(s)
}
