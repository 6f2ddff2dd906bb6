//! A synthetic OpenAPI 3.0.3 document shaped like a large public plain-REST API, to show that
//! `cargo xtask openapi import` scales: success is a 2xx whose body is the payload, errors are
//! 4xx/5xx with an `Error` body. Operations come in resource groups of 40 (list, get, create,
//! update, replace, delete, events, archive, search, multipart upload, binary download) with the
//! parameters, bodies, responses, security overrides and component schemas a real description
//! has, plus a few constructs our spec format cannot express (`oneOf` without discriminator,
//! `anyOf` of string|integer). The text is YAML (block style), built from a small tree here
//! because xtask has no YAML or JSON dependency; the same input always gives the same text.

use std::borrow::Cow;

/// Operations per resource group (5 resources × 8 operations).
const PER_GROUP: usize = 40;

const DOMAINS: [&str; 8] = ["Catalog", "Billing", "Identity", "Messaging", "Storage", "Analytics", "Compute", "Network"];

/// (plural, singular, id prefix)
const RESOURCES: [(&str, &str, &str); 10] = [
    ("widgets", "widget", "wdg"),
    ("gadgets", "gadget", "gdg"),
    ("orders", "order", "ord"),
    ("invoices", "invoice", "inv"),
    ("customers", "customer", "cus"),
    ("projects", "project", "prj"),
    ("reports", "report", "rpt"),
    ("tickets", "ticket", "tkt"),
    ("devices", "device", "dev"),
    ("webhooks", "webhook", "whk"),
];

/// An OpenAPI 3.0.3 document (YAML text) with exactly `ops` operations.
pub fn document(ops: usize) -> String {
    let groups = ops.div_ceil(PER_GROUP);
    let mut tags = Vec::with_capacity(groups);
    let mut paths = Vec::with_capacity(ops);
    let mut schemas = shared_schemas();
    for k in 0..groups {
        let group = Group::new(k);
        tags.push(obj! {
            "name" => st(group.tag.clone()),
            "description" => st(format!("{} resources of group {k}.", group.domain)),
        });
        group.operations(PER_GROUP.min(ops - k * PER_GROUP), &mut paths);
        group.schemas(&mut schemas);
    }
    let doc = obj! {
        "openapi" => st("3.0.3"),
        "info" => obj! {
            "title" => st("Acme Platform API"),
            "version" => st("2024-06-01"),
            "description" => Y::Text(
                "The Acme Platform REST API.\n\nEvery request is authenticated with a bearer token or an API key. \
                 Successful responses carry the resource itself; errors carry an `Error` object with a \
                 numeric code, a message and the request id."
                    .into(),
            ),
            "termsOfService" => st("https://acme.example/terms"),
            "contact" => obj! {
                "name" => st("Acme API support"),
                "url" => st("https://acme.example/support"),
                "email" => st("api@acme.example"),
            },
            "license" => obj! { "name" => st("Apache 2.0"), "url" => st("https://www.apache.org/licenses/LICENSE-2.0.html") },
        },
        "servers" => Y::Seq(vec![
            obj! { "url" => st("https://api.acme.example"), "description" => st("Production") },
            obj! { "url" => st("https://sandbox.api.acme.example"), "description" => st("Sandbox: test data, no charges") },
        ]),
        "security" => Y::Seq(vec![obj! { "bearerAuth" => Y::Seq(vec![]) }, obj! { "apiKeyAuth" => Y::Seq(vec![]) }]),
        "tags" => Y::Seq(tags),
        "paths" => Y::Map(
            paths
                .into_iter()
                .map(|p| {
                    let mut item = Vec::with_capacity(p.ops.len() + 1);
                    if let Some(params) = p.params {
                        item.push((Cow::Borrowed("parameters"), params));
                    }
                    item.extend(p.ops.into_iter().map(|(method, op)| (Cow::Borrowed(method), op)));
                    (Cow::Owned(p.path), Y::Map(item))
                })
                .collect(),
        ),
        "components" => obj! {
            "securitySchemes" => obj! {
                "bearerAuth" => obj! {
                    "type" => st("http"),
                    "scheme" => st("bearer"),
                    "bearerFormat" => st("JWT"),
                    "description" => st("An OAuth 2.0 access token."),
                },
                "apiKeyAuth" => obj! {
                    "type" => st("apiKey"),
                    "in" => st("header"),
                    "name" => st("X-API-Key"),
                    "description" => st("A secret API key from the dashboard."),
                },
            },
            "parameters" => obj! {
                "Limit" => limit_param(),
                "Cursor" => cursor_param(),
                "IdempotencyKey" => idempotency_param(),
            },
            "responses" => obj! { "Error" => error_response("Unexpected error.") },
            "schemas" => Y::Map(schemas),
        },
    };
    let mut out = String::with_capacity(ops * 2600 + 4096);
    if let Y::Map(pairs) = &doc {
        render_map(&mut out, pairs, 0, false);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The document: groups, operations, schemas.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Create,
    Get,
    Update,
    Replace,
    Delete,
    Events,
    Archive,
    Search,
    Upload,
    Download,
}

#[derive(Debug)]
struct Res {
    plural: &'static str,
    single: &'static str,
    prefix: &'static str,
    /// `Widget`
    pascal: String,
    /// `Widgets`
    plural_pascal: String,
    /// `WidgetG3`
    schema: String,
    /// `widget_id`
    id: String,
    /// `/v1/g3/widgets`
    base: String,
}

#[derive(Debug)]
struct Group {
    k: usize,
    domain: &'static str,
    tag: String,
    res: Vec<Res>,
    upload: bool,
    download: bool,
    /// Path parameters declared once on the path item rather than on each operation.
    path_level: bool,
    /// `limit`/`cursor`/`Idempotency-Key` as `$ref`s to `components.parameters`.
    shared_params: bool,
}

#[derive(Debug)]
struct PathItem {
    path: String,
    params: Option<Y>,
    ops: Vec<(&'static str, Y)>,
}

impl Group {
    fn new(k: usize) -> Self {
        let domain = DOMAINS[k % DOMAINS.len()];
        let res = (0..5)
            .map(|r| {
                let (plural, single, prefix) = RESOURCES[(k * 3 + r) % RESOURCES.len()];
                let name = pascal(single);
                Res {
                    plural,
                    single,
                    prefix,
                    schema: format!("{name}G{k}"),
                    plural_pascal: pascal(plural),
                    pascal: name,
                    id: format!("{single}_id"),
                    base: format!("/v1/g{k}/{plural}"),
                }
            })
            .collect();
        Group { k, domain, tag: format!("{domain} {k}"), res, upload: k % 3 != 2, download: k % 2 != 1, path_level: k % 2 == 1, shared_params: k % 4 == 1 }
    }

    fn slots(&self) -> Vec<(usize, Kind)> {
        use Kind::*;
        let upload = if self.upload { Upload } else { Search };
        let download = if self.download { Download } else { Archive };
        let mut slots = Vec::with_capacity(PER_GROUP);
        for r in 0..self.res.len() {
            let extra = match r {
                0 => [Replace, upload, download],
                1 => [Replace, Events, Archive],
                2 => [Search, Events, Archive],
                3 => [Replace, upload, Events],
                _ => [download, Events, Search],
            };
            slots.extend([List, Create, Get, Update, Delete].into_iter().chain(extra).map(|kind| (r, kind)));
        }
        slots
    }

    /// Appends the group's first `n` operations to `paths`, one path item per path.
    fn operations(&self, n: usize, paths: &mut Vec<PathItem>) {
        let first = paths.len();
        for (i, (r, kind)) in self.slots().into_iter().take(n).enumerate() {
            let (path, method, op) = self.operation(self.k * PER_GROUP + i, r, kind);
            match paths[first..].iter_mut().find(|p| p.path == path) {
                Some(item) => item.ops.push((method, op)),
                None => {
                    let params = (self.path_level && path.contains('{')).then(|| Y::Seq(vec![id_param(&self.res[r])]));
                    paths.push(PathItem { path, params, ops: vec![(method, op)] });
                }
            }
        }
    }

    /// The operation of global index `gi`: `kind` on the `r`-th resource of the group.
    fn operation(&self, gi: usize, r: usize, kind: Kind) -> (String, &'static str, Y) {
        let (k, res) = (self.k, &self.res[r]);
        // Variations key on `k` and `r`: every operation of one kind sits at the same slot of its
        // resource block (8 slots), so the parity of `gi` alone would never vary within a kind.
        let odd = (k + r) % 2 == 1;
        let (p, s, pp, sp) = (res.plural, res.single, &res.plural_pascal, &res.pascal);
        let a_s = with_article(s);
        let item = format!("{}/{{{}}}", res.base, res.id);
        let (path, method, op_id, summary, description): (String, &'static str, String, String, Y) = match kind {
            Kind::List => (
                res.base.clone(),
                "get",
                format!("list{pp}G{k}"),
                format!("List {p}"),
                Y::Text(format!("Returns the {p} of the {} group, newest first.\n\nResults are paginated: pass `page.next_cursor` as `cursor` to fetch the next page.", self.tag)),
            ),
            Kind::Create => (
                res.base.clone(),
                "post",
                format!("create{sp}G{k}"),
                format!("Create {a_s}"),
                Y::Text(format!("Creates {a_s}.\n\nRetrying with the same `Idempotency-Key` within 24 hours returns the {s} created by the first request.")),
            ),
            Kind::Get => (item, "get", format!("get{sp}G{k}"), format!("Get {a_s}"), st(format!("Returns one {s} by its id."))),
            Kind::Update => {
                (item, "patch", format!("update{sp}G{k}"), format!("Update {a_s}"), st(format!("Changes the given fields of {a_s}; fields left out keep their value.")))
            }
            Kind::Replace => (item, "put", format!("replace{sp}G{k}"), format!("Replace {a_s}"), st(format!("Replaces every writable field of {a_s}."))),
            Kind::Delete => (item, "delete", format!("delete{sp}G{k}"), format!("Delete {a_s}"), st(format!("Deletes {a_s}. Deleting it again returns 404."))),
            Kind::Events => (
                format!("{item}/events"),
                "get",
                format!("list{sp}EventsG{k}"),
                format!("List the events of {a_s}"),
                st(format!("Returns the most recent events of {a_s}, oldest first.")),
            ),
            Kind::Archive => (
                format!("{item}/archive"),
                "post",
                format!("archive{sp}G{k}"),
                format!("Archive {a_s}"),
                st(format!("Moves {a_s} to the archived state. Archiving twice is harmless.")),
            ),
            Kind::Search => (format!("{}/search", res.base), "post", format!("search{pp}G{k}"), format!("Search {p}"), st(format!("Full-text search over {p}, best match first."))),
            Kind::Upload => (
                format!("{item}/attachments"),
                "post",
                format!("upload{sp}AttachmentG{k}"),
                format!("Upload an attachment to {a_s}"),
                st(format!("Uploads one file (at most 20 MiB) and attaches it to {a_s}.")),
            ),
            Kind::Download => (
                format!("{item}/content"),
                "get",
                format!("download{sp}ContentG{k}"),
                format!("Download the content of {a_s}"),
                st(format!("Streams the stored content of {a_s}. Supports byte ranges.")),
            ),
        };
        let mut op = vec![
            (Cow::Borrowed("tags"), Y::Seq(vec![st(self.tag.clone())])),
            (Cow::Borrowed("summary"), st(summary)),
            (Cow::Borrowed("description"), description),
            (Cow::Borrowed("operationId"), st(op_id)),
        ];
        let mut params = Vec::new();
        if path.contains('{') && !self.path_level {
            params.push(id_param(res));
        }
        let schema = &res.schema;
        let not_found = path.contains('{');
        let mut responses: Vec<(Cow<'static, str>, Y)> = Vec::new();
        let mut body = None;
        match kind {
            Kind::List => {
                params.extend(self.page_params());
                params.push(param("status", "query", &format!("Only {p} in this state."), if odd { inline_status() } else { schema_ref(&format!("StatusG{k}")) }));
                params.push(obj! {
                    "name" => st("ids"),
                    "in" => st("query"),
                    "description" => st(format!("Only these {p}, comma-separated.")),
                    "style" => st("form"),
                    "explode" => bool_(false),
                    "schema" => obj! { "type" => st("array"), "items" => obj! { "type" => st("string") }, "maxItems" => int(50) },
                });
                params.push(param(
                    "sort",
                    "query",
                    "Sort order; a leading `-` sorts descending.",
                    obj! { "type" => st("string"), "enum" => strs(&["created_at", "-created_at", "name", "-name"]), "default" => st("-created_at") },
                ));
                if gi % 3 == 2 {
                    params.push(param("created_after", "query", &format!("Only {p} created after this instant."), obj! { "type" => st("string"), "format" => st("date-time") }));
                }
                let list = format!("{sp}ListG{k}");
                let content = if odd {
                    obj! {
                        "type" => st("object"),
                        "required" => strs(&["data", "page"]),
                        "properties" => obj! {
                            "data" => obj! { "type" => st("array"), "items" => schema_ref(schema) },
                            "page" => schema_ref("Page"),
                        },
                    }
                } else {
                    schema_ref(&list)
                };
                responses.push(("200".into(), json_response(&format!("A page of {p}."), content)));
            }
            Kind::Get => {
                params.push(param("If-None-Match", "header", "An `ETag` from an earlier response; 304 if unchanged.", obj! { "type" => st("string") }));
                params.push(obj! {
                    "name" => st("expand"),
                    "in" => st("query"),
                    "description" => st("Related objects to embed."),
                    "style" => st("form"),
                    "explode" => bool_(false),
                    "schema" => obj! {
                        "type" => st("array"),
                        "items" => obj! { "type" => st("string"), "enum" => strs(&["owner", "parent", "history"]) },
                    },
                });
                let mut ok = vec![
                    (Cow::Borrowed("description"), st(format!("The {s}."))),
                    (Cow::Borrowed("headers"), obj! { "ETag" => obj! { "description" => st("Version of the resource."), "schema" => obj! { "type" => st("string") } } }),
                ];
                let mut media = vec![(Cow::Borrowed("schema"), schema_ref(schema))];
                if matches!(r, 0 | 3) {
                    media.push((
                        "examples".into(),
                        obj! {
                            "active" => obj! { "summary" => st(format!("An active {s}")), "value" => example_object(res, k, "active") },
                            "archived" => obj! { "summary" => st(format!("An archived {s}")), "value" => example_object(res, k, "archived") },
                        },
                    ));
                }
                ok.push(("content".into(), obj! { "application/json" => Y::Map(media) }));
                responses.push(("200".into(), Y::Map(ok)));
                responses.push(("304".into(), obj! { "description" => st("Not modified.") }));
            }
            Kind::Create => {
                params.push(if self.shared_params { param_ref("IdempotencyKey") } else { idempotency_param() });
                body = Some(json_body(&format!("The {s} to create."), schema_ref(&format!("{sp}CreateG{k}")), true));
                let mut media = vec![(Cow::Borrowed("schema"), schema_ref(schema))];
                if gi % 3 == 1 {
                    media.push(("example".into(), example_object(res, k, "active")));
                }
                responses.push(("201".into(), obj! { "description" => st(format!("The created {s}.")), "content" => obj! { "application/json" => Y::Map(media) } }));
            }
            Kind::Update | Kind::Replace => {
                let (name, what) = if kind == Kind::Update { ("Update", "The fields to change.") } else { ("Create", "The new state.") };
                body = Some(json_body(what, schema_ref(&format!("{sp}{name}G{k}")), true));
                responses.push(("200".into(), json_response(&format!("The updated {s}."), schema_ref(schema))));
                if kind == Kind::Replace && k % 4 == 3 {
                    op.push(("deprecated".into(), bool_(true)));
                }
            }
            Kind::Delete => responses.push(("204".into(), obj! { "description" => st(format!("The {s} was deleted.")) })),
            Kind::Events => {
                params.extend(self.page_params().into_iter().take(1));
                params.push(obj! {
                    "name" => st("types"),
                    "in" => st("query"),
                    "description" => st("Only events of these types."),
                    "style" => st("form"),
                    "explode" => bool_(false),
                    "schema" => obj! {
                        "type" => st("array"),
                        "items" => obj! { "type" => st("string"), "enum" => strs(&["created", "updated", "deleted"]) },
                    },
                });
                responses.push(("200".into(), json_response("The events.", obj! { "type" => st("array"), "items" => schema_ref(&format!("EventG{k}")), "maxItems" => int(100) })));
            }
            Kind::Archive => {
                body = Some(json_body(
                    "Why the resource is archived.",
                    obj! {
                        "type" => st("object"),
                        "properties" => obj! {
                            "reason" => obj! { "type" => st("string"), "maxLength" => int(500), "description" => st("Free-text reason, kept in the audit log.") },
                            "notify" => obj! { "type" => st("boolean"), "default" => bool_(false), "description" => st("Email the owner.") },
                        },
                    },
                    false,
                ));
                responses.push(("200".into(), json_response(&format!("The archived {s}."), schema_ref(schema))));
            }
            Kind::Search => {
                body = Some(json_body(
                    "The query.",
                    obj! {
                        "type" => st("object"),
                        "required" => strs(&["query"]),
                        "properties" => obj! {
                            "query" => obj! { "type" => st("string"), "minLength" => int(1), "description" => st("Words to look for."), "example" => st("blue") },
                            "filters" => obj! {
                                "type" => st("object"),
                                "description" => st("Field name to required value."),
                                "additionalProperties" => obj! { "type" => st("string") },
                            },
                            "limit" => obj! { "type" => st("integer"), "format" => st("int32"), "minimum" => int(1), "maximum" => int(50), "default" => int(10) },
                        },
                    },
                    true,
                ));
                responses.push(("200".into(), json_response(&format!("Matching {p}."), schema_ref(&format!("{sp}ListG{k}")))));
            }
            Kind::Upload => {
                let mut media = vec![(
                    Cow::Borrowed("schema"),
                    obj! {
                        "type" => st("object"),
                        "required" => strs(&["file"]),
                        "properties" => obj! {
                            "file" => obj! { "type" => st("string"), "format" => st("binary"), "description" => st("The file content.") },
                            "filename" => obj! { "type" => st("string"), "description" => st("Name to store the file under."), "maxLength" => int(255) },
                            "description" => obj! { "type" => st("string"), "description" => st("What the file is.") },
                            "kind" => obj! { "type" => st("string"), "enum" => strs(&["image", "document", "other"]), "default" => st("other") },
                        },
                    },
                )];
                if !odd {
                    media.push(("encoding".into(), obj! { "file" => obj! { "contentType" => st("image/png, image/jpeg, application/pdf") } }));
                }
                body = Some(obj! {
                    "description" => st("The file and its metadata."),
                    "required" => bool_(true),
                    "content" => obj! { "multipart/form-data" => Y::Map(media) },
                });
                responses.push((
                    "201".into(),
                    json_response(
                        "The stored attachment.",
                        obj! {
                            "type" => st("object"),
                            "required" => strs(&["id", "size"]),
                            "properties" => obj! {
                                "id" => obj! { "type" => st("string"), "example" => st("att_00c0ffee") },
                                "size" => obj! { "type" => st("integer"), "format" => st("int64"), "description" => st("Size in bytes.") },
                                "content_type" => obj! { "type" => st("string"), "example" => st("image/png") },
                                "created_at" => obj! { "type" => st("string"), "format" => st("date-time") },
                            },
                        },
                    ),
                ));
            }
            Kind::Download => {
                params.push(param("Range", "header", "Bytes to return, as in RFC 9110.", obj! { "type" => st("string"), "example" => st("bytes=0-1023") }));
                responses.push((
                    "200".into(),
                    obj! {
                        "description" => st("The content."),
                        "headers" => obj! {
                            "Content-Length" => obj! { "description" => st("Size in bytes."), "schema" => obj! { "type" => st("integer"), "format" => st("int64") } },
                        },
                        "content" => obj! { "application/octet-stream" => obj! { "schema" => obj! { "type" => st("string"), "format" => st("binary") } } },
                    },
                ));
            }
        }
        if not_found {
            responses.push(("404".into(), error_response(&format!("No such {s}."))));
        }
        responses.push(("4XX".into(), error_response("The request was rejected.")));
        responses.push(("default".into(), if (gi + k) % 2 == 1 { response_ref("Error") } else { error_response("Unexpected error.") }));
        if !params.is_empty() {
            op.push(("parameters".into(), Y::Seq(params)));
        }
        if let Some(body) = body {
            op.push(("requestBody".into(), body));
        }
        op.push(("responses".into(), Y::Map(responses)));
        if gi % 17 == 4 {
            op.push(("security".into(), Y::Seq(vec![])));
        } else if gi % 13 == 7 {
            op.push(("security".into(), Y::Seq(vec![obj! { "apiKeyAuth" => Y::Seq(vec![]) }])));
        }
        (path, method, Y::Map(op))
    }

    /// `limit` and `cursor`, inline or as references to `components.parameters`.
    fn page_params(&self) -> Vec<Y> {
        if self.shared_params { vec![param_ref("Limit"), param_ref("Cursor")] } else { vec![limit_param(), cursor_param()] }
    }

    fn schemas(&self, out: &mut Vec<(Cow<'static, str>, Y)>) {
        let k = self.k;
        let owner = format!("OwnerG{k}");
        let event = format!("EventG{k}");
        out.push((
            format!("StatusG{k}").into(),
            obj! {
                "type" => st("string"),
                "description" => st("Lifecycle state of a resource."),
                "enum" => strs(&["active", "paused", "archived"]),
                "default" => st("active"),
                "example" => st("active"),
            },
        ));
        out.push((
            format!("RegionG{k}").into(),
            obj! {
                "type" => st("string"),
                "description" => st("Where the data is stored."),
                "enum" => strs(&["us-east-1", "eu-west-1", "ap-southeast-2"]),
            },
        ));
        out.push((
            owner.clone().into(),
            obj! {
                "type" => st("object"),
                "description" => st("The account that owns a resource."),
                "required" => strs(&["id", "email"]),
                "properties" => obj! {
                    "id" => obj! { "type" => st("string"), "example" => st("acct_1a2b3c4d") },
                    "email" => obj! { "type" => st("string"), "format" => st("email"), "example" => st("ada@example.com") },
                    "display_name" => obj! { "type" => st("string"), "nullable" => bool_(true), "maxLength" => int(80) },
                    "role" => obj! { "type" => st("string"), "enum" => strs(&["admin", "member", "viewer"]), "default" => st("member") },
                },
            },
        ));
        out.push((
            event.clone().into(),
            obj! {
                "type" => st("object"),
                "description" => st("Something that happened to a resource."),
                "required" => strs(&["id", "type", "occurred_at"]),
                "properties" => obj! {
                    "id" => obj! { "type" => st("string"), "readOnly" => bool_(true) },
                    "type" => obj! { "type" => st("string"), "enum" => strs(&["created", "updated", "deleted"]) },
                    "occurred_at" => obj! { "type" => st("string"), "format" => st("date-time"), "example" => st("2024-05-01T12:00:00Z") },
                    "sequence" => obj! {
                        "description" => st("Position in the stream: a number, or an opaque string for replayed events."),
                        "anyOf" => Y::Seq(vec![obj! { "type" => st("string") }, obj! { "type" => st("integer"), "format" => st("int64") }]),
                    },
                    "subject" => obj! {
                        "description" => st("The resource the event is about."),
                        "oneOf" => Y::Seq(vec![schema_ref(&self.res[0].schema), schema_ref(&self.res[1].schema)]),
                    },
                    "data" => obj! {
                        "type" => st("object"),
                        "description" => st("Event-specific fields."),
                        "additionalProperties" => bool_(true),
                    },
                },
            },
        ));
        for (r, res) in self.res.iter().enumerate() {
            let (s, sp) = (res.single, &res.pascal);
            let a_s = with_article(s);
            let mut props = vec![
                (Cow::Borrowed("id"), obj! { "type" => st("string"), "readOnly" => bool_(true), "example" => st(example_id(res, k)) }),
                ("name".into(), obj! { "type" => st("string"), "maxLength" => int(120), "example" => st(format!("Main {s}")) }),
                ("status".into(), schema_ref(&format!("StatusG{k}"))),
                ("region".into(), schema_ref(&format!("RegionG{k}"))),
                ("priority".into(), obj! { "type" => st("string"), "enum" => strs(&["low", "normal", "high"]), "default" => st("normal") }),
                ("quantity".into(), obj! { "type" => st("integer"), "format" => st("int32"), "minimum" => int(0), "example" => int(3) }),
                ("total_bytes".into(), obj! { "type" => st("integer"), "format" => st("int64"), "readOnly" => bool_(true) }),
                ("score".into(), obj! { "type" => st("number"), "format" => st("double"), "minimum" => int(0), "maximum" => int(1) }),
                ("enabled".into(), obj! { "type" => st("boolean"), "default" => bool_(true) }),
                ("created_at".into(), obj! { "type" => st("string"), "format" => st("date-time"), "readOnly" => bool_(true) }),
                ("updated_at".into(), obj! { "type" => st("string"), "format" => st("date-time"), "nullable" => bool_(true), "description" => st("Null until the first update.") }),
                ("labels".into(), obj! { "type" => st("object"), "description" => st("Free-form labels."), "additionalProperties" => obj! { "type" => st("string") } }),
                (
                    "limits".into(),
                    obj! {
                        "type" => st("object"),
                        "description" => st("Quota name to value."),
                        "additionalProperties" => obj! { "type" => st("integer"), "format" => st("int32") },
                    },
                ),
                ("tags".into(), obj! { "type" => st("array"), "items" => obj! { "type" => st("string") }, "maxItems" => int(20) }),
                ("owner".into(), obj! { "allOf" => Y::Seq(vec![schema_ref(&owner)]), "description" => st(format!("The account that owns this {s}.")) }),
                (
                    "settings".into(),
                    obj! {
                        "type" => st("object"),
                        "description" => st("Behaviour settings."),
                        "properties" => obj! {
                            "notify" => obj! { "type" => st("boolean"), "default" => bool_(false) },
                            "threshold" => obj! { "type" => st("number"), "format" => st("float"), "example" => num(0.75) },
                            "mode" => obj! { "type" => st("string"), "enum" => strs(&["manual", "automatic"]) },
                        },
                    },
                ),
            ];
            if r > 0 {
                props.push((
                    "parent".into(),
                    obj! {
                        "allOf" => Y::Seq(vec![schema_ref(&self.res[r - 1].schema)]),
                        "nullable" => bool_(true),
                        "description" => st("The resource this one belongs to, if any."),
                    },
                ));
            }
            match r {
                0 => props.push(("history".into(), obj! { "type" => st("array"), "description" => st("Recent events."), "items" => schema_ref(&event) })),
                1 => props.push((
                    "external_id".into(),
                    obj! {
                        "description" => st("Identifier in the system of record: numeric or textual."),
                        "anyOf" => Y::Seq(vec![obj! { "type" => st("string") }, obj! { "type" => st("integer") }]),
                    },
                )),
                2 => props.push((
                    "assignee".into(),
                    obj! {
                        "description" => st("Who handles it: another resource or an account."),
                        "oneOf" => Y::Seq(vec![schema_ref(&self.res[0].schema), schema_ref(&owner)]),
                    },
                )),
                _ => props.push(("children".into(), obj! { "type" => st("array"), "items" => schema_ref(&self.res[r - 1].schema) })),
            }
            let mut object = vec![
                (Cow::Borrowed("type"), st("object")),
                ("description".into(), st(format!("{} of the {} group.", pascal(&a_s), self.tag))),
                ("required".into(), strs(&["id", "name", "status", "created_at"])),
                ("properties".into(), Y::Map(props)),
            ];
            if r == 0 {
                object.push(("example".into(), example_object(res, k, "active")));
            }
            out.push((res.schema.clone().into(), Y::Map(object)));
            out.push((
                format!("{sp}CreateG{k}").into(),
                obj! {
                    "type" => st("object"),
                    "description" => st(format!("The writable fields of {a_s}.")),
                    "required" => strs(&["name"]),
                    "properties" => obj! {
                        "name" => obj! { "type" => st("string"), "minLength" => int(1), "maxLength" => int(120) },
                        "status" => schema_ref(&format!("StatusG{k}")),
                        "region" => schema_ref(&format!("RegionG{k}")),
                        "priority" => obj! { "type" => st("string"), "enum" => strs(&["low", "normal", "high"]), "default" => st("normal") },
                        "labels" => obj! { "type" => st("object"), "additionalProperties" => obj! { "type" => st("string") } },
                        "owner_id" => obj! { "type" => st("string"), "description" => st("Defaults to the caller.") },
                        "access_code" => obj! {
                            "type" => st("string"),
                            "format" => st("password"),
                            "writeOnly" => bool_(true),
                            "description" => st("A secret shared with integrations."),
                        },
                        "settings" => obj! {
                            "type" => st("object"),
                            "properties" => obj! {
                                "notify" => obj! { "type" => st("boolean") },
                                "threshold" => obj! { "type" => st("number"), "format" => st("float") },
                            },
                        },
                    },
                },
            ));
            out.push((
                format!("{sp}UpdateG{k}").into(),
                obj! {
                    "type" => st("object"),
                    "description" => st(format!("A partial update of {a_s}.")),
                    "required" => strs(&["revision"]),
                    "properties" => obj! {
                        "revision" => obj! {
                            "type" => st("integer"),
                            "format" => st("int64"),
                            "description" => st("The revision being updated; 409 if it is stale."),
                        },
                        "name" => obj! { "type" => st("string"), "maxLength" => int(120) },
                        "status" => schema_ref(&format!("StatusG{k}")),
                        "enabled" => obj! { "type" => st("boolean") },
                        "labels" => obj! {
                            "type" => st("object"),
                            "nullable" => bool_(true),
                            "additionalProperties" => obj! { "type" => st("string") },
                        },
                        "limits" => obj! { "type" => st("object"), "additionalProperties" => obj! { "type" => st("integer"), "format" => st("int32") } },
                    },
                },
            ));
            out.push((
                format!("{sp}ListG{k}").into(),
                obj! {
                    "type" => st("object"),
                    "description" => st(format!("A page of {}.", res.plural)),
                    "required" => strs(&["data", "page"]),
                    "properties" => obj! {
                        "data" => obj! { "type" => st("array"), "items" => schema_ref(&res.schema) },
                        "page" => obj! { "allOf" => Y::Seq(vec![schema_ref("Page")]), "description" => st("Where this page sits.") },
                    },
                },
            ));
        }
    }
}

fn shared_schemas() -> Vec<(Cow<'static, str>, Y)> {
    vec![
        (
            "Error".into(),
            obj! {
                "type" => st("object"),
                "description" => st("What went wrong."),
                "required" => strs(&["code", "message", "request_id"]),
                "properties" => obj! {
                    "code" => obj! { "type" => st("integer"), "description" => st("Machine-readable error code."), "example" => int(40401) },
                    "message" => obj! { "type" => st("string"), "description" => st("Human-readable explanation."), "example" => st("No such resource.") },
                    "request_id" => obj! { "type" => st("string"), "description" => st("Quote this when contacting support."), "example" => st("req_8f3a2b1c") },
                },
            },
        ),
        (
            "Page".into(),
            obj! {
                "type" => st("object"),
                "description" => st("Pagination metadata."),
                "required" => strs(&["has_more"]),
                "properties" => obj! {
                    "next_cursor" => obj! {
                        "type" => st("string"),
                        "nullable" => bool_(true),
                        "description" => st("Pass as `cursor` for the next page; null on the last page."),
                    },
                    "has_more" => obj! { "type" => st("boolean") },
                    "total" => obj! { "type" => st("integer"), "format" => st("int64"), "description" => st("Total matches, when cheap to count.") },
                },
            },
        ),
    ]
}

fn id_param(res: &Res) -> Y {
    obj! {
        "name" => st(res.id.clone()),
        "in" => st("path"),
        "required" => bool_(true),
        "description" => st(format!("Identifier of the {}.", res.single)),
        "schema" => obj! { "type" => st("string"), "pattern" => st(format!("^{}_[0-9a-f]{{8,32}}$", res.prefix)) },
    }
}

fn limit_param() -> Y {
    param(
        "limit",
        "query",
        "Maximum number of items to return.",
        obj! { "type" => st("integer"), "format" => st("int32"), "minimum" => int(1), "maximum" => int(100), "default" => int(20) },
    )
}

fn cursor_param() -> Y {
    param("cursor", "query", "Where to continue: `page.next_cursor` of the previous page.", obj! { "type" => st("string") })
}

fn idempotency_param() -> Y {
    param(
        "Idempotency-Key",
        "header",
        "A unique key; retries with the same key are not applied twice.",
        obj! { "type" => st("string"), "maxLength" => int(64), "format" => st("uuid") },
    )
}

fn param(name: &'static str, location: &'static str, description: &str, schema: Y) -> Y {
    obj! {
        "name" => st(name),
        "in" => st(location),
        "description" => st(description.to_owned()),
        "schema" => schema,
    }
}

fn inline_status() -> Y {
    obj! { "type" => st("string"), "enum" => strs(&["active", "paused", "archived"]) }
}

fn json_body(description: &str, schema: Y, required: bool) -> Y {
    obj! {
        "description" => st(description.to_owned()),
        "required" => bool_(required),
        "content" => obj! { "application/json" => obj! { "schema" => schema } },
    }
}

fn json_response(description: &str, schema: Y) -> Y {
    obj! {
        "description" => st(description.to_owned()),
        "content" => obj! { "application/json" => obj! { "schema" => schema } },
    }
}

fn error_response(description: &str) -> Y {
    json_response(description, schema_ref("Error"))
}

fn example_id(res: &Res, k: usize) -> String {
    format!("{}_{:08x}", res.prefix, (k as u64).wrapping_mul(2_654_435_761) & 0xffff_ffff)
}

fn example_object(res: &Res, k: usize, status: &'static str) -> Y {
    obj! {
        "id" => st(example_id(res, k)),
        "name" => st(format!("Main {}", res.single)),
        "status" => st(status),
        "quantity" => int(3),
        "created_at" => st("2024-05-01T12:00:00Z"),
        "labels" => obj! { "team" => st("core") },
    }
}

fn schema_ref(name: &str) -> Y {
    obj! { "$ref" => st(format!("#/components/schemas/{name}")) }
}

fn param_ref(name: &str) -> Y {
    obj! { "$ref" => st(format!("#/components/parameters/{name}")) }
}

fn response_ref(name: &str) -> Y {
    obj! { "$ref" => st(format!("#/components/responses/{name}")) }
}

/// `a widget`, `an order`.
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {noun}")
}

fn pascal(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// A YAML tree and its block-style rendering.

/// A YAML node. Scalars hold their rendered text (quoted where needed).
#[derive(Debug)]
enum Y {
    Map(Vec<(Cow<'static, str>, Y)>),
    Seq(Vec<Y>),
    Scalar(Cow<'static, str>),
    /// A multi-line string, rendered as a literal block (`|-`).
    Text(String),
}

macro_rules! obj {
    ($($k:expr => $v:expr),* $(,)?) => {
        Y::Map(vec![$((Cow::from($k), $v)),*])
    };
}
use obj;

/// A string scalar, quoted when plain style would change its meaning.
fn st(text: impl Into<Cow<'static, str>>) -> Y {
    let text = text.into();
    if plain(&text) { Y::Scalar(text) } else { Y::Scalar(quote(&text).into()) }
}

fn int(v: i64) -> Y {
    Y::Scalar(v.to_string().into())
}

fn num(v: f64) -> Y {
    Y::Scalar(v.to_string().into())
}

fn bool_(v: bool) -> Y {
    Y::Scalar(if v { "true" } else { "false" }.into())
}

fn strs(items: &[&'static str]) -> Y {
    Y::Seq(items.iter().map(|s| st(*s)).collect())
}

/// Whether `text` reads back as the same string in plain style (conservatively, in YAML 1.1 too).
fn plain(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return false };
    (first.is_ascii_alphabetic() || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || " _.,-/()$".contains(c))
        && !text.ends_with(' ')
        && !matches!(text.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null")
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn render_map(out: &mut String, pairs: &[(Cow<'static, str>, Y)], indent: usize, first_inline: bool) {
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 || !first_inline {
            pad(out, indent);
        }
        if plain(key) {
            out.push_str(key);
        } else {
            out.push_str(&quote(key));
        }
        out.push(':');
        render_value(out, value, indent);
    }
}

/// Renders `value` after `key:` or `-` at `indent`.
fn render_value(out: &mut String, value: &Y, indent: usize) {
    match value {
        Y::Scalar(text) => {
            out.push(' ');
            out.push_str(text);
            out.push('\n');
        }
        Y::Text(text) => {
            out.push_str(" |-\n");
            for line in text.lines() {
                if !line.is_empty() {
                    pad(out, indent + 2);
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        Y::Map(pairs) if pairs.is_empty() => out.push_str(" {}\n"),
        Y::Seq(items) if items.is_empty() => out.push_str(" []\n"),
        Y::Map(pairs) => {
            out.push('\n');
            render_map(out, pairs, indent + 2, false);
        }
        Y::Seq(items) => {
            out.push('\n');
            render_seq(out, items, indent + 2);
        }
    }
}

fn render_seq(out: &mut String, items: &[Y], indent: usize) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Y::Map(pairs) if !pairs.is_empty() => {
                out.push(' ');
                render_map(out, pairs, indent + 2, true);
            }
            other => render_value(out, other, indent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    fn operation_ids(doc: &str) -> Vec<&str> {
        doc.lines().filter_map(|l| l.trim_start().strip_prefix("operationId: ")).collect()
    }

    /// `kind/name` of every entry under `components`, read from the fixed block layout.
    fn components(doc: &str) -> HashSet<String> {
        let mut names = HashSet::new();
        let mut inside = false;
        let mut kind = "";
        for line in doc.lines() {
            if !line.starts_with(' ') {
                inside = line == "components:";
            } else if inside {
                if let Some(k) = line.strip_prefix("  ").filter(|k| !k.starts_with(' ')) {
                    kind = k.trim_end_matches(':');
                } else if let Some(name) = line.strip_prefix("    ").filter(|n| !n.starts_with(' ')) {
                    names.insert(format!("{kind}/{}", name.trim_end_matches(':')));
                }
            }
        }
        names
    }

    fn refs(doc: &str) -> BTreeSet<&str> {
        doc.lines().filter_map(|l| l.trim_start().trim_start_matches("- ").strip_prefix("$ref: '#/components/")).map(|r| r.trim_end_matches('\'')).collect()
    }

    #[test]
    fn exactly_ops_unique_operation_ids() {
        for ops in [1, 7, 2000] {
            let doc = document(ops);
            let ids = operation_ids(&doc);
            assert_eq!(ids.len(), ops, "{ops} operations");
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ops, "unique ids for {ops}");
            assert!(ids.iter().all(|id| id.chars().all(|c| c.is_ascii_alphanumeric())), "camelCase ids");
        }
    }

    #[test]
    fn every_ref_resolves() {
        for ops in [1, 7, 2000] {
            let doc = document(ops);
            let names = components(&doc);
            assert!(names.contains("schemas/Error") && names.contains("securitySchemes/bearerAuth"));
            let refs = refs(&doc);
            assert!(refs.len() > 5, "refs found for {ops}");
            for r in refs {
                assert!(names.contains(r), "dangling $ref {r} in a document of {ops}");
            }
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(document(333), document(333));
    }

    #[test]
    fn quoting() {
        assert!(plain("application/json") && plain("$ref") && plain("A page of widgets."));
        for text in ["200", "4XX", "", "true", "No", "#/x", "a: b", "-created_at", "2024-01-01", "`x`"] {
            assert!(!plain(text), "{text:?} must be quoted");
        }
        assert_eq!(quote("it's"), "'it''s'");
    }
}
