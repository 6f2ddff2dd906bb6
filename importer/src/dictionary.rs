//! Type definitions gathered from every page of an import before any page is built, so that a
//! page naming a type without listing its fields (`divider`, `ticket_user`,
//! `department_base_info[]`) gets the fields another page gives it. A definition is looked up
//! nearest first: the same page, the same service, the same service in another version, the same
//! doc family, and last the whole corpus where every page that defines the name agrees.

use std::collections::{BTreeMap, BTreeSet};

use crate::draft::Row;

/// Where a page stands: which service it belongs to (when that can be told) and which doc family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub vendor: &'static str,
    /// The page's index in its corpus.
    pub page: usize,
    /// `docx/v1`, when the page tells it.
    pub service: Option<String>,
    /// The folder of the corpus the page is in (`uUDN04SN0QjL1QDN`, `corehr-v1`), below
    /// `historic-version/` for a historic page.
    pub family: String,
}

impl Site {
    /// The service without its version: `docx` for `docx/v1`.
    fn service_name(&self) -> Option<&str> {
        self.service.as_deref().map(|s| s.rsplit_once('/').map_or(s, |(name, _)| name))
    }
}

/// One type as a page defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The name as the defining page writes it (`QuoteContainer`, `ticket_user`).
    pub name: String,
    pub site: Site,
    /// The defining page as messages show it (relative to the corpus), and the line of the definition.
    pub page: String,
    pub line: usize,
    pub description: Option<String>,
    pub kind: DefinitionKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefinitionKind {
    /// A structure: its rows, nested by depth from 0. No rows is an empty structure (`{}`).
    Struct(Vec<Row>),
    /// An enum: its values and what each means.
    Enum(Vec<(String, Option<String>)>),
    /// A section that names the type and says what it is, but gives no structure
    /// (`### Undefined`: "其它暂未支持的内容实体").
    Opaque,
}

/// How far from the page using it a definition was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    Page,
    Service,
    OtherVersion,
    Family,
    Corpus,
}

impl Reach {
    pub fn name(self) -> &'static str {
        match self {
            Reach::Page => "this page",
            Reach::Service => "the same service",
            Reach::OtherVersion => "the same service in another version",
            Reach::Family => "the same doc family",
            Reach::Corpus => "the corpus, where every definition agrees",
        }
    }
}

/// Every definition of an import, by normalized name.
#[derive(Debug, Default)]
pub struct Dictionary {
    by_name: BTreeMap<String, Vec<Definition>>,
}

impl Dictionary {
    pub fn add(&mut self, definition: Definition) {
        self.by_name.entry(key(&definition.name)).or_default().push(definition);
    }

    pub fn len(&self) -> usize {
        self.by_name.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The definition of `name` on the page of index `page`, if it gives one.
    pub fn on_page(&self, name: &str, page: usize) -> Option<&Definition> {
        self.by_name.get(&key(name))?.iter().find(|d| d.site.page == page)
    }

    /// The definition of `name` nearest to a page at `at`: within the nearest reach that has one,
    /// the one with the most rows (the first in the corpus on a tie).
    pub fn find(&self, name: &str, at: &Site) -> Option<(&Definition, Reach)> {
        let all: Vec<&Definition> = self.by_name.get(&key(name))?.iter().filter(|d| d.site.vendor == at.vendor).collect();
        // A structure anywhere goes before a mere description nearby.
        let (opaque, structured): (Vec<&Definition>, Vec<&Definition>) = all.into_iter().partition(|d| d.kind == DefinitionKind::Opaque);
        nearest(&structured, at).or_else(|| nearest(&opaque, at))
    }
}

impl Dictionary {
    /// The spelling the pages of a service most often define a type with (`item` where one page
    /// writes `list<Item>` and others `item`), so that one type has one name in its service; the
    /// first in the corpus on a tie. `None` when no page of the service defines it.
    pub fn spelling(&self, name: &str, at: &Site) -> Option<&str> {
        let here: Vec<&Definition> = self.by_name.get(&key(name))?.iter().filter(|d| d.site.vendor == at.vendor && at.service.is_some() && d.site.service == at.service).collect();
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for d in here {
            match counts.iter_mut().find(|(n, _)| *n == d.name) {
                Some((_, c)) => *c += 1,
                None => counts.push((&d.name, 1)),
            }
        }
        // `max_by_key` keeps the last of equals; the first in the corpus should win.
        counts.into_iter().rev().max_by_key(|(_, c)| *c).map(|(n, _)| n)
    }
}

fn nearest<'d>(all: &[&'d Definition], at: &Site) -> Option<(&'d Definition, Reach)> {
    for reach in [Reach::Page, Reach::Service, Reach::OtherVersion, Reach::Family] {
        let here: Vec<&Definition> = all.iter().copied().filter(|d| within(d, at, reach)).collect();
        if let Some(best) = richest(&here) {
            return Some((best, reach));
        }
    }
    // Anywhere else only when the pages agree: the same name may mean different things in
    // different services.
    let shapes: BTreeSet<Vec<String>> = all.iter().map(|d| shape(d)).collect();
    if shapes.len() == 1 { richest(all).map(|d| (d, Reach::Corpus)) } else { None }
}

fn within(d: &Definition, at: &Site, reach: Reach) -> bool {
    match reach {
        Reach::Page => d.site.page == at.page,
        Reach::Service => at.service.is_some() && d.site.service == at.service,
        Reach::OtherVersion => at.service_name().is_some() && d.site.service_name() == at.service_name(),
        Reach::Family => !at.family.is_empty() && d.site.family == at.family,
        Reach::Corpus => true,
    }
}

fn richest<'d>(defs: &[&'d Definition]) -> Option<&'d Definition> {
    // `max_by_key` keeps the last of equals; the first in the corpus should win.
    defs.iter().rev().copied().max_by_key(|d| match &d.kind {
        DefinitionKind::Struct(rows) => (1, rows.iter().filter(|r| r.depth == 0).count()),
        DefinitionKind::Enum(values) => (1, values.len()),
        DefinitionKind::Opaque => (0, 0),
    })
}

/// The top-level field names (or the values) of a definition, sorted: what agreeing means.
fn shape(d: &Definition) -> Vec<String> {
    let mut names: Vec<String> = match &d.kind {
        DefinitionKind::Struct(rows) => rows.iter().filter(|r| r.depth == 0).map(|r| r.name.clone()).collect(),
        DefinitionKind::Enum(values) => values.iter().map(|(v, _)| format!("={v}")).collect(),
        DefinitionKind::Opaque => vec!["?".to_owned()],
    };
    names.sort();
    names.dedup();
    names
}

/// Names compare without case, `_` or `-`: `quote_container` is `QuoteContainer`.
fn key(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, page: usize, service: Option<&str>, family: &str, fields: &[&str]) -> Definition {
        let rows = fields.iter().map(|f| Row { name: (*f).to_owned(), ty: "string".to_owned(), ..Row::default() }).collect();
        Definition {
            name: name.to_owned(),
            site: Site { vendor: "feishu", page, service: service.map(str::to_owned), family: family.to_owned() },
            page: format!("page{page}.md"),
            line: 1,
            description: None,
            kind: DefinitionKind::Struct(rows),
        }
    }

    fn at(page: usize, service: Option<&str>, family: &str) -> Site {
        Site { vendor: "feishu", page, service: service.map(str::to_owned), family: family.to_owned() }
    }

    #[test]
    fn the_nearest_definition_wins_and_names_match_loosely() {
        let mut d = Dictionary::default();
        d.add(def("QuoteContainer", 0, Some("docx/v1"), "docs", &[]));
        d.add(def("quote_container", 1, Some("wiki/v2"), "docs", &["a"]));
        let (found, reach) = d.find("quote_container", &at(5, Some("docx/v1"), "group")).unwrap();
        assert_eq!((found.site.page, reach), (0, Reach::Service));
        let (found, reach) = d.find("quoteContainer", &at(5, Some("wiki/v2"), "group")).unwrap();
        assert_eq!((found.site.page, reach), (1, Reach::Service));
        let (found, reach) = d.find("quote_container", &at(5, Some("docx/v2"), "group")).unwrap();
        assert_eq!((found.site.page, reach), (0, Reach::OtherVersion));
        let (found, reach) = d.find("quote_container", &at(1, Some("docx/v1"), "group")).unwrap();
        assert_eq!((found.site.page, reach), (1, Reach::Page), "the page's own definition comes first");
        // Elsewhere, the two disagree: nothing.
        assert!(d.find("quote_container", &at(5, Some("im/v1"), "group")).is_none());
    }

    #[test]
    fn elsewhere_only_when_every_definition_agrees() {
        let mut d = Dictionary::default();
        d.add(def("ticket_user", 0, Some("helpdesk/v1"), "helpdesk-v1", &["id", "name"]));
        d.add(def("ticket_user", 1, Some("helpdesk/v1"), "helpdesk-v1", &["name", "id"]));
        let (found, reach) = d.find("ticket_user", &at(9, None, "other")).unwrap();
        assert_eq!((found.site.page, reach), (0, Reach::Corpus));
        d.add(def("ticket_user", 2, Some("im/v1"), "im-v1", &["id"]));
        assert!(d.find("ticket_user", &at(9, None, "other")).is_none());
        let (found, reach) = d.find("ticket_user", &at(9, None, "im-v1")).unwrap();
        assert_eq!((found.site.page, reach), (2, Reach::Family));
    }

    #[test]
    fn one_spelling_per_service() {
        let mut d = Dictionary::default();
        d.add(def("Item", 0, Some("search/v2"), "search-v2", &["id"]));
        d.add(def("item", 1, Some("search/v2"), "search-v2", &["id"]));
        d.add(def("item", 2, Some("search/v2"), "search-v2", &["id"]));
        d.add(def("ITEM", 3, Some("other/v1"), "other-v1", &["id"]));
        assert_eq!(d.spelling("Item", &at(9, Some("search/v2"), "x")), Some("item"));
        assert_eq!(d.spelling("item", &at(9, Some("other/v1"), "x")), Some("ITEM"));
        assert_eq!(d.spelling("item", &at(9, Some("im/v1"), "x")), None);
    }

    #[test]
    fn the_richest_definition_of_a_reach_wins() {
        let mut d = Dictionary::default();
        d.add(def("user", 0, Some("contact/v3"), "contact-v3", &["id"]));
        d.add(def("user", 1, Some("contact/v3"), "contact-v3", &["id", "name"]));
        d.add(def("user", 2, Some("contact/v3"), "contact-v3", &["name", "email"]));
        assert_eq!(d.find("user", &at(7, Some("contact/v3"), "x")).unwrap().0.site.page, 1);
    }
}
