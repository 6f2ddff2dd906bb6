//! Event pages → event specs, over pages of our own in the vendor's format
//! (`tests/fixtures/feishu_events/`): schema 2.0 with nested named types, an array of objects and
//! values in prose; schema 1.0 with a body table; an older page with only a commented example; and
//! a page whose example contradicts its table (each repair an erratum). Then the import of them
//! through the checker, and a page the checker rejects left out without blocking the others.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use importer::event::BuiltEvent;
use importer::page::{Corpus, Reason};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feishu_events")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every fixture event page built together, by file name.
fn built() -> Vec<(String, Result<BuiltEvent, importer::page::PageError>)> {
    let pages = importer::report::pages(&[fixtures()]);
    Corpus::read(&pages).import_events().into_iter().map(|(p, r)| (p.file_name().unwrap().to_string_lossy().into_owned(), r)).collect()
}

#[track_caller]
fn event(name: &str) -> BuiltEvent {
    let all = built();
    let (_, r) = all.into_iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no fixture {name}"));
    r.unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The spec as the importer writes it.
#[track_caller]
fn spec(name: &str) -> String {
    codegen::write::event(&event(name).event)
}

#[test]
fn a_schema_2_page_with_named_types_a_list_of_objects_and_values_in_prose() {
    let e = event("plot_watered.md");
    assert_eq!(e.rel_path, "garden/v1/plot/events/watered", "the doc path's place, as an operation's");
    assert_eq!(e.service, "garden/v1");
    assert_eq!(spec("plot_watered.md"), PLOT_WATERED);
}

const PLOT_WATERED: &str = r#"event: garden.plot.watered_v1
title: 地块浇水完成
description: |-
  一块地浇完水后推送此事件。

  前提条件

  - 应用需要订阅 ==花园== 分类下的 ==地块浇水完成== 事件。
doc:
  url: https://open.feishu.cn/document/server-docs/garden-v1/plot/events/watered
  updated: "2023-11-14"
schema: "2.0"
app_types: [custom, isv]
scopes:
  garden:plot:readonly: 查看地块
  garden:plot: 管理地块
field_scopes:
  garden:gardener.phone:readonly: 获取园丁电话
fields:
  plot:
    type: plot_info
    description: 地块
  gardeners:
    type: array<gardener>
    description: 浇水的园丁
  liters:
    type: int64
    description: 浇水量（升）
types:
  gardener:
    fields:
      gardener_id:
        type: string
        description: 园丁 ID
      phone:
        type: string
        description: |-
          园丁电话
          字段权限要求： `garden:gardener.phone:readonly` 获取园丁电话
  plot_info:
    fields:
      plot_id:
        type: string
        description: 地块 ID
      soil:
        type: string
        description: 土壤类型。
        values:
          clay: 黏土
          sand: 沙土
example: |
  {
      "schema": "2.0",
      "header": {
          "event_id": "e-1",
          "event_type": "garden.plot.watered_v1"
      },
      "event": {
          "plot": {
              "plot_id": "p-1",
              "soil": "clay"
          },
          "gardeners": [
              {
                  "gardener_id": "g-1",
                  "phone": "+86 100"
              }
          ],
          "liters": 12
      }
  }
"#;

#[test]
fn a_schema_1_page_whose_example_corrects_its_table() {
    let e = event("shed_opened.md");
    // Neither its doc path, its folder nor its event type names a version: the pages beside it do.
    assert_eq!(e.rel_path, "garden/v1/events/shed_opened");
    assert_eq!(spec("shed_opened.md"), SHED_OPENED);
}

const SHED_OPENED: &str = r#"event: shed_opened
title: 工具棚开门
description: 工具棚的门被打开时推送此事件。
doc:
  url: https://open.feishu.cn/document/server-docs/event/shed-opened
  updated: "2023-11-14"
schema: "1.0"
app_types: [custom]
scopes:
  garden:shed:readonly: 查看工具棚
fields:
  shed_code:
    type: string
    description: 工具棚编号。
  opened_at:
    type: int64
    description: 开门时间，秒级时间戳。
  door:
    type: int64
    description: 哪扇门。
    values:
      "1": 前门
      "2": 后门
  tools:
    type: array<object>
    description: 取出的工具。
    fields:
      name:
        type: string
        description: 工具名。
  weather:
    type: string
example: |
  {
    "ts": "1502199207.7171419",
    "uuid": "u-1",
    "token": "t-1",
    "type": "event_callback",
    "event": {
      "shed_code": "S-1",
      "opened_at": 1589527346,
      "door": 2,
      "tools": [
        {
          "name": "铲子"
        },
        {
          "name": "水壶"
        }
      ],
      "weather": "晴",
      "type": "shed_opened"
    }
  }
errata:
- at: example $.event.weather
  doc: a field only the example has
  spec: optional field `weather` of type string
  reason: the table does not list it (found by the importer)
- at: example $.event.opened_at
  doc: "\"1589527346\", a string"
  spec: "1589527346"
  reason: the table says number (found by the importer)
- at: example $.event.tools
  doc: one object
  spec: a list of them
  reason: the table says one object but the example, a delivery as sent, has a list of them; the field is a list (found by the importer)
"#;

#[test]
fn an_older_page_gets_its_fields_from_its_commented_example() {
    let e = event("seed_planted.md");
    assert_eq!(e.rel_path, "garden/v1/events/seed_planted");
    assert!(e.warnings.iter().any(|w| w.message.contains("no 事件体 table")), "{:?}", e.warnings);
    assert_eq!(spec("seed_planted.md"), SEED_PLANTED);
}

const SEED_PLANTED: &str = r#"event: seed_planted
title: 播种
description: |-
  Tip: 了解事件订阅的使用场景，请查看事件订阅概述。

  播下种子时推送此事件。
doc:
  url: https://open.feishu.cn/document/server-docs/garden-v1/event/seed-planted
  updated: "2023-11-14"
schema: "1.0"
fields:
  type:
    type: string
    description: 事件类型
  seed:
    description: 种子
    fields:
      kind:
        type: string
        description: 品种
      count:
        type: int64
  planters:
    type: array<object>
    description: 播种人，可能有多个
    fields:
      open_id:
        type: string
        description: 用户的 open_id
  depth_cm:
    type: float
example: |
  {
    "ts": "1502199207.7171419",
    "uuid": "u-2",
    "token": "t-2",
    "type": "event_callback",
    "event": {
      "type": "seed_planted",
      "seed": {
        "kind": "tomato",
        "count": 3
      },
      "planters": [
        {
          "open_id": "ou_1"
        }
      ],
      "depth_cm": 1.5
    }
  }
errata:
- at: example $
  doc: "not JSON: `//` comments, trailing commas"
  spec: JSON
  reason: the example is not JSON as written; it is kept as the JSON it means (found by the importer)
"#;

#[test]
fn a_defective_example_is_repaired_and_each_repair_is_an_erratum() {
    assert_eq!(spec("fence_mended.md"), FENCE_MENDED);
}

const FENCE_MENDED: &str = r#"event: garden.fence.mended_v1
title: 篱笆修好
description: 篱笆修好后推送此事件。
doc:
  url: https://open.feishu.cn/document/server-docs/garden-v1/fence/events/mended
  updated: "2023-11-14"
schema: "2.0"
app_types: [custom, isv]
fields:
  fence_id:
    type: string
    description: 篱笆 ID
  meters:
    type: int64
    description: 修好的长度（米）
  posts:
    type: array<object>
    description: 换过的桩
    fields:
      post_id:
        type: string
        description: 桩 ID
  mended_by:
    type: string
example: |
  {
    "schema": "2.0",
    "header": {
      "event_type": "garden.fence.mended_v1"
    },
    "event": {
      "fence_id": "f-1",
      "meters": 7,
      "posts": [
        {
          "post_id": "p-9"
        }
      ],
      "mended_by": "ou_7"
    }
  }
errata:
- at: page line 30
  doc: "`posts` of type `string[]` with fields below it"
  spec: "`object[]` with those fields"
  reason: the rows below a field describe its objects; the type cell contradicts them (found by the importer)
- at: example $
  doc: "not JSON: `//` comments, trailing commas"
  spec: JSON
  reason: the example is not JSON as written; it is kept as the JSON it means (found by the importer)
- at: example $.header.event_type
  doc: event type `garden.fence.broken_v1`
  spec: "`garden.fence.mended_v1`"
  reason: the example names another event type than the page's 事件类型 row (found by the importer)
- at: example $.event.mended_by
  doc: a field only the example has
  spec: optional field `mended_by` of type string
  reason: the table does not list it (found by the importer)
- at: example $.event.meters
  doc: "\"7\", a string"
  spec: "7"
  reason: the table says number (found by the importer)
"#;

#[test]
fn an_api_page_that_names_an_event_type_stays_an_api_page() {
    let page = "---\ntitle: \"查询\"\nfullPath: \"/uAjLw4CM/ukTMukTMukTM/garden-v1/plot/get\"\n---\n\n# 查询\n\n## 请求\n\n| 项目 | 值 |\n| --- | --- |\n| HTTP URL | https://open.feishu.cn/open-apis/garden/v1/plots/:plot_id |\n| HTTP Method | GET |\n\n## 响应\n\n### 响应体\n\n| 名称 | 类型 | 描述 |\n| --- | --- | --- |\n| `code` | `int` | 错误码 |\n| `data` | `\\-` | \\- |\n| &nbsp;&nbsp;└ `op_type` | `string` | 事件类型 |\n";
    assert!(!importer::event::is_event_page(page));
    let e = importer::page::import_event(Path::new("get.md"), page).unwrap_err();
    assert_eq!(e.reason, Reason::NotAnApiPage, "{e:?}");
    let overview = "| **[事件 (Event)](https://x.example)** | 权限要求（满足任一） | 事件类型 | 商店 | 自建 |\n| --- | --- | --- | --- | --- |\n";
    assert!(!importer::event::is_event_page(overview), "a column named 事件类型 is no event table");
}

#[test]
fn event_pages_pass_the_checker_and_a_rejected_one_blocks_none() {
    let dir = std::env::temp_dir().join(format!("importer-events-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let pages_dir = dir.join("feishu");
    for page in importer::report::pages(&[fixtures()]) {
        let to = pages_dir.join(page.strip_prefix(fixtures()).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&page, to).unwrap();
    }
    // A spec root of our own that has an event of the type a page documents, at another place:
    // the checker rejects the page's spec (two files of one event type; the error is at the root's
    // file, the page's is the other place), and that page alone is left out.
    let base = dir.join("specs");
    std::fs::create_dir_all(base.join("feishu/garden/v1/events")).unwrap();
    std::fs::write(
        base.join("feishu/vendor.yaml"),
        "vendor: feishu\ntitle: Feishu\nhosts:\n  feishu: {url: \"https://open.feishu.cn\", default: true}\nservices:\n  garden/v1: {title: 花园, feature: feishu-garden}\nenvelope: {code: code, message: msg, data: data, success: 0}\n",
    )
    .unwrap();
    std::fs::write(base.join("feishu/garden/v1/events/planted.yaml"), "event: garden.plot.twin_v1\ntitle: 孪生\nschema: \"2.0\"\nfields:\n  plot_id: {type: string}\n").unwrap();
    let twin = std::fs::read_to_string(fixtures().join("fence_mended.md"))
        .unwrap()
        .replace("garden.fence.mended_v1", "garden.plot.twin_v1")
        .replace("/garden-v1/fence/events/mended", "/garden-v1/aaa/events/twin");
    std::fs::write(pages_dir.join("twin.md"), twin).unwrap();
    let pages = importer::report::pages(std::slice::from_ref(&pages_dir));
    let options = importer::report::Options { base, workspace: workspace(), scratch: dir.join("scratch"), compile: false, force: false };
    let report = importer::report::run_on(&pages, &options, &importer::operations::AuthingOperations::shipped());
    println!("{}", report.render());
    assert_eq!(report.event_pages, 5);
    assert!(report.events_failed.is_empty(), "{:?}", report.events_failed);
    let left: Vec<String> = report.events_rejected.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["twin.md"], "{:?}", report.events_rejected);
    let (_, why) = &report.events_rejected[0];
    assert!(why.starts_with("specs/feishu/garden/v1/events/planted.yaml:1:") && why.contains("garden.plot.twin_v1"), "a located reason: {why}");
    assert_eq!(report.events_accepted.len(), 4, "{:?}", report.events_accepted);
    // Each page's verdict in the import record, with the spec's digest.
    let rows = &report.records()["feishu"];
    let watered = rows.iter().find(|r| r.page == "plot_watered.md" && r.verdict.is_page()).unwrap();
    assert!(watered.event && watered.verdict == codegen::coverage::Verdict::Imported && watered.digest.len() == 64, "{watered:?}");
    let twin = rows.iter().find(|r| r.page == "twin.md").unwrap();
    assert!(twin.event && twin.verdict == codegen::coverage::Verdict::LeftOut && twin.spec == "garden/v1/aaa/events/twin", "{twin:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
