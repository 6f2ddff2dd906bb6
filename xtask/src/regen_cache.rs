//! Regen's cache (`target/regen-cache.tsv`): what the last regen read and wrote, so the next one
//! does only what an edit needs. Every path is relative to the project root.
//!
//! - `file`: each file regen wrote, the fingerprint it was rendered from (the model's,
//!   `codegen::fingerprint`, with the generator's; 0 for files that are always rendered), and the
//!   file as it was left (size and modification time). A file whose fingerprint and state both
//!   match is current without being rendered again.
//! - `piece`: the layout of each vendor-wide file, as `codegen::pieces` cut it (each piece's key
//!   and length), so one service's pieces can be replaced in the file as it is.
//! - `spec`: the state of every file under `specs/`, to find what changed without reading it.
//! - `vendor`, `service`, `collision`, `exchange`: what an edit confined to one service must leave
//!   as it was for the rest to stay valid (`regen_fast`).
//!
//! Anything the cache does not vouch for (no cache, a new generator, a file touched or edited by
//! hand) is rendered.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The first line of the cache file; a file without it is ignored.
const HEADER: &str = "# regen cache v2: files, pieces, specs, vendors and services; delete freely";

#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    /// The generator's fingerprint, mixed into every file's.
    generator: u64,
    /// Whether the cache was written by this generator (else its records of what was rendered
    /// are dropped).
    same_generator: bool,
    files: BTreeMap<PathBuf, Entry>,
    /// Per vendor-wide file: its pieces, in order.
    pub pieces: BTreeMap<PathBuf, Vec<Slot>>,
    /// Per file under `specs/`: (size, modification time).
    pub specs: BTreeMap<PathBuf, (u64, u128)>,
    /// Per vendor module name.
    pub vendors: BTreeMap<String, VendorRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    fingerprint: u64,
    len: u64,
    modified: u128,
}

/// One piece of a vendor-wide file, as the cache remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The service's key, `None` for text only a full render changes.
    pub key: Option<String>,
    pub len: usize,
    /// Of a service's piece, the hash of its text: a piece rendered the same needs no write.
    pub hash: u64,
}

impl Slot {
    /// The layout of a file rendered in pieces.
    pub fn layout(pieces: &codegen::pieces::Pieces) -> Vec<Slot> {
        pieces.0.iter().map(|p| Slot { key: p.key.clone(), len: p.text.len(), hash: p.key.as_ref().map_or(0, |_| text_hash(&p.text)) }).collect()
    }
}

/// The hash of a piece's text.
pub fn text_hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// What the last full regen knew of a vendor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VendorRecord {
    /// `codegen::fingerprint::vendor_settings`.
    pub settings: u64,
    /// The names more than one type or operation has (`codegen::openapi::Collisions`).
    pub collisions: codegen::openapi::Collisions,
    /// The service directories that hold token exchanges (a check of part of the vendor needs them).
    pub exchanges: Vec<String>,
    pub services: Vec<ServiceRecord>,
}

/// What the last full regen knew of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub module: String,
    /// Its directory under the vendor's, `acs/v1`.
    pub dir: String,
    /// `codegen::fingerprint::interface`.
    pub interface: u64,
}

impl Cache {
    /// The cache at `path`; empty when it is absent, unreadable or from another generator.
    pub fn open(path: &Path) -> Cache {
        let generator = generator();
        let mut cache =
            Cache { path: path.to_path_buf(), generator, same_generator: false, files: BTreeMap::new(), pieces: BTreeMap::new(), specs: BTreeMap::new(), vendors: BTreeMap::new() };
        let Ok(text) = fs::read_to_string(path) else { return cache };
        if !text.starts_with(HEADER) {
            return cache;
        }
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let hex = |s: &str| u64::from_str_radix(s, 16).ok();
            match cols[..] {
                ["generator", g] => cache.same_generator = hex(g) == Some(generator),
                ["file", file, fp, len, modified] => {
                    if let (Some(fingerprint), Ok(len), Ok(modified)) = (hex(fp), len.parse(), modified.parse()) {
                        cache.files.insert(PathBuf::from(file), Entry { fingerprint, len, modified });
                    }
                }
                ["piece", file, key, len, hash] => {
                    if let (Ok(len), Some(hash)) = (len.parse(), hex(hash)) {
                        cache.pieces.entry(PathBuf::from(file)).or_default().push(Slot { key: (key != "-").then(|| key.to_owned()), len, hash });
                    }
                }
                ["spec", file, len, modified] => {
                    if let (Ok(len), Ok(modified)) = (len.parse(), modified.parse()) {
                        cache.specs.insert(PathBuf::from(file), (len, modified));
                    }
                }
                ["vendor", module, settings] => {
                    cache.vendors.entry(module.to_owned()).or_default().settings = hex(settings).unwrap_or_default();
                }
                ["collision", module, "type", name] => {
                    cache.vendors.entry(module.to_owned()).or_default().collisions.types.insert(name.to_owned());
                }
                ["collision", module, "operation", name] => {
                    cache.vendors.entry(module.to_owned()).or_default().collisions.operations.insert(name.to_owned());
                }
                ["exchange", module, dir] => cache.vendors.entry(module.to_owned()).or_default().exchanges.push(dir.to_owned()),
                ["service", vendor, module, dir, interface] => {
                    let record = ServiceRecord { module: module.to_owned(), dir: dir.to_owned(), interface: hex(interface).unwrap_or_default() };
                    cache.vendors.entry(vendor.to_owned()).or_default().services.push(record);
                }
                _ => {}
            }
        }
        if !cache.same_generator {
            // A new generator renders everything once; the states of the specs stay true.
            cache.files.clear();
            cache.pieces.clear();
            cache.vendors.clear();
        }
        cache
    }

    /// Whether `file` (under `root`) is what rendering `fingerprint` would write.
    pub fn current(&self, root: &Path, file: &Path, fingerprint: u64) -> bool {
        self.entry_matches(root, file).is_some_and(|e| e.fingerprint == self.mix(fingerprint))
    }

    /// Whether `file` is as regen left it (its size and modification time).
    pub fn untouched(&self, root: &Path, file: &Path) -> bool {
        self.entry_matches(root, file).is_some()
    }

    fn entry_matches(&self, root: &Path, file: &Path) -> Option<&Entry> {
        let entry = self.files.get(file)?;
        state(&root.join(file)).is_some_and(|(len, modified)| entry.len == len && entry.modified == modified).then_some(entry)
    }

    /// Every file the cache has a record of.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }

    /// Records that `file`, as it is on disk now, is what `fingerprint` renders to (`None`: a file
    /// that is always rendered, whose state alone is kept).
    pub fn record(&mut self, root: &Path, file: &Path, fingerprint: Option<u64>) {
        let fingerprint = fingerprint.map_or(0, |f| self.mix(f));
        match state(&root.join(file)) {
            Some((len, modified)) => {
                self.files.insert(file.to_path_buf(), Entry { fingerprint, len, modified });
            }
            None => {
                self.files.remove(file);
            }
        }
    }

    pub fn save(&self) -> std::io::Result<()> {
        use std::fmt::Write as _;
        let mut text = format!("{HEADER}\ngenerator\t{:016x}\n", self.generator);
        for (file, e) in &self.files {
            let _ = writeln!(text, "file\t{}\t{:016x}\t{}\t{}", slash(file), e.fingerprint, e.len, e.modified);
        }
        for (file, pieces) in &self.pieces {
            for p in pieces {
                let _ = writeln!(text, "piece\t{}\t{}\t{}\t{:016x}", slash(file), p.key.as_deref().unwrap_or("-"), p.len, p.hash);
            }
        }
        for (file, (len, modified)) in &self.specs {
            let _ = writeln!(text, "spec\t{}\t{len}\t{modified}", slash(file));
        }
        for (module, v) in &self.vendors {
            let _ = writeln!(text, "vendor\t{module}\t{:016x}", v.settings);
            for name in &v.collisions.types {
                let _ = writeln!(text, "collision\t{module}\ttype\t{name}");
            }
            for name in &v.collisions.operations {
                let _ = writeln!(text, "collision\t{module}\toperation\t{name}");
            }
            for dir in &v.exchanges {
                let _ = writeln!(text, "exchange\t{module}\t{dir}");
            }
            for s in &v.services {
                let _ = writeln!(text, "service\t{module}\t{}\t{}\t{:016x}", s.module, s.dir, s.interface);
            }
        }
        crate::regen::write(&self.path, &text)
    }

    fn mix(&self, fingerprint: u64) -> u64 {
        let mut h = DefaultHasher::new();
        (self.generator, fingerprint).hash(&mut h);
        h.finish()
    }
}

/// The state of every file under `root/specs` that regen reads (by path relative to `root`):
/// spec files (`.yaml`, and `.yml`, which regen refuses) and import records (`pages.tsv`), not
/// what an editor leaves beside them.
pub fn spec_states(root: &Path, specs: &Path) -> BTreeMap<PathBuf, (u64, u128)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.join(specs)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(path);
            } else if (path.extension().is_some_and(|e| e == "yaml" || e == "yml") || path.ends_with(codegen::coverage::RECORD_FILE))
                && let (Ok(meta), Ok(rel)) = (entry.metadata(), path.strip_prefix(root))
                && let Ok(modified) = meta.modified()
                && let Ok(since) = modified.duration_since(UNIX_EPOCH)
            {
                out.insert(rel.to_path_buf(), (meta.len(), since.as_nanos()));
            }
        }
    }
    out
}

/// A file's size and modification time, in nanoseconds since the epoch.
fn state(file: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(file).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((meta.len(), modified))
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The generator: this executable (its size and build time) and its version. Any rebuild of the
/// generator renders everything once.
fn generator() -> u64 {
    let mut h = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Some(exe) = std::env::current_exe().ok().and_then(|p| state(&p)) {
        exe.hash(&mut h);
    }
    h.finish()
}
