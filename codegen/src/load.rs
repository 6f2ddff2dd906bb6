//! Reads a spec root (`specs/`): one directory per vendor, each with `vendor.yaml`, `types.yaml`
//! files and one YAML file per operation. The only I/O of the library.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, FileId};
use crate::read;
use crate::spec::{SpecSet, VendorSpecs};
use crate::yaml;

/// Reads and parses every spec file under `root`. Problems are collected into `diags`; the
/// returned set holds every file that could be read.
pub(crate) fn load(root: &Path, shown_as: &Path, diags: &mut Diagnostics) -> SpecSet {
    let mut set = SpecSet::default();
    // A vendor directory itself (what the macro is usually given), or a root of vendor directories.
    if root.join("vendor.yaml").is_file() {
        set.vendors.push(load_vendor(root, shown_as, &|_| true, diags));
        return set;
    }
    let mut vendor_dirs = match sorted_entries(root) {
        Ok(entries) => entries,
        Err(e) => {
            diags.push(
                Diagnostic::in_file(slash(shown_as), format!("cannot read the spec directory: {e}"))
                    .help("run from the workspace root, or pass the directory that holds one folder per vendor"),
            );
            return set;
        }
    };
    vendor_dirs.retain(|p| p.is_dir());
    for dir in vendor_dirs {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        set.vendors.push(load_vendor(&dir, &shown_as.join(&name), &|_| true, diags));
    }
    set
}

/// One vendor directory, reading only the files `keep` accepts (by their path relative to `dir`,
/// with `/` separators): the files a shell knows an edit to be confined to, and what they need.
pub(crate) fn load_subset(dir: &Path, shown_dir: &Path, keep: &dyn Fn(&str) -> bool, diags: &mut Diagnostics) -> SpecSet {
    SpecSet { vendors: vec![load_vendor(dir, shown_dir, keep, diags)] }
}

fn load_vendor(dir: &Path, shown_dir: &Path, keep: &dyn Fn(&str) -> bool, diags: &mut Diagnostics) -> VendorSpecs {
    let name = shown_dir.file_name().or_else(|| dir.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let vendor_file_present = dir.join("vendor.yaml").is_file();
    let mut vendor = VendorSpecs {
        dir: name,
        display_dir: slash(shown_dir),
        vendor: None,
        vendor_file_present,
        unreadable_types_file: false,
        types: Vec::new(),
        operations: Vec::new(),
        events: Vec::new(),
    };
    let mut files = Vec::new();
    collect_yaml(dir, dir, shown_dir, keep, &mut files, diags);
    files.sort();
    // Read in order (file ids follow the paths), parse on every core, then build the spec model
    // in order: diagnostics come out the same whatever the threads.
    let mut read_files = Vec::new();
    for path in files {
        let rel = slash(path.strip_prefix(dir).unwrap_or(&path));
        if !keep(&rel) {
            continue;
        }
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::in_file(slash(&shown_dir.join(&rel)), format!("cannot read the file: {e}")));
                continue;
            }
        };
        FILES_READ.with(|n| n.set(n.get() + 1));
        let file = diags.sources.add(PathBuf::from(slash(&shown_dir.join(&rel))), path.clone(), text);
        read_files.push((rel, file));
    }
    let parsed = parse_all(diags, &read_files);
    for ((rel_slash, file), node) in read_files.into_iter().zip(parsed) {
        let node = match node {
            Ok(node) => node,
            Err(d) => {
                diags.push(*d);
                vendor.unreadable_types_file |= rel_slash.ends_with("types.yaml");
                continue;
            }
        };
        let stem = rel_slash.trim_end_matches(".yaml").to_owned();
        if rel_slash == "vendor.yaml" {
            vendor.vendor = read::vendor_file(diags, file, &node);
        } else if rel_slash == "types.yaml" || rel_slash.ends_with("/types.yaml") {
            let scope = stem.trim_end_matches("types").trim_end_matches('/').to_owned();
            vendor.types.extend(read::types_file(diags, file, scope, &node));
        } else if read::is_event(&node) {
            vendor.events.extend(read::event_file(diags, file, stem, &node));
        } else {
            vendor.operations.extend(read::operation_file(diags, file, stem, &node));
        }
    }
    vendor
}

/// The YAML of each file, parsed on every core, in the files' order.
fn parse_all(diags: &Diagnostics, files: &[(String, FileId)]) -> Vec<Result<yaml::Node, Box<Diagnostic>>> {
    crate::threads::map(files, 64, |&(_, file)| yaml::parse(file, &diags.sources.get(file).text))
}

/// Every spec file under `dir`, skipping the directories `keep` refuses (asked with their path
/// relative to `root` and a final `/`).
fn collect_yaml(root: &Path, dir: &Path, shown_root: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    let shown = |p: &Path| slash(&shown_root.join(p.strip_prefix(root).unwrap_or(p)));
    let entries = match sorted_entries(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::in_file(shown(dir), format!("cannot read the directory: {e}")));
            return;
        }
    };
    for path in entries {
        if path.is_dir() {
            if keep(&format!("{}/", slash(path.strip_prefix(root).unwrap_or(&path)))) {
                collect_yaml(root, &path, shown_root, keep, out, diags);
            }
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        } else if path.extension().is_some_and(|e| e == "yml") {
            diags.push(Diagnostic::in_file(shown(&path), "spec files end in `.yaml`, not `.yml`").help("rename the file; it was not read"));
        }
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    Ok(entries)
}

thread_local! {
    /// Spec files read by this thread, for [`files_read_on_this_thread`].
    static FILES_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many spec files this thread has read so far.
pub(crate) fn files_read_on_this_thread() -> usize {
    FILES_READ.with(std::cell::Cell::get)
}

/// A path with `/` separators, for messages and generated headers that read the same everywhere.
fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
