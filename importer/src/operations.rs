//! The Authing operation table shipped with the importer (`data/authing-operations.txt`): the
//! doc pages state no method or path, the official SDK does. A page is matched to its operation
//! by its SDK method, its name or its title; a page whose SDK method names no management
//! operation documents an authentication-API call and is left out as such. Each operation
//! belongs to a doc family (`data/authing-families.txt`), the service it is written under.

mod families;

use std::sync::OnceLock;

use codegen::spec::Method;

use self::families::FamilyTable;
pub use self::families::{Family, MOUNT, UNSORTED};
use crate::build::{BuildError, Inputs, parse_method};
use crate::draft::Draft;

#[derive(Debug, Clone)]
pub struct AuthingOperation {
    pub sdk_method: String,
    pub method: String,
    pub path: String,
    pub inputs: Inputs,
    /// The SDK's request DTO (`CreateUserReqDto`), for operations with a JSON body.
    pub request_dto: Option<String>,
    /// The SDK's response DTO (`UserSingleRespDto`).
    pub response_dto: Option<String>,
}

impl AuthingOperation {
    /// The operation's name, which names its spec file and its method: the path below
    /// `/api/v3/`, its segments joined by `-` (`/api/v3/metadata/filter` → `metadata-filter`), so
    /// that every operation is a method of `pool.management()` itself.
    pub fn name(&self) -> String {
        let rest = self.path.trim_start_matches('/');
        let rest = rest.strip_prefix("api/v3/").unwrap_or(rest);
        rest.split('/').filter(|s| !s.is_empty()).map(|s| s.trim_start_matches('{').trim_end_matches('}')).collect::<Vec<_>>().join("-")
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuthingOperations {
    ops: Vec<AuthingOperation>,
    /// Summary (the doc title) → index, for pages that state no SDK method.
    summaries: Vec<(String, usize)>,
    families: FamilyTable,
}

const TABLE: &str = include_str!("../data/authing-operations.txt");
const SUMMARIES: &str = include_str!("../data/authing-summaries.txt");
const FAMILIES: &str = include_str!("../data/authing-families.txt");

/// The message prefix of a page that documents an authentication-API call, not a management
/// operation; stable, so that reports can count such pages apart from failures.
pub const NOT_MANAGEMENT: &str = "not a management operation:";

/// The message prefix of an older page that documents an operation another page documents too;
/// stable, like [`NOT_MANAGEMENT`].
pub const DUPLICATE_PAGE: &str = "duplicate page:";

impl AuthingOperations {
    /// The tables shipped with the importer.
    pub fn shipped() -> AuthingOperations {
        shipped().clone()
    }

    /// A table in the shipped format (`sdkMethod METHOD /path inputs [RequestDto ResponseDto]` per
    /// line, `-` for no DTO, and `sdkMethod title` per line for summaries), for operations the
    /// shipped one lacks. Its operations have no family of the shipped families file: they go
    /// to the unsorted family ([`UNSORTED`]).
    pub fn from_tables(table: &str, summaries: &str) -> AuthingOperations {
        let ops: Vec<AuthingOperation> = table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split(' ');
                let (sdk_method, method, path, inputs) = (f.next()?, f.next()?, f.next()?, f.next()?);
                let inputs = match inputs {
                    "query" => Inputs::Query,
                    "body" => Inputs::Body,
                    _ => Inputs::None,
                };
                let dto = |d: Option<&str>| d.filter(|d| !d.is_empty() && *d != "-").map(str::to_owned);
                let (request_dto, response_dto) = (dto(f.next()), dto(f.next()));
                Some(AuthingOperation { sdk_method: sdk_method.to_owned(), method: method.to_owned(), path: path.to_owned(), inputs, request_dto, response_dto })
            })
            .collect();
        let summaries = summaries
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (sdk, title) = l.split_once(' ')?;
                Some((title.to_owned(), ops.iter().position(|o| o.sdk_method == sdk)?))
            })
            .collect();
        AuthingOperations { ops, summaries, families: FamilyTable::default() }
    }

    /// This table with a families file in the shipped format (`data/authing-families.txt`).
    pub fn with_families(mut self, families: &str) -> AuthingOperations {
        self.families = FamilyTable::parse(families);
        self
    }

    /// This table and another: operations of `other` are found too.
    pub fn with(mut self, other: AuthingOperations) -> AuthingOperations {
        let offset = self.ops.len();
        self.ops.extend(other.ops);
        self.summaries.extend(other.summaries.into_iter().map(|(t, i)| (t, i + offset)));
        self.families.families.extend(other.families.families);
        self.families.pages.extend(other.families.pages);
        self.families.copies.extend(other.families.copies);
        self
    }

    /// `GetUser` or `getUser`.
    pub fn by_sdk_method(&self, name: &str) -> Option<&AuthingOperation> {
        let mut lower = name.to_owned();
        if let Some(first) = lower.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
        self.ops.iter().find(|o| o.sdk_method == lower)
    }

    pub fn by_path(&self, path: &str) -> Option<&AuthingOperation> {
        let mut matches = self.ops.iter().filter(|o| o.path == path);
        let first = matches.next()?;
        // Two operations on one path (GET and POST): the path alone does not tell.
        matches.next().is_none().then_some(first)
    }

    /// By [`AuthingOperation::name`] (`get-user`, `metadata-filter`), only when exactly one
    /// operation has it.
    pub fn by_name(&self, name: &str) -> Option<&AuthingOperation> {
        let mut matches = self.ops.iter().filter(|o| o.name() == name);
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    }

    /// Only when exactly one operation has this summary.
    pub fn by_summary(&self, title: &str) -> Option<&AuthingOperation> {
        let mut hits = self.summaries.iter().filter(|(t, _)| t == title.trim());
        let (_, i) = hits.next()?;
        hits.next().is_none().then(|| &self.ops[*i])
    }

    /// The summary (the doc title) of an operation.
    pub fn summary(&self, op: &AuthingOperation) -> Option<&str> {
        let at = self.ops.iter().position(|o| o.sdk_method == op.sdk_method)?;
        self.summaries.iter().find(|(_, i)| *i == at).map(|(t, _)| t.as_str())
    }

    /// The doc family of an operation: the shipped families file's, else the unsorted family.
    pub fn family_of(&self, op: &AuthingOperation) -> Family {
        self.families.family_of(&op.sdk_method)
    }

    /// Every family of the families file, in its order.
    pub fn families(&self) -> &[Family] {
        &self.families.families
    }

    /// The operations the families file gives a page, which are the ones the docs document.
    pub fn documented(&self) -> impl Iterator<Item = &AuthingOperation> {
        self.ops.iter().filter(|o| self.families.page_of(&o.sdk_method).is_some())
    }

    /// All operations of the table.
    pub fn all(&self) -> &[AuthingOperation] {
        &self.ops
    }
}

impl AuthingOperations {
    /// A page's service (its family, `management/users`), spec path
    /// (`management/users/get-user`), method, path and where its inputs go, from the table.
    ///
    /// A page that names an SDK method is that operation's when its name (the file stem) or its
    /// title agrees with the operation; else the operation its name is (two device pages share
    /// one SDK method); else it documents an authentication-API call ([`NOT_MANAGEMENT`]): the
    /// authentication pages of the Go reference name the same client and sometimes the same
    /// method as a management operation. A page that names none is matched by its name, then
    /// by its title. An older page beside the generated one is left out ([`DUPLICATE_PAGE`]).
    ///
    /// `page_name` is the file stem, or `<folder>/<stem>`: with the folder, a copy filed under
    /// another folder with the generated page's own name (获取审计日志) is told apart too.
    pub fn identify(&self, d: &Draft, page_name: &str) -> Result<(String, String, Method, String, Inputs), BuildError> {
        let stem = page_name.rsplit('/').next().unwrap_or(page_name);
        let op = self.match_page(d, stem)?;
        // A copy listed with its folder is one only where the page's folder is known.
        let is_copy = |page: &str| if page.contains('/') { page_name == page || page_name.ends_with(&format!("/{page}")) } else { page == stem };
        if let Some((_, sdk)) = self.families.copies.iter().find(|(page, sdk)| is_copy(page) && *sdk == op.sdk_method) {
            let page = self.families.page_of(sdk).unwrap_or_default();
            let folder = self.family_of(op).folder;
            return Err(BuildError {
                line: 1,
                message: format!(
                    "{DUPLICATE_PAGE} `{page_name}` is an older page of the operation `{sdk}` ({}), which is imported from its generated page `{folder}/{page}`",
                    op.path
                ),
            });
        }
        let method = parse_method(Some(&op.method)).ok_or_else(|| BuildError { line: 1, message: format!("unknown method {}", op.method) })?;
        let service = self.family_of(op).service();
        let rel_path = format!("{service}/{}", op.name());
        Ok((service, rel_path, method, op.path.clone(), op.inputs))
    }

    fn match_page(&self, d: &Draft, page_name: &str) -> Result<&AuthingOperation, BuildError> {
        let title = d.title.trim();
        let named = self.by_name(page_name);
        let Some(sdk) = d.sdk_method.as_deref() else {
            return named.or_else(|| self.by_summary(title)).ok_or_else(|| BuildError {
                line: 1,
                message: format!("no Authing operation matches this page (no SDK method, page `{page_name}`, title {title:?}); the doc pages state no method or path"),
            });
        };
        let by_sdk = self.by_sdk_method(sdk);
        if let Some(op) = by_sdk.filter(|op| op.name() == page_name || self.summary(op) == Some(title)) {
            return Ok(op);
        }
        if let Some(op) = named {
            return Ok(op);
        }
        let message = match by_sdk {
            Some(op) => format!(
                "{NOT_MANAGEMENT} the SDK method `{sdk}` is the management operation `{}` ({}, 「{}」), but neither the page's name `{page_name}` nor its title 「{title}」 is that operation's; the page documents an authentication-API call of the same name",
                op.sdk_method,
                op.path,
                self.summary(op).unwrap_or_default()
            ),
            None => format!(
                "{NOT_MANAGEMENT} the SDK method `{sdk}` (page `{page_name}`, title 「{title}」) names no Authing management operation; the page documents an authentication-API call"
            ),
        };
        Err(BuildError { line: 1, message })
    }
}

fn shipped() -> &'static AuthingOperations {
    static SHIPPED: OnceLock<AuthingOperations> = OnceLock::new();
    SHIPPED.get_or_init(|| AuthingOperations::from_tables(TABLE, SUMMARIES).with_families(FAMILIES))
}

/// The service declaration of a family, by its service directory (`management/users`): slug,
/// title and cargo feature. `None` for a directory that is no family: neither one of the shipped
/// file nor the unsorted family `management/misc` of the operations it does not place.
pub fn family(service_dir: &str) -> Option<Family> {
    shipped().families.by_service(service_dir)
}

/// Every family of the shipped file, in its order.
pub fn families() -> Vec<Family> {
    shipped().families.families.clone()
}

/// The doc page of an Authing operation, from its spec path (`management/users/get-user`): the
/// page the families file names, in its family's folder.
pub fn doc_url(rel_path: &str) -> String {
    const BASE: &str = "https://docs.authing.cn/v3/reference/sdk/go/management";
    let name = rel_path.rsplit('/').next().unwrap_or_default();
    let table = shipped();
    let service = rel_path.rsplit_once('/').map_or("", |(s, _)| s);
    let op = table.by_name(name);
    let folder = op.map(|op| table.family_of(op).folder).filter(|f| !f.is_empty()).or_else(|| family(service).map(|f| f.folder).filter(|f| !f.is_empty()));
    let page = op.and_then(|op| table.families.page_of(&op.sdk_method)).unwrap_or(name);
    match folder {
        Some(folder) => format!("{BASE}/{folder}/{page}.html"),
        None => format!("{BASE}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "\
getStock GET /api/v3/get-stock query - StockRespDto
getStocks GET /api/v3/list-stock query - StockListRespDto
moveStock POST /api/v3/move-stock body MoveStockDto IsSuccessRespDto
moveStock1 POST /api/v3/move-stock-now body MoveStockDto IsSuccessRespDto
listRow POST /api/v3/metadata/filter body FilterDto RowListRespDto
loose POST /loose-path body - -
";
    const SUMMARIES: &str = "getStock 查询库存\ngetStocks 库存列表\nmoveStock 移库(后台)\nmoveStock1 立即移库\nlistRow 筛选行\n";
    const FAMILIES: &str = "\
family stock 管理库存 管理库存
family metadata 管理数据对象
page getStock stock get-stock
page getStocks stock list-stock
page moveStock stock move-stock
page moveStock1 stock move-stock-now
page listRow metadata metadata-filter
copy stock-list getStocks
copy 旧库存/get-stock getStock
";

    fn ops() -> AuthingOperations {
        AuthingOperations::from_tables(TABLE, SUMMARIES).with_families(FAMILIES)
    }

    /// Identifies a page (its SDK method, name and title) and returns the spec path, or the message.
    #[track_caller]
    fn check(sdk: Option<&str>, page: &str, title: &str, expect: &str) {
        let d = Draft { title: title.to_owned(), sdk_method: sdk.map(str::to_owned), ..Draft::default() };
        let got = match ops().identify(&d, page) {
            Ok((service, rel, method, path, _)) => {
                assert!(rel.starts_with(&format!("{service}/")), "{rel} is not under {service}");
                format!("{rel} {} {path}", method.as_str())
            }
            Err(e) => e.message,
        };
        assert!(got.starts_with(expect), "expected {expect:?}, got {got:?}");
    }

    #[test]
    fn pages_are_matched_by_sdk_method_name_and_title() {
        // The SDK method, with the page's name or title agreeing.
        check(Some("GetStock"), "get-stock", "anything", "management/stock/get-stock GET /api/v3/get-stock");
        check(Some("getStocks"), "stocks-page", "库存列表", "management/stock/list-stock GET /api/v3/list-stock");
        // The page's name is another operation's: that one (two pages sharing one SDK method).
        check(Some("MoveStock"), "move-stock-now", "立即移库", "management/stock/move-stock-now POST /api/v3/move-stock-now");
        // No SDK method: the name, then the title.
        check(None, "get-stock", "", "management/stock/get-stock GET");
        check(None, "some-page", "库存列表", "management/stock/list-stock GET");
        check(None, "some-page", "没有这个标题", "no Authing operation matches this page");
        // Nested paths are flattened into one name; a path outside /api/v3 keeps its own.
        check(Some("ListRow"), "metadata-filter", "", "management/metadata/metadata-filter POST /api/v3/metadata/filter");
        // An operation the families file does not place goes to the unsorted family.
        check(Some("Loose"), "loose-path", "", "management/misc/loose-path POST /loose-path");
    }

    #[test]
    fn authentication_pages_are_not_management_operations() {
        // An SDK method the table does not have, even though the title is a summary of it.
        check(Some("GetMyStockList"), "get-my-stock-list", "库存列表", "not a management operation: the SDK method `GetMyStockList`");
        // An SDK method of the table, but neither name nor title is that operation's.
        check(Some("GetStock"), "get-my-stock", "查询我的库存", "not a management operation: the SDK method `GetStock` is the management operation `getStock`");
    }

    #[test]
    fn an_older_copy_of_a_page_is_a_duplicate() {
        check(None, "stock-list", "库存列表", "duplicate page: `stock-list` is an older page of the operation `getStocks`");
        check(None, "旧库存/stock-list", "库存列表", "duplicate page: `旧库存/stock-list`");
        // The copy line is for its own operation only.
        check(None, "stock-list-2", "库存列表", "management/stock/list-stock");
        // A copy filed under another folder with the page's own name: told apart by the folder.
        check(Some("GetStock"), "旧库存/get-stock", "", "duplicate page: `旧库存/get-stock` is an older page of the operation `getStock`");
        check(Some("GetStock"), "管理库存/get-stock", "", "management/stock/get-stock GET");
        check(Some("GetStock"), "get-stock", "", "management/stock/get-stock GET");
    }

    #[test]
    fn operation_names() {
        let t = ops();
        let name = |sdk: &str| t.by_sdk_method(sdk).map(AuthingOperation::name);
        assert_eq!(name("listRow").as_deref(), Some("metadata-filter"));
        assert_eq!(name("loose").as_deref(), Some("loose-path"));
        let braces = AuthingOperation { path: "/api/v3/ip-list/{id}".to_owned(), ..t.by_sdk_method("loose").cloned().expect("loose") };
        assert_eq!(braces.name(), "ip-list-id");
        assert_eq!(t.by_sdk_method("moveStock").and_then(|o| o.request_dto.as_deref()), Some("MoveStockDto"));
        assert_eq!(t.by_sdk_method("loose").and_then(|o| o.response_dto.as_deref()), None);
    }

    #[test]
    fn families_declare_their_services() {
        let t = ops();
        let stock = t.family_of(t.by_sdk_method("getStock").expect("getStock"));
        assert_eq!(
            (stock.slug.as_str(), stock.title.as_str(), stock.feature.as_str(), stock.folder.as_str(), stock.service()),
            ("stock", "管理库存", "authing-stock", "管理库存", "management/stock".to_owned())
        );
        // A family line without a title takes its folder's name.
        assert_eq!(t.families()[1].title, "管理数据对象");
        assert_eq!(stock.mount(), "management");
    }

    #[test]
    fn the_shipped_families() {
        let users = family("management/users").expect("the users family");
        assert_eq!((users.slug.as_str(), users.title.as_str(), users.feature.as_str()), ("users", "管理用户", "authing-users"));
        assert_eq!(family("management/public_accounts").map(|f| f.feature).as_deref(), Some("authing-public-accounts"));
        assert_eq!(family("management/misc").map(|f| f.feature).as_deref(), Some("authing-misc"));
        assert_eq!(family("management"), None);
        assert_eq!(family("management/nothing"), None);
        assert_eq!(family("users"), None);
        let fs = families();
        assert!(fs.iter().all(|f| family(&f.service()).as_ref() == Some(f)), "{fs:?}");
        assert!(fs.iter().all(|f| !f.slug.is_empty() && f.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')), "{fs:?}");
    }

    #[test]
    fn the_shipped_tables_agree_with_each_other() {
        let t = AuthingOperations::shipped();
        assert_eq!(t.all().len(), 501, "497 operations of the Node SDK and 4 of the C# SDK");
        let slugs: Vec<&str> = t.families().iter().map(|f| f.slug.as_str()).collect();
        for (sdk, slug, page) in &t.families.pages {
            assert!(t.by_sdk_method(sdk).is_some(), "page line for `{sdk}`, which the table lacks");
            assert!(slugs.contains(&slug.as_str()), "page line for `{sdk}` names the undeclared family `{slug}`");
            assert!(!page.is_empty());
        }
        for (page, sdk) in &t.families.copies {
            assert!(t.families.page_of(sdk).is_some_and(|p| p != page), "copy `{page}` of `{sdk}`, which has no other page");
        }
        // Every documented operation has a name of its own: one method of `pool.management()`.
        let mut names: Vec<String> = t.documented().map(AuthingOperation::name).collect();
        let documented = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), documented, "two documented operations share a name");
        assert_eq!(documented, 362);
    }

    #[test]
    fn doc_links_point_at_the_page_in_its_folder() {
        const BASE: &str = "https://docs.authing.cn/v3/reference/sdk/go/management";
        assert_eq!(doc_url("management/users/get-user"), format!("{BASE}/管理用户/get-user.html"));
        // The page's own name, where it differs from the operation's.
        assert_eq!(doc_url("management/data_objects/get-row-batch"), format!("{BASE}/管理数据对象/-get-row-batch.html"));
        assert_eq!(doc_url("management/devices/delete-device"), format!("{BASE}/管理终端设备/delete-device.html"));
        // An operation the table does not know: its family's folder, else the reference.
        assert_eq!(doc_url("management/roles/made-up"), format!("{BASE}/管理角色/made-up.html"));
        assert_eq!(doc_url("management/misc/made-up"), format!("{BASE}/"));
    }
}
