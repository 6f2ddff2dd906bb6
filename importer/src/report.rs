//! `cargo xtask import --report`: imports pages into a scratch spec root and says how it went:
//! pages read, API pages, imported cleanly or with warnings (by kind), failed (by reason), whether
//! the specs pass the checker, and whether the code generated from them compiles.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::coverage::{PageRecord, Verdict};

use crate::build::Built;
use crate::draft::WarningKind;
use crate::event::BuiltEvent;
use crate::operations::AuthingOperations;
use crate::page::{PageError, Reason};

#[derive(Debug, Default)]
pub struct Report {
    pub pages_read: usize,
    pub api_pages: usize,
    pub clean: usize,
    pub with_warnings: usize,
    pub warnings: Vec<(PathBuf, crate::draft::Warning)>,
    pub failed: Vec<(PathBuf, PageError)>,
    /// Imported pages whose spec fails the checker: page and the checker's first message, at its
    /// place.
    pub rejected: Vec<(PathBuf, String)>,
    /// Pages whose spec passes, with the spec file.
    pub accepted: Vec<(PathBuf, String)>,
    /// Pages whose spec the base has with other content (reviewed by hand), kept as it is: they
    /// pass too.
    pub kept: Vec<(PathBuf, String)>,
    /// The accepted and kept pages as built, for the import record.
    pub built: Vec<(PathBuf, Built)>,
    /// `Some(Ok)` when the generated code compiled, `Some(Err(output))` when it did not.
    pub compiled: Option<Result<(), String>>,
    /// Where the scratch spec root is.
    pub scratch: PathBuf,
    /// The vendor of each page read (`""` where its format is unknown).
    pub vendor_of: BTreeMap<PathBuf, &'static str>,
    /// Event pages read (counted apart from API pages).
    pub event_pages: usize,
    /// The event pages' warnings.
    pub event_warnings: Vec<(PathBuf, crate::draft::Warning)>,
    /// Event pages that became no spec (unreadable, no service, another page's event type).
    pub events_failed: Vec<(PathBuf, PageError)>,
    /// Event pages whose spec the checker rejects: the checker's first message, at its place.
    pub events_rejected: Vec<(PathBuf, String)>,
    /// Event pages whose spec passes, with the spec file.
    pub events_accepted: Vec<(PathBuf, String)>,
    /// Event pages whose spec the base has with other content, kept as it is.
    pub events_kept: Vec<(PathBuf, String)>,
    /// The accepted and kept event pages as built, for the import record.
    pub built_events: Vec<(PathBuf, BuiltEvent)>,
    /// The spec each built event page names (`im/v1/message/events/receive`), rejected ones too.
    pub event_specs: BTreeMap<PathBuf, String>,
}

/// One vendor's figures. The pages counted are its API pages less those that are not its own
/// operations: a page of an endpoint another page documents (imported from that page), an address
/// a user's browser opens, and an Authing page of an authentication-API call.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VendorFigures {
    pub api_pages: usize,
    pub duplicates: usize,
    pub not_management: usize,
    /// Pages a user's browser opens (an OAuth authorize address), not calls a server makes.
    pub browser_pages: usize,
    pub passed: usize,
}

impl VendorFigures {
    pub fn counted(&self) -> usize {
        self.api_pages - self.duplicates - self.not_management - self.browser_pages
    }

    /// The share of counted pages that pass the checker, from 0 to 1.
    pub fn share(&self) -> f64 {
        if self.counted() == 0 { 1.0 } else { self.passed as f64 / self.counted() as f64 }
    }
}

impl Report {
    /// API pages that imported and whose spec passes the checker.
    pub fn passed(&self) -> usize {
        self.clean + self.with_warnings - self.rejected.len()
    }

    /// Figures per vendor.
    pub fn by_vendor(&self) -> BTreeMap<&'static str, VendorFigures> {
        let mut out: BTreeMap<&'static str, VendorFigures> = BTreeMap::new();
        let vendor = |p: &PathBuf| self.vendor_of.get(p).copied().unwrap_or("");
        for (p, _) in self.accepted.iter().chain(&self.kept) {
            let f = out.entry(vendor(p)).or_default();
            f.api_pages += 1;
            f.passed += 1;
        }
        for (p, _) in &self.rejected {
            out.entry(vendor(p)).or_default().api_pages += 1;
        }
        for (p, e) in &self.failed {
            if e.reason == Reason::NotAnApiPage {
                continue;
            }
            let f = out.entry(vendor(p)).or_default();
            f.api_pages += 1;
            match e.reason {
                Reason::Duplicate => f.duplicates += 1,
                Reason::NotManagement => f.not_management += 1,
                Reason::BrowserPage => f.browser_pages += 1,
                _ => {}
            }
        }
        out
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
        if !self.kept.is_empty() {
            let _ = writeln!(s, "kept (specs/ has them with other content): {}", self.kept.len());
        }
        let _ = writeln!(s, "specs passing the checker: {} of {} API pages ({:.1}%)", self.passed(), self.api_pages, pct(self.passed()));
        for (vendor, f) in self.by_vendor() {
            let mut not_own = Vec::new();
            if f.duplicates > 0 {
                not_own.push(format!("{} of an endpoint another page documents", f.duplicates));
            }
            if f.not_management > 0 {
                not_own.push(format!("{} of authentication-API calls", f.not_management));
            }
            if f.browser_pages > 0 {
                not_own.push(format!("{} a browser opens", f.browser_pages));
            }
            let not_own = if not_own.is_empty() { String::new() } else { format!(" less {}", not_own.join(" and ")) };
            let _ = writeln!(
                s,
                "  {}: {} of {} pages pass ({:.1}%): {} API pages{not_own}",
                if vendor.is_empty() { "unknown format" } else { vendor },
                f.passed,
                f.counted(),
                100.0 * f.share(),
                f.api_pages
            );
        }
        let mut classes: BTreeMap<String, usize> = BTreeMap::new();
        for (_, m) in &self.rejected {
            let message = m.split_once(": ").map_or(m.as_str(), |(_, rest)| rest);
            *classes.entry(crate::assemble::Rejection { at: String::new(), message: message.to_owned() }.class()).or_insert(0) += 1;
        }
        let mut classes: Vec<(String, usize)> = classes.into_iter().collect();
        classes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if !classes.is_empty() {
            let _ = writeln!(s, "left out by the checker:  {}", self.rejected.len());
        }
        for (class, n) in classes {
            let _ = writeln!(s, "  {n:>4}  {class}");
        }
        for (p, m) in &self.rejected {
            let _ = writeln!(s, "  left out {}: {m}", p.display());
        }
        if self.event_pages > 0 {
            let passed = self.events_accepted.len() + self.events_kept.len();
            let _ = writeln!(s, "event pages:              {}", self.event_pages);
            let _ = writeln!(s, "  event specs passing the checker: {passed} of {} ({} kept)", self.event_pages, self.events_kept.len());
            let _ = writeln!(s, "  with warnings: {}", self.event_warnings.iter().map(|(p, _)| p).collect::<std::collections::BTreeSet<_>>().len());
            let _ = writeln!(s, "  failed: {}", self.events_failed.len());
            for (p, e) in &self.events_failed {
                let _ = writeln!(s, "  {}:{}: {} ({})", p.display(), e.line, e.message, e.reason.name());
            }
            let _ = writeln!(s, "  left out by the checker: {}", self.events_rejected.len());
            for (p, m) in &self.events_rejected {
                let _ = writeln!(s, "  left out {}: {m}", p.display());
            }
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

impl Report {
    /// One line per page read, tab-separated: the page, its verdict (`passed`, `left out`,
    /// `failed`, `not an API page`), and the spec it became or why not.
    pub fn verdicts(&self) -> String {
        let mut rows: Vec<(String, &str, String)> = Vec::new();
        for (p, spec) in &self.accepted {
            let warnings = self.warnings.iter().filter(|(w, _)| w == p).count();
            rows.push((p.display().to_string(), "passed", if warnings == 0 { spec.clone() } else { format!("{spec} ({warnings} warnings)") }));
        }
        for (p, spec) in &self.kept {
            rows.push((p.display().to_string(), "passed", format!("{spec} (kept: specs/ has it with other content)")));
        }
        for (p, m) in &self.rejected {
            rows.push((p.display().to_string(), "left out", m.clone()));
        }
        for (p, e) in &self.failed {
            let verdict = if e.reason == Reason::NotAnApiPage { "not an API page" } else { "failed" };
            rows.push((p.display().to_string(), verdict, format!("line {}: {} ({})", e.line, e.message, e.reason.name())));
        }
        for (p, spec) in &self.events_accepted {
            let warnings = self.event_warnings.iter().filter(|(w, _)| w == p).count();
            rows.push((p.display().to_string(), "event passed", if warnings == 0 { spec.clone() } else { format!("{spec} ({warnings} warnings)") }));
        }
        for (p, spec) in &self.events_kept {
            rows.push((p.display().to_string(), "event passed", format!("{spec} (kept: specs/ has it with other content)")));
        }
        for (p, m) in &self.events_rejected {
            rows.push((p.display().to_string(), "event left out", m.clone()));
        }
        for (p, e) in &self.events_failed {
            rows.push((p.display().to_string(), "event failed", format!("line {}: {} ({})", e.line, e.message, e.reason.name())));
        }
        rows.sort();
        rows.into_iter().map(|(p, v, d)| format!("{p}\t{v}\t{}\n", d.replace(['\t', '\n'], " "))).collect()
    }
}

impl Report {
    /// The import record of each vendor (`specs/<vendor>/pages.tsv`): every page read, by its path
    /// below the corpus folder named after the vendor (else below the pages' common folder), with
    /// what became of it, and a row per field left as free-form JSON.
    pub fn records(&self) -> BTreeMap<&'static str, Vec<PageRecord>> {
        // Pages are named from the vendor's folder of the corpus (`…/corpus/feishu/im-v1/…` →
        // `im-v1/…`), whichever pages an import reads, so that rows of later imports replace the
        // earlier ones; pages outside such a folder from the folder they all share.
        let mut roots: BTreeMap<&'static str, PathBuf> = BTreeMap::new();
        for (p, vendor) in &self.vendor_of {
            let dir = p.parent().unwrap_or(Path::new("")).to_path_buf();
            let vendor_dir = dir.ancestors().find(|a| a.file_name().is_some_and(|n| n == *vendor)).map(Path::to_path_buf);
            let root = roots.entry(vendor).or_insert_with(|| vendor_dir.clone().unwrap_or_else(|| dir.clone()));
            let dir = vendor_dir.unwrap_or(dir);
            while !dir.starts_with(&*root) && root.pop() {}
        }
        let shown = |p: &PathBuf| -> (&'static str, String) {
            let vendor = self.vendor_of.get(p).copied().unwrap_or("");
            let root = roots.get(vendor).map_or(Path::new(""), PathBuf::as_path);
            (vendor, p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/"))
        };
        let mut out: BTreeMap<&'static str, Vec<PageRecord>> = BTreeMap::new();
        let mut push = |p: &PathBuf, event: bool, verdict: Verdict, spec: String, digest: String, note: String| {
            let (vendor, page) = shown(p);
            if !vendor.is_empty() {
                out.entry(vendor).or_default().push(PageRecord { page, event, verdict, spec, digest, note });
            }
        };
        let spec_of = |b: &Built| b.rel_path.clone();
        let kept: Vec<&PathBuf> = self.kept.iter().map(|(p, _)| p).collect();
        for (p, b) in &self.built {
            let verdict = if kept.contains(&p) { Verdict::Kept } else { Verdict::Imported };
            let n = self.warnings.iter().filter(|(w, _)| w == p).count();
            let note = if verdict == Verdict::Kept {
                "specs/ has it with other content (reviewed), kept".to_owned()
            } else if n == 0 {
                String::new()
            } else {
                format!("{n} warnings")
            };
            let digest = if verdict == Verdict::Imported { digest(&codegen::write::operation(&b.operation)) } else { String::new() };
            push(p, false, verdict, spec_of(b), digest, note);
            for w in &b.warnings {
                if let Some(kind) = free_form(w.kind) {
                    push(p, false, Verdict::FreeForm(kind.to_owned()), spec_of(b), String::new(), format!("line {}: {}", w.line, w.message));
                }
            }
        }
        let kept_events: Vec<&PathBuf> = self.events_kept.iter().map(|(p, _)| p).collect();
        for (p, e) in &self.built_events {
            let verdict = if kept_events.contains(&p) { Verdict::Kept } else { Verdict::Imported };
            let n = self.event_warnings.iter().filter(|(w, _)| w == p).count();
            let note = if verdict == Verdict::Kept {
                "specs/ has it with other content (reviewed), kept".to_owned()
            } else if n == 0 {
                String::new()
            } else {
                format!("{n} warnings")
            };
            let digest = if verdict == Verdict::Imported { digest(&codegen::write::event(&e.event)) } else { String::new() };
            push(p, true, verdict, e.rel_path.clone(), digest, note);
            for w in &e.warnings {
                if let Some(kind) = free_form(w.kind) {
                    push(p, true, Verdict::FreeForm(kind.to_owned()), e.rel_path.clone(), String::new(), format!("line {}: {}", w.line, w.message));
                }
            }
        }
        let spec_in = |m: &str| m.split(".yaml:").next().and_then(|f| f.strip_prefix("specs/")).and_then(|f| f.split_once('/')).map_or(String::new(), |(_, rel)| rel.to_owned());
        for (p, m) in &self.rejected {
            push(p, false, Verdict::LeftOut, spec_in(m), String::new(), m.clone());
        }
        for (p, m) in &self.events_rejected {
            let spec = self.event_specs.get(p).cloned().unwrap_or_else(|| spec_in(m));
            push(p, true, Verdict::LeftOut, spec, String::new(), m.clone());
        }
        for (p, e) in &self.failed {
            let verdict = if e.reason == Reason::NotAnApiPage { Verdict::NotAnApiPage } else { Verdict::Failed(e.reason.name().to_owned()) };
            let note = if e.reason == Reason::NotAnApiPage { String::new() } else { format!("line {}: {}", e.line, e.message) };
            push(p, false, verdict, String::new(), String::new(), note);
        }
        for (p, e) in &self.events_failed {
            push(p, true, Verdict::Failed(e.reason.name().to_owned()), String::new(), String::new(), format!("line {}: {}", e.line, e.message));
        }
        out
    }
}

/// The specs under a spec root (`feishu/im/v1/message/create`) that an earlier import wrote and
/// nobody has edited since: their files still have the digest their vendor's import record gives.
fn untouched(base: &Path) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let Ok(vendors) = fs::read_dir(base) else { return out };
    for vendor in vendors.flatten() {
        let dir = vendor.path();
        let Ok(text) = fs::read_to_string(dir.join(codegen::coverage::RECORD_FILE)) else { continue };
        let Ok(rows) = codegen::coverage::read_record(&text) else { continue };
        for row in rows.iter().filter(|r| r.verdict == Verdict::Imported && !r.digest.is_empty()) {
            if fs::read_to_string(dir.join(format!("{}.yaml", row.spec))).is_ok_and(|t| digest(&t) == row.digest) {
                out.insert(format!("{}/{}", vendor.file_name().to_string_lossy(), row.spec));
            }
        }
    }
    out
}

/// The SHA-256 of a spec file's text, as the import record gives it (lower-case hex).
pub fn digest(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The kind of free-form JSON a warning reports, if it does.
fn free_form(kind: WarningKind) -> Option<&'static str> {
    match kind {
        WarningKind::NoTypeStated | WarningKind::ObjectWithoutFields | WarningKind::UnionType => Some(kind.name()),
        WarningKind::UnknownTypeToken => Some("free-form JSON: a type defined on no page"),
        _ => None,
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

/// Imports `pages`, assembles a scratch spec root on the project's `specs/`, checks it, and
/// (with `compile`) compiles the generated code in a scratch crate against `workspace`.
pub fn run(pages: &[PathBuf], workspace: &Path, scratch: &Path, compile: bool) -> Report {
    run_with(pages, workspace, scratch, compile, &AuthingOperations::shipped())
}

/// Like [`run`], with another Authing operation table.
pub fn run_with(pages: &[PathBuf], workspace: &Path, scratch: &Path, compile: bool, ops: &AuthingOperations) -> Report {
    let options = Options { base: workspace.join("specs"), workspace: workspace.to_path_buf(), scratch: scratch.to_path_buf(), compile, force: false };
    run_on(pages, &options, ops)
}

/// Where and how an import is assembled.
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec root the pages are added to: the project's `specs/`, or the import's `--out`.
    pub base: PathBuf,
    /// The workspace, whose `generated-client` the scratch crate compiles against.
    pub workspace: PathBuf,
    /// Where the assembled spec root (`specs/`), the verdicts and the scratch crate go.
    pub scratch: PathBuf,
    pub compile: bool,
    /// Replace specs the base has with other content (else they are kept).
    pub force: bool,
}

/// Imports `pages` onto `options.base` in `options.scratch/specs`: the report, whose accepted
/// and kept pages are the ones whose specs the scratch root holds.
pub fn run_on(pages: &[PathBuf], options: &Options, ops: &AuthingOperations) -> Report {
    let scratch = options.scratch.as_path();
    let mut report = Report { scratch: scratch.to_path_buf(), ..Report::default() };
    let mut built: Vec<(PathBuf, Built)> = Vec::new();
    let corpus = crate::page::Corpus::read(pages);
    let vendors = corpus.vendors();
    for ((p, result), vendor) in corpus.import_all(ops).into_iter().zip(vendors) {
        report.pages_read += 1;
        report.vendor_of.insert(p.clone(), vendor);
        match result {
            Ok((_, mut b)) => {
                crate::repair::repair(&mut b);
                report.api_pages += 1;
                if b.warnings.is_empty() {
                    report.clean += 1;
                } else {
                    report.with_warnings += 1;
                    report.warnings.extend(b.warnings.iter().map(|w| (p.clone(), w.clone())));
                }
                built.push((p, b));
            }
            // Counted with the event pages below.
            Err(e) if e.reason == Reason::EventPage => {}
            Err(e) => {
                if e.reason != Reason::NotAnApiPage {
                    report.api_pages += 1;
                }
                report.failed.push((p, e));
            }
        }
    }
    let mut events: Vec<(PathBuf, BuiltEvent)> = Vec::new();
    for (p, result) in corpus.import_events() {
        report.event_pages += 1;
        match result {
            Ok(mut e) => {
                crate::repair::repair_event(&mut e);
                report.event_warnings.extend(e.warnings.iter().map(|w| (p.clone(), w.clone())));
                events.push((p, e));
            }
            Err(e) => report.events_failed.push((p, e)),
        }
    }

    // One page never blocks another: the pages the checker's errors trace to are left out.
    let specs = scratch.join("specs");
    let catalog =
        crate::services::Catalog::of(&built.iter().map(|(p, b)| (p.clone(), b)).collect::<Vec<_>>()).with_events(&events.iter().map(|(p, e)| (p.clone(), e)).collect::<Vec<_>>());
    let untouched = untouched(&options.base);
    report.event_specs = events.iter().map(|(p, e)| (p.clone(), e.rel_path.clone())).collect();
    let assembly = crate::assemble::assemble_with_events(built, events, &options.base, &specs, &|spec: &str| options.force || untouched.contains(spec), &catalog);
    for (p, r) in assembly.rejected {
        let located = (p, format!("{}: {}", r.at, r.message));
        if report.event_specs.contains_key(&located.0) { report.events_rejected.push(located) } else { report.rejected.push(located) }
    }
    let spec_of = |(p, b): &(PathBuf, Built)| (p.clone(), format!("specs/{}/{}.yaml", b.vendor, b.rel_path));
    report.accepted = assembly.accepted.iter().map(spec_of).collect();
    report.kept = assembly.kept.iter().map(spec_of).collect();
    report.built = assembly.accepted.into_iter().chain(assembly.kept).collect();
    let event_spec_of = |(p, e): &(PathBuf, BuiltEvent)| (p.clone(), format!("specs/{}/{}.yaml", e.vendor, e.rel_path));
    report.events_accepted = assembly.events.iter().map(event_spec_of).collect();
    report.events_kept = assembly.kept_events.iter().map(event_spec_of).collect();
    report.built_events = assembly.events.into_iter().chain(assembly.kept_events).collect();
    if !report.built.is_empty() || !report.built_events.is_empty() {
        // The generator must render what the checker accepts; a failure here is the generator's.
        let rendered = codegen::analyze(&specs, Path::new("specs")).into_result().map_err(|d| d.summary()).and_then(|api| codegen::render(&api).map(|_| ()));
        if let Err(e) = rendered {
            report.compiled = Some(Err(format!("the accepted specs do not render: {e}")));
            return report;
        }
    }
    if options.compile && (!report.built.is_empty() || !report.built_events.is_empty()) {
        report.compiled = Some(compile_specs(&specs, &options.workspace, scratch));
    }
    report
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
