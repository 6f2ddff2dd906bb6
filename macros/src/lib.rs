//! `generate!("specs/acme")`: a thin shell over `codegen`. It runs the same front end as
//! `cargo xtask regen` (`codegen::analyze`) and expands to the same modules, inline
//! (`codegen::emit_inline`), or to the rendered diagnostics and stand-in modules
//! (`codegen::error_stubs`). Cargo rebuilds when a spec file changes: every file read is named
//! in an `include_bytes!`.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;

/// Expands to one module per vendor in the given spec directory (a vendor directory with its
/// `vendor.yaml`, or a directory of them), with the same client shape and runtime as the vendors
/// checked into `generated-client`.
///
/// The path is relative to the crate's `CARGO_MANIFEST_DIR`; when nothing is there, to the
/// directory of the file that calls the macro.
///
/// ```text
/// generated_client::generate!("specs/acme");
/// let client = acme::Client::builder().api_key("k").build()?;
/// ```
#[proc_macro]
pub fn generate(input: TokenStream) -> TokenStream {
    let literal = match syn::parse::<syn::LitStr>(input) {
        Ok(literal) => literal,
        Err(e) => {
            let message = format!("{e}: write the spec directory as a string literal, e.g. `generate!(\"specs/acme\")`");
            return syn::Error::new(e.span(), message).to_compile_error().into();
        }
    };
    let relative = literal.value();
    let Some(dir) = resolve(&relative) else {
        let message = format!("spec directory `{relative}` not found relative to CARGO_MANIFEST_DIR or to the calling file");
        return syn::Error::new(literal.span(), message).to_compile_error().into();
    };
    let analysis = codegen::analyze(&dir, Path::new(&relative));
    let includes = analysis.files_read.iter().map(|p| {
        let p = p.to_string_lossy();
        quote! { const _: &[u8] = include_bytes!(#p); }
    });
    let tokens = match &analysis.api {
        Some(api) => codegen::emit_inline(api),
        None => {
            let diags = &analysis.diagnostics;
            let message = format!("{} problem(s) in the specs at `{relative}`:\n\n{}", diags.items.len(), diags.render().trim_end());
            let error = syn::Error::new(literal.span(), message).to_compile_error();
            let stubs = codegen::error_stubs(&analysis);
            quote! { #error #stubs }
        }
    };
    quote! { #(#includes)* #tokens }.into()
}

fn resolve(relative: &str) -> Option<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let from_manifest = manifest.map(|m| m.join(relative)).filter(|p| p.is_dir());
    from_manifest.or_else(|| {
        let file = proc_macro::Span::call_site().local_file()?;
        Some(file.parent()?.join(relative)).filter(|p| p.is_dir())
    })
}
