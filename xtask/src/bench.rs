//! `cargo xtask bench regen|compile --ops N`: the cost of the pipeline on a synthetic corpus,
//! as ratios to floors measured in the same run; `bench peer` (`peer.rs`): beside progenitor. Figures, not tests: nothing here asserts.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};
use std::{fs, io};

use crate::synth;

const RUNS: usize = 5;

pub fn run(args: &[&str]) -> ExitCode {
    // Figures of unoptimized code mean nothing: a debug xtask hands over to a release one.
    if cfg!(debug_assertions) {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench"])
            .args(args)
            .status();
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            Ok(_) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: cannot run the release build of xtask: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let (what, rest) = match args.split_first() {
        Some((w, r)) => (*w, r),
        None => return usage(),
    };
    let mut ops = 2000;
    let mut real = false;
    let mut document = None;
    let mut open_clashing = false;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match *a {
            "--ops" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => ops = n,
                _ => return usage(),
            },
            "--real" if what == "regen" => real = true,
            "--open-case-clashes" if what == "peer" => open_clashing = true,
            "--document" if what == "peer" => match it.next() {
                Some(f) => document = Some(PathBuf::from(f)),
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let scratch = workspace_root().join("target/bench");
    let result = match what {
        "regen" if real => regen_real(&workspace_root(), &scratch),
        "regen" => regen(ops, &scratch),
        "compile" => compile(ops, &scratch),
        "peer" => crate::peer::run(ops, document.as_deref(), open_clashing, &scratch),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask bench regen --ops N | cargo xtask bench regen --real | cargo xtask bench compile --ops N | cargo xtask bench peer --ops N [--document FILE [--open-case-clashes]]"
    );
    ExitCode::from(2)
}

/// Median of `RUNS` timings of `f`.
fn median(mut f: impl FnMut() -> io::Result<()>) -> io::Result<Duration> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2])
}

fn ms(d: Duration) -> String {
    format!("{:>8.1} ms", d.as_secs_f64() * 1000.0)
}

fn regen(ops: usize, scratch: &Path) -> io::Result<()> {
    let specs = scratch.join(format!("regen-{ops}/specs"));
    let bytes = synth::write_corpus(&specs, ops)?;
    phases(&specs, &scratch.join(format!("regen-{ops}/out")), bytes, ops, &format!("{ops} operations"))
}

/// The phases of regen on the project's own `specs/` (output written under the scratch
/// directory, not over the checked-in files).
fn regen_real(root: &Path, scratch: &Path) -> io::Result<()> {
    let specs = root.join("specs");
    let bytes = walk(&specs).iter().filter_map(|f| fs::metadata(f).ok()).map(|m| m.len()).sum();
    let api = codegen::analyze(&specs, Path::new("specs")).into_result().map_err(|d| io::Error::other(d.summary()))?;
    let ops: usize = api.vendors.iter().flat_map(|v| &v.services).map(|s| s.operations.len()).sum();
    phases(&specs, &scratch.join("regen-real/out"), bytes, ops, &format!("the real platform, {ops} operations"))?;
    // What `cargo xtask regen` does besides: the features block, the coverage and operation
    // tables, the OpenAPI documents and the Prism test's call cases; compared, not written.
    let whole = median(|| crate::regen::regen_project(root, crate::regen::Mode::Check).map(|_| ()).map_err(|e| io::Error::other(format!("{e:?}"))))?;
    println!("  whole regen (all generated files, compared with those on disk) {}", ms(whole));
    cached(root, &scratch.join("regen-real/project"))
}

/// `cargo xtask regen` with its cache, on a copy of the project: no cache, nothing changed, one
/// spec edited (a field's description, alternately two texts), the same for one spec of every
/// service (the fast path: the service alone is read and rendered), and an edit that other files
/// show (an event's title, which the vendor module lists: the full path, rendering what changed).
fn cached(root: &Path, project: &Path) -> io::Result<()> {
    use crate::regen::Mode;
    crate::regen::copy_project(root, project)?;
    let cache_file = project.join("regen-cache.tsv");
    let err = |e: crate::regen::Failure| match e {
        crate::regen::Failure::Specs(d) => io::Error::other(d.summary()),
        crate::regen::Failure::Io(e) => io::Error::other(e),
    };
    let cold = median(|| {
        let _ = fs::remove_file(&cache_file);
        let mut cache = crate::regen_cache::Cache::open(&cache_file);
        crate::regen::regen_project_with(project, Mode::Write, Some(&mut cache)).map_err(err)?;
        cache.save()
    })?;
    let mut cache = crate::regen_cache::Cache::open(&cache_file);
    let warm = median(|| crate::regen::regen_project_with(project, Mode::Write, Some(&mut cache)).map(|_| ()).map_err(err))?;
    // Edits `spec` (`from` → `to`, then back, alternately) and times regen after each.
    let mut edited = |spec: &Path, from: &str, to: &str| -> io::Result<(Duration, usize, usize)> {
        let original = fs::read_to_string(spec)?;
        let changed = original.replacen(from, to, 1);
        let (mut rewritten, mut read) = (0, 0);
        let mut flip = false;
        let time = median(|| {
            flip = !flip;
            fs::write(spec, if flip { &changed } else { &original })?;
            let before = codegen::files_read_on_this_thread();
            rewritten = crate::regen::regen_project_with(project, Mode::Write, Some(&mut cache)).map_err(err)?.stale.len();
            read = codegen::files_read_on_this_thread() - before;
            Ok(())
        })?;
        fs::write(spec, &original)?;
        crate::regen::regen_project_with(project, Mode::Write, Some(&mut cache)).map_err(err)?;
        Ok((time, rewritten, read))
    };
    let all = walk(&project.join("specs")).iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")).count();
    let (edit, rewritten, read) = edited(&project.join("specs/feishu/acs/v1/types.yaml"), "description: 卡号", "description: 卡号 (edited)")?;
    let (event, event_rewritten, event_read) = edited(&project.join("specs/feishu/im/v1/chat_member_bot/events/added.yaml"), "title: ", "title: (edited) ")?;
    // One spec of every service: the first description of its types or first operation.
    let api = codegen::analyze(&project.join("specs"), Path::new("specs")).into_result().map_err(|d| io::Error::other(d.summary()))?;
    let mut each: Vec<(Duration, String, usize)> = Vec::new();
    for v in &api.vendors {
        for svc in &v.services {
            let dir = project.join("specs").join(&v.module).join(svc.path.join("/"));
            let types = dir.join("types.yaml");
            let spec = if types.is_file() { Some(types) } else { svc.operations.first().map(|o| project.join(&o.spec_file)) };
            let Some(spec) = spec else { continue };
            let text = fs::read_to_string(&spec)?;
            // A plain (unquoted, one-line) description before the examples.
            let plain = |l: &&str| l.trim_start().strip_prefix("description: ").is_some_and(|v| !v.starts_with(['"', '\'', '|', '>', '[', '{']));
            let Some(line) = text.lines().take_while(|l| !l.starts_with("examples:")).find(plain) else { continue };
            let (time, _, read) = edited(&spec, line, &format!("{line} (edited)"))?;
            each.push((time, format!("{}/{}", v.module, svc.module), read));
        }
    }
    each.sort();
    let fast = each.iter().filter(|(_, _, read)| *read < all).count();
    let under = each.iter().filter(|(t, _, _)| t.as_millis() < 100).count();
    let at = |q: f64| each.get(((each.len() as f64 - 1.0) * q).round() as usize).map_or(Duration::ZERO, |e| e.0);
    println!("  regen with its cache (cargo xtask regen), on a copy of the project ({all} spec files):");
    println!("    no cache (first run, clean checkout)  {}", ms(cold));
    println!("    nothing changed                       {}   ({:.3}× of no cache)", ms(warm), warm.as_secs_f64() / cold.as_secs_f64());
    println!(
        "    one spec edited (acs/v1 types)        {}   ({:.3}× of no cache; {read} spec files read, {rewritten} files rewritten)",
        ms(edit),
        edit.as_secs_f64() / cold.as_secs_f64()
    );
    println!(
        "    one spec of each of {} services       median {}, 90th percentile {}, slowest {} ({}); {under} under 100 ms; {fast} took the fast path",
        each.len(),
        ms(at(0.5)).trim(),
        ms(at(0.9)).trim(),
        ms(at(1.0)).trim(),
        each.last().map_or("", |e| e.1.as_str())
    );
    println!(
        "    an event's title (the full path)      {}   ({:.2}× of no cache; {event_read} spec files read, {event_rewritten} files rewritten)",
        ms(event),
        event.as_secs_f64() / cold.as_secs_f64()
    );
    Ok(())
}

/// Load, check, emit, format, render and write of `specs`, each the median of `RUNS` runs.
fn phases(specs: &Path, out: &Path, bytes: u64, ops: usize, what: &str) -> io::Result<()> {
    let (specs, out) = (specs.to_path_buf(), out.to_path_buf());
    let files = count_files(&specs);
    let shown = Path::new("specs");
    let err = |d: codegen::Diagnostics| io::Error::other(format!("the synthetic corpus does not check:\n{}", d.summary()));

    // Floor (a): read the files and parse the YAML into the spec model.
    let load = median(|| codegen::load(&specs).map(|_| ()).map_err(err))?;
    // Floor (b): read the same files and write the same number of bytes.
    let io_floor = median(|| {
        let mut all = Vec::new();
        for f in walk(&specs) {
            all.extend(fs::read(f)?);
        }
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(&out)?;
        for (i, chunk) in all.chunks(all.len().div_ceil(files.max(1)).max(1)).enumerate() {
            fs::write(out.join(format!("{i}.bin")), chunk)?;
        }
        Ok(())
    })?;

    // The pipeline, phase by phase, as `cargo xtask regen` runs it.
    let (mut t_load, mut t_check, mut t_emit, mut t_format, mut t_render, mut t_write) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut generated_bytes = 0;
    let mut total = vec![];
    for _ in 0..RUNS {
        // Load alone (the front end's first half), then the whole front end, which reads again:
        // check = analyze − load.
        let t = Instant::now();
        codegen::load(&specs).map_err(err)?;
        let load_alone = t.elapsed();
        t_load.push(load_alone);
        let start = Instant::now();
        let api = codegen::analyze(&specs, shown).into_result().map_err(err)?;
        t_check.push(start.elapsed().saturating_sub(load_alone));
        // Emit and format apart, on one thread, to show where the time goes …
        let t = Instant::now();
        let modules = codegen::emit_modules(&api);
        t_emit.push(t.elapsed());
        let t = Instant::now();
        for m in &modules {
            codegen::format_module(m).map_err(io::Error::other)?;
        }
        t_format.push(t.elapsed());
        drop(modules);
        // … and as regen runs them: both together, one module per core.
        let t = Instant::now();
        let texts: Vec<(String, String)> = codegen::render(&api).map_err(io::Error::other)?.into_iter().map(|f| (f.path, f.contents)).collect();
        t_render.push(t.elapsed());
        let t = Instant::now();
        let _ = fs::remove_dir_all(&out);
        generated_bytes = 0;
        for (file, text) in &texts {
            let p = out.join(file);
            fs::create_dir_all(p.parent().unwrap_or(&out))?;
            fs::write(&p, text)?;
            generated_bytes += text.len();
        }
        t_write.push(t.elapsed());
        let lone = t_emit.last().copied().unwrap_or_default() + t_format.last().copied().unwrap_or_default();
        // The total is what regen spends: load, check, render on all cores, write.
        total.push(start.elapsed() - lone);
    }
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let total = mid(total);
    println!(
        "bench regen: {what} ({files} spec files, {:.1} MiB of YAML) → {:.1} MiB of Rust; median of {RUNS} runs",
        bytes as f64 / 1048576.0,
        generated_bytes as f64 / 1048576.0
    );
    println!("  load (read + YAML → spec model) {}", ms(mid(t_load)));
    println!("  check                           {}", ms(mid(t_check)));
    println!("  emit (quote), one thread        {}", ms(mid(t_emit)));
    println!("  format (prettyplease), one thr. {}", ms(mid(t_format)));
    println!("  emit + format, all cores        {}   ({} threads)", ms(mid(t_render)), std::thread::available_parallelism().map_or(1, usize::from));
    println!("  write                           {}", ms(mid(t_write)));
    println!("  total                           {}   {:.0} operations/s", ms(total), ops as f64 / total.as_secs_f64());
    println!("  floor (a) read + parse          {}   total / floor (a) = {:.2}×", ms(load), total.as_secs_f64() / load.as_secs_f64());
    println!("  floor (b) read + write bytes    {}   total / floor (b) = {:.1}×", ms(io_floor), total.as_secs_f64() / io_floor.as_secs_f64());
    println!("  peak memory (this process)      {:>8.1} MiB", peak_rss_kib(libc::RUSAGE_SELF) as f64 / 1024.0);
    Ok(())
}

fn compile(ops: usize, scratch: &Path) -> io::Result<()> {
    let root = workspace_root();
    let dir = scratch.join(format!("compile-{ops}"));
    let specs = dir.join("specs");
    synth::write_corpus(&specs, ops)?;
    let api = codegen::analyze(&specs, Path::new("specs")).into_result().map_err(|d| io::Error::other(d.summary()))?;
    let files = codegen::render(&api).map_err(io::Error::other)?;
    let krate = dir.join("crate");
    let _ = fs::remove_dir_all(krate.join("src"));
    let mut lines = 0;
    for f in &files {
        let p = krate.join("src/generated").join(&f.path);
        fs::create_dir_all(p.parent().unwrap_or(&krate))?;
        fs::write(&p, &f.contents)?;
        lines += f.contents.lines().count();
    }
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"bench-compile\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ngenerated-client = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
            root.join("generated-client").to_string_lossy()
        ),
    )?;
    fs::write(krate.join("src/lib.rs"), "#![allow(dead_code)]\nmod generated;\n")?;
    let target = scratch.join("compile-target");
    let cargo = |sub: &str| {
        let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        c.args([sub, "--quiet", "--manifest-path"]).arg(krate.join("Cargo.toml")).env("CARGO_TARGET_DIR", &target);
        c
    };
    // Dependencies prebuilt: one untimed run of each builds them.
    for sub in ["check", "build"] {
        let status = cargo(sub).status()?;
        if !status.success() {
            return Err(io::Error::other(format!("cargo {sub} of the scratch crate failed")));
        }
    }
    println!("bench compile: {ops} operations, {lines} generated lines ({:.0} per operation); dependencies prebuilt", lines as f64 / ops as f64);
    for sub in ["check", "build"] {
        // Touch the crate so only it is rebuilt; measure in a child so peak memory is its own.
        fs::write(krate.join("src/lib.rs"), format!("#![allow(dead_code)]\n// {:?}\nmod generated;\n", Instant::now()))?;
        let exe = std::env::current_exe()?;
        let t = Instant::now();
        let out = Command::new(exe)
            .arg("__measure")
            .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([sub, "--quiet", "--manifest-path"])
            .arg(krate.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .output()?;
        let secs = t.elapsed().as_secs_f64();
        if !out.status.success() {
            return Err(io::Error::other(format!("cargo {sub} failed:\n{}", String::from_utf8_lossy(&out.stderr))));
        }
        let peak_kib: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
        println!("  cargo {sub:<5} {secs:>7.2} s   {:>5.2} s per 100 operations   peak memory {:>7.1} MiB", secs * 100.0 / ops as f64, peak_kib as f64 / 1024.0);
    }
    Ok(())
}

/// `xtask __measure <cmd…>`: runs the command and prints the peak resident memory (KiB) of it
/// and everything it waited for.
pub fn measure(cmd: &[&str]) -> ExitCode {
    let Some((program, args)) = cmd.split_first() else { return ExitCode::from(2) };
    let status = match Command::new(program).args(args).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", peak_rss_kib(libc::RUSAGE_CHILDREN));
    if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Peak resident set size in KiB (Linux reports `ru_maxrss` in KiB).
fn peak_rss_kib(who: libc::c_int) -> u64 {
    // SAFETY: getrusage only writes into the struct we pass.
    #[allow(unsafe_code)]
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(who, &mut usage) == 0 { usage.ru_maxrss.max(0) as u64 } else { 0 }
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

fn count_files(dir: &Path) -> usize {
    walk(dir).len()
}

pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}
