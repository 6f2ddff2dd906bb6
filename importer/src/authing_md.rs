//! Authing Markdown pages (`shared/docs/authing/management/users/*.md`) into a [`Draft`].
//!
//! A page is `# title`, an introduction, `## 方法名称` (`ManagementClient.GetUser`), `## 请求参数`
//! (名称/类型/是否必填/默认值/描述/示例值), `## 示例代码` (ignored), `## 请求响应` (`类型：` the
//! response DTO, its table, `示例结果：` and a fenced JSON block) and `## 数据结构`, one `###`
//! section per DTO (`### <a id="UserDto"></a> UserDto`, 名称/类型/是否必填/描述/示例值).
//!
//! The table reading shared with the Authing text format ([`crate::authing_text`]) lives here too:
//! both formats have the same tables, one written in Markdown, the other rendered.
//!
//! Two habits of the generated pages are undone while reading. An example cell whose code span
//! runs over several lines (a function's source, a CSS block) would end the Markdown table at its
//! first line break; such a row is joined into one line before parsing, and every line reported
//! is the page's own. An answer documented without Authing's envelope (only the payload DTO's
//! rows, no `statusCode`) is read as the envelope's `data`, since every answer carries it.

use std::collections::HashSet;
use std::fmt;

use crate::draft::{Draft, Located, Row, TypeSection, Warning, WarningKind};
use crate::markdown::{self, Cell, Section, Table, TableRow};

/// Why a page could not be read as an Authing API page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the page the problem is at (1 when it concerns the whole page).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Reads an Authing Markdown page. `Err` only when the page has neither a `请求参数` nor a
/// `请求响应` section (not an API page) or is empty; the page's defects go to `warnings`.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError { line: 1, message: "the page is empty".to_owned() });
    }
    let (joined, starts) = join_spread_rows(text);
    let mut draft = parse_joined(&joined)?;
    restore_lines(&mut draft, &starts);
    Ok(draft)
}

/// [`parse`] of a page whose spread rows are joined; its lines are the joined text's.
fn parse_joined(text: &str) -> Result<Draft, ParseError> {
    let sections = markdown::sections(text);
    let find = |name: &str| sections.iter().position(|s| s.level > 0 && heading_is(&s.heading, name));
    let params_at = find("请求参数");
    let response_at = find("请求响应");
    if params_at.is_none() && response_at.is_none() {
        return Err(ParseError { line: 1, message: "not an API page: it has no 请求参数 and no 请求响应 section".to_owned() });
    }

    let mut draft = Draft::default();
    let lines: Vec<&str> = text.lines().collect();

    match sections.iter().find(|s| s.level == 1) {
        Some(title) => {
            draft.title = title.heading.clone();
            draft.description = description(title, &lines);
        }
        None => draft.warnings.push(Warning { line: 1, kind: WarningKind::Other, message: "the page has no `#` title; the title is left empty".to_owned() }),
    }
    draft.updated = lines.iter().find_map(|l| updated_date(l));

    match find("方法名称") {
        Some(i) => {
            let section = &sections[i];
            draft.sdk_method = section.paragraphs.first().and_then(|(_, p)| sdk_method(p));
            if draft.sdk_method.is_none() {
                draft
                    .warnings
                    .push(Warning { line: section.line, kind: WarningKind::Other, message: "the 方法名称 section names no method; sdk_method is left empty".to_owned() });
            }
        }
        None => draft.warnings.push(Warning { line: 1, kind: WarningKind::Other, message: "the page has no 方法名称 section; sdk_method is left empty".to_owned() }),
    }

    if let Some(i) = params_at {
        for table in &sections[i].tables {
            draft.query_params.extend(read_table(table, false, &mut draft.warnings));
        }
    }

    if let Some(i) = response_at {
        let section = &sections[i];
        draft.response_type = section.paragraphs.iter().find_map(|(_, p)| response_type(p));
        for table in &section.tables {
            draft.response.extend(read_table(table, false, &mut draft.warnings));
        }
        if let Some((fence, _, code)) = section.code.first() {
            let fenced = lines.get(fence.saturating_sub(1)).is_some_and(|l| {
                let l = l.trim_start();
                l.starts_with("```") || l.starts_with("~~~")
            });
            let line = if fenced { fence + 1 } else { *fence };
            draft.response_example = Some(Located { value: code.trim_end().to_owned(), line });
        }
    }

    if let Some(i) = find("数据结构") {
        let level = sections[i].level;
        for section in sections[i + 1..].iter().take_while(|s| s.level > level) {
            let name = section.anchors.first().cloned().unwrap_or_else(|| section.heading.clone());
            let rows: Vec<Row> = section.tables.iter().flat_map(|t| read_table(t, false, &mut draft.warnings)).collect();
            push_type(&mut draft, TypeSection { line: section.line, name, rows });
        }
    }
    relink_orphan(&mut draft);
    arrays_by_example(&mut draft);
    if let Some(i) = response_at {
        envelope(&mut draft, sections[i].line);
    }
    enum_sections(&mut draft);
    warn_empty_types(&mut draft);

    Ok(draft)
}

/// A link to a type the page does not describe, on a page with one described type that nothing
/// links to: the link means that type (a page copied from a sibling kept the sibling's name in
/// its `data` row). Both are the page's own facts; anything less certain is left as it is.
fn relink_orphan(draft: &mut Draft) {
    let defined: Vec<String> = draft.types.iter().map(|t| t.name.clone()).collect();
    let rows = || draft.query_params.iter().chain(&draft.response).chain(draft.types.iter().flat_map(|t| &t.rows));
    let mut missing: Vec<String> = rows().filter_map(|r| r.nested_type.clone()).filter(|n| !defined.contains(n)).collect();
    missing.sort();
    missing.dedup();
    let orphans: Vec<&String> = defined.iter().filter(|d| !rows().any(|r| r.nested_type.as_ref() == Some(*d))).collect();
    let ([missing], [orphan]) = (missing.as_slice(), orphans.as_slice()) else { return };
    let orphan = (*orphan).clone();
    let mut first = None;
    let rows = draft.query_params.iter_mut().chain(&mut draft.response).chain(draft.types.iter_mut().flat_map(|t| &mut t.rows));
    for row in rows.filter(|r| r.nested_type.as_ref() == Some(missing)) {
        first.get_or_insert(row.line);
        row.nested_type = Some(orphan.clone());
        if row.ty.trim().trim_end_matches("[]") == missing {
            row.ty = row.ty.replacen(missing.as_str(), &orphan, 1);
        }
    }
    draft.warnings.push(Warning {
        line: first.unwrap_or(1),
        kind: WarningKind::Other,
        message: format!("the page links to the type `{missing}`, which it does not describe, and describes `{orphan}`, which nothing links to; the link is read as `{orphan}`"),
    });
}

/// A row typed as one object of a DTO (`children | TreeStructs`) whose own example is a list of
/// such objects (`[{"code":"code1",…}]`) holds a list: the type becomes `TreeStructs[]`, with a
/// warning, since the row contradicts itself and the list is what answers carry.
pub(crate) fn arrays_by_example(draft: &mut Draft) {
    let rows = draft.query_params.iter_mut().chain(&mut draft.response).chain(draft.types.iter_mut().flat_map(|t| &mut t.rows));
    let mut warnings = Vec::new();
    for row in rows {
        let Some(dto) = row.nested_type.as_deref() else { continue };
        let listed = row.example.as_deref().and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok());
        let of_objects = listed.as_ref().and_then(serde_json::Value::as_array).is_some_and(|items| items.first().is_some_and(serde_json::Value::is_object));
        if row.ty.trim() == dto && of_objects {
            row.ty = format!("{dto}[]");
            warnings.push(Warning {
                line: row.line,
                kind: WarningKind::ExampleTypeMismatch,
                message: format!("`{}` is typed one `{dto}` but its example is a list of them; it is read as `{dto}[]`", row.name),
            });
        }
    }
    draft.warnings.extend(warnings);
}

/// A `数据结构` section whose rows are all of type `enum` (`| STRING | enum | 字符串类型 |`)
/// lists the values of an enum, not the fields of an object: it is no type of its own, and the
/// rows that link to it get its values as a `- value: meaning` list in their description (unless
/// they list values already).
pub(crate) fn enum_sections(draft: &mut Draft) {
    let is_enum = |t: &TypeSection| !t.rows.is_empty() && t.rows.iter().all(|r| r.ty.trim().eq_ignore_ascii_case("enum") && !r.name.is_empty());
    let (enums, types): (Vec<TypeSection>, Vec<TypeSection>) = std::mem::take(&mut draft.types).into_iter().partition(is_enum);
    draft.types = types;
    for e in enums {
        let list: Vec<String> = e.rows.iter().map(|r| if r.description.is_empty() { format!("- {}", r.name) } else { format!("- {}: {}", r.name, r.description) }).collect();
        let rows = draft.query_params.iter_mut().chain(&mut draft.response).chain(draft.types.iter_mut().flat_map(|t| &mut t.rows));
        for row in rows.filter(|r| r.nested_type.as_deref() == Some(e.name.as_str())) {
            row.nested_type = None;
            if !row.description.contains("\n- ") {
                row.description = format!("{}\n{}", row.description.trim_end(), list.join("\n"));
            }
        }
    }
}

/// What joins the lines of a spread row; read back as a line break in the cell.
const JOINT: char = '\u{2028}';

/// The page with each table row whose code span runs over several lines joined into one line
/// (its lines joined by [`JOINT`]), and the page line each line of the result starts at. A row
/// is joined up to the line where its code spans close and the row ends with `|`; one that
/// never does within a screenful is left as it is.
fn join_spread_rows(text: &str) -> (String, Vec<usize>) {
    const MOST: usize = 80;
    let lines: Vec<&str> = text.lines().collect();
    let (mut out, mut starts) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let opens = line.trim_start().starts_with('|') && !line.matches('`').count().is_multiple_of(2);
        let end = opens
            .then(|| {
                let mut ticks = line.matches('`').count();
                (i + 1..lines.len().min(i + MOST)).find(|&j| {
                    ticks += lines[j].matches('`').count();
                    ticks.is_multiple_of(2) && lines[j].trim_end().ends_with('|')
                })
            })
            .flatten();
        match end {
            Some(end) => {
                out.push(lines[i..=end].join(&JOINT.to_string()));
                starts.push(i + 1);
                i = end + 1;
            }
            None => {
                out.push(line.to_owned());
                starts.push(i + 1);
                i += 1;
            }
        }
    }
    (out.join("\n"), starts)
}

/// Puts the page's own lines back: `starts[n - 1]` is the page line of line `n` of the joined text.
fn restore_lines(draft: &mut Draft, starts: &[usize]) {
    let line = |n: &mut usize| {
        if *n >= 1
            && let Some(&page) = starts.get(*n - 1)
        {
            *n = page;
        }
    };
    let rows = draft.path_params.iter_mut().chain(&mut draft.query_params).chain(&mut draft.header_params).chain(&mut draft.body).chain(&mut draft.response);
    rows.for_each(|r| line(&mut r.line));
    for t in &mut draft.types {
        line(&mut t.line);
        t.rows.iter_mut().for_each(|r| line(&mut r.line));
    }
    draft.warnings.iter_mut().for_each(|w| line(&mut w.line));
    if let Some(e) = &mut draft.response_example {
        line(&mut e.line);
    }
}

/// An answer documented without Authing's envelope, read as the envelope's `data`: every answer
/// of the vendor is `{statusCode, message, data}`, yet some pages give only the payload DTO's
/// rows (`类型：CreatePostDto`, `code`, `name`, …) and example, or a `data` row with no
/// `statusCode`. The payload's rows become the DTO's type (an empty one: no `data` at all), and
/// the example is wrapped in `{"statusCode": 200, "data": …}`, with a warning at `line`.
pub(crate) fn envelope(draft: &mut Draft, line: usize) {
    let has_row = |name: &str| draft.response.iter().any(|r| r.depth == 0 && r.name == name);
    let example: Option<serde_json::Value> = draft.response_example.as_ref().and_then(|e| serde_json::from_str(&e.value).ok());
    let example_has = |key: &str| example.as_ref().is_some_and(|v| v.get(key).is_some());
    // Nothing to read differently: the envelope is there, or there is only a `data` row (the
    // envelope's other rows are implied) and no example to complete.
    if has_row("statusCode") || example_has("statusCode") || (example.is_none() && (draft.response.is_empty() || has_row("data"))) {
        return;
    }
    let what = if has_row("data") {
        "its `data` row has no `statusCode` beside it; the example gets `\"statusCode\": 200`".to_owned()
    } else {
        let rows = std::mem::take(&mut draft.response);
        let dto = draft.response_type.clone().filter(|t| !t.is_empty());
        match (rows.first().map(|r| r.line), dto) {
            (Some(first), Some(dto)) => {
                if !draft.types.iter().any(|t| t.name == dto) {
                    draft.types.push(TypeSection { line, name: dto.clone(), rows });
                }
                draft.response.push(Row {
                    line: first,
                    name: "data".to_owned(),
                    ty: dto.clone(),
                    description: "响应数据".to_owned(),
                    nested_type: Some(dto.clone()),
                    ..Row::default()
                });
            }
            // No DTO to name the payload after: its rows nest under an inline `data`.
            (Some(first), None) => {
                draft.response.push(Row { line: first, name: "data".to_owned(), ty: "object".to_owned(), description: "响应数据".to_owned(), ..Row::default() });
                draft.response.extend(rows.into_iter().map(|r| Row { depth: r.depth + 1, ..r }));
            }
            (None, _) => {}
        }
        match &draft.response_type {
            Some(dto) => format!("its rows and example are the payload `{dto}`, read as the envelope's `data`; the example is wrapped in `{{\"statusCode\": 200, \"data\": …}}`"),
            None => "its rows and example are the payload, read as the envelope's `data`; the example is wrapped in `{\"statusCode\": 200, \"data\": …}`".to_owned(),
        }
    };
    if let (Some(value), Some(located)) = (example, draft.response_example.as_mut()) {
        let wrapped = match value {
            serde_json::Value::Object(map) if map.contains_key("data") => {
                let mut out = serde_json::Map::new();
                out.insert("statusCode".to_owned(), serde_json::Value::from(200));
                out.extend(map);
                out
            }
            payload => {
                let mut out = serde_json::Map::new();
                out.insert("statusCode".to_owned(), serde_json::Value::from(200));
                out.insert("data".to_owned(), payload);
                out
            }
        };
        located.value = serde_json::to_string_pretty(&serde_json::Value::Object(wrapped)).unwrap_or_default();
    }
    draft.warnings.push(Warning { line, kind: WarningKind::Other, message: format!("the answer is documented without Authing's envelope: {what}") });
}

/// Adds a `数据结构` type. A page often lists a DTO again: the same rows again are nothing new;
/// a first section without rows gives way to the second; rows only the second lists are added
/// to the first (with a warning, as the page contradicts itself).
pub(crate) fn push_type(draft: &mut Draft, section: TypeSection) {
    let Some(have) = draft.types.iter_mut().find(|t| t.name == section.name) else {
        draft.types.push(section);
        return;
    };
    let key = |r: &Row| (r.name.clone(), r.ty.clone(), r.required, r.default.clone(), r.description.clone(), r.example.clone(), r.nested_type.clone());
    if have.rows.iter().map(key).eq(section.rows.iter().map(key)) || section.rows.is_empty() {
        return;
    }
    let message = if have.rows.is_empty() {
        let name = section.name.clone();
        *have = section.clone();
        format!("the type `{name}` is described twice, first without rows; the second section's rows are used")
    } else {
        let added: Vec<Row> = section.rows.iter().filter(|r| !have.rows.iter().any(|h| h.name == r.name)).cloned().collect();
        let names: Vec<String> = added.iter().map(|r| format!("`{}`", r.name)).collect();
        have.rows.extend(added);
        if names.is_empty() {
            format!("the type `{}` is described twice with different rows; the first section's are kept", section.name)
        } else {
            format!("the type `{}` is described twice with different rows; the first section's are kept, and {} only the second lists are added", section.name, names.join(", "))
        }
    };
    draft.warnings.push(Warning { line: section.line, kind: WarningKind::Other, message });
}

/// Warns of each `数据结构` type left without rows (after every section of the page is read:
/// a later section of the same name may give them).
pub(crate) fn warn_empty_types(draft: &mut Draft) {
    for t in draft.types.iter().filter(|t| t.rows.is_empty()) {
        draft.warnings.push(Warning {
            line: t.line,
            kind: WarningKind::Other,
            message: format!("the 数据结构 section `{}` has no table rows; the type is kept with no fields", t.name),
        });
    }
}

/// Whether a heading is the section `name` (`请求参数`, …), ignoring spaces and a trailing colon.
pub(crate) fn heading_is(heading: &str, name: &str) -> bool {
    heading.trim().trim_end_matches([':', '：']).trim() == name
}

/// The introduction: the title section's paragraphs without the generator's blockquote.
fn description(title: &Section, lines: &[&str]) -> Option<String> {
    let paragraphs: Vec<String> = title
        .paragraphs
        .iter()
        .filter(|(line, p)| {
            let source = lines.get(line.saturating_sub(1)).map_or("", |l| l.trim_start());
            !(is_boilerplate(p) || (source.starts_with('>') && p.contains("自动生成")) || updated_date(p).is_some())
        })
        .map(|(_, p)| p.replace('`', ""))
        .collect();
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// `此文档根据 … 自动生成 …`, the docs generator's note, or a lone HTML tag (`<LastUpdated />`).
pub(crate) fn is_boilerplate(text: &str) -> bool {
    let t = text.trim().trim_start_matches('>').trim();
    (t.starts_with("此文档根据") && t.contains("自动生成")) || (t.starts_with('<') && t.ends_with('>'))
}

/// `更新时间: 2025-08-20 12:33:28` → `2025-08-20`.
pub(crate) fn updated_date(line: &str) -> Option<String> {
    let rest = &line[line.find("更新时间")? + "更新时间".len()..];
    let rest = rest.trim_start().strip_prefix([':', '：'])?.trim_start();
    let date: String = rest.chars().take(10).collect();
    let b = date.as_bytes();
    let ok = b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' || *c == b'/' } else { c.is_ascii_digit() });
    ok.then(|| date.replace('/', "-"))
}

/// `` `ManagementClient.GetUser` `` → `GetUser`.
pub(crate) fn sdk_method(text: &str) -> Option<String> {
    let t = text.replace('`', "");
    let t = t.trim();
    let name = t.rsplit('.').next().unwrap_or(t).trim();
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| name.to_owned())
}

/// `类型： \`UserSingleRespDto\`` (or `类型: UserSingleRespDto`) → `UserSingleRespDto`.
pub(crate) fn response_type(text: &str) -> Option<String> {
    let rest = text.trim().strip_prefix("类型")?.trim_start().strip_prefix([':', '：'])?;
    let name = rest.replace('`', "");
    let name = name.trim().trim_end_matches(['。', '.']).trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// The type tokens a name cell never holds; a row starting with one has lost its name cell.
fn is_type_word(text: &str) -> bool {
    let t = text.trim().trim_end_matches("[]").to_ascii_lowercase();
    matches!(t.as_str(), "string" | "number" | "integer" | "int" | "int32" | "int64" | "long" | "float" | "double" | "boolean" | "bool" | "array" | "object" | "file")
}

fn is_yes_no(text: &str) -> bool {
    required(text).is_some()
}

fn required(text: &str) -> Option<bool> {
    match text.trim() {
        "是" | "必填" | "true" | "True" | "yes" | "Y" => Some(true),
        "否" | "非必填" | "选填" | "false" | "False" | "no" | "N" => Some(false),
        _ => None,
    }
}

/// A cell's text with its inline code spans unwrapped (`` `a` `` → `a`), and the line breaks of
/// a spread row back in place.
fn plain(cell: &Cell) -> String {
    let mut text = cell.text.clone();
    for code in &cell.code {
        let quoted = format!("`{code}`");
        if let Some(at) = text.find(&quoted) {
            text.replace_range(at..at + quoted.len(), code);
        }
    }
    text.replace(JOINT, "\n").trim().to_owned()
}

/// An example cell that lists values and their meanings (`- 0: 原始数据` lines) rather than
/// giving an example: the list, one item a line.
fn value_list(example: &str) -> Option<String> {
    let items: Vec<&str> = example.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    (items.len() >= 2 && items.iter().all(|l| l.starts_with("- "))).then(|| items.join("\n"))
}

/// The id of a `#X` link in a cell.
fn anchor_link(cell: &Cell) -> Option<String> {
    cell.links.iter().find_map(|(_, href)| href.strip_prefix('#').map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()))
}

/// `… 嵌套类型：IdentityDto。` → `IdentityDto`.
pub(crate) fn nested_in_description(description: &str) -> Option<String> {
    let rest = &description[description.find("嵌套类型")? + "嵌套类型".len()..];
    let rest = rest.trim_start().trim_start_matches([':', '：']).trim_start();
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.').collect();
    let name = name.trim_end_matches('.');
    (!name.is_empty()).then(|| name.to_owned())
}

/// Splits `描述 示例值: x` into the description and `x` (Authing text format: the example sits in the description).
pub(crate) fn split_example(description: &str) -> (String, Option<String>) {
    let found = ["示例值:", "示例值："].iter().filter_map(|m| description.rfind(m).map(|at| (at, m.len()))).max();
    match found {
        Some((at, len)) => {
            let example = description[at + len..].trim();
            let example = example.trim_matches('`').trim();
            (description[..at].trim_end().to_owned(), (!example.is_empty()).then(|| example.to_owned()))
        }
        None => (description.to_owned(), None),
    }
}

/// Reads one parameter/field table into rows: columns found by their header (名称, 类型,
/// 必填, 默认值, 描述, 示例值), a row missing its name cell kept with an empty name (its cells put
/// back in place when they slid left), a repeated name dropped. `examples_in_description`: the
/// text format's `示例值: …` at the end of a description becomes the example.
pub(crate) fn read_table(table: &Table, examples_in_description: bool, warnings: &mut Vec<Warning>) -> Vec<Row> {
    let columns = table.header.len();
    let name_col = table.column(&["名称", "参数名", "字段"]).unwrap_or(0);
    let ty_col = table.column(&["类型"]);
    let required_col = table.column(&["必填"]);
    let default_col = table.column(&["默认值"]);
    let description_col = table.column(&["描述", "说明"]);
    let example_col = table.column(&["示例值", "示例"]);

    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for source in &table.rows {
        let shifted = name_col == 0 && ty_col == Some(1) && is_shifted(source, columns, required_col);
        let row = if shifted {
            let mut cells = vec![Cell::default()];
            cells.extend(source.cells.iter().take(columns.saturating_sub(1)).cloned());
            TableRow { line: source.line, cells }
        } else {
            source.clone()
        };
        if row.cells.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }

        let name = row.cell(Some(name_col)).map(plain).unwrap_or_default();
        let ty_cell = row.cell(ty_col);
        let ty = ty_cell.map(plain).unwrap_or_default();
        let description = row.cell(description_col).map(plain).unwrap_or_default();
        let mut example = row.cell(example_col).map(plain).map(|e| e.trim_matches('`').trim().to_owned()).filter(|e| !e.is_empty());
        let mut description = if examples_in_description {
            let (rest, found) = split_example(&description);
            if example.is_none() && found.is_some() {
                example = found;
                rest
            } else {
                description
            }
        } else {
            description
        };
        // The allowed values written in the example column belong with the description, where
        // `- value: meaning` lists are read.
        if let Some(list) = example.as_deref().and_then(value_list) {
            description = format!("{}\n{list}", description.trim_end().trim_end_matches([':', '：']));
            example = None;
        }
        let nested_type = ty_cell.and_then(anchor_link).or_else(|| {
            let d = row.cell(description_col)?;
            if !d.text.contains("嵌套类型") {
                return None;
            }
            anchor_link(d).or_else(|| nested_in_description(&description))
        });
        let out = Row {
            line: row.line,
            depth: 0,
            name,
            ty,
            required: row.cell(required_col).and_then(|c| required(&c.text)),
            default: row.cell(default_col).map(plain).map(|d| d.trim_matches('`').trim().to_owned()).filter(|d| !d.is_empty() && d != "-"),
            description,
            example,
            nested_type,
        };

        if out.name.is_empty() {
            let first_line = out.description.lines().next().unwrap_or("");
            let mut excerpt: String = first_line.chars().take(30).collect();
            if excerpt.len() < out.description.len() {
                excerpt.push('…');
            }
            let what = if excerpt.is_empty() { format!("type `{}`", out.ty) } else { format!("type `{}`, 「{excerpt}」", out.ty) };
            let message = if shifted {
                format!("the row ({what}) lost its name cell and its cells slid one column left; they are put back in place and the row is kept with an empty name")
            } else {
                format!("the row ({what}) has an empty name cell; it is kept with an empty name")
            };
            warnings.push(Warning { line: out.line, kind: WarningKind::MissingName, message });
        } else if !seen.insert(out.name.clone()) {
            warnings.push(Warning {
                line: out.line,
                kind: WarningKind::DuplicateField,
                message: format!("`{}` is listed twice in the table; the second row is dropped", out.name),
            });
            continue;
        }
        rows.push(out);
    }
    rows
}

/// A row whose name cell is gone and whose other cells slid one column left: it starts with a
/// type word, the required flag (if the table has the column) sits one column early, and the
/// last column is empty or missing.
fn is_shifted(row: &TableRow, columns: usize, required_col: Option<usize>) -> bool {
    let text = |i: usize| row.cells.get(i).map_or("", |c| c.text.trim());
    if columns < 2 || !is_type_word(text(0)) {
        return false;
    }
    let last_empty = text(columns - 1).is_empty();
    match required_col {
        Some(r) if r >= 1 => is_yes_no(text(r - 1)) && !is_yes_no(text(r)) && last_empty,
        _ => !is_type_word(text(1)) && last_empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_helpers() {
        assert_eq!(updated_date("更新时间: 2025-08-20 12:33:28").as_deref(), Some("2025-08-20"));
        assert_eq!(updated_date("更新时间：2024/01/02").as_deref(), Some("2024-01-02"));
        assert_eq!(updated_date("更新时间: 不详"), None);
        assert_eq!(sdk_method("`ManagementClient.GetUser`").as_deref(), Some("GetUser"));
        assert_eq!(response_type("类型： `UserSingleRespDto`").as_deref(), Some("UserSingleRespDto"));
        assert_eq!(response_type("类型: UserSingleRespDto").as_deref(), Some("UserSingleRespDto"));
        assert_eq!(nested_in_description("外部身份源。嵌套类型:IdentityDto。").as_deref(), Some("IdentityDto"));
        assert_eq!(nested_in_description("外部身份源 嵌套类型：IdentityDto。").as_deref(), Some("IdentityDto"));
        assert_eq!(split_example("邮箱。 示例值: a@b.c"), ("邮箱。".to_owned(), Some("a@b.c".to_owned())));
        assert_eq!(split_example("状态。 枚举值:A,B"), ("状态。 枚举值:A,B".to_owned(), None));
    }
}
