//! The second pass: named types, fields and operations become the model. Each module (the vendor
//! module, one per service) has its own table of taken names; inline objects and enums become
//! named types of the module that uses them.

use std::collections::{HashMap, HashSet};

use super::resolve::{Resolved, ServiceInfo, TypeEntry, TypeTable, camel_join, snake_or};
use super::{Checker, Names, event, operation};
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{self, Accessor, Args, Member, Module, Named, Ty, TypeDef, TypeKind};
use crate::read::nearest;
use crate::spec::{self, Field, Scalar, Sp, TypeExpr};
use crate::{names, reserved};

/// The lowered vendor, and where each operation file went.
pub(super) struct Lowered {
    pub vendor: model::Vendor,
    /// For each operation file, by index into `specs.operations`: its service and its index
    /// among the service's operations.
    pub op_index: Vec<Option<(usize, usize)>>,
}

/// One module being lowered: the types it sees, the types it defines, the names it has taken.
pub(super) struct ModuleCx<'t> {
    pub name: String,
    pub module: Module,
    local: &'t TypeTable,
    vendor: &'t TypeTable,
    broken: &'t HashSet<String>,
    /// A `types.yaml` could not be parsed: which types it held is unknown.
    unreadable_types: bool,
    pub types: Vec<TypeDef>,
    /// Where each entry of `types` is defined.
    pub type_locs: Vec<Loc>,
    /// The type namespace.
    pub names: Names,
    /// The value namespace: the operations' statics.
    pub values: Names,
    /// The module of one event, which sees its own types only.
    pub in_event: bool,
}

impl<'t> ModuleCx<'t> {
    /// The vendor module (`service: None`) or a service's, with its named types lowered.
    fn new(cx: &mut Checker<'_>, r: &'t Resolved<'_>, name: String, service: Option<usize>) -> ModuleCx<'t> {
        let mut module = ModuleCx {
            name,
            module: if service.is_some() { Module::Service } else { Module::Vendor },
            local: service.map_or(&r.vendor_types, |si| &r.service_types[si]),
            vendor: &r.vendor_types,
            broken: &r.broken_types,
            unreadable_types: cx.specs.unreadable_types_file,
            types: Vec::new(),
            type_locs: Vec::new(),
            names: Names::default(),
            values: Names::default(),
            in_event: false,
        };
        if service.is_none() {
            module.names.reserve(reserved::VENDOR_ITEMS, "an item of every vendor module");
        }
        module.names.reserve(reserved::PRELUDE, "a name the generated code takes from Rust's prelude");
        for (_, tf) in r.types_files.iter().filter(|(target, _)| *target == service) {
            for t in &tf.types {
                lower_type_def(cx, &mut module, t);
            }
        }
        module
    }

    /// The module of one event: its own types, and no vendor-wide ones (an event page is whole).
    pub fn for_event(cx: &mut Checker<'_>, local: &'t TypeTable, empty: &'t TypeTable, broken: &'t HashSet<String>, name: String, types: &[spec::TypeDef]) -> ModuleCx<'t> {
        let mut module = ModuleCx {
            name,
            module: Module::Service,
            local,
            vendor: empty,
            broken,
            unreadable_types: false,
            types: Vec::new(),
            type_locs: Vec::new(),
            names: Names::default(),
            values: Names::default(),
            in_event: true,
        };
        module.names.reserve(reserved::PRELUDE, "a name the generated code takes from Rust's prelude");
        for t in types {
            lower_type_def(cx, &mut module, t);
        }
        module
    }

    fn resolve(&self, name: &str) -> Option<(TypeEntry, Module)> {
        if let Some(e) = self.local.get(name) {
            return Some((e.clone(), self.module));
        }
        self.vendor.get(name).map(|e| (e.clone(), Module::Vendor))
    }

    fn known(&self) -> Vec<&str> {
        self.local.keys().chain(self.vendor.keys()).map(String::as_str).collect()
    }

    pub fn push_type(&mut self, def: TypeDef, loc: Loc) {
        self.types.push(def);
        self.type_locs.push(loc);
    }
}

/// Where a member is written, which decides the types it may have.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Type,
    Path,
    Query,
    Header,
    Json,
    Multipart,
}

pub(super) fn lower(cx: &mut Checker<'_>, r: &Resolved<'_>) -> Lowered {
    let v = cx.vendor;
    let mut vendor_module = ModuleCx::new(cx, r, v.name.value.clone(), None);
    let prefix_accessors = prefix_accessors(cx, r, &mut vendor_module.names);

    let mut op_index = vec![None; cx.specs.operations.len()];
    let mut services = Vec::new();
    let mut modules = Vec::new();
    // Methods are claimed across services: mounted services share their accessor.
    let mut methods = operation::Methods::default();
    // Event types and their `Event` cases are claimed across services.
    let (mut event_variants, mut event_types) = (Names::default(), HashMap::new());
    event_variants.reserve(&["Unknown"], "the case of events of other types");
    for (si, svc) in r.services.iter().enumerate() {
        let decl = &v.services[svc.decl];
        let mut module = ModuleCx::new(cx, r, svc.module.clone(), Some(si));
        // The accessor the service's calls start from: its own, or the vendor module's accessor of
        // the prefix it is mounted on.
        let mut accessors = Vec::new();
        let (root, root_in_vendor) = if svc.mount < svc.path.len() {
            (format!("{}Api", camel_join(&svc.path[..svc.mount])), true)
        } else if events_alone(r, si) {
            // A service of events alone has no calls, so no accessor (it would hold a client
            // nothing reads).
            (format!("{}Api", camel_join(&svc.path)), false)
        } else {
            let own = own_accessor(&svc.path, decl);
            module.names.claim(cx.diags, &own.rust, decl.path.loc, format!("the accessor for `{}`", svc.path.join("/")), &svc.module);
            let rust = own.rust.clone();
            accessors.push(own);
            (rust, false)
        };
        let mut operations = Vec::new();
        for (oi, op) in cx.specs.operations.iter().enumerate() {
            if r.op_service[oi] != Some(si) {
                continue;
            }
            let start = operation::Start { accessor: &root, in_vendor: root_in_vendor };
            if let Some(o) = operation::lower_operation(cx, &mut module, &mut accessors, &mut methods, &svc.path, start, op) {
                op_index[oi] = Some((si, operations.len()));
                operations.push(o);
            }
        }
        let events = event::lower_events(cx, r, si, &mut event_variants, &mut event_types);
        services.push(model::Service {
            path: svc.path.clone(),
            module: svc.module.clone(),
            feature: decl.feature.as_ref().map(|f| f.value.clone()),
            mount: (svc.mount < svc.path.len()).then(|| svc.path[..svc.mount].join("/")),
            hosts: svc.hosts.clone(),
            spec_dir: format!("{}/{}", cx.specs.display_dir, svc.path.join("/")),
            title: decl.title.clone(),
            docs: decl.docs.clone(),
            types: Vec::new(),
            accessors,
            operations,
            events,
        });
        modules.push(module);
    }

    mark_usage(&mut vendor_module, &mut modules, &services);
    struct_args(cx, &mut vendor_module);
    for (module, svc) in modules.iter_mut().zip(&mut services) {
        struct_args(cx, module);
        box_cycles(&mut module.types, Module::Service);
        svc.types = std::mem::take(&mut module.types);
    }
    box_cycles(&mut vendor_module.types, Module::Vendor);

    let vendor = model::Vendor {
        module: v.name.value.clone(),
        spec_dir: cx.specs.display_dir.clone(),
        title: v.title.clone(),
        description: v.description.clone(),
        docs: v.docs.clone(),
        default_host: r.default_host.clone(),
        hosts: r.hosts.clone(),
        envelope: v.envelope.as_ref().map(|env| model::Envelope {
            code: env.code.value.clone(),
            sub_code: env.sub_code.as_ref().map(|s| s.value.clone()),
            message: env.message.value.clone(),
            data: env.data.value.clone(),
            success: env.success,
        }),
        request_id_headers: v.request_id.headers.iter().map(|h| h.value.to_ascii_lowercase()).collect(),
        request_id_field: v.request_id.field.as_ref().map(|f| f.value.clone()),
        credentials: r.credentials.clone(),
        tokens: Vec::new(),
        token_invalid_codes: v.token_invalid.codes.clone(),
        token_invalid_statuses: v.token_invalid.http_status.clone(),
        rate_limit_codes: v.rate_limit.codes.clone(),
        rate_limit_statuses: v.rate_limit.http_status.clone(),
        rate_limit_reset_header: v.rate_limit.reset_header.as_ref().map(|h| h.to_ascii_lowercase()),
        types: vendor_module.types,
        accessors: prefix_accessors,
        services,
    };
    Lowered { vendor, op_index }
}

/// The method that returns an accessor: `acs()`; on the client itself, renamed past the
/// client's own methods (`builder`, `core`, `raw`).
fn accessor_method(segment: &str, on_client: bool) -> String {
    let method = names::escape(&snake_or(segment));
    if on_client { reserved::free(&method, |n| reserved::CLIENT_METHODS.contains(&n)) } else { method }
}

/// The accessor of a service's own path (not mounted), defined in its module.
fn own_accessor(path: &[String], decl: &spec::ServiceDecl) -> Accessor {
    Accessor {
        rust: format!("{}Api", camel_join(path)),
        parent: (path.len() > 1).then(|| format!("{}Api", camel_join(&path[..path.len() - 1]))),
        parent_in_vendor: true,
        method: accessor_method(&path[path.len() - 1], path.len() == 1),
        doc: format!("Operations of `{}`{}.", path.join("/"), decl.title.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()),
        features: Vec::new(),
    }
}

/// A service with events and no operations.
fn events_alone(r: &Resolved<'_>, si: usize) -> bool {
    r.event_service.contains(&Some(si)) && !r.op_service.contains(&Some(si))
}

/// Accessors for service path prefixes (`acs` of `acs/v1`) live in the vendor module; a mounted
/// service's calls hang on the accessor of the prefix it is mounted on.
fn prefix_accessors(cx: &mut Checker<'_>, r: &Resolved<'_>, names: &mut Names) -> Vec<Accessor> {
    let v = cx.vendor;
    let mut out: Vec<Accessor> = Vec::new();
    // A service of events alone has no accessor to hang on a prefix's.
    let with_calls: Vec<&ServiceInfo> = r.services.iter().enumerate().filter(|(si, _)| !events_alone(r, *si)).map(|(_, s)| s).collect();
    for &svc in &with_calls {
        let deepest = if svc.mount < svc.path.len() { svc.mount } else { svc.path.len() - 1 };
        for len in 1..=deepest {
            let prefix = &svc.path[..len];
            let rust = format!("{}Api", camel_join(prefix));
            if out.iter().any(|a| a.rust == rust) {
                continue;
            }
            names.claim(cx.diags, &rust, svc.loc, format!("the accessor for `{}`", prefix.join("/")), &v.name.value);
            // Compiled when one of the services under it is; always when one has no feature.
            let under: Vec<Option<String>> =
                with_calls.iter().filter(|s| s.path.starts_with(prefix)).map(|s| v.services[s.decl].feature.as_ref().map(|f| f.value.clone())).collect();
            let features = if under.iter().all(Option::is_some) { under.into_iter().flatten().collect() } else { Vec::new() };
            out.push(Accessor {
                parent: (len > 1).then(|| format!("{}Api", camel_join(&prefix[..len - 1]))),
                parent_in_vendor: true,
                method: accessor_method(&prefix[len - 1], len == 1),
                doc: format!("Operations under `{}`.", prefix.join("/")),
                rust,
                features,
            });
        }
    }
    out
}

fn lower_type_def(cx: &mut Checker<'_>, module: &mut ModuleCx<'_>, t: &spec::TypeDef) {
    let Some(entry) = module.local.get(&t.name.value).cloned() else { return };
    let module_name = module.name.clone();
    module.names.claim(cx.diags, &entry.rust, t.name.loc, format!("type `{}`", t.name.value), &module_name);
    let kind = match &t.kind {
        spec::TypeDefKind::Struct(fields) => {
            let members = lower_fields(cx, module, &entry.rust, fields, Place::Type);
            TypeKind::Struct(model::StructDef { members: name_setters(members, &[reserved::STRUCT_METHODS, reserved::TRAIT_METHODS], &[]), args: Args::Positional })
        }
        spec::TypeDefKind::Enum(e) => TypeKind::Enum(lower_enum(cx, e, &entry.rust)),
    };
    module.push_type(TypeDef { rust: entry.rust, wire: t.name.value.clone(), description: t.description.clone(), kind, input: false, output: false }, t.name.loc);
}

/// Setter names for the optional members: the field's name, or renamed past `reserved` and the
/// setters named before it; and the `set_` setter beside it.
pub(super) fn name_setters(mut members: Vec<Member>, reserved: &[&[&str]], extra: &[String]) -> Vec<Member> {
    let mut taken: HashSet<String> = reserved.iter().flat_map(|list| list.iter().map(|s| (*s).to_owned())).chain(extra.iter().cloned()).collect();
    for m in members.iter_mut().filter(|m| !m.required) {
        m.setter = reserved::free(&m.rust, |n| taken.contains(n));
        taken.insert(m.setter.trim_start_matches("r#").to_owned());
        m.option_setter = reserved::free(&reserved::option_setter(&m.rust), |n| taken.contains(n));
        taken.insert(m.option_setter.clone());
    }
    members
}

/// Enum variants: values are distinct, and so are their Rust names.
pub(super) fn lower_enum(cx: &mut Checker<'_>, e: &spec::EnumDef, owner: &str) -> model::EnumDef {
    let mut variants: Vec<(model::Variant, Loc)> = Vec::new();
    for v in &e.values {
        if e.base.value != Scalar::String && v.value.value.parse::<i64>().is_err() {
            cx.err(v.value.loc, format!("`{}` is not an integer, but enum `{owner}` is of integers", v.value.value), "write the integer value, or make the enum `enum: string`");
            continue;
        }
        if e.base.value == Scalar::Int32 && v.value.value.parse::<i64>().is_ok_and(|i| i32::try_from(i).is_err()) {
            cx.err(v.value.loc, format!("{} does not fit enum `{owner}`, which is `int32`", v.value.value), "make the enum `enum: int64`, or fix the value");
            continue;
        }
        let rust = match &v.name {
            Some(n) if names::is_ident(&n.value) => n.value.clone(),
            Some(n) => {
                cx.err(n.loc, format!("`{}` is not a Rust identifier", n.value), "write an UpperCamelCase ASCII name");
                continue;
            }
            None => match names::variant(&v.value.value) {
                Some(n) => n,
                None => {
                    cx.err(
                        v.value.loc,
                        format!("enum value `{}` has no ASCII letters to make a variant name from", v.value.value),
                        "write the value as `VALUE: {name: Variant, description: …}`",
                    );
                    continue;
                }
            },
        };
        // `Unknown` keeps values the spec does not list.
        let rust = reserved::free(&names::escape(&rust), |n| n == reserved::UNKNOWN);
        if let Some((_, first)) = variants.iter().find(|(x, _)| x.wire == v.value.value) {
            let first = *first;
            cx.push(Diagnostic::at(v.value.loc, format!("enum `{owner}` lists value `{}` twice", v.value.value)).help("remove the second one").also_at(first, "listed first here"));
            continue;
        }
        if let Some((first, first_loc)) = variants.iter().find(|(x, _)| x.rust == rust) {
            let (first, first_loc) = (first.wire.clone(), *first_loc);
            cx.push(
                Diagnostic::at(v.value.loc, format!("enum `{owner}`: values `{first}` and `{}` both become variant `{rust}`", v.value.value))
                    .help("give one of them a distinct `name:`")
                    .also_at(first_loc, format!("value `{first}`")),
            );
            continue;
        }
        variants.push((model::Variant { rust, wire: v.value.value.clone(), description: v.description.clone() }, v.value.loc));
    }
    model::EnumDef { base: e.base.value, variants: variants.into_iter().map(|(v, _)| v).collect() }
}

/// Fields of one owner: their Rust names must be distinct.
pub(super) fn lower_fields(cx: &mut Checker<'_>, module: &mut ModuleCx<'_>, owner: &str, fields: &[Field], place: Place) -> Vec<Member> {
    let mut out: Vec<Member> = Vec::new();
    let mut seen: HashMap<String, (String, Loc)> = HashMap::new();
    for f in fields {
        let Some(m) = lower_member(cx, module, owner, f, place) else { continue };
        if let Some((first, first_loc)) = seen.get(&m.rust) {
            let (first, first_loc) = (first.clone(), *first_loc);
            cx.push(
                Diagnostic::at(f.name.loc, format!("fields `{first}` and `{}` of `{owner}` both become `{}` in Rust", f.name.value, m.rust))
                    .help("give one of them a distinct `rust_name:`")
                    .also_at(first_loc, format!("field `{first}`")),
            );
            continue;
        }
        seen.insert(m.rust.clone(), (f.name.value.clone(), f.name.loc));
        out.push(m);
    }
    out
}

fn lower_member(cx: &mut Checker<'_>, module: &mut ModuleCx<'_>, owner: &str, f: &Field, place: Place) -> Option<Member> {
    let rust = match &f.rust_name {
        Some(r) if names::is_ident(&r.value) => names::escape(&r.value),
        Some(r) => {
            cx.err(r.loc, format!("`{}` is not a Rust identifier", r.value), "write a snake_case ASCII name");
            return None;
        }
        None => match names::snake(&f.name.value) {
            Some(s) => names::escape(&s),
            None => {
                cx.err(f.name.loc, format!("field name `{}` has no ASCII letters to make a Rust name from", f.name.value), "add `rust_name:` with a snake_case name");
                return None;
            }
        },
    };
    let inline_name = || match &f.type_name {
        Some(n) => n.value.clone(),
        None => format!("{owner}{}", names::upper_camel(&f.name.value).unwrap_or_else(|| "Field".to_owned())),
    };
    let (mut ty, allowed) = lower_type(cx, module, f, &f.ty, &inline_name)?;
    if f.secret {
        if ty == Ty::String {
            ty = Ty::Secret;
        } else {
            cx.err(f.ty.loc, format!("`secret` on field `{}`, which is not a string", f.name.value), "only string fields (credentials, tokens) can be secret");
        }
    }
    if let (Some(d), false) = (&f.default, allowed.is_empty()) {
        let text = json_scalar_text(&d.value);
        if !allowed.contains(&text) {
            cx.err(d.loc, format!("default `{text}` is not one of the allowed values of `{}`", f.name.value), format!("use one of: {}", allowed.join(", ")));
        }
    }
    match (&ty, place) {
        (Ty::File, Place::Multipart) => {}
        (Ty::File, _) => cx.err(f.ty.loc, "`file` is only allowed in a multipart body", "use `body: {kind: multipart, …}`, or another type"),
        (Ty::Vec(_) | Ty::Map(_) | Ty::Json, Place::Path | Place::Header) | (Ty::Map(_) | Ty::Json, Place::Query) => {
            cx.err(
                f.ty.loc,
                format!("parameter `{}` cannot be of this type", f.name.value),
                "path and header parameters are scalars or enums; query parameters may also be arrays of them",
            );
        }
        (Ty::Vec(item), Place::Query) if matches!(**item, Ty::File | Ty::Json | Ty::Vec(_) | Ty::Map(_)) || item.named_struct().is_some() => {
            cx.err(
                f.ty.loc,
                format!("query parameter `{}` is an array of values a query string cannot hold", f.name.value),
                "a query array holds strings, numbers, booleans or enums",
            );
        }
        (Ty::Named(n), Place::Path | Place::Header | Place::Query) if !n.is_enum() => {
            cx.err(f.ty.loc, format!("parameter `{}` cannot be a struct", f.name.value), "a parameter is a scalar or an enum");
        }
        _ => {}
    }
    if f.style.is_some() && !matches!(ty, Ty::Vec(_)) {
        cx.err(f.style.as_ref().map_or(f.ty.loc, |s| s.loc), "`style` applies only to array query parameters", "remove `style`, or make the parameter `array<…>`");
    }
    Some(Member {
        wire: f.name.value.clone(),
        setter: rust.clone(),
        option_setter: reserved::option_setter(&rust),
        rust,
        ty,
        required: f.required,
        description: f.description.clone(),
        example: f.example.as_ref().map(|e| e.value.clone()),
        default: f.default.as_ref().map(|d| d.value.clone()),
        allowed,
        limits: f.limits.clone(),
        style: f.style.as_ref().map_or(spec::ArrayStyle::Repeat, |s| s.value),
    })
}

/// Resolves a type expression; inline objects and inline enums become named types of the module.
/// Also returns the values an enum allows.
pub(super) fn lower_type(cx: &mut Checker<'_>, module: &mut ModuleCx<'_>, f: &Field, ty: &Sp<TypeExpr>, inline_name: &dyn Fn() -> String) -> Option<(Ty, Vec<String>)> {
    let scalar = |t: Ty| Some((t, Vec::new()));
    let module_name = module.name.clone();
    match &ty.value {
        TypeExpr::String | TypeExpr::Int32 | TypeExpr::Int64 if f.values.is_some() => {
            let base = match ty.value {
                TypeExpr::String => Scalar::String,
                TypeExpr::Int32 => Scalar::Int32,
                _ => Scalar::Int64,
            };
            let def = spec::EnumDef { base: Sp { value: base, loc: ty.loc }, values: f.values.clone().unwrap_or_default() };
            let rust = inline_name();
            if !names::is_ident(&rust) {
                cx.err(f.name.loc, format!("inline enum name `{rust}` is not a Rust identifier"), "add `type_name:` with an UpperCamelCase name");
                return None;
            }
            // A derived name yields to one already taken; a `type_name` is the author's and must not.
            let rust = if f.type_name.is_none() { module.names.free(&rust) } else { rust };
            let lowered = lower_enum(cx, &def, &rust);
            let allowed = lowered.variants.iter().map(|v| v.wire.clone()).collect();
            module.names.claim(cx.diags, &rust, f.name.loc, format!("the inline enum of field `{}`", f.name.value), &module_name);
            let def = TypeDef { rust: rust.clone(), wire: f.name.value.clone(), description: f.description.clone(), kind: TypeKind::Enum(lowered), input: false, output: false };
            module.push_type(def, f.name.loc);
            Some((Ty::Named(Named { rust, module: module.module, enum_base: Some(base), boxed: false }), allowed))
        }
        TypeExpr::Float | TypeExpr::Bool | TypeExpr::Json | TypeExpr::File | TypeExpr::Object if f.values.is_some() => {
            cx.err(
                ty.loc,
                format!("`values` on field `{}`, whose type cannot be an enum", f.name.value),
                "allowed values go on a string, int32 or int64 field (or an array of them)",
            );
            None
        }
        TypeExpr::String => scalar(Ty::String),
        TypeExpr::Int32 => scalar(Ty::I32),
        TypeExpr::Int64 => scalar(Ty::I64),
        TypeExpr::Float => scalar(Ty::F64),
        TypeExpr::Bool => scalar(Ty::Bool),
        TypeExpr::Json => scalar(Ty::Json),
        TypeExpr::File => scalar(Ty::File),
        TypeExpr::Object => {
            let Some(fields) = &f.fields else {
                cx.err(ty.loc, format!("`{}` is an object but lists no `fields`", f.name.value), "add `fields:`, use `json` for free-form JSON, or `map<T>` for a map");
                return None;
            };
            let rust = inline_name();
            if !names::is_ident(&rust) {
                cx.err(f.name.loc, format!("inline type name `{rust}` is not a Rust identifier"), "add `type_name:` with an UpperCamelCase name");
                return None;
            }
            let rust = if f.type_name.is_none() { module.names.free(&rust) } else { rust };
            module.names.claim(cx.diags, &rust, f.name.loc, format!("the inline object of field `{}`", f.name.value), &module_name);
            let members = lower_fields(cx, module, &rust, fields, Place::Type);
            let members = name_setters(members, &[reserved::STRUCT_METHODS, reserved::TRAIT_METHODS], &[]);
            let def = TypeDef {
                rust: rust.clone(),
                wire: f.name.value.clone(),
                description: f.description.clone(),
                kind: TypeKind::Struct(model::StructDef { members, args: Args::Positional }),
                input: false,
                output: false,
            };
            module.push_type(def, f.name.loc);
            Some((Ty::Named(Named { rust, module: module.module, enum_base: None, boxed: false }), Vec::new()))
        }
        TypeExpr::Array(item) | TypeExpr::Map(item) => {
            let inner = Sp { value: (**item).clone(), loc: ty.loc };
            let (t, allowed) = lower_type(cx, module, f, &inner, inline_name)?;
            let t = Box::new(t);
            Some((if matches!(ty.value, TypeExpr::Array(_)) { Ty::Vec(t) } else { Ty::Map(t) }, allowed))
        }
        TypeExpr::Named(name) => {
            if f.values.is_some() {
                cx.err(ty.loc, format!("`values` on a field of type `{name}`"), "allowed values go on a string or integer field, or on the enum type itself");
            }
            if f.fields.is_some() {
                cx.err(ty.loc, format!("`fields` on a field of type `{name}`"), "inline fields need `type: object` (or `array<object>`); a named type has its own fields");
            }
            match module.resolve(name) {
                Some((entry, at)) => Some((Ty::Named(Named { rust: entry.rust, module: at, enum_base: entry.enum_base, boxed: false }), entry.values)),
                // Declared in a file or entry that could not be read: that error is reported.
                None if module.broken.contains(name) || module.unreadable_types => None,
                None => {
                    let known = module.known();
                    let help = match (nearest(name, &known), module.in_event) {
                        (Some(n), false) => format!("did you mean `{n}`? Types are defined in `types.yaml` of the vendor or of the service"),
                        (Some(n), true) => format!("did you mean `{n}`? An event's types are defined under `types:` in its own file"),
                        (None, false) => "define it under `types:` in the service's or the vendor's `types.yaml`, or use a built-in type (string, int32, int64, float, bool, json, array<T>, map<T>)".to_owned(),
                        (None, true) => "define it under `types:` in this event file (an event sees its own types only), or use a built-in type (string, int32, int64, float, bool, json, array<T>, map<T>)".to_owned(),
                    };
                    cx.err(ty.loc, format!("unknown type `{name}`"), help);
                    None
                }
            }
        }
    }
}

/// Which types requests send and answers carry, followed through struct fields, arrays and maps,
/// across the vendor module and the service modules.
fn mark_usage(vendor: &mut ModuleCx<'_>, services: &mut [ModuleCx<'_>], lowered: &[model::Service]) {
    // (service index, or `None` for the vendor module; Rust name), and whether it is an input.
    let mut queue: Vec<(Option<usize>, String, bool)> = Vec::new();
    let roots = |si: usize, ty: &Ty, input: bool, queue: &mut Vec<(Option<usize>, String, bool)>| named_in(ty, &mut |n| queue.push((at(si, n), n.rust.clone(), input)));
    for (si, svc) in lowered.iter().enumerate() {
        for op in &svc.operations {
            for m in op.inputs() {
                roots(si, &m.ty, true, &mut queue);
            }
            if let model::Response::Json { data: Some(t), .. } = &op.response {
                roots(si, t, false, &mut queue);
            }
        }
    }
    let mut seen: HashSet<(Option<usize>, String, bool)> = HashSet::new();
    while let Some(item) = queue.pop() {
        if !seen.insert(item.clone()) {
            continue;
        }
        let (module, rust, input) = item;
        let types = match module {
            None => &mut vendor.types,
            Some(si) => &mut services[si].types,
        };
        let Some(def) = types.iter_mut().find(|t| t.rust == rust) else { continue };
        if input {
            def.input = true;
        } else {
            def.output = true;
        }
        if let TypeKind::Struct(s) = &def.kind {
            for m in &s.members {
                named_in(&m.ty, &mut |n| queue.push((module.and_then(|si| at(si, n)), n.rust.clone(), input)));
            }
        }
    }
}

/// A named type seen from service `si`: in that service's module, or in the vendor's.
fn at(si: usize, n: &Named) -> Option<usize> {
    (n.module == Module::Service).then_some(si)
}

/// Calls `f` with every named type inside `ty`.
fn named_in(ty: &Ty, f: &mut dyn FnMut(&Named)) {
    match ty {
        Ty::Named(n) => f(n),
        Ty::Vec(t) | Ty::Map(t) => named_in(t, f),
        _ => {}
    }
}

/// How each input struct's `new` takes its required fields; a struct of them where two could be
/// swapped unnoticed.
fn struct_args(cx: &mut Checker<'_>, module: &mut ModuleCx<'_>) {
    let module_name = module.name.clone();
    for (def, loc) in module.types.iter_mut().zip(&module.type_locs) {
        let TypeKind::Struct(s) = &mut def.kind else { continue };
        if !def.input {
            continue;
        }
        let required: Vec<&Ty> = s.members.iter().filter(|m| m.required).map(|m| &m.ty).collect();
        if !swappable(&[], &required) {
            continue;
        }
        let name = format!("{}Required", def.rust);
        module.names.claim(cx.diags, &name, *loc, format!("the required fields of `{}`", def.rust), &module_name);
        s.args = Args::Named(name);
    }
}

/// Whether one of `args` has the same type, as a caller passes it, as another of `args` or one of
/// `fixed` (strings and secrets are both `impl Into<String>`): swapped, such arguments still
/// compile. Two of `fixed` (path parameters, positional as the URL has them) may share a type.
pub(super) fn swappable(fixed: &[&Ty], args: &[&Ty]) -> bool {
    let fixed: Vec<String> = fixed.iter().map(|t| class(t)).collect();
    let args: Vec<String> = args.iter().map(|t| class(t)).collect();
    args.iter().enumerate().any(|(i, c)| fixed.contains(c) || args[..i].contains(c))
}

fn class(ty: &Ty) -> String {
    match ty {
        Ty::String | Ty::Secret => "string".to_owned(),
        Ty::I32 => "i32".to_owned(),
        Ty::I64 => "i64".to_owned(),
        Ty::F64 => "f64".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Json => "json".to_owned(),
        Ty::File => "file".to_owned(),
        Ty::Vec(t) => format!("vec<{}>", class(t)),
        Ty::Map(t) => format!("map<{}>", class(t)),
        Ty::Named(n) => format!("{:?}::{}", n.module, n.rust),
    }
}

/// Boxes every struct field that closes a cycle of direct (not `Vec` or map) struct fields, so
/// recursive types like `A { b: Option<B> }`, `B { a: Option<A> }` have a finite size. Cycles
/// stay within a module: vendor types cannot name service types.
pub(super) fn box_cycles(types: &mut [TypeDef], module: Module) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.rust.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(s) => s.members.iter().filter_map(|m| m.ty.named_struct().filter(|n| n.module == module).and_then(|n| index.get(&n.rust).copied())).collect(),
            TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    let reaches = |from: usize, to: usize| {
        let mut seen = vec![false; edges.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if !std::mem::replace(&mut seen[n], true) {
                stack.extend(&edges[n]);
            }
        }
        false
    };
    for (i, t) in types.iter_mut().enumerate() {
        let TypeKind::Struct(s) = &mut t.kind else { continue };
        for m in &mut s.members {
            if let Ty::Named(n) = &mut m.ty
                && !n.is_enum()
                && n.module == module
                && index.get(&n.rust).is_some_and(|&t| reaches(t, i))
            {
                n.boxed = true;
            }
        }
    }
}

fn json_scalar_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
