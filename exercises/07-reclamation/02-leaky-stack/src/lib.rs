//! # A Treiber stack that frees too soon
//!
//! A lock-free last-in first-out stack for any number of threads, after
//! Treiber's stack (IBM Research Report RJ 5118, 1986): a singly linked list
//! whose first node is the top of the stack. A push links its node in front of
//! the top with one compare-exchange on `head`; a pop moves `head` from the top
//! node to the node after it with another, and takes the value.
//!
//! As shipped, `pop` frees the node it unlinks at once. On one thread that is
//! right. With two popping threads it is a use-after-free: the other pop may
//! have loaded the same `head` and be about to read its `next`. `cargo test`
//! fails on every run (`tests/freeing.rs` sees `pop` free a node while the stack
//! is in use), and Miri shows the use-after-free itself.
//!
//! Your job: make `pop` safe without a lock and without ever freeing a node
//! while the stack is in use (the chapter's later exercises free nodes early,
//! safely). Every node must still be freed when the stack is dropped, or Miri
//! reports a leak. Keep the public API as it is.
//!
//! Check your work with `cargo workbook check leaky-stack`, which runs the
//! tests, loom models and Miri.
//!
//! ```
//! use leaky_stack::Stack;
//!
//! let stack = Stack::new();
//! stack.push("first");
//! stack.push("second");
//! assert_eq!(stack.pop(), Some("second"));
//! assert_eq!(stack.pop(), Some("first"));
//! assert_eq!(stack.pop(), None);
//! ```

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ptr;

use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicPtr, Ordering};

// ANCHOR: node
/// One link of the list.
struct Node<T> {
    /// Written before the node is linked; moved out by the one pop that
    /// unlinks the node, so freeing a node never drops it.
    value: UnsafeCell<ManuallyDrop<T>>,
    /// The node below this one, or null at the bottom. Written only before the
    /// node is linked, so other threads only ever read it.
    next: *mut Node<T>,
}
// ANCHOR_END: node

/// An unbounded lock-free last-in first-out stack.
pub struct Stack<T> {
    /// The top node, or null when the stack is empty.
    head: AtomicPtr<Node<T>>,
    /// The stack owns values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: a Stack owns its nodes and the values in them; sending the stack to
// another thread sends those values, which `T: Send` allows.
unsafe impl<T: Send> Send for Stack<T> {}

// SAFETY: through `&Stack`, a value pushed on one thread is popped on another,
// so values cross threads, which `T: Send` allows. No method hands out a `&T`,
// so `T` need not be `Sync`.
unsafe impl<T: Send> Sync for Stack<T> {}

impl<T> Stack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        Self {
            head: AtomicPtr::new(ptr::null_mut()),
            _owns: PhantomData,
        }
    }

    // ANCHOR: push
    /// Puts `value` on top of the stack. Never blocks; retries while other
    /// threads change the top first.
    pub fn push(&self, value: T) {
        let node = Box::into_raw(Box::new(Node {
            value: UnsafeCell::new(ManuallyDrop::new(value)),
            next: ptr::null_mut(),
        }));
        // Relaxed: the top is only stored in our node's `next`, never read
        // through, so nothing needs to be visible with it.
        let mut top = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: the node is not linked yet, so no other thread can see it.
            unsafe { (*node).next = top };
            // Release: pairs with the Acquire load of `head` in `pop`: a thread
            // that finds our node there also sees its value and `next`.
            match self
                .head
                .compare_exchange_weak(top, node, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return,
                // Another thread changed the top: link in front of the new one.
                Err(current) => top = current,
            }
        }
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Takes the value on top of the stack, or returns `None` if it is empty.
    /// Never blocks; retries while other threads change the top first.
    pub fn pop(&self) -> Option<T> {
        loop {
            // Acquire: pairs with the Release of the compare-exchange in `push`
            // (every later change of `head` is a read-modify-write, so this
            // holds whichever value we read): the top's fields are visible.
            let top = self.head.load(Ordering::Acquire);
            if top.is_null() {
                return None;
            }
            // SAFETY: `top` was linked by a push, and is still allocated... or
            // is it? See the TODO below.
            let next = unsafe { (*top).next };
            // Relaxed: a successful exchange publishes nothing new (the pushes
            // published every node), and a failed one only sends us round again.
            if self
                .head
                .compare_exchange_weak(top, next, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                // SAFETY: only one pop moves `head` off `top`, so only we take its
                // value, which the Acquire load above made visible.
                let value = unsafe {
                    (*top)
                        .value
                        .with(|value| ManuallyDrop::into_inner(ptr::read(value)))
                };
                // TODO: another pop may have loaded `top` too, and be about to read
                // `(*top).next`. Keep the node until nobody can, and make sure
                // `drop` still frees it.
                // SAFETY: `top` came from `Box::into_raw` and is unlinked (but see
                // the TODO above).
                drop(unsafe { Box::from_raw(top) });
                return Some(value);
            }
        }
    }
    // ANCHOR_END: pop
}

impl<T> Default for Stack<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Stack<T> {
    fn drop(&mut self) {
        // Dropping each value left, and freeing its node.
        // TODO: also free the nodes `pop` has unlinked but kept.
        while self.pop().is_some() {}
    }
}
