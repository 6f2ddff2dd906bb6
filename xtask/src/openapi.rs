//! `cargo xtask openapi export [--out DIR] [--check]`: one OpenAPI 3.1 document per vendor
//! (`openapi/<vendor>.json`), rendered from the checked model, written only where changed, all
//! files or none (the same approach as `regen`). `cargo xtask openapi import <document>
//! --vendor NAME [--out DIR] [--force]`: a document's specs, checked before anything is written.
//! See `docs/openapi.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fs, io};

use crate::regen::{normalize, write};

/// Where the documents go by default, relative to the workspace root.
pub const OUTPUT: &str = "openapi";
const SPECS: &str = "specs";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn run(args: &[&str]) -> ExitCode {
    let mut out = None;
    let mut mode = Mode::Write;
    let mut rest = args;
    match rest {
        ["export", tail @ ..] => rest = tail,
        ["import", tail @ ..] => return import(tail),
        ["scale", "--ops", n] => {
            return match n.parse::<usize>() {
                Ok(n) if n > 0 => match scale(n) {
                    Ok(code) => code,
                    Err(e) => {
                        eprintln!("error: {e}");
                        ExitCode::FAILURE
                    }
                },
                _ => {
                    eprintln!("usage: cargo xtask openapi scale --ops N");
                    ExitCode::from(2)
                }
            };
        }
        _ => {
            eprintln!("usage: cargo xtask openapi export [--out DIR] [--check]\n       cargo xtask openapi import <document> --vendor NAME [--out DIR] [--force]");
            return ExitCode::from(2);
        }
    }
    while let Some((first, tail)) = rest.split_first() {
        match (*first, tail) {
            ("--check", _) => {
                mode = Mode::Check;
                rest = tail;
            }
            ("--out", [dir, tail @ ..]) => {
                out = Some(PathBuf::from(dir));
                rest = tail;
            }
            (other, _) => {
                eprintln!("unknown argument to `openapi export`: {other}\nusage: cargo xtask openapi export [--out DIR] [--check]");
                return ExitCode::from(2);
            }
        }
    }
    let root = workspace_root();
    // `--out` is relative to where the command runs; the default is under the workspace root.
    let out = match out {
        Some(dir) if dir.is_relative() => std::env::current_dir().map(|c| c.join(&dir)).unwrap_or(dir),
        Some(dir) => dir,
        None => root.join(OUTPUT),
    };
    let docs = match codegen::analyze(&root.join(SPECS), Path::new(SPECS)).into_result() {
        Ok(api) => codegen::openapi::documents(&api),
        Err(diags) => {
            eprint!("{}", if std::env::var_os("NO_COLOR").is_some() { diags.render() } else { diags.render_styled() });
            eprintln!("error: {} problem(s) in the specs; nothing was written", diags.items.len());
            return ExitCode::FAILURE;
        }
    };
    match export(&docs, &out, mode) {
        Ok(report) => {
            report.print(mode, &root);
            if mode == Mode::Check && !report.stale.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    /// Documents whose content differs from the export (written, in write mode).
    pub stale: Vec<PathBuf>,
    /// Exported documents of vendors that are gone (removed, in write mode).
    pub orphaned: Vec<PathBuf>,
    pub unchanged: usize,
}

/// Compares every document with the disk first; writes (write mode) only the changed ones.
pub fn export(docs: &[(String, String)], out: &Path, mode: Mode) -> Result<Report, String> {
    let mut report = Report::default();
    let mut wanted = Vec::new();
    for (name, contents) in docs {
        let path = out.join(name);
        wanted.push(path.clone());
        let current = fs::read_to_string(&path).ok();
        if current.as_deref().map(normalize) == Some(normalize(contents)) {
            report.unchanged += 1;
        } else {
            report.stale.push(path);
        }
    }
    for existing in json_files(out) {
        if !wanted.contains(&existing) && is_exported(&existing) {
            report.stale.push(existing.clone());
            report.orphaned.push(existing);
        }
    }
    if mode == Mode::Write {
        for path in &report.stale {
            if report.orphaned.contains(path) {
                fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            } else if let Some((_, contents)) = docs.iter().find(|(n, _)| &out.join(n) == path) {
                write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
    }
    Ok(report)
}

impl Report {
    fn print(&self, mode: Mode, root: &Path) {
        let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        match mode {
            Mode::Write if self.stale.is_empty() => println!("openapi export: {} files up to date", self.unchanged),
            Mode::Write => {
                for p in &self.stale {
                    let verb = if self.orphaned.contains(p) { "removed" } else { "wrote" };
                    println!("openapi export: {verb} {}", shown(p));
                }
                println!("openapi export: {} changed, {} unchanged", self.stale.len(), self.unchanged);
            }
            Mode::Check if self.stale.is_empty() => println!("openapi export --check: {} files up to date", self.unchanged),
            Mode::Check => {
                for p in &self.stale {
                    eprintln!("stale: {}", shown(p));
                }
                eprintln!("error: the OpenAPI documents are stale; run `cargo xtask openapi export` and commit the result");
            }
        }
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json")).collect();
    out.sort();
    out
}

/// Only documents this command wrote are ever removed.
fn is_exported(path: &Path) -> bool {
    use codegen::openapi::ext::{Extension, GeneratedBy};
    fs::read_to_string(path).is_ok_and(|s| s.contains(&format!("\"{}\": \"{}\"", GeneratedBy::KEY, codegen::openapi::GENERATED_BY)))
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// `openapi scale --ops N`: a synthetic plain-REST document of N operations
/// (`synth_openapi`), imported, regenerated, compiled through `generate!`, and exported again
/// for the validator (`target/openapi-scale/reexported.json`). Prints what each step took.
fn scale(ops: usize) -> io::Result<ExitCode> {
    let root = workspace_root();
    let dir = root.join("target/openapi-scale");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir)?;
    let t = std::time::Instant::now();
    let text = crate::synth_openapi::document(ops);
    let document = dir.join("synthetic.yaml");
    fs::write(&document, &text)?;
    println!("scale: generated a document of {ops} operations ({} KiB) in {:.2?}", text.len() / 1024, t.elapsed());
    let specs = dir.join("specs");
    let t = std::time::Instant::now();
    let code = import_to(&document, "synth", &specs.join("synth"), true, 3)?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    let files = fs::read_dir(specs.join("synth")).map(Iterator::count).unwrap_or(0);
    println!("scale: imported in {:.2?} ({files} entries under specs/synth)", t.elapsed());
    let t = std::time::Instant::now();
    let api = match codegen::analyze(&specs, Path::new("specs")).into_result() {
        Ok(api) => api,
        Err(d) => {
            eprint!("{}", d.render());
            return Ok(ExitCode::FAILURE);
        }
    };
    let generated = codegen::render(&api).map_err(io::Error::other)?;
    let lines: usize = generated.iter().map(|f| f.contents.lines().count()).sum();
    println!("scale: regenerated {} files, {lines} lines of Rust, in {:.2?}", generated.len(), t.elapsed());
    let exported = codegen::openapi::documents(&api);
    for (name, body) in &exported {
        fs::write(dir.join(format!("reexported-{name}")), body)?;
    }
    let t = std::time::Instant::now();
    if let Err(e) = importer::report::compile_specs(&specs, &root, &dir) {
        eprintln!("{e}");
        eprintln!("error: the code generated from the imported document does not compile");
        return Ok(ExitCode::FAILURE);
    }
    println!("scale: `cargo check` of the generated client passed in {:.2?}", t.elapsed());
    Ok(ExitCode::SUCCESS)
}

const IMPORT_USAGE: &str = "usage: cargo xtask openapi import <document.json|yaml> --vendor NAME [--out DIR] [--force]";

/// `openapi import`: reads the document, imports it, checks the specs in a scratch directory,
/// and only then writes them (a differing file is shown and kept unless `--force`).
fn import(args: &[&str]) -> ExitCode {
    let mut document = None;
    let mut vendor = None;
    let mut out = None;
    let mut force = false;
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        rest = tail;
        match (*first, tail) {
            ("--vendor", [name, tail @ ..]) => {
                vendor = Some((*name).to_owned());
                rest = tail;
            }
            ("--out", [dir, tail @ ..]) => {
                out = Some(PathBuf::from(dir));
                rest = tail;
            }
            ("--force", _) => force = true,
            (doc, _) if !doc.starts_with("--") && document.is_none() => document = Some(PathBuf::from(doc)),
            (other, _) => {
                eprintln!("unexpected argument to `openapi import`: {other}\n{IMPORT_USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (Some(document), Some(vendor)) = (document, vendor) else {
        eprintln!("{IMPORT_USAGE}");
        return ExitCode::from(2);
    };
    if codegen::names::snake(&vendor).as_deref() != Some(vendor.as_str()) {
        eprintln!("error: vendor name `{vendor}` must be a snake_case module name (e.g. `petstore`)");
        return ExitCode::from(2);
    }
    let root = workspace_root();
    let out = match out {
        Some(dir) if dir.is_relative() => std::env::current_dir().map(|c| c.join(&dir)).unwrap_or(dir),
        Some(dir) => dir,
        None => root.join(SPECS).join(&vendor),
    };
    match import_to(&document, &vendor, &out, force, usize::MAX) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The import itself, for the command and the tests.
/// `shown_warnings`: how many warnings to print (the rest are counted).
pub fn import_to(document: &Path, vendor: &str, out: &Path, force: bool, shown_warnings: usize) -> io::Result<ExitCode> {
    let text = fs::read_to_string(document).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", document.display())))?;
    let shown = document.display().to_string();
    let imported = match importer::openapi::import(&text, vendor, &shown) {
        Ok(i) => i,
        Err(w) => {
            eprintln!("{shown}:{}:{}: error: {}", w.line, w.col, w.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    for w in imported.warnings.iter().take(shown_warnings) {
        let at = if w.at.is_empty() { String::new() } else { format!(" ({})", w.at) };
        eprintln!("{shown}:{}:{}: warning: {}{at}", w.line, w.col, w.message);
    }
    if imported.warnings.len() > shown_warnings {
        eprintln!("… and {} more warnings", imported.warnings.len() - shown_warnings);
    }
    // Checked before anything is written: in a scratch spec root holding only this vendor.
    let scratch = std::env::temp_dir().join(format!("xtask-openapi-import-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    for (rel, body) in &imported.files {
        let path = scratch.join(vendor).join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, body)?;
    }
    let checked = codegen::analyze(&scratch, &scratch).into_result();
    let _ = fs::remove_dir_all(&scratch);
    if let Err(diags) = checked {
        eprint!("{}", diags.render());
        eprintln!("error: the imported specs do not pass the checker ({} problem(s)); nothing was written", diags.items.len());
        return Ok(ExitCode::FAILURE);
    }
    let written = importer::output::write(&imported.files, &[], out, force)?;
    for (path, diff) in &written.refused {
        eprintln!("{} exists and differs; kept (use --force to replace):\n{diff}", path.display());
    }
    println!(
        "openapi import: {} operations, {} named types, {} warnings → {} ({} created, {} updated, {} unchanged, {} kept)",
        imported.operations,
        imported.types,
        imported.warnings.len(),
        out.display(),
        written.created.len(),
        written.updated.len(),
        written.unchanged.len(),
        written.refused.len()
    );
    Ok(if written.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_documents_are_fresh() {
        let root = workspace_root();
        let api = codegen::analyze(&root.join(SPECS), Path::new(SPECS)).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
        let docs = codegen::openapi::documents(&api);
        let report = export(&docs, &root.join(OUTPUT), Mode::Check).unwrap();
        assert!(report.stale.is_empty(), "stale OpenAPI documents: {:?}; run `cargo xtask openapi export`", report.stale);
    }

    #[test]
    fn check_names_the_stale_file_and_writes_nothing_then_write_fixes_it() {
        let dir = std::env::temp_dir().join(format!("xtask-openapi-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let docs = vec![("a.json".to_owned(), "{\"x-generated-by\": \"cargo xtask openapi export\"}\n".to_owned()), ("b.json".to_owned(), "{}\n".to_owned())];
        assert_eq!(export(&docs, &dir, Mode::Write).unwrap().stale.len(), 2);
        fs::write(dir.join("b.json"), "old").unwrap();
        let check = export(&docs, &dir, Mode::Check).unwrap();
        assert_eq!(check.stale, vec![dir.join("b.json")]);
        assert_eq!(fs::read_to_string(dir.join("b.json")).unwrap(), "old");
        export(&docs, &dir, Mode::Write).unwrap();
        assert!(export(&docs, &dir, Mode::Check).unwrap().stale.is_empty());
        // A vendor that is gone: its exported document is removed; other JSON files stay.
        fs::write(dir.join("other.json"), "{}").unwrap();
        let report = export(&docs[1..], &dir, Mode::Write).unwrap();
        assert_eq!(report.orphaned, vec![dir.join("a.json")]);
        assert!(!dir.join("a.json").exists() && dir.join("other.json").exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
