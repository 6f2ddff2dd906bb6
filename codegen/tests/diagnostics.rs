//! Diagnostics corpus: each directory under `tests/diagnostics/` is one case, a small spec tree
//! (`<case>/specs/<vendor>/…`) that is valid except for one mistake, and `<case>/expected.txt`,
//! the exact plain-text rendering (`Diagnostics::render()`) of what the checker reports for it.
//! The case name says what the mistake is.
//!
//! Cases whose name starts with `accepted-` must generate without error; for them,
//! `expected.txt` lists, one per line, text the generated code must contain (compared without
//! whitespace, since prettyplease decides where lines break).
//!
//! Paths in the rendering are shown as `specs/…` (`analyze`'s `shown_as`). A diagnostic that still
//! prints the absolute path of the case is written with that path replaced by `$CASE`, so the
//! snapshot reads the same in every checkout.
//!
//! After an intended change to a message, update the expected files with
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test -p codegen --test diagnostics
//! ```
//!
//! and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

const CASES: &str = "tests/diagnostics";
const UPDATE_COMMAND: &str = "UPDATE_EXPECT=1 cargo test -p codegen --test diagnostics";
const MIN_CASES: usize = 40;

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some()
}

fn case_dirs() -> Vec<(String, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let mut out: Vec<(String, PathBuf)> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().expect("a directory name").to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

/// `render()` with the absolute path of the case (which only a few diagnostics print) replaced
/// by `$CASE`.
fn rendering(diags: &codegen::Diagnostics, case_dir: &Path) -> String {
    let abs = case_dir.to_string_lossy().into_owned();
    diags.render().replace(&abs.replace('\\', "/"), "$CASE").replace(&abs, "$CASE")
}

/// A line diff that is short and readable in a test log: `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    // Longest common subsequence over lines; the files are small.
    let mut lcs = vec![vec![0usize; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out.push_str(&format!("   {}\n", e[i]));
            i += 1;
            j += 1;
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("  -{}\n", e[i]));
            i += 1;
        } else {
            out.push_str(&format!("  +{}\n", a[j]));
            j += 1;
        }
    }
    out
}

#[test]
fn every_case_reports_what_expected_txt_says() {
    let cases = case_dirs();
    assert!(cases.len() >= MIN_CASES, "expected at least {MIN_CASES} cases under {CASES}, found {}", cases.len());
    let update = updating();
    let mut failures: Vec<String> = Vec::new();

    for (name, dir) in &cases {
        let expected_path = dir.join("expected.txt");
        let expected = fs::read_to_string(&expected_path).ok().map(|s| s.replace("\r\n", "\n"));
        let specs = dir.join("specs");
        let generated =
            std::panic::catch_unwind(|| codegen::analyze(&specs, Path::new("specs")).into_result().map(|api| codegen::render(&api).expect("the checked model renders")));
        let Ok(result) = generated else {
            failures.push(format!("case `{name}`: the checker panicked (message above)"));
            continue;
        };

        if name.starts_with("accepted-") {
            let files = match result {
                Ok(files) => files,
                Err(diags) => {
                    failures.push(format!("case `{name}` must be accepted, but the checker reports:\n{}", diags.render()));
                    continue;
                }
            };
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let all = squash(&files.iter().map(|f| f.contents.as_str()).collect::<String>());
            let Some(needles) = expected else {
                failures.push(format!("case `{name}`: {} is missing (it lists text the generated code must contain)", expected_path.display()));
                continue;
            };
            for needle in needles.lines().filter(|l| !l.trim().is_empty()) {
                if !all.contains(&squash(needle)) {
                    failures.push(format!("case `{name}`: no generated file contains {needle:?}"));
                }
            }
            continue;
        }

        let diags = match result {
            Ok(_) => {
                failures.push(format!("case `{name}` must be rejected, but generation succeeded"));
                continue;
            }
            Err(diags) => diags,
        };
        for d in &diags.items {
            if d.loc.is_none() && d.file.is_none() {
                failures.push(format!("case `{name}`: diagnostic without a position: {}", d.message));
            }
        }
        let actual = rendering(&diags, dir);
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if update {
            println!("updating {}", expected_path.display());
            fs::write(&expected_path, &actual).expect("expected.txt can be written");
            continue;
        }
        match expected {
            None => failures.push(format!("case `{name}`: {} is missing; the checker reports:\n{actual}", expected_path.display())),
            Some(expected) => {
                failures.push(format!("case `{name}`: the diagnostics differ from {} (- expected, + actual):\n{}", expected_path.display(), diff(&expected, &actual)))
            }
        }
    }

    let failing_cases = cases.iter().filter(|(name, _)| failures.iter().any(|f| f.starts_with(&format!("case `{name}`")))).count();
    assert!(
        failures.is_empty(),
        "{failing_cases} of {} diagnostics cases fail:\n\n{}\n\nIf the new messages are intended, run `{UPDATE_COMMAND}` and review the diff.",
        cases.len(),
        failures.join("\n\n")
    );
}
