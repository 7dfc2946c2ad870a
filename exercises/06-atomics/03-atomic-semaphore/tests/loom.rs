//! Loom models of the semaphore: every interleaving of a few threads (up to
//! loom's preemption bound), and every value each atomic load may return. A
//! thread left asleep with nobody to wake it makes loom report a deadlock,
//! which is how a lost wake-up shows up here; a permit's new holder that does
//! not see its last holder's writes is reported as a causality violation.
//!
//! Run with `cargo workbook check atomic-semaphore`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use atomic_semaphore::Semaphore;
use test_support::cell::UnsafeCell;
use test_support::sync::Arc;
use test_support::{model, thread};

#[test_support::test]
fn a_release_wakes_the_sleeper() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let sem = Arc::clone(&semaphore);
        let sleeper = thread::spawn(move || sem.acquire().forget());
        semaphore.release();
        sleeper.join().unwrap();
        assert_eq!(semaphore.available(), 0);
        assert_eq!(semaphore.sleepers(), 0);
    });
}

#[test_support::test]
fn two_releases_wake_two_sleepers() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let sleepers: Vec<_> = (0..2)
            .map(|_| {
                let sem = Arc::clone(&semaphore);
                thread::spawn(move || {
                    sem.acquire().forget();
                    // Two releases in all, and this thread holds one of them.
                    let free = sem.available();
                    assert!(
                        free <= 1,
                        "{free} permits free after two releases, one of them taken: the \
                         count went below zero, so an acquire took a permit that was not free"
                    );
                })
            })
            .collect();
        semaphore.release();
        semaphore.release();
        for sleeper in sleepers {
            sleeper.join().unwrap();
        }
        assert_eq!(semaphore.available(), 0);
        assert_eq!(semaphore.sleepers(), 0);
    });
}

/// A counter that only the holder of the one permit touches.
struct Guarded {
    semaphore: Semaphore,
    count: UnsafeCell<u32>,
}

// SAFETY: `count` is only touched by the holder of the semaphore's only permit,
// which is what this model checks (loom reports any access that is not ordered
// after the previous one).
unsafe impl Sync for Guarded {}

#[test_support::test]
fn one_permit_hands_the_data_on() {
    model(|| {
        let guarded = Arc::new(Guarded {
            semaphore: Semaphore::new(1),
            count: UnsafeCell::new(0),
        });
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let guarded = Arc::clone(&guarded);
                thread::spawn(move || {
                    let _permit = guarded.semaphore.acquire();
                    // SAFETY: we hold the only permit.
                    guarded.count.with_mut(|count| unsafe { *count += 1 });
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        // SAFETY: both threads are joined.
        let count = guarded.count.with(|count| unsafe { *count });
        assert_eq!(count, 2);
        assert_eq!(guarded.semaphore.available(), 1);
    });
}
