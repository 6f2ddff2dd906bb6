//! What the specs cover of the vendors' docs (`docs/coverage.md`): the checked model beside each
//! vendor's import record (`specs/<vendor>/pages.tsv`, written by the importer: every doc page
//! read and what became of it). The record's format is defined here, for both sides.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Api, Vendor};

/// The import record's file name, in a vendor's spec directory.
pub const RECORD_FILE: &str = "pages.tsv";

/// One row of an import record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageRecord {
    /// The page, relative to the vendor's doc root (`im-v1/message/create.md`).
    pub page: String,
    /// An event page, whose spec is an event (its verdict is written `event imported`, …).
    pub event: bool,
    pub verdict: Verdict,
    /// The spec the page became or would have become, under the vendor directory without
    /// `.yaml` (`im/v1/message/create`); empty when it became none.
    pub spec: String,
    /// Of an imported spec: the SHA-256 of the file as the importer wrote it, so that a later
    /// import replaces it only while nobody has edited it.
    pub digest: String,
    /// Why, with the place: the checker's located message, the importer's line and reason.
    pub note: String,
}

/// What became of a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Its spec is in `specs/`, as imported; the note counts the importer's warnings.
    Imported,
    /// Its spec is in `specs/`, reviewed by hand since: the importer kept it.
    Kept,
    /// Imported, but the checker rejects its spec: not in `specs/`.
    LeftOut,
    /// The importer could not make a spec of it; the reason class (`served from another host`).
    Failed(String),
    /// A guide, an overview.
    NotAnApiPage,
    /// Not a page verdict: a field of the page's spec left as free-form JSON, the kind of reason
    /// (`free-form JSON: no type stated`).
    FreeForm(String),
}

impl Verdict {
    fn text(&self) -> String {
        match self {
            Verdict::Imported => "imported".to_owned(),
            Verdict::Kept => "kept".to_owned(),
            Verdict::LeftOut => "left out".to_owned(),
            Verdict::Failed(reason) => format!("failed: {reason}"),
            Verdict::NotAnApiPage => "not an API page".to_owned(),
            Verdict::FreeForm(kind) => format!("field: {kind}"),
        }
    }

    fn parse(text: &str) -> Option<Verdict> {
        Some(match text {
            "imported" => Verdict::Imported,
            "kept" => Verdict::Kept,
            "left out" => Verdict::LeftOut,
            "not an API page" => Verdict::NotAnApiPage,
            _ => {
                if let Some(reason) = text.strip_prefix("failed: ") {
                    Verdict::Failed(reason.to_owned())
                } else {
                    Verdict::FreeForm(text.strip_prefix("field: ")?.to_owned())
                }
            }
        })
    }

    /// A page verdict (not a field row).
    pub fn is_page(&self) -> bool {
        !matches!(self, Verdict::FreeForm(_))
    }
}

const HEADER: &str = "# Every doc page `cargo xtask import` read for this vendor and what became of it, and the fields its specs\n\
# leave as free-form JSON; written by the importer, read by `cargo xtask regen` for docs/coverage.md.\n\
# page\tverdict (`event …` for an event page)\tspec\tdigest\tnote\n";

/// The record as text: the header, then one row per line, sorted.
pub fn write_record(rows: &[PageRecord]) -> String {
    let mut rows = rows.to_vec();
    rows.sort();
    rows.dedup();
    let mut s = HEADER.to_owned();
    for r in rows {
        let clean = |t: &str| t.replace(['\t', '\n', '\r'], " ");
        let event = if r.event { "event " } else { "" };
        let _ = writeln!(s, "{}\t{event}{}\t{}\t{}\t{}", clean(&r.page), r.verdict.text(), clean(&r.spec), clean(&r.digest), clean(&r.note));
    }
    s
}

/// The rows of a record; a line that is not a row is reported with its number (from 1).
pub fn read_record(text: &str) -> Result<Vec<PageRecord>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(5, '\t').collect();
        let [page, verdict, spec, digest, note] = cols.as_slice() else {
            return Err(format!("line {}: a row has five tab-separated columns: page, verdict, spec, digest, note", i + 1));
        };
        let (event, text) = match verdict.strip_prefix("event ") {
            Some(rest) => (true, rest),
            None => (false, *verdict),
        };
        let verdict = Verdict::parse(text).ok_or_else(|| format!("line {}: unknown verdict `{verdict}`", i + 1))?;
        out.push(PageRecord { page: (*page).to_owned(), event, verdict, spec: (*spec).to_owned(), digest: (*digest).to_owned(), note: (*note).to_owned() });
    }
    Ok(out)
}

/// `docs/coverage.md`: per vendor, totals and a row per service, then the pages left out and the
/// free-form fields with their reasons. `records` holds each vendor's record by module name; a
/// vendor without one shows its operations only.
pub fn markdown(api: &Api, records: &BTreeMap<String, Vec<PageRecord>>) -> String {
    let mut s = String::new();
    s.push_str("<!-- @generated by `cargo xtask regen` from `specs/` and the import records `specs/<vendor>/pages.tsv`: do not edit. -->\n");
    s.push_str(
        "# Coverage\n\nWhat the specs cover of each vendor's doc pages. A page *counts* when it documents an operation of the vendor's own: \
                not a guide or event page, not a second page of an endpoint another page documents, not an address a user's browser opens, not (Authing) an authentication-API call. \
                Every page that counts either has its spec here or is listed under *Pages left out* with its located reason. \
                Event pages are counted apart (*Events*): each has its event spec or is listed with its reason.\n",
    );
    let empty = Vec::new();
    for v in &api.vendors {
        vendor(&mut s, v, records.get(&v.module).unwrap_or(&empty));
    }
    s
}

/// Figures of a group of pages (a service, a vendor).
#[derive(Default)]
struct Tally {
    pages: usize,
    api_pages: usize,
    not_own: usize,
    in_specs: usize,
    left_out: usize,
    warnings: usize,
    free_form: usize,
    operations: usize,
    errata: usize,
}

impl Tally {
    fn add(&mut self, r: &PageRecord) {
        match &r.verdict {
            Verdict::FreeForm(_) => {
                self.free_form += 1;
                return;
            }
            Verdict::NotAnApiPage => {}
            Verdict::Imported | Verdict::Kept => {
                self.api_pages += 1;
                self.in_specs += 1;
                self.warnings += r.note.split(' ').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
            }
            Verdict::Failed(reason) if not_own(reason) => {
                self.api_pages += 1;
                self.not_own += 1;
            }
            Verdict::LeftOut | Verdict::Failed(_) => {
                self.api_pages += 1;
                self.left_out += 1;
            }
        }
        self.pages += 1;
    }

    fn counted(&self) -> usize {
        self.api_pages - self.not_own
    }
}

/// A failure reason of a page that is not one of the vendor's own operations.
fn not_own(reason: &str) -> bool {
    matches!(reason, "the endpoint of another page" | "not a management operation" | "a page the user's browser opens" | "the event type of another page")
}

fn vendor(s: &mut String, v: &Vendor, record: &[PageRecord]) {
    let _ = writeln!(s, "\n## {} (`{}`)\n", v.title, v.module);
    // Each row goes to the declared service whose path its spec starts with.
    let service_of = |spec: &str| -> Option<usize> {
        v.services.iter().enumerate().filter(|(_, svc)| spec.starts_with(&format!("{}/", svc.path.join("/")))).max_by_key(|(_, svc)| svc.path.len()).map(|(i, _)| i)
    };
    let mut tallies: Vec<Tally> = v.services.iter().map(|_| Tally::default()).collect();
    let mut unplaced = Tally::default();
    let mut total = Tally::default();
    let mut events = Tally::default();
    for r in record.iter().filter(|r| r.event) {
        events.add(r);
    }
    for r in record.iter().filter(|r| !r.event) {
        total.add(r);
        match service_of(&r.spec) {
            Some(i) => tallies[i].add(r),
            None => unplaced.add(r),
        }
    }
    for (svc, t) in v.services.iter().zip(&mut tallies) {
        t.operations = svc.operations.len();
        t.errata = svc.operations.iter().map(|o| o.errata.len()).sum();
        total.operations += t.operations;
        total.errata += t.errata;
        events.operations += svc.events.len();
        events.errata += svc.events.iter().map(|e| e.errata.len()).sum::<usize>();
    }
    if record.is_empty() {
        let _ = writeln!(s, "{} operations from hand-written specs; no import record.\n", total.operations);
    } else {
        let share = if total.counted() == 0 { 100.0 } else { 100.0 * total.in_specs as f64 / total.counted() as f64 };
        let _ = writeln!(s, "**{} of {} pages that count have their spec ({share:.1}%)**; {} operations generated.\n", total.in_specs, total.counted(), total.operations);
        s.push_str("| doc pages read | API pages | not the vendor's own | in specs | left out | warnings | errata | free-form JSON fields |\n");
        s.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            total.pages, total.api_pages, total.not_own, total.in_specs, total.left_out, total.warnings, total.errata, total.free_form
        );
    }
    if events.pages > 0 {
        let share = if events.counted() == 0 { 100.0 } else { 100.0 * events.in_specs as f64 / events.counted() as f64 };
        let _ = writeln!(s, "**Events: {} of {} event pages have their spec ({share:.1}%)**; {} event types generated.\n", events.in_specs, events.counted(), events.operations);
        s.push_str("| event pages | another page's event type | in specs | left out | warnings | errata | free-form JSON fields |\n");
        s.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            events.api_pages, events.not_own, events.in_specs, events.left_out, events.warnings, events.errata, events.free_form
        );
    }
    s.push_str("### Services\n\n| service | title | cargo feature | operations | events | doc pages | left out | warnings | errata | free-form JSON fields |\n");
    s.push_str("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (svc, t) in v.services.iter().zip(&tallies) {
        let title = match (&svc.title, &svc.docs) {
            (Some(title), Some(url)) => format!("[{}]({url})", title.replace('|', "\\|")),
            (Some(title), None) => title.replace('|', "\\|"),
            (None, _) => String::new(),
        };
        let feature = svc.feature.as_ref().map(|f| format!("`{f}`")).unwrap_or_default();
        let _ = writeln!(
            s,
            "| `{}` | {title} | {feature} | {} | {} | {} | {} | {} | {} | {} |",
            svc.path.join("/"),
            t.operations,
            svc.events.len(),
            t.api_pages,
            t.left_out,
            t.warnings,
            t.errata,
            t.free_form
        );
    }
    if unplaced.api_pages > 0 {
        let _ = writeln!(s, "| (no service) | pages that became no spec |  | 0 | 0 | {} | {} | 0 | 0 | 0 |", unplaced.api_pages, unplaced.left_out);
    }
    let left_out = |r: &&PageRecord| matches!(&r.verdict, Verdict::LeftOut) || matches!(&r.verdict, Verdict::Failed(reason) if !not_own(reason));
    // The pages left out, API pages and event pages in tables of their own.
    let left_out_table = |s: &mut String, title: &str, event: bool| {
        let left: Vec<&PageRecord> = record.iter().filter(|r| r.event == event).filter(left_out).collect();
        let _ = writeln!(s, "\n### {title} ({})\n", left.len());
        if !left.is_empty() {
            s.push_str("| page | reason | where and why |\n| --- | --- | --- |\n");
            for r in left {
                let reason = match &r.verdict {
                    Verdict::Failed(reason) => reason.as_str(),
                    _ => "rejected by the checker",
                };
                let _ = writeln!(s, "| `{}` | {reason} | {} |", r.page, cell(&r.note));
            }
        }
    };
    left_out_table(s, "Pages left out", false);
    if events.pages > 0 {
        left_out_table(s, "Event pages left out", true);
    }
    let not_own_rows: Vec<&PageRecord> = record.iter().filter(|r| matches!(&r.verdict, Verdict::Failed(reason) if not_own(reason))).collect();
    if !not_own_rows.is_empty() {
        let _ = writeln!(s, "\n### Pages that are not the vendor's own operations or events ({})\n", not_own_rows.len());
        s.push_str("| page | reason | note |\n| --- | --- | --- |\n");
        for r in not_own_rows {
            let Verdict::Failed(reason) = &r.verdict else { continue };
            let _ = writeln!(s, "| `{}` | {reason} | {} |", r.page, cell(&r.note));
        }
    }
    let free: Vec<&PageRecord> = record.iter().filter(|r| matches!(r.verdict, Verdict::FreeForm(_))).collect();
    if !free.is_empty() {
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &free {
            if let Verdict::FreeForm(kind) = &r.verdict {
                *by_kind.entry(kind.as_str()).or_insert(0) += 1;
            }
        }
        let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = writeln!(s, "\n### Fields left as free-form JSON ({}: {})\n", free.len(), kinds.join(", "));
        s.push_str("| spec | reason | where and why |\n| --- | --- | --- |\n");
        for r in free {
            let Verdict::FreeForm(kind) = &r.verdict else { continue };
            let _ = writeln!(s, "| `{}` | {kind} | {} |", r.spec, cell(&r.note));
        }
    }
}

/// Text for a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::{PageRecord, Verdict, read_record, write_record};

    #[test]
    fn a_record_reads_back_what_was_written() {
        let rows = vec![
            PageRecord {
                page: "im-v1/message/create.md".into(),
                event: false,
                verdict: Verdict::Imported,
                spec: "im/v1/message/create".into(),
                digest: "ab12".into(),
                note: "2 warnings".into(),
            },
            PageRecord {
                page: "a/b.md".into(),
                event: false,
                verdict: Verdict::Failed("served from another host".into()),
                spec: String::new(),
                digest: String::new(),
                note: "line 3: the\tAPI".into(),
            },
            PageRecord {
                page: "a/c.md".into(),
                event: false,
                verdict: Verdict::FreeForm("free-form JSON: union type".into()),
                spec: "a/v1/c".into(),
                digest: String::new(),
                note: "line 9: `x`".into(),
            },
            PageRecord {
                page: "im-v1/message/events/receive.md".into(),
                event: true,
                verdict: Verdict::Imported,
                spec: "im/v1/message/events/receive".into(),
                digest: "cd34".into(),
                note: String::new(),
            },
        ];
        let text = write_record(&rows);
        let back = read_record(&text).unwrap();
        assert_eq!(back.len(), 4);
        assert!(text.contains("\tevent imported\tim/v1/message/events/receive\t"), "an event page's verdict says so:\n{text}");
        assert!(back.iter().any(|r| r.event && r.verdict == Verdict::Imported), "{back:?}");
        assert!(back.iter().any(|r| r.note == "line 3: the API"), "a tab inside a note becomes a space: {back:?}");
        assert_eq!(write_record(&back), text);
        assert_eq!(read_record("x\tnonsense\t\t\t\n").unwrap_err(), "line 1: unknown verdict `nonsense`");
    }
}
