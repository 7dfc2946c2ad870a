//! What the peer thread of a two-thread benchmark tells the bench thread: how
//! far it is within a round, and why its job failed. Shared by [`crate::peer`],
//! which writes it, and [`crate::patience`], which checks it while it waits.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};

/// A view of whether the peer's job has failed, for a bench thread that is
/// busy-waiting on something the failed peer will never do (such as emptying a
/// full queue).
#[derive(Clone)]
pub struct Watch(pub(crate) Arc<Signals>);

impl Watch {
    /// Panics with the peer's reason if its job has failed.
    pub fn check(&self) {
        if let Some(why) = lock(&self.0.failure).take() {
            panic!("{why}");
        }
    }
}

/// How the peer tells the bench thread where it is within a round.
#[derive(Default)]
pub(crate) struct Signals {
    /// The number of the latest round the peer has started: it stores `k` once
    /// it is awake and about to run round `k`.
    pub(crate) started: AtomicU64,
    /// The number of the latest round the peer has finished.
    pub(crate) finished: AtomicU64,
    /// Why the last round failed, if it did.
    pub(crate) failure: Mutex<Option<String>>,
}

/// Locks `failure` even if a thread panicked while holding it: an
/// `Option<String>` cannot be left half-written.
pub(crate) fn lock(failure: &Mutex<Option<String>>) -> std::sync::MutexGuard<'_, Option<String>> {
    failure.lock().unwrap_or_else(PoisonError::into_inner)
}
