//! Contradictions inside a page or between pages of one service that the importer resolves, each
//! with a warning at the page line and an erratum in the spec, so that the specs pass the checker
//! together: a type that several pages of a service define differently, example arrays whose
//! items are of the wrong kind, a page of records counted in `number`s or `string`s, a list
//! answer shown without its list. Our own fixture pages (`tests/fixtures/feishu_md/apiary-v1/`,
//! `tests/fixtures/authing_md/*hive*`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::spec::{Erratum, Field, PageStyle, TypeDefKind, TypeExpr};
use importer::build::Built;
use importer::draft::WarningKind;
use importer::operations::AuthingOperations;
use importer::page::Corpus;
use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn made_up_operations() -> AuthingOperations {
    let read = |name: &str| std::fs::read_to_string(fixtures().join(name)).unwrap();
    AuthingOperations::shipped().with(AuthingOperations::from_tables(&read("authing-operations.txt"), &read("authing-summaries.txt")))
}

/// The fixture pages `names` (below `tests/fixtures`) as one corpus, built, by name.
fn import(names: &[&str]) -> BTreeMap<String, Built> {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixtures().join(n)).collect();
    let built = Corpus::read(&paths).import_all(&made_up_operations());
    names.iter().zip(built).map(|(n, (_, r))| ((*n).to_owned(), r.unwrap_or_else(|e| panic!("{n}: {e:?}")).1)).collect()
}

/// The pages pass the checker together (with the project's vendor files).
fn assert_pass_together(pages: &BTreeMap<String, Built>, names: &[&str], tag: &str) {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixtures().join(n)).collect();
    let built: Vec<(PathBuf, Built)> = Corpus::read(&paths).import_all(&made_up_operations()).into_iter().map(|(p, r)| (p, r.unwrap().1)).collect();
    assert_eq!(built.len(), pages.len());
    let scratch = std::env::temp_dir().join(format!("importer-contradictions-{tag}-{}", std::process::id()));
    let assembly =
        importer::assemble::assemble(built, &Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"), &scratch.join("specs"), &|_| false, &importer::services::Catalog::default());
    let rejected: Vec<String> = assembly.rejected.iter().map(|(p, r)| format!("{}: {}: {}", p.display(), r.at, r.message)).collect();
    assert!(rejected.is_empty(), "{}", rejected.join("\n"));
    let _ = std::fs::remove_dir_all(&scratch);
}

fn line_with(page: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(fixtures().join(page)).unwrap();
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("`{needle}` not in {page}"))
}

fn fields<'b>(b: &'b Built, type_name: &str) -> &'b [Field] {
    match b.types.iter().find(|t| t.name.value == type_name).map(|t| &t.kind) {
        Some(TypeDefKind::Struct(f)) => f,
        _ => panic!("no struct `{type_name}` among {:?}", b.types.iter().map(|t| &t.name.value).collect::<Vec<_>>()),
    }
}

fn field<'f>(fields: &'f [Field], name: &str) -> &'f Field {
    fields.iter().find(|f| f.name.value == name).unwrap_or_else(|| panic!("no field `{name}`"))
}

fn erratum<'b>(b: &'b Built, at: &str) -> &'b Erratum {
    b.operation.errata.iter().find(|e| e.at == at).unwrap_or_else(|| panic!("no erratum at `{at}` among {:?}", b.operation.errata.iter().map(|e| &e.at).collect::<Vec<_>>()))
}

/// Lines of the warnings of `kind` whose message contains `needle`.
fn warned(b: &Built, kind: WarningKind, needle: &str) -> Vec<usize> {
    b.warnings.iter().filter(|w| w.kind == kind && w.message.contains(needle)).map(|w| w.line).collect()
}

fn example(text: &Option<codegen::spec::Sp<String>>) -> Value {
    serde_json::from_str(&text.as_ref().expect("an example").value).expect("JSON")
}

const APIARY: &[&str] = &["feishu_md/apiary-v1/keeper_get.md", "feishu_md/apiary-v1/note_create.md", "feishu_md/apiary-v1/note_patch.md", "feishu_md/apiary-v1/reward_import.md"];

#[test]
fn a_type_several_pages_of_a_service_define_is_one_type() {
    let pages = import(APIARY);

    // `bonus_amount` is required-`bonus_kind` and `jars` on one page, `jars` alone on another
    // whose example has no `bonus_kind`: the one type has it, optional.
    let keeper = &pages["feishu_md/apiary-v1/keeper_get.md"];
    let kind = field(fields(keeper, "bonus_amount"), "bonus_kind");
    assert_eq!((&kind.ty.value, kind.required), (&TypeExpr::Int64, false));
    let at = line_with("feishu_md/apiary-v1/keeper_get.md", "`earned`");
    let there = format!("reward_import.md:{}", line_with("feishu_md/apiary-v1/reward_import.md", "`bonus_kind`"));
    assert_eq!(warned(keeper, WarningKind::TypeFromOtherPage, &there), [at], "{:?}", keeper.warnings);
    assert_eq!(erratum(keeper, "type bonus_amount.bonus_kind").spec, "required field of type int64");
    assert_eq!(erratum(keeper, "example $.data.earned.bonus_kind").spec, "an optional field");
    // The page that gives the field keeps it required.
    assert!(field(fields(&pages["feishu_md/apiary-v1/reward_import.md"], "bonus_amount"), "bonus_kind").required);

    // `rich_text` is a string on the page that brings `note_info` first, and a list on the later
    // one: the later page's is a string too, and its example carries the list as JSON text.
    let patch = &pages["feishu_md/apiary-v1/note_patch.md"];
    assert_eq!(field(fields(patch, "note_info"), "rich_text").ty.value, TypeExpr::String);
    let row = line_with("feishu_md/apiary-v1/note_patch.md", "`rich_text`");
    assert_eq!(warned(patch, WarningKind::TypeFromOtherPage, "note_create.md"), [row], "{:?}", patch.warnings);
    let e = erratum(patch, "type note_info.rich_text");
    assert_eq!((e.doc.as_str(), e.spec.as_str()), ("`array<rich_segment>`", "`string`"));
    let sent = example(&patch.operation.request_example);
    assert_eq!(sent["note"]["rich_text"], json!(r#"[{"text":"分蜂迹象","kind":"plain"}]"#));
    assert_eq!(erratum(patch, "example $.note.rich_text").spec, "its JSON text");
    // The first page is as it was.
    let create = &pages["feishu_md/apiary-v1/note_create.md"];
    assert!(create.operation.errata.iter().all(|e| !e.at.starts_with("type ")), "{:?}", create.operation.errata);

    assert_pass_together(&pages, APIARY, "apiary");
}

#[test]
fn example_array_items_of_the_wrong_kind_are_repaired_or_left_out() {
    let page = "feishu_md/apiary-v1/alarm_list.md";
    let pages = import(&[page]);
    let b = &pages[page];
    let answer = example(&b.operation.response_example);
    let item = &answer["data"]["items"][0];
    // `[[0, 1]]` for a list of numbers: the inner list.
    assert_eq!(item["channels"], json!([0, 1]));
    assert_eq!(erratum(b, "example $.data.items[0].channels").doc, "an array of arrays");
    // A bare ID among the objects: left out, not kept as a null item.
    assert_eq!(item["hives"], json!([{"hive_id": "hv_08"}]));
    assert_eq!(erratum(b, "example $.data.items[0].hives[0]").spec, "null");
    assert_eq!(erratum(b, "example $.data.items[0].hives").doc, "null items");
    let line = line_with(page, "```json") + 1;
    assert_eq!(warned(b, WarningKind::ExampleTypeMismatch, "hives`: an array's items cannot be null"), [line], "{:?}", b.warnings);
    assert_pass_together(&pages, &[page], "alarm");
}

const HIVES: &[&str] = &["authing_md/create-hive.md", "authing_md/list-hive-ids.md", "authing_md/list-hives.md"];

#[test]
fn a_page_of_records_counts_in_whole_numbers_on_every_page() {
    let pages = import(HIVES);
    let list = &pages["authing_md/list-hives.md"];
    assert!(matches!(list.operation.pagination.as_ref().map(|p| &p.style), Some(PageStyle::Page { .. })), "{:?}", list.operation.pagination);
    for input in ["page", "limit"] {
        let f = field(&list.operation.query_params, input);
        assert_eq!(f.ty.value, TypeExpr::Int64, "{input}");
        assert_eq!(erratum(list, &format!("input {input}")).doc, "`string`");
        assert_eq!(warned(list, WarningKind::Other, &format!("input `{input}` is `string`")), [line_with("authing_md/list-hives.md", &format!("| {input} |"))]);
    }
    // The page that is not a list has the same type, which counts in whole numbers there too:
    // the service's `types.yaml` keeps the first page's.
    let create = &pages["authing_md/create-hive.md"];
    assert!(create.operation.pagination.is_none());
    for b in [list, create] {
        assert_eq!(field(fields(b, "HivePagingDto"), "totalCount").ty.value, TypeExpr::Int64);
        assert_eq!(erratum(b, "type HivePagingDto.totalCount").doc, "`number`");
    }
    let row = line_with("authing_md/create-hive.md", "| totalCount |");
    assert_eq!(warned(create, WarningKind::Other, "field `totalCount` of `HivePagingDto` is `number`"), [row]);

    // A list answer shown without its list: the list is empty.
    let ids = &pages["authing_md/list-hive-ids.md"];
    assert_eq!(example(&ids.operation.response_example)["data"], json!([]));
    assert_eq!(erratum(ids, "example $.data").spec, "`data` as an empty list");

    assert_pass_together(&pages, HIVES, "hives");
}
