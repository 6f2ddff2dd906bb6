//! Component names and operation ids of one vendor's document: plain Rust names, prefixed with
//! the service module only where two would collide.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Module, Named, Vendor};

/// Component names and operation ids, prefixed with the service module only where plain names
/// would collide.
pub(super) struct Names {
    /// (service index or `None` for vendor-wide, Rust name) → component name.
    schemas: BTreeMap<(Option<usize>, String), String>,
    /// (service index, operation name) → operationId.
    pub(super) operations: BTreeMap<(usize, String), String>,
}

/// The names that more than one type, or more than one operation, of a vendor has: those get the
/// service module as a prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collisions {
    pub types: BTreeSet<String>,
    pub operations: BTreeSet<String>,
}

impl Collisions {
    pub fn of(v: &Vendor) -> Collisions {
        let twice = |names: &mut dyn Iterator<Item = &String>| {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for n in names {
                *count.entry(n).or_default() += 1;
            }
            count.into_iter().filter(|(_, n)| *n > 1).map(|(name, _)| name.to_owned()).collect()
        };
        Collisions {
            types: twice(&mut v.types.iter().chain(v.services.iter().flat_map(|s| &s.types)).map(|t| &t.rust)),
            operations: twice(&mut v.services.iter().flat_map(|s| &s.operations).map(|o| &o.name)),
        }
    }
}

impl Names {
    pub(super) fn new(v: &Vendor, collisions: &Collisions) -> Names {
        let mut schemas = BTreeMap::new();
        for t in &v.types {
            schemas.insert((None, t.rust.clone()), t.rust.clone());
        }
        for (si, svc) in v.services.iter().enumerate() {
            for t in &svc.types {
                let name = if collisions.types.contains(&t.rust) { format!("{}.{}", svc.module, t.rust) } else { t.rust.clone() };
                schemas.insert((Some(si), t.rust.clone()), name);
            }
        }
        let mut operations = BTreeMap::new();
        for (si, svc) in v.services.iter().enumerate() {
            for op in &svc.operations {
                let id = if collisions.operations.contains(&op.name) { format!("{}.{}", svc.module, op.name) } else { op.name.clone() };
                operations.insert((si, op.name.clone()), id);
            }
        }
        Names { schemas, operations }
    }

    pub(super) fn component(&self, svc: Option<usize>, rust: &str) -> String {
        self.schemas.get(&(svc, rust.to_owned())).cloned().unwrap_or_else(|| rust.to_owned())
    }

    pub(super) fn reference(&self, svc: Option<usize>, named: &Named) -> String {
        let at = if named.module == Module::Vendor { None } else { svc };
        format!("#/components/schemas/{}", self.component(at, &named.rust))
    }
}
