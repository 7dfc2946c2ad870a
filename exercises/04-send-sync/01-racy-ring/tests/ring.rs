//! The racy Ring's specification: unit tests, a property test against
//! `VecDeque`, and a two-thread stress test. The solution runs these same tests.

use std::collections::VecDeque;
use std::thread;

use quickcheck::{Arbitrary, Gen, QuickCheck};
use racy_ring::{Consumer, Producer, channel};
use test_support::deadline::{Threads, progress};
use test_support::stress;

// --- One thread: what a ring buffer does ---------------------------------------

#[test_support::test]
fn a_new_ring_is_empty() {
    let (_producer, mut consumer) = channel(4);
    assert_eq!(consumer.pop(), None);
}

#[test_support::test]
fn values_come_out_in_the_order_they_went_in() {
    let (mut producer, mut consumer) = channel(4);
    for value in [7, 8, 9] {
        producer.push(value).unwrap();
    }
    assert_eq!(consumer.pop(), Some(7));
    assert_eq!(consumer.pop(), Some(8));
    assert_eq!(consumer.pop(), Some(9));
    assert_eq!(consumer.pop(), None);
}

#[test_support::test]
fn a_full_ring_refuses_a_value_and_gives_it_back() {
    let (mut producer, mut consumer) = channel(2);
    producer.push(1).unwrap();
    producer.push(2).unwrap();
    assert_eq!(
        producer.push(3),
        Err(3),
        "the ring holds 2 values, so a third push must fail"
    );
    assert_eq!(
        consumer.pop(),
        Some(1),
        "a refused push must not overwrite anything"
    );
    assert_eq!(consumer.pop(), Some(2));
    assert_eq!(consumer.pop(), None);
}

#[test_support::test]
fn capacity_is_exactly_what_was_asked_for() {
    for capacity in [1, 2, 3, 5, 8, 100] {
        let (mut producer, _consumer) = channel(capacity);
        assert_eq!(producer.capacity(), capacity);
        for value in 0..capacity as u32 {
            assert_eq!(
                producer.push(value),
                Ok(()),
                "capacity {capacity}: push {value} must fit"
            );
        }
        assert_eq!(
            producer.push(0),
            Err(0),
            "capacity {capacity}: the ring must now be full"
        );
    }
}

#[test_support::test]
fn the_indices_wrap_around_many_times() {
    let (mut producer, mut consumer) = channel(3);
    for value in 0..100 {
        producer.push(value).unwrap();
        producer.push(value + 1000).unwrap();
        assert_eq!(consumer.pop(), Some(value));
        assert_eq!(consumer.pop(), Some(value + 1000));
    }
    assert_eq!(consumer.pop(), None);
}

#[test_support::test]
fn the_handles_can_move_to_other_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Producer>();
    assert_send::<Consumer>();
}

// --- One thread: a property against a sequential model -------------------------

#[derive(Clone, Debug)]
enum Op {
    Push(u32),
    Pop,
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        if bool::arbitrary(g) {
            Op::Push(u32::arbitrary(g))
        } else {
            Op::Pop
        }
    }
}

/// Any sequence of pushes and pops on a ring gives the same answers as on a
/// `VecDeque` that refuses to grow past the capacity.
fn behaves_like_a_bounded_vecdeque(capacity: u8, ops: Vec<Op>) -> bool {
    let capacity = usize::from(capacity % 8) + 1;
    let (mut producer, mut consumer) = channel(capacity);
    let mut model = VecDeque::new();
    ops.into_iter().all(|op| match op {
        Op::Push(value) => {
            let expected = if model.len() < capacity {
                model.push_back(value);
                Ok(())
            } else {
                Err(value)
            };
            producer.push(value) == expected
        }
        Op::Pop => consumer.pop() == model.pop_front(),
    })
}

#[test_support::test]
fn property_behaves_like_a_bounded_vecdeque() {
    QuickCheck::new().quickcheck(behaves_like_a_bounded_vecdeque as fn(u8, Vec<Op>) -> bool);
}

// --- Two threads: a bounded stress test ---------------------------------------

/// Sends `count` values from a producer thread to a consumer thread and checks
/// that every value arrives once, in order. Fails with "deadlock?" rather than
/// hanging if either side gets stuck.
fn send_and_receive(capacity: usize, count: u32) {
    let (mut producer, mut consumer) = channel(capacity);
    let mut threads = Threads::new();
    threads.spawn("producer", move || {
        for value in 0..count {
            while producer.push(value).is_err() {
                thread::yield_now();
            }
            progress();
        }
    });
    threads.spawn("consumer", move || {
        for expected in 0..count {
            let value = loop {
                match consumer.pop() {
                    Some(value) => break value,
                    None => thread::yield_now(),
                }
            };
            assert_eq!(value, expected, "values were lost, duplicated or reordered");
            progress();
        }
        assert_eq!(
            consumer.pop(),
            None,
            "the consumer got more values than were sent"
        );
    });
    threads.join();
}

#[test_support::test]
fn stress_every_value_arrives_once_in_order() {
    stress::repeat(20, |_| send_and_receive(16, stress::scaled(20_000) as u32));
}

#[test_support::test]
fn stress_a_one_slot_ring_hands_over_every_value() {
    stress::repeat(20, |_| send_and_receive(1, stress::scaled(2_000) as u32));
}
