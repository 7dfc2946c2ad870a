//! Loom models of the RwLock: every interleaving (up to loom's preemption
//! bound) of readers and writers. A lost wake-up leaves every thread asleep,
//! which loom reports as a deadlock; a reader and a writer touching the value
//! with nothing ordering the two is reported as a causality violation.
//!
//! Run with `cargo workbook check rwlock`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use rwlock::RwLock;
use test_support::sync::Arc;
use test_support::{model, thread};

#[test_support::test]
fn a_writer_between_two_readers() {
    model(|| {
        let lock = Arc::new(RwLock::new((0, 0)));
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let mut pair = lock.write();
                pair.0 = 1;
                pair.1 = 1;
            })
        };
        let reader = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let pair = lock.read();
                assert_eq!(pair.0, pair.1, "a reader saw a half-written pair");
            })
        };
        let pair = *lock.read();
        assert_eq!(pair.0, pair.1, "a reader saw a half-written pair");
        writer.join().unwrap();
        reader.join().unwrap();
        assert_eq!(*lock.read(), (1, 1));
    });
}

#[test_support::test]
fn two_writers_and_a_reader() {
    model(|| {
        let lock = Arc::new(RwLock::new(0));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.write() += 1)
            })
            .collect();
        let seen = *lock.read();
        assert!(seen <= 2);
        for writer in writers {
            writer.join().unwrap();
        }
        assert_eq!(*lock.read(), 2, "a write was lost");
    });
}

#[test_support::test]
fn a_reader_that_arrives_while_a_writer_waits_goes_after_it() {
    model(|| {
        let lock = Arc::new(RwLock::new(0));
        let first_reader = lock.read();
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.write() = 1)
        };
        // Once the writer waits, a writer-preferring lock refuses new readers.
        // (If loom says this model "exceeded maximum number of branches",
        // `try_read` never refuses: see `a_waiting_writer_keeps_new_readers_out`
        // in the test tier.)
        while lock.try_read().is_some() {
            thread::yield_now();
        }
        let second_reader = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                assert_eq!(
                    *lock.read(),
                    1,
                    "a reader got in while a writer waited: read() must wait behind a \
                     waiting writer, as try_read() does"
                );
            })
        };
        drop(first_reader);
        writer.join().unwrap();
        second_reader.join().unwrap();
    });
}
