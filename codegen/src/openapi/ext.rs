//! The `x-` extensions of our OpenAPI documents: one serde type per extension, tied to its key
//! by [`Extension`]. The export writes these values and the import reads them back, so the two
//! sides share one vocabulary instead of two sets of loose strings (`docs/openapi.md`).
//!
//! Facts travel here and only here. A `description` of the document may also say them in prose
//! for readers, but the import never reads facts out of prose: where the export adds sentences
//! to a description, the spec's own description is in [`Description`] (or, for the vendor, in
//! [`Vendor::description`]).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// An extension: its value's type and its key in the document.
pub trait Extension: Serialize + DeserializeOwned {
    /// The key, `x-…`.
    const KEY: &'static str;
}

/// Sets extension `value` on an object of the document (a later value of the same key replaces
/// an earlier one).
pub fn insert<E: Extension>(object: &mut Map<String, Value>, value: &E) {
    // These types hold strings, numbers, lists and string-keyed maps only: serializing them to
    // JSON cannot fail.
    object.insert(E::KEY.to_owned(), serde_json::to_value(value).unwrap_or(Value::Null));
}

/// Reads an extension's value, or says why it does not have the extension's form.
pub fn from_json<E: Extension>(value: Value) -> Result<E, String> {
    serde_json::from_value(value).map_err(|e| format!("`{}` is malformed ({e})", E::KEY))
}

macro_rules! keyed {
    ($($ty:ty => $key:literal,)*) => {
        $(impl Extension for $ty {
            const KEY: &'static str = $key;
        })*
        /// Every key of the vocabulary, in the order `docs/openapi.md` lists them.
        pub const KEYS: &[&str] = &[$($key),*];
    };
}

keyed! {
    GeneratedBy => "x-generated-by",
    Vendor => "x-vendor",
    TokenExchange => "x-token-exchange",
    TokenPrefix => "x-token-prefix",
    Description => "x-description",
    Feature => "x-feature",
    Mount => "x-mount",
    ServiceDir => "x-service",
    SpecFile => "x-spec-file",
    DocumentedErrors => "x-documented-errors",
    Pagination => "x-pagination",
    Scopes => "x-scopes",
    FieldScopes => "x-field-scopes",
    AppTypes => "x-app-types",
    RateLimit => "x-rate-limit",
    DocUpdated => "x-doc-updated",
    DeprecatedNote => "x-deprecated-note",
    Errata => "x-errata",
    RustName => "x-rust-name",
    FlatPayload => "x-flat-payload",
    ArrayStyle => "x-array-style",
    OpenEnum => "x-open-enum",
    EnumVarnames => "x-enum-varnames",
    EnumDescriptions => "x-enum-descriptions",
}

// ---------------------------------------------------------------------------------------------
// The document and the vendor

/// `x-generated-by` at the root: the command that wrote the document. The export replaces or
/// removes only documents that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GeneratedBy(pub String);

/// `x-vendor` at the root: what `vendor.yaml` says that OpenAPI has no place for. Its presence
/// marks the document as our own export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    /// The vendor's module name.
    pub name: String,
    /// The vendor's own description (`info.description` adds the export's sentences to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub envelope: Envelope,
    #[serde(default, skip_serializing_if = "RequestId::is_empty")]
    pub request_id: RequestId,
    #[serde(default, skip_serializing_if = "Ordered::is_empty")]
    pub credentials: Ordered<Credential>,
    #[serde(default, skip_serializing_if = "Signals::is_empty")]
    pub token_invalid: Signals,
    #[serde(default, skip_serializing_if = "RateLimitSignals::is_empty")]
    pub rate_limit: RateLimitSignals,
}

/// The JSON wrapper around every answer: `"none"` for a plain HTTP API, or its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    None,
    Fields(EnvelopeFields),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvelopeFields {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_code: Option<String>,
    pub message: String,
    pub data: String,
    pub success: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestId {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl RequestId {
    fn is_empty(&self) -> bool {
        self.headers.is_empty() && self.field.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed: Option<crate::spec::Pushed>,
}

/// Codes and HTTP statuses that mean the token was refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_status: Vec<u16>,
}

impl Signals {
    fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.http_status.is_empty()
    }
}

/// Codes and HTTP statuses that mean the call was rate-limited, and the reset header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RateLimitSignals {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_status: Vec<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_header: Option<String>,
}

impl RateLimitSignals {
    fn is_empty(&self) -> bool {
        self.codes.is_empty() && self.http_status.is_empty() && self.reset_header.is_none()
    }
}

// ---------------------------------------------------------------------------------------------
// Security schemes (token kinds)

/// `x-token-exchange` on a security scheme: the client fetches the token itself by calling the
/// operation at `method` `path` with a JSON body of credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenExchange {
    pub method: String,
    pub path: String,
    /// Body field ← credential name.
    #[serde(default)]
    pub request: Ordered<String>,
    /// Dotted path of the token in the answer.
    pub token: String,
    /// Dotted path of its lifetime in seconds.
    pub expires_in: String,
    /// Headers sent beside the token, derived from it.
    #[serde(default)]
    pub headers: Ordered<BoundHeader>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoundHeader {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt_claim: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// `x-token-prefix` on a security scheme: the text before the token in its header (`Bearer `).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenPrefix(pub String);

/// `x-description` on an object whose `description` the export extends with sentences for
/// readers (security schemes, enum schemas, parameters with a query style OpenAPI lacks): the
/// spec's own description, `null` when the spec has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Description(pub Option<String>);

// ---------------------------------------------------------------------------------------------
// Tags, component schemas and operations

/// `x-feature` on a service's tag: the cargo feature that compiles it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Feature(pub String);

/// `x-mount` on a service's tag: the prefix of its path whose accessor its calls hang on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mount(pub String);

/// `x-service` on a component schema: the service directory whose `types.yaml` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceDir(pub String);

/// `x-spec-file` on an operation: its spec file (`specs/feishu/acs/v1/user/get.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpecFile(pub String);

/// `x-documented-errors` on an operation: the errors its page documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentedErrors(pub Vec<DocumentedError>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentedError {
    pub code: i64,
    /// The error enum's variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// `x-pagination` on a list operation, with wire names as the spec writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "lowercase")]
pub enum Pagination {
    Cursor { items: String, cursor: String, has_more: String },
    Page { items: String, page: String, size: String, total: String },
}

/// `x-scopes` on an operation: permission scopes, any one of which allows the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scopes(pub Vec<Scope>);

/// `x-field-scopes` on an operation: scopes that unlock some response fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldScopes(pub Vec<Scope>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `x-app-types` on an operation: the kinds of app that may call it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppTypes(pub Vec<String>);

/// `x-rate-limit` on an operation: the page's rate limit, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RateLimit(pub String);

/// `x-doc-updated` on an operation: the date on its doc page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocUpdated(pub String);

/// `x-deprecated-note` on a deprecated operation (`deprecated: true`): what replaces it, as the
/// doc gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeprecatedNote(pub String);

/// `x-errata` on an operation: where the spec departs from the doc page, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Errata(pub Vec<Erratum>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Erratum {
    pub at: String,
    pub doc: String,
    pub spec: String,
    pub reason: String,
}

/// `x-rust-name` on a property or parameter schema: the Rust name, where it is not the
/// snake_case of the wire name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RustName(pub String);

/// `x-flat-payload` on a flat envelope's schema: the `$ref` of the payload type whose fields
/// sit beside the envelope's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FlatPayload(pub String);

/// `x-array-style` on a query parameter: a way of writing arrays OpenAPI's `style` lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArrayStyle {
    /// `k[]=a&k[]=b`
    Brackets,
    /// `k=["a","b"]`
    Json,
}

/// `x-open-enum` on an enum schema: the client accepts values outside the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OpenEnum(pub bool);

/// `x-enum-varnames` on an enum schema: each value's variant name (openapi-generator's key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EnumVarnames(pub Vec<String>);

/// `x-enum-descriptions` on an enum schema: each value's description, `""` for none
/// (openapi-generator's key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EnumDescriptions(pub Vec<String>);

// ---------------------------------------------------------------------------------------------
// Forms shared by several extensions

/// A JSON object keyed by names (credentials, body fields, headers), read and written in the
/// order written: the order is part of what the spec says.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Ordered<T> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        deserializer.deserialize_map(Entries(PhantomData))
    }
}

impl Serialize for Envelope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Envelope::None => serializer.serialize_str("none"),
            Envelope::Fields(f) => f.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoneOrFields;
        impl<'de> Visitor<'de> for NoneOrFields {
            type Value = Envelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`\"none\"` or a mapping of code, message, data and success")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Envelope, E> {
                if s == "none" { Ok(Envelope::None) } else { Err(E::invalid_value(de::Unexpected::Str(s), &self)) }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Envelope, A::Error> {
                EnvelopeFields::deserialize(de::value::MapAccessDeserializer::new(map)).map(Envelope::Fields)
            }
        }
        deserializer.deserialize_any(NoneOrFields)
    }
}

/// serde's `skip_serializing_if` hands the value by reference.
fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_extension_keys() {
        let mut keys = KEYS.to_vec();
        assert!(keys.iter().all(|k| k.starts_with("x-")));
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KEYS.len());
    }

    #[test]
    fn envelope_is_none_or_its_fields() {
        let none: Vendor = from_json(serde_json::json!({"name": "v", "envelope": "none"})).expect("none");
        assert_eq!(none.envelope, Envelope::None);
        let mut object = Map::new();
        insert(&mut object, &none);
        assert_eq!(Value::Object(object), serde_json::json!({"x-vendor": {"name": "v", "envelope": "none"}}));
        let e = from_json::<Vendor>(serde_json::json!({"name": "v", "envelope": "nothing"})).expect_err("not an envelope");
        assert!(e.starts_with("`x-vendor` is malformed") && e.contains("nothing"), "{e}");
        let e = from_json::<Vendor>(serde_json::json!({"name": "v", "envelope": {"code": "c"}})).expect_err("fields missing");
        assert!(e.contains("missing field `message`"), "{e}");
    }

    #[test]
    fn ordered_maps_keep_their_order() {
        let text = r#"{"z":{"secret":true},"a":{"description":"first"}}"#;
        let creds: Ordered<Credential> = serde_json::from_str(text).expect("a mapping");
        assert_eq!(creds.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(serde_json::to_string(&creds).expect("serializes"), text);
    }

    #[test]
    fn pagination_is_tagged_by_style() {
        let p: Pagination = from_json(serde_json::json!({"style": "page", "items": "list", "page": "page", "size": "limit", "total": "totalCount"})).expect("page");
        assert!(matches!(p, Pagination::Page { ref size, .. } if size == "limit"));
        assert!(from_json::<Pagination>(serde_json::json!({"style": "offset", "items": "x"})).is_err());
    }
}
