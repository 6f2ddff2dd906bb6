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
    while !rest.is_empty() {
        let next_url = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
        let (plain, url_start) = match next_url {
            Some(i) => (&rest[..i], Some(i)),
            None => (rest, None),
        };
        for c in plain.chars() {
            match c {
                '[' | ']' | '<' | '>' | '*' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        match url_start {
            Some(i) => {
                let tail = &rest[i..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '（' | '）' | '，' | '。' | '、' | '；' | '：'))
                    .unwrap_or(tail.len());
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

/// Inline code: the text between backticks, with backticks in it made harmless.
pub fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}

/// One JSON value as compact inline code, for examples and defaults.
pub fn json_code(value: &serde_json::Value) -> String {
    code(&value.to_string())
}
