//! The declaration of a service the importer puts operations in (`services:` of `vendor.yaml`):
//! its title and doc link, found among the pages (a [`Catalog`]), its cargo feature, and for
//! Authing's doc families the `management` accessor they hang on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::diagnostic::Loc;
use codegen::spec::{ServiceDecl, Sp};

use crate::build::Built;
use crate::event::BuiltEvent;

/// How `vendor.yaml` declares an imported service: Feishu's `im/v1` as `feature: feishu-im`
/// (one feature per service, all its versions); Authing's `management/<family>` mounted on
/// `management`, so that `pool.management().get_user(…)` stays the call. Title and doc link come
/// from the catalog.
pub fn declaration(vendor: &str, service_dir: &str, catalog: &Catalog) -> ServiceDecl {
    let sp = |value: String| Sp { value, loc: Loc::NONE };
    let first = service_dir.split('/').next().unwrap_or(service_dir);
    let (feature, mount) = match (vendor, service_dir.split_once('/')) {
        ("authing", Some(("management", family))) => (format!("authing-{}", family.replace('_', "-")), Some("management".to_owned())),
        ("authing", _) => (format!("authing-{}", first.replace('_', "-")), None),
        (vendor, _) => (format!("{vendor}-{}", first.replace('_', "-")), None),
    };
    let about = catalog.services.get(&(vendor.to_owned(), service_dir.to_owned()));
    ServiceDecl {
        path: sp(service_dir.to_owned()),
        title: about.and_then(|a| a.title.clone()),
        docs: about.and_then(|a| a.docs.clone()),
        feature: Some(sp(feature)),
        mount: mount.map(sp),
        hosts: about.map(|a| a.hosts.clone()).unwrap_or_default(),
    }
}

/// A vendor file's text with services added to its `services:` block, each at its place in the
/// order of paths among the services there, everything else (comments too) as it was. A service
/// already declared is left as it is.
pub fn add_to_vendor_file(text: &str, new: &[ServiceDecl]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = match lines.iter().position(|l| l.trim_end() == "services:") {
        Some(i) => i,
        None => {
            lines.push("services:".to_owned());
            lines.len() - 1
        }
    };
    // The block: the lines after `services:` that are indented, blank or comments.
    let mut end = start + 1;
    while end < lines.len() && (lines[end].starts_with(' ') || lines[end].trim().is_empty() || lines[end].starts_with('#')) {
        end += 1;
    }
    // Blank lines and comments at the end belong to what follows.
    while end > start + 1 && (lines[end - 1].trim().is_empty() || lines[end - 1].starts_with('#')) {
        end -= 1;
    }
    let key = |l: &str| -> Option<String> {
        let rest = l.strip_prefix("  ")?;
        if rest.starts_with([' ', '#']) {
            return None;
        }
        let k = rest.split_once(':')?.0;
        Some(if k.starts_with('"') { serde_json::from_str(k).ok()? } else { k.to_owned() })
    };
    let mut declared: Vec<String> = lines[start + 1..end].iter().filter_map(|l| key(l)).collect();
    let mut new: Vec<&ServiceDecl> = new.iter().filter(|d| !declared.contains(&d.path.value)).collect();
    new.sort_by(|a, b| a.path.value.cmp(&b.path.value));
    new.dedup_by(|a, b| a.path.value == b.path.value);
    for d in new {
        let line = codegen::write::service_line(d).trim_end().to_owned();
        // Before the first entry whose path sorts after it, else at the end of the block.
        let at = (start + 1..end).find(|&i| key(&lines[i]).is_some_and(|k| k > d.path.value)).unwrap_or(end);
        lines.insert(at, line);
        end += 1;
        declared.push(d.path.value.clone());
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// What the pages tell about each service: a title and a doc link.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    /// By vendor and service directory.
    pub services: BTreeMap<(String, String), About>,
}

#[derive(Debug, Default, Clone)]
pub struct About {
    pub title: Option<String>,
    pub docs: Option<String>,
    /// Where the service is served instead of the vendor's hosts (its pages say).
    pub hosts: Vec<codegen::spec::ServiceHost>,
}

impl Catalog {
    /// The services of the pages. Feishu: the service folder's overview page (titled `…概述`,
    /// the word dropped) gives title and link; else the title the corpus index (`index.md`, at the
    /// pages' root) gives the folder, and the link of the service's first page. Authing: the doc
    /// family's title, and the link of its first page.
    pub fn of(pages: &[(PathBuf, &Built)]) -> Catalog {
        let mut by_service: BTreeMap<(String, String), Vec<(&Path, &Built)>> = BTreeMap::new();
        for (p, b) in pages {
            by_service.entry((b.vendor.to_owned(), b.service.clone())).or_default().push((p.as_path(), b));
        }
        let roots = roots(pages);
        let mut index_cache: BTreeMap<PathBuf, BTreeMap<String, String>> = BTreeMap::new();
        let mut services = BTreeMap::new();
        for ((vendor, service), mut list) in by_service {
            list.sort_by(|a, b| a.0.cmp(b.0));
            let first_link = list.iter().find_map(|(_, b)| b.operation.doc_url.clone());
            let about = match vendor.as_str() {
                "authing" => About { title: crate::operations::family(&service).map(|f| f.title).filter(|t| !t.is_empty()), docs: first_link, hosts: Vec::new() },
                _ => {
                    let root = roots.get(vendor.as_str()).cloned().unwrap_or_default();
                    let index = index_cache.entry(root.clone()).or_insert_with(|| index_titles(&root.join("index.md")));
                    let links: Vec<Linked<'_>> = list.iter().map(|(p, b)| (*p, b.operation.doc_url.as_deref())).collect();
                    feishu(&service, &links, &root, index).unwrap_or(About { title: None, docs: first_link, hosts: Vec::new() })
                }
            };
            let about = About { hosts: list.iter().map(|(_, b)| b.hosts.clone()).find(|h| !h.is_empty()).unwrap_or_default(), ..about };
            services.insert((vendor, service), about);
        }
        let mut catalog = Catalog { services };
        catalog.untitled_versions();
        catalog
    }

    /// Adds the services only event pages bring, titled as operations' services are.
    pub fn with_events(mut self, events: &[(PathBuf, &BuiltEvent)]) -> Catalog {
        let mut by_service: BTreeMap<(String, String), Vec<Linked<'_>>> = BTreeMap::new();
        for (p, e) in events {
            let key = (e.vendor.to_owned(), e.service.clone());
            if !self.services.contains_key(&key) {
                by_service.entry(key).or_default().push((p.as_path(), e.event.doc_url.as_deref()));
            }
        }
        let mut roots: BTreeMap<&'static str, PathBuf> = BTreeMap::new();
        for (p, e) in events {
            let dir = p.parent().unwrap_or(Path::new("")).to_path_buf();
            let root = roots.entry(e.vendor).or_insert_with(|| dir.clone());
            while !dir.starts_with(&*root) && root.pop() {}
        }
        for ((vendor, service), mut list) in by_service {
            list.sort_by(|a, b| a.0.cmp(b.0));
            let first_link = list.iter().find_map(|(_, l)| l.map(str::to_owned));
            let root = roots.get(vendor.as_str()).cloned().unwrap_or_default();
            let index = index_titles(&root.join("index.md"));
            let about = feishu(&service, &list, &root, &index).unwrap_or(About { title: None, docs: first_link, hosts: Vec::new() });
            self.services.insert((vendor, service), about);
        }
        self.untitled_versions();
        self
    }

    /// A version the docs give no title (an old one) takes its newest titled sibling's.
    fn untitled_versions(&mut self) {
        let services = &mut self.services;
        let titled: Vec<((String, String), String)> = services.iter().filter_map(|(k, a)| a.title.clone().map(|t| (k.clone(), t))).collect();
        for ((vendor, service), about) in services.iter_mut().filter(|(_, a)| a.title.is_none()) {
            let Some((name, _)) = service.rsplit_once('/') else { continue };
            let sibling = titled.iter().rev().find(|((v, s), _)| v == vendor && s.rsplit_once('/').is_some_and(|(n, _)| n == name));
            if let Some((_, title)) = sibling {
                about.title = Some(title.clone());
            }
        }
    }
}

/// A page and its doc link.
type Linked<'p> = (&'p Path, Option<&'p str>);

/// The common folder of each vendor's pages.
fn roots(pages: &[(PathBuf, &Built)]) -> BTreeMap<&'static str, PathBuf> {
    let mut out: BTreeMap<&'static str, PathBuf> = BTreeMap::new();
    for (p, b) in pages {
        let dir = p.parent().unwrap_or(Path::new("")).to_path_buf();
        let root = out.entry(b.vendor).or_insert_with(|| dir.clone());
        while !dir.starts_with(&*root) {
            if !root.pop() {
                break;
            }
        }
    }
    out
}

/// A Feishu service's title and link: the overview page of its folder, or the index's title of
/// that folder with the first page's link.
fn feishu(service: &str, pages: &[Linked<'_>], root: &Path, index: &BTreeMap<String, String>) -> Option<About> {
    let folder_name = service.replace('/', "-");
    // The service's own folder: the nearest folder of one of its pages named `<service>-v<n>`.
    let folder = pages.iter().find_map(|(p, _)| p.ancestors().find(|a| a.file_name().is_some_and(|n| n.to_string_lossy() == folder_name)))?;
    let first_link = pages.iter().find_map(|(_, l)| l.map(str::to_owned));
    if let Some((title, link)) = overview(folder) {
        return Some(About { title: Some(title), docs: link.or(first_link), hosts: Vec::new() });
    }
    let top = folder.strip_prefix(root).ok()?.components().next()?.as_os_str().to_string_lossy().into_owned();
    let title = index.get(&top)?;
    // The index titles a top-level folder; a service in a folder below it says which it is.
    let title = if top == folder_name { title.clone() } else { format!("{title}: {service}") };
    Some(About { title: Some(title), docs: first_link, hosts: Vec::new() })
}

/// The title (without `概述`) and link of the overview page directly in a folder: the one whose
/// title ends in `概述`, a page named `*overview*` or `introduction` first.
fn overview(folder: &Path) -> Option<(String, Option<String>)> {
    let mut candidates: Vec<(u8, PathBuf, String, Option<String>)> = Vec::new();
    for entry in std::fs::read_dir(folder).ok()?.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let front = crate::feishu_md::FrontMatter::read(&text);
        let Some(title) = front.get("title") else { continue };
        let Some(name) = title.trim().strip_suffix("概述").map(str::trim) else { continue };
        if name.is_empty() || name.contains("数据结构") {
            continue;
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let rank = if stem.contains("overview") || stem == "introduction" { 0 } else { 1 };
        let link = front.get("fullPath").map(|p| format!("https://open.feishu.cn/document{}", p.trim()));
        candidates.push((rank, path, name.to_owned(), link));
    }
    candidates.sort();
    candidates.into_iter().next().map(|(_, _, title, link)| (title, link))
}

/// The corpus index's titles of top-level folders: its `features:` items, each a `title:` and a
/// `link:` whose first segment is the folder.
fn index_titles(path: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else { return out };
    let mut title: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(t) = line.strip_prefix("- title:") {
            title = Some(t.trim().trim_matches('"').to_owned());
        } else if let Some(link) = line.strip_prefix("link:")
            && let Some(t) = title.take()
            && let Some(folder) = link.trim().trim_start_matches('/').split('/').next()
        {
            out.entry(folder.to_owned()).or_insert(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Catalog, declaration, index_titles};

    #[test]
    fn features_by_service_and_families_mounted_on_management() {
        let none = Catalog::default();
        let im = declaration("feishu", "im/v1", &none);
        assert_eq!(im.feature.map(|f| f.value).as_deref(), Some("feishu-im"));
        assert!(im.mount.is_none());
        let users = declaration("authing", "management/audit_logs", &none);
        assert_eq!(users.feature.map(|f| f.value).as_deref(), Some("authing-audit-logs"));
        assert_eq!(users.mount.map(|m| m.value).as_deref(), Some("management"));
    }

    #[test]
    fn services_are_added_in_order_and_the_rest_of_the_vendor_file_is_kept() {
        let text = "vendor: x\nservices:\n  # one per family\n  b/v1: {feature: x-b}\n  d/v1: {feature: x-d}\n\n# the envelope\nenvelope: none\n";
        let mut a = declaration("x", "a/v1", &Catalog::default());
        a.title = Some("甲".to_owned());
        let c = declaration("x", "c/v1", &Catalog::default());
        let e = declaration("x", "e/v1", &Catalog::default());
        let b = declaration("x", "b/v1", &Catalog::default());
        let out = super::add_to_vendor_file(text, &[e, c, a, b]);
        assert_eq!(
            out,
            "vendor: x\nservices:\n  # one per family\n  a/v1: {title: \"甲\", feature: x-a}\n  b/v1: {feature: x-b}\n  c/v1: {feature: x-c}\n  d/v1: {feature: x-d}\n  e/v1: {feature: x-e}\n\n# the envelope\nenvelope: none\n"
        );
    }

    #[test]
    fn the_index_titles_top_level_folders() {
        let dir = std::env::temp_dir().join(format!("importer-index-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let index = dir.join("index.md");
        std::fs::write(
            &index,
            "---\nfeatures:\n  - title: 温室\n    details: 通风、灌溉\n    link: /greenhouse-v1/vent/open\n  - title: 土壤\n    link: /soil-v2/report/get\n---\n",
        )
        .unwrap();
        let titles = index_titles(&index);
        assert_eq!(titles.get("greenhouse-v1").map(String::as_str), Some("温室"));
        assert_eq!(titles.get("soil-v2").map(String::as_str), Some("土壤"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
