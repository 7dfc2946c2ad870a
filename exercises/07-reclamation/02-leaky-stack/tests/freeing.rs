//! When the stack may free a node: not while it is in use. `pop` cannot tell
//! whether another pop loaded the node from `head` a moment before it was
//! unlinked and is about to read its `next`, so freeing it is a use-after-free
//! waiting for that interleaving. Miri runs it in `tests/race.rs`; this test
//! sees the free itself, on every run and without reading freed memory: it
//! notes the blocks the pushes allocate and asks the allocator which of them
//! `pop` gives back. It also checks that dropping the stack frees them all.
//!
//! A test program of its own, since it installs a global allocator. Cargo
//! sorts a package's test programs by name, so this one runs before
//! `race.rs`, whose crashes would otherwise end the run before its message.

use leaky_stack::Stack;
use test_support::alloc::{Counting, Watch};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Values pushed, and so nodes watched.
const NODES: usize = 8;

#[test_support::test]
fn pop_frees_no_node_while_the_stack_is_in_use() {
    let stack = Stack::new();
    let watch = Watch::new();
    watch.record(|| {
        for value in 0..NODES {
            stack.push(value);
        }
    });
    for value in (0..NODES).rev() {
        assert_eq!(
            stack.pop(),
            Some(value),
            "values must come out last in, first out"
        );
    }
    let freed_early = watch.freed().len();
    assert!(
        freed_early == 0,
        "use after free waiting to happen: pop freed {freed_early} of the {NODES} nodes it \
         unlinked while the stack was still in use. Another thread's pop may have loaded such \
         a node from `head` just before it was unlinked, and be about to read its `next` from \
         freed memory. Miri shows such a read: `cargo +nightly miri test --test race`. Keep \
         unlinked nodes until no pop can reach them."
    );
    drop(stack);
    let (freed, noted) = (watch.freed().len(), watch.recorded());
    assert!(
        freed == noted,
        "{} of the {noted} blocks the pushes allocated are still allocated after the stack was \
         dropped: every node the stack ever had must be freed by then, or it leaks",
        noted - freed
    );
}
