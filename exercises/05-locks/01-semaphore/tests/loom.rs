//! Loom models of the semaphore: every interleaving of a few threads (up to
//! loom's preemption bound). A thread left asleep with nobody to wake it makes
//! loom report a deadlock, which is how a lost wake-up shows up here.
//!
//! Run with `cargo workbook check semaphore`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use semaphore::Semaphore;
use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicUsize, Ordering};
use test_support::{model, thread};

#[test]
fn a_release_wakes_the_waiter() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let sem = Arc::clone(&semaphore);
        let waiter = thread::spawn(move || sem.acquire().forget());
        semaphore.release();
        waiter.join().unwrap();
        assert_eq!(semaphore.available(), 0);
    });
}

#[test]
fn two_releases_wake_two_waiters() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let sem = Arc::clone(&semaphore);
                thread::spawn(move || sem.acquire().forget())
            })
            .collect();
        semaphore.release();
        semaphore.release();
        for waiter in waiters {
            waiter.join().unwrap();
        }
        // A waiter that took a permit without looking again after waking up
        // leaves the count wrong (in a release build it wraps round).
        assert_eq!(semaphore.available(), 0);
    });
}

#[test]
fn one_permit_one_holder() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let holders = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (sem, holders) = (Arc::clone(&semaphore), Arc::clone(&holders));
                thread::spawn(move || {
                    let _permit = sem.acquire();
                    let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                    assert_eq!(now, 1, "two threads hold the only permit");
                    holders.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(semaphore.available(), 1);
    });
}
