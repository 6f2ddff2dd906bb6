//! Fingerprints of the checked model, one per generated file, so a shell can skip rendering the
//! files whose inputs did not change (`cargo xtask regen`'s cache).
//!
//! A fingerprint hashes the `Debug` text of what the back end reads for that file: a service
//! module reads its service and its vendor's own settings ([`vendor_settings`]); a vendor
//! module reads those settings, and of each service its name, feature, title and events (not its
//! operations or types); a vendor's call cases and OpenAPI document read the whole vendor; the
//! root module reads every vendor. Whoever makes a back end read more changes its fingerprint
//! here in the same commit (xtask's cache test edits each kind of input and compares the cached
//! regen with a full one). The generator itself is not in it: the shell adds its own.

use std::fmt::{self, Write as _};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::emit::{self, Part};
use crate::model::{Api, Module, Response, Service, Ty, TypeKind, Vendor};

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
    let settings: Vec<u64> = api.vendors.iter().map(vendor_settings).collect();
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
                modules.push((file, service_module(settings[v], service)));
            }
        }
    }
    modules[0].1 = root.finish();
    Fingerprints { modules, vendors }
}

/// A service module's fingerprint: the vendor's settings ([`vendor_settings`]) and the service.
/// A module does not read the prefix accessors or how other services use the vendor's types (a
/// test renders each module from a check of its service alone and compares).
pub fn service(v: &Vendor, si: usize) -> u64 {
    service_and_shares(v, si).0
}

/// [`service`], and each share's fingerprint (`emit::service_shares`, in file order): what its
/// back end reads, with the vendor's settings. The start reads the service's own fields and every
/// operation (each has its method there); a range of operations reads those and the service's
/// fields; a range of types reads those and, for each, the type it is an alias of; the events
/// module reads the events. An edit to one type's description changes one share's.
pub fn service_and_shares(v: &Vendor, si: usize) -> (u64, Vec<u64>) {
    let s = &v.services[si];
    let items = Items::of(s);
    let settings = vendor_settings(v);
    let mix = |h: u64| service_module(settings, h);
    let canonical = crate::emit::canonicals(&s.types);
    let shares = crate::emit::service_shares(s)
        .into_iter()
        .map(|(share, _)| match share {
            emit::Share::Whole => mix(items.hash()),
            emit::Share::Head => mix(hash(&(items.fields, &items.operations))),
            emit::Share::Operations(a, b) => mix(hash(&(items.fields, &items.operations[a..b]))),
            emit::Share::Types(a, b) => {
                let names: Vec<Option<&str>> = canonical[a..b].iter().map(|c| c.map(|i| s.types[i].rust.as_str())).collect();
                mix(hash(&(&items.types[a..b], names)))
            }
            emit::Share::Events => mix(hash(&(items.fields, items.events))),
        })
        .collect();
    (mix(items.hash()), shares)
}

/// A service, hashed item by item (each operation, type and the events once), so that a module's
/// fingerprint and its shares' come from one pass.
struct Items {
    fields: u64,
    operations: Vec<u64>,
    types: Vec<u64>,
    events: u64,
}

impl Items {
    /// The pattern names every field, so a field added to `Service` does not compile here until
    /// it is hashed.
    fn of(s: &Service) -> Items {
        let Service { path, module, feature, mount, hosts, spec_dir, title, docs, types, accessors, operations, events } = s;
        Items {
            fields: debug_hash(&(path, module, feature, mount, hosts, spec_dir, title, docs, accessors)),
            operations: operations.iter().map(debug_hash).collect(),
            types: types.iter().map(debug_hash).collect(),
            events: debug_hash(events),
        }
    }

    fn hash(&self) -> u64 {
        hash(&(self.fields, &self.operations, &self.types, self.events))
    }
}

fn hash(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn service_module(settings: u64, service: u64) -> u64 {
    hash(&(settings, service))
}

fn hash_services(api: &Api, services: &[(usize, usize)]) -> Vec<u64> {
    crate::threads::map(services, 1, |&(v, s)| Items::of(&api.vendors[v].services[s]).hash())
}

/// What the files of other services and the vendor-wide files see of one service (`si` of `v`):
/// everything the vendor module, the root module, the features block and docs/coverage.md read of
/// it, the names the OpenAPI document and the call cases disambiguate across services (type and
/// operation names), and what rules across services compare (endpoints, events). An edit that
/// leaves it (and [`vendor_settings`]) as it was changes only the service's own module and its
/// own parts of the vendor-wide files (`openapi::pieces`, `calls::pieces`, `table::pieces`).
pub fn interface(v: &Vendor, si: usize) -> u64 {
    let s = &v.services[si];
    let operations: Vec<_> = s.operations.iter().map(|o| (&o.name, o.method.as_str(), &o.path, o.errata.len())).collect();
    let types: Vec<&str> = s.types.iter().map(|t| t.rust.as_str()).collect();
    debug_hash(&(&s.path, &s.module, &s.feature, &s.mount, &s.hosts, &s.title, &s.docs, &s.spec_dir, &s.events, operations, types, vendor_types_used(s)))
}

/// The vendor's types a service's requests send (`true`) and answers carry (`false`), directly or
/// through its own types' fields: what decides how the vendor module derives them.
fn vendor_types_used(s: &Service) -> std::collections::BTreeSet<(String, bool)> {
    let mut out = std::collections::BTreeSet::new();
    let mut add = |ty: &Ty, input: bool| {
        let mut ty = ty;
        while let Ty::Vec(inner) | Ty::Map(inner) = ty {
            ty = inner;
        }
        if let Ty::Named(n) = ty
            && n.module == Module::Vendor
        {
            out.insert((n.rust.clone(), input));
        }
    };
    for op in &s.operations {
        for m in op.inputs() {
            add(&m.ty, true);
        }
        if let Response::Json { data: Some(t), .. } = &op.response {
            add(t, false);
        }
    }
    for t in &s.types {
        if let TypeKind::Struct(st) = &t.kind {
            for m in &st.members {
                for (flag, input) in [(t.input, true), (t.output, false)] {
                    if flag {
                        add(&m.ty, input);
                    }
                }
            }
        }
    }
    out
}

/// A vendor's own settings (what `vendor.yaml` and the vendor's `types.yaml` make), without what
/// is derived from its services (the accessors of service path prefixes, which follow from each
/// service's [`interface`]): what every file of the vendor reads.
pub fn vendor_settings(v: &Vendor) -> u64 {
    settings(v, false)
}

/// A vendor's own settings, without its services (with the prefix accessors the vendor module
/// holds).
fn header(v: &Vendor) -> u64 {
    settings(v, true)
}

/// The pattern names every field, so a field added to `Vendor` does not compile here until it is
/// hashed (or said to be a service's).
fn settings(v: &Vendor, with_accessors: bool) -> u64 {
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
        (rate_limit_codes, rate_limit_statuses, rate_limit_reset_header, with_accessors.then_some(accessors)),
        // Without the services, how each type is used (and so derived) follows from them.
        if with_accessors {
            debug_hash(types)
        } else {
            debug_hash(&types.iter().map(|t| debug_hash(&(&t.rust, &t.wire, &t.description, as_written(&t.kind)))).collect::<Vec<_>>())
        },
    ))
}

/// A type's fields or values, without what its use decides (how `new` takes required fields).
fn as_written(kind: &TypeKind) -> &dyn fmt::Debug {
    match kind {
        TypeKind::Struct(s) => &s.members,
        TypeKind::Enum(e) => e,
    }
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
