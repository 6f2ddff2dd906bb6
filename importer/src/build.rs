//! A `Draft` → spec model values: the operation, and the named types it uses (for the service's
//! `types.yaml`). Row conventions are read by `describe`; type cells are read by `type_token`,
//! and a named type the page uses without its fields is taken from the corpus's `dictionary`;
//! the doc's examples are held against the tables, and where they disagree the importer repairs
//! the example, warns with the page line, and records the departure under `errata`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use codegen::diagnostic::Loc;
use codegen::spec::*;
use serde_json::Value;

use crate::describe::{Described, describe, describe_feishu, unquote};
use crate::dictionary::{DefinitionKind, Dictionary, Reach, Site};
use crate::draft::{Draft, Format, Located, Row, Warning, WarningKind};
use crate::operations::AuthingOperations;
use crate::page::Reason;
use crate::service_types::SharedType;
use crate::type_token::{self, Token};

/// The hosts of the vendor file's Feishu hosts.
pub const FEISHU_HOSTS: &[&str] = &["open.feishu.cn", "open.larksuite.com"];

/// Other Feishu sites that serve APIs, each as its URL for every host name of the vendor file
/// (`feishu`, `lark`): the old approval API (`https://www.feishu.cn/approval/openapi/v2/…`) is
/// served by the main site, `www.larksuite.com` for Lark. A page on one of them is a spec of a
/// service with those hosts (`Built::hosts`).
pub const FEISHU_SERVICE_HOSTS: &[[(&str, &str); 2]] = &[[("feishu", "https://www.feishu.cn"), ("lark", "https://www.larksuite.com")]];

/// The accounts sites, whose pages (OAuth's authorize step) a user's browser opens: addresses a
/// server hands to a browser, not calls it makes.
pub const FEISHU_BROWSER_HOSTS: &[&str] = &["accounts.feishu.cn", "accounts.larksuite.com"];

/// What the importer knows of a page besides its text: its name, its place in the corpus, and
/// what the other pages of the corpus define.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The page's folder and file stem, `users/get-user` (for Authing, the operation's name).
    pub page_name: String,
    /// The page documents an older version of its API (it is in a `historic-version` folder).
    pub historic: bool,
    /// The page's index and doc family in the corpus (the service is told by `build`).
    pub site: Site,
    /// The type definitions of the corpus, this page's own among them.
    pub dictionary: Option<Arc<Dictionary>>,
    /// The versions of each service that the corpus's doc paths, folders and API paths name
    /// (`meeting_room` → `v1`), for an API path that names none.
    pub versions: Arc<BTreeMap<String, BTreeSet<String>>>,
    /// The named types of the page's service as its `types.yaml` will hold them, when the page's
    /// own rows depart from them (see `service_types`).
    pub shared: Option<Arc<BTreeMap<String, SharedType>>>,
}

/// What one page becomes.
#[derive(Debug)]
pub struct Built {
    pub vendor: &'static str,
    /// Path under the vendor directory, without `.yaml`: `acs/v1/user/get`, `management/get-user`.
    pub rel_path: String,
    /// The service directory: `acs/v1`, `management`.
    pub service: String,
    pub operation: OperationFile,
    /// Named types the operation uses, for the service's `types.yaml`.
    pub types: Vec<TypeDef>,
    pub warnings: Vec<Warning>,
    /// Where the service is served instead of the vendor's hosts (`hosts:` of its declaration in
    /// `vendor.yaml`); empty for the vendor's hosts.
    pub hosts: Vec<ServiceHost>,
}

/// Why a page could not become a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub line: usize,
    pub message: String,
}

fn sp<T>(value: T) -> Sp<T> {
    Sp { value, loc: Loc::NONE }
}

/// Builds one page on its own: the only definitions it sees are its own.
pub fn build(draft: &Draft, format: Format, page_name: &str, authing: &AuthingOperations) -> Result<Built, BuildError> {
    let cx = Context { page_name: page_name.to_owned(), ..Context::default() };
    build_in(draft, format, &cx, authing)
}

/// Builds one page of a corpus (see [`crate::page::Corpus`]).
pub fn build_in(draft: &Draft, format: Format, cx: &Context, authing: &AuthingOperations) -> Result<Built, BuildError> {
    let mut b = Builder {
        types: BTreeMap::new(),
        warnings: draft.warnings.clone(),
        errata: Vec::new(),
        nameless: Vec::new(),
        dictionary: cx.dictionary.clone(),
        site: Site { vendor: format.vendor(), ..cx.site.clone() },
        param: false,
        multipart: false,
        borrowed: Vec::new(),
        example_shapes: false,
    };
    let vendor = format.vendor();
    let (service, rel_path, method, path, query_from_params) = match vendor {
        "feishu" => feishu_identity(draft, Some(&cx.versions))?,
        _ => authing.identify(draft, &cx.page_name)?,
    };
    b.site.service = Some(service.clone());

    let (mut path_params, mut query_params, mut header_params, mut body) = (Vec::new(), Vec::new(), Vec::new(), None);
    if vendor == "feishu" {
        // A parameter travels in the URL or a header: text, whatever the page omits to say.
        b.param = true;
        path_params = b.fields(&draft.path_params, true);
        b.name_path_params(&path, &draft.path_params, &mut path_params);
        query_params = b.fields(&draft.query_params, false);
        header_params = b.fields(&draft.header_params, false);
        b.param = false;
        if !draft.body.is_empty() {
            let kind = if draft.body_multipart { BodyKind::Multipart } else { BodyKind::Json };
            b.multipart = draft.body_multipart;
            body = Some(Body { kind, fields: b.fields(&draft.body, false) });
            b.multipart = false;
        }
    } else {
        let fields = b.fields(&draft.query_params, false);
        match query_from_params {
            Inputs::Query => query_params = fields,
            Inputs::Body => body = Some(Body { kind: BodyKind::Json, fields }),
            Inputs::None => {}
        }
        for section in &draft.types {
            b.named_type(&section.name, &section.rows, section.line);
        }
    }

    let response = b.response(draft, vendor);
    if let Some(shared) = &cx.shared {
        b.align_with_service(draft, shared);
    }
    let mut operation = OperationFile {
        file: codegen::diagnostic::FileId(u32::MAX),
        loc: Loc::NONE,
        rel_path: rel_path.clone(),
        name: None,
        title: draft.title.clone(),
        description: draft.description.clone().filter(|d| !d.is_empty()),
        doc_url: draft
            .doc_url
            .as_ref()
            .map(|u| u.replace("/server-docs/reference/", "/server-docs/"))
            .or_else(|| (vendor == "authing").then(|| crate::operations::doc_url(&rel_path))),
        doc_updated: draft.updated.clone(),
        deprecated: deprecation(draft, cx),
        method: sp(method),
        path: sp(path),
        app_types: draft.app_types.iter().map(|a| app_type(a)).collect(),
        tokens: tokens(draft, vendor, &rel_path).into_iter().map(sp).collect(),
        scopes: draft.scopes.iter().map(|(n, d)| Scope { name: n.clone(), description: nonempty(d), note: None }).collect(),
        field_scopes: draft.field_scopes.iter().map(|(n, d)| Scope { name: n.clone(), description: nonempty(d), note: None }).collect(),
        rate_limit: draft.rate_limit.clone(),
        path_params,
        query_params,
        header_params,
        body,
        response,
        pagination: None,
        errors: draft
            .errors
            .iter()
            .map(|e| ErrorSpec { loc: Loc::NONE, http_status: e.http_status, code: e.code, name: None, message: e.message.clone(), hint: e.hint.clone() })
            .collect(),
        request_example: None,
        response_example: None,
        errata: Vec::new(),
    };
    operation.pagination = pagination(&operation, &b.types);
    b.whole_page_numbers(draft, &mut operation);
    if let Some(url) = draft.url.as_deref().filter(|u| u.contains("/:")) {
        let written = url.find("/open-apis/").map_or(url, |i| &url[i..]);
        b.errata.push(Erratum {
            at: "path".to_owned(),
            doc: format!("`{written}`"),
            spec: format!("`{}`", operation.path.value),
            reason: "the spec format writes path parameters in braces; the URL sent is the same".to_owned(),
        });
    }
    dedupe_errors(&mut operation, &mut b.warnings);
    b.examples(draft, &mut operation, vendor);
    // What the parser found wrong with the page is a departure of the spec from it, too.
    let mut errata: Vec<Erratum> = draft
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::NestingFromExample | WarningKind::DuplicateField))
        .map(|w| Erratum {
            at: format!("page line {}", w.line),
            doc: w.kind.name().to_owned(),
            spec: "as the importer chose".to_owned(),
            reason: format!("{} (found by the importer)", w.message),
        })
        .collect();
    errata.append(&mut b.errata);
    operation.errata = errata;
    let hosts = if vendor == "feishu" { service_hosts(draft) } else { Vec::new() };
    Ok(Built { vendor, rel_path, service, operation, types: b.types.into_values().collect(), warnings: b.warnings, hosts })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inputs {
    Query,
    Body,
    None,
}

/// Feishu: the service, resource and method from the page's doc path (`…/acs-v1/user/get`), as
/// the SDKs name them; else from the API path (`/open-apis/acs/v1/users`, or
/// `/open-apis/drive/explorer/v2/…` for the service `drive_explorer/v2`); else the API path's
/// service in the one version the corpus knows of it (`versions`); else, where the corpus names
/// no version of it (`/open-apis/jssdk/ticket/get`), a service without a version (`jssdk`), which
/// the spec format allows. `versions` is `None` where the corpus is not known: no such fallback.
fn feishu_identity(d: &Draft, versions: Option<&BTreeMap<String, BTreeSet<String>>>) -> Result<(String, String, Method, String, Inputs), BuildError> {
    let method = parse_method(d.method.as_deref()).ok_or_else(|| BuildError { line: 1, message: "the page states no HTTP method".to_owned() })?;
    let url = d.url.clone().ok_or_else(|| BuildError { line: 1, message: "the page states no HTTP URL".to_owned() })?;
    // A service on hosts of its own is named by its API path, which holds all of it
    // (`/approval/openapi/v2/…` → `approval_openapi/v2`), not by where the page is filed.
    let own_hosts = !service_hosts(d).is_empty();
    let origin_end = url.split_once("://").map_or(0, |(scheme, rest)| scheme.len() + 3 + rest.find('/').unwrap_or(rest.len()));
    let path = url.find("/open-apis/").map_or_else(|| url[origin_end..].to_owned(), |i| url[i..].to_owned());
    let path = path.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').to_owned();
    let api: Vec<&str> = path.trim_start_matches("/open-apis/").split('/').filter(|s| !s.is_empty()).collect();
    let source = d.full_path.clone().or_else(|| d.doc_url.clone()).unwrap_or_default();
    let segs: Vec<&str> = source.split('/').filter(|s| !s.is_empty()).collect();
    let doc_at = segs.iter().position(|s| versioned(s).is_some()).filter(|_| !own_hosts);
    // `auth-v3/auth/tenant_access_token_internal`: a resource that only repeats the service and a
    // method that the API path spells out (`tenant_access_token/internal`) say nothing the API
    // path does not; the API path names them as the SDKs do. `calendar-v4/calendar/list` keeps
    // the doc path's resource and method, as the SDKs do (`calendar.v4.calendar.list`).
    let doc_at = doc_at.filter(|&at| match segs.get(at + 1) {
        None => false,
        Some(r) if Some(*r) == versioned(segs[at]).map(|v| v.0) => {
            let after_version = api.iter().skip(2).find(|s| !s.starts_with(':'));
            !after_version.is_some_and(|first| segs.last().is_some_and(|last| last.starts_with(first)))
        }
        Some(_) => true,
    });
    let named_by_api = |rest: &[&str]| -> Vec<String> {
        let mut rest: Vec<String> = rest.iter().filter(|s| !s.starts_with(':')).map(|s| s.replace('-', "_")).collect();
        // A bare collection (`POST …/tenant_access_token`) is named by what its verb does.
        if rest.len() <= 1 {
            rest.push(
                match method {
                    Method::Get => "get",
                    Method::Post => "create",
                    Method::Put => "update",
                    Method::Patch => "patch",
                    Method::Delete => "delete",
                }
                .to_owned(),
            );
        }
        rest
    };
    let is_version = |s: &&str| s.len() > 1 && s.starts_with('v') && s[1..].chars().all(|c| c.is_ascii_digit());
    let (service_dir, rest) = match doc_at {
        Some(at) => {
            let (service, version) = versioned(segs[at]).unwrap_or_default();
            (format!("{}/{version}", service.replace('-', "_")), segs[at + 1..].iter().map(|s| s.replace('-', "_")).collect::<Vec<_>>())
        }
        None => match api.as_slice() {
            [service, version, rest @ ..] if is_version(version) => (format!("{}/{version}", service.replace('-', "_")), named_by_api(rest)),
            // `/open-apis/drive/explorer/v2/…`: the old SDKs' service `drive_explorer`.
            [service, sub, version, rest @ ..] if is_version(version) && !sub.starts_with(':') => {
                (format!("{}_{}/{version}", service.replace('-', "_"), sub.replace('-', "_")), named_by_api(rest))
            }
            [service, rest @ ..] => {
                let name = service.replace('-', "_");
                match versions.map(|vs| vs.get(&name).map(|v| v.iter().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default()) {
                    Some(known) if known.len() == 1 => (format!("{name}/{}", known[0]), named_by_api(rest)),
                    // No page of the corpus names a version of the service: it has none.
                    Some(known) if known.is_empty() => (name, named_by_api(rest)),
                    known => {
                        let known = match known {
                            Some(vs) => format!("the corpus names service `{name}` in several versions ({})", vs.join(", ")),
                            None => format!("no version of service `{name}` is known"),
                        };
                        return Err(BuildError {
                            line: d.url_line.max(1),
                            message: format!(
                                "cannot tell the service and version: the doc path `{source}` has no `<service>-v<n>` segment, the API path `{path}` no `/open-apis/<service>/v<n>/`, and {known}"
                            ),
                        });
                    }
                }
            }
            [] => {
                return Err(BuildError { line: d.url_line.max(1), message: format!("cannot tell the service and version: the API path `{path}` names no service") });
            }
        },
    };
    let rel = format!("{service_dir}/{}", rest.join("/"));
    Ok((service_dir, rel, method, braces(&path), Inputs::None))
}

/// Feishu: the service a page belongs to, as far as its doc path or API path tells it without
/// the corpus (for the dictionary's scopes).
pub(crate) fn feishu_service(d: &Draft) -> Option<String> {
    feishu_identity(d, None).ok().map(|(service, ..)| service).or_else(|| doc_path_service(d.full_path.as_deref()?))
}

/// `…/document-docx/docx-v1/data-structure/block` → `docx/v1`.
pub(crate) fn doc_path_service(path: &str) -> Option<String> {
    path.split('/').find_map(versioned).map(|(s, v)| format!("{}/{v}", s.replace('-', "_")))
}

/// Feishu: why the page's URL cannot be a spec, with the URL's line: an address a user's
/// browser opens ([`Reason::BrowserPage`]), or a host whose URL for each of the vendor's host
/// names the importer does not know ([`Reason::OtherHost`]).
pub fn foreign_host(d: &Draft) -> Option<(Reason, BuildError)> {
    let host = url_host(d.url.as_deref()?)?;
    let line = d.url_line.max(1);
    if FEISHU_HOSTS.contains(&host) || FEISHU_SERVICE_HOSTS.iter().flatten().any(|(_, url)| url_host(url) == Some(host)) {
        return None;
    }
    if FEISHU_BROWSER_HOSTS.contains(&host) {
        let message = format!("`{host}` serves pages a user's browser opens: the URL is an address the app sends the user to, not a call a server makes, so it is no operation");
        return Some((Reason::BrowserPage, BuildError { line, message }));
    }
    let message = format!(
        "the API is served from `{host}`, neither the vendor's hosts ({}) nor a site whose URL for each of them the importer knows ({})",
        FEISHU_HOSTS.join(", "),
        FEISHU_SERVICE_HOSTS.iter().flatten().map(|(_, url)| url.trim_start_matches("https://")).collect::<Vec<_>>().join(", ")
    );
    Some((Reason::OtherHost, BuildError { line, message }))
}

/// Feishu: the service's own hosts when the page's API is on another Feishu site than the
/// vendor's hosts (`www.feishu.cn` → `feishu: https://www.feishu.cn, lark: https://www.larksuite.com`).
pub fn service_hosts(d: &Draft) -> Vec<ServiceHost> {
    let Some(host) = d.url.as_deref().and_then(url_host) else { return Vec::new() };
    let site = FEISHU_SERVICE_HOSTS.iter().find(|site| site.iter().any(|(_, url)| url_host(url) == Some(host)));
    site.map_or_else(Vec::new, |site| site.iter().map(|(name, url)| ServiceHost { name: sp((*name).to_owned()), url: sp((*url).to_owned()) }).collect())
}

/// `www.feishu.cn` of `https://www.feishu.cn/approval/…`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    rest.split(['/', '?', '#']).next()
}

/// The operation's `deprecated`: a historic page, or a page that says its API is superseded;
/// the note is the page's pointer to what replaces it, where it gives one.
pub(crate) fn deprecation(d: &Draft, cx: &Context) -> Option<String> {
    let says_so = d.notice.as_ref().is_some_and(|n| n.deprecates);
    (cx.historic || says_so).then(|| d.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default())
}

/// `acs-v1` → `("acs", "v1")`.
pub(crate) fn versioned(seg: &str) -> Option<(&str, &str)> {
    let i = seg.rfind("-v")?;
    let v = &seg[i + 1..];
    (i > 0 && v.len() > 1 && v[1..].chars().all(|c| c.is_ascii_digit())).then(|| (&seg[..i], v))
}

/// `/users/:user_id` → `/users/{user_id}`.
fn braces(path: &str) -> String {
    path.split('/').map(|s| s.strip_prefix(':').map_or(s.to_owned(), |p| format!("{{{p}}}"))).collect::<Vec<_>>().join("/")
}

pub(crate) fn parse_method(m: Option<&str>) -> Option<Method> {
    Some(match m?.trim().to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        _ => return None,
    })
}

pub(crate) fn app_type(a: &str) -> String {
    match a.trim() {
        "自建应用" => "custom".to_owned(),
        "商店应用" => "isv".to_owned(),
        other => other.to_owned(),
    }
}

fn tokens(d: &Draft, vendor: &str, rel_path: &str) -> Vec<String> {
    if vendor == "authing" {
        return if rel_path.ends_with("get-management-token") { Vec::new() } else { vec!["management".to_owned()] };
    }
    let mut out: Vec<String> = Vec::new();
    for t in &d.token_kinds {
        let kind = match t.as_str() {
            "tenant_access_token" => "tenant",
            "user_access_token" => "user",
            "app_access_token" => "app",
            _ => continue,
        };
        if !out.iter().any(|k| k == kind) {
            out.push(kind.to_owned());
        }
    }
    out
}

/// Text that says something: not empty, not the doc's `-` placeholder.
pub(crate) fn nonempty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "-" && s != "\\-").then(|| s.to_owned())
}

/// A list operation, recognised by its inputs and its answer: Feishu's `page_token` in, and
/// `items`, `page_token` and `has_more` out; Authing's `page` and `limit` in, `list` and
/// `totalCount` out.
fn pagination(op: &OperationFile, types: &BTreeMap<String, TypeDef>) -> Option<Pagination> {
    let inputs: Vec<&Field> = op.query_params.iter().chain(op.body.iter().flat_map(|b| &b.fields)).collect();
    let has_input = |name: &str| inputs.iter().any(|f| f.name.value == name && !f.required);
    let data = op.response.data.as_ref()?;
    let fields: &Vec<Field> = match (&data.fields, &data.ty.value) {
        (Some(f), _) => f,
        (None, TypeExpr::Named(n)) => match &types.get(n)?.kind {
            TypeDefKind::Struct(f) => f,
            TypeDefKind::Enum(_) => return None,
        },
        _ => return None,
    };
    let field = |name: &str| fields.iter().find(|f| f.name.value == name);
    let is_array = |name: &str| field(name).is_some_and(|f| matches!(f.ty.value, TypeExpr::Array(_)));
    let s = |v: &str| sp(v.to_owned());
    if has_input("page_token") && is_array("items") && field("page_token").is_some() && field("has_more").is_some() {
        return Some(Pagination { loc: Loc::NONE, items: s("items"), style: PageStyle::Cursor { cursor: s("page_token"), has_more: s("has_more") } });
    }
    if has_input("page") && has_input("limit") && is_array("list") && field("totalCount").is_some() {
        return Some(Pagination { loc: Loc::NONE, items: s("list"), style: PageStyle::Page { page: s("page"), size: s("limit"), total: s("totalCount") } });
    }
    None
}

/// Two rows of the errors table with one code: the second is dropped. Two messages that make
/// the same variant name: the later ones are named after their code too.
fn dedupe_errors(op: &mut OperationFile, warnings: &mut Vec<Warning>) {
    let mut seen = Vec::new();
    op.errors.retain(|e| {
        if seen.contains(&e.code) {
            warnings.push(Warning { line: 0, kind: WarningKind::DuplicateField, message: format!("error code {} is listed twice; kept the first row", e.code) });
            false
        } else {
            seen.push(e.code);
            true
        }
    });
    let mut variants: Vec<String> = Vec::new();
    for e in &mut op.errors {
        let variant = codegen::names::variant(&e.message).filter(|v| v.len() <= 48).unwrap_or_else(|| format!("Code{}", e.code));
        if variants.contains(&variant) {
            e.name = Some(sp(format!("{variant}{}", e.code)));
        }
        variants.push(variant);
    }
}

/// The `totalCount` of a page of records: fields with a `list` array beside it.
fn total_count(fields: &mut [Field]) -> Option<&mut Field> {
    if !fields.iter().any(|f| f.name.value == "list" && matches!(f.ty.value, TypeExpr::Array(_))) {
        return None;
    }
    fields.iter_mut().find(|f| f.name.value == "totalCount")
}

/// A float or string field made an integer, with its example and default where they are whole
/// numbers (dropped where not); the type the page wrote, or `None` when it was an integer already.
fn whole_number(f: &mut Field) -> Option<&'static str> {
    let written = match f.ty.value {
        TypeExpr::Float => "number",
        TypeExpr::String => "string",
        _ => return None,
    };
    f.ty.value = TypeExpr::Int64;
    let whole = |v: &Sp<Value>| -> Option<Sp<Value>> {
        let n = match &v.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 9e15).map(|x| x as i64)),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        }?;
        Some(sp(Value::from(n)))
    };
    f.example = f.example.as_ref().and_then(whole);
    f.default = f.default.as_ref().and_then(whole);
    Some(written)
}

/// The page line of the row `name`: in the `数据结构` section of `section` where given, else
/// the first such row of the page's tables (0 when none has it).
fn row_line(d: &Draft, section: Option<&str>, name: &str) -> usize {
    let in_section = section.and_then(|s| d.types.iter().find(|t| t.name == s)).and_then(|t| t.rows.iter().find(|r| r.name == name));
    let anywhere = || d.response.iter().chain(d.types.iter().flat_map(|t| &t.rows)).chain(&d.body).find(|r| r.name == name);
    in_section.or_else(anywhere).map_or(0, |r| r.line)
}

pub(crate) struct Builder {
    pub(crate) types: BTreeMap<String, TypeDef>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) errata: Vec<Erratum>,
    /// Rows without a name, by the type they belong to (`""` for top-level tables), with their
    /// position: the example may say what they are called.
    pub(crate) nameless: Vec<(String, usize, Row)>,
    /// The corpus's type definitions, and where this page stands among them.
    pub(crate) dictionary: Option<Arc<Dictionary>>,
    pub(crate) site: Site,
    /// Building parameters (path, query, header): a value without a stated type is text.
    param: bool,
    /// Building the fields of a multipart body, the only place a `file` is a file.
    multipart: bool,
    /// The definitions from other pages being built (`` `Divider` at docs/block.md:255 ``), each
    /// with the line of this page that named it: warnings about their rows point there.
    borrowed: Vec<(String, usize)>,
    /// The example's shapes count (an event page's example is a delivery as sent, which the table
    /// may misdescribe): a list of objects where the table says one object makes the field a list,
    /// and a field only the example has gets the example value's shape (an object's fields).
    pub(crate) example_shapes: bool,
}

/// A row and the rows under it.
pub(crate) struct Node<'r> {
    pub(crate) row: &'r Row,
    pub(crate) children: Vec<Node<'r>>,
}

pub(crate) fn tree(rows: &[Row]) -> Vec<Node<'_>> {
    fn take<'r>(rows: &'r [Row], i: &mut usize, depth: usize) -> Vec<Node<'r>> {
        let mut out = Vec::new();
        while *i < rows.len() && rows[*i].depth >= depth {
            if rows[*i].depth > depth {
                // A row deeper than its parent allows: hang it under the last node.
                let children = take(rows, i, rows[*i].depth);
                if let Some(last) = out.last_mut() {
                    let last: &mut Node<'r> = last;
                    last.children.extend(children);
                }
                continue;
            }
            let row = &rows[*i];
            *i += 1;
            let children = take(rows, i, depth + 1);
            out.push(Node { row, children });
        }
        out
    }
    let mut i = 0;
    let min = rows.iter().map(|r| r.depth).min().unwrap_or(0);
    take(rows, &mut i, min)
}

impl Builder {
    /// A builder for one page's rows, starting with the page's own warnings.
    pub(crate) fn new(warnings: Vec<Warning>, dictionary: Option<Arc<Dictionary>>, site: Site) -> Builder {
        Builder {
            types: BTreeMap::new(),
            warnings,
            errata: Vec::new(),
            nameless: Vec::new(),
            dictionary,
            site,
            param: false,
            multipart: false,
            borrowed: Vec::new(),
            example_shapes: false,
        }
    }

    /// A page-number list's page, page size and total count are whole numbers; a page that
    /// types them `number` (a float to the spec) or `string` gets them as integers, each change
    /// a warning at the row and an erratum. The total of a page of records (a type with a `list`
    /// array and a `totalCount`) is a count wherever the type is used: a type several pages of a
    /// service share is one type in its `types.yaml`, whichever page brings it first.
    fn whole_page_numbers(&mut self, d: &Draft, op: &mut OperationFile) {
        // (line, erratum place, what the warning calls it, type written)
        let mut changed: Vec<(usize, String, String, &'static str)> = Vec::new();
        if matches!(&op.pagination, Some(Pagination { style: PageStyle::Page { .. }, .. })) {
            for f in op.query_params.iter_mut().chain(op.body.iter_mut().flat_map(|b| b.fields.iter_mut())) {
                if f.name.value == "page" || f.name.value == "limit" {
                    let line = d.query_params.iter().chain(&d.body).find(|r| r.name == f.name.value && r.depth == 0).map_or(0, |r| r.line);
                    if let Some(written) = whole_number(f) {
                        changed.push((line, format!("input {}", f.name.value), format!("input `{}`", f.name.value), written));
                    }
                }
            }
        }
        if let Some(data) = op.response.data.as_mut()
            && let Some(fields) = data.fields.as_mut()
            && let Some(written) = total_count(fields).and_then(whole_number)
        {
            changed.push((row_line(d, None, "totalCount"), "response data.totalCount".to_owned(), "response field `totalCount`".to_owned(), written));
        }
        for t in self.types.values_mut() {
            if let TypeDefKind::Struct(fields) = &mut t.kind
                && let Some(written) = total_count(fields).and_then(whole_number)
            {
                let what = format!("field `totalCount` of `{}`", t.name.value);
                changed.push((row_line(d, Some(&t.name.value), "totalCount"), format!("type {}.totalCount", t.name.value), what, written));
            }
        }
        for (line, at, what, written) in changed {
            self.warn(line, WarningKind::Other, format!("{what} is `{written}`; a page number, page size or count of records is a whole number, so it is `int64`"));
            self.errata.push(Erratum {
                at,
                doc: format!("`{written}`"),
                spec: "`int64`".to_owned(),
                reason: "a page number, page size or count of records is a whole number".to_owned(),
            });
        }
    }

    pub(crate) fn warn(&mut self, line: usize, kind: WarningKind, message: String) {
        match self.borrowed.last() {
            // A row of another page's definition: the warning belongs where this page named it.
            Some((origin, used_at)) => self.warnings.push(Warning { line: *used_at, kind, message: format!("{message} (in the definition of {origin})") }),
            None => self.warnings.push(Warning { line, kind, message }),
        }
    }

    fn fields(&mut self, rows: &[Row], path_params: bool) -> Vec<Field> {
        let nodes = tree(rows);
        self.fields_of(&nodes, path_params)
    }

    pub(crate) fn fields_of(&mut self, nodes: &[Node<'_>], path_params: bool) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for n in nodes {
            if n.row.name.is_empty() {
                continue;
            }
            if out.iter().any(|f| f.name.value == n.row.name) {
                self.warn(n.row.line, WarningKind::DuplicateField, format!("field `{}` is listed twice; kept the first row", n.row.name));
                continue;
            }
            if let Some(f) = self.field(n, path_params) {
                out.push(f);
            }
        }
        out
    }

    pub(crate) fn field(&mut self, n: &Node<'_>, path_param: bool) -> Option<Field> {
        let row = n.row;
        let d = if self.site.vendor == "feishu" { describe_feishu(&row.description) } else { describe(&row.description) };
        let ty = self.row_type(n, &d);
        let example_text = row.example.clone().or_else(|| d.example.clone());
        let example = example_text.map(|e| sp(example_value(&e, &ty)));
        let default = row.default.clone().filter(|v| !v.is_empty() && v != "-").or(d.default.clone()).map(|v| sp(Value::String(unquote(&v))));
        let values = (!d.values.is_empty() && enumerable(&ty)).then(|| self.values(row, &d.values));
        let (inline_fields, ty) = match ty {
            RowType::Inline(fields, wrap) => (Some(fields), wrap.around(TypeExpr::Object)),
            RowType::Plain(t) => (None, t),
        };
        // A default outside the listed values would fail the checker: the list wins.
        let default = match (&default, &values) {
            (Some(dv), Some(vs)) if !vs.iter().any(|v| Some(v.value.value.as_str()) == dv.value.as_str()) => {
                self.warn(row.line, WarningKind::Other, format!("the default of `{}` is not among its listed values; the default was dropped", row.name));
                None
            }
            _ => default,
        };
        let default = default.map(|dv| match (&ty, dv.value.as_str().and_then(|s| s.parse::<i64>().ok())) {
            (TypeExpr::Int32 | TypeExpr::Int64, Some(i)) => sp(Value::from(i)),
            (TypeExpr::Bool, _) if dv.value.as_str() == Some("true") || dv.value.as_str() == Some("false") => sp(Value::Bool(dv.value.as_str() == Some("true"))),
            _ => dv,
        });
        // `长度范围` of an array counts items, not characters.
        let mut limits = d.limits;
        if matches!(ty, TypeExpr::Array(_)) {
            limits.min_items = limits.min_items.or(limits.min_length.take());
            limits.max_items = limits.max_items.or(limits.max_length.take());
        }
        Some(Field {
            name: sp(row.name.clone()),
            ty: sp(ty),
            required: path_param || row.required.unwrap_or(false),
            description: nonempty(&d.text),
            example,
            default,
            values,
            fields: inline_fields,
            type_name: None,
            rust_name: None,
            limits,
            style: None,
            secret: false,
        })
    }

    /// A row's allowed values; a value listed twice is kept once (a spec's values are keys).
    fn values(&mut self, row: &Row, listed: &[(String, Option<String>)]) -> Vec<EnumValue> {
        let mut out: Vec<EnumValue> = Vec::new();
        for (v, meaning) in listed {
            if out.iter().any(|e| e.value.value == *v) {
                self.warn(row.line, WarningKind::DuplicateField, format!("`{}` lists the value `{v}` twice; the first was kept", row.name));
                continue;
            }
            out.push(EnumValue { value: sp(v.clone()), name: None, description: meaning.clone() });
        }
        out
    }

    /// The type of a row: a primitive, an array or map, a named type (made from the rows below
    /// it, or taken from the corpus's definition), or an inline object. Where it stays free-form
    /// JSON, a warning says why.
    fn row_type(&mut self, n: &Node<'_>, d: &Described) -> RowType {
        let token = type_token::parse(&n.row.ty);
        let example = n.row.example.clone().or_else(|| d.example.clone());
        // Authing names the type of an object, or of an array's items, in a link or `嵌套类型`.
        if let Some(t) = n.row.nested_type.clone().or_else(|| d.nested_type.clone()) {
            let names_it = |tok: &Token| match tok {
                Token::Object | Token::Unstated => true,
                Token::Named(x) => x.eq_ignore_ascii_case(&t),
                _ => false,
            };
            match &token {
                tok if names_it(tok) => return RowType::Plain(TypeExpr::Named(t)),
                Token::Array(None) => return RowType::Plain(TypeExpr::Array(Box::new(TypeExpr::Named(t)))),
                Token::Array(Some(item)) if names_it(item) => return RowType::Plain(TypeExpr::Array(Box::new(TypeExpr::Named(t)))),
                _ => {}
            }
        }
        self.resolve(&token, n, example.as_deref())
    }

    /// The type a token gives a row. The rows below it belong to the innermost item (`T[]`'s `T`).
    fn resolve(&mut self, token: &Token, n: &Node<'_>, example: Option<&str>) -> RowType {
        let (line, field) = (n.row.line, n.row.name.clone());
        let written = n.row.ty.trim().to_owned();
        match token {
            Token::Array(Some(item)) => match self.resolve(item, n, example) {
                RowType::Plain(t) => RowType::Plain(TypeExpr::Array(Box::new(t))),
                RowType::Inline(fields, Wrap::None) => RowType::Inline(fields, Wrap::Array),
                // An array of arrays (or maps) of inline objects has no spelling in a spec.
                RowType::Inline(..) => {
                    self.warn(
                        line,
                        WarningKind::ObjectWithoutFields,
                        format!("`{field}` is `{written}`, a container of containers of unnamed objects, which a spec cannot spell; free-form JSON was used"),
                    );
                    RowType::Plain(TypeExpr::Array(Box::new(TypeExpr::Json)))
                }
            },
            Token::Array(None) => {
                if !n.children.is_empty() {
                    return RowType::Inline(self.fields_of(&n.children, false), Wrap::Array);
                }
                let item = example.map_or(TypeExpr::Json, item_type_of);
                if item == TypeExpr::Json {
                    self.warn(line, WarningKind::NoTypeStated, format!("`{field}` is `{written}` with no item type, and no example shows one; its items are free-form JSON"));
                }
                RowType::Plain(TypeExpr::Array(Box::new(item)))
            }
            Token::Map(Some(value)) => match self.resolve(value, n, None) {
                RowType::Plain(t) => RowType::Plain(TypeExpr::Map(Box::new(t))),
                RowType::Inline(fields, Wrap::None) => RowType::Inline(fields, Wrap::Map),
                RowType::Inline(..) => {
                    self.warn(
                        line,
                        WarningKind::ObjectWithoutFields,
                        format!("`{field}` is `{written}`, a container of containers of unnamed objects, which a spec cannot spell; free-form JSON was used"),
                    );
                    RowType::Plain(TypeExpr::Map(Box::new(TypeExpr::Json)))
                }
            },
            Token::Map(None) | Token::Object => {
                if !n.children.is_empty() {
                    return RowType::Inline(self.fields_of(&n.children, false), Wrap::None);
                }
                self.warn(line, WarningKind::ObjectWithoutFields, format!("`{field}` is `{written}` and no rows list its fields; free-form JSON was used"));
                RowType::Plain(TypeExpr::Json)
            }
            Token::Unstated | Token::Prose(_) => {
                if !n.children.is_empty() {
                    return RowType::Inline(self.fields_of(&n.children, false), Wrap::None);
                }
                let what = if written.is_empty() { "an empty type cell".to_owned() } else { format!("`{written}` where a type belongs") };
                if self.param {
                    self.warn(line, WarningKind::Other, format!("parameter `{field}` has {what}; `string` was used, as a URL or header carries text"));
                    return RowType::Plain(TypeExpr::String);
                }
                self.warn(line, WarningKind::NoTypeStated, format!("`{field}` has {what} and no rows under it; free-form JSON was used"));
                RowType::Plain(TypeExpr::Json)
            }
            Token::Union(u) => {
                self.warn(line, WarningKind::UnionType, format!("`{field}` is of type `{u}`, a value of several shapes, which a spec cannot say; free-form JSON was used"));
                RowType::Plain(TypeExpr::Json)
            }
            Token::Scalar(type_token::Scalar::File) if !n.children.is_empty() => self.named("file", n),
            // Outside a multipart body a `file` is a struct of that name where the corpus defines
            // one; else the page claims a file part where none can travel, for the checker to say.
            Token::Scalar(type_token::Scalar::File) if !self.multipart && !self.param && n.children.is_empty() => {
                RowType::Plain(self.defined_elsewhere("file", n.row).unwrap_or(TypeExpr::File))
            }
            Token::Scalar(s) => {
                if !n.children.is_empty() {
                    self.warn(line, WarningKind::Other, format!("`{field}` is a `{written}` but has rows under it; they were ignored"));
                }
                RowType::Plain(match s {
                    type_token::Scalar::String => TypeExpr::String,
                    type_token::Scalar::Int => TypeExpr::Int64,
                    type_token::Scalar::Float => TypeExpr::Float,
                    type_token::Scalar::Number if example.is_some_and(|e| e.trim().parse::<i64>().is_ok()) => TypeExpr::Int64,
                    type_token::Scalar::Number => TypeExpr::Float,
                    type_token::Scalar::Bool => TypeExpr::Bool,
                    type_token::Scalar::File => TypeExpr::File,
                })
            }
            Token::Named(name) | Token::Enum(name) => self.named(name, n),
        }
    }

    /// The name a type of the vendor's gets in the spec: the spelling its service's pages use
    /// most, in a form the spec's grammar does not take for one of its own words.
    fn spelling(&self, name: &str) -> String {
        let common = self.dictionary.as_ref().and_then(|d| d.spelling(name, &self.site)).unwrap_or(name);
        spec_type_name(common)
    }

    /// A type of the vendor's: made from the rows below the row, else one this page already
    /// made, else the corpus's definition; else free-form JSON.
    fn named(&mut self, name: &str, n: &Node<'_>) -> RowType {
        let name = &self.spelling(name);
        if !n.children.is_empty() {
            let fields = self.fields_of(&n.children, false);
            self.add_type(name, fields, None, n.row.line);
            return RowType::Plain(TypeExpr::Named(name.to_owned()));
        }
        if self.types.contains_key(name) {
            return RowType::Plain(TypeExpr::Named(name.to_owned()));
        }
        if let Some(t) = self.defined_elsewhere(name, n.row) {
            return RowType::Plain(t);
        }
        let nowhere = if self.dictionary.as_ref().is_some_and(|d| d.len() > 1) { "nor on any other page of the corpus" } else { "and no other page was imported with it" };
        self.warn(n.row.line, WarningKind::UnknownTypeToken, format!("type `{name}` of `{}` is defined neither on this page {nowhere}; free-form JSON was used", n.row.name));
        RowType::Plain(TypeExpr::Json)
    }

    /// The corpus's definition of `name`, made a named type of this page under that name. A
    /// definition on another page is a warning that names where it is.
    fn defined_elsewhere(&mut self, name: &str, used: &Row) -> Option<TypeExpr> {
        let name = &self.spelling(name);
        let dictionary = self.dictionary.clone()?;
        let (def, reach) = dictionary.find(name, &self.site)?;
        let origin = format!("`{}` at {}:{}", def.name, def.page, def.line);
        match &def.kind {
            DefinitionKind::Struct(rows) => {
                // A placeholder first, so that a definition that refers to itself ends.
                let placeholder = TypeDef { name: sp(name.to_owned()), rust_name: None, description: def.description.clone(), kind: TypeDefKind::Struct(Vec::new()) };
                self.types.insert(name.to_owned(), placeholder);
                if reach != Reach::Page {
                    self.borrowed.push((origin.clone(), used.line));
                }
                let nodes = tree(rows);
                let fields = self.fields_of(&nodes, false);
                if reach != Reach::Page {
                    self.borrowed.pop();
                }
                self.add_type(name, fields, None, def.line);
            }
            DefinitionKind::Opaque => {
                self.warn(
                    used.line,
                    WarningKind::ObjectWithoutFields,
                    format!("type `{name}` of `{}` is described at {}:{} without its fields; free-form JSON was used", used.name, def.page, def.line),
                );
                return Some(TypeExpr::Json);
            }
            DefinitionKind::Enum(values) => {
                let base = if values.iter().all(|(v, _)| v.parse::<i64>().is_ok()) { Scalar::Int64 } else { Scalar::String };
                let row = Row { line: used.line, name: def.name.clone(), ..Row::default() };
                let values = self.values(&row, values);
                self.types.insert(
                    name.to_owned(),
                    TypeDef { name: sp(name.to_owned()), rust_name: None, description: def.description.clone(), kind: TypeDefKind::Enum(EnumDef { base: sp(base), values }) },
                );
            }
        }
        if reach != Reach::Page {
            self.warn(
                used.line,
                WarningKind::TypeFromOtherPage,
                format!("type `{name}` of `{}` has no rows on this page; the definition of {origin} (found in {}) was used", used.name, reach.name()),
            );
        }
        Some(TypeExpr::Named(name.to_owned()))
    }

    /// A placeholder of the URL that no path parameter row names: a row that lost its name cell
    /// takes it, else a string parameter is added. Either way the page is at fault.
    fn name_path_params(&mut self, path: &str, rows: &[Row], params: &mut Vec<Field>) {
        let placeholders: Vec<&str> = path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
        let mut nameless = rows.iter().filter(|r| r.name.is_empty() && r.depth == 0);
        for name in placeholders {
            if params.iter().any(|p| p.name.value == name) {
                continue;
            }
            let row = match nameless.next() {
                Some(r) => {
                    let mut r = r.clone();
                    r.name = name.to_owned();
                    self.warn(r.line, WarningKind::MissingName, format!("a path parameter row has no name; it is `{name}`, the URL's placeholder"));
                    r
                }
                None => {
                    self.warn(0, WarningKind::Other, format!("the URL has the placeholder `{name}` but no path parameter row; a string parameter was added"));
                    Row { name: name.to_owned(), ty: "string".to_owned(), ..Row::default() }
                }
            };
            let node = Node { row: &row, children: Vec::new() };
            if let Some(f) = self.field(&node, true) {
                params.push(f);
            }
            self.errata.push(Erratum {
                at: format!("path.{name}"),
                doc: "no named row for this URL placeholder".to_owned(),
                spec: format!("path parameter `{name}`"),
                reason: "named after the placeholder in the URL (found by the importer)".to_owned(),
            });
        }
    }

    /// An Authing `数据结构` section as a named type.
    fn named_type(&mut self, name: &str, rows: &[Row], line: usize) {
        let nodes = tree(rows);
        let mut fields = Vec::new();
        for n in &nodes {
            if n.row.name.is_empty() {
                self.nameless.push((name.to_owned(), fields.len(), n.row.clone()));
                continue;
            }
            if fields.iter().any(|f: &Field| f.name.value == n.row.name) {
                self.warn(n.row.line, WarningKind::DuplicateField, format!("field `{}` of `{name}` is listed twice; kept the first row", n.row.name));
                continue;
            }
            if let Some(f) = self.field(n, false) {
                fields.push(f);
            }
        }
        self.add_type(name, fields, None, line);
    }

    /// A field made from a row the page forgot to name, under the name the example gives it.
    pub(crate) fn field_from_nameless(&mut self, row: &Row, name: &str) -> Option<Field> {
        let mut row = row.clone();
        row.name = name.to_owned();
        let node = Node { row: &row, children: Vec::new() };
        self.field(&node, false)
    }

    /// Adds a named type; the same name again merges the fields (a page may list a type twice).
    fn add_type(&mut self, name: &str, fields: Vec<Field>, description: Option<String>, line: usize) {
        match self.types.get_mut(name) {
            None => {
                self.types.insert(name.to_owned(), TypeDef { name: sp(name.to_owned()), rust_name: None, description, kind: TypeDefKind::Struct(fields) });
            }
            Some(existing) => {
                if let TypeDefKind::Struct(have) = &mut existing.kind {
                    for f in fields {
                        if !have.iter().any(|h| h.name.value == f.name.value) {
                            have.push(f);
                        }
                    }
                }
                let _ = line;
            }
        }
    }

    fn response(&mut self, d: &Draft, vendor: &str) -> Response {
        if d.response_binary {
            return Response { kind: ResponseKind::Binary, envelope: EnvelopeUse::Data, data: None };
        }
        let nodes = tree(&d.response);
        let envelope_names: &[&str] = if vendor == "feishu" { &["code", "msg"] } else { &["statusCode", "message", "apiCode", "requestId"] };
        let data = nodes.iter().find(|n| n.row.name == "data");
        let others: Vec<&Node<'_>> = nodes.iter().filter(|n| n.row.name != "data" && !envelope_names.contains(&n.row.name.as_str())).collect();
        match data {
            // An empty `data` (no rows under it, type `-`) carries nothing.
            Some(n) if n.children.is_empty() && type_token::parse(&n.row.ty) == Token::Unstated => Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Data, data: None },
            Some(n) => {
                let field = self.field(n, false);
                let data = field.and_then(|mut f| {
                    // An empty `data` (no rows under it, type `-`) carries nothing.
                    if f.ty.value == TypeExpr::Json && n.children.is_empty() && matches!(n.row.ty.trim(), "-" | "\\-" | "") {
                        return None;
                    }
                    f.required = false;
                    Some(f)
                });
                Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Data, data }
            }
            None if !others.is_empty() => {
                let fields = others.iter().filter_map(|n| self.field(n, false)).collect();
                let data = Field {
                    name: sp("data".to_owned()),
                    ty: sp(TypeExpr::Object),
                    required: false,
                    description: None,
                    example: None,
                    default: None,
                    values: None,
                    fields: Some(fields),
                    type_name: None,
                    rust_name: None,
                    limits: Limits::default(),
                    style: None,
                    secret: false,
                };
                Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Flat, data: Some(data) }
            }
            None => Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Data, data: None },
        }
    }
}

/// The name a spec gives a vendor's type: its own, unless that is a word of the spec's type
/// grammar (a struct Feishu calls `file` would read as a file part), which is capitalised (`File`).
pub(crate) fn spec_type_name(name: &str) -> String {
    match name {
        "string" | "int32" | "int64" | "float" | "bool" | "json" | "file" | "object" | "array" | "map" => {
            let mut c = name.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        }
        _ => name.to_owned(),
    }
}

enum RowType {
    Plain(TypeExpr),
    /// An inline object (its fields), alone or as the items of an array or the values of a map.
    Inline(Vec<Field>, Wrap),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    None,
    Array,
    Map,
}

impl Wrap {
    fn around(self, t: TypeExpr) -> TypeExpr {
        match self {
            Wrap::None => t,
            Wrap::Array => TypeExpr::Array(Box::new(t)),
            Wrap::Map => TypeExpr::Map(Box::new(t)),
        }
    }
}

fn enumerable(t: &RowType) -> bool {
    match t {
        RowType::Plain(TypeExpr::String | TypeExpr::Int32 | TypeExpr::Int64) => true,
        RowType::Plain(TypeExpr::Array(i)) => matches!(**i, TypeExpr::String | TypeExpr::Int32 | TypeExpr::Int64),
        _ => false,
    }
}

/// An example cell as a JSON value of the field's type, as far as the text allows.
fn example_value(text: &str, ty: &RowType) -> Value {
    let text = unquote(text.trim());
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    match (ty, parsed) {
        (RowType::Plain(TypeExpr::String), _) => Value::String(text),
        (RowType::Plain(TypeExpr::Int32 | TypeExpr::Int64), Some(v @ Value::Number(_))) => v,
        (RowType::Plain(TypeExpr::Float), Some(v @ Value::Number(_))) => v,
        (RowType::Plain(TypeExpr::Bool), Some(v @ Value::Bool(_))) => v,
        (_, Some(v @ (Value::Array(_) | Value::Object(_)))) => v,
        _ => Value::String(text),
    }
}

fn item_type_of(example: &str) -> TypeExpr {
    match serde_json::from_str::<Value>(example.trim()) {
        Ok(Value::Array(items)) => match items.first() {
            Some(Value::Number(n)) if n.is_i64() => TypeExpr::Int64,
            Some(Value::Number(_)) => TypeExpr::Float,
            Some(Value::Bool(_)) => TypeExpr::Bool,
            Some(Value::String(_)) | None => TypeExpr::String,
            _ => TypeExpr::Json,
        },
        _ => TypeExpr::String,
    }
}

pub(crate) fn located_json(e: &Option<Located<String>>) -> Option<(usize, Value)> {
    let e = e.as_ref()?;
    serde_json::from_str(&e.value).ok().map(|v| (e.line, v))
}
