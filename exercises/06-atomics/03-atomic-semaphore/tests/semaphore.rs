//! The semaphore's specification: what one thread sees, waiting and waking on
//! two threads, and many threads checking that no more of them hold a permit
//! at once than there are permits. The solution runs these same tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use atomic_semaphore::Semaphore;
use test_support::deadline::{self, Threads};
use test_support::random::{Seed, jitter};
use test_support::stress;

// --- One thread: counting -------------------------------------------------------

#[test_support::test]
fn a_new_semaphore_has_all_its_permits() {
    for permits in [0, 1, 3] {
        let semaphore = Semaphore::new(permits);
        assert_eq!(semaphore.available(), permits);
        assert_eq!(semaphore.sleepers(), 0);
    }
}

#[test_support::test]
fn try_acquire_says_no_at_zero_and_leaves_the_count_alone() {
    let semaphore = Semaphore::new(1);
    let first = semaphore.try_acquire();
    assert!(
        first.is_some(),
        "one permit is free, so try_acquire must take it (under Miri, a weak \
         compare-exchange fails now and then although the value matches)"
    );
    assert!(
        semaphore.try_acquire().is_none(),
        "the only permit is taken, so try_acquire must return None"
    );
    assert_eq!(
        semaphore.available(),
        0,
        "a try_acquire that found no permit must leave the count at 0, not below"
    );
    assert_eq!(
        semaphore.sleepers(),
        0,
        "sleepers() is not 0 after two try_acquires on one thread: try_acquire must never \
         count itself as a sleeper"
    );
    drop(first);
    assert_eq!(
        semaphore.available(),
        1,
        "after the only Permit was dropped, the count of free permits (left) is not 1: \
         dropping a Permit must give its permit back"
    );
}

#[test_support::test]
fn try_acquire_takes_a_free_permit_every_time() {
    let semaphore = Semaphore::new(1);
    for attempt in 1..=20 {
        // The permit is dropped, and so given back, at the end of each turn.
        let permit = semaphore.try_acquire();
        assert!(
            permit.is_some(),
            "try_acquire found no permit on attempt {attempt}, with one permit free and \
             no other thread: a weak compare-exchange may fail although the value matches \
             (Miri makes it fail often), and one failed attempt is not a \"no\""
        );
    }
}

#[test_support::test]
fn release_adds_a_permit_and_forget_keeps_one() {
    let semaphore = Semaphore::new(0);
    semaphore.release();
    assert_eq!(semaphore.available(), 1);
    semaphore.acquire().forget();
    assert_eq!(semaphore.available(), 0);
}

// --- Two threads: sleeping and waking -------------------------------------------

/// Ample for these short waits, and short enough that a stuck sleeper is
/// reported quickly.
fn threads() -> Threads {
    Threads::with_limit(Duration::from_secs(5))
}

/// Waits until `semaphore` counts `sleepers` sleepers, or fails.
fn wait_for_sleepers(semaphore: &Semaphore, sleepers: usize) {
    let start = Instant::now();
    while semaphore.sleepers() < sleepers {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{} of {sleepers} threads count themselves as sleepers after 3 s: a blocked \
             acquire must spin only briefly, then count itself and sleep",
            semaphore.sleepers()
        );
        thread::sleep(Duration::from_millis(1));
    }
}

#[test_support::test]
fn a_blocked_acquire_sleeps_until_a_release() {
    let semaphore = Arc::new(Semaphore::new(0));
    let released = Arc::new(AtomicBool::new(false));
    let mut threads = threads();
    let (sem, flag) = (Arc::clone(&semaphore), Arc::clone(&released));
    threads.spawn("sleeper", move || {
        sem.acquire().forget();
        assert!(
            flag.load(Ordering::SeqCst),
            "acquire returned while no permit was free: it must wait for a release"
        );
    });
    wait_for_sleepers(&semaphore, 1);
    released.store(true, Ordering::SeqCst);
    semaphore.release();
    threads.join();
    assert_eq!(
        semaphore.available(),
        0,
        "permits are free (left) after the one released permit woke the sleeper: the \
         sleeper must take the permit it was woken for"
    );
    assert_eq!(
        semaphore.sleepers(),
        0,
        "sleepers() is not 0 after the sleeper took its permit and returned: a woken \
         sleeper must stop counting itself"
    );
}

#[test_support::test]
fn every_release_lets_one_sleeper_through() {
    const SLEEPERS: usize = 4;
    let semaphore = Arc::new(Semaphore::new(0));
    let mut threads = threads();
    for sleeper in 0..SLEEPERS {
        let sem = Arc::clone(&semaphore);
        threads.spawn(&format!("sleeper {sleeper}"), move || {
            sem.acquire().forget()
        });
    }
    wait_for_sleepers(&semaphore, SLEEPERS);
    for _ in 0..SLEEPERS {
        semaphore.release();
    }
    // A sleeper still asleep here missed its wake-up.
    threads.join();
    assert_eq!(
        semaphore.available(),
        0,
        "permits are left over (left) after {SLEEPERS} releases let {SLEEPERS} sleepers \
         through: each sleeper must take the permit that was released for it"
    );
    assert_eq!(semaphore.sleepers(), 0);
}

#[test_support::test]
fn try_acquire_does_not_wait_while_others_sleep() {
    let semaphore = Arc::new(Semaphore::new(0));
    let mut threads = threads();
    let sem = Arc::clone(&semaphore);
    threads.spawn("sleeper", move || sem.acquire().forget());
    wait_for_sleepers(&semaphore, 1);
    let sem = Arc::clone(&semaphore);
    let answers = deadline::within("try_acquire", move || {
        (0..1000).filter(|_| sem.try_acquire().is_some()).count()
    });
    assert_eq!(answers, 0, "no permit is free, so try_acquire must say no");
    semaphore.release();
    threads.join();
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
            for round in 0..stress::scaled(2000) {
                // Half the time the patient way, half the impatient one.
                let permit = if round % 2 == 0 {
                    sem.acquire()
                } else if let Some(permit) = sem.try_acquire() {
                    permit
                } else {
                    continue;
                };
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
    assert_eq!(
        semaphore.sleepers(),
        0,
        "sleepers() is not 0 after every thread finished: a thread must stop counting \
         itself as a sleeper once it wakes"
    );
}
