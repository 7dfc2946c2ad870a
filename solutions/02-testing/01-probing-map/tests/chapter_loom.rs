//! The chapter's loom example (book/02-testing): a counter that loses updates,
//! which loom finds on every run, and the one-instruction fix, which loom
//! proves for every interleaving of the two threads.
//!
//! These call loom directly, without `--cfg loom` and `test_support`'s switch,
//! so they run in the ordinary test tier. Remove the `should_panic` line to see
//! loom's report.

use loom::sync::Arc;
use loom::sync::atomic::{AtomicU64, Ordering};
use loom::thread;

// ANCHOR: lost-update
/// Two threads each add one to a counter with a separate load and store.
/// `loom::model` runs the closure once for every interleaving of the threads'
/// atomic operations, and the assertion fails in the ones where both threads
/// load 0 before either stores.
#[test_support::test]
#[should_panic(expected = "an increment was lost")]
fn loom_finds_the_lost_update() {
    loom::model(|| {
        let counter = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    let seen = counter.load(Ordering::SeqCst);
                    counter.store(seen + 1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::SeqCst), 2, "an increment was lost");
    });
}
// ANCHOR_END: lost-update

// ANCHOR: fetch-add
/// The same counter with one read-modify-write per thread: loom checks every
/// interleaving and the assertion holds in all of them.
#[test_support::test]
fn loom_proves_fetch_add_counts_every_increment() {
    loom::model(|| {
        let counter = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::SeqCst), 2, "an increment was lost");
    });
}
// ANCHOR_END: fetch-add
