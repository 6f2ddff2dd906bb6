//! The drafted `vendor.yaml`: hosts from `servers`, services from the tags used, token kinds
//! from the security schemes, and — from our own export's `x-vendor` — the envelope, request
//! ids, credentials, token exchanges and the codes the client acts on. Without `x-vendor` the
//! vendor is a plain HTTP API (`envelope: none`).

use std::fmt::Write as _;

use codegen::spec::OperationFile;
use codegen::write::quote;
use codegen::yaml::{Node, Value};

use super::doc::{Doc, Warning, boolean, entries, get, items, text};

/// A service directory the operations use, from their first tag.
pub struct Service {
    pub path: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub feature: Option<String>,
}

/// The token kind a security scheme becomes.
pub fn token_name(scheme: &str) -> String {
    codegen::names::snake(scheme).unwrap_or_else(|| "token".to_owned())
}

/// How a scheme reaches the server: (header, prefix), or why it cannot be described.
fn scheme_header(node: &Node) -> Result<(String, String), String> {
    let prefix = text(node, "x-token-prefix");
    match (text(node, "type"), text(node, "scheme").map(str::to_ascii_lowercase).as_deref(), text(node, "in")) {
        (Some("http"), Some("bearer"), _) | (Some("oauth2" | "openIdConnect"), _, _) => Ok(("Authorization".to_owned(), prefix.unwrap_or("Bearer ").to_owned())),
        (Some("apiKey"), _, Some("header")) => Ok((text(node, "name").unwrap_or("Authorization").to_owned(), prefix.unwrap_or("").to_owned())),
        (Some("apiKey"), _, Some(place)) => Err(format!("an API key in the {place} is not in the spec format (tokens travel in headers)")),
        (Some("http"), Some(scheme), _) => Err(format!("HTTP `{scheme}` authentication is not in the spec format (bearer tokens and header keys are)")),
        (kind, _, _) => Err(format!("security scheme of type `{}` is not in the spec format", kind.unwrap_or("?"))),
    }
}

/// Whether token kind `token` comes from a scheme the spec format can describe.
pub fn supported_scheme(doc: &Doc, token: &str) -> bool {
    schemes(doc).iter().any(|(name, node)| token_name(name) == token && scheme_header(node).is_ok())
}

fn schemes(doc: &Doc) -> Vec<(String, &Node)> {
    get(&doc.root, "components").and_then(|c| get(c, "securitySchemes")).map(entries).unwrap_or_default()
}

fn json_text(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn list(values: &[String]) -> String {
    format!("[{}]", values.join(", "))
}

fn scalars(node: Option<&Node>) -> Vec<String> {
    node.map(items).unwrap_or_default().iter().filter_map(Node::scalar_text).collect()
}

pub fn draft(doc: &Doc, vendor: &str, source: &str, services: &[Service], ops: &[(String, OperationFile)], warnings: &mut Vec<Warning>) -> String {
    let root = &doc.root;
    let info = get(root, "info");
    let x = get(root, "x-vendor");
    let mut out = String::new();
    let _ = writeln!(out, "# Drafted by `cargo xtask openapi import` from {source}: check the hosts, tokens and envelope.");
    let _ = writeln!(out, "vendor: {vendor}");
    let _ = writeln!(out, "title: {}", quote(info.and_then(|i| text(i, "title")).unwrap_or(vendor)));
    if let Some(d) = info.and_then(|i| text(i, "description")) {
        // Our export appends where it came from; that sentence is not the vendor's.
        let d = d.split("\n\nExported from `").next().unwrap_or(d).split("Exported from `").next().unwrap_or(d).trim();
        if !d.is_empty() {
            let _ = writeln!(out, "description: {}", quote(d));
        }
    }
    if let Some(u) = get(root, "externalDocs").and_then(|d| text(d, "url")) {
        let _ = writeln!(out, "docs: {}", quote(u));
    }

    out.push_str("hosts:\n");
    let servers = get(root, "servers").map(items).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for (i, s) in servers.iter().enumerate() {
        let Some(mut url) = text(s, "url").map(str::to_owned) else { continue };
        for (var, v) in get(s, "variables").map(entries).unwrap_or_default() {
            let value = text(v, "default").unwrap_or("");
            url = url.replace(&format!("{{{var}}}"), value);
        }
        if !url.starts_with("http://") && !url.starts_with("https://") {
            warnings.push(Warning {
                line: s.loc.line,
                col: s.loc.col,
                at: format!("#/servers/{i}"),
                message: format!("server `{url}` is relative: write the vendor's full URL in vendor.yaml"),
            });
            url = format!("https://api.example.invalid{}", if url.starts_with('/') { url.clone() } else { format!("/{url}") });
        }
        let url = url.trim_end_matches('/').to_owned();
        let mut name =
            text(s, "description").and_then(codegen::names::snake).filter(|n| n.len() <= 32).unwrap_or_else(|| if i == 0 { "main".to_owned() } else { format!("server{}", i + 1) });
        if names.contains(&name) {
            name = format!("{name}{}", i + 1);
        }
        names.push(name.clone());
        let default = if i == 0 { ", default: true" } else { "" };
        let _ = writeln!(out, "  {name}: {{url: {}{default}}}", json_text(&url));
    }
    if names.is_empty() {
        warnings.push(Warning {
            line: root.loc.line,
            col: root.loc.col,
            at: "#/servers".into(),
            message: "the document has no `servers`: write the vendor's URL in vendor.yaml".into(),
        });
        let _ = writeln!(out, "  main: {{url: \"https://api.example.invalid\", default: true}}");
    }

    out.push_str("services:\n");
    for Service { path, title, docs, feature } in services {
        let mut parts = Vec::new();
        if let Some(t) = title {
            parts.push(format!("title: {}", json_text(t)));
        }
        if let Some(d) = docs {
            parts.push(format!("docs: {}", json_text(d)));
        }
        if let Some(f) = feature {
            parts.push(format!("feature: {f}"));
        }
        let _ = writeln!(out, "  {path}: {{{}}}", parts.join(", "));
    }

    match x.and_then(|x| get(x, "envelope")) {
        Some(e) if matches!(e.value, Value::Map(_)) => {
            out.push_str("envelope:\n");
            for key in ["code", "sub_code", "message", "data"] {
                if let Some(v) = text(e, key) {
                    let _ = writeln!(out, "  {key}: {}", quote(v));
                }
            }
            let _ = writeln!(out, "  success: {}", get(e, "success").and_then(Node::scalar_text).unwrap_or_else(|| "0".to_owned()));
        }
        _ => out.push_str("envelope: none\n"),
    }
    if let Some(r) = x.and_then(|x| get(x, "request_id")) {
        out.push_str("request_id:\n");
        let headers = scalars(get(r, "headers"));
        if !headers.is_empty() {
            let _ = writeln!(out, "  headers: {}", list(&headers));
        }
        if let Some(f) = text(r, "field") {
            let _ = writeln!(out, "  field: {}", quote(f));
        }
    }
    let creds = x.and_then(|x| get(x, "credentials")).map(entries).unwrap_or_default();
    if !creds.is_empty() {
        out.push_str("credentials:\n");
        for (name, c) in creds {
            let _ = writeln!(out, "  {name}:");
            if let Some(d) = text(c, "description") {
                let _ = writeln!(out, "    description: {}", quote(d));
            }
            if boolean(c, "secret") {
                out.push_str("    secret: true\n");
            }
        }
    }

    let mut token_lines = String::new();
    for (name, node) in schemes(doc) {
        let at = format!("#/components/securitySchemes/{name}");
        let (header, prefix) = match scheme_header(node) {
            Ok(h) => h,
            Err(why) => {
                warnings.push(Warning {
                    line: node.loc.line,
                    col: node.loc.col,
                    at,
                    message: format!("{why}: scheme `{name}` left out, and operations that need only it get no token"),
                });
                continue;
            }
        };
        let _ = writeln!(token_lines, "  {}:", token_name(&name));
        if let Some(d) = text(node, "description") {
            let _ =
                writeln!(token_lines, "    description: {}", quote(d.split(" The client fetches it").next().unwrap_or(d).split("Passed per request").next().unwrap_or(d).trim()));
        }
        let _ = writeln!(token_lines, "    header: {header}");
        if !prefix.is_empty() {
            let _ = writeln!(token_lines, "    prefix: {}", json_text(&prefix));
        }
        match get(node, "x-token-exchange") {
            Some(xe) => {
                let method = text(xe, "method").unwrap_or("POST");
                let path = text(xe, "path").unwrap_or("");
                let op = ops.iter().find(|(_, o)| o.method.value.as_str() == method && o.path.value == path).map(|(rel, _)| rel.clone()).unwrap_or_default();
                let _ = writeln!(token_lines, "    exchange:\n      operation: {op}");
                let request: Vec<String> = get(xe, "request").map(entries).unwrap_or_default().into_iter().filter_map(|(k, v)| Some(format!("{k}: {}", v.as_str()?))).collect();
                let _ = writeln!(token_lines, "      request: {{{}}}", request.join(", "));
                let _ = writeln!(token_lines, "      token: {}", text(xe, "token").unwrap_or(""));
                let _ = writeln!(token_lines, "      expires_in: {}", text(xe, "expires_in").unwrap_or(""));
                let headers = get(xe, "headers").map(entries).unwrap_or_default();
                if !headers.is_empty() {
                    token_lines.push_str("      headers:\n");
                    for (h, b) in headers {
                        let parts: Vec<String> = ["jwt_claim", "credential"].iter().filter_map(|k| Some(format!("{k}: {}", text(b, k)?))).collect();
                        let _ = writeln!(token_lines, "        {h}: {{{}}}", parts.join(", "));
                    }
                }
            }
            None => token_lines.push_str("    per_request: true\n"),
        }
    }
    if !token_lines.is_empty() {
        out.push_str("tokens:\n");
        out.push_str(&token_lines);
    }

    let signals = |key: &str, default_status: &[&str]| -> String {
        let node = x.and_then(|x| get(x, key));
        let mut s = String::new();
        let (codes, statuses) = match node {
            Some(n) => (scalars(get(n, "codes")), scalars(get(n, "http_status"))),
            None if x.is_none() => (Vec::new(), default_status.iter().map(|s| (*s).to_owned()).collect()),
            None => (Vec::new(), Vec::new()),
        };
        if !codes.is_empty() {
            let _ = writeln!(s, "  codes: {}", list(&codes));
        }
        if !statuses.is_empty() {
            let _ = writeln!(s, "  http_status: {}", list(&statuses));
        }
        if let Some(h) = node.and_then(|n| text(n, "reset_header")) {
            let _ = writeln!(s, "  reset_header: {h}");
        }
        if s.is_empty() { s } else { format!("{key}:\n{s}") }
    };
    out.push_str(&signals("token_invalid", &["401"]));
    out.push_str(&signals("rate_limit", &["429"]));
    out
}
