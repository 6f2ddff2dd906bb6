//! Failure isolation: one page never blocks another. Pages of our own, in Feishu's Markdown
//! format, share a service's `types.yaml`; the one whose field the checker rejects is left out
//! with the located reason, and the others pass together.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A page of the made-up `orchard` service: `GET /open-apis/orchard/v1/trees/:tree_id/<what>`
/// answering a `tree` whose rows are `fields` (name, type).
fn page(what: &str, fields: &[(&str, &str)]) -> String {
    let rows: String = fields.iter().map(|(n, t)| format!("| &nbsp;&nbsp;&nbsp;&nbsp;└ `{n}` | `{t}` | 说明 |\n")).collect();
    format!(
        r#"---
title: "查询果树 {what}"
fullPath: "/uAjLw4CM/ukTMukTMukTM/orchard-v1/tree/{what}"
---

# 查询果树 {what}

## 请求

| 项目 | 值 |
| --- | --- |
| HTTP URL | https://open.feishu.cn/open-apis/orchard/v1/trees/:tree_id/{what} |
| HTTP Method | GET |
| 支持的应用类型 | custom |

### 请求头

| 名称 | 类型 | 必填 | 描述 |
| --- | --- | --- | --- |
| Authorization | string | 是 | `tenant_access_token` **值格式**："Bearer `access_token`" |

### 路径参数

| 名称 | 类型 | 描述 |
| --- | --- | --- |
| `tree_id` | `string` | 果树 ID<br>**示例值**："t_1" |

## 响应

### 响应体

| 名称 | 类型 | 描述 |
| --- | --- | --- |
| `code` | `int` | 错误码 |
| `msg` | `string` | 错误描述 |
| `data` | `\-` | \- |
| &nbsp;&nbsp;└ `tree` | `tree` | 果树 |
{rows}"#
    )
}

#[test]
fn a_page_whose_field_the_checker_rejects_is_left_out_alone() {
    let dir = std::env::temp_dir().join(format!("importer-isolation-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    // Three pages bring the same named type `tree`; the second adds a field of a type no JSON
    // answer can hold (`file`), which the checker reports inside the shared types file.
    fs::write(dir.join("a_height.md"), page("height", &[("tree_id", "string"), ("height", "int")])).unwrap();
    fs::write(dir.join("b_photo.md"), page("photo", &[("tree_id", "string"), ("photo", "file")])).unwrap();
    fs::write(dir.join("c_age.md"), page("age", &[("tree_id", "string"), ("age", "int")])).unwrap();

    let pages = importer::report::pages(std::slice::from_ref(&dir));
    let scratch = dir.join("scratch");
    let report = importer::report::run(&pages, &workspace(), &scratch, false);
    println!("{}", report.render());

    assert_eq!(report.api_pages, 3);
    let left_out: Vec<&str> = report.rejected.iter().map(|(p, _)| p.file_name().unwrap().to_str().unwrap()).collect();
    assert_eq!(left_out, vec!["b_photo.md"], "only the page that brought the bad field is left out");
    let reason = &report.rejected[0].1;
    assert!(reason.starts_with("specs/feishu/orchard/v1/types.yaml:") && reason.contains("`file` is only allowed in a multipart body"), "{reason}");
    assert_eq!(report.passed(), 2);

    // What passed is in the scratch root, without the rejected page's field.
    let types = fs::read_to_string(scratch.join("specs/feishu/orchard/v1/types.yaml")).unwrap();
    assert!(types.contains("height:") && types.contains("age:") && !types.contains("photo:"), "{types}");
    let verdicts = report.verdicts();
    assert!(verdicts.lines().any(|l| l.contains("b_photo.md\tleft out\tspecs/feishu/orchard/v1/types.yaml:")), "{verdicts}");
    assert_eq!(verdicts.lines().filter(|l| l.contains("\tpassed\t")).count(), 2, "{verdicts}");
    let _ = fs::remove_dir_all(&dir);
}
