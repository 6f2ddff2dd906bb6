//! Checks YAML API specs and emits Rust client code.
//!
//! One front end, several back ends. [`analyze`] reads every spec file once (`load`, `read`),
//! checks the spec model (`check`: resolve → lower → validate) and returns the checked model
//! ([`model::Api`]) or every problem with its file, line and column. Each back end takes the
//! checked model: [`render`] (the files `cargo xtask regen` writes), [`emit_inline`] (what the
//! `generate!` macro expands to), [`openapi::documents`], [`table::operations_markdown`] and
//! [`features`]; [`error_stubs`] stands in for the modules of specs that failed. The vendor-wide
//! files come in [`pieces`] too, each service's its own, and [`analyze_subset`] checks part of a
//! vendor, so that a shell can redo one service's share after an edit ([`fingerprint::interface`]
//! says when that is enough). The library reads the spec files it is given and writes nothing.

pub mod calls;
mod check;
pub mod coverage;
pub mod diagnostic;
mod emit;
pub mod fingerprint;
mod format;
mod load;
pub mod model;
pub mod names;
pub mod openapi;
pub mod pieces;
mod read;
pub mod reserved;
pub mod spec;
pub mod table;
mod threads;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Diagnostics};

/// One generated file: its path relative to the output directory, and its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
    /// Of a service module, the length of each share of `contents` in order
    /// ([`fingerprint::service_and_shares`] has one fingerprint each); empty for other files.
    pub shares: Vec<usize>,
}

/// What the front end made of a spec root.
#[derive(Debug)]
pub struct Analysis {
    /// The checked model, when there was no problem.
    pub api: Option<model::Api>,
    /// Every problem, and the text of every file read (for rendering them).
    pub diagnostics: Diagnostics,
    /// Every spec file read, as read from disk, whether or not it was valid (the macro names
    /// each, so cargo rebuilds when one changes).
    pub files_read: Vec<PathBuf>,
    /// The module names of the vendors found, also when their specs failed (the macro stands in
    /// for them after an error).
    pub vendor_modules: Vec<String>,
}

impl Analysis {
    /// The checked model, or every problem.
    pub fn into_result(self) -> Result<model::Api, Diagnostics> {
        match self.api {
            Some(api) => Ok(api),
            None => Err(self.diagnostics),
        }
    }
}

/// The front end: reads every spec under `root` (a directory of vendor directories, or one
/// vendor directory) once, and checks them. `shown_as` is how `root` is named in messages and
/// generated headers, so output does not depend on where the checkout is.
pub fn analyze(root: &Path, shown_as: &Path) -> Analysis {
    let mut diagnostics = Diagnostics::default();
    let set = load::load(root, shown_as, &mut diagnostics);
    checked(set, diagnostics)
}

/// The front end over part of one vendor: `vendor_dir` with only the spec files `keep` accepts
/// (by path relative to `vendor_dir`, `/`-separated; a directory is asked with a final `/`, and
/// one refused is not walked). The vendor file and the vendor's own
/// `types.yaml` must be among them. A service whose files are all kept is checked and lowered
/// exactly as [`analyze`] of the whole directory would (the checker sees no other service's
/// files, and a module sees only its own and the vendor's types); the other declared services
/// come out empty. Rules across services (one operation per endpoint, event names, token
/// exchanges) see only what was kept, so a shell that uses this must know that what it did not
/// keep is unchanged and that the kept services show other services the same names as before
/// ([`fingerprint::interface`]).
pub fn analyze_subset(vendor_dir: &Path, shown_as: &Path, keep: &dyn Fn(&str) -> bool) -> Analysis {
    let mut diagnostics = Diagnostics::default();
    let set = load::load_subset(vendor_dir, shown_as, keep, &mut diagnostics);
    checked(set, diagnostics)
}

fn checked(set: spec::SpecSet, mut diagnostics: Diagnostics) -> Analysis {
    let api = check::check(&set, &mut diagnostics);
    let files_read = diagnostics.sources.iter().map(|(_, f)| f.real.clone()).collect();
    let vendor_modules = set.vendors.iter().map(|v| v.vendor.as_ref().map_or_else(|| v.dir.clone(), |f| f.name.value.clone())).collect();
    Analysis { api: diagnostics.is_empty().then_some(api), diagnostics, files_read, vendor_modules }
}

/// The spec model as written, for tools that transcribe or compare specs (the importer, tests
/// that serve a spec's examples); nothing is checked beyond reading.
pub fn load(root: &Path) -> Result<(spec::SpecSet, diagnostic::Sources), Diagnostics> {
    let mut diags = Diagnostics::default();
    let set = load::load(root, root, &mut diags);
    if diags.is_empty() { Ok((set, diags.sources)) } else { Err(diags) }
}

/// How many spec files this thread has read since it started: each `analyze` reads each file
/// once, which tests of the shells hold them to.
pub fn files_read_on_this_thread() -> usize {
    load::files_read_on_this_thread()
}

/// Emits and formats the checked model: the files of `generated-client/src/generated/`, in a
/// stable order, rendered one module per thread as cores allow (most of the time goes to
/// formatting). The order of the files does not depend on the threads.
pub fn render(api: &model::Api) -> Result<Vec<GeneratedFile>, String> {
    render_only(api, |_| true)
}

/// [`render`] of the files `wanted` accepts (by path, as [`fingerprint::fingerprints`] names
/// them), in the same order.
pub fn render_only(api: &model::Api, wanted: impl Fn(&str) -> bool) -> Result<Vec<GeneratedFile>, String> {
    let parts: Vec<emit::Part> = emit::parts(api).into_iter().filter(|&p| wanted(&emit::part_file(api, p))).collect();
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    // Each thread emits and formats its own shares of modules (token streams are not `Send`),
    // the heaviest first; a module's shares are then joined in order.
    let shares: Vec<(usize, emit::Share, usize, bool)> =
        parts.iter().enumerate().flat_map(|(i, &p)| emit::shares(api, p).into_iter().enumerate().map(move |(k, (share, weight))| (i, share, weight, k == 0))).collect();
    let rendered = threads::map_heaviest_first(&shares, |s| s.2, |&(i, share, _, first)| format::format_share(&emit::emit_share(api, parts[i], share), first));
    let mut files: Vec<GeneratedFile> = parts.iter().map(|&p| GeneratedFile { path: emit::part_file(api, p), contents: String::new(), shares: Vec::new() }).collect();
    for ((i, share, ..), text) in shares.iter().zip(rendered) {
        let text = text?;
        if !matches!(share, emit::Share::Whole) {
            files[*i].shares.push(text.len());
        }
        files[*i].contents.push_str(&text);
    }
    Ok(files)
}

/// The shares `wanted` accepts (by index, in file order) of the service module at `file` (as
/// [`render`] names it), rendered on every core, `None` for the others; the first share with the
/// file's header. Empty when `file` is no service module of `api`.
pub fn render_shares(api: &model::Api, file: &str, wanted: impl Fn(usize) -> bool) -> Result<Vec<Option<String>>, String> {
    let Some(part) = emit::parts(api).into_iter().find(|&p| matches!(p, emit::Part::Service(..)) && emit::part_file(api, p) == file) else { return Ok(Vec::new()) };
    let all = emit::shares(api, part);
    let picked: Vec<(usize, emit::Share, usize)> = all.iter().enumerate().filter(|(k, _)| wanted(*k)).map(|(k, &(share, weight))| (k, share, weight)).collect();
    let rendered = threads::map_heaviest_first(&picked, |p| p.2, |&(k, share, _)| format::format_share(&emit::emit_share(api, part, share), k == 0));
    let mut out: Vec<Option<String>> = vec![None; all.len()];
    for ((k, ..), text) in picked.iter().zip(rendered) {
        out[*k] = Some(text?);
    }
    Ok(out)
}

/// Emits each module of the checked model as tokens, unformatted: one per generated file.
pub fn emit_modules(api: &model::Api) -> Vec<emit::ModuleTokens> {
    emit::parts(api).into_iter().map(|p| emit::emit_part(api, p)).collect()
}

/// Formats one emitted module with its generated-file header.
pub fn format_module(module: &emit::ModuleTokens) -> Result<String, String> {
    format::format_module(module)
}

pub use emit::ModuleTokens;

/// What the `generate!` macro expands to: every module of the checked model, inline, as one
/// token stream. The items are the same tokens [`render`] writes to files.
pub fn emit_inline(api: &model::Api) -> proc_macro2::TokenStream {
    emit::emit_inline(api)
}

/// After a spec error, empty stand-ins for the modules the specs would have defined (`Client`,
/// `ClientBuilder`, `Error` per vendor), so a macro user sees the one error about the specs
/// rather than a cascade about missing items.
pub fn error_stubs(analysis: &Analysis) -> proc_macro2::TokenStream {
    emit::error_stubs(&analysis.vendor_modules)
}

/// The cargo features the services need, sorted and without duplicates.
pub fn features(api: &model::Api) -> Vec<String> {
    let mut features: Vec<String> = api.vendors.iter().flat_map(|v| &v.services).filter_map(|s| s.feature.clone()).collect();
    features.sort();
    features.dedup();
    features
}

/// The first and last line of the features the specs make, in a manifest's `[features]`.
pub const FEATURES_BEGIN: &str = "# @generated by `cargo xtask regen` from the services of specs/<vendor>/vendor.yaml: do not edit between these lines.";
pub const FEATURES_END: &str = "# @generated end";

/// The manifest's features block: one feature per service (`feature:` in `vendor.yaml`), one per
/// vendor turning its services on, and `full` for every vendor.
pub fn features_block(api: &model::Api) -> String {
    use std::fmt::Write as _;
    let mut s = format!("{FEATURES_BEGIN}\n# One feature per service: a crate that uses one service compiles only that one.\n");
    for f in features(api) {
        let _ = writeln!(s, "{f} = []");
    }
    s.push_str("# Every service of a vendor.\n");
    for v in &api.vendors {
        let mut own: Vec<String> = v.services.iter().filter_map(|s| s.feature.clone()).collect();
        own.sort();
        own.dedup();
        let list: Vec<String> = own.iter().map(|f| format!("{f:?}")).collect();
        let _ = writeln!(s, "{} = [{}]", v.module, list.join(", "));
    }
    let vendors: Vec<String> = api.vendors.iter().map(|v| format!("{:?}", v.module)).collect();
    let _ = writeln!(s, "# Every vendor.\nfull = [{}]\n{FEATURES_END}", vendors.join(", "));
    s
}

/// A manifest with its features block replaced by `block`; `None` when it has no block.
pub fn with_features_block(manifest: &str, block: &str) -> Option<String> {
    let begin = manifest.find(FEATURES_BEGIN)?;
    let end = begin + manifest[begin..].find(FEATURES_END)? + FEATURES_END.len();
    let end = if manifest[end..].starts_with('\n') { end + 1 } else { end };
    Some(format!("{}{block}{}", &manifest[..begin], &manifest[end..]))
}
