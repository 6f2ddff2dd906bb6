//! A synthetic spec corpus shaped like the real specs: three vendors with different envelopes,
//! services of ~50 operations each, and the same mix as `specs/`: GETs with path and query
//! parameters (enums, limits, defaults), JSON bodies with nested objects, maps and arrays, cursor
//! and page-number lists, downloads, multipart uploads, documented errors, shared named types
//! (structs with enums and nested types), examples and errata.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const VENDORS: [(&str, &str, &str, &str, i64); 3] =
    [("feishu", "code", "msg", "data", 0), ("authing", "statusCode", "message", "data", 200), ("cloud", "status", "detail", "result", 0)];

const PER_SERVICE: usize = 50;

/// Writes a corpus of `ops` operations (plus one token operation per vendor) under `root`.
/// Returns the number of bytes written.
pub fn write_corpus(root: &Path, ops: usize) -> std::io::Result<u64> {
    let _ = fs::remove_dir_all(root);
    let mut bytes = 0u64;
    let mut written = 0usize;
    let per_vendor = ops.div_ceil(VENDORS.len());
    for (vi, (vendor, code, message, data, success)) in VENDORS.iter().enumerate() {
        let n = per_vendor.min(ops - written);
        written += n;
        let services = n.div_ceil(PER_SERVICE).max(1);
        let dir = root.join(vendor);
        fs::create_dir_all(&dir)?;
        let mut v = format!("vendor: {vendor}\ntitle: Synthetic {vendor}\nhosts:\n  main: {{url: \"https://api.{vendor}.example\", default: true}}\nservices:\n");
        for s in 0..services {
            let _ = writeln!(v, "  s{s}/v1: {{title: Service {s}}}");
        }
        let sub = if vi == 1 { "  sub_code: apiCode\n" } else { "" };
        let _ = write!(
            v,
            "envelope:\n  code: {code}\n{sub}  message: {message}\n  data: {data}\n  success: {success}\nrequest_id:\n  headers: [x-request-id]\ncredentials:\n  key: {{}}\n  secret: {{secret: true}}\ntokens:\n  app:\n    header: Authorization\n    prefix: \"Bearer \"\n    exchange:\n      operation: s0/v1/token/create\n      request: {{key: key, secret: secret}}\n      token: token\n      expires_in: ttl\n  user:\n    header: Authorization\n    prefix: \"Bearer \"\n    per_request: true\ntoken_invalid:\n  codes: [401]\nrate_limit:\n  codes: [429]\n  http_status: [429]\n"
        );
        bytes += put(&dir.join("vendor.yaml"), &v)?;
        bytes += put(&dir.join("s0/v1/token/create.yaml"), TOKEN_OP)?;
        for s in 0..services {
            let service = dir.join(format!("s{s}/v1"));
            bytes += put(&service.join("types.yaml"), &types(s))?;
            let count = PER_SERVICE.min(n - s * PER_SERVICE);
            for i in 0..count {
                let (rel, text) = operation(s, i, code, *success, data);
                bytes += put(&service.join(rel), &text)?;
            }
        }
    }
    Ok(bytes)
}

fn put(path: &Path, text: &str) -> std::io::Result<u64> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, text)?;
    Ok(text.len() as u64)
}

const TOKEN_OP: &str = "title: Issue a token\nmethod: POST\npath: /v1/token\ntokens: []\nbody:\n  kind: json\n  fields:\n    key: {type: string, required: true}\n    secret: {type: string, required: true, secret: true}\nresponse:\n  envelope: flat\n  data:\n    fields:\n      token: {type: string, required: true, secret: true}\n      ttl: {type: int64, required: true}\n";

/// Ten named types per service: structs with scalars, enums, arrays and nested types.
fn types(s: usize) -> String {
    let mut t = String::from(
        "types:\n  Status:\n    description: Lifecycle state\n    enum: string\n    values:\n      active: In use\n      paused: Stopped for now\n      archived: Kept for the record\n  Level:\n    enum: int32\n    values:\n      1: {name: Low, description: Low}\n      2: {name: Mid, description: Middle}\n      3: {name: High, description: High}\n",
    );
    for k in 0..10 {
        let _ = write!(
            t,
            "  Item{k}:\n    description: Synthetic record {k} of service {s}\n    fields:\n      id: {{type: string, required: true, description: Identifier, example: \"i-{k}\"}}\n      name: {{type: string, description: Display name, max_length: 64}}\n      count: {{type: int64, description: How many}}\n      ratio: {{type: float, description: A fraction}}\n      enabled: {{type: bool, description: Whether it is on}}\n      status: {{type: Status, description: State}}\n      level: {{type: Level, description: Importance}}\n      tags: {{type: \"array<string>\", description: Labels, max_items: 20}}\n      attributes: {{type: \"map<string>\", description: Free attributes}}\n      extra: {{type: json, description: Anything else}}\n"
        );
        if k > 0 {
            let _ = writeln!(t, "      parent: {{type: Item{}, description: The record this one belongs to}}", k - 1);
            let _ = writeln!(t, "      children: {{type: \"array<Item{}>\", description: Records under this one}}", k - 1);
        }
    }
    t
}

/// One operation: the `i`-th of a service cycles through the shapes the real specs have.
fn operation(s: usize, i: usize, code: &str, success: i64, data: &str) -> (String, String) {
    let item = format!("Item{}", i % 10);
    let resource = format!("r{}", i / 5);
    let common_errors = "errors:\n  - {http_status: 400, code: 1001, message: invalid argument, hint: Check the inputs}\n  - {http_status: 404, code: 1002, message: not found}\n";
    let errata = "errata:\n  - {at: path, doc: \"`:id`\", spec: \"`{id}`\", reason: Braces for path parameters.}\n";
    let (method, text) = match i % 5 {
        0 => (
            "get",
            format!(
                "title: Get record {i} of service {s}\ndescription: Returns one record by id.\nmethod: GET\npath: /v1/s{s}/{resource}/{{id}}\ntokens: [app]\nscopes:\n  s{s}:read: Read records\nparameters:\n  path:\n    id: {{type: string, description: Record id, example: r-1}}\n  query:\n    id_type:\n      type: string\n      description: Kind of id\n      default: open_id\n      values: {{open_id: Open id, union_id: Union id, user_id: User id}}\n    depth: {{type: int32, description: Nesting depth, min: 0, max: 5}}\n    with_tags: {{type: bool, description: Include labels}}\nresponse:\n  data:\n    fields:\n      record: {{type: {item}, description: The record}}\n      related: {{type: \"array<{item}>\", description: Related records}}\n      note: {{type: string, description: A remark}}\n{common_errors}examples:\n  response: |\n    {{\"{code}\": {success}, \"{data}\": {{\"note\": \"ok\"}}}}\n{errata}"
            ),
        ),
        1 => (
            "create",
            format!(
                "title: Create record {i} of service {s}\nmethod: POST\npath: /v1/s{s}/{resource}\ntokens: [app]\nbody:\n  kind: json\n  fields:\n    name: {{type: string, required: true, description: Display name, example: first}}\n    status: {{type: Status, description: Initial state}}\n    tags: {{type: \"array<string>\", description: Labels}}\n    limits: {{type: \"map<int64>\", description: Per-kind limits}}\n    owner:\n      description: Who owns it\n      fields:\n        id: {{type: string, required: true, description: Owner id}}\n        kind: {{type: string, values: {{user: A user, group: A group}}, description: Owner kind}}\n    items: {{type: \"array<{item}>\", description: Initial records}}\nresponse:\n  data: {{type: {item}}}\n{common_errors}"
            ),
        ),
        2 => (
            "list",
            format!(
                "title: List records {i} of service {s}\nmethod: GET\npath: /v1/s{s}/{resource}\ntokens: [app, user]\nparameters:\n  query:\n    page_size: {{type: int32, description: Page size, max: 100}}\n    page_token: {{type: string, description: Where to continue}}\n    status: {{type: Status, description: Only in this state}}\n    ids: {{type: \"array<string>\", style: comma, description: Only these ids}}\nresponse:\n  data:\n    fields:\n      items: {{type: \"array<{item}>\", description: This page}}\n      page_token: {{type: string, description: Next page}}\n      has_more: {{type: bool, description: More pages follow}}\npagination:\n  style: cursor\n{common_errors}"
            ),
        ),
        3 => (
            "download",
            format!(
                "title: Download the file of record {i} of service {s}\nmethod: GET\npath: /v1/s{s}/{resource}/{{id}}/file\ntokens: [app]\nparameters:\n  path:\n    id: {{type: string, description: Record id}}\nresponse:\n  kind: binary\n{common_errors}"
            ),
        ),
        _ => (
            "upload",
            format!(
                "title: Upload a file to record {i} of service {s}\nmethod: PUT\npath: /v1/s{s}/{resource}/{{id}}/file\ntokens: [user]\nparameters:\n  path:\n    id: {{type: string, description: Record id}}\nbody:\n  kind: multipart\n  fields:\n    file: {{type: file, required: true, description: The file}}\n    file_name: {{type: string, required: true, description: Its name}}\n    kind: {{type: string, values: {{jpg: JPEG, png: PNG}}, description: Its format}}\n"
            ),
        ),
    };
    (format!("{resource}/{method}.yaml"), text)
}
