//! A type cell of a doc table, read by one grammar: primitive spellings (`int`, `number(float)`,
//! `i64`), containers (`T[]`, `array<T>`, `list<T>`, `array(T)`, `[](T)`, `map<K, V>`), named
//! types (`user`, `app.table.record`, `object(TextStyle)`, `enum(Align)`), and the tokens that
//! state no type at all (`-`, `/`, prose). What the token means for a field is `build`'s to decide.

/// What a type cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A primitive the spec format has.
    Scalar(Scalar),
    /// `T[]`, `array<T>`, `list<T>`, `array(T)`; `None` when the item type is not written
    /// (`array`, `list`, the typo `array>`).
    Array(Option<Box<Token>>),
    /// `map<K, V>` (the keys are JSON object keys, so only `V` counts); `None` for a bare `map`.
    Map(Option<Box<Token>>),
    /// `object`, `json`, `any`: a structure whose fields, if any, are the rows below it.
    Object,
    /// A type of the vendor's, by its name: `user`, `app.table.record`, `object(TextStyle)`.
    Named(String),
    /// `enum(Align)`: an enum defined elsewhere, by its name.
    Enum(String),
    /// `union`, `interface`: a value of several shapes, which the spec format cannot say.
    Union(String),
    /// `-`, `/` or an empty cell: no type stated.
    Unstated,
    /// Prose where the type belongs (`URL参数`, `请求 body`): no type stated either.
    Prose(String),
}

/// The primitive types a cell can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    /// Every integer spelling: Feishu's `int` is an int64 on the wire.
    Int,
    Float,
    /// Authing's `number`: an integer or not, as the example shows.
    Number,
    Bool,
    /// A file part of a multipart body (or, with rows below it, a struct the vendor calls `file`).
    File,
}

impl Token {
    /// The name the token gives a type of the vendor's, looking through containers:
    /// `department_base_info[]` → `department_base_info`.
    pub fn name(&self) -> Option<&str> {
        match self {
            Token::Named(n) | Token::Enum(n) => Some(n),
            Token::Array(Some(t)) | Token::Map(Some(t)) => t.name(),
            _ => None,
        }
    }
}

/// Reads a type cell (backticks, Markdown escapes and full-width brackets allowed).
pub fn parse(cell: &str) -> Token {
    let text = normalize(cell);
    read(&text)
}

fn read(text: &str) -> Token {
    let text = text.trim();
    if text.is_empty() || text == "-" || text == "/" || text == "—" {
        return Token::Unstated;
    }
    if let Some(item) = text.strip_suffix("[]") {
        return Token::Array(Some(Box::new(read(item))));
    }
    if let Some(item) = text.strip_prefix("[]") {
        // `[](string)`, the JSON-skeleton spelling of an array.
        return Token::Array(Some(Box::new(read(unwrap_parens(item)))));
    }
    if let Some((head, args)) = generic(text) {
        return applied(head, args);
    }
    let lower = text.to_ascii_lowercase();
    if let Some(s) = scalar(&lower) {
        return Token::Scalar(s);
    }
    match lower.as_str() {
        "object" | "json" | "any" | "struct" => return Token::Object,
        "map" | "dict" => return Token::Map(None),
        "union" | "interface" => return Token::Union(text.to_owned()),
        _ => {}
    }
    // `array>`, `List\`: an array whose item type the page lost.
    let bare = lower.trim_end_matches(|c: char| c.is_ascii_punctuation());
    if bare == "array" || bare == "list" {
        return Token::Array(None);
    }
    if is_name(text) {
        return Token::Named(text.to_owned());
    }
    Token::Prose(text.to_owned())
}

/// `head<args>` or `head(args)`, the closing bracket optional (`object(OkrKeyResult`).
fn generic(text: &str) -> Option<(&str, &str)> {
    let open = text.find(['<', '('])?;
    let head = text[..open].trim();
    if head.is_empty() || !is_name(head) {
        return None;
    }
    let close = if text[open..].starts_with('<') { '>' } else { ')' };
    let args = &text[open + 1..];
    let args = args.strip_suffix(close).unwrap_or(args);
    Some((head, args.trim()))
}

/// A generic head applied to its arguments.
fn applied(head: &str, args: &str) -> Token {
    let lower = head.to_ascii_lowercase();
    match lower.as_str() {
        "array" | "list" | "vec" | "set" if args.is_empty() => Token::Array(None),
        "array" | "list" | "vec" | "set" => Token::Array(Some(Box::new(read(args)))),
        "map" | "dict" if args.is_empty() => Token::Map(None),
        // `map<string, int>`: the value type is the last argument at the top level.
        "map" | "dict" => Token::Map(Some(Box::new(read(split_top(args).last().copied().unwrap_or(args))))),
        "object" if args.is_empty() => Token::Object,
        "object" => read(args),
        "enum" if args.is_empty() => Token::Named(head.to_owned()),
        "enum" => Token::Enum(args.to_owned()),
        // `number(float)`, `string(int64)`: the primitive outside, the brackets say more of it.
        _ => match (scalar(&lower), scalar(&args.to_ascii_lowercase())) {
            (Some(Scalar::Number), Some(inner @ (Scalar::Int | Scalar::Float))) => Token::Scalar(inner),
            (Some(s), _) => Token::Scalar(s),
            // A generic the vendor made up (`option<string>`): the type is the head.
            (None, _) => Token::Named(head.to_owned()),
        },
    }
}

fn scalar(lower: &str) -> Option<Scalar> {
    Some(match lower {
        "string" | "str" => Scalar::String,
        "int" | "int32" | "int64" | "integer" | "long" | "i32" | "i64" | "u32" | "u64" | "uint" | "uint32" | "uint64" | "short" | "byte" => Scalar::Int,
        "float" | "double" | "float32" | "float64" | "f32" | "f64" | "decimal" => Scalar::Float,
        "number" => Scalar::Number,
        "boolean" | "bool" => Scalar::Bool,
        "file" | "binary" => Scalar::File,
        _ => return None,
    })
}

/// Splits at commas outside brackets: `string, map<string, int>` → `string`, `map<string, int>`.
fn split_top(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].trim());
    out
}

fn unwrap_parens(text: &str) -> &str {
    let t = text.trim();
    let t = t.strip_prefix('(').unwrap_or(t);
    t.strip_suffix(')').unwrap_or(t)
}

/// A name a spec may give a type: ASCII letters, digits, `_`, `-` and `.`, starting with a letter.
fn is_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Backticks and Markdown escapes dropped, full-width brackets and commas made ASCII, a trailing
/// stray backslash (`List\`) dropped.
fn normalize(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {}
            '\\' if chars.peek().is_none_or(char::is_ascii_punctuation) => {}
            '（' => out.push('('),
            '）' => out.push(')'),
            '，' => out.push(','),
            '＜' => out.push('<'),
            '＞' => out.push('>'),
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: &str) -> Token {
        Token::Named(n.to_owned())
    }

    fn array(t: Token) -> Token {
        Token::Array(Some(Box::new(t)))
    }

    fn map(t: Token) -> Token {
        Token::Map(Some(Box::new(t)))
    }

    #[track_caller]
    fn check(cell: &str, expect: Token) {
        assert_eq!(parse(cell), expect, "{cell}");
    }

    #[test]
    fn primitives_in_every_spelling() {
        check("`string`", Token::Scalar(Scalar::String));
        check("int", Token::Scalar(Scalar::Int));
        check("i64", Token::Scalar(Scalar::Int));
        check("number(float)", Token::Scalar(Scalar::Float));
        check("number（int）", Token::Scalar(Scalar::Int));
        check("number", Token::Scalar(Scalar::Number));
        check("boolean", Token::Scalar(Scalar::Bool));
        check("string ", Token::Scalar(Scalar::String));
    }

    #[test]
    fn containers() {
        check("`string\\[\\]`", array(Token::Scalar(Scalar::String)));
        check("number(float)[]", array(Token::Scalar(Scalar::Float)));
        check("array<int64>", array(Token::Scalar(Scalar::Int)));
        check("list<Item>", array(named("Item")));
        check("array(TextElement)", array(named("TextElement")));
        check("[](string)", array(Token::Scalar(Scalar::String)));
        check("department_base_info[][]", array(array(named("department_base_info"))));
        check("array>", Token::Array(None));
        check("List\\", Token::Array(None));
        check("map<string, string>", map(Token::Scalar(Scalar::String)));
        check("map<string,int>", map(Token::Scalar(Scalar::Int)));
        check("map<string, union>", map(Token::Union("union".to_owned())));
        check("map<string, map<string, int>>", map(map(Token::Scalar(Scalar::Int))));
        check("map", Token::Map(None));
    }

    #[test]
    fn named_types() {
        check("object(TextElementStyle)", named("TextElementStyle"));
        check("object(Text）", named("Text"));
        check("object(OkrKeyResult", named("OkrKeyResult"));
        check("app.table.record[]", array(named("app.table.record")));
        check("enum(Align)", Token::Enum("Align".to_owned()));
        check("enum", named("enum"));
        check("option<string>[]", array(named("option")));
        assert_eq!(parse("department_base_info\\[\\]").name(), Some("department_base_info"));
    }

    #[test]
    fn tokens_that_state_no_type() {
        check("-", Token::Unstated);
        check("`\\-`", Token::Unstated);
        check("/", Token::Unstated);
        check("", Token::Unstated);
        check("object", Token::Object);
        check("interface", Token::Union("interface".to_owned()));
        check("array<interface>", array(Token::Union("interface".to_owned())));
        check("URL参数", Token::Prose("URL参数".to_owned()));
        check("请求 body", Token::Prose("请求 body".to_owned()));
    }
}
