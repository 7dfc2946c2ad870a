//! The queues under test, behind one small trait.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

/// An unbounded queue of `u32` that any number of threads may share.
pub trait SharedQueue: Send + Sync + 'static {
    fn new() -> Self;
    fn push(&self, value: u32);
    fn pop(&self) -> Option<u32>;
}

/// The chapter's solution: one heap node per value.
pub type Solution = broken_queue_solution::Queue<u32>;

impl SharedQueue for Solution {
    fn new() -> Self {
        broken_queue_solution::Queue::new()
    }
    fn push(&self, value: u32) {
        broken_queue_solution::Queue::push(self, value);
    }
    fn pop(&self) -> Option<u32> {
        broken_queue_solution::Queue::pop(self)
    }
}

/// crossbeam's unbounded MPMC queue, which allocates slots in blocks: the baseline.
pub type SegQueue = crossbeam_queue::SegQueue<u32>;

impl SharedQueue for SegQueue {
    fn new() -> Self {
        crossbeam_queue::SegQueue::new()
    }
    fn push(&self, value: u32) {
        crossbeam_queue::SegQueue::push(self, value);
    }
    fn pop(&self) -> Option<u32> {
        crossbeam_queue::SegQueue::pop(self)
    }
}

/// The simplest correct answer: std's ring buffer behind one lock.
pub type MutexVecDeque = Mutex<VecDeque<u32>>;

impl SharedQueue for MutexVecDeque {
    fn new() -> Self {
        Mutex::new(VecDeque::new())
    }
    fn push(&self, value: u32) {
        self.lock().unwrap_or_else(PoisonError::into_inner).push_back(value);
    }
    fn pop(&self) -> Option<u32> {
        self.lock().unwrap_or_else(PoisonError::into_inner).pop_front()
    }
}
