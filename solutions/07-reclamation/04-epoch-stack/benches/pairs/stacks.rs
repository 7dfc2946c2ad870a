//! The stacks under test, behind one small trait, and the one operation every
//! benchmark repeats: a push followed by a pop.

use std::hint::black_box;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, PoisonError};

use haphazard::{AtomicPtr as HazardAtomicPtr, HazardPointer};

/// A stack of `u64` that any number of threads may share.
pub trait SharedStack: Send + Sync + 'static {
    fn new() -> Self;
    fn push(&self, value: u64);
    fn pop(&self) -> Option<u64>;
}

/// One benchmark iteration: push a value, then pop one (ours, or another
/// thread's). The stack never holds more than one value per thread.
pub fn pair<S: SharedStack>(stack: &S) {
    stack.push(black_box(1));
    black_box(stack.pop());
}

/// Implements `SharedStack` for a chapter solution, whose API is the same.
macro_rules! chapter_stack {
    ($name:ident, $krate:ident) => {
        pub type $name = $krate::Stack<u64>;

        impl SharedStack for $name {
            fn new() -> Self {
                $krate::Stack::new()
            }
            fn push(&self, value: u64) {
                $krate::Stack::push(self, value);
            }
            fn pop(&self) -> Option<u64> {
                $krate::Stack::pop(self)
            }
        }
    };
}

// The exercise's solution: nodes freed through crossbeam-epoch.
chapter_stack!(EpochStack, epoch_stack_solution);
// The chapter's hazard-pointer stack.
chapter_stack!(HazardStack, hazard_stack_solution);
// The leaking stack: no node freed until the stack is dropped.
chapter_stack!(LeakyStack, leaky_stack_solution);

/// The simplest correct answer: std's vector behind one lock.
pub type MutexVec = Mutex<Vec<u64>>;

impl SharedStack for MutexVec {
    fn new() -> Self {
        Mutex::new(Vec::new())
    }
    fn push(&self, value: u64) {
        self.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(value);
    }
    fn pop(&self) -> Option<u64> {
        self.lock().unwrap_or_else(PoisonError::into_inner).pop()
    }
}

/// crossbeam's unbounded lock-free queue, which allocates slots in blocks and
/// reclaims them with its own scheme: the baseline. A queue, not a stack, but
/// a push/pop pair does the same amount of work on it.
pub type SegQueue = crossbeam_queue::SegQueue<u64>;

impl SharedStack for SegQueue {
    fn new() -> Self {
        crossbeam_queue::SegQueue::new()
    }
    fn push(&self, value: u64) {
        crossbeam_queue::SegQueue::push(self, value);
    }
    fn pop(&self) -> Option<u64> {
        crossbeam_queue::SegQueue::pop(self)
    }
}

/// A node of [`HaphazardStack`].
struct Node {
    value: u64,
    /// Set before the node is linked, never changed after. An atomic only so
    /// that `Node` is `Sync`, which `haphazard` asks of what it protects.
    next: AtomicPtr<Node>,
}

/// A Treiber stack whose nodes are freed through the `haphazard` crate's hazard
/// pointers, in its global domain: a published implementation of the scheme
/// the chapter's hazard-pointer stack builds by hand.
pub struct HaphazardStack {
    head: HazardAtomicPtr<Node>,
}

impl SharedStack for HaphazardStack {
    fn new() -> Self {
        // SAFETY: null is allowed, and every node stored later is a `Box` that
        // is only ever freed by retiring it in the global domain.
        Self {
            head: unsafe { HazardAtomicPtr::new(ptr::null_mut()) },
        }
    }

    fn push(&self, value: u64) {
        let mut node = Box::new(Node {
            value,
            next: AtomicPtr::new(ptr::null_mut()),
        });
        loop {
            // `load_ptr` is an Acquire load; push only stores the pointer.
            let top = self.head.load_ptr();
            // Relaxed: the node is not linked yet; the exchange publishes it
            // (haphazard's exchanges are Release).
            node.next.store(top, Ordering::Relaxed);
            match self.head.compare_exchange_weak(top, node) {
                Ok(_) => return,
                Err(back) => node = back,
            }
        }
    }

    fn pop(&self) -> Option<u64> {
        let mut hazard = HazardPointer::new();
        loop {
            // Protected until `hazard` is reset or dropped: no thread frees the
            // node while we read it.
            let top = self.head.safe_load(&mut hazard)?;
            // Relaxed: written before the node was published, and `safe_load`
            // loads with Acquire.
            let next = top.next.load(Ordering::Relaxed);
            let value = top.value;
            let top = ptr::from_ref(top).cast_mut();
            // SAFETY: `next` is null or a node linked by a push, so it meets the
            // rules for pointers stored in `head`.
            if let Ok(Some(unlinked)) = unsafe { self.head.compare_exchange_weak_ptr(top, next) } {
                // SAFETY: `top` is unlinked, so no hazard pointer taken from now on
                // can protect it; it is retired once, by the pop that unlinked it.
                unsafe { unlinked.retire() };
                return Some(value);
            }
        }
    }
}

impl Drop for HaphazardStack {
    fn drop(&mut self) {
        // SAFETY: only reads the pointer; `&mut self` means no other thread
        // can load or change it.
        let mut node = unsafe { *self.head.get_mut() };
        while !node.is_null() {
            // SAFETY: every node still linked came from `Box` and is reached once.
            let freed = unsafe { Box::from_raw(node) };
            node = freed.next.into_inner();
        }
    }
}
