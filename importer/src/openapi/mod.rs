//! OpenAPI 3.0 / 3.1 documents (JSON or YAML) → spec files: one operation file per operation,
//! component schemas as named types, and a drafted `vendor.yaml` (hosts from `servers`, token
//! kinds from the security schemes). Our own export's `x-` extensions (envelope, spec files,
//! errors, pagination…) are read back, so an exported document imports to the same specs.
//! Whatever the spec format cannot express becomes a located warning, never a failed import.

mod doc;
mod schema;
mod vendor;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::diagnostic::{FileId, Loc};
use codegen::openapi::ext::{self, Extension};
use codegen::spec::{
    ArrayStyle, Body, BodyKind, EnvelopeUse, Erratum, ErrorSpec, Field, Method, OperationFile, PageStyle, Pagination, Response, ResponseKind, Scope, TypeDef, TypeExpr, TypesFile,
};
use codegen::yaml::Node;

pub use doc::Warning;
use doc::{Doc, boolean, entries, escape, extension, get, items, own_description, text};
use schema::{Schemas, sp, unique_rust_name};

/// The spec files of one document, relative to the vendor's spec directory.
#[derive(Debug)]
pub struct Imported {
    pub files: BTreeMap<PathBuf, String>,
    pub operations: usize,
    pub types: usize,
    pub warnings: Vec<Warning>,
}

const METHODS: [(&str, Method); 5] = [("get", Method::Get), ("put", Method::Put), ("post", Method::Post), ("patch", Method::Patch), ("delete", Method::Delete)];

/// Imports a document for vendor `vendor` (the module name). Fails only when the text is not a
/// document at all (not JSON/YAML, no `openapi: 3.x`).
pub fn import(text: &str, vendor: &str, source: &str) -> Result<Imported, Warning> {
    let doc = Doc::parse(text)?;
    // `openapi: 3.1` unquoted is a number to YAML; its text is what counts.
    let version = get(&doc.root, "openapi").and_then(Node::scalar_text).unwrap_or_default();
    if !version.starts_with("3.") {
        let loc = get(&doc.root, "openapi").map_or(doc.root.loc, |n| n.loc);
        let found = get(&doc.root, "swagger").map_or_else(|| format!("`openapi: {version}`"), |_| "Swagger 2.0".to_owned());
        return Err(Warning { line: loc.line, col: loc.col, at: "#/openapi".into(), message: format!("{found}: only OpenAPI 3.0 and 3.1 are read") });
    }
    let mut warnings = Vec::new();
    // Our own export: the envelope and what else `vendor.yaml` says.
    let x_vendor = extension::<ext::Vendor>(&doc.root, "#", &mut warnings);

    // Operations first, for their names (component types must not take them).
    let ops = collect_operations(&doc, x_vendor.is_some(), &mut warnings);
    // The envelope our export states, or the one every success answer shows.
    let inferred = if x_vendor.is_none() { inferred_envelope(&doc, &ops, &mut warnings) } else { None };
    let envelope = match x_vendor.as_ref().map(|x| &x.envelope) {
        Some(ext::Envelope::Fields(e)) => Some(e),
        _ => inferred.as_ref(),
    };
    let mut taken = BTreeSet::new();
    for o in &ops {
        // The request builder and the error enum of every operation (a named payload needs no
        // `<Name>Response`).
        for suffix in ["Request", "Error"] {
            taken.insert(format!("{}/{}{suffix}", o.service, o.name));
            taken.insert(format!("/{}{suffix}", o.name));
        }
    }
    let mut schemas = Schemas::new(&doc, &taken, x_vendor.is_some());
    schemas.warnings.append(&mut warnings);
    schemas.build_types();
    let mut files = BTreeMap::new();
    let mut services: Vec<vendor::Service> = Vec::new();
    let mut built = Vec::new();
    for o in &ops {
        let servers = get(o.path_item, "servers").map(items).unwrap_or_default();
        match services.iter().find(|s| s.path == o.service) {
            None => services.push(vendor::Service {
                path: o.service.clone(),
                title: o.service_title.clone(),
                docs: o.service_docs.clone(),
                feature: o.service_feature.clone(),
                mount: o.service_mount.clone(),
                servers: servers.iter().filter_map(vendor::server_url).collect(),
            }),
            Some(s) if s.servers != servers.iter().filter_map(vendor::server_url).collect::<Vec<_>>() => {
                let loc = get(o.path_item, "servers").map_or(o.path_item.loc, |n| n.loc);
                schemas.warnings.push(Warning {
                    line: loc.line,
                    col: loc.col,
                    at: o.at.rsplit_once('/').map_or(o.at.clone(), |(item, _)| item.to_owned()),
                    message: format!("the servers of this path differ from those of the first path of service `{}`: it is served from the first path's", o.service),
                });
            }
            Some(_) => {}
        }
        built.push(operation(&mut schemas, o, envelope));
    }
    for (rel, op) in &built {
        files.insert(PathBuf::from(format!("{rel}.yaml")), codegen::write::operation(op));
    }
    let mut by_scope: BTreeMap<String, Vec<TypeDef>> = BTreeMap::new();
    for (scope, t) in &schemas.types {
        by_scope.entry(scope.clone()).or_default().push(t.clone());
    }
    let types = schemas.types.len();
    for (scope, list) in by_scope {
        let file = TypesFile { file: FileId(u32::MAX), scope: scope.clone(), types: list, broken: Vec::new() };
        let path = if scope.is_empty() { PathBuf::from("types.yaml") } else { PathBuf::from(&scope).join("types.yaml") };
        files.insert(path, codegen::write::types(&file));
    }
    let mut warnings = schemas.warnings;
    let vendor_file = vendor::draft(&doc, x_vendor.as_ref(), inferred.as_ref(), vendor, source, &services, &built, &mut warnings);
    files.insert(PathBuf::from("vendor.yaml"), vendor_file);
    // A node read twice (a schema seen from two places) says its warning once.
    warnings.sort_by(|a, b| (a.line, a.col, &a.at, &a.message).cmp(&(b.line, b.col, &b.at, &b.message)));
    warnings.dedup();
    Ok(Imported { files, operations: built.len(), types, warnings })
}

/// A document of a vendor that wraps every answer the way Feishu does: each operation's JSON
/// success answer is an object of an integer `code`, a string `msg` (or `message`) and, for
/// answers with a payload, `data` — nothing else. Such a document gets that envelope (success
/// when `code` is 0): payloads unwrapped, and a non-zero code a typed error rather than a
/// success value to inspect. One answer of another shape, or no answer with `data`, and the
/// document is read as plain HTTP.
fn inferred_envelope(doc: &Doc, ops: &[Op<'_>], warnings: &mut Vec<Warning>) -> Option<ext::EnvelopeFields> {
    let mut message_key: Option<String> = None;
    let (mut answers, mut with_data) = (0, 0);
    for o in ops {
        let list = get(o.node, "responses").map(entries).unwrap_or_default();
        let Some((_, r)) = list.iter().filter(|(code, _)| code.starts_with('2')).min_by_key(|(code, _)| code.clone()) else { continue };
        let r = doc.resolve(r).map_or(*r, |(n, _)| n);
        let media = get(r, "content").map(entries).unwrap_or_default();
        let Some((_, content)) = media.iter().find(|(m, _)| m.starts_with("application/json") || m.ends_with("+json")) else { continue };
        let schema = get(content, "schema")?;
        let schema = doc.resolve(schema).map_or(schema, |(n, _)| n);
        let props = get(schema, "properties").map(entries)?;
        let type_of = |key: &str| props.iter().find(|(k, _)| k == key).and_then(|(_, n)| text(doc.resolve(n).map_or(*n, |(n, _)| n), "type"));
        if type_of("code") != Some("integer") {
            return None;
        }
        let message = ["msg", "message"].into_iter().find(|k| type_of(k) == Some("string"))?;
        if message_key.get_or_insert_with(|| message.to_owned()) != message {
            return None;
        }
        if !props.iter().all(|(k, _)| k == "code" || k == message || k == "data") {
            return None;
        }
        answers += 1;
        with_data += usize::from(props.iter().any(|(k, _)| k == "data"));
    }
    let message = message_key?;
    if with_data == 0 {
        return None;
    }
    warnings.push(Warning {
        line: doc.root.loc.line,
        col: doc.root.loc.col,
        at: "#".to_owned(),
        message: format!(
            "every success answer ({answers}) is `code`, `{message}` and `data`: imported as the vendor's envelope, success when `code` is 0 (check `envelope:` in vendor.yaml)"
        ),
    });
    Some(ext::EnvelopeFields { code: "code".to_owned(), sub_code: None, message, data: "data".to_owned(), success: 0 })
}

/// One operation of the document, before its schemas are read.
struct Op<'d> {
    method: Method,
    path: String,
    node: &'d Node,
    path_item: &'d Node,
    at: String,
    /// The service directory (`acs/v1`, `pets`).
    service: String,
    service_title: Option<String>,
    service_feature: Option<String>,
    service_mount: Option<String>,
    service_docs: Option<String>,
    /// The file under the service (`user/get`, `list_pets`).
    rel: String,
    /// The operation's UpperCamel name.
    name: String,
    /// Whether `name` differs from what the checker derives from the file path.
    explicit_name: bool,
}

/// The document's operations. `ours`: the document is our own export, whose tags without a
/// description are services without a title (not titled with their path).
fn collect_operations<'d>(doc: &'d Doc, ours: bool, warnings: &mut Vec<Warning>) -> Vec<Op<'d>> {
    let tags: BTreeMap<String, (usize, &Node)> =
        get(&doc.root, "tags").map(items).unwrap_or_default().iter().enumerate().filter_map(|(i, t)| Some((text(t, "name")?.to_owned(), (i, t)))).collect();
    let mut out: Vec<Op<'_>> = Vec::new();
    let mut used_rel = BTreeSet::new();
    let Some(paths) = get(&doc.root, "paths") else { return out };
    for (path, item) in entries(paths) {
        let item = doc.resolve(item).map_or(item, |(n, _)| n);
        for (key, method) in METHODS {
            let Some(node) = get(item, key) else { continue };
            let at = format!("#/paths/{}/{key}", escape(&path));
            let tag = get(node, "tags").map(items).unwrap_or_default().first().and_then(Node::as_str).map(str::to_owned);
            let id = text(node, "operationId").map(str::to_owned);
            let spec_file = extension::<ext::SpecFile>(node, &at, warnings).map(|f| f.0);
            let (service, rel) = match (spec_file.as_deref(), &tag) {
                // Our own export: the tag is the service directory, the spec file its path.
                (Some(file), Some(tag)) if file.contains(&format!("/{tag}/")) => {
                    let start = file.find(&format!("/{tag}/")).map_or(0, |i| i + tag.len() + 2);
                    (tag.clone(), file[start..].trim_end_matches(".yaml").to_owned())
                }
                _ => {
                    let service = tag.as_deref().and_then(codegen::names::snake).unwrap_or_else(|| "api".to_owned());
                    let stem = id
                        .as_deref()
                        .and_then(codegen::names::snake)
                        .unwrap_or_else(|| codegen::names::snake(&format!("{key} {}", path.replace(['{', '}'], " "))).unwrap_or_else(|| "operation".to_owned()));
                    (service, stem)
                }
            };
            let mut rel = rel;
            let base = rel.clone();
            let mut n = 2;
            while !used_rel.insert(format!("{service}/{rel}")) {
                rel = format!("{base}_{n}");
                n += 1;
            }
            let segments: Vec<&str> = rel.split('/').collect();
            let (stem, resources) = segments.split_last().unwrap_or((&"operation", &[]));
            let derived = format!(
                "{}{}",
                codegen::names::upper_camel(stem).unwrap_or_default(),
                resources.iter().map(|r| codegen::names::upper_camel(r).unwrap_or_default()).collect::<String>()
            );
            let given = id
                .as_deref()
                .map(|i| i.rsplit('.').next().unwrap_or(i))
                .and_then(codegen::names::upper_camel)
                .filter(|n| codegen::names::is_ident(n) && n.starts_with(|c: char| c.is_ascii_uppercase()));
            // A foreign operationId only names the file; the name is the derived one.
            let name = if spec_file.is_some() { given.clone().unwrap_or_else(|| derived.clone()) } else { derived.clone() };
            let tag_node = tag.as_ref().and_then(|t| tags.get(t));
            let tag_at = |i: &usize| format!("#/tags/{i}");
            let title = tag_node.and_then(|(_, t)| text(t, "description")).map(str::to_owned);
            out.push(Op {
                method,
                path: path.clone(),
                node,
                path_item: item,
                at,
                service_title: if ours { title } else { title.or(tag.clone()) },
                service_feature: tag_node.and_then(|(i, t)| extension::<ext::Feature>(t, &tag_at(i), warnings)).map(|f| f.0),
                service_mount: tag_node.and_then(|(i, t)| extension::<ext::Mount>(t, &tag_at(i), warnings)).map(|f| f.0),
                service_docs: tag_node.and_then(|(_, t)| get(t, "externalDocs")).and_then(|d| text(d, "url")).map(str::to_owned),
                service,
                rel,
                explicit_name: name != derived,
                name,
            });
        }
    }
    out
}

/// The spec of one operation, and its path under the vendor directory.
fn operation(s: &mut Schemas<'_>, o: &Op<'_>, envelope: Option<&ext::EnvelopeFields>) -> (String, OperationFile) {
    let node = o.node;
    let mut path_params = Vec::new();
    let mut query_params = Vec::new();
    let mut header_params = Vec::new();
    let mut used = BTreeSet::new();
    // Path-level parameters, replaced by operation-level ones of the same name and place.
    let mut params: Vec<(String, String, &Node, String)> = Vec::new();
    for (owner, owner_at) in [(o.path_item, format!("#/paths/{}", escape(&o.path))), (node, o.at.clone())] {
        for (i, p) in get(owner, "parameters").map(items).unwrap_or_default().iter().enumerate() {
            let at = format!("{owner_at}/parameters/{i}");
            let Ok((p, _)) = s.doc.resolve(p) else {
                warn(s, p, &at, "a parameter `$ref` that names nothing: left out");
                continue;
            };
            let (Some(name), Some(place)) = (text(p, "name"), text(p, "in")) else { continue };
            params.retain(|(n, pl, _, _)| !(n == name && pl == place));
            params.push((name.to_owned(), place.to_owned(), p, at));
        }
    }
    for (name, place, p, at) in params {
        if place == "cookie" {
            warn(s, p, &at, format!("cookie parameter `{name}`: the spec format has no cookies; left out"));
            continue;
        }
        if place == "header" && ["authorization", "content-type", "accept"].contains(&name.to_ascii_lowercase().as_str()) {
            warn(s, p, &at, format!("header parameter `{name}` is set by the client itself; left out"));
            continue;
        }
        let Some(schema) = get(p, "schema") else {
            warn(s, p, &at, format!("parameter `{name}` has no `schema` (`content` parameters are not read): a string"));
            continue;
        };
        let mut f = s.field(&name, schema, place == "path" || boolean(p, "required"), &format!("{at}/schema"));
        if get(p, ext::Description::KEY).is_some() || get(p, "description").is_some() {
            f.description = own_description(p, &at, &mut s.warnings);
        }
        if let Some(e) = get(p, "example") {
            let e = e.to_json();
            if f.example.is_none() && s.example_fits(&f.ty.value, &e) {
                f.example = Some(sp(e));
            }
        }
        let structured = match &f.ty.value {
            TypeExpr::Object | TypeExpr::Json | TypeExpr::Map(_) => true,
            TypeExpr::Named(n) => !s.is_enum(n),
            _ => false,
        };
        if structured && place != "header" {
            warn(s, p, &at, format!("{place} parameter `{name}` is an object: sent as its JSON text is not in the spec format; a string"));
            f.ty = sp(TypeExpr::String);
            f.fields = None;
            f.example = None;
        }
        if matches!(f.ty.value, TypeExpr::Array(_)) && place == "query" {
            let ours = extension::<ext::ArrayStyle>(p, &at, &mut s.warnings);
            let style = match (ours, text(p, "style"), get(p, "explode").map(|e| boolean(p, "explode") || e.as_str() == Some("true"))) {
                (Some(ext::ArrayStyle::Brackets), _, _) => Some(ArrayStyle::Brackets),
                (Some(ext::ArrayStyle::Json), _, _) => Some(ArrayStyle::Json),
                (_, Some("form") | None, Some(false)) => Some(ArrayStyle::Comma),
                (_, Some("spaceDelimited" | "pipeDelimited" | "deepObject"), _) => {
                    warn(s, p, &at, format!("`style: {}` of `{name}` is not in the spec format: sent as repeated `{name}=…`", text(p, "style").unwrap_or("")));
                    None
                }
                _ => None,
            };
            f.style = style.map(sp);
        }
        unique_rust_name(&mut f, &mut used);
        match place.as_str() {
            "path" => path_params.push(f),
            "query" => query_params.push(f),
            _ => header_params.push(f),
        }
    }

    let mut request_example = None;
    let body = get(node, "requestBody").and_then(|b| s.doc.resolve(b).ok()).map(|(b, _)| b).and_then(|b| {
        let at = format!("{}/requestBody", o.at);
        let content = get(b, "content")?;
        let media = entries(content);
        let json = media.iter().find(|(m, _)| m.starts_with("application/json") || m.ends_with("+json"));
        let multipart = media.iter().find(|(m, _)| m.starts_with("multipart/form-data"));
        let (kind, (m, media_node)) = match (json, multipart) {
            (Some(j), _) => (BodyKind::Json, j),
            (None, Some(mp)) => (BodyKind::Multipart, mp),
            _ => {
                let listed: Vec<&str> = media.iter().map(|(m, _)| m.as_str()).collect();
                warn(s, content, &format!("{at}/content"), format!("request body of media type {} is not in the spec format (JSON or multipart): left out", listed.join(", ")));
                return None;
            }
        };
        let schema = get(media_node, "schema")?;
        let sat = format!("{at}/content/{}/schema", escape(m));
        let Ok((target, _)) = s.doc.resolve(schema) else {
            warn(s, schema, &sat, "the body's `$ref` names nothing: left out");
            return None;
        };
        let props: Vec<(String, &Node)> = match get(target, "properties") {
            Some(p) => entries(p),
            None if get(target, "allOf").is_some() => {
                let mut f = s.field("body", schema, true, &sat);
                if let Some(fields) = f.fields.take() {
                    if let Some(e) = get(media_node, "example") {
                        request_example = serde_json::to_string_pretty(&e.to_json()).ok();
                    }
                    return Some(Body { kind, fields });
                }
                Vec::new()
            }
            None => Vec::new(),
        };
        if props.is_empty() {
            warn(s, schema, &sat, "a request body that is not an object with properties is not in the spec format (bodies are lists of fields): left out");
            return None;
        }
        let required: BTreeSet<String> = get(target, "required").map(items).unwrap_or_default().iter().filter_map(|r| r.as_str().map(str::to_owned)).collect();
        let mut fields = s.struct_fields(&props, &required, &sat);
        for f in &mut fields {
            unique_rust_name(f, &mut used);
            if kind == BodyKind::Json && matches!(f.ty.value, TypeExpr::File) {
                f.ty = sp(TypeExpr::String);
            }
        }
        if let Some(e) = get(media_node, "example") {
            request_example = serde_json::to_string_pretty(&e.to_json()).ok();
        }
        Some(Body { kind, fields })
    });

    let (response, response_example, errors) = responses(s, o, envelope);

    let at = o.at.as_str();
    let scopes = |list: Vec<ext::Scope>| -> Vec<Scope> { list.into_iter().map(|e| Scope { name: e.name, description: e.description, note: e.note }).collect() };
    let pagination = extension::<ext::Pagination>(node, at, &mut s.warnings).map(|p| {
        let (items, style) = match p {
            ext::Pagination::Cursor { items, cursor, has_more } => (items, PageStyle::Cursor { cursor: sp(cursor), has_more: sp(has_more) }),
            ext::Pagination::Page { items, page, size, total } => (items, PageStyle::Page { page: sp(page), size: sp(size), total: sp(total) }),
        };
        Pagination { loc: Loc::NONE, items: sp(items), style }
    });
    let errata = extension::<ext::Errata>(node, at, &mut s.warnings)
        .map(|e| e.0)
        .unwrap_or_default()
        .into_iter()
        .map(|e| Erratum { at: e.at, doc: e.doc, spec: e.spec, reason: e.reason })
        .collect();
    let scope_list = extension::<ext::Scopes>(node, at, &mut s.warnings).map(|x| scopes(x.0)).unwrap_or_default();
    let field_scopes = extension::<ext::FieldScopes>(node, at, &mut s.warnings).map(|x| scopes(x.0)).unwrap_or_default();
    let app_types = extension::<ext::AppTypes>(node, at, &mut s.warnings).map(|x| x.0).unwrap_or_default();
    let rate_limit = extension::<ext::RateLimit>(node, at, &mut s.warnings).map(|x| x.0);
    let doc_updated = extension::<ext::DocUpdated>(node, at, &mut s.warnings).map(|x| x.0);
    let deprecated = boolean(node, "deprecated").then(|| extension::<ext::DeprecatedNote>(node, at, &mut s.warnings).map(|x| x.0).unwrap_or_default());
    let security = get(node, "security").or_else(|| get(&s.doc.root, "security"));
    let tokens: Vec<_> = security
        .map(items)
        .unwrap_or_default()
        .iter()
        .filter_map(|req| entries(req).first().map(|(k, _)| vendor::token_name(k)))
        .fold(Vec::<String>::new(), |mut acc, t| {
            if !acc.contains(&t) {
                acc.push(t);
            }
            acc
        })
        .into_iter()
        .filter(|t| vendor::supported_scheme(s.doc, t))
        .map(sp)
        .collect();
    let op = OperationFile {
        file: FileId(u32::MAX),
        loc: Loc::NONE,
        rel_path: format!("{}/{}", o.service, o.rel),
        name: o.explicit_name.then(|| sp(o.name.clone())),
        title: text(node, "summary").or_else(|| text(node, "operationId")).map_or_else(|| format!("{} {}", o.method.as_str(), o.path), str::to_owned),
        description: text(node, "description").map(str::to_owned),
        doc_url: get(node, "externalDocs").and_then(|d| text(d, "url")).map(str::to_owned),
        doc_updated,
        deprecated,
        method: sp(o.method),
        path: sp(o.path.clone()),
        app_types,
        tokens,
        scopes: scope_list,
        field_scopes,
        rate_limit,
        path_params,
        query_params,
        header_params,
        body,
        response,
        pagination,
        errors,
        request_example: request_example.map(sp),
        response_example: response_example.map(sp),
        errata,
    };
    (format!("{}/{}", o.service, o.rel), op)
}

/// The success answer (unwrapped from the vendor envelope when the document has one), its
/// example, and the documented errors.
fn responses(s: &mut Schemas<'_>, o: &Op<'_>, envelope: Option<&ext::EnvelopeFields>) -> (Response, Option<String>, Vec<ErrorSpec>) {
    let node = o.node;
    let list = get(node, "responses").map(entries).unwrap_or_default();
    let success = list.iter().filter(|(code, _)| code.starts_with('2')).min_by_key(|(code, _)| code.clone());
    let mut response = Response { kind: ResponseKind::Json, envelope: EnvelopeUse::Data, data: None };
    let mut example = None;
    if let Some((code, r)) = success {
        let at = format!("{}/responses/{code}", o.at);
        let r = s.doc.resolve(r).map_or(*r, |(n, _)| n);
        let media = get(r, "content").map(entries).unwrap_or_default();
        let json = media.iter().find(|(m, _)| m.starts_with("application/json") || m.ends_with("+json"));
        match json {
            Some((m, content)) => {
                example = get(content, "example").and_then(|e| serde_json::to_string_pretty(&e.to_json()).ok());
                if let Some(schema) = get(content, "schema") {
                    let sat = format!("{at}/content/{}/schema", escape(m));
                    match envelope {
                        None => {
                            let f = s.field("data", schema, true, &sat);
                            response.data = Some(data_field(f));
                        }
                        Some(env) => {
                            let target = s.doc.resolve(schema).map_or(schema, |(n, _)| n);
                            let props = get(target, "properties").map(entries).unwrap_or_default();
                            let data_key = env.data.as_str();
                            if let Some((_, d)) = props.iter().find(|(k, _)| k == data_key) {
                                let f = s.field("data", d, true, &format!("{sat}/properties/{}", escape(data_key)));
                                response.data = Some(data_field(f));
                            } else if let Some(flat) = extension::<ext::FlatPayload>(target, &sat, &mut s.warnings)
                                && let Some(c) = flat.0.strip_prefix("#/components/schemas/").and_then(|name| s.components.get(name))
                            {
                                response.envelope = EnvelopeUse::Flat;
                                response.data = Some(Field::new("data", TypeExpr::Named(c.wire.clone())));
                            }
                        }
                    }
                }
            }
            None if !media.is_empty() => response.kind = ResponseKind::Binary,
            None => {}
        }
    }
    let mut errors = Vec::new();
    if let Some(documented) = extension::<ext::DocumentedErrors>(node, &o.at, &mut s.warnings) {
        for e in documented.0 {
            let derived = codegen::names::variant(&e.message).filter(|v| v.len() <= 48).unwrap_or_else(|| format!("Code{}", e.code));
            errors.push(ErrorSpec { loc: Loc::NONE, http_status: e.http_status, code: e.code, name: e.name.filter(|n| *n != derived).map(sp), message: e.message, hint: e.hint });
        }
    } else if envelope.is_none() {
        // A plain HTTP API: each documented error status is an error of the operation.
        let mut used = BTreeSet::new();
        for (code, r) in &list {
            let Ok(status) = code.parse::<u16>() else { continue };
            if !(400..600).contains(&status) {
                continue;
            }
            let r = s.doc.resolve(r).map_or(*r, |(n, _)| n);
            let message = text(r, "description").unwrap_or("").lines().next().unwrap_or("").trim().to_owned();
            let derived = codegen::names::variant(&message).filter(|v| v.len() <= 48).unwrap_or_else(|| format!("Code{code}"));
            let name = if used.contains(&derived) { Some(format!("Code{code}")) } else { None };
            used.insert(name.clone().unwrap_or(derived));
            errors.push(ErrorSpec { loc: Loc::NONE, http_status: Some(status), code: i64::from(status), name: name.map(sp), message, hint: None });
        }
    }
    (response, example, errors)
}

/// The response's `data` field: named `data`, not required (the spec writes neither).
fn data_field(mut f: Field) -> Field {
    f.name = sp("data".to_owned());
    f.required = false;
    f.example = None;
    f.default = None;
    f
}

fn warn(s: &mut Schemas<'_>, node: &Node, at: &str, message: impl Into<String>) {
    s.warnings.push(Warning { line: node.loc.line, col: node.loc.col, at: at.to_owned(), message: message.into() });
}
