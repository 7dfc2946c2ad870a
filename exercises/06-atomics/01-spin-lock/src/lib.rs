//! # A spin lock
//!
//! A mutual-exclusion lock made of one `AtomicBool` and an `UnsafeCell`. A thread
//! that finds the lock taken does not sleep: it spins until the lock is free. The
//! guard unlocks on drop, like std's `MutexGuard`.
//!
//! The tests are the specification: `cargo workbook check spin-lock` runs them
//! (plain tests, then loom, then Miri). Start with `cargo test`.

use std::ops::{Deref, DerefMut};

use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicBool, Ordering};

/// A lock that waits by spinning.
pub struct SpinLock<T> {
    /// `true` while a `SpinGuard` exists.
    locked: AtomicBool,
    /// Accessed only through a `SpinGuard`, so by one thread at a time.
    value: UnsafeCell<T>,
}

// TODO: this bound is wrong: it lets every `SpinLock` be shared between threads,
// whatever it holds. Which `T` can the lock safely hand from one thread to the
// next? (`Send` for `SpinLock<T>` is derived, and already right.)
// SAFETY: not yet; see the TODO above.
unsafe impl<T> Sync for SpinLock<T> {}

/// Access to the value of a locked `SpinLock`; unlocks when dropped.
// TODO: make the guard `!Send` (the book's page says why).
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, then takes it.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        // TODO: this hands out a guard without taking the lock. Wait until the lock
        // is free and take it in one atomic step, with `test_support::hint::spin_loop()`
        // in the waiting loop. Which ordering makes the last holder's writes visible?
        self.guard()
    }

    /// Takes the lock if it is free now; `None` if another guard holds it.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        // TODO: between this load and handing out the guard, another thread can take
        // the lock too. Check and take it in one atomic step.
        if self.locked.load(Ordering::Relaxed) {
            None
        } else {
            Some(self.guard())
        }
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }

    /// A guard for a lock this thread has just taken.
    fn guard(&self) -> SpinGuard<'_, T> {
        SpinGuard { lock: self }
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: once `lock` and `try_lock` do their job, no other guard exists
        // while this one lives, and the lock's orderings put us after the last holder.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // TODO: unlock, so that the next `lock` or `try_lock` gets in and sees
        // every write made through this guard.
    }
}
