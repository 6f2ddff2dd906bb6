//! Lowering one operation file: its name and accessor chain, its inputs and the names of their
//! setters, its path template, tokens, response and documented errors.

use std::collections::HashMap;

use heck::ToShoutySnakeCase;

use super::Checker;
use super::lower::{ModuleCx, Place, lower_fields, lower_type, name_setters, swappable};
use super::resolve::{camel_join, snake_or};
use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{self, Accessor, Args, Member, PathPart, RequestToken, Ty};
use crate::read::nearest;
use crate::spec::{self, TokenSource};
use crate::{names, reserved};

/// The methods taken on each accessor struct, with where they come from. An accessor is named
/// with its module (`""` for the vendor module): services have accessors of the same name.
#[derive(Default)]
pub(super) struct Methods {
    taken: HashMap<(String, String, String), (Loc, String)>,
}

impl Methods {
    fn claim(&mut self, cx: &mut Checker<'_>, module: &str, accessor: &str, method: &str, loc: Loc, rel_path: &str) {
        let key = (module.to_owned(), accessor.to_owned(), method.to_owned());
        match self.taken.get(&key) {
            Some((first_loc, first)) => {
                let diagnostic = Diagnostic::at(loc, format!("`{rel_path}` would add method `{method}` to `{accessor}`, which already has one from `{first}`"))
                    .help("rename the file or the resource directory so each method name is unique")
                    .also_at(*first_loc, format!("`{first}` takes `{method}`"));
                cx.push(diagnostic);
            }
            None => {
                self.taken.insert(key, (loc, rel_path.to_owned()));
            }
        }
    }
}

/// The accessor a service's calls start from, and whether the vendor module defines it.
pub(super) struct Start<'a> {
    pub accessor: &'a str,
    pub in_vendor: bool,
}

pub(super) fn lower_operation(
    cx: &mut Checker<'_>,
    module: &mut ModuleCx<'_>,
    accessors: &mut Vec<Accessor>,
    methods: &mut Methods,
    service: &[String],
    start: Start<'_>,
    op: &spec::OperationFile,
) -> Option<model::Operation> {
    let segs: Vec<&str> = op.rel_path.split('/').collect();
    let rest = &segs[service.len()..];
    let (stem, resources) = rest.split_last()?;
    let module_name = module.name.clone();
    if let Some(bad) = resources.iter().find(|r| names::snake(r).is_none()) {
        cx.err(
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
            cx.err(n.loc, format!("operation name `{}` is not an UpperCamelCase identifier", n.value), "write a name such as `GetUser`");
            return None;
        }
        None => {
            let derived = format!("{}{}", names::upper_camel(stem).unwrap_or_default(), camel_join(resources));
            if !names::is_ident(&derived) {
                cx.err(op.loc, format!("cannot derive an operation name from `{}`", op.rel_path), "add `name:` with an UpperCamelCase name such as `GetUser`");
                return None;
            }
            derived
        }
    };
    let name_loc = op.name.as_ref().map_or(op.loc, |n| n.loc);
    let Some(method_name) = names::snake(stem).map(|s| names::escape(&s)) else {
        cx.err(op.loc, format!("file name `{stem}` cannot become a method name"), "rename the file to an ASCII name such as `get.yaml`");
        return None;
    };

    // Accessors for the resource path, created on first use.
    let mut parent = start.accessor.to_owned();
    let mut parent_in_vendor = start.in_vendor;
    for depth in 1..=resources.len() {
        let prefix = &resources[..depth];
        let rust = format!("{}Api", camel_join(prefix));
        if !accessors.iter().any(|a| a.rust == rust) {
            let method = names::escape(&snake_or(prefix[depth - 1]));
            methods.claim(cx, if parent_in_vendor { "" } else { &module_name }, &parent, &method, op.loc, &op.rel_path);
            module.names.claim(cx.diags, &rust, op.loc, format!("the accessor for `{}`", prefix.join("/")), &module_name);
            accessors.push(Accessor {
                rust: rust.clone(),
                parent: Some(parent.clone()),
                parent_in_vendor,
                method,
                doc: format!("Operations under `{}`.", prefix.join("/")),
                features: Vec::new(),
            });
        }
        parent = rust;
        parent_in_vendor = false;
    }
    methods.claim(cx, if parent_in_vendor { "" } else { &module_name }, &parent, &method_name, op.loc, &op.rel_path);
    // Operations named alike are reported once, at their request types.
    if module.names.claim(cx.diags, &format!("{name}Request"), name_loc, format!("the request of `{}`", op.rel_path), &module_name) {
        module.values.claim(cx.diags, &format!("{}_OPERATION", name.to_shouty_snake_case()), name_loc, format!("the operation static of `{}`", op.rel_path), &module_name);
    }

    // Path template and path parameters must match, both ways.
    let path_params = lower_fields(cx, module, &name, &op.path_params, Place::Path);
    let path_parts = check_path(cx, op, &path_params);
    let query_params = lower_fields(cx, module, &name, &op.query_params, Place::Query);
    let header_params = lower_fields(cx, module, &name, &op.header_params, Place::Header);
    let body = op.body.as_ref().map(|b| {
        let place = if b.kind == spec::BodyKind::Multipart { Place::Multipart } else { Place::Json };
        model::Body { kind: b.kind, fields: lower_fields(cx, module, &name, &b.fields, place) }
    });

    let request_token = request_token(cx, op);
    let mut inputs = Inputs { path: path_params, query: query_params, header: header_params, body };
    name_inputs(cx, op, &name, &mut inputs, request_token.as_ref());

    // Required inputs other than path parameters are named at the call where two positional
    // arguments could be swapped unnoticed.
    let path: Vec<&Ty> = inputs.path.iter().map(|m| &m.ty).collect();
    let required: Vec<&Ty> = inputs.all().skip(inputs.path.len()).filter(|m| m.required).map(|m| &m.ty).collect();
    let args = if swappable(&path, &required) {
        let rust = format!("{name}Required");
        module.names.claim(cx.diags, &rust, name_loc, format!("the required inputs of `{}`", op.rel_path), &module_name);
        Args::Named(rust)
    } else {
        Args::Positional
    };

    // A header parameter must not replace the token's header.
    for h in &op.header_params {
        if let Some(t) = cx.vendor.tokens.iter().find(|t| t.header.value.eq_ignore_ascii_case(&h.name.value)) {
            cx.err(
                h.name.loc,
                format!("header parameter `{}` is the header that carries the `{}` token", h.name.value, t.name.value),
                "remove it: the client sets the token header itself (list the token kind under `tokens:`)",
            );
        }
    }

    let response = match op.response.kind {
        spec::ResponseKind::Binary => {
            if let Some(d) = &op.response.data {
                cx.err(d.name.loc, "a binary response has no `data`", "remove `data`: the body is the file");
            }
            model::Response::Binary
        }
        spec::ResponseKind::Json => {
            let data = op.response.data.as_ref().and_then(|d| {
                let inline = || d.type_name.as_ref().map_or_else(|| format!("{name}Response"), |n| n.value.clone());
                let before = module.types.len();
                let ty = lower_type(cx, module, d, &d.ty, &inline).map(|(t, _)| t);
                // An inline payload is named after the operation, not after the `data` field.
                if let Some(Ty::Named(n)) = &ty
                    && let Some(def) = module.types[before..].iter_mut().find(|t| t.rust == n.rust)
                {
                    def.wire = n.rust.clone();
                    if def.description.is_none() {
                        def.description = Some(format!("What {} returns.", op.title));
                    }
                }
                ty
            });
            model::Response::Json { envelope: op.response.envelope, data }
        }
    };

    let errors = check_errors(cx, op, &name);
    if !errors.is_empty() {
        module.names.claim(cx.diags, &format!("{name}Error"), name_loc, format!("the error enum of `{}`", op.rel_path), &module_name);
    }
    for ex in op.request_example.iter().chain(&op.response_example) {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&ex.value) {
            cx.err(ex.loc, format!("example is not valid JSON: {e}"), "examples hold the doc's JSON as a string (`response: |` then the JSON, indented)");
        }
    }

    Some(model::Operation {
        spec_file: format!("{}/{}.yaml", cx.specs.display_dir, op.rel_path),
        name,
        method_name,
        accessor: parent,
        accessor_in_vendor: parent_in_vendor,
        title: op.title.clone(),
        description: op.description.clone(),
        doc_url: op.doc_url.clone(),
        doc_updated: op.doc_updated.clone(),
        deprecated: op.deprecated.clone(),
        method: op.method.value,
        path: op.path.value.clone(),
        path_parts,
        tokens: op.tokens.iter().map(|t| t.value.clone()).collect(),
        request_token,
        app_types: op.app_types.clone(),
        scopes: op.scopes.clone(),
        field_scopes: op.field_scopes.clone(),
        rate_limit: op.rate_limit.clone(),
        path_params: inputs.path,
        query_params: inputs.query,
        header_params: inputs.header,
        body: inputs.body,
        args,
        response,
        pagination: None,
        errors,
        errata: op.errata.clone(),
        request_example: op.request_example.as_ref().map(|e| e.value.clone()),
        response_example: op.response_example.as_ref().map(|e| e.value.clone()),
    })
}

/// The inputs of one request builder, by where they go.
struct Inputs {
    path: Vec<Member>,
    query: Vec<Member>,
    header: Vec<Member>,
    body: Option<model::Body>,
}

impl Inputs {
    fn all(&self) -> impl Iterator<Item = &Member> {
        self.path.iter().chain(&self.query).chain(&self.header).chain(self.body.iter().flat_map(|b| &b.fields))
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Member> {
        self.path.iter_mut().chain(&mut self.query).chain(&mut self.header).chain(self.body.iter_mut().flat_map(|b| &mut b.fields))
    }
}

/// Every input becomes a field of the request builder, and each optional one two setters: their
/// names must be distinct from each other and from what the builder has itself.
fn name_inputs(cx: &mut Checker<'_>, op: &spec::OperationFile, name: &str, inputs: &mut Inputs, token: Option<&RequestToken>) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for m in inputs.all_mut() {
        m.rust = reserved::free(&m.rust, |n| reserved::REQUEST_FIELDS.contains(&n));
    }
    let all: Vec<Member> = inputs.all().cloned().collect();
    for m in &all {
        if let Some(first) = seen.insert(m.rust.clone(), m.wire.clone()) {
            let (loc, first_loc) = (find_input_loc(op, &m.wire), find_input_loc(op, &first));
            cx.push(
                Diagnostic::at(loc, format!("inputs `{first}` and `{}` of `{name}` both become `{}` in Rust", m.wire, m.rust))
                    .help("give one of them a distinct `rust_name:`")
                    .also_at(first_loc, format!("input `{first}`")),
            );
        }
    }
    let token_setter: Vec<String> = token.map(|t| t.setter.clone()).into_iter().collect();
    let named = name_setters(all, &[reserved::REQUEST_METHODS, reserved::TRAIT_METHODS], &token_setter);
    for (m, n) in inputs.all_mut().zip(named) {
        m.setter = n.setter;
        m.option_setter = n.option_setter;
    }
}

/// The token kinds an operation names must be declared; the per-request one, if any, gets a setter.
fn request_token(cx: &mut Checker<'_>, op: &spec::OperationFile) -> Option<RequestToken> {
    let mut per_request = Vec::new();
    for t in &op.tokens {
        match cx.vendor.tokens.iter().find(|k| k.name.value == t.value) {
            Some(k) if matches!(k.source, TokenSource::PerRequest) => per_request.push(k.name.value.clone()),
            Some(_) => {}
            None if cx.vendor.broken_tokens.contains(&t.value) => {}
            None => {
                let known: Vec<&str> = cx.vendor.tokens.iter().map(|k| k.name.value.as_str()).collect();
                let near = nearest(&t.value, &known).map(|n| format!("did you mean `{n}`? ")).unwrap_or_default();
                cx.err(t.loc, format!("token kind `{}` is not defined by the vendor file", t.value), format!("{near}the vendor defines: {}", known.join(", ")));
            }
        }
    }
    let required = !op.tokens.is_empty() && per_request.len() == op.tokens.len();
    // The vendor file's order decides which per-request kind the setter is for.
    let kind = cx.vendor.tokens.iter().map(|k| &k.name.value).find(|k| per_request.contains(k))?.clone();
    Some(RequestToken { setter: reserved::token_setter(&kind), kind, required })
}

fn find_input_loc(op: &spec::OperationFile, wire: &str) -> Loc {
    op.path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .chain(op.body.iter().flat_map(|b| &b.fields))
        .rfind(|f| f.name.value == wire)
        .map_or(op.loc, |f| f.name.loc)
}

/// `{name}` placeholders in the path and the declared path parameters match, both ways.
fn check_path(cx: &mut Checker<'_>, op: &spec::OperationFile, params: &[Member]) -> Vec<PathPart> {
    let path = &op.path.value;
    let mut parts = Vec::new();
    if path.contains('?') || path.contains('#') {
        cx.err(op.path.loc, format!("path `{path}` has a query string or fragment"), "declare query inputs under `parameters: query:`; the path is only the path");
    }
    if !path.starts_with('/') {
        cx.err(op.path.loc, format!("path `{path}` does not start with `/`"), "write the path without the host, e.g. `/open-apis/acs/v1/users/{user_id}`");
    }
    let mut used = vec![false; params.len()];
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let Some(close) = rest[open..].find('}') else {
            cx.err(op.path.loc, format!("path `{path}` has an unclosed `{{`"), "close each placeholder: `{user_id}`");
            return parts;
        };
        let name = &rest[open + 1..open + close];
        if name.is_empty() {
            cx.err(
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
            _ => cx.err(op.path.loc, format!("path placeholder `{{{name}}}` has no path parameter"), format!("declare `{name}` under `parameters: path:`, or fix the placeholder")),
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    if let Some(colon) = path.split('/').find(|s| s.starts_with(':')) {
        cx.err(op.path.loc, format!("path segment `{colon}` uses the doc's `:name` syntax"), format!("write it as `{{{}}}`", &colon[1..]));
    }
    for (i, p) in op.path_params.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            cx.err(
                p.name.loc,
                format!("path parameter `{}` does not appear in the path `{path}`", p.name.value),
                format!("add `{{{}}}` to the path, or remove the parameter", p.name.value),
            );
        }
    }
    parts
}

/// Documented errors: distinct codes and distinct variant names.
fn check_errors(cx: &mut Checker<'_>, op: &spec::OperationFile, name: &str) -> Vec<model::DocumentedError> {
    let mut out: Vec<(model::DocumentedError, Loc)> = Vec::new();
    for e in &op.errors {
        let variant = match &e.name {
            Some(n) if names::is_ident(&n.value) => names::escape(&n.value),
            Some(n) => {
                cx.err(n.loc, format!("`{}` is not a Rust identifier", n.value), "write an UpperCamelCase ASCII name");
                continue;
            }
            // A short English message names the variant; anything else, the code.
            None => {
                Some(&e.message).filter(|m| m.is_ascii()).and_then(|m| names::variant(m)).filter(|v| v.len() <= 48).map_or_else(|| format!("Code{}", e.code), |v| names::escape(&v))
            }
        };
        if let Some((_, first)) = out.iter().find(|(o, _)| o.code == e.code) {
            let first = *first;
            cx.push(
                Diagnostic::at(e.loc, format!("error code {} is documented twice for `{name}`", e.code)).help("remove the duplicate row").also_at(first, "documented first here"),
            );
            continue;
        }
        if let Some((_, first)) = out.iter().find(|(o, _)| o.variant == variant) {
            let first = *first;
            cx.push(
                Diagnostic::at(e.loc, format!("two documented errors of `{name}` become variant `{variant}`"))
                    .help("give one of them a distinct `name:`")
                    .also_at(first, "the other error"),
            );
            continue;
        }
        out.push((model::DocumentedError { variant, code: e.code, http_status: e.http_status, message: e.message.clone(), hint: e.hint.clone() }, e.loc));
    }
    out.into_iter().map(|(e, _)| e).collect()
}
