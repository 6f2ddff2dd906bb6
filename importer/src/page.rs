//! One page in: its format recognised from the text itself, parsed, built.

use std::path::Path;

use crate::build::{Built, build};
use crate::draft::{Draft, Format};
use crate::operations::AuthingOperations;

/// Why a page did not become a spec, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub reason: Reason,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// Not an API page (a guide, an event, an overview).
    NotAnApiPage,
    /// An API page the parser could not read.
    Unreadable,
    /// Read, but not enough to make a spec (no method, no path, no matching operation).
    Incomplete,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::NotAnApiPage => "not an API page",
            Reason::Unreadable => "unreadable",
            Reason::Incomplete => "incomplete",
        }
    }
}

/// The format of a page, from its text: front matter keys, `¶` headings, section titles.
pub fn detect(text: &str) -> Option<Format> {
    let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
    if text.starts_with("---") && head.contains("fullPath:") {
        return Some(Format::FeishuMarkdown);
    }
    if text.starts_with("---") && head.contains("source_url:") {
        return Some(Format::FeishuExport);
    }
    if text.lines().any(|l| l.starts_with("¶ ")) {
        return Some(Format::AuthingText);
    }
    if text.contains("## 请求参数") || text.contains("## 请求响应") || text.contains("ManagementClient.") {
        return Some(Format::AuthingMarkdown);
    }
    None
}

/// Parses a page in the format its text shows.
pub fn parse(text: &str) -> Result<(Format, Draft), PageError> {
    let format = detect(text).ok_or_else(|| PageError {
        line: 1,
        reason: Reason::NotAnApiPage,
        message: "not a page in a format the importer knows (Feishu Markdown or export, Authing Markdown or text)".to_owned(),
    })?;
    let not_api = |line: usize, message: String| {
        let reason =
            if message.contains("not an API page") || message.contains("no HTTP Method") || message.contains("not an API") { Reason::NotAnApiPage } else { Reason::Unreadable };
        PageError { line, reason, message }
    };
    let draft = match format {
        Format::FeishuMarkdown => crate::feishu_md::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::FeishuExport => crate::feishu_export::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::AuthingMarkdown => crate::authing_md::parse(text).map_err(|e| not_api(e.line, e.message))?,
        Format::AuthingText => crate::authing_text::parse(text).map_err(|e| not_api(e.line, e.message))?,
    };
    Ok((format, draft))
}

/// Parses and builds one page. `path` names the page (its stem is the Authing operation's name).
pub fn import(path: &Path, text: &str, authing: &AuthingOperations) -> Result<(Format, Built), PageError> {
    let (format, draft) = parse(text)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let built = build(&draft, format, &stem, authing).map_err(|e| PageError { line: e.line, reason: Reason::Incomplete, message: e.message })?;
    Ok((format, built))
}
