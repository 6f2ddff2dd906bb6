//! The importer over the real doc corpus (`../shared/docs`, and `../shared/corpus` for event pages;
//! skipped with a notice when absent)
//! and over our own fixtures: the floors of the importer issue, and the no-silent-overwrite rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use importer::page::Reason;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_corpus_imports_checks_and_compiles() {
    let docs = workspace().join("../shared/docs");
    if !docs.is_dir() {
        println!("skipping: ../shared/docs not found");
        return;
    }
    let pages = importer::report::pages(&[docs.join("feishu"), docs.join("authing")]);
    let scratch = std::env::temp_dir().join(format!("importer-corpus-{}", std::process::id()));
    let report = importer::report::run(&pages, &workspace(), &scratch, true);
    println!("{}", report.render());

    assert!(report.api_pages >= 160, "the corpus has 169 API pages; found {}", report.api_pages);
    for (vendor, figures) in report.by_vendor() {
        assert!(figures.share() >= 0.97, "{vendor}: only {:.1}% of its pages import and pass the checker: {figures:?}", 100.0 * figures.share());
    }
    for (page, e) in &report.failed {
        assert!(e.line >= 1 && !e.message.is_empty(), "{}: a failure without a located reason", page.display());
    }
    for (page, message) in &report.rejected {
        assert!(message.contains(".yaml:"), "{}: rejection without a place: {message}", page.display());
    }
    // Event pages become event specs, counted apart from API pages.
    assert!(report.event_pages >= 20, "the docs have 21 event pages; found {}", report.event_pages);
    assert_eq!(report.events_accepted.len() + report.events_kept.len(), report.event_pages, "every event page passes: {:?} {:?}", report.events_failed, report.events_rejected);
    assert_eq!(report.compiled, Some(Ok(())), "all imported specs together must generate code that compiles");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn every_event_page_of_the_corpus_becomes_an_event_spec() {
    let feishu = workspace().join("../shared/corpus/feishu");
    if !feishu.is_dir() {
        println!("skipping: ../shared/corpus/feishu not found");
        return;
    }
    let pages: Vec<PathBuf> =
        importer::report::pages(&[feishu]).into_iter().filter(|p| std::fs::read_to_string(p).is_ok_and(|text| importer::event::event_page(p, &text))).collect();
    assert!(pages.len() >= 200, "the corpus has 211 event pages; found {}", pages.len());
    let scratch = std::env::temp_dir().join(format!("importer-corpus-events-{}", std::process::id()));
    let report = importer::report::run(&pages, &workspace(), &scratch, false);
    println!("{}", report.render());
    assert_eq!(report.event_pages, pages.len(), "every event page is read as one");
    assert!(report.events_rejected.is_empty(), "the checker rejects none: {:?}", report.events_rejected);
    // A page may give way to another page of its event type (a historic one); nothing else fails.
    for (page, e) in &report.events_failed {
        assert_eq!(e.reason, Reason::SameEventType, "{}:{}: {}", page.display(), e.line, e.message);
    }
    assert!(report.events_accepted.len() + report.events_kept.len() + report.events_failed.len() == pages.len());
    for (page, e) in report.built_events.iter().map(|(p, e)| (p, &e.event)) {
        assert!(e.example.is_some(), "{}: an event spec without its example", page.display());
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn every_fixture_page_imports_and_passes_the_checker() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pages = importer::report::pages(&[fixtures]);
    let scratch = std::env::temp_dir().join(format!("importer-fixtures-{}", std::process::id()));
    let made_up = importer::operations::AuthingOperations::from_tables(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authing-operations.txt")).unwrap(),
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authing-summaries.txt")).unwrap(),
    );
    let ops = importer::operations::AuthingOperations::shipped().with(made_up);
    let report = importer::report::run_with(&pages, &workspace(), &scratch, true, &ops);
    println!("{}", report.render());
    assert_eq!(report.compiled, Some(Ok(())), "the fixtures' specs generate code that compiles");
    assert!(report.api_pages >= 20, "{} API fixture pages", report.api_pages);
    // The Authing fixtures come in both formats (`authing_md/x.md`, `authing_text/x.txt`): the
    // second page of a pair names the first's spec and is left out, not written over it.
    for (page, why) in &report.rejected {
        let twin = page.with_extension("md").to_string_lossy().replace("authing_text", "authing_md");
        assert!(why.contains(&format!("as the page `{twin}` does")), "{}: {why}", page.display());
    }
    let unreadable: Vec<_> = report.failed.iter().filter(|(_, e)| e.reason != Reason::NotAnApiPage).collect();
    assert!(unreadable.is_empty(), "{unreadable:?}");
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn a_differing_spec_is_shown_and_kept_unless_forced() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feishu_md/params.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let (_, built) = importer::page::import(&page, &text, &importer::operations::AuthingOperations::shipped()).unwrap();
    let out = std::env::temp_dir().join(format!("importer-force-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let built = vec![built];
    let files = importer::output::files(&built, &out);

    let first = importer::output::write(&files, &built, &out, false).unwrap();
    assert_eq!(first.created.len(), files.len());
    let again = importer::output::write(&files, &built, &out, false).unwrap();
    assert_eq!(again.unchanged.len(), files.len(), "the same import writes nothing");

    let (rel, _) = files.iter().find(|(p, _)| !p.ends_with("types.yaml")).unwrap();
    let path = out.join(rel);
    let edited = std::fs::read_to_string(&path).unwrap().replacen("title:", "title: (reviewed)", 1);
    std::fs::write(&path, &edited).unwrap();
    let refused = importer::output::write(&files, &built, &out, false).unwrap();
    assert_eq!(refused.refused.len(), 1);
    assert!(refused.refused[0].1.contains("-title: (reviewed)"), "the difference is shown:\n{}", refused.refused[0].1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited, "a differing spec is not overwritten");

    let forced = importer::output::write(&files, &built, &out, true).unwrap();
    assert_eq!(forced.updated, vec![path.clone()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), files[rel]);
    let _ = std::fs::remove_dir_all(&out);
}
