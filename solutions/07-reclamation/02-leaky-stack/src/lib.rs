//! # A Treiber stack that leaks until dropped
//!
//! A lock-free last-in first-out stack for any number of threads, after
//! Treiber's stack (IBM Research Report RJ 5118, 1986): a singly linked list
//! whose first node is the top of the stack. A push links its node in front of
//! the top with one compare-exchange on `head`; a pop moves `head` from the top
//! node to the node after it with another, and takes the value.
//!
//! No node is freed while the stack is in use: another pop may have loaded the
//! node a pop has just unlinked and be about to read its `next`, and this stack
//! has no way of knowing when the last such reader has finished. So `pop` puts
//! the node it unlinks on a second list, `retired`, which only ever grows, and
//! dropping the stack frees them all. Because nodes are never freed, their
//! addresses never come back, and the compare-exchange on `head` cannot be
//! fooled by a recycled address (the ABA problem). The cost is memory: the
//! stack holds one node for every value it has ever carried.
//!
//! ```
//! use leaky_stack_solution::Stack;
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
    /// The node retired before this one, once this one is on the `retired`
    /// list. A field of its own: other pops may still be reading `next`.
    retired_next: *mut Node<T>,
}
// ANCHOR_END: node

/// An unbounded lock-free last-in first-out stack.
pub struct Stack<T> {
    /// The top node, or null when the stack is empty.
    head: AtomicPtr<Node<T>>,
    /// Every node a pop has unlinked, linked through `retired_next`, newest
    /// first. Only `drop` walks it.
    retired: AtomicPtr<Node<T>>,
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
            retired: AtomicPtr::new(ptr::null_mut()),
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
            retired_next: ptr::null_mut(),
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
            // SAFETY: `top` was linked by a push, and nodes are freed only when
            // the stack is dropped, which cannot happen while `&self` is borrowed.
            let next = unsafe { (*top).next };
            // Relaxed: a successful exchange publishes nothing new (the pushes
            // published every node), and a failed one only sends us round again.
            // `top` cannot have been freed and reused in the meantime, since no
            // node is freed before `drop`, so a success means `head` never left it.
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
                // Other pops may still read `(*top).next`: keep the node.
                self.retire(top);
                return Some(value);
            }
        }
    }

    /// Puts `node`, just unlinked by this thread, on the `retired` list.
    fn retire(&self, node: *mut Node<T>) {
        // Relaxed, here and below: nobody reads through `retired` but `drop`,
        // and `&mut self` already orders it after everything done through
        // `&self` (whatever ended the sharing, a join or an `Arc`, did that).
        let mut newest = self.retired.load(Ordering::Relaxed);
        loop {
            // SAFETY: only the pop that unlinked `node` writes `retired_next`,
            // and only `drop` reads it. Other pops may read `next`, a different
            // field, at the same time; no reference to the whole node is made.
            unsafe { (*node).retired_next = newest };
            match self.retired.compare_exchange_weak(
                newest,
                node,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(current) => newest = current,
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

// ANCHOR: drop
impl<T> Drop for Stack<T> {
    fn drop(&mut self) {
        // Drop the values left; their nodes join the `retired` list.
        while self.pop().is_some() {}
        // Relaxed: `&mut self` means no other thread is using the stack.
        let mut node = self.retired.load(Ordering::Relaxed);
        while !node.is_null() {
            // SAFETY: `&mut self` means nobody else can reach the nodes any more.
            // Every retired node came from `Box::into_raw`, is on the list once,
            // and has had its value moved out, which `ManuallyDrop` does not drop.
            let freed = unsafe { Box::from_raw(node) };
            node = freed.retired_next;
        }
    }
}
// ANCHOR_END: drop
