//! The spin lock's specification: one-thread unit tests, compile checks of its
//! `Send`/`Sync` rules, and a stress test in which threads increment a plain
//! (non-atomic) counter through the lock. The solution runs these same tests.

use std::sync::Arc;

use spin_lock::SpinLock;
use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;
use test_support::deadline::{Threads, progress};
use test_support::stress;

// --- One thread: what a lock does -------------------------------------------------

#[test_support::test]
fn a_guard_reads_and_writes_the_value() {
    let lock = SpinLock::new(vec![1, 2]);
    lock.lock().push(3);
    assert_eq!(*lock.lock(), [1, 2, 3]);
}

#[test_support::test]
fn try_lock_fails_while_a_guard_is_alive() {
    let lock = SpinLock::new(0);
    let guard = lock.lock();
    assert!(
        lock.try_lock().is_none(),
        "try_lock succeeded while a guard from lock() was alive: two guards means two \
         threads could both have &mut to the value. Does lock() mark the lock as taken?"
    );
    drop(guard);
}

#[test_support::test]
fn a_second_try_lock_fails_while_the_first_guard_is_alive() {
    let lock = SpinLock::new(0);
    let first = lock.try_lock().expect(
        "try_lock failed on a new lock, which is free (under Miri, a weak \
         compare-exchange fails now and then although the value matches)",
    );
    assert!(
        lock.try_lock().is_none(),
        "try_lock succeeded twice: does try_lock mark the lock as taken?"
    );
    drop(first);
}

#[test_support::test]
fn dropping_the_guard_unlocks() {
    let lock = SpinLock::new(0);
    *lock.lock() += 1;
    let guard = lock.try_lock();
    assert!(
        guard.is_some(),
        "try_lock failed although no guard was alive: does dropping the guard unlock? \
         (Under Miri, a weak compare-exchange also fails now and then although the value \
         matches.)"
    );
    assert_eq!(*guard.unwrap(), 1);
    // A second lock() must not spin forever either.
    *lock.lock() += 1;
    assert_eq!(lock.into_inner(), 2);
}

#[test_support::test]
fn into_inner_returns_the_value() {
    let lock = SpinLock::new(String::from("kept"));
    lock.lock().push('!');
    assert_eq!(lock.into_inner(), "kept!");
}

// --- The compiler: which types may be shared and sent -----------------------------

#[test_support::test]
fn send_and_sync_follow_the_rules() {
    compile::check(
        crate_under_test!("spin_lock"),
        &[
            Case {
                name: "lock_of_cell_is_sync",
                why: "The lock hands the value to one thread at a time, so sharing the lock \
                  needs T: Send only. Cell<u8> is Send but not Sync, and a SpinLock of it \
                  must still be Sync.",
                code: "fn f() { assert_sync::<spin_lock::SpinLock<std::cell::Cell<u8>>>(); }",
                expect: Compiles,
            },
            Case {
                name: "lock_of_rc_is_not_sync",
                why: "Two threads taking turns with an Rc could each clone it, and the \
                  clones would update one count without synchronisation. Rc is not Send, \
                  so a SpinLock of it must not be Sync.",
                code: "fn f() { assert_sync::<spin_lock::SpinLock<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "lock_is_send_when_t_is_send",
                why: "Moving the lock moves the value, which is fine when T: Send.",
                code: "fn f() { assert_send::<spin_lock::SpinLock<std::cell::Cell<u8>>>(); }",
                expect: Compiles,
            },
            Case {
                name: "lock_of_rc_is_not_send",
                why: "Moving a lock that holds an Rc would move the Rc.",
                code: "fn f() { assert_send::<spin_lock::SpinLock<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "shared_by_scoped_threads",
                why: "Threads that borrow one lock must be able to use it.",
                code: "fn f() {
                let lock = spin_lock::SpinLock::new(0u32);
                std::thread::scope(|s| {
                    s.spawn(|| *lock.lock() += 1);
                    s.spawn(|| *lock.lock() += 1);
                });
                assert_eq!(lock.into_inner(), 2);
            }",
                expect: Compiles,
            },
            Case {
                name: "guard_is_not_send",
                why: "Like std's MutexGuard, the guard must stay on the thread that \
                  locked, so SpinGuard must not be Send (the book's page says why; the \
                  last hint says how).",
                code: "fn f<'a>() { assert_send::<spin_lock::SpinGuard<'a, u8>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "guard_cannot_outlive_its_lock",
                why: "A guard borrows its lock; the lock must not be moved away or \
                  dropped while a guard lives.",
                code: "fn f() {
                let lock = spin_lock::SpinLock::new(0u8);
                let guard = lock.lock();
                let value = lock.into_inner();
                drop(guard);
                let _ = value;
            }",
                expect: Error("E0505"),
            },
        ],
    );
}

// --- Many threads: mutual exclusion -----------------------------------------------

/// `threads` threads each add 1 to a plain `u64` `per_thread` times, half through
/// `lock` and half through a `try_lock` loop. A lost update means two threads were
/// inside the lock at once, or one did not see the last holder's write.
fn count_together(threads: usize, per_thread: u64) {
    let lock = Arc::new(SpinLock::new(0u64));
    let mut running = Threads::new();
    for id in 0..threads {
        let lock = Arc::clone(&lock);
        running.spawn(&format!("incrementer {id}"), move || {
            for step in 0..per_thread {
                if step % 2 == 0 {
                    *lock.lock() += 1;
                } else {
                    let mut guard = loop {
                        if let Some(guard) = lock.try_lock() {
                            break guard;
                        }
                        std::hint::spin_loop();
                    };
                    *guard += 1;
                }
                progress();
            }
        });
    }
    running.join();
    let lock = Arc::into_inner(lock).expect("a clone of the Arc outlived its thread");
    assert_eq!(
        lock.into_inner(),
        threads as u64 * per_thread,
        "updates were lost: two threads were inside the lock at once, or one did not \
         see the last holder's write (look at the orderings)"
    );
}

#[test_support::test]
fn threads_never_lose_an_update() {
    stress::repeat(20, |_| count_together(4, stress::scaled(2_000) as u64));
}
