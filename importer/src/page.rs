//! Pages in: each page's format recognised from the text itself, parsed, built. A [`Corpus`] reads
//! every page of an import first, so that a page can use what the others define (types, the
//! versions of services) and a historic page can give way to the current page of its operation;
//! [`import`] builds one page on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{Built, Context, build_in};
use crate::dictionary::{Definition, Dictionary, Site};
use crate::draft::{Draft, Format};
use crate::event::{BuiltEvent, EventDraft};
use crate::operations::AuthingOperations;
use crate::service_types::{self, SharedType};

/// What became of one page: its format and spec, or why it has none.
pub type Imported = Result<(Format, Built), PageError>;

/// Why a page did not become a spec, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub reason: Reason,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// Not an API page (a guide, an event, an overview).
    NotAnApiPage,
    /// An API page the parser could not read.
    Unreadable,
    /// Read, but not enough to make a spec (no method, no path, no matching operation).
    Incomplete,
    /// An API served from a host the importer knows no URL of for each of the vendor's hosts
    /// (a known other site becomes a service with `hosts:` of its own).
    OtherHost,
    /// The address of a page a user's browser opens (OAuth's authorize step), which an app sends
    /// the user to rather than calls: no operation, and no failure of the importer.
    BrowserPage,
    /// Another page documents the same endpoint and is imported instead (a historic page gives
    /// way to the current one).
    Duplicate,
    /// An Authing page of an authentication-API call, which names no management operation.
    NotManagement,
    /// An event page: no operation, an event spec ([`Corpus::import_events`]).
    EventPage,
    /// Another event page documents the same event type and is imported instead.
    SameEventType,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::NotAnApiPage => "not an API page",
            Reason::Unreadable => "unreadable",
            Reason::Incomplete => "incomplete",
            Reason::OtherHost => "served from another host",
            Reason::BrowserPage => "a page the user's browser opens",
            Reason::Duplicate => "the endpoint of another page",
            Reason::NotManagement => "not a management operation",
            Reason::EventPage => "an event page",
            Reason::SameEventType => "the event type of another page",
        }
    }
}

/// The format of a page, from its text: front matter keys, `¶` headings, section titles.
pub fn detect(text: &str) -> Option<Format> {
    let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
    if text.starts_with("---") && head.contains("fullPath:") {
        return Some(Format::FeishuMarkdown);
    }
    if text.starts_with("---") && head.contains("source_url:") {
        return Some(Format::FeishuExport);
    }
    if text.lines().any(|l| l.starts_with("¶ ")) {
        return Some(Format::AuthingText);
    }
    if text.contains("## 请求参数") || text.contains("## 请求响应") || text.contains("ManagementClient.") {
        return Some(Format::AuthingMarkdown);
    }
    None
}

/// Parses a page in the format its text shows.
pub fn parse(text: &str) -> Result<(Format, Draft), PageError> {
    let format = detect(text).ok_or_else(|| PageError {
        line: 1,
        reason: Reason::NotAnApiPage,
        message: "not a page in a format the importer knows (Feishu Markdown or export, Authing Markdown or text)".to_owned(),
    })?;
    let not_api = |line: usize, message: String| {
        let reason =
            if message.contains("not an API page") || message.contains("no HTTP Method") || message.contains("not an API") { Reason::NotAnApiPage } else { Reason::Unreadable };
        PageError { line, reason, message }
    };
    let draft = match format {
        Format::FeishuMarkdown => crate::feishu_md::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::FeishuExport => crate::feishu_export::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::AuthingMarkdown => crate::authing_md::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::AuthingText => crate::authing_text::parse(text).map_err(|e| not_api(e.line, e.message))?,
    };
    Ok((format, draft))
}

/// Parses and builds one page on its own: the only types it sees are those it defines itself.
/// `path` names the page (its stem is the Authing operation's name; a `historic-version` folder
/// in it marks the operation deprecated).
pub fn import(path: &Path, text: &str, authing: &AuthingOperations) -> Imported {
    let corpus = Corpus::from_texts(vec![(path.to_path_buf(), text.to_owned())]);
    corpus.import_all(authing).pop().map_or_else(|| Err(PageError { line: 1, reason: Reason::Unreadable, message: "no page".to_owned() }), |(_, r)| r)
}

/// Parses and builds one event page on its own (see [`Corpus::import_events`]).
pub fn import_event(path: &Path, text: &str) -> Result<BuiltEvent, PageError> {
    let corpus = Corpus::from_texts(vec![(path.to_path_buf(), text.to_owned())]);
    match corpus.import_events().pop() {
        Some((_, r)) => r,
        None => Err(PageError { line: 1, reason: Reason::NotAnApiPage, message: "not an event page (no `| 事件类型 |` row)".to_owned() }),
    }
}

/// Every page of an import, read and parsed once, with what they tell about each other: the
/// types each defines (a [`Dictionary`]), the versions of each service their doc paths name, and
/// which operations a current page documents.
#[derive(Debug)]
pub struct Corpus {
    pages: Vec<Page>,
    dictionary: Arc<Dictionary>,
    versions: Arc<BTreeMap<String, BTreeSet<String>>>,
}

#[derive(Debug)]
struct Page {
    path: PathBuf,
    /// The path below the corpus root, `/`-separated, as messages show it.
    shown: String,
    parsed: Result<(Format, Draft), PageError>,
    /// An event page as read (its `parsed` is [`Reason::EventPage`]).
    event: Option<Result<EventDraft, PageError>>,
    site: Site,
    /// In a `historic-version` folder: an older version of its API.
    historic: bool,
}

impl Corpus {
    /// Reads the pages from disk; a page that cannot be read stays in, with its error.
    pub fn read(paths: &[PathBuf]) -> Corpus {
        let texts = paths.iter().map(|p| (p.clone(), std::fs::read_to_string(p).map_err(|e| e.to_string()))).collect();
        Corpus::new(texts)
    }

    /// The pages with their texts.
    pub fn from_texts(pages: Vec<(PathBuf, String)>) -> Corpus {
        Corpus::new(pages.into_iter().map(|(p, t)| (p, Ok(t))).collect())
    }

    fn new(texts: Vec<(PathBuf, Result<String, String>)>) -> Corpus {
        let root = common_root(texts.iter().map(|(p, _)| p.as_path()));
        let mut dictionary = Dictionary::default();
        let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut pages = Vec::with_capacity(texts.len());
        for (index, (path, text)) in texts.into_iter().enumerate() {
            let shown = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let shown = if shown.is_empty() { path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned()) } else { shown };
            let family = family(&shown);
            let mut site = Site { vendor: "", page: index, service: None, family };
            let historic = path.components().any(|c| c.as_os_str() == "historic-version");
            let mut event = None;
            let parsed = match text {
                Err(e) => Err(PageError { line: 1, reason: Reason::Unreadable, message: e }),
                Ok(text) => {
                    let format = detect(&text);
                    if matches!(format, Some(Format::FeishuMarkdown | Format::FeishuExport)) {
                        let parsed = if format == Some(Format::FeishuMarkdown) && crate::event::event_page(&path, &text) {
                            let read = crate::event::parse(&text).map_err(|e| PageError { line: e.line, reason: Reason::Unreadable, message: e.message });
                            let line = read.as_ref().map_or(1, |d| d.event_type.line);
                            event = Some(read);
                            Err(PageError { line, reason: Reason::EventPage, message: "an event page: it becomes an event spec, not an operation".to_owned() })
                        } else {
                            parse(&text)
                        };
                        site.vendor = "feishu";
                        site.service = match &parsed {
                            Ok((_, d)) => crate::build::feishu_service(d),
                            Err(_) => crate::feishu_md::FrontMatter::read(&text).get("fullPath").and_then(crate::build::doc_path_service),
                        };
                        learn_versions(&text, &path, &mut versions);
                        for found in crate::feishu_types::definitions(&text) {
                            dictionary.add(Definition {
                                name: found.name,
                                site: site.clone(),
                                page: shown.clone(),
                                line: found.line,
                                description: found.description,
                                kind: found.kind,
                            });
                        }
                        parsed
                    } else {
                        site.vendor = format.map_or("", Format::vendor);
                        parse(&text)
                    }
                }
            };
            pages.push(Page { path, shown, parsed, event, site, historic });
        }
        Corpus { pages, dictionary: Arc::new(dictionary), versions: Arc::new(versions) }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The vendor of each page, in order, from its format (`""` where the format is unknown).
    pub fn vendors(&self) -> Vec<&'static str> {
        self.pages.iter().map(|p| p.site.vendor).collect()
    }

    /// The type definitions the pages give.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// Builds every page, in order: the page and its spec, or why it did not become one. Two
    /// Feishu pages of one endpoint (method and path) make one spec: a current page is kept before
    /// a historic or superseded one, a general page before one for a few users, else the first in
    /// corpus order; the others fail with [`Reason::Duplicate`]. Pages of different endpoints that the API path names alike
    /// (`GET`, `PUT` and `DELETE …/dataValidation`) get the verb of their method as their method
    /// name (`…/dataValidation/get`), so that each has its own call.
    ///
    /// A page whose named types depart from its service's (as the service's `types.yaml` will
    /// hold them, merged over the pages) is built again aligned with them (`service_types`), so
    /// that its examples are reconciled with the types its spec will have.
    pub fn import_all(&self, authing: &AuthingOperations) -> Vec<(PathBuf, Imported)> {
        let mut out: Vec<(PathBuf, Imported)> = self.pages.iter().map(|p| (p.path.clone(), self.build(p, authing, None))).collect();
        self.drop_duplicates(&mut out);
        self.align_with_services(&mut out, authing);
        let url_lines: Vec<usize> = self.pages.iter().map(|p| p.parsed.as_ref().map_or(1, |(_, d)| d.url_line.max(1))).collect();
        separate_names(&mut out, &url_lines);
        out
    }

    /// Builds every event page, in order: the page and its event spec, or why it did not become
    /// one. Two pages of one event type make one spec: a current page is kept before a historic or
    /// superseded one, else the first in corpus order; the others fail with [`Reason::SameEventType`].
    pub fn import_events(&self) -> Vec<(PathBuf, Result<BuiltEvent, PageError>)> {
        let mut out: Vec<(usize, Result<BuiltEvent, PageError>)> = Vec::new();
        for (i, page) in self.pages.iter().enumerate() {
            let Some(read) = &page.event else { continue };
            let built = read.clone().and_then(|d| {
                let cx = Context {
                    page_name: page_name(&page.path),
                    historic: page.historic,
                    site: page.site.clone(),
                    dictionary: Some(self.dictionary.clone()),
                    versions: self.versions.clone(),
                    shared: None,
                };
                crate::event::build(&d, &cx, &page.path, &page.shown).map_err(|e| PageError { line: e.line, reason: Reason::Incomplete, message: e.message })
            });
            out.push((i, built));
        }
        let rank = |(i, r): &(usize, Result<BuiltEvent, PageError>)| (self.pages[*i].historic, r.as_ref().map_or(true, |b| b.event.deprecated.is_some()), *i);
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_by_key(|&k| rank(&out[k]));
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        for k in order {
            let Ok(b) = &out[k].1 else { continue };
            let event_type = b.event.event.value.clone();
            let Some(&first) = kept.get(&event_type) else {
                kept.insert(event_type, k);
                continue;
            };
            let i = out[k].0;
            let which = if self.pages[i].historic && !self.pages[out[first].0].historic { "this historic page" } else { "this page" };
            let message = format!("{which} documents event type `{event_type}`, as the page {} does, which is imported instead", self.pages[out[first].0].shown);
            let line = self.pages[i].event.as_ref().and_then(|r| r.as_ref().ok()).map_or(1, |d| d.event_type.line);
            out[k].1 = Err(PageError { line, reason: Reason::SameEventType, message });
        }
        out.into_iter().map(|(i, r)| (self.pages[i].path.clone(), r)).collect()
    }

    fn drop_duplicates(&self, out: &mut [(PathBuf, Imported)]) {
        let mut kept: BTreeMap<String, usize> = BTreeMap::new();
        // The page that stands for an endpoint: a current one before a historic one, one that
        // does not call itself superseded before one that does, a general one before one for a
        // few (`刷新 user_access_token（仅字节）`), then the first in corpus order.
        let rank = |i: usize| match &out[i].1 {
            Ok((_, b)) => {
                let title = &b.operation.title;
                (self.pages[i].historic, b.operation.deprecated.is_some(), title.contains("（仅") || title.contains("(仅"), i)
            }
            Err(_) => (true, true, true, i),
        };
        let mut order: Vec<usize> = (0..out.len()).collect();
        order.sort_by_key(|&i| rank(i));
        for i in order {
            let Ok((_, b)) = &out[i].1 else { continue };
            if b.vendor != "feishu" {
                continue;
            }
            let key = endpoint(b);
            let Some(&first) = kept.get(&key) else {
                kept.insert(key, i);
                continue;
            };
            let which = if self.pages[i].historic && !self.pages[first].historic { "this historic page" } else { "this page" };
            let (method, path) = (verb(b.operation.method.value).0, &b.operation.path.value);
            let message =
                format!("{which} documents `{method} {path}` (spec `{}/{}`), as the page {} does, which is imported instead", b.vendor, b.rel_path, self.pages[first].shown);
            let line = self.pages[i].parsed.as_ref().map_or(1, |(_, d)| d.url_line.max(1));
            out[i].1 = Err(PageError { line, reason: Reason::Duplicate, message });
        }
    }

    fn align_with_services(&self, out: &mut [(PathBuf, Imported)], authing: &AuthingOperations) {
        let built = out.iter().enumerate().filter_map(|(i, (_, r))| r.as_ref().ok().map(|(_, b)| (i, self.pages[i].shown.as_str(), b)));
        let shared: BTreeMap<(&'static str, String), Arc<BTreeMap<String, SharedType>>> = service_types::merge(built).into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        for (i, page) in self.pages.iter().enumerate() {
            let Ok((_, b)) = &out[i].1 else { continue };
            let Some(types) = shared.get(&(b.vendor, b.service.clone())) else { continue };
            if service_types::departs(b, i, types) {
                out[i].1 = self.build(page, authing, Some(types.clone()));
            }
        }
    }

    fn build(&self, page: &Page, authing: &AuthingOperations, shared: Option<Arc<BTreeMap<String, SharedType>>>) -> Imported {
        let (format, draft) = page.parsed.clone()?;
        if format.vendor() == "feishu"
            && let Some((reason, e)) = crate::build::foreign_host(&draft)
        {
            return Err(PageError { line: e.line, reason, message: e.message });
        }
        let cx = Context {
            page_name: page_name(&page.path),
            historic: page.historic,
            site: page.site.clone(),
            dictionary: Some(self.dictionary.clone()),
            versions: self.versions.clone(),
            shared,
        };
        let built = build_in(&draft, format, &cx, authing).map_err(|e| {
            let reason = if e.message.starts_with(crate::operations::NOT_MANAGEMENT) {
                Reason::NotManagement
            } else if e.message.starts_with(crate::operations::DUPLICATE_PAGE) {
                Reason::Duplicate
            } else {
                Reason::Incomplete
            };
            PageError { line: e.line, reason, message: e.message }
        })?;
        Ok((format, built))
    }
}

/// `<folder>/<stem>` of a page's path (`users/get-user`), or the stem alone: how the Authing
/// operation table knows a page.
fn page_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match path.parent().and_then(Path::file_name) {
        Some(folder) => format!("{}/{stem}", folder.to_string_lossy()),
        None => stem,
    }
}

/// `GET /open-apis/…/{}`: what the server tells operations apart by (placeholders are
/// anonymous: `{task_id}` and `{id}` in one place are one endpoint).
fn endpoint(b: &Built) -> String {
    let path: Vec<&str> = b.operation.path.value.split('/').map(|s| if s.starts_with('{') && s.ends_with('}') { "{}" } else { s }).collect();
    format!("{} {}", verb(b.operation.method.value).0, path.join("/"))
}

/// A method as the HTTP line writes it, and the verb that names a call of it.
fn verb(m: codegen::spec::Method) -> (&'static str, &'static str) {
    use codegen::spec::Method;
    match m {
        Method::Get => ("GET", "get"),
        Method::Post => ("POST", "create"),
        Method::Put => ("PUT", "update"),
        Method::Patch => ("PATCH", "patch"),
        Method::Delete => ("DELETE", "delete"),
    }
}

/// Feishu pages of different endpoints that came out with one spec path, or whose path is the
/// resource of other pages' paths, get the verb of their method appended
/// (`spreadsheets/dataValidation` → `spreadsheets/dataValidation/get`), unless that still leaves
/// two alike or takes another page's path; a warning says so.
fn separate_names(out: &mut [(PathBuf, Imported)], url_lines: &[usize]) {
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, r)) in out.iter().enumerate() {
        if let Ok((_, b)) = r
            && b.vendor == "feishu"
        {
            by_path.entry(b.rel_path.clone()).or_default().push(i);
        }
    }
    let taken: BTreeSet<String> = by_path.keys().cloned().collect();
    for (rel, pages) in by_path {
        // A call named like the resource of other calls (`spreadsheets/condition_formats` beside
        // `spreadsheets/condition_formats/batch_create`) would be both a method and an accessor.
        let a_resource = taken.range(format!("{rel}/")..).next().is_some_and(|other| other.starts_with(&format!("{rel}/")));
        if pages.len() < 2 && !a_resource {
            continue;
        }
        let verbs: Vec<&str> = pages.iter().map(|&i| out[i].1.as_ref().map_or("", |(_, b)| verb(b.operation.method.value).1)).collect();
        let renamed: Vec<String> = pages
            .iter()
            .zip(&verbs)
            .map(|(&i, v)| match &out[i].1 {
                // Two of one method: the placeholders after the resource tell them apart
                // (`PUT …/dataValidation/{sheetId}` → `update_by_sheet_id`).
                Ok((_, b)) if verbs.iter().filter(|w| *w == v).count() > 1 => match trailing_placeholders(&b.operation.path.value) {
                    Some(by) => format!("{rel}/{v}_by_{by}"),
                    None => format!("{rel}/{v}"),
                },
                Ok(_) => format!("{rel}/{v}"),
                Err(_) => String::new(),
            })
            .collect();
        let distinct: BTreeSet<&String> = renamed.iter().collect();
        if distinct.len() < renamed.len() || renamed.iter().any(|r| taken.contains(r)) {
            continue;
        }
        for (&i, new) in pages.iter().zip(renamed) {
            if let Ok((_, b)) = &mut out[i].1 {
                let why = if pages.len() > 1 {
                    format!("as it does {} other page(s) of another method", pages.len() - 1)
                } else {
                    "which is also the resource of other operations".to_owned()
                };
                b.warnings.push(crate::draft::Warning {
                    line: url_lines[i],
                    kind: crate::draft::WarningKind::Other,
                    message: format!("the API path names this operation `{rel}`, {why}; it is `{new}`, with the verb of its method"),
                });
                b.rel_path = new.clone();
                b.operation.rel_path = new;
            }
        }
    }
}

/// The placeholders after a path's last literal segment, snake_case and joined by `_`
/// (`…/dataValidation/{sheetId}/{dataValidationId}` → `sheet_id_data_validation_id`).
fn trailing_placeholders(path: &str) -> Option<String> {
    let names: Vec<String> =
        path.rsplit('/').map_while(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).map(|p| codegen::names::snake(p).unwrap_or_else(|| p.to_owned())).collect();
    (!names.is_empty()).then(|| names.into_iter().rev().collect::<Vec<_>>().join("_"))
}

/// The corpus folder a page is in (below `historic-version/` for a historic page): its doc family.
fn family(shown: &str) -> String {
    let mut dirs: Vec<&str> = shown.split('/').collect();
    dirs.pop();
    let dirs: Vec<&str> = dirs.into_iter().filter(|d| *d != "historic-version").collect();
    dirs.first().map_or_else(String::new, |d| (*d).to_owned())
}

/// The versions a page names for services: `<service>-v<n>` in its doc path and its folders,
/// `/open-apis/<service>/v<n>/` in its API path.
fn learn_versions(text: &str, path: &Path, versions: &mut BTreeMap<String, BTreeSet<String>>) {
    let fm = crate::feishu_md::FrontMatter::read(text);
    let doc_path = fm.get("fullPath").unwrap_or_default();
    let folders = path.parent().into_iter().flat_map(|p| p.components()).map(|c| c.as_os_str().to_string_lossy().into_owned());
    for seg in doc_path.split('/').map(str::to_owned).chain(folders) {
        let seg = seg.as_str();
        if let Some((service, version)) = crate::build::versioned(seg) {
            versions.entry(service.replace('-', "_")).or_default().insert(version.to_owned());
        }
    }
    let url = text.lines().find(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with("HTTP URL")).unwrap_or_default();
    if let Some(i) = url.find("/open-apis/") {
        let api: Vec<&str> = url[i + "/open-apis/".len()..].split(['/', ' ', '|', '?']).collect();
        if let [service, version, ..] = api.as_slice()
            && version.len() > 1
            && version.starts_with('v')
            && version[1..].chars().all(|c| c.is_ascii_digit())
        {
            versions.entry(service.replace('-', "_")).or_default().insert((*version).to_owned());
        }
    }
}

/// The deepest folder that holds every page.
fn common_root<'p>(paths: impl Iterator<Item = &'p Path>) -> PathBuf {
    let mut root: Option<PathBuf> = None;
    for p in paths {
        let dir = p.parent().unwrap_or(Path::new(""));
        root = Some(match root {
            None => dir.to_path_buf(),
            Some(r) => r.components().zip(dir.components()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect(),
        });
    }
    root.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_and_roots() {
        assert_eq!(family("uUDN04SN0QjL1QDN/docs/data-structure/block.md"), "uUDN04SN0QjL1QDN");
        assert_eq!(family("historic-version/meeting_room-v1/room/list.md"), "meeting_room-v1");
        assert_eq!(family("page.md"), "");
        let paths = [PathBuf::from("/c/feishu/a/x.md"), PathBuf::from("/c/feishu/b/y/z.md")];
        assert_eq!(common_root(paths.iter().map(PathBuf::as_path)), PathBuf::from("/c/feishu"));
    }

    #[test]
    fn two_pages_of_one_method_are_named_by_their_trailing_placeholders() {
        assert_eq!(
            trailing_placeholders("/open-apis/sheets/v2/spreadsheets/{spreadsheetToken}/dataValidation/{sheetId}/{dataValidationId}").as_deref(),
            Some("sheet_id_data_validation_id")
        );
        assert_eq!(trailing_placeholders("/open-apis/sheets/v2/spreadsheets/{spreadsheetToken}/dataValidation"), None);
    }

    #[test]
    fn versions_from_doc_paths_folders_and_api_paths() {
        let mut v = BTreeMap::new();
        let page = "---\nfullPath: \"/uAjLw4CM/ukTMukTMukTM/garden-v2/plant/list\"\n---\n\n| HTTP URL | https://open.feishu.cn/open-apis/orchard/v3/trees |\n";
        learn_versions(page, Path::new("historic-version/greenhouse-v1/x.md"), &mut v);
        let names: Vec<(String, Vec<String>)> = v.into_iter().map(|(k, s)| (k, s.into_iter().collect())).collect();
        assert_eq!(names, [("garden".to_owned(), vec!["v2".to_owned()]), ("greenhouse".to_owned(), vec!["v1".to_owned()]), ("orchard".to_owned(), vec!["v3".to_owned()])]);
    }
}
