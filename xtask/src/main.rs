//! Project automation. Each subcommand is one function; see `cargo xtask help`.

mod bench;
mod features;
mod import;
mod openapi;
mod peer;
mod regen;
mod regen_cache;
mod regen_fast;
mod synth;
mod synth_openapi;

use std::path::Path;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

commands:
  regen            regenerate generated-client/src/generated/ from specs/
  regen --check    fail (exit 1) if the generated code is stale; writes nothing
  check            check the specs only: every problem with file:line:col; writes nothing
  import <page-or-folder>… [--out DIR] [--force]
                   transcribe vendor doc pages into specs under DIR (default: specs/);
                   a spec that exists and differs is shown, and replaced only with --force
  import --report <page-or-folder>…
                   import into a scratch directory and report: pages, warnings, failures,
                   the checker's verdict and whether the generated code compiles
  bench regen --ops N
                   time load → check → emit → format → write on a synthetic corpus of N
                   operations, against floors measured in the same run
  bench compile --ops N
                   time `cargo check` and `cargo build` of the code generated for N operations
  bench peer --ops N [--document FILE]
                   beside progenitor on one OpenAPI 3.0 document (synthetic, with the type
                   density of specs/, or FILE): generation, lines, `cargo check` time and memory
  openapi export [--out DIR] [--check]
                   write one OpenAPI 3.1 document per vendor to DIR (default: openapi/),
                   only where changed; --check fails (exit 1) naming stale files, writes nothing
  features [--sample N | <feature>…]
                   check each service feature of generated-client alone (all of them, a
                   sample of N: the largest and a window that moves each day, or those named),
                   with the time and peak memory of each check
  help             this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["regen"] => regen::run(regen::Mode::Write),
        ["regen", "--check"] => regen::run(regen::Mode::Check),
        ["check"] => regen::check_specs(),
        ["import", rest @ ..] => import::run(rest),
        ["openapi", rest @ ..] => openapi::run(rest),
        ["bench", rest @ ..] => bench::run(rest),
        ["features", rest @ ..] => features::run(rest),
        ["__measure", rest @ ..] => bench::measure(rest),
        ["__peer_generate", document, specs, out] => match peer::generate(Path::new(document), Path::new(specs), Path::new(out)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        [] | ["help" | "--help" | "-h"] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("unknown command: {}\n\n{HELP}", other.join(" "));
            ExitCode::from(2)
        }
    }
}
