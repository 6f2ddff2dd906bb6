//! `generate!("specs/acme")`: a thin shell over `codegen`. It reads the spec directory, calls the
//! same functions `cargo xtask regen` uses, and expands to the same modules, inline. Cargo
//! rebuilds when a spec file changes: every file read is named in an `include_bytes!`.

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
    let expansion = codegen::expand(&dir, Path::new(&relative));
    let includes = expansion.files_read.iter().map(|p| {
        let p = p.to_string_lossy();
        quote! { const _: &[u8] = include_bytes!(#p); }
    });
    match expansion.result {
        Ok(tokens) => quote! { #(#includes)* #tokens }.into(),
        Err(diags) => {
            let message = format!("{} problem(s) in the specs at `{relative}`:\n\n{}", diags.items.len(), diags.render().trim_end());
            let error = syn::Error::new(literal.span(), message).to_compile_error();
            let stubs = stubs(&dir);
            quote! { #error #(#includes)* #stubs }.into()
        }
    }
}

fn resolve(relative: &str) -> Option<PathBuf> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let from_manifest = manifest.map(|m| m.join(relative)).filter(|p| p.is_dir());
    from_manifest.or_else(|| {
        let file = proc_macro::Span::call_site().local_file()?;
        Some(file.parent()?.join(relative)).filter(|p| p.is_dir())
    })
}

/// After a spec error, empty stand-ins for what the specs would have defined, so the user sees the
/// one error about the specs rather than a cascade about missing items.
fn stubs(dir: &Path) -> proc_macro2::TokenStream {
    let vendors: Vec<String> = if dir.join("vendor.yaml").is_file() {
        dir.file_name().map(|n| n.to_string_lossy().into_owned()).into_iter().collect()
    } else {
        std::fs::read_dir(dir).map(|entries| entries.flatten().filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default()
    };
    let modules = vendors.iter().filter(|v| codegen::names::is_ident(v)).map(|v| {
        let name = proc_macro2::Ident::new(v, proc_macro2::Span::call_site());
        quote! {
            #[allow(dead_code)]
            pub mod #name {
                #[derive(Debug, Clone)]
                pub struct Client;
                #[derive(Debug)]
                pub struct ClientBuilder;
                #[derive(Debug)]
                pub struct Error;
            }
        }
    });
    quote! { #(#modules)* }
}
