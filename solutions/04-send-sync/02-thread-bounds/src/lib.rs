//! # Thread bounds: the answer
//!
//! Two types whose thread-safety the compiler cannot work out alone, told the
//! truth: `Meter` is `Send` but not `Sync`; `OnceSlot<T>` is `Sync` exactly when
//! `T` is both `Send` and `Sync` (the bounds of std's `OnceLock`).

use std::cell::Cell;
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicU8, Ordering};

/// Counts events into numbered buckets. Each `Meter` owns its buffer alone.
///
/// `record` takes `&self`, so a `Meter` can be lent out freely on one thread.
pub struct Meter {
    /// A heap buffer of `len` counters, allocated by `new` and freed by `drop`.
    counts: NonNull<u64>,
    len: usize,
    total: Cell<u64>,
}

// SAFETY: the buffer behind `counts` belongs to this `Meter` alone: no copy of the
// pointer and no reference into the buffer ever leaves it. Moving the `Meter` moves
// sole access to the buffer with it. (`Meter` stays `!Sync`: `NonNull` and `Cell`
// are `!Sync`, and two threads calling `record(&self)` at once would race.)
unsafe impl Send for Meter {}

impl Meter {
    /// A meter with `buckets` counters, all zero.
    pub fn new(buckets: usize) -> Self {
        let buffer: Box<[u64]> = vec![0; buckets].into_boxed_slice();
        let len = buffer.len();
        let counts = NonNull::new(Box::into_raw(buffer).cast::<u64>()).expect("Box is never null");
        Self {
            counts,
            len,
            total: Cell::new(0),
        }
    }

    /// Counts one event in `bucket`.
    ///
    /// # Panics
    ///
    /// If `bucket` is out of range.
    pub fn record(&self, bucket: usize) {
        assert!(
            bucket < self.len,
            "bucket {bucket} out of range 0..{}",
            self.len
        );
        // SAFETY: `bucket` is in bounds, the buffer lives as long as `self`, and no
        // reference into it is ever handed out.
        unsafe { *self.counts.as_ptr().add(bucket) += 1 };
        self.total.set(self.total.get() + 1);
    }

    /// The events counted in `bucket`.
    pub fn count(&self, bucket: usize) -> u64 {
        assert!(
            bucket < self.len,
            "bucket {bucket} out of range 0..{}",
            self.len
        );
        // SAFETY: as in `record`.
        unsafe { *self.counts.as_ptr().add(bucket) }
    }

    /// The events counted in all buckets.
    pub fn total(&self) -> u64 {
        self.total.get()
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        let slice = std::ptr::slice_from_raw_parts_mut(self.counts.as_ptr(), self.len);
        // SAFETY: `counts` and `len` came from `Box::into_raw` in `new`, and this is
        // the only place that frees them.
        drop(unsafe { Box::from_raw(slice) });
    }
}

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const READY: u8 = 2;

/// A slot that can be filled once, from any thread, and then read by all.
pub struct OnceSlot<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: sharing `&OnceSlot<T>` lets any thread (a) move a `T` in with `set`, to be
// dropped later by whichever thread drops the slot, which needs `T: Send`, and (b)
// read `&T` through `get` while other threads do too, which needs `T: Sync`. The
// state machine makes the single write happen before every read.
unsafe impl<T: Send + Sync> Sync for OnceSlot<T> {}

impl<T> OnceSlot<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Fills the slot, or gives `value` back if it was already filled (or is
    /// being filled by another thread).
    pub fn set(&self, value: T) -> Result<(), T> {
        // Relaxed: winning the claim only has to be exclusive (the exchange does that);
        // the slot was empty, so there is no earlier write to see. The value is
        // published by the Release store below, not by this exchange.
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return Err(value);
        }
        // SAFETY: winning the exchange from EMPTY makes us the only writer, and no
        // reader looks at the value before it sees READY.
        self.value.with_mut(|slot| unsafe { (*slot).write(value) });
        // Release: publishes the write above to the Acquire load in `get`.
        self.state.store(READY, Ordering::Release);
        Ok(())
    }

    /// The value, if the slot has been filled.
    pub fn get(&self) -> Option<&T> {
        // Acquire: pairs with the Release store in `set`, so the value is fully written.
        if self.state.load(Ordering::Acquire) == READY {
            // SAFETY: READY means the value was written and will never be written
            // again while `self` is borrowed.
            Some(self.value.with(|slot| unsafe { (*slot).assume_init_ref() }))
        } else {
            None
        }
    }
}

impl<T> Default for OnceSlot<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for OnceSlot<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self` means whatever handed us the slot (a join, a channel,
        // the end of a scope) already ordered every other thread's access before this.
        if self.state.load(Ordering::Relaxed) == READY {
            // SAFETY: READY means the value was initialised, and it is dropped once, here.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
