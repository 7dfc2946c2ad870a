//! # A readers-writer lock, and a writer left waiting
//!
//! An `RwLock` built from one `Mutex` and two `Condvar`s: any number of readers
//! may hold it at once, or one writer alone. As shipped it works, with two
//! flaws that the tests in `tests/` point out:
//!
//! 1. It prefers readers. A reader gets in whenever no writer *holds* the lock,
//!    so while readers keep overlapping, a waiting writer never gets its turn.
//!    Make it prefer writers: once a writer waits, new readers wait behind it.
//! 2. Its `Sync` promise is too generous (see the `// TODO` at the `unsafe impl`).
//!
//! Keep the public API (`new`, `read`, `write`, `try_read`, `try_write`, the two
//! guards) as it is. Check your work with `cargo test` in this folder, then
//! `cargo workbook check rwlock`, which adds a loom model.

use std::ops::{Deref, DerefMut};

use test_support::cell::UnsafeCell;
use test_support::sync::{Condvar, Mutex, MutexGuard};

/// A readers-writer lock.
pub struct RwLock<T: ?Sized> {
    state: Mutex<State>,
    /// Readers sleep on it while a writer holds the lock.
    readers_may_enter: Condvar,
    /// Writers sleep on it while anyone holds the lock.
    writer_may_enter: Condvar,
    value: UnsafeCell<T>,
}

/// Who holds the lock, guarded by `RwLock::state`.
// TODO: to prefer writers, the lock must know whether a writer is *waiting*,
// not only whether one holds it.
// ANCHOR: state
struct State {
    /// Readers holding the lock now.
    readers: usize,
    /// Whether a writer holds the lock now.
    writing: bool,
}
// ANCHOR_END: state

// TODO: a `Mutex<T>` is `Sync` when `T: Send`, because it hands out one `&mut T`
// at a time. What does an `RwLock` hand out to several threads at once? Which
// bounds must `T` have for that to be safe? (`cargo test` compiles a few cases.)
// ANCHOR: sync
// SAFETY: readers and a writer exclude each other through `state`, whose mutex
// orders each guard's accesses after the previous writer's.
unsafe impl<T: ?Sized + Send> Sync for RwLock<T> {}
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
            }),
            readers_may_enter: Condvar::new(),
            writer_may_enter: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Waits until no writer holds the lock, then holds it for reading.
    // TODO: ... and no writer waits for it either.
    // ANCHOR: read
    pub fn read(&self) -> RwLockReadGuard<'_, T> {
        let mut state = self.lock_state();
        while state.writing {
            state = wait(&self.readers_may_enter, state);
        }
        state.readers += 1;
        RwLockReadGuard { lock: self }
    }
    // ANCHOR_END: read

    /// Waits until nobody holds the lock, then holds it for writing.
    // TODO: new readers must wait from the moment this call starts waiting.
    // ANCHOR: write
    pub fn write(&self) -> RwLockWriteGuard<'_, T> {
        let mut state = self.lock_state();
        while state.writing || state.readers > 0 {
            state = wait(&self.writer_may_enter, state);
        }
        state.writing = true;
        RwLockWriteGuard { lock: self }
    }
    // ANCHOR_END: write

    /// Holds the lock for reading if no writer holds it.
    // TODO: ... or waits for it.
    pub fn try_read(&self) -> Option<RwLockReadGuard<'_, T>> {
        let mut state = self.lock_state();
        if state.writing {
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

// TODO: once readers can sleep while no writer holds the lock, who wakes them,
// and when? Check each release for a sleeper it could leave asleep for ever.
// ANCHOR: release
impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        let mut state = self.lock.lock_state();
        state.readers -= 1;
        if state.readers == 0 {
            self.lock.writer_may_enter.notify_one();
        }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        let mut state = self.lock.lock_state();
        state.writing = false;
        self.lock.readers_may_enter.notify_all();
        self.lock.writer_may_enter.notify_one();
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
