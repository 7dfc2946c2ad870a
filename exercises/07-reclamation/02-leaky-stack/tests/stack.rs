//! The stack on one thread: last in first out, against `Vec` as the model; what
//! dropping the stack must drop; and which threads may share it.
//!
//! Every stack of chapter 7 has the same API, so the epoch stack runs these same
//! tests (under the name `leaky_stack`), and so do the hazard-pointer stack and
//! all three solutions.

use std::sync::atomic::{AtomicUsize, Ordering};

use leaky_stack::Stack;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;

#[test_support::test]
fn values_come_out_last_in_first_out() {
    let stack = Stack::default();
    assert_eq!(stack.pop(), None, "a new stack must be empty");
    for value in 1..=3 {
        stack.push(value);
    }
    for value in (1..=3).rev() {
        assert_eq!(
            stack.pop(),
            Some(value),
            "values must come out last in, first out"
        );
    }
    assert_eq!(
        stack.pop(),
        None,
        "every value was popped, so the stack must be empty"
    );
    stack.push(4);
    assert_eq!(
        stack.pop(),
        Some(4),
        "the stack must still work once emptied"
    );
}

/// Counts how often values of this type are dropped.
struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        // Relaxed: one thread only; nothing is published through the count.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test_support::test]
fn dropping_the_stack_drops_the_values_still_in_it() {
    let drops = AtomicUsize::new(0);
    let stack = Stack::new();
    for _ in 0..3 {
        stack.push(Counted(&drops));
    }
    drop(stack.pop());
    // Relaxed: see `Counted`.
    assert_eq!(
        drops.load(Ordering::Relaxed),
        1,
        "popping a value must hand it over, not drop it"
    );
    drop(stack);
    // Relaxed: see `Counted`.
    let dropped = drops.load(Ordering::Relaxed) - 1;
    assert_eq!(
        dropped, 2,
        "3 values were pushed and 1 popped, so dropping the stack must drop the 2 left \
         in it, each exactly once; it dropped {dropped}"
    );
}

/// One step of a single-threaded run: push a value, or pop.
#[derive(Clone, Debug)]
enum Step {
    Push(u16),
    Pop,
}

impl Arbitrary for Step {
    fn arbitrary(g: &mut Gen) -> Self {
        if bool::arbitrary(g) {
            Step::Push(u16::arbitrary(g))
        } else {
            Step::Pop
        }
    }
}

#[test_support::test]
fn any_sequence_of_steps_matches_a_vec() {
    fn property(steps: Vec<Step>) -> TestResult {
        // Strings, not numbers, so that Miri sees every value's heap memory: a
        // value lost or dropped twice shows up as a leak or a double free.
        let stack = Stack::new();
        let mut model = Vec::new();
        for (number, step) in steps.iter().enumerate() {
            match step {
                Step::Push(value) => {
                    stack.push(value.to_string());
                    model.push(value.to_string());
                }
                Step::Pop => {
                    let (got, expected) = (stack.pop(), model.pop());
                    if got != expected {
                        return TestResult::error(format!(
                            "step {number} popped {got:?} where a Vec pops {expected:?}"
                        ));
                    }
                }
            }
        }
        TestResult::passed()
    }
    // `QuickCheck::new` reads QUICKCHECK_TESTS, which the Miri tier lowers; the
    // sequences are shorter under Miri too, which runs each step far slower.
    QuickCheck::new()
        .rng(Gen::new(SEQUENCE_SIZE))
        .quickcheck(property as fn(Vec<Step>) -> TestResult);
}

/// The longest sequence of steps a property test tries.
const SEQUENCE_SIZE: usize = if cfg!(miri) { 20 } else { 100 };

#[test_support::test]
fn send_and_sync_are_exactly_right() {
    compile::check(
        crate_under_test!("leaky_stack"),
        &[
            Case {
                name: "stack_of_string_is_send_and_sync",
                why: "Strings may move between threads, so a stack of them may be shared and sent.",
                code: "fn f() {
                assert_send::<leaky_stack::Stack<String>>();
                assert_sync::<leaky_stack::Stack<String>>();
            }",
                expect: Compiles,
            },
            Case {
                name: "stack_of_cell_is_sync",
                why: "Threads sharing a stack move values through it but never share a `&T`, \
                      so `T: Send` is enough for `Stack<T>: Sync`; a Cell is Send but not Sync.",
                code: "fn f() { assert_sync::<leaky_stack::Stack<std::cell::Cell<u8>>>(); }",
                expect: Compiles,
            },
            Case {
                name: "stack_of_rc_is_not_sync",
                why: "Sharing a stack of Rc would let two threads hold clones of one Rc, whose \
                      count is not atomic.",
                code: "fn f() { assert_sync::<leaky_stack::Stack<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "stack_of_rc_is_not_send",
                why: "Sending a stack sends the Rcs in it, and an Rc must stay on its thread.",
                code: "fn f() { assert_send::<leaky_stack::Stack<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
        ],
    );
}
