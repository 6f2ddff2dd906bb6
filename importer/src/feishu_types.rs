//! What a Feishu page defines, whatever kind of page it is: every table row that names a type of
//! the vendor's and has rows below it (API pages, resource overviews, event pages), and the
//! sections of data-structure pages (`### TextStyle`: a JSON skeleton, then a table whose dotted
//! names nest, `property.merge_info.row_span`; `{}` alone for an empty structure; an `枚举值`
//! table for an enum). [`crate::dictionary`] keeps them for the pages that name a type without
//! its fields.

use crate::dictionary::DefinitionKind;
use crate::draft::Row;
use crate::feishu_md::{FrontMatter, clean_token, split_name};
use crate::markdown::{self, Section, Table};
use crate::type_token::{self, Token};

/// A definition as one page gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub name: String,
    pub line: usize,
    pub description: Option<String>,
    pub kind: DefinitionKind,
}

/// The definitions of a Feishu page (Markdown or export), in page order.
pub fn definitions(text: &str) -> Vec<Found> {
    let fm = FrontMatter::read(text);
    let blanked = fm.blanked(text);
    let export = fm.get("source_url").is_some() && fm.get("fullPath").is_none();
    let (body, lines) = if export { crate::feishu_export::normalize(&blanked) } else { (blanked, Vec::new()) };
    let map = |l: usize| if export { lines.get(l.saturating_sub(1)).copied().unwrap_or(l) } else { l };
    let secs = markdown::sections(&body);
    let mut out = Vec::new();
    for sec in &secs {
        if let Some(found) = section_definition(sec, &map) {
            out.push(found);
        }
        for t in &sec.tables {
            let rows = rows(t, &map);
            row_definitions(&rows, &mut out);
        }
    }
    out
}

/// A `### Name` section of a data-structure page: its table's rows, `{}`, or an enum's values.
fn section_definition(sec: &Section, map: &dyn Fn(usize) -> usize) -> Option<Found> {
    if sec.level < 2 {
        return None;
    }
    // `UndefinedElement（仅输出）`: the name is the first word.
    let name = sec.heading.split(['（', '(', ' ', '\u{a0}']).next().unwrap_or_default().trim();
    if !matches!(type_token::parse(name), Token::Named(_)) {
        return None;
    }
    let description = sec.paragraphs.first().map(|(_, p)| p.clone());
    let line = map(sec.line);
    match sec.tables.first() {
        Some(t) if column(t, &["类型"]).is_some() => {
            let rows = rows(t, map);
            Some(Found { name: name.to_owned(), line, description, kind: DefinitionKind::Struct(rows) })
        }
        Some(t) if column(t, &["枚举值", "取值"]).is_some() => {
            let value = column(t, &["枚举值", "取值"]);
            let meaning = column(t, &["描述", "说明", "含义"]);
            let values: Vec<(String, Option<String>)> =
                t.rows.iter().map(|r| (clean_token(r.text(value)), Some(r.text(meaning).trim().to_owned()).filter(|m| !m.is_empty()))).filter(|(v, _)| !v.is_empty()).collect();
            (!values.is_empty()).then(|| Found { name: name.to_owned(), line, description, kind: DefinitionKind::Enum(values) })
        }
        Some(_) => None,
        None => {
            // An empty structure says so with `{}` as its skeleton, or in words.
            let empty_skeleton = sec.code.iter().any(|(_, _, code)| code.chars().filter(|c| !c.is_whitespace()).collect::<String>() == "{}");
            let says_empty = sec.paragraphs.iter().any(|(_, p)| p.contains("空结构体"));
            if empty_skeleton || says_empty {
                return Some(Found { name: name.to_owned(), line, description, kind: DefinitionKind::Struct(Vec::new()) });
            }
            // Words only: the type is named and described, its structure not given.
            description.clone().map(|_| Found { name: name.to_owned(), line, description, kind: DefinitionKind::Opaque })
        }
    }
}

/// Every row that names a type and has rows below it defines that type with those rows.
fn row_definitions(rows: &[Row], out: &mut Vec<Found>) {
    for (i, row) in rows.iter().enumerate() {
        let token = type_token::parse(&row.ty);
        if matches!(token, Token::Enum(_)) {
            continue;
        }
        let Some(name) = token.name() else { continue };
        let below: Vec<Row> = rows[i + 1..].iter().take_while(|r| r.depth > row.depth).map(|r| Row { depth: r.depth - row.depth - 1, ..r.clone() }).collect();
        if !below.is_empty() {
            out.push(Found { name: name.to_owned(), line: row.line, description: None, kind: DefinitionKind::Struct(below) });
        }
    }
}

/// A table's rows with their nesting: `└` markers, or dotted names whose prefix is an earlier row.
fn rows(t: &Table, map: &dyn Fn(usize) -> usize) -> Vec<Row> {
    let Some(ty) = column(t, &["类型"]) else { return Vec::new() };
    let name_col = column(t, &["名称", "参数", "字段", "名字", "属性名"]).filter(|c| *c != ty).unwrap_or(0);
    let required = column(t, &["必填", "必选", "是否必须", "属性"]).filter(|c| *c != name_col);
    let desc = column(t, &["描述", "说明"]);
    let example = column(t, &["示例"]);
    let default = column(t, &["默认值"]);
    let mut out: Vec<Row> = Vec::new();
    // The names of the rows a new row may nest under, by depth.
    let mut stack: Vec<String> = Vec::new();
    for r in &t.rows {
        let (mut depth, name) = split_name(r.text(Some(name_col)));
        let (mut name, marked) = crate::feishu_md::required_in_name(&name);
        if name.is_empty() {
            continue;
        }
        if depth == 0
            && let Some((prefix, last)) = name.rsplit_once('.')
        {
            let parents: Vec<&str> = prefix.split('.').collect();
            if parents.len() <= stack.len() && stack[..parents.len()].iter().zip(&parents).all(|(a, b)| a == b) {
                depth = parents.len();
                name = last.to_owned();
            }
        }
        stack.truncate(depth);
        stack.push(name.clone());
        let cell = |c: Option<usize>| Some(clean_token(r.text(c))).filter(|v| !v.is_empty() && v != "-" && v != "/");
        let ty_text = clean_token(r.text(Some(ty)));
        let bool_like = matches!(type_token::parse(&ty_text), Token::Scalar(type_token::Scalar::Bool));
        out.push(Row {
            line: map(r.line),
            depth,
            name,
            ty: ty_text,
            required: required.and_then(|c| crate::feishu_md::parse_required(r.text(Some(c)))).or(marked),
            default: cell(default).map(|d| if bool_like { d.to_ascii_lowercase() } else { d }),
            description: r.text(desc).to_owned(),
            example: cell(example),
            nested_type: None,
        });
    }
    out
}

fn column(t: &Table, names: &[&str]) -> Option<usize> {
    t.column(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_rows_below_define_their_type() {
        let page = "# 页\n\n## 响应体\n\n| 名称 | 类型 | 描述 |\n| --- | --- | --- |\n| `data` | `\\-` | \\- |\n| &nbsp;&nbsp;└ `owner` | `gardener` | 园丁 |\n| &nbsp;&nbsp;&nbsp;&nbsp;└ `id` | `string` | ID |\n| &nbsp;&nbsp;&nbsp;&nbsp;└ `tools` | `tool\\[\\]` | 工具 |\n| &nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;└ `kind` | `string` | 种类 |\n| &nbsp;&nbsp;└ `helper` | `gardener` | 助手 |\n";
        let found = definitions(page);
        let names: Vec<(&str, usize)> = found.iter().map(|f| (f.name.as_str(), f.line)).collect();
        assert_eq!(names, [("gardener", 8), ("tool", 10)]);
        let DefinitionKind::Struct(rows) = &found[0].kind else { panic!() };
        let shape: Vec<(&str, usize)> = rows.iter().map(|r| (r.name.as_str(), r.depth)).collect();
        assert_eq!(shape, [("id", 0), ("tools", 0), ("kind", 1)]);
    }

    #[test]
    fn data_structure_sections() {
        let page = "# 结构\n\n### Fence\n\n围栏，为空结构体。\n\n```\n{}\n```\n\n### Gate（仅输出）\n\n大门。\n\n| 名称 | 数据类型 | 属性 | 默认值 | 描述 |\n| --- | --- | --- | --- | --- |\n| width | int | required | - | 宽度 |\n| hinge | object(Hinge) | optional | - | 铰链 |\n| hinge.side | enum(Side) | optional | - | 哪一侧 |\n| open | boolean | optional | FALSE | 是否打开 |\n\n### Side\n\n| 枚举值 | 描述 |\n| --- | --- |\n| 1 | 左 |\n| 2 | 右 |\n\n## 说明\n\n| 名称 | 值 |\n| --- | --- |\n| a | b |\n";
        let found = definitions(page);
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Fence", "Gate", "Hinge", "Side"]);
        assert_eq!(found[0].kind, DefinitionKind::Struct(Vec::new()));
        assert_eq!(found[1].description.as_deref(), Some("大门。"));
        let DefinitionKind::Struct(rows) = &found[1].kind else { panic!() };
        let shape: Vec<(&str, usize, Option<bool>, Option<&str>)> = rows.iter().map(|r| (r.name.as_str(), r.depth, r.required, r.default.as_deref())).collect();
        assert_eq!(shape, [("width", 0, Some(true), None), ("hinge", 0, Some(false), None), ("side", 1, Some(false), None), ("open", 0, Some(false), Some("false"))]);
        assert_eq!(found[3].kind, DefinitionKind::Enum(vec![("1".to_owned(), Some("左".to_owned())), ("2".to_owned(), Some("右".to_owned()))]));
    }
}
