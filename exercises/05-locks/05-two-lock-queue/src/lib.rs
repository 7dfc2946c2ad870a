//! # The two-lock queue
//!
//! A bounded multi-producer single-consumer channel built from two `Mutex`es,
//! two `Condvar`s and one atomic counter (in `shared.rs`, which is done):
//!
//! - the **tail lock** guards the producers' end, and producers sleep on
//!   `not_full` with it while the queue is full;
//! - the **head lock** guards the consumer's end, and the consumer sleeps on
//!   `not_empty` with it while the queue is empty;
//! - `count`, the number of values waiting, is the only state both ends share.
//!
//! The parts that never wait work already: `channel`, `try_send`, `try_recv`,
//! and filling and emptying slots (`Shared::try_enqueue`, `Shared::try_dequeue`).
//! Yours are the parts that wait and wake (`send`, `recv`, the two signals) and
//! disconnection (the two `Drop`s), each marked `// TODO`. Errors are
//! `std::sync::mpsc`'s, and mean what they mean there.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check two-lock-queue`, which adds loom models (a lost wake-up
//! shows there as a deadlock) and Miri.

mod shared;

pub use std::sync::mpsc::{RecvError, SendError, TryRecvError, TrySendError};

use shared::{Head, Shared, Tail, lock};
use test_support::sync::{Arc, MutexGuard};

/// Creates a queue that holds up to `capacity` values, and returns its two ends.
/// Clone the [`Sender`] for more producers.
///
/// # Panics
///
/// If `capacity` is 0.
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "a queue needs room for at least one value");
    let shared = Arc::new(Shared::new(capacity));
    let sender = Sender {
        shared: Arc::clone(&shared),
    };
    (sender, Receiver { shared })
}

/// The sending end. Clone it to send from several threads.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end. There is one per queue.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Sender<T> {
    /// Adds `value` at the back, waiting while the queue is full.
    ///
    /// # Errors
    ///
    /// Gives `value` back if the [`Receiver`] has been dropped.
    // ANCHOR: send
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        // TODO: with the tail lock held: fail if the receiver is gone; otherwise
        // try to enqueue, and while the queue is full, sleep and try again
        // (`Shared::sleep_until_not_full`). Then wake whoever the new value
        // concerns, as `try_send` does.
        let _ = value;
        todo!("Sender::send: wait while the queue is full")
    }
    // ANCHOR_END: send

    /// Adds `value` at the back if there is room, without waiting.
    ///
    /// # Errors
    ///
    /// Gives `value` back as `Full` if the queue is full, or as `Disconnected` if
    /// the [`Receiver`] has been dropped.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let shared = &*self.shared;
        let mut tail = lock(&shared.tail);
        if !tail.receiver_alive {
            return Err(TrySendError::Disconnected(value));
        }
        let before = shared
            .try_enqueue(&mut tail, value)
            .map_err(TrySendError::Full)?;
        shared.after_enqueue(tail, before);
        Ok(())
    }
}

impl<T> Receiver<T> {
    /// Takes the value at the front, waiting while the queue is empty.
    ///
    /// # Errors
    ///
    /// `RecvError` once the queue is empty and every [`Sender`] has been dropped.
    // ANCHOR: recv
    pub fn recv(&self) -> Result<T, RecvError> {
        // TODO: with the head lock held: take a value if there is one; otherwise
        // fail if every sender is gone, or sleep (`Shared::sleep_until_not_empty`)
        // and look again. Then wake whoever the taken value concerns.
        todo!("Receiver::recv: wait while the queue is empty")
    }
    // ANCHOR_END: recv

    /// Takes the value at the front if there is one, without waiting.
    ///
    /// # Errors
    ///
    /// `Empty` if the queue is empty, `Disconnected` if it is empty and every
    /// [`Sender`] has been dropped.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let shared = &*self.shared;
        let mut head = lock(&shared.head);
        match shared.try_dequeue(&mut head) {
            Some((value, before)) => {
                shared.after_dequeue(head, before);
                Ok(value)
            }
            None if head.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

impl<T> Shared<T> {
    /// Wakes whoever the value just added concerns. `before` is how many values
    /// the queue held before it.
    fn after_enqueue(&self, tail: MutexGuard<'_, Tail>, before: usize) {
        // Room is left: pass the wake-up on to another sleeping producer, since
        // the consumer wakes only one each time the queue stops being full.
        if before + 1 < self.capacity() && tail.sleepers > 0 {
            self.not_full.notify_one();
        }
        drop(tail);
        if before == 0 {
            self.signal_not_empty();
        }
    }

    /// Wakes whoever the value just taken concerns. `before` is how many values
    /// the queue held before.
    fn after_dequeue(&self, head: MutexGuard<'_, Head>, before: usize) {
        // Values are left: pass the wake-up on to another sleeping receiver (a
        // `&Receiver` may be shared between threads).
        if before > 1 && head.sleepers > 0 {
            self.not_empty.notify_one();
        }
        drop(head);
        if before == self.capacity() {
            self.signal_not_full();
        }
    }

    /// Wakes the consumer if it sleeps on an empty queue.
    // ANCHOR: signal
    fn signal_not_empty(&self) {
        // TODO: this wake-up can get lost. The consumer checks `count`, then goes
        // to sleep, holding the head lock throughout. What if this notification
        // comes between its check and its sleep? And who would wake it then?
        self.not_empty.notify_one();
    }
    // ANCHOR_END: signal

    /// Wakes one producer if any sleeps on a full queue.
    fn signal_not_full(&self) {
        // TODO: the same question as in `signal_not_empty`, for the producers.
        self.not_full.notify_one();
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        lock(&self.shared.head).senders += 1;
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

// ANCHOR: drop
impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // TODO: one sender fewer. When the last one goes, a consumer asleep on an
        // empty queue must wake up and fail (`RecvError`): nothing will arrive.
        // Under which lock does the consumer read `senders`?
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // TODO: from now on every send fails, including those asleep on a full
        // queue.
    }
}
// ANCHOR_END: drop
