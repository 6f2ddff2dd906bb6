//! Checks a spec set and builds the checked model. Each `check_*`/`lower_*` step says what it
//! forbids; every problem is recorded with its location and checking goes on, so the user sees
//! all of them at once.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{self, Accessor, Api, Member, PathPart, Scope, Ty, TypeDef, TypeKind};
use crate::names;
use crate::read::nearest;
use crate::spec::{self, Field, Sp, SpecSet, TypeExpr};

pub(crate) fn check(set: &SpecSet, diags: &mut Vec<Diagnostic>) -> Api {
    let mut api = Api::default();
    let mut modules: HashMap<String, Loc> = HashMap::new();
    for vs in &set.vendors {
        let Some(vendor) = vs.vendor.as_ref() else {
            if vs.vendor_file_present {
                // It exists but could not be read; its own errors say why.
                continue;
            }
            diags.push(
                Diagnostic::in_file(format!("{}/vendor.yaml", vs.display_dir), format!("vendor `{}` has no vendor file", vs.dir))
                    .help("create `vendor.yaml` in the vendor's directory: hosts, envelope, request id, credentials and tokens (see docs/spec-format.md)"),
            );
            continue;
        };
        if let Some(first) = modules.insert(vendor.name.value.clone(), vendor.name.loc) {
            let _ = first;
            diags.push(Diagnostic::at(vendor.name.loc, format!("two vendors are named `{}`", vendor.name.value)).help("give each vendor a distinct `vendor:` name"));
        }
        let broken_types = vs.types.iter().flat_map(|t| t.broken.iter().cloned()).collect();
        let mut cx = VendorCx { diags: &mut *diags, specs: vs, vendor, broken_types };
        if let Some(v) = cx.lower_vendor() {
            api.vendors.push(v);
        }
    }
    api
}

struct VendorCx<'a> {
    diags: &'a mut Vec<Diagnostic>,
    specs: &'a spec::VendorSpecs,
    vendor: &'a spec::VendorFile,
    /// Types declared but not usable (already reported): references to them stay quiet.
    broken_types: std::collections::HashSet<String>,
}

/// What a named type is, for resolving references to it.
#[derive(Clone)]
struct TypeEntry {
    rust: String,
    is_enum: bool,
    values: Option<Vec<String>>,
}

/// The Rust names taken in one module, to report collisions (including those that appear only
/// after case conversion: `user` and `User`).
#[derive(Default)]
struct Names {
    taken: HashMap<String, String>,
}

impl Names {
    fn claim(&mut self, diags: &mut Vec<Diagnostic>, rust: &str, loc: Loc, what: String, module: &str) {
        if let Some(first) = self.taken.get(rust) {
            diags.push(
                Diagnostic::at(loc, format!("{what} is named `{rust}` in module `{module}`, which is already {first}"))
                    .help("rename one of them (`rust_name:` on a type, `type_name:` on an inline type, `name:` on an operation)"),
            );
        } else {
            self.taken.insert(rust.to_owned(), what);
        }
    }
}

/// The types visible from one module, and where new inline types go.
struct Module<'t> {
    name: String,
    scope: Scope,
    local: &'t HashMap<String, TypeEntry>,
    vendor: &'t HashMap<String, TypeEntry>,
    types: Vec<TypeDef>,
    names: Names,
}

impl Module<'_> {
    fn resolve(&self, name: &str) -> Option<(TypeEntry, Scope)> {
        if let Some(e) = self.local.get(name) {
            return Some((e.clone(), self.scope));
        }
        self.vendor.get(name).map(|e| (e.clone(), Scope::Vendor))
    }

    fn known(&self) -> Vec<&str> {
        self.local.keys().chain(self.vendor.keys()).map(String::as_str).collect()
    }
}

/// Where a member is written, which decides the types it may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Type,
    Path,
    Query,
    Header,
    Json,
    Multipart,
}

impl VendorCx<'_> {
    fn err(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::at(loc, message).help(help));
    }

    fn lower_vendor(&mut self) -> Option<model::Vendor> {
        let v = self.vendor;
        if !names::is_ident(&v.name.value) || names::snake(&v.name.value).as_deref() != Some(v.name.value.as_str()) {
            self.err(
                v.name.loc,
                format!("vendor name `{}` is not a snake_case Rust identifier", v.name.value),
                "write a lower-case name such as `feishu`; it becomes the module name",
            );
        }
        let services = self.check_services();
        let (hosts, default_host) = self.check_hosts();

        // Register every named type first, so references may come before definitions.
        let mut vendor_types: HashMap<String, TypeEntry> = HashMap::new();
        let mut service_types: Vec<HashMap<String, TypeEntry>> = vec![HashMap::new(); services.len()];
        let mut files_by_scope: Vec<(Option<usize>, &spec::TypesFile)> = Vec::new();
        for tf in &self.specs.types {
            let target = if tf.scope.is_empty() {
                None
            } else if let Some(idx) = services.iter().position(|s| s.0.join("/") == tf.scope) {
                Some(idx)
            } else {
                let loc = tf.types.first().map_or(v.loc, |t| t.name.loc);
                let known: Vec<String> = services.iter().map(|s| s.0.join("/")).collect();
                self.err(
                    loc,
                    format!("types file in `{}` is not in a declared service directory", tf.scope),
                    format!(
                        "a `types.yaml` goes in the vendor directory (`{}/types.yaml`) or directly in a service directory (declared: {})",
                        self.specs.display_dir,
                        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                    ),
                );
                continue;
            };
            files_by_scope.push((target, tf));
            for t in &tf.types {
                let Some(rust) = self.type_rust_name(t) else {
                    self.broken_types.insert(t.name.value.clone());
                    continue;
                };
                let (is_enum, values) = match &t.kind {
                    spec::TypeDefKind::Enum(e) => (true, Some(e.values.iter().map(|v| v.value.value.clone()).collect())),
                    spec::TypeDefKind::Struct(_) => (false, None),
                };
                let table = match target {
                    None => &mut vendor_types,
                    Some(i) => &mut service_types[i],
                };
                if table.contains_key(&t.name.value) {
                    self.err(t.name.loc, format!("type `{}` is defined twice", t.name.value), "remove or rename one of the definitions");
                    continue;
                }
                table.insert(t.name.value.clone(), TypeEntry { rust, is_enum, values });
            }
        }

        // The vendor module.
        let mut vendor_module =
            Module { name: v.name.value.clone(), scope: Scope::Vendor, local: &vendor_types, vendor: &vendor_types, types: Vec::new(), names: Names::default() };
        for reserved in ["Client", "ClientBuilder", "Error", "Vendor"] {
            vendor_module.names.taken.insert(reserved.to_owned(), format!("the generated `{reserved}`"));
        }
        reserve_std_names(&mut vendor_module.names);
        for (target, tf) in &files_by_scope {
            if target.is_none() {
                for t in &tf.types {
                    self.lower_type_def(&mut vendor_module, t);
                }
            }
        }

        // Accessors for service path prefixes live in the vendor module.
        let mut prefix_accessors: Vec<Accessor> = Vec::new();
        for (path, loc) in &services {
            for len in 1..path.len() {
                let prefix = &path[..len];
                let rust = format!("{}Api", camel_join(prefix));
                if prefix_accessors.iter().any(|a| a.rust == rust) {
                    continue;
                }
                vendor_module.names.claim(self.diags, &rust, *loc, format!("the accessor for `{}`", prefix.join("/")), &v.name.value);
                // Compiled when one of the services under it is; always when one has no feature.
                let under: Vec<Option<String>> =
                    services.iter().enumerate().filter(|(_, (p, _))| p.starts_with(prefix)).map(|(i, _)| v.services[i].feature.as_ref().map(|f| f.value.clone())).collect();
                let features = if under.iter().all(Option::is_some) { under.into_iter().flatten().collect() } else { Vec::new() };
                prefix_accessors.push(Accessor {
                    parent: (len > 1).then(|| format!("{}Api", camel_join(&prefix[..len - 1]))),
                    parent_in_vendor: true,
                    method: names::escape(&snake_or(&prefix[len - 1])),
                    doc: format!("Operations under `{}`.", prefix.join("/")),
                    rust,
                    features,
                });
            }
        }
        let mut vendor_types_model = std::mem::take(&mut vendor_module.types);
        box_cycles(&mut vendor_types_model);

        // Services and their operations.
        let mut out_services = Vec::new();
        let mut all_ops: Vec<(&spec::OperationFile, usize)> = Vec::new();
        for op in &self.specs.operations {
            let segs: Vec<&str> = op.rel_path.split('/').collect();
            let best = services.iter().enumerate().filter(|(_, (p, _))| p.len() < segs.len() && p.iter().zip(&segs).all(|(a, b)| a == b)).max_by_key(|(_, (p, _))| p.len());
            match best {
                Some((idx, _)) => all_ops.push((op, idx)),
                None => {
                    let known: Vec<String> = services.iter().map(|s| s.0.join("/")).collect();
                    self.err(
                        op.loc,
                        format!("operation `{}` is not under a declared service", op.rel_path),
                        format!("move the file under a service directory, or add its service to `services:` in vendor.yaml (declared: {})", known.join(", ")),
                    );
                }
            }
        }
        for (idx, (path, _)) in services.iter().enumerate() {
            let decl = &v.services[idx];
            let module_name = path.iter().map(|s| snake_or(s)).collect::<Vec<_>>().join("_");
            let mut module =
                Module { name: module_name.clone(), scope: Scope::Service, local: &service_types[idx], vendor: &vendor_types, types: Vec::new(), names: Names::default() };
            reserve_std_names(&mut module.names);
            for (target, tf) in &files_by_scope {
                if *target == Some(idx) {
                    for t in &tf.types {
                        self.lower_type_def(&mut module, t);
                    }
                }
            }
            let root = Accessor {
                rust: format!("{}Api", camel_join(path)),
                parent: (path.len() > 1).then(|| format!("{}Api", camel_join(&path[..path.len() - 1]))),
                parent_in_vendor: true,
                method: names::escape(&snake_or(path.last().map_or("", String::as_str))),
                doc: format!("Operations of `{}`{}.", path.join("/"), decl.title.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()),
                features: Vec::new(),
            };
            module.names.claim(self.diags, &root.rust, decl.path.loc, format!("the accessor for `{}`", path.join("/")), &module_name);
            let mut accessors = vec![root];
            let mut methods: HashMap<(String, String), Loc> = HashMap::new();
            let mut operations = Vec::new();
            for (op, _) in all_ops.iter().filter(|(_, s)| *s == idx) {
                if let Some(o) = self.lower_operation(&mut module, &mut accessors, &mut methods, path, op) {
                    operations.push(o);
                }
            }
            box_cycles(&mut module.types);
            if let Some(f) = &decl.feature {
                let ok = !f.value.is_empty() && f.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
                if !ok {
                    self.err(f.loc, format!("`{}` is not a cargo feature name", f.value), "write lower-case words joined by `-`, e.g. `feishu-acs`");
                }
            }
            out_services.push(model::Service {
                path: path.clone(),
                module: module_name,
                feature: decl.feature.as_ref().map(|f| f.value.clone()),
                spec_dir: format!("{}/{}", self.specs.display_dir, path.join("/")),
                title: decl.title.clone(),
                docs: decl.docs.clone(),
                types: module.types,
                accessors,
                operations,
            });
        }

        for (op, _) in &all_ops {
            let spec_file = format!("{}/{}.yaml", self.specs.display_dir, op.rel_path);
            if let Some((svc, model_op)) = out_services.iter().find_map(|s| s.operations.iter().find(|m| m.spec_file == spec_file).map(|m| (s, m))) {
                self.check_examples(op, model_op, &svc.types, &vendor_types_model);
            }
            if let Some(p) = &op.pagination {
                let found = out_services.iter_mut().enumerate().find_map(|(i, s)| s.operations.iter().position(|m| m.spec_file == spec_file).map(|k| (i, k)));
                if let Some((i, k)) = found {
                    let pagination = self.check_pagination(p, &out_services[i].operations[k], &out_services[i].types, &vendor_types_model);
                    out_services[i].operations[k].pagination = pagination;
                }
            }
        }
        let credentials = self.check_credentials();
        let tokens = self.check_tokens(&out_services);
        Some(model::Vendor {
            module: v.name.value.clone(),
            spec_dir: self.specs.display_dir.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            docs: v.docs.clone(),
            default_host,
            hosts,
            envelope: v.envelope.as_ref().map(|env| model::Envelope {
                code: env.code.value.clone(),
                sub_code: env.sub_code.as_ref().map(|s| s.value.clone()),
                message: env.message.value.clone(),
                data: env.data.value.clone(),
                success: env.success,
            }),
            request_id_headers: v.request_id.headers.iter().map(|h| h.value.to_ascii_lowercase()).collect(),
            request_id_field: v.request_id.field.as_ref().map(|f| f.value.clone()),
            credentials,
            tokens,
            token_invalid_codes: v.token_invalid.codes.clone(),
            token_invalid_statuses: v.token_invalid.http_status.clone(),
            rate_limit_codes: v.rate_limit.codes.clone(),
            rate_limit_statuses: v.rate_limit.http_status.clone(),
            rate_limit_reset_header: v.rate_limit.reset_header.as_ref().map(|h| h.to_ascii_lowercase()),
            types: vendor_types_model,
            accessors: prefix_accessors,
            services: out_services,
        })
    }

    /// Service paths are `/`-separated identifiers, distinct, and none is a prefix of another.
    fn check_services(&mut self) -> Vec<(Vec<String>, Loc)> {
        let mut out: Vec<(Vec<String>, Loc)> = Vec::new();
        for s in &self.vendor.services {
            let segs: Vec<String> = s.path.value.split('/').map(str::to_owned).collect();
            if segs.iter().any(|seg| names::snake(seg).is_none()) {
                self.err(s.path.loc, format!("service path `{}` has a segment that is not a name", s.path.value), "write directory names such as `acs/v1` or `management`");
            }
            if let Some((other, _)) = out.iter().find(|(o, _)| o.starts_with(&segs) || segs.starts_with(o)) {
                let other = other.join("/");
                self.err(
                    s.path.loc,
                    format!("service `{}` overlaps service `{other}`, declared before it", s.path.value),
                    format!("services must not contain one another: remove one of `{other}` and `{}` (this one is ignored until then)", s.path.value),
                );
                continue;
            }
            out.push((segs, s.path.loc));
        }
        if out.is_empty() {
            self.err(self.vendor.loc, "the vendor file declares no services", "add `services:` with each service directory, e.g. `acs/v1: {title: …}`");
        }
        out
    }

    fn check_hosts(&mut self) -> (Vec<(String, String)>, String) {
        let mut hosts = Vec::new();
        let mut default = None;
        for h in &self.vendor.hosts {
            let url = h.url.value.trim_end_matches('/').to_owned();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                self.err(h.url.loc, format!("host `{}` is not an http(s) URL", h.url.value), "write the base URL, e.g. `https://open.feishu.cn`");
            }
            if h.default {
                if default.is_some() {
                    self.err(h.name.loc, "more than one host is marked `default: true`", "mark exactly one host as the default");
                }
                default = Some(url.clone());
            }
            hosts.push((h.name.value.clone(), url));
        }
        let default = default.or_else(|| hosts.first().map(|h| h.1.clone())).unwrap_or_default();
        (hosts, default)
    }

    fn check_credentials(&mut self) -> Vec<model::Credential> {
        let mut out: Vec<model::Credential> = Vec::new();
        for c in &self.vendor.credentials {
            let Some(method) = names::snake(&c.name.value) else {
                self.err(c.name.loc, format!("credential `{}` has no usable Rust name", c.name.value), "use an ASCII name such as `app_secret`");
                continue;
            };
            if let Some(first) = out.iter().find(|o| o.method == method) {
                let message = if first.name == c.name.value {
                    format!("credential `{}` is declared twice", c.name.value)
                } else {
                    format!("credentials `{}` and `{}` both become the builder method `{method}`", first.name, c.name.value)
                };
                self.err(c.name.loc, message, "remove or rename one of them");
                continue;
            }
            out.push(model::Credential { name: c.name.value.clone(), method: names::escape(&method), secret: c.secret, description: c.description.clone() });
        }
        out
    }

    /// Token kinds: each exchange names an operation of this vendor and credentials it declares.
    fn check_tokens(&mut self, services: &[model::Service]) -> Vec<model::Token> {
        let creds: Vec<&str> = self.vendor.credentials.iter().map(|c| c.name.value.as_str()).collect();
        let mut out = Vec::new();
        for t in &self.vendor.tokens {
            let exchange = match &t.source {
                spec::TokenSource::PerRequest => None,
                spec::TokenSource::Exchange(e) => {
                    let target = self.specs.operations.iter().find(|o| o.rel_path == e.operation.value);
                    let op_model = target.and_then(|o| {
                        let spec_file = format!("{}/{}.yaml", self.specs.display_dir, o.rel_path);
                        services.iter().flat_map(|s| &s.operations).find(|m| m.spec_file == spec_file)
                    });
                    let Some(op) = op_model else {
                        let known: Vec<&str> = self.specs.operations.iter().map(|o| o.rel_path.as_str()).collect();
                        let near = nearest(&e.operation.value, &known).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
                        self.err(
                            e.operation.loc,
                            format!("token exchange names operation `{}`, which does not exist", e.operation.value),
                            format!("{near}name the operation's file path under the vendor directory, without `.yaml`"),
                        );
                        continue;
                    };
                    if op.tokens.contains(&t.name.value) {
                        self.err(
                            e.operation.loc,
                            format!("token `{}` is fetched by `{}`, which itself needs the `{}` token", t.name.value, e.operation.value, t.name.value),
                            "the exchange operation must take no token (`tokens: []`) or another kind",
                        );
                    }
                    let body_fields: Vec<&str> = op.body.iter().flat_map(|(_, f)| f.iter().map(|m| m.wire.as_str())).collect();
                    for (field, _) in &e.request {
                        if !body_fields.contains(&field.value.as_str()) {
                            self.err(
                                field.loc,
                                format!("the exchange sends `{}`, which is not a body field of `{}`", field.value, e.operation.value),
                                format!("use the operation's body fields: {}", body_fields.join(", ")),
                            );
                        }
                    }
                    for (_, cred) in &e.request {
                        if !creds.contains(&cred.value.as_str()) {
                            self.err(
                                cred.loc,
                                format!("token exchange uses credential `{}`, which is not declared", cred.value),
                                format!("declare it under `credentials:` (declared: {})", creds.join(", ")),
                            );
                        }
                    }
                    let headers = e
                        .headers
                        .iter()
                        .map(|h| {
                            if let Some(c) = &h.credential
                                && !creds.contains(&c.value.as_str())
                            {
                                self.err(
                                    c.loc,
                                    format!("header `{}` falls back to credential `{}`, which is not declared", h.name.value, c.value),
                                    "declare it under `credentials:`",
                                );
                            }
                            model::BoundHeader {
                                name: h.name.value.to_ascii_lowercase(),
                                jwt_claim: h.jwt_claim.clone(),
                                credential: h.credential.as_ref().map(|c| c.value.clone()),
                            }
                        })
                        .collect();
                    Some(model::Exchange {
                        method: op.method,
                        path: op.path.clone(),
                        body: e.request.iter().map(|(f, c)| (f.value.clone(), c.value.clone())).collect(),
                        token: e.token.value.split('.').map(str::to_owned).collect(),
                        expires_in: e.expires_in.value.split('.').map(str::to_owned).collect(),
                        headers,
                    })
                }
            };
            out.push(model::Token {
                name: t.name.value.clone(),
                description: t.description.clone(),
                header: t.header.value.to_ascii_lowercase(),
                prefix: t.prefix.clone(),
                exchange,
            });
        }
        out
    }

    fn type_rust_name(&mut self, t: &spec::TypeDef) -> Option<String> {
        match &t.rust_name {
            Some(r) if names::is_ident(&r.value) => Some(r.value.clone()),
            Some(r) => {
                self.err(r.loc, format!("`{}` is not a Rust identifier", r.value), "write an UpperCamelCase ASCII name");
                None
            }
            None => match names::upper_camel(&t.name.value) {
                Some(n) => Some(names::escape(&n)),
                None => {
                    self.err(t.name.loc, format!("type name `{}` has no ASCII letters to make a Rust name from", t.name.value), "add `rust_name:` with an UpperCamelCase name");
                    None
                }
            },
        }
    }

    fn lower_type_def(&mut self, module: &mut Module<'_>, t: &spec::TypeDef) {
        let Some(entry) = module.local.get(&t.name.value).cloned() else { return };
        module.names.claim(self.diags, &entry.rust, t.name.loc, format!("type `{}`", t.name.value), &module.name.clone());
        let kind = match &t.kind {
            spec::TypeDefKind::Struct(fields) => TypeKind::Struct(self.lower_fields(module, &entry.rust, fields, Place::Type)),
            spec::TypeDefKind::Enum(e) => TypeKind::Enum(self.lower_enum(e, &entry.rust)),
        };
        module.types.push(TypeDef { rust: entry.rust, wire: t.name.value.clone(), description: t.description.clone(), kind });
    }

    /// Enum variants: values are distinct, and so are their Rust names.
    fn lower_enum(&mut self, e: &spec::EnumDef, owner: &str) -> model::EnumDef {
        let mut variants: Vec<model::Variant> = Vec::new();
        for v in &e.values {
            if e.base.value != spec::Scalar::String && v.value.value.parse::<i64>().is_err() {
                self.err(
                    v.value.loc,
                    format!("`{}` is not an integer, but enum `{owner}` is of integers", v.value.value),
                    "write the integer value, or make the enum `enum: string`",
                );
                continue;
            }
            if e.base.value == spec::Scalar::Int32 && v.value.value.parse::<i64>().is_ok_and(|i| i32::try_from(i).is_err()) {
                self.err(v.value.loc, format!("{} does not fit enum `{owner}`, which is `int32`", v.value.value), "make the enum `enum: int64`, or fix the value");
                continue;
            }
            let rust = match &v.name {
                Some(n) if names::is_ident(&n.value) => n.value.clone(),
                Some(n) => {
                    self.err(n.loc, format!("`{}` is not a Rust identifier", n.value), "write an UpperCamelCase ASCII name");
                    continue;
                }
                None => match names::variant(&v.value.value) {
                    Some(n) => n,
                    None => {
                        self.err(
                            v.value.loc,
                            format!("enum value `{}` has no ASCII letters to make a variant name from", v.value.value),
                            "write the value as `VALUE: {name: Variant, description: …}`",
                        );
                        continue;
                    }
                },
            };
            let rust = if rust == "Unknown" { "Unknown_".to_owned() } else { names::escape(&rust) };
            if let Some(first) = variants.iter().find(|x| x.wire == v.value.value) {
                let _ = first;
                self.err(v.value.loc, format!("enum `{owner}` lists value `{}` twice", v.value.value), "remove the second one");
                continue;
            }
            if let Some(first) = variants.iter().find(|x| x.rust == rust) {
                let first = first.wire.clone();
                self.err(v.value.loc, format!("enum `{owner}`: values `{first}` and `{}` both become variant `{rust}`", v.value.value), "give one of them a distinct `name:`");
                continue;
            }
            variants.push(model::Variant { rust, wire: v.value.value.clone(), description: v.description.clone() });
        }
        model::EnumDef { base: e.base.value, variants }
    }

    fn lower_fields(&mut self, module: &mut Module<'_>, owner: &str, fields: &[Field], place: Place) -> Vec<Member> {
        let mut out: Vec<Member> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for f in fields {
            let Some(m) = self.lower_member(module, owner, f, place) else { continue };
            if let Some(first) = seen.get(&m.rust) {
                self.err(f.name.loc, format!("fields `{first}` and `{}` of `{owner}` both become `{}` in Rust", f.name.value, m.rust), "give one of them a distinct `rust_name:`");
                continue;
            }
            seen.insert(m.rust.clone(), f.name.value.clone());
            out.push(m);
        }
        out
    }

    fn lower_member(&mut self, module: &mut Module<'_>, owner: &str, f: &Field, place: Place) -> Option<Member> {
        let rust = match &f.rust_name {
            Some(r) if names::is_ident(&r.value) => names::escape(&r.value),
            Some(r) => {
                self.err(r.loc, format!("`{}` is not a Rust identifier", r.value), "write a snake_case ASCII name");
                return None;
            }
            None => match names::snake(&f.name.value) {
                Some(s) => names::escape(&s),
                None => {
                    self.err(f.name.loc, format!("field name `{}` has no ASCII letters to make a Rust name from", f.name.value), "add `rust_name:` with a snake_case name");
                    return None;
                }
            },
        };
        let inline_name = || match &f.type_name {
            Some(n) => n.value.clone(),
            None => format!("{owner}{}", names::upper_camel(&f.name.value).unwrap_or_else(|| "Field".to_owned())),
        };
        let (mut ty, allowed) = self.lower_type(module, f, &f.ty, inline_name)?;
        if f.secret {
            if ty == Ty::String {
                ty = Ty::Secret;
            } else {
                self.err(f.ty.loc, format!("`secret` on field `{}`, which is not a string", f.name.value), "only string fields (credentials, tokens) can be secret");
            }
        }
        if let (Some(d), false) = (&f.default, allowed.is_empty()) {
            let text = json_scalar_text(&d.value);
            if !allowed.contains(&text) {
                self.err(d.loc, format!("default `{text}` is not one of the allowed values of `{}`", f.name.value), format!("use one of: {}", allowed.join(", ")));
            }
        }
        match (&ty, place) {
            (Ty::File, Place::Multipart) => {}
            (Ty::File, _) => {
                self.err(f.ty.loc, "`file` is only allowed in a multipart body", "use `body: {kind: multipart, …}`, or another type");
            }
            (Ty::Vec(_) | Ty::Map(_) | Ty::Json, Place::Path | Place::Header) | (Ty::Map(_) | Ty::Json, Place::Query) => {
                self.err(
                    f.ty.loc,
                    format!("parameter `{}` cannot be of this type", f.name.value),
                    "path and header parameters are scalars or enums; query parameters may also be arrays of them",
                );
            }
            (Ty::Vec(item), Place::Query) if matches!(**item, Ty::Named { is_enum: false, .. } | Ty::File | Ty::Json | Ty::Vec(_) | Ty::Map(_)) => {
                self.err(
                    f.ty.loc,
                    format!("query parameter `{}` is an array of values a query string cannot hold", f.name.value),
                    "a query array holds strings, numbers, booleans or enums",
                );
            }
            (Ty::Named { is_enum: false, .. }, Place::Path | Place::Header | Place::Query) => {
                self.err(f.ty.loc, format!("parameter `{}` cannot be a struct", f.name.value), "a parameter is a scalar or an enum");
            }
            _ => {}
        }
        if f.style.is_some() && !matches!(ty, Ty::Vec(_)) {
            self.err(f.style.as_ref().map_or(f.ty.loc, |s| s.loc), "`style` applies only to array query parameters", "remove `style`, or make the parameter `array<…>`");
        }
        Some(Member {
            wire: f.name.value.clone(),
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
    fn lower_type(&mut self, module: &mut Module<'_>, f: &Field, ty: &Sp<TypeExpr>, inline_name: impl Fn() -> String + Copy) -> Option<(Ty, Vec<String>)> {
        let scalar = |t: Ty| Some((t, Vec::new()));
        match &ty.value {
            TypeExpr::String | TypeExpr::Int32 | TypeExpr::Int64 if f.values.is_some() => {
                let base = match ty.value {
                    TypeExpr::String => spec::Scalar::String,
                    TypeExpr::Int32 => spec::Scalar::Int32,
                    _ => spec::Scalar::Int64,
                };
                let def = spec::EnumDef { base: Sp { value: base, loc: ty.loc }, values: f.values.clone().unwrap_or_default() };
                let rust = inline_name();
                if !names::is_ident(&rust) {
                    self.err(f.name.loc, format!("inline enum name `{rust}` is not a Rust identifier"), "add `type_name:` with an UpperCamelCase name");
                    return None;
                }
                let lowered = self.lower_enum(&def, &rust);
                let allowed = lowered.variants.iter().map(|v| v.wire.clone()).collect();
                module.names.claim(self.diags, &rust, f.name.loc, format!("the inline enum of field `{}`", f.name.value), &module.name.clone());
                module.types.push(TypeDef { rust: rust.clone(), wire: f.name.value.clone(), description: f.description.clone(), kind: TypeKind::Enum(lowered) });
                Some((Ty::Named { rust, scope: module.scope, is_enum: true, boxed: false }, allowed))
            }
            TypeExpr::Float | TypeExpr::Bool | TypeExpr::Json | TypeExpr::File | TypeExpr::Object if f.values.is_some() => {
                self.err(
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
                    self.err(ty.loc, format!("`{}` is an object but lists no `fields`", f.name.value), "add `fields:`, use `json` for free-form JSON, or `map<T>` for a map");
                    return None;
                };
                let rust = inline_name();
                if !names::is_ident(&rust) {
                    self.err(f.name.loc, format!("inline type name `{rust}` is not a Rust identifier"), "add `type_name:` with an UpperCamelCase name");
                    return None;
                }
                module.names.claim(self.diags, &rust, f.name.loc, format!("the inline object of field `{}`", f.name.value), &module.name.clone());
                let members = self.lower_fields(module, &rust, fields, Place::Type);
                module.types.push(TypeDef { rust: rust.clone(), wire: f.name.value.clone(), description: f.description.clone(), kind: TypeKind::Struct(members) });
                Some((Ty::Named { rust, scope: module.scope, is_enum: false, boxed: false }, Vec::new()))
            }
            TypeExpr::Array(item) | TypeExpr::Map(item) => {
                let inner = Sp { value: (**item).clone(), loc: ty.loc };
                let (t, allowed) = self.lower_type(module, f, &inner, inline_name)?;
                let t = Box::new(t);
                Some((if matches!(ty.value, TypeExpr::Array(_)) { Ty::Vec(t) } else { Ty::Map(t) }, allowed))
            }
            TypeExpr::Named(name) => {
                if f.values.is_some() {
                    self.err(ty.loc, format!("`values` on a field of type `{name}`"), "allowed values go on a string or integer field, or on the enum type itself");
                }
                if f.fields.is_some() {
                    self.err(ty.loc, format!("`fields` on a field of type `{name}`"), "inline fields need `type: object` (or `array<object>`); a named type has its own fields");
                }
                match module.resolve(name) {
                    Some((entry, scope)) => Some((Ty::Named { rust: entry.rust, scope, is_enum: entry.is_enum, boxed: false }, entry.values.unwrap_or_default())),
                    // Declared in a file or entry that could not be read: that error is reported.
                    None if self.broken_types.contains(name) || self.specs.unreadable_types_file => None,
                    None => {
                        let known = module.known();
                        let help = match nearest(name, &known) {
                            Some(n) => format!("did you mean `{n}`? Types are defined in `types.yaml` of the vendor or of the service"),
                            None => "define it under `types:` in the service's or the vendor's `types.yaml`, or use a built-in type (string, int32, int64, float, bool, json, array<T>, map<T>)".to_owned(),
                        };
                        self.err(ty.loc, format!("unknown type `{name}`"), help);
                        None
                    }
                }
            }
        }
    }

    fn lower_operation(
        &mut self,
        module: &mut Module<'_>,
        accessors: &mut Vec<Accessor>,
        methods: &mut HashMap<(String, String), Loc>,
        service: &[String],
        op: &spec::OperationFile,
    ) -> Option<model::Operation> {
        let segs: Vec<&str> = op.rel_path.split('/').collect();
        let rest = &segs[service.len()..];
        let (stem, resources) = rest.split_last()?;
        let module_name = module.name.clone();
        if let Some(bad) = resources.iter().find(|r| names::snake(r).is_none()) {
            self.err(
                op.loc,
                format!("directory `{bad}` in `{}` cannot become a method name", op.rel_path),
                "name resource directories in ASCII, as in the API path (`user`, `access_record`)",
            );
            return None;
        }

        // The operation's name prefixes its Request, Response and Error types.
        let name = match &op.name {
            Some(n) if names::is_ident(&n.value) && n.value.starts_with(|c: char| c.is_ascii_uppercase()) => n.value.clone(),
            Some(n) => {
                self.err(n.loc, format!("operation name `{}` is not an UpperCamelCase identifier", n.value), "write a name such as `GetUser`");
                return None;
            }
            None => {
                let derived = format!("{}{}", names::upper_camel(stem).unwrap_or_default(), camel_join(resources));
                if !names::is_ident(&derived) {
                    self.err(op.loc, format!("cannot derive an operation name from `{}`", op.rel_path), "add `name:` with an UpperCamelCase name such as `GetUser`");
                    return None;
                }
                derived
            }
        };
        let name_loc = op.name.as_ref().map_or(op.loc, |n| n.loc);
        let Some(method_name) = names::snake(stem).map(|s| names::escape(&s)) else {
            self.err(op.loc, format!("file name `{stem}` cannot become a method name"), "rename the file to an ASCII name such as `get.yaml`");
            return None;
        };

        // Accessors for the resource path, created on first use.
        let mut parent = accessors[0].rust.clone();
        for depth in 1..=resources.len() {
            let prefix = &resources[..depth];
            let rust = format!("{}Api", camel_join(prefix));
            if !accessors.iter().any(|a| a.rust == rust) {
                let method = names::escape(&snake_or(prefix[depth - 1]));
                self.claim_method(methods, &parent, &method, op.loc, &op.rel_path);
                module.names.claim(self.diags, &rust, op.loc, format!("the accessor for `{}`", prefix.join("/")), &module_name);
                accessors.push(Accessor {
                    rust: rust.clone(),
                    parent: Some(parent.clone()),
                    parent_in_vendor: false,
                    method,
                    doc: format!("Operations under `{}`.", prefix.join("/")),
                    features: Vec::new(),
                });
            }
            parent = rust;
        }
        self.claim_method(methods, &parent, &method_name, op.loc, &op.rel_path);
        module.names.claim(self.diags, &format!("{name}Request"), name_loc, format!("the request of `{}`", op.rel_path), &module_name);

        // Path template and path parameters must match, both ways.
        let path_params = self.lower_fields(module, &name, &op.path_params, Place::Path);
        let path_parts = self.check_path(op, &path_params);
        let query_params = self.lower_fields(module, &name, &op.query_params, Place::Query);
        let header_params = self.lower_fields(module, &name, &op.header_params, Place::Header);
        let body = op.body.as_ref().map(|b| {
            let place = if b.kind == spec::BodyKind::Multipart { Place::Multipart } else { Place::Json };
            (b.kind, self.lower_fields(module, &name, &b.fields, place))
        });

        // All inputs become builder methods: their Rust names must be distinct.
        let mut inputs: HashMap<String, String> = HashMap::new();
        for m in path_params.iter().chain(&query_params).chain(&header_params).chain(body.iter().flat_map(|b| &b.1)) {
            if let Some(first) = inputs.insert(m.rust.clone(), m.wire.clone()) {
                let loc = self.find_input_loc(op, &m.wire);
                self.err(loc, format!("inputs `{first}` and `{}` of `{name}` both become `{}` in Rust", m.wire, m.rust), "give one of them a distinct `rust_name:`");
            }
            let token_setters = op.tokens.iter().filter_map(|t| self.vendor.tokens.iter().find(|k| k.name.value == t.value && matches!(k.source, spec::TokenSource::PerRequest)));
            let reserved: Vec<String> =
                ["send", "client", "request_token"].iter().map(|s| (*s).to_owned()).chain(token_setters.map(|k| format!("{}_access_token", k.name.value))).collect();
            if reserved.contains(&m.rust) {
                let loc = self.find_input_loc(op, &m.wire);
                self.err(loc, format!("input `{}` would be named `{}`, which the request builder uses itself", m.wire, m.rust), "give it a distinct `rust_name:`");
            }
        }

        // A header parameter must not replace the token's header.
        for h in &op.header_params {
            if let Some(t) = self.vendor.tokens.iter().find(|t| t.header.value.eq_ignore_ascii_case(&h.name.value)) {
                self.err(
                    h.name.loc,
                    format!("header parameter `{}` is the header that carries the `{}` token", h.name.value, t.name.value),
                    "remove it: the client sets the token header itself (list the token kind under `tokens:`)",
                );
            }
        }

        // Token kinds must be declared by the vendor.
        let mut per_request = 0;
        for t in &op.tokens {
            match self.vendor.tokens.iter().find(|k| k.name.value == t.value) {
                Some(k) => per_request += usize::from(matches!(k.source, spec::TokenSource::PerRequest)),
                None if self.vendor.broken_tokens.contains(&t.value) => {}
                None => {
                    let known: Vec<&str> = self.vendor.tokens.iter().map(|k| k.name.value.as_str()).collect();
                    let near = nearest(&t.value, &known).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
                    self.err(t.loc, format!("token kind `{}` is not defined by the vendor file", t.value), format!("{near}the vendor defines: {}", known.join(", ")));
                }
            }
        }

        let response = match op.response.kind {
            spec::ResponseKind::Binary => {
                if let Some(d) = &op.response.data {
                    self.err(d.name.loc, "a binary response has no `data`", "remove `data`: the body is the file");
                }
                model::Response::Binary
            }
            spec::ResponseKind::Json => {
                let data = op.response.data.as_ref().and_then(|d| {
                    let inline = || d.type_name.as_ref().map_or_else(|| format!("{name}Response"), |n| n.value.clone());
                    let before = module.types.len();
                    let ty = self.lower_type(module, d, &d.ty, inline).map(|(t, _)| t);
                    // An inline payload is named after the operation, not after the `data` field.
                    if let Some(Ty::Named { rust, .. }) = &ty
                        && let Some(def) = module.types[before..].iter_mut().find(|t| &t.rust == rust)
                    {
                        def.wire = rust.clone();
                        if def.description.is_none() {
                            def.description = Some(format!("What {} returns.", op.title));
                        }
                    }
                    ty
                });
                model::Response::Json { envelope: op.response.envelope, data }
            }
        };

        let errors = self.check_errors(op, &name);
        if !errors.is_empty() {
            module.names.claim(self.diags, &format!("{name}Error"), name_loc, format!("the error enum of `{}`", op.rel_path), &module_name);
        }
        for ex in op.request_example.iter().chain(&op.response_example) {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&ex.value) {
                self.err(ex.loc, format!("example is not valid JSON: {e}"), "examples hold the doc's JSON as a string (`response: |` then the JSON, indented)");
            }
        }

        Some(model::Operation {
            spec_file: format!("{}/{}.yaml", self.specs.display_dir, op.rel_path),
            name,
            method_name,
            accessor: parent,
            accessor_in_vendor: false,
            title: op.title.clone(),
            description: op.description.clone(),
            doc_url: op.doc_url.clone(),
            doc_updated: op.doc_updated.clone(),
            method: op.method.value,
            path: op.path.value.clone(),
            path_parts,
            tokens: op.tokens.iter().map(|t| t.value.clone()).collect(),
            needs_request_token: !op.tokens.is_empty() && per_request == op.tokens.len(),
            accepts_request_token: per_request > 0,
            app_types: op.app_types.clone(),
            scopes: op.scopes.iter().map(|s| (s.name.clone(), s.description.clone(), s.note.clone())).collect(),
            field_scopes: op.field_scopes.iter().map(|s| (s.name.clone(), s.description.clone(), s.note.clone())).collect(),
            rate_limit: op.rate_limit.clone(),
            path_params,
            query_params,
            header_params,
            body,
            response,
            pagination: None,
            errors,
            errata: op.errata.iter().map(|e| spec::Erratum { at: e.at.clone(), doc: e.doc.clone(), spec: e.spec.clone(), reason: e.reason.clone() }).collect(),
            request_example: op.request_example.as_ref().map(|e| e.value.clone()),
            response_example: op.response_example.as_ref().map(|e| e.value.clone()),
        })
    }

    /// The doc's examples match the spec's types: the request example the body fields, the
    /// response example the envelope and the payload. Each mismatch names its JSON path.
    fn check_examples(&mut self, op: &spec::OperationFile, model_op: &model::Operation, service_types: &[TypeDef], vendor_types: &[TypeDef]) {
        let types = Types { service: service_types, vendor: vendor_types };
        if let Some(ex) = &op.response_example
            && let (Ok(value), model::Response::Json { envelope, data }) = (serde_json::from_str::<serde_json::Value>(&ex.value), &model_op.response)
        {
            let mut problems = Vec::new();
            match (&self.vendor.envelope, data) {
                // No envelope: the example is the payload.
                (None, Some(ty)) => types.check(ty, &value, "$", &[], &mut problems),
                (None, None) => {}
                (Some(env), _) => match (&value, envelope, data) {
                    (serde_json::Value::Object(map), _, _) if !map.contains_key(&env.code.value) => {
                        problems.push(format!("`$` has no `{}` field, which every answer of this vendor has", env.code.value));
                    }
                    (serde_json::Value::Object(map), spec::EnvelopeUse::Data, Some(ty)) => match map.get(&env.data.value) {
                        Some(data) => types.check(ty, data, &format!("$.{}", env.data.value), &[], &mut problems),
                        None => problems.push(format!("`$` has no `{}` field", env.data.value)),
                    },
                    (serde_json::Value::Object(_), spec::EnvelopeUse::Flat, Some(ty)) => {
                        let envelope_fields: Vec<&str> =
                            [Some(&env.code.value), Some(&env.message.value), env.sub_code.as_ref().map(|s| &s.value)].into_iter().flatten().map(String::as_str).collect();
                        types.check(ty, &value, "$", &envelope_fields, &mut problems);
                    }
                    (serde_json::Value::Object(_), _, None) => {}
                    (other, _, _) => problems.push(format!("`$` is {}, not the JSON object of the envelope", kind(other))),
                },
            }
            for p in problems {
                let loc = locate_in_example(ex, &p);
                self.err(loc, format!("the response example does not match the spec: {p}"), "fix the example (a doc defect goes under `errata`), or the type");
            }
        }
        if let (Some(ex), Some((spec::BodyKind::Json, fields))) = (&op.request_example, &model_op.body)
            && let Ok(value) = serde_json::from_str::<serde_json::Value>(&ex.value)
        {
            let mut problems = Vec::new();
            types.check_members(fields, &value, "$", &[], &mut problems);
            for p in problems {
                let loc = locate_in_example(ex, &p);
                self.err(loc, format!("the request example does not match the spec: {p}"), "fix the example (a doc defect goes under `errata`), or the body fields");
            }
        }
    }

    /// A paginated operation names inputs and response fields that exist and have the types
    /// paging needs.
    fn check_pagination(&mut self, p: &spec::Pagination, op: &model::Operation, service_types: &[TypeDef], vendor_types: &[TypeDef]) -> Option<model::Pagination> {
        let types = Types { service: service_types, vendor: vendor_types };
        let page_type = match &op.response {
            model::Response::Json { data: Some(t @ Ty::Named { is_enum: false, .. }), .. } => t.clone(),
            _ => {
                self.err(p.loc, "pagination needs a response whose data is an object", "give the operation `response: {data: …}` with the items, the cursor or total fields");
                return None;
            }
        };
        let Ty::Named { rust, scope, .. } = &page_type else { return None };
        let Some(TypeDef { kind: TypeKind::Struct(fields), .. }) = types.find(rust, *scope) else { return None };
        let field = |this: &mut Self, name: &Sp<String>, want: &str, ok: &dyn Fn(&Ty) -> bool| -> Option<(String, Ty, bool)> {
            match fields.iter().find(|f| f.wire == name.value) {
                Some(f) if ok(&f.ty) => Some((f.rust.clone(), f.ty.clone(), !f.required)),
                Some(_) => {
                    this.err(name.loc, format!("response field `{}` is not {want}", name.value), format!("pagination needs `{}` to be {want}", name.value));
                    None
                }
                None => {
                    let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                    this.err(name.loc, format!("the response data has no field `{}`", name.value), format!("name one of its fields: {}", known.join(", ")));
                    None
                }
            }
        };
        let input = |this: &mut Self, name: &Sp<String>, want: &str, ok: &dyn Fn(&Member) -> bool| -> Option<Member> {
            match op.query_params.iter().chain(op.body.iter().flat_map(|b| &b.1)).find(|m| m.wire == name.value) {
                Some(m) if ok(m) => Some(m.clone()),
                Some(_) => {
                    this.err(name.loc, format!("input `{}` is not {want}", name.value), format!("pagination needs `{}` to be {want}", name.value));
                    None
                }
                None => {
                    this.err(name.loc, format!("the operation has no query or body input `{}`", name.value), "name the input that carries it");
                    None
                }
            }
        };
        let items = field(self, &p.items, "an array", &|t| matches!(t, Ty::Vec(_)))?;
        let item_ty = match &items.1 {
            Ty::Vec(i) => (**i).clone(),
            _ => return None,
        };
        let integer = |t: &Ty| matches!(t, Ty::I32 | Ty::I64);
        let mut out = model::Pagination {
            style: p.style,
            page_type: page_type.clone(),
            items: (items.0, item_ty, items.2),
            cursor_input: String::new(),
            cursor_field: (String::new(), false),
            has_more_field: (String::new(), false),
            page_input: (String::new(), Ty::I64),
            size_input: String::new(),
            total_field: (String::new(), false, Ty::I64),
        };
        match p.style {
            spec::PageStyle::Cursor => {
                let cursor_in = input(self, &p.cursor, "an optional string", &|m| m.ty == Ty::String && !m.required)?;
                let cursor_out = field(self, &p.cursor, "a string", &|t| *t == Ty::String)?;
                let more = field(self, &p.has_more, "a boolean", &|t| *t == Ty::Bool)?;
                out.cursor_input = cursor_in.rust;
                out.cursor_field = (cursor_out.0, cursor_out.2);
                out.has_more_field = (more.0, more.2);
            }
            spec::PageStyle::Page => {
                let page = input(self, &p.page, "an optional integer", &|m| integer(&m.ty) && !m.required)?;
                let size = input(self, &p.size, "an optional integer", &|m| integer(&m.ty) && !m.required)?;
                let total = field(self, &p.total, "an integer", &|t| integer(t))?;
                out.page_input = (page.rust, page.ty);
                out.size_input = size.rust;
                out.total_field = (total.0, total.2, total.1);
            }
        }
        Some(out)
    }

    fn find_input_loc(&self, op: &spec::OperationFile, wire: &str) -> Loc {
        op.path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params)
            .chain(op.body.iter().flat_map(|b| &b.fields))
            .rfind(|f| f.name.value == wire)
            .map_or(op.loc, |f| f.name.loc)
    }

    fn claim_method(&mut self, methods: &mut HashMap<(String, String), Loc>, accessor: &str, method: &str, loc: Loc, rel_path: &str) {
        if methods.insert((accessor.to_owned(), method.to_owned()), loc).is_some() {
            self.err(
                loc,
                format!("`{rel_path}` would add method `{method}` to `{accessor}`, which already has one"),
                "rename the file or the resource directory so each method name is unique",
            );
        }
    }

    /// `{name}` placeholders in the path and the declared path parameters match, both ways.
    fn check_path(&mut self, op: &spec::OperationFile, params: &[Member]) -> Vec<PathPart> {
        let path = &op.path.value;
        let mut parts = Vec::new();
        if path.contains('?') || path.contains('#') {
            self.err(op.path.loc, format!("path `{path}` has a query string or fragment"), "declare query inputs under `parameters: query:`; the path is only the path");
        }
        if !path.starts_with('/') {
            self.err(op.path.loc, format!("path `{path}` does not start with `/`"), "write the path without the host, e.g. `/open-apis/acs/v1/users/{user_id}`");
        }
        let mut used = vec![false; params.len()];
        let mut rest = path.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.err(op.path.loc, format!("path `{path}` has an unclosed `{{`"), "close each placeholder: `{user_id}`");
                return parts;
            };
            let name = &rest[open + 1..open + close];
            if name.is_empty() {
                self.err(
                    op.path.loc,
                    format!("path `{path}` has an empty placeholder `{{}}`"),
                    "name the parameter inside the braces, e.g. `{user_id}`, and declare it under `parameters: path:`",
                );
                rest = &rest[open + close + 1..];
                continue;
            }
            match op.path_params.iter().position(|p| p.name.value == name) {
                Some(i) if i < params.len() => {
                    used[i] = true;
                    parts.push(PathPart::Param(i));
                }
                _ => self.err(
                    op.path.loc,
                    format!("path placeholder `{{{name}}}` has no path parameter"),
                    format!("declare `{name}` under `parameters: path:`, or fix the placeholder"),
                ),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        if let Some(colon) = path.split('/').find(|s| s.starts_with(':')) {
            self.err(op.path.loc, format!("path segment `{colon}` uses the doc's `:name` syntax"), format!("write it as `{{{}}}`", &colon[1..]));
        }
        for (i, p) in op.path_params.iter().enumerate() {
            if !used.get(i).copied().unwrap_or(true) {
                self.err(
                    p.name.loc,
                    format!("path parameter `{}` does not appear in the path `{path}`", p.name.value),
                    format!("add `{{{}}}` to the path, or remove the parameter", p.name.value),
                );
            }
        }
        parts
    }

    /// Documented errors: distinct codes and distinct variant names.
    fn check_errors(&mut self, op: &spec::OperationFile, name: &str) -> Vec<model::DocumentedError> {
        let mut out: Vec<model::DocumentedError> = Vec::new();
        for e in &op.errors {
            let variant = match &e.name {
                Some(n) if names::is_ident(&n.value) => n.value.clone(),
                Some(n) => {
                    self.err(n.loc, format!("`{}` is not a Rust identifier", n.value), "write an UpperCamelCase ASCII name");
                    continue;
                }
                None => names::variant(&e.message).filter(|v| v.len() <= 48).unwrap_or_else(|| format!("Code{}", e.code)),
            };
            if out.iter().any(|o| o.code == e.code) {
                self.err(e.loc, format!("error code {} is documented twice for `{name}`", e.code), "remove the duplicate row");
                continue;
            }
            if out.iter().any(|o| o.variant == variant) {
                self.err(e.loc, format!("two documented errors of `{name}` become variant `{variant}`"), "give one of them a distinct `name:`");
                continue;
            }
            out.push(model::DocumentedError { variant, code: e.code, http_status: e.http_status, message: e.message.clone(), hint: e.hint.clone() });
        }
        out
    }
}

/// The named types an example may use: the service's and the vendor's.
struct Types<'a> {
    service: &'a [TypeDef],
    vendor: &'a [TypeDef],
}

impl Types<'_> {
    fn find(&self, rust: &str, scope: Scope) -> Option<&TypeDef> {
        let list = if scope == Scope::Vendor { self.vendor } else { self.service };
        list.iter().find(|t| t.rust == rust)
    }

    /// Records where `value` departs from `ty`, as `$.data.user.card: expected …, found …`.
    fn check(&self, ty: &Ty, value: &serde_json::Value, path: &str, allowed_extra: &[&str], out: &mut Vec<String>) {
        use serde_json::Value as V;
        if out.len() >= 20 {
            return;
        }
        let mismatch = |out: &mut Vec<String>, expected: &str| out.push(format!("`{path}`: expected {expected}, found {}", kind(value)));
        match (ty, value) {
            (Ty::String | Ty::Secret, V::String(_)) | (Ty::Bool, V::Bool(_)) | (Ty::Json, _) | (Ty::F64, V::Number(_)) => {}
            (Ty::I32, V::Number(n)) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
            (Ty::I64, V::Number(n)) if n.as_i64().is_some() => {}
            (Ty::String | Ty::Secret, _) => mismatch(out, "a string"),
            (Ty::Bool, _) => mismatch(out, "a boolean"),
            (Ty::F64, _) => mismatch(out, "a number"),
            (Ty::I32, _) => mismatch(out, "a 32-bit integer"),
            (Ty::I64, _) => mismatch(out, "a 64-bit integer"),
            (Ty::File, _) => {}
            (Ty::Vec(item), V::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.check(item, v, &format!("{path}[{i}]"), &[], out);
                }
            }
            (Ty::Vec(_), _) => mismatch(out, "an array"),
            (Ty::Map(item), V::Object(map)) => {
                for (k, v) in map {
                    self.check(item, v, &format!("{path}.{k}"), &[], out);
                }
            }
            (Ty::Map(_), _) => mismatch(out, "an object"),
            (Ty::Named { rust, scope, .. }, _) => {
                let Some(def) = self.find(rust, *scope) else { return };
                match &def.kind {
                    TypeKind::Struct(members) => self.check_members(members, value, path, allowed_extra, out),
                    TypeKind::Enum(e) => {
                        let text = match (e.base, value) {
                            (spec::Scalar::String, V::String(s)) => s.clone(),
                            (spec::Scalar::Int32 | spec::Scalar::Int64, V::Number(n)) if n.as_i64().is_some() => n.to_string(),
                            (spec::Scalar::String, _) => return mismatch(out, &format!("a string (enum `{rust}`)")),
                            _ => return mismatch(out, &format!("an integer (enum `{rust}`)")),
                        };
                        if !e.variants.iter().any(|v| v.wire == text) {
                            let listed: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
                            out.push(format!("`{path}`: `{text}` is not a value of enum `{rust}` ({})", listed.join(", ")));
                        }
                    }
                }
            }
        }
    }

    fn check_members(&self, members: &[Member], value: &serde_json::Value, path: &str, allowed_extra: &[&str], out: &mut Vec<String>) {
        let serde_json::Value::Object(map) = value else {
            out.push(format!("`{path}`: expected an object, found {}", kind(value)));
            return;
        };
        for m in members {
            match map.get(&m.wire) {
                Some(serde_json::Value::Null) if !m.required => {}
                Some(v) => self.check(&m.ty, v, &format!("{path}.{}", m.wire), &[], out),
                None if m.required => out.push(format!("`{path}` lacks the required field `{}`", m.wire)),
                None => {}
            }
        }
        for key in map.keys() {
            if !members.iter().any(|m| &m.wire == key) && !allowed_extra.contains(&key.as_str()) {
                out.push(format!("`{path}.{key}` is not a field of the spec's type"));
            }
        }
    }
}

/// Where in the file the last key of a problem's JSON path is written, when the example is a
/// block scalar (`response: |`, the usual form); else the start of the example.
fn locate_in_example(ex: &Sp<String>, problem: &str) -> Loc {
    let path = problem.split('`').nth(1).unwrap_or_default();
    let text = &ex.value;
    // Walk the path: each key is searched after the previous one; an array index `[n]` skips
    // the first n occurrences of the key that follows (one per earlier element).
    let mut pos = 0;
    let mut found: Option<(usize, usize)> = None;
    let mut skip = 0;
    for seg in path.trim_start_matches('$').split('.').filter(|s| !s.is_empty()) {
        let mut parts = seg.split('[');
        let key = parts.next().unwrap_or_default();
        if !key.is_empty() {
            let needle = format!("\"{key}\"");
            let mut from = pos;
            let mut hit = None;
            for _ in 0..=skip {
                match text.get(from..).and_then(|t| t.find(&needle)) {
                    Some(i) => {
                        hit = Some(from + i);
                        from += i + needle.len();
                    }
                    None => {
                        hit = None;
                        break;
                    }
                }
            }
            let Some(at) = hit else { break };
            found = Some((at, needle.len()));
            pos = at + needle.len();
            skip = 0;
        }
        for index in parts {
            skip = index.trim_end_matches(']').parse().unwrap_or(0);
        }
    }
    let block = text.contains('\n') && ex.loc.col > 1;
    let (Some((at, len)), true) = (found, block) else {
        return ex.loc;
    };
    let indent = ex.loc.col as usize - 1;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let col_chars = text[line_start..at].chars().count();
    // Every content line after the first is preceded in the file by the block's indentation.
    let start = ex.loc.start + at + line * indent;
    Loc { file: ex.loc.file, line: ex.loc.line + line as u32, col: (indent + col_chars + 1) as u32, start, end: start + len }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Boxes every struct field that closes a cycle of direct (not `Vec` or map) struct fields,
/// so recursive types like `A { b: Option<B> }`, `B { a: Option<A> }` have a finite size.
/// Cycles stay within a module: vendor types cannot name service types.
fn box_cycles(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.rust.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct(members) => members
                .iter()
                .filter_map(|m| match &m.ty {
                    Ty::Named { rust, is_enum: false, .. } => index.get(rust).copied(),
                    _ => None,
                })
                .collect(),
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
        let TypeKind::Struct(members) = &mut t.kind else { continue };
        let cyclic: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(&m.ty, Ty::Named { rust, is_enum: false, .. } if index.get(rust).is_some_and(|&t| reaches(t, i))))
            .map(|(k, _)| k)
            .collect();
        for k in cyclic {
            if let Ty::Named { boxed, .. } = &mut members[k].ty {
                *boxed = true;
            }
        }
    }
}

/// Names generated code uses unqualified: a spec type with one of them would shadow it.
fn reserve_std_names(names: &mut Names) {
    for std_name in ["String", "Option", "Some", "None", "Vec", "Box", "Result", "Ok", "Err", "Self", "runtime"] {
        names.taken.insert(std_name.to_owned(), format!("a name the generated code takes from Rust's prelude (`{std_name}`)"));
    }
}

fn camel_join(segs: &[impl AsRef<str>]) -> String {
    segs.iter().map(|s| names::upper_camel(s.as_ref()).unwrap_or_default()).collect()
}

fn snake_or(seg: &str) -> String {
    names::snake(seg).unwrap_or_else(|| "x".to_owned())
}

fn json_scalar_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
