//! Property test: the loader and checker never panic. Whatever is in the spec files (arbitrary
//! bytes, YAML-shaped noise, well-formed YAML of the wrong shape, or the real specs under
//! `specs/` with lines deleted, duplicated, swapped, re-indented, retyped or added),
//! `codegen::generate` returns `Ok` or `Err`, and every problem it reports has a position: a
//! `file:line:col`, or at least the file. Rendering the problems must not panic either.
//!
//! Bounded for CI (256 cases per property); run longer with
//! `PROPTEST_CASES=20000 cargo test -p codegen --release --test fuzz_specs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::sample::Index;

// ---------------------------------------------------------------------------------------------
// Temporary spec trees

/// A spec root under the system temp directory, removed when dropped (also when a case panics).
struct TempTree {
    root: PathBuf,
}

impl TempTree {
    fn new(files: &[(String, Vec<u8>)]) -> TempTree {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let root = std::env::temp_dir().join(format!("codegen-fuzz-specs-{}-{}-{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        for (rel, bytes) in files {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().expect("a spec file has a parent directory")).expect("the temp directory can be created");
            fs::write(&path, bytes).expect("the temp spec file can be written");
        }
        TempTree { root }
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Writes the files, loads, checks and emits them (formatting is left out: it is the slow part,
/// and it only ever sees tokens the emitter made), and checks what must hold whatever the input.
fn generate_never_panics(files: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    let tree = TempTree::new(files);
    let checked = codegen::analyze(&tree.root, &tree.root).into_result();
    if let Ok(api) = &checked {
        prop_assert!(!codegen::emit_modules(api).is_empty());
    }
    if let Err(diags) = checked {
        prop_assert!(!diags.is_empty(), "an error with no diagnostics");
        for d in &diags.items {
            prop_assert!(d.loc.is_some() || d.file.is_some(), "diagnostic without a position: {}", d.message);
        }
        // Rendering slices the source text at the reported spans.
        let rendered = diags.render();
        prop_assert!(!rendered.is_empty());
        // Not asserted: one line per problem. Messages quote values verbatim, so a multi-line
        // value (say, a block scalar under `method:`) spreads one problem over several lines.
        prop_assert!(!diags.summary().is_empty());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// (a) Arbitrary contents in place of one file of a small valid tree

const VENDOR: &str = "\
vendor: kiosk
title: Kiosk API
hosts:
  main: {url: \"https://api.kiosk.example\", default: true}
services:
  store/v1: {title: Store}
envelope: {code: code, message: msg, data: data, success: 0}
credentials:
  app_key: ~
tokens:
  app:
    header: Authorization
    exchange: {operation: store/v1/auth/token, request: {key: app_key}, token: data.token, expires_in: data.ttl}
";

const TYPES: &str = "\
types:
  Item:
    fields:
      id: {type: string, required: true}
      kind: {type: string, values: {a: ~, b: B}}
  Level:
    enum: int32
    values: {1: Low, 2: {name: High}}
";

const OPERATION: &str = "\
title: Get an item
method: GET
path: /v1/items/{item_id}
tokens: [app]
parameters:
  path:
    item_id: {type: string}
  query:
    level: {type: Level, default: 1}
response:
  data: {type: Item}
errors:
  - {code: 1, message: not found}
";

const TOKEN_OPERATION: &str = "\
title: Get a token
method: POST
path: /v1/auth/token
body: {kind: json, fields: {key: {type: string, required: true}}}
response: {data: {fields: {token: {type: string}, ttl: {type: int64}}}}
";

const SMALL_TREE: [(&str, &str); 4] =
    [("kiosk/vendor.yaml", VENDOR), ("kiosk/store/v1/types.yaml", TYPES), ("kiosk/store/v1/item/get.yaml", OPERATION), ("kiosk/store/v1/auth/token.yaml", TOKEN_OPERATION)];

/// The small tree with file number `which` (vendor, types, operation) replaced by `contents`.
fn small_tree_with(which: usize, contents: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    SMALL_TREE.iter().enumerate().map(|(i, (path, text))| ((*path).to_owned(), if i == which { contents.clone() } else { text.as_bytes().to_vec() })).collect()
}

/// Every key any spec mapping accepts, plus near misses, so generated YAML reaches deep into the
/// reader instead of stopping at the first unknown key.
const KEYS: &[&str] = &[
    "vendor",
    "title",
    "description",
    "docs",
    "hosts",
    "services",
    "envelope",
    "request_id",
    "credentials",
    "tokens",
    "token_invalid",
    "rate_limit",
    "url",
    "default",
    "code",
    "sub_code",
    "message",
    "data",
    "success",
    "headers",
    "field",
    "secret",
    "header",
    "prefix",
    "exchange",
    "per_request",
    "operation",
    "request",
    "token",
    "expires_in",
    "jwt_claim",
    "credential",
    "codes",
    "http_status",
    "reset_header",
    "types",
    "rust_name",
    "fields",
    "enum",
    "values",
    "name",
    "type",
    "required",
    "example",
    "type_name",
    "min",
    "max",
    "min_length",
    "max_length",
    "min_items",
    "max_items",
    "pattern",
    "style",
    "doc",
    "method",
    "path",
    "app_types",
    "scopes",
    "field_scopes",
    "parameters",
    "body",
    "response",
    "errors",
    "examples",
    "errata",
    "updated",
    "note",
    "query",
    "kind",
    "hint",
    "at",
    "spec",
    "reason",
    "store/v1",
    "Item",
    "Level",
    "item_id",
    "app",
    "app_key",
    "1",
    "y",
    "on",
    "typo",
    "self",
    "用户",
    "",
];

/// Scalars that mean something somewhere in a spec, and some that mean nothing.
const SCALARS: &[&str] = &[
    "~",
    "true",
    "no",
    "0",
    "-1",
    "200",
    "4040",
    "1.5",
    "99999999999999999999",
    "\"\"",
    "string",
    "int32",
    "int64",
    "float",
    "bool",
    "json",
    "file",
    "object",
    "array<string>",
    "map<Item>",
    "array<array<Item>>",
    "list<string>",
    "Item",
    "Level",
    "Itme",
    "GET",
    "FETCH",
    "json",
    "multipart",
    "binary",
    "flat",
    "comma",
    "pipes",
    "/v1/items/{item_id}",
    "/v1/{",
    "v1/x",
    "/a/:id",
    "{}",
    "{x}",
    "https://x.example",
    "ftp://x",
    "store/v1/auth/token",
    "app",
    "app_key",
    "data.token",
    "\"2021-08-06\"",
    "\"{\\\"a\\\": 1}\"",
    "\"not json\"",
    "用户",
    "GetUser",
    "send",
    "type",
    "self",
    "\"a b\"",
    "'quoted'",
    "|",
    ">",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
];

/// A YAML value built from the spec vocabulary.
#[derive(Debug, Clone)]
enum Yaml {
    Scalar(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

fn yaml_value() -> impl Strategy<Value = Yaml> {
    let leaf = prop_oneof![
        4 => proptest::sample::select(SCALARS).prop_map(|s| Yaml::Scalar(s.to_owned())),
        1 => "[a-zA-Z0-9_{}<>/.: -]{0,12}".prop_map(Yaml::Scalar),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            6 => proptest::sample::select(KEYS).prop_map(str::to_owned),
            1 => "[a-z_]{1,10}",
        ];
        prop_oneof![
            1 => proptest::collection::vec(inner.clone(), 0..4).prop_map(Yaml::Seq),
            3 => proptest::collection::vec((key, inner), 0..6).prop_map(|entries| {
                // Mostly distinct keys: duplicates only test the YAML parser's own check.
                let mut seen = std::collections::HashSet::new();
                Yaml::Map(entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect())
            }),
        ]
    })
}

/// Block-style YAML text for a value, mapping keys quoted when they would not parse as written.
fn write_yaml(value: &Yaml, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Yaml::Scalar(s) => {
            out.push(' ');
            out.push_str(s);
            out.push('\n');
        }
        Yaml::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Yaml::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Yaml::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&pad);
                out.push('-');
                write_yaml(item, indent + 2, out);
            }
        }
        Yaml::Map(entries) => {
            out.push('\n');
            for (k, v) in entries {
                out.push_str(&pad);
                if k.is_empty() || k.contains([':', '{', '}', '<', '>', ' ']) {
                    out.push_str(&format!("{k:?}:"));
                } else {
                    out.push_str(k);
                    out.push(':');
                }
                write_yaml(v, indent + 2, out);
            }
        }
    }
}

fn yaml_document() -> impl Strategy<Value = Vec<u8>> {
    yaml_value().prop_map(|v| {
        let mut out = String::new();
        write_yaml(&v, 0, &mut out);
        // A document starts on its first line, not after the newline of a top-level collection.
        out.trim_start_matches('\n').as_bytes().to_vec()
    })
}

/// Contents for a spec file: raw bytes, any text, YAML-shaped noise, or YAML of the wrong shape.
fn file_contents() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => any::<String>().prop_map(String::into_bytes),
        1 => "[a-z_{}\\[\\]<>:,'\"|>&*!%@#?=.\\-/ \t\n0-9]{0,300}".prop_map(String::into_bytes),
        3 => yaml_document(),
    ]
}

// ---------------------------------------------------------------------------------------------
// (b) Mutations of the real specs

/// The services of the real specs each case is made of: the hand-reviewed ones (with the token
/// exchanges), one on hosts of its own, one without a version, and an imported Authing family.
/// All two thousand operations per case would make each case seconds long.
const REAL_SERVICES: &[&str] =
    &["feishu/acs/v1", "feishu/auth/v3", "feishu/approval_openapi/v2", "feishu/jssdk", "authing/management/users", "authing/management/tokens", "authing/management/roles"];

/// The vendor files of `specs/feishu` and `specs/authing` and the files of [`REAL_SERVICES`], as
/// (path under the spec root, text).
fn real_specs() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let mut out = Vec::new();
        for vendor in ["feishu", "authing"] {
            for file in ["vendor.yaml", "types.yaml"] {
                let path = root.join(vendor).join(file);
                if let Ok(text) = fs::read_to_string(&path) {
                    out.push((format!("{vendor}/{file}"), text));
                }
            }
        }
        for service in REAL_SERVICES {
            collect(&root, &root.join(service), &mut out);
        }
        out.retain(|(rel, _)| rel.ends_with(".yaml"));
        out.sort();
        assert!(out.len() >= 8, "the real specs are where they were: {}", root.display());
        out
    })
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under the root");
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            out.push((rel, fs::read_to_string(&path).expect("a spec file is UTF-8 text")));
        }
    }
}

/// One edit of one file of the real specs.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Adds (positive) or removes (negative) leading spaces.
    Indent(Index, i8),
    /// Replaces the value after `key:` (or the whole item after `- `) with a scalar of another kind.
    ReplaceScalar(Index, &'static str),
    /// Replaces the value after `key:` with arbitrary text, as a double-quoted YAML string (so
    /// the file stays valid YAML and titles, names, paths and descriptions get odd characters).
    ReplaceText(Index, String),
    /// Inserts `key: value` with the indentation of the line it goes before (or one level deeper).
    InsertKey(Index, &'static str, &'static str, bool),
    /// Cuts the file short, at any byte.
    Truncate(Index),
    DeleteFile,
    RenameToYml,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::DeleteLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), -6i8..=6).prop_map(|(i, d)| Mutation::Indent(i, d)),
        2 => (any::<Index>(), proptest::sample::select(SCALARS)).prop_map(|(i, s)| Mutation::ReplaceScalar(i, s)),
        2 => (any::<Index>(), proptest::sample::select(KEYS), proptest::sample::select(SCALARS), any::<bool>())
            .prop_map(|(i, k, v, deeper)| Mutation::InsertKey(i, k, v, deeper)),
        2 => (any::<Index>(), any::<String>()).prop_map(|(i, t)| Mutation::ReplaceText(i, t)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => Just(Mutation::DeleteFile),
        1 => Just(Mutation::RenameToYml),
    ]
}

/// Applies a mutation to `files[file]`, by lines; `\n` line ends are kept.
fn apply(files: &mut Vec<(String, Vec<u8>)>, file: usize, m: &Mutation) {
    if files.is_empty() {
        return;
    }
    let file = file % files.len();
    match m {
        Mutation::DeleteFile => {
            files.remove(file);
            return;
        }
        Mutation::RenameToYml => {
            let path = &mut files[file].0;
            if let Some(stem) = path.strip_suffix(".yaml") {
                *path = format!("{stem}.yml");
            }
            return;
        }
        Mutation::Truncate(at) => {
            // Possibly inside a character: a file that is not UTF-8 must be reported too.
            let cut = at.index(files[file].1.len() + 1);
            files[file].1.truncate(cut);
            return;
        }
        _ => {}
    }
    let text = String::from_utf8_lossy(&files[file].1).into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i.index(n));
        }
        Mutation::DuplicateLine(i) => {
            let i = i.index(n);
            lines.insert(i, lines[i].clone());
        }
        Mutation::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
        Mutation::Indent(i, delta) => {
            let line = &mut lines[i.index(n)];
            if *delta >= 0 {
                *line = format!("{}{line}", " ".repeat(*delta as usize));
            } else {
                let remove = indent_of(line).min(delta.unsigned_abs() as usize);
                *line = line[remove..].to_owned();
            }
        }
        Mutation::ReplaceScalar(i, scalar) => {
            let line = &mut lines[i.index(n)];
            if let Some(colon) = line.find(": ") {
                *line = format!("{}: {scalar}", &line[..colon]);
            } else if let Some(dash) = line.find("- ") {
                *line = format!("{}- {scalar}", &line[..dash]);
            } else if line.trim_end().ends_with(':') {
                *line = format!("{} {scalar}", line.trim_end());
            } else {
                *line = format!("{}{scalar}", " ".repeat(indent_of(line)));
            }
        }
        Mutation::ReplaceText(i, text) => {
            let line = &mut lines[i.index(n)];
            if let Some(colon) = line.find(": ") {
                let quoted = serde_json::to_string(text).expect("a string serializes");
                *line = format!("{}: {quoted}", &line[..colon]);
            }
        }
        Mutation::InsertKey(i, key, value, deeper) => {
            let i = i.index(n);
            let indent = indent_of(&lines[i]) + if *deeper { 2 } else { 0 };
            let key = if key.is_empty() || key.contains([':', ' ']) { format!("{key:?}") } else { (*key).to_owned() };
            lines.insert(i, format!("{}{key}: {value}", " ".repeat(indent)));
        }
        Mutation::DeleteFile | Mutation::RenameToYml | Mutation::Truncate(_) => unreachable!("handled above"),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    files[file].1 = out.into_bytes();
}

fn real_specs_mutated(edits: &[(Index, Mutation)]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = real_specs().iter().map(|(p, t)| (p.clone(), t.as_bytes().to_vec())).collect();
    for (which, m) in edits {
        let len = files.len().max(1);
        apply(&mut files, which.index(len), m);
    }
    files
}

// ---------------------------------------------------------------------------------------------

/// The harness itself works: the trees it writes check when nothing is broken.
#[test]
fn unmutated_trees_generate() {
    let small: Vec<(String, Vec<u8>)> = SMALL_TREE.iter().map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec())).collect();
    for files in [small, real_specs_mutated(&[])] {
        let tree = TempTree::new(&files);
        if let Err(diags) = codegen::analyze(&tree.root, &tree.root).into_result() {
            panic!("the unmutated specs do not check:\n{}", diags.render());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// (a) Arbitrary contents for the vendor file, the types file or an operation.
    #[test]
    fn arbitrary_file_contents_never_panic(which in 0usize..3, contents in file_contents()) {
        generate_never_panics(&small_tree_with(which, contents))?;
    }

    /// (a) Every file of the small tree replaced at once by well-formed YAML of the wrong shape.
    #[test]
    fn wrongly_shaped_yaml_everywhere_never_panics(docs in proptest::collection::vec(yaml_document(), 3)) {
        let mut files = small_tree_with(usize::MAX, Vec::new());
        for (file, doc) in files.iter_mut().zip(docs) {
            file.1 = doc;
        }
        generate_never_panics(&files)?;
    }

    /// (b) The real specs with odd text in a few values: these mostly still check, so the
    /// emitter and formatter see the text too.
    #[test]
    fn odd_text_in_real_specs_never_panics(edits in proptest::collection::vec((any::<Index>(), any::<Index>(), any::<String>()), 1..4)) {
        let edits: Vec<(Index, Mutation)> = edits.into_iter().map(|(file, line, text)| (file, Mutation::ReplaceText(line, text))).collect();
        generate_never_panics(&real_specs_mutated(&edits))?;
    }

    /// (b) The real specs with one to six edits.
    #[test]
    fn mutated_real_specs_never_panic(edits in proptest::collection::vec((any::<Index>(), mutation()), 1..7)) {
        generate_never_panics(&real_specs_mutated(&edits))?;
    }
}
