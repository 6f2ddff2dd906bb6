//! The event ids a receiver has handled, kept for a while and up to a count, so a redelivery of a
//! handled event is acknowledged without running its handler again.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What [`SeenEvents::begin`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Begin {
    /// Not seen: the caller handles it and then calls [`SeenEvents::finish`].
    New,
    /// Handled successfully before, within the time kept.
    Handled,
    /// Being handled right now (a redelivery of a slow handler's event).
    InProgress,
}

/// Handled ids expire `keep` after they were handled; past `capacity` the oldest go first.
#[derive(Debug)]
pub(crate) struct SeenEvents {
    keep: Duration,
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Each handled id and when it expires.
    handled: HashMap<String, Instant>,
    /// The same ids in the order they expire (one `keep` for all, so the order they were added).
    order: VecDeque<(Instant, String)>,
    in_progress: HashSet<String>,
}

impl SeenEvents {
    pub fn new(keep: Duration, capacity: usize) -> SeenEvents {
        SeenEvents { keep, capacity, state: Mutex::new(State::default()) }
    }

    /// Claims `id` for handling, unless it was handled or is being handled.
    pub fn begin(&self, id: &str) -> Begin {
        self.begin_at(id, Instant::now())
    }

    /// Ends the handling of a claimed id: a success remembers it, a failure forgets it, so the
    /// vendor's redelivery is handled.
    pub fn finish(&self, id: &str, handled: bool) {
        self.finish_at(id, handled, Instant::now())
    }

    fn begin_at(&self, id: &str, now: Instant) -> Begin {
        let mut s = self.lock();
        s.expire(now);
        if s.handled.contains_key(id) {
            Begin::Handled
        } else if !s.in_progress.insert(id.to_owned()) {
            Begin::InProgress
        } else {
            Begin::New
        }
    }

    fn finish_at(&self, id: &str, handled: bool, now: Instant) {
        let mut s = self.lock();
        s.in_progress.remove(id);
        if !handled || self.capacity == 0 {
            return;
        }
        let expires = now.checked_add(self.keep).unwrap_or(now);
        s.handled.insert(id.to_owned(), expires);
        s.order.push_back((expires, id.to_owned()));
        while s.handled.len() > self.capacity {
            s.pop_oldest();
        }
        s.expire(now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves the sets consistent (each step is one insert or remove).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl State {
    fn expire(&mut self, now: Instant) {
        while self.order.front().is_some_and(|(at, _)| *at <= now) {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((at, id)) = self.order.pop_front() {
            // An id handled again after it expired has a later entry of its own.
            if self.handled.get(&id) == Some(&at) {
                self.handled.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handled_ids_are_remembered_failed_ones_forgotten() {
        let seen = SeenEvents::new(Duration::from_secs(60), 10);
        let t = Instant::now();
        assert_eq!(seen.begin_at("a", t), Begin::New);
        assert_eq!(seen.begin_at("a", t), Begin::InProgress);
        seen.finish_at("a", true, t);
        assert_eq!(seen.begin_at("a", t), Begin::Handled);
        assert_eq!(seen.begin_at("b", t), Begin::New);
        seen.finish_at("b", false, t);
        assert_eq!(seen.begin_at("b", t), Begin::New);
    }

    #[test]
    fn ids_expire_after_the_time_kept() {
        let seen = SeenEvents::new(Duration::from_secs(60), 10);
        let t = Instant::now();
        assert_eq!(seen.begin_at("a", t), Begin::New);
        seen.finish_at("a", true, t);
        assert_eq!(seen.begin_at("a", t + Duration::from_secs(59)), Begin::Handled);
        assert_eq!(seen.begin_at("a", t + Duration::from_secs(60)), Begin::New);
        seen.finish_at("a", true, t + Duration::from_secs(60));
        assert_eq!(seen.begin_at("a", t + Duration::from_secs(119)), Begin::Handled);
        assert_eq!(seen.lock().order.len(), 1);
    }

    #[test]
    fn the_oldest_go_first_past_the_capacity() {
        let seen = SeenEvents::new(Duration::from_secs(60), 3);
        let t = Instant::now();
        for (i, id) in ["a", "b", "c", "d"].into_iter().enumerate() {
            assert_eq!(seen.begin_at(id, t), Begin::New);
            seen.finish_at(id, true, t + Duration::from_millis(i as u64));
        }
        let s = seen.lock();
        assert_eq!((s.handled.len(), s.order.len()), (3, 3));
        assert!(!s.handled.contains_key("a"));
    }
}
