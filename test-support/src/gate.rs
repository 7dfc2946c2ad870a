//! A gate that threads wait at until the test opens it: how a scripted test
//! holds a thread at a point it chooses, then lets it go.

use std::sync::{Condvar, Mutex, PoisonError};

/// Closed when made; once opened, it stays open and lets every waiter through.
#[derive(Debug, Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// A closed gate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits until the gate is open; returns at once if it already is.
    pub fn wait(&self) {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        drop(
            self.opened
                .wait_while(open, |open| !*open)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }

    /// Opens the gate for good.
    pub fn open(&self) {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.opened.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_waiter_passes_once_the_gate_opens() {
        let gate = Arc::new(Gate::new());
        let waiter = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || gate.wait())
        };
        gate.open();
        waiter.join().unwrap();
        gate.wait(); // already open: returns at once
    }
}
