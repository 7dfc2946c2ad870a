//! False sharing's specification: the layout of a slot, and per-thread counters
//! that add up exactly. The solution runs these same tests.

use std::mem::{align_of, size_of};
use std::sync::Arc;

use false_sharing::{Counters, Slot};
use test_support::deadline::{Threads, progress};
use test_support::stress;

/// How far apart, in bytes, two threads' counters must be.
///
/// A cache line is 64 bytes on today's x86-64 parts and on the Arm Cortex-A72
/// and A76 (a Raspberry Pi 4 and 5). So why 128? Intel's optimization manual
/// describes a spatial prefetcher that, from Sandy Bridge on, fetches the line
/// next to a missed one to complete a 128-byte-aligned pair; two counters in one
/// such pair can still slow each other down. Some 64-bit Arm cores (such as the
/// "big" cores of some big.LITTLE designs, and Apple's) have 128-byte lines.
/// `crossbeam_utils::CachePadded` therefore pads and aligns to 128 bytes on
/// x86-64 and aarch64, and its documentation says why: this is the same choice.
/// Elsewhere we ask for one 64-byte line, the line of every current x86 and
/// Cortex-A core. That is more than `CachePadded` gives on 32-bit Arm, MIPS,
/// SPARC and Hexagon (32 bytes, crossbeam's guess from older cores): there,
/// `CachePadded` alone does not pass.
const APART: usize = if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
    128
} else {
    64
};

// --- Layout: what the type promises, checked without any threads -------------

#[test_support::test]
fn a_slot_is_aligned_to_a_cache_line_pair() {
    assert!(
        align_of::<Slot>() >= APART,
        "a Slot is aligned to {} bytes, so two slots can start inside one {APART}-byte \
         block and share its cache line(s). Align it to at least {APART} bytes.",
        align_of::<Slot>()
    );
}

#[test_support::test]
fn a_slot_fills_its_cache_line_pair() {
    assert!(
        size_of::<Slot>() >= APART,
        "a Slot is {} bytes, so the next slot in an array starts less than {APART} bytes \
         after it. Pad it to at least {APART} bytes.",
        size_of::<Slot>()
    );
}

#[test_support::test]
fn neighbouring_slots_never_share_a_line() {
    let counters = Counters::new(4);
    for thread in 0..3 {
        let here = counters.slot(thread) as *const Slot as usize;
        let next = counters.slot(thread + 1) as *const Slot as usize;
        assert_eq!(
            here % APART,
            0,
            "slot {thread} starts at an address that is not a multiple of {APART}"
        );
        assert!(
            next - here >= APART,
            "slots {thread} and {} are only {} bytes apart; they must be at least {APART}",
            thread + 1,
            next - here
        );
    }
}

// --- One thread: what a counter does -------------------------------------------

#[test_support::test]
fn new_counters_start_at_zero() {
    let counters = Counters::new(3);
    assert_eq!(counters.total(), 0);
    for thread in 0..3 {
        assert_eq!(counters.slot(thread).get(), 0);
    }
}

#[test_support::test]
fn each_thread_counts_in_its_own_slot() {
    let counters = Counters::new(3);
    for _ in 0..5 {
        counters.slot(1).increment();
    }
    counters.slot(2).increment();
    assert_eq!(counters.slot(0).get(), 0);
    assert_eq!(counters.slot(1).get(), 5);
    assert_eq!(counters.slot(2).get(), 1);
    assert_eq!(counters.total(), 6);
}

// --- Several threads: the counts add up exactly -------------------------------

/// `threads` threads each bump their own slot `per_thread` times; every count
/// must be exact once they have all been joined.
fn count_in_parallel(threads: usize, per_thread: u64) {
    let counters = Arc::new(Counters::new(threads));
    let mut running = Threads::new();
    for thread in 0..threads {
        let counters = Arc::clone(&counters);
        running.spawn(&format!("counter-{thread}"), move || {
            let slot = counters.slot(thread);
            for step in 0..per_thread {
                slot.increment();
                if step % 1024 == 0 {
                    progress();
                }
            }
        });
    }
    running.join();
    for thread in 0..threads {
        assert_eq!(
            counters.slot(thread).get(),
            per_thread,
            "thread {thread}'s count is wrong: did an increment land in another slot?"
        );
    }
    assert_eq!(counters.total(), threads as u64 * per_thread);
}

#[test_support::test]
fn stress_two_threads_count_exactly() {
    stress::repeat(20, |_| count_in_parallel(2, stress::scaled(100_000) as u64));
}

#[test_support::test]
fn stress_four_threads_count_exactly() {
    stress::repeat(20, |_| count_in_parallel(4, stress::scaled(50_000) as u64));
}
