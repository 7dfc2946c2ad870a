//! # A bounded two-lock queue
//!
//! A bounded multi-producer single-consumer channel built from two
//! `Mutex`es, two `Condvar`s and one atomic counter: the blocking queue of Doug
//! Lea's `java.util.concurrent.LinkedBlockingQueue`, which takes its two locks
//! from Michael and Scott's two-lock queue (PODC 1996), here on a ring of slots.
//!
//! - The **tail lock** guards the producers' end, and producers sleep on
//!   `not_full` with it while the queue is full.
//! - The **head lock** guards the consumer's end, and the consumer sleeps on
//!   `not_empty` with it while the queue is empty.
//! - `count`, the number of values waiting, is the only state both ends share.
//!
//! So a producer and the consumer can move values at the same moment. The price
//! is paid when one end must wake the other: a sleeper checked the queue while
//! holding *its own* lock, so whoever wakes it takes that lock too (see
//! [`Shared::signal_not_empty`]). Disconnection is reported as by
//! `std::sync::mpsc`, with its error types.

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
    pub fn send(&self, mut value: T) -> Result<(), SendError<T>> {
        let shared = &*self.shared;
        let mut tail = lock(&shared.tail);
        let before = loop {
            if !tail.receiver_alive {
                return Err(SendError(value));
            }
            match shared.try_enqueue(&mut tail, value) {
                Ok(before) => break before,
                Err(back) => {
                    value = back;
                    tail = shared.sleep_until_not_full(tail);
                }
            }
        };
        shared.after_enqueue(tail, before);
        Ok(())
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
        let shared = &*self.shared;
        let mut head = lock(&shared.head);
        loop {
            if let Some((value, before)) = shared.try_dequeue(&mut head) {
                shared.after_dequeue(head, before);
                return Ok(value);
            }
            if head.senders == 0 {
                return Err(RecvError);
            }
            head = shared.sleep_until_not_empty(head);
        }
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
        // The consumer checks `count` and falls asleep while holding the head lock.
        // Taking that lock here waits until it has either seen our value or is
        // asleep, so the wake-up cannot fall between its check and its sleep.
        let head = lock(&self.head);
        if head.sleepers > 0 {
            self.not_empty.notify_one();
        }
    }
    // ANCHOR_END: signal

    /// Wakes one producer if any sleeps on a full queue.
    fn signal_not_full(&self) {
        // As in `signal_not_empty`, with the producers' lock.
        let tail = lock(&self.tail);
        if tail.sleepers > 0 {
            self.not_full.notify_one();
        }
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
        // Under the head lock, like every change the consumer's sleep depends on.
        let mut head = lock(&self.shared.head);
        head.senders -= 1;
        if head.senders == 0 && head.sleepers > 0 {
            self.shared.not_empty.notify_all();
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut tail = lock(&self.shared.tail);
        tail.receiver_alive = false;
        if tail.sleepers > 0 {
            self.shared.not_full.notify_all();
        }
    }
}
// ANCHOR_END: drop
