//! Compile-time behaviour of `generate!`: a spec error is one `compile_error!` at the macro's
//! argument with the spec's file:line:col and snippet, and no cascade of secondary errors; the
//! generated API is typed; and any spec the checker accepts compiles, for spec trees drawn with
//! names the generated code takes itself and Rust's keywords (`names`). Update the `.stderr`
//! files with `TRYBUILD=overwrite`.

mod names;

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
    // Drawn spec trees: each is rejected with located errors, or compiled here, all in one case.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("names-property");
    match names::write_cases(&dir) {
        Ok(case) => t.pass(case),
        Err(why) => panic!("{why}"),
    }
}
