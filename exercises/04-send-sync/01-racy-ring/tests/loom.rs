//! Loom models of the racy Ring: every interleaving of a producer and a consumer
//! thread (up to loom's preemption bound), with the ring wrapping around.
//!
//! Run with `cargo workbook check racy-ring`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use racy_ring::channel;
use test_support::{hint, model, thread};

/// Pushes `0..count` through a ring of `capacity` slots from a second thread.
fn hand_over(capacity: usize, count: u32) {
    let (mut producer, mut consumer) = channel(capacity);
    let sender = thread::spawn(move || {
        for value in 0..count {
            while producer.push(value).is_err() {
                hint::spin_loop();
            }
        }
    });
    for expected in 0..count {
        let value = loop {
            if let Some(value) = consumer.pop() {
                break value;
            }
            hint::spin_loop();
        };
        assert_eq!(value, expected);
    }
    sender.join().unwrap();
}

#[test_support::test]
fn one_slot_every_push_waits_for_a_pop() {
    model(|| hand_over(1, 2));
}

#[test_support::test]
fn two_slots_wrap_around() {
    model(|| hand_over(2, 3));
}
