//! A global allocator that counts, for tests and benchmarks that check how much
//! memory a structure holds while it is in use; and a [`Watch`] on chosen blocks,
//! for tests that check *when* a structure frees them.
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
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The system allocator, counting the blocks and bytes allocated and not yet
/// freed, and the most of each held at once since [`Counting::reset_peak`].
/// It also serves [`Watch`].
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
// counting only reads the layout, and the watch only notes addresses.
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
            watch::allocated(pointer);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // Relaxed: see `Counting::live_blocks`.
        LIVE_BLOCKS.fetch_sub(1, Ordering::Relaxed);
        // Relaxed: see `Counting::live_blocks`.
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // Before the block goes back: once it has, another thread may be given
        // the same address, which the watch must not take for this block.
        watch::freeing(pointer);
        // SAFETY: the caller's promises about `pointer` and `layout` are passed on.
        unsafe { System.dealloc(pointer, layout) };
    }
}

/// Tells a test which of the blocks one of its threads allocated have been
/// freed since, by any thread: how a test sees a structure free a node too
/// early (while another thread may still read it, say) without reading freed
/// memory itself.
///
/// Needs [`Counting`] as the program's global allocator. Blocks are noted only
/// on the thread that calls [`Watch::record`] and only while it runs, at most
/// [`Watch::CAPACITY`] of them; their frees are noticed on every thread until
/// the watch is dropped. One watch at a time in a program: [`Watch::new`] waits
/// for another test's to end.
///
/// ```ignore
/// let watch = Watch::new();
/// watch.record(|| stack.push(1)); // notes the node that `push` allocates
/// assert_eq!(stack.pop(), Some(1));
/// assert!(watch.freed().is_empty(), "pop freed its node at once");
/// ```
pub struct Watch {
    /// Held while the watch lasts: the notes are in statics, so only one
    /// watch may use them at a time.
    _only_watch: MutexGuard<'static, ()>,
}

impl Watch {
    /// The most blocks one watch can note.
    pub const CAPACITY: usize = watch::CAPACITY;

    /// A watch that has noted nothing yet. Waits while another watch is alive.
    pub fn new() -> Self {
        let only_watch = watch::ONLY_WATCH
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        watch::start();
        Self {
            _only_watch: only_watch,
        }
    }

    /// Runs `f` on this thread, noting every block allocated on this thread
    /// while it runs (allocations on other threads are not noted).
    ///
    /// # Panics
    ///
    /// If more than [`Watch::CAPACITY`] blocks have been noted, or none were
    /// and none had been, which means [`Counting`] is not the global allocator.
    pub fn record<R>(&self, f: impl FnOnce() -> R) -> R {
        let result = {
            let _recording = watch::Recording::start();
            f()
        };
        assert!(
            !watch::overflowed(),
            "more blocks were allocated inside `record` than a watch can note (at most {})",
            Self::CAPACITY
        );
        assert!(
            self.recorded() > 0,
            "no block was noted: is test_support::alloc::Counting the program's global allocator?"
        );
        result
    }

    /// How many blocks have been noted.
    pub fn recorded(&self) -> usize {
        watch::noted()
    }

    /// The addresses of the noted blocks that have been freed, in the order
    /// they were noted. Frees on other threads are seen once something orders
    /// them before this call (a join, say).
    pub fn freed(&self) -> Vec<usize> {
        watch::freed()
    }
}

impl Default for Watch {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        watch::stop();
    }
}

/// The notes behind [`Watch`], in statics, since the allocator has no state
/// of its own. They are written from inside the allocator, so nothing here
/// allocates, blocks or panics.
mod watch {
    use super::*;

    pub(super) const CAPACITY: usize = 1024;

    /// Held by the one live `Watch`.
    pub(super) static ONLY_WATCH: Mutex<()> = Mutex::new(());

    /// Whether a watch is alive: only then does a free look through the notes.
    static WATCHING: AtomicBool = AtomicBool::new(false);
    /// How many of `NOTES` are in use.
    static NOTED: AtomicUsize = AtomicUsize::new(0);
    /// Set when a block could not be noted because `NOTES` was full.
    static OVERFLOWED: AtomicBool = AtomicBool::new(false);

    /// One noted block.
    struct Note {
        address: AtomicUsize,
        freed: AtomicBool,
    }

    static NOTES: [Note; CAPACITY] = [const {
        Note {
            address: AtomicUsize::new(0),
            freed: AtomicBool::new(false),
        }
    }; CAPACITY];

    thread_local! {
        /// Whether this thread is inside `Watch::record`.
        static RECORDING: Cell<bool> = const { Cell::new(false) };
    }

    // Every atomic below is Relaxed, and nothing is published through the
    // notes but the notes themselves. A block is noted on the thread that
    // allocates it, before `alloc` returns it, and it can only be freed after
    // that in happens-before order (whatever gave another thread the pointer
    // ordered the two), so its free sees its note. The test reads `freed`
    // after the frees it asks about, ordered the same way.

    pub(super) fn start() {
        // Relaxed: see above; `stop` left every note cleared.
        OVERFLOWED.store(false, Ordering::Relaxed);
        // Relaxed: see above.
        WATCHING.store(true, Ordering::Relaxed);
    }

    pub(super) fn stop() {
        // Relaxed: see above.
        WATCHING.store(false, Ordering::Relaxed);
        // Relaxed: see above.
        let noted = NOTED.swap(0, Ordering::Relaxed).min(CAPACITY);
        for note in &NOTES[..noted] {
            // Relaxed: see above. A free racing with this may still mark a
            // cleared note freed; `allocated` resets the mark when it reuses it.
            note.address.store(0, Ordering::Relaxed);
        }
    }

    /// Sets `RECORDING` on this thread for as long as it lives, even if the
    /// recorded code panics.
    pub(super) struct Recording;

    impl Recording {
        pub(super) fn start() -> Self {
            RECORDING.with(|recording| recording.set(true));
            Self
        }
    }

    impl Drop for Recording {
        fn drop(&mut self) {
            RECORDING.with(|recording| recording.set(false));
        }
    }

    /// Notes `pointer` if this thread is recording.
    pub(super) fn allocated(pointer: *mut u8) {
        // `try_with`: a thread being torn down may still allocate, and must not
        // panic here. A `Cell<bool>` has no destructor, so this normally works.
        if !RECORDING.try_with(Cell::get).unwrap_or(false) {
            return;
        }
        // Relaxed: see above.
        let index = NOTED.fetch_add(1, Ordering::Relaxed);
        let Some(note) = NOTES.get(index) else {
            // Relaxed: see above.
            NOTED.fetch_sub(1, Ordering::Relaxed);
            // Relaxed: see above.
            OVERFLOWED.store(true, Ordering::Relaxed);
            return;
        };
        // Relaxed: see above.
        note.freed.store(false, Ordering::Relaxed);
        // Relaxed: see above.
        note.address.store(pointer.addr(), Ordering::Relaxed);
    }

    /// Marks the note of `pointer` freed, if it has one not yet freed.
    pub(super) fn freeing(pointer: *mut u8) {
        // Relaxed: see above.
        if !WATCHING.load(Ordering::Relaxed) {
            return;
        }
        // Relaxed: see above.
        let noted = NOTED.load(Ordering::Relaxed).min(CAPACITY);
        // A block freed and its address given out again is noted twice; the
        // older note is already marked, so the first unmarked one is this block.
        for note in &NOTES[..noted] {
            // Relaxed, both: see above.
            if note.address.load(Ordering::Relaxed) == pointer.addr()
                && !note.freed.load(Ordering::Relaxed)
            {
                // Relaxed: see above.
                note.freed.store(true, Ordering::Relaxed);
                return;
            }
        }
    }

    pub(super) fn noted() -> usize {
        // Relaxed: see above.
        NOTED.load(Ordering::Relaxed).min(CAPACITY)
    }

    pub(super) fn overflowed() -> bool {
        // Relaxed: see above.
        OVERFLOWED.load(Ordering::Relaxed)
    }

    pub(super) fn freed() -> Vec<usize> {
        NOTES[..noted()]
            .iter()
            // Relaxed: see above.
            .filter(|note| note.freed.load(Ordering::Relaxed))
            // Relaxed: see above.
            .map(|note| note.address.load(Ordering::Relaxed))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    #[test]
    fn a_watch_sees_which_recorded_blocks_are_freed() {
        let before = Box::new(0_u64);
        let watch = Watch::new();
        let (kept, dropped) = watch.record(|| (Box::new(1_u64), Box::new(2_u64)));
        let dropped_at = (&raw const *dropped).addr();
        assert_eq!(
            watch.recorded(),
            2,
            "only the two boxes made inside `record`"
        );
        assert!(watch.freed().is_empty());
        drop(dropped);
        drop(before);
        assert_eq!(
            watch.freed(),
            [dropped_at],
            "only the recorded box that was dropped"
        );
        let freed_elsewhere = std::thread::spawn(move || drop(kept));
        freed_elsewhere.join().unwrap();
        assert_eq!(
            watch.freed().len(),
            2,
            "a free on another thread counts too"
        );
    }
}
