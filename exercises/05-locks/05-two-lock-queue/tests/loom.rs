//! Loom models of the two-lock queue: every interleaving of the threads (up to
//! loom's preemption bound) in the moments where one side must wake the other.
//! A lost wake-up leaves every thread asleep, and loom reports that as a
//! deadlock; a slot touched by both ends with nothing ordering the two touches
//! is reported as a causality violation.
//!
//! Run with `cargo workbook check two-lock-queue`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use test_support::sync::Arc;
use test_support::{model, thread};
use two_lock_queue::{RecvError, SendError, channel};

#[test_support::test]
fn a_producer_blocked_on_a_full_queue_is_woken_by_the_consumer() {
    model(|| {
        let (sender, receiver) = channel(1);
        let producer = thread::spawn(move || {
            sender.send(1).unwrap();
            sender.send(2).unwrap();
        });
        assert_eq!(receiver.recv(), Ok(1));
        assert_eq!(receiver.recv(), Ok(2));
        producer.join().unwrap();
    });
}

#[test_support::test]
fn a_consumer_blocked_on_an_empty_queue_is_woken_by_a_producer_then_by_its_drop() {
    model(|| {
        let (sender, receiver) = channel(1);
        let producer = thread::spawn(move || sender.send(1).unwrap());
        assert_eq!(receiver.recv(), Ok(1));
        assert_eq!(receiver.recv(), Err(RecvError));
        producer.join().unwrap();
    });
}

#[test_support::test]
fn two_producers_blocked_on_a_full_queue_both_get_in() {
    model(|| {
        let (sender, receiver) = channel(1);
        let other = sender.clone();
        let first = thread::spawn(move || sender.send(1).unwrap());
        let second = thread::spawn(move || other.send(2).unwrap());
        let mut got = [receiver.recv().unwrap(), receiver.recv().unwrap()];
        got.sort_unstable();
        assert_eq!(got, [1, 2]);
        first.join().unwrap();
        second.join().unwrap();
    });
}

#[test_support::test]
fn a_producer_blocked_on_a_full_queue_is_woken_when_the_receiver_goes() {
    model(|| {
        let (sender, receiver) = channel(1);
        let producer = thread::spawn(move || {
            let first = sender.send(1);
            let second = sender.send(2);
            // The first send may come after the drop; the second cannot succeed.
            assert!(first.is_ok() || first == Err(SendError(1)));
            assert_eq!(second, Err(SendError(2)));
        });
        drop(receiver);
        producer.join().unwrap();
    });
}

#[test_support::test]
fn two_producers_blocked_on_a_full_queue_both_wake_when_the_receiver_goes() {
    model(|| {
        let (sender, receiver) = channel(1);
        sender.send(0).unwrap();
        let other = sender.clone();
        // In some interleavings both producers are asleep on the full queue
        // when the receiver goes: the drop must wake both.
        let first = thread::spawn(move || assert_eq!(sender.send(1), Err(SendError(1))));
        let second = thread::spawn(move || assert_eq!(other.send(2), Err(SendError(2))));
        drop(receiver);
        first.join().unwrap();
        second.join().unwrap();
    });
}

#[test_support::test]
fn two_threads_blocked_in_recv_both_wake_when_the_last_sender_goes() {
    model(|| {
        let (sender, receiver) = channel::<u32>(1);
        // A `&Receiver` may be shared, so two threads can sleep in `recv`.
        let receiver = Arc::new(receiver);
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || assert_eq!(receiver.recv(), Err(RecvError)))
            })
            .collect();
        drop(sender);
        for thread in threads {
            thread.join().unwrap();
        }
    });
}

#[test_support::test]
fn two_threads_blocked_in_recv_both_get_a_value_when_two_arrive() {
    model(|| {
        let (sender, receiver) = channel::<u32>(2);
        // Both sends may land before either receiver wakes: the one that wakes
        // takes a value and must pass the wake-up on, or the other sleeps on
        // beside a value, and nothing else will wake it while the sender lives.
        let receiver = Arc::new(receiver);
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || receiver.recv().expect("the sender is still alive"))
            })
            .collect();
        sender.send(1).unwrap();
        sender.send(2).unwrap();
        let mut received: Vec<u32> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        received.sort_unstable();
        assert_eq!(received, [1, 2]);
        drop(sender);
    });
}
