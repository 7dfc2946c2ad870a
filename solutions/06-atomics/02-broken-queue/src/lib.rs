//! # The broken queue, fixed
//!
//! An unbounded lock-free first-in first-out queue for any number of pushing and
//! popping threads, after Michael and Scott's queue (PODC 1996).
//!
//! The queue is a singly linked list that always starts with a *dummy* node,
//! whose value has already been taken (or never existed). `head` points at the
//! dummy, so the oldest value is in the node after it; `tail` points at the last
//! node, or lags one or more nodes behind it while a push is half done. A push
//! links its node after the last one with one compare-exchange and then swings
//! `tail` to it with another; a pop moves `head` one node on with a
//! compare-exchange and takes the value of the node it moved to, which becomes
//! the new dummy.
//!
//! Nodes are not freed until the queue is dropped: another thread may still be
//! reading a node that `pop` has just unlinked, and this queue has no way of
//! knowing when the last one has finished. Every node stays reachable from
//! `first`, so dropping the queue frees them all. Chapter 7 frees them earlier.
//!
//! ```
//! use broken_queue_solution::Queue;
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

use crossbeam_utils::CachePadded;
use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicPtr, Ordering};

// ANCHOR: node
/// One link of the list.
struct Node<T> {
    /// Written once, before the node is linked. Uninitialised in a dummy: the
    /// first one, and every node whose value a `pop` has taken.
    value: UnsafeCell<MaybeUninit<T>>,
    /// The node after this one; null while this is the last node.
    next: AtomicPtr<Node<T>>,
}
// ANCHOR_END: node

impl<T> Node<T> {
    /// A new unlinked node on the heap, owned through the returned pointer.
    fn allocate(value: MaybeUninit<T>) -> *mut Self {
        Box::into_raw(Box::new(Node {
            value: UnsafeCell::new(value),
            next: AtomicPtr::new(ptr::null_mut()),
        }))
    }
}

/// An unbounded lock-free multi-producer multi-consumer FIFO queue.
pub struct Queue<T> {
    /// The dummy: the values still queued are in the nodes after it. Never null.
    head: CachePadded<AtomicPtr<Node<T>>>,
    /// The last node, or a node behind it while a push has linked its node but
    /// not yet swung `tail`. Never null; may even lag behind `head`, since `pop`
    /// does not wait for a half-done push.
    tail: CachePadded<AtomicPtr<Node<T>>>,
    /// The first dummy. Every node ever linked is reachable from it, which is how
    /// `drop` finds the nodes that `pop` unlinked but could not free.
    first: *mut Node<T>,
    /// The queue owns values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: a Queue owns its nodes and the values in them; sending the queue to
// another thread sends those values, which `T: Send` allows. The raw pointer
// `first` points only into nodes the queue owns.
unsafe impl<T: Send> Send for Queue<T> {}

// SAFETY: through `&Queue`, a value pushed on one thread is popped on another,
// so values cross threads, which `T: Send` allows. No method hands out a `&T`,
// so `T` need not be `Sync`. Every access to shared node fields goes through
// atomics or is ordered by them (see the comments on each ordering).
unsafe impl<T: Send> Sync for Queue<T> {}

impl<T> Queue<T> {
    /// An empty queue: one dummy node, which both `head` and `tail` point at.
    pub fn new() -> Self {
        let dummy = Node::allocate(MaybeUninit::uninit());
        Self {
            head: CachePadded::new(AtomicPtr::new(dummy)),
            tail: CachePadded::new(AtomicPtr::new(dummy)),
            first: dummy,
            _owns: PhantomData,
        }
    }

    // ANCHOR: push
    /// Adds `value` at the back of the queue. Never blocks; retries while other
    /// pushes get in first.
    pub fn push(&self, value: T) {
        let node = Node::allocate(MaybeUninit::new(value));
        loop {
            // Acquire: pairs with the Release in `swing_tail`, so the node we
            // find there (its `next` included) was initialised before we read it.
            let tail = self.tail.load(Ordering::Acquire);
            // SAFETY: `tail` is never null, and nodes are freed only when the
            // queue is dropped, which cannot happen while `&self` is borrowed.
            let last_next = unsafe { &(*tail).next };
            // Acquire: pairs with the Release of the linking compare-exchange
            // below (in whichever push linked `next`), so we may read `next`'s
            // fields, and hand them on when we swing `tail` to it.
            let next = last_next.load(Ordering::Acquire);
            if next.is_null() {
                // Release: pairs with the Acquire loads of `next` in `push` and
                // `pop`: a thread that finds our node also finds its value.
                let linked = last_next.compare_exchange(
                    ptr::null_mut(),
                    node,
                    Ordering::Release,
                    Ordering::Relaxed,
                );
                if linked.is_ok() {
                    self.swing_tail(tail, node);
                    return;
                }
                // Another push linked its node first: start again from the tail.
            } else {
                // `tail` lags: a push has linked `next` but not yet swung `tail`.
                // Swing it on that push's behalf, then start again.
                self.swing_tail(tail, next);
            }
        }
    }

    /// Moves `tail` from `from` to `to`, unless another thread already moved it.
    fn swing_tail(&self, from: *mut Node<T>, to: *mut Node<T>) {
        // Release: pairs with the Acquire load of `tail` in `push`, so the next
        // push that reads `to` from `tail` sees `to` initialised. (We made `to`,
        // or read it with an Acquire load of `next`.) Failure means another
        // thread moved `tail` on already: nothing to do.
        let _ = self
            .tail
            .compare_exchange(from, to, Ordering::Release, Ordering::Relaxed);
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Removes the value at the front of the queue, or returns `None` if the
    /// queue is empty. Never blocks; retries while other pops get in first.
    pub fn pop(&self) -> Option<T> {
        loop {
            // Acquire: pairs with the Release of the compare-exchange on `head`
            // below (in an earlier pop), so the dummy we find was initialised
            // before we read its `next`.
            let head = self.head.load(Ordering::Acquire);
            // SAFETY: `head` is never null, and nodes are freed only when the
            // queue is dropped.
            // Acquire: pairs with the Release of the linking compare-exchange in
            // `push`: the value in `next` was written before we read it.
            let next = unsafe { (*head).next.load(Ordering::Acquire) };
            if next.is_null() {
                return None;
            }
            // Release: pairs with the Acquire load of `head` above in later pops,
            // which read `next`'s fields once they find it there.
            let moved = self.head.compare_exchange(
                head,
                next,
                Ordering::Release,
                Ordering::Relaxed,
            );
            if moved.is_ok() {
                // SAFETY: only one pop moves `head` to `next`, so only we take its
                // value, which the linking push initialised (made visible by the
                // Acquire load of `next`); as the new dummy, nothing reads it again.
                let value = unsafe { (*next).value.with(|value| ptr::read(value).assume_init()) };
                // The old dummy stays linked from `first`: another pop may still
                // be reading its `next`, so it is freed only with the queue.
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

// ANCHOR: drop
impl<T> Drop for Queue<T> {
    fn drop(&mut self) {
        // Drop the values still queued. The nodes before `head` hold none.
        while self.pop().is_some() {}
        let mut node = self.first;
        while !node.is_null() {
            // SAFETY: `&mut self` means no other thread is using the queue. Every
            // node from `first` on came from `Box::into_raw` and is visited once.
            // Its value was taken (or never written), and `MaybeUninit` does not
            // drop it, so freeing the node frees only the node.
            let freed = unsafe { Box::from_raw(node) };
            node = freed.next.into_inner();
        }
    }
}
// ANCHOR_END: drop
