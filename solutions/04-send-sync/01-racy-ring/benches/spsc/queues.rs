//! The queues under test, each behind bench-support's `SpscQueue`.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use bench_support::spsc::SpscQueue;
use crossbeam_queue::ArrayQueue;

use crate::plain_indices;

/// The chapter's solution: private copies of the other side's index, and the
/// two indices on separate cache lines.
pub struct Solution;

impl SpscQueue for Solution {
    type Producer = racy_ring_solution::Producer;
    type Consumer = racy_ring_solution::Consumer;

    fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
        racy_ring_solution::channel(capacity)
    }
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
        producer.push(value)
    }
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
        consumer.pop()
    }
}

/// The solution's first step: the same algorithm without its two refinements.
pub struct PlainIndices;

impl SpscQueue for PlainIndices {
    type Producer = plain_indices::Producer;
    type Consumer = plain_indices::Consumer;

    fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
        plain_indices::channel(capacity)
    }
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
        producer.push(value)
    }
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
        consumer.pop()
    }
}

/// rtrb's wait-free SPSC ring: the established crate the solution is measured against.
pub struct Rtrb;

impl SpscQueue for Rtrb {
    type Producer = rtrb::Producer<u32>;
    type Consumer = rtrb::Consumer<u32>;

    fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
        rtrb::RingBuffer::new(capacity)
    }
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
        producer
            .push(value)
            .map_err(|rtrb::PushError::Full(value)| value)
    }
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
        consumer.pop().ok()
    }
}

/// crossbeam's bounded MPMC queue, used by one producer and one consumer: what
/// the generality of many producers and consumers costs.
pub struct CrossbeamArrayQueue;

impl SpscQueue for CrossbeamArrayQueue {
    type Producer = Arc<ArrayQueue<u32>>;
    type Consumer = Arc<ArrayQueue<u32>>;

    fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
        let queue = Arc::new(ArrayQueue::new(capacity));
        (Arc::clone(&queue), queue)
    }
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
        producer.push(value)
    }
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
        consumer.pop()
    }
}

/// std's bounded channel, polled without blocking: what most code reaches for first.
pub struct StdSyncChannel;

impl SpscQueue for StdSyncChannel {
    type Producer = SyncSender<u32>;
    type Consumer = Receiver<u32>;

    fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
        mpsc::sync_channel(capacity)
    }
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
        producer.try_send(value).map_err(|error| match error {
            TrySendError::Full(value) => value,
            // The harness keeps the receiver alive until the benchmark ends.
            TrySendError::Disconnected(_) => panic!("the benchmark's receiver was dropped"),
        })
    }
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
        // `Disconnected` cannot happen: the harness drops the sender last.
        consumer.try_recv().ok()
    }
}
