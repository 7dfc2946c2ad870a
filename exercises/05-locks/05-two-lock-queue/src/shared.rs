//! The queue's state, and the steps that involve no waiting: filling a slot,
//! emptying one, and going to sleep with the sleeper counted.
//!
//! Each end has its own lock. The tail lock ([`Tail`]) belongs to the
//! producers, the head lock ([`Head`]) to the consumer, so a producer and the
//! consumer never wait for each other's lock while they move values. The one
//! thing both ends touch is `count`, an atomic.

use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicUsize, Ordering};
use test_support::sync::{Condvar, Mutex, MutexGuard};

/// The producers' end, guarded by the tail lock.
pub(crate) struct Tail {
    /// The slot the next value goes into.
    pub(crate) index: usize,
    /// Producers asleep on `not_full`. Whoever signals reads it (with this lock
    /// held) and skips the wake-up call when nobody sleeps.
    pub(crate) sleepers: usize,
    /// False once the [`Receiver`](crate::Receiver) is dropped: sends fail from then on.
    pub(crate) receiver_alive: bool,
}

/// The consumer's end, guarded by the head lock.
pub(crate) struct Head {
    /// The slot the next value comes from.
    pub(crate) index: usize,
    /// Receivers asleep on `not_empty`.
    pub(crate) sleepers: usize,
    /// Live [`Sender`](crate::Sender)s. At 0, a receive from an empty queue fails
    /// instead of waiting for a value that can never come.
    pub(crate) senders: usize,
}

/// What the [`Sender`](crate::Sender)s and the [`Receiver`](crate::Receiver) share.
pub(crate) struct Shared<T> {
    /// The ring of slots. A slot holds `Some` from the moment a producer fills it
    /// until the consumer takes its value out.
    slots: Box<[UnsafeCell<Option<T>>]>,
    /// How many slots hold a value. Raised only after a slot is filled, lowered
    /// only after one is emptied, so each end can trust it about the slot it
    /// is about to touch.
    count: AtomicUsize,
    pub(crate) head: Mutex<Head>,
    /// The consumer sleeps on it, with the head lock, while the queue is empty.
    pub(crate) not_empty: Condvar,
    pub(crate) tail: Mutex<Tail>,
    /// Producers sleep on it, with the tail lock, while the queue is full.
    pub(crate) not_full: Condvar,
}

// SAFETY: a slot (`UnsafeCell`, what makes `Shared` `!Sync`) is filled only under
// the tail lock when `count` says it is free, emptied only under the head lock when
// `count` says it is full, and the Release/Acquire pairs on `count` order the two.
// A value crosses threads, so `T: Send`.
unsafe impl<T: Send> Sync for Shared<T> {}

/// Locks `mutex`. No code that can panic runs while a queue lock is held, so the
/// locks are never poisoned.
pub(crate) fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    mutex
        .lock()
        .expect("no code panics while holding a queue lock")
}

impl<T> Shared<T> {
    /// An empty queue with `capacity` slots and one sender.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            slots: (0..capacity).map(|_| UnsafeCell::new(None)).collect(),
            count: AtomicUsize::new(0),
            head: Mutex::new(Head {
                index: 0,
                sleepers: 0,
                senders: 1,
            }),
            not_empty: Condvar::new(),
            tail: Mutex::new(Tail {
                index: 0,
                sleepers: 0,
                receiver_alive: true,
            }),
            not_full: Condvar::new(),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }

    // ANCHOR: enqueue
    /// Puts `value` into the next slot and returns how many values the queue
    /// held before, or gives `value` back if the queue is full.
    ///
    /// `tail` can only be borrowed from the tail lock's guard, so the caller
    /// holds that lock: no other producer writes a slot meanwhile.
    pub(crate) fn try_enqueue(&self, tail: &mut Tail, value: T) -> Result<usize, T> {
        // Acquire: pairs with the consumer's Release decrement in `try_dequeue`, so
        // its read of the slot we are about to fill happens before our write.
        if self.count.load(Ordering::Acquire) == self.capacity() {
            return Err(value);
        }
        // SAFETY: fewer than `capacity` slots hold values, and the consumer lowers
        // `count` only after it has emptied a slot, so the slot at `tail.index` is
        // empty and the consumer is done with it (see the Acquire above). Only the
        // tail lock's holder writes slots, and we hold it.
        self.slots[tail.index].with_mut(|slot| unsafe { *slot = Some(value) });
        tail.index = (tail.index + 1) % self.capacity();
        // Release: publishes the slot write above to the consumer's Acquire load
        // of `count` in `try_dequeue`.
        Ok(self.count.fetch_add(1, Ordering::Release))
    }
    // ANCHOR_END: enqueue

    // ANCHOR: dequeue
    /// Takes the value out of the oldest slot and returns it with how many values
    /// the queue held before, or `None` if the queue is empty.
    ///
    /// `head` can only be borrowed from the head lock's guard, so the caller
    /// holds that lock.
    pub(crate) fn try_dequeue(&self, head: &mut Head) -> Option<(T, usize)> {
        // Acquire: pairs with a producer's Release increment in `try_enqueue`, so
        // its write of the slot we are about to empty happens before our read.
        if self.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        // SAFETY: at least one slot holds a value, and producers raise `count` only
        // after filling a slot, so the slot at `head.index` is full and its writer
        // is done with it (see the Acquire above). Only the head lock's holder
        // empties slots, and we hold it.
        let value = self.slots[head.index].with_mut(|slot| unsafe { (*slot).take() });
        head.index = (head.index + 1) % self.capacity();
        // Release: hands the emptied slot back; pairs with a producer's Acquire
        // load of `count` in `try_enqueue`.
        let before = self.count.fetch_sub(1, Ordering::Release);
        Some((value.expect("a counted slot holds a value"), before))
    }
    // ANCHOR_END: dequeue

    /// Sleeps on `not_full` until woken, counted in `tail.sleepers` meanwhile.
    /// Wake-ups can be spurious: check the queue again afterwards.
    // Unused until you write `send` and `recv`.
    #[allow(dead_code)]
    pub(crate) fn sleep_until_not_full<'a>(
        &self,
        mut tail: MutexGuard<'a, Tail>,
    ) -> MutexGuard<'a, Tail> {
        tail.sleepers += 1;
        let mut tail = self
            .not_full
            .wait(tail)
            .expect("no code panics while holding a queue lock");
        tail.sleepers -= 1;
        tail
    }

    /// Sleeps on `not_empty` until woken, counted in `head.sleepers` meanwhile.
    /// Wake-ups can be spurious: check the queue again afterwards.
    // Unused until you write `send` and `recv`.
    #[allow(dead_code)]
    pub(crate) fn sleep_until_not_empty<'a>(
        &self,
        mut head: MutexGuard<'a, Head>,
    ) -> MutexGuard<'a, Head> {
        head.sleepers += 1;
        let mut head = self
            .not_empty
            .wait(head)
            .expect("no code panics while holding a queue lock");
        head.sleepers -= 1;
        head
    }
}
