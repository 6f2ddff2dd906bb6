//! One doc page as read, before interpretation: the page's facts and its tables as rows, each
//! with the line it came from. Every format parser produces a `Draft`; `build` turns it into specs.

/// Which vendor and which way the page was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Feishu Markdown, as in `shared/docs/feishu/` (response rows nested with `&nbsp;&nbsp;└`).
    FeishuMarkdown,
    /// Feishu pages exported to text (pipe tables without outer pipes, rows flat).
    FeishuExport,
    /// Authing Markdown, as in `shared/docs/authing/management/users/`.
    AuthingMarkdown,
    /// Authing pages rendered to text (`¶` headings).
    AuthingText,
}

impl Format {
    pub fn vendor(self) -> &'static str {
        match self {
            Format::FeishuMarkdown | Format::FeishuExport => "feishu",
            Format::AuthingMarkdown | Format::AuthingText => "authing",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::FeishuMarkdown => "Feishu Markdown",
            Format::FeishuExport => "Feishu export",
            Format::AuthingMarkdown => "Authing Markdown",
            Format::AuthingText => "Authing text",
        }
    }
}

/// A page's facts. Text fields hold the page's text with Markdown markup removed (links keep
/// their text; `<br>` and list items become line breaks). `None` or empty means the page does
/// not say.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    /// The page's introduction, below the title.
    pub description: Option<String>,
    /// `source_url` (Feishu export front matter) or a URL built from `fullPath` (Feishu Markdown).
    pub doc_url: Option<String>,
    /// `fullPath` of Feishu Markdown front matter, e.g. `/uAjLw4CM/ukTMukTMukTM/acs-v1/user/get`.
    pub full_path: Option<String>,
    /// `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// `GET`, … (Feishu pages state it; Authing pages do not).
    pub method: Option<String>,
    /// The full URL or path as the page writes it, e.g. `https://open.feishu.cn/open-apis/acs/v1/users/:user_id`.
    pub url: Option<String>,
    /// The page line of the URL (0 when the page does not state it, or the format has no lines for it).
    pub url_line: usize,
    /// Authing: the SDK method name from `方法名称` (`ManagementClient.GetUser` → `GetUser`).
    pub sdk_method: Option<String>,
    /// Feishu `支持的应用类型` (`custom`, `isv`, or the page's Chinese words).
    pub app_types: Vec<String>,
    /// Feishu: the token kinds named in the `Authorization` header row (`tenant_access_token`, …).
    pub token_kinds: Vec<String>,
    /// `(scope, description)` from `权限要求`.
    pub scopes: Vec<(String, String)>,
    /// `(scope, description)` from `字段权限要求`.
    pub field_scopes: Vec<(String, String)>,
    /// The rate-limit tier, when the page states one.
    pub rate_limit: Option<String>,
    pub path_params: Vec<Row>,
    pub query_params: Vec<Row>,
    /// Header rows other than `Authorization` and `Content-Type`.
    pub header_params: Vec<Row>,
    /// The request body table; `multipart` when a row is of type `file` or the page says
    /// `multipart/form-data`.
    pub body: Vec<Row>,
    pub body_multipart: bool,
    /// The response body table as written (Feishu: including `code`, `msg`, `data`; Authing:
    /// `statusCode`, `message`, …, `data`).
    pub response: Vec<Row>,
    /// Authing: the response DTO name (`类型： UserSingleRespDto`).
    pub response_type: Option<String>,
    /// The answer is a file (Feishu download pages: no response table, or the page says so).
    pub response_binary: bool,
    /// The examples' text, verbatim (JSON for most pages).
    pub request_example: Option<Located<String>>,
    pub response_example: Option<Located<String>>,
    pub errors: Vec<ErrorRow>,
    /// Authing `数据结构` sections: a named type and its rows.
    pub types: Vec<TypeSection>,
    /// Problems the parser saw in the page itself (a row with no name cell, …).
    pub warnings: Vec<Warning>,
    /// Where the page says the API is superseded, or points to its replacement.
    pub notice: Option<Notice>,
}

/// A page's own word that its API is old: a notice near the top (`本接口不再推荐使用，请使用[…](…)`)
/// or a title marked `（不推荐）`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub line: usize,
    /// The notice as plain text, each link kept as `text (url)`; empty when only the title says so.
    pub text: String,
    /// The page itself says the API is deprecated (not only where a newer one is).
    pub deprecates: bool,
}

/// A value and the 1-based line of the page it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

/// One row of a parameter or body table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub line: usize,
    /// Nesting depth: 0 for top-level rows, 1 for `└` under one `&nbsp;&nbsp;`, and so on.
    pub depth: usize,
    pub name: String,
    /// The type token as written, markup removed: `string`, `int`, `user_external[]`, `UserDto`, `-`.
    pub ty: String,
    /// `是`/`否`, `true`/`false`; `None` when the table has no such column.
    pub required: Option<bool>,
    /// The default value as written (`-` is no default), markup removed.
    pub default: Option<String>,
    /// The description cell, markup removed, `<br>` as line breaks.
    pub description: String,
    /// An example from an `示例值` column (Authing) when the table has one.
    pub example: Option<String>,
    /// Authing: the type named by `嵌套类型：<a href="#IdentityDto">IdentityDto</a>` or a link in the type cell.
    pub nested_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    pub line: usize,
    pub http_status: Option<u16>,
    pub code: i64,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeSection {
    pub line: usize,
    pub name: String,
    pub rows: Vec<Row>,
}

/// A defect of the doc page, and what the importer did about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: usize,
    pub kind: WarningKind,
    /// What is wrong and what the importer chose, as one sentence.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarningKind {
    /// A row whose name cell is empty.
    MissingName,
    /// The example's value does not have the table's type (a string-encoded array, …).
    ExampleTypeMismatch,
    /// A field the table lists is missing from the example, or the example has one the table lacks.
    ExampleFieldMismatch,
    /// An example enum value outside the listed values.
    ExampleEnumValue,
    /// The rows are flat; nesting was recovered from the example.
    NestingFromExample,
    /// The same field twice in one object.
    DuplicateField,
    /// A named type that neither the page nor any other page of the corpus defines: the field
    /// is free-form JSON.
    UnknownTypeToken,
    /// The page states no type (`-`, `/`, an empty cell, prose): the field is free-form JSON.
    NoTypeStated,
    /// `object` (or a bare `map`, `json`, `any`) with no fields listed: free-form JSON.
    ObjectWithoutFields,
    /// `union` or `interface`: a value of several shapes, which the spec format cannot say; free-form JSON.
    UnionType,
    /// A named type the page uses without its fields, defined on another page of the corpus,
    /// whose fields were used.
    TypeFromOtherPage,
    /// Anything else the page gets wrong.
    Other,
}

impl WarningKind {
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::MissingName => "row without a name",
            WarningKind::ExampleTypeMismatch => "example contradicts the table's type",
            WarningKind::ExampleFieldMismatch => "example and table list different fields",
            WarningKind::ExampleEnumValue => "example value outside the listed values",
            WarningKind::NestingFromExample => "nesting recovered from the example",
            WarningKind::DuplicateField => "duplicate field",
            WarningKind::UnknownTypeToken => "unknown type token",
            WarningKind::NoTypeStated => "free-form JSON: no type stated",
            WarningKind::ObjectWithoutFields => "free-form JSON: object without fields",
            WarningKind::UnionType => "free-form JSON: union type",
            WarningKind::TypeFromOtherPage => "type defined on another page",
            WarningKind::Other => "other",
        }
    }
}
