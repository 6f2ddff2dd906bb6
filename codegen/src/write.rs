//! The spec model's own serializer: canonical YAML with a stable key order and stable quoting,
//! so an importer can write specs, compare them with what is on disk, and show differences.
//!
//! One writer per file kind (`operation`, `event`, `types`, `vendor`); reading what each writes gives back
//! the same model (locations aside), which `tests/write.rs` holds for every spec in the
//! repository. Nothing else writes spec YAML.

use std::fmt::Write as _;

use crate::spec::*;

/// An operation file, as `specs/<vendor>/…/<method>.yaml` holds it.
pub fn operation(op: &OperationFile) -> String {
    let mut w = Writer::default();
    if let Some(n) = &op.name {
        w.scalar(0, "name", &n.value);
    }
    w.scalar(0, "title", &op.title);
    w.opt(0, "description", op.description.as_deref());
    if op.doc_url.is_some() || op.doc_updated.is_some() {
        w.key(0, "doc");
        w.opt(1, "url", op.doc_url.as_deref());
        w.opt(1, "updated", op.doc_updated.as_deref());
    }
    match op.deprecated.as_deref() {
        Some("") => w.raw(0, "deprecated", "true"),
        Some(note) => w.scalar(0, "deprecated", note),
        None => {}
    }
    w.scalar(0, "method", op.method.value.as_str());
    w.scalar(0, "path", &op.path.value);
    w.list(0, "app_types", op.app_types.iter().map(String::as_str));
    w.flow_list(0, "tokens", op.tokens.iter().map(|t| t.value.as_str()));
    scopes(&mut w, "scopes", &op.scopes);
    scopes(&mut w, "field_scopes", &op.field_scopes);
    w.opt(0, "rate_limit", op.rate_limit.as_deref());
    if !(op.path_params.is_empty() && op.query_params.is_empty() && op.header_params.is_empty()) {
        w.key(0, "parameters");
        for (key, params) in [("path", &op.path_params), ("query", &op.query_params), ("header", &op.header_params)] {
            if !params.is_empty() {
                w.key(1, key);
                fields(&mut w, 2, params, key == "path");
            }
        }
    }
    if let Some(b) = &op.body {
        w.key(0, "body");
        w.scalar(1, "kind", if b.kind == BodyKind::Json { "json" } else { "multipart" });
        if !b.fields.is_empty() {
            w.key(1, "fields");
            fields(&mut w, 2, &b.fields, false);
        }
    }
    let r = &op.response;
    if r.kind != ResponseKind::Json || r.envelope != EnvelopeUse::Data || r.data.is_some() {
        w.key(0, "response");
        if r.kind == ResponseKind::Binary {
            w.scalar(1, "kind", "binary");
        }
        if r.envelope == EnvelopeUse::Flat {
            w.scalar(1, "envelope", "flat");
        }
        if let Some(d) = &r.data {
            w.key(1, "data");
            field_body(&mut w, 2, d, false);
        }
    }
    if let Some(p) = &op.pagination {
        w.key(0, "pagination");
        match &p.style {
            PageStyle::Cursor { cursor, has_more } => {
                w.scalar(1, "style", "cursor");
                w.scalar(1, "items", &p.items.value);
                w.scalar(1, "cursor", &cursor.value);
                w.scalar(1, "has_more", &has_more.value);
            }
            PageStyle::Page { page, size, total } => {
                w.scalar(1, "style", "page");
                w.scalar(1, "items", &p.items.value);
                w.scalar(1, "page", &page.value);
                w.scalar(1, "size", &size.value);
                w.scalar(1, "total", &total.value);
            }
        }
    }
    if !op.errors.is_empty() {
        w.key(0, "errors");
        for e in &op.errors {
            let mut entries: Vec<(&str, String, bool)> = Vec::new();
            if let Some(s) = e.http_status {
                entries.push(("http_status", s.to_string(), true));
            }
            entries.push(("code", e.code.to_string(), true));
            if let Some(n) = &e.name {
                entries.push(("name", n.value.clone(), false));
            }
            entries.push(("message", e.message.clone(), false));
            if let Some(h) = &e.hint {
                entries.push(("hint", h.clone(), false));
            }
            for (i, (key, value, raw)) in entries.iter().enumerate() {
                if *raw {
                    w.item_raw(1, i == 0, key, value);
                } else {
                    w.item_scalar(1, i == 0, key, value);
                }
            }
        }
    }
    if op.request_example.is_some() || op.response_example.is_some() {
        w.key(0, "examples");
        w.opt(1, "request", op.request_example.as_ref().map(|e| e.value.as_str()));
        w.opt(1, "response", op.response_example.as_ref().map(|e| e.value.as_str()));
    }
    errata(&mut w, &op.errata);
    w.out
}

fn errata(w: &mut Writer, errata: &[Erratum]) {
    if !errata.is_empty() {
        w.key(0, "errata");
        for e in errata {
            w.item_scalar(1, true, "at", &e.at);
            w.item_scalar(1, false, "doc", &e.doc);
            w.item_scalar(1, false, "spec", &e.spec);
            w.item_scalar(1, false, "reason", &e.reason);
        }
    }
}

/// A `vendor.yaml`. Hosts, services (with their own `hosts`), a token exchange's `request` and
/// its bound headers are flow mappings, one line each, as the hand-written vendor files have
/// them; everything else is in block style.
pub fn vendor(v: &VendorFile) -> String {
    let mut w = Writer::default();
    w.scalar(0, "vendor", &v.name.value);
    w.scalar(0, "title", &v.title);
    w.opt(0, "description", v.description.as_deref());
    w.opt(0, "docs", v.docs.as_deref());
    w.key(0, "hosts");
    for h in &v.hosts {
        let default = h.default.then_some(("default", "true".to_owned()));
        w.flow_map(1, &h.name.value, [Some(("url", flow_word(&h.url.value))), default]);
    }
    w.key(0, "services");
    for s in &v.services {
        service(&mut w, s);
    }
    match &v.envelope {
        None => w.raw(0, "envelope", "none"),
        Some(e) => {
            w.key(0, "envelope");
            w.scalar(1, "code", &e.code.value);
            w.opt(1, "sub_code", e.sub_code.as_ref().map(|s| s.value.as_str()));
            w.scalar(1, "message", &e.message.value);
            w.scalar(1, "data", &e.data.value);
            w.raw(1, "success", &e.success.to_string());
        }
    }
    let rid = &v.request_id;
    if !rid.headers.is_empty() || rid.field.is_some() {
        w.key(0, "request_id");
        w.list(1, "headers", rid.headers.iter().map(|h| h.value.as_str()));
        w.opt(1, "field", rid.field.as_ref().map(|f| f.value.as_str()));
    }
    if !v.credentials.is_empty() {
        w.key(0, "credentials");
        for c in &v.credentials {
            if c.description.is_none() && !c.secret && c.pushed.is_none() {
                w.raw(1, &c.name.value, "~");
                continue;
            }
            w.key(1, &c.name.value);
            w.opt(2, "description", c.description.as_deref());
            if c.secret {
                w.raw(2, "secret", "true");
            }
            if let Some(p) = &c.pushed {
                w.raw(2, "pushed", &format!("{{event: {}, field: {}}}", flow_word(&p.event), flow_word(&p.field)));
            }
        }
    }
    if !v.tokens.is_empty() {
        w.key(0, "tokens");
        for t in &v.tokens {
            token(&mut w, t);
        }
    }
    if !(v.token_invalid.codes.is_empty() && v.token_invalid.http_status.is_empty()) {
        w.key(0, "token_invalid");
        signals(&mut w, &v.token_invalid.codes, &v.token_invalid.http_status);
    }
    let rl = &v.rate_limit;
    if !(rl.codes.is_empty() && rl.http_status.is_empty() && rl.reset_header.is_none()) {
        w.key(0, "rate_limit");
        signals(&mut w, &rl.codes, &rl.http_status);
        w.opt(1, "reset_header", rl.reset_header.as_deref());
    }
    w.out
}

/// One service of a vendor file's `services:`, as its line (two spaces in, ending in a newline).
pub fn service_line(s: &ServiceDecl) -> String {
    let mut w = Writer::default();
    service(&mut w, s);
    w.out
}

fn service(w: &mut Writer, s: &ServiceDecl) {
    let text = |key, value: &Option<String>| value.as_deref().map(|v| (key, flow_word(v)));
    let feature = s.feature.as_ref().map(|f| ("feature", flow_word(&f.value)));
    let mount = s.mount.as_ref().map(|m| ("mount", flow_word(&m.value)));
    let hosts = (!s.hosts.is_empty()).then(|| {
        let entries: Vec<String> = s.hosts.iter().map(|h| format!("{}: {}", flow_word(&h.name.value), flow_word(&h.url.value))).collect();
        ("hosts", format!("{{{}}}", entries.join(", ")))
    });
    w.flow_map(1, &s.path.value, [text("title", &s.title), text("docs", &s.docs), feature, mount, hosts]);
}

/// A comment to put above a file's first key (`# Drafted by …`), one `#` line per line of text.
pub fn comment(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "#\n".to_owned() } else { format!("# {l}\n") }).collect()
}

/// A `types.yaml`.
pub fn types(tf: &TypesFile) -> String {
    let mut w = Writer::default();
    w.key(0, "types");
    type_defs(&mut w, 1, &tf.types);
    w.out
}

/// Named types under a `types:` key written at `indent - 1`.
fn type_defs(w: &mut Writer, indent: usize, types: &[TypeDef]) {
    for t in types {
        w.key(indent, &t.name.value);
        if let Some(r) = &t.rust_name {
            w.scalar(indent + 1, "rust_name", &r.value);
        }
        w.opt(indent + 1, "description", t.description.as_deref());
        match &t.kind {
            TypeDefKind::Struct(f) => {
                w.key(indent + 1, "fields");
                fields(w, indent + 2, f, false);
            }
            TypeDefKind::Enum(e) => {
                w.scalar(indent + 1, "enum", scalar_name(e.base.value));
                w.key(indent + 1, "values");
                enum_values(w, indent + 2, &e.values);
            }
        }
    }
}

/// An event file, as `specs/<vendor>/…/events/<name>.yaml` holds it.
pub fn event(ev: &EventFile) -> String {
    let mut w = Writer::default();
    w.scalar(0, "event", &ev.event.value);
    if let Some(n) = &ev.name {
        w.scalar(0, "name", &n.value);
    }
    w.scalar(0, "title", &ev.title);
    w.opt(0, "description", ev.description.as_deref());
    if ev.doc_url.is_some() || ev.doc_updated.is_some() {
        w.key(0, "doc");
        w.opt(1, "url", ev.doc_url.as_deref());
        w.opt(1, "updated", ev.doc_updated.as_deref());
    }
    match ev.deprecated.as_deref() {
        Some("") => w.raw(0, "deprecated", "true"),
        Some(note) => w.scalar(0, "deprecated", note),
        None => {}
    }
    w.raw(0, "schema", if ev.schema.value == EventSchema::V1 { "\"1.0\"" } else { "\"2.0\"" });
    w.list(0, "app_types", ev.app_types.iter().map(String::as_str));
    scopes(&mut w, "scopes", &ev.scopes);
    scopes(&mut w, "field_scopes", &ev.field_scopes);
    if !ev.fields.is_empty() {
        w.key(0, "fields");
        fields(&mut w, 1, &ev.fields, false);
    }
    if !ev.types.is_empty() {
        w.key(0, "types");
        type_defs(&mut w, 1, &ev.types);
    }
    w.opt(0, "example", ev.example.as_ref().map(|e| e.value.as_str()));
    errata(&mut w, &ev.errata);
    w.out
}

fn token(w: &mut Writer, t: &TokenKind) {
    w.key(1, &t.name.value);
    w.opt(2, "description", t.description.as_deref());
    w.scalar(2, "header", &t.header.value);
    if !t.prefix.is_empty() {
        w.scalar(2, "prefix", &t.prefix);
    }
    match &t.source {
        TokenSource::PerRequest => w.raw(2, "per_request", "true"),
        TokenSource::Exchange(x) => {
            w.key(2, "exchange");
            w.scalar(3, "operation", &x.operation.value);
            if !x.request.is_empty() {
                w.flow_map_line(3, "request", x.request.iter().map(|r| (r.field.value.clone(), flow_word(&r.credential.value))));
            }
            w.scalar(3, "token", &x.token.value);
            w.scalar(3, "expires_in", &x.expires_in.value);
            if !x.headers.is_empty() {
                w.key(3, "headers");
                for h in &x.headers {
                    let claim = h.jwt_claim.as_deref().map(|c| ("jwt_claim", flow_word(c)));
                    let credential = h.credential.as_ref().map(|c| ("credential", flow_word(&c.value)));
                    // A header bound to nothing is still a mapping (`{}`), which the reader requires.
                    w.flow_map_line(4, &h.name.value, [claim, credential].into_iter().flatten().map(|(k, v)| (k.to_owned(), v)));
                }
            }
        }
    }
}

fn signals(w: &mut Writer, codes: &[i64], statuses: &[u16]) {
    if !codes.is_empty() {
        w.raw(1, "codes", &format!("[{}]", codes.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")));
    }
    if !statuses.is_empty() {
        w.raw(1, "http_status", &format!("[{}]", statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")));
    }
}

fn scopes(w: &mut Writer, key: &str, scopes: &[Scope]) {
    if scopes.is_empty() {
        return;
    }
    w.key(0, key);
    for s in once(scopes, |s| &s.name) {
        match (&s.description, &s.note) {
            (d, None) => w.opt_null(1, &s.name, d.as_deref()),
            (d, Some(n)) => {
                w.key(1, &s.name);
                w.opt(2, "description", d.as_deref());
                w.scalar(2, "note", n);
            }
        }
    }
}

fn fields(w: &mut Writer, indent: usize, fields: &[Field], path_params: bool) {
    for f in once(fields, |f| &f.name.value) {
        w.key(indent, &f.name.value);
        field_body(w, indent + 1, f, path_params);
    }
}

fn field_body(w: &mut Writer, indent: usize, f: &Field, path_param: bool) {
    // An inline object's type is implied by its `fields`.
    if !(f.ty.value == TypeExpr::Object && f.fields.is_some()) {
        w.scalar(indent, "type", &f.ty.value.to_string());
    }
    if f.required && !path_param {
        w.raw(indent, "required", "true");
    }
    if f.secret {
        w.raw(indent, "secret", "true");
    }
    w.opt(indent, "description", f.description.as_deref());
    if let Some(e) = &f.example {
        w.json(indent, "example", &e.value);
    }
    if let Some(d) = &f.default {
        w.json(indent, "default", &d.value);
    }
    if let Some(s) = &f.style {
        let style = match s.value {
            ArrayStyle::Repeat => "repeat",
            ArrayStyle::Brackets => "brackets",
            ArrayStyle::Comma => "comma",
            ArrayStyle::Json => "json",
        };
        w.scalar(indent, "style", style);
    }
    let l = &f.limits;
    for (key, v) in [("min", l.min), ("max", l.max)] {
        if let Some(v) = v {
            w.raw(indent, key, &number(v));
        }
    }
    for (key, v) in [("min_length", l.min_length), ("max_length", l.max_length), ("min_items", l.min_items), ("max_items", l.max_items)] {
        if let Some(v) = v {
            w.raw(indent, key, &v.to_string());
        }
    }
    w.opt(indent, "pattern", l.pattern.as_deref());
    if let Some(n) = &f.type_name {
        w.scalar(indent, "type_name", &n.value);
    }
    if let Some(n) = &f.rust_name {
        w.scalar(indent, "rust_name", &n.value);
    }
    if let Some(values) = &f.values {
        w.key(indent, "values");
        enum_values(w, indent + 1, values);
    }
    if let Some(inner) = &f.fields {
        w.key(indent, "fields");
        fields(w, indent + 1, inner, false);
    }
}

fn enum_values(w: &mut Writer, indent: usize, values: &[EnumValue]) {
    for v in once(values, |v| &v.value.value) {
        match &v.name {
            None => w.opt_null(indent, &v.value.value, v.description.as_deref()),
            Some(n) => {
                w.key(indent, &v.value.value);
                w.scalar(indent + 1, "name", &n.value);
                w.opt(indent + 1, "description", v.description.as_deref());
            }
        }
    }
}

/// The entries of a mapping with distinct keys, the first of each: what the writer writes is
/// always valid YAML, whatever the model holds (two rows of a page with one name, say).
fn once<'a, T>(entries: &'a [T], key: impl Fn(&T) -> &String + 'a) -> impl Iterator<Item = &'a T> + 'a {
    let mut seen = std::collections::HashSet::new();
    entries.iter().filter(move |e| seen.insert(key(e).clone()))
}

fn scalar_name(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "string",
        Scalar::Int32 => "int32",
        Scalar::Int64 => "int64",
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn pad(&mut self, indent: usize) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
    }

    fn key(&mut self, indent: usize, key: &str) {
        self.pad(indent);
        let _ = writeln!(self.out, "{}:", quote_key(key));
    }

    fn raw(&mut self, indent: usize, key: &str, value: &str) {
        self.pad(indent);
        let _ = writeln!(self.out, "{}: {value}", quote_key(key));
    }

    fn scalar(&mut self, indent: usize, key: &str, value: &str) {
        self.pad(indent);
        let _ = write!(self.out, "{}:", quote_key(key));
        self.value(indent, value);
    }

    fn opt(&mut self, indent: usize, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.scalar(indent, key, v);
        }
    }

    /// `key: value`, or `key: ~` when there is no value.
    fn opt_null(&mut self, indent: usize, key: &str, value: Option<&str>) {
        match value {
            Some(v) => self.scalar(indent, key, v),
            None => self.raw(indent, key, "~"),
        }
    }

    /// A key of a list item: `- key: value` for the first, `  key: value` for the others.
    fn item_scalar(&mut self, indent: usize, first: bool, key: &str, value: &str) {
        self.pad(indent - 1);
        self.out.push_str(if first { "- " } else { "  " });
        let _ = write!(self.out, "{}:", quote_key(key));
        self.value(indent, value);
    }

    fn item_raw(&mut self, indent: usize, first: bool, key: &str, value: &str) {
        self.pad(indent - 1);
        self.out.push_str(if first { "- " } else { "  " });
        let _ = writeln!(self.out, "{}: {value}", quote_key(key));
    }

    fn value(&mut self, indent: usize, value: &str) {
        if value.contains('\n') && block_safe(value) {
            let chomp = if value.ends_with('\n') { "" } else { "-" };
            let _ = writeln!(self.out, " |{chomp}");
            for line in value.trim_end_matches('\n').split('\n') {
                if !line.is_empty() {
                    self.pad(indent + 1);
                    self.out.push_str(line);
                }
                self.out.push('\n');
            }
        } else {
            let _ = writeln!(self.out, " {}", quote(value));
        }
    }

    fn list<'a>(&mut self, indent: usize, key: &str, items: impl Iterator<Item = &'a str>) {
        let items: Vec<&str> = items.collect();
        if !items.is_empty() {
            self.raw(indent, key, &format!("[{}]", items.iter().map(|i| quote_flow(i)).collect::<Vec<_>>().join(", ")));
        }
    }

    /// A list written even when empty (`tokens: []` says "no token", not "unknown").
    fn flow_list<'a>(&mut self, indent: usize, key: &str, items: impl Iterator<Item = &'a str>) {
        let items: Vec<String> = items.map(quote_flow).collect();
        self.raw(indent, key, &format!("[{}]", items.join(", ")));
    }

    /// `key: {a: x, b: y}` of the entries present, or `key: ~` when none is.
    fn flow_map<const N: usize>(&mut self, indent: usize, key: &str, entries: [Option<(&str, String)>; N]) {
        let entries: Vec<(String, String)> = entries.into_iter().flatten().map(|(k, v)| (k.to_owned(), v)).collect();
        if entries.is_empty() {
            self.raw(indent, key, "~");
        } else {
            self.flow_map_line(indent, key, entries.into_iter());
        }
    }

    /// `key: {a: x, b: y}`, written even when empty (`{}`); the values are quoted already, the
    /// keys are quoted here.
    fn flow_map_line(&mut self, indent: usize, key: &str, entries: impl Iterator<Item = (String, String)>) {
        let entries: Vec<String> = entries.map(|(k, v)| format!("{}: {v}", flow_word(&k))).collect();
        self.raw(indent, key, &format!("{{{}}}", entries.join(", ")));
    }

    fn json(&mut self, indent: usize, key: &str, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(s) => self.scalar(indent, key, s),
            // YAML readers hold integers in 64 bits: a larger one is written as text.
            serde_json::Value::Number(n) if n.is_u64() && n.as_i64().is_none() => self.scalar(indent, key, &n.to_string()),
            // JSON is YAML's flow style: numbers, booleans, null, arrays and objects as they are.
            other => self.raw(indent, key, &other.to_string()),
        }
    }
}

/// A block scalar keeps the text exactly when no line starts with a space (the indentation
/// would be misread) and the text has no trailing spaces before a newline or tabs.
fn block_safe(value: &str) -> bool {
    !value.starts_with(' ') && !value.starts_with('\n') && !value.ends_with("\n\n") && !value.contains('\t') && !value.contains('\r') && !value.lines().any(|l| l.ends_with(' '))
}

fn quote_key(key: &str) -> String {
    quote(key)
}

/// A scalar written plain when YAML reads it back as the same string, double-quoted otherwise.
pub fn quote(value: &str) -> String {
    if plain_safe(value, false) { value.to_owned() } else { double_quoted(value) }
}

/// The same, inside a flow collection (`[a, b]`), where `,[]{}` end a plain scalar.
fn quote_flow(value: &str) -> String {
    if plain_safe(value, true) { value.to_owned() } else { double_quoted(value) }
}

/// A key or value inside a flow mapping: plain only when it is one word of ASCII letters, digits,
/// `_`, `-`, `.` and `/` (names, features, JSON paths), double-quoted otherwise (titles, URLs),
/// so that no comma or colon inside `{…}` can be misread.
fn flow_word(value: &str) -> String {
    let word = value.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c));
    if word && plain_safe(value, true) { value.to_owned() } else { double_quoted(value) }
}

fn plain_safe(v: &str, flow: bool) -> bool {
    if v.is_empty() || v != v.trim() {
        return false;
    }
    let first = v.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first) {
        return false;
    }
    if v.contains(": ") || v.contains(" #") || v.ends_with(':') || v.contains(['\n', '\t', '\r']) {
        return false;
    }
    if flow && v.contains(['{', '}', '[', ']', ',']) {
        return false;
    }
    if v.chars().any(|c| c.is_control()) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".nan", ".inf", "-.inf"].contains(&lower.as_str()) {
        return false;
    }
    // Anything that looks like a number, date or time stays a string only when quoted.
    !v.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '.')
}

fn double_quoted(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
