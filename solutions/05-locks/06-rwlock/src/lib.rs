//! # A writer-preferring readers-writer lock
//!
//! An `RwLock` built from one `Mutex` and two `Condvar`s. Any number of readers
//! may hold it at once, or one writer alone. While a writer waits, new readers
//! wait too, so a steady stream of readers cannot keep a writer out forever
//! (writer preference, as in Courtois, Heymans and Parnas's second
//! readers-writers problem, 1971). The price is the mirror image: a steady
//! stream of writers can keep readers out.
//!
//! Leaving notifies a condition variable only when someone sleeps on it: on
//! Linux, std's `Condvar::notify_one` and `notify_all` make a system call
//! whether or not any thread waits, so the state counts the sleepers of each
//! kind, and releasing a lock that nobody waits for makes no wake-up call.

use std::ops::{Deref, DerefMut};

use test_support::cell::UnsafeCell;
use test_support::sync::{Condvar, Mutex, MutexGuard};

/// A readers-writer lock that lets a waiting writer in before new readers.
pub struct RwLock<T: ?Sized> {
    state: Mutex<State>,
    /// Readers sleep on it while a writer holds the lock or waits for it.
    readers_may_enter: Condvar,
    /// Writers sleep on it while anyone holds the lock.
    writer_may_enter: Condvar,
    value: UnsafeCell<T>,
}

/// Who holds the lock and who waits, guarded by `RwLock::state`.
// ANCHOR: state
struct State {
    /// Readers holding the lock now.
    readers: usize,
    /// Whether a writer holds the lock now.
    writing: bool,
    /// Writers in `write` that have not got in yet. While any waits, no new
    /// reader gets in.
    writers_waiting: usize,
    /// Readers asleep in `read`, so that a leaving writer wakes them only if
    /// there are any.
    readers_waiting: usize,
}
// ANCHOR_END: state

// ANCHOR: sync
// SAFETY: readers on several threads share `&T` (so `T: Sync`); a writer's `&mut T`
// can move a `T` out (`mem::replace`) on its thread (so `T: Send`). `state` keeps
// readers and writers apart, and its mutex orders each guard after the last writer.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}
// ANCHOR_END: sync

/// Shared access to the value; the lock is released when it is dropped.
pub struct RwLockReadGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
}

/// Exclusive access to the value; the lock is released when it is dropped.
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    lock: &'a RwLock<T>,
}

impl<T> RwLock<T> {
    /// A lock holding `value`, held by nobody.
    pub fn new(value: T) -> Self {
        Self {
            state: Mutex::new(State {
                readers: 0,
                writing: false,
                writers_waiting: 0,
                readers_waiting: 0,
            }),
            readers_may_enter: Condvar::new(),
            writer_may_enter: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Waits until no writer holds or waits for the lock, then holds it for reading.
    // ANCHOR: read
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        let mut state = self.lock_state();
        while state.writing || state.writers_waiting > 0 {
            state.readers_waiting += 1;
            state = wait(&self.readers_may_enter, state);
            state.readers_waiting -= 1;
        }
        state.readers += 1;
        RwLockReadGuard { lock: self }
    }
    // ANCHOR_END: read

    /// Waits until nobody holds the lock, then holds it for writing. New readers
    /// wait from the moment this call starts waiting.
    // ANCHOR: write
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        let mut state = self.lock_state();
        state.writers_waiting += 1;
        while state.writing || state.readers > 0 {
            state = wait(&self.writer_may_enter, state);
        }
        state.writers_waiting -= 1;
        state.writing = true;
        RwLockWriteGuard { lock: self }
    }
    // ANCHOR_END: write

    /// Holds the lock for reading if no writer holds it or waits for it.
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        let mut state = self.lock_state();
        if state.writing || state.writers_waiting > 0 {
            return None;
        }
        state.readers += 1;
        Some(RwLockReadGuard { lock: self })
    }

    /// Holds the lock for writing if nobody holds it.
    pub fn try_write(&self) -> Option<RwLockWriteGuard<'_, T>> {
        let mut state = self.lock_state();
        if state.writing || state.readers > 0 {
            return None;
        }
        state.writing = true;
        Some(RwLockWriteGuard { lock: self })
    }

    /// Locks `state`. No code that can panic runs while it is held, so it is
    /// never poisoned.
    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("no code panics while holding the state lock")
    }
}

/// Sleeps on `condvar` until woken. Wake-ups can be spurious: check again.
fn wait<'a>(condvar: &Condvar, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
    condvar
        .wait(state)
        .expect("no code panics while holding the state lock")
}

// ANCHOR: release
// Each `Drop` notifies a condition variable only if a thread waits on it. The
// counts change only under the state lock, and `wait` lets go of that lock and
// starts sleeping in one step, so a count of 0 read under the lock means that
// nobody is asleep for the notification to wake.
impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        let mut state = self.lock.lock_state();
        state.readers -= 1;
        if state.readers == 0 && state.writers_waiting > 0 {
            self.lock.writer_may_enter.notify_one();
        }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        let mut state = self.lock.lock_state();
        state.writing = false;
        if state.writers_waiting > 0 {
            // Readers would only go back to sleep: a writer still waits.
            self.lock.writer_may_enter.notify_one();
        } else if state.readers_waiting > 0 {
            self.lock.readers_may_enter.notify_all();
        }
    }
}
// ANCHOR_END: release

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, `readers > 0`, so no writer holds the lock
        // and nobody has a `&mut T`; the state mutex ordered our entry after the
        // last writer's exit.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: while this guard lives, `writing` is set and `readers == 0`, so
        // no other guard exists; the state mutex ordered our entry after every
        // earlier guard's exit.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this the only reference
        // handed out by this guard.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}
