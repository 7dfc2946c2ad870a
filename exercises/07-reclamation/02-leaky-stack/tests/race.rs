//! Several threads on one stack: every value pushed comes out exactly once.
//!
//! The first test is the one Miri fails on every run while `pop` frees the node
//! it unlinks: two threads pop the same stack, so a pop often loads a top that
//! the other pop then unlinks, and reads its `next` after (or unordered with)
//! the free. Natively that read usually goes unnoticed. The second test mixes
//! pushes and pops, so a freed node's memory comes back as a new node at the
//! same address, and the ABA problem corrupts the stack often enough to see.
//!
//! Every stack of chapter 7 has the same API, so the epoch stack runs these same
//! tests (under the name `leaky_stack`), and so do both solutions.

use std::sync::Arc;

use leaky_stack::Stack;
use test_support::deadline::{Threads, progress};
use test_support::stress;

/// Pops until the stack is empty; returns the values in the order popped.
fn pop_all(stack: &Stack<u64>) -> Vec<u64> {
    let mut popped = Vec::new();
    while let Some(value) = stack.pop() {
        popped.push(value);
        progress();
    }
    popped
}

/// Checks that `popped` holds each of `0..count` exactly once.
fn assert_each_once(mut popped: Vec<u64>, count: u64, what: &str) {
    popped.sort_unstable();
    let first_wrong = popped
        .iter()
        .zip(0..)
        .position(|(&value, expected)| value != expected)
        .unwrap_or(popped.len());
    assert!(
        popped.len() as u64 == count && first_wrong == popped.len(),
        "{what}: {count} values went in and {} came out; sorted, the first wrong one is at \
         index {first_wrong}. Values were lost or popped twice: does a pop read a node \
         that another pop has freed?",
        popped.len()
    );
}

#[test_support::test]
fn two_threads_pop_one_stack() {
    // 150 nodes under Miri: each round of popping is enough for its scheduler
    // to switch threads inside a pop many times over.
    let count = stress::scaled(150_000) as u64 * if cfg!(miri) { 1 } else { 2 };
    stress::repeat(4, |_| {
        let stack = Arc::new(Stack::new());
        for value in 0..count {
            stack.push(value);
        }
        let (sender, results) = std::sync::mpsc::channel();
        let mut threads = Threads::new();
        for popper in 0..2 {
            let (stack, sender) = (Arc::clone(&stack), sender.clone());
            threads.spawn(&format!("popper-{popper}"), move || {
                sender
                    .send(pop_all(&stack))
                    .expect("the test stopped waiting for the popped values");
            });
        }
        threads.join();
        drop(sender);
        assert_each_once(
            results.iter().flatten().collect(),
            count,
            "two threads popping",
        );
    });
}

#[test_support::test]
fn four_threads_push_and_pop_in_pairs() {
    const THREADS: u64 = 4;
    // Fewer under Miri, where each pair of the epoch stack costs a pin and an
    // unpin in crossbeam's collector: 25 pairs a thread still give Miri's
    // scheduler many switches inside pushes and pops, every round.
    let pairs = stress::scaled(25_000) as u64 * if cfg!(miri) { 1 } else { 4 };
    stress::repeat(10, |_| {
        let stack = Arc::new(Stack::new());
        let (sender, results) = std::sync::mpsc::channel();
        let mut threads = Threads::new();
        for thread in 0..THREADS {
            let (stack, sender) = (Arc::clone(&stack), sender.clone());
            threads.spawn(&format!("thread-{thread}"), move || {
                let mut popped = Vec::with_capacity(pairs as usize);
                for sequence in 0..pairs {
                    stack.push(thread * pairs + sequence);
                    // Another thread may take our value, but no thread pops more
                    // often than it pushes, so some value is there for this pop.
                    popped.push(stack.pop().expect(
                        "the stack was empty just after this thread pushed: a pop \
                         installed a `next` it read from a node that had been freed",
                    ));
                    progress();
                }
                sender
                    .send(popped)
                    .expect("the test stopped waiting for the popped values");
            });
        }
        threads.join();
        drop(sender);
        let mut popped: Vec<u64> = results.iter().flatten().collect();
        popped.extend(pop_all(&stack));
        assert_each_once(popped, THREADS * pairs, "four threads pushing and popping");
    });
}
