//! The Feishu parsers (`feishu_md`, `feishu_export`) on the project's own fixtures, on the
//! Feishu Markdown corpus in `../shared/docs/feishu`, and on the seed export page; and what the
//! importer makes of Feishu pages together: type tokens, types defined on other pages, the
//! service and version of pages that do not state them, historic pages, foreign hosts.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::spec::{Field, TypeDef, TypeDefKind, TypeExpr};
use importer::build::Built;
use importer::draft::{Draft, ErrorRow, Format, Located, Row, Warning, WarningKind};
use importer::operations::AuthingOperations;
use importer::page::{Corpus, PageError, Reason};
use importer::{feishu_export, feishu_md};

fn fixture(dir: &str, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn md(name: &str) -> Draft {
    feishu_md::parse(&fixture("feishu_md", name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn export(name: &str) -> Draft {
    feishu_export::parse(&fixture("feishu_export", name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn row(line: usize, depth: usize, name: &str, ty: &str, required: Option<bool>, description: &str) -> Row {
    Row { line, depth, name: name.to_owned(), ty: ty.to_owned(), required, description: description.to_owned(), ..Row::default() }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn located(line: usize, value: &str) -> Option<Located<String>> {
    Some(Located { value: value.to_owned(), line })
}

/// The `code` / `msg` / `data` rows every Feishu response table starts with.
fn envelope(first_line: usize) -> Vec<Row> {
    vec![
        row(first_line, 0, "code", "int", None, "错误码，非 0 表示失败"),
        row(first_line + 1, 0, "msg", "string", None, "错误描述"),
        row(first_line + 2, 0, "data", "-", None, "-"),
    ]
}

fn with(mut rows: Vec<Row>, more: Vec<Row>) -> Vec<Row> {
    rows.extend(more);
    rows
}

// ---------------------------------------------------------------------------------------------
// Feishu Markdown fixtures

#[test]
fn md_path_and_query_params_with_enums_and_defaults() {
    let d = md("params.md");
    assert_eq!(d.title, "列出温室里的植物");
    assert_eq!(d.description.as_deref(), Some("按页列出某个温室中登记的全部植物。\n\nWarning: 只返回仍在养护期内的植物。\n\n注意事项：温室必须已经启用。"));
    assert_eq!(d.full_path.as_deref(), Some("/uAjLw4CM/ukTMukTMukTM/garden-v1/plant/list"));
    assert_eq!(d.doc_url.as_deref(), Some("https://open.feishu.cn/document/server-docs/garden-v1/plant/list"));
    assert_eq!(d.updated.as_deref(), Some("2023-11-14"));
    assert_eq!(d.method.as_deref(), Some("GET"));
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/garden/v1/greenhouses/:greenhouse_id/plants"));
    assert_eq!(d.sdk_method, None);
    assert_eq!(d.app_types, strings(&["custom", "isv"]));
    assert_eq!(d.token_kinds, strings(&["tenant_access_token", "user_access_token"]));
    assert_eq!(d.scopes, pairs(&[("garden:plant:readonly", "查看温室植物"), ("garden:plant", "管理温室植物")]));
    assert!(d.field_scopes.is_empty());
    assert_eq!(d.rate_limit.as_deref(), Some("50 次/秒"));
    assert_eq!(d.path_params, [row(37, 0, "greenhouse_id", "string", None, "温室 ID\n示例值：\"gh_sunny_01\"")]);
    assert_eq!(
        d.query_params,
        [
            row(43, 0, "page_size", "int", Some(false), "每页数量\n示例值：20\n默认值：`10`\n数据校验规则：\n- 取值范围：`1` ～ `50`"),
            row(
                44,
                0,
                "sort_order",
                "string",
                Some(false),
                "排序方式\n示例值：\"by_name\"\n可选值有：\n- `by_name`: 按名称排序 - `by_planted_at`: 按种植时间排序\n默认值：`by_name`"
            ),
            row(45, 0, "page_token", "string", Some(false), "分页标记，第一次请求不填\n示例值：\"pt_abc\""),
        ]
    );
    // Authorization and Content-Type are not header parameters; other headers are.
    assert_eq!(d.header_params, [row(31, 0, "X-Garden-Trace", "string", Some(false), "调用方自定义的追踪编号\n示例值：\"trace-42\"")]);
    assert!(d.body.is_empty());
    assert!(!d.body_multipart);
    assert_eq!(d.response, with(envelope(53), vec![row(56, 1, "has_more", "boolean", None, "是否还有更多")]));
    assert!(!d.response_binary);
    assert_eq!(d.request_example, None);
    assert_eq!(d.response_example, located(61, "{\"code\": 0, \"msg\": \"success\", \"data\": {\"has_more\": false}}\n"));
    assert!(d.errors.is_empty());
    assert!(d.types.is_empty());
    assert_eq!(d.warnings, []);
}

#[test]
fn md_json_body_with_nested_rows_and_arrays_of_objects() {
    let d = md("json_body.md");
    assert_eq!(d.title, "登记植物");
    assert_eq!(d.description.as_deref(), Some("在温室中登记一株新植物，并附上它的养护计划。"));
    assert_eq!(d.doc_url.as_deref(), Some("https://open.feishu.cn/document/server-docs/garden-v1/plant/create"));
    assert_eq!(d.updated.as_deref(), Some("2024-01-01"));
    assert_eq!(d.method.as_deref(), Some("POST"));
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/garden/v1/plants"));
    assert_eq!(d.app_types, strings(&["custom"]));
    assert_eq!(d.token_kinds, strings(&["tenant_access_token"]));
    assert_eq!(d.scopes, pairs(&[("garden:plant", "管理温室植物")]));
    assert_eq!(d.rate_limit.as_deref(), Some("10 次/秒"));
    assert!(d.path_params.is_empty() && d.query_params.is_empty() && d.header_params.is_empty());
    assert_eq!(
        d.body,
        [
            row(32, 0, "name", "string", Some(true), "植物名称\n示例值：\"Basil\""),
            row(33, 0, "tags", "string[]", Some(false), "标签\n示例值：[\"herb\"]"),
            row(34, 0, "care_plan", "care_plan", Some(false), "养护计划"),
            row(35, 1, "water_every_days", "int", Some(true), "浇水间隔（天）\n示例值：3"),
            row(36, 1, "steps", "care_step[]", Some(false), "养护步骤"),
            row(37, 2, "action", "string", Some(true), "动作\n可选值有：\n- `water`: 浇水 - `prune`: 修剪"),
            row(38, 2, "minutes", "int", Some(false), "时长（分钟）"),
        ]
    );
    assert!(!d.body_multipart);
    assert_eq!(d.response, with(envelope(59), vec![row(62, 1, "plant_id", "string", None, "新植物的 ID")]));
    assert_eq!(
        d.request_example,
        located(
            43,
            "{\n    \"name\": \"Basil\",\n    \"tags\": [\"herb\"],\n    \"care_plan\": {\n        \"water_every_days\": 3,\n        \"steps\": [{\"action\": \"water\", \"minutes\": 5}]\n    }\n}\n"
        )
    );
    assert_eq!(d.response_example, located(67, "{\n    \"code\": 0,\n    \"msg\": \"success\",\n    \"data\": {\"plant_id\": \"pl_001\"}\n}\n"));
    assert!(!d.response_binary);
    assert_eq!(d.warnings, []);
}

#[test]
fn md_multipart_upload_with_a_file_row() {
    let d = md("multipart_upload.md");
    assert_eq!(d.title, "上传植物照片");
    assert_eq!(d.method.as_deref(), Some("POST"));
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/garden/v1/photos"));
    assert_eq!(d.scopes, pairs(&[("garden:photo:upload", "上传植物照片")]));
    assert_eq!(d.rate_limit, None);
    assert!(d.header_params.is_empty());
    assert_eq!(
        d.body,
        [row(31, 0, "plant_id", "string", Some(true), "植物 ID\n示例值：\"pl_001\""), row(32, 0, "photo", "file", Some(true), "照片内容，不超过 5 MB\n示例值：二进制文件"),]
    );
    assert!(d.body_multipart);
    // The multipart sample is not JSON and is kept verbatim.
    assert_eq!(
        d.request_example,
        located(
            37,
            "---Garden7Q\nContent-Disposition: form-data; name=\"plant_id\";\n\npl_001\n---Garden7Q\nContent-Disposition: form-data; name=\"photo\";\nContent-Type: application/octet-stream\n\n二进制文件\n---Garden7Q\n"
        )
    );
    assert_eq!(d.response, with(envelope(55), vec![row(58, 1, "photo_key", "string", None, "照片的 Key")]));
    assert_eq!(d.response_example, located(63, "{\"code\": 0, \"msg\": \"success\", \"data\": {\"photo_key\": \"ph_9\"}}\n"));
    assert!(!d.response_binary);
    assert_eq!(d.warnings, []);
}

#[test]
fn md_multipart_from_the_file_row_alone() {
    let page = fixture("feishu_md", "multipart_upload.md").replace("multipart/form-data; boundary=---Garden7Q", "application/json; charset=utf-8");
    let d = feishu_md::parse(&page).expect("parses");
    assert!(d.body_multipart, "a `file` row makes the body multipart");
}

#[test]
fn md_a_nested_file_row_is_a_struct_not_an_upload() {
    let page = fixture("feishu_md", "multipart_upload.md").replace("multipart/form-data; boundary=---Garden7Q", "application/json; charset=utf-8").replace(
        "| `photo` | `file` | 是 | 照片内容，不超过 5 MB<br>**示例值**：二进制文件 |",
        "| `block` | `object` | 是 | 一个块 |\n| &nbsp;&nbsp;└ `file` | `file` | 否 | 文件块 |",
    );
    let d = feishu_md::parse(&page).expect("parses");
    assert!(d.body.iter().any(|r| r.depth == 1 && r.ty == "file"), "{:?}", d.body);
    assert!(!d.body_multipart, "a nested `file` row is a block of that name, not a file part");
}

#[test]
fn md_binary_download() {
    let d = md("binary_download.md");
    assert_eq!(d.title, "下载植物照片");
    assert_eq!(d.description.as_deref(), Some("根据照片的 Key 下载原图。"));
    assert_eq!(d.method.as_deref(), Some("GET"));
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/garden/v1/photos/:photo_key"));
    assert_eq!(d.scopes, []);
    assert_eq!(d.token_kinds, strings(&["tenant_access_token"]));
    assert_eq!(d.path_params, [row(30, 0, "photo_key", "string", None, "照片的 Key\n示例值：\"ph_9\"")]);
    assert!(d.response.is_empty());
    assert!(d.response_binary);
    assert_eq!(d.response_example, None);
    assert_eq!(d.errors, [ErrorRow { line: 42, http_status: Some(404), code: 1_770_404, message: "photo not found".to_owned(), hint: Some("检查照片的 Key".to_owned()) }]);
    assert_eq!(d.warnings, []);
}

#[test]
fn md_nested_response_with_array_types() {
    let d = md("nested_response.md");
    assert_eq!(d.title, "获取温室详情");
    assert_eq!(d.method.as_deref(), Some("GET"));
    assert_eq!(d.scopes, pairs(&[("garden:greenhouse:readonly", "查看温室")]));
    assert_eq!(
        d.response,
        with(
            envelope(38),
            vec![
                row(41, 1, "greenhouse", "greenhouse", None, "温室"),
                row(42, 2, "name", "string", None, "温室名称"),
                row(43, 2, "sensors", "sensor[]", None, "传感器列表"),
                row(44, 3, "kind", "string", None, "传感器种类"),
                row(45, 3, "readings", "float[]", None, "最近的读数"),
                row(46, 2, "plant_ids", "string[]", None, "植物 ID 列表"),
            ]
        )
    );
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(51));
    assert!(!d.response_binary);
    assert_eq!(d.warnings, []);
}

#[test]
fn md_errors_table() {
    let d = md("errors.md");
    assert_eq!(d.method.as_deref(), Some("DELETE"));
    assert_eq!(d.path_params, [row(30, 0, "plant_id", "string", None, "植物 ID\n示例值：\"pl_001\"")]);
    assert_eq!(d.response, envelope(38));
    assert_eq!(
        d.errors,
        [
            ErrorRow { line: 52, http_status: Some(400), code: 1_770_001, message: "plant not found".to_owned(), hint: Some("检查植物 ID 是否正确".to_owned()) },
            ErrorRow { line: 53, http_status: Some(403), code: 1_770_002, message: "no permission".to_owned(), hint: None },
        ]
    );
    assert_eq!(
        d.warnings,
        [Warning { line: 54, kind: WarningKind::Other, message: "the 错误码 row at line 54 has `待定` where an integer error code belongs; the row was skipped.".to_owned() }]
    );
}

#[test]
fn md_field_scopes() {
    let d = md("field_scopes.md");
    assert_eq!(d.app_types, strings(&["custom", "isv"]));
    assert_eq!(d.scopes, pairs(&[("garden:gardener:readonly", "查看园丁")]));
    assert_eq!(d.field_scopes, pairs(&[("garden:gardener.phone:readonly", "查看园丁电话"), ("garden:gardener.salary:readonly", "查看园丁薪资")]));
    assert_eq!(d.path_params, [row(31, 0, "gardener_id", "string", None, "园丁 ID\n示例值：\"gd_7\"")]);
    assert_eq!(d.response, with(envelope(39), vec![row(42, 1, "phone", "string", None, "电话\n字段权限要求： `garden:gardener.phone:readonly` 查看园丁电话")]));
    assert_eq!(d.warnings, []);
}

#[test]
fn md_user_token_only() {
    let d = md("user_token_only.md");
    assert_eq!(d.title, "收藏植物");
    assert_eq!(d.method.as_deref(), Some("POST"), "the method is upper-cased");
    assert_eq!(d.app_types, strings(&["isv"]));
    assert_eq!(d.token_kinds, strings(&["user_access_token"]));
    assert_eq!(d.scopes, [], "`无` means no scopes");
    assert_eq!(d.body, [row(31, 0, "plant_id", "string", Some(true), "植物 ID")]);
    assert_eq!(d.request_example, located(36, "{\"plant_id\": \"pl_001\"}\n"));
    assert_eq!(d.response, envelope(45)[..2]);
    assert_eq!(d.response_example, located(51, "{\"code\": 0, \"msg\": \"success\"}\n"));
    assert_eq!(d.warnings, []);
}

#[test]
fn md_row_without_a_name_is_dropped_with_a_warning() {
    let d = md("missing_name.md");
    assert_eq!(d.method.as_deref(), Some("PATCH"));
    assert_eq!(d.body, [row(30, 0, "name", "string", Some(false), "温室名称"), row(32, 0, "humidity", "int", Some(false), "目标湿度")]);
    assert_eq!(
        d.warnings,
        [Warning { line: 31, kind: WarningKind::MissingName, message: "the 请求体 row at line 31 (type `int`) has an empty name cell; the row was dropped.".to_owned() }]
    );
}

#[test]
fn md_duplicate_row_is_dropped_with_a_warning() {
    let d = md("duplicate_row.md");
    // `id` under `data.log.gardener` is not a duplicate of `id` under `data.log`; the second
    // `id` under `data.log` is.
    assert_eq!(
        d.response,
        with(
            envelope(38),
            vec![
                row(41, 1, "log", "care_log", None, "养护记录"),
                row(42, 2, "id", "string", None, "记录 ID"),
                row(43, 2, "gardener", "gardener", None, "执行的园丁"),
                row(44, 3, "id", "string", None, "园丁 ID"),
            ]
        )
    );
    assert_eq!(
        d.warnings,
        [Warning {
            line: 45,
            kind: WarningKind::DuplicateField,
            message: "the 响应体 table lists `id` twice under `data.log` (lines 42 and 45); the second row was dropped.".to_owned(),
        }]
    );
}

#[test]
fn md_page_without_http_method_is_not_an_api_page() {
    let err = feishu_md::parse(&fixture("feishu_md", "not_api.md")).expect_err("not an API page");
    assert_eq!(err.line, 7, "points at the page title");
    assert!(err.message.contains("HTTP Method"), "{}", err.message);
    assert!(feishu_md::parse("").is_err());
}

// ---------------------------------------------------------------------------------------------
// Feishu export fixtures

#[test]
fn export_flat_response_rows_get_their_nesting_from_the_example() {
    let d = export("flat_response.txt");
    assert_eq!(d.title, "获取温室传感器");
    assert_eq!(d.description.as_deref(), Some("读取温室中一个传感器的最新状态。\n\n注意事项：离线的传感器只返回上一次的读数"));
    assert_eq!(d.doc_url.as_deref(), Some("https://open.feishu.cn/document/server-docs/garden-v1/sensor/get"));
    assert_eq!(d.full_path, None);
    assert_eq!(d.updated.as_deref(), Some("2023-11-14"));
    assert_eq!(d.method.as_deref(), Some("GET"));
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/garden/v1/sensors/:sensor_id"));
    assert_eq!(d.app_types, strings(&["自建应用", "商店应用"]));
    assert_eq!(d.token_kinds, strings(&["tenant_access_token"]));
    // The 权限要求 row's name cell runs over two physical lines; 字段权限要求 over three.
    assert_eq!(d.scopes, pairs(&[("garden:sensor:readonly", "查看温室传感器")]));
    assert_eq!(d.field_scopes, pairs(&[("garden:sensor.location:readonly", "查看传感器位置"), ("garden:sensor.serial:readonly", "查看传感器序列号")]));
    assert_eq!(d.rate_limit, None);
    assert!(d.header_params.is_empty());
    assert_eq!(d.path_params, [row(39, 0, "sensor_id", "string", None, "传感器 ID\n示例值：\"sn_12\"")]);
    assert_eq!(
        d.query_params,
        [row(46, 0, "unit", "string", Some(false), "温度单位\n示例值：\"celsius\"\n可选值有：\n- celsius：摄氏度\n- fahrenheit：华氏度\n默认值：`celsius`")]
    );
    assert_eq!(
        d.response,
        with(
            envelope(59),
            vec![
                row(62, 1, "sensor", "sensor", None, "传感器"),
                row(63, 2, "reading", "reading", None, "最新读数"),
                row(64, 3, "value", "float", None, "数值"),
                row(65, 3, "taken_at", "string", None, "读取时间"),
                row(66, 2, "location", "string", None, "安装位置"),
                row(67, 2, "sensor_id", "string", None, "传感器 ID"),
            ]
        )
    );
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(71));
    assert!(d.response_example.as_ref().is_some_and(|e| e.value.starts_with("{\n    \"code\": 0,") && e.value.ends_with("}\n")));
    assert_eq!(d.errors, [ErrorRow { line: 91, http_status: Some(400), code: 1_770_101, message: "sensor not found".to_owned(), hint: Some("检查传感器 ID".to_owned()) }]);
    assert!(!d.response_binary);
    assert_eq!(
        d.warnings,
        [Warning {
            line: 57,
            kind: WarningKind::NestingFromExample,
            message: "the 响应体 table's rows are flat (no `└` nesting); their nesting comes from the example at line 71.".to_owned(),
        }]
    );
}

#[test]
fn export_flat_body_rows_and_arrays_of_objects() {
    let d = export("flat_body.txt");
    assert_eq!(d.title, "创建灌溉计划");
    assert_eq!(d.doc_url.as_deref(), Some("https://open.feishu.cn/document/server-docs/garden-v1/irrigation/create"));
    assert_eq!(d.updated.as_deref(), Some("2024-02-29"));
    assert_eq!(d.method.as_deref(), Some("POST"));
    assert_eq!(d.app_types, strings(&["自建应用"]));
    assert_eq!(d.token_kinds, strings(&["tenant_access_token", "user_access_token"]));
    assert_eq!(d.scopes, pairs(&[("garden:irrigation", "管理灌溉")]));
    // The second `name` is consumed after `zones`, so it lands inside the zone objects.
    assert_eq!(
        d.body,
        [
            row(33, 0, "name", "string", Some(true), "计划名称\n示例值：\"morning\""),
            row(35, 0, "schedule", "schedule", Some(true), "时间安排"),
            row(36, 1, "start", "string", Some(true), "开始时间\n示例值：\"06:00\""),
            row(38, 1, "end", "string", Some(false), "结束时间"),
            row(39, 0, "zones", "zone[]", Some(false), "灌溉区域"),
            row(40, 1, "name", "string", Some(true), "区域名称"),
            row(41, 1, "area", "float", Some(false), "面积（平方米）"),
        ]
    );
    assert!(!d.body_multipart);
    assert_eq!(d.request_example.as_ref().map(|e| e.line), Some(45));
    assert_eq!(d.response, with(envelope(66), vec![row(69, 1, "irrigation_id", "string", None, "计划 ID"), row(70, 1, "queued", "boolean", None, "是否已排队")]));
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(74));
    assert_eq!(
        d.warnings,
        [
            Warning {
                line: 31,
                kind: WarningKind::NestingFromExample,
                message: "the 请求体 table's rows are flat (no `└` nesting); their nesting comes from the example at line 45.".to_owned(),
            },
            Warning {
                line: 64,
                kind: WarningKind::NestingFromExample,
                message: "the 响应体 table's rows are flat (no `└` nesting); their nesting comes from the example at line 74; one row not in the example kept the depth of the row before: queued.".to_owned(),
            },
        ]
    );
}

#[test]
fn export_page_without_http_method_is_not_an_api_page() {
    let page = "---\ntitle: \"概述\"\nsource_url: https://open.feishu.cn/document/server-docs/garden-v1/overview\n---\n\n# 概述\n\n名称 | 值\n---|---\n温室 | 植物生长的地方\n";
    let err = feishu_export::parse(page).expect_err("not an API page");
    assert_eq!(err.line, 6);
    assert!(err.message.contains("HTTP Method"), "{}", err.message);
}

// ---------------------------------------------------------------------------------------------
// Pages together: type tokens, types from other pages, identity, historic pages, hosts

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feishu_md").join(name)
}

/// The fixture pages `names` imported as one corpus, by file name.
fn corpus(names: &[&str]) -> BTreeMap<String, Result<Built, PageError>> {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture_path(n)).collect();
    Corpus::read(&paths).import_all(&AuthingOperations::shipped()).into_iter().map(|(p, r)| (p.file_name().unwrap().to_string_lossy().into_owned(), r.map(|(_, b)| b))).collect()
}

/// Pages given as text, imported as one corpus, by the path given.
fn corpus_of_texts(pages: &[(&str, String)]) -> BTreeMap<String, Result<(Format, Built), PageError>> {
    let texts = pages.iter().map(|(p, t)| (PathBuf::from(p), t.clone())).collect();
    Corpus::from_texts(texts).import_all(&AuthingOperations::shipped()).into_iter().map(|(p, r)| (p.to_string_lossy().into_owned(), r)).collect()
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_with(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("`{needle}` not in the page"))
}

fn type_named<'b>(b: &'b Built, name: &str) -> &'b TypeDef {
    b.types.iter().find(|t| t.name.value == name).unwrap_or_else(|| panic!("no type `{name}` among {:?}", b.types.iter().map(|t| &t.name.value).collect::<Vec<_>>()))
}

fn struct_fields<'b>(b: &'b Built, name: &str) -> &'b [Field] {
    match &type_named(b, name).kind {
        TypeDefKind::Struct(f) => f,
        TypeDefKind::Enum(_) => panic!("`{name}` is an enum"),
    }
}

fn field<'f>(fields: &'f [Field], name: &str) -> &'f Field {
    fields.iter().find(|f| f.name.value == name).unwrap_or_else(|| panic!("no field `{name}`"))
}

/// `(field, type)` of each field, the type as the spec writes it.
fn shapes(fields: &[Field]) -> Vec<(String, String)> {
    fields.iter().map(|f| (f.name.value.clone(), f.ty.value.to_string())).collect()
}

fn kinds_at(b: &Built, kind: WarningKind) -> Vec<usize> {
    b.warnings.iter().filter(|w| w.kind == kind).map(|w| w.line).collect()
}

#[test]
fn type_tokens_in_every_spelling_become_spec_types() {
    let text = fixture("feishu_md", "type_tokens.md");
    let (_, b) = importer::page::import(&fixture_path("type_tokens.md"), &text, &AuthingOperations::shipped()).expect("imports");
    let bed = struct_fields(&b, "garden.bed");
    let s = |a: &str, t: &str| (a.to_owned(), t.to_owned());
    assert_eq!(
        shapes(bed),
        [
            s("area", "float"),
            s("readings", "array<float>"),
            s("labels", "map<string>"),
            s("counts", "map<int64>"),
            s("tags", "array<string>"),
            s("plot_ids", "array<int64>"),
            s("layout", "object"),
            s("border", "Border"),
            // Alone, the page has no definition of these: free-form JSON, each with its reason.
            s("soil", "json"),
            s("fence", "json"),
            s("trellis", "json"),
            s("shade", "json"),
            s("weather", "map<json>"),
            s("extra", "json"),
            s("memo", "json"),
            s("gnome", "json"),
        ]
    );
    assert_eq!(shapes(field(bed, "layout").fields.as_deref().unwrap()), [s("rows", "int64")], "`/` with rows under it is an inline object");
    assert_eq!(shapes(struct_fields(&b, "Border")), [s("material", "string")], "`object(Border)` names the type its rows make");
    assert_eq!(b.operation.query_params[0].ty.value, TypeExpr::String, "a parameter with prose for its type travels as text");

    assert_eq!(kinds_at(&b, WarningKind::UnionType), [line_with(&text, "`weather`"), line_with(&text, "`extra`")]);
    assert_eq!(kinds_at(&b, WarningKind::NoTypeStated), [line_with(&text, "`memo`")]);
    let unknown: Vec<(usize, &str)> = b.warnings.iter().filter(|w| w.kind == WarningKind::UnknownTypeToken).map(|w| (w.line, w.message.as_str())).collect();
    let names: Vec<usize> = unknown.iter().map(|(l, _)| *l).collect();
    assert_eq!(names, ["`soil`", "`fence`", "`trellis`", "`shade`", "`gnome`"].map(|n| line_with(&text, n)));
    assert!(unknown[0].1.starts_with("type `soil_report` of `soil` is defined neither on this page"), "{}", unknown[0].1);
    let param = b.warnings.iter().find(|w| w.line == line_with(&text, "`unit`")).expect("the parameter's warning");
    assert_eq!(param.kind, WarningKind::Other);
    assert!(param.message.contains("`URL参数` where a type belongs"), "{}", param.message);
}

#[test]
fn types_the_page_names_without_fields_come_from_the_pages_that_define_them() {
    let pages = corpus(&["type_tokens.md", "soil_report.md", "data_structure.md"]);
    let b = pages["type_tokens.md"].as_ref().expect("imports");
    let bed = struct_fields(b, "garden.bed");
    let s = |a: &str, t: &str| (a.to_owned(), t.to_owned());
    let typed: Vec<(String, String)> = shapes(bed).into_iter().filter(|(f, _)| ["soil", "fence", "trellis", "shade", "gnome"].contains(&f.as_str())).collect();
    assert_eq!(typed, [s("soil", "soil_report"), s("fence", "Fence"), s("trellis", "Trellis"), s("shade", "Shade"), s("gnome", "json")]);

    // Another API page of the service lists `soil_report`'s rows.
    assert_eq!(shapes(struct_fields(b, "soil_report")), [s("ph", "float"), s("moisture", "int64")]);
    // The data-structure page: `{}` is an empty structure, dotted names nest, an enum table.
    // The type takes the spelling its service's pages define it with: `fence` is `Fence`.
    assert_eq!(shapes(struct_fields(b, "Fence")), []);
    assert_eq!(shapes(struct_fields(b, "Trellis")), [s("frame", "Frame"), s("climbing", "bool"), s("vine", "json")]);
    assert_eq!(field(struct_fields(b, "Trellis"), "climbing").default.as_ref().map(|d| d.value.clone()), Some(serde_json::json!(false)));
    let frame = struct_fields(b, "Frame");
    assert_eq!(shapes(frame), [s("height", "float")]);
    assert!(frame[0].required, "`required` in the 属性 column");
    let TypeDefKind::Enum(shade) = &type_named(b, "Shade").kind else { panic!("`Shade` is an enum") };
    assert_eq!(shade.values.iter().map(|v| v.value.value.as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert_eq!(shade.base.value, codegen::spec::Scalar::Int64);

    // Each recovered type is a warning at the line that names it, pointing at its definition.
    let text = fixture("feishu_md", "type_tokens.md");
    let recovered: Vec<(usize, &str)> = b.warnings.iter().filter(|w| w.kind == WarningKind::TypeFromOtherPage).map(|w| (w.line, w.message.as_str())).collect();
    let soil = recovered.iter().find(|(l, _)| *l == line_with(&text, "`soil`")).expect("a warning for `soil`").1;
    let defined_at = line_with(&fixture("feishu_md", "soil_report.md"), "└ `report`");
    assert!(soil.contains(&format!("`soil_report` at soil_report.md:{defined_at}")), "{soil}");
    let fence = recovered.iter().find(|(l, _)| *l == line_with(&text, "`fence`")).expect("a warning for `fence`").1;
    assert!(fence.contains(&format!("`Fence` at data_structure.md:{}", line_with(&fixture("feishu_md", "data_structure.md"), "### Fence"))), "{fence}");
    // A defect inside a borrowed definition is a warning where this page names the type.
    let unknown: Vec<(usize, &str)> = b.warnings.iter().filter(|w| w.kind == WarningKind::UnknownTypeToken).map(|w| (w.line, w.message.as_str())).collect();
    let trellis_at = line_with(&fixture("feishu_md", "data_structure.md"), "### Trellis");
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert_eq!(unknown[0].0, line_with(&text, "`trellis`"));
    assert!(
        unknown[0].1.starts_with("type `Vine` of `vine`") && unknown[0].1.ends_with(&format!("(in the definition of `Trellis` at data_structure.md:{trellis_at})")),
        "{}",
        unknown[0].1
    );
    assert_eq!(unknown[1].0, line_with(&text, "`gnome`"));
    assert!(unknown[1].1.contains("nor on any other page of the corpus"), "{}", unknown[1].1);

    assert_eq!(pages["data_structure.md"].as_ref().map(|_| ()).unwrap_err().reason, Reason::NotAnApiPage);
    assert!(pages["soil_report.md"].is_ok());
}

#[test]
fn a_historic_page_is_deprecated_with_the_pointer_it_gives() {
    let pages = corpus(&["historic-version/greenhouse-v1/vent_open.md"]);
    let b = pages["vent_open.md"].as_ref().expect("imports");
    // Neither the doc path nor the API path names a version: the folder `greenhouse-v1` does.
    assert_eq!((b.service.as_str(), b.rel_path.as_str()), ("greenhouse/v1", "greenhouse/v1/vents/open"));
    assert_eq!(b.operation.path.value, "/open-apis/greenhouse/vents/{vent_id}/open");
    assert_eq!(
        b.operation.deprecated.as_deref(),
        Some("本接口为历史版本，不再维护。推荐使用新版接口打开通风口 (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/garden-v1/vent/open)。")
    );
    // The same page outside a historic folder is deprecated too: it says so itself.
    let text = fixture("feishu_md", "historic-version/greenhouse-v1/vent_open.md");
    let d = feishu_md::parse(&text).unwrap();
    let notice = d.notice.expect("a notice");
    assert!(notice.deprecates);
    assert_eq!(notice.line, line_with(&text, "本接口为历史版本"));
    // A historic page without a pointer is deprecated without a note.
    let bare =
        text.replace("> **Warning**: 本接口为历史版本，不再维护。推荐使用新版接口[打开通风口](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/garden-v1/vent/open)。", "");
    let pages = corpus_of_texts(&[("docs/historic-version/greenhouse-v1/vent_open.md", bare.clone())]);
    let (_, b) = pages["docs/historic-version/greenhouse-v1/vent_open.md"].as_ref().expect("imports");
    assert_eq!(b.operation.deprecated.as_deref(), Some(""));
    let pages = corpus_of_texts(&[("docs/greenhouse-v1/vent_open.md", bare)]);
    assert_eq!(pages["docs/greenhouse-v1/vent_open.md"].as_ref().unwrap().1.operation.deprecated, None, "a current page that says nothing is not deprecated");
}

/// A Feishu page of our own: `method url`, filed at `full_path`, answering `{"code": 0}`.
fn api_page(full_path: &str, method: &str, url: &str, intro: &str) -> String {
    format!(
        "---\ntitle: \"果园接口\"\nfullPath: \"{full_path}\"\n---\n\n# 果园接口\n\n{intro}\n\n## 请求\n\n| 项目 | 值 |\n| --- | --- |\n| HTTP URL | {url} |\n| HTTP Method | {method} |\n\n### 请求头\n\n| 名称 | 类型 | 必填 | 描述 |\n| --- | --- | --- | --- |\n| Authorization | string | 是 | `tenant_access_token` |\n\n## 响应\n\n### 响应体\n\n| 名称 | 类型 | 描述 |\n| --- | --- | --- |\n| `code` | `int` | 错误码 |\n| `msg` | `string` | 错误描述 |\n\n### 响应体示例\n\n```json\n{{\"code\": 0, \"msg\": \"success\"}}\n```\n"
    )
}

#[test]
fn a_page_on_another_feishu_site_is_a_service_with_hosts_of_its_own() {
    let pages = corpus(&["other_site.md"]);
    let b = pages["other_site.md"].as_ref().expect("imports");
    // Named by its API path, origin left out: `/orchard/openapi/v2/…` is not under `/open-apis/`.
    assert_eq!((b.service.as_str(), b.rel_path.as_str()), ("orchard_openapi/v2", "orchard_openapi/v2/order/get"));
    assert_eq!(b.operation.path.value, "/orchard/openapi/v2/order/get");
    let hosts: Vec<(&str, &str)> = b.hosts.iter().map(|h| (h.name.value.as_str(), h.url.value.as_str())).collect();
    assert_eq!(hosts, [("feishu", "https://www.feishu.cn"), ("lark", "https://www.larksuite.com")]);
    // Filed under a `<service>-v<n>` folder, it is still named by its API path: its hosts are the API's.
    let page = api_page("/uAjLw4CM/ukTMukTMukTM/reference/orchard-v4/order/get", "POST", "https://www.feishu.cn/orchard/openapi/v2/order/get", "");
    let pages = corpus_of_texts(&[("c/orchard-v4/order_get.md", page)]);
    assert_eq!(pages["c/orchard-v4/order_get.md"].as_ref().unwrap().1.rel_path, "orchard_openapi/v2/order/get");
    // A page on the vendor's hosts has none of its own.
    assert!(corpus(&["params.md"])["params.md"].as_ref().unwrap().hosts.is_empty());
}

#[test]
fn a_browser_page_and_a_page_on_an_unknown_host_are_left_out_with_the_line_of_their_url() {
    // OAuth's authorize step: an address the app sends the user's browser to.
    let page = api_page("/common-capabilities/sso/api/orchard-login", "GET", "https://accounts.feishu.cn/open-apis/authen/v1/authorize", "本接口实际为授权页面。");
    let e = importer::page::import(Path::new("login.md"), &page, &AuthingOperations::shipped()).unwrap_err();
    assert_eq!((e.reason, e.line), (Reason::BrowserPage, line_with(&page, "HTTP URL")));
    assert!(e.message.contains("`accounts.feishu.cn`") && e.message.contains("browser"), "{}", e.message);
    // A site whose URL for each of the vendor's hosts the importer does not know.
    let page = api_page("/ukTMukTMukTM/uOrchardSeeds", "POST", "https://www.orchard.example/orchard/openapi/v2/seeds/order", "订购种子。");
    let e = importer::page::import(Path::new("seeds.md"), &page, &AuthingOperations::shipped()).unwrap_err();
    assert_eq!((e.reason, e.line), (Reason::OtherHost, line_with(&page, "HTTP URL")));
    assert!(e.message.contains("`www.orchard.example`"), "{}", e.message);
}

#[test]
fn services_and_versions_the_doc_path_does_not_tell() {
    let pages = corpus_of_texts(&[
        // The resource repeats the service: the doc path still names resource and method.
        ("c/orchard/list.md", api_page("/uAjLw4CM/ukTMukTMukTM/reference/orchard-v4/orchard/list", "GET", "https://open.feishu.cn/open-apis/orchard/v4/orchards", "")),
        ("c/orchard/get.md", api_page("/uAjLw4CM/ukTMukTMukTM/reference/orchard-v4/orchard/get", "GET", "https://open.feishu.cn/open-apis/orchard/v4/orchards/:orchard_id", "")),
        // A service with a sub-service before its version, as the old SDKs name it.
        ("c/shed/children.md", api_page("/ukTMukTMukTM/uShedChildren", "GET", "https://open.feishu.cn/open-apis/orchard/shed/v2/folder/:token/children", "")),
        // No version anywhere on the page: the one the corpus knows of the service.
        ("c/orchard-v4/hive.md", api_page("/ukTMukTMukTM/uHive", "POST", "https://open.feishu.cn/open-apis/orchard/hive/reply", "")),
        // A service no page of the corpus gives a version: a service without one.
        ("c/bees.md", api_page("/ukTMukTMukTM/uBees", "GET", "https://open.feishu.cn/open-apis/bees/queen/get", "")),
        ("c/bee_docs.md", api_page("/ukTMukTMukTM/uBeeDocs", "GET", "https://open.feishu.cn/open-apis/bees/docs-api/meta", "")),
        // A service the corpus names in two versions: which one cannot be told.
        ("c/wax-v1/comb.md", api_page("/ukTMukTMukTM/uComb1", "GET", "https://open.feishu.cn/open-apis/wax/v1/combs", "")),
        ("c/wax-v2/comb.md", api_page("/ukTMukTMukTM/uComb2", "GET", "https://open.feishu.cn/open-apis/wax/v2/combs", "")),
        ("c/cells.md", api_page("/ukTMukTMukTM/uCells", "GET", "https://open.feishu.cn/open-apis/wax/cells/list", "")),
    ]);
    let rel = |p: &str| pages[p].as_ref().map(|(_, b)| b.rel_path.clone()).map_err(|e| e.message.clone());
    assert_eq!(rel("c/orchard/list.md").as_deref(), Ok("orchard/v4/orchard/list"));
    assert_eq!(rel("c/orchard/get.md").as_deref(), Ok("orchard/v4/orchard/get"));
    assert_eq!(rel("c/shed/children.md").as_deref(), Ok("orchard_shed/v2/folder/children"));
    assert_eq!(rel("c/orchard-v4/hive.md").as_deref(), Ok("orchard/v4/hive/reply"));
    assert_eq!(rel("c/bees.md").as_deref(), Ok("bees/queen/get"));
    assert_eq!(pages["c/bees.md"].as_ref().unwrap().1.service, "bees");
    // The URL keeps its hyphen; the call's name has `_`.
    assert_eq!(rel("c/bee_docs.md").as_deref(), Ok("bees/docs_api/meta"));
    assert_eq!(pages["c/bee_docs.md"].as_ref().unwrap().1.operation.path.value, "/open-apis/bees/docs-api/meta");
    let e = pages["c/cells.md"].as_ref().unwrap_err();
    assert_eq!(e.reason, Reason::Incomplete);
    assert!(e.message.starts_with("cannot tell the service and version") && e.message.contains("the corpus names service `wax` in several versions (v1, v2)"), "{}", e.message);
}

#[test]
fn one_endpoint_is_one_spec_and_names_made_alike_are_told_apart() {
    let url = "https://open.feishu.cn/open-apis/orchard/v1/trees/:tree_id/pruning";
    let pages = corpus_of_texts(&[
        // The historic page names the placeholder otherwise: still the same endpoint.
        ("c/historic-version/prune_get.md", api_page("/ukTMukTMukTM/uOldPrune", "GET", &url.replace(":tree_id", ":id"), "")),
        ("c/prune_get.md", api_page("/ukTMukTMukTM/uPruneGet", "GET", url, "")),
        ("c/prune_put.md", api_page("/ukTMukTMukTM/uPrunePut", "PUT", url, "")),
        ("c/prune_delete.md", api_page("/ukTMukTMukTM/uPruneDelete", "DELETE", url, "")),
        // A call named like the resource of another call.
        ("c/shears.md", api_page("/ukTMukTMukTM/uShears", "GET", "https://open.feishu.cn/open-apis/orchard/v1/trees/:tree_id/shears", "")),
        ("c/shears_sharpen.md", api_page("/ukTMukTMukTM/uShearsSharpen", "POST", "https://open.feishu.cn/open-apis/orchard/v1/trees/:tree_id/shears/sharpen", "")),
    ]);
    let e = pages["c/historic-version/prune_get.md"].as_ref().unwrap_err();
    assert_eq!(e.reason, Reason::Duplicate);
    assert!(e.message.contains("this historic page documents `GET /open-apis/orchard/v1/trees/{id}/pruning`") && e.message.contains("prune_get.md"), "{}", e.message);
    let rel = |p: &str| pages[p].as_ref().unwrap().1.rel_path.clone();
    assert_eq!(
        [rel("c/prune_get.md"), rel("c/prune_put.md"), rel("c/prune_delete.md")],
        ["orchard/v1/trees/pruning/get", "orchard/v1/trees/pruning/update", "orchard/v1/trees/pruning/delete"]
    );
    assert_eq!([rel("c/shears.md"), rel("c/shears_sharpen.md")], ["orchard/v1/trees/shears/get", "orchard/v1/trees/shears/sharpen"]);
    let (_, b) = pages["c/prune_put.md"].as_ref().unwrap();
    assert_eq!(b.operation.rel_path, b.rel_path);
    assert!(b.warnings.iter().any(|w| w.kind == WarningKind::Other && w.message.contains("it is `orchard/v1/trees/pruning/update`")), "{:?}", b.warnings);
}

#[test]
fn the_fixture_pages_as_one_corpus_pass_the_checker_together() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pages = importer::report::pages(&[dir.join("feishu_md"), dir.join("feishu_export")]);
    let built: Vec<(PathBuf, Built)> = Corpus::read(&pages).import_all(&AuthingOperations::shipped()).into_iter().filter_map(|(p, r)| Some((p, r.ok()?.1))).collect();
    assert!(built.len() >= 15, "{} fixture pages built", built.len());
    let scratch = std::env::temp_dir().join(format!("importer-feishu-corpus-{}", std::process::id()));
    let assembly =
        importer::assemble::assemble(built, &Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"), &scratch.join("specs"), &|_| false, &importer::services::Catalog::default());
    let rejected: Vec<String> = assembly.rejected.iter().map(|(p, r)| format!("{}: {}: {}", p.display(), r.at, r.message)).collect();
    assert!(rejected.is_empty(), "{}", rejected.join("\n"));
    let vent = std::fs::read_to_string(scratch.join("specs/feishu/greenhouse/v1/vents/open.yaml")).unwrap();
    assert!(vent.contains("deprecated: 本接口为历史版本"), "{vent}");
    // A service the corpus gives no version (`/open-apis/meadow/docs-api/search/object`).
    assert!(scratch.join("specs/feishu/meadow/docs_api/search/object.yaml").is_file());
    let types = std::fs::read_to_string(scratch.join("specs/feishu/garden/v1/types.yaml")).unwrap();
    assert!(types.contains("  Fence:\n") && types.contains("  Shade:\n    enum: int64"), "{types}");
    // An empty structure, an enum from a data-structure page and a deprecated call compile.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert_eq!(importer::report::compile_specs(&scratch.join("specs"), &workspace, &scratch), Ok(()));
    let _ = std::fs::remove_dir_all(&scratch);
}

// ---------------------------------------------------------------------------------------------
// The shared documents

fn shared_docs() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/docs");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: ../shared/docs not found");
        None
    }
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Whether a page has a table row whose first cell is `HTTP Method`.
fn has_method_row(text: &str) -> bool {
    text.lines().any(|l| l.contains('|') && l.trim().trim_start_matches('|').trim_start().starts_with("HTTP Method"))
}

#[test]
fn corpus_feishu_markdown() {
    let Some(docs) = shared_docs() else { return };
    let dir = docs.join("feishu");
    if !dir.is_dir() {
        println!("skipping: ../shared/docs not found");
        return;
    }
    let mut files = Vec::new();
    markdown_files(&dir, &mut files);
    files.sort();
    let (mut api_pages, mut parsed, mut binary) = (0, 0, 0);
    let mut by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rel = path.strip_prefix(&dir).unwrap_or(path).display().to_string();
        let result = feishu_md::parse(&text);
        if !has_method_row(&text) {
            if let Ok(d) = result {
                failures.push(format!("{rel}: not an API page but parsed (method {:?})", d.method));
            }
            continue;
        }
        api_pages += 1;
        match result {
            Err(e) => failures.push(format!("{rel}: {e}")),
            Ok(d) => {
                parsed += 1;
                if d.method.as_deref().is_none_or(str::is_empty) {
                    failures.push(format!("{rel}: no method"));
                }
                if d.url.as_deref().is_none_or(str::is_empty) {
                    failures.push(format!("{rel}: no url"));
                }
                if d.response_binary {
                    binary += 1;
                } else if d.response.is_empty() {
                    failures.push(format!("{rel}: neither a response table nor binary"));
                }
                if d.title.is_empty() {
                    failures.push(format!("{rel}: no title"));
                }
                for w in &d.warnings {
                    *by_kind.entry(w.kind.name()).or_default() += 1;
                    println!("  {rel}:{}: {:?}: {}", w.line, w.kind, w.message);
                }
            }
        }
    }
    println!("Feishu Markdown corpus: {} pages, {api_pages} API pages, {parsed} parsed, {binary} binary responses", files.len());
    println!("warnings by kind: {by_kind:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(api_pages > 100, "expected the ~131 API pages, found {api_pages}");
}

#[test]
fn seed_000_export_page() {
    let Some(docs) = shared_docs() else { return };
    let path = docs.join("seeds/000_3fda7c2d2cf6aaed.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let d = feishu_export::parse(&text).expect("the seed parses");
    assert_eq!(d.url.as_deref(), Some("https://open.feishu.cn/open-apis/acs/v1/users/:user_id"));
    assert_eq!(d.method.as_deref(), Some("GET"));
    assert_eq!(d.title, "获取单个用户信息");
    assert_eq!(d.updated.as_deref(), Some("2021-08-06"));
    assert_eq!(d.doc_url.as_deref(), Some("https://open.feishu.cn/document/server-docs/acs-v1/user/get"));
    assert!(d.scopes.iter().any(|(s, _)| s == "acs:users"), "{:?}", d.scopes);
    assert!(d.field_scopes.iter().any(|(s, _)| s == "contact:user.employee_id:readonly"), "{:?}", d.field_scopes);
    assert_eq!(d.token_kinds, strings(&["tenant_access_token"]));
    assert!(d.query_params.iter().any(|r| r.name == "user_id_type"), "{:?}", d.query_params);
    assert_eq!(d.path_params.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["user_id"]);
    let depths: Vec<(&str, usize)> = d.response.iter().map(|r| (r.name.as_str(), r.depth)).collect();
    assert_eq!(depths, [("code", 0), ("msg", 0), ("data", 0), ("user", 1), ("feature", 2), ("card", 3), ("face_uploaded", 3), ("user_id", 2)]);
    assert!(d.response_example.is_some());
    assert_eq!(d.errors.iter().map(|e| e.code).collect::<Vec<_>>(), [1_490_101]);
    assert!(d.warnings.iter().any(|w| w.kind == WarningKind::NestingFromExample), "{:?}", d.warnings);
}
