//! `cargo xtask features`: each service feature of `generated-client` checked alone
//! (`cargo check -p generated-client --no-default-features --features <f>`), timed, with the peak
//! memory of the check; all of them, a rotating sample (CI), or the ones named.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use std::{fs, io};

pub fn run(args: &[&str]) -> ExitCode {
    let root = workspace_root();
    let sizes = match feature_sizes(&root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let chosen: Vec<String> = match args {
        [] => sizes.keys().cloned().collect(),
        ["--sample", n] => match n.parse::<usize>() {
            Ok(n) if n > 0 => sample(&sizes, n, days_since_epoch()),
            _ => return usage("--sample needs a positive number"),
        },
        named => {
            let unknown: Vec<&&str> = named.iter().filter(|f| !sizes.contains_key(**f)).collect();
            if !unknown.is_empty() {
                return usage(&format!("not service features of generated-client: {unknown:?}"));
            }
            named.iter().map(|f| (*f).to_owned()).collect()
        }
    };
    println!("features: checking {} of {} service features alone (each after touching the crate, so it is rebuilt)", chosen.len(), sizes.len());
    // The dependencies with the client's default features off differ from a workspace build's:
    // built once, untimed, so the first feature's figure is its own check only.
    if let Err(e) = prebuild(&root) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let mut failed = Vec::new();
    let mut rows = Vec::new();
    for feature in &chosen {
        match check(&root, feature) {
            Ok((secs, peak_kib)) => {
                println!("  {feature:<32} {secs:>7.2} s   peak memory {:>7.1} MiB   {:>6} KiB of generated code", peak_kib as f64 / 1024.0, sizes[feature] / 1024);
                rows.push((secs, feature.clone()));
            }
            Err(e) => {
                println!("  {feature:<32} FAILED");
                eprintln!("{e}");
                failed.push(feature.clone());
            }
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    if let Some((secs, feature)) = rows.first() {
        println!("features: slowest {feature} ({secs:.2} s); {} checked, {} failed", rows.len(), failed.len());
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: these features do not compile alone: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// `n` features: the one with the most generated code, and the rest a window of the others that
/// moves by `n - 1` each day, so that successive days check different ones.
fn sample(sizes: &BTreeMap<String, u64>, n: usize, day: u64) -> Vec<String> {
    let Some(largest) = sizes.iter().max_by_key(|(_, s)| **s).map(|(f, _)| f.clone()) else { return Vec::new() };
    let others: Vec<&String> = sizes.keys().filter(|f| **f != largest).collect();
    let mut out = vec![largest];
    if others.is_empty() || n < 2 {
        return out;
    }
    let take = (n - 1).min(others.len());
    let start = (day as usize).wrapping_mul(take) % others.len();
    out.extend((0..take).map(|i| others[(start + i) % others.len()].clone()));
    out
}

/// Each service feature with the bytes of the generated files it compiles.
fn feature_sizes(root: &Path) -> Result<BTreeMap<String, u64>, String> {
    let api = codegen::analyze(&root.join("specs"), Path::new("specs")).into_result().map_err(|d| d.summary())?;
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for v in &api.vendors {
        for svc in &v.services {
            let Some(feature) = &svc.feature else { continue };
            let file = root.join("generated-client/src/generated").join(&v.module).join(format!("{}.rs", svc.module));
            *out.entry(feature.clone()).or_default() += fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        }
    }
    Ok(out)
}

/// Checks the crate with one feature in a child that reports its peak memory: seconds and KiB.
/// `cargo check` of the client with no feature: builds the dependencies every feature shares.
fn prebuild(root: &Path) -> io::Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "-p", "generated-client", "--no-default-features"])
        .current_dir(root)
        .env("CARGO_INCREMENTAL", "0")
        .status()?;
    if status.success() { Ok(()) } else { Err(io::Error::other("cargo check -p generated-client --no-default-features failed")) }
}

fn check(root: &Path, feature: &str) -> io::Result<(f64, u64)> {
    // A new modification time on the crate root: cargo rebuilds the crate, and only it.
    let lib = root.join("generated-client/src/lib.rs");
    fs::File::options().append(true).open(&lib)?.set_modified(SystemTime::now())?;
    let t = Instant::now();
    let out = Command::new(std::env::current_exe()?)
        .arg("__measure")
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "-p", "generated-client", "--no-default-features", "--features", feature])
        .current_dir(root)
        .env("CARGO_INCREMENTAL", "0")
        .output()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(io::Error::other(format!("cargo check --features {feature} failed:\n{}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok((secs, String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)))
}

fn days_since_epoch() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400)
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: cargo xtask features [--sample N | <feature>…]");
    ExitCode::from(2)
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::sample;

    #[test]
    fn a_sample_is_the_largest_and_a_window_that_moves_each_day() {
        let sizes: BTreeMap<String, u64> = [("a", 1), ("b", 9), ("c", 2), ("d", 3), ("e", 4)].into_iter().map(|(f, s)| (f.to_owned(), s)).collect();
        assert_eq!(sample(&sizes, 3, 0), ["b", "a", "c"]);
        assert_eq!(sample(&sizes, 3, 1), ["b", "d", "e"]);
        assert_eq!(sample(&sizes, 3, 2), ["b", "a", "c"]);
        assert_eq!(sample(&sizes, 9, 5).len(), 5, "no more than there are");
    }
}
