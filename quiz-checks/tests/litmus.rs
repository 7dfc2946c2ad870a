//! The quiz answers that Miri backs, run on real threads too.
//!
//! "can" tests that need Miri's weak-memory emulation to produce the outcome
//! are ignored outside Miri (the hardware may never show it: x86-64's never
//! shows message passing's stale read); under Miri each of its fixed seeds must
//! show the outcome within the rounds. A "can" test whose outcome is an ordinary
//! interleaving, forced by the test's schedule, runs everywhere. "never" tests
//! run everywhere and must not see the outcome in any round; under Miri, with
//! every seed. They are samples, not proofs: a fixed number of rounds, on the
//! schedules this machine and Miri's seeds happen to produce.

use quiz_checks::{Increment, message_passing, store_buffering, two_increments};
use std::sync::atomic::Ordering;

/// Rounds within which a "can" test must see its outcome under Miri.
const MIRI_ROUNDS: usize = 100;

/// Rounds of a "never" test: fewer under Miri, where each round is slow but
/// weak-memory outcomes are far likelier than on the hardware.
const NEVER_ROUNDS: usize = if cfg!(miri) { 20 } else { 5_000 };

/// Runs `round` until it returns true; fails unless that happens within `rounds`.
fn assert_seen_within(rounds: usize, mut round: impl FnMut() -> bool) {
    match (1..=rounds).find(|_| round()) {
        Some(number) => eprintln!("seen in round {number} of at most {rounds}"),
        None => panic!("not seen in {rounds} rounds"),
    }
}

#[test]
#[cfg_attr(not(miri), ignore = "needs Miri's weak-memory emulation")]
fn mp_relaxed_can_read_stale() {
    assert_seen_within(MIRI_ROUNDS, || {
        message_passing(Ordering::Relaxed, Ordering::Relaxed) == 0
    });
}

#[test]
fn mp_release_acquire_never_reads_stale() {
    for _ in 0..NEVER_ROUNDS {
        assert_eq!(message_passing(Ordering::Release, Ordering::Acquire), 1);
    }
}

#[test]
#[cfg_attr(not(miri), ignore = "needs Miri's weak-memory emulation")]
fn sb_release_acquire_can_both_read_zero() {
    assert_seen_within(MIRI_ROUNDS, || {
        store_buffering(Ordering::Release, Ordering::Acquire, None) == (0, 0)
    });
}

#[test]
fn sb_seqcst_never_both_read_zero() {
    for _ in 0..NEVER_ROUNDS {
        assert_ne!(
            store_buffering(Ordering::SeqCst, Ordering::SeqCst, None),
            (0, 0)
        );
    }
}

#[test]
fn sb_seqcst_fences_never_both_read_zero() {
    for _ in 0..NEVER_ROUNDS {
        assert_ne!(
            store_buffering(Ordering::Relaxed, Ordering::Relaxed, Some(Ordering::SeqCst)),
            (0, 0)
        );
    }
}

/// `SeqCst` does not make a load and a later store one step. The lockstep
/// schedule (see [`Increment::LoadThenStoreInLockstep`]) runs the
/// interleaving load, load, store, store on every run, real threads or Miri.
/// Not a loom test: loom treats `SeqCst` as `AcqRel`, which allows more than
/// `SeqCst` does, so an outcome loom shows proves nothing about `SeqCst`.
#[test]
fn seqcst_load_then_store_can_lose_an_increment() {
    assert_eq!(
        two_increments(Increment::LoadThenStoreInLockstep(Ordering::SeqCst)),
        1
    );
}
