//! The store-buffering litmus test's specification. The solution runs these
//! same tests.
//!
//! A test cannot prove "both threads read `false` never happens" by running the
//! threads: a passing run may just have been lucky. So the first tests check the
//! chosen orderings against the rule of Rust's (C++20's) memory model, which is
//! deterministic; the last one runs the real threads and asserts only the
//! outcome that must never happen. Miri, in `cargo workbook check`, runs them
//! again with a weak-memory emulation that does produce the bad outcome when the
//! orderings allow it.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use store_buffering::{FENCE, LOAD, STORE, store_then_load};
use test_support::deadline::Threads;
use test_support::stress;
use test_support::sync::atomic::AtomicBool;

#[test]
fn the_orderings_are_ones_rust_accepts() {
    assert!(
        matches!(
            STORE,
            Ordering::Relaxed | Ordering::Release | Ordering::SeqCst
        ),
        "STORE is {STORE:?}: a store accepts only Relaxed, Release or SeqCst, and panics on {STORE:?}"
    );
    assert!(
        matches!(
            LOAD,
            Ordering::Relaxed | Ordering::Acquire | Ordering::SeqCst
        ),
        "LOAD is {LOAD:?}: a load accepts only Relaxed, Acquire or SeqCst, and panics on {LOAD:?}"
    );
    assert_ne!(
        FENCE,
        Some(Ordering::Relaxed),
        "a Relaxed fence orders nothing, and `fence(Relaxed)` panics; use None for no fence"
    );
}

/// The rule, from the memory model: the single total order S of SeqCst
/// operations forbids "both read false" only when, in each thread, the store and
/// the load are separated in S: both accesses are SeqCst, or a SeqCst fence sits
/// between them. Release and Acquire order a thread's *earlier* accesses before
/// a store and its *later* accesses after a load; neither keeps a load from
/// being satisfied before an earlier store is visible.
#[test]
fn the_orderings_forbid_both_threads_reading_false() {
    let accesses_in_s = STORE == Ordering::SeqCst && LOAD == Ordering::SeqCst;
    let fence_in_s = FENCE == Some(Ordering::SeqCst);
    assert!(
        accesses_in_s || fence_in_s,
        "with STORE = {STORE:?}, FENCE = {FENCE:?}, LOAD = {LOAD:?} both threads may read \
         false: nothing stops each load from running before the other thread's store is \
         visible. Look at which orderings take part in the single total order of \
         sequentially consistent operations."
    );
}

#[test]
fn one_thread_alone_reads_what_it_should() {
    let mine = AtomicBool::new(false);
    let theirs = AtomicBool::new(false);
    assert!(!store_then_load(&mine, &theirs), "nobody raised `theirs`");
    assert!(
        store_then_load(&theirs, &mine),
        "`mine` was raised just before"
    );
}

/// Runs both sides once, each on its own thread, and returns what each read.
fn run_once() -> (bool, bool) {
    let x = Arc::new(AtomicBool::new(false));
    let y = Arc::new(AtomicBool::new(false));
    let read = Arc::new(std::sync::Mutex::new((true, true)));
    let mut threads = Threads::new();
    let (a_x, a_y, a_read) = (Arc::clone(&x), Arc::clone(&y), Arc::clone(&read));
    threads.spawn("a", move || {
        let seen = store_then_load(&a_x, &a_y);
        a_read.lock().unwrap().0 = seen;
    });
    let (b_read, b_x, b_y) = (Arc::clone(&read), x, y);
    threads.spawn("b", move || {
        let seen = store_then_load(&b_y, &b_x);
        b_read.lock().unwrap().1 = seen;
    });
    threads.join();
    *read.lock().unwrap()
}

#[test]
fn stress_both_threads_never_read_false() {
    stress::repeat(10_000, |_| {
        assert_ne!(
            run_once(),
            (false, false),
            "both threads read false: each load ran before the other thread's store \
             was visible"
        );
    });
}
