//! `cargo xtask import`: a shell over the `importer` library.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::coverage::{PageRecord, RECORD_FILE, read_record, write_record};
use importer::operations::AuthingOperations;
use importer::report::{Options, Report};

pub fn run(args: &[&str]) -> ExitCode {
    let mut out = PathBuf::from("specs");
    let (mut force, mut report, mut compile, mut inputs) = (false, false, true, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--force" => force = true,
            "--report" => report = true,
            "--no-compile" => compile = false,
            "--out" => match it.next() {
                Some(dir) => out = PathBuf::from(dir),
                None => return usage("--out needs a directory"),
            },
            flag if flag.starts_with("--") => return usage(&format!("unknown flag {flag}")),
            page => inputs.push(PathBuf::from(page)),
        }
    }
    if inputs.is_empty() {
        return usage("name at least one page or folder");
    }
    let root = workspace_root();
    let pages = importer::report::pages(&inputs);
    let scratch = std::env::temp_dir().join(format!("xtask-import-{}", std::process::id()));
    if report {
        let r = importer::report::run_on(&pages, &Options { base: root.join("specs"), workspace: root.clone(), scratch, compile, force }, &AuthingOperations::shipped());
        print!("{}", r.render());
        println!("scratch specs: {}", r.scratch.join("specs").display());
        let verdicts = r.scratch.join("verdicts.tsv");
        match fs::write(&verdicts, r.verdicts()) {
            Ok(()) => println!("verdict per page: {}", verdicts.display()),
            Err(e) => eprintln!("error: cannot write {}: {e}", verdicts.display()),
        }
        return if r.compiled.as_ref().is_some_and(Result::is_err) { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }

    let out = if out.is_relative() { root.join(out) } else { out };
    // A new spec root gets the project's vendor files, which every check needs.
    if let Err(e) = vendor_files(&root.join("specs"), &out) {
        eprintln!("error: cannot prepare {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let r = importer::report::run_on(&pages, &Options { base: out.clone(), workspace: root, scratch: scratch.clone(), compile: false, force }, &AuthingOperations::shipped());
    for (p, w) in r.warnings.iter().chain(&r.event_warnings) {
        eprintln!("warning: {}:{}: {} [{}]", p.display(), w.line, w.message, w.kind.name());
    }
    print!("{}", r.render());
    let outcome = publish(&r, &scratch.join("specs"), &out);
    let _ = fs::remove_dir_all(&scratch);
    match outcome {
        Ok(changed) => {
            for p in &changed {
                println!("wrote {}", p.display());
            }
            if !r.kept.is_empty() || !r.events_kept.is_empty() {
                let specs: Vec<&str> = r.kept.iter().chain(&r.events_kept).map(|(_, spec)| spec.as_str()).collect();
                println!("kept {} specs that differ from their import (reviewed by hand; --force replaces them, `git diff` then shows how): {}", specs.len(), specs.join(", "));
            }
            println!("import: {} files written under {}", changed.len(), out.display());
            if r.built.is_empty() && r.api_pages > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(e) => {
            eprintln!("error: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the project's vendor files into a spec root that lacks them.
fn vendor_files(project: &Path, out: &Path) -> std::io::Result<()> {
    if project == out {
        return Ok(());
    }
    for entry in fs::read_dir(project)?.flatten() {
        let vendor = entry.file_name();
        for file in ["vendor.yaml", "types.yaml"] {
            let (from, to) = (entry.path().join(file), out.join(&vendor).join(file));
            if from.is_file() && !to.exists() {
                fs::create_dir_all(out.join(&vendor))?;
                fs::copy(&from, &to)?;
                println!("note: copied {} to {}", from.display(), to.display());
            }
        }
    }
    Ok(())
}

/// Writes what the import changed under `out`: each file of the assembled root that `out` lacks
/// or has with other content, and each vendor's import record, merged with the rows of pages this
/// import did not read.
fn publish(r: &Report, assembled: &Path, out: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    sync(assembled, assembled, out, &mut changed)?;
    for (vendor, rows) in r.records() {
        let path = out.join(vendor).join(RECORD_FILE);
        let mut merged: BTreeMap<String, Vec<PageRecord>> = BTreeMap::new();
        if let Ok(text) = fs::read_to_string(&path) {
            for row in read_record(&text).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))? {
                merged.entry(row.page.clone()).or_default().push(row);
            }
        }
        let mut fresh: BTreeMap<String, Vec<PageRecord>> = BTreeMap::new();
        for row in rows {
            fresh.entry(row.page.clone()).or_default().push(row);
        }
        merged.extend(fresh);
        let text = write_record(&merged.into_values().flatten().collect::<Vec<_>>());
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            fs::create_dir_all(out.join(vendor))?;
            fs::write(&path, text)?;
            changed.push(path);
        }
    }
    Ok(changed)
}

fn sync(root: &Path, dir: &Path, out: &Path, changed: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sync(root, &path, out, changed)?;
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let to = out.join(rel);
        let text = fs::read(&path)?;
        if fs::read(&to).ok().as_deref() != Some(text.as_slice()) {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&to, text)?;
            changed.push(to);
        }
    }
    Ok(())
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: cargo xtask import <page-or-folder>… [--out DIR] [--force] | --report [--no-compile] <page-or-folder>…");
    ExitCode::from(2)
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}
