//! Doc pages → YAML specs. One direction: a page's text is recognised (`detect`), read into a
//! [`draft::Draft`] by the parser of its format, built into spec model values (`build`), and
//! written by `codegen::write`. The page's own defects come back as warnings with their lines.

pub mod assemble;
pub mod authing_md;
pub mod authing_text;
pub mod build;
pub mod describe;
pub mod dictionary;
pub mod draft;
pub mod event;
pub mod feishu_export;
pub mod feishu_md;
pub mod feishu_types;
pub mod markdown;
pub mod openapi;
pub mod operations;
pub mod output;
pub mod page;
pub(crate) mod reconcile;
pub mod repair;
pub mod report;
pub mod service_types;
pub mod services;
pub mod type_token;

pub use draft::{Draft, Format, Warning, WarningKind};
