//! Compile-time behaviour of `generate!`: a spec error is one `compile_error!` at the macro's
//! argument with the spec's file:line:col and snippet, and no cascade of secondary errors; the
//! generated API is typed. Update the `.stderr` files with `TRYBUILD=overwrite`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/*.rs");
}
