//! Loom models of the semaphore: every interleaving of a few threads (up to
//! loom's preemption bound). A thread left asleep with nobody to wake it makes
//! loom report a deadlock, which is how a lost wake-up shows up here.
//!
//! loom's `Condvar` never wakes a thread spuriously and wakes waiters in the
//! order they went to sleep, so an `acquire` that does not look again after
//! waking is caught only where a thread that was *not* asleep can take the
//! permit between the notification and the woken thread's return. Both
//! multi-waiter models below contain such a thread. The loom tier builds with
//! overflow checks (`--profile loom`), so the woken thread's `- 1` on a count of
//! 0 panics with "attempt to subtract with overflow".
//!
//! Run with `cargo workbook check semaphore`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use semaphore::Semaphore;
use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicUsize, Ordering};
use test_support::{model, thread};

#[test_support::test]
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

#[test_support::test]
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
        // A waiter that has not gone to sleep yet can take the first permit
        // before the woken waiter gets the lock back; a woken waiter that does
        // not look again then takes a permit that is not there, and the count
        // underflows.
        assert_eq!(semaphore.available(), 0);
    });
}

/// Three threads (the model's own and two spawned) share one permit. While one
/// holds it, a second can be asleep in `acquire` and the third not yet there;
/// the release wakes the sleeper, and the third can take the permit before the
/// sleeper gets the lock back. Only a sleeper that looks at the count again
/// leaves the permit alone.
#[test_support::test]
fn one_permit_one_holder() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let holders = Arc::new(AtomicUsize::new(0));
        let hold = {
            let (semaphore, holders) = (Arc::clone(&semaphore), Arc::clone(&holders));
            move || {
                let _permit = semaphore.acquire();
                let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                assert_eq!(now, 1, "two threads hold the only permit");
                holders.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let threads: Vec<_> = (0..2).map(|_| thread::spawn(hold.clone())).collect();
        hold();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(semaphore.available(), 1);
    });
}
