//! Feishu Markdown pages (`shared/docs/feishu/**`) → [`Draft`].
//!
//! The page is read through [`crate::markdown::sections`]: the `请求` table gives URL, method,
//! app types, scopes and rate limit; `请求头`, `路径参数`, `查询参数`, `请求体` and `响应体` give
//! rows (nesting from `&nbsp;&nbsp;└`); `请求体示例` / `响应体示例` give the examples; `错误码`
//! gives the errors. The reading of the page body is shared with [`crate::feishu_export`], which
//! first rewrites its tables into this format.

use std::collections::HashMap;
use std::fmt;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::draft::{Draft, ErrorRow, Located, Notice, Row, Warning, WarningKind};
use crate::markdown::{self, Cell, Section, Table};

/// Why a page could not be read as an API page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line the problem was found at.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Where Feishu documents live; `doc_url` is this plus a path derived from `fullPath`.
const DOC_BASE: &str = "https://open.feishu.cn/document";

/// Reads one Feishu Markdown page.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let fm = FrontMatter::read(text);
    let body = fm.blanked(text);
    let mut draft = read_page(&body, &|l| l, false)?;
    front_facts(&fm, &mut draft);
    Ok(draft)
}

/// What the front matter says of a page: its title, doc path and link, and update date.
pub(crate) fn front_facts(fm: &FrontMatter, draft: &mut Draft) {
    if let Some(title) = fm.get("title").filter(|t| !t.is_empty()) {
        draft.title = title.to_owned();
    }
    if let Some(path) = fm.get("fullPath").filter(|p| !p.is_empty()) {
        draft.full_path = Some(path.to_owned());
        draft.doc_url = Some(doc_url_from_full_path(path));
    }
    if let Some(ms) = fm.get("updateTime") {
        match ms.trim().parse::<i64>() {
            Ok(ms) => draft.updated = Some(date_from_millis(ms)),
            Err(_) => draft.warnings.push(Warning {
                line: fm.line_of("updateTime"),
                kind: WarningKind::Other,
                message: format!("the front matter's updateTime `{ms}` is not milliseconds since the epoch; the update date was left out."),
            }),
        }
    }
}

/// `/uAjLw4CM/ukTMukTMukTM/acs-v1/user/get` → `https://open.feishu.cn/document/server-docs/acs-v1/user/get`.
/// A path of two segments or fewer (`/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN`) is a document id that
/// the site serves as is, so it is appended unchanged.
pub fn doc_url_from_full_path(full_path: &str) -> String {
    let segments: Vec<&str> = full_path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() > 2 { format!("{DOC_BASE}/server-docs/{}", segments[2..].join("/")) } else { format!("{DOC_BASE}/{}", segments.join("/")) }
}

/// Milliseconds since the Unix epoch → `YYYY-MM-DD` (UTC).
pub fn date_from_millis(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// `---`-delimited `key: value` lines at the top of a page.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// `(line, key, value)`, value unquoted.
    pub(crate) fields: Vec<(usize, String, String)>,
    /// Lines 1..=end belong to the front matter (0 when there is none).
    pub(crate) end: usize,
}

impl FrontMatter {
    pub(crate) fn read(text: &str) -> FrontMatter {
        let lines: Vec<&str> = text.lines().collect();
        let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
            return FrontMatter::default();
        };
        if lines[first].trim() != "---" {
            return FrontMatter::default();
        }
        let Some(close) = lines.iter().skip(first + 1).position(|l| l.trim() == "---").map(|p| p + first + 1) else {
            return FrontMatter::default();
        };
        let mut fields = Vec::new();
        for (i, line) in lines.iter().enumerate().take(close).skip(first + 1) {
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim();
                let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
                fields.push((i + 1, k.trim().to_owned(), v.to_owned()));
            }
        }
        FrontMatter { fields, end: close + 1 }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(_, k, _)| k == key).map(|(_, _, v)| v.as_str())
    }

    pub(crate) fn line_of(&self, key: &str) -> usize {
        self.fields.iter().find(|(_, k, _)| k == key).map_or(1, |(l, _, _)| *l)
    }

    /// The page with the front matter's lines emptied (so they are not read as a setext
    /// heading) and every other line where it was.
    pub(crate) fn blanked(&self, text: &str) -> String {
        text.split('\n').enumerate().map(|(i, l)| if i < self.end { "" } else { l }).collect::<Vec<_>>().join("\n")
    }
}

// ---------------------------------------------------------------------------------------------
// The page body

/// Reads the page body (front matter already blanked) into a draft. `map` turns a line of
/// `text` into a line of the original page. `export` turns on nesting recovery for flat tables.
pub(crate) fn read_page(text: &str, map: &dyn Fn(usize) -> usize, export: bool) -> Result<Draft, ParseError> {
    let secs = markdown::sections(text);
    let mut d = Draft::default();
    let mut w: Vec<Warning> = Vec::new();

    // The request table: the 请求 section's table with an `HTTP Method` row (or any such table).
    let is_method_row = |t: &Table| t.rows.iter().any(|r| first_text(r).starts_with("HTTP Method"));
    let request_sec = secs.iter().position(|s| s.heading == "请求");
    let request_table = request_sec.and_then(|i| secs[i].tables.iter().find(|t| is_method_row(t))).or_else(|| secs.iter().flat_map(|s| s.tables.iter()).find(|t| is_method_row(t)));
    let Some(request_table) = request_table else {
        let line = request_sec.or_else(|| secs.iter().position(|s| s.level == 1)).map_or(1, |i| secs[i].line);
        return Err(ParseError {
            line: map(line),
            message: if request_sec.is_some() {
                "the 请求 section has no `HTTP Method` row: this is not an API page".to_owned()
            } else {
                "the page has no 请求 section and no `HTTP Method` row: this is not an API page".to_owned()
            },
        });
    };

    // Title and description.
    let title_sec = secs.iter().position(|s| s.level == 1);
    if let Some(t) = title_sec {
        d.title = secs[t].heading.clone();
    }
    let desc_start = title_sec.map_or(1, |t| secs[t].line + 1);
    let desc_end = request_sec.map_or(request_table.line, |r| secs[r].line);
    d.description = description(text, desc_start, desc_end);
    d.notice = notice(text, desc_start, desc_end, &d.title, map);

    read_request_table(request_table, &mut d, &mut w, map);
    if d.rate_limit.is_none()
        && let Some(s) = secs.iter().find(|s| s.heading == "频率限制" || s.heading == "接口频率限制")
    {
        let text = s.paragraphs.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join("\n\n");
        if !text.is_empty() {
            d.rate_limit = Some(text);
        }
    }

    // Headers.
    if let Some(t) = section_table(&secs, "请求头") {
        let cols = Columns::of(t);
        for r in &t.rows {
            let (_, name) = split_name(r.text(cols.name));
            if name.eq_ignore_ascii_case("Authorization") {
                if let Some(c) = r.cell(cols.desc) {
                    for code in &c.code {
                        if code.ends_with("_access_token") && !d.token_kinds.contains(code) {
                            d.token_kinds.push(code.clone());
                        }
                    }
                }
            } else if name.eq_ignore_ascii_case("Content-Type") {
                if r.cells.iter().any(|c| c.text.contains("multipart/form-data")) {
                    d.body_multipart = true;
                }
            } else if let Some(row) = read_row(r, &cols, "请求头", &mut w, map) {
                d.header_params.push(row);
            }
        }
        d.header_params = dedup(std::mem::take(&mut d.header_params), "请求头", &mut w);
    }

    if let Some(t) = section_table(&secs, "路径参数") {
        d.path_params = dedup(read_rows(t, "路径参数", &mut w, map), "路径参数", &mut w);
    }
    if let Some(t) = section_table(&secs, "查询参数") {
        d.query_params = dedup(read_rows(t, "查询参数", &mut w, map), "查询参数", &mut w);
    }

    d.request_example = section_code(&secs, "请求体示例").map(|(line, code)| Located { value: code, line: map(line) + 1 });
    d.response_example = section_code(&secs, "响应体示例").map(|(line, code)| Located { value: code, line: map(line) + 1 });

    if let Some(t) = section_table(&secs, "请求体") {
        let mut rows = read_rows(t, "请求体", &mut w, map);
        if export {
            recover_nesting(&mut rows, "请求体", map(t.line), d.request_example.as_ref(), &mut w);
        }
        d.body = dedup(rows, "请求体", &mut w);
        // A top-level `file` field makes an upload (a nested `file` is a struct: a document
        // block of that name).
        if d.body.iter().any(|r| r.depth == 0 && r.ty == "file") {
            d.body_multipart = true;
        }
    }

    let response_table = section_table(&secs, "响应体");
    if let Some(t) = response_table {
        let mut rows = read_rows(t, "响应体", &mut w, map);
        if export {
            recover_nesting(&mut rows, "响应体", map(t.line), d.response_example.as_ref(), &mut w);
        }
        d.response = dedup(rows, "响应体", &mut w);
    }
    let response_sec = secs.iter().position(|s| s.heading == "响应");
    let says_file = response_sec
        .is_some_and(|i| span(&secs, i).iter().filter(|s| s.heading != "错误码" && s.heading != "响应体示例").flat_map(|s| s.paragraphs.iter()).any(|(_, p)| says_binary(p)));
    if says_file {
        d.response_binary = true;
    } else if response_table.is_none() {
        d.response_binary = true;
        let line = response_sec.map_or(desc_end, |i| secs[i].line);
        w.push(Warning {
            line: map(line),
            kind: WarningKind::Other,
            message: "the page has no 响应体 table and does not say that the answer is a file; the response was taken to be binary.".to_owned(),
        });
    }

    for i in 0..secs.len() {
        if secs[i].heading != "错误码" {
            continue;
        }
        if let Some(t) = span(&secs, i).iter().flat_map(|s| s.tables.iter()).next() {
            read_errors(t, &mut d.errors, &mut w, map);
        }
    }

    d.warnings = w;
    Ok(d)
}

/// Whether a paragraph of the response section says the answer is a file.
fn says_binary(p: &str) -> bool {
    p.contains("二进制") || p.contains("文件流") || (p.contains("返回") && p.contains("文件") && p.contains("流"))
}

fn first_text(r: &markdown::TableRow) -> &str {
    r.cells.first().map_or("", |c| c.text.trim())
}

pub(crate) fn read_request_table(t: &Table, d: &mut Draft, w: &mut Vec<Warning>, map: &dyn Fn(usize) -> usize) {
    for r in &t.rows {
        let key = first_text(r);
        let Some(value) = r.cells.get(1) else { continue };
        let text = value.text.trim();
        if key.starts_with("HTTP URL") {
            if !text.is_empty() {
                d.url = Some(text.to_owned());
                d.url_line = map(r.line);
            }
        } else if key.starts_with("HTTP Method") {
            if text.is_empty() {
                w.push(Warning { line: map(r.line), kind: WarningKind::Other, message: "the HTTP Method row is empty; the method was left out.".to_owned() });
            } else {
                d.method = Some(text.to_ascii_uppercase());
            }
        } else if key.contains("支持的应用类型") {
            d.app_types = text.split([',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        } else if key.starts_with("字段权限要求") {
            d.field_scopes = scopes(value);
        } else if key.starts_with("权限要求") {
            d.scopes = scopes(value);
        } else if key.contains("频率限制") && !text.is_empty() {
            d.rate_limit = Some(text.to_owned());
        }
    }
}

/// `(scope, description)` pairs of a 权限要求 cell: either code spans each followed by its
/// description (`` `acs:users` 查看、更新智能门禁用户 ``), after any preamble that ends with a
/// colon, or descriptions each followed by a parenthesised name (`查看、更新智能门禁用户(acs:users)`).
pub(crate) fn scopes(cell: &Cell) -> Vec<(String, String)> {
    let text = cell.text.trim();
    if text.is_empty() || text == "无" {
        return Vec::new();
    }
    if !cell.code.is_empty() {
        let segs = code_segments(text);
        let last_code = segs.iter().rposition(|(code, _)| *code);
        let cut = segs.iter().enumerate().filter(|(i, (code, s))| !code && last_code.is_some_and(|l| *i < l) && (s.contains('：') || s.contains(':'))).map(|(i, _)| i).next_back();
        let start = cut.map_or(0, |c| c + 1);
        let mut out: Vec<(String, String)> = Vec::new();
        for (i, (code, s)) in segs.iter().enumerate().skip(start) {
            if *code {
                let desc = segs.get(i + 1).filter(|(c, _)| !c).map_or("", |(_, d)| d.as_str());
                out.push((s.trim().to_owned(), tidy_desc(desc)));
            }
        }
        return out;
    }
    parenthesised_scopes(text)
}

/// Splits text at single backticks: `(is_code, text)`.
fn code_segments(text: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut code = false;
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            code = !code;
        }
        if code || !part.is_empty() {
            out.push((code, part.to_owned()));
        }
    }
    out
}

fn tidy_desc(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')).to_owned()
}

fn is_scope_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && (s.contains(':') || s.contains('_'))
}

fn parenthesised_scopes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut boundary = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let open = rest.char_indices().find(|(_, c)| *c == '(' || *c == '（');
        let Some((o, oc)) = open else { break };
        let inner_start = i + o + oc.len_utf8();
        let close = text[inner_start..].char_indices().find(|(_, c)| *c == ')' || *c == '）');
        let Some((c, cc)) = close else { break };
        let name = text[inner_start..inner_start + c].trim();
        let after = inner_start + c + cc.len_utf8();
        if is_scope_name(name) {
            let before = &text[boundary..i + o];
            let from = before.rfind(['\n', '：', ':']).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
            out.push((name.to_owned(), tidy_desc(&before[from..])));
            boundary = after;
        }
        i = after;
    }
    out
}

/// The first table of the first section called `heading` (or of its subsections).
pub(crate) fn section_table<'a>(secs: &'a [Section], heading: &str) -> Option<&'a Table> {
    secs.iter().enumerate().filter(|(_, s)| s.heading == heading).find_map(|(i, _)| span(secs, i).iter().flat_map(|s| s.tables.iter()).next())
}

/// `(fence line, text)` of the first code block of the section called `heading` (or its subsections).
pub(crate) fn section_code(secs: &[Section], heading: &str) -> Option<(usize, String)> {
    secs.iter().enumerate().filter(|(_, s)| s.heading == heading).find_map(|(i, _)| span(secs, i).iter().flat_map(|s| s.code.iter()).next().map(|(l, _, t)| (*l, t.clone())))
}

/// Section `i` and the sections below it.
pub(crate) fn span(secs: &[Section], i: usize) -> &[Section] {
    let level = secs[i].level;
    let end = secs[i + 1..].iter().position(|s| s.level <= level).map_or(secs.len(), |p| p + i + 1);
    &secs[i..end]
}

/// Column indexes of a parameter table.
struct Columns {
    name: Option<usize>,
    ty: Option<usize>,
    required: Option<usize>,
    desc: Option<usize>,
}

impl Columns {
    fn of(t: &Table) -> Columns {
        let name = t.column(&["名称", "参数", "字段", "名字"]).or(Some(0));
        // `|参数|格式|必须|说明|类型|`: the format column holds the type, and the type column where
        // the parameter goes (`URL 参数`, `请求 body`).
        let format = t.header.iter().position(|h| h.trim() == "格式");
        let ty = format.or_else(|| t.column(&["类型"])).filter(|c| Some(*c) != name);
        let required = t.column(&["必填", "必选", "是否必须"]);
        let desc = t.column(&["描述", "说明"]).or_else(|| if t.header.len() > 1 { Some(t.header.len() - 1) } else { None });
        Columns { name, ty, required, desc }
    }
}

pub(crate) fn read_rows(t: &Table, label: &str, w: &mut Vec<Warning>, map: &dyn Fn(usize) -> usize) -> Vec<Row> {
    let cols = Columns::of(t);
    t.rows.iter().filter_map(|r| read_row(r, &cols, label, w, map)).collect()
}

fn read_row(r: &markdown::TableRow, cols: &Columns, label: &str, w: &mut Vec<Warning>, map: &dyn Fn(usize) -> usize) -> Option<Row> {
    let line = map(r.line);
    let (depth, name) = split_name(r.text(cols.name));
    if name.is_empty() {
        let ty = clean_token(r.text(cols.ty));
        let what = if ty.is_empty() { String::new() } else { format!(" (type `{ty}`)") };
        w.push(Warning { line, kind: WarningKind::MissingName, message: format!("the {label} row at line {line}{what} has an empty name cell; the row was dropped.") });
        return None;
    }
    // A line of prose right after a table is read by Markdown as one more row, in its name cell.
    if r.text(cols.ty).trim().is_empty() && r.text(cols.desc).trim().is_empty() && name.contains([' ', '：', '，', '。', '；']) {
        let shown: String = name.chars().take(24).collect();
        w.push(Warning {
            line,
            kind: WarningKind::Other,
            message: format!("the line after the {label} table (`{shown}…`) is a note, read as a row of the table; it was dropped."),
        });
        return None;
    }
    let (name, marked) = required_in_name(&name);
    let required = cols.required.map(|c| r.cells.get(c).map_or("", |c| c.text.trim())).and_then(parse_required).or(marked);
    Some(Row { line, depth, name, ty: clean_token(r.text(cols.ty)), required, default: None, description: r.text(cols.desc).to_owned(), example: None, nested_type: None })
}

pub(crate) fn parse_required(s: &str) -> Option<bool> {
    match s.trim().trim_matches('`') {
        "是" | "必填" | "必选" | "true" | "True" | "Y" | "yes" | "required" => Some(true),
        "否" | "可选" | "选填" | "false" | "False" | "N" | "no" | "optional" => Some(false),
        _ => None,
    }
}

/// A name cell that carries the required marker after the name (`approval_name 必选`, in tables
/// without a required column): the name alone, and whether it is required.
pub(crate) fn required_in_name(name: &str) -> (String, Option<bool>) {
    match name.rsplit_once(char::is_whitespace) {
        Some((head, marker)) if !head.trim().is_empty() => match parse_required(marker) {
            Some(required) => (head.trim().to_owned(), Some(required)),
            None => (name.to_owned(), None),
        },
        _ => (name.to_owned(), None),
    }
}

/// `\u{a0}\u{a0}└ `name`` → `(1, "name")`: the depth is the number of `\u{a0}\u{a0}` pairs (or
/// `&emsp;`s) before the `└`/`∟` marker, at least the number of markers, and 0 without one.
pub(crate) fn split_name(cell: &str) -> (usize, String) {
    let mut nbsp = 0;
    let mut emsp = 0;
    let mut markers = 0;
    let mut rest = cell;
    for (i, c) in cell.char_indices() {
        match c {
            '\u{a0}' => nbsp += 1,
            '\u{2003}' => emsp += 1,
            '└' | '∟' => markers += 1,
            ' ' | '\t' => {}
            _ => {
                rest = &cell[i..];
                break;
            }
        }
        rest = &cell[i + c.len_utf8()..];
    }
    let depth = if markers == 0 { 0 } else { (nbsp / 2 + emsp).max(markers) };
    (depth, clean_token(rest))
}

/// Drops backticks and backslash escapes: `` `string\[\]` `` → `string[]`.
pub(crate) fn clean_token(s: &str) -> String {
    let s = s.trim().replace('`', "");
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// Drops the second of two rows with the same name at the same depth under the same parent.
pub(crate) fn dedup(rows: Vec<Row>, label: &str, w: &mut Vec<Warning>) -> Vec<Row> {
    let mut path: Vec<String> = Vec::new();
    let mut first: HashMap<(Vec<String>, String), usize> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let depth = row.depth.min(path.len());
        let parent = path[..depth].to_vec();
        path.truncate(depth);
        path.push(row.name.clone());
        let key = (parent, row.name.clone());
        if let Some(first_line) = first.get(&key) {
            let under = if key.0.is_empty() { "at the top level".to_owned() } else { format!("under `{}`", key.0.join(".")) };
            w.push(Warning {
                line: row.line,
                kind: WarningKind::DuplicateField,
                message: format!("the {label} table lists `{}` twice {under} (lines {first_line} and {}); the second row was dropped.", row.name, row.line),
            });
        } else {
            first.insert(key, row.line);
            out.push(row);
        }
    }
    out
}

/// Flat rows (every depth 0) get the depth at which their name appears in the example's keys,
/// rows consumed in order. One warning per table when this changed anything.
pub(crate) fn recover_nesting(rows: &mut [Row], label: &str, table_line: usize, example: Option<&Located<String>>, w: &mut Vec<Warning>) {
    if rows.is_empty() || rows.iter().any(|r| r.depth != 0) {
        return;
    }
    let Some(example) = example else { return };
    let Some(value) = parse_json_lenient(&example.value) else { return };
    let mut keys = Vec::new();
    json_keys(&value, 0, &mut keys);
    if keys.iter().all(|(_, d)| *d == 0) {
        return;
    }
    let mut depths = Vec::with_capacity(rows.len());
    let mut next = 0;
    let mut unknown = Vec::new();
    let mut previous = 0;
    for row in rows.iter() {
        let depth = if let Some(j) = keys[next..].iter().position(|(k, _)| *k == row.name).map(|p| p + next) {
            next = j + 1;
            keys[j].1
        } else if let Some((_, d)) = keys.iter().find(|(k, _)| *k == row.name) {
            *d
        } else {
            unknown.push(row.name.clone());
            previous
        };
        previous = depth;
        depths.push(depth);
    }
    if depths.iter().all(|d| *d == 0) {
        return;
    }
    for (row, depth) in rows.iter_mut().zip(depths) {
        row.depth = depth;
    }
    let mut message = format!("the {label} table's rows are flat (no `└` nesting); their nesting comes from the example at line {}", example.line);
    if unknown.is_empty() {
        message.push('.');
    } else {
        message.push_str(&format!("; {} not in the example kept the depth of the row before: {}.", if unknown.len() == 1 { "one row" } else { "rows" }, unknown.join(", ")));
    }
    w.push(Warning { line: table_line, kind: WarningKind::NestingFromExample, message });
}

/// Keys of every object in document order with their depth (array elements keep their array's depth).
fn json_keys(v: &serde_json::Value, depth: usize, out: &mut Vec<(String, usize)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                out.push((k.clone(), depth));
                json_keys(v, depth + 1, out);
            }
        }
        serde_json::Value::Array(a) => {
            for v in a {
                json_keys(v, depth, out);
            }
        }
        _ => {}
    }
}

/// JSON, or JSON with `//` comments removed.
fn parse_json_lenient(text: &str) -> Option<serde_json::Value> {
    if let Ok(v) = serde_json::from_str(text) {
        return Some(v);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut escaped = false;
        let mut cut = line.len();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_str = false;
                }
            } else if b == b'"' {
                in_str = true;
            } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
                cut = i;
                break;
            }
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    serde_json::from_str(&out).ok()
}

fn read_errors(t: &Table, out: &mut Vec<ErrorRow>, w: &mut Vec<Warning>, map: &dyn Fn(usize) -> usize) {
    let http = t.column(&["HTTP"]);
    let Some(code_col) = t.column(&["错误码"]) else { return };
    let msg = t.column(&["描述", "说明", "错误信息"]);
    let hint = t.column(&["排查", "建议"]);
    for r in &t.rows {
        let line = map(r.line);
        let code_text = r.text(Some(code_col)).trim();
        let Ok(code) = code_text.parse::<i64>() else {
            w.push(Warning {
                line,
                kind: WarningKind::Other,
                message: format!("the 错误码 row at line {line} has `{code_text}` where an integer error code belongs; the row was skipped."),
            });
            continue;
        };
        let hint_text = r.text(hint).trim();
        out.push(ErrorRow {
            line,
            http_status: r.text(http).trim().parse::<u16>().ok(),
            code,
            message: r.text(msg).trim().to_owned(),
            hint: if hint_text.is_empty() { None } else { Some(hint_text.to_owned()) },
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Notices

/// Words with which a page says its own API is superseded.
const SUPERSEDED: &[&str] = &["不再推荐", "不推荐使用", "历史版本", "即将废弃", "已废弃", "即将下线", "已下线", "不再维护", "停止维护"];
/// How a page speaks of its own API; a sentence that does not is about something else.
const THIS_API: &[&str] = &["本接口", "该接口", "当前接口", "此接口", "本套接口"];
/// Words that point to what to use instead.
const POINTER: &[&str] = &["推荐", "请使用", "迁移", "新版", "替代", "升级"];
/// Title suffixes that mark the API as superseded.
const TITLE_MARKS: &[&str] = &["（不推荐）", "(不推荐)", "（历史版本）", "(历史版本)", "（已废弃）", "(已废弃)"];

/// The page's word that its API is old, from lines `start..end` (the introduction) and the title:
/// a sentence about this API with a word of [`SUPERSEDED`], or a title mark; and the first line
/// that points to a replacement with a link. The note is the block (quote or paragraph) of the
/// pointer, else of the statement, as plain text with each link as `text (url)`.
pub(crate) fn notice(text: &str, start: usize, end: usize, title: &str, map: &dyn Fn(usize) -> usize) -> Option<Notice> {
    let lines: Vec<&str> = text.split('\n').collect();
    let range = start.saturating_sub(1)..end.saturating_sub(1).min(lines.len());
    let statement = range.clone().find(|&i| THIS_API.iter().any(|w| lines[i].contains(w)) && SUPERSEDED.iter().any(|w| lines[i].contains(w)));
    let pointer = range.clone().find(|&i| lines[i].contains("](") && POINTER.iter().any(|w| lines[i].contains(w)));
    let titled = TITLE_MARKS.iter().any(|m| title.trim_end().ends_with(m));
    let deprecates = statement.is_some() || titled;
    let at = match (statement, pointer) {
        // A statement that names its replacement on its own line, or in its block, is the note.
        (Some(s), _) if lines[s].contains("](") || block(&lines, s).iter().any(|l| l.contains("](")) => Some(s),
        (_, Some(p)) => Some(p),
        (Some(s), None) => Some(s),
        (None, None) => None,
    };
    match at {
        Some(i) => {
            let block = block(&lines, i);
            let joined = block.iter().map(|l| plain(l)).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
            let text = if joined.chars().count() > 400 { plain(lines[i]) } else { joined };
            Some(Notice { line: map(i + 1), text, deprecates })
        }
        None if titled => Some(Notice { line: map(start.saturating_sub(1).max(1)), text: String::new(), deprecates }),
        None => None,
    }
}

/// Line `i` and the lines after it in its block: its quote (lines starting with `>`), else its
/// paragraph (up to a blank line). What comes before it in the block is other matter.
fn block<'t>(lines: &[&'t str], i: usize) -> Vec<&'t str> {
    let quoted = |l: &str| l.trim_start().starts_with('>');
    let quote = quoted(lines[i]);
    let last = (i..lines.len()).take_while(|&k| if quote { quoted(lines[k]) } else { !lines[k].trim().is_empty() && !quoted(lines[k]) }).last().unwrap_or(i);
    lines[i..=last].to_vec()
}

/// A Markdown line as plain text: quote and list markers, callout labels (`**Warning**:`) and
/// emphasis gone, links as `text (url)`.
fn plain(line: &str) -> String {
    let mut s = line.trim().trim_start_matches(['>', ' ']).trim_start();
    s = s.strip_prefix("- ").unwrap_or(s);
    if let Some(rest) = s.strip_prefix("**")
        && let Some(close) = rest.find("**")
        && rest[..close].chars().all(|c| c.is_ascii_alphabetic())
    {
        s = rest[close + 2..].trim_start_matches([':', '：', ' ']);
    }
    let s = s.strip_prefix("- ").unwrap_or(s).replace("**", "").replace("==", "");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](").map(|m| m + open) else { break };
        let Some(close) = rest[mid..].find(')').map(|c| c + mid) else { break };
        out.push_str(&rest[..open]);
        out.push_str(&format!("{} ({})", &rest[open + 1..mid], &rest[mid + 2..close]));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.trim().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Description

/// The text of lines `start..end` (1-based, `end` exclusive) as paragraphs joined by blank
/// lines: markup removed, links reduced to their text, images, tables and code left out, list
/// items one per line as `- item`, headings as their own paragraph.
pub(crate) fn description(text: &str, start: usize, end: usize) -> Option<String> {
    let slice: String = text.split('\n').skip(start.saturating_sub(1)).take(end.saturating_sub(start)).collect::<Vec<_>>().join("\n");
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut lists = 0usize;
    let mut skip = 0usize;
    let flush = |cur: &mut String, blocks: &mut Vec<String>| {
        let t = cur.split('\n').map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n").trim_matches('\n').to_owned();
        if !t.is_empty() {
            blocks.push(t);
        }
        cur.clear();
    };
    for event in Parser::new_ext(&slice, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::Table(_) | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Image | TagEnd::Table | TagEnd::CodeBlock) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Start(Tag::Paragraph) if lists > 0 && !cur.is_empty() && !cur.ends_with('\n') && !cur.ends_with("- ") => cur.push('\n'),
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) | Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) if lists == 0 => {
                flush(&mut cur, &mut blocks);
            }
            Event::Start(Tag::List(_)) => {
                if lists == 0 {
                    flush(&mut cur, &mut blocks);
                }
                lists += 1;
            }
            Event::End(TagEnd::List(_)) => {
                lists = lists.saturating_sub(1);
                if lists == 0 {
                    flush(&mut cur, &mut blocks);
                }
            }
            Event::Start(Tag::Item) => {
                if !cur.is_empty() && !cur.ends_with('\n') {
                    cur.push('\n');
                }
                cur.push_str(&"  ".repeat(lists.saturating_sub(1)));
                cur.push_str("- ");
            }
            Event::Text(t) => cur.push_str(&t),
            Event::Code(t) => {
                cur.push('`');
                cur.push_str(&t);
                cur.push('`');
            }
            Event::SoftBreak => cur.push(' '),
            Event::HardBreak => cur.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) if h.trim().to_ascii_lowercase().starts_with("<br") => cur.push('\n'),
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks);
    if blocks.is_empty() { None } else { Some(blocks.join("\n\n")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_urls() {
        assert_eq!(date_from_millis(1_628_238_375_000), "2021-08-06");
        assert_eq!(date_from_millis(0), "1970-01-01");
        assert_eq!(date_from_millis(951_782_400_000), "2000-02-29");
        assert_eq!(doc_url_from_full_path("/uAjLw4CM/ukTMukTMukTM/acs-v1/user/get"), "https://open.feishu.cn/document/server-docs/acs-v1/user/get");
        assert_eq!(doc_url_from_full_path("/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN"), "https://open.feishu.cn/document/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN");
    }

    #[test]
    fn description_blocks() {
        let page = "# T\n\n第一段，**加粗** [链接](https://x.example)。\n\n![image.png](https://x.example/a.png)\n\n> **Warning**: 小心\n\n## 使用限制\n\n- 甲\n- 乙：\n\n  - 丙\n\n```json\n{}\n```\n\n## 请求\n";
        assert_eq!(description(page, 2, 19).as_deref(), Some("第一段，加粗 链接。\n\nWarning: 小心\n\n使用限制\n\n- 甲\n- 乙：\n  - 丙"));
    }

    #[test]
    fn notices_of_superseded_apis() {
        let at = |page: &str, title: &str| notice(page, 1, page.split('\n').count() + 1, title, &|l| l);
        // A statement about this API, its pointer in the same quote.
        let page = "介绍。\n\n> **Warning**: 本接口为历史版本接口，不再维护。推荐接口：\n> \n> - 查询，可调用[获取树](https://x.example/tree/get)。\n\n> **Tip**: 其他说明。";
        let n = at(page, "T").expect("a notice");
        assert_eq!((n.line, n.deprecates), (3, true));
        assert_eq!(n.text, "本接口为历史版本接口，不再维护。推荐接口： 查询，可调用获取树 (https://x.example/tree/get)。");
        // A pointer alone (a historic page's): a note, but no statement.
        let n = at("> **Error**: 请尽快迁移至[新版本>>](https://x.example/v2)", "T").expect("a notice");
        assert_eq!((n.text.as_str(), n.deprecates), ("请尽快迁移至新版本>> (https://x.example/v2)", false));
        // The title says so.
        let n = at("说明。", "发起异动（不推荐）").expect("a notice");
        assert_eq!((n.text.as_str(), n.deprecates), ("", true));
        // Advice about something else is no notice.
        assert_eq!(at("不推荐企业自建应用使用该 API 创建审批定义。\n\n常用于清理已废弃的模板。", "T"), None);
    }

    #[test]
    fn names_and_scopes() {
        assert_eq!(split_name("\u{a0}\u{a0}\u{a0}\u{a0}└ `card`"), (2, "card".to_owned()));
        assert_eq!(split_name("`user_id`"), (0, "user_id".to_owned()));
        assert_eq!(split_name("\u{2003}∟message_id"), (1, "message_id".to_owned()));
        assert_eq!(split_name("└└ template_variable"), (2, "template_variable".to_owned()));
        assert_eq!(required_in_name(&split_name("∟  `create_link   必选 `").1), ("create_link".to_owned(), Some(true)));
        assert_eq!(required_in_name("locale 可选"), ("locale".to_owned(), Some(false)));
        assert_eq!(required_in_name("必选"), ("必选".to_owned(), None));
        assert_eq!(required_in_name("open id"), ("open id".to_owned(), None));
        assert_eq!(clean_token("`string\\[\\]`"), "string[]");
        let cell =
            Cell { text: "> Tip: 说明文字，则不建议申请 `a:b` 第一 `c:d.e` 第二".to_owned(), links: vec![], code: vec!["a:b".to_owned(), "c:d.e".to_owned()] };
        assert_eq!(scopes(&cell), [("a:b".to_owned(), "第一".to_owned()), ("c:d.e".to_owned(), "第二".to_owned())]);
        let cell = Cell {
            text: "`x` 以及 `y` 字段仅在具备以下权限时返回： `offline_access` offline_access".to_owned(),
            links: vec![],
            code: vec!["x".into(), "y".into(), "offline_access".into()],
        };
        assert_eq!(scopes(&cell), [("offline_access".to_owned(), "offline_access".to_owned())]);
        let cell = Cell { text: "注意事项：前言\n读取花园(garden:plot:read)\n写入花园（garden:plot:write）".to_owned(), links: vec![], code: vec![] };
        assert_eq!(scopes(&cell), [("garden:plot:read".to_owned(), "读取花园".to_owned()), ("garden:plot:write".to_owned(), "写入花园".to_owned())]);
    }
}
