//! `cargo xtask bench peer --ops N [--document FILE]`: our generator beside progenitor on one
//! OpenAPI 3.0 document, in one run. The document is synthetic (Feishu-shaped: the `code`/`msg`/
//! `data` envelope, nested objects, enums, arrays, cursor pages) with the type density measured
//! on our own `specs/`, or one given with `--document`. Each side generates a crate from it; the
//! dependencies of both are built untimed; then `cargo check` of each crate alone is timed in a
//! child process whose peak memory (it and its children) is reported. Figures, not tests.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use std::{fs, io};

/// The progenitor release compared against, installed under `target/peer-tools` when absent.
const PROGENITOR: &str = "0.15.1";

/// Named types and fields per operation on the real platform (`specs/`), from the checked model.
pub struct Density {
    pub operations: usize,
    /// Named types: structs and enums.
    pub types: usize,
    pub structs: usize,
    /// Fields of the structs.
    pub fields: usize,
}

impl Density {
    pub fn measure(root: &Path) -> io::Result<Density> {
        let api = codegen::analyze(&root.join("specs"), Path::new("specs")).into_result().map_err(|d| io::Error::other(d.summary()))?;
        let mut d = Density { operations: 0, types: 0, structs: 0, fields: 0 };
        for v in &api.vendors {
            let all = v.types.iter().chain(v.services.iter().flat_map(|s| s.types.iter()));
            for t in all {
                d.types += 1;
                if let codegen::model::TypeKind::Struct(s) = &t.kind {
                    d.structs += 1;
                    d.fields += s.members.len();
                }
            }
            d.operations += v.services.iter().map(|s| s.operations.len()).sum::<usize>();
        }
        Ok(d)
    }

    fn types_per_op(&self) -> usize {
        (self.types as f64 / self.operations.max(1) as f64).round().max(1.0) as usize
    }

    fn fields_per_type(&self) -> usize {
        (self.fields as f64 / self.structs.max(1) as f64).round().max(2.0) as usize
    }
}

/// An OpenAPI 3.0.3 document (JSON) of `ops` operations, `types_per_op` named schemas each
/// (a resource, its status enum, nested detail and item objects), `fields` fields per object.
pub fn document(ops: usize, types_per_op: usize, fields: usize) -> String {
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..ops {
        let (svc, res) = (i / 50, i / 5);
        let name = format!("Res{i}");
        // The resource: scalars, its enum, a nested object, an array of objects.
        let extra = types_per_op.saturating_sub(2);
        let mut props =
            vec![format!(r#""{}_id":{{"type":"string","description":"The id."}}"#, name.to_lowercase()), format!(r##""status":{{"$ref":"#/components/schemas/{name}Status"}}"##)];
        for k in 0..extra {
            let nested = format!("{name}Part{k}");
            props.push(if k % 2 == 0 {
                format!(r##""part{k}":{{"$ref":"#/components/schemas/{nested}"}}"##)
            } else {
                format!(r##""parts{k}":{{"type":"array","items":{{"$ref":"#/components/schemas/{nested}"}}}}"##)
            });
            let _ = write!(schemas, r#""{nested}":{{"type":"object","properties":{{{}}}}},"#, scalar_props(fields, k));
        }
        props.push(scalar_props(fields.saturating_sub(props.len()), i));
        let _ = write!(schemas, r#""{name}":{{"type":"object","required":["{}_id"],"properties":{{{}}}}},"#, name.to_lowercase(), props.join(","));
        let _ = write!(schemas, r#""{name}Status":{{"type":"string","enum":["active","paused","archived","deleted"]}},"#);
        let envelope = |data: &str| {
            format!(
                r#"{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{{"type":"object","properties":{{"code":{{"type":"integer","format":"int32"}},"msg":{{"type":"string"}},"data":{data}}}}}}}}}}}}}"#
            )
        };
        let one = format!(r##"{{"type":"object","properties":{{"item":{{"$ref":"#/components/schemas/{name}"}}}}}}"##);
        let page = format!(
            r##"{{"type":"object","properties":{{"items":{{"type":"array","items":{{"$ref":"#/components/schemas/{name}"}}}},"page_token":{{"type":"string"}},"has_more":{{"type":"boolean"}}}}}}"##
        );
        let id = r#"{"name":"id","in":"path","required":true,"schema":{"type":"string"}}"#;
        let body = format!(r##"{{"required":true,"content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/{name}"}}}}}}}}"##);
        let base = format!("/open-apis/svc{svc}/v1/res{res}/op{i}");
        let op = match i % 5 {
            0 => format!(
                r#""{base}":{{"get":{{"operationId":"list_res{i}","parameters":[{{"name":"page_size","in":"query","schema":{{"type":"integer","format":"int32"}}}},{{"name":"page_token","in":"query","schema":{{"type":"string"}}}}],"responses":{}}}}}"#,
                envelope(&page)
            ),
            1 => format!(r#""{base}/{{id}}":{{"get":{{"operationId":"get_res{i}","parameters":[{id}],"responses":{}}}}}"#, envelope(&one)),
            2 => format!(r#""{base}":{{"post":{{"operationId":"create_res{i}","requestBody":{body},"responses":{}}}}}"#, envelope(&one)),
            3 => format!(r#""{base}/{{id}}":{{"patch":{{"operationId":"update_res{i}","parameters":[{id}],"requestBody":{body},"responses":{}}}}}"#, envelope(&one)),
            _ => format!(r#""{base}/{{id}}":{{"delete":{{"operationId":"delete_res{i}","parameters":[{id}],"responses":{}}}}}"#, envelope(r#"{"type":"object"}"#)),
        };
        if i > 0 {
            paths.push(',');
        }
        paths.push_str(&op);
    }
    schemas.pop();
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"Peer","version":"1.0.0"}},"servers":[{{"url":"https://open.example.cn"}}],"paths":{{{paths}}},"components":{{"schemas":{{{schemas}}}}}}}"#
    )
}

/// `n` scalar properties, their kinds rotating with `seed`.
fn scalar_props(n: usize, seed: usize) -> String {
    (0..n)
        .map(|j| {
            let ty = match (j + seed) % 4 {
                0 => r#"{"type":"string","description":"A name."}"#,
                1 => r#"{"type":"integer","format":"int64"}"#,
                2 => r#"{"type":"boolean"}"#,
                _ => r#"{"type":"number","format":"double"}"#,
            };
            format!(r#""field{j}":{ty}"#)
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// One side's figures.
struct Side {
    generate_secs: f64,
    generate_peak_mib: f64,
    lines: usize,
    check_secs: f64,
    check_peak_mib: f64,
}

/// `open_clashing`: string enums with two values that differ only in case or punctuation lose
/// their `enum` (an open string) in the document both sides read, since progenitor cannot name
/// their variants.
pub fn run(ops: usize, document_file: Option<&Path>, open_clashing: bool, scratch: &Path) -> io::Result<()> {
    let root = crate::bench::workspace_root();
    let dir = scratch.join(format!("peer-{ops}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir)?;
    let document = match document_file {
        // progenitor reads OpenAPI 3.0: a 3.1 document (our exports) is given to both sides as
        // the 3.0 document it says the same as.
        Some(f) => {
            let text = fs::read_to_string(f)?;
            let mut doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| io::Error::other(format!("{}: {e}", f.display())))?;
            let v31 = doc.get("openapi").and_then(serde_json::Value::as_str).is_some_and(|v| v.starts_with("3.1"));
            if v31 {
                as_openapi_30(&mut doc);
                println!("bench peer: {} is OpenAPI 3.1; both sides read its OpenAPI 3.0 form", f.display());
            }
            if open_clashing {
                println!("bench peer: {} enums with values that differ only in case left open", open_case_clashes(&mut doc));
            }
            if v31 || open_clashing {
                let path = dir.join("document.json");
                fs::write(&path, serde_json::to_string_pretty(&doc).map_err(io::Error::other)?)?;
                path
            } else {
                f.to_path_buf()
            }
        }
        None => {
            let d = Density::measure(&root)?;
            let (tpo, fpt) = (d.types_per_op(), d.fields_per_type());
            println!(
                "bench peer: the real platform has {} named types ({} structs with {} fields) for {} operations: {tpo} types per operation, {fpt} fields per struct",
                d.types, d.structs, d.fields, d.operations
            );
            let path = dir.join("document.json");
            fs::write(&path, document(ops, tpo, fpt))?;
            path
        }
    };
    let progenitor = install_progenitor(&root)?;
    let peer = progenitor_side(&progenitor, &document, &dir)?;
    let ours = our_side(&document, &dir, &root)?;
    println!("bench peer: {} ({ops} operations)", document.display());
    println!("| | progenitor {PROGENITOR} (builder) | this project | ratio (progenitor / ours) |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| generation | {:.2} s, {:.0} MiB | {:.2} s, {:.0} MiB | {:.1}× |",
        peer.generate_secs,
        peer.generate_peak_mib,
        ours.generate_secs,
        ours.generate_peak_mib,
        peer.generate_secs / ours.generate_secs
    );
    println!("| generated Rust | {} lines | {} lines | {:.1}× |", peer.lines, ours.lines, peer.lines as f64 / ours.lines.max(1) as f64);
    println!(
        "| `cargo check`, deps built, incremental off | {:.1} s, {:.0} MiB peak | {:.1} s, {:.0} MiB peak | {:.2}× time, {:.2}× memory |",
        peer.check_secs,
        peer.check_peak_mib,
        ours.check_secs,
        ours.check_peak_mib,
        peer.check_secs / ours.check_secs,
        peer.check_peak_mib / ours.check_peak_mib
    );
    Ok(())
}

/// Rewrites what our OpenAPI 3.1 exports use that 3.0 says otherwise: `openapi: 3.0.3`; a
/// schema's `examples: [x, …]` as `example: x`, `const: x` as `enum: [x]`, `contentMediaType`
/// (a binary upload) as `format: binary`.
pub fn as_openapi_30(doc: &mut serde_json::Value) {
    use serde_json::Value;
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(examples)) = map.get_mut("examples") {
                    let first = examples.first().cloned();
                    map.remove("examples");
                    if let Some(first) = first {
                        map.insert("example".to_owned(), first);
                    }
                }
                if let Some(value) = map.remove("const") {
                    map.insert("enum".to_owned(), Value::Array(vec![value]));
                }
                if map.remove("contentMediaType").is_some() {
                    map.insert("format".to_owned(), Value::String("binary".to_owned()));
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(doc);
    doc["openapi"] = Value::String("3.0.3".to_owned());
}

/// Removes `enum` (and our `x-enum-*` names and descriptions) from string enums with two values
/// that differ only in case or punctuation (`READ`, `read`); how many.
fn open_case_clashes(v: &mut serde_json::Value) -> usize {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let clash = match map.get("enum") {
                Some(Value::Array(values)) => {
                    let keys: Vec<String> = values.iter().filter_map(Value::as_str).map(|s| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()).collect();
                    let unique: std::collections::BTreeSet<&String> = keys.iter().collect();
                    keys.len() == values.len() && unique.len() < keys.len()
                }
                _ => false,
            };
            if clash {
                for key in ["enum", "x-enum-varnames", "x-enum-descriptions"] {
                    map.remove(key);
                }
            }
            usize::from(clash) + map.values_mut().map(open_case_clashes).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(open_case_clashes).sum(),
        _ => 0,
    }
}

/// `cargo-progenitor` at the compared version, installed locked under `target/peer-tools`.
fn install_progenitor(root: &Path) -> io::Result<PathBuf> {
    let tools = root.join("target/peer-tools");
    let bin = tools.join("bin/cargo-progenitor");
    if !bin.exists() {
        println!("bench peer: installing cargo-progenitor {PROGENITOR} (once) under {}", tools.display());
        let status = Command::new(cargo()).args(["install", "--locked", "--quiet", "cargo-progenitor", "--version", PROGENITOR, "--root"]).arg(&tools).status()?;
        if !status.success() {
            return Err(io::Error::other("cargo install cargo-progenitor failed"));
        }
    }
    Ok(bin)
}

fn progenitor_side(bin: &Path, document: &Path, dir: &Path) -> io::Result<Side> {
    let out = dir.join("progenitor");
    let (generate_secs, generate_peak_mib) =
        measured(Command::new(bin).args(["progenitor", "--interface", "builder", "-n", "peer-progenitor", "-v", "0.1.0", "-i"]).arg(document).arg("-o").arg(&out), "progenitor")?;
    // Its own workspace, so the project's is not involved.
    let manifest = out.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)?;
    if !text.contains("[workspace]") {
        fs::write(&manifest, format!("{text}\n[workspace]\n"))?;
    }
    let lines = rust_lines(&out.join("src"));
    let (check_secs, check_peak_mib) = check(&out, &dir.join("progenitor-target"))?;
    Ok(Side { generate_secs, generate_peak_mib, lines, check_secs, check_peak_mib })
}

fn our_side(document: &Path, dir: &Path, root: &Path) -> io::Result<Side> {
    let specs = dir.join("specs");
    let krate = dir.join("ours");
    // Import and regen as a user would: in a child, so its time and peak memory are its own.
    let exe = std::env::current_exe()?;
    let (generate_secs, generate_peak_mib) = measured(Command::new(&exe).arg("__peer_generate").arg(document).arg(&specs).arg(krate.join("src/generated")), "import + regen")?;
    // Services the document puts behind features (our own exports' `x-feature`) are all on, so
    // the whole document is compiled, as progenitor's is.
    let api = codegen::analyze(&specs, Path::new("specs")).into_result().map_err(|d| io::Error::other(d.summary()))?;
    let features = codegen::features(&api);
    let features = if features.is_empty() {
        String::new()
    } else {
        let on: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        format!("\n[features]\ndefault = [{}]\n{}", on.join(", "), features.iter().map(|f| format!("{f} = []\n")).collect::<String>())
    };
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"peer-ours\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ngenerated-client = {{ path = {:?}, default-features = false }}\n{features}\n[workspace]\n",
            root.join("generated-client").to_string_lossy()
        ),
    )?;
    fs::write(krate.join("src/lib.rs"), "#![allow(dead_code)]\nmod generated;\n")?;
    let lines = rust_lines(&krate.join("src"));
    let (check_secs, check_peak_mib) = check(&krate, &dir.join("ours-target"))?;
    Ok(Side { generate_secs, generate_peak_mib, lines, check_secs, check_peak_mib })
}

/// `xtask __peer_generate <document> <specs> <out>`: `openapi import` then regen into `out`.
pub fn generate(document: &Path, specs: &Path, out: &Path) -> io::Result<()> {
    let _ = fs::remove_dir_all(specs);
    let code = crate::openapi::import_to(document, "peer", &specs.join("peer"), true, 0)?;
    if code != std::process::ExitCode::SUCCESS {
        return Err(io::Error::other("the import failed"));
    }
    let api = codegen::analyze(specs, Path::new("specs")).into_result().map_err(|d| io::Error::other(d.render()))?;
    let _ = fs::remove_dir_all(out);
    for f in codegen::render(&api).map_err(io::Error::other)? {
        let p = out.join(&f.path);
        fs::create_dir_all(p.parent().unwrap_or(out))?;
        fs::write(&p, &f.contents)?;
    }
    Ok(())
}

/// `cargo check` of a crate: once untimed (its dependencies), then, after touching its `lib.rs`,
/// timed with the peak memory of cargo and rustc.
fn check(krate: &Path, target: &Path) -> io::Result<(f64, f64)> {
    let manifest = krate.join("Cargo.toml");
    let status = Command::new(cargo()).args(["check", "--quiet", "--manifest-path"]).arg(&manifest).env("CARGO_TARGET_DIR", target).env("CARGO_INCREMENTAL", "0").status()?;
    if !status.success() {
        return Err(io::Error::other(format!("cargo check of {} failed", krate.display())));
    }
    let lib = krate.join("src/lib.rs");
    let text = fs::read_to_string(&lib)?;
    fs::write(&lib, format!("{text}\n// touched\n"))?;
    let result =
        measured(Command::new(cargo()).args(["check", "--quiet", "--manifest-path"]).arg(&manifest).env("CARGO_TARGET_DIR", target).env("CARGO_INCREMENTAL", "0"), "cargo check");
    fs::write(&lib, text)?;
    result
}

/// Runs `cmd` through `xtask __measure`: wall seconds and peak memory in MiB.
fn measured(cmd: &mut Command, what: &str) -> io::Result<(f64, f64)> {
    let exe = std::env::current_exe()?;
    let mut wrapped = Command::new(exe);
    wrapped.arg("__measure").arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    let t = Instant::now();
    let out = wrapped.output()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(io::Error::other(format!("{what} failed:\n{}", String::from_utf8_lossy(&out.stderr))));
    }
    let peak_kib: u64 = String::from_utf8_lossy(&out.stdout).lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    Ok((secs, peak_kib as f64 / 1024.0))
}

fn rust_lines(dir: &Path) -> usize {
    crate::bench::walk(dir).iter().filter(|p| p.extension().is_some_and(|e| e == "rs")).filter_map(|p| fs::read_to_string(p).ok()).map(|t| t.lines().count()).sum()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

#[cfg(test)]
mod tests {
    use super::{as_openapi_30, document, open_case_clashes};

    #[test]
    fn only_enums_whose_values_clash_by_case_are_left_open() {
        let mut doc = serde_json::json!({"components": {"schemas": {
            "Mode": {"type": "string", "enum": ["READ", "read", "write"], "x-enum-varnames": ["ReadUpper", "Read", "Write"]},
            "Kind": {"type": "string", "enum": ["read_only", "write"]},
            "Level": {"type": "integer", "enum": [1, 2]}
        }}});
        assert_eq!(open_case_clashes(&mut doc), 1);
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["Mode"].get("enum").is_none() && schemas["Mode"].get("x-enum-varnames").is_none(), "{schemas}");
        assert_eq!(schemas["Kind"]["enum"], serde_json::json!(["read_only", "write"]));
        assert_eq!(schemas["Level"]["enum"], serde_json::json!([1, 2]));
    }

    /// Our own export, in its 3.0 form, imports to the same specs as the 3.1 document.
    #[test]
    fn the_30_form_of_an_export_says_what_the_31_document_says() {
        let root = crate::bench::workspace_root();
        let text = std::fs::read_to_string(root.join("openapi/authing.json")).unwrap();
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        as_openapi_30(&mut doc);
        let down = doc.to_string();
        assert!(down.contains(r#""openapi":"3.0.3""#) && !down.contains(r#""const":"#) && !down.contains(r#""examples":["#), "3.1 keywords left");
        let ours = importer::openapi::import(&text, "authing", "authing.json").unwrap_or_else(|w| panic!("{}", w.message));
        let theirs = importer::openapi::import(&down, "authing", "authing.json").unwrap_or_else(|w| panic!("{}", w.message));
        assert_eq!(ours.operations, theirs.operations);
        let differing: Vec<_> = ours.files.iter().filter(|(rel, body)| theirs.files.get(*rel) != Some(body)).map(|(rel, _)| rel).collect();
        assert!(differing.is_empty(), "{} spec files differ, first {:?}", differing.len(), differing.first());
    }

    #[test]
    fn the_synthetic_document_imports_with_its_operations_and_types() {
        let text = document(10, 4, 8);
        let imported = importer::openapi::import(&text, "peer", "peer.json").unwrap_or_else(|w| panic!("{}:{}: {}", w.line, w.col, w.message));
        assert_eq!(imported.operations, 10);
        let types: String = imported.files.iter().filter(|(rel, _)| rel.ends_with("types.yaml")).map(|(_, body)| body.clone()).collect();
        // Each operation's resource, its status enum and its two nested objects.
        for name in ["Res7:", "Res7Status:", "Res7Part0:", "Res7Part1:"] {
            assert!(types.contains(name), "{name} in\n{types}");
        }
    }
}
