//! MyArc across threads: under concurrent clones, drops and upgrades the value is
//! dropped exactly once and the allocation freed exactly once; and two scripted
//! hand-offs in which one thread lets go of a reference and another frees the
//! allocation. Miri checks the hand-offs for data races: freeing memory that
//! another thread touched, with no happens-before edge from that touch to the
//! free, is undefined behaviour even if the touch came first in time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use my_arc::{MyArc, Weak};
use test_support::deadline::{Threads, progress};
use test_support::stress;

/// The alignment of `Tracked`, which nothing else in this test program uses: an
/// allocation with it is a MyArc's allocation of a `Tracked`.
const MARK: usize = 512;

/// A value that counts its drops. Its odd alignment marks its MyArc's allocation.
#[repr(align(512))]
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        // Relaxed: the test reads the count after joining the threads.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The system allocator, counting allocations and frees with alignment `MARK`.
struct CountingAllocator;

static MARKED_ALLOCS: AtomicUsize = AtomicUsize::new(0);
static MARKED_FREES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() == MARK {
            // Relaxed: read only after the threads are joined.
            MARKED_ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: our caller keeps `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.align() == MARK {
            // Relaxed: read only after the threads are joined.
            MARKED_FREES.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: our caller keeps `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Threads holding MyArcs clone, read and drop them; threads holding Weaks upgrade,
/// read and drop; the MyArc the test made is dropped at once.
#[test_support::test]
fn concurrent_clones_drops_and_upgrades_drop_the_value_once_and_free_it_once() {
    let steps = stress::scaled(20_000);
    stress::repeat(20, |_| {
        // Relaxed: no other test allocates with alignment MARK, and these threads
        // are joined before the counts are read again.
        let (allocs, frees) = (MARKED_ALLOCS.load(Ordering::Relaxed), MARKED_FREES.load(Ordering::Relaxed));
        let drops = Arc::new(AtomicUsize::new(0));
        let arc = MyArc::new(Tracked(Arc::clone(&drops)));
        let mut threads = Threads::new();
        for number in 0..2 {
            let mine = MyArc::clone(&arc);
            threads.spawn(&format!("cloner-{number}"), move || {
                for _ in 0..steps {
                    let clone = MyArc::clone(&mine);
                    // Relaxed: the value's own count; see `Tracked`.
                    assert_eq!(clone.0.load(Ordering::Relaxed), 0, "a live MyArc's value was dropped");
                    progress();
                }
            });
            let weak = MyArc::downgrade(&arc);
            threads.spawn(&format!("upgrader-{number}"), move || {
                for _ in 0..steps {
                    let Some(upgraded) = weak.upgrade() else { break };
                    // Relaxed: as above.
                    assert_eq!(
                        upgraded.0.load(Ordering::Relaxed),
                        0,
                        "upgrade returned a MyArc to a value that was already dropped"
                    );
                    progress();
                }
            });
        }
        drop(arc);
        threads.join();
        // Relaxed: the threads are joined.
        let dropped = drops.load(Ordering::Relaxed);
        assert_eq!(dropped, 1, "every MyArc and Weak is gone: the value must be dropped exactly once");
        // Relaxed: as above.
        let allocated = MARKED_ALLOCS.load(Ordering::Relaxed) - allocs;
        // Relaxed: as above.
        let freed = MARKED_FREES.load(Ordering::Relaxed) - frees;
        assert_eq!(
            (allocated, freed),
            (1, 1),
            "one MyArc::new must make one allocation, freed exactly once when the last MyArc \
             and the last Weak are gone"
        );
    });
}

/// Waits for `flag` with Relaxed loads, which make no happens-before edge: the
/// thread after the wait runs later in time, but the memory model still sees the
/// two threads' accesses as unordered unless MyArc's own orderings order them.
fn wait_for(flag: &AtomicBool) {
    // Relaxed on purpose: see above.
    while !flag.load(Ordering::Relaxed) {
        std::thread::yield_now();
    }
}

/// A thread drops a Weak; then the last MyArc goes on another thread and frees
/// the allocation. The Weak's decrement wrote to the allocation, so it must happen
/// before the free.
#[test_support::test]
fn a_weak_dropped_on_one_thread_then_the_last_arc_on_another() {
    let arc = MyArc::new(String::from("value"));
    let weak = MyArc::downgrade(&arc);
    let done = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    let flag = Arc::clone(&done);
    threads.spawn("weak-dropper", move || {
        drop(weak);
        // Relaxed on purpose: see `wait_for`.
        flag.store(true, Ordering::Relaxed);
    });
    wait_for(&done);
    drop(arc);
    threads.join();
}

/// A thread drops the last MyArc, which drops the value; then the last Weak goes
/// on another thread and frees the allocation. The value's drop read the
/// allocation, so it must happen before the free.
#[test_support::test]
fn the_last_arc_dropped_on_one_thread_then_the_last_weak_on_another() {
    let arc = MyArc::new(String::from("value"));
    let weak = MyArc::downgrade(&arc);
    let done = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    let flag = Arc::clone(&done);
    threads.spawn("arc-dropper", move || {
        drop(arc);
        // Relaxed on purpose: see `wait_for`.
        flag.store(true, Ordering::Relaxed);
    });
    wait_for(&done);
    assert!(weak.upgrade().is_none(), "the last MyArc is gone, so upgrade must return None");
    drop::<Weak<String>>(weak);
    threads.join();
}
