//! The epoch stack gives memory back while it is in use: two threads push and
//! pop two million values each, and the bytes allocated at any moment stay far
//! below the four million nodes a stack that never frees would hold.
//!
//! A test program of its own, because it counts every allocation the program
//! makes: another test running beside it would spoil the count.

use std::sync::Arc;

use epoch_stack::Stack;
use test_support::alloc::Counting;
use test_support::deadline::{Threads, progress};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Push/pop pairs per thread.
const PAIRS: usize = 2_000_000;

/// The most bytes the stress may add at any moment: a quarter of the 64 MiB
/// that four million nodes of 16 bytes would hold in a stack that frees none.
/// The collector frees nothing while a thread that was pinned stays pinned, so
/// a thread preempted inside `pop` lets garbage pile up until it runs again;
/// the limit leaves room for that on a busy machine.
const LIMIT: usize = 16 << 20;

#[test_support::test]
#[cfg_attr(
    miri,
    ignore = "a million pairs take hours under Miri; race.rs covers Miri"
)]
fn memory_stays_bounded_under_a_long_stress() {
    let stack = Arc::new(Stack::new());
    let before = Counting::live_bytes();
    Counting::reset_peak();
    let mut threads = Threads::with_limit(std::time::Duration::from_secs(60));
    for thread in 0..2 {
        let stack = Arc::clone(&stack);
        threads.spawn(&format!("thread-{thread}"), move || {
            for value in 0..PAIRS {
                stack.push(value);
                assert!(
                    stack.pop().is_some(),
                    "pop returned None just after this thread pushed: the stack cannot be \
                     empty there, since no thread pops more often than it pushes"
                );
                if value % 1024 == 0 {
                    progress();
                }
            }
        });
    }
    threads.join();
    let added = Counting::peak_bytes().saturating_sub(before);
    assert!(
        added < LIMIT,
        "{PAIRS} push/pop pairs on each of two threads raised the bytes allocated by {added} \
         at their peak, more than {LIMIT}: are popped nodes ever freed while the stack is in use?"
    );
}
