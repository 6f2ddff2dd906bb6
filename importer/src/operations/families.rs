//! The doc families of the Authing management operations (`data/authing-families.txt`): each
//! family is a service `management/<slug>` mounted on `management`, so every operation stays a
//! method of `pool.management()` while each family compiles as its own module and cargo feature.

/// A doc family: a folder of the Go SDK reference, and the service it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    /// `users`, `public_accounts`: the service is `management/<slug>`.
    pub slug: String,
    /// The Chinese title, after the doc folder (`管理用户`).
    pub title: String,
    /// The cargo feature that compiles the family: `authing-<slug with - for _>`.
    pub feature: String,
    /// The doc folder of the family's pages (`管理用户`).
    pub folder: String,
}

impl Family {
    fn new(slug: &str, folder: &str, title: &str) -> Family {
        Family { slug: slug.to_owned(), title: title.to_owned(), feature: format!("authing-{}", slug.replace('_', "-")), folder: folder.to_owned() }
    }

    /// The service directory under the vendor: `management/users`.
    pub fn service(&self) -> String {
        format!("{SERVICE_PREFIX}{}", self.slug)
    }

    /// The accessor the family's calls hang on (the service's `mount:`).
    pub fn mount(&self) -> &'static str {
        MOUNT
    }
}

/// The accessor every family is mounted on: `pool.management()`.
pub const MOUNT: &str = "management";

const SERVICE_PREFIX: &str = "management/";

/// Where an operation the families table does not place goes (a table of one's own, like the
/// test fixtures'): it still needs a service, and a family the lead can declare.
pub const UNSORTED: &str = "misc";

/// The shipped families file, parsed: families, the family and page of each operation, and the
/// older pages that document an operation again.
#[derive(Debug, Clone, Default)]
pub(crate) struct FamilyTable {
    pub(crate) families: Vec<Family>,
    /// `(SDK method, family slug, page stem)`.
    pub(crate) pages: Vec<(String, String, String)>,
    /// `(page stem, SDK method)`.
    pub(crate) copies: Vec<(String, String)>,
}

impl FamilyTable {
    /// Reads `family`, `page` and `copy` lines; anything else (comments, blank lines) is skipped.
    pub(crate) fn parse(text: &str) -> FamilyTable {
        let mut table = FamilyTable::default();
        for line in text.lines() {
            let mut f = line.split(' ');
            match (f.next(), f.next(), f.next()) {
                (Some("family"), Some(slug), Some(folder)) => {
                    let title = f.collect::<Vec<_>>().join(" ");
                    let title = if title.is_empty() { folder.to_owned() } else { title };
                    table.families.push(Family::new(slug, folder, &title));
                }
                (Some("page"), Some(sdk), Some(slug)) => {
                    if let Some(page) = f.next() {
                        table.pages.push((sdk.to_owned(), slug.to_owned(), page.to_owned()));
                    }
                }
                (Some("copy"), Some(page), Some(sdk)) => table.copies.push((page.to_owned(), sdk.to_owned())),
                _ => {}
            }
        }
        table
    }

    /// The family of an operation; the unsorted one when the table does not place it.
    pub(crate) fn family_of(&self, sdk_method: &str) -> Family {
        self.pages.iter().find(|(sdk, _, _)| sdk == sdk_method).and_then(|(_, slug, _)| self.families.iter().find(|f| &f.slug == slug)).cloned().unwrap_or_else(unsorted)
    }

    /// The page that documents an operation, when the table knows it.
    pub(crate) fn page_of(&self, sdk_method: &str) -> Option<&str> {
        self.pages.iter().find(|(sdk, _, _)| sdk == sdk_method).map(|(_, _, page)| page.as_str())
    }

    /// A family by its service directory (`management/users`).
    pub(crate) fn by_service(&self, service_dir: &str) -> Option<Family> {
        let slug = service_dir.strip_prefix(SERVICE_PREFIX)?;
        self.families.iter().find(|f| f.slug == slug).cloned().or_else(|| (slug == UNSORTED).then(unsorted))
    }
}

fn unsorted() -> Family {
    Family::new(UNSORTED, "", "未归类的管理接口")
}
