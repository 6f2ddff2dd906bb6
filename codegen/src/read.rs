//! Builds the spec model from located YAML nodes, reporting every unknown key, missing key and
//! wrongly-typed value it meets instead of stopping at the first.

use crate::diagnostic::{Diagnostics, FileId};
use crate::spec::*;
use crate::yaml::{Node, Value};

/// The reader reports into the one collector of the front end.
pub(crate) type Ctx = Diagnostics;

impl Diagnostics {
    fn expected(&mut self, node: &Node, what: &str) {
        self.error(node.loc, format!("expected {what}, found {}", node.kind()), format!("write {what} here; `docs/spec-format.md` describes this key"));
    }
}

/// A mapping being read: remembers which keys were used so the rest can be reported.
struct Map<'n> {
    node: &'n Node,
    entries: &'n [(Node, Node)],
    used: Vec<bool>,
    keys: &'static [&'static str],
    what: &'static str,
}

impl<'n> Map<'n> {
    fn new(cx: &mut Ctx, node: &'n Node, what: &'static str, keys: &'static [&'static str]) -> Option<Map<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Map { node, entries, used: vec![false; entries.len()], keys, what }),
            _ => {
                cx.expected(node, &format!("a mapping ({what})"));
                None
            }
        }
    }

    fn get(&mut self, key: &str) -> Option<&'n Node> {
        debug_assert!(self.keys.contains(&key), "`{key}` is not declared for {}", self.what);
        let idx = self.entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
        self.used[idx] = true;
        Some(&self.entries[idx].1)
    }

    fn required(&mut self, cx: &mut Ctx, key: &str) -> Option<&'n Node> {
        let found = self.get(key);
        if found.is_none() {
            cx.error(self.node.loc, format!("missing key `{key}` in {}", self.what), format!("add `{key}:` to {}", self.what));
        }
        found
    }

    fn string(&mut self, cx: &mut Ctx, key: &str) -> Option<String> {
        self.get(key).and_then(|n| string(cx, n))
    }

    fn sp_string(&mut self, cx: &mut Ctx, key: &str) -> Option<Sp<String>> {
        self.get(key).and_then(|n| sp_string(cx, n))
    }

    fn required_string(&mut self, cx: &mut Ctx, key: &str) -> Option<Sp<String>> {
        self.required(cx, key).and_then(|n| sp_string(cx, n))
    }

    fn bool(&mut self, cx: &mut Ctx, key: &str) -> Option<bool> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                cx.expected(node, "`true` or `false`");
                None
            }
        }
    }

    fn uint(&mut self, cx: &mut Ctx, key: &str) -> Option<u64> {
        let node = self.get(key)?;
        match node.value {
            Value::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                cx.expected(node, "a non-negative integer");
                None
            }
        }
    }

    fn number(&mut self, cx: &mut Ctx, key: &str) -> Option<f64> {
        let node = self.get(key)?;
        match node.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => {
                cx.expected(node, "a number");
                None
            }
        }
    }

    /// Entries of a nested mapping, in the order written.
    fn entries(&mut self, cx: &mut Ctx, key: &str) -> &'n [(Node, Node)] {
        match self.get(key) {
            None => &[],
            Some(Node { value: Value::Map(entries), .. }) => entries,
            Some(Node { value: Value::Null, .. }) => &[],
            Some(node) => {
                cx.expected(node, &format!("a mapping under `{key}`"));
                &[]
            }
        }
    }

    fn list(&mut self, cx: &mut Ctx, key: &str) -> &'n [Node] {
        match self.get(key) {
            None => &[],
            Some(Node { value: Value::Seq(items), .. }) => items,
            Some(Node { value: Value::Null, .. }) => &[],
            Some(node) => {
                cx.expected(node, &format!("a list under `{key}`"));
                &[]
            }
        }
    }

    fn string_list(&mut self, cx: &mut Ctx, key: &str) -> Vec<Sp<String>> {
        self.list(cx, key).iter().filter_map(|n| sp_string(cx, n)).collect()
    }

    fn int_list(&mut self, cx: &mut Ctx, key: &str) -> Vec<i64> {
        let mut out = Vec::new();
        for node in self.list(cx, key) {
            match node.value {
                Value::Int(i) => out.push(i),
                _ => cx.expected(node, "an integer"),
            }
        }
        out
    }

    /// Reports every key that is not one of `keys`, suggesting the nearest known key.
    fn finish(self, cx: &mut Ctx) {
        for (idx, (key, _)) in self.entries.iter().enumerate() {
            if self.used[idx] {
                continue;
            }
            let name = key.scalar_text().unwrap_or_default();
            let help = match nearest(&name, self.keys) {
                Some(near) => format!("did you mean `{near}`?"),
                // `{description: a, b}`: in a flow mapping a comma ends the value and starts a key.
                None if name.contains(char::is_whitespace) || !name.is_ascii() => {
                    "this looks like the rest of a value: inside `{…}` a comma starts the next key, so quote a value that has commas (`description: \"a, b\"`)".to_owned()
                }
                None => format!("the keys of {} are: {}", self.what, self.keys.join(", ")),
            };
            cx.error(key.loc, format!("unknown key `{name}` in {}", self.what), help);
        }
    }
}

/// A value as quoted in a message: its first line, at most 40 characters.
pub(crate) fn show(value: &str) -> String {
    let line = value.lines().next().unwrap_or_default();
    let short: String = line.chars().take(40).collect();
    if short.len() < value.len() { format!("{short}…") } else { short }
}

fn string(cx: &mut Ctx, node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        _ => {
            cx.expected(node, "a string");
            None
        }
    }
}

fn sp_string(cx: &mut Ctx, node: &Node) -> Option<Sp<String>> {
    string(cx, node).map(|value| Sp { value, loc: node.loc })
}

/// A mapping key: strings, and integers such as HTTP statuses or int enum values.
fn key(cx: &mut Ctx, node: &Node) -> Option<Sp<String>> {
    match &node.value {
        Value::Str(_) | Value::Int(_) => Some(Sp { value: node.scalar_text().unwrap_or_default(), loc: node.loc }),
        _ => {
            cx.expected(node, "a string key");
            None
        }
    }
}

/// The known key nearest to a misspelt one, if it is near enough to be a typo.
pub fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let best = known.iter().map(|k| (levenshtein(word, k), *k)).min()?;
    let limit = (word.chars().count().max(best.1.len()) / 3).max(1);
    (best.0 <= limit).then_some(best.1)
}

/// Edit distance where swapping two neighbouring letters counts as one edit (`Itme` → `Item`).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

// ---------------------------------------------------------------------------------------------
// vendor.yaml

const VENDOR_KEYS: &[&str] = &["vendor", "title", "description", "docs", "hosts", "services", "envelope", "request_id", "credentials", "tokens", "token_invalid", "rate_limit"];

pub(crate) fn vendor_file(cx: &mut Ctx, file: FileId, root: &Node) -> Option<VendorFile> {
    let mut m = Map::new(cx, root, "a vendor file", VENDOR_KEYS)?;
    let name = m.required_string(cx, "vendor");
    let title = m.required_string(cx, "title").map(|s| s.value);
    let description = m.string(cx, "description");
    let docs = m.string(cx, "docs");

    let mut hosts = Vec::new();
    for (k, v) in m.entries(cx, "hosts") {
        let Some(host_name) = key(cx, k) else { continue };
        let Some(mut h) = Map::new(cx, v, "a host", &["url", "default"]) else { continue };
        let url = h.required_string(cx, "url");
        let default = h.bool(cx, "default").unwrap_or(false);
        h.finish(cx);
        if let Some(url) = url {
            hosts.push(Host { name: host_name, url, default });
        }
    }
    if hosts.is_empty() {
        let loc = m.get("hosts").map_or(root.loc, |n| n.loc);
        cx.error(loc, "the vendor file lists no hosts", "add `hosts:` with at least one `name: {url: https://…, default: true}`");
    }

    let mut services = Vec::new();
    for (k, v) in m.entries(cx, "services") {
        let Some(path) = key(cx, k) else { continue };
        let (title, docs, feature, mount, hosts) = match &v.value {
            Value::Null => (None, None, None, None, Vec::new()),
            _ => match Map::new(cx, v, "a service", &["title", "docs", "feature", "mount", "hosts"]) {
                Some(mut s) => {
                    let t = s.string(cx, "title");
                    let d = s.string(cx, "docs");
                    let f = s.sp_string(cx, "feature");
                    let m = s.sp_string(cx, "mount");
                    let mut hosts = Vec::new();
                    for (k, v) in s.entries(cx, "hosts") {
                        if let (Some(name), Some(url)) = (key(cx, k), sp_string(cx, v)) {
                            hosts.push(ServiceHost { name, url });
                        }
                    }
                    s.finish(cx);
                    (t, d, f, m, hosts)
                }
                None => (None, None, None, None, Vec::new()),
            },
        };
        services.push(ServiceDecl { path, title, docs, feature, mount, hosts });
    }

    let envelope = m.required(cx, "envelope").and_then(|n| envelope(cx, n));
    let request_id = match m.get("request_id") {
        Some(n) => request_id(cx, n),
        None => RequestId::default(),
    };

    let mut credentials = Vec::new();
    for (k, v) in m.entries(cx, "credentials") {
        let Some(name) = key(cx, k) else { continue };
        let (secret, description, pushed) = match &v.value {
            Value::Null => (false, None, None),
            _ => match Map::new(cx, v, "a credential", &["secret", "description", "pushed"]) {
                Some(mut c) => {
                    let s = c.bool(cx, "secret").unwrap_or(false);
                    let d = c.string(cx, "description");
                    let p = c.get("pushed").and_then(|n| {
                        let mut p = Map::new(cx, n, "where a pushed credential arrives", &["event", "field"])?;
                        let (event, field) = (p.required_string(cx, "event"), p.required_string(cx, "field"));
                        p.finish(cx);
                        Some(Pushed { event: event?.value, field: field?.value })
                    });
                    c.finish(cx);
                    (s, d, p)
                }
                None => (false, None, None),
            },
        };
        credentials.push(Credential { name, secret, description, pushed });
    }

    let mut tokens = Vec::new();
    let mut broken_tokens = Vec::new();
    for (k, v) in m.entries(cx, "tokens") {
        let Some(name) = key(cx, k) else { continue };
        let declared = name.value.clone();
        match token_kind(cx, name, v) {
            Some(t) => tokens.push(t),
            None => broken_tokens.push(declared),
        }
    }

    let token_invalid = match m.get("token_invalid") {
        Some(n) => signals(cx, n),
        None => Signals::default(),
    };
    let rate_limit = match m.get("rate_limit") {
        Some(n) => rate_limit(cx, n),
        None => RateLimit::default(),
    };
    m.finish(cx);
    Some(VendorFile {
        file,
        loc: root.loc,
        name: name?,
        title: title?,
        description,
        docs,
        hosts,
        services,
        envelope: envelope?,
        request_id,
        credentials,
        tokens,
        token_invalid,
        rate_limit,
        broken_tokens,
    })
}

/// `envelope: none` (a plain HTTP API) or the envelope's field names and success code.
fn envelope(cx: &mut Ctx, node: &Node) -> Option<Option<Envelope>> {
    if let Value::Str(s) = &node.value {
        if s == "none" {
            return Some(None);
        }
        cx.error(
            node.loc,
            format!("`{}` is not an envelope", show(s)),
            "write `envelope: none` (the HTTP status decides, the body is the payload) or a mapping with code, message, data and success",
        );
        return None;
    }
    let mut m = Map::new(cx, node, "the envelope", &["code", "sub_code", "message", "data", "success"])?;
    let code = m.required_string(cx, "code");
    let sub_code = m.sp_string(cx, "sub_code");
    let message = m.required_string(cx, "message");
    let data = m.required_string(cx, "data");
    let success = match m.required(cx, "success") {
        Some(Node { value: Value::Int(i), .. }) => Some(*i),
        Some(other) => {
            cx.expected(other, "an integer (the code that means success)");
            None
        }
        None => None,
    };
    m.finish(cx);
    Some(Some(Envelope { code: code?, sub_code, message: message?, data: data?, success: success? }))
}

fn request_id(cx: &mut Ctx, node: &Node) -> RequestId {
    let Some(mut m) = Map::new(cx, node, "the request id", &["headers", "field"]) else {
        return RequestId::default();
    };
    let headers = m.string_list(cx, "headers");
    let field = m.sp_string(cx, "field");
    m.finish(cx);
    RequestId { headers, field }
}

fn token_kind(cx: &mut Ctx, name: Sp<String>, node: &Node) -> Option<TokenKind> {
    let mut m = Map::new(cx, node, "a token kind", &["description", "header", "prefix", "exchange", "per_request"])?;
    let description = m.string(cx, "description");
    let header = m.required_string(cx, "header");
    let prefix = m.string(cx, "prefix").unwrap_or_default();
    let exchange_node = m.get("exchange");
    let exchange = exchange_node.and_then(|n| exchange(cx, n));
    let per_request = m.bool(cx, "per_request").unwrap_or(false);
    m.finish(cx);
    let source = match (exchange_node, exchange, per_request) {
        (Some(_), Some(e), false) => TokenSource::Exchange(Box::new(e)),
        (None, _, true) => TokenSource::PerRequest,
        // An `exchange` that could not be read: its own errors say why.
        (Some(_), None, false) => return None,
        (Some(n), _, true) => {
            cx.error(
                n.loc,
                format!("token kind `{}` has both `exchange` and `per_request`", name.value),
                "keep `exchange:` if the client fetches the token, or `per_request: true` if the caller passes it",
            );
            return None;
        }
        (None, _, false) => {
            cx.error(
                name.loc,
                format!("token kind `{}` does not say where the token comes from", name.value),
                "give it `exchange:` (the client fetches it) or `per_request: true` (the caller passes it)",
            );
            return None;
        }
    };
    Some(TokenKind { name, description, header: header?, prefix, source })
}

fn exchange(cx: &mut Ctx, node: &Node) -> Option<Exchange> {
    let mut m = Map::new(cx, node, "a token exchange", &["operation", "request", "token", "expires_in", "headers"])?;
    let operation = m.required_string(cx, "operation");
    let mut request = Vec::new();
    for (k, v) in m.entries(cx, "request") {
        if let (Some(field), Some(cred)) = (key(cx, k), sp_string(cx, v)) {
            request.push(ExchangeField { field, credential: cred });
        }
    }
    let token = m.required_string(cx, "token");
    let expires_in = m.required_string(cx, "expires_in");
    let mut headers = Vec::new();
    for (k, v) in m.entries(cx, "headers") {
        let Some(name) = key(cx, k) else { continue };
        let Some(mut h) = Map::new(cx, v, "a token-bound header", &["jwt_claim", "credential"]) else { continue };
        let jwt_claim = h.string(cx, "jwt_claim");
        let credential = h.sp_string(cx, "credential");
        h.finish(cx);
        headers.push(BoundHeader { name, jwt_claim, credential });
    }
    m.finish(cx);
    Some(Exchange { operation: operation?, request, token: token?, expires_in: expires_in?, headers })
}

fn statuses(cx: &mut Ctx, m: &mut Map<'_>) -> Vec<u16> {
    let mut out = Vec::new();
    for node in m.list(cx, "http_status") {
        match node.value {
            Value::Int(i) if (100..=599).contains(&i) => out.push(i as u16),
            Value::Int(i) => cx.error(node.loc, format!("{i} is not an HTTP status"), "write a status between 100 and 599"),
            _ => cx.expected(node, "an HTTP status (100–599)"),
        }
    }
    out
}

fn signals(cx: &mut Ctx, node: &Node) -> Signals {
    let Some(mut m) = Map::new(cx, node, "token-invalid signals", &["codes", "http_status"]) else {
        return Signals::default();
    };
    let codes = m.int_list(cx, "codes");
    let http_status = statuses(cx, &mut m);
    m.finish(cx);
    Signals { codes, http_status }
}

fn rate_limit(cx: &mut Ctx, node: &Node) -> RateLimit {
    let Some(mut m) = Map::new(cx, node, "rate-limit signals", &["codes", "http_status", "reset_header"]) else {
        return RateLimit::default();
    };
    let codes = m.int_list(cx, "codes");
    let http_status = statuses(cx, &mut m);
    let reset_header = m.string(cx, "reset_header");
    m.finish(cx);
    RateLimit { codes, http_status, reset_header }
}

// ---------------------------------------------------------------------------------------------
// types.yaml

pub(crate) fn types_file(cx: &mut Ctx, file: FileId, scope: String, root: &Node) -> Option<TypesFile> {
    let mut m = Map::new(cx, root, "a types file", &["types"])?;
    let entries = m.entries(cx, "types");
    let (types, broken) = type_defs(cx, entries);
    m.finish(cx);
    Some(TypesFile { file, scope, types, broken })
}

/// The named types of a `types:` mapping, and the names of those that could not be read.
fn type_defs(cx: &mut Ctx, entries: &[(Node, Node)]) -> (Vec<TypeDef>, Vec<String>) {
    let mut types = Vec::new();
    let mut broken = Vec::new();
    for (k, v) in entries {
        let Some(name) = key(cx, k) else { continue };
        let declared = name.value.clone();
        match type_def(cx, name, v) {
            Some(t) => types.push(t),
            None => broken.push(declared),
        }
    }
    (types, broken)
}

const TYPE_KEYS: &[&str] = &["rust_name", "description", "fields", "enum", "values"];

fn type_def(cx: &mut Ctx, name: Sp<String>, node: &Node) -> Option<TypeDef> {
    let mut m = Map::new(cx, node, "a type", TYPE_KEYS)?;
    let rust_name = m.sp_string(cx, "rust_name");
    let description = m.string(cx, "description");
    let fields_node = m.get("fields");
    let enum_node = m.get("enum");
    let values_node = m.get("values");
    m.finish(cx);
    let kind = match (fields_node, enum_node) {
        (Some(f), None) => {
            if let Some(v) = values_node {
                cx.error(v.loc, "`values` belongs to an enum, not to a struct", "remove `values`, or replace `fields` with `enum: string`");
            }
            TypeDefKind::Struct(fields(cx, f, FieldContext::Type))
        }
        (None, Some(e)) => {
            let base = enum_base(cx, e)?;
            let values = match values_node {
                Some(v) => enum_values(cx, v),
                None => {
                    cx.error(name.loc, format!("enum `{}` has no `values`", name.value), "list its values under `values:`, each with its description");
                    Vec::new()
                }
            };
            TypeDefKind::Enum(EnumDef { base, values })
        }
        (Some(_), Some(e)) => {
            cx.error(e.loc, format!("type `{}` has both `fields` and `enum`", name.value), "a type is either a struct (`fields`) or an enum (`enum` and `values`)");
            return None;
        }
        (None, None) => {
            cx.error(name.loc, format!("type `{}` has neither `fields` nor `enum`", name.value), "give a struct its `fields:`, or an enum its `enum: string` and `values:`");
            return None;
        }
    };
    Some(TypeDef { name, rust_name, description, kind })
}

fn enum_base(cx: &mut Ctx, node: &Node) -> Option<Sp<Scalar>> {
    let s = sp_string(cx, node)?;
    let base = match s.value.as_str() {
        "string" => Scalar::String,
        "int32" => Scalar::Int32,
        "int64" => Scalar::Int64,
        other => {
            cx.error(s.loc, format!("`{}` cannot be the type of an enum", show(other)), "write `enum: string`, `enum: int32` or `enum: int64`");
            return None;
        }
    };
    Some(Sp { value: base, loc: s.loc })
}

fn enum_values(cx: &mut Ctx, node: &Node) -> Vec<EnumValue> {
    let entries = match &node.value {
        Value::Map(entries) => entries,
        _ => {
            cx.expected(node, "a mapping of value: description");
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(value) = key(cx, k) else { continue };
        let (name, description) = match &v.value {
            Value::Null => (None, None),
            Value::Str(s) => (None, Some(s.clone())),
            Value::Map(_) => match Map::new(cx, v, "an enum value", &["name", "description"]) {
                Some(mut e) => {
                    let n = e.sp_string(cx, "name");
                    let d = e.string(cx, "description");
                    e.finish(cx);
                    (n, d)
                }
                None => (None, None),
            },
            _ => {
                cx.expected(v, "a description, or a mapping with `name` and `description`");
                (None, None)
            }
        };
        out.push(EnumValue { value, name, description });
    }
    out
}

/// Where a field is written, which decides the keys it may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldContext {
    Type,
    Query,
    Param,
    Header,
    Body,
    Data,
}

const FIELD_KEYS: &[&str] = &[
    "type",
    "required",
    "description",
    "example",
    "default",
    "values",
    "fields",
    "type_name",
    "rust_name",
    "min",
    "max",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "pattern",
    "style",
    "secret",
];

fn fields(cx: &mut Ctx, node: &Node, context: FieldContext) -> Vec<Field> {
    let entries = match &node.value {
        Value::Map(entries) => entries,
        Value::Null => return Vec::new(),
        _ => {
            cx.expected(node, "a mapping of field name: field");
            return Vec::new();
        }
    };
    entries
        .iter()
        .filter_map(|(k, v)| {
            let name = key(cx, k)?;
            field(cx, name, v, context)
        })
        .collect()
}

fn field(cx: &mut Ctx, name: Sp<String>, node: &Node, context: FieldContext) -> Option<Field> {
    let mut m = Map::new(cx, node, "a field", FIELD_KEYS)?;
    let ty_node = m.get("type");
    let required = m.bool(cx, "required").unwrap_or(false);
    let description = m.string(cx, "description");
    let example = m.get("example").map(|n| Sp { value: n.to_json(), loc: n.loc });
    let default = m.get("default").map(|n| Sp { value: n.to_json(), loc: n.loc });
    let values = m.get("values").map(|n| enum_values(cx, n));
    let fields_node = m.get("fields");
    let type_name = m.sp_string(cx, "type_name");
    let rust_name = m.sp_string(cx, "rust_name");
    let limits = Limits {
        min: m.number(cx, "min"),
        max: m.number(cx, "max"),
        min_length: m.uint(cx, "min_length"),
        max_length: m.uint(cx, "max_length"),
        min_items: m.uint(cx, "min_items"),
        max_items: m.uint(cx, "max_items"),
        pattern: m.string(cx, "pattern"),
    };
    let style_node = m.get("style");
    let secret = m.bool(cx, "secret").unwrap_or(false);
    m.finish(cx);

    let ty = match (ty_node, fields_node) {
        (Some(t), _) => {
            let text = sp_string(cx, t)?;
            match text.value.parse::<TypeExpr>() {
                Ok(ty) => Sp { value: ty, loc: text.loc },
                Err(_) => {
                    cx.error(
                        text.loc,
                        format!("`{}` is not a type", show(&text.value)),
                        "write string, int32, int64, float, bool, json, file, object, array<T>, map<T>, or the name of a type",
                    );
                    return None;
                }
            }
        }
        (None, Some(f)) => Sp { value: TypeExpr::Object, loc: f.loc },
        (None, None) => {
            cx.error(name.loc, format!("field `{}` has no `type`", name.value), "add `type:` (string, int32, int64, float, bool, json, array<T>, map<T> or a type name)");
            return None;
        }
    };
    let fields = fields_node.map(|n| fields(cx, n, FieldContext::Type));
    let style = style_node.and_then(|n| {
        let s = sp_string(cx, n)?;
        if context != FieldContext::Query {
            cx.error(s.loc, "`style` applies only to query parameters", "remove `style` here");
            return None;
        }
        let style = match s.value.as_str() {
            "repeat" => ArrayStyle::Repeat,
            "brackets" => ArrayStyle::Brackets,
            "comma" => ArrayStyle::Comma,
            "json" => ArrayStyle::Json,
            other => {
                cx.error(
                    s.loc,
                    format!("`{}` is not an array style", show(other)),
                    "write `repeat` (k=a&k=b), `brackets` (k[]=a&k[]=b), `comma` (k=a,b) or `json` (k=[\"a\",\"b\"])",
                );
                return None;
            }
        };
        Some(Sp { value: style, loc: s.loc })
    });
    if context == FieldContext::Param && !required {
        // Path parameters are always required; say so rather than silently flip it.
        if m_is_explicit_false(node) {
            cx.error(name.loc, format!("path parameter `{}` cannot be optional", name.value), "remove `required: false`: a path parameter is part of the URL");
        }
    }
    let required = required || context == FieldContext::Param;
    Some(Field { name, ty, required, description, example, default, values, fields, type_name, rust_name, limits, style, secret })
}

fn m_is_explicit_false(node: &Node) -> bool {
    matches!(&node.value, Value::Map(entries) if entries.iter().any(|(k, v)| k.as_str() == Some("required") && v.value == Value::Bool(false)))
}

// ---------------------------------------------------------------------------------------------
// operations

const OPERATION_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "doc",
    "deprecated",
    "method",
    "path",
    "app_types",
    "tokens",
    "scopes",
    "field_scopes",
    "rate_limit",
    "parameters",
    "body",
    "response",
    "pagination",
    "errors",
    "examples",
    "errata",
];

pub(crate) fn operation_file(cx: &mut Ctx, file: FileId, rel_path: String, root: &Node) -> Option<OperationFile> {
    let mut m = Map::new(cx, root, "an operation", OPERATION_KEYS)?;
    let name = m.sp_string(cx, "name");
    let title = m.required_string(cx, "title");
    let description = m.string(cx, "description");
    let (doc_url, doc_updated) = doc(cx, m.get("doc"));
    let deprecated = deprecated(cx, m.get("deprecated"));
    let method = m.required_string(cx, "method").and_then(|s| {
        let method = match s.value.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => {
                cx.error(s.loc, format!("`{}` is not an HTTP method", show(&s.value)), "write GET, POST, PUT, PATCH or DELETE");
                return None;
            }
        };
        Some(Sp { value: method, loc: s.loc })
    });
    let path = m.required_string(cx, "path");
    let app_types = m.string_list(cx, "app_types").into_iter().map(|s| s.value).collect();
    let tokens = m.string_list(cx, "tokens");
    let scope_entries = m.entries(cx, "scopes");
    let field_scope_entries = m.entries(cx, "field_scopes");
    let (scopes, field_scopes) = (read_scopes(cx, scope_entries), read_scopes(cx, field_scope_entries));
    let rate_limit = m.string(cx, "rate_limit");

    let (mut path_params, mut query_params, mut header_params) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(p) = m.get("parameters")
        && let Some(mut pm) = Map::new(cx, p, "the parameters", &["path", "query", "header"])
    {
        if let Some(n) = pm.get("path") {
            path_params = fields(cx, n, FieldContext::Param);
        }
        if let Some(n) = pm.get("query") {
            query_params = fields(cx, n, FieldContext::Query);
        }
        if let Some(n) = pm.get("header") {
            header_params = fields(cx, n, FieldContext::Header);
        }
        pm.finish(cx);
    }

    let body = m.get("body").and_then(|n| body(cx, n));
    let response = match m.get("response") {
        Some(n) => response(cx, n),
        None => Some(Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Data, data: None }),
    };
    let pagination = m.get("pagination").and_then(|n| pagination(cx, n));
    let errors = m.list(cx, "errors").iter().filter_map(|n| error_spec(cx, n)).collect();
    let (request_example, response_example) = match m.get("examples") {
        Some(n) => match Map::new(cx, n, "the examples", &["request", "response"]) {
            Some(mut e) => {
                let req = e.sp_string(cx, "request");
                let resp = e.sp_string(cx, "response");
                e.finish(cx);
                (req, resp)
            }
            None => (None, None),
        },
        None => (None, None),
    };
    let errata = m.list(cx, "errata").iter().filter_map(|n| erratum(cx, n)).collect();
    m.finish(cx);
    Some(OperationFile {
        file,
        loc: root.loc,
        rel_path,
        name,
        title: title?.value,
        description,
        doc_url,
        doc_updated,
        deprecated,
        method: method?,
        path: path?,
        app_types,
        tokens,
        scopes,
        field_scopes,
        rate_limit,
        path_params,
        query_params,
        header_params,
        body,
        response: response?,
        pagination,
        errors,
        request_example,
        response_example,
        errata,
    })
}

/// `doc: {url, updated}`.
fn doc(cx: &mut Ctx, node: Option<&Node>) -> (Option<String>, Option<String>) {
    let Some(mut d) = node.and_then(|n| Map::new(cx, n, "the doc reference", &["url", "updated"])) else { return (None, None) };
    let url = d.string(cx, "url");
    let updated = d.get("updated").and_then(|u| match &u.value {
        Value::Str(s) => Some(s.clone()),
        _ => {
            cx.expected(u, "a date string such as \"2021-08-06\"");
            None
        }
    });
    d.finish(cx);
    (url, updated)
}

/// `deprecated: true`, or a note saying what replaces it.
fn deprecated(cx: &mut Ctx, node: Option<&Node>) -> Option<String> {
    node.and_then(|n| match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Bool(true) => Some(String::new()),
        Value::Bool(false) => None,
        _ => {
            cx.expected(n, "`true`, or a note saying what replaces it");
            None
        }
    })
}

// ---------------------------------------------------------------------------------------------
// events

const EVENT_KEYS: &[&str] =
    &["event", "name", "title", "description", "doc", "deprecated", "schema", "app_types", "scopes", "field_scopes", "fields", "types", "example", "errata"];

/// Whether a spec file's root is an event spec (it has the key `event`).
pub(crate) fn is_event(root: &Node) -> bool {
    matches!(&root.value, Value::Map(entries) if entries.iter().any(|(k, _)| k.as_str() == Some("event")))
}

pub(crate) fn event_file(cx: &mut Ctx, file: FileId, rel_path: String, root: &Node) -> Option<EventFile> {
    let mut m = Map::new(cx, root, "an event", EVENT_KEYS)?;
    let event = m.required_string(cx, "event");
    let name = m.sp_string(cx, "name");
    let title = m.required_string(cx, "title");
    let description = m.string(cx, "description");
    let (doc_url, doc_updated) = doc(cx, m.get("doc"));
    let deprecated = deprecated(cx, m.get("deprecated"));
    let schema = m.required(cx, "schema").and_then(|n| {
        let text = n.scalar_text().unwrap_or_default();
        let value = match text.as_str() {
            "1.0" | "1" => EventSchema::V1,
            "2.0" | "2" => EventSchema::V2,
            _ => {
                cx.error(n.loc, format!("`{}` is not an event schema", show(&text)), "write \"2.0\" (header and event) or \"1.0\" (uuid, ts, token and event)");
                return None;
            }
        };
        Some(Sp { value, loc: n.loc })
    });
    let app_types = m.string_list(cx, "app_types").into_iter().map(|s| s.value).collect();
    let scope_entries = m.entries(cx, "scopes");
    let field_scope_entries = m.entries(cx, "field_scopes");
    let (scopes, field_scopes) = (read_scopes(cx, scope_entries), read_scopes(cx, field_scope_entries));
    let fields = m.get("fields").map(|n| fields(cx, n, FieldContext::Type)).unwrap_or_default();
    let type_entries = m.entries(cx, "types");
    let (types, broken_types) = type_defs(cx, type_entries);
    let example = m.sp_string(cx, "example");
    let errata = m.list(cx, "errata").iter().filter_map(|n| erratum(cx, n)).collect();
    m.finish(cx);
    Some(EventFile {
        file,
        loc: root.loc,
        rel_path,
        event: event?,
        name,
        title: title?.value,
        description,
        doc_url,
        doc_updated,
        deprecated,
        schema: schema?,
        app_types,
        scopes,
        field_scopes,
        fields,
        types,
        broken_types,
        example,
        errata,
    })
}

fn read_scopes(cx: &mut Ctx, entries: &[(Node, Node)]) -> Vec<Scope> {
    let mut out = Vec::new();
    for (k, v) in entries {
        let Some(name) = key(cx, k) else { continue };
        let (description, note) = match &v.value {
            Value::Null => (None, None),
            Value::Str(s) => (Some(s.clone()), None),
            _ => match Map::new(cx, v, "a scope", &["description", "note"]) {
                Some(mut s) => {
                    let d = s.string(cx, "description");
                    let n = s.string(cx, "note");
                    s.finish(cx);
                    (d, n)
                }
                None => (None, None),
            },
        };
        out.push(Scope { name: name.value, description, note });
    }
    out
}

fn body(cx: &mut Ctx, node: &Node) -> Option<Body> {
    let mut m = Map::new(cx, node, "the request body", &["kind", "fields"])?;
    let kind = m.required_string(cx, "kind").and_then(|s| match s.value.as_str() {
        "json" => Some(BodyKind::Json),
        "multipart" => Some(BodyKind::Multipart),
        other => {
            cx.error(s.loc, format!("`{}` is not a body kind", show(other)), "write `kind: json` or `kind: multipart`; leave out `body` when there is none");
            None
        }
    });
    let fields = m.get("fields").map(|n| fields(cx, n, FieldContext::Body)).unwrap_or_default();
    m.finish(cx);
    Some(Body { kind: kind?, fields })
}

fn response(cx: &mut Ctx, node: &Node) -> Option<Response> {
    let mut m = Map::new(cx, node, "the response", &["kind", "envelope", "data"])?;
    let kind = match m.sp_string(cx, "kind") {
        None => Some(ResponseKind::Json),
        Some(s) => match s.value.as_str() {
            "json" => Some(ResponseKind::Json),
            "binary" => Some(ResponseKind::Binary),
            other => {
                cx.error(s.loc, format!("`{}` is not a response kind", show(other)), "write `kind: json` or `kind: binary`");
                None
            }
        },
    };
    let envelope = match m.sp_string(cx, "envelope") {
        None => Some(EnvelopeUse::Data),
        Some(s) => match s.value.as_str() {
            "data" => Some(EnvelopeUse::Data),
            "flat" => Some(EnvelopeUse::Flat),
            other => {
                cx.error(
                    s.loc,
                    format!("`{}` is not an envelope use", show(other)),
                    "write `envelope: data` (payload under the data field) or `envelope: flat` (payload beside code and message)",
                );
                None
            }
        },
    };
    let data = m.get("data").and_then(|n| {
        let name = Sp { value: "data".to_owned(), loc: n.loc };
        field(cx, name, n, FieldContext::Data)
    });
    m.finish(cx);
    Some(Response { kind: kind?, envelope: envelope?, data })
}

fn pagination(cx: &mut Ctx, node: &Node) -> Option<Pagination> {
    let mut m = Map::new(cx, node, "the pagination", &["style", "items", "cursor", "has_more", "page", "size", "total"])?;
    let style = m.required_string(cx, "style");
    let mut key = |name: &str, default: &str| m.sp_string(cx, name).unwrap_or_else(|| Sp { value: default.to_owned(), loc: node.loc });
    // Each style has its own keys, with the vendors' usual names as defaults.
    let (items, style) = match style.as_ref().map(|s| s.value.as_str()) {
        Some("cursor") => (key("items", "items"), Some(PageStyle::Cursor { cursor: key("cursor", "page_token"), has_more: key("has_more", "has_more") })),
        Some("page") => (key("items", "list"), Some(PageStyle::Page { page: key("page", "page"), size: key("size", "limit"), total: key("total", "totalCount") })),
        Some(other) => {
            let loc = style.as_ref().map_or(node.loc, |s| s.loc);
            cx.error(
                loc,
                format!("`{}` is not a pagination style", show(other)),
                "write `style: cursor` (a page token and has_more, as Feishu) or `style: page` (page numbers and a total, as Authing)",
            );
            return None;
        }
        None => return None,
    };
    let style = style?;
    // A key of the other style is a mistake, not a default.
    let foreign: &[&str] = match style {
        PageStyle::Cursor { .. } => &["page", "size", "total"],
        PageStyle::Page { .. } => &["cursor", "has_more"],
    };
    for k in foreign {
        if let Some(n) = m.get(k) {
            cx.error(
                n.loc,
                format!("`{k}` does not apply to this pagination style"),
                "cursor paging takes `items`, `cursor` and `has_more`; page paging takes `items`, `page`, `size` and `total`",
            );
        }
    }
    m.finish(cx);
    Some(Pagination { loc: node.loc, items, style })
}

fn error_spec(cx: &mut Ctx, node: &Node) -> Option<ErrorSpec> {
    let mut m = Map::new(cx, node, "a documented error", &["http_status", "code", "name", "message", "hint"])?;
    let http_status = match m.get("http_status") {
        Some(Node { value: Value::Int(i), .. }) if (100..=599).contains(i) => Some(*i as u16),
        Some(Node { value: Value::Int(i), loc }) => {
            cx.error(*loc, format!("{i} is not an HTTP status"), "write a status between 100 and 599");
            None
        }
        Some(other) => {
            cx.expected(other, "an HTTP status (100–599)");
            None
        }
        None => None,
    };
    let code = match m.required(cx, "code") {
        Some(Node { value: Value::Int(i), .. }) => Some(*i),
        Some(other) => {
            cx.expected(other, "an integer error code");
            None
        }
        None => None,
    };
    let name = m.sp_string(cx, "name");
    let message = m.required_string(cx, "message");
    let hint = m.string(cx, "hint");
    m.finish(cx);
    Some(ErrorSpec { loc: node.loc, http_status, code: code?, name, message: message?.value, hint })
}

fn erratum(cx: &mut Ctx, node: &Node) -> Option<Erratum> {
    let mut m = Map::new(cx, node, "an erratum", &["at", "doc", "spec", "reason"])?;
    let at = m.required_string(cx, "at");
    let doc = m.required_string(cx, "doc");
    let spec = m.required_string(cx, "spec");
    let reason = m.required_string(cx, "reason");
    m.finish(cx);
    Some(Erratum { at: at?.value, doc: doc?.value, spec: spec?.value, reason: reason?.value })
}
