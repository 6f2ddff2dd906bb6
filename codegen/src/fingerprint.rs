//! Fingerprints of the checked model, one per generated file, so a shell can skip rendering the
//! files whose inputs did not change (`cargo xtask regen`'s cache).
//!
//! A fingerprint hashes the `Debug` text of what the back end reads for that file: a service
//! module reads its service and its vendor's own settings (everything but the services); a vendor
//! module reads those settings, and of each service its name, feature, title and events (not its
//! operations or types); a vendor's call cases and OpenAPI document read the whole vendor; the
//! root module reads every vendor. Whoever makes a back end read more changes its fingerprint
//! here in the same commit (xtask's cache test edits each kind of input and compares the cached
//! regen with a full one). The generator itself is not in it: the shell adds its own.

use std::fmt::{self, Write as _};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::emit::{self, Part};
use crate::model::{Api, Vendor};

/// What each output depends on, hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprints {
    /// Per file of [`crate::render`], by its path (`feishu/acs_v1.rs`).
    pub modules: Vec<(String, u64)>,
    /// Per vendor, by module name (`feishu`): its call cases and its OpenAPI document.
    pub vendors: Vec<(String, u64)>,
}

/// Every file's fingerprint; the services are hashed on every core.
pub fn fingerprints(api: &Api) -> Fingerprints {
    let services: Vec<(usize, usize)> = api.vendors.iter().enumerate().flat_map(|(v, vendor)| (0..vendor.services.len()).map(move |s| (v, s))).collect();
    let hashed = hash_services(api, &services);
    let headers: Vec<u64> = api.vendors.iter().map(header).collect();
    let mut modules = Vec::new();
    let mut vendors = Vec::new();
    let mut root = DefaultHasher::new();
    let mut next = hashed.iter();
    for part in emit::parts(api) {
        let file = emit::part_file(api, part);
        match part {
            Part::Root => modules.push((file, 0)),
            Part::Vendor(v) => {
                let vendor = &api.vendors[v];
                let header = headers[v];
                // The whole vendor: its settings and every service's fingerprint.
                let mut whole = DefaultHasher::new();
                header.hash(&mut whole);
                let own: Vec<u64> = hashed.iter().zip(&services).filter(|(_, (sv, _))| *sv == v).map(|(h, _)| *h).collect();
                own.hash(&mut whole);
                let whole = whole.finish();
                whole.hash(&mut root);
                vendors.push((vendor.module.clone(), whole));
                // Its module: the settings, and what it says of each service.
                let mut module = DefaultHasher::new();
                header.hash(&mut module);
                for s in &vendor.services {
                    debug_hash(&(&s.path, &s.module, &s.feature, &s.mount, &s.title, &s.events)).hash(&mut module);
                }
                modules.push((file, module.finish()));
            }
            Part::Service(v, _) => {
                let service = next.next().copied().unwrap_or_default();
                let mut h = DefaultHasher::new();
                (headers[v], service).hash(&mut h);
                modules.push((file, h.finish()));
            }
        }
    }
    modules[0].1 = root.finish();
    Fingerprints { modules, vendors }
}

fn hash_services(api: &Api, services: &[(usize, usize)]) -> Vec<u64> {
    crate::threads::map(services, 1, |&(v, s)| debug_hash(&api.vendors[v].services[s]))
}

/// A vendor's own settings, without its services. The pattern names every field, so a field
/// added to `Vendor` does not compile here until it is hashed (or said to be a service's).
fn header(v: &Vendor) -> u64 {
    let Vendor {
        module,
        spec_dir,
        title,
        description,
        docs,
        default_host,
        hosts,
        envelope,
        request_id_headers,
        request_id_field,
        credentials,
        tokens,
        token_invalid_codes,
        token_invalid_statuses,
        rate_limit_codes,
        rate_limit_statuses,
        rate_limit_reset_header,
        types,
        accessors,
        services: _,
    } = v;
    debug_hash(&(
        (module, spec_dir, title, description, docs, default_host, hosts, envelope),
        (request_id_headers, request_id_field, credentials, tokens, token_invalid_codes, token_invalid_statuses),
        (rate_limit_codes, rate_limit_statuses, rate_limit_reset_header, types, accessors),
    ))
}

/// The hash of a value's `Debug` text, written into the hasher as it is formatted.
fn debug_hash(value: &impl fmt::Debug) -> u64 {
    struct Sink(DefaultHasher);
    impl fmt::Write for Sink {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut sink = Sink(DefaultHasher::new());
    let _ = write!(sink, "{value:?}");
    sink.0.finish()
}
