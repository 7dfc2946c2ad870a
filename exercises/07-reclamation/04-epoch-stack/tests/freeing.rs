//! When the stack may free a node: only once every thread that was pinned when
//! the node was unlinked has unpinned. A pinned thread may be a pop that loaded
//! the node from `head` a moment before and is about to read its `next`;
//! freeing the node then is a use-after-free waiting for that interleaving.
//! Miri runs it in `tests/race.rs`; this test sees the free itself, on every
//! run and without reading freed memory. This thread stays pinned, as such a
//! pop would be, while another thread pops every value, and the test asks the
//! allocator which of the nodes the pushes allocated were given back meanwhile.
//!
//! A test program of its own, since it installs a global allocator. Cargo
//! sorts a package's test programs by name, so this one runs before
//! `race.rs`, whose crashes would otherwise end the run before its message.

use std::sync::Arc;

use epoch_stack::Stack;
use test_support::alloc::{Counting, Watch};
use test_support::deadline::Threads;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Values pushed, and so nodes watched.
const NODES: usize = 8;

#[test_support::test]
fn no_node_is_freed_while_a_thread_that_may_read_it_is_pinned() {
    let stack = Arc::new(Stack::new());
    // This thread's first pin registers it with crossbeam's collector: an
    // allocation of crossbeam's, made here so that the watch does not note it.
    drop(crossbeam_epoch::pin());
    let watch = Watch::new();
    watch.record(|| {
        for value in 0..NODES {
            stack.push(value);
        }
    });
    let pinned = crossbeam_epoch::pin();
    let mut threads = Threads::new();
    let popper_stack = Arc::clone(&stack);
    threads.spawn("popper", move || {
        for value in (0..NODES).rev() {
            assert_eq!(
                popper_stack.pop(),
                Some(value),
                "values must come out last in, first out"
            );
        }
    });
    threads.join();
    let freed_early = watch.freed().len();
    drop(pinned);
    assert!(
        freed_early == 0,
        "use after free waiting to happen: pop freed {freed_early} of the {NODES} nodes it \
         unlinked while another thread was pinned. That thread may be a pop that loaded one of \
         them from `head` just before it was unlinked, and is about to read its `next` from \
         freed memory. Miri shows such a read: `MIRIFLAGS=\"-Zmiri-tree-borrows \
         -Zmiri-ignore-leaks\" cargo +nightly miri test --test race`. Being pinned protects a \
         thread only from frees that wait for it."
    );
}
