//! Reassembly of payloads the server splits over several frames (`sum` > 1): parts are kept by
//! `message_id` in slot `seq` until every slot is filled. Partial messages expire after a while,
//! and the buffer is bounded in messages, parts and bytes.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

/// The longest a partial message is kept, unless the builder says otherwise.
pub const DEFAULT_FRAGMENT_TTL: Duration = Duration::from_secs(5);

/// At most this many parts to one message.
const MAX_PARTS: usize = 1024;
/// At most this many partial messages at once; the oldest goes first.
const MAX_MESSAGES: usize = 256;
/// At most this many bytes held over all partial messages; the oldest go first.
const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A part that cannot be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FragmentError {
    MissingMessageId,
    TooManyParts(usize),
    SeqOutOfRange { seq: usize, sum: usize },
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FragmentError::MissingMessageId => f.write_str("a part without `message_id`"),
            FragmentError::TooManyParts(sum) => write!(f, "a message in {sum} parts (at most {MAX_PARTS})"),
            FragmentError::SeqOutOfRange { seq, sum } => write!(f, "part {seq} of a message in {sum} parts"),
        }
    }
}

#[derive(Debug)]
struct Partial {
    parts: Vec<Option<Vec<u8>>>,
    filled: usize,
    bytes: usize,
    started: Instant,
}

/// The partial messages of one connection.
#[derive(Debug)]
pub(crate) struct Fragments {
    partial: HashMap<String, Partial>,
    bytes: usize,
    ttl: Duration,
}

impl Fragments {
    pub fn new(ttl: Duration) -> Fragments {
        Fragments { partial: HashMap::new(), bytes: 0, ttl }
    }

    /// Places part `seq` of `sum`; returns the whole payload when this part completes it (or
    /// at once when `sum` ≤ 1). A part given twice replaces the first.
    pub fn add(&mut self, message_id: &str, sum: usize, seq: usize, data: Vec<u8>, now: Instant) -> Result<Option<Vec<u8>>, FragmentError> {
        if sum <= 1 {
            return Ok(Some(data));
        }
        if message_id.is_empty() {
            return Err(FragmentError::MissingMessageId);
        }
        if sum > MAX_PARTS {
            return Err(FragmentError::TooManyParts(sum));
        }
        if seq >= sum {
            return Err(FragmentError::SeqOutOfRange { seq, sum });
        }
        self.expire(now);
        // A message announced again with another count starts over.
        if self.partial.get(message_id).is_some_and(|p| p.parts.len() != sum) {
            self.remove(message_id);
        }
        let len = data.len();
        let entry = self.partial.entry(message_id.to_owned()).or_insert_with(|| Partial { parts: vec![None; sum], filled: 0, bytes: 0, started: now });
        match entry.parts[seq].replace(data) {
            Some(old) => {
                entry.bytes -= old.len();
                self.bytes -= old.len();
            }
            None => entry.filled += 1,
        }
        entry.bytes += len;
        self.bytes += len;
        if entry.filled == sum {
            let done = self.remove(message_id).map(|p| p.parts.into_iter().flatten().flatten().collect());
            return Ok(done);
        }
        self.evict(message_id);
        Ok(None)
    }

    /// Drops the partial messages older than the time to live.
    fn expire(&mut self, now: Instant) {
        let ttl = self.ttl;
        let old: Vec<String> = self.partial.iter().filter(|(_, p)| now.duration_since(p.started) >= ttl).map(|(k, _)| k.clone()).collect();
        for id in old {
            tracing::debug!(message_id = %id, "dropped an incomplete message: its parts did not all arrive in time");
            self.remove(&id);
        }
    }

    /// Drops the oldest partial messages (other than `keep`) while over a bound.
    fn evict(&mut self, keep: &str) {
        while self.partial.len() > MAX_MESSAGES || self.bytes > MAX_BYTES {
            let oldest = self.partial.iter().filter(|(k, _)| k.as_str() != keep).min_by_key(|(_, p)| p.started).map(|(k, _)| k.clone());
            // When only `keep` is left, it is itself over the bounds.
            let id = oldest.unwrap_or_else(|| keep.to_owned());
            tracing::warn!(message_id = %id, "dropped an incomplete message: too many parts are waiting");
            if self.remove(&id).is_none() || id == keep {
                break;
            }
        }
    }

    fn remove(&mut self, message_id: &str) -> Option<Partial> {
        let p = self.partial.remove(message_id)?;
        self.bytes -= p.bytes;
        Some(p)
    }
}
