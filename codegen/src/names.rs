//! Rust names for wire names: case conversion, keyword escaping, and the checks that go with them.
//! Chinese characters are written in pinyin (`注意` → `zhu_yi`), so a name with no ASCII letters
//! still gets a readable Rust name that stays the same from run to run; other characters that
//! are not ASCII letters or digits separate words.

use heck::{ToSnakeCase, ToUpperCamelCase};
use pinyin::ToPinyin;

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers: they get a trailing underscore.
const NO_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// `userId` → `user_id`, `x-authing-lang` → `x_authing_lang`, `用户ID` → `yong_hu_id`; `None`
/// when no letter or digit is left.
pub fn snake(wire: &str) -> Option<String> {
    let s = words(wire).to_snake_case();
    valid_ascii(&s).then_some(s)
}

/// `user` → `User`, `open_id` → `OpenId`, `azure-ad` → `AzureAd`, `在线` → `ZaiXian`.
pub fn upper_camel(wire: &str) -> Option<String> {
    let s = words(wire).to_upper_camel_case();
    valid_ascii(&s).then_some(s)
}

/// The name with each Chinese character as its pinyin word and every other character that is
/// not an ASCII letter or digit as a space; ASCII names come back unchanged.
fn words(wire: &str) -> std::borrow::Cow<'_, str> {
    if wire.is_ascii() {
        return std::borrow::Cow::Borrowed(wire);
    }
    let mut out = String::with_capacity(wire.len() * 2);
    for c in wire.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Some(p) = c.to_pinyin() {
            out.push(' ');
            out.push_str(p.plain());
            out.push(' ');
        } else {
            out.push(' ');
        }
    }
    std::borrow::Cow::Owned(out)
}

fn valid_ascii(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `s` is usable as written as a Rust identifier (before keyword escaping).
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The identifier to emit for a name: `type` → `r#type`, `self` → `self_`, `1x` → `_1x`.
pub fn escape(name: &str) -> String {
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("_{name}") } else { name.to_owned() };
    if NO_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_OK.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A variant name for an enum value: `Activated`, `OpenId`; digits get a `V` in front (`1` → `V1`);
/// a value of symbols only is named by their code points (`*` → `U2A`, `>=` → `U3E3D`).
pub fn variant(value: &str) -> Option<String> {
    let s = match upper_camel(value) {
        Some(s) => s,
        None if !value.trim().is_empty() => value.trim().chars().map(|c| format!("{:X}", u32::from(c))).fold("U".to_owned(), |acc, h| acc + &h),
        None => return None,
    };
    Some(if s.starts_with(|c: char| c.is_ascii_digit()) { format!("V{s}") } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(wire: &str, snake_name: &str, camel: &str) {
        assert_eq!(snake(wire).map(|s| escape(&s)).as_deref(), Some(snake_name));
        assert_eq!(upper_camel(wire).map(|s| escape(&s)).as_deref(), Some(camel));
    }

    #[test]
    fn conversions() {
        check("userId", "user_id", "UserId");
        check("user_id_type", "user_id_type", "UserIdType");
        check("x-authing-lang", "x_authing_lang", "XAuthingLang");
        check("type", "r#type", "Type");
        check("self", "self_", "Self_");
        check("UserDto", "user_dto", "UserDto");
        check("face_uploaded", "face_uploaded", "FaceUploaded");
    }

    #[test]
    fn variants_and_non_ascii() {
        assert_eq!(variant("azure-ad").as_deref(), Some("AzureAd"));
        assert_eq!(variant("1").as_deref(), Some("V1"));
        assert_eq!(snake("用户").as_deref(), Some("yong_hu"));
        assert_eq!(snake("用户ID").as_deref(), Some("yong_hu_id"));
        assert_eq!(upper_camel("注意事项").as_deref(), Some("ZhuYiShiXiang"));
        assert_eq!(variant("在线").as_deref(), Some("ZaiXian"));
        assert_eq!(snake("（）"), None);
        assert_eq!(variant("*").as_deref(), Some("U2A"));
        assert_eq!(variant(">=").as_deref(), Some("U3E3D"));
        assert!(is_ident("user_id") && !is_ident("user-id") && !is_ident("1a"));
    }
}
