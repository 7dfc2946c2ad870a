//! The litmus tests behind the book's quiz answers about memory orderings.
//!
//! Each function runs one instance of a litmus test, two threads and a few
//! atomics, and returns what the loads read. The orderings under test are
//! parameters, so one function serves every variant a quiz asks about; the
//! tests spell each variant out, and each ordering question in `book/*/quiz.toml`
//! names the tests that back its answer:
//!
//! - `tests/loom.rs` (under `--cfg loom`) explores the interleavings (within its
//!   preemption bound) and the values each load may read, so it shows an
//!   allowed outcome happening and checks that a forbidden one never does.
//!   loom treats `SeqCst` loads, stores and read-modify-writes as `AcqRel`
//!   (it does model `fence(SeqCst)`): that allows outcomes `SeqCst` forbids, so
//!   with `SeqCst` accesses involved neither a "never" nor a "can" result of
//!   loom is evidence, and no quiz answer rests on one. loom also does not
//!   produce load buffering (each thread's load reading the other thread's
//!   *later* store), and remembers only the last few stores to each atomic, so
//!   a "never" result holds only for the executions it explores.
//! - `tests/litmus.rs` runs the same functions on real threads and under Miri,
//!   whose weak-memory emulation lets loads read stale values (store buffering,
//!   stale reads in message passing) and which honours `SeqCst`. It does not
//!   produce every outcome the language allows either (not load buffering), and
//!   its "never" tests are samples: a number of rounds per seed, not a proof.
//!   The tests that need weak memory to show an outcome run only under Miri,
//!   with its fixed seeds.
//!
//! Locations start at 0. Every atomic here is touched only by the litmus test,
//! so the orderings pair only with each other.

use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicUsize, Ordering, fence};
use test_support::{hint, thread};

/// Message passing (MP). The writer stores `data = 1` (Relaxed) then
/// `flag = 1` with `flag_store`; the reader waits until its `flag_load` of
/// `flag` reads 1, then loads `data` (Relaxed) and returns what it read: 0 is
/// the outcome "the flag is seen, the data is not".
pub fn message_passing(flag_store: Ordering, flag_load: Ordering) -> usize {
    let cells = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let writer = {
        let cells = Arc::clone(&cells);
        thread::spawn(move || {
            let [flag, data] = &*cells;
            // Relaxed: the variant under test decides whether `flag_store`
            // publishes this store to the reader's `data` load.
            data.store(1, Ordering::Relaxed);
            flag.store(1, flag_store);
        })
    };
    let [flag, data] = &*cells;
    while flag.load(flag_load) == 0 {
        hint::spin_loop();
    }
    // Relaxed: ordered after the writer's `data` store only if `flag_load` is
    // Acquire and reads the writer's `flag_store` of Release.
    let seen_data = data.load(Ordering::Relaxed);
    writer.join().unwrap();
    seen_data
}

/// Store buffering (SB), also the shape of a hazard pointer's publish-then-check
/// against a reclaimer's unlink-then-scan. Thread 0 stores `x = 1` then loads
/// `y`; thread 1 stores `y = 1` then loads `x`, with the given orderings and,
/// if `fence_between` is set, a fence of that ordering between each thread's
/// store and load. Returns `(r0, r1)`; `(0, 0)` is the outcome "each thread
/// missed the other's store".
pub fn store_buffering(
    store: Ordering,
    load: Ordering,
    fence_between: Option<Ordering>,
) -> (usize, usize) {
    let cells = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let side = move |cells: &[AtomicUsize; 2], mine: usize| {
        cells[mine].store(1, store);
        if let Some(order) = fence_between {
            fence(order);
        }
        cells[1 - mine].load(load)
    };
    let other = {
        let cells = Arc::clone(&cells);
        thread::spawn(move || side(&cells, 1))
    };
    let r0 = side(&cells, 0);
    let r1 = other.join().unwrap();
    (r0, r1)
}

/// Read-read coherence (CoRR). The writer stores 1 then 2 to one location;
/// the reader loads it twice. Returns both loads. Whatever the orderings, the
/// second load never reads an older value than the first: the pairs `(1, 0)`,
/// `(2, 0)` and `(2, 1)` never happen.
pub fn read_read_coherence(store: Ordering, load: Ordering) -> (usize, usize) {
    let cell = Arc::new(AtomicUsize::new(0));
    let writer = {
        let cell = Arc::clone(&cell);
        thread::spawn(move || {
            cell.store(1, store);
            cell.store(2, store);
        })
    };
    let first = cell.load(load);
    let second = cell.load(load);
    writer.join().unwrap();
    (first, second)
}

/// How each thread adds 1 to the shared counter in [`two_increments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Increment {
    /// One read-modify-write: `fetch_add(1, order)`.
    FetchAdd(Ordering),
    /// A load, then a store of the value plus one, both with the ordering.
    /// Between the two, each thread waits until the other has loaded too. That
    /// only picks a schedule, load, load, store, store, which is one of the
    /// interleavings of the plain load-then-store, so even `SeqCst` allows it
    /// (the total order S can be exactly that order); and it happens on every
    /// run, with no weak memory needed.
    LoadThenStoreInLockstep(Ordering),
}

/// Two threads each add 1 to a counter that starts at 0; returns the final count.
pub fn two_increments(increment: Increment) -> usize {
    let cells = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let add = move |cells: &[AtomicUsize; 2]| {
        let [counter, loaded] = cells;
        match increment {
            Increment::FetchAdd(order) => {
                counter.fetch_add(1, order);
            }
            Increment::LoadThenStoreInLockstep(order) => {
                let seen = counter.load(order);
                // SeqCst: the schedule, not the orderings under test. Each
                // thread's load of `counter` happens before the other's store.
                loaded.fetch_add(1, Ordering::SeqCst);
                while loaded.load(Ordering::SeqCst) < 2 {
                    hint::spin_loop();
                }
                counter.store(seen + 1, order);
            }
        }
    };
    let other = {
        let cells = Arc::clone(&cells);
        thread::spawn(move || add(&cells))
    };
    add(&cells);
    other.join().unwrap();
    // Relaxed: the join above already orders both increments before this load.
    cells[0].load(Ordering::Relaxed)
}

/// The last drop of a reference count, as in `std::sync::Arc`. Two handles
/// share a count of 2; each thread writes its own note (Relaxed), standing for
/// its last use of the shared value, then decrements the count with
/// `decrement`. The thread whose decrement reads 1 is the last, runs a fence
/// of `fence_before_free` (if any), and reads the other thread's note, as a
/// destructor would read the value. Returns whether the last thread read the
/// other's note as still unwritten: the free would race with that use.
pub fn last_drop_misses_a_use(decrement: Ordering, fence_before_free: Option<Ordering>) -> bool {
    let shared = Arc::new((
        AtomicUsize::new(2),
        [AtomicUsize::new(0), AtomicUsize::new(0)],
    ));
    let drop_handle = move |shared: &(AtomicUsize, [AtomicUsize; 2]), mine: usize| {
        let (count, notes) = shared;
        // Relaxed: whether this reaches the last thread depends on `decrement`
        // (and that thread's fence), which is what the test varies.
        notes[mine].store(1, Ordering::Relaxed);
        if count.fetch_sub(1, decrement) != 1 {
            return false;
        }
        if let Some(order) = fence_before_free {
            fence(order);
        }
        // Relaxed: ordered after the other thread's note only through the
        // decrement and fence under test.
        notes[1 - mine].load(Ordering::Relaxed) == 0
    };
    let other = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || drop_handle(&shared, 1))
    };
    let mine = drop_handle(&shared, 0);
    let theirs = other.join().unwrap();
    mine || theirs
}
