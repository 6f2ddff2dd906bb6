//! `cargo xtask regen`: specs/ → generated-client/src/generated/, written only where changed,
//! all files or none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fs, io};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// Where the specs are and where the code goes, relative to the workspace root.
pub const SPECS: &str = "specs";
pub const OUTPUT: &str = "generated-client/src/generated";
/// The data-driven tests' cases, one file per vendor (`codegen::calls`).
pub const CALLS: &str = "generated-client/tests/calls";
/// The table of operations regen writes beside the code.
pub const TABLE: &str = "docs/operations.md";
/// The OpenAPI documents regen keeps in step with the specs.
pub const OPENAPI: &str = "openapi";
/// What the specs cover of the vendors' docs.
pub const COVERAGE: &str = "docs/coverage.md";
/// The manifest whose features block regen writes.
pub const MANIFEST: &str = "generated-client/Cargo.toml";
/// Where `cargo xtask regen` keeps what it rendered each file from (`regen_cache`).
pub const CACHE: &str = "target/regen-cache.tsv";

pub fn run(mode: Mode) -> ExitCode {
    let root = workspace_root();
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("error: cannot enter the workspace root {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    // Writing uses the cache, so an unchanged module is not rendered again; `--check` renders
    // everything, whatever a cache says.
    let mut cache = (mode == Mode::Write).then(|| crate::regen_cache::Cache::open(Path::new(CACHE)));
    match regen_project_with(Path::new("."), mode, cache.as_mut()) {
        Ok(report) => {
            if let Some(Err(e)) = cache.map(|c| c.save()) {
                eprintln!("warning: cannot save the regen cache {CACHE}: {e}");
            }
            report.print(mode);
            if mode == Mode::Check && !report.stale.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(Failure::Specs(diags)) => {
            eprint!("{}", if std::env::var_os("NO_COLOR").is_some() { diags.render() } else { diags.render_styled() });
            eprintln!("error: {} problem(s) in the specs; nothing was written", diags.items.len());
            ExitCode::FAILURE
        }
        Err(Failure::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask check`: load and check every spec once, print every problem, write nothing.
pub fn check_specs() -> ExitCode {
    let root = workspace_root();
    let analysis = codegen::analyze(&root.join(SPECS), Path::new(SPECS));
    let files = analysis.files_read.len();
    match analysis.into_result() {
        Ok(api) => {
            let operations: usize = api.vendors.iter().flat_map(|v| &v.services).map(|s| s.operations.len()).sum();
            println!("check: {files} spec files are valid ({operations} operations)");
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", if std::env::var_os("NO_COLOR").is_some() { diags.render() } else { diags.render_styled() });
            eprintln!("error: {} problem(s) in the specs", diags.items.len());
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Default)]
pub struct Report {
    /// Files whose content differs from what the specs generate (written, in write mode).
    pub stale: Vec<PathBuf>,
    /// Generated files with no spec behind them any more (removed, in write mode).
    pub orphaned: Vec<PathBuf>,
    pub unchanged: usize,
}

#[derive(Debug)]
pub enum Failure {
    Specs(codegen::Diagnostics),
    Io(String),
}

/// Regen of the project under `root`: the specs are read and checked once, then every back end
/// renders from the checked model — the code, the table of operations, the OpenAPI documents —
/// and the manifest must declare every service feature. Everything is rendered in memory before
/// anything is written, so a spec error writes nothing.
pub fn regen_project(root: &Path, mode: Mode) -> Result<Report, Failure> {
    regen_project_with(root, mode, None)
}

/// [`regen_project`] with a cache. When the specs changed only inside services, and each such
/// service shows the rest what it showed before, the fast path (`regen_fast`) checks and renders
/// those services alone. Otherwise everything is checked, and a module, call-case file or OpenAPI
/// document whose fingerprint and file on disk match the cache's record is left as it is, not
/// rendered. After a successful write everything is recorded. Use it only to write: in check mode
/// a stale file could be recorded.
pub fn regen_project_with(root: &Path, mode: Mode, cache: Option<&mut crate::regen_cache::Cache>) -> Result<Report, Failure> {
    let Some(cache) = cache.filter(|_| mode == Mode::Write) else { return full(root, mode, None) };
    if let Some(report) = crate::regen_fast::regen(root, cache)? {
        return Ok(report);
    }
    full(root, mode, Some(cache))
}

/// The full regen: every spec read and checked.
fn full(root: &Path, mode: Mode, cache: Option<&mut crate::regen_cache::Cache>) -> Result<Report, Failure> {
    // The specs' states before they are read: an edit made while regen runs shows next time.
    let specs_before = cache.is_some().then(|| crate::regen_cache::spec_states(root, Path::new(SPECS)));
    let api = codegen::analyze(&root.join(SPECS), Path::new(SPECS)).into_result().map_err(Failure::Specs)?;
    // Every cached output with its fingerprint, and those the cache says are current.
    let mut fingerprinted: Vec<(PathBuf, u64)> = Vec::new();
    if cache.is_some() {
        let fps = codegen::fingerprint::fingerprints(&api);
        fingerprinted.extend(fps.modules.iter().map(|(file, fp)| (PathBuf::from(OUTPUT).join(file), *fp)));
        for (vendor, fp) in &fps.vendors {
            fingerprinted.push((PathBuf::from(CALLS).join(format!("{vendor}.rs")), *fp));
            fingerprinted.push((PathBuf::from(OPENAPI).join(format!("{vendor}.json")), *fp));
        }
    }
    let current: std::collections::HashSet<PathBuf> =
        fingerprinted.iter().filter(|(rel, fp)| cache.as_deref().is_some_and(|c| c.current(root, rel, *fp))).map(|(rel, _)| rel.clone()).collect();
    let skip = |dir: &str, file: &str| current.contains(&Path::new(dir).join(file));
    let files = codegen::render_only(&api, |f| !skip(OUTPUT, f)).map_err(Failure::Io)?;
    let manifest = fs::read_to_string(root.join(MANIFEST)).map_err(|e| Failure::Io(format!("cannot read {MANIFEST}: {e}")))?;
    let manifest = codegen::with_features_block(&manifest, &codegen::features_block(&api))
        .ok_or_else(|| Failure::Io(format!("{MANIFEST} has no features block: put the lines `{}` and `{}` under [features]", codegen::FEATURES_BEGIN, codegen::FEATURES_END)))?;
    let coverage = codegen::coverage::markdown(&api, &records(&root.join(SPECS), &api)?);
    // The vendor-wide files in pieces (`codegen::pieces`), whose layout the cache keeps.
    let mut layouts: Vec<(PathBuf, codegen::pieces::Pieces)> = vec![(PathBuf::from(TABLE), codegen::table::pieces(&api))];
    let mut calls = Vec::new();
    let mut report = Report::default();
    for v in &api.vendors {
        let collisions = codegen::openapi::Collisions::of(v);
        let file = format!("{}.json", v.module);
        if skip(OPENAPI, &file) {
            report.unchanged += 1;
        } else {
            layouts.push((PathBuf::from(OPENAPI).join(file), codegen::openapi::pieces(v, &collisions)));
        }
        let file = codegen::calls::file(v);
        if !skip(CALLS, &file) {
            let pieces = codegen::calls::pieces(v, &collisions).map_err(Failure::Io)?;
            calls.push(codegen::GeneratedFile { path: file.clone(), contents: pieces.text(), shares: Vec::new() });
            layouts.push((PathBuf::from(CALLS).join(file), pieces));
        }
    }
    let mut extra = vec![(PathBuf::from(COVERAGE), coverage), (PathBuf::from(MANIFEST), manifest)];
    extra.extend(layouts.iter().filter(|(rel, _)| !rel.starts_with(CALLS)).map(|(rel, p)| (rel.clone(), p.text())));
    let kept = |dir: &str| current.iter().filter_map(|p| p.strip_prefix(dir).ok()).map(Path::to_path_buf).collect::<Vec<_>>();
    let code = write_files(&files, &kept(OUTPUT), &root.join(OUTPUT), mode)?;
    let cases = write_files(&calls, &kept(CALLS), &root.join(CALLS), mode)?;
    for part in [code, cases] {
        report.stale.extend(part.stale);
        report.orphaned.extend(part.orphaned);
        report.unchanged += part.unchanged;
    }
    for (rel, text) in &extra {
        match fs::read_to_string(root.join(rel)) {
            Ok(current) if normalize(&current) == normalize(text) => report.unchanged += 1,
            _ => {
                if mode == Mode::Write {
                    write(&root.join(rel), text).map_err(|e| Failure::Io(format!("cannot write {}: {e}", rel.display())))?;
                }
                report.stale.push(rel.clone());
            }
        }
    }
    // Written: every file on disk is now what the specs render to.
    if let (Some(cache), Mode::Write, Some(specs)) = (cache, mode, specs_before) {
        for (rel, fp) in &fingerprinted {
            cache.record(root, rel, Some(*fp));
        }
        for (rel, _) in &extra {
            if !fingerprinted.iter().any(|(f, _)| f == rel) {
                cache.record(root, rel, None);
            }
        }
        for (rel, pieces) in &layouts {
            cache.pieces.insert(rel.clone(), crate::regen_cache::Slot::layout(pieces));
        }
        // Each service module rendered: its shares, for the fast path to render them apart.
        for v in &api.vendors {
            for (si, s) in v.services.iter().enumerate() {
                if let Some(f) = files.iter().find(|f| f.path == format!("{}/{}.rs", v.module, s.module)) {
                    let layout = crate::regen_fast::share_layout(&f.shares, &codegen::fingerprint::service_and_shares(v, si).1);
                    cache.pieces.insert(PathBuf::from(OUTPUT).join(&f.path), layout);
                }
            }
        }
        cache.specs = specs;
        cache.vendors = api.vendors.iter().map(|v| (v.module.clone(), crate::regen_fast::record(v))).collect();
    }
    Ok(report)
}

/// Each vendor's import record (`specs/<vendor>/pages.tsv`), where it has one.
fn records(specs: &Path, api: &codegen::model::Api) -> Result<BTreeMap<String, Vec<codegen::coverage::PageRecord>>, Failure> {
    let mut out = BTreeMap::new();
    for v in &api.vendors {
        let path = specs.join(&v.module).join(codegen::coverage::RECORD_FILE);
        let Ok(text) = fs::read_to_string(&path) else { continue };
        let rows = codegen::coverage::read_record(&text).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
        out.insert(v.module.clone(), rows);
    }
    Ok(out)
}

/// The code only, for tests on scratch spec trees: generates everything first, then touches the
/// disk. `shown_as` is how the spec directory is named in messages and generated headers.
#[cfg(test)]
pub fn regen(specs: &Path, shown_as: &Path, output: &Path, mode: Mode) -> Result<Report, Failure> {
    let api = codegen::analyze(specs, shown_as).into_result().map_err(Failure::Specs)?;
    let files = codegen::render(&api).map_err(Failure::Io)?;
    write_files(&files, &[], output, mode)
}

/// Writes `files` under `output` where they differ, and removes generated files that are neither
/// among them nor `kept` (current files that were not rendered, relative to `output`).
fn write_files(files: &[codegen::GeneratedFile], kept: &[PathBuf], output: &Path, mode: Mode) -> Result<Report, Failure> {
    let mut report = Report { unchanged: kept.len(), ..Report::default() };
    let mut wanted: Vec<PathBuf> = kept.iter().map(|k| output.join(k)).collect();
    for file in files {
        let path = output.join(&file.path);
        wanted.push(path.clone());
        let current = fs::read_to_string(&path).ok();
        if current.as_deref().map(normalize) == Some(normalize(&file.contents)) {
            report.unchanged += 1;
            continue;
        }
        report.stale.push(path.clone());
        if mode == Mode::Write {
            write(&path, &file.contents).map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    for existing in rust_files(output) {
        if !wanted.contains(&existing) && is_generated(&existing) {
            report.stale.push(existing.clone());
            report.orphaned.push(existing.clone());
            if mode == Mode::Write {
                fs::remove_file(&existing).map_err(|e| Failure::Io(format!("cannot remove {}: {e}", existing.display())))?;
            }
        }
    }
    Ok(report)
}

impl Report {
    fn print(&self, mode: Mode) {
        match mode {
            Mode::Write if self.stale.is_empty() => println!("regen: {} files up to date", self.unchanged),
            Mode::Write => {
                for p in &self.stale {
                    let verb = if self.orphaned.contains(p) { "removed" } else { "wrote" };
                    println!("regen: {verb} {}", p.display());
                }
                println!("regen: {} changed, {} unchanged", self.stale.len(), self.unchanged);
            }
            Mode::Check if self.stale.is_empty() => println!("regen --check: {} files up to date", self.unchanged),
            Mode::Check => {
                for p in &self.stale {
                    eprintln!("stale: {}", p.display());
                }
                eprintln!("error: generated code is stale; run `cargo xtask regen` and commit the result");
            }
        }
    }
}

pub(crate) fn normalize(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Writes through a temporary file and a rename, so a file is never half-written.
pub(crate) fn write(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = temporary(path);
    fs::write(&tmp, contents)?;
    fs::rename(&tmp, path)
}

/// The file a write goes through before its rename to `path`: `x.rs` → `x.rs.tmp`.
pub(crate) fn temporary(path: &Path) -> PathBuf {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    path.with_extension(format!("{ext}.tmp"))
}

/// A copy under `to` of everything regen reads and writes in the project at `root` (for the
/// cache's bench and test).
pub(crate) fn copy_project(root: &Path, to: &Path) -> io::Result<()> {
    let _ = fs::remove_dir_all(to);
    for sub in [SPECS, OUTPUT, CALLS, OPENAPI] {
        copy_tree(&root.join(sub), &to.join(sub))?;
    }
    for file in [TABLE, COVERAGE, MANIFEST] {
        fs::create_dir_all(to.join(file).parent().unwrap_or(to))?;
        fs::copy(root.join(file), to.join(file))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn is_generated(path: &Path) -> bool {
    fs::read_to_string(path).is_ok_and(|s| s.starts_with("// @generated by `cargo xtask regen`"))
}

pub(crate) fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        workspace_root()
    }

    /// A scratch copy of a directory tree under the system temp dir, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn copy_of(name: &str, from: &Path) -> Scratch {
            let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            copy_tree(from, &dir);
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn copy_tree(from: &Path, to: &Path) {
        super::copy_tree(from, to).unwrap();
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
        rust_files(dir).into_iter().map(|p| (p.clone(), fs::read_to_string(&p).unwrap())).collect()
    }

    #[test]
    fn generated_code_is_fresh() {
        let root = root();
        let report = regen_project(&root, Mode::Check).unwrap_or_else(|e| panic!("regen failed: {e:?}"));
        assert!(report.stale.is_empty(), "stale generated files: {:?}; run `cargo xtask regen` and commit the result", report.stale);
        assert!(report.unchanged >= 6);
    }

    #[test]
    fn editing_a_spec_changes_the_code_and_check_notices_first() {
        let root = root();
        let specs = Scratch::copy_of("edit-specs", &root.join(SPECS));
        let out = Scratch::copy_of("edit-out", &root.join(OUTPUT));
        let types = specs.0.join("feishu/acs/v1/types.yaml");
        let text = fs::read_to_string(&types).unwrap().replace("description: 卡号", "description: 门禁卡号（edited）");
        fs::write(&types, text).unwrap();

        let check = regen(&specs.0, Path::new(SPECS), &out.0, Mode::Check).unwrap();
        assert_eq!(check.stale, vec![out.0.join("feishu/acs_v1.rs")], "--check must name exactly the stale file");
        assert!(!fs::read_to_string(out.0.join("feishu/acs_v1.rs")).unwrap().contains("edited"), "--check must not write");

        let write = regen(&specs.0, Path::new(SPECS), &out.0, Mode::Write).unwrap();
        assert_eq!(write.stale.len(), 1);
        assert!(fs::read_to_string(out.0.join("feishu/acs_v1.rs")).unwrap().contains("/// 门禁卡号（edited）"));
        assert!(regen(&specs.0, Path::new(SPECS), &out.0, Mode::Check).unwrap().stale.is_empty());
    }

    /// A scratch copy of everything regen reads and writes.
    fn scratch_project(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        copy_project(&root(), &dir).unwrap();
        Scratch(dir)
    }

    /// With the cache, regen does what an edit needs and what it leaves on disk is what a full
    /// regen makes (check mode renders everything, and finds nothing stale). An edit inside
    /// services that shows the rest nothing new takes the fast path: those services alone are
    /// read, and their module and pieces written. Anything else (an event, which the vendor module
    /// lists; a spec error; a generated file edited by hand) takes the full path, which still
    /// renders only what changed.
    #[test]
    fn the_cache_does_what_an_edit_needs_and_agrees_with_a_full_regen() {
        let project = scratch_project("cache");
        let p = &project.0;
        let all = yaml_files(&p.join(SPECS)).len();
        let mut cache = crate::regen_cache::Cache::open(&p.join("regen-cache.tsv"));
        // Regen with the cache: what it rewrote (relative, `/`), and how many spec files it read.
        let regen = |cache: &mut crate::regen_cache::Cache, what: &str| -> (Vec<String>, usize) {
            let before = codegen::files_read_on_this_thread();
            let report = regen_project_with(p, Mode::Write, Some(cache)).unwrap_or_else(|e| panic!("{what}: {e:?}"));
            let stale = report.stale.iter().map(|s| s.strip_prefix(p).unwrap_or(s).to_string_lossy().replace('\\', "/").trim_start_matches("./").to_owned()).collect();
            (stale, codegen::files_read_on_this_thread() - before)
        };
        let edit = |rel: &str, from: &str, to: &str| {
            let path = p.join(rel);
            let text = fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{rel} has no `{from}`");
            fs::write(&path, text.replacen(from, to, 1)).unwrap();
        };
        let full_check = |what: &str| {
            let full = regen_project(p, Mode::Check).unwrap_or_else(|e| panic!("{e:?}"));
            assert!(full.stale.is_empty(), "after {what}, the cached regen left files a full regen would change: {:?}", full.stale);
        };

        let (stale, read) = regen(&mut cache, "the first regen");
        assert!(stale.is_empty(), "the copy was current: {stale:?}");
        assert_eq!(read, all, "without a cache every spec is read");
        assert_eq!(regen(&mut cache, "nothing changed"), (vec![], 0), "nothing changed: nothing read, nothing written");

        // A field's description: the fast path, rendering one share of the module.
        let module = PathBuf::from(OUTPUT).join("feishu/acs_v1.rs");
        let shares_before = cache.pieces.get(&module).cloned().unwrap_or_default();
        edit("specs/feishu/acs/v1/types.yaml", "description: 卡号", "description: 卡号 (edited)");
        let (stale, read) = regen(&mut cache, "a description");
        assert!(read < 40, "only the service's files and the vendor's are read: {read} of {all}");
        assert_eq!(stale, ["generated-client/src/generated/feishu/acs_v1.rs", "openapi/feishu.json"], "the module and the document");
        let shares_after = cache.pieces.get(&module).cloned().unwrap_or_default();
        let redone = shares_before.iter().zip(&shares_after).filter(|(a, b)| a != b).count();
        assert!(shares_before.len() > 2 && shares_after.len() == shares_before.len() && redone == 1, "one share of {} rendered again: {redone}", shares_before.len());
        assert!(fs::read_to_string(p.join(OUTPUT).join("feishu/acs_v1.rs")).unwrap().contains("卡号 (edited)"));
        full_check("a description");

        // Two services of two vendors at once: an example (in the call cases too), an operation's
        // title (in the table too), a description.
        edit("specs/feishu/acs/v1/user/get.yaml", "example: ou_7dab8a3d3cdcc9da365777c7ad535d62", "example: ou_edited");
        edit("specs/feishu/acs/v1/user/get.yaml", "title: 获取单个用户信息", "title: 获取单个用户信息 (edited)");
        edit("specs/authing/management/users/get-user.yaml", "description: 用户 ID\n", "description: 用户 ID (edited)\n");
        let (stale, read) = regen(&mut cache, "two services");
        assert!(read < 80, "{read} of {all} read");
        for expected in ["feishu/acs_v1.rs", "authing/management_users.rs", "openapi/feishu.json", "openapi/authing.json", "tests/calls/feishu.rs", "docs/operations.md"] {
            assert!(stale.iter().any(|s| s.ends_with(expected)), "{expected} must be rewritten: {stale:?}");
        }
        assert!(!stale.iter().any(|s| s.ends_with("tests/calls/authing.rs")), "a description is not in the call cases: {stale:?}");
        full_check("two services");

        // What other files show (an event, in the vendor module), and a file edited by hand: the
        // full path, rendering only what changed.
        edit("specs/feishu/acs/v1/types.yaml", "description: 卡号 (edited)", "description: 卡号 (edited twice)");
        edit("specs/feishu/im/v1/chat_member_bot/events/added.yaml", "title: ", "title: (edited) ");
        let hand = p.join(OUTPUT).join("authing/mod.rs");
        fs::write(&hand, fs::read_to_string(&hand).unwrap() + "// edited by hand\n").unwrap();
        let (stale, read) = regen(&mut cache, "an event and a file edited by hand");
        assert_eq!(read, all);
        for expected in ["feishu/acs_v1.rs", "feishu/im_v1.rs", "feishu/mod.rs", "authing/mod.rs", "openapi/feishu.json"] {
            assert!(stale.iter().any(|s| s.ends_with(expected)), "{expected} must be rewritten: {stale:?}");
        }
        assert!(stale.len() <= 8, "only what the edits touch is rewritten: {stale:?}");
        assert!(!fs::read_to_string(&hand).unwrap().contains("edited by hand"), "a generated file edited by hand is rendered again");

        // A spec error inside one service: reported by the full check, at its place; nothing written.
        let before = snapshot(&p.join(OUTPUT));
        edit("specs/feishu/acs/v1/user/get.yaml", "tokens: [tenant]", "tokns: [tenant]");
        let Err(Failure::Specs(diags)) = regen_project_with(p, Mode::Write, Some(&mut cache)) else { panic!("a misspelt key must fail regen") };
        assert!(diags.summary().contains("specs/feishu/acs/v1/user/get.yaml:13:1: unknown key `tokns`"), "{}", diags.summary());
        assert_eq!(snapshot(&p.join(OUTPUT)), before, "no generated file may change");
        edit("specs/feishu/acs/v1/user/get.yaml", "tokns: [tenant]", "tokens: [tenant]");
        let (stale, _) = regen(&mut cache, "the error mended");
        assert!(stale.is_empty(), "{stale:?}");
        full_check("an event, a file edited by hand and an error mended");
    }

    /// Every spec file under `dir`.
    fn yaml_files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(yaml_files(&path));
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
        out.sort();
        out
    }

    #[test]
    fn regen_reads_each_spec_file_once() {
        let root = root();
        let files = yaml_files(&root.join(SPECS)).len();
        let before = codegen::files_read_on_this_thread();
        regen_project(&root, Mode::Check).unwrap_or_else(|e| panic!("regen failed: {e:?}"));
        assert_eq!(codegen::files_read_on_this_thread() - before, files, "regen must read each of the {files} spec files exactly once");
        let before = codegen::files_read_on_this_thread();
        assert_eq!(check_specs(), ExitCode::SUCCESS);
        assert_eq!(codegen::files_read_on_this_thread() - before, files, "check must read each of the {files} spec files exactly once");
    }

    /// Copying an operation file under a new name in its folder fails regen, naming both files
    /// at their lines, and writes nothing: for eight operations spread over the specs (each case
    /// is a regen of the whole platform).
    #[test]
    fn a_copied_operation_fails_naming_both_files_and_writes_nothing() {
        let root = root();
        let specs = Scratch::copy_of("copy-specs", &root.join(SPECS));
        let out = Scratch::copy_of("copy-out", &root.join(OUTPUT));
        let before = snapshot(&out.0);
        let operations: Vec<PathBuf> = yaml_files(&specs.0).into_iter().filter(|p| !p.ends_with("vendor.yaml") && !p.ends_with("types.yaml")).collect();
        assert!(operations.len() >= 50, "the specs hold the operations: {}", operations.len());
        let step = operations.len().div_ceil(8);
        for original in operations.iter().step_by(step) {
            let stem = original.file_stem().unwrap().to_string_lossy();
            let copy = original.with_file_name(format!("copy-of-{stem}.yaml"));
            fs::copy(original, &copy).unwrap();
            let result = regen(&specs.0, Path::new(SPECS), &out.0, Mode::Write);
            fs::remove_file(&copy).unwrap();
            let Err(Failure::Specs(diags)) = result else { panic!("regen accepted a copy of {}", original.display()) };
            let shown = |p: &Path| format!("{SPECS}/{}", p.strip_prefix(&specs.0).unwrap().to_string_lossy().replace('\\', "/"));
            let (a, b) = (shown(original), shown(&copy));
            let summary = diags.summary();
            assert!(summary.contains(&format!("{a}:")) && summary.contains(&format!("{b}:")), "both files, each at a line, for {a}:\n{summary}");
        }
        assert_eq!(snapshot(&out.0), before, "no generated file may change");
    }

    #[test]
    fn a_spec_error_names_its_place_and_writes_nothing() {
        let root = root();
        let specs = Scratch::copy_of("bad-specs", &root.join(SPECS));
        let out = Scratch::copy_of("bad-out", &root.join(OUTPUT));
        // A valid edit elsewhere, so a partial write would show.
        let types = specs.0.join("feishu/acs/v1/types.yaml");
        let text = fs::read_to_string(&types).unwrap().replace("description: 卡号", "description: changed");
        fs::write(&types, text).unwrap();
        let op = specs.0.join("authing/management/users/get-user.yaml");
        let text = fs::read_to_string(&op).unwrap().replace("tokens: [management]", "tokns: [management]").replace("type: UserDto", "type: UserDTO");
        fs::write(&op, text).unwrap();
        let before = snapshot(&out.0);

        let Err(Failure::Specs(diags)) = regen(&specs.0, Path::new(SPECS), &out.0, Mode::Write) else {
            panic!("regen must fail on a misspelt key and an unknown type");
        };
        let summary = diags.summary();
        assert!(summary.contains("specs/authing/management/users/get-user.yaml:9:1: unknown key `tokns` in an operation"), "{summary}");
        assert!(summary.contains("specs/authing/management/users/get-user.yaml:43:11: unknown type `UserDTO`"), "{summary}");
        let rendered = diags.render();
        assert!(rendered.contains("did you mean `tokens`?"), "{rendered}");
        assert!(rendered.contains("did you mean `UserDto`?"), "{rendered}");
        assert_eq!(snapshot(&out.0), before, "no generated file may change");
    }
}
