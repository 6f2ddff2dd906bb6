//! Checks YAML API specs and emits Rust client code.
//!
//! One pipeline, one direction: [`load`] reads spec files into located nodes and the spec model
//! (`spec`), [`check`] turns that into the checked model ([`model::Api`]) or reports every
//! problem with its file, line and column, and [`generate`] emits tokens (`emit`) and formats them
//! (`format`). The library reads the spec files it is given and writes nothing.

mod check;
pub mod diagnostic;
mod emit;
mod format;
mod load;
pub mod model;
pub mod names;
pub mod openapi;
mod read;
pub mod spec;
mod table;
pub mod write;
pub mod yaml;

use std::path::Path;

pub use diagnostic::{Diagnostic, Diagnostics};

/// One generated file: its path relative to the output directory, and its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Reads every spec under `root` (one directory per vendor).
pub fn load(root: &Path) -> Result<(spec::SpecSet, diagnostic::Sources), Diagnostics> {
    let mut diags = Diagnostics::default();
    let set = load::load(root, root, &mut diags);
    if diags.is_empty() { Ok((set, diags.sources)) } else { Err(diags) }
}

/// Checks a loaded spec set.
pub fn check(set: &spec::SpecSet, sources: diagnostic::Sources) -> Result<model::Api, Diagnostics> {
    let mut diags = Diagnostics { sources, items: Vec::new() };
    let api = check::check(set, &mut diags.items);
    if diags.is_empty() { Ok(api) } else { Err(diags) }
}

/// Loads, checks, emits and formats: the files of the generated client for the specs under
/// `root`, in a stable order. Errors from loading and checking are reported together.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, Diagnostics> {
    generate_shown_as(root, root)
}

/// Like [`generate`], reading `root` but naming it `shown_as` in messages and generated headers,
/// so output does not depend on where the checkout is.
pub fn generate_shown_as(root: &Path, shown_as: &Path) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let set = load::load(root, shown_as, &mut diags);
    let api = check::check(&set, &mut diags.items);
    if !diags.is_empty() {
        return Err(diags);
    }
    render(&api).map_err(|message| Diagnostics { sources: diags.sources, items: vec![Diagnostic::in_file(root, message)] })
}

/// Everything regen writes: the code, the table of operations, and the cargo features the
/// services need.
#[derive(Debug)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    /// `docs/operations.md`.
    pub operations_table: String,
    pub features: Vec<String>,
}

/// Loads, checks and renders everything regen writes.
pub fn generate_all(root: &Path, shown_as: &Path) -> Result<Output, Diagnostics> {
    let mut diags = Diagnostics::default();
    let set = load::load(root, shown_as, &mut diags);
    let api = check::check(&set, &mut diags.items);
    if !diags.is_empty() {
        return Err(diags);
    }
    let files = render(&api).map_err(|message| Diagnostics { sources: diags.sources, items: vec![Diagnostic::in_file(root, message)] })?;
    let mut features: Vec<String> = api.vendors.iter().flat_map(|v| &v.services).filter_map(|s| s.feature.clone()).collect();
    features.sort();
    features.dedup();
    Ok(Output { files, operations_table: table::operations_markdown(&api), features })
}

/// Loads and checks the specs under `root` and renders one OpenAPI 3.1 document per vendor:
/// (`<vendor>.json`, contents), in the vendors' order. See `docs/openapi.md`.
pub fn openapi_export(root: &Path, shown_as: &Path) -> Result<Vec<(String, String)>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let set = load::load(root, shown_as, &mut diags);
    let api = check::check(&set, &mut diags.items);
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(api.vendors.iter().map(|v| (format!("{}.json", v.module), openapi::to_json(v))).collect())
}

/// What the `generate!` macro expands to, and which files it read (so the macro can make cargo
/// rebuild when one changes, whether or not they were valid).
#[derive(Debug)]
pub struct Expansion {
    pub result: Result<proc_macro2::TokenStream, Diagnostics>,
    pub files_read: Vec<std::path::PathBuf>,
}

/// Loads and checks the specs under `dir` (a vendor directory, or a directory of them) and emits
/// every module inline, as one token stream.
pub fn expand(dir: &Path, shown_as: &Path) -> Expansion {
    let mut diags = Diagnostics::default();
    let set = load::load(dir, shown_as, &mut diags);
    let api = check::check(&set, &mut diags.items);
    let files_read = diags.sources.iter().map(|(_, f)| f.real.clone()).collect();
    let result = if diags.is_empty() { Ok(emit::emit_inline(&api)) } else { Err(diags) };
    Expansion { result, files_read }
}

pub use emit::ModuleTokens;

/// Emits the checked model as token streams, one per file (no formatting).
pub fn emit(api: &model::Api) -> Vec<ModuleTokens> {
    emit::emit(api)
}

/// Formats one emitted module with its generated-file header.
pub fn format(module: &ModuleTokens) -> Result<String, String> {
    format::format_module(module)
}

/// Emits and formats the checked model, one module per thread as cores allow (most of the
/// time goes to formatting). The order of the files does not depend on the threads.
pub fn render(api: &model::Api) -> Result<Vec<GeneratedFile>, String> {
    let parts = emit::parts(api);
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(parts.len()).max(1);
    let one = |part: emit::Part| -> Result<GeneratedFile, String> {
        let m = emit::emit_part(api, part);
        Ok(GeneratedFile { path: m.file.clone(), contents: format::format_module(&m)? })
    };
    if threads == 1 {
        return parts.into_iter().map(one).collect();
    }
    // Parts are dealt out round-robin; each thread emits and formats its own.
    let mut slots: Vec<Option<Result<GeneratedFile, String>>> = (0..parts.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let mine: Vec<(usize, emit::Part)> = parts.iter().copied().enumerate().filter(|(i, _)| i % threads == t).collect();
                scope.spawn(move || mine.into_iter().map(|(i, p)| (i, one(p))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().unwrap_or_default() {
                slots[i] = Some(r);
            }
        }
    });
    slots.into_iter().map(|s| s.unwrap_or_else(|| Err("a rendering thread failed".to_owned()))).collect()
}
