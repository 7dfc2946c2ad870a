//! # Store buffering, forbidden
//!
//! Two threads share two flags, both `false` to start with. Each raises its own
//! flag and then reads the other's. With every access `SeqCst`, all four take
//! part in the one total order that every thread agrees on, and in that order
//! whichever load comes last follows both stores: at least one thread reads
//! `true`.

use test_support::sync::atomic::{self, AtomicBool, Ordering};

// ANCHOR: orderings
/// The ordering of each thread's store of its own flag.
pub const STORE: Ordering = Ordering::SeqCst;
/// The fence, if any, between each thread's store and its load. Not needed
/// when both accesses are SeqCst; `Some(Ordering::SeqCst)` with Relaxed
/// accesses would forbid the outcome too.
pub const FENCE: Option<Ordering> = None;
/// The ordering of each thread's load of the other thread's flag.
pub const LOAD: Ordering = Ordering::SeqCst;
// ANCHOR_END: orderings

/// One thread's half of the litmus test: raise `mine`, then report whether
/// `theirs` was already up.
pub fn store_then_load(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, STORE);
    if let Some(ordering) = FENCE {
        atomic::fence(ordering);
    }
    theirs.load(LOAD)
}
