//! Rustdoc text from spec prose: escaping so vendor text renders as written and raises no
//! rustdoc warnings, and the doc blocks shared by several items.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
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

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_but_not_code_spans_and_links_urls() {
        assert_eq!(escape("a [b] <c>"), "a \\[b\\] \\<c\\>");
        assert_eq!(escape("path `/api/<name>` here"), "path `/api/<name>` here");
        assert_eq!(escape("see https://x.cn/a。ok"), "see <https://x.cn/a>。ok");
        assert_eq!(escape("`https://x.cn` stays"), "`https://x.cn` stays");
    }
}
