//! # A counting semaphore
//!
//! Dijkstra's semaphore: a count of permits, an operation that takes one and
//! waits while none is left (his *P*, here [`Semaphore::acquire`]), and one that
//! gives one back and wakes a waiter (his *V*, here [`Semaphore::release`]).
//!
//! As shipped, the counting works and the waiting does not:
//!
//! 1. dropping a [`Permit`] does not give it back;
//! 2. `release` adds a permit but wakes nobody, so a thread asleep in `acquire`
//!    sleeps for ever;
//! 3. `acquire` looks at the count once before sleeping and never again after
//!    waking up.
//!
//! Your job: fix all three. Keep the public API as it is. Take `Mutex` and `Condvar` from
//! `test_support::sync` (std's, or loom's under `--cfg loom`), as the shipped
//! code does, so the loom tier can check every interleaving.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check semaphore`, which adds a loom model and Miri.

use std::sync::PoisonError;

use test_support::sync::{Condvar, Mutex, MutexGuard};

/// A counting semaphore: at most `permits` holders at a time, where `permits`
/// grows with every [`release`](Semaphore::release) that is not paired with an
/// acquire.
#[derive(Debug)]
pub struct Semaphore {
    /// Permits nobody holds.
    permits: Mutex<usize>,
    /// Signalled when a permit is given back; waiters sleep on it.
    released: Condvar,
}

/// One permit, given back when dropped.
#[must_use = "a permit is given back as soon as it is dropped"]
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits available.
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    // ANCHOR: acquire
    /// Takes a permit, waiting until one is available (Dijkstra's *P*).
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.lock();
        // TODO: one look is not enough. Between the wake-up and this thread
        // getting the lock back, another thread may take the permit; and a
        // condition variable may wake a thread when nobody notified it.
        if *permits == 0 {
            permits = self
                .released
                .wait(permits)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *permits -= 1;
        Permit { semaphore: self }
    }
    // ANCHOR_END: acquire

    /// Takes a permit if one is available now, without waiting.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut permits = self.lock();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    // ANCHOR: release
    /// Adds a permit and wakes one waiter (Dijkstra's *V*). A dropped
    /// [`Permit`] calls this; call it yourself to hand out a permit that was
    /// never acquired, as when one thread signals another.
    pub fn release(&self) {
        let mut permits = self.lock();
        *permits += 1;
        // TODO: a thread may be asleep in `acquire`, waiting for this permit.
    }
    // ANCHOR_END: release

    /// How many permits nobody holds right now. By the time you look at the
    /// answer it may have changed; use it for tests and displays, not to decide
    /// whether to call [`acquire`](Semaphore::acquire).
    pub fn available(&self) -> usize {
        *self.lock()
    }

    /// Locks the count. A panic elsewhere cannot leave a `usize` half-written,
    /// so a poisoned lock is safe to use.
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.permits.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Permit<'_> {
    /// Keeps the permit taken for good: it is not given back on drop. One
    /// thread can then hand it on by calling [`Semaphore::release`] itself.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

// ANCHOR: permit_drop
impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // TODO: give the permit back to `self.semaphore`.
        let _ = self.semaphore;
    }
}
// ANCHOR_END: permit_drop
