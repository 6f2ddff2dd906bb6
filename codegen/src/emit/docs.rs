//! Rustdoc text from spec prose: escaping so vendor text renders as written and raises no
//! rustdoc warnings, and the doc blocks shared by several items.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line; tabs become four spaces, and a list is closed
/// before a line that would otherwise continue its last item lazily.
pub fn attrs(text: &str) -> TokenStream {
    let lines = close_lists(&text.replace('\t', "    ")).into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// The lines of Markdown prose, with a blank line inserted where a line less indented than the
/// list item above it follows that item: vendor prose means a new paragraph there ("- a\n- b\n
/// Note: …"), while Markdown would append it to the item ("lazy continuation").
fn close_lists(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut item_content: Option<usize> = None;
    let mut in_fence = false;
    for line in text.lines() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if body.starts_with("```") {
            in_fence = !in_fence;
            item_content = None;
        } else if in_fence {
        } else if body.is_empty() {
            item_content = None;
        } else if let Some(marker) = list_marker(body) {
            item_content = Some(indent + marker);
        } else if item_content.is_some_and(|c| indent < c) {
            out.push(String::new());
            item_content = None;
        }
        out.push(line.to_string());
    }
    out
}

/// The width of a list item's marker and the space after it (`- `, `* `, `+ `, `1. `, `1) `).
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Vendor prose as Markdown that means what it says: brackets and angle brackets are escaped
/// (no accidental links or HTML), and bare URLs become autolinks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_code = false;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
        let (plain, url_start) = match next_url {
            Some(i) => (&rest[..i], Some(i)),
            None => (rest, None),
        };
        for c in plain.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    out.push(c);
                }
                // Inside a code span a backslash would show; outside, these would be markup.
                '[' | ']' | '<' | '>' | '*' if !in_code => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        match url_start {
            Some(i) if in_code => {
                out.push_str(&rest[i..i + 1]);
                rest = &rest[i + 1..];
            }
            Some(i) => {
                let tail = &rest[i..];
                let end =
                    tail.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '（' | '）' | '，' | '。' | '、' | '；' | '：')).unwrap_or(tail.len());
                let url = tail[..end].trim_end_matches(['.', ',', ';']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &tail[url.len()..];
            }
            None => rest = "",
        }
    }
    out
}

/// Whether two pieces of prose say the same, but for spacing and closing punctuation (a
/// description that only repeats the title is not shown twice).
pub fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches(['.', '。', '!', '！']).split_whitespace().collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}

/// Inline code: the text between backticks, with backticks in it made harmless.
pub fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}

/// One JSON value as compact inline code, for examples and defaults.
pub fn json_code(value: &serde_json::Value) -> String {
    code(&value.to_string())
}

/// Scopes as one line: `name` (description): note; …
pub fn scopes(scopes: &[crate::model::Scope]) -> String {
    scopes
        .iter()
        .map(|sc| {
            let mut s = code(&sc.name);
            if let Some(d) = &sc.description {
                s.push_str(&format!(" ({})", escape(d)));
            }
            if let Some(note) = &sc.note {
                s.push_str(&format!(": {}", escape(note)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The paragraph listing where the spec departs from its doc page, if it does.
pub fn errata(errata: &[crate::model::Erratum]) -> Option<String> {
    if errata.is_empty() {
        return None;
    }
    let mut s = "Where this client departs from the doc page:".to_owned();
    for e in errata {
        s.push_str(&format!("\n- {}: page: {}; spec: {}. {}", code(&e.at), escape(&e.doc), escape(&e.spec), escape(&e.reason)));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::{close_lists, escape};

    #[test]
    fn a_line_after_a_list_starts_a_paragraph_but_indented_lines_stay_in_the_item() {
        assert_eq!(close_lists("Values:\n- a\n- b\nLimit: 100."), ["Values:", "- a", "- b", "", "Limit: 100."]);
        assert_eq!(close_lists("- `x`: one\n  - a\n  two"), ["- `x`: one", "  - a", "", "  two"]);
        assert_eq!(close_lists("1. first\n   more\n2) second"), ["1. first", "   more", "2) second"]);
        assert_eq!(close_lists("```\n- a\nb\n```"), ["```", "- a", "b", "```"]);
    }

    #[test]
    fn escapes_markup_but_not_code_spans_and_links_urls() {
        assert_eq!(escape("a [b] <c>"), "a \\[b\\] \\<c\\>");
        assert_eq!(escape("path `/api/<name>` here"), "path `/api/<name>` here");
        assert_eq!(escape("see https://x.cn/a。ok"), "see <https://x.cn/a>。ok");
        assert_eq!(escape("`https://x.cn` stays"), "`https://x.cn` stays");
    }
}
