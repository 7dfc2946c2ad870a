//! Tests that fail with "deadlock?" instead of hanging.
//!
//! [`Threads`] runs named threads and waits for them until a deadline. A thread
//! that panics fails the test with its name; threads still running at the
//! deadline fail it with "deadlock?" and their names. Stuck threads are left
//! behind (a thread cannot be killed), and the test process ends them on exit.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long a test's threads may run before the test calls it a deadlock.
///
/// Long enough for a stress test on a loaded two-core machine, short enough that
/// a learner is not left staring at a frozen terminal. Miri runs programs
/// thousands of times slower, so under Miri the limit is an hour.
pub const DEFAULT_LIMIT: Duration = if cfg!(miri) {
    Duration::from_secs(3600)
} else {
    Duration::from_secs(10)
};

type Outcome = Result<(), Box<dyn Any + Send>>;

/// A set of named threads that must all finish before a deadline.
///
/// ```
/// use test_support::deadline::Threads;
///
/// let mut threads = Threads::new();
/// threads.spawn("writer", || { /* ... */ });
/// threads.spawn("reader", || { /* ... */ });
/// threads.join(); // panics with "deadlock? ..." if either is still running after 10 s
/// ```
pub struct Threads {
    limit: Duration,
    names: Vec<String>,
    done_tx: mpsc::Sender<(usize, Outcome)>,
    done_rx: mpsc::Receiver<(usize, Outcome)>,
}

impl Threads {
    /// Threads that must finish within [`DEFAULT_LIMIT`].
    pub fn new() -> Self {
        Self::with_limit(DEFAULT_LIMIT)
    }

    /// Threads that must finish within `limit`.
    pub fn with_limit(limit: Duration) -> Self {
        let (done_tx, done_rx) = mpsc::channel();
        Self {
            limit,
            names: Vec::new(),
            done_tx,
            done_rx,
        }
    }

    /// Starts `f` on a new thread called `name`.
    pub fn spawn(&mut self, name: &str, f: impl FnOnce() + Send + 'static) {
        let index = self.names.len();
        self.names.push(name.to_owned());
        let done = self.done_tx.clone();
        thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let outcome = panic::catch_unwind(AssertUnwindSafe(f));
                // The receiver is gone only if the test already failed; nothing to report to.
                let _ = done.send((index, outcome));
            })
            .expect("the OS refused to start a test thread");
    }

    /// Waits for every thread. Panics if one of them panicked, or if any is still
    /// running when the limit runs out.
    pub fn join(self) {
        let start = Instant::now();
        let mut running = vec![true; self.names.len()];
        let mut left = self.names.len();
        while left > 0 {
            let remaining = self.limit.saturating_sub(start.elapsed());
            match self.done_rx.recv_timeout(remaining) {
                Ok((index, Ok(()))) => {
                    running[index] = false;
                    left -= 1;
                }
                Ok((index, Err(payload))) => panic!(
                    "thread '{}' panicked: {}",
                    self.names[index],
                    panic_message(&*payload)
                ),
                Err(_) => {
                    let stuck: Vec<&str> = self
                        .names
                        .iter()
                        .zip(&running)
                        .filter(|(_, running)| **running)
                        .map(|(name, _)| name.as_str())
                        .collect();
                    panic!(
                        "deadlock? {} of {} threads still running after {:?}: {}. \
                         Look for a thread waiting for something no other thread will ever do.",
                        stuck.len(),
                        self.names.len(),
                        self.limit,
                        stuck.join(", ")
                    );
                }
            }
        }
    }
}

impl Default for Threads {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `f` on a thread called `name` and returns its result, failing with
/// "deadlock?" if it has not returned within [`DEFAULT_LIMIT`].
pub fn within<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::sync_channel(1);
    let mut threads = Threads::new();
    threads.spawn(name, move || {
        let _ = tx.send(f());
    });
    threads.join();
    rx.recv()
        .expect("the thread finished, so it sent its result")
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "(a panic without a message)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn finished_threads_pass() {
        let mut threads = Threads::new();
        threads.spawn("a", || {});
        threads.spawn("b", || {});
        threads.join();
    }

    #[test]
    fn within_returns_the_result() {
        assert_eq!(within("adder", || 2 + 2), 4);
    }

    #[test]
    #[should_panic(expected = "thread 'checker' panicked: boom")]
    fn a_panic_names_its_thread() {
        let mut threads = Threads::new();
        threads.spawn("checker", || panic!("boom"));
        threads.join();
    }

    #[test]
    #[cfg_attr(miri, ignore = "waits for a real deadline")]
    #[should_panic(expected = "deadlock? 1 of 2 threads still running after 100ms: waiter")]
    fn a_stuck_thread_is_named() {
        let release = Arc::new(AtomicBool::new(false));
        let mut threads = Threads::with_limit(Duration::from_millis(100));
        threads.spawn("quick", || {});
        let flag = Arc::clone(&release);
        threads.spawn("waiter", move || {
            // Relaxed: nothing is published through the flag; it only ends the wait.
            while !flag.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(10));
            }
        });
        let result = panic::catch_unwind(AssertUnwindSafe(|| threads.join()));
        // Relaxed: see above. Lets the stuck thread finish so it does not outlive the test.
        release.store(true, Ordering::Relaxed);
        if let Err(payload) = result {
            panic::resume_unwind(payload);
        }
    }
}
