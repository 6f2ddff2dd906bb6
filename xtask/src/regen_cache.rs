//! Regen's cache (`target/regen-cache.tsv`): for each file regen wrote, the fingerprint it was
//! rendered from (the model's, `codegen::fingerprint`, with the generator's) and the file as it
//! was left (size and modification time). A file whose fingerprint and state on disk both match
//! its record is current without being rendered again; anything else (no cache, a new
//! generator, an edited spec, a touched or edited file) renders it.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The first line of the cache file; a file without it is ignored.
const HEADER: &str = "# regen cache v1: path, fingerprint, size, modified (ns); delete freely";

#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    /// The generator's fingerprint, mixed into every file's.
    generator: u64,
    entries: BTreeMap<PathBuf, Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    fingerprint: u64,
    len: u64,
    modified: u128,
}

impl Cache {
    /// The cache at `path`; empty when it is absent or unreadable.
    pub fn open(path: &Path) -> Cache {
        let mut entries = BTreeMap::new();
        if let Ok(text) = fs::read_to_string(path)
            && text.starts_with(HEADER)
        {
            for line in text.lines().skip(1) {
                let cols: Vec<&str> = line.split('\t').collect();
                if let [file, fp, len, modified] = cols[..]
                    && let (Ok(fingerprint), Ok(len), Ok(modified)) = (u64::from_str_radix(fp, 16), len.parse(), modified.parse())
                {
                    entries.insert(PathBuf::from(file), Entry { fingerprint, len, modified });
                }
            }
        }
        Cache { path: path.to_path_buf(), generator: generator(), entries }
    }

    /// Whether `file` is what rendering `fingerprint` would write.
    pub fn current(&self, file: &Path, fingerprint: u64) -> bool {
        let Some(entry) = self.entries.get(file) else { return false };
        entry.fingerprint == self.mix(fingerprint) && state(file).is_some_and(|(len, modified)| entry.len == len && entry.modified == modified)
    }

    /// Records that `file`, as it is on disk now, is what `fingerprint` renders to.
    pub fn record(&mut self, file: &Path, fingerprint: u64) {
        match state(file) {
            Some((len, modified)) => {
                self.entries.insert(file.to_path_buf(), Entry { fingerprint: self.mix(fingerprint), len, modified });
            }
            None => {
                self.entries.remove(file);
            }
        }
    }

    pub fn save(&self) -> std::io::Result<()> {
        let mut text = format!("{HEADER}\n");
        for (file, e) in &self.entries {
            text.push_str(&format!("{}\t{:016x}\t{}\t{}\n", file.display(), e.fingerprint, e.len, e.modified));
        }
        crate::regen::write(&self.path, &text)
    }

    fn mix(&self, fingerprint: u64) -> u64 {
        let mut h = DefaultHasher::new();
        (self.generator, fingerprint).hash(&mut h);
        h.finish()
    }
}

/// A file's size and modification time, in nanoseconds since the epoch.
fn state(file: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(file).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
    Some((meta.len(), modified))
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
