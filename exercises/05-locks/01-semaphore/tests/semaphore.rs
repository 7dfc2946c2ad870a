//! The semaphore's specification: what one thread sees, a waiter and a
//! releaser on two threads, and many threads checking that no more of them hold
//! a permit at once than there are permits. The solution runs these same tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use semaphore::Semaphore;
use test_support::deadline::Threads;
use test_support::random::{Seed, jitter};
use test_support::stress;

// --- One thread: counting -------------------------------------------------------

#[test_support::test]
fn a_new_semaphore_has_all_its_permits() {
    for permits in [0, 1, 3] {
        assert_eq!(Semaphore::new(permits).available(), permits);
    }
}

#[test_support::test]
fn a_dropped_permit_is_given_back() {
    let semaphore = Semaphore::new(2);
    let permit = semaphore.acquire();
    assert_eq!(semaphore.available(), 1, "acquire must take one permit");
    drop(permit);
    assert_eq!(
        semaphore.available(),
        2,
        "dropping a Permit must give its permit back (look at `impl Drop for Permit`)"
    );
}

#[test_support::test]
fn try_acquire_says_no_when_no_permit_is_left() {
    let semaphore = Semaphore::new(1);
    let first = semaphore.try_acquire();
    assert!(
        first.is_some(),
        "try_acquire returned None with one permit available: it must take that permit"
    );
    assert!(
        semaphore.try_acquire().is_none(),
        "the only permit is taken, so try_acquire must return None"
    );
    drop(first);
    assert!(
        semaphore.try_acquire().is_some(),
        "try_acquire returned None after the only Permit was dropped: dropping a Permit \
         must give its permit back"
    );
}

#[test_support::test]
fn release_adds_a_permit() {
    let semaphore = Semaphore::new(0);
    semaphore.release();
    assert_eq!(semaphore.available(), 1);
    assert!(semaphore.try_acquire().is_some());
}

#[test_support::test]
fn a_forgotten_permit_stays_taken() {
    let semaphore = Semaphore::new(1);
    semaphore.acquire().forget();
    assert_eq!(semaphore.available(), 0);
}

// --- Two threads: waiting and waking --------------------------------------------

/// How long a releaser waits before it releases, so that the waiter is (almost
/// always) asleep by then. The tests stay correct if it is not.
const PAUSE: Duration = Duration::from_millis(50);

/// Ample for these few short waits, and short enough that a stuck waiter is
/// reported quickly.
fn threads() -> Threads {
    Threads::with_limit(Duration::from_secs(5))
}

#[test_support::test]
fn acquire_waits_until_a_permit_is_released() {
    let semaphore = Arc::new(Semaphore::new(0));
    let released = Arc::new(AtomicBool::new(false));
    let mut threads = threads();
    let (sem, flag) = (Arc::clone(&semaphore), Arc::clone(&released));
    threads.spawn("releaser", move || {
        thread::sleep(PAUSE);
        flag.store(true, Ordering::SeqCst);
        sem.release();
    });
    let (sem, flag) = (Arc::clone(&semaphore), Arc::clone(&released));
    threads.spawn("waiter", move || {
        sem.acquire().forget();
        assert!(
            flag.load(Ordering::SeqCst),
            "acquire returned while no permit was available: it must wait for a release"
        );
    });
    threads.join();
}

#[test_support::test]
fn every_release_lets_one_waiter_through() {
    const WAITERS: usize = 4;
    let semaphore = Arc::new(Semaphore::new(0));
    let through = Arc::new(AtomicUsize::new(0));
    let mut threads = threads();
    for waiter in 0..WAITERS {
        let (sem, through) = (Arc::clone(&semaphore), Arc::clone(&through));
        threads.spawn(&format!("waiter {waiter}"), move || {
            sem.acquire().forget();
            through.fetch_add(1, Ordering::SeqCst);
        });
    }
    let sem = Arc::clone(&semaphore);
    threads.spawn("releaser", move || {
        for _ in 0..WAITERS {
            thread::sleep(PAUSE / 5);
            sem.release();
        }
    });
    // A waiter still asleep here missed its wake-up: `release` must wake one.
    threads.join();
    assert_eq!(through.load(Ordering::SeqCst), WAITERS);
    assert_eq!(
        semaphore.available(),
        0,
        "permits are left over (left) after {WAITERS} releases let {WAITERS} waiters through: \
         each waiter must take the permit that was released for it"
    );
}

#[test_support::test]
fn a_blocked_acquire_returns_once_a_holder_drops_its_permit() {
    let semaphore = Arc::new(Semaphore::new(1));
    let sem = Arc::clone(&semaphore);
    let mut threads = threads();
    threads.spawn("holder-with-waiter", move || {
        let held = sem.acquire();
        thread::scope(|scope| {
            scope.spawn(|| sem.acquire());
            thread::sleep(PAUSE);
            drop(held);
        });
    });
    threads.join();
    assert_eq!(semaphore.available(), 1);
}

// --- Many threads: never more holders than permits ------------------------------

#[test_support::test]
fn never_more_holders_than_permits() {
    const PERMITS: usize = 3;
    const THREADS: u64 = 8;
    let seed = Seed::from_env_or_random("never_more_holders_than_permits");
    let semaphore = Arc::new(Semaphore::new(PERMITS));
    let holders = Arc::new(AtomicUsize::new(0));
    let mut threads = Threads::new();
    for id in 0..THREADS {
        let (sem, holders) = (Arc::clone(&semaphore), Arc::clone(&holders));
        threads.spawn(&format!("worker {id}"), move || {
            let mut rng = seed.rng(id);
            for _ in 0..stress::scaled(400) {
                let permit = sem.acquire();
                let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                assert!(
                    now <= PERMITS,
                    "{now} threads hold a permit of a semaphore with {PERMITS}"
                );
                jitter(&mut rng, Duration::from_micros(20));
                holders.fetch_sub(1, Ordering::SeqCst);
                drop(permit);
                jitter(&mut rng, Duration::from_micros(20));
            }
        });
    }
    threads.join();
    let available = semaphore.available();
    assert_eq!(
        available, PERMITS,
        "after every Permit was dropped, {available} of {PERMITS} permits are available: \
         dropping a Permit must give its permit back"
    );
}
