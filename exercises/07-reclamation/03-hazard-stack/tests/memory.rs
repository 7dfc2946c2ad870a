//! Memory stays bounded: a long run of pushes and pops on several threads never
//! holds more than a bounded number of allocations, however many nodes it has
//! popped. This test binary counts every allocation with a global allocator of
//! its own, so it holds this one test only.

use std::sync::Arc;

use hazard_stack::Stack;
use hazard_stack::domain::SCAN_THRESHOLD;
use test_support::alloc::Counting;
use test_support::deadline::{Threads, progress};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const THREADS: usize = 3;

#[test_support::test]
#[cfg_attr(miri, ignore = "a bound on memory needs a long run; the stress tests run the stack under Miri")]
fn a_long_run_holds_a_bounded_number_of_nodes() {
    let pairs = 200_000;
    let stack = Arc::new(Stack::new());
    let before = Counting::live_blocks();
    Counting::reset_peak();
    // Two allocations per retired node (the node and its retired-list entry);
    // up to a threshold's worth on the list, plus as many in each thread's
    // scan; and room for the threads themselves and the test's bookkeeping.
    let bound = before + 2 * (THREADS + 1) * SCAN_THRESHOLD + 64 * THREADS;
    let mut threads = Threads::new();
    // Each thread pushes and pops in turn, so the stack itself holds at most
    // one value per thread; anything more is popped nodes waiting to be freed.
    for thread in 0..THREADS {
        let stack = Arc::clone(&stack);
        threads.spawn(&format!("worker-{thread}"), move || {
            for round in 0..pairs {
                stack.push(round);
                stack.pop();
                if round % 1024 == 0 {
                    progress();
                    // Checked as it runs, not only at the end: memory that grows
                    // without bound may also slow each call down until the run
                    // never ends.
                    let live = Counting::live_blocks();
                    assert!(
                        live <= bound,
                        "after {} pushes and pops on this thread, {} allocations are \
                         live (the bound is {}): popped nodes, or hazard slots, are not \
                         being reused or freed while the stack is in use",
                        round + 1,
                        live - before,
                        bound - before
                    );
                }
            }
        });
    }
    threads.join();
    let peak = Counting::peak_blocks();
    assert!(
        peak <= bound,
        "{THREADS} threads pushed and popped {pairs} values each and at one point {} \
         allocations were live (the bound is {}): popped nodes are not being freed while \
         the stack is in use",
        peak - before,
        bound - before
    );
}
