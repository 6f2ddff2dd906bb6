//! The property behind the checker's name rules: any spec it accepts generates code that
//! compiles. Spec trees are drawn at random (a fixed seed, so a failure reproduces) with names
//! taken from the table of names the generated code uses itself (`codegen::reserved`), Rust's
//! keywords, and names built to collide with generated setters; each tree is either rejected with
//! located errors or compiled through `generate!` (one trybuild pass case holding every accepted
//! vendor, compiled once with the other UI cases).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::reserved;

/// Random spec trees drawn per run.
const VENDORS: usize = 48;
const SEED: u64 = 0x5eed_c0de;

/// Names the generator takes or Rust reserves, plus some built to collide with derived names.
fn pool() -> Vec<&'static str> {
    const KEYWORDS: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "Self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "gen",
        "macro",
        "override",
        "priv",
        "try",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "union",
        "macro_rules",
        "raw",
        "safe",
    ];
    const COLLIDING: &[&str] = &[
        "set_items",
        "set_send",
        "items_",
        "send_",
        "new",
        "set_new",
        "user_access_token",
        "member_access_token",
        "Unknown",
        "unknown",
        "PROFILE",
        "value",
        "required",
        "token",
        "page_token",
        "has_more",
        "data",
        "code",
        "msg",
        "x",
        "set_x",
    ];
    let mut pool: Vec<&'static str> = Vec::new();
    for list in [
        reserved::REQUEST_METHODS,
        reserved::REQUEST_FIELDS,
        reserved::STRUCT_METHODS,
        reserved::TRAIT_METHODS,
        reserved::CLIENT_METHODS,
        reserved::BUILDER_METHODS,
        reserved::VENDOR_ITEMS,
        reserved::PRELUDE,
        KEYWORDS,
        COLLIDING,
    ] {
        pool.extend(list.iter().copied());
    }
    pool.sort_unstable();
    pool.dedup();
    pool
}

/// A small deterministic generator (xorshift), so the trees are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Draws names for one owner: distinct after snake_case conversion (two that collide there are
/// a spec error the checker reports, which would make most trees rejects).
struct Draw<'p> {
    pool: &'p [&'static str],
    used: Vec<String>,
}

impl Draw<'_> {
    fn name(&mut self, rng: &mut Rng) -> &'static str {
        loop {
            let n = self.pool[rng.below(self.pool.len())];
            let key = codegen::names::snake(n).unwrap_or_default();
            if !self.used.contains(&key) {
                self.used.push(key);
                return n;
            }
        }
    }
}

/// A scalar field type and whether it needs an enum or struct definition.
fn scalar(rng: &mut Rng) -> &'static str {
    ["string", "int32", "int64", "bool", "float", "Kind"][rng.below(6)]
}

/// One vendor's spec tree: (relative path, text).
fn vendor_tree(index: usize, rng: &mut Rng, pool: &[&'static str]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut segments = Draw { pool, used: Vec::new() };
    let service = if rng.chance(50) { format!("{}/v1", segments.name(rng)) } else { segments.name(rng).to_owned() };
    let mut creds = Draw { pool, used: Vec::new() };
    let (cred_a, cred_b) = (creds.name(rng), creds.name(rng));
    let kind = Draw { pool, used: vec!["app".to_owned()] }.name(rng);
    let vendor = format!(
        r#"vendor: p{index}
title: Property vendor {index}
hosts:
  main: {{url: "https://api.p{index}.example", default: true}}
services:
  "{service}": {{title: Drawn}}
envelope: {{code: code, message: msg, data: data, success: 0}}
credentials:
  "{cred_a}": {{secret: true}}
  "{cred_b}": {{description: Another credential}}
tokens:
  app:
    header: Authorization
    prefix: "Bearer "
    exchange:
      operation: {service}/auth/token
      request: {{key: "{cred_a}", secret: "{cred_b}"}}
      token: data.token
      expires_in: data.ttl
  "{kind}":
    header: X-Kind-Token
    per_request: true
"#
    );
    files.push(("vendor.yaml".to_owned(), vendor));

    // Types: a struct sent in bodies, a struct answered (each named from the pool half the time),
    // an enum, and a page.
    let mut type_names = Draw { pool, used: vec!["kind".to_owned(), "page".to_owned(), "token".to_owned()] };
    let input = if rng.chance(50) { type_names.name(rng) } else { "Input" };
    let output = if rng.chance(50) { type_names.name(rng) } else { "Output" };
    let mut types = String::from("types:\n  Kind:\n    description: Drawn values.\n    enum: string\n    values:\n");
    let mut values = Draw { pool, used: Vec::new() };
    for _ in 0..4 {
        let _ = writeln!(types, "      \"{}\": A value", values.name(rng));
    }
    for owner in [input, output] {
        let _ = writeln!(types, "  \"{owner}\":\n    description: Drawn fields.\n    fields:");
        let mut fields = Draw { pool, used: Vec::new() };
        for i in 0..5 {
            let required = if i < 2 && rng.chance(60) { ", required: true" } else { "" };
            let _ = writeln!(types, "      \"{}\": {{type: {}{required}, description: A field}}", fields.name(rng), scalar(rng));
        }
    }
    let _ = write!(types, "  Page:\n    fields:\n      items: {{type: array<{output}>}}\n");
    types.push_str("      page_token: {type: string}\n      has_more: {type: bool}\n");
    types.push_str("  Token:\n    fields:\n      token: {type: string, required: true}\n      ttl: {type: int64, required: true}\n");
    files.push((format!("{service}/types.yaml"), types));

    files.push((
        format!("{service}/auth/token.yaml"),
        "title: Token\nmethod: POST\npath: /auth/token\ntokens: []\nbody:\n  kind: json\n  fields:\n    key: {type: string, required: true}\n    secret: {type: string, required: true, secret: true}\nresponse:\n  data: {type: Token}\n".to_owned(),
    ));

    // Operations with drawn file names, resource directories and inputs.
    let mut stems = Draw { pool, used: vec!["token".to_owned()] };
    let mut resources = Draw { pool, used: vec!["auth".to_owned()] };
    for op in 0..4 {
        let resource = resources.name(rng);
        let stem = stems.name(rng);
        let mut inputs = Draw { pool, used: Vec::new() };
        let path_param = inputs.name(rng);
        let mut text = format!("title: Drawn operation {op}\nmethod: POST\npath: /{op}/{{{path_param}}}\n");
        match op {
            1 => {
                let _ = writeln!(text, "tokens: [\"{kind}\"]");
            }
            2 => text.push_str("tokens: [app, \"PLACEHOLDER\"]\n".replace("PLACEHOLDER", kind).as_str()),
            _ => text.push_str("tokens: [app]\n"),
        }
        let _ = writeln!(text, "parameters:\n  path:\n    \"{path_param}\": {{type: {}, description: Drawn}}", if rng.chance(50) { "string" } else { "int64" });
        text.push_str("  query:\n");
        if op == 3 {
            text.push_str("    page_token: {type: string, description: Page token}\n");
            inputs.used.push("page_token".to_owned());
        }
        for i in 0..4 {
            let required = if i == 0 && rng.chance(50) { ", required: true" } else { "" };
            let _ = writeln!(text, "    \"{}\": {{type: {}{required}, description: Drawn}}", inputs.name(rng), scalar(rng));
        }
        let _ = writeln!(text, "  header:\n    \"{}\": {{type: string, description: Drawn}}", inputs.name(rng));
        if op == 2 {
            text.push_str("body:\n  kind: multipart\n  fields:\n");
            let _ = writeln!(text, "    \"{}\": {{type: file, required: true, description: Drawn}}", inputs.name(rng));
            let _ = writeln!(text, "    \"{}\": {{type: string, description: Drawn}}", inputs.name(rng));
        } else {
            text.push_str("body:\n  kind: json\n  fields:\n");
            for i in 0..4 {
                let required = if i < 2 && rng.chance(50) { ", required: true" } else { "" };
                let ty = if i == 3 { input } else { scalar(rng) };
                let _ = writeln!(text, "    \"{}\": {{type: {ty}{required}, description: Drawn}}", inputs.name(rng));
            }
        }
        match op {
            0 => text.push_str("response:\n  kind: binary\n"),
            3 => text.push_str("response:\n  data: {type: Page}\npagination:\n  style: cursor\n  items: items\n  cursor: page_token\n  has_more: has_more\n"),
            _ => {
                let _ = writeln!(text, "response:\n  data: {{type: \"{output}\"}}");
            }
        }
        files.push((format!("{service}/{resource}/{stem}.yaml"), text));
    }
    files
}

/// Writes the drawn trees under `dir`, checks each, and returns the pass case that expands every
/// accepted one (or `None` when the check itself fails, with the reason).
pub fn write_cases(dir: &Path) -> Result<PathBuf, String> {
    let pool = pool();
    let mut rng = Rng(SEED);
    let _ = fs::remove_dir_all(dir);
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    for index in 0..VENDORS {
        let root = dir.join(format!("p{index}"));
        for (rel, text) in vendor_tree(index, &mut rng, &pool) {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().ok_or("a file has a parent")?).map_err(|e| e.to_string())?;
            fs::write(&path, text).map_err(|e| e.to_string())?;
        }
        match codegen::analyze(&root, &root).into_result() {
            Ok(_) => accepted.push(root),
            Err(diags) => {
                // Rejected is fine; unlocated is not.
                if let Some(d) = diags.items.iter().find(|d| d.loc.is_none() && d.file.is_none()) {
                    return Err(format!("vendor p{index}: a diagnostic without a position: {}", d.message));
                }
                rejected.push(format!("p{index}: {}", diags.summary().lines().next().unwrap_or_default()));
            }
        }
    }
    eprintln!("names property: {} of {VENDORS} drawn spec trees accepted and compiled; rejected: {rejected:#?}", accepted.len());
    if accepted.len() * 4 < VENDORS * 3 {
        return Err(format!("only {} of {VENDORS} drawn trees were accepted; the property tests little (rejected: {rejected:#?})", accepted.len()));
    }
    let mut case = String::from("//! Written by tests/names: every drawn spec tree the checker accepted, expanded.\n#![allow(dead_code)]\n\n");
    for root in &accepted {
        let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(case, "mod case_{name} {{\n    generated_client::generate!({:?});\n}}", root.to_string_lossy());
    }
    case.push_str("\nfn main() {}\n");
    let file = dir.join("accepted_specs_compile.rs");
    fs::write(&file, case).map_err(|e| e.to_string())?;
    Ok(file)
}
