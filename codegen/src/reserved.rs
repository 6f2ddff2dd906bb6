//! The names generated code takes for itself, in one table the checker and the emitters share.
//! A name from a spec that would collide with one of them is renamed with a trailing `_`
//! (`items` → setter `items_`), so every spec the checker accepts generates code that compiles;
//! `docs/spec-format.md` states the rule.

/// `send()`: every request builder.
pub const SEND: &str = "send";
/// `send_stream()`: request builders of downloads.
pub const SEND_STREAM: &str = "send_stream";
/// `decode(status, body)`: request builders of JSON answers.
pub const DECODE: &str = "decode";
/// `pages()` and `items()`: request builders of list operations.
pub const PAGES: &str = "pages";
pub const ITEMS: &str = "items";
/// The private method that turns a request builder into a runtime call.
pub const INTO_CALL: &str = "into_call";

/// The parameter holding the required inputs where they are named in a struct (renamed past a
/// path parameter of the same name).
pub const REQUIRED_PARAM: &str = "required";

/// Methods of request builders.
pub const REQUEST_METHODS: &[&str] = &[SEND, SEND_STREAM, DECODE, PAGES, ITEMS, INTO_CALL];

/// Private fields of request builders, beside one field per input.
pub const CLIENT_FIELD: &str = "client";
pub const TOKEN_FIELD: &str = "request_token";
pub const REQUEST_FIELDS: &[&str] = &[CLIENT_FIELD, TOKEN_FIELD];

/// `new(…)`: input structs with required fields.
pub const NEW: &str = "new";
/// Methods of input structs, beside their setters.
pub const STRUCT_METHODS: &[&str] = &[NEW];

/// Methods of the traits generated types implement or users call on any value: a setter with one
/// of these names would shadow the trait method.
pub const TRAIT_METHODS: &[&str] = &[
    "as_ref",
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "cmp",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "partial_cmp",
    "serialize",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
];

/// `builder()`, `core()`, `raw()`: the vendor `Client`, beside one accessor per service prefix.
pub const BUILDER: &str = "builder";
pub const CORE: &str = "core";
pub const RAW: &str = "raw";
pub const RECEIVE_PUSHED: &str = "receive_pushed_credentials";
pub const CLIENT_METHODS: &[&str] = &[BUILDER, CORE, RAW, RECEIVE_PUSHED];

/// Methods of the vendor `ClientBuilder`, beside one per credential.
pub const BUILDER_METHODS: &[&str] = &[
    "allow_insecure_http",
    "base_url",
    "build",
    "connect_timeout",
    "default_header",
    "http_client",
    "retry_policy",
    "static_token",
    "static_token_for",
    "timeout",
    "token_refresh_margin",
];

/// Items of every vendor module.
pub const VENDOR_ITEMS: &[&str] = &["Client", "ClientBuilder", "Error", "Event"];

/// Names generated code uses unqualified (the prelude, the `runtime` import, crate roots in
/// paths): a type of one of these names would shadow them.
pub const PRELUDE: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "From",
    "Hash",
    "Into",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Some",
    "String",
    "Sync",
    "ToString",
    "Vec",
    "alloc",
    "core",
    "runtime",
    "std",
];

/// The variant open enums keep unknown values in.
pub const UNKNOWN: &str = "Unknown";

/// The setter of a per-request token kind: `user` → `user_access_token`.
pub fn token_setter(kind: &str) -> String {
    format!("{kind}_access_token")
}

/// The `Option` setter of field `name`: `r#type` → `set_type`.
pub fn option_setter(name: &str) -> String {
    format!("set_{}", name.trim_start_matches("r#"))
}

/// `name`, or `name_` (then `name__`, …) until it is not taken.
pub fn free(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut out = name.to_owned();
    while taken(out.trim_start_matches("r#")) {
        out = format!("{}_", out.trim_start_matches("r#"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_with_trailing_underscores_until_free() {
        assert_eq!(free("items", |n| REQUEST_METHODS.contains(&n)), "items_");
        assert_eq!(free("user_id", |n| REQUEST_METHODS.contains(&n)), "user_id");
        assert_eq!(free("r#type", |n| n == "type"), "type_");
        assert_eq!(free("a", |n| n == "a" || n == "a_"), "a__");
        assert_eq!(option_setter("r#type"), "set_type");
    }
}
