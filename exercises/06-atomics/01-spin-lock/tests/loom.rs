//! Loom models of the spin lock: every interleaving of two threads (up to loom's
//! preemption bound). Loom reports a value accessed by two threads without a
//! happens-before edge between them as a "Causality violation": the sign of an
//! ordering too weak to hand the value from one holder to the next.
//!
//! Run with `cargo workbook check spin-lock`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use spin_lock::SpinLock;
use test_support::sync::Arc;
use test_support::{hint, model, thread};

#[test_support::test]
fn two_threads_increment_through_lock() {
    model(|| {
        let lock = Arc::new(SpinLock::new(0));
        let other = Arc::clone(&lock);
        let helper = thread::spawn(move || *other.lock() += 1);
        *lock.lock() += 1;
        helper.join().unwrap();
        assert_eq!(*lock.lock(), 2);
    });
}

#[test_support::test]
fn two_threads_increment_through_try_lock() {
    model(|| {
        let lock = Arc::new(SpinLock::new(0));
        let other = Arc::clone(&lock);
        let add_one = |lock: &SpinLock<i32>| loop {
            if let Some(mut guard) = lock.try_lock() {
                *guard += 1;
                return;
            }
            hint::spin_loop();
        };
        let helper = thread::spawn(move || add_one(&other));
        add_one(&lock);
        helper.join().unwrap();
        assert_eq!(*lock.lock(), 2);
    });
}
