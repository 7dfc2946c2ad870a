//! The broken queue on one thread: first in first out, against `VecDeque` as the
//! model; what dropping the queue must drop; and which threads may share it.
//! The solution runs these same tests.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};

use broken_queue::Queue;
use quickcheck::{Arbitrary, Gen, QuickCheck, TestResult};
use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;

#[test_support::test]
fn values_come_out_in_the_order_they_went_in() {
    let queue = Queue::new();
    assert_eq!(queue.pop(), None, "a new queue must be empty");
    for value in 1..=3 {
        queue.push(value);
    }
    for value in 1..=3 {
        assert_eq!(queue.pop(), Some(value), "values must come out first in, first out");
    }
    assert_eq!(queue.pop(), None, "every value was popped, so the queue must be empty");
    queue.push(4);
    assert_eq!(queue.pop(), Some(4), "the queue must still work once emptied");
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
fn dropping_the_queue_drops_the_values_still_in_it() {
    let drops = AtomicUsize::new(0);
    let queue = Queue::new();
    for _ in 0..3 {
        queue.push(Counted(&drops));
    }
    drop(queue.pop());
    // Relaxed: see `Counted`.
    assert_eq!(drops.load(Ordering::Relaxed), 1, "popping a value must hand it over, not drop it");
    drop(queue);
    // Relaxed: see `Counted`.
    let dropped = drops.load(Ordering::Relaxed) - 1;
    assert_eq!(
        dropped, 2,
        "3 values were pushed and 1 popped, so dropping the queue must drop the 2 left \
         in it, each exactly once; it dropped {dropped}. Look at what `Drop for Queue` \
         does with the values in its nodes."
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
fn any_sequence_of_steps_matches_a_vecdeque() {
    fn property(steps: Vec<Step>) -> TestResult {
        // Strings, not numbers, so that Miri sees every value's heap memory: a
        // value lost or dropped twice shows up as a leak or a double free.
        let queue = Queue::new();
        let mut model = VecDeque::new();
        for (number, step) in steps.iter().enumerate() {
            match step {
                Step::Push(value) => {
                    queue.push(value.to_string());
                    model.push_back(value.to_string());
                }
                Step::Pop => {
                    let (got, expected) = (queue.pop(), model.pop_front());
                    if got != expected {
                        return TestResult::error(format!(
                            "step {number} popped {got:?} where a VecDeque pops {expected:?}"
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
        crate_under_test!("broken_queue"),
        &[
            Case {
                name: "queue_of_string_is_send_and_sync",
                why: "Strings may move between threads, so a queue of them may be shared and sent.",
                code: "fn f() {
                assert_send::<broken_queue::Queue<String>>();
                assert_sync::<broken_queue::Queue<String>>();
            }",
                expect: Compiles,
            },
            Case {
                name: "queue_of_cell_is_sync",
                why: "Threads sharing a queue move values through it but never share a `&T`, \
                      so `T: Send` is enough for `Queue<T>: Sync`; a Cell is Send but not Sync.",
                code: "fn f() { assert_sync::<broken_queue::Queue<std::cell::Cell<u8>>>(); }",
                expect: Compiles,
            },
            Case {
                name: "queue_of_rc_is_not_sync",
                why: "Sharing a queue of Rc would let two threads hold clones of one Rc, whose \
                      count is not atomic.",
                code: "fn f() { assert_sync::<broken_queue::Queue<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "queue_of_rc_is_not_send",
                why: "Sending a queue sends the Rcs in it, and an Rc must stay on its thread.",
                code: "fn f() { assert_send::<broken_queue::Queue<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
        ],
    );
}
