//! The store-buffering litmus test's specification. The solution runs these
//! same tests.
//!
//! A test cannot prove "both threads read `false` never happens" by running the
//! threads: a passing run may just have been lucky. So the first tests check the
//! chosen orderings against the rule of Rust's (C++20's) memory model, which is
//! deterministic; the last one runs the real threads and asserts only the
//! outcome that must never happen. Miri, in `cargo workbook check`, runs them
//! again with a weak-memory emulation that does produce the bad outcome when the
//! orderings allow it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use store_buffering::{FENCE, LOAD, STORE, store_then_load};
use test_support::deadline::{self, Threads};
use test_support::stress;
use test_support::sync::atomic::AtomicBool;

#[test_support::test]
fn the_orderings_are_ones_rust_accepts() {
    assert!(
        matches!(
            STORE,
            Ordering::Relaxed | Ordering::Release | Ordering::SeqCst
        ),
        "STORE is {STORE:?}: a store accepts only Relaxed, Release or SeqCst, and panics on {STORE:?}"
    );
    assert!(
        matches!(
            LOAD,
            Ordering::Relaxed | Ordering::Acquire | Ordering::SeqCst
        ),
        "LOAD is {LOAD:?}: a load accepts only Relaxed, Acquire or SeqCst, and panics on {LOAD:?}"
    );
    assert_ne!(
        FENCE,
        Some(Ordering::Relaxed),
        "a Relaxed fence orders nothing, and `fence(Relaxed)` panics; use None for no fence"
    );
}

/// The rule, from the memory model: the single total order S of SeqCst
/// operations forbids "both read false" only when, in each thread, the store and
/// the load are separated in S: both accesses are SeqCst, or a SeqCst fence sits
/// between them. Release and Acquire order a thread's *earlier* accesses before
/// a store and its *later* accesses after a load; neither keeps a load from
/// being satisfied before an earlier store is visible.
#[test_support::test]
fn the_orderings_forbid_both_threads_reading_false() {
    let accesses_in_s = STORE == Ordering::SeqCst && LOAD == Ordering::SeqCst;
    let fence_in_s = FENCE == Some(Ordering::SeqCst);
    assert!(
        accesses_in_s || fence_in_s,
        "with STORE = {STORE:?}, FENCE = {FENCE:?}, LOAD = {LOAD:?} both threads may read \
         false: nothing stops each load from running before the other thread's store is \
         visible. Look at which orderings take part in the single total order of \
         sequentially consistent operations."
    );
}

#[test_support::test]
fn one_thread_alone_reads_what_it_should() {
    let mine = AtomicBool::new(false);
    let theirs = AtomicBool::new(false);
    assert!(
        !store_then_load(&mine, &theirs),
        "store_then_load(&mine, &theirs) returned true, but nobody had raised `theirs`: \
         its load of `theirs` must read false"
    );
    assert!(
        store_then_load(&theirs, &mine),
        "store_then_load(&theirs, &mine) returned false, but `mine` was raised just before \
         on this same thread: its load of `mine` must read true"
    );
}

/// Each round's two flags, `false` until that round's threads raise them.
#[derive(Default)]
struct Flags {
    x: AtomicBool,
    y: AtomicBool,
}

/// What the two sides share for a whole run of rounds. The two threads stay
/// alive from the first round to the last and start each round together, so
/// that their stores and loads really overlap: threads spawned afresh for each
/// round would mostly run one after the other.
struct Rounds {
    /// A fresh pair of flags per round.
    flags: Vec<Flags>,
    /// How many rounds side B may start, or `NO_MORE_ROUNDS`.
    started: AtomicUsize,
    /// How many rounds side B has finished.
    finished: AtomicUsize,
    /// What side B read in each round.
    b_read: Vec<std::sync::atomic::AtomicBool>,
}

/// What side A stores in `started` when it stops early.
const NO_MORE_ROUNDS: usize = usize::MAX;

/// How long the rounds may take before side A stops starting new ones (after
/// `MIN_ROUNDS`): on a busy machine the two threads rarely run at once, so
/// more rounds there cost time and find little. Miri runs all of its few.
const BUDGET: Duration = if cfg!(miri) {
    Duration::MAX
} else {
    Duration::from_secs(2)
};
const MIN_ROUNDS: usize = 100;

/// Spins until `ready()`, yielding now and then, so that the two sides still
/// take turns when they share one core.
fn wait_until(ready: impl Fn() -> bool) {
    let mut spins = 0_u32;
    while !ready() {
        spins = spins.wrapping_add(1);
        if spins % 16 == 0 {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

/// A few spins, a different number each round, so that the two stores meet at
/// varying distances.
fn jitter(state: &mut u64) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    for _ in 0..*state % 16 {
        std::hint::spin_loop();
    }
}

/// Runs up to `rounds` rounds of the litmus test on two long-lived threads, and
/// returns how many ran and the numbers of those in which both threads read
/// `false`.
fn rounds_where_both_read_false(rounds: usize) -> (usize, Vec<usize>) {
    let shared = Arc::new(Rounds {
        flags: (0..rounds).map(|_| Flags::default()).collect(),
        started: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        b_read: (0..rounds).map(|_| Default::default()).collect(),
    });
    let outcome = Arc::new(std::sync::Mutex::new((0, Vec::new())));
    let mut threads = Threads::new();
    let (a_shared, a_outcome) = (Arc::clone(&shared), Arc::clone(&outcome));
    threads.spawn("a", move || {
        let mut seed = 0x2545_f491_4f6c_dd1d;
        let began = Instant::now();
        for (round, flags) in a_shared.flags.iter().enumerate() {
            if round >= MIN_ROUNDS && began.elapsed() >= BUDGET {
                eprintln!("stopped after {round} rounds: {BUDGET:?} had passed (a busy machine)");
                // Release: pairs with B's Acquire load of `started`, like a round.
                a_shared.started.store(NO_MORE_ROUNDS, Ordering::Release);
                break;
            }
            // Release: pairs with B's Acquire load of `started`; B starts the
            // round only after A has finished with the one before.
            a_shared.started.store(round + 1, Ordering::Release);
            jitter(&mut seed);
            let a_read = store_then_load(&flags.x, &flags.y);
            // Acquire: pairs with B's Release store of `finished`, so B's
            // `b_read` for this round is visible below.
            wait_until(|| a_shared.finished.load(Ordering::Acquire) > round);
            // Relaxed: ordered by the Acquire load of `finished` above.
            let b_read = a_shared.b_read[round].load(Ordering::Relaxed);
            let mut outcome = a_outcome.lock().unwrap();
            outcome.0 = round + 1;
            if !a_read && !b_read {
                outcome.1.push(round + 1);
            }
            drop(outcome);
            deadline::progress();
        }
    });
    threads.spawn("b", move || {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for (round, flags) in shared.flags.iter().enumerate() {
            // Acquire: pairs with A's Release store of `started`.
            wait_until(|| shared.started.load(Ordering::Acquire) > round);
            // Relaxed: A stores `NO_MORE_ROUNDS` only after every round B ran.
            if shared.started.load(Ordering::Relaxed) == NO_MORE_ROUNDS {
                break;
            }
            jitter(&mut seed);
            let b_read = store_then_load(&flags.y, &flags.x);
            // Relaxed: published by the Release store of `finished` just below.
            shared.b_read[round].store(b_read, Ordering::Relaxed);
            // Release: pairs with A's Acquire load of `finished`.
            shared.finished.store(round + 1, Ordering::Release);
            deadline::progress();
        }
    });
    threads.join();
    outcome.lock().unwrap().clone()
}

#[test_support::test]
fn stress_both_threads_never_read_false() {
    let (rounds, both_false) = rounds_where_both_read_false(stress::scaled(20_000));
    assert!(
        both_false.is_empty(),
        "both threads read false in {} of {rounds} rounds (the first: round {}): each load \
         ran before the other thread's store was visible",
        both_false.len(),
        both_false[0]
    );
}
