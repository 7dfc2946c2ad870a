//! The queues under test, each behind bench-support's `MpscQueue`. The harness
//! keeps every receiver alive until its producers are done, so a disconnected
//! channel is a broken benchmark and panics.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender};

use bench_support::mpsc::MpscQueue;

use crate::one_lock::OneLockQueue;

const DISCONNECTED: &str = "the benchmark's receiver was dropped";

/// The chapter's solution: one lock for each end.
pub struct TwoLock;

impl MpscQueue for TwoLock {
    type Sender = two_lock_queue_solution::Sender<u32>;
    type Receiver = two_lock_queue_solution::Receiver<u32>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        two_lock_queue_solution::channel(capacity)
    }
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
        sender.try_send(value).map_err(|error| match error {
            mpsc::TrySendError::Full(value) => value,
            mpsc::TrySendError::Disconnected(_) => panic!("{DISCONNECTED}"),
        })
    }
    fn send(sender: &Self::Sender, value: u32) {
        sender.send(value).expect(DISCONNECTED);
    }
    fn try_recv(receiver: &Self::Receiver) -> Option<u32> {
        receiver.try_recv().ok()
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the benchmark's senders were dropped")
    }
}

/// One `Mutex<VecDeque>` and two `Condvar`s: what splitting the lock is measured against.
pub struct OneLock;

impl MpscQueue for OneLock {
    type Sender = Arc<OneLockQueue<u32>>;
    type Receiver = Arc<OneLockQueue<u32>>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        let queue = Arc::new(OneLockQueue::new(capacity));
        (Arc::clone(&queue), queue)
    }
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
        sender.try_send(value)
    }
    fn send(sender: &Self::Sender, value: u32) {
        sender.send(value);
    }
    fn try_recv(receiver: &Self::Receiver) -> Option<u32> {
        receiver.try_recv()
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv()
    }
}

/// std's bounded channel: what most code reaches for first.
pub struct StdSyncChannel;

impl MpscQueue for StdSyncChannel {
    type Sender = SyncSender<u32>;
    type Receiver = Receiver<u32>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        mpsc::sync_channel(capacity)
    }
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
        sender.try_send(value).map_err(|error| match error {
            mpsc::TrySendError::Full(value) => value,
            mpsc::TrySendError::Disconnected(_) => panic!("{DISCONNECTED}"),
        })
    }
    fn send(sender: &Self::Sender, value: u32) {
        sender.send(value).expect(DISCONNECTED);
    }
    fn try_recv(receiver: &Self::Receiver) -> Option<u32> {
        receiver.try_recv().ok()
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the benchmark's senders were dropped")
    }
}

/// crossbeam-channel's bounded (array-based) channel.
pub struct CrossbeamBounded;

impl MpscQueue for CrossbeamBounded {
    type Sender = crossbeam_channel::Sender<u32>;
    type Receiver = crossbeam_channel::Receiver<u32>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        crossbeam_channel::bounded(capacity)
    }
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
        sender.try_send(value).map_err(|error| match error {
            crossbeam_channel::TrySendError::Full(value) => value,
            crossbeam_channel::TrySendError::Disconnected(_) => panic!("{DISCONNECTED}"),
        })
    }
    fn send(sender: &Self::Sender, value: u32) {
        sender.send(value).expect(DISCONNECTED);
    }
    fn try_recv(receiver: &Self::Receiver) -> Option<u32> {
        receiver.try_recv().ok()
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the benchmark's senders were dropped")
    }
}

/// flume's bounded channel.
pub struct FlumeBounded;

impl MpscQueue for FlumeBounded {
    type Sender = flume::Sender<u32>;
    type Receiver = flume::Receiver<u32>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        flume::bounded(capacity)
    }
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
        sender.try_send(value).map_err(|error| match error {
            flume::TrySendError::Full(value) => value,
            flume::TrySendError::Disconnected(_) => panic!("{DISCONNECTED}"),
        })
    }
    fn send(sender: &Self::Sender, value: u32) {
        sender.send(value).expect(DISCONNECTED);
    }
    fn try_recv(receiver: &Self::Receiver) -> Option<u32> {
        receiver.try_recv().ok()
    }
    fn recv(receiver: &Self::Receiver) -> u32 {
        receiver.recv().expect("the benchmark's senders were dropped")
    }
}
