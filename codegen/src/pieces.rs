//! A vendor-wide file as the pieces it is the concatenation of: fixed text, and the parts each
//! service owns under a key (`acs_v1#paths`), so that a shell which knows an edit changed one
//! service's parts and nothing else can replace them in the file as it is, without the other
//! services (`cargo xtask regen`'s cache; `fingerprint::interface` says when that holds).

/// The pieces of one file, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pieces(pub Vec<Piece>);

/// One piece: a service's own part (`key`), or text that only a full render changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub key: Option<String>,
    pub text: String,
}

impl Pieces {
    pub(crate) fn fixed(&mut self, text: impl Into<String>) {
        let text = text.into();
        match self.0.last_mut() {
            Some(Piece { key: None, text: last }) => last.push_str(&text),
            _ => self.0.push(Piece { key: None, text }),
        }
    }

    pub(crate) fn owned(&mut self, key: Option<String>, text: String) {
        match key {
            Some(_) => self.0.push(Piece { key, text }),
            None => self.fixed(text),
        }
    }

    /// The file.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.0.iter().map(|p| p.text.len()).sum());
        for p in &self.0 {
            s.push_str(&p.text);
        }
        s
    }

    /// The service parts, by key.
    pub fn owned_by(&self, module: &str) -> Vec<(String, String)> {
        self.0.iter().filter_map(|p| Some((p.key.clone()?, p.text.clone()))).filter(|(k, _)| key_module(k) == module).collect()
    }
}

/// The key of a service's part: `<service module>#<part>`.
pub(crate) fn key(module: &str, part: &str) -> String {
    format!("{module}#{part}")
}

/// The service module a key belongs to.
pub fn key_module(key: &str) -> &str {
    key.split_once('#').map_or(key, |(m, _)| m)
}
