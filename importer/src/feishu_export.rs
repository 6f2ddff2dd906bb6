//! Feishu pages exported to text (`shared/docs/seeds/000…`) → [`Draft`].
//!
//! The export differs from the Markdown pages in three ways: front matter with `source_url` and
//! `last_remote_update`; pipe tables without outer pipes whose cells run over several physical
//! lines (a line ending in two spaces continues on the next one when that line has no cell
//! separator or the row still lacks cells); and flat rows, whose nesting only the example JSON shows. Tables are read line by line
//! here and rewritten as one Markdown row per table row (`<br>` for the line breaks), with a map
//! back to the page's lines; the rest is read as in [`crate::feishu_md`], with nesting recovered
//! from the examples.

use super::feishu_md::{FrontMatter, ParseError, read_page};
use crate::draft::{Draft, Warning, WarningKind};

/// Reads one Feishu export page.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let fm = FrontMatter::read(text);
    let blanked = fm.blanked(text);
    let (normalized, lines) = normalize(&blanked);
    let map = |l: usize| lines.get(l.saturating_sub(1)).copied().unwrap_or(l);
    let mut draft = read_page(&normalized, &map, true)?;
    if let Some(title) = fm.get("title").filter(|t| !t.is_empty()) {
        draft.title = title.to_owned();
    }
    if let Some(url) = fm.get("source_url").filter(|u| !u.is_empty()) {
        draft.doc_url = Some(url.to_owned());
    }
    if let Some(date) = fm.get("last_remote_update").filter(|d| is_date(d)) {
        draft.updated = Some(date.to_owned());
    } else if let Some(ms) = fm.get("last_remote_update_timestamp").and_then(|t| t.trim().parse::<i64>().ok()) {
        draft.updated = Some(super::feishu_md::date_from_millis(ms));
    } else if let Some(bad) = fm.get("last_remote_update") {
        draft.warnings.push(Warning {
            line: fm.line_of("last_remote_update"),
            kind: WarningKind::Other,
            message: format!("the front matter's last_remote_update `{bad}` is not a YYYY-MM-DD date; the update date was left out."),
        });
    }
    Ok(draft)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The page with each table rewritten as a Markdown table, one line per row, and for each line
/// of the result the (1-based) line of the page it comes from. Lines outside tables keep their
/// place: a table is padded with blank lines to the number of lines it took.
pub(crate) fn normalize(text: &str) -> (String, Vec<usize>) {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut map: Vec<usize> = Vec::with_capacity(lines.len());
    let mut in_fence = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if is_fence(line) {
            in_fence = !in_fence;
        }
        let table_start =
            !in_fence && !is_fence(line) && !line.trim().is_empty() && !is_heading(line) && cell_separators(line) > 0 && lines.get(i + 1).is_some_and(|l| is_delimiter(l));
        if !table_start {
            out.push(line.to_owned());
            map.push(i + 1);
            i += 1;
            continue;
        }
        let columns = cells(line);
        out.push(markdown_row(line));
        map.push(i + 1);
        out.push(markdown_row(lines[i + 1]));
        map.push(i + 2);
        let mut j = i + 2;
        while j < lines.len() && !ends_table(lines[j]) {
            let start = j;
            let mut row = lines[j].trim_end_matches([' ', '\t']).to_owned();
            let mut hard = lines[j].ends_with("  ");
            j += 1;
            while j < lines.len() && !ends_table(lines[j]) {
                let next = lines[j];
                let continues = hard && (cell_separators(next) == 0 || cells(&row) < columns);
                if !continues {
                    break;
                }
                row.push_str("<br>");
                row.push_str(next.trim().trim_end_matches([' ', '\t']));
                hard = next.ends_with("  ");
                j += 1;
            }
            out.push(markdown_row(&row));
            map.push(start + 1);
        }
        // Pad so that what follows the table stays on its own line number.
        while out.len() < j {
            out.push(String::new());
            map.push(j);
        }
        i = j;
    }
    (out.join("\n"), map)
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

fn is_heading(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn ends_table(line: &str) -> bool {
    line.trim().is_empty() || is_heading(line) || is_fence(line)
}

/// `---|---`, `--- | :---: | ---`, `|---|---|`.
fn is_delimiter(line: &str) -> bool {
    let t = line.trim().trim_matches('|');
    !t.is_empty()
        && t.contains('-')
        && t.split('|').all(|c| {
            let c = c.trim();
            !c.is_empty() && c.trim_matches(':').chars().all(|ch| ch == '-')
        })
}

/// Number of unescaped `|` outside code spans, not counting outer pipes.
fn cell_separators(line: &str) -> usize {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(t);
    let mut count = 0;
    let mut code = false;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => code = !code,
            '|' if !code => count += 1,
            _ => {}
        }
    }
    count
}

fn cells(line: &str) -> usize {
    cell_separators(line) + 1
}

/// `a | b` → `| a | b |`.
fn markdown_row(line: &str) -> String {
    let t = line.trim();
    let mut s = String::with_capacity(t.len() + 4);
    if !t.starts_with('|') {
        s.push_str("| ");
    }
    s.push_str(t);
    if !t.ends_with('|') || t.ends_with("\\|") {
        s.push_str(" |");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_cells_become_one_row() {
        let page = "## 请求\n名称 | 值\n---|---\nHTTP Method | GET\n权限要求  \n    **说明** | 读取(a:b)\n描述 | 第一行  \n第二行  \n- 列表\n\n后文";
        let (text, map) = normalize(page);
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[1], "| 名称 | 值 |");
        assert_eq!(lines[3], "| HTTP Method | GET |");
        assert_eq!(lines[4], "| 权限要求<br>**说明** | 读取(a:b) |");
        assert_eq!(lines[5], "| 描述 | 第一行<br>第二行<br>- 列表 |");
        assert_eq!(map[4], 5);
        assert_eq!(map[5], 7);
        assert_eq!(lines.len(), page.split('\n').count());
        assert_eq!(lines[10], "后文");
        assert_eq!(map[10], 11);
    }
}
