//! Step 1 of the racy Ring's solution: the first correct answer.
//!
//! The same algorithm as the finished solution: `head` and `tail` count forever,
//! a value's slot is its index masked by the (power-of-two) slot count, and each
//! side stores only its own index. What it lacks are the solution's two
//! refinements, so the benchmark can show what they buy:
//!
//! - it loads both indices from the shared atomics on every call, keeping no
//!   private copy of either;
//! - `head` and `tail` sit side by side, usually on one cache line, so every
//!   store by one side evicts the line the other side is reading.

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: ring
/// What the two handles share.
struct Ring {
    /// Values popped so far. Stored only by the consumer.
    head: AtomicUsize,
    /// Values pushed so far. Stored only by the producer.
    tail: AtomicUsize,
    /// `slots.len()` is a power of two, at least `capacity`; index `i` lives in
    /// `slots[i & mask]`. The slots of indices `head..tail` hold values that the
    /// consumer may read; all others belong to the producer.
    slots: Box<[UnsafeCell<u32>]>,
    mask: usize,
    capacity: usize,
}

/// The writing end. There is exactly one per ring.
pub struct Producer {
    ring: Arc<Ring>,
}

/// The reading end. There is exactly one per ring.
pub struct Consumer {
    ring: Arc<Ring>,
}

impl Producer {
    /// Adds `value` at the back, or gives it back as `Err(value)` if the ring is full.
    pub fn push(&mut self, value: u32) -> Result<(), u32> {
        let ring = &*self.ring;
        // Relaxed: only this thread stores `tail` (the Release store below), so
        // this load reads our own last store and synchronizes with nothing.
        let tail = ring.tail.load(Ordering::Relaxed);
        // Acquire: pairs with the consumer's Release store of `head`, so its reads
        // of the slots it has freed happen before we overwrite them.
        let head = ring.head.load(Ordering::Acquire);
        if tail.wrapping_sub(head) == ring.capacity {
            return Err(value);
        }
        // SAFETY: index `tail` is outside `head..tail`, so the consumer does not read
        // this slot until the store below publishes it, and no other thread writes
        // it because there is one producer. `tail - head < capacity`, so the slot
        // is not one the consumer may still be reading.
        unsafe { *ring.slots[tail & ring.mask].get() = value };
        // Release: publishes the slot write above to the consumer's Acquire load
        // of `tail`.
        ring.tail.store(tail.wrapping_add(1), Ordering::Release);
        Ok(())
    }
}

impl Consumer {
    /// Takes the value at the front, or returns `None` if the ring is empty.
    pub fn pop(&mut self) -> Option<u32> {
        let ring = &*self.ring;
        // Relaxed: only this thread stores `head` (the Release store below), so
        // this load reads our own last store and synchronizes with nothing.
        let head = ring.head.load(Ordering::Relaxed);
        // Acquire: pairs with the producer's Release store of `tail`, so the slot
        // writes it published are visible to the read below.
        let tail = ring.tail.load(Ordering::Acquire);
        if head == tail {
            return None;
        }
        // SAFETY: index `head` is inside `head..tail`: the producer wrote this slot
        // before its Release store of a `tail` past it, which our Acquire load saw,
        // and it will not write the slot again until we move `head` past it.
        let value = unsafe { *ring.slots[head & ring.mask].get() };
        // Release: hands the slot back; pairs with the producer's Acquire load of
        // `head`, so our read above happens before its next write to the slot.
        ring.head.store(head.wrapping_add(1), Ordering::Release);
        Some(value)
    }
}
// ANCHOR_END: ring

// SAFETY: only the two handles reach a `Ring` (one of each, never cloned). The producer
// writes only slots outside `head..tail`, handing them over with a Release store of
// `tail`; the consumer reads only slots inside it, handing them back with a Release
// store of `head`; each side's Acquire load of those indices pairs with that store.
unsafe impl Sync for Ring {}

/// Creates a ring that holds up to `capacity` values and returns its two ends.
///
/// # Panics
///
/// If `capacity` is 0, or so large that the slots cannot be allocated.
pub fn channel(capacity: usize) -> (Producer, Consumer) {
    assert!(capacity > 0, "a ring needs room for at least one value");
    let slot_count = capacity
        .checked_next_power_of_two()
        .expect("capacity too large for a ring");
    let ring = Arc::new(Ring {
        head: AtomicUsize::new(0),
        tail: AtomicUsize::new(0),
        slots: (0..slot_count).map(|_| UnsafeCell::new(0)).collect(),
        mask: slot_count - 1,
        capacity,
    });
    let producer = Producer {
        ring: Arc::clone(&ring),
    };
    (producer, Consumer { ring })
}
