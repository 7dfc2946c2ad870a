//! Loom models of the broken queue: every interleaving (up to loom's preemption
//! bound) of a few threads pushing and popping. Loom sees the queue's atomics and
//! the value cells, so it reports a thread that reads a node's value, or even its
//! `next` field, without a happens-before edge to the thread that wrote it, as a
//! "Causality violation".
//!
//! Run with `cargo workbook check broken-queue`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use std::sync::atomic::{AtomicUsize, Ordering};

use broken_queue::Queue;
use test_support::sync::Arc;
use test_support::{hint, model, thread};

/// Pops, spinning until a value arrives.
fn pop_waiting<T>(queue: &Queue<T>) -> T {
    loop {
        if let Some(value) = queue.pop() {
            return value;
        }
        hint::spin_loop();
    }
}

/// Pops, trying up to three times, and yielding between tries.
fn pop_a_few_times<T>(queue: &Queue<T>) -> Option<T> {
    for _ in 0..3 {
        if let Some(value) = queue.pop() {
            return Some(value);
        }
        hint::spin_loop();
    }
    None
}

/// One thread pushes two values; the other pops them as they arrive.
#[test_support::test]
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
#[test_support::test]
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

/// How often each value of [`two_pops_at_once`] has been dropped in the current
/// execution. Std atomics, outside loom's model: they only count, and loom runs
/// one execution at a time. No other test touches them.
static DROPS: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

/// A queue value that counts its drops in [`DROPS`], so that a value dropped
/// twice, or never, fails the model. It owns no memory, so a bitwise copy of it
/// dropped twice is counted, not undefined behaviour.
struct Counted(usize);

impl Drop for Counted {
    fn drop(&mut self) {
        // SeqCst: a plain count outside the model; see `DROPS`.
        DROPS[self.0 - 1].fetch_add(1, Ordering::SeqCst);
    }
}

/// Two threads pop while a third pushes, so a pop may find a dummy that the
/// other pop has just moved `head` to. Each pop tries a few times and then gives
/// up: two threads spinning side by side without end make loom's paths too long.
/// The values count their drops: each must be dropped exactly once, also when
/// a pop loses its compare-exchange on `head` to the other.
#[test_support::test]
fn two_pops_at_once() {
    model(|| {
        for count in &DROPS {
            count.store(0, Ordering::SeqCst);
        }
        let queue = Arc::new(Queue::new());
        let pusher = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(Counted(1));
                queue.push(Counted(2));
            })
        };
        let popper = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || pop_a_few_times(&queue))
        };
        let mine = pop_a_few_times(&queue);
        let theirs = popper.join().unwrap();
        pusher.join().unwrap();
        let mut popped: Vec<usize> = [mine, theirs].into_iter().flatten().map(|value| value.0).collect();
        popped.sort();
        while let Some(value) = queue.pop() {
            popped.push(value.0);
        }
        assert_eq!(popped, [1, 2], "each pushed value must come out once, in order");
        drop(queue);
        for (index, count) in DROPS.iter().enumerate() {
            let drops = count.load(Ordering::SeqCst);
            assert_eq!(
                drops,
                1,
                "value {} was dropped {drops} times, but the queue hands each value to \
                 exactly one pop: a pop that loses the race for `head` must not keep, or \
                 drop, a copy of the value",
                index + 1
            );
        }
    });
}
