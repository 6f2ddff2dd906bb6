//! The first pass: what the vendor file declares (services, hosts, credentials), the service each
//! operation file belongs to, the operation each token exchange names, and the named types each
//! module can see, registered before any is used so references may come before definitions.

use std::collections::{HashMap, HashSet};

use super::Checker;
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{self, Host, Scalar};
use crate::read::nearest;
use crate::spec::{self, TokenSource, TypesFile};
use crate::{names, reserved};

pub(super) struct Resolved<'s> {
    pub services: Vec<ServiceInfo>,
    pub hosts: Vec<Host>,
    pub default_host: String,
    pub vendor_types: TypeTable,
    /// One table per entry of `services`.
    pub service_types: Vec<TypeTable>,
    /// Each readable types file and the service it belongs to (`None`: vendor-wide).
    pub types_files: Vec<(Option<usize>, &'s TypesFile)>,
    /// Types declared but not usable (already reported): references to them stay quiet.
    pub broken_types: HashSet<String>,
    /// The service of each operation file, by index into `specs.operations` (`None`: under no
    /// declared service, reported).
    pub op_service: Vec<Option<usize>>,
    pub credentials: Vec<model::Credential>,
    /// For each token kind of the vendor file, by index, the operation file of its exchange.
    pub exchange_op: Vec<Option<usize>>,
    /// The service of each event file, by index into `specs.events`.
    pub event_service: Vec<Option<usize>>,
}

/// A declared service that passed its checks.
pub(super) struct ServiceInfo {
    pub path: Vec<String>,
    pub loc: Loc,
    /// Index into the vendor file's `services`.
    pub decl: usize,
    /// The module name: `acs_v1`.
    pub module: String,
    /// How many leading segments of `path` name the accessor its calls hang on: all of them, or
    /// fewer where the service is mounted on a prefix (`mount:`).
    pub mount: usize,
    /// The service's own URLs, by the vendor's host names (`hosts:`); empty when it is served
    /// from the vendor's hosts.
    pub hosts: Vec<Host>,
}

pub(super) type TypeTable = HashMap<String, TypeEntry>;

/// What a named type is, for resolving references to it.
#[derive(Clone)]
pub(super) struct TypeEntry {
    pub rust: String,
    /// The wire type of an enum; `None` for a struct.
    pub enum_base: Option<Scalar>,
    /// An enum's values.
    pub values: Vec<String>,
    pub loc: Loc,
}

pub(super) fn resolve<'s>(cx: &mut Checker<'s>) -> Resolved<'s> {
    let v = cx.vendor;
    if !names::is_ident(&v.name.value) || names::snake(&v.name.value).as_deref() != Some(v.name.value.as_str()) {
        cx.err(v.name.loc, format!("vendor name `{}` is not a snake_case Rust identifier", v.name.value), "write a lower-case name such as `feishu`; it becomes the module name");
    }
    let (hosts, default_host) = hosts(cx);
    let services = services(cx, &hosts);
    let mut resolved = Resolved {
        service_types: vec![TypeTable::new(); services.len()],
        services,
        hosts,
        default_host,
        vendor_types: TypeTable::new(),
        types_files: Vec::new(),
        broken_types: cx.specs.types.iter().flat_map(|t| t.broken.iter().cloned()).collect(),
        op_service: Vec::new(),
        credentials: credentials(cx),
        exchange_op: Vec::new(),
        event_service: Vec::new(),
    };
    register_types(cx, &mut resolved);
    resolved.op_service = cx.specs.operations.iter().map(|op| service_of(cx, &resolved.services, &op.rel_path, op.loc, "operation")).collect();
    resolved.event_service = cx.specs.events.iter().map(|ev| service_of(cx, &resolved.services, &ev.rel_path, ev.loc, "event")).collect();
    resolved.exchange_op = exchanges(cx);
    resolved
}

/// Service paths are `/`-separated names, distinct, and none contains another; a service's own
/// hosts are some of the vendor's host names, each with an absolute URL.
fn services(cx: &mut Checker<'_>, vendor_hosts: &[Host]) -> Vec<ServiceInfo> {
    let mut out: Vec<ServiceInfo> = Vec::new();
    for (decl, s) in cx.vendor.services.iter().enumerate() {
        let path: Vec<String> = s.path.value.split('/').map(str::to_owned).collect();
        if path.iter().any(|seg| names::snake(seg).is_none()) {
            cx.err(s.path.loc, format!("service path `{}` has a segment that is not a name", s.path.value), "write directory names such as `acs/v1` or `management`");
        }
        if let Some(other) = out.iter().find(|o| o.path.starts_with(&path) || path.starts_with(&o.path)) {
            let other_path = other.path.join("/");
            cx.push(
                Diagnostic::at(s.path.loc, format!("service `{}` overlaps service `{other_path}`, declared before it", s.path.value))
                    .help(format!("services must not contain one another: remove one of `{other_path}` and `{}` (this one is ignored until then)", s.path.value))
                    .also_at(other.loc, format!("service `{other_path}` is declared here")),
            );
            continue;
        }
        if let Some(f) = &s.feature {
            let ok = !f.value.is_empty() && f.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !ok {
                cx.err(f.loc, format!("`{}` is not a cargo feature name", f.value), "write lower-case words joined by `-`, e.g. `feishu-acs`");
            }
        }
        let module = path.iter().map(|s| snake_or(s)).collect::<Vec<_>>().join("_");
        let mount = match &s.mount {
            None => path.len(),
            Some(m) => {
                let prefix: Vec<&str> = m.value.split('/').collect();
                if prefix.len() <= path.len() && prefix.iter().zip(&path).all(|(a, b)| a == b) {
                    prefix.len()
                } else {
                    cx.err(
                        m.loc,
                        format!("`{}` is not a prefix of the service path `{}`", m.value, s.path.value),
                        "mount a service on a prefix of its own path, e.g. `management` for `management/users`",
                    );
                    path.len()
                }
            }
        };
        let hosts = service_hosts(cx, s, vendor_hosts);
        out.push(ServiceInfo { path, loc: s.path.loc, decl, module, mount, hosts });
    }
    if out.is_empty() {
        cx.err(cx.vendor.loc, "the vendor file declares no services", "add `services:` with each service directory, e.g. `acs/v1: {title: …}`");
    }
    out
}

/// A service's `hosts`: each name one of the vendor's hosts, each URL `https://` and a host (or
/// `http://` where the vendor's host of that name is plain HTTP too: a service is served no less
/// securely than the host it stands in for), without a query or fragment.
fn service_hosts(cx: &mut Checker<'_>, s: &spec::ServiceDecl, vendor_hosts: &[Host]) -> Vec<Host> {
    let mut out = Vec::new();
    for h in &s.hosts {
        let Some(vendor_host) = vendor_hosts.iter().find(|v| v.name == h.name.value) else {
            let known: Vec<&str> = vendor_hosts.iter().map(|v| v.name.as_str()).collect();
            let near = nearest(&h.name.value, &known).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
            cx.err(
                h.name.loc,
                format!("service `{}` names host `{}`, which the vendor file does not have", s.path.value, h.name.value),
                format!("{near}a service's `hosts` gives its own URL for some of the vendor's host names (declared: {})", known.join(", ")),
            );
            continue;
        };
        let url = h.url.value.trim_end_matches('/');
        let plain = vendor_host.url.starts_with("http://");
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://").filter(|_| plain));
        let authority = rest.map(|r| r.split('/').next().unwrap_or_default());
        if authority.is_none_or(str::is_empty) || url.contains(['?', '#', ' ']) {
            let why = if url.starts_with("http://") { "is plain HTTP" } else { "is not an absolute https URL" };
            cx.err(
                h.url.loc,
                format!("the URL `{}` of service `{}` on host `{}` {why}", h.url.value, s.path.value, h.name.value),
                "write the service's base URL, e.g. `https://www.feishu.cn`: `https://` and a host, without a query or fragment (plain `http://` only where the vendor's host of that name is plain HTTP too)",
            );
            continue;
        }
        out.push(Host { name: h.name.value.clone(), url: url.to_owned() });
    }
    out
}

fn hosts(cx: &mut Checker<'_>) -> (Vec<Host>, String) {
    let mut hosts = Vec::new();
    let mut default: Option<(String, Loc)> = None;
    for h in &cx.vendor.hosts {
        let url = h.url.value.trim_end_matches('/').to_owned();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            cx.err(h.url.loc, format!("host `{}` is not an http(s) URL", h.url.value), "write the base URL, e.g. `https://open.feishu.cn`");
        }
        if h.default {
            match &default {
                Some((_, first)) => cx.push(
                    Diagnostic::at(h.name.loc, "more than one host is marked `default: true`")
                        .help("mark exactly one host as the default")
                        .also_at(*first, "the first default host"),
                ),
                None => default = Some((url.clone(), h.name.loc)),
            }
        }
        hosts.push(Host { name: h.name.value.clone(), url });
    }
    let default = default.map(|d| d.0).or_else(|| hosts.first().map(|h| h.url.clone())).unwrap_or_default();
    (hosts, default)
}

/// Credentials become builder methods: distinct, and renamed past the builder's own methods.
fn credentials(cx: &mut Checker<'_>) -> Vec<model::Credential> {
    let mut out: Vec<(model::Credential, Loc)> = Vec::new();
    for c in &cx.vendor.credentials {
        let Some(method) = names::snake(&c.name.value) else {
            cx.err(c.name.loc, format!("credential `{}` has no usable Rust name", c.name.value), "use an ASCII name such as `app_secret`");
            continue;
        };
        let method = reserved::free(&names::escape(&method), |n| reserved::BUILDER_METHODS.contains(&n));
        if let Some((first, first_loc)) = out.iter().find(|(o, _)| o.method == method) {
            let message = if first.name == c.name.value {
                format!("credential `{}` is declared twice", c.name.value)
            } else {
                format!("credentials `{}` and `{}` both become the builder method `{method}`", first.name, c.name.value)
            };
            let first_loc = *first_loc;
            cx.push(Diagnostic::at(c.name.loc, message).help("remove or rename one of them").also_at(first_loc, "the first one"));
            continue;
        }
        out.push((model::Credential { name: c.name.value.clone(), method, secret: c.secret, description: c.description.clone(), pushed: c.pushed.clone() }, c.name.loc));
    }
    out.into_iter().map(|(c, _)| c).collect()
}

/// Every named type, by scope, under its Rust name; a `types.yaml` goes in the vendor directory
/// or directly in a declared service directory.
fn register_types<'s>(cx: &mut Checker<'s>, r: &mut Resolved<'s>) {
    for tf in &cx.specs.types {
        let target = if tf.scope.is_empty() {
            None
        } else if let Some(idx) = r.services.iter().position(|s| s.path.join("/") == tf.scope) {
            Some(idx)
        } else {
            let loc = tf.types.first().map_or(cx.vendor.loc, |t| t.name.loc);
            let known: Vec<String> = r.services.iter().map(|s| s.path.join("/")).collect();
            let help = format!(
                "a `types.yaml` goes in the vendor directory (`{}/types.yaml`) or directly in a service directory (declared: {})",
                cx.specs.display_dir,
                if known.is_empty() { "none".to_owned() } else { known.join(", ") }
            );
            cx.err(loc, format!("types file in `{}` is not in a declared service directory", tf.scope), help);
            continue;
        };
        r.types_files.push((target, tf));
        for t in &tf.types {
            let table = match target {
                None => &mut r.vendor_types,
                Some(i) => &mut r.service_types[i],
            };
            if !register(cx, table, t) {
                r.broken_types.insert(t.name.value.clone());
            }
        }
    }
}

/// Enters a named type in a table; false when it has no Rust name (reported).
fn register(cx: &mut Checker<'_>, table: &mut TypeTable, t: &spec::TypeDef) -> bool {
    let Some(rust) = type_rust_name(cx, t) else { return false };
    let (enum_base, values) = match &t.kind {
        spec::TypeDefKind::Enum(e) => (Some(e.base.value), e.values.iter().map(|v| v.value.value.clone()).collect()),
        spec::TypeDefKind::Struct(_) => (None, Vec::new()),
    };
    if let Some(first) = table.get(&t.name.value) {
        let first = first.loc;
        cx.push(
            Diagnostic::at(t.name.loc, format!("type `{}` is defined twice", t.name.value)).help("remove or rename one of the definitions").also_at(first, "the first definition"),
        );
        return true;
    }
    table.insert(t.name.value.clone(), TypeEntry { rust, enum_base, values, loc: t.name.loc });
    true
}

/// The named types of one event file: they are seen by that event alone.
pub(super) fn event_types(cx: &mut Checker<'_>, ev: &spec::EventFile) -> TypeTable {
    let mut table = TypeTable::new();
    for t in &ev.types {
        register(cx, &mut table, t);
    }
    table
}

fn type_rust_name(cx: &mut Checker<'_>, t: &spec::TypeDef) -> Option<String> {
    match &t.rust_name {
        Some(r) if names::is_ident(&r.value) => Some(names::escape(&r.value)),
        Some(r) => {
            cx.err(r.loc, format!("`{}` is not a Rust identifier", r.value), "write an UpperCamelCase ASCII name");
            None
        }
        None => match names::upper_camel(&t.name.value) {
            Some(n) => Some(names::escape(&n)),
            None => {
                cx.err(t.name.loc, format!("type name `{}` has no ASCII letters to make a Rust name from", t.name.value), "add `rust_name:` with an UpperCamelCase name");
                None
            }
        },
    }
}

/// The deepest declared service whose directory holds the operation file.
fn service_of(cx: &mut Checker<'_>, services: &[ServiceInfo], rel_path: &str, loc: Loc, what: &str) -> Option<usize> {
    let segs: Vec<&str> = rel_path.split('/').collect();
    let best = services.iter().enumerate().filter(|(_, s)| s.path.len() < segs.len() && s.path.iter().zip(&segs).all(|(a, b)| a == b)).max_by_key(|(_, s)| s.path.len());
    if best.is_none() {
        let known: Vec<String> = services.iter().map(|s| s.path.join("/")).collect();
        cx.err(
            loc,
            format!("{what} `{rel_path}` is not under a declared service"),
            format!("move the file under a service directory, or add its service to `services:` in vendor.yaml (declared: {})", known.join(", ")),
        );
    }
    best.map(|(i, _)| i)
}

/// The operation file each token exchange names.
fn exchanges(cx: &mut Checker<'_>) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for t in &cx.vendor.tokens {
        let TokenSource::Exchange(e) = &t.source else {
            out.push(None);
            continue;
        };
        let found = cx.specs.operations.iter().position(|o| o.rel_path == e.operation.value);
        if found.is_none() {
            let known: Vec<&str> = cx.specs.operations.iter().map(|o| o.rel_path.as_str()).collect();
            let near = nearest(&e.operation.value, &known).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
            cx.err(
                e.operation.loc,
                format!("token exchange names operation `{}`, which does not exist", e.operation.value),
                format!("{near}name the operation's file path under the vendor directory, without `.yaml`"),
            );
        }
        out.push(found);
    }
    out
}

/// A path segment as a snake_case name (checked to exist before this is called).
pub(super) fn snake_or(seg: &str) -> String {
    names::snake(seg).unwrap_or_else(|| "x".to_owned())
}

/// `acs/v1` → `AcsV1`.
pub(super) fn camel_join(segs: &[impl AsRef<str>]) -> String {
    segs.iter().map(|s| names::upper_camel(s.as_ref()).unwrap_or_default()).collect()
}
