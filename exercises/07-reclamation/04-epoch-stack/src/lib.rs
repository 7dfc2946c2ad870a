//! # A Treiber stack on epochs
//!
//! The lock-free stack of the leaky-stack exercise (after Treiber, IBM Research
//! Report RJ 5118, 1986), now freeing the nodes it pops while it is in use, with
//! epoch-based reclamation from `crossbeam-epoch`.
//!
//! A thread *pins* itself before it loads a node pointer from the stack, and
//! stays pinned while it uses the node. A node that has been unlinked is not
//! freed at once but handed to the collector, which frees it once every thread
//! that was pinned at the time has unpinned: by then none of them can still
//! hold a pointer to it.
//!
//! As shipped, `pop` does everything right except the last step: it frees the
//! node it unlinked at once, while another thread pinned at the same moment may
//! be about to read its `next`. `cargo test` fails on every run
//! (`tests/freeing.rs` stays pinned while another thread pops, and sees the
//! nodes freed all the same), and Miri shows the use-after-free itself.
//!
//! Your job: hand the node to the collector instead. Keep the public API as it
//! is. Check your work with `cargo workbook check epoch-stack`, which runs the
//! tests and Miri.
//!
//! ```
//! use epoch_stack::Stack;
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
use std::sync::atomic::Ordering;

use crossbeam_epoch::{self as epoch, Atomic, Owned};

/// One link of the list.
struct Node<T> {
    /// Moved out by the one pop that unlinks the node, so freeing a node (on
    /// whichever thread the collector runs it) never drops it.
    value: ManuallyDrop<T>,
    /// The node below this one, or null at the bottom. Set before the node is
    /// linked and never changed after.
    next: Atomic<Node<T>>,
}

/// An unbounded lock-free last-in first-out stack.
pub struct Stack<T> {
    /// The top node, or null when the stack is empty.
    head: Atomic<Node<T>>,
    /// The stack owns values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: a Stack owns its nodes and the values in them; sending the stack to
// another thread sends those values, which `T: Send` allows.
unsafe impl<T: Send> Send for Stack<T> {}

// SAFETY: through `&Stack`, a value pushed on one thread is popped on another,
// so values cross threads, which `T: Send` allows. No method hands out a `&T`,
// so `T` need not be `Sync`. Nodes may be freed on any thread, but freeing one
// never touches its value.
unsafe impl<T: Send> Sync for Stack<T> {}

impl<T> Stack<T> {
    /// An empty stack.
    pub fn new() -> Self {
        Self {
            head: Atomic::null(),
            _owns: PhantomData,
        }
    }

    /// Puts `value` on top of the stack. Never blocks; retries while other
    /// threads change the top first.
    pub fn push(&self, value: T) {
        let mut node = Owned::new(Node {
            value: ManuallyDrop::new(value),
            next: Atomic::null(),
        });
        // `Atomic`'s methods want a guard; push never reads through the pointers
        // it loads, but pinning keeps the code simple.
        let guard = epoch::pin();
        loop {
            // Relaxed: the top is only stored in our node's `next`, never read
            // through, so nothing needs to be visible with it.
            let top = self.head.load(Ordering::Relaxed, &guard);
            // Relaxed: the node is not linked yet; the exchange below publishes it.
            node.next.store(top, Ordering::Relaxed);
            // Release: pairs with the Acquire load of `head` in `pop`: a thread
            // that finds our node there also sees its value and `next`.
            match self.head.compare_exchange(
                top,
                node,
                Ordering::Release,
                Ordering::Relaxed,
                &guard,
            ) {
                Ok(_) => return,
                // Another thread changed the top: take the node back and retry.
                Err(failed) => node = failed.new,
            }
        }
    }

    // ANCHOR: pop
    /// Takes the value on top of the stack, or returns `None` if it is empty.
    /// Never blocks; retries while other threads change the top first.
    pub fn pop(&self) -> Option<T> {
        // While `guard` lives, no node this thread loads can be freed.
        let guard = epoch::pin();
        loop {
            // Acquire: pairs with the Release of the compare-exchange in `push`
            // (every later change of `head` is a read-modify-write, so this
            // holds whichever value we read): the top's fields are visible.
            let top = self.head.load(Ordering::Acquire, &guard);
            // SAFETY: `top` is null or a node a push linked. We are pinned, so
            // even if another pop unlinks it now, it is not freed before we unpin.
            let top_node = unsafe { top.as_ref() }?;
            // Relaxed: `next` was written before the node was published, and the
            // Acquire load above made that write visible.
            let next = top_node.next.load(Ordering::Relaxed, &guard);
            // Relaxed: a successful exchange publishes nothing new (the pushes
            // published every node), and a failed one only sends us round again.
            if self
                .head
                .compare_exchange(top, next, Ordering::Relaxed, Ordering::Relaxed, &guard)
                .is_ok()
            {
                // SAFETY: only one pop moves `head` off `top`, so only we take its
                // value; `ManuallyDrop` keeps the node from dropping it again.
                let value = unsafe { ptr::read(&top_node.value) };
                // TODO: other threads pinned right now may have loaded `top` too,
                // and be about to read its `next`. Do not free it yourself: hand it
                // to the collector (see `Guard`'s methods).
                // SAFETY: `top` came from `Owned::new` and is unlinked (but see
                // the TODO above).
                drop(unsafe { top.into_owned() });
                return Some(ManuallyDrop::into_inner(value));
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
        // SAFETY: `&mut self` means no other thread can reach the nodes, so
        // nothing needs protecting while we walk and free them.
        let guard = unsafe { epoch::unprotected() };
        // Relaxed: `&mut self` already orders this after every other use.
        let mut node = self.head.load(Ordering::Relaxed, guard);
        while !node.is_null() {
            // SAFETY: every node still linked came from `Owned::new`, is reached
            // once, and nobody else holds it; its value has not been taken.
            let mut owned = unsafe { node.into_owned() };
            // Relaxed: see above.
            node = owned.next.load(Ordering::Relaxed, guard);
            // SAFETY: the value is still in the node, and this drops it once.
            unsafe { ManuallyDrop::drop(&mut owned.value) };
        }
    }
}
