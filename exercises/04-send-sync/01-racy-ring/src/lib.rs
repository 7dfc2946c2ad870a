//! # The racy Ring
//!
//! A fixed-capacity ring buffer of `u32`: one thread pushes with a [`Producer`],
//! another pops with a [`Consumer`]. As shipped it is wrong in five ways (the
//! book's page takes them one by one), and the tests in `tests/` say so:
//!
//! 1. Even on one thread, `push` overwrites values the reader has not taken yet.
//! 2. Once the handles are on two threads, both turn one raw pointer into
//!    `&mut Ring` at the same time: two live `&mut` to one value.
//! 3. `len` is a plain `usize` that both threads change, and the slots are plain
//!    memory that one thread writes while the other reads: data races.
//! 4. The `unsafe impl Send` lines promise the compiler that all this is fine
//!    across threads. It is not, and without them the racy program would not
//!    compile.
//! 5. Nothing ever frees the ring.
//!
//! Your job: a correct single-producer single-consumer ring with no lock. Keep the
//! public API (`channel`, `Producer::push`, `Producer::capacity`, `Consumer::pop`)
//! exactly as it is; everything behind it is yours to change.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check racy-ring`, which adds a loom model and Miri.

/// The shared state. Both handles point at one `Ring`.
// TODO: which of these fields does only the producer write? only the consumer?
// A value that one thread writes while another reads it must be an atomic (see
// `test_support::sync::atomic`), and a slot that one thread writes and another
// later reads belongs in a `test_support::cell::UnsafeCell`, so that loom can
// watch every access.
// ANCHOR: ring
struct Ring {
    slots: Box<[u32]>,
    /// Index of the next slot to read.
    head: usize,
    /// Index of the next slot to write.
    tail: usize,
    /// How many values are waiting.
    len: usize,
}
// ANCHOR_END: ring

// ANCHOR: handles
/// The writing end. There is exactly one per ring.
pub struct Producer {
    // TODO: a raw pointer gives no ownership: who frees the ring, and when?
    ring: *mut Ring,
}

/// The reading end. There is exactly one per ring.
pub struct Consumer {
    ring: *mut Ring,
}

// TODO: these two lines tell the compiler "trust me, this is thread-safe". It is
// not. Once the handles are built from thread-safe parts, the compiler works out
// `Send` on its own and you can delete them.
unsafe impl Send for Producer {}
unsafe impl Send for Consumer {}
// ANCHOR_END: handles

/// Creates a ring that holds up to `capacity` values and returns its two ends.
///
/// # Panics
///
/// If `capacity` is 0.
pub fn channel(capacity: usize) -> (Producer, Consumer) {
    assert!(capacity > 0, "a ring needs room for at least one value");
    let ring = Box::into_raw(Box::new(Ring {
        slots: vec![0; capacity].into_boxed_slice(),
        head: 0,
        tail: 0,
        len: 0,
    }));
    (Producer { ring }, Consumer { ring })
}

impl Producer {
    /// Adds `value` at the back, or gives it back as `Err(value)` if the ring is full.
    // ANCHOR: push
    pub fn push(&mut self, value: u32) -> Result<(), u32> {
        // TODO: the consumer holds a `&mut Ring` to the same ring at the same time.
        let ring = unsafe { &mut *self.ring };
        // TODO: what if the ring is full?
        ring.slots[ring.tail] = value;
        ring.tail = (ring.tail + 1) % ring.slots.len();
        ring.len += 1;
        Ok(())
    }
    // ANCHOR_END: push

    /// How many values the ring holds when full.
    pub fn capacity(&self) -> usize {
        let ring = unsafe { &*self.ring };
        ring.slots.len()
    }
}

impl Consumer {
    /// Takes the value at the front, or returns `None` if the ring is empty.
    // ANCHOR: pop
    pub fn pop(&mut self) -> Option<u32> {
        let ring = unsafe { &mut *self.ring };
        if ring.len == 0 {
            return None;
        }
        let value = ring.slots[ring.head];
        ring.head = (ring.head + 1) % ring.slots.len();
        ring.len -= 1;
        Some(value)
    }
    // ANCHOR_END: pop
}
