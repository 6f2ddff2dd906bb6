//! `cargo xtask import --report`: imports pages into a scratch spec root and says how it went:
//! pages read, API pages, imported cleanly or with warnings (by kind), failed (by reason), whether
//! the specs pass the checker, and whether the code generated from them compiles.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::Built;
use crate::draft::WarningKind;
use crate::operations::AuthingOperations;
use crate::page::{PageError, Reason, import};

#[derive(Debug, Default)]
pub struct Report {
    pub pages_read: usize,
    pub api_pages: usize,
    pub clean: usize,
    pub with_warnings: usize,
    pub warnings: Vec<(PathBuf, crate::draft::Warning)>,
    pub failed: Vec<(PathBuf, PageError)>,
    /// Imported pages whose spec fails the checker: page and the checker's first message.
    pub rejected: Vec<(PathBuf, String)>,
    /// `Some(Ok)` when the generated code compiled, `Some(Err(output))` when it did not.
    pub compiled: Option<Result<(), String>>,
    /// Where the scratch spec root is.
    pub scratch: PathBuf,
}

impl Report {
    /// API pages that imported and whose spec passes the checker.
    pub fn passed(&self) -> usize {
        self.clean + self.with_warnings - self.rejected.len()
    }

    pub fn warnings_by_kind(&self) -> BTreeMap<WarningKind, usize> {
        let mut out = BTreeMap::new();
        for (_, w) in &self.warnings {
            *out.entry(w.kind).or_insert(0) += 1;
        }
        out
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let pct = |n: usize| if self.api_pages == 0 { 0.0 } else { 100.0 * n as f64 / self.api_pages as f64 };
        let _ = writeln!(s, "pages read:               {}", self.pages_read);
        let _ = writeln!(s, "API pages:                {}", self.api_pages);
        let _ = writeln!(s, "imported cleanly:         {}", self.clean);
        let _ = writeln!(s, "imported with warnings:   {}", self.with_warnings);
        for (kind, n) in self.warnings_by_kind() {
            let _ = writeln!(s, "  {n:>4}  {}", kind.name());
        }
        let api_failures: Vec<&(PathBuf, PageError)> = self.failed.iter().filter(|(_, e)| e.reason != Reason::NotAnApiPage).collect();
        let _ = writeln!(s, "failed:                   {}", api_failures.len());
        let mut by_reason: BTreeMap<Reason, usize> = BTreeMap::new();
        for (_, e) in &api_failures {
            *by_reason.entry(e.reason).or_insert(0) += 1;
        }
        for (reason, n) in by_reason {
            let _ = writeln!(s, "  {n:>4}  {}", reason.name());
        }
        for (p, e) in &api_failures {
            let _ = writeln!(s, "  {}:{}: {} ({})", p.display(), e.line, e.message, e.reason.name());
        }
        let _ = writeln!(s, "not API pages:            {}", self.failed.len() - api_failures.len());
        let _ = writeln!(s, "specs passing the checker: {} of {} API pages ({:.1}%)", self.passed(), self.api_pages, pct(self.passed()));
        for (p, m) in &self.rejected {
            let _ = writeln!(s, "  rejected {}: {m}", p.display());
        }
        match &self.compiled {
            Some(Ok(())) => {
                let _ = writeln!(s, "generated code:           compiles (cargo check)");
            }
            Some(Err(out)) => {
                let _ = writeln!(s, "generated code:           DOES NOT COMPILE\n{out}");
            }
            None => {
                let _ = writeln!(s, "generated code:           not compiled");
            }
        }
        s
    }
}

/// Every page file under the given files and folders (`.md`, `.txt`), sorted.
pub fn pages(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for i in inputs {
        collect(i, &mut out);
    }
    out.sort();
    out
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        if let Ok(entries) = fs::read_dir(p) {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
    } else if p.extension().is_some_and(|e| e == "md" || e == "txt") {
        out.push(p.to_path_buf());
    }
}

/// Imports `pages`, assembles a scratch spec root next to the project's vendor files, checks it,
/// and (with `compile`) compiles the generated code in a scratch crate against `workspace`.
pub fn run(pages: &[PathBuf], workspace: &Path, scratch: &Path, compile: bool) -> Report {
    run_with(pages, workspace, scratch, compile, &AuthingOperations::shipped())
}

/// Like [`run`], with another Authing operation table.
pub fn run_with(pages: &[PathBuf], workspace: &Path, scratch: &Path, compile: bool, ops: &AuthingOperations) -> Report {
    let mut report = Report { scratch: scratch.to_path_buf(), ..Report::default() };
    let mut built: Vec<(PathBuf, Built)> = Vec::new();
    for p in pages {
        report.pages_read += 1;
        let text = match fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                report.api_pages += 1;
                report.failed.push((p.clone(), PageError { line: 1, reason: Reason::Unreadable, message: e.to_string() }));
                continue;
            }
        };
        match import(p, &text, ops) {
            Ok((_, b)) => {
                report.api_pages += 1;
                if b.warnings.is_empty() {
                    report.clean += 1;
                } else {
                    report.with_warnings += 1;
                    report.warnings.extend(b.warnings.iter().map(|w| (p.clone(), w.clone())));
                }
                built.push((p.clone(), b));
            }
            Err(e) => {
                if e.reason != Reason::NotAnApiPage {
                    report.api_pages += 1;
                }
                report.failed.push((p.clone(), e));
            }
        }
    }

    // The scratch spec root: the project's vendor files (with the imported services declared),
    // its vendor-wide types, its token-exchange operations, and everything imported.
    let specs = scratch.join("specs");
    let _ = fs::remove_dir_all(scratch);
    let mut vendors: Vec<&str> = built.iter().map(|(_, b)| b.vendor).collect();
    vendors.sort_unstable();
    vendors.dedup();
    let project = workspace.join("specs");
    for vendor in &vendors {
        let services: Vec<String> = built.iter().filter(|(_, b)| b.vendor == *vendor).map(|(_, b)| b.service.clone()).collect();
        prepare_vendor(&project.join(vendor), &specs.join(vendor), &services);
    }
    let mut live: Vec<(PathBuf, Built)> = built;
    // Check; drop the specs the checker rejects, and check again, until what is left passes.
    for _ in 0..5 {
        let list: Vec<&Built> = live.iter().map(|(_, b)| b).collect();
        let files = crate::output::files_of(&list, &specs);
        for (rel, text) in &files {
            let path = specs.join(rel);
            if let Some(dir) = path.parent() {
                let _ = fs::create_dir_all(dir);
            }
            let _ = fs::write(&path, text);
        }
        match codegen::analyze(&specs, Path::new("specs"))
            .into_result()
            .and_then(|api| codegen::render(&api).map_err(|e| codegen::Diagnostics { sources: Default::default(), items: vec![codegen::Diagnostic::in_file("specs", e)] }))
        {
            Ok(_) => break,
            Err(diags) => {
                let mut bad: BTreeMap<String, String> = BTreeMap::new();
                for d in &diags.items {
                    let file = d
                        .loc
                        .map(|l| diags.sources.path(l.file).to_string_lossy().into_owned())
                        .or_else(|| d.file.as_ref().map(|f| f.to_string_lossy().into_owned()))
                        .unwrap_or_default();
                    bad.entry(file).or_insert_with(|| format!("{}: {}", d.position(&diags.sources), d.message));
                }
                let before = live.len();
                live.retain(|(page, b)| {
                    let file = format!("specs/{}/{}.yaml", b.vendor, b.rel_path);
                    match bad.get(&file) {
                        Some(message) => {
                            report.rejected.push((page.clone(), message.clone()));
                            let _ = fs::remove_file(specs.join(b.vendor).join(format!("{}.yaml", b.rel_path)));
                            false
                        }
                        None => true,
                    }
                });
                if live.len() == before {
                    // Problems outside the imported operations (a types file): all stay rejected.
                    for (page, _) in live.drain(..) {
                        report.rejected.push((page, bad.values().next().cloned().unwrap_or_default()));
                    }
                    break;
                }
            }
        }
    }
    if compile && !live.is_empty() {
        report.compiled = Some(compile_specs(&specs, workspace, scratch));
    }
    report
}

/// Copies the project's vendor file (declaring `services`), vendor-wide types and the operations
/// its token exchanges name.
fn prepare_vendor(project: &Path, target: &Path, services: &[String]) {
    let _ = fs::create_dir_all(target);
    let Ok(vendor) = fs::read_to_string(project.join("vendor.yaml")) else { return };
    let mut lines: Vec<String> = vendor.lines().map(str::to_owned).collect();
    if let Some(at) = lines.iter().position(|l| l.trim_end() == "services:") {
        let mut missing: Vec<&String> = services.iter().filter(|s| !vendor.lines().any(|l| l.trim_start().starts_with(&format!("{s}:")))).collect();
        missing.sort();
        missing.dedup();
        for (k, s) in missing.iter().enumerate() {
            lines.insert(at + 1 + k, format!("  {s}: ~"));
        }
    }
    let _ = fs::write(target.join("vendor.yaml"), lines.join("\n") + "\n");
    let _ = fs::copy(project.join("types.yaml"), target.join("types.yaml"));
    for line in vendor.lines() {
        if let Some(op) = line.trim().strip_prefix("operation: ") {
            let rel = format!("{}.yaml", op.trim());
            let to = target.join(&rel);
            if let Some(dir) = to.parent() {
                let _ = fs::create_dir_all(dir);
            }
            let _ = fs::copy(project.join(&rel), to);
        }
    }
}

/// `cargo check` of a scratch crate that expands the scratch specs with `generate!`.
pub fn compile_specs(specs: &Path, workspace: &Path, scratch: &Path) -> Result<(), String> {
    let krate = scratch.join("crate");
    fs::create_dir_all(krate.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"import-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ngenerated-client = {{ path = {:?} }}\n\n[workspace]\n",
        workspace.join("generated-client").to_string_lossy()
    );
    fs::write(krate.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let specs = specs.to_string_lossy();
    fs::write(krate.join("src/lib.rs"), format!("#![allow(dead_code)]\ngenerated_client::generate!({specs:?});\n")).map_err(|e| e.to_string())?;
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", workspace.join("target/import-check"))
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let text = String::from_utf8_lossy(&out.stderr);
        Err(text.lines().take(60).collect::<Vec<_>>().join("\n"))
    }
}
