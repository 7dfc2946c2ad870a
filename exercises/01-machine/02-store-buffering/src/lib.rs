//! # Store buffering
//!
//! Two threads share two flags, both `false` to start with. Each thread raises
//! its own flag and then reads the other's:
//!
//! ```text
//! thread A: x = true; read y        thread B: y = true; read x
//! ```
//!
//! Interleave the four steps any way you like: at least one thread reads `true`,
//! because whichever load runs last comes after both stores. Yet real x86-64 and
//! Arm processors let *both* threads read `false`, and so does Rust's memory
//! model with the orderings below. Each core's store waits in a store buffer
//! while the core's next load runs ahead of it.
//!
//! Your job: choose the orderings in [`store_then_load`] (the three constants
//! below) so that "both read `false`" cannot happen, on any hardware and under
//! any compiler. `cargo test` checks your choice against the language's rules
//! and runs the two threads many times; `cargo workbook check store-buffering`
//! adds Miri, whose weak-memory emulation does produce the bad outcome for
//! orderings that allow it.

use test_support::sync::atomic::{self, AtomicBool, Ordering};

// TODO: with these orderings, both threads may read `false`. Which of the three
// must change, and to what? `STORE` must be an ordering a store accepts and
// `LOAD` one a load accepts (Rust panics otherwise); `FENCE`, if it is `Some`,
// is a fence between the two.
// ANCHOR: orderings
/// The ordering of each thread's store of its own flag.
pub const STORE: Ordering = Ordering::Relaxed;
/// The fence, if any, between each thread's store and its load.
pub const FENCE: Option<Ordering> = None;
/// The ordering of each thread's load of the other thread's flag.
pub const LOAD: Ordering = Ordering::Relaxed;
// ANCHOR_END: orderings

/// One thread's half of the litmus test: raise `mine`, then report whether
/// `theirs` was already up.
// ANCHOR: side
pub fn store_then_load(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    mine.store(true, STORE);
    if let Some(ordering) = FENCE {
        atomic::fence(ordering);
    }
    theirs.load(LOAD)
}
// ANCHOR_END: side
