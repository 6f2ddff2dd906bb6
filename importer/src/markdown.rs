//! Markdown pages as sections, tables and code blocks, each with its line, read with
//! pulldown-cmark (tables on). Cell text is flattened: markup gone, links reduced to their text,
//! `<br>` a line break, entities decoded (`&nbsp;` becomes U+00A0).

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Default)]
pub struct Section {
    /// The heading's text; empty for what comes before the first heading.
    pub heading: String,
    /// 1 for `#`, 2 for `##`, …; 0 before the first heading.
    pub level: u8,
    pub line: usize,
    /// Anchor ids in the heading (`<a id="UserDto"></a>`).
    pub anchors: Vec<String>,
    pub paragraphs: Vec<(usize, String)>,
    pub tables: Vec<Table>,
    /// `(line of the fence, language, text)`.
    pub code: Vec<(usize, String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub line: usize,
    pub header: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Default)]
pub struct TableRow {
    pub line: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub text: String,
    /// `(text, href)` of every link in the cell, Markdown or `<a href>`.
    pub links: Vec<(String, String)>,
    /// Text that was in inline code spans, in order.
    pub code: Vec<String>,
}

impl Table {
    /// The index of the first column whose header contains one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.iter().any(|n| h.contains(n)))
    }
}

impl TableRow {
    pub fn cell(&self, index: Option<usize>) -> Option<&Cell> {
        index.and_then(|i| self.cells.get(i))
    }

    pub fn text(&self, index: Option<usize>) -> &str {
        self.cell(index).map_or("", |c| c.text.as_str())
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Splits a page at its headings.
pub fn sections(text: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut in_heading: Option<(u8, usize, String, Vec<String>)> = None;
    let mut table: Option<Table> = None;
    let mut row: Option<TableRow> = None;
    let mut cell: Option<Cell> = None;
    let mut in_header = false;
    let mut header_cells: Vec<String> = Vec::new();
    let mut code: Option<(usize, String, String)> = None;
    let mut paragraph: Option<(usize, String)> = None;
    let mut link: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        let line = line_of(text, range.start);
        match event {
            Event::Start(Tag::Heading { level, .. }) => in_heading = Some((level as u8, line, String::new(), Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, line, heading, anchors)) = in_heading.take() {
                    out.push(Section { heading: heading.trim().to_owned(), level, line, anchors, ..Section::default() });
                }
            }
            Event::Start(Tag::Table(_)) => table = Some(Table { line, ..Table::default() }),
            Event::End(TagEnd::Table) => {
                if let (Some(t), Some(s)) = (table.take(), out.last_mut()) {
                    s.tables.push(t);
                }
            }
            Event::Start(Tag::TableHead) => {
                in_header = true;
                header_cells.clear();
            }
            Event::End(TagEnd::TableHead) => {
                in_header = false;
                if let Some(t) = table.as_mut() {
                    t.header = std::mem::take(&mut header_cells);
                }
            }
            Event::Start(Tag::TableRow) => row = Some(TableRow { line, cells: Vec::new() }),
            Event::End(TagEnd::TableRow) => {
                if let (Some(r), Some(t)) = (row.take(), table.as_mut()) {
                    t.rows.push(r);
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(Cell::default()),
            Event::End(TagEnd::TableCell) => {
                if let Some(mut c) = cell.take() {
                    c.text = tidy(&c.text);
                    if in_header {
                        header_cells.push(c.text);
                    } else if let Some(r) = row.as_mut() {
                        r.cells.push(c);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((line, lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let (Some(c), Some(s)) = (code.take(), out.last_mut()) {
                    s.code.push(c);
                }
            }
            Event::Start(Tag::Paragraph) if cell.is_none() => paragraph = Some((line, String::new())),
            Event::End(TagEnd::Paragraph) => {
                if let (Some((l, p)), Some(s)) = (paragraph.take(), out.last_mut()) {
                    let p = tidy(&p);
                    if !p.is_empty() {
                        s.paragraphs.push((l, p));
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((String::new(), dest_url.to_string())),
            Event::End(TagEnd::Link) => {
                if let (Some(l), Some(c)) = (link.take(), cell.as_mut()) {
                    c.links.push(l);
                }
            }
            Event::Start(Tag::Item) => {
                // Items of a tight list have no paragraph of their own: they become one each.
                if cell.is_none() && paragraph.is_none() && code.is_none() {
                    paragraph = Some((line, "- ".to_owned()));
                } else {
                    push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, "\n- ");
                }
            }
            Event::End(TagEnd::Item) => {
                if let (true, Some((l, p)), Some(s)) = (cell.is_none(), paragraph.take(), out.last_mut()) {
                    let p = tidy(&p);
                    if !p.is_empty() && p != "-" {
                        s.paragraphs.push((l, p));
                    }
                }
            }
            Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.code.push(t.to_string());
                }
                push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, &format!("`{t}`"));
            }
            Event::Text(t) => push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, &t),
            Event::SoftBreak => push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, " "),
            Event::HardBreak => push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, "\n"),
            Event::Html(h) | Event::InlineHtml(h) => {
                let h = h.trim();
                let lower = h.to_ascii_lowercase();
                if lower.starts_with("<br") {
                    push_text(&mut in_heading, &mut cell, &mut code, &mut paragraph, &mut link, "\n");
                } else if let Some(id) = attribute(h, "id") {
                    if let Some((_, _, _, anchors)) = in_heading.as_mut() {
                        anchors.push(id);
                    }
                } else if let Some(href) = attribute(h, "href") {
                    link = Some((String::new(), href));
                } else if lower.starts_with("</a")
                    && let (Some(l), Some(c)) = (link.take(), cell.as_mut())
                {
                    c.links.push(l);
                }
            }
            _ => {}
        }
    }
    out
}

fn push_text(
    heading: &mut Option<(u8, usize, String, Vec<String>)>,
    cell: &mut Option<Cell>,
    code: &mut Option<(usize, String, String)>,
    paragraph: &mut Option<(usize, String)>,
    link: &mut Option<(String, String)>,
    text: &str,
) {
    if let Some(l) = link.as_mut() {
        l.0.push_str(text);
    }
    if let Some((_, _, body)) = code.as_mut() {
        body.push_str(text);
    } else if let Some(c) = cell.as_mut() {
        c.text.push_str(text);
    } else if let Some((_, _, h, _)) = heading.as_mut() {
        h.push_str(text);
    } else if let Some((_, p)) = paragraph.as_mut() {
        p.push_str(text);
    }
}

/// The value of `name="…"` in an HTML tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_owned())
}

/// Trims each line and the whole, keeping U+00A0 (it carries Feishu's nesting).
fn tidy(s: &str) -> String {
    s.split('\n').map(|l| l.trim_matches(|c: char| c == ' ' || c == '\t')).collect::<Vec<_>>().join("\n").trim_matches(|c: char| c == '\n' || c == ' ').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_cells_links_and_lines() {
        let page = "# T\n\n## 参数\n\n| 名称 | 类型 | 描述 |\n| --- | --- | --- |\n| `a` | `string` | 第一行<br>**示例值**：\"x\" [链接](https://x.example) |\n| &nbsp;&nbsp;└ `b` | <a href=\"#Dto\">Dto</a> | y |\n\n```json\n{\"a\": 1}\n```\n";
        let s = sections(page);
        let sec = s.iter().find(|s| s.heading == "参数").unwrap();
        let t = &sec.tables[0];
        assert_eq!(t.header, ["名称", "类型", "描述"]);
        assert_eq!(t.line, 5);
        assert_eq!(t.rows[0].line, 7);
        assert_eq!(t.rows[0].cells[0].text, "`a`");
        assert_eq!(t.rows[0].cells[0].code, ["a"]);
        assert_eq!(t.rows[0].cells[2].text, "第一行\n示例值：\"x\" 链接");
        assert_eq!(t.rows[0].cells[2].links, [("链接".to_owned(), "https://x.example".to_owned())]);
        assert_eq!(t.rows[1].cells[0].text, "\u{a0}\u{a0}└ `b`");
        assert_eq!(t.rows[1].cells[1].links, [("Dto".to_owned(), "#Dto".to_owned())]);
        assert_eq!(sec.code, [(10, "json".to_owned(), "{\"a\": 1}\n".to_owned())]);
    }
}
