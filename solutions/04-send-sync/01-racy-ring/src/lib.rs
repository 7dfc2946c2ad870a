//! # A lock-free single-producer single-consumer ring
//!
//! The answer to the racy Ring exercise. One [`Producer`] pushes, one [`Consumer`]
//! pops, and neither ever waits for the other: each side owns one index and only
//! reads the other's.
//!
//! - `tail` counts the values ever pushed; only the producer stores it.
//! - `head` counts the values ever popped; only the consumer stores it.
//! - `tail - head` (with wrapping arithmetic) is the number of values waiting, so
//!   there is no shared length for the two sides to fight over.
//!
//! The indices count forever and wrap at `usize::MAX`; a value's slot is its
//! index masked by the (power-of-two) slot count. Two refinements, after rtrb and
//! crossbeam's `ArrayQueue`, keep the two cores from trading cache lines:
//!
//! - `head` and `tail` sit on separate cache lines ([`CachePadded`]), so a store
//!   to one does not evict the other from the reader's cache (false sharing).
//! - Each side keeps a private copy of the other's index and reloads it only when
//!   that copy says the ring is full (producer) or empty (consumer).

use crossbeam_utils::CachePadded;
use test_support::cell::UnsafeCell;
use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: ring
/// What the two handles share.
struct Ring {
    /// Values popped so far. Stored only by the consumer.
    head: CachePadded<AtomicUsize>,
    /// Values pushed so far. Stored only by the producer.
    tail: CachePadded<AtomicUsize>,
    /// `slots.len()` is a power of two, at least `capacity`; index `i` lives in
    /// `slots[i & mask]`. The slots of indices `head..tail` hold values that the
    /// consumer may read; all others belong to the producer.
    slots: Box<[UnsafeCell<u32>]>,
    mask: usize,
    capacity: usize,
}
// ANCHOR_END: ring

// ANCHOR: unsafe-impl
// SAFETY: only the one `Producer` writes slots, only those outside `head..tail`; only
// the one `Consumer` reads slots, only those inside it; a slot changes sides only by a
// Release store of `tail` or `head` that the other side's Acquire load reads. That is
// what the `UnsafeCell`s (which alone make `Ring` `!Sync`) need; a `u32` is `Send`.
unsafe impl Sync for Ring {}
// ANCHOR_END: unsafe-impl

// ANCHOR: handles
/// The writing end. There is exactly one per ring; it cannot be cloned.
pub struct Producer {
    ring: Arc<Ring>,
    /// Our own `tail`: only we store it, so we never need to load it.
    tail: usize,
    /// The last `head` we loaded. The real `head` is at least this, so a ring that
    /// is not full by this copy is not full.
    cached_head: usize,
}

/// The reading end. There is exactly one per ring; it cannot be cloned.
pub struct Consumer {
    ring: Arc<Ring>,
    /// Our own `head`: only we store it.
    head: usize,
    /// The last `tail` we loaded. The real `tail` is at least this.
    cached_tail: usize,
}
// ANCHOR_END: handles

/// Creates a ring that holds up to `capacity` values and returns its two ends.
///
/// # Panics
///
/// If `capacity` is 0, or so large that the slots cannot be allocated.
// ANCHOR: channel
pub fn channel(capacity: usize) -> (Producer, Consumer) {
    assert!(capacity > 0, "a ring needs room for at least one value");
    let slot_count = capacity
        .checked_next_power_of_two()
        .expect("capacity too large for a ring");
    let ring = Arc::new(Ring {
        head: CachePadded::new(AtomicUsize::new(0)),
        tail: CachePadded::new(AtomicUsize::new(0)),
        slots: (0..slot_count).map(|_| UnsafeCell::new(0)).collect(),
        mask: slot_count - 1,
        capacity,
    });
    let producer = Producer {
        ring: Arc::clone(&ring),
        tail: 0,
        cached_head: 0,
    };
    let consumer = Consumer {
        ring,
        head: 0,
        cached_tail: 0,
    };
    (producer, consumer)
}
// ANCHOR_END: channel

impl Producer {
    /// Adds `value` at the back, or gives it back as `Err(value)` if the ring is full.
    // ANCHOR: push
    // `#[inline]` lets callers in other crates inline it; otherwise every push is a
    // call that writes the cached indices back to memory.
    #[inline]
    pub fn push(&mut self, value: u32) -> Result<(), u32> {
        let ring = &*self.ring;
        if self.tail.wrapping_sub(self.cached_head) == ring.capacity {
            // Acquire: pairs with the consumer's Release store of `head`, so its
            // reads of the slots it has freed happen before we overwrite them.
            self.cached_head = ring.head.load(Ordering::Acquire);
            if self.tail.wrapping_sub(self.cached_head) == ring.capacity {
                return Err(value);
            }
        }
        ring.slots[self.tail & ring.mask].with_mut(|slot| {
            // SAFETY: the index `tail` is outside `head..tail`, so the consumer does not
            // read this slot until we publish it below, and we are the only producer.
            // The check above ensures `tail - head < capacity`: the slot is not one the
            // consumer may still be reading.
            unsafe { slot.write(value) }
        });
        self.tail = self.tail.wrapping_add(1);
        // Release: publishes the slot write above to the consumer's Acquire load of `tail`.
        ring.tail.store(self.tail, Ordering::Release);
        Ok(())
    }
    // ANCHOR_END: push

    /// How many values the ring holds when full.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.ring.capacity
    }
}

impl Consumer {
    /// Takes the value at the front, or returns `None` if the ring is empty.
    // ANCHOR: pop
    #[inline]
    pub fn pop(&mut self) -> Option<u32> {
        let ring = &*self.ring;
        if self.head == self.cached_tail {
            // Acquire: pairs with the producer's Release store of `tail`, so the slot
            // writes it published are visible to the reads below.
            self.cached_tail = ring.tail.load(Ordering::Acquire);
            if self.head == self.cached_tail {
                return None;
            }
        }
        let value = ring.slots[self.head & ring.mask].with(|slot| {
            // SAFETY: `head` is inside `head..tail`: the producer wrote this slot before
            // its Release store of a `tail` past it, which our Acquire load saw, and it
            // will not write the slot again until we move `head` past it.
            unsafe { slot.read() }
        });
        self.head = self.head.wrapping_add(1);
        // Release: hands the slot back; pairs with the producer's Acquire load of
        // `head`, so our read above happens before its next write to the slot.
        ring.head.store(self.head, Ordering::Release);
        Some(value)
    }
    // ANCHOR_END: pop
}
