//! # A Treiber stack with hazard pointers
//!
//! A lock-free last-in first-out stack for any number of threads, after
//! Treiber's stack (IBM Research Report RJ 5118, 1986), whose popped nodes are
//! freed while the stack is in use, with the hazard pointers of Michael (IEEE
//! TPDS 2004) from [`domain`].
//!
//! A pop protects the top node with a hazard pointer before it reads the
//! node's `next`; the pop that unlinks the node retires it to the domain,
//! which frees it once no hazard pointer names it. While a node is protected
//! it cannot be freed, so its address cannot come back as a new node: the
//! compare-exchange on `head` is safe from the ABA problem.
//!
//! ```
//! use hazard_stack_solution::Stack;
//!
//! let stack = Stack::new();
//! stack.push("first");
//! stack.push("second");
//! assert_eq!(stack.pop(), Some("second"));
//! assert_eq!(stack.pop(), Some("first"));
//! assert_eq!(stack.pop(), None);
//! ```

pub mod domain;

use std::mem::ManuallyDrop;
use std::ptr;

use domain::Domain;
use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{AtomicPtr, Ordering};

// ANCHOR: node
/// One link of the list.
struct Node<T> {
    /// Written before the node is linked; moved out by the one pop that
    /// unlinks the node, so freeing a node never drops it.
    value: UnsafeCell<ManuallyDrop<T>>,
    /// The node below this one, or null at the bottom. Written only before the
    /// node is linked; other pops read it while the node may be retired.
    next: UnsafeCell<*mut Node<T>>,
}
// ANCHOR_END: node

/// An unbounded lock-free last-in first-out stack.
pub struct Stack<T> {
    /// The top node, or null when the stack is empty.
    head: AtomicPtr<Node<T>>,
    /// Hazard pointers for the nodes; frees the nodes that pops unlink.
    domain: Domain<Node<T>>,
}

// SAFETY: a Stack owns its nodes and the values in them; sending the stack to
// another thread sends those values, which `T: Send` allows.
unsafe impl<T: Send> Send for Stack<T> {}

// SAFETY: through `&Stack`, a value pushed on one thread is popped on another,
// and nodes are freed by whichever thread scans, so values cross threads, which
// `T: Send` allows. No method hands out a `&T`, so `T` need not be `Sync`.
unsafe impl<T: Send> Sync for Stack<T> {}

impl<T> Stack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        Self {
            head: AtomicPtr::new(ptr::null_mut()),
            domain: Domain::new(),
        }
    }

    // ANCHOR: push
    /// Puts `value` on top of the stack. Never blocks; retries while other
    /// threads change the top first.
    pub fn push(&self, value: T) {
        let node = Box::into_raw(Box::new(Node {
            value: UnsafeCell::new(ManuallyDrop::new(value)),
            next: UnsafeCell::new(ptr::null_mut()),
        }));
        // Relaxed: the top is only stored in our node's `next`, never read
        // through.
        let mut top = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: the node is not linked yet, so no other thread can see it.
            unsafe { (*node).next.with_mut(|next| *next = top) };
            // Release: pairs with the Acquire validating load in
            // `Hazard::protect`: a pop that finds our node sees its fields.
            // Every later change of `head` is a read-modify-write, so this holds
            // whichever later value the pop reads.
            match self.head.compare_exchange_weak(
                top,
                node,
                Ordering::Release,
                Ordering::Relaxed,
            ) {
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
        let mut hazard = self.domain.hazard();
        loop {
            let top = hazard.protect(&self.head);
            if top.is_null() {
                return None;
            }
            // SAFETY: `top` is protected and was still the top after we
            // protected it, so it is not freed before `hazard` lets it go.
            let next = unsafe { (*top).next.with(|next| *next) };
            // Relaxed: a successful exchange publishes nothing new (the pushes
            // published every node), and a failed one sends us round again.
            // While `top` is protected it cannot be freed and come back, so
            // `head` still being `top` means nobody popped it in between.
            if self
                .head
                .compare_exchange(top, next, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                // SAFETY: only one pop moves `head` off `top`, so only we take
                // its value, which `protect`'s Acquire load made visible.
                let value = unsafe {
                    (*top)
                        .value
                        .with(|value| ManuallyDrop::into_inner(ptr::read(value)))
                };
                // Give up our own protection first, so our own scan may free it.
                drop(hazard);
                // SAFETY: `top` came from `Box::into_raw` in `push`; we unlinked
                // it, so it is retired once, and a pop that protects it from
                // now on fails to validate it.
                unsafe { self.domain.retire(top) };
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
        // Relaxed: `&mut self` means no other thread is using the stack.
        let mut node = self.head.load(Ordering::Relaxed);
        while !node.is_null() {
            // SAFETY: `&mut self`: nobody else can reach the linked nodes, each
            // of which came from `Box::into_raw` and still holds its value.
            let freed = unsafe { Box::from_raw(node) };
            node = freed.next.into_inner();
            drop(ManuallyDrop::into_inner(freed.value.into_inner()));
        }
        // The domain, dropped next, frees the retired nodes.
    }
}
