//! The Authing parsers (`authing_md`, `authing_text`): exact drafts of the project's own fixtures
//! (`tests/fixtures/authing_md/`, `tests/fixtures/authing_text/`, one construct each), then the
//! Authing Markdown corpus and seed 004 from `../shared/docs` when it is there.

use std::collections::BTreeMap;
use std::path::PathBuf;

use importer::authing_md::{self, ParseError};
use importer::authing_text;
use importer::draft::{Draft, Located, Row, WarningKind};

fn fixture(path: &str) -> String {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn md(path: &str) -> Draft {
    authing_md::parse(&fixture(&format!("authing_md/{path}"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(path: &str) -> Draft {
    authing_text::parse(&fixture(&format!("authing_text/{path}"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shared_docs() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/docs");
    dir.is_dir().then_some(dir)
}

/// A row with a required flag (parameter and DTO tables).
#[allow(clippy::too_many_arguments)]
fn row(line: usize, name: &str, ty: &str, required: bool, default: Option<&str>, description: &str, example: Option<&str>, nested: Option<&str>) -> Row {
    Row {
        line,
        depth: 0,
        name: name.to_owned(),
        ty: ty.to_owned(),
        required: Some(required),
        default: default.map(str::to_owned),
        description: description.to_owned(),
        example: example.map(str::to_owned),
        nested_type: nested.map(str::to_owned),
    }
}

/// A response-table row (名称/类型/描述: no required flag, no example).
fn resp(line: usize, name: &str, ty: &str, description: &str, nested: Option<&str>) -> Row {
    Row { required: None, ..row(line, name, ty, false, None, description, None, nested) }
}

fn type_names(d: &Draft) -> Vec<&str> {
    d.types.iter().map(|t| t.name.as_str()).collect()
}

fn warnings(d: &Draft) -> Vec<(usize, WarningKind)> {
    d.warnings.iter().map(|w| (w.line, w.kind)).collect()
}

fn assert_json(example: &Option<Located<String>>) -> serde_json::Value {
    let example = example.as_ref().expect("a response example");
    serde_json::from_str(&example.value).unwrap_or_else(|e| panic!("example at line {} is not JSON: {e}\n{}", example.line, example.value))
}

// ---- Authing Markdown fixtures ----

#[test]
fn md_query_params_with_defaults_and_enum_values() {
    let d = md("query_defaults.md");
    assert_eq!(d.title, "获取设备详情");
    assert_eq!(d.description.as_deref(), Some("按设备 ID 或序列号查询一台设备，可以附带它的标签。\n\n返回结果中不包含已注销的设备。"));
    assert_eq!(d.updated, None);
    assert_eq!(d.doc_url, None);
    assert_eq!(d.sdk_method.as_deref(), Some("GetDevice"));
    assert_eq!(
        d.query_params,
        [
            row(23, "deviceId", "string", true, None, "设备的标识", Some("dev_01hx7k"), None),
            row(24, "idType", "string", false, Some("device_id"), "标识的种类，可选值为：\n- device_id: 平台分配的 ID\n- serial: 出厂序列号", Some("serial"), None),
            row(25, "withTags", "boolean", false, Some("false"), "是否一并返回标签", Some("true"), None),
            row(26, "pageSize", "number", false, Some("20"), "标签最多返回多少个", None, None),
        ]
    );
    assert_eq!(d.response_type.as_deref(), Some("DeviceSingleRespDto"));
    assert_eq!(
        d.response,
        [
            resp(40, "statusCode", "number", "业务状态码，200 为成功。", None),
            resp(41, "message", "string", "提示信息", None),
            resp(42, "data", "DeviceDto", "设备详情", Some("DeviceDto")),
        ]
    );
    let example = d.response_example.as_ref().expect("example");
    assert_eq!(example.line, 47);
    assert!(example.value.starts_with("{\n  \"statusCode\": 200,") && example.value.ends_with("  }\n}"), "{}", example.value);
    assert_eq!(assert_json(&d.response_example)["data"]["kind"], "sensor");
    assert_eq!(type_names(&d), ["DeviceDto"]);
    assert_eq!(d.types[0].line, 60);
    assert_eq!(
        d.types[0].rows,
        [
            row(64, "deviceId", "string", true, None, "设备的标识", Some("dev_01hx7k"), None),
            row(65, "kind", "string", true, None, "设备种类：\n- sensor: 传感器\n- gateway: 网关", Some("sensor"), None),
            row(66, "tags", "array", false, None, "标签列表", Some("[\"lab\",\"north\"]"), None),
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert!(d.path_params.is_empty() && d.body.is_empty() && d.method.is_none() && d.url.is_none());
}

#[test]
fn md_post_with_nested_dto_params_and_arrays_of_dtos() {
    let d = md("post_nested.md");
    assert_eq!(d.title, "创建工单");
    assert_eq!(d.description.as_deref(), Some("提交一张新的工单，并指定报告人和附件。"));
    assert_eq!(d.sdk_method.as_deref(), Some("CreateTicket"));
    assert_eq!(
        d.query_params,
        [
            row(17, "subject", "string", true, None, "工单标题", Some("打印机卡纸"), None),
            row(18, "reporter", "PersonDto", true, None, "报告人", Some("{\"personId\":\"p_42\",\"displayName\":\"小林\"}"), Some("PersonDto")),
            row(19, "attachments", "AttachmentDto[]", false, None, "附件列表", None, Some("AttachmentDto")),
            row(20, "options", "", false, None, "提交选项 嵌套类型：TicketOptionsDto。", Some("{\"notify\":true}"), Some("TicketOptionsDto")),
        ]
    );
    assert_eq!(d.response_type.as_deref(), Some("TicketSingleRespDto"));
    assert_eq!(d.response, [resp(28, "statusCode", "number", "业务状态码", None), resp(29, "data", "TicketDto", "新建的工单", Some("TicketDto"))]);
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(34));
    assert_eq!(assert_json(&d.response_example)["data"]["watchers"][0]["personId"], "p_42");
    assert_eq!(type_names(&d), ["PersonDto", "AttachmentDto", "TicketOptionsDto", "TicketDto"]);
    assert_eq!(d.types.iter().map(|t| t.line).collect::<Vec<_>>(), [42, 49, 56, 62]);
    assert_eq!(
        d.types[0].rows,
        [row(46, "personId", "string", true, None, "人员 ID", Some("p_42"), None), row(47, "displayName", "string", false, None, "显示名", Some("小林"), None)]
    );
    assert_eq!(
        d.types[1].rows,
        [row(53, "fileName", "string", true, None, "文件名", Some("photo.jpg"), None), row(54, "sizeBytes", "number", false, None, "文件大小", Some("2048"), None)]
    );
    assert_eq!(d.types[2].rows, [row(60, "notify", "boolean", false, None, "是否通知关注人", Some("true"), None)]);
    assert_eq!(
        d.types[3].rows,
        [
            row(66, "ticketId", "string", true, None, "工单 ID", Some("t_9"), None),
            row(67, "reporter", "PersonDto", true, None, "报告人", None, Some("PersonDto")),
            row(68, "watchers", "array", false, None, "关注人 嵌套类型：PersonDto。", None, Some("PersonDto")),
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn md_rows_without_a_name_are_kept_and_reported() {
    let d = md("missing_name.md");
    assert_eq!(d.title, "查询仓库库存");
    assert_eq!(d.sdk_method.as_deref(), Some("GetStock"));
    assert_eq!(d.query_params, [row(13, "sku", "string", true, None, "货品编码", Some("SKU-7"), None)]);
    assert_eq!(d.response_type.as_deref(), Some("StockRespDto"));
    assert_eq!(d.response, [resp(21, "statusCode", "number", "业务状态码", None), resp(22, "data", "StockDto", "库存", Some("StockDto"))]);
    assert_eq!(d.response_example, None);
    assert_eq!(type_names(&d), ["StockDto"]);
    assert_eq!(
        d.types[0].rows,
        [
            row(30, "quantity", "number", true, None, "现有数量", Some("12"), None),
            // `|  | string | …`: the name cell is there but empty.
            row(31, "", "string", false, None, "库位编号", Some("A-03"), None),
            // `| string | 否 | …`: the name cell is gone and the cells slid left; put back in place.
            row(32, "", "string", false, None, "负责人邮箱", Some("keeper@example.com"), None),
            row(33, "updatedAt", "string", false, None, "最近盘点时间", Some("2024-03-01"), None),
        ]
    );
    assert_eq!(warnings(&d), [(31, WarningKind::MissingName), (32, WarningKind::MissingName)]);
}

#[test]
fn md_duplicate_rows_are_dropped_and_reported() {
    let d = md("duplicate_row.md");
    assert_eq!(d.title, "批量停用门禁卡");
    assert_eq!(d.sdk_method.as_deref(), Some("DisableCards"));
    assert_eq!(
        d.query_params,
        [row(13, "cardIds", "array", true, None, "卡号列表", Some("[\"c1\",\"c2\"]"), None), row(14, "reason", "string", false, None, "停用原因", Some("遗失"), None)]
    );
    assert_eq!(d.response_type.as_deref(), Some("IsSuccessRespDto"));
    assert_eq!(d.response, [resp(23, "statusCode", "number", "业务状态码", None), resp(24, "data", "IsSuccessDto", "结果", Some("IsSuccessDto"))]);
    assert_eq!(type_names(&d), ["IsSuccessDto"]);
    assert_eq!(d.types[0].rows, [row(32, "success", "boolean", true, None, "是否成功", Some("true"), None)]);
    assert_eq!(warnings(&d), [(15, WarningKind::DuplicateField), (33, WarningKind::DuplicateField)]);
}

#[test]
fn md_a_page_without_request_or_response_is_not_an_api_page() {
    let e = authing_md::parse(&fixture("authing_md/not_api.md")).expect_err("an overview page");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("not an API page"), "{}", e.message);
    assert_eq!(authing_md::parse("  \n").map(|_| ()), Err(ParseError { line: 1, message: "the page is empty".to_owned() }));
}

#[test]
fn md_rows_spread_over_several_lines_are_one_row() {
    let d = md("spread_row.md");
    assert_eq!(d.sdk_method.as_deref(), Some("CreatePipelineFunction"));
    assert_eq!(
        d.query_params,
        [
            row(13, "funcName", "string", true, None, "脚本名称", Some("greet"), None),
            // The code span runs over four lines; the row is one, at its first line.
            row(14, "sourceCode", "string", true, None, "脚本源代码", Some("function greet(user, done) {\n  // 记录一次问候\n  done(null, user)\n}"), None),
            // Values and their meanings written in the example column go with the description.
            row(18, "level", "number", false, None, "日志级别\n- 0: 不记录\n- 1: 只记错误\n- 2: 全部记录", None, None),
            row(23, "enabled", "boolean", false, None, "是否启用", Some("true"), None),
        ]
    );
    // Every line after the spread rows is still the page's own.
    assert_eq!(d.response, [resp(31, "statusCode", "number", "业务状态码", None), resp(32, "data", "GreetDto", "响应数据", Some("GreetDto"))]);
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(37));
    assert_eq!((d.types[0].line, d.types[0].rows[0].line), (47, 51));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn md_a_row_whose_code_span_never_closes_stays_as_it_is() {
    let page = "# 标题\n\n## 请求参数\n\n| 名称 | 类型 | 描述 | 示例值 |\n| ---- | ---- | ---- | ---- |\n| a | string | 甲 | `x |\n| b | string | 乙 | `y` |\n";
    let d = authing_md::parse(page).expect("a page");
    assert_eq!(d.query_params.iter().map(|r| (r.line, r.name.as_str())).collect::<Vec<_>>(), [(7, "a"), (8, "b")]);
}

#[test]
fn md_an_answer_without_the_envelope_is_its_data() {
    let d = md("bare_answer.md");
    // The payload's rows are the DTO the page names; the answer is the envelope around it.
    assert_eq!(
        d.response,
        [Row {
            line: 21,
            name: "data".to_owned(),
            ty: "PostCardDto".to_owned(),
            description: "响应数据".to_owned(),
            nested_type: Some("PostCardDto".to_owned()),
            ..Row::default()
        }]
    );
    assert_eq!(type_names(&d), ["PostCardDto"]);
    assert_eq!((d.types[0].line, d.types[0].rows.iter().map(|r| (r.line, r.name.as_str())).collect::<Vec<_>>()), (15, vec![(21, "code"), (22, "title")]));
    assert_eq!(assert_json(&d.response_example), serde_json::json!({"statusCode": 200, "data": {"code": "cook", "title": "厨师"}}));
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(27));
    assert_eq!(warnings(&d), [(15, WarningKind::Other)]);
    assert!(d.warnings[0].message.contains("without Authing's envelope"), "{}", d.warnings[0].message);
}

#[test]
fn md_a_data_row_without_status_code_gets_it_in_the_example() {
    let page = "# 预览\n\n## 请求响应\n\n类型： `PreviewRespDto`\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| data | object | 响应数据 |\n\n示例结果：\n\n```json\n{\"data\": {\"subject\": \"你好\"}}\n```\n";
    let d = authing_md::parse(page).expect("a page");
    assert_eq!(d.response.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["data"]);
    assert_eq!(assert_json(&d.response_example), serde_json::json!({"statusCode": 200, "data": {"subject": "你好"}}));
    assert_eq!(warnings(&d).iter().filter(|(l, k)| *l == 3 && *k == WarningKind::Other).count(), 1, "{:?}", d.warnings);

    // An empty payload (`类型：Node`, no rows, `{}`): no data row, the example wrapped.
    let page = "# 更新\n\n## 请求响应\n\n类型： `Node`\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n\n示例结果：\n\n```json\n{}\n```\n";
    let d = authing_md::parse(page).expect("a page");
    assert!(d.response.is_empty() && d.types.is_empty(), "{:?} {:?}", d.response, d.types);
    assert_eq!(assert_json(&d.response_example), serde_json::json!({"statusCode": 200, "data": {}}));

    // With the envelope, nothing changes.
    let d = md("query_defaults.md");
    assert!(!d.warnings.iter().any(|w| w.message.contains("envelope")));
}

#[test]
fn md_a_section_of_enum_rows_is_the_values_of_the_rows_that_link_to_it() {
    let page = "# 资源\n\n## 请求响应\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n| data | <a href=\"#ResourceDto\">ResourceDto</a> | 数据 |\n\n## 数据结构\n\n### <a id=\"ResourceDto\"></a> ResourceDto\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| kind | string | 资源类型，嵌套类型：<a href=\"#Kind\">Kind</a>。 |\n\n### <a id=\"Kind\"></a> Kind\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| TREE | enum | 树类型 |\n| ARRAY | enum | 数组类型 |\n";
    let d = authing_md::parse(page).expect("a page");
    assert_eq!(type_names(&d), ["ResourceDto"]);
    let kind = &d.types[0].rows[0];
    assert_eq!((kind.ty.as_str(), kind.nested_type.as_deref()), ("string", None));
    assert!(kind.description.ends_with("\n- TREE: 树类型\n- ARRAY: 数组类型"), "{}", kind.description);
}

#[test]
fn md_a_type_described_twice_keeps_every_row_it_is_given() {
    let section = |name: &str, rows: &str| format!("### <a id=\"{name}\"></a> {name}\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n{rows}\n");
    let page = [
        "# 条件\n\n## 请求响应\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n\n## 数据结构\n\n".to_owned(),
        section("Condition", ""),
        section("Range", "| conjunction | string | 关系 |"),
        // Line 21: the first `Condition` had no rows. Line 27: `Range` again, the same.
        section("Condition", "| key | string | 字段 |\n| op | string | 操作 |"),
        section("Range", "| conjunction | string | 关系 |"),
        // Line 32: `Range` with a row the first did not list.
        section("Range", "| conjunction | string | 关系 |\n| negate | boolean | 取反 |"),
        section("Empty", ""),
    ]
    .concat();
    let d = authing_md::parse(&page).expect("a page");
    assert_eq!(type_names(&d), ["Condition", "Range", "Empty"]);
    let names = |i: usize| d.types[i].rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>();
    assert_eq!((d.types[0].line, names(0)), (21, vec!["key", "op"]));
    assert_eq!(names(1), ["conjunction", "negate"]);
    // Line 1: the page names no method, which is not what this test is about.
    assert_eq!(warnings(&d)[1..], [(21, WarningKind::Other), (32, WarningKind::Other), (38, WarningKind::Other)]);
    assert!(d.warnings[3].message.contains("`Empty` has no table rows"), "{}", d.warnings[3].message);
}

#[test]
fn md_a_link_to_an_undescribed_type_means_the_one_nothing_links_to() {
    let page = |link: &str| {
        format!(
            "# 结构\n\n## 请求响应\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n| data | <a href=\"#{link}\">{link}</a> | 数据 |\n\n## 数据结构\n\n### <a id=\"OwnDataDto\"></a> OwnDataDto\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| code | string | 编码 |\n"
        )
    };
    let d = authing_md::parse(&page("SiblingDataDto")).expect("a page");
    let data = &d.response[1];
    assert_eq!((data.ty.as_str(), data.nested_type.as_deref()), ("OwnDataDto", Some("OwnDataDto")));
    assert!(d.warnings.iter().any(|w| w.line == 8 && w.message.contains("`SiblingDataDto`")), "{:?}", d.warnings);
    // A link to a described type is left alone.
    let d = authing_md::parse(&page("OwnDataDto")).expect("a page");
    assert!(!d.warnings.iter().any(|w| w.message.contains("links to")), "{:?}", d.warnings);
}

#[test]
fn md_a_row_of_one_dto_whose_example_is_a_list_is_a_list() {
    let page = "# 树\n\n## 数据结构\n\n### <a id=\"Node\"></a> Node\n\n| 名称 | 类型 | 是否必填 | 描述 | 示例值 |\n| ---- | ---- | ---- | ---- | ---- |\n| code | string | 是 | 编码 | `a` |\n| children | Node | 否 | 子节点 嵌套类型：<a href=\"#Node\">Node</a>。 | `[{\"code\":\"b\"}]` |\n| parent | Node | 否 | 父节点 嵌套类型：<a href=\"#Node\">Node</a>。 | `{\"code\":\"r\"}` |\n\n## 请求响应\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n";
    let d = authing_md::parse(page).expect("a page");
    let rows: Vec<(&str, &str)> = d.types[0].rows.iter().map(|r| (r.name.as_str(), r.ty.as_str())).collect();
    assert_eq!(rows, [("code", "string"), ("children", "Node[]"), ("parent", "Node")]);
    assert_eq!(warnings(&d).iter().filter(|w| w.1 == WarningKind::ExampleTypeMismatch).collect::<Vec<_>>(), [&(10, WarningKind::ExampleTypeMismatch)]);
}

// ---- Authing pages to operations ----

fn import(name: &str, text: &str) -> Result<importer::build::Built, importer::page::PageError> {
    importer::page::import(std::path::Path::new(name), text, &importer::operations::AuthingOperations::shipped()).map(|(_, b)| b)
}

#[test]
fn pages_land_in_their_family() {
    let b = import("bare_answer.md", &fixture("authing_md/bare_answer.md")).expect("imports");
    assert_eq!((b.service.as_str(), b.rel_path.as_str()), ("management/posts", "management/posts/get-post"));
    assert_eq!(b.operation.doc_url.as_deref(), Some("https://docs.authing.cn/v3/reference/sdk/go/management/管理岗位/get-post.html"));
    assert_eq!(b.types.iter().map(|t| t.name.value.as_str()).collect::<Vec<_>>(), ["PostCardDto"]);
    let example: serde_json::Value = serde_json::from_str(&b.operation.response_example.expect("an example").value).expect("JSON");
    assert_eq!(example["statusCode"], 200);

    let b = import("spread_row.md", &fixture("authing_md/spread_row.md")).expect("imports");
    assert_eq!(b.rel_path, "management/pipeline/create-pipeline-function");
    let family = importer::operations::family(&b.service).expect("a family");
    assert_eq!((family.slug.as_str(), family.feature.as_str(), family.title.as_str()), ("pipeline", "authing-pipeline", "管理 Pipeline"));
}

#[test]
fn authentication_pages_are_left_out_as_such() {
    // The authentication API's own call, documented in the management reference's folders.
    let page = "# 获取我的岗位\n\n## 方法名称\n\n`ManagementClient.GetMyPost`\n\n## 请求响应\n\n类型： `PostRespDto`\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n";
    let e = import("get-my-post.md", page).expect_err("not a management operation");
    assert!(e.message.starts_with(importer::operations::NOT_MANAGEMENT), "{}", e.message);
    // The same SDK method as a management operation, with a name and title of its own.
    let e = import("get-my-post.md", &page.replace("GetMyPost", "GetPost")).expect_err("not a management operation");
    assert!(e.message.starts_with("not a management operation: the SDK method `GetPost` is the management operation `getPost`"), "{}", e.message);
    // An older copy beside the generated page of its operation.
    let old = page.replace("GetMyPost", "GetEmailProvider").replace("获取我的岗位", "获取第三方邮件服务配置");
    let e = import("get-email-provier.md", &old).expect_err("a copy");
    assert!(e.message.starts_with(importer::operations::DUPLICATE_PAGE), "{}", e.message);
    assert!(import("get-email-provider.md", &old).is_ok());
}

// ---- Authing text fixtures ----

#[test]
fn text_query_params_with_defaults_and_enum_values() {
    let d = text("query_defaults.txt");
    assert_eq!(d.title, "获取设备详情");
    assert_eq!(d.description.as_deref(), Some("按设备 ID 或序列号查询一台设备,可以附带它的标签。"));
    assert_eq!(d.updated.as_deref(), Some("2024-11-05"));
    assert_eq!(d.doc_url, None);
    assert_eq!(d.sdk_method, None, "the text format has no 方法名称; nothing is derived from the sample code");
    assert_eq!(
        d.query_params,
        [
            row(7, "deviceId", "string", true, None, "设备的标识。", Some("dev_01hx7k"), None),
            row(8, "idType", "string", false, Some("device_id"), "标识的种类。 枚举值:device_id,serial", Some("serial"), None),
            row(9, "withTags", "boolean", false, Some("false"), "是否一并返回标签。", Some("true"), None),
        ]
    );
    assert_eq!(d.response_type.as_deref(), Some("DeviceSingleRespDto"));
    assert_eq!(d.response, [resp(18, "statusCode", "number", "业务状态码,200 为成功。", None), resp(19, "data", "DeviceDto", "设备详情", Some("DeviceDto"))]);
    assert_eq!(d.response_example, Some(Located { value: "{\n\"statusCode\": 200,\n\"data\": {\n\"deviceId\": \"dev_01hx7k\",\n\"kind\": \"sensor\"\n}\n}".to_owned(), line: 21 }));
    assert_eq!(type_names(&d), ["DeviceDto"]);
    assert_eq!(d.types[0].line, 29);
    assert_eq!(
        d.types[0].rows,
        [
            row(32, "deviceId", "string", true, None, "设备的标识。", Some("dev_01hx7k"), None),
            row(33, "kind", "string", true, None, "设备种类。 枚举值:sensor,gateway", None, None),
            row(34, "tags", "array", false, None, "标签列表。", Some("[\"lab\",\"north\"]"), None),
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn text_post_with_nested_dto_params_and_arrays_of_dtos() {
    let d = text("post_nested.txt");
    assert_eq!(d.title, "创建工单");
    assert_eq!(d.updated.as_deref(), Some("2024-12-01"));
    assert_eq!(
        d.query_params,
        [
            row(7, "subject", "string", true, None, "工单标题。", Some("打印机卡纸"), None),
            // The rendering dropped the link; the type names a DTO of the page.
            row(8, "reporter", "PersonDto", true, None, "报告人。", Some("{\"personId\":\"p_42\"}"), Some("PersonDto")),
            row(9, "attachments", "array", false, None, "附件列表。嵌套类型:AttachmentDto。", None, Some("AttachmentDto")),
        ]
    );
    assert_eq!(d.response_type.as_deref(), Some("TicketSingleRespDto"));
    assert_eq!(d.response, [resp(14, "statusCode", "number", "业务状态码", None), resp(15, "data", "TicketDto", "新建的工单", Some("TicketDto"))]);
    assert_eq!(d.response_example.as_ref().map(|e| e.line), Some(17));
    assert_eq!(assert_json(&d.response_example)["data"]["watchers"][0]["personId"], "p_42");
    assert_eq!(type_names(&d), ["PersonDto", "AttachmentDto", "TicketDto"]);
    assert_eq!(d.types.iter().map(|t| t.line).collect::<Vec<_>>(), [25, 29, 33]);
    assert_eq!(d.types[0].rows, [row(28, "personId", "string", true, None, "人员 ID。", Some("p_42"), None)]);
    assert_eq!(d.types[1].rows, [row(32, "fileName", "string", true, None, "文件名。", Some("photo.jpg"), None)]);
    assert_eq!(
        d.types[2].rows,
        [
            row(36, "ticketId", "string", true, None, "工单 ID。", Some("t_9"), None),
            row(37, "watchers", "array", false, None, "关注人。嵌套类型:PersonDto。", None, Some("PersonDto"))
        ]
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn text_rows_without_a_name_are_kept_and_reported() {
    let d = text("missing_name.txt");
    assert_eq!(d.title, "查询仓库库存");
    assert_eq!(d.updated.as_deref(), Some("2025-01-10"));
    assert_eq!(d.query_params, [row(7, "sku", "string", true, None, "货品编码。", Some("SKU-7"), None)]);
    assert_eq!(d.response, [resp(12, "data", "StockDto", "库存", Some("StockDto"))]);
    assert_eq!(d.response_example, None);
    assert_eq!(type_names(&d), ["StockDto"]);
    assert_eq!(
        d.types[0].rows,
        [
            row(17, "quantity", "number", true, None, "现有数量。", Some("12"), None),
            // `| string | 否 | 负责人邮箱。 示例值: … | |`: shifted left, put back in place.
            row(18, "", "string", false, None, "负责人邮箱。", Some("keeper@example.com"), None),
            // `| | string | …`: an empty name cell.
            row(19, "", "string", false, None, "库位编号。", Some("A-03"), None),
        ]
    );
    assert_eq!(warnings(&d), [(18, WarningKind::MissingName), (19, WarningKind::MissingName)]);
}

#[test]
fn text_duplicate_rows_are_dropped_and_reported() {
    let d = text("duplicate_row.txt");
    assert_eq!(d.title, "批量停用门禁卡");
    assert_eq!(d.query_params, [row(7, "cardIds", "array", true, None, "卡号列表。", Some("[\"c1\",\"c2\"]"), None)]);
    assert_eq!(d.response_type.as_deref(), Some("IsSuccessRespDto"));
    assert_eq!(d.response, [resp(13, "statusCode", "number", "业务状态码", None)]);
    assert!(d.types.is_empty());
    assert_eq!(warnings(&d), [(8, WarningKind::DuplicateField), (14, WarningKind::DuplicateField)]);
}

#[test]
fn text_unfenced_json_example_ends_at_its_closing_brace() {
    let d = text("unfenced_json.txt");
    assert_eq!(d.title, "读取公告");
    assert_eq!(d.updated.as_deref(), Some("2025-03-03"));
    assert_eq!(d.query_params, [row(7, "noticeId", "string", true, None, "公告 ID。", Some("n_1"), None)]);
    assert_eq!(d.response_type.as_deref(), Some("NoticeRespDto"));
    assert_eq!(d.response, [resp(12, "statusCode", "number", "业务状态码", None), resp(13, "data", "object", "公告", None)]);
    // Braces and escaped quotes inside strings do not count; the sentence after the JSON is not part of it.
    assert_eq!(
        d.response_example,
        Some(Located {
            value: "{\n\"statusCode\": 200,\n\"data\": {\n\"body\": \"用 { 和 } 包起来的 \\\"正文\\\"\",\n\"links\": [\"a}\", \"{b\"]\n}\n}".to_owned(), line: 15
        })
    );
    assert_eq!(assert_json(&d.response_example)["data"]["links"][1], "{b");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn text_a_page_without_request_or_response_is_not_an_api_page() {
    let e = authing_text::parse(&fixture("authing_text/not_api.txt")).expect_err("an overview page");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("not an API page"), "{}", e.message);
}

// ---- the corpus and the seed ----

#[test]
fn authing_markdown_corpus() {
    let Some(docs) = shared_docs() else {
        println!("skipping: ../shared/docs not found");
        return;
    };
    let dir = docs.join("authing/management/users");
    let mut pages: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("the users folder").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    pages.sort();
    assert!(!pages.is_empty(), "no pages in {}", dir.display());

    let (mut params, mut response_rows, mut types, mut type_rows, mut nested, mut examples, mut json_examples) = (0, 0, 0, 0, 0, 0, 0);
    let mut by_kind: BTreeMap<WarningKind, usize> = BTreeMap::new();
    for page in &pages {
        let name = page.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let source = std::fs::read_to_string(page).expect("a readable page");
        let d = authing_md::parse(&source).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!d.title.is_empty(), "{name}: no title");
        assert!(d.sdk_method.is_some(), "{name}: no sdk_method");
        assert!(!d.response.is_empty(), "{name}: no response table");
        assert!(d.response_type.is_some(), "{name}: no response type");
        if source.lines().any(|l| l.trim() == "## 数据结构") {
            assert!(!d.types.is_empty(), "{name}: a 数据结构 section but no type read");
        }
        params += d.query_params.len();
        response_rows += d.response.len();
        types += d.types.len();
        type_rows += d.types.iter().map(|t| t.rows.len()).sum::<usize>();
        nested += d.query_params.iter().chain(&d.response).chain(d.types.iter().flat_map(|t| &t.rows)).filter(|r| r.nested_type.is_some()).count();
        if let Some(e) = &d.response_example {
            examples += 1;
            if serde_json::from_str::<serde_json::Value>(&e.value).is_ok() {
                json_examples += 1;
            } else {
                println!("{name}: the example at line {} is not valid JSON", e.line);
            }
        }
        for w in &d.warnings {
            *by_kind.entry(w.kind).or_default() += 1;
            println!("{name}:{}: {:?}: {}", w.line, w.kind, w.message);
        }
    }
    println!(
        "{} pages: {params} request params, {response_rows} response rows, {types} type sections with {type_rows} rows, {nested} rows with a nested type, {examples} response examples ({json_examples} valid JSON)",
        pages.len()
    );
    println!("warnings by kind: {by_kind:?}");
}

#[test]
fn seed_004_authing_text() {
    let Some(docs) = shared_docs() else {
        println!("skipping: ../shared/docs not found");
        return;
    };
    let Ok(source) = std::fs::read_to_string(docs.join("seeds/004_c106a9a758be8e4e.txt")) else {
        println!("skipping: ../shared/docs/seeds/004_c106a9a758be8e4e.txt not found");
        return;
    };
    let d = authing_text::parse(&source).expect("seed 004 parses");
    assert_eq!(d.title, "获取用户信息");
    assert_eq!(d.updated.as_deref(), Some("2025-08-20"));
    assert!(d.description.as_deref().is_some_and(|t| t.starts_with("通过用户 ID")), "{:?}", d.description);
    assert_eq!(d.sdk_method, None);
    assert_eq!(d.query_params.len(), 5);
    assert_eq!(d.query_params.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["userId", "userIdType", "withCustomData", "withIdentities", "withDepartmentIds"]);
    let id_type = &d.query_params[1];
    assert_eq!(id_type.default.as_deref(), Some("user_id"));
    assert_eq!(id_type.required, Some(false));
    assert!(id_type.description.contains("枚举值:user_id,external_id,phone,email,username"), "{}", id_type.description);
    assert_eq!(d.query_params[0].required, Some(true));
    assert_eq!(d.query_params[0].default, None);
    assert_eq!(d.response_type.as_deref(), Some("UserSingleRespDto"));
    assert_eq!(d.response.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["statusCode", "message", "apiCode", "data"]);
    assert_eq!(d.response[3].nested_type.as_deref(), Some("UserDto"));
    assert_eq!(type_names(&d), ["UserDto", "IdentityDto"]);

    let email_line = source.lines().position(|l| l.starts_with("| string | 否 | 邮箱")).map(|i| i + 1).expect("the email row");
    assert_eq!(warnings(&d), [(email_line, WarningKind::MissingName)]);
    let user = &d.types[0];
    let email = user.rows.iter().find(|r| r.line == email_line).expect("the email row is kept");
    assert_eq!(*email, row(email_line, "", "string", false, None, "邮箱。", Some("test@example.com"), None));
    let identities = user.rows.iter().find(|r| r.name == "identities").expect("identities");
    assert_eq!((identities.ty.as_str(), identities.nested_type.as_deref()), ("array", Some("IdentityDto")));
    let gender = user.rows.iter().find(|r| r.name == "gender").expect("gender");
    assert_eq!((gender.description.as_str(), gender.example.as_deref()), ("性别。 枚举值:M,W,U", None));
    assert_eq!(d.types[1].rows.len(), 6);

    let example = d.response_example.as_ref().expect("a response example");
    assert_eq!(example.line, source.lines().position(|l| l.starts_with("示例结果")).map(|i| i + 2).expect("示例结果"));
    let json = assert_json(&d.response_example);
    assert_eq!(json["data"]["email"], "test@example.com");
}
