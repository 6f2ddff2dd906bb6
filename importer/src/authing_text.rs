//! Authing pages rendered to text (the docs site copied as text) into a [`Draft`].
//!
//! Headings are lines starting with `¶ `; the first is the title, followed by
//! `更新时间: 2025-08-20 12:33:28` and the introduction. Tables are pipe tables with outer pipes.
//! `请求响应` says `类型: UserSingleRespDto`, then the table, then `示例结果:` and the JSON example
//! unfenced, up to the line that closes its first brace. After `¶ 数据结构` every heading is a DTO,
//! whose descriptions carry `枚举值:a,b`, `嵌套类型:IdentityDto。` and a trailing `示例值: x` (read
//! into the row's example). The rendering lost the links: a type cell naming a DTO of the page's
//! 数据结构 (`data | UserDto`) is read as a link to it. There is no 方法名称 in this format.

use crate::authing_md::{self, ParseError};
use crate::draft::{Draft, Located, TypeSection, Warning, WarningKind};
use crate::markdown::{Cell, Table, TableRow};

struct Section<'a> {
    heading: String,
    line: usize,
    /// `(line, text)` of the lines below the heading.
    body: Vec<(usize, &'a str)>,
}

/// Reads an Authing text page. `Err` only when the page has neither a `请求参数` nor a `请求响应`
/// section (not an API page) or is empty; the page's defects go to `warnings`.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError { line: 1, message: "the page is empty".to_owned() });
    }
    let sections = split(text);
    let find = |name: &str| sections.iter().position(|s| s.line > 0 && authing_md::heading_is(&s.heading, name));
    let params_at = find("请求参数");
    let response_at = find("请求响应");
    if params_at.is_none() && response_at.is_none() {
        return Err(ParseError { line: 1, message: "not an API page: it has no ¶ 请求参数 and no ¶ 请求响应 section".to_owned() });
    }

    let mut draft = Draft::default();
    match sections.iter().find(|s| s.line > 0) {
        Some(title) => {
            draft.title = title.heading.clone();
            draft.description = description(title);
        }
        None => draft.warnings.push(Warning { line: 1, kind: WarningKind::Other, message: "the page has no `¶` title; the title is left empty".to_owned() }),
    }
    draft.updated = text.lines().find_map(authing_md::updated_date);

    if let Some(i) = find("方法名称") {
        draft.sdk_method = sections[i].body.iter().find(|(_, l)| !l.trim().is_empty()).and_then(|(_, l)| authing_md::sdk_method(l));
    }

    if let Some(i) = params_at {
        for table in tables(&sections[i].body) {
            draft.query_params.extend(authing_md::read_table(&table, true, &mut draft.warnings));
        }
    }

    if let Some(i) = response_at {
        let section = &sections[i];
        draft.response_type = section.body.iter().find_map(|(_, l)| authing_md::response_type(l));
        let (example, rest) = example(section, &mut draft.warnings);
        draft.response_example = example;
        for table in tables(&rest) {
            draft.response.extend(authing_md::read_table(&table, true, &mut draft.warnings));
        }
    }

    if let Some(i) = find("数据结构") {
        for section in &sections[i + 1..] {
            if ["请求参数", "请求响应", "示例代码", "方法名称"].iter().any(|n| authing_md::heading_is(&section.heading, n)) {
                break;
            }
            let rows = tables(&section.body).iter().flat_map(|t| authing_md::read_table(t, true, &mut draft.warnings)).collect();
            let name = section.heading.trim().to_owned();
            authing_md::push_type(&mut draft, TypeSection { line: section.line, name, rows });
        }
    }

    if let Some(i) = response_at {
        authing_md::envelope(&mut draft, sections[i].line);
    }
    authing_md::enum_sections(&mut draft);
    authing_md::warn_empty_types(&mut draft);

    // The rendering turned `<a href="#UserDto">UserDto</a>` into plain `UserDto`: a type cell
    // naming one of the page's DTOs is that link.
    let names: Vec<String> = draft.types.iter().map(|t| t.name.clone()).collect();
    let link = |row: &mut crate::draft::Row| {
        let ty = row.ty.trim().trim_end_matches("[]");
        if row.nested_type.is_none() && names.iter().any(|n| n == ty) {
            row.nested_type = Some(ty.to_owned());
        }
    };
    draft.query_params.iter_mut().for_each(link);
    draft.response.iter_mut().for_each(link);
    draft.types.iter_mut().flat_map(|t| t.rows.iter_mut()).for_each(link);
    authing_md::arrays_by_example(&mut draft);

    Ok(draft)
}

/// The page cut at its `¶` headings; the first section (line 0) is what precedes them.
fn split(text: &str) -> Vec<Section<'_>> {
    let mut out = vec![Section { heading: String::new(), line: 0, body: Vec::new() }];
    for (i, line) in text.lines().enumerate() {
        let no = i + 1;
        match line.trim_start().strip_prefix('¶') {
            Some(heading) => out.push(Section { heading: heading.trim().to_owned(), line: no, body: Vec::new() }),
            None => {
                if let Some(s) = out.last_mut() {
                    s.body.push((no, line));
                }
            }
        }
    }
    out
}

/// The introduction: the title section's text lines, without the update time, HTML comments and
/// the generator's note.
fn description(title: &Section<'_>) -> Option<String> {
    let mut lines = Vec::new();
    let mut in_comment = false;
    for (_, line) in &title.body {
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() || authing_md::updated_date(t).is_some() || authing_md::is_boilerplate(t) || t.starts_with('|') {
            continue;
        }
        lines.push(t.trim_start_matches('>').trim());
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Takes the `示例结果:` JSON out of the response section: from its first `{` (or `[`) line to
/// the line where the brackets, counted outside strings, close. Returns the example and the
/// section's other lines.
fn example<'a>(section: &Section<'a>, warnings: &mut Vec<Warning>) -> (Option<Located<String>>, Vec<(usize, &'a str)>) {
    let body = &section.body;
    let Some(marker) = body.iter().position(|(_, l)| l.trim_start().starts_with("示例结果")) else {
        return (None, body.clone());
    };
    let marker_line = body[marker].0;
    let after_marker = body[marker].1.trim_start().trim_start_matches("示例结果").trim_start().trim_start_matches([':', '：']).trim();

    // The JSON's lines: the rest of the marker line if it holds the start, else the following lines.
    let mut candidates: Vec<(usize, &str)> = Vec::new();
    if !after_marker.is_empty() {
        candidates.push((marker_line, after_marker));
    }
    candidates.extend(body[marker + 1..].iter().copied());
    let mut start = candidates.iter().position(|(_, l)| !l.trim().is_empty());
    let mut fenced = false;
    if let Some(s) = start
        && candidates[s].1.trim_start().starts_with("```")
    {
        fenced = true;
        start = candidates[s + 1..].iter().position(|(_, l)| !l.trim().is_empty()).map(|p| p + s + 1);
    }
    let Some(start) = start.filter(|s| candidates[*s].1.trim_start().starts_with(['{', '['])) else {
        warnings
            .push(Warning { line: marker_line, kind: WarningKind::Other, message: "示例结果 is not followed by a JSON object; the page has no response example".to_owned() });
        return (None, body[..marker].iter().chain(&body[marker + 1..]).copied().collect());
    };

    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut end = None;
    'lines: for (i, (_, line)) in candidates.iter().enumerate().skip(start) {
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = Some(i);
                        break 'lines;
                    }
                }
                _ => {}
            }
        }
    }
    let end = end.unwrap_or_else(|| {
        warnings.push(Warning {
            line: candidates[start].0,
            kind: WarningKind::Other,
            message: "the 示例结果 JSON never closes its first bracket; it is taken to the end of the section".to_owned(),
        });
        candidates.len() - 1
    });
    let value = candidates[start..=end].iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    let first_line = candidates[start].0;
    let last_line = candidates[end].0;
    let mut skip_to = last_line;
    if fenced && let Some((l, _)) = candidates[end + 1..].iter().find(|(_, l)| l.trim_start().starts_with("```")) {
        skip_to = *l;
    }
    let rest = body.iter().filter(|(l, _)| *l < marker_line || *l > skip_to).copied().collect();
    (Some(Located { value, line: first_line }), rest)
}

/// The pipe tables among a section's lines: runs of lines starting with `|`, the first the
/// header, a `|---|` line after it skipped.
fn tables(lines: &[(usize, &str)]) -> Vec<Table> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].1.trim_start().starts_with('|') {
            i += 1;
            continue;
        }
        let mut table = Table { line: lines[i].0, header: cells(lines[i].1), rows: Vec::new() };
        i += 1;
        if i < lines.len() && is_separator(lines[i].1) {
            i += 1;
        }
        while i < lines.len() && lines[i].1.trim_start().starts_with('|') {
            let cells = cells(lines[i].1).into_iter().map(|text| Cell { text, ..Cell::default() }).collect();
            table.rows.push(TableRow { line: lines[i].0, cells });
            i += 1;
        }
        out.push(table);
    }
    out
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// `| a | b | |` → `["a", "b", ""]`; `\|` is a pipe inside a cell.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") { &t[..t.len() - 1] } else { t };
    let mut out = vec![String::new()];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(s) = out.last_mut() {
                    s.push('|');
                }
            }
            '|' => out.push(String::new()),
            c => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out.iter().map(|s| s.trim().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_the_empty_last_one() {
        assert_eq!(cells("| string | 否 | 邮箱。 | |"), ["string", "否", "邮箱。", ""]);
        assert_eq!(cells("| a \\| b | c |"), ["a | b", "c"]);
    }
}
