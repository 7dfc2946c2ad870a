//! # False sharing
//!
//! One counter per thread: thread `i` bumps only `counters.slot(i)`, and the
//! total is read once every thread has been joined. No two threads ever write
//! the same counter, so the result is always exact. And yet, as shipped, adding
//! a second thread makes each thread *slower*: the counters sit side by side in
//! one cache line, and every increment on one core takes that line away from the
//! other core.
//!
//! Your job: change the layout of [`Slot`] so that no two slots can share a
//! cache line, without changing the public API. The layout tests in `tests/`
//! say how big and how aligned a slot must be, and why.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check false-sharing`, which adds Miri.

use test_support::sync::atomic::{AtomicU64, Ordering};

/// One thread's counter.
// TODO: as written, a `Slot` is 8 bytes and 8-aligned, so eight of them fit in
// one 64-byte cache line. Make each slot start on its own line and fill it (see
// `#[repr(align(N))]`, or `crossbeam_utils::CachePadded`). How big is a line,
// and is one line enough? The layout test explains the number it asks for.
// ANCHOR: slot
pub struct Slot {
    count: AtomicU64,
}
// ANCHOR_END: slot

impl Slot {
    /// A counter at zero.
    pub fn new() -> Self {
        Self {
            count: AtomicU64::new(0),
        }
    }

    /// Adds one. Only the slot's own thread calls this.
    pub fn increment(&self) {
        // Relaxed: the count publishes nothing; readers look at it only after
        // joining the thread that wrote it, and the join orders the two.
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// The count so far.
    pub fn get(&self) -> u64 {
        // Relaxed: see `increment`; callers read after joining the writer.
        self.count.load(Ordering::Relaxed)
    }
}

impl Default for Slot {
    fn default() -> Self {
        Self::new()
    }
}

/// One [`Slot`] per thread, side by side in one allocation.
pub struct Counters {
    slots: Box<[Slot]>,
}

impl Counters {
    /// Counters for `threads` threads, all at zero.
    pub fn new(threads: usize) -> Self {
        Self {
            slots: (0..threads).map(|_| Slot::new()).collect(),
        }
    }

    /// Thread `thread`'s counter.
    ///
    /// # Panics
    ///
    /// If `thread` is not less than the number of threads given to [`Counters::new`].
    pub fn slot(&self, thread: usize) -> &Slot {
        &self.slots[thread]
    }

    /// The sum of every counter.
    pub fn total(&self) -> u64 {
        self.slots.iter().map(Slot::get).sum()
    }
}
