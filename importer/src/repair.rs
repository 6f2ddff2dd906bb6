//! Rust names a page's spec needs spelled out: where two of the page's names would become one
//! Rust name (`userId` and `user_id`, enum values `a-b` and `a_b`, types `item` and `Item`), or a
//! type would take a name the generated code uses (`Result`, `Option`), the later one gets an
//! explicit `rust_name:` or `name:` in the spec, and the page a warning. The wire names stay as
//! the page has them.

use codegen::diagnostic::Loc;
use codegen::names;
use codegen::reserved;
use codegen::spec::{EnumValue, Field, Sp, TypeDef, TypeDefKind, TypeExpr};

use crate::build::Built;
use crate::draft::{Warning, WarningKind};
use crate::event::BuiltEvent;

/// Spells out the Rust names the page's spec needs.
pub fn repair(b: &mut Built) {
    let mut warnings = Vec::new();
    type_names(&mut b.types, Vec::new(), &mut warnings);
    for t in &mut b.types {
        let owner = t.name.value.clone();
        match &mut t.kind {
            TypeDefKind::Struct(fields) => distinct_fields(fields, &owner, &mut warnings),
            TypeDefKind::Enum(e) => distinct_values(&mut e.values, &owner, &mut warnings),
        }
    }
    let op = &mut b.operation;
    // Every input becomes a field of one request builder: distinct across path, query, header
    // and body.
    let mut inputs: Vec<&mut Field> =
        op.path_params.iter_mut().chain(&mut op.query_params).chain(&mut op.header_params).chain(op.body.iter_mut().flat_map(|b| &mut b.fields)).collect();
    distinct(&mut inputs, "the request", &mut warnings);
    for f in inputs {
        nested(f, &mut warnings);
    }
    if let Some(d) = &mut op.response.data {
        nested(d, &mut warnings);
    }
    b.warnings.extend(warnings);
}

/// Spells out the Rust names an event page's spec needs; its types are named apart from the
/// event's own struct, which shares their module.
pub fn repair_event(e: &mut BuiltEvent) {
    let mut warnings = Vec::new();
    let own = crate::event::struct_name(&e.event.event.value, &e.service);
    type_names(&mut e.event.types, own.into_iter().collect(), &mut warnings);
    for t in &mut e.event.types {
        let owner = t.name.value.clone();
        match &mut t.kind {
            TypeDefKind::Struct(fields) => distinct_fields(fields, &owner, &mut warnings),
            TypeDefKind::Enum(en) => distinct_values(&mut en.values, &owner, &mut warnings),
        }
    }
    distinct_fields(&mut e.event.fields, "the event", &mut warnings);
    e.warnings.extend(warnings);
}

/// The inline fields and values inside a field.
fn nested(f: &mut Field, warnings: &mut Vec<Warning>) {
    let owner = f.name.value.clone();
    integer_values(f, warnings);
    if let Some(values) = &mut f.values {
        distinct_values(values, &owner, warnings);
    }
    if let Some(fields) = &mut f.fields {
        distinct_fields(fields, &owner, warnings);
    }
}

/// An integer field whose listed values are not integers (the page lists meanings, not codes):
/// the values cannot be an enum of integers, so they stay in the description only.
fn integer_values(f: &mut Field, warnings: &mut Vec<Warning>) {
    let integer = |t: &TypeExpr| matches!(t, TypeExpr::Int32 | TypeExpr::Int64);
    let is_integer_field = match &f.ty.value {
        TypeExpr::Array(item) => integer(item),
        other => integer(other),
    };
    let Some(values) = &f.values else { return };
    if !is_integer_field || values.iter().all(|v| v.value.value.trim().parse::<i64>().is_ok()) {
        return;
    }
    let listed: Vec<String> = values
        .iter()
        .map(|v| match &v.description {
            Some(d) => format!("{}: {d}", v.value.value),
            None => v.value.value.clone(),
        })
        .collect();
    let text = format!("Values listed by the page: {}.", listed.join("; "));
    f.description = Some(match f.description.take() {
        Some(d) => format!("{d}\n\n{text}"),
        None => text,
    });
    f.values = None;
    warnings.push(Warning {
        line: 0,
        kind: WarningKind::Other,
        message: format!("integer field `{}` lists values that are not integers; they were kept in its description, not as an enum", f.name.value),
    });
}

fn distinct_fields(fields: &mut [Field], owner: &str, warnings: &mut Vec<Warning>) {
    let mut refs: Vec<&mut Field> = fields.iter_mut().collect();
    distinct(&mut refs, &format!("`{owner}`"), warnings);
    for f in refs {
        nested(f, warnings);
    }
}

/// Later fields whose Rust name an earlier one has get `<name>_2`, `<name>_3`, ….
fn distinct(fields: &mut [&mut Field], owner: &str, warnings: &mut Vec<Warning>) {
    let mut taken: Vec<String> = Vec::new();
    for f in fields.iter_mut() {
        let Some(rust) = f.rust_name.as_ref().map(|r| r.value.clone()).or_else(|| names::snake(&f.name.value)) else { continue };
        let mut chosen = rust.clone();
        let mut n = 2;
        while taken.contains(&chosen) {
            chosen = format!("{rust}_{n}");
            n += 1;
        }
        if chosen != rust {
            warnings.push(Warning {
                line: 0,
                kind: WarningKind::Other,
                message: format!("fields `{}` of {owner} and an earlier one both become `{rust}` in Rust; this one is `{chosen}`", f.name.value),
            });
            f.rust_name = Some(sp(chosen.clone()));
        }
        taken.push(chosen);
    }
}

/// Later enum values whose variant an earlier one has get `<Variant>2`, `<Variant>3`, ….
fn distinct_values(values: &mut [EnumValue], owner: &str, warnings: &mut Vec<Warning>) {
    let mut taken: Vec<String> = Vec::new();
    for v in values.iter_mut() {
        let variant = v.name.as_ref().map(|n| n.value.clone()).or_else(|| names::variant(&v.value.value)).map(|n| reserved::free(&n, |x| x == reserved::UNKNOWN));
        let Some(variant) = variant else { continue };
        let mut chosen = variant.clone();
        let mut n = 2;
        while taken.contains(&chosen) {
            chosen = format!("{variant}{n}");
            n += 1;
        }
        if chosen != variant {
            warnings.push(Warning {
                line: 0,
                kind: WarningKind::Other,
                message: format!("values of `{owner}` `{}` and an earlier one both become variant `{variant}`; this one is `{chosen}`", v.value.value),
            });
            v.name = Some(sp(chosen.clone()));
        }
        taken.push(chosen);
    }
}

/// Types named like a name the generated code uses unqualified (`Result`, `Option`) become
/// `<Name>Type`; two of the page's types with one Rust name are told apart by a number.
fn type_names(types: &mut [TypeDef], mut taken: Vec<String>, warnings: &mut Vec<Warning>) {
    for t in types {
        let Some(rust) = t.rust_name.as_ref().map(|r| r.value.clone()).or_else(|| names::upper_camel(&t.name.value)) else { continue };
        // Prelude names everywhere, and the vendor module's own items, where shared types go.
        let reserved = reserved::PRELUDE.contains(&rust.as_str()) || reserved::VENDOR_ITEMS.contains(&rust.as_str());
        let mut chosen = if reserved { format!("{rust}Type") } else { rust.clone() };
        let base = chosen.clone();
        let mut n = 2;
        while taken.contains(&chosen) {
            chosen = format!("{base}{n}");
            n += 1;
        }
        if chosen != rust {
            warnings.push(Warning { line: 0, kind: WarningKind::Other, message: format!("type `{}` would be `{rust}` in Rust, which is taken; it is `{chosen}`", t.name.value) });
            t.rust_name = Some(sp(chosen.clone()));
        }
        taken.push(chosen);
    }
}

fn sp<T>(value: T) -> Sp<T> {
    Sp { value, loc: Loc::NONE }
}
