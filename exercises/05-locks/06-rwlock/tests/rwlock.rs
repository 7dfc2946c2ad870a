//! The RwLock's specification: one-thread tests, compile checks of its `Send`
//! and `Sync` bounds, a scripted scenario that shows writer preference, and a
//! stress test of readers and writers. The solution runs these same tests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rwlock::RwLock;
use test_support::compile::{self, Case, Expect};
use test_support::crate_under_test;
use test_support::deadline::Threads;
use test_support::stress;

// --- One thread: what a readers-writer lock does --------------------------------

#[test_support::test]
fn two_readers_can_hold_the_lock_at_once() {
    let lock = RwLock::new(5);
    let first = lock.read();
    let second = lock.try_read().expect(
        "try_read returned None while only a reader held the lock: a second reader must be let in",
    );
    assert_eq!((*first, *second), (5, 5));
}

#[test_support::test]
fn a_writer_changes_what_later_readers_see() {
    let lock = RwLock::new(vec![1]);
    lock.write().push(2);
    assert_eq!(*lock.read(), [1, 2]);
}

#[test_support::test]
fn a_writer_excludes_everyone_else() {
    let lock = RwLock::new(0);
    let writer = lock.write();
    assert!(lock.try_read().is_none(), "a reader got in beside a writer");
    assert!(lock.try_write().is_none(), "a second writer got in");
    drop(writer);
    assert!(lock.try_write().is_some(), "the lock stayed held after the writer left");
}

#[test_support::test]
fn a_reader_keeps_writers_out() {
    let lock = RwLock::new(0);
    let reader = lock.read();
    assert!(lock.try_write().is_none(), "a writer got in beside a reader");
    drop(reader);
    assert!(lock.try_write().is_some(), "the lock stayed held after the reader left");
}

// --- The compiler: Send and Sync -------------------------------------------------

#[test_support::test]
fn compile_checks_send_and_sync() {
    compile::check(
        crate_under_test!("rwlock"),
        &[
            Case {
                name: "plain_data_is_shared",
                why: "RwLock<u32> must be Send and Sync, or no thread could share it.",
                code: "fn f() { assert_send::<rwlock::RwLock<u32>>(); \
                       assert_sync::<rwlock::RwLock<u32>>(); }",
                expect: Expect::Compiles,
            },
            Case {
                name: "unsized_values_work",
                why: "RwLock<T> should accept T: ?Sized, as std's does.",
                code: "fn f(lock: &rwlock::RwLock<[u8]>) -> usize { lock.read().len() }",
                expect: Expect::Compiles,
            },
            Case {
                name: "cell_can_move",
                why: "A Cell<u32> may move to another thread, so the lock holding it may too.",
                code: "fn f() { assert_send::<rwlock::RwLock<std::cell::Cell<u32>>>(); }",
                expect: Expect::Compiles,
            },
            Case {
                name: "cell_is_not_shared",
                why: "Readers on two threads would each get a &Cell<u32> at the same time, and \
                      Cell::set through them is a data race: sharing the lock needs T: Sync \
                      (a Mutex needs only T: Send, since it hands out one reference at a time).",
                code: "fn f() { assert_sync::<rwlock::RwLock<std::cell::Cell<u32>>>(); }",
                expect: Expect::Error("E0277"),
            },
            Case {
                name: "rc_cannot_move",
                why: "An Rc<u8> must stay on the thread that made it (its count is not atomic), and \
                      moving the lock moves the Rc: RwLock<T> may be Send only when T: Send. An \
                      `unsafe impl Send` without that bound would let safe code race on the count.",
                code: "fn f() { assert_send::<rwlock::RwLock<std::rc::Rc<u8>>>(); }",
                expect: Expect::Error("E0277"),
            },
            Case {
                name: "rc_is_not_shared",
                why: "Readers on two threads would each get a &Rc<u8>, and cloning it from both \
                      races on its count: RwLock<Rc<u8>> must not be Sync.",
                code: "fn f() { assert_sync::<rwlock::RwLock<std::rc::Rc<u8>>>(); }",
                expect: Expect::Error("E0277"),
            },
            Case {
                name: "a_sync_but_not_send_value_is_not_shared",
                why: "A writer on another thread gets &mut T and can move the T out \
                      (mem::replace), so sharing the lock also needs T: Send.",
                code: "fn f() { assert_sync::<rwlock::RwLock<std::sync::MutexGuard<'static, u32>>>(); }",
                expect: Expect::Error("E0277"),
            },
        ],
    );
}

// --- Writer preference: a scripted scenario --------------------------------------

/// How long a waiting writer may take to shut out new readers.
const WRITER_REGISTERS_WITHIN: Duration = Duration::from_secs(2);

/// How long the second reader gets to (wrongly) slip in before the first leaves.
/// A `read` that ignores waiting writers passes here if reader 2 happens to call
/// it only after reader 1 has left; the loom model
/// `a_reader_that_arrives_while_a_writer_waits_goes_after_it` tries every order.
const PAUSE: Duration = Duration::from_millis(50);

/// Reader 1 holds the lock; a writer arrives and waits; then reader 2 arrives.
/// With writer preference, reader 2 must wait for the writer, and see its write.
#[test_support::test]
fn a_waiting_writer_keeps_new_readers_out() {
    let lock = Arc::new(RwLock::new(0));
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = |events: &Mutex<Vec<&'static str>>, event| events.lock().unwrap().push(event);

    let first_reader = lock.read();
    let mut threads = Threads::new();
    let (writer_lock, writer_events) = (Arc::clone(&lock), Arc::clone(&events));
    threads.spawn("writer", move || {
        let mut value = writer_lock.write();
        log(&writer_events, "writer in");
        *value = 1;
        log(&writer_events, "writer out");
    });

    // The writer cannot get in while reader 1 holds the lock, so once it calls
    // `write` it waits, and from then on a writer-preferring lock refuses readers.
    let started = Instant::now();
    while lock.try_read().is_some() {
        assert!(
            started.elapsed() < WRITER_REGISTERS_WITHIN,
            "a writer has waited for {WRITER_REGISTERS_WITHIN:?} and try_read still lets new \
             readers in: this lock prefers readers, so a stream of readers could keep the \
             writer out forever"
        );
        thread::sleep(Duration::from_millis(1));
    }

    let (reader_lock, reader_events) = (Arc::clone(&lock), Arc::clone(&events));
    threads.spawn("reader 2", move || {
        let value = reader_lock.read();
        log(
            &reader_events,
            if *value == 1 {
                "reader 2 in, after the write"
            } else {
                "reader 2 in, before the write"
            },
        );
    });
    thread::sleep(PAUSE);
    log(&events, "reader 1 out");
    drop(first_reader);
    threads.join();

    assert_eq!(
        *events.lock().unwrap(),
        [
            "reader 1 out",
            "writer in",
            "writer out",
            "reader 2 in, after the write"
        ],
        "try_read refused reader 2 while the writer waited, but read() let it in"
    );
}

// --- Many readers and writers: a bounded stress test -----------------------------

/// Writers fill every element of the array with the same fresh number, one
/// element at a time; readers check that all elements agree, so a reader that
/// overlaps a writer sees a half-written array. `writers_inside` checks the
/// other half of the contract: never two writers at once, never a reader
/// beside a writer. Each reader reads `rounds` times; each writer writes an
/// eighth as often, as in the read-mostly data an `RwLock` is for.
fn readers_and_writers(readers: usize, writers: usize, rounds: usize) {
    let writes = rounds.div_ceil(8);
    let lock = Arc::new(RwLock::new([0_u64; 8]));
    let writers_inside = Arc::new(AtomicUsize::new(0));
    let mut threads = Threads::new();
    for writer in 0..writers {
        let (lock, inside) = (Arc::clone(&lock), Arc::clone(&writers_inside));
        threads.spawn(&format!("writer {writer}"), move || {
            for _ in 0..writes {
                let mut values = lock.write();
                // Relaxed: the counter is only a witness; the lock orders everything.
                assert_eq!(inside.fetch_add(1, Ordering::Relaxed), 0, "two writers at once");
                let next = values[0] + 1;
                for value in values.iter_mut() {
                    *value = next;
                    // Widens the window in which a reader could see a half-written
                    // array. (Not `yield_now`: on a loaded machine every yield can
                    // cost a whole time slice.)
                    std::hint::spin_loop();
                }
                inside.fetch_sub(1, Ordering::Relaxed);
                drop(values);
                // Gives readers a moment between writes: with writer preference,
                // two writers that always wait again at once would keep them out.
                thread::yield_now();
            }
        });
    }
    for reader in 0..readers {
        let (lock, inside) = (Arc::clone(&lock), Arc::clone(&writers_inside));
        threads.spawn(&format!("reader {reader}"), move || {
            for _ in 0..rounds {
                let values = lock.read();
                assert_eq!(inside.load(Ordering::Relaxed), 0, "a reader beside a writer");
                assert!(
                    values.iter().all(|value| *value == values[0]),
                    "a reader saw a half-written value: {:?}",
                    *values
                );
            }
        });
    }
    threads.join();
    assert_eq!(
        lock.read()[0],
        (writers * writes) as u64,
        "a write was lost: two writers overlapped"
    );
}

#[test_support::test]
fn stress_readers_and_writers_never_overlap() {
    stress::repeat(5, |_| readers_and_writers(3, 2, stress::scaled(1_000)));
}
