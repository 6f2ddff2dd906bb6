//! The Authing operation table shipped with the importer (`data/authing-operations.txt`): the
//! doc pages state no method or path, the official SDK does.

use codegen::spec::Method;

use crate::build::{BuildError, Inputs, parse_method};
use crate::draft::Draft;

#[derive(Debug, Clone)]
pub struct AuthingOperation {
    pub sdk_method: String,
    pub method: String,
    pub path: String,
    pub inputs: Inputs,
}

#[derive(Debug, Clone, Default)]
pub struct AuthingOperations {
    ops: Vec<AuthingOperation>,
    /// Summary (the doc title) → index, for pages that state no SDK method.
    summaries: Vec<(String, usize)>,
}

const TABLE: &str = include_str!("../data/authing-operations.txt");
const SUMMARIES: &str = include_str!("../data/authing-summaries.txt");

impl AuthingOperations {
    /// The table shipped with the importer.
    pub fn shipped() -> AuthingOperations {
        AuthingOperations::from_tables(TABLE, SUMMARIES)
    }

    /// A table in the shipped format (`sdkMethod METHOD /path inputs` per line, and
    /// `sdkMethod title` per line for summaries), for operations the shipped one lacks.
    pub fn from_tables(table: &str, summaries: &str) -> AuthingOperations {
        let ops: Vec<AuthingOperation> = table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split(' ');
                let (sdk_method, method, path, inputs) = (f.next()?, f.next()?, f.next()?, f.next()?);
                let inputs = match inputs {
                    "query" => Inputs::Query,
                    "body" => Inputs::Body,
                    _ => Inputs::None,
                };
                Some(AuthingOperation { sdk_method: sdk_method.to_owned(), method: method.to_owned(), path: path.to_owned(), inputs })
            })
            .collect();
        let summaries = summaries
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (sdk, title) = l.split_once(' ')?;
                Some((title.to_owned(), ops.iter().position(|o| o.sdk_method == sdk)?))
            })
            .collect();
        AuthingOperations { ops, summaries }
    }

    /// This table and another: operations of `other` are found too.
    pub fn with(mut self, other: AuthingOperations) -> AuthingOperations {
        let offset = self.ops.len();
        self.ops.extend(other.ops);
        self.summaries.extend(other.summaries.into_iter().map(|(t, i)| (t, i + offset)));
        self
    }

    /// `GetUser` or `getUser`.
    pub fn by_sdk_method(&self, name: &str) -> Option<&AuthingOperation> {
        let mut lower = name.to_owned();
        if let Some(first) = lower.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
        self.ops.iter().find(|o| o.sdk_method == lower)
    }

    pub fn by_path(&self, path: &str) -> Option<&AuthingOperation> {
        let mut matches = self.ops.iter().filter(|o| o.path == path);
        let first = matches.next()?;
        // Two operations on one path (GET and POST): the path alone does not tell.
        matches.next().is_none().then_some(first)
    }

    /// Only when exactly one operation has this summary.
    pub fn by_summary(&self, title: &str) -> Option<&AuthingOperation> {
        let mut hits = self.summaries.iter().filter(|(t, _)| t == title.trim());
        let (_, i) = hits.next()?;
        hits.next().is_none().then(|| &self.ops[*i])
    }
}

impl AuthingOperations {
    /// A page's service, spec path, method, path and where its inputs go, from the table: by the
    /// page's SDK method, its name (the path's last segment), or its title.
    pub fn identify(&self, d: &Draft, page_name: &str) -> Result<(String, String, Method, String, Inputs), BuildError> {
        let ops = self;
        let op =
            d.sdk_method.as_deref().and_then(|m| ops.by_sdk_method(m)).or_else(|| ops.by_path(&format!("/api/v3/{page_name}"))).or_else(|| ops.by_summary(&d.title)).ok_or_else(
                || BuildError {
                    line: 1,
                    message: format!(
                        "no Authing operation matches this page (SDK method {:?}, page `{page_name}`, title {:?}); the doc pages state no method or path",
                        d.sdk_method, d.title
                    ),
                },
            )?;
        let name = op.path.trim_start_matches("/api/v3/");
        let method = parse_method(Some(&op.method)).ok_or_else(|| BuildError { line: 1, message: format!("unknown method {}", op.method) })?;
        Ok(("management".to_owned(), format!("management/{name}"), method, op.path.clone(), op.inputs))
    }
}

/// The doc page of an Authing operation.
pub fn doc_url(rel_path: &str) -> String {
    let page = rel_path.rsplit('/').next().unwrap_or_default();
    format!("https://docs.authing.cn/v3/reference/sdk/go/management/管理用户/{page}.html")
}
