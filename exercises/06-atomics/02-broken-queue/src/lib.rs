//! # The broken queue
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
//! As shipped it has three bugs: one that a single thread can see, one that only
//! shows when a value crosses from one thread to another, and one that Miri
//! reports when the tests end. The tests in `tests/` find each of them.
//!
//! Your job: fix them without a lock, and without freeing a node that another
//! thread may still read (the book's page says why `pop` must not free the node it
//! unlinks). Keep the public API (`Queue::new`, `push`, `pop`) as it is.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check broken-queue`, which adds loom models and Miri.
//!
//! ```
//! use broken_queue::Queue;
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
    /// The queue owns values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: a Queue owns its nodes and the values in them; sending the queue to
// another thread sends those values, which `T: Send` allows.
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
            _owns: PhantomData,
        }
    }

    // ANCHOR: push
    /// Adds `value` at the back of the queue. Never blocks; retries while other
    /// pushes get in first.
    pub fn push(&self, value: T) {
        // TODO: every ordering in `push`, `swing_tail` and `pop` needs a comment
        // saying which operation on another thread it pairs with, and what
        // that thread then reads; or, for `Relaxed`, why nothing needs to be
        // ordered. Write them, and check each ordering against its comment.
        let node = Node::allocate(MaybeUninit::new(value));
        loop {
            // Ordering:
            let tail = self.tail.load(Ordering::Acquire);
            // SAFETY: `tail` is never null, and nodes are freed only when the
            // queue is dropped, which cannot happen while `&self` is borrowed.
            let last_next = unsafe { &(*tail).next };
            // Ordering:
            let next = last_next.load(Ordering::Acquire);
            if next.is_null() {
                // Orderings:
                let linked = last_next.compare_exchange(
                    ptr::null_mut(),
                    node,
                    Ordering::Relaxed,
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
        // Orderings:
        // Failure means another thread moved `tail` on already: nothing to do.
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
            // Ordering:
            let head = self.head.load(Ordering::Acquire);
            // SAFETY: `head` is never null, and nodes are freed only when the
            // queue is dropped.
            // Ordering:
            let next = unsafe { (*head).next.load(Ordering::Acquire) };
            if next.is_null() {
                return None;
            }
            // Orderings:
            let moved = self.head.compare_exchange(
                head,
                next,
                Ordering::Release,
                Ordering::Relaxed,
            );
            if moved.is_ok() {
                // SAFETY: moving `head` from `head` to `next` succeeds once, so we
                // are the only thread that takes `next`'s value; the push that
                // linked `next` initialised it before linking it, and the
                // orderings must make that write visible here. `next` is now the
                // dummy, so nothing reads or drops that value again.
                let value = unsafe { (*next).value.with(|value| ptr::read(value).assume_init()) };
                // The old dummy is not freed: another pop may still be reading
                // its `next`.
                // TODO: then who frees it, and when?
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
        // TODO: does this free every node the queue allocated, and drop every
        // value still in it?
        // Relaxed: `&mut self` means no other thread is using the queue.
        let mut node = self.head.load(Ordering::Relaxed);
        while !node.is_null() {
            // SAFETY: `&mut self` means no other thread is using the queue. Every
            // node from `head` on came from `Box::into_raw` and is visited once.
            let freed = unsafe { Box::from_raw(node) };
            node = freed.next.into_inner();
        }
    }
}
// ANCHOR_END: drop
