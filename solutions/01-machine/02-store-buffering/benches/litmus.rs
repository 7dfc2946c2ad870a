//! The store-buffering litmus test, run natively: how often do both threads
//! read `false`, with Relaxed orderings and with the solution's?
//!
//! `cargo workbook bench store-buffering`, or on its own
//! `LITMUS_ROUNDS=10000 cargo bench -p store-buffering-solution --bench litmus`.
//!
//! Two long-lived threads, pinned to two cores where possible, run `ROUNDS`
//! rounds (`LITMUS_ROUNDS`, a million by default) of each version. Each round
//! the main thread lowers both flags and starts the round; each side waits a few
//! (varying) spins, so that the two stores land close together, then runs its
//! half. A count above zero for Relaxed shows the hardware's store buffers at
//! work; the fixed version must print zero, always. A zero for Relaxed proves
//! nothing: the outcome is allowed, not promised.
//!
//! Each count is also passed to [`bench_support::record_count`], so that
//! `cargo workbook bench` records it in the machine's results file, which names
//! the machine.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use store_buffering_solution::store_then_load;

/// A version of one side of the test.
type Side = fn(&AtomicBool, &AtomicBool) -> bool;

/// The shipped exercise: both accesses Relaxed.
fn relaxed(mine: &AtomicBool, theirs: &AtomicBool) -> bool {
    // Relaxed: on purpose; this is the version that lets both loads read false.
    mine.store(true, Ordering::Relaxed);
    // Relaxed: on purpose, as above.
    theirs.load(Ordering::Relaxed)
}

struct Shared {
    x: AtomicBool,
    y: AtomicBool,
    /// The number of the round the peer may start.
    start: AtomicU64,
    /// The number of the last round the peer has finished.
    done: AtomicU64,
    /// What the peer read in that round.
    peer_read: AtomicBool,
}

/// A few spins, a different number each round, so that the two sides' stores
/// meet at varying distances.
fn jitter(state: &mut u64) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    for _ in 0..(*state % 8) {
        spin_loop();
    }
}

/// Runs `rounds` rounds of `side` and returns how many ended with both threads
/// reading false.
fn count_both_false(side: Side, rounds: u64, cores: &[core_affinity::CoreId]) -> u64 {
    let shared = Shared {
        x: AtomicBool::new(false),
        y: AtomicBool::new(false),
        start: AtomicU64::new(0),
        done: AtomicU64::new(0),
        peer_read: AtomicBool::new(false),
    };
    thread::scope(|s| {
        let shared = &shared;
        let peer_core = cores.get(1).copied();
        s.spawn(move || {
            if let Some(core) = peer_core {
                core_affinity::set_for_current(core);
            }
            let mut seed = 0x9e37_79b9_7f4a_7c15;
            for round in 1..=rounds {
                // Acquire: pairs with the main thread's Release store of `start`,
                // so its lowering of both flags is visible before we run.
                while shared.start.load(Ordering::Acquire) != round {
                    spin_loop();
                }
                jitter(&mut seed);
                let read = side(&shared.y, &shared.x);
                // Relaxed: published by the Release store of `done` just below.
                shared.peer_read.store(read, Ordering::Relaxed);
                // Release: pairs with the main thread's Acquire load of `done`;
                // publishes `peer_read` and ends our use of the flags.
                shared.done.store(round, Ordering::Release);
            }
        });
        let mut both_false = 0;
        let mut seed = 0x2545_f491_4f6c_dd1d;
        for round in 1..=rounds {
            // Relaxed: published by the Release store of `start` just below.
            shared.x.store(false, Ordering::Relaxed);
            shared.y.store(false, Ordering::Relaxed);
            // Release: pairs with the peer's Acquire load of `start`.
            shared.start.store(round, Ordering::Release);
            jitter(&mut seed);
            let read = side(&shared.x, &shared.y);
            // Acquire: pairs with the peer's Release store of `done`.
            while shared.done.load(Ordering::Acquire) != round {
                spin_loop();
            }
            // Relaxed: ordered by the Acquire load of `done` above.
            if !read && !shared.peer_read.load(Ordering::Relaxed) {
                both_false += 1;
            }
        }
        both_false
    })
}

fn main() {
    // Not from the arguments: `cargo bench` passes its own, such as `--bench`.
    let rounds: u64 = std::env::var("LITMUS_ROUNDS")
        .ok()
        .map(|rounds| {
            rounds
                .parse()
                .expect("LITMUS_ROUNDS must be a whole number")
        })
        .unwrap_or(1_000_000);
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    if let [main_core, _, ..] = cores[..] {
        core_affinity::set_for_current(main_core);
    } else {
        println!("fewer than two cores: both sides share one, and the count will be 0");
    }
    println!("rounds per version: {rounds}");
    for (variant, name, side) in [
        ("relaxed", "Relaxed store, Relaxed load", relaxed as Side),
        (
            "solution-seqcst",
            "the solution (SeqCst)",
            store_then_load as Side,
        ),
    ] {
        let both_false = count_both_false(side, rounds, &cores);
        println!("{name:<28} both read false in {both_false} of {rounds} rounds");
        bench_support::record_count("store-buffering/litmus", variant, both_false, rounds);
    }
}
