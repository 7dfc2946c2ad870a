//! # False sharing, solved
//!
//! One counter per thread: thread `i` bumps only `counters.slot(i)`, and the
//! total is read once every thread has been joined. Each [`Slot`] is padded and
//! aligned by [`CachePadded`], so no two slots share a cache line, nor a pair of
//! lines that a spatial prefetcher fetches together: an increment on one core
//! never takes a line away from another core.

use crossbeam_utils::CachePadded;
use test_support::sync::atomic::{AtomicU64, Ordering};

/// One thread's counter, alone in its cache line (pair).
///
/// `CachePadded` aligns the counter to 128 bytes on x86-64 and aarch64 and pads
/// it to a multiple of that, so in an array of slots each one starts on a fresh
/// 128-byte boundary. On 32-bit Arm, MIPS, SPARC and Hexagon it picks only 32
/// bytes, less than the 64-byte lines of the Cortex-A cores of a Raspberry Pi 2
/// to 5 running a 32-bit OS, so `Slot` asks for at least 64 itself.
/// `repr(align)` only ever raises an alignment: where `CachePadded` picks more,
/// it wins.
// ANCHOR: slot
#[repr(align(64))]
pub struct Slot {
    count: CachePadded<AtomicU64>,
}
// ANCHOR_END: slot

impl Slot {
    /// A counter at zero.
    pub fn new() -> Self {
        Self {
            count: CachePadded::new(AtomicU64::new(0)),
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
