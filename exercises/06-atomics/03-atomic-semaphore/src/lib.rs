//! # A counting semaphore with a lock-free fast path (exercise)
//!
//! The semaphore of chapter 5 takes a mutex in every `acquire` and `release`.
//! This one keeps its count in an atomic word: `try_acquire` and `release` are
//! a few atomic operations, and only a thread that has to wait touches the
//! mutex and the condition variable, to sleep instead of spinning.
//!
//! ## The state: one word, two counts
//!
//! The word holds the free permits (low 32 bits) and the sleepers, threads
//! that counted themselves before sleeping in `acquire` (high 32 bits).
//! Keeping both in **one** atomic is what makes the wake-up safe without
//! `SeqCst`: every change to the word has its place in the word's single
//! modification order, so `release`'s `fetch_add` of a permit and a sleeper's
//! registration cannot both miss each other. Either the permit comes first,
//! and the registration sees it and takes it instead of sleeping; or the
//! registration comes first, and `release` sees the sleeper and wakes it.
//!
//! With two separate atomics (permits and sleepers) the same protocol is the
//! store-buffering pattern: `release` writes permits then reads sleepers, the
//! sleeper writes sleepers then reads permits, and with anything weaker than
//! `SeqCst` both may read the old values; the permit is then free, the sleeper
//! asleep, and nobody wakes it.
//!
//! ## Sleeping without a lost wake-up
//!
//! A thread registers as a sleeper while holding `sleep` and keeps holding it
//! until `Condvar::wait` lets it go and sleeps, in one step. `release` takes
//! the same lock before it notifies, so its notification cannot fall between
//! the registration and the sleep.

use std::sync::PoisonError;

use test_support::hint;
use test_support::sync::atomic::{AtomicU64, Ordering};
use test_support::sync::{Condvar, Mutex, MutexGuard};

/// The most permits a semaphore can hold: they are counted in 32 bits.
pub const MAX_PERMITS: usize = u32::MAX as usize;

/// One permit, in the low half of the state.
const ONE_PERMIT: u64 = 1;
/// One sleeper, in the high half of the state.
const ONE_SLEEPER: u64 = 1 << 32;

/// The permits counted in `state`.
fn permits(state: u64) -> usize {
    (state & (ONE_SLEEPER - 1)) as usize
}

/// The sleepers counted in `state`.
fn sleepers(state: u64) -> usize {
    (state >> 32) as usize
}

/// How many times `acquire` tries again before it sleeps. Short waits (a
/// holder that gives its permit back within a few hundred nanoseconds) end
/// without a system call. Under loom every try is explored, so one is enough
/// to cover the spinning path.
const SPINS: usize = if cfg!(loom) { 1 } else { 64 };

/// A counting semaphore whose `try_acquire` and `release` never take a lock
/// when nobody sleeps.
#[derive(Debug)]
pub struct Semaphore {
    /// Free permits (low 32 bits) and sleepers (high 32 bits).
    state: AtomicU64,
    /// Held by a sleeper from its registration until it sleeps on `wake`, and
    /// by `release` while it notifies.
    sleep: Mutex<()>,
    /// Sleepers wait on it; `release` notifies it when the state counts one.
    wake: Condvar,
}

/// One permit, given back when dropped.
#[must_use = "a permit is given back as soon as it is dropped"]
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` permits available.
    ///
    /// # Panics
    ///
    /// If `permits` is more than [`MAX_PERMITS`].
    pub fn new(permits: usize) -> Self {
        assert!(permits <= MAX_PERMITS, "at most {MAX_PERMITS} permits");
        Self {
            state: AtomicU64::new(permits as u64),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
        }
    }

    // ANCHOR: try_acquire
    /// Takes a permit if one is free now. Never blocks.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        // TODO: this takes a permit even when none is free, and the count
        // goes below zero (into the sleepers' half of the word). Take one only
        // if one is free, in one atomic step: a load followed by a separate
        // subtraction is a check-then-act race between two threads. And which
        // ordering lets the new holder see what the last holder did?
        self.state.fetch_sub(ONE_PERMIT, Ordering::Relaxed);
        Some(Permit { semaphore: self })
    }
    // ANCHOR_END: try_acquire

    /// Takes a permit, waiting until one is free: first spinning a little,
    /// then asleep.
    pub fn acquire(&self) -> Permit<'_> {
        for _ in 0..SPINS {
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            hint::spin_loop();
        }
        self.acquire_asleep()
    }

    // ANCHOR: acquire_asleep
    /// The slow path: sleep until a permit is free, and take it.
    fn acquire_asleep(&self) -> Permit<'_> {
        loop {
            if let Some(permit) = self.try_acquire() {
                return permit;
            }
            // TODO: a wake-up can be lost here. A release that comes after the
            // check above and before we count ourselves sees no sleeper and
            // wakes nobody. Taking a free permit and counting ourselves as a
            // sleeper must be one atomic step, done while holding the lock.
            let guard = self.lock();
            self.state.fetch_add(ONE_SLEEPER, Ordering::Relaxed);
            let guard = self
                .wake
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
            self.state.fetch_sub(ONE_SLEEPER, Ordering::Relaxed);
            drop(guard);
        }
    }
    // ANCHOR_END: acquire_asleep

    // ANCHOR: release
    /// Adds a permit and, if a thread sleeps in `acquire`, wakes one.
    ///
    /// Releasing more than [`MAX_PERMITS`] free permits is a bug this does not
    /// catch: the count would run over into the sleepers.
    pub fn release(&self) {
        // TODO: which ordering publishes what this thread did while it held
        // the permit?
        let before = self.state.fetch_add(ONE_PERMIT, Ordering::Relaxed);
        if sleepers(before) > 0 {
            // TODO: the sleeper we saw may have counted itself and not be in
            // `wait` yet; then this notification wakes nobody. What must we
            // hold to be sure it is asleep?
            self.wake.notify_one();
        }
    }
    // ANCHOR_END: release

    /// How many permits are free right now. By the time you look at the
    /// answer it may have changed; for tests and displays.
    pub fn available(&self) -> usize {
        // Relaxed: a snapshot; nothing is read on the strength of it.
        permits(self.state.load(Ordering::Relaxed))
    }

    /// How many threads have counted themselves as asleep in `acquire` and not
    /// yet taken a permit. For tests and displays.
    pub fn sleepers(&self) -> usize {
        // Relaxed: a snapshot; nothing is read on the strength of it.
        sleepers(self.state.load(Ordering::Relaxed))
    }

    /// Locks `sleep`. It guards no data, so a poisoned lock is safe to use.
    fn lock(&self) -> MutexGuard<'_, ()> {
        self.sleep.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Permit<'_> {
    /// Keeps the permit taken for good: it is not given back on drop. Another
    /// thread can then hand one on by calling [`Semaphore::release`] itself.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
