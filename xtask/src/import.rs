//! `cargo xtask import`: a shell over the `importer` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use importer::operations::AuthingOperations;
use importer::page::{Reason, import};

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
    if report {
        let scratch = std::env::temp_dir().join(format!("xtask-import-report-{}", std::process::id()));
        let r = importer::report::run(&pages, &root, &scratch, compile);
        print!("{}", r.render());
        println!("scratch specs: {}", r.scratch.join("specs").display());
        let verdicts = r.scratch.join("verdicts.tsv");
        match std::fs::write(&verdicts, r.verdicts()) {
            Ok(()) => println!("verdict per page: {}", verdicts.display()),
            Err(e) => eprintln!("error: cannot write {}: {e}", verdicts.display()),
        }
        return if r.compiled.as_ref().is_some_and(Result::is_err) { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    }

    let ops = AuthingOperations::shipped();
    let mut built = Vec::new();
    let mut failed = false;
    for p in &pages {
        let text = match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {}: {e}", p.display());
                failed = true;
                continue;
            }
        };
        match import(p, &text, &ops) {
            Ok((format, mut b)) => {
                importer::repair::repair(&mut b);
                for w in &b.warnings {
                    eprintln!("warning: {}:{}: {} [{}]", p.display(), w.line, w.message, w.kind.name());
                }
                println!("import: {} ({}) → {}/{}.yaml", p.display(), format.name(), b.vendor, b.rel_path);
                built.push(b);
            }
            Err(e) if e.reason == Reason::NotAnApiPage && pages.len() > 1 => {}
            Err(e) => {
                eprintln!("error: {}:{}: {} ({})", p.display(), e.line, e.message, e.reason.name());
                failed = true;
            }
        }
    }
    let out = if out.is_relative() { root.join(out) } else { out };
    let files = importer::output::files(&built, &out);
    match importer::output::write(&files, &built, &out, force) {
        Ok(w) => {
            for p in &w.created {
                println!("created {}", p.display());
            }
            for p in &w.updated {
                println!("updated {}", p.display());
            }
            for (p, diff) in &w.refused {
                eprintln!("not overwritten (differs; use --force): {}\n{diff}", p.display());
            }
            for (v, s) in &w.undeclared_services {
                eprintln!("note: declare service `{s}` under `services:` in {}/{v}/vendor.yaml", out.display());
            }
            if !w.refused.is_empty() {
                failed = true;
            }
        }
        Err(e) => {
            eprintln!("error: cannot write: {e}");
            failed = true;
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: cargo xtask import <page-or-folder>… [--out DIR] [--force] | --report [--no-compile] <page-or-folder>…");
    ExitCode::from(2)
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}
