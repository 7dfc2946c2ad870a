//! Loom models of the stack: every interleaving (up to loom's preemption bound)
//! of a few threads pushing and popping. Loom sees `head` and the value cells,
//! so it reports a thread that reads a node's value without a happens-before
//! edge to the thread that wrote it as a "Causality violation".
//!
//! Loom does not see a read of freed memory: that is Miri's job (`tests/race.rs`).
//!
//! Run with `cargo workbook check leaky-stack`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use leaky_stack::Stack;
use test_support::sync::Arc;
use test_support::{hint, model, thread};

/// Pops, spinning until a value arrives.
fn pop_waiting(stack: &Stack<u32>) -> u32 {
    loop {
        if let Some(value) = stack.pop() {
            return value;
        }
        hint::spin_loop();
    }
}

/// Pops, trying up to three times, and yielding between tries.
fn pop_a_few_times(stack: &Stack<u32>) -> Option<u32> {
    for _ in 0..3 {
        if let Some(value) = stack.pop() {
            return Some(value);
        }
        hint::spin_loop();
    }
    None
}

/// One thread pushes a value; another pops it: the popper must see the value
/// the pusher wrote into the node before linking it.
#[test_support::test]
fn a_pop_sees_the_value_a_push_wrote() {
    model(|| {
        let stack = Arc::new(Stack::new());
        let pusher = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.push(1))
        };
        assert_eq!(pop_waiting(&stack), 1);
        pusher.join().unwrap();
        assert_eq!(stack.pop(), None);
    });
}

/// Two threads push at once, while a third pops: each value comes out once.
#[test_support::test]
fn two_pushes_and_a_pop() {
    model(|| {
        let stack = Arc::new(Stack::new());
        let pushers: Vec<_> = [1, 2]
            .into_iter()
            .map(|value| {
                let stack = Arc::clone(&stack);
                thread::spawn(move || stack.push(value))
            })
            .collect();
        let first = pop_waiting(&stack);
        for pusher in pushers {
            pusher.join().unwrap();
        }
        let mut popped = [first, pop_waiting(&stack)];
        popped.sort();
        assert_eq!(popped, [1, 2], "each pushed value must come out once");
        assert_eq!(stack.pop(), None);
    });
}

/// Two threads pop while a third pushes two values, so both pops may load the
/// same top. Each value comes out once, and neither pop reads a value it has no
/// edge to. Each pop tries a few times and then gives up: two threads spinning
/// side by side without end make loom's paths too long.
#[test_support::test]
fn two_pops_at_once() {
    model(|| {
        let stack = Arc::new(Stack::new());
        let pusher = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || {
                stack.push(1);
                stack.push(2);
            })
        };
        let popper = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || pop_a_few_times(&stack))
        };
        let mine = pop_a_few_times(&stack);
        let theirs = popper.join().unwrap();
        pusher.join().unwrap();
        let mut popped: Vec<u32> = [mine, theirs].into_iter().flatten().collect();
        while let Some(value) = stack.pop() {
            popped.push(value);
        }
        popped.sort();
        assert_eq!(popped, [1, 2], "each pushed value must come out once");
    });
}
