//! The quiz answers that loom backs: every interleaving (within the preemption
//! bound), and the values each load may read under the C++20 model as loom
//! implements it. "can" tests show the outcome in at least one execution;
//! "never" tests check every execution loom explores. None of them uses
//! `SeqCst` loads, stores or read-modify-writes, for either kind of answer:
//! loom weakens those to `AcqRel`, which allows outcomes `SeqCst` forbids. It
//! models `fence(SeqCst)`, which the store-buffering tests use.
#![cfg(loom)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering as StdOrdering};
use std::sync::{Arc, Mutex};

use quiz_checks::{
    Increment, last_drop_misses_a_use, message_passing, read_read_coherence, store_buffering,
    two_increments,
};
use test_support::sync::atomic::Ordering;

/// Runs `execution` in every loom execution; true if any of them returned true.
fn seen_in_some_execution(execution: impl Fn() -> bool + Send + Sync + 'static) -> bool {
    // A std atomic, outside the model: it records across executions, and loom
    // does not explore its interleavings. One per call, since tests run in parallel.
    let seen = Arc::new(AtomicBool::new(false));
    let record = Arc::clone(&seen);
    test_support::model(move || {
        if execution() {
            record.store(true, StdOrdering::SeqCst);
        }
    });
    seen.load(StdOrdering::SeqCst)
}

#[test]
fn mp_relaxed_can_read_stale() {
    assert!(seen_in_some_execution(|| {
        message_passing(Ordering::Relaxed, Ordering::Relaxed) == 0
    }));
}

#[test]
fn mp_release_store_relaxed_load_can_read_stale() {
    assert!(seen_in_some_execution(|| {
        message_passing(Ordering::Release, Ordering::Relaxed) == 0
    }));
}

#[test]
fn mp_release_acquire_never_reads_stale() {
    test_support::model(|| {
        assert_eq!(message_passing(Ordering::Release, Ordering::Acquire), 1);
    });
}

#[test]
fn sb_relaxed_can_both_read_zero() {
    assert!(seen_in_some_execution(|| {
        store_buffering(Ordering::Relaxed, Ordering::Relaxed, None) == (0, 0)
    }));
}

#[test]
fn sb_release_acquire_can_both_read_zero() {
    assert!(seen_in_some_execution(|| {
        store_buffering(Ordering::Release, Ordering::Acquire, None) == (0, 0)
    }));
}

#[test]
fn sb_acqrel_fences_can_both_read_zero() {
    assert!(seen_in_some_execution(|| {
        store_buffering(Ordering::Relaxed, Ordering::Relaxed, Some(Ordering::AcqRel)) == (0, 0)
    }));
}

#[test]
fn sb_seqcst_fences_never_both_read_zero() {
    test_support::model(|| {
        assert_ne!(
            store_buffering(Ordering::Relaxed, Ordering::Relaxed, Some(Ordering::SeqCst)),
            (0, 0)
        );
    });
}

#[test]
fn corr_relaxed_reads_exactly_the_forward_pairs() {
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let record = Arc::clone(&seen);
    test_support::model(move || {
        let pair = read_read_coherence(Ordering::Relaxed, Ordering::Relaxed);
        record.lock().unwrap().insert(pair);
    });
    // Every pair that does not go back in the order 0, 1, 2, and no other.
    let forward: BTreeSet<(usize, usize)> = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)].into();
    assert_eq!(*seen.lock().unwrap(), forward);
}

#[test]
fn relaxed_fetch_add_never_loses_an_increment() {
    test_support::model(|| {
        assert_eq!(two_increments(Increment::FetchAdd(Ordering::Relaxed)), 2);
    });
}

#[test]
fn arc_relaxed_decrement_can_miss_a_use() {
    assert!(seen_in_some_execution(|| {
        last_drop_misses_a_use(Ordering::Relaxed, None)
    }));
}

#[test]
fn arc_release_decrement_without_fence_can_miss_a_use() {
    assert!(seen_in_some_execution(|| {
        last_drop_misses_a_use(Ordering::Release, None)
    }));
}

#[test]
fn arc_relaxed_decrement_with_acquire_fence_can_miss_a_use() {
    assert!(seen_in_some_execution(|| {
        last_drop_misses_a_use(Ordering::Relaxed, Some(Ordering::Acquire))
    }));
}

#[test]
fn arc_release_decrement_acquire_fence_never_misses_a_use() {
    test_support::model(|| {
        assert!(!last_drop_misses_a_use(
            Ordering::Release,
            Some(Ordering::Acquire)
        ));
    });
}

#[test]
fn arc_acqrel_decrement_never_misses_a_use() {
    test_support::model(|| {
        assert!(!last_drop_misses_a_use(Ordering::AcqRel, None));
    });
}
