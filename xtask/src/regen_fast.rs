//! Regen's fast path. When the specs changed only inside service directories, and each such
//! service still shows the rest of its vendor what it showed before (its
//! `codegen::fingerprint::interface`, and the vendor's settings), only those services are read,
//! checked and rendered: their modules are written, and their own pieces (`codegen::pieces`) are
//! replaced in the vendor-wide files as they are on disk. Whenever the cache cannot vouch for
//! that (anything else changed, a check fails, a file was touched by hand, a piece is shared),
//! it returns `None` before writing anything and the full regen runs, which also reports every
//! spec problem.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::regen::{CALLS, Failure, OPENAPI, OUTPUT, Report, SPECS, TABLE};
use crate::regen_cache::{Cache, ServiceRecord, Slot, VendorRecord, spec_states, text_hash};

/// What the cache keeps of a checked vendor for the fast path.
pub fn record(v: &codegen::model::Vendor) -> VendorRecord {
    let dir = |s: &codegen::model::Service| s.path.join("/");
    let exchanges = v
        .tokens
        .iter()
        .filter_map(|t| t.exchange.as_ref())
        .filter_map(|e| v.services.iter().find(|s| e.operation.starts_with(&format!("{}/", dir(s)))))
        .map(dir)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    VendorRecord {
        settings: codegen::fingerprint::vendor_settings(v),
        collisions: codegen::openapi::Collisions::of(v),
        exchanges,
        services: (0..v.services.len())
            .map(|si| ServiceRecord { module: v.services[si].module.clone(), dir: dir(&v.services[si]), interface: codegen::fingerprint::interface(v, si) })
            .collect(),
    }
}

/// The fast path: `Some` report when it did the whole regen, `None` when the full regen must run
/// (nothing was written then).
pub fn regen(root: &Path, cache: &mut Cache) -> Result<Option<Report>, Failure> {
    if cache.vendors.is_empty() {
        return Ok(None);
    }
    // Every file the last regen wrote is as it was left, so its pieces are where the cache says.
    let written: Vec<PathBuf> = cache.files().map(Path::to_path_buf).collect();
    if !written.iter().all(|f| cache.untouched(root, f)) {
        return Ok(None);
    }
    let now = spec_states(root, Path::new(SPECS));
    if !now.keys().eq(cache.specs.keys()) {
        return Ok(None); // a spec file added or removed
    }
    let changed: Vec<&PathBuf> = now.iter().filter(|(p, s)| cache.specs.get(*p) != Some(*s)).map(|(p, _)| p).collect();
    // Per vendor, the services (indices into its record) whose files changed.
    let mut touched: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for path in &changed {
        let Some((vendor, rel)) = vendor_and_rel(path) else { return Ok(None) };
        let Some(record) = cache.vendors.get(&vendor) else { return Ok(None) };
        let inside = |s: &ServiceRecord| rel.starts_with(&format!("{}/", s.dir));
        let Some(si) = record.services.iter().position(inside).filter(|_| rel.ends_with(".yaml")) else { return Ok(None) };
        touched.entry(vendor).or_default().insert(si);
    }
    let mut modules: Vec<Module> = Vec::new();
    let mut replaced: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for (vendor, services) in &touched {
        let record = &cache.vendors[vendor];
        let Some(part) = render(root, cache, vendor, record, services)? else { return Ok(None) };
        modules.extend(part.modules);
        for (file, pieces) in part.pieces {
            replaced.entry(file).or_default().extend(pieces);
        }
    }
    // The vendor-wide files to rewrite, each checked against its layout: the layout, and the
    // layout after.
    let mut files: Vec<(&PathBuf, Vec<Slot>, Vec<Slot>)> = Vec::new();
    for (file, pieces) in &replaced {
        let Some(layout) = cache.pieces.get(file) else { return Ok(None) };
        if !same_keys(layout, pieces) {
            return Ok(None);
        }
        // Pieces rendered as before leave the file as it is, unread.
        let same = |(key, text): &(String, String)| layout.iter().any(|s| s.key.as_ref() == Some(key) && s.len == text.len() && s.hash == text_hash(text));
        if pieces.iter().all(same) {
            continue;
        }
        // The file is as regen left it (its size and time); its size is the layout's.
        if fs::metadata(root.join(file)).map(|m| m.len()).ok() != Some(layout.iter().map(|s| s.len as u64).sum()) {
            return Ok(None);
        }
        files.push((file, layout.clone(), new_layout(layout, pieces)));
    }
    // Everything is rendered: now write.
    let mut report = Report::default();
    let cannot = |file: &Path, e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", file.display()));
    for m in modules {
        let file = &m.file;
        match &m.text {
            ModuleText::Whole(text) => {
                if !fs::read_to_string(root.join(file)).is_ok_and(|t| t == *text) {
                    crate::regen::write(&root.join(file), text).map_err(|e| cannot(file, e))?;
                    report.stale.push(file.clone());
                }
            }
            ModuleText::Shares { new, .. } if new.is_empty() => {}
            ModuleText::Shares { old, new } => {
                write_spliced(&root.join(file), old, new).map_err(|e| cannot(file, e))?;
                report.stale.push(file.clone());
            }
        }
        cache.record(root, file, Some(m.fingerprint));
        cache.pieces.insert(m.file, m.layout);
    }
    let mut layouts = Vec::new();
    for (file, old, layout) in files {
        write_spliced(&root.join(file), &old, &replaced[file]).map_err(|e| cannot(file, e))?;
        report.stale.push(file.clone());
        layouts.push((file.clone(), layout));
    }
    for (file, layout) in layouts {
        // Its fingerprint is the whole vendor's, which this path does not compute: the next full
        // regen renders it again.
        cache.record(root, &file, None);
        cache.pieces.insert(file, layout);
    }
    cache.specs = now;
    report.unchanged = written.len().saturating_sub(report.stale.len());
    Ok(Some(report))
}

/// `specs/<vendor>/<rel>` → (vendor, rel with `/`).
fn vendor_and_rel(path: &Path) -> Option<(String, String)> {
    let rel = path.strip_prefix(SPECS).ok()?.to_string_lossy().replace('\\', "/");
    let (vendor, rel) = rel.split_once('/')?;
    Some((vendor.to_owned(), rel.to_owned()))
}

/// What the touched services of one vendor render to.
struct Rendered {
    modules: Vec<Module>,
    /// Per vendor-wide file, the services' pieces by key.
    pieces: Vec<(PathBuf, Vec<(String, String)>)>,
}

/// A service module rendered again: whole, or only the shares whose fingerprint changed.
struct Module {
    file: PathBuf,
    /// The module's fingerprint (`codegen::fingerprint::service`).
    fingerprint: u64,
    /// Its layout after: each share's length and fingerprint.
    layout: Vec<Slot>,
    text: ModuleText,
}

enum ModuleText {
    Whole(String),
    /// The shares rendered again, by index, to replace in the file as its old layout cuts it.
    Shares {
        old: Vec<Slot>,
        new: Vec<(String, String)>,
    },
}

/// Checks the vendor with only the touched services (and those holding token exchanges) and
/// renders their modules and pieces; `None` when the check fails or a service now shows the rest
/// something else.
fn render(root: &Path, cache: &Cache, vendor: &str, record: &VendorRecord, services: &BTreeSet<usize>) -> Result<Option<Rendered>, Failure> {
    let dirs: Vec<String> = services.iter().map(|&i| &record.services[i].dir).chain(&record.exchanges).map(|d| format!("{d}/")).collect();
    let keep = |rel: &str| rel == "vendor.yaml" || rel == "types.yaml" || dirs.iter().any(|d| rel.starts_with(d.as_str()) || d.starts_with(rel));
    let analysis = codegen::analyze_subset(&root.join(SPECS).join(vendor), &Path::new(SPECS).join(vendor), &keep);
    let Some(api) = analysis.api else { return Ok(None) };
    let Some(v) = api.vendors.first().filter(|v| v.module == vendor && codegen::fingerprint::vendor_settings(v) == record.settings) else { return Ok(None) };
    let mut indices = Vec::new();
    for &i in services {
        let r = &record.services[i];
        let Some(si) = v.services.iter().position(|s| s.module == r.module) else { return Ok(None) };
        if codegen::fingerprint::interface(v, si) != r.interface {
            return Ok(None);
        }
        indices.push(si);
    }
    let mut modules = Vec::new();
    for &si in &indices {
        let name = format!("{vendor}/{}.rs", v.services[si].module);
        let file = PathBuf::from(OUTPUT).join(&name);
        let (fingerprint, fingerprints) = codegen::fingerprint::service_and_shares(v, si);
        // The shares whose fingerprint changed, where the file is as its layout says.
        let old = cache
            .pieces
            .get(&file)
            .filter(|old| old.len() == fingerprints.len() && fs::metadata(root.join(&file)).is_ok_and(|m| m.len() == old.iter().map(|s| s.len as u64).sum::<u64>()));
        let module = match old {
            Some(old) => {
                let texts = codegen::render_shares(&api, &name, |k| old[k].hash != fingerprints[k]).map_err(Failure::Io)?;
                let new: Vec<(String, String)> = texts.into_iter().enumerate().filter_map(|(k, t)| Some((k.to_string(), t?))).collect();
                let layout = old
                    .iter()
                    .zip(&fingerprints)
                    .enumerate()
                    .map(|(k, (slot, &hash))| {
                        let len = new.iter().find(|(key, _)| *key == k.to_string()).map_or(slot.len, |(_, t)| t.len());
                        Slot { key: Some(k.to_string()), len, hash }
                    })
                    .collect();
                Module { file, fingerprint, layout, text: ModuleText::Shares { old: old.clone(), new } }
            }
            None => {
                let Some(whole) = codegen::render_only(&api, |f| f == name).map_err(Failure::Io)?.pop() else { return Ok(None) };
                Module { file, fingerprint, layout: share_layout(&whole.shares, &fingerprints), text: ModuleText::Whole(whole.contents) }
            }
        };
        modules.push(module);
    }
    let openapi = codegen::openapi::pieces(v, &record.collisions);
    let calls = codegen::calls::pieces(v, &record.collisions).map_err(Failure::Io)?;
    let table = codegen::table::pieces(&api);
    let own = |pieces: &codegen::pieces::Pieces, prefix: &str| -> Vec<(String, String)> {
        indices.iter().flat_map(|&si| pieces.owned_by(&format!("{prefix}{}", v.services[si].module))).collect()
    };
    let pieces = vec![
        (PathBuf::from(OPENAPI).join(format!("{vendor}.json")), own(&openapi, "")),
        (PathBuf::from(CALLS).join(codegen::calls::file(v)), own(&calls, "")),
        (PathBuf::from(TABLE), own(&table, &format!("{vendor}/"))),
    ];
    Ok(Some(Rendered { modules, pieces }))
}

/// A service module's layout: its shares' lengths, each with its fingerprint.
pub fn share_layout(lengths: &[usize], fingerprints: &[u64]) -> Vec<Slot> {
    lengths.iter().zip(fingerprints).enumerate().map(|(k, (&len, &hash))| Slot { key: Some(k.to_string()), len, hash }).collect()
}

/// Whether `new` holds exactly the keys `layout` has of the services `new` is about (no piece the
/// layout does not have, none it has missing, none shared with another service).
fn same_keys(layout: &[Slot], new: &[(String, String)]) -> bool {
    let modules: BTreeSet<&str> = new.iter().map(|(k, _)| codegen::pieces::key_module(k)).collect();
    let owned: Vec<&str> = layout.iter().filter_map(|s| s.key.as_deref()).filter(|k| modules.contains(codegen::pieces::key_module(k))).collect();
    let keys: BTreeSet<&str> = new.iter().map(|(k, _)| k.as_str()).collect();
    owned.len() == keys.len() && owned.iter().all(|k| keys.contains(k)) && keys.len() == new.len()
}

/// The layout after the pieces of `new` (by key) replace the old ones.
fn new_layout(layout: &[Slot], new: &[(String, String)]) -> Vec<Slot> {
    let piece = |slot: &Slot| slot.key.as_deref().and_then(|k| new.iter().find(|(nk, _)| nk == k)).map(|(_, p)| p);
    layout.iter().map(|slot| piece(slot).map_or_else(|| slot.clone(), |p| Slot { key: slot.key.clone(), len: p.len(), hash: text_hash(p) })).collect()
}

/// Rewrites `path`, cut as `layout` says, with the pieces of `new` in place of the old ones: the
/// rest is copied from the file as it is (by the kernel, where it can), through a temporary file
/// and a rename, as `regen::write`.
fn write_spliced(path: &Path, layout: &[Slot], new: &[(String, String)]) -> std::io::Result<()> {
    use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
    let tmp = crate::regen::temporary(path);
    let mut old = fs::File::open(path)?;
    let mut out = fs::File::create(&tmp)?;
    let mut at = 0u64;
    for slot in layout {
        match slot.key.as_deref().and_then(|k| new.iter().find(|(nk, _)| nk == k)) {
            Some((_, piece)) => out.write_all(piece.as_bytes())?,
            None => {
                old.seek(SeekFrom::Start(at))?;
                let copied = std::io::copy(&mut (&mut old).take(slot.len as u64), &mut out)?;
                if copied != slot.len as u64 {
                    return Err(std::io::Error::other("the file is shorter than regen left it"));
                }
            }
        }
        at += slot.len as u64;
    }
    drop(out);
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fast path rests on, for every service of the platform: checked alone (with its
    /// vendor's files and the token exchanges' services), a service lowers to the same model,
    /// shows the same interface, leaves the vendor's settings as they are, and renders the same
    /// module (with the same fingerprints of its shares) and the same pieces of the vendor-wide
    /// files as in the whole.
    #[test]
    fn each_service_checked_alone_renders_as_in_the_whole() {
        let root = crate::regen::workspace_root();
        let whole = codegen::analyze(&root.join(SPECS), Path::new(SPECS)).into_result().unwrap_or_else(|d| panic!("{}", d.summary()));
        let table = codegen::table::pieces(&whole);
        let no_cache = Cache::open(Path::new("no such cache"));
        let mut differ = Vec::new();
        let mut services = 0;
        for v in &whole.vendors {
            let record = record(v);
            let collisions = codegen::openapi::Collisions::of(v);
            let openapi = codegen::openapi::pieces(v, &collisions);
            let calls = codegen::calls::pieces(v, &collisions).unwrap();
            for (si, svc) in v.services.iter().enumerate() {
                services += 1;
                // With no cache, the module is rendered whole (with its shares' layout).
                let rendered = render(&root, &no_cache, &v.module, &record, &BTreeSet::from([si])).unwrap_or_else(|e| panic!("{e:?}"));
                let Some(rendered) = rendered else {
                    differ.push(format!("{}/{}: checked alone, it fails or shows another interface", v.module, svc.module));
                    continue;
                };
                let module = PathBuf::from(OUTPUT).join(format!("{}/{}.rs", v.module, svc.module));
                let on_disk = fs::read_to_string(root.join(&module)).unwrap();
                let (fingerprint, shares) = codegen::fingerprint::service_and_shares(v, si);
                let same = match &rendered.modules[..] {
                    [Module { text: ModuleText::Whole(text), fingerprint: f, layout, .. }] => {
                        *text == on_disk
                            && *f == fingerprint
                            && layout.iter().map(|s| s.hash).eq(shares.iter().copied())
                            && layout.iter().map(|s| s.len).sum::<usize>() == on_disk.len()
                    }
                    _ => false,
                };
                if !same {
                    differ.push(format!("{}: module", module.display()));
                }
                for (file, pieces) in &rendered.pieces {
                    let whole = if file.starts_with(OPENAPI) {
                        &openapi
                    } else if file.starts_with(CALLS) {
                        &calls
                    } else {
                        &table
                    };
                    let prefix = if file.starts_with(TABLE) { format!("{}/", v.module) } else { String::new() };
                    if *pieces != whole.owned_by(&format!("{prefix}{}", svc.module)) {
                        differ.push(format!("{}/{}: pieces of {}", v.module, svc.module, file.display()));
                    }
                }
            }
        }
        assert!(services > 100, "the platform's services: {services}");
        assert!(differ.is_empty(), "{} of {services} services differ when checked alone:\n{}", differ.len(), differ.join("\n"));
    }
}
