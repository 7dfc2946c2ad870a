//! The queues under test, each behind bench-support's `MpscQueue`. The harness
//! keeps every receiver alive until its producers are done, so a disconnected
//! channel is a broken benchmark and panics.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError as StdTrySendError};

use crossbeam_channel::TrySendError as CrossbeamTrySendError;
use flume::TrySendError as FlumeTrySendError;

use bench_support::mpsc::MpscQueue;

use crate::one_lock::OneLockQueue;

const DISCONNECTED: &str = "the benchmark's receiver was dropped";

/// An adapter for a channel with std's API shape: `try_send` failing with
/// `Full` or `Disconnected`, blocking `send` and `recv`, and `try_recv`.
macro_rules! channel_adapter {
    ($(#[$doc:meta])* $name:ident, $sender:ty, $receiver:ty, $channel:path, $try_send_error:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl MpscQueue for $name {
            type Sender = $sender;
            type Receiver = $receiver;

            fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
                $channel(capacity)
            }
            fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32> {
                sender.try_send(value).map_err(|error| match error {
                    $try_send_error::Full(value) => value,
                    $try_send_error::Disconnected(_) => panic!("{DISCONNECTED}"),
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
    };
}

channel_adapter!(
    /// The chapter's solution: one lock for each end.
    TwoLock,
    two_lock_queue_solution::Sender<u32>,
    two_lock_queue_solution::Receiver<u32>,
    two_lock_queue_solution::channel,
    StdTrySendError
);

channel_adapter!(
    /// std's bounded channel: what most code reaches for first.
    StdSyncChannel,
    SyncSender<u32>,
    Receiver<u32>,
    mpsc::sync_channel,
    StdTrySendError
);

channel_adapter!(
    /// crossbeam-channel's bounded (array-based) channel.
    CrossbeamBounded,
    crossbeam_channel::Sender<u32>,
    crossbeam_channel::Receiver<u32>,
    crossbeam_channel::bounded,
    CrossbeamTrySendError
);

channel_adapter!(
    /// flume's bounded channel.
    FlumeBounded,
    flume::Sender<u32>,
    flume::Receiver<u32>,
    flume::bounded,
    FlumeTrySendError
);

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

