//! The baseline: a bounded queue behind one `Mutex`, with a `Condvar` for "not
//! empty" and one for "not full". The first correct design most people write;
//! producers and the consumer take turns on the one lock.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

// ANCHOR: one-lock
pub struct OneLockQueue<T> {
    values: Mutex<VecDeque<T>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> OneLockQueue<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            values: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    pub fn send(&self, value: T) {
        let mut values = self.lock();
        while values.len() == self.capacity {
            values = self.not_full.wait(values).unwrap();
        }
        values.push_back(value);
        self.not_empty.notify_one();
    }

    pub fn recv(&self) -> T {
        let mut values = self.lock();
        loop {
            if let Some(value) = values.pop_front() {
                self.not_full.notify_one();
                return value;
            }
            values = self.not_empty.wait(values).unwrap();
        }
    }
    // ANCHOR_END: one-lock

    pub fn try_send(&self, value: T) -> Result<(), T> {
        let mut values = self.lock();
        if values.len() == self.capacity {
            return Err(value);
        }
        values.push_back(value);
        self.not_empty.notify_one();
        Ok(())
    }

    pub fn try_recv(&self) -> Option<T> {
        let value = self.lock().pop_front()?;
        self.not_full.notify_one();
        Some(value)
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.values.lock().unwrap()
    }
}
