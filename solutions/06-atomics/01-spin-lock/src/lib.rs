//! # A spin lock
//!
//! A mutual-exclusion lock made of one `AtomicBool` and an `UnsafeCell`. A thread
//! that finds the lock taken does not sleep: it spins, reading the flag until it
//! sees the lock free and then trying to take it (test-and-test-and-set). The
//! guard unlocks on drop, like std's `MutexGuard`.
//!
//! Taking the lock is an Acquire operation and releasing it a Release store, so
//! everything one holder did inside the lock happens before everything the next
//! holder does: the message-passing pattern, once per hand-over.

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use test_support::cell::UnsafeCell;
use test_support::hint;
use test_support::sync::atomic::{AtomicBool, Ordering};

/// A lock that waits by spinning. Good for short critical sections when each
/// thread has a core of its own; see the book for when to prefer `Mutex`.
pub struct SpinLock<T> {
    /// `true` while a `SpinGuard` exists.
    locked: AtomicBool,
    /// Accessed only through a `SpinGuard`, so by one thread at a time.
    value: UnsafeCell<T>,
}

// ANCHOR: sync
// SAFETY: one thread at a time gets `&mut T` through a guard, each holder's
// accesses ordered after the previous holder's by the Acquire/Release pair: access
// moves between threads (`T: Send`), and no two threads share `&T` (no `T: Sync`).
// (`Send` for `SpinLock<T>` is derived: it holds when `T: Send`.)
unsafe impl<T: Send> Sync for SpinLock<T> {}
// ANCHOR_END: sync

/// Access to the value of a locked `SpinLock`; unlocks when dropped.
///
/// Not `Send`, like std's `MutexGuard`: see the book's spin-lock page for why
/// this is a choice here rather than a requirement.
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    /// A raw pointer is neither `Send` nor `Sync`, and so neither is the guard.
    _not_send: PhantomData<*const ()>,
}

impl<T> SpinLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        Self {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    // ANCHOR: lock
    /// Waits until the lock is free, then takes it.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        loop {
            // Acquire on success: pairs with the Release store in `SpinGuard::drop`
            // of the previous holder, so its writes to the value are visible to us.
            // Relaxed on failure: we learn only that the lock is taken. Weak:
            // a spurious failure costs one more trip round the loop.
            if self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return self.guard();
            }
            // Relaxed: only waits for the flag to look free; the Acquire of the
            // compare-exchange above is what orders our accesses. Reading keeps the
            // cache line shared instead of pulling it over with a write each time.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
        }
    }
    // ANCHOR_END: lock

    // ANCHOR: try_lock
    /// Takes the lock if it is free now; `None` if another guard holds it.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        // Acquire on success: pairs with the Release store in `SpinGuard::drop`.
        // Strong, not weak: a spurious failure here would report a free lock as
        // taken. Relaxed on failure: nothing is read through a failed attempt.
        self.locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()
            .map(|_| self.guard())
    }
    // ANCHOR_END: try_lock

    /// Consumes the lock and returns the value. No guard can exist: a guard
    /// borrows the lock.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }

    /// A guard for a lock this thread has just taken.
    fn guard(&self) -> SpinGuard<'_, T> {
        SpinGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, `locked` is true and no other guard
        // exists; taking the lock with Acquire ordered us after the last holder.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

// ANCHOR: unlock
impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // Release: pairs with the Acquire compare-exchange in the next `lock` or
        // `try_lock`, publishing every write this holder made to the value.
        self.lock.locked.store(false, Ordering::Release);
    }
}
// ANCHOR_END: unlock
