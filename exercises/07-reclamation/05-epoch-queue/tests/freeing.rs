//! When the queue may free a node: only once every thread that was pinned when
//! the node was unlinked has unpinned. A pinned thread may be a pop that loaded
//! the node from `head` a moment before and is about to read its `next`;
//! freeing the node then is a use-after-free waiting for that interleaving.
//! Miri runs it in `tests/reclaim.rs`; this test sees the free itself, on every
//! run and without reading freed memory. This thread stays pinned, as such a
//! pop would be, while another thread pops every value, and the test asks the
//! allocator which of the nodes the pushes allocated were given back meanwhile.
//!
//! `tail_never_rests_on_a_freed_node` checks the other pointer into the queue:
//! once a popped node is really freed, `tail` must not point at it, or the next
//! push reads freed memory. Miri reports that read; natively it may go unseen.
//!
//! A test program of its own, since it installs a global allocator. Cargo
//! sorts a package's test programs by name, so this one runs before
//! `reclaim.rs`, whose crashes would otherwise end the run before its message.

use std::sync::Arc;

use epoch_queue::Queue;
use test_support::alloc::{Counting, Watch};
use test_support::deadline::Threads;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Values pushed, and so nodes watched.
const NODES: usize = 8;

#[test_support::test]
fn no_node_is_freed_while_a_thread_that_may_read_it_is_pinned() {
    let queue = Arc::new(Queue::new());
    // This thread's first pin registers it with crossbeam's collector: an
    // allocation of crossbeam's, made here so that the watch does not note it.
    drop(crossbeam_epoch::pin());
    let watch = Watch::new();
    watch.record(|| {
        for value in 0..NODES {
            queue.push(value);
        }
    });
    let pinned = crossbeam_epoch::pin();
    let mut threads = Threads::new();
    let popper_queue = Arc::clone(&queue);
    threads.spawn("popper", move || {
        for value in 0..NODES {
            assert_eq!(
                popper_queue.pop(),
                Some(value),
                "values must come out first in, first out"
            );
        }
    });
    threads.join();
    let freed_early = watch.freed().len();
    drop(pinned);
    // Each pop unlinks the dummy before it: the first pop the one `new` made,
    // which the watch did not note, and each later pop a node a push made.
    assert!(
        freed_early == 0,
        "use after free waiting to happen: pop freed {freed_early} of the {} pushed nodes it \
         unlinked while another thread was pinned. That thread may be a pop that loaded one of \
         them from `head` just before it was unlinked, and is about to read its `next` from \
         freed memory. Miri shows such a read: `MIRIFLAGS=\"-Zmiri-tree-borrows \
         -Zmiri-ignore-leaks\" cargo +nightly miri test --test reclaim`. Being pinned protects \
         a thread only from frees that wait for it.",
        NODES - 1
    );
}

/// Pins and flushes until the collector has freed one of the watched blocks,
/// or gives up after `tries`. Returns whether one was freed.
fn collect_until_one_is_freed(watch: &Watch, tries: usize) -> bool {
    for _ in 0..tries {
        if !watch.freed().is_empty() {
            return true;
        }
        crossbeam_epoch::pin().flush();
        std::thread::yield_now();
    }
    !watch.freed().is_empty()
}

#[test_support::test]
fn tail_never_rests_on_a_freed_node() {
    let queue = Queue::new();
    drop(crossbeam_epoch::pin());
    let watch = Watch::new();
    watch.record(|| {
        for value in 0..3 {
            queue.push(value);
        }
    });
    // The first pop unlinks the dummy `new` made; the second the node that held
    // 0, the first node the watch noted.
    assert_eq!(queue.pop(), Some(0), "values must come out first in, first out");
    assert_eq!(queue.pop(), Some(1), "values must come out first in, first out");
    assert!(
        collect_until_one_is_freed(&watch, 1_000),
        "two values were popped, but the node that held the first was not freed after 1,000 \
         pins and flushes of crossbeam's collector: are unlinked nodes handed to the collector?"
    );
    // If `tail` still points at the freed node, this push reads its `next` from
    // freed memory (Miri names the read and the free).
    queue.push(3);
    assert_eq!(queue.pop(), Some(2), "values must come out first in, first out");
    assert_eq!(queue.pop(), Some(3), "values must come out first in, first out");
    assert_eq!(queue.pop(), None, "every value pushed was popped");
}
