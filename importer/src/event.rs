//! Feishu event pages → event specs. An event page has an `事件` table (event type, app types,
//! scopes, field scopes), an `事件体` table (the delivery: the envelope's rows, and the `event`
//! object's rows below `event`) and an `事件体示例` (the whole delivery as JSON, often with `//`
//! comments). The rows are built with the operation importer's machinery (`build`'s type tokens
//! and cell conventions, `reconcile`'s examples against tables, each repair an erratum); a page
//! without an `事件体` table gets its fields from its example, the comments as descriptions.
//! The spec goes where the doc path puts it, as an operation's does:
//! `…/im-v1/message/events/receive` → `im/v1/message/events/receive`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::diagnostic::{FileId, Loc};
use codegen::spec::*;
use serde_json::{Map, Value};

use crate::build::{BuildError, Builder, Context, app_type, deprecation, nonempty, tree, versioned};
use crate::dictionary::Site;
use crate::draft::{Draft, Located, Row, Warning, WarningKind};
use crate::feishu_md::{self, FrontMatter, ParseError};
use crate::markdown::{self, TableRow};

/// An event page as read.
#[derive(Debug, Clone)]
pub struct EventDraft {
    /// Title, introduction, doc path and link, update date, app types, scopes and field scopes,
    /// notice and the parser's warnings, as an operation page's draft has them.
    pub page: Draft,
    /// The `事件类型` row's value, at its line.
    pub event_type: Located<String>,
    /// The rows of the `事件体` table (envelope and event) as written; empty when the page has none.
    pub rows: Vec<Row>,
    /// The `事件体示例`: the whole delivery, as written.
    pub example: Option<Located<String>>,
}

/// What one event page becomes.
#[derive(Debug, Clone)]
pub struct BuiltEvent {
    pub vendor: &'static str,
    /// Path under the vendor directory, without `.yaml`: `im/v1/message/events/receive`.
    pub rel_path: String,
    /// The service directory: `im/v1`.
    pub service: String,
    pub event: EventFile,
    pub warnings: Vec<Warning>,
}

/// Whether a page is an event page: a table row `| 事件类型 | <type> |`, and no `HTTP Method`
/// (an API page that mentions an event type in a table stays an API page).
pub fn is_event_page(text: &str) -> bool {
    let row = |l: &str| {
        let cells: Vec<&str> = l.trim().trim_start_matches('|').split('|').map(str::trim).collect();
        cells.len() >= 2 && cells[0] == "事件类型" && !cells[1].is_empty()
    };
    text.lines().any(row) && !text.lines().any(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with("HTTP Method"))
}

/// Whether a Feishu page is an event page: an `事件类型` row ([`is_event_page`]), or, filed
/// among event pages (a folder `event` or `events`), an example of a delivery
/// ([`shows_a_delivery`]).
pub fn event_page(path: &std::path::Path, text: &str) -> bool {
    let filed_with_events = path.components().any(|c| c.as_os_str() == "event" || c.as_os_str() == "events");
    is_event_page(text) || (filed_with_events && shows_a_delivery(text))
}

/// Reads one Feishu Markdown event page.
pub fn parse(text: &str) -> Result<EventDraft, ParseError> {
    let fm = FrontMatter::read(text);
    let body = fm.blanked(text);
    let secs = markdown::sections(&body);
    let is_type_row = |r: &TableRow| r.cells.first().is_some_and(|c| c.text.trim() == "事件类型");
    let found = secs.iter().enumerate().find_map(|(i, s)| s.tables.iter().find(|t| t.rows.iter().any(is_type_row)).map(|t| (i, t)));
    let Some((table_sec, table)) = found else {
        return parse_by_example(&fm, &body, &secs);
    };
    let mut d = Draft::default();
    let mut w: Vec<Warning> = Vec::new();
    let title_sec = secs.iter().position(|s| s.level == 1);
    if let Some(t) = title_sec {
        d.title = secs[t].heading.clone();
    }
    // The introduction runs from the title to the section of the event table (`## 事件`).
    let desc_start = title_sec.map_or(1, |t| secs[t].line + 1);
    let desc_end = if Some(table_sec) == title_sec { table.line } else { secs[table_sec].line };
    d.description = feishu_md::description(&body, desc_start, desc_end);
    d.notice = feishu_md::notice(&body, desc_start, desc_end, &d.title, &|l| l);
    feishu_md::read_request_table(table, &mut d, &mut w, &|l| l);
    let type_row = table.rows.iter().find(|r| is_type_row(r)).map(|r| (r.line, feishu_md::clean_token(r.text(Some(1)))));
    let Some((line, event_type)) = type_row.filter(|(_, t)| !t.is_empty()) else {
        return Err(ParseError { line: table.line, message: "the `事件类型` row names no event type".to_owned() });
    };
    if event_type.contains(char::is_whitespace) {
        return Err(ParseError { line, message: format!("the `事件类型` row holds `{event_type}`, not one event type") });
    }

    // The body and its example: the sections so titled that name this event type (a page may
    // document the bodies of several types, `事件体（事件类型为 leave_approval）`), else the first.
    let bodies: Vec<usize> = (0..secs.len()).filter(|&i| is_body(&secs[i].heading)).collect();
    let examples: Vec<usize> = (0..secs.len()).filter(|&i| is_example(&secs[i].heading)).collect();
    let pick = |list: &[usize]| list.iter().copied().find(|&i| names_type(&secs[i].heading, &event_type)).or_else(|| list.first().copied());
    let body_sec = pick(&bodies);
    let mut rows = Vec::new();
    if let Some(t) = body_sec.and_then(|i| feishu_md::span(&secs, i).iter().flat_map(|s| s.tables.iter()).next()) {
        let read = feishu_md::read_rows(t, "事件体", &mut w, &|l| l);
        rows = feishu_md::dedup(read.into_iter().map(event_row).collect(), "事件体", &mut w);
    }
    let example =
        pick(&examples).and_then(|i| feishu_md::span(&secs, i).iter().flat_map(|s| s.code.iter()).next().map(|(l, _, code)| Located { value: code.clone(), line: l + 1 }));
    if bodies.len() > 1 {
        let others: Vec<String> = bodies.iter().filter(|&&i| Some(i) != body_sec).map(|&i| format!("`{}` (line {})", secs[i].heading, secs[i].line)).collect();
        w.push(Warning {
            line: body_sec.map_or(line, |i| secs[i].line),
            kind: WarningKind::Other,
            message: format!("the page documents more event bodies than its event type's: {}; only the body of `{event_type}` is imported", others.join(", ")),
        });
    }
    d.warnings = w;
    feishu_md::front_facts(&fm, &mut d);
    Ok(EventDraft { page: d, event_type: Located { value: event_type, line }, rows, example })
}

/// Whether a page without an `事件类型` row shows a delivery as its example (an older event page:
/// prose, an example with comments, perhaps a `事件体` table): see [`parse`].
pub fn shows_a_delivery(text: &str) -> bool {
    !text.lines().any(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with("HTTP Method"))
        && markdown::sections(text).iter().flat_map(|s| s.code.iter()).any(|(_, _, code)| delivery(code).is_some())
}

/// The event type of an example that is a delivery: 2.0's `header.event_type` beside an `event`
/// object, or 1.0's `event.type` in a `type: event_callback` envelope.
fn delivery(code: &str) -> Option<String> {
    let v = read_example(code).ok()?.value;
    v.get("event").filter(|e| e.is_object())?;
    let declared = match schema_of(&v)? {
        EventSchema::V2 => v.pointer("/header/event_type"),
        EventSchema::V1 => v.pointer("/event/type").filter(|_| v.get("type").and_then(Value::as_str) == Some("event_callback")),
    };
    declared.and_then(Value::as_str).map(str::to_owned).filter(|t| !t.is_empty() && !t.contains(char::is_whitespace))
}

/// An older event page: no `事件` table, the event type and the fields from its example (the
/// first code block that is a delivery), the rows from a table with an `event` row if it has one.
/// Its introduction runs to the first of the bold labels it uses as headings (`**事件类型**`,
/// `**回调示例：**`) or to the example.
fn parse_by_example(fm: &FrontMatter, body: &str, secs: &[markdown::Section]) -> Result<EventDraft, ParseError> {
    let found = secs.iter().flat_map(|s| s.code.iter()).find_map(|(line, _, code)| delivery(code).map(|t| (*line, t, code.clone())));
    let Some((fence, event_type, code)) = found else {
        return Err(ParseError { line: 1, message: "the page has no table with an `事件类型` row and no example of a delivery: not an event page".to_owned() });
    };
    let mut d = Draft::default();
    let mut w: Vec<Warning> = Vec::new();
    let title_sec = secs.iter().position(|s| s.level == 1);
    if let Some(t) = title_sec {
        d.title = secs[t].heading.clone();
    }
    let desc_start = title_sec.map_or(1, |t| secs[t].line + 1);
    let labels = ["**事件**", "**事件类型**", "**事件体**", "**回调示例", "**事件示例", "## 事件订阅示例代码", "### 事件订阅示例代码"];
    let label_line = body.split('\n').enumerate().skip(desc_start).find(|(_, l)| labels.iter().any(|m| l.trim_start().starts_with(m))).map(|(i, _)| i + 1);
    let desc_end = label_line.map_or(fence, |l| l.min(fence));
    d.description = feishu_md::description(body, desc_start, desc_end);
    d.notice = feishu_md::notice(body, desc_start, desc_end, &d.title, &|l| l);
    let table = secs.iter().flat_map(|s| s.tables.iter()).find(|t| t.rows.iter().any(|r| feishu_md::split_name(r.text(Some(0))) == (0, "event".to_owned())));
    let mut rows = Vec::new();
    if let Some(t) = table {
        let read = feishu_md::read_rows(t, "事件体", &mut w, &|l| l);
        rows = feishu_md::dedup(read.into_iter().map(event_row).collect(), "事件体", &mut w);
    }
    w.push(Warning {
        line: fence + 1,
        kind: WarningKind::Other,
        message: format!("the page has no `事件` table: the event type `{event_type}` is its example's, and it states no app types or scopes"),
    });
    d.warnings = w;
    feishu_md::front_facts(fm, &mut d);
    Ok(EventDraft { page: d, event_type: Located { value: event_type, line: fence + 1 }, rows, example: Some(Located { value: code, line: fence + 1 }) })
}

/// `事件体`, `事件体（事件类型为 leave_approval）`: a body section, not its example.
fn is_body(heading: &str) -> bool {
    heading.starts_with("事件体") && !heading.contains("示例")
}

/// `事件体示例`, `回调示例`: the section of the body's example (not the SDK samples').
fn is_example(heading: &str) -> bool {
    heading.starts_with("事件体示例") || heading.starts_with("回调示例") || heading == "事件示例"
}

/// A heading that names the event type (`（事件类型为 leave_approval）`), and no longer one.
fn names_type(heading: &str, event_type: &str) -> bool {
    heading.match_indices(event_type).any(|(i, _)| !heading[i + event_type.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
}

/// An event page's row as the operation importer reads rows: its value lists are written
/// `可能值有：` where API pages write `可选值有：`.
fn event_row(mut r: Row) -> Row {
    r.description = r.description.replace("可能值有", "可选值有");
    r
}

/// Builds one event page: `path` is where it is read from, `shown` its path below the corpus
/// folder.
pub fn build(d: &EventDraft, cx: &Context, path: &Path, shown: &str) -> Result<BuiltEvent, BuildError> {
    let (service, rel_path) = identity(d, path, shown)?;
    let site = Site { vendor: "feishu", service: Some(service.clone()), ..cx.site.clone() };
    let mut b = Builder::new(d.page.warnings.clone(), cx.dictionary.clone(), site);
    b.example_shapes = true;
    let event_type = d.event_type.value.as_str();

    let rows = structs_by_their_rows(&mut b, &d.rows);
    let nodes = tree(&rows);
    let top: Vec<&str> = nodes.iter().map(|n| n.row.name.as_str()).collect();
    let table_schema = if top.iter().any(|n| matches!(*n, "schema" | "header")) {
        Some(EventSchema::V2)
    } else if top.iter().any(|n| matches!(*n, "uuid" | "ts" | "token")) {
        Some(EventSchema::V1)
    } else {
        None
    };
    let example = match &d.example {
        Some(ex) => match read_example(&ex.value) {
            Ok(read) if read.value.get("event").is_some_and(Value::is_object) => Some((ex, read)),
            Ok(_) => {
                b.warn(ex.line, WarningKind::Other, "the example has no `event` object; it was left out".to_owned());
                None
            }
            Err(e) => {
                b.warn(ex.line, WarningKind::Other, format!("the example is not JSON ({e}); it was left out"));
                None
            }
        },
        None => None,
    };
    let example_schema = example.as_ref().and_then(|(_, r)| schema_of(&r.value));
    let schema = match (table_schema, example_schema) {
        (Some(t), Some(e)) if t != e => {
            let line = example.as_ref().map_or(d.event_type.line, |(ex, _)| ex.line);
            b.warn(line, WarningKind::Other, format!("the 事件体 table shows schema {} but the example schema {}; the table's was taken", schema_name(t), schema_name(e)));
            t
        }
        (Some(s), _) | (None, Some(s)) => s,
        (None, None) => EventSchema::V2,
    };

    // The event's fields: the rows below `event`; a table without the envelope's rows is the
    // event's alone; without rows, the example's `event` object.
    let event_node = nodes.iter().find(|n| n.row.name == "event");
    let mut fields = match event_node {
        Some(n) if !n.children.is_empty() => b.fields_of(&n.children, false),
        None if table_schema.is_none() && !nodes.is_empty() => b.fields_of(&nodes, false),
        _ => Vec::new(),
    };
    let comments = example.as_ref().map(|(_, r)| r.comments.clone()).unwrap_or_default();
    if fields.is_empty() {
        let Some((ex, read)) = &example else {
            let line = if d.rows.is_empty() { d.event_type.line } else { d.rows[0].line };
            return Err(BuildError { line, message: "neither an 事件体 table with rows below `event` nor an example says what the event carries".to_owned() });
        };
        let what = if d.rows.is_empty() { "the page has no 事件体 table" } else { "the 事件体 table has no rows below `event`" };
        b.warn(ex.line, WarningKind::Other, format!("{what}; the event's fields are read from the example (types from its values, descriptions from its comments)"));
        if let Some(Value::Object(event)) = read.value.get("event") {
            fields = infer_fields(&mut b, event, "event", &comments, ex.line);
        }
    }

    let mut example_text = None;
    if let Some((ex, read)) = example {
        let mut value = read.value.clone();
        if !read.repairs.is_empty() {
            let what = read.repairs.iter().copied().collect::<Vec<_>>().join(", ");
            b.repair(ex.line, WarningKind::Other, "$", &format!("not JSON: {what}"), "JSON", "the example is not JSON as written; it is kept as the JSON it means");
        }
        declared_type(&mut b, &mut value, schema, event_type, ex.line);
        if let Some(Value::Object(event)) = value.get_mut("event") {
            // In schema 1.0 the event object carries the event type as `type`, which the table
            // may leave out: it is no field only the example has.
            let untabled = schema == EventSchema::V1 && event.contains_key("type") && !fields.iter().any(|f| f.name.value == "type");
            if untabled {
                fields.push(Field::new("type", TypeExpr::String));
            }
            b.object(event, &mut fields, "$.event", ex.line, None);
            if untabled {
                fields.retain(|f| f.name.value != "type");
            }
        }
        let original = if read.repairs.is_empty() { Some(ex.value.as_str()) } else { None };
        example_text = Some(match original {
            Some(text) => crate::reconcile::example_text(text, &read.value, &value),
            None => Sp { value: serde_json::to_string_pretty(&value).unwrap_or_default() + "\n", loc: Loc::NONE },
        });
    }
    describe_from_comments(&mut fields, &mut b.types, "event", &comments, &mut BTreeSet::new());

    let page = &d.page;
    let mut errata: Vec<Erratum> = page
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::DuplicateField))
        .map(|w| Erratum {
            at: format!("page line {}", w.line),
            doc: w.kind.name().to_owned(),
            spec: "as the importer chose".to_owned(),
            reason: format!("{} (found by the importer)", w.message),
        })
        .collect();
    errata.append(&mut b.errata);
    let scope = |(n, d): &(String, String)| Scope { name: n.clone(), description: nonempty(d), note: None };
    let event = EventFile {
        file: FileId(u32::MAX),
        loc: Loc::NONE,
        rel_path: rel_path.clone(),
        event: Sp { value: event_type.to_owned(), loc: Loc::NONE },
        name: None,
        title: page.title.clone(),
        description: page.description.clone().filter(|t| !t.is_empty()),
        doc_url: page.doc_url.as_ref().map(|u| u.replace("/server-docs/reference/", "/server-docs/")),
        doc_updated: page.updated.clone(),
        deprecated: deprecation(page, cx),
        schema: Sp { value: schema, loc: Loc::NONE },
        app_types: page.app_types.iter().map(|a| app_type(a)).collect(),
        scopes: page.scopes.iter().map(scope).collect(),
        field_scopes: page.field_scopes.iter().map(scope).collect(),
        fields,
        types: b.types.into_values().collect(),
        broken_types: Vec::new(),
        example: example_text,
        errata,
    };
    Ok(BuiltEvent { vendor: "feishu", rel_path, service, event, warnings: b.warnings })
}

/// A row typed as a single value (`string`, `string[]`) with rows below it describes objects:
/// the rows win, and the row becomes `object` (`object[]`), an erratum.
fn structs_by_their_rows(b: &mut Builder, rows: &[Row]) -> Vec<Row> {
    use crate::type_token::Token;
    let mut out = rows.to_vec();
    // The event's rows: below a top-level `event` row, or all of them in a table without one.
    let event_rows = match out.iter().position(|r| r.depth == 0 && r.name == "event") {
        Some(at) => at + 1..out[at + 1..].iter().position(|r| r.depth == 0).map_or(out.len(), |p| at + 1 + p),
        None => 0..out.len(),
    };
    for i in event_rows {
        let has_rows = out.get(i + 1).is_some_and(|next| next.depth > out[i].depth);
        let (scalar, list) = match crate::type_token::parse(&out[i].ty) {
            // A `file` with rows below it is a struct of that name (`build` reads it so).
            Token::Scalar(crate::type_token::Scalar::File) => (false, false),
            Token::Scalar(_) => (true, false),
            Token::Array(Some(item)) => (matches!(*item, Token::Scalar(_)), true),
            _ => (false, false),
        };
        if !has_rows || !scalar {
            continue;
        }
        let (written, now) = (out[i].ty.clone(), if list { "object[]" } else { "object" });
        let r = &out[i];
        b.warn(r.line, WarningKind::Other, format!("`{}` is typed `{written}` but has rows below it, which describe its objects; it is `{now}`", r.name));
        b.errata.push(Erratum {
            at: format!("page line {}", r.line),
            doc: format!("`{}` of type `{written}` with fields below it", r.name),
            spec: format!("`{now}` with those fields"),
            reason: "the rows below a field describe its objects; the type cell contradicts them (found by the importer)".to_owned(),
        });
        out[i].ty = now.to_owned();
    }
    out
}

fn schema_name(s: EventSchema) -> &'static str {
    match s {
        EventSchema::V1 => "1.0",
        EventSchema::V2 => "2.0",
    }
}

/// The envelope an example shows: `schema`/`header` for 2.0, `uuid`/`ts`/`type: event_callback` for 1.0.
fn schema_of(v: &Value) -> Option<EventSchema> {
    let m = v.as_object()?;
    if m.contains_key("schema") || m.contains_key("header") {
        Some(EventSchema::V2)
    } else if m.contains_key("uuid") || m.contains_key("ts") || m.get("type").and_then(Value::as_str) == Some("event_callback") {
        Some(EventSchema::V1)
    } else {
        None
    }
}

/// The example names the event type it shows (`header.event_type` in 2.0, `event.type` in 1.0);
/// where that is another type than the page's, it is set to the page's, an erratum.
fn declared_type(b: &mut Builder, value: &mut Value, schema: EventSchema, event_type: &str, line: usize) {
    let pointer = match schema {
        EventSchema::V2 if value.pointer("/header/event_type").is_some() => "/header/event_type",
        // A 2.0 example without `header.event_type` is read by its event's `type`, as 1.0's are.
        _ => "/event/type",
    };
    let Some(slot) = value.pointer_mut(pointer) else { return };
    let Some(written) = slot.as_str().map(str::to_owned) else { return };
    if written == event_type {
        return;
    }
    *slot = Value::String(event_type.to_owned());
    let at = format!("${}", pointer.replace('/', "."));
    b.repair(
        line,
        WarningKind::ExampleFieldMismatch,
        &at,
        &format!("event type `{written}`"),
        &format!("`{event_type}`"),
        "the example names another event type than the page's 事件类型 row",
    );
}

/// The page's place: the service and the spec's path, from the doc path's `<service>-v<n>`
/// segment and what follows it, else the page's folders', else (a page filed and linked without a
/// version) the event type's service and version (`drive.file.read_v1`) or the service of the
/// pages beside it on disk ([`service_beside`]), with the page's path below its doc family.
/// `event` becomes `events`, and a path without `events` gets it before the page's name.
fn identity(d: &EventDraft, path: &Path, shown: &str) -> Result<(String, String), BuildError> {
    // The page's path below the vendor's corpus folder (`…/feishu/group/…` → `group/…`), whatever
    // folder an import names; else below the import's root.
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let below_vendor = parts.iter().rposition(|c| c == "feishu").map(|i| parts[i + 1..].join("/"));
    let page_path = below_vendor.unwrap_or_else(|| shown.to_owned());
    let page_path: Vec<&str> = page_path.trim_end_matches(".md").split('/').filter(|s| !s.is_empty() && *s != "historic-version").collect();
    let doc: Vec<&str> = d.page.full_path.as_deref().unwrap_or_default().split('/').filter(|s| !s.is_empty()).collect();
    let after_version = |segs: &[&str]| -> Option<(String, Vec<String>)> {
        let at = segs.iter().position(|s| versioned(s).is_some()).filter(|&at| at + 1 < segs.len())?;
        let (service, version) = versioned(segs[at])?;
        Some((format!("{}/{version}", service.replace('-', "_")), segs[at + 1..].iter().map(|s| (*s).to_owned()).collect()))
    };
    let (service, rest) = match after_version(&doc).or_else(|| after_version(&page_path)) {
        Some(found) => found,
        None => {
            let service = type_service(&d.event_type.value).or_else(|| service_beside(path, shown)).ok_or_else(|| BuildError {
                line: d.event_type.line,
                message: format!(
                    "cannot tell the service: neither the doc path `{}` nor the page's folders name a `<service>-v<n>`, the event type `{}` names no version, and no page beside it has a service",
                    d.page.full_path.as_deref().unwrap_or_default(),
                    d.event_type.value
                ),
            })?;
            let below_family = if page_path.len() > 1 { &page_path[1..] } else { &page_path[..] };
            (service, below_family.iter().map(|s| (*s).to_owned()).collect())
        }
    };
    let mut rest: Vec<String> = rest.iter().map(|s| if s == "event" { "events".to_owned() } else { s.replace('-', "_") }).collect();
    if !rest.iter().any(|s| s == "events") {
        rest.insert(rest.len().saturating_sub(1), "events".to_owned());
    }
    Ok((service.clone(), format!("{service}/{}", rest.join("/"))))
}

/// The service most pages beside a page belong to, on disk (whatever an import reads): the pages
/// of its folder, else of the folder above, up to its doc family's folder (the corpus root only
/// for a page directly in it). A page's service is its API path's (`/open-apis/contact/v2/…`),
/// else its doc path's (`…/contact-v3/…`); a tie goes to the first in order.
fn service_beside(path: &Path, shown: &str) -> Option<String> {
    let folders: Vec<&str> = shown.split('/').collect::<Vec<_>>().split_last().map(|(_, f)| f.to_vec()).unwrap_or_default();
    let mut dir = path.parent()?;
    let mut depth = folders.len();
    loop {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        count_services(dir, path, &mut counts);
        if let Some((s, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) {
            return Some(s.clone());
        }
        // Up to the doc family's folder: not into `historic-version` or the corpus root.
        if depth <= 1 || folders.get(depth - 2) == Some(&"historic-version") {
            return None;
        }
        depth -= 1;
        dir = dir.parent()?;
    }
}

/// The services of the pages under `dir` (but `skip`), counted.
fn count_services(dir: &Path, skip: &Path, counts: &mut BTreeMap<String, usize>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<std::path::PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            count_services(&p, skip, counts);
        } else if p != skip
            && p.extension().is_some_and(|e| e == "md")
            && let Ok(text) = std::fs::read_to_string(&p)
            && let Some(service) = api_service(&text).or_else(|| FrontMatter::read(&text).get("fullPath").and_then(crate::build::doc_path_service))
        {
            *counts.entry(service).or_insert(0) += 1;
        }
    }
}

/// `contact/v2` of a page whose `HTTP URL` row is `…/open-apis/contact/v2/…`.
fn api_service(text: &str) -> Option<String> {
    let url = text.lines().find(|l| l.trim_start().trim_start_matches('|').trim_start().starts_with("HTTP URL"))?;
    let rest = &url[url.find("/open-apis/")? + "/open-apis/".len()..];
    let mut parts = rest.split(['/', ' ', '|', '?']);
    let (service, version) = (parts.next()?, parts.next()?);
    (version.len() > 1 && version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit())).then(|| format!("{}/{version}", service.replace('-', "_")))
}

/// `drive.file.read_v1` → `drive/v1`: the first word, and the version its last word ends in.
fn type_service(event_type: &str) -> Option<String> {
    let (first, rest) = event_type.split_once('.')?;
    let last = rest.rsplit('.').next()?;
    let (_, version) = last.rsplit_once('_')?;
    (version.len() > 1 && version.starts_with('v') && version[1..].chars().all(|c| c.is_ascii_digit())).then(|| format!("{first}/{version}"))
}

/// The Rust name codegen gives an event's struct: the event type without its service's first
/// word, in UpperCamelCase (`im.message.receive_v1` in `im/v1` → `MessageReceiveV1`).
pub fn struct_name(event_type: &str, service: &str) -> Option<String> {
    let first = service.split('/').next().unwrap_or(service);
    let short = event_type.strip_prefix(&format!("{first}.")).unwrap_or(event_type).replace(['.', '-'], "_");
    codegen::names::upper_camel(&short)
}

// ---------------------------------------------------------------------------------------------
// Examples

/// An example as read: its value, what had to be repaired for it to be JSON (comments, commas,
/// unquoted words), and the comments by the key path they stand beside (`event.operator.open_id`).
#[derive(Debug, Clone, Default)]
struct Example {
    value: Value,
    repairs: BTreeSet<&'static str>,
    comments: BTreeMap<String, String>,
}

/// Reads an example, leniently: see [`repair_json`].
fn read_example(text: &str) -> Result<Example, String> {
    let (clean, comments, repairs) = repair_json(text);
    match serde_json::from_str::<Value>(&clean) {
        Ok(value) => Ok(Example { value, repairs, comments }),
        Err(e) => Err(e.to_string()),
    }
}

/// The text as JSON: `//` and `/* */` comments taken out (and kept by the key they describe: the
/// key on their line, else the next key), trailing commas dropped, missing commas between values
/// on separate lines added, full-width commas and colons made ASCII, and words that are no JSON
/// value (`备注时间`, a placeholder) quoted. With the comments by key path, and what was repaired.
fn repair_json(text: &str) -> (String, BTreeMap<String, String>, BTreeSet<&'static str>) {
    #[derive(Clone)]
    enum Frame {
        Object(Option<String>),
        Array,
    }
    let mut out = String::with_capacity(text.len());
    let mut comments: BTreeMap<String, String> = BTreeMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut repairs: BTreeSet<&'static str> = BTreeSet::new();
    // The last key read, with its line, and a comment on a line of its own waiting for the next key.
    let mut last_key: Option<(String, usize)> = None;
    let mut pending: Option<String> = None;
    // A value just ended: what comes next is a comma or a close.
    let mut after_value = false;
    let mut line = 1;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let path = |stack: &[Frame]| stack.iter().filter_map(|f| if let Frame::Object(Some(k)) = f { Some(k.as_str()) } else { None }).collect::<Vec<_>>().join(".");
    let missing_comma = |out: &mut String, after_value: &mut bool, repairs: &mut BTreeSet<&'static str>| {
        if *after_value {
            out.push(',');
            repairs.insert("missing commas");
        }
        *after_value = false;
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                missing_comma(&mut out, &mut after_value, &mut repairs);
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s: String = chars[start..(i + 1).min(chars.len())].iter().collect();
                out.push_str(&s);
                // A string followed by `:` in an object is a key.
                let next = chars.get(i + 1..).unwrap_or_default().iter().find(|c| !c.is_whitespace());
                let key = matches!(next, Some(':' | '：')) && matches!(stack.last(), Some(Frame::Object(_)));
                if key && let Some(Frame::Object(slot)) = stack.last_mut() {
                    *slot = Some(serde_json::from_str(&s).unwrap_or_default());
                    let p = path(&stack);
                    if let Some(comment) = pending.take() {
                        comments.entry(p.clone()).or_insert(comment);
                    }
                    last_key = Some((p, line));
                }
                after_value = !key;
            }
            '/' if matches!(chars.get(i + 1), Some('/' | '*')) => {
                repairs.insert("`//` comments");
                let block = chars[i + 1] == '*';
                let start = i + 2;
                let mut end = start;
                while end < chars.len() && !(if block { chars[end] == '*' && chars.get(end + 1) == Some(&'/') } else { chars[end] == '\n' }) {
                    end += 1;
                }
                let comment: String = chars[start..end.min(chars.len())].iter().collect::<String>().trim().to_owned();
                if !comment.is_empty() {
                    match &last_key {
                        Some((p, l)) if *l == line => {
                            comments.entry(p.clone()).or_insert(comment);
                        }
                        _ => pending = Some(comment),
                    }
                }
                line += chars[start..end.min(chars.len())].iter().filter(|c| **c == '\n').count();
                i = if block { end + 2 } else { end };
                continue;
            }
            '{' | '[' => {
                missing_comma(&mut out, &mut after_value, &mut repairs);
                stack.push(if c == '{' { Frame::Object(None) } else { Frame::Array });
                out.push(c);
            }
            '}' | ']' => {
                let trimmed = out.trim_end();
                if trimmed.ends_with(',') {
                    let cut = trimmed.len() - 1;
                    out.replace_range(cut..cut + 1, " ");
                    repairs.insert("trailing commas");
                }
                stack.pop();
                out.push(c);
                after_value = true;
            }
            ',' | '，' => {
                if c == '，' {
                    repairs.insert("full-width commas");
                }
                // A comma that follows no value (`,,`) says nothing.
                if after_value {
                    out.push(',');
                }
                after_value = false;
            }
            ':' | '：' => {
                if c == '：' {
                    repairs.insert("full-width colons");
                }
                out.push(':');
                after_value = false;
            }
            c if c.is_whitespace() => {
                if c == '\n' {
                    line += 1;
                }
                out.push(c);
            }
            _ => {
                // A bare word: a number, `true`, `false`, `null`, or text the page forgot to quote.
                let ends = |k: usize| {
                    let c = chars[k];
                    c.is_whitespace() || matches!(c, ',' | '，' | ':' | '：' | '{' | '}' | '[' | ']' | '"') || (c == '/' && chars.get(k + 1) == Some(&'/'))
                };
                let start = i;
                while i < chars.len() && !ends(i) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                missing_comma(&mut out, &mut after_value, &mut repairs);
                let literal = matches!(serde_json::from_str::<Value>(&word), Ok(Value::Number(_) | Value::Bool(_) | Value::Null));
                if literal {
                    out.push_str(&word);
                } else {
                    out.push_str(&Value::String(word).to_string());
                    repairs.insert("unquoted words");
                }
                after_value = true;
                continue;
            }
        }
        i += 1;
    }
    (out, comments, repairs)
}

/// Fields read from an example's object: each key's type from its value (an object's fields,
/// an array's items from all its elements), its description from its comment.
fn infer_fields(b: &mut Builder, map: &Map<String, Value>, path: &str, comments: &BTreeMap<String, String>, line: usize) -> Vec<Field> {
    map.iter().map(|(k, v)| infer_field(b, k, v, &format!("{path}.{k}"), comments, line)).collect()
}

pub(crate) fn infer_field(b: &mut Builder, name: &str, v: &Value, path: &str, comments: &BTreeMap<String, String>, line: usize) -> Field {
    let mut f = match v {
        Value::Object(m) if !m.is_empty() => {
            let mut f = Field::new(name, TypeExpr::Object);
            f.fields = Some(infer_fields(b, m, path, comments, line));
            f
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            // The elements' keys together, each first as an element has it.
            let mut merged = Map::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (k, v) in item {
                    if !merged.contains_key(k) {
                        merged.insert(k.clone(), v.clone());
                    }
                }
            }
            let mut f = Field::new(name, TypeExpr::Array(Box::new(TypeExpr::Object)));
            f.fields = Some(infer_fields(b, &merged, path, comments, line));
            f
        }
        other => {
            let f = crate::reconcile::inferred_field(name, other);
            let free = match other {
                Value::Null => Some((WarningKind::NoTypeStated, "is null in the example, which shows no type")),
                Value::Object(_) => Some((WarningKind::ObjectWithoutFields, "is an empty object in the example")),
                Value::Array(items) if items.is_empty() => Some((WarningKind::NoTypeStated, "is an empty array in the example, which shows no item type")),
                _ => None,
            };
            if let Some((kind, why)) = free {
                b.warn(line, kind, format!("`{path}` {why}; free-form JSON was used"));
            }
            f
        }
    };
    f.description = comments.get(path).cloned();
    f
}

/// Fields without a description take the example's comment beside their key, through inline
/// objects and the named types they use (each type once).
fn describe_from_comments(fields: &mut [Field], types: &mut BTreeMap<String, TypeDef>, path: &str, comments: &BTreeMap<String, String>, seen: &mut BTreeSet<String>) {
    if comments.is_empty() {
        return;
    }
    for f in fields.iter_mut() {
        let here = format!("{path}.{}", f.name.value);
        if f.description.is_none()
            && let Some(c) = comments.get(&here)
        {
            f.description = Some(c.clone());
        }
        if let Some(inner) = f.fields.as_mut() {
            describe_from_comments(inner, types, &here, comments, seen);
        }
        let named = match &f.ty.value {
            TypeExpr::Named(n) => Some(n.clone()),
            TypeExpr::Array(item) | TypeExpr::Map(item) => match &**item {
                TypeExpr::Named(n) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        };
        if let Some(n) = named
            && seen.insert(n.clone())
            && let Some(mut t) = types.remove(&n)
        {
            if let TypeDefKind::Struct(inner) = &mut t.kind {
                describe_from_comments(inner, types, &here, comments, seen);
            }
            types.insert(n, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_as_the_json_they_mean() {
        let text = "{\n  \"ts\": \"1\", // when\n  \"event\": {\n    // the app\n    \"app_id\": \"cli_x\"\n    \"user\": {\"open_id\": \"ou_1\", }, // who\n    \"url\": \"https://x.example/a\"，\n    \"at\": 时间,\n    \"n\": -1.5e3\n  }\n}";
        let (clean, comments, repairs) = repair_json(text);
        let v: Value = serde_json::from_str(&clean).unwrap_or_else(|e| panic!("{e}: {clean}"));
        assert_eq!(v.pointer("/event/url").and_then(Value::as_str), Some("https://x.example/a"), "`//` inside a string stays");
        assert_eq!(v.pointer("/event/at").and_then(Value::as_str), Some("时间"));
        assert_eq!(v.pointer("/event/n").and_then(Value::as_f64), Some(-1500.0));
        assert_eq!(comments.get("ts").map(String::as_str), Some("when"));
        assert_eq!(comments.get("event.app_id").map(String::as_str), Some("the app"));
        assert_eq!(comments.get("event.user.open_id").map(String::as_str), Some("who"), "a comment after a one-line object is its last key's");
        let repairs: Vec<&str> = repairs.into_iter().collect();
        assert_eq!(repairs, ["`//` comments", "full-width commas", "missing commas", "trailing commas", "unquoted words"]);
        let (clean, _, repairs) = repair_json("{\"a\": [1, 2], \"b\": {\"c\": null}}");
        assert!(repairs.is_empty());
        assert_eq!(clean, "{\"a\": [1, 2], \"b\": {\"c\": null}}");
    }

    #[test]
    fn services_from_event_types_and_names_in_headings() {
        assert_eq!(type_service("drive.file.read_v1").as_deref(), Some("drive/v1"));
        assert_eq!(type_service("p2p_chat_create"), None);
        assert_eq!(type_service("approval.instance.trip_group_update_v4").as_deref(), Some("approval/v4"));
        assert!(names_type("事件体（事件类型为 leave_approval）", "leave_approval"));
        assert!(!names_type("事件体（事件类型为 leave_approvalV2）", "leave_approval"));
        assert_eq!(struct_name("im.message.receive_v1", "im/v1").as_deref(), Some("MessageReceiveV1"));
        assert_eq!(struct_name("leave_approval", "approval/v4").as_deref(), Some("LeaveApproval"));
    }
}
