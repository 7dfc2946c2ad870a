//! # The epoch queue
//!
//! Michael and Scott's lock-free queue (PODC 1996), as in chapter 6's broken
//! queue, moved onto `crossbeam-epoch`: every operation pins the current thread,
//! and loads its pointers with the pin's guard.
//!
//! The broken queue kept every node until the queue was dropped. This one frees
//! the old dummy in `pop` as soon as it is unlinked, which is one line too
//! early: find the `TODO`. Keep the public API (`Queue::new`, `push`, `pop`).
//!
//! Check your work with `cargo workbook check epoch-queue`. `cargo test` fails
//! on every run (`tests/freeing.rs` stays pinned while another thread pops, and
//! sees the nodes freed all the same), and Miri shows the use-after-free itself:
//! the read, the free and the allocation of the node, each with its line.
//!
//! ```
//! use epoch_queue::Queue;
//!
//! let queue = Queue::new();
//! queue.push("first");
//! queue.push("second");
//! assert_eq!(queue.pop(), Some("first"));
//! assert_eq!(queue.pop(), Some("second"));
//! assert_eq!(queue.pop(), None);
//! ```

use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::Ordering;

use crossbeam_epoch::{self as epoch, Atomic, Guard, Owned, Shared};
use crossbeam_utils::CachePadded;

/// One link of the list.
struct Node<T> {
    /// Written once, before the node is linked. Uninitialised in a dummy: the
    /// first one, and every node whose value a `pop` has taken.
    value: MaybeUninit<T>,
    /// The node after this one; null while this is the last node.
    next: Atomic<Node<T>>,
}

/// An unbounded lock-free multi-producer multi-consumer FIFO queue.
pub struct Queue<T> {
    /// The dummy: the values still queued are in the nodes after it. Never null.
    head: CachePadded<Atomic<Node<T>>>,
    /// The last node, or a node behind it while a push has linked its node but
    /// not yet swung `tail`. Never null, and never behind `head`: a pop swings it
    /// on before it unlinks the node it points at.
    tail: CachePadded<Atomic<Node<T>>>,
    /// The queue owns values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: a Queue owns its nodes and the values in them; sending the queue to
// another thread sends those values, which `T: Send` allows.
unsafe impl<T: Send> Send for Queue<T> {}

// SAFETY: through `&Queue`, a value pushed on one thread is popped on another,
// so values cross threads, which `T: Send` allows. No method hands out a `&T`,
// so `T` need not be `Sync`. Nodes may be freed by crossbeam's collector on any
// thread, but a node's value has always been taken by then.
unsafe impl<T: Send> Sync for Queue<T> {}

impl<T> Queue<T> {
    /// An empty queue: one dummy node, which both `head` and `tail` point at.
    pub fn new() -> Self {
        let queue = Self {
            head: CachePadded::new(Atomic::null()),
            tail: CachePadded::new(Atomic::null()),
            _owns: PhantomData,
        };
        let dummy = Owned::new(Node {
            value: MaybeUninit::uninit(),
            next: Atomic::null(),
        });
        // SAFETY: no other thread can see the queue yet, so there is nothing to
        // protect the dummy from.
        let dummy = dummy.into_shared(unsafe { epoch::unprotected() });
        // Relaxed: the queue reaches other threads only through something that
        // synchronizes (a spawn, an Arc), which publishes these stores too.
        queue.head.store(dummy, Ordering::Relaxed);
        // Relaxed: as above.
        queue.tail.store(dummy, Ordering::Relaxed);
        queue
    }

    // ANCHOR: push
    /// Adds `value` at the back of the queue. Never blocks; retries while other
    /// pushes get in first.
    pub fn push(&self, value: T) {
        let guard = &epoch::pin();
        let node = Owned::new(Node {
            value: MaybeUninit::new(value),
            next: Atomic::null(),
        })
        .into_shared(guard);
        loop {
            // Acquire: pairs with the Release swings of `tail`, so the node we
            // find there (its `next` included) was initialised before we read it.
            let tail = self.tail.load(Ordering::Acquire, guard);
            // SAFETY: `tail` is never null, and we are pinned: a node unlinked
            // after we pinned is not freed until we unpin.
            let last = unsafe { tail.deref() };
            // Acquire: pairs with the Release of the linking compare-exchange
            // below (in whichever push linked `next`), so we may hand `next` on.
            let next = last.next.load(Ordering::Acquire, guard);
            if !next.is_null() {
                // `tail` lags: help the push that linked `next`, then start again.
                self.swing_tail(tail, next, guard);
                continue;
            }
            // Release: pairs with the Acquire loads of `next` in `push` and
            // `pop`: a thread that finds our node also finds its value.
            let linked = last.next.compare_exchange(
                Shared::null(),
                node,
                Ordering::Release,
                Ordering::Relaxed,
                guard,
            );
            if linked.is_ok() {
                self.swing_tail(tail, node, guard);
                return;
            }
            // Another push linked its node first: start again from the tail.
        }
    }

    /// Moves `tail` from `from` to `to`, unless another thread already moved it.
    fn swing_tail<'g>(&self, from: Shared<'g, Node<T>>, to: Shared<'g, Node<T>>, guard: &'g Guard) {
        // Release: pairs with the Acquire loads of `tail`, so the next thread that
        // reads `to` from `tail` sees `to` initialised. Failure means another
        // thread moved `tail` on already: nothing to do.
        let _ = self
            .tail
            .compare_exchange(from, to, Ordering::Release, Ordering::Relaxed, guard);
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Removes the value at the front of the queue, or returns `None` if the
    /// queue is empty. Never blocks; retries while other pops get in first.
    pub fn pop(&self) -> Option<T> {
        let guard = &epoch::pin();
        loop {
            // Acquire: pairs with the Release of the compare-exchange on `head`
            // below (in an earlier pop), so the dummy we find was initialised
            // before we read its `next`.
            let head = self.head.load(Ordering::Acquire, guard);
            // SAFETY: `head` is never null, and we are pinned, so even if another
            // pop unlinks it now it is not freed until we unpin.
            // Acquire: pairs with the Release of the linking compare-exchange in
            // `push`: the value in `next` was written before we read it.
            let next = unsafe { head.deref() }.next.load(Ordering::Acquire, guard);
            if next.is_null() {
                return None;
            }
            // The old dummy is about to be unlinked and then freed, so `tail` must
            // not be left pointing at it: swing a lagging `tail` first.
            // Relaxed: `tail` is only compared with `head`, never dereferenced;
            // the node we may swing it to is `next`, which we loaded with Acquire.
            let tail = self.tail.load(Ordering::Relaxed, guard);
            if tail == head {
                self.swing_tail(tail, next, guard);
            }
            // Release: pairs with the Acquire load of `head` above in later pops,
            // which read `next`'s fields once they find it there.
            let moved = self.head.compare_exchange(
                head,
                next,
                Ordering::Release,
                Ordering::Relaxed,
                guard,
            );
            if moved.is_ok() {
                // SAFETY: only one pop moves `head` to `next`, so only we take its
                // value, which the linking push initialised (made visible by the
                // Acquire load of `next`); as the new dummy, nothing reads it again.
                let value = unsafe { ptr::read(next.deref().value.as_ptr()) };
                // TODO: another pop may have loaded `head` a moment ago and be about
                // to read its `next`. What does the guard offer for that?
                // SAFETY: `head` is unlinked: neither `head` nor `tail` points at
                // it any more. Its value was taken earlier (or never written), and
                // a MaybeUninit does not drop it.
                drop(unsafe { head.into_owned() });
                return Some(value);
            }
            // Another pop took that value: start again from the new head.
        }
    }
    // ANCHOR_END: pop
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Queue<T> {
    fn drop(&mut self) {
        // Drop the values still queued; their old dummies go to the collector.
        while self.pop().is_some() {}
        // SAFETY: `&mut self` means no other thread is using the queue, so the
        // last dummy needs no protection. It holds no value.
        unsafe {
            let guard = epoch::unprotected();
            // Relaxed: `&mut self`; no other thread is using the queue.
            let dummy = self.head.load(Ordering::Relaxed, guard);
            drop(dummy.into_owned());
        }
    }
}
