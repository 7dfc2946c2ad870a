//! Loom models of the broken queue: every interleaving (up to loom's preemption
//! bound) of a few threads pushing and popping. Loom sees the queue's atomics and
//! the value cells, so it reports a thread that reads a node's value, or even its
//! `next` field, without a happens-before edge to the thread that wrote it, as a
//! "Causality violation".
//!
//! Run with `cargo workbook check broken-queue`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use broken_queue::Queue;
use test_support::sync::Arc;
use test_support::{hint, model, thread};

/// Pops, spinning until a value arrives.
fn pop_waiting(queue: &Queue<u32>) -> u32 {
    loop {
        if let Some(value) = queue.pop() {
            return value;
        }
        hint::spin_loop();
    }
}

/// Pops, trying up to three times, and yielding between tries.
fn pop_a_few_times(queue: &Queue<u32>) -> Option<u32> {
    for _ in 0..3 {
        if let Some(value) = queue.pop() {
            return Some(value);
        }
        hint::spin_loop();
    }
    None
}

/// One thread pushes two values; the other pops them as they arrive.
#[test]
fn a_pop_sees_the_value_a_push_wrote() {
    model(|| {
        let queue = Arc::new(Queue::new());
        let pusher = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(1);
                queue.push(2);
            })
        };
        assert_eq!(pop_waiting(&queue), 1);
        assert_eq!(pop_waiting(&queue), 2);
        pusher.join().unwrap();
        assert_eq!(queue.pop(), None);
    });
}

/// Two threads push at once, so each may find the other's node at the tail
/// (and may have to swing the tail on the other's behalf).
#[test]
fn two_pushes_at_once() {
    model(|| {
        let queue = Arc::new(Queue::new());
        let pusher = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.push(1))
        };
        queue.push(2);
        pusher.join().unwrap();
        let mut popped = [queue.pop(), queue.pop()];
        popped.sort();
        assert_eq!(popped, [Some(1), Some(2)], "each pushed value must come out once");
        assert_eq!(queue.pop(), None);
    });
}

/// Two threads pop while a third pushes, so a pop may find a dummy that the
/// other pop has just moved `head` to. Each pop tries a few times and then gives
/// up: two threads spinning side by side without end make loom's paths too long.
#[test]
fn two_pops_at_once() {
    model(|| {
        let queue = Arc::new(Queue::new());
        let pusher = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(1);
                queue.push(2);
            })
        };
        let popper = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || pop_a_few_times(&queue))
        };
        let mine = pop_a_few_times(&queue);
        let theirs = popper.join().unwrap();
        pusher.join().unwrap();
        let mut popped: Vec<u32> = [mine, theirs].into_iter().flatten().collect();
        popped.sort();
        while let Some(value) = queue.pop() {
            popped.push(value);
        }
        assert_eq!(popped, [1, 2], "each pushed value must come out once, in order");
    });
}
