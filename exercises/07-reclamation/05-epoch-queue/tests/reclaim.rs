//! What is new since the broken queue: nodes are freed while the queue is in use,
//! and never while another thread may still read them.
//!
//! - `pops_racing_for_one_dummy` makes several threads pop from a queue that is
//!   nearly always almost empty, so pops keep meeting on the same dummy node.
//!   Freeing an unlinked node at once is a use-after-free the moment one pop is
//!   preempted between loading `head` and reading its `next`. On real hardware
//!   that read usually returns stale bytes and goes unnoticed; Miri reports it
//!   every time it happens, and its fixed seeds make it happen on every run.
//! - `nodes_are_freed_while_the_queue_is_in_use` counts the queue's nodes with
//!   a counting allocator: after many values have passed through, few nodes may
//!   still be allocated.
//! - `every_value_is_dropped_exactly_once` counts drops across threads.
//! - `a_pop_reads_a_dummy_another_pop_left` is a scripted run in which Miri can
//!   see whether `pop` publishes the node it moves `head` to.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use epoch_queue::Queue;
use test_support::deadline::{Threads, progress};
use test_support::stress;

/// The alignment of `Marked`, which nothing else in this test program uses: an
/// allocation with it is a node of a `Queue<Marked>`.
const MARK: usize = 512;

/// A value whose odd alignment marks the nodes that hold it.
#[repr(align(512))]
struct Marked(usize);

/// The system allocator, counting the allocations with alignment `MARK` alive.
struct CountingAllocator;

static MARKED_LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() == MARK {
            // Relaxed: a count, read by the test after joining its threads.
            MARKED_LIVE.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: our caller keeps `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.align() == MARK {
            // Relaxed: as above.
            MARKED_LIVE.fetch_sub(1, Ordering::Relaxed);
        }
        // SAFETY: our caller keeps `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const THREADS: usize = 4;

#[test_support::test]
fn pops_racing_for_one_dummy() {
    // 50 pushes and pops a thread under Miri, where each pair costs a pin and
    // an unpin in crossbeam's collector; 100,000 natively.
    let per_thread = stress::scaled(50_000) * if cfg!(miri) { 1 } else { 2 };
    stress::repeat(10, |_| {
        let queue = Arc::new(Queue::new());
        let mut threads = Threads::new();
        for number in 0..THREADS {
            let queue = Arc::clone(&queue);
            threads.spawn(&format!("pusher-popper-{number}"), move || {
                for value in 0..per_thread {
                    queue.push(value);
                    // Every thread pushes before it pops, so there is always a
                    // value for this pop, though maybe not this thread's.
                    while queue.pop().is_none() {
                        std::thread::yield_now();
                    }
                    progress();
                }
            });
        }
        threads.join();
        assert_eq!(queue.pop(), None, "every value pushed was popped, so the queue must be empty");
    });
}

/// Lets crossbeam's collector catch up: each pin-and-flush hands this thread's
/// deferred frees to the global list, tries to advance the epoch, and frees what
/// has expired. Returns the number of marked allocations still alive.
fn collect(limit: usize) -> usize {
    for _ in 0..stress::scaled(100_000) {
        // Relaxed: see `CountingAllocator`.
        if MARKED_LIVE.load(Ordering::Relaxed) <= limit {
            break;
        }
        crossbeam_epoch::pin().flush();
        std::thread::yield_now();
    }
    // Relaxed: as above.
    MARKED_LIVE.load(Ordering::Relaxed)
}

#[test_support::test]
fn nodes_are_freed_while_the_queue_is_in_use() {
    let per_thread = stress::scaled(100_000);
    let queue = Arc::new(Queue::new());
    let mut threads = Threads::new();
    for number in 0..2 {
        let queue = Arc::clone(&queue);
        threads.spawn(&format!("pusher-popper-{number}"), move || {
            for value in 0..per_thread {
                queue.push(Marked(value));
                loop {
                    if let Some(Marked(popped)) = queue.pop() {
                        assert!(popped < per_thread, "popped {popped}, which nobody pushed");
                        break;
                    }
                    std::thread::yield_now();
                }
                progress();
            }
        });
    }
    threads.join();
    let allocated = 2 * per_thread + 1;
    // The queue is still alive, holding only its dummy, and every other node was
    // unlinked by a pop. They need not be freed at once, but they must be freed.
    let live = collect(1);
    assert!(
        live <= 1,
        "{allocated} nodes were allocated and all but the dummy unlinked, but {live} are still \
         allocated while the queue is in use: are unlinked nodes ever freed before the queue is \
         dropped?"
    );
    drop(queue);
    let live = collect(0);
    assert_eq!(live, 0, "the queue is gone, so its dummy must be freed too");
}

/// Waits until `step` reaches `wanted`, with Relaxed loads, which make no
/// happens-before edge: the scripted threads below run in a fixed order in time,
/// but only the queue's own orderings order their memory accesses.
fn wait_for(step: &AtomicUsize, wanted: usize) {
    // Relaxed on purpose: see above.
    while step.load(Ordering::Relaxed) < wanted {
        std::thread::yield_now();
    }
}

/// One thread's part in a script.
type Act = fn(&Queue<usize>);

/// Pops, yielding until a value comes.
fn pop_waiting(queue: &Queue<usize>) -> usize {
    loop {
        if let Some(value) = queue.pop() {
            return value;
        }
        std::thread::yield_now();
    }
}

/// A scripted run: `first` pushes a value; `second` pops it, which leaves the
/// first pusher's node as the dummy; `third` pushes another value; `fourth`
/// pops that one, and so reads the dummy's `next`, in a node that `first` made
/// and that `fourth` found only through `head`. Under Miri, that read is a data
/// race unless the pop that moved `head` published the node it moved to.
///
/// Each thread pins once before the script starts. A thread's first pin (and
/// every 128th) also tries to advance the epoch, which reads every thread's
/// pin state and would order this thread after all of them, whatever the queue
/// does; pinning early keeps that out of the script.
#[test_support::test]
fn a_pop_reads_a_dummy_another_pop_left() {
    let queue = Arc::new(Queue::new());
    let (ready, step) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    // A pop may still see the queue empty for a while: nothing orders it after
    // the push, so its load of `next` may return the older null.
    let script: [(&str, Act); 4] = [
        ("first-pusher", |queue| queue.push(1)),
        ("first-popper", |queue| assert_eq!(pop_waiting(queue), 1)),
        ("second-pusher", |queue| queue.push(2)),
        ("second-popper", |queue| assert_eq!(pop_waiting(queue), 2)),
    ];
    let mut threads = Threads::new();
    for (turn, (name, act)) in script.into_iter().enumerate() {
        let (queue, ready, step) = (Arc::clone(&queue), Arc::clone(&ready), Arc::clone(&step));
        threads.spawn(name, move || {
            drop(crossbeam_epoch::pin());
            // Relaxed on purpose: see `wait_for`.
            ready.fetch_add(1, Ordering::Relaxed);
            wait_for(&ready, 4);
            wait_for(&step, turn);
            act(&queue);
            // Relaxed on purpose: see `wait_for`.
            step.store(turn + 1, Ordering::Relaxed);
            // Stay alive, and unpinned, until the script is over: a thread's
            // exit pins to hand its garbage over, which would order it too.
            wait_for(&step, 4);
        });
    }
    threads.join();
}

/// Counts its drops.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        // Relaxed: read after the threads are joined.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test_support::test]
fn every_value_is_dropped_exactly_once() {
    let per_thread = stress::scaled(20_000);
    let drops = Arc::new(AtomicUsize::new(0));
    let queue = Arc::new(Queue::new());
    let mut threads = Threads::new();
    for number in 0..2 {
        let (pusher_queue, drops) = (Arc::clone(&queue), Arc::clone(&drops));
        threads.spawn(&format!("pusher-{number}"), move || {
            for _ in 0..per_thread {
                pusher_queue.push(Counted(Arc::clone(&drops)));
                progress();
            }
        });
        let queue = Arc::clone(&queue);
        threads.spawn(&format!("popper-{number}"), move || {
            // Pop about half of what is pushed, dropping each value popped.
            for _ in 0..per_thread / 2 {
                while queue.pop().is_none() {
                    std::thread::yield_now();
                }
                progress();
            }
        });
    }
    threads.join();
    drop(Arc::into_inner(queue).expect("a clone of the Arc outlived its thread"));
    // Relaxed: the threads are joined.
    let dropped = drops.load(Ordering::Relaxed);
    assert_eq!(
        dropped,
        2 * per_thread,
        "every value pushed must be dropped exactly once: by whoever popped it, or by the \
         queue's drop"
    );
}
