//! The drafted `vendor.yaml`: hosts from `servers`, services from the tags used, token kinds
//! from the security schemes, and — from our own export's `x-vendor` — the envelope, request
//! ids, credentials, token exchanges and the codes the client acts on. Without `x-vendor` the
//! vendor is a plain HTTP API (`envelope: none`). The draft is a `codegen::spec::VendorFile`,
//! written by `codegen::write::vendor` like every other spec file.

use codegen::diagnostic::{FileId, Loc};
use codegen::openapi::ext::{self, Extension};
use codegen::spec::{
    BoundHeader, Credential, Envelope, Exchange, ExchangeField, Host, OperationFile, RateLimit, RequestId, ServiceDecl, ServiceHost, Signals, TokenKind, TokenSource, VendorFile,
};
use codegen::yaml::Node;

use super::doc::{Doc, Warning, entries, escape, extension, get, items, own_description, text};
use super::schema::sp;

/// A service directory the operations use, from their first tag.
pub struct Service {
    pub path: String,
    pub title: Option<String>,
    pub docs: Option<String>,
    pub feature: Option<String>,
    pub mount: Option<String>,
    /// The path-level `servers` of its first operation's path (empty: the document's).
    pub servers: Vec<String>,
}

/// The token kind a security scheme becomes.
pub fn token_name(scheme: &str) -> String {
    codegen::names::snake(scheme).unwrap_or_else(|| "token".to_owned())
}

/// How a scheme reaches the server: (header, prefix), or why it cannot be described.
fn scheme_header(node: &Node, prefix: Option<&str>) -> Result<(String, String), String> {
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
    schemes(doc).iter().any(|(name, node)| token_name(name) == token && scheme_header(node, None).is_ok())
}

fn schemes(doc: &Doc) -> Vec<(String, &Node)> {
    get(&doc.root, "components").and_then(|c| get(c, "securitySchemes")).map(entries).unwrap_or_default()
}

/// The drafted vendor file, with a comment that says where it came from. `x` is the document's
/// `x-vendor`, already read; `inferred`, the envelope every answer of a document without one
/// shows.
#[allow(clippy::too_many_arguments, reason = "the parts of a document a vendor file is drafted from, each read once")]
pub fn draft(
    doc: &Doc,
    x: Option<&ext::Vendor>,
    inferred: Option<&ext::EnvelopeFields>,
    vendor: &str,
    source: &str,
    services: &[Service],
    ops: &[(String, OperationFile)],
    warnings: &mut Vec<Warning>,
) -> String {
    let root = &doc.root;
    let info = get(root, "info");
    let description = match x {
        // Our export adds sentences of its own to `info.description`; the vendor's is apart.
        Some(x) => x.description.clone(),
        None => info.and_then(|i| text(i, "description")).map(|d| d.trim().to_owned()),
    };
    let hosts = hosts(root, warnings);
    let services = services
        .iter()
        .map(|s| ServiceDecl {
            path: sp(s.path.clone()),
            title: s.title.clone(),
            docs: s.docs.clone(),
            feature: s.feature.clone().map(sp),
            mount: s.mount.clone().map(sp),
            hosts: service_hosts(&hosts, &s.servers),
        })
        .collect();
    let file = VendorFile {
        file: FileId(u32::MAX),
        loc: Loc::NONE,
        name: sp(vendor.to_owned()),
        title: info.and_then(|i| text(i, "title")).unwrap_or(vendor).to_owned(),
        description: description.filter(|d| !d.is_empty()),
        docs: get(root, "externalDocs").and_then(|d| text(d, "url")).map(str::to_owned),
        hosts,
        services,
        envelope: match x.map(|x| &x.envelope) {
            Some(ext::Envelope::Fields(e)) => {
                Some(Envelope { code: sp(e.code.clone()), sub_code: e.sub_code.clone().map(sp), message: sp(e.message.clone()), data: sp(e.data.clone()), success: e.success })
            }
            Some(ext::Envelope::None) => None,
            None => inferred.map(|e| Envelope { code: sp(e.code.clone()), sub_code: None, message: sp(e.message.clone()), data: sp(e.data.clone()), success: e.success }),
        },
        request_id: x.map_or_else(RequestId::default, |x| RequestId { headers: x.request_id.headers.iter().cloned().map(sp).collect(), field: x.request_id.field.clone().map(sp) }),
        credentials: x
            .map(|x| &x.credentials.0[..])
            .unwrap_or_default()
            .iter()
            .map(|(name, c)| Credential { name: sp(name.clone()), secret: c.secret, description: c.description.clone(), pushed: c.pushed.clone() })
            .collect(),
        tokens: tokens(doc, ops, warnings),
        // A plain HTTP API refuses a token with 401 and limits with 429.
        token_invalid: match x {
            Some(x) => Signals { codes: x.token_invalid.codes.clone(), http_status: x.token_invalid.http_status.clone() },
            None => Signals { codes: Vec::new(), http_status: vec![401] },
        },
        rate_limit: match x {
            Some(x) => RateLimit { codes: x.rate_limit.codes.clone(), http_status: x.rate_limit.http_status.clone(), reset_header: x.rate_limit.reset_header.clone() },
            None => RateLimit { codes: Vec::new(), http_status: vec![429], reset_header: None },
        },
        broken_tokens: Vec::new(),
    };
    let note = format!("Drafted by `cargo xtask openapi import` from {source}: check the hosts, tokens and envelope.");
    format!("{}{}", codegen::write::comment(&note), codegen::write::vendor(&file))
}

/// A server's URL, its variables taking their `default`.
pub fn server_url(server: &Node) -> Option<String> {
    let mut url = text(server, "url")?.to_owned();
    for (var, v) in get(server, "variables").map(entries).unwrap_or_default() {
        let value = text(v, "default").unwrap_or("");
        url = url.replace(&format!("{{{var}}}"), value);
    }
    Some(url)
}

/// A service's own hosts from the path-level servers of its paths, matched with the document's
/// servers by place (our export lists both in the same order): those whose URL differs.
fn service_hosts(hosts: &[Host], servers: &[String]) -> Vec<ServiceHost> {
    hosts
        .iter()
        .zip(servers)
        .map(|(h, url)| (h, url.trim_end_matches('/')))
        .filter(|(h, url)| *url != h.url.value && (url.starts_with("https://") || url.starts_with("http://")))
        .map(|(h, url)| ServiceHost { name: h.name.clone(), url: sp(url.to_owned()) })
        .collect()
}

/// The servers as hosts, the first one the default; variables take their `default`.
fn hosts(root: &Node, warnings: &mut Vec<Warning>) -> Vec<Host> {
    let servers = get(root, "servers").map(items).unwrap_or_default();
    let mut hosts: Vec<Host> = Vec::new();
    for (i, s) in servers.iter().enumerate() {
        let Some(mut url) = server_url(s) else { continue };
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
        if hosts.iter().any(|h| h.name.value == name) {
            name = format!("{name}{}", i + 1);
        }
        hosts.push(Host { name: sp(name), url: sp(url), default: hosts.is_empty() });
    }
    if hosts.is_empty() {
        warnings.push(Warning {
            line: root.loc.line,
            col: root.loc.col,
            at: "#/servers".into(),
            message: "the document has no `servers`: write the vendor's URL in vendor.yaml".into(),
        });
        hosts.push(Host { name: sp("main".to_owned()), url: sp("https://api.example.invalid".to_owned()), default: true });
    }
    hosts
}

/// One token kind per security scheme the spec format can describe: fetched by the client when
/// the scheme has our `x-token-exchange`, passed per request otherwise.
fn tokens(doc: &Doc, ops: &[(String, OperationFile)], warnings: &mut Vec<Warning>) -> Vec<TokenKind> {
    let mut out: Vec<TokenKind> = Vec::new();
    for (name, node) in schemes(doc) {
        let at = format!("#/components/securitySchemes/{}", escape(&name));
        let prefix = extension::<ext::TokenPrefix>(node, &at, warnings);
        let (header, prefix) = match scheme_header(node, prefix.as_ref().map(|p| p.0.as_str())) {
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
        let kind = token_name(&name);
        if out.iter().any(|t| t.name.value == kind) {
            warnings.push(Warning {
                line: node.loc.line,
                col: node.loc.col,
                at,
                message: format!("scheme `{name}` is token kind `{kind}` too, which an earlier scheme already is: left out"),
            });
            continue;
        }
        let source = match extension::<ext::TokenExchange>(node, &at, warnings) {
            None => TokenSource::PerRequest,
            Some(x) => match ops.iter().find(|(_, o)| o.method.value.as_str() == x.method && o.path.value == x.path) {
                Some((operation, _)) => TokenSource::Exchange(Box::new(Exchange {
                    operation: sp(operation.clone()),
                    request: x.request.0.into_iter().map(|(field, credential)| ExchangeField { field: sp(field), credential: sp(credential) }).collect(),
                    token: sp(x.token),
                    expires_in: sp(x.expires_in),
                    headers: x.headers.0.into_iter().map(|(h, b)| BoundHeader { name: sp(h), jwt_claim: b.jwt_claim, credential: b.credential.map(sp) }).collect(),
                })),
                None => {
                    let value = get(node, ext::TokenExchange::KEY).unwrap_or(node);
                    warnings.push(Warning {
                        line: value.loc.line,
                        col: value.loc.col,
                        at: format!("{at}/{}", escape(ext::TokenExchange::KEY)),
                        message: format!("the token exchange `{} {}` is no operation of this document: token kind `{kind}` is passed per request instead", x.method, x.path),
                    });
                    TokenSource::PerRequest
                }
            },
        };
        out.push(TokenKind {
            name: sp(kind),
            description: own_description(node, &at, warnings).map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
            header: sp(header),
            prefix,
            source,
        });
    }
    out
}
