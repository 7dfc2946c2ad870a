//! # A counting semaphore
//!
//! Dijkstra's semaphore: a count of permits, an operation that takes one and
//! waits while none is left (his *P*, here [`Semaphore::acquire`]), and one that
//! gives one back and wakes a waiter (his *V*, here [`Semaphore::release`]).
//!
//! The count lives in a `Mutex` and the waiters sleep on a `Condvar` tied to
//! it. Two rules make it correct:
//!
//! - a waiter checks the count and goes to sleep under the same lock that
//!   `release` holds while it changes the count, so no release can slip in
//!   between the check and the sleep (a lost wake-up);
//! - a waiter checks again after every wake-up, in a loop, because a wake-up
//!   only means "look again": another thread may have taken the permit first,
//!   and a condition variable may wake a thread for no reason at all.
//!
//! One more thing makes it cheap: `release` notifies only when a waiter is
//! asleep. On Linux, std's `Condvar::notify_one` makes a system call
//! (`futex_wake`) whether or not any thread waits, so an uncontended release
//! that notified every time would pay for a trip into the kernel that wakes
//! nobody. Waiters count themselves in the state, under the same lock, so
//! `release` can tell.

use std::sync::PoisonError;

use test_support::sync::{Condvar, Mutex, MutexGuard};

/// A counting semaphore: at most `permits` holders at a time, where `permits`
/// grows with every [`release`](Semaphore::release) that is not paired with an
/// acquire.
#[derive(Debug)]
pub struct Semaphore {
    /// The count and its sleepers. Changed only under this lock, so that a
    /// waiter's check and its sleep on `released` are one step to `release`.
    state: Mutex<State>,
    /// Signalled when a permit is given back and a waiter sleeps; waiters
    /// sleep on it.
    released: Condvar,
}

/// What the lock guards.
#[derive(Debug)]
struct State {
    /// Permits nobody holds.
    permits: usize,
    /// Threads asleep in `acquire` (or woken and not yet back in the lock).
    /// `release` reads it to skip the notification when nobody sleeps.
    waiters: usize,
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
            state: Mutex::new(State {
                permits,
                waiters: 0,
            }),
            released: Condvar::new(),
        }
    }

    // ANCHOR: acquire
    /// Takes a permit, waiting until one is available (Dijkstra's *P*).
    pub fn acquire(&self) -> Permit<'_> {
        let mut state = self.lock();
        // A loop, not an `if`: after a wake-up another thread may have taken
        // the permit first, and a condition variable may wake us spuriously.
        while state.permits == 0 {
            // Counted while asleep, so that `release` knows to notify. `wait`
            // lets go of the lock and starts sleeping in one step: any
            // `release` that sees the count comes after we sleep.
            state.waiters += 1;
            state = self
                .released
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.waiters -= 1;
        }
        state.permits -= 1;
        Permit { semaphore: self }
    }
    // ANCHOR_END: acquire

    /// Takes a permit if one is available now, without waiting.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut state = self.lock();
        if state.permits == 0 {
            return None;
        }
        state.permits -= 1;
        Some(Permit { semaphore: self })
    }

    // ANCHOR: release
    /// Adds a permit and wakes one waiter (Dijkstra's *V*). A dropped
    /// [`Permit`] calls this; call it yourself to hand out a permit that was
    /// never acquired, as when one thread signals another.
    pub fn release(&self) {
        let mut state = self.lock();
        state.permits += 1;
        // One new permit lets one waiter through, so wake one, but only if one
        // sleeps: on Linux, std's `notify_one` is a system call even when
        // nobody waits. No wake-up is lost: a waiter counts itself under this
        // lock, and `wait` lets go of the lock and starts sleeping in one step;
        // a thread that has not counted itself yet will see the new permit
        // when it checks. Everything here happens under the lock, so notifying
        // before or after unlocking is equally correct.
        if state.waiters > 0 {
            self.released.notify_one();
        }
    }
    // ANCHOR_END: release

    /// How many permits nobody holds right now. By the time you look at the
    /// answer it may have changed; use it for tests and displays, not to decide
    /// whether to call [`acquire`](Semaphore::acquire).
    pub fn available(&self) -> usize {
        self.lock().permits
    }

    /// Locks the state. Every change to it is one `usize` written under the
    /// lock, so a panic elsewhere cannot leave it half-updated, and a
    /// poisoned lock is safe to use.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
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
        self.semaphore.release();
    }
}
// ANCHOR_END: permit_drop
