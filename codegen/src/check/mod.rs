//! The checker: the spec model in, the checked model out, every problem recorded with its
//! location and checking carried on, so the user sees all of them at once.
//!
//! Three passes per vendor, in one direction:
//! - `resolve`: what the vendor file declares (services, hosts, credentials), which service each
//!   operation belongs to, and the named types each module can see;
//! - `lower`: types, fields and operations become the model, with Rust names that collide with
//!   nothing the generated code defines (`reserved`);
//! - `validate`: cross-cutting rules over the lowered model (one operation per endpoint, token
//!   exchanges, pagination, the doc's examples against the types).

mod event;
mod examples;
mod lower;
mod operation;
mod resolve;
mod validate;

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Loc};
use crate::model::Api;
use crate::spec::{SpecSet, VendorFile, VendorSpecs};

/// Checks every vendor of a spec set; problems go to `diags`, the vendors that could be lowered
/// to the returned model (which back ends use only when `diags` stays empty).
pub(crate) fn check(set: &SpecSet, diags: &mut Diagnostics) -> Api {
    let mut api = Api::default();
    let mut vendor_names: HashMap<String, Loc> = HashMap::new();
    for specs in &set.vendors {
        let Some(vendor) = specs.vendor.as_ref() else {
            if !specs.vendor_file_present {
                diags.push(
                    Diagnostic::in_file(format!("{}/vendor.yaml", specs.display_dir), format!("vendor `{}` has no vendor file", specs.dir))
                        .help("create `vendor.yaml` in the vendor's directory: hosts, envelope, request id, credentials and tokens (see docs/spec-format.md)"),
                );
            }
            // A vendor file that exists but could not be read has its own errors already.
            continue;
        };
        if let Some(first) = vendor_names.insert(vendor.name.value.clone(), vendor.name.loc) {
            diags.push(
                Diagnostic::at(vendor.name.loc, format!("two vendors are named `{}`", vendor.name.value))
                    .help("give each vendor a distinct `vendor:` name")
                    .also_at(first, "the first vendor of this name"),
            );
        }
        let mut cx = Checker { diags: &mut *diags, specs, vendor };
        let resolved = resolve::resolve(&mut cx);
        let mut lowered = lower::lower(&mut cx, &resolved);
        validate::validate(&mut cx, &resolved, &mut lowered);
        api.vendors.push(lowered.vendor);
    }
    api
}

/// What every pass of one vendor works with: the diagnostics, and the vendor's specs as written.
pub(crate) struct Checker<'a> {
    pub diags: &'a mut Diagnostics,
    pub specs: &'a VendorSpecs,
    pub vendor: &'a VendorFile,
}

impl Checker<'_> {
    fn err(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.diags.error(loc, message, help);
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }
}

/// The Rust names taken in one namespace of one module, with where each was defined, to report
/// collisions (including those that appear only after case conversion: `user` and `User`) at
/// both places.
#[derive(Default)]
pub(crate) struct Names {
    taken: HashMap<String, (String, Loc)>,
}

impl Names {
    /// Names the generated code defines itself, which specs must not take.
    fn reserve(&mut self, names: &[&str], what: &str) {
        for n in names {
            self.taken.insert((*n).to_owned(), (format!("{what} (`{n}`)"), Loc::NONE));
        }
    }

    /// `base`, or `base2`, `base3`, … until the name is free (for derived names).
    fn free(&self, base: &str) -> String {
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// Takes `rust` for `what`; says whether it was free (else reports where it was taken).
    fn claim(&mut self, diags: &mut Diagnostics, rust: &str, loc: Loc, what: String, module: &str) -> bool {
        match self.taken.get(rust) {
            Some((first, first_loc)) => {
                diags.push(
                    Diagnostic::at(loc, format!("{what} is named `{rust}` in module `{module}`, which is already {first}"))
                        .help("rename one of them (`rust_name:` on a type, `type_name:` on an inline type, `name:` on an operation)")
                        .also_at(*first_loc, format!("{first} is here")),
                );
                false
            }
            None => {
                self.taken.insert(rust.to_owned(), (what, loc));
                true
            }
        }
    }
}
