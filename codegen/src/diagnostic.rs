//! Located errors: every problem in a spec set, collected and rendered at once.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Index of a source file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A place in a spec file: 1-based line and column (in characters), and the byte range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub start: usize,
    pub end: usize,
}

impl Loc {
    /// No place: for model values made by a program (an importer) rather than read from a file.
    pub const NONE: Loc = Loc { file: FileId(u32::MAX), line: 0, col: 0, start: 0, end: 0 };
}

/// The text of every file that was read, so diagnostics can show the offending line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// One file that was read: its path as the user named it, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown in messages (`specs/feishu/vendor.yaml`).
    pub path: PathBuf,
    /// The path the file was read from.
    pub real: PathBuf,
    pub text: String,
}

/// One problem: where it is, what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, when it is not tied to a location in it (a missing file).
    pub file: Option<PathBuf>,
    pub loc: Option<Loc>,
    pub message: String,
    /// What the caret points at, shown under the snippet.
    pub label: Option<String>,
    /// A sentence saying how to fix the problem.
    pub help: Option<String>,
    /// Other places that take part in the problem (the first definition of a name defined twice),
    /// each with what it is.
    pub secondary: Vec<(Loc, String)>,
}

/// Every problem found, in the order files were read.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub sources: Sources,
    pub items: Vec<Diagnostic>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, real: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile { path, real, text });
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }
}

impl Diagnostic {
    pub fn at(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic { file: None, loc: Some(loc), message: message.into(), label: None, help: None, secondary: Vec::new() }
    }

    pub fn in_file(path: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { file: Some(path.into()), loc: None, message: message.into(), label: None, help: None, secondary: Vec::new() }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Points at another place that takes part in the problem, shown under the first; a place
    /// not in a file (`Loc::NONE`) is left out.
    pub fn also_at(mut self, loc: Loc, label: impl Into<String>) -> Diagnostic {
        if loc != Loc::NONE {
            self.secondary.push((loc, label.into()));
        }
        self
    }

    /// `file:line:col`, or just the file when there is no position.
    pub fn position(&self, sources: &Sources) -> String {
        match (&self.loc, &self.file) {
            (Some(loc), _) => {
                format!("{}:{}:{}", sources.path(loc.file).display(), loc.line, loc.col)
            }
            (None, Some(file)) => file.display().to_string(),
            (None, None) => "<spec set>".to_owned(),
        }
    }
}

impl Diagnostics {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems are recorded so far.
    pub(crate) fn error_count(&self) -> usize {
        self.items.len()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records a problem at `loc` with how to fix it.
    pub(crate) fn error(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.items.push(Diagnostic::at(loc, message).help(help));
    }

    /// Renders every diagnostic like rustc does: message, `--> file:line:col`, the source line
    /// with a caret under the problem, and the help sentence. Plain text, no colours.
    pub fn render(&self) -> String {
        render(&self.sources, &self.items, &Renderer::plain())
    }

    /// Like [`Diagnostics::render`], with ANSI colours for a terminal.
    pub fn render_styled(&self) -> String {
        render(&self.sources, &self.items, &Renderer::styled())
    }

    /// One line per diagnostic: `file:line:col: message`.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&format!("{}: {}\n", d.position(&self.sources), d.message));
            for (loc, label) in &d.secondary {
                let at = Diagnostic::at(*loc, "").position(&self.sources);
                out.push_str(&format!("  {at}: {label}\n"));
            }
        }
        out
    }
}

fn render(sources: &Sources, items: &[Diagnostic], renderer: &Renderer) -> String {
    let mut out = String::new();
    for d in items {
        let title = Level::ERROR.primary_title(d.message.as_str());
        let mut group = Group::with_title(title);
        match (&d.loc, &d.file) {
            (Some(loc), _) => {
                let mut annotation = AnnotationKind::Primary.span(span(sources, *loc));
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                let file = sources.get(loc.file);
                let mut snippet = Snippet::source(file.text.as_str()).path(file.path.to_string_lossy().into_owned()).annotation(annotation);
                // Secondary places in the same file share its snippet; others get their own.
                for (other, label) in d.secondary.iter().filter(|(l, _)| l.file == loc.file) {
                    snippet = snippet.annotation(AnnotationKind::Context.span(span(sources, *other)).label(label.as_str()));
                }
                group = group.element(snippet);
            }
            (None, Some(file)) => {
                group = group.element(annotate_snippets::Origin::path(file.display().to_string()));
            }
            (None, None) => {}
        }
        let primary_file = d.loc.map(|l| l.file);
        for (other, label) in d.secondary.iter().filter(|(l, _)| Some(l.file) != primary_file) {
            let file = sources.get(other.file);
            group = group.element(
                Snippet::source(file.text.as_str())
                    .path(file.path.to_string_lossy().into_owned())
                    .annotation(AnnotationKind::Context.span(span(sources, *other)).label(label.as_str())),
            );
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// The byte range of a location, kept inside its file's text and on character boundaries.
fn span(sources: &Sources, loc: Loc) -> std::ops::Range<usize> {
    let text = sources.get(loc.file).text.as_str();
    let start = floor_boundary(text, loc.start);
    let end = floor_boundary(text, loc.end.max(loc.start + 1)).max(start);
    start..end
}

/// The nearest character boundary at or before `i`, within the text: a span never splits a
/// character or runs past the end, whatever a location says.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}
