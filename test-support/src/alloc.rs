//! A global allocator that counts, for tests and benchmarks that check how much
//! memory a structure holds while it is in use.
//!
//! Install it in a test or benchmark program of its own (it counts every
//! allocation of the program, so another test running beside it would spoil the
//! figures):
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: test_support::alloc::Counting = test_support::alloc::Counting;
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the blocks and bytes allocated and not yet
/// freed, and the most of each held at once since [`Counting::reset_peak`].
pub struct Counting;

static LIVE_BLOCKS: AtomicUsize = AtomicUsize::new(0);
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BLOCKS: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);

impl Counting {
    /// Blocks allocated and not yet freed.
    pub fn live_blocks() -> usize {
        // Relaxed, here and in every access below: the counts are statistics,
        // and nothing is published through them. A caller reads them after
        // joining the threads it measures, which orders their updates first.
        LIVE_BLOCKS.load(Ordering::Relaxed)
    }

    /// Bytes allocated and not yet freed.
    pub fn live_bytes() -> usize {
        // Relaxed: see `live_blocks`.
        LIVE_BYTES.load(Ordering::Relaxed)
    }

    /// The most blocks held at once since the last [`Counting::reset_peak`].
    pub fn peak_blocks() -> usize {
        // Relaxed: see `live_blocks`.
        PEAK_BLOCKS.load(Ordering::Relaxed)
    }

    /// The most bytes held at once since the last [`Counting::reset_peak`].
    pub fn peak_bytes() -> usize {
        // Relaxed: see `live_blocks`.
        PEAK_BYTES.load(Ordering::Relaxed)
    }

    /// Starts new peaks from what is held now.
    pub fn reset_peak() {
        // Relaxed: see `live_blocks`.
        PEAK_BLOCKS.store(LIVE_BLOCKS.load(Ordering::Relaxed), Ordering::Relaxed);
        // Relaxed: see `live_blocks`.
        PEAK_BYTES.store(LIVE_BYTES.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counting only reads the layout.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promises about `layout` are passed on.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            // Relaxed: see `Counting::live_blocks`.
            let blocks = LIVE_BLOCKS.fetch_add(1, Ordering::Relaxed) + 1;
            // Relaxed: see `Counting::live_blocks`.
            PEAK_BLOCKS.fetch_max(blocks, Ordering::Relaxed);
            // Relaxed: see `Counting::live_blocks`.
            let live = LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            // Relaxed: see `Counting::live_blocks`.
            PEAK_BYTES.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // Relaxed: see `Counting::live_blocks`.
        LIVE_BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // Relaxed: see `Counting::live_blocks`.
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's promises about `pointer` and `layout` are passed on.
        unsafe { System.dealloc(pointer, layout) };
    }
}
