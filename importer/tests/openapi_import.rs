//! `importer::openapi` on small documents of our own: OpenAPI 3.1 in JSON (type lists, `const`,
//! `$ref` chains), what becomes a located warning instead of a failure, what fails the whole
//! document (not OpenAPI 3), and that what it writes passes the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

const DOC_31: &str = r##"{
  "openapi": "3.1.0",
  "info": {"title": "Tide tables", "version": "1"},
  "servers": [{"url": "https://tides.example/{stage}", "variables": {"stage": {"default": "v2"}}, "description": "Production"}],
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer"},
      "queryKey": {"type": "apiKey", "in": "query", "name": "key"}
    },
    "schemas": {
      "Station": {
        "type": "object",
        "required": ["id", "kind"],
        "properties": {
          "id": {"type": "string", "description": "Station id.", "examples": ["ST-1"]},
          "kind": {"$ref": "#/components/schemas/Kind"},
          "depth": {"type": ["number", "null"]},
          "owner": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
          "tags": {"type": "object", "additionalProperties": {"type": "integer"}}
        }
      },
      "Kind": {"type": "string", "enum": ["buoy", "pier"], "default": "buoy"},
      "Alias": {"$ref": "#/components/schemas/Station"}
    }
  },
  "security": [{"bearer": []}],
  "paths": {
    "/stations/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {
        "operationId": "getStation",
        "tags": ["stations"],
        "parameters": [{"name": "unit", "in": "query", "schema": {"const": "m"}}],
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alias"}}}},
          "404": {"description": "No such station"}
        }
      }
    },
    "/stations": {
      "post": {
        "operationId": "createStation",
        "tags": ["stations"],
        "security": [{"queryKey": []}],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Station"}}}},
        "responses": {"201": {"description": "created"}}
      }
    }
  }
}
"##;

fn write_out(imported: &importer::openapi::Imported, name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&root);
    for (rel, body) in &imported.files {
        let path = root.join("tides").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, body).unwrap();
    }
    root
}

#[test]
fn a_31_document_imports_to_specs_the_checker_accepts() {
    let imported = importer::openapi::import(DOC_31, "tides", "tides.json").unwrap();
    assert_eq!(imported.operations, 2);
    let file = |p: &str| imported.files.get(Path::new(p)).unwrap_or_else(|| panic!("no {p} in {:?}", imported.files.keys().collect::<Vec<_>>()));
    let vendor = file("vendor.yaml");
    assert!(vendor.contains("envelope: none"), "{vendor}");
    assert!(vendor.contains(r#"production: {url: "https://tides.example/v2", default: true}"#), "server variables take their defaults:\n{vendor}");
    assert!(vendor.contains("  bearer:\n    header: Authorization\n    prefix: \"Bearer \"\n    per_request: true"), "{vendor}");
    assert!(!vendor.contains("query_key"), "an API key in the query is not a token kind:\n{vendor}");
    let types = file("types.yaml");
    assert!(types.contains("Station:") && types.contains("Kind:"), "{types}");
    assert!(!types.contains("Alias:"), "an alias is not a type of its own:\n{types}");
    let get = file("stations/get_station.yaml");
    assert!(get.contains("type: Station"), "the alias resolves to the struct:\n{get}");
    assert!(get.contains("- m") || get.contains("m:"), "`const` becomes the one allowed value:\n{get}");
    assert!(get.contains("404") && get.contains("No such station"), "documented error statuses:\n{get}");
    let create = file("stations/create_station.yaml");
    assert!(create.contains("kind: json") && create.contains("id:"), "the body's fields come from the referenced struct:\n{create}");
    assert!(create.contains("tokens: []"), "an operation whose only scheme is unsupported sends no token:\n{create}");

    let root = write_out(&imported, "openapi-import-31");
    let api = codegen::analyze(&root, &root).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    let station = api.vendors[0].types.iter().find(|t| t.rust == "Station").expect("Station");
    let codegen::model::TypeKind::Struct(station) = &station.kind else { panic!("Station is a struct") };
    let fields = &station.members;
    let depth = fields.iter().find(|f| f.wire == "depth").unwrap();
    assert!(!depth.required && depth.ty == codegen::model::Ty::F64, "a [number, null] type is an optional number: {depth:?}");
    assert_eq!(fields.iter().find(|f| f.wire == "owner").unwrap().ty, codegen::model::Ty::Json);
    assert!(matches!(fields.iter().find(|f| f.wire == "tags").unwrap().ty, codegen::model::Ty::Map(_)));
}

#[test]
fn what_the_spec_format_cannot_say_is_a_warning_at_its_line() {
    let imported = importer::openapi::import(DOC_31, "tides", "tides.json").unwrap();
    let line_of = |needle: &str| DOC_31.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
    let messages: Vec<String> = imported.warnings.iter().map(|w| format!("{}:{} {}", w.line, w.col, w.message)).collect();
    let one_of = imported.warnings.iter().find(|w| w.message.contains("`oneOf` of 2 alternatives without a discriminator")).unwrap_or_else(|| panic!("{messages:?}"));
    assert_eq!(one_of.line, line_of("\"owner\""), "{messages:?}");
    assert_eq!(one_of.at, "#/components/schemas/Station/properties/owner");
    let key = imported.warnings.iter().find(|w| w.message.contains("API key in the query")).unwrap_or_else(|| panic!("{messages:?}"));
    assert_eq!(key.line, line_of("\"queryKey\": {"), "{messages:?}");
}

#[test]
fn only_openapi_3_documents_are_read_and_the_refusal_is_located() {
    let swagger = "swagger: \"2.0\"\ninfo: {title: old, version: \"1\"}\npaths: {}\n";
    let e = importer::openapi::import(swagger, "old", "old.yaml").unwrap_err();
    assert!(e.message.contains("Swagger 2.0") && e.message.contains("3.0 and 3.1"), "{e:?}");
    let unquoted = "openapi: 3.1\ninfo: {title: t, version: \"1\"}\npaths: {}\n";
    assert!(importer::openapi::import(unquoted, "t", "t.yaml").is_ok(), "`openapi: 3.1` unquoted is a version too");
    let broken = "{\"openapi\": \"3.0.3\", \"paths\": {\n  \"/a\": [}\n}";
    let e = importer::openapi::import(broken, "x", "x.json").unwrap_err();
    assert_eq!(e.line, 2, "a syntax error names its line: {e:?}");
    assert!(e.message.starts_with("invalid YAML"), "{e:?}");
}

/// A vendor that wraps answers as Feishu does (`code`, `msg`, `data`), described in plain
/// OpenAPI 3.0 without our `x-vendor`.
const WRAPPED: &str = r##"openapi: 3.0.3
info: {title: Kiln, version: "1"}
servers: [{url: "https://kiln.example"}]
components:
  schemas:
    Firing:
      type: object
      properties:
        id: {type: string}
        peak: {type: integer, format: int32, description: Peak temperature.}
    FiringAnswer:
      type: object
      properties:
        code: {type: integer}
        msg: {type: string}
        data:
          type: object
          properties:
            firing: {$ref: "#/components/schemas/Firing"}
paths:
  /firings/{id}:
    get:
      operationId: get_firing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/FiringAnswer"}}}}
    delete:
      operationId: delete_firing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {code: {type: integer}, msg: {type: string}}}
"##;

#[test]
fn answers_all_wrapped_in_code_msg_data_become_the_vendor_envelope() {
    let imported = importer::openapi::import(WRAPPED, "kiln", "kiln.yaml").unwrap();
    let file = |p: &str| imported.files.get(Path::new(p)).unwrap_or_else(|| panic!("no {p} in {:?}", imported.files.keys().collect::<Vec<_>>())).clone();
    let vendor = file("vendor.yaml");
    assert!(vendor.contains("envelope:\n  code: code\n  message: msg\n  data: data\n  success: 0\n"), "{vendor}");
    let warning = imported.warnings.iter().find(|w| w.message.contains("envelope")).expect("the inference is said");
    assert_eq!((warning.line, warning.message.contains("(2)")), (1, true), "{warning:?}");
    let get = file("api/get_firing.yaml");
    assert!(get.contains("response:\n  data:\n    fields:\n      firing:\n        type: Firing\n"), "the payload is what `data` holds:\n{get}");
    assert!(!get.contains("code:") && !get.contains("msg:"), "no envelope field is left in the answer:\n{get}");
    assert!(!file("api/delete_firing.yaml").contains("response:"), "an answer of `code` and `msg` only has no payload");

    // The checker accepts the specs, the envelope in its model (the runtime unwraps it).
    let root = write_out(&imported, "openapi-import-wrapped");
    let api = codegen::analyze(&root, &root).into_result().unwrap_or_else(|d| panic!("{}", d.render()));
    let envelope = api.vendors[0].envelope.as_ref().expect("an envelope");
    assert_eq!((envelope.code.as_str(), envelope.message.as_str(), envelope.success), ("code", "msg", 0));

    // One answer of another shape, and the document is plain HTTP again.
    let plain = WRAPPED.replace("msg: {type: string}}}", "msg: {type: string}, extra: {type: string}}}");
    let imported = importer::openapi::import(&plain, "kiln", "kiln.yaml").unwrap();
    let vendor = imported.files.get(Path::new("vendor.yaml")).unwrap();
    assert!(vendor.contains("envelope: none"), "{vendor}");
    assert!(imported.files.get(Path::new("api/get_firing.yaml")).unwrap().contains("type: FiringAnswer"), "the wrapper stays the answer");
}
