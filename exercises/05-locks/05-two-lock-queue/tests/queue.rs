//! The two-lock queue's specification: one-thread tests and a property test
//! against `VecDeque` (no waiting involved), scenarios where one side must wait
//! for the other, disconnection, and a multi-producer stress test. The solution
//! runs these same tests.

use std::collections::VecDeque;
use std::thread;
use std::time::Duration;

use quickcheck::{Arbitrary, Gen, QuickCheck};
use test_support::deadline::{Threads, progress, within};
use test_support::stress;
use two_lock_queue::{RecvError, SendError, TryRecvError, TrySendError, channel};

// --- One thread: what a bounded queue does --------------------------------------

#[test_support::test]
fn values_come_out_in_the_order_they_went_in() {
    let (sender, receiver) = channel(4);
    for value in [7, 8, 9] {
        sender.send(value).unwrap();
    }
    assert_eq!(receiver.recv(), Ok(7));
    assert_eq!(receiver.recv(), Ok(8));
    assert_eq!(receiver.recv(), Ok(9));
    assert_eq!(receiver.try_recv(), Err(TryRecvError::Empty));
}

#[test_support::test]
fn a_full_queue_refuses_a_try_send_and_gives_the_value_back() {
    let (sender, receiver) = channel(2);
    sender.try_send(1).unwrap();
    sender.try_send(2).unwrap();
    assert_eq!(sender.try_send(3), Err(TrySendError::Full(3)));
    assert_eq!(receiver.try_recv(), Ok(1));
    sender.try_send(3).unwrap();
    assert_eq!(receiver.try_recv(), Ok(2));
    assert_eq!(receiver.try_recv(), Ok(3));
}

#[test_support::test]
fn clones_of_a_sender_feed_the_same_queue() {
    let (sender, receiver) = channel(4);
    let other = sender.clone();
    sender.send(1).unwrap();
    other.send(2).unwrap();
    assert_eq!(receiver.recv(), Ok(1));
    assert_eq!(receiver.recv(), Ok(2));
}

// --- One thread: disconnection, as in std::sync::mpsc ----------------------------

#[test_support::test]
fn values_sent_before_the_last_sender_went_still_arrive_then_recv_fails() {
    let (sender, receiver) = channel(4);
    sender.send(1).unwrap();
    sender.send(2).unwrap();
    drop(sender);
    let (first, receiver) = within("receiver", move || (receiver.recv(), receiver));
    assert_eq!(
        first,
        Ok(1),
        "every Sender is gone, but values are still queued: recv must hand them out first"
    );
    assert_eq!(receiver.try_recv(), Ok(2));
    assert_eq!(
        receiver.try_recv(),
        Err(TryRecvError::Disconnected),
        "every Sender is gone and the queue is empty: try_recv must say Disconnected, not Empty"
    );
    assert_eq!(
        within("receiver", move || receiver.recv()),
        Err(RecvError),
        "every Sender is gone and the queue is empty: recv must fail, not wait"
    );
}

#[test_support::test]
fn the_queue_stays_connected_while_one_clone_of_the_sender_lives() {
    let (sender, receiver) = channel::<u32>(4);
    let other = sender.clone();
    drop(sender);
    assert_eq!(receiver.try_recv(), Err(TryRecvError::Empty));
    drop(other);
    assert_eq!(receiver.try_recv(), Err(TryRecvError::Disconnected));
}

#[test_support::test]
fn send_after_the_receiver_went_gives_the_value_back() {
    let (sender, receiver) = channel(4);
    drop(receiver);
    assert_eq!(sender.try_send(1), Err(TrySendError::Disconnected(1)));
    assert_eq!(
        within("sender", move || sender.send(2)),
        Err(SendError(2)),
        "the Receiver is gone: send must give the value back"
    );
}

// --- One thread: a property against a sequential model ---------------------------

#[derive(Clone, Debug)]
enum Op {
    TrySend(u32),
    TryRecv,
    /// `send` on a queue the model says has room, `recv` on one it says holds a
    /// value: the blocking calls, where they need not block.
    SendOrRecv(u32),
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        match u8::arbitrary(g) % 3 {
            0 => Op::TrySend(u32::arbitrary(g)),
            1 => Op::TryRecv,
            _ => Op::SendOrRecv(u32::arbitrary(g)),
        }
    }
}

/// Any sequence of operations on one thread gives the same answers as a
/// `VecDeque` that refuses to grow past the capacity.
fn behaves_like_a_bounded_vecdeque(capacity: u8, ops: Vec<Op>) -> bool {
    let capacity = usize::from(capacity % 5) + 1;
    let (sender, receiver) = channel(capacity);
    let mut model = VecDeque::new();
    ops.into_iter().all(|op| match op {
        Op::TrySend(value) if model.len() < capacity => {
            model.push_back(value);
            sender.try_send(value) == Ok(())
        }
        Op::TrySend(value) => sender.try_send(value) == Err(TrySendError::Full(value)),
        Op::TryRecv => match model.pop_front() {
            Some(value) => receiver.try_recv() == Ok(value),
            None => receiver.try_recv() == Err(TryRecvError::Empty),
        },
        Op::SendOrRecv(value) if model.len() < capacity => {
            model.push_back(value);
            sender.send(value) == Ok(())
        }
        Op::SendOrRecv(_) => receiver.recv().ok() == model.pop_front(),
    })
}

#[test_support::test]
fn property_behaves_like_a_bounded_vecdeque() {
    // Shorter sequences under Miri, which runs each operation far more slowly;
    // 20 operations still fill and empty the small queues many times over.
    let size = if cfg!(miri) { 20 } else { 100 };
    QuickCheck::new()
        .rng(Gen::new(size))
        .quickcheck(behaves_like_a_bounded_vecdeque as fn(u8, Vec<Op>) -> bool);
}

// --- Two threads: one side waits for the other -----------------------------------

/// How long a side sleeps before it acts, so that the other side is most likely
/// asleep by then. The tests pass without it; it only makes them reach the waits.
const PAUSE: Duration = Duration::from_millis(20);

#[test_support::test]
fn a_sender_blocked_on_a_full_queue_goes_on_once_a_value_is_taken() {
    let (sender, receiver) = channel(1);
    sender.send(1).unwrap();
    let mut threads = Threads::new();
    threads.spawn("sender", move || sender.send(2).unwrap());
    threads.spawn("receiver", move || {
        thread::sleep(PAUSE);
        assert_eq!(receiver.recv(), Ok(1));
        assert_eq!(receiver.recv(), Ok(2));
    });
    threads.join();
}

#[test_support::test]
fn a_receiver_blocked_on_an_empty_queue_gets_the_next_value() {
    let (sender, receiver) = channel(1);
    let mut threads = Threads::new();
    threads.spawn("receiver", move || assert_eq!(receiver.recv(), Ok(7)));
    threads.spawn("sender", move || {
        thread::sleep(PAUSE);
        sender.send(7).unwrap();
    });
    threads.join();
}

#[test_support::test]
fn a_receiver_blocked_on_an_empty_queue_wakes_when_the_last_sender_goes() {
    let (sender, receiver) = channel::<u32>(1);
    let other = sender.clone();
    let mut threads = Threads::new();
    threads.spawn("receiver", move || assert_eq!(receiver.recv(), Err(RecvError)));
    threads.spawn("sender-dropper", move || {
        thread::sleep(PAUSE);
        drop(sender);
        drop(other);
    });
    threads.join();
}

#[test_support::test]
fn a_sender_blocked_on_a_full_queue_wakes_when_the_receiver_goes() {
    let (sender, receiver) = channel(1);
    sender.send(1).unwrap();
    let mut threads = Threads::new();
    threads.spawn("sender", move || assert_eq!(sender.send(2), Err(SendError(2))));
    threads.spawn("receiver", move || {
        thread::sleep(PAUSE);
        drop(receiver);
    });
    threads.join();
}

// --- Many producers: a bounded stress test ---------------------------------------

/// `producers` threads each send `per_producer` values `(producer, sequence)`
/// through a queue of `capacity`; the consumer checks that every value arrives
/// exactly once and that each producer's values arrive in the order sent, then
/// that `recv` fails once every sender is gone.
fn many_producers(producers: usize, capacity: usize, per_producer: u32) {
    let (sender, receiver) = channel::<(usize, u32)>(capacity);
    let mut threads = Threads::new();
    for producer in 0..producers {
        let sender = sender.clone();
        threads.spawn(&format!("producer {producer}"), move || {
            for sequence in 0..per_producer {
                sender.send((producer, sequence)).unwrap();
                progress();
            }
        });
    }
    drop(sender);
    threads.spawn("consumer", move || {
        let mut next = vec![0; producers];
        for _ in 0..producers * per_producer as usize {
            let (producer, sequence) = receiver.recv().expect(
                "recv failed while values were still to come: it may fail only once the queue \
                 is empty and every Sender is gone",
            );
            assert_eq!(
                sequence, next[producer],
                "producer {producer}'s values were lost, duplicated or reordered"
            );
            next[producer] += 1;
            progress();
        }
        assert_eq!(
            receiver.recv(),
            Err(RecvError),
            "every value has arrived and every Sender is gone, so recv must fail with RecvError"
        );
    });
    threads.join();
}

#[test_support::test]
fn stress_three_producers_and_a_small_queue() {
    stress::repeat(20, |_| many_producers(3, 2, stress::scaled(5_000) as u32));
}

#[test_support::test]
fn stress_one_slot_hands_over_every_value() {
    stress::repeat(20, |_| many_producers(2, 1, stress::scaled(2_000) as u32));
}
