//! Doc pages → YAML specs. One direction: a page's text is recognised (`detect`), read into a
//! [`draft::Draft`] by the parser of its format, built into spec model values (`build`), and
//! written by `codegen::write`. The page's own defects come back as warnings with their lines.

pub mod draft;
pub mod markdown;

pub use draft::{Draft, Format, Warning, WarningKind};
