//! Tests that fail with "deadlock?" instead of hanging, and that do not call a
//! slow machine deadlocked.
//!
//! [`Threads`] runs named threads and waits for them while they make progress.
//! A thread that panics fails the test with its name. The test fails with
//! "deadlock?" only when the threads stop moving: no thread has finished or
//! reported [`progress`] for the stall limit (10 s). A stress loop that calls
//! [`progress`] for each value it hands over can therefore take as long as a
//! busy laptop needs, while a deadlock or a livelock (threads spinning without
//! getting anything done) still fails within seconds, naming the stuck threads
//! and how far each got. Stuck threads are left behind (a thread cannot be
//! killed), and the test process ends them on exit.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::crash;

/// How long a test's threads may go without progress before the test calls it
/// a deadlock.
///
/// Long enough for a step of a stress test on a loaded two-core machine, short
/// enough that a learner is not left staring at a frozen terminal. Miri runs
/// programs thousands of times slower, so under Miri the limit is an hour.
pub const DEFAULT_LIMIT: Duration = if cfg!(miri) {
    Duration::from_secs(3600)
} else {
    Duration::from_secs(10)
};

/// However steady the progress, a set of threads that runs this long fails:
/// no exercise's test needs it, so something is looping.
const OVERALL_LIMIT: Duration = if cfg!(miri) {
    Duration::from_secs(6 * 3600)
} else {
    Duration::from_secs(600)
};

/// `WORKBOOK_DEADLINE_SCALE`, or 1.
fn scale() -> u32 {
    std::env::var("WORKBOOK_DEADLINE_SCALE")
        .ok()
        .and_then(|scale| scale.parse().ok())
        .filter(|&scale| scale > 0)
        .unwrap_or(1)
}

/// How often `join` looks at the progress counters.
const POLL: Duration = Duration::from_millis(50);

type Outcome = Result<(), Box<dyn Any + Send>>;

thread_local! {
    /// The progress counters to bump on this thread: its own, if [`Threads`]
    /// started it, then those of the thread that started it, and so on, so
    /// that a test body under [`within`] sees the progress of the threads it
    /// starts.
    static STEPS: RefCell<Vec<Arc<AtomicU64>>> = const { RefCell::new(Vec::new()) };

    /// The test this thread works for, if [`within`] started it or one of the
    /// threads it starts, so that a crash can name it (see [`crash`]).
    static TEST: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Reports one step of work done (a value handed over, a round finished) by
/// the current thread, so that [`Threads::join`] knows it is moving. Does
/// nothing on a thread that [`Threads`] did not start.
pub fn progress() {
    STEPS.with(|steps| {
        for counter in steps.borrow().iter() {
            // Relaxed: a statistic that `join` polls; nothing is published through it.
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
}

/// A set of named threads that must all finish while they make progress.
///
/// ```
/// use test_support::deadline::{progress, Threads};
///
/// let mut threads = Threads::new();
/// threads.spawn("writer", || {
///     for _ in 0..1000 {
///         /* hand over a value */
///         progress();
///     }
/// });
/// threads.spawn("reader", || { /* ... */ });
/// threads.join(); // panics with "deadlock? ..." if neither moves for 10 s
/// ```
pub struct Threads {
    limit: Duration,
    /// Set by [`within`]: the one thread is a whole test's body, so a failure
    /// says so instead of calling it one of a set of threads.
    a_body: bool,
    names: Vec<String>,
    steps: Vec<Arc<AtomicU64>>,
    done_tx: mpsc::Sender<(usize, Outcome)>,
    done_rx: mpsc::Receiver<(usize, Outcome)>,
}

impl Threads {
    /// Threads that may go [`DEFAULT_LIMIT`] without progress.
    pub fn new() -> Self {
        Self::with_limit(DEFAULT_LIMIT)
    }

    /// Threads that may go `limit` without progress: without any of them
    /// finishing or calling [`progress`]. `WORKBOOK_DEADLINE_SCALE`, a whole
    /// number, multiplies the limit, for machines far slower than a laptop
    /// (verify's ARM64 step runs the tests under QEMU with it set).
    pub fn with_limit(limit: Duration) -> Self {
        let (done_tx, done_rx) = mpsc::channel();
        Self {
            limit: limit * scale(),
            a_body: false,
            names: Vec::new(),
            steps: Vec::new(),
            done_tx,
            done_rx,
        }
    }

    /// Starts `f` on a new thread called `name`.
    pub fn spawn(&mut self, name: &str, f: impl FnOnce() + Send + 'static) {
        let index = self.names.len();
        self.names.push(name.to_owned());
        let steps = Arc::new(AtomicU64::new(0));
        self.steps.push(Arc::clone(&steps));
        let mut chain = vec![steps];
        STEPS.with(|parent| chain.extend(parent.borrow().iter().cloned()));
        // A thread started inside a test works for it; outside one, the thread
        // `within` starts runs a test's body, named as the test.
        let (test, body) = match TEST.with(|test| test.borrow().clone()) {
            Some(test) => (Some(test), false),
            None => (self.a_body.then(|| Arc::from(name)), self.a_body),
        };
        let done = self.done_tx.clone();
        let thread_name = name.to_owned();
        thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                STEPS.with(|slot| *slot.borrow_mut() = chain);
                let _running = test
                    .as_deref()
                    .map(|test| crash::Running::new(test, &thread_name, body));
                TEST.with(|slot| *slot.borrow_mut() = test);
                let outcome = panic::catch_unwind(AssertUnwindSafe(f));
                // The receiver is gone only if the test already failed; nothing to report to.
                let _ = done.send((index, outcome));
            })
            .expect("the OS refused to start a test thread");
    }

    /// The steps each thread has reported so far.
    fn steps_now(&self) -> Vec<u64> {
        self.steps
            .iter()
            // Relaxed: see `progress`.
            .map(|steps| steps.load(Ordering::Relaxed))
            .collect()
    }

    /// Waits for every thread. Panics if one of them panicked, or if they
    /// stop making progress for the limit.
    pub fn join(self) {
        let start = Instant::now();
        let mut last_move = start;
        let mut steps = self.steps_now();
        let mut running = vec![true; self.names.len()];
        let mut left = self.names.len();
        while left > 0 {
            match self.done_rx.recv_timeout(POLL) {
                Ok((index, Ok(()))) => {
                    running[index] = false;
                    left -= 1;
                    last_move = Instant::now();
                }
                Ok((index, Err(payload))) => panic!(
                    "thread '{}' panicked: {}",
                    self.names[index],
                    panic_message(&*payload)
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    unreachable!("`self` holds a sender")
                }
                Err(RecvTimeoutError::Timeout) => {
                    let now = self.steps_now();
                    if now != steps {
                        steps = now;
                        last_move = Instant::now();
                    }
                    let stalled = last_move.elapsed() >= self.limit;
                    let overran = start.elapsed() >= OVERALL_LIMIT;
                    if stalled || overran {
                        self.fail(&running, &steps, overran);
                    }
                }
            }
        }
    }

    fn fail(&self, running: &[bool], steps: &[u64], overran: bool) -> ! {
        let stuck: Vec<String> = (0..self.names.len())
            .filter(|&index| running[index])
            .map(|index| match steps[index] {
                0 => self.names[index].clone(),
                done => format!("{} (after {done} steps)", self.names[index]),
            })
            .collect();
        let why = if overran {
            format!("still running after {OVERALL_LIMIT:?}")
        } else {
            format!("no progress for {:?}", self.limit)
        };
        if self.a_body {
            panic!(
                "deadlock? (or an endless loop) {why} in test {}: its body, or a thread it \
                 waits for, is stuck. Look for a thread waiting for something no other thread \
                 will ever do, or a loop that never ends.",
                self.names.join(", ")
            );
        }
        panic!(
            "deadlock? (or an endless loop) {why}; {} of {} threads still running: {}. \
             Look for a thread waiting for something no other thread will ever do, \
             or a loop that never ends.",
            stuck.len(),
            self.names.len(),
            stuck.join(", ")
        );
    }
}

impl Default for Threads {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `f` on a thread called `name` and returns its result, failing with
/// "deadlock?" if it makes no progress (see [`progress`]) for [`DEFAULT_LIMIT`].
pub fn within<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::sync_channel(1);
    let mut threads = Threads::new();
    threads.a_body = true;
    threads.spawn(name, move || {
        let _ = tx.send(f());
    });
    threads.join();
    rx.recv()
        .expect("the thread finished without sending its result")
}

/// Polls `condition` (every millisecond) until it holds or `limit` has
/// passed, and says whether it held: how a scripted test learns that a thread
/// reached a point, or gives a thread that should be waiting the chance to
/// (wrongly) come out.
pub fn comes_true_within(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while !condition() {
        if start.elapsed() > limit {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
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
    use std::sync::atomic::AtomicBool;

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
    #[should_panic(expected = "deadlock? (or an endless loop) no progress for 100ms; 1 of 2 threads still running: waiter.")]
    fn a_stuck_thread_is_named() {
        let mut threads = Threads::with_limit(Duration::from_millis(100));
        threads.spawn("quick", || {});
        join_with_a_stuck_thread(threads, "waiter", 0);
    }

    /// Adds a thread called `name` that reports `steps` steps and then waits
    /// until the joining is over, and joins: the panic of `join`, if any, is
    /// the test's, and the stuck thread is let go either way.
    fn join_with_a_stuck_thread(mut threads: Threads, name: &str, steps: usize) {
        let release = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&release);
        threads.spawn(name, move || {
            for _ in 0..steps {
                progress();
            }
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

    #[test]
    #[cfg_attr(miri, ignore = "waits for real time")]
    fn a_slow_thread_that_makes_progress_passes() {
        let mut threads = Threads::with_limit(Duration::from_millis(200));
        threads.spawn("slow", || {
            for _ in 0..8 {
                thread::sleep(Duration::from_millis(100));
                progress();
            }
        });
        threads.join();
    }

    #[test]
    #[cfg_attr(miri, ignore = "waits for a real deadline")]
    #[should_panic(expected = "spinner (after 3 steps)")]
    fn a_thread_that_stops_moving_is_named_with_its_steps() {
        let threads = Threads::with_limit(Duration::from_millis(200));
        join_with_a_stuck_thread(threads, "spinner", 3);
    }

    #[test]
    #[cfg_attr(miri, ignore = "waits for real time")]
    fn progress_inside_reaches_the_deadline_outside() {
        let mut outer = Threads::with_limit(Duration::from_millis(300));
        outer.spawn("outer", || {
            let mut inner = Threads::with_limit(Duration::from_millis(300));
            inner.spawn("inner", || {
                // A second in all: longer than the outer limit allows without progress.
                for _ in 0..10 {
                    thread::sleep(Duration::from_millis(100));
                    progress();
                }
            });
            inner.join();
        });
        outer.join();
    }
}
