//! Producer/consumer pairs sharing one unbounded queue, all busy-polling.
//!
//! bench-support's harnesses (`spsc`, `mpsc`) keep one queue for the whole
//! benchmark and have one consumer. That does not fit here: the chapter's queue
//! frees no node until it is dropped, so one queue kept for millions of values
//! would hold gigabytes. So this harness follows their rules with a fresh queue
//! per round: the worker threads (every producer, and every consumer but the
//! first) are spawned once per benchmark, outside the timed region, pinned to
//! the cores other than the bench thread's in turn, and kept across criterion's
//! iterations; the bench thread is the first consumer. Each round's queue is
//! made before the clock starts and dropped after it stops.
//!
//! One criterion iteration is one item: for a batch of `n`, the producers push
//! `n` values between them, and the clock runs from the moment every worker is
//! awake and released until the consumers have popped all `n` and every worker
//! has finished its share. Producer `p` pushes `p << 28 | sequence`, and each
//! consumer checks that each producer's values reach it in the order pushed, so
//! a queue that loses, duplicates or reorders values never yields a figure.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use bench_support::pin;
use core_affinity::CoreId;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Throughput};

use crate::queues::SharedQueue;

/// The most pairs a benchmark may have: the producer's number takes the top 4
/// bits of each value.
const MAX_PAIRS: u32 = 16;
const SEQUENCE_BITS: u32 = 28;
const SEQUENCE_MASK: u32 = (1 << SEQUENCE_BITS) - 1;

/// How long a round may take before the harness calls it a failure.
const LIMIT: Duration = Duration::from_secs(10);

static CORES: OnceLock<Vec<CoreId>> = OnceLock::new();

/// Reads the cores this process may use. Call it before anything pins the
/// bench thread: pinning narrows the answer to one core.
pub fn remember_cores() {
    CORES.get_or_init(|| core_affinity::get_core_ids().unwrap_or_default());
}

/// Adds benchmark `name` to `group`: queue `Q` shared by `pairs` producer/consumer
/// pairs, as the module documentation describes.
///
/// # Panics
///
/// If `pairs` is 0 or more than 16, or if the queue reorders a producer's values.
pub fn bench<Q: SharedQueue>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    group_name: &str,
    name: &str,
    pairs: u32,
) {
    assert!((1..=MAX_PAIRS).contains(&pairs), "between 1 and {MAX_PAIRS} pairs");
    group.throughput(Throughput::Elements(1));
    // Started on criterion's first call, so that a benchmark left out by the
    // command line's filter spawns nothing.
    let mut run: Option<Run<Q>> = None;
    group.bench_function(name, |b| {
        let run = run.get_or_insert_with(|| Run::start(pairs));
        b.iter_custom(|items| run.round(items));
    });
    if let Some(run) = run {
        let (popped, found_empty) = run.stop();
        let regime = format!(
            "{pairs} pair(s); the first consumer found the queue empty {found_empty} times \
             while {popped} values went through"
        );
        println!("regime of {name}: {regime}");
        log_regime(group_name, name, &regime);
    }
}

/// Appends the regime to the file `cargo workbook bench` names in
/// [`bench_support::REGIME_LOG`], in the harness's format, so that the results
/// file carries it beside the figure.
fn log_regime(group: &str, function: &str, regime: &str) {
    use std::io::Write as _;
    let Some(path) = std::env::var_os(bench_support::REGIME_LOG) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{group}\t{function}\t{regime}"));
    if let Err(error) = written {
        eprintln!("could not append to {}: {error}", path.to_string_lossy());
    }
}

/// What the bench thread and the workers share to run a round together.
#[derive(Default)]
struct Signals {
    /// Workers that have taken their share of the current round.
    ready: AtomicU64,
    /// The number of the round the workers may start.
    go: AtomicU64,
    /// Values popped so far in this round, by either consumer.
    popped: AtomicU64,
    /// Workers that have finished the current round.
    finished: AtomicU64,
}

/// A worker thread and how to give it work: one message per round, with the
/// round's queue and the worker's share (a producer's values to push, or the
/// round's total for a consumer).
struct Worker<Q> {
    commands: mpsc::Sender<(Arc<Q>, u64)>,
    thread: JoinHandle<()>,
}

struct Run<Q> {
    pairs: u32,
    signals: Arc<Signals>,
    workers: Vec<Worker<Q>>,
    /// The bench thread's own check of each producer's order.
    order: OrderCheck,
    rounds: u64,
    popped: u64,
    found_empty: u64,
}

impl<Q: SharedQueue> Run<Q> {
    fn start(pairs: u32) -> Self {
        let placement = pin::placement();
        let others: Vec<CoreId> = CORES
            .get()
            .into_iter()
            .flatten()
            .copied()
            .filter(|core| Some(core.id) != placement.bench.map(|bench| bench.id))
            .collect();
        let core = |number: usize| {
            placement
                .bench
                .and_then(|_| others.get(number % others.len().max(1)).copied())
        };
        let signals = Arc::new(Signals::default());
        let mut workers: Vec<Worker<Q>> = (0..pairs)
            .map(|producer| {
                spawn_worker(core(producer as usize), &signals, move |queue: &Q, share, _| {
                    push_share(queue, producer, share)
                })
            })
            .collect();
        for consumer in 1..pairs {
            let mut order = OrderCheck::new(pairs);
            let core = core((pairs + consumer - 1) as usize);
            workers.push(spawn_worker(core, &signals, move |queue: &Q, n, signals| {
                pop_until(queue, n, signals, &mut order);
            }));
        }
        if placement.bench.is_some() && others.len() < workers.len() {
            println!(
                "broken-queue bench: {} worker threads on {} other core(s), so some take turns on a core",
                workers.len(),
                others.len()
            );
        }
        Self {
            pairs,
            signals,
            workers,
            order: OrderCheck::new(pairs),
            rounds: 0,
            popped: 0,
            found_empty: 0,
        }
    }

    /// Sends `n` values through the queue and returns how long that took.
    fn round(&mut self, n: u64) -> Duration {
        self.rounds += 1;
        let workers = self.workers.len() as u64;
        let queue = Arc::new(Q::new());
        // Relaxed: the workers read it only after receiving this round's command,
        // and the channel orders that after this store.
        self.signals.popped.store(0, Ordering::Relaxed);
        let producers = u64::from(self.pairs);
        for (number, worker) in self.workers.iter().enumerate() {
            let share = if (number as u64) < producers {
                n / producers + u64::from((number as u64) < n % producers)
            } else {
                n
            };
            worker
                .commands
                .send((Arc::clone(&queue), share))
                .expect("a worker thread has died");
        }
        let waiting = Instant::now();
        // Relaxed: no data travels with `ready`; pairs with the workers' Relaxed increments.
        while self.signals.ready.load(Ordering::Relaxed) != workers * self.rounds {
            assert!(waiting.elapsed() < LIMIT, "the worker threads did not wake up");
            thread::yield_now();
        }
        let start = Instant::now();
        // Relaxed: only ends the workers' spin; the values travel through the queue.
        self.signals.go.store(self.rounds, Ordering::Relaxed);
        self.found_empty += pop_until(&*queue, n, &self.signals, &mut self.order);
        // Relaxed: the workers hand over nothing but their count; pairs with
        // their Relaxed increments.
        while self.signals.finished.load(Ordering::Relaxed) != workers * self.rounds {
            assert!(
                start.elapsed() < LIMIT,
                "a worker thread did not finish its share (did it panic?)"
            );
            spin_loop();
        }
        let elapsed = start.elapsed();
        // The workers dropped their handles before finishing, so the queue (and
        // every node it kept) is freed here, after the clock has stopped.
        drop(queue);
        self.popped += n;
        elapsed
    }

    /// Ends the workers; returns the values the bench thread popped and how
    /// often it found the queue empty.
    fn stop(self) -> (u64, u64) {
        for worker in self.workers {
            // The worker's receive fails once its sender is gone, which ends its loop.
            drop(worker.commands);
            worker
                .thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        (self.popped, self.found_empty)
    }
}

/// Starts a worker, pinned to `core` if given: each round it takes its queue
/// and share, reports ready, waits for `go`, runs `job(queue, share)` and
/// reports finished.
fn spawn_worker<Q: SharedQueue>(
    core: Option<CoreId>,
    signals: &Arc<Signals>,
    mut job: impl FnMut(&Q, u64, &Signals) + Send + 'static,
) -> Worker<Q> {
    let signals = Arc::clone(signals);
    let (commands, inbox) = mpsc::channel::<(Arc<Q>, u64)>();
    let thread = thread::Builder::new()
        .name("bench-worker".to_owned())
        .spawn(move || {
            if let Some(core) = core {
                pin::pin_current(core);
            }
            let mut round = 0;
            while let Ok((queue, share)) = inbox.recv() {
                round += 1;
                // Relaxed: only tells the bench thread we are awake.
                signals.ready.fetch_add(1, Ordering::Relaxed);
                // Relaxed: pairs with the bench thread's Relaxed store of `go`.
                while signals.go.load(Ordering::Relaxed) != round {
                    spin_loop();
                }
                job(&queue, share, &signals);
                drop(queue);
                // Relaxed: only the count travels; see `Run::round`.
                signals.finished.fetch_add(1, Ordering::Relaxed);
            }
        })
        .expect("could not spawn a benchmark worker thread");
    Worker { commands, thread }
}

fn push_share(queue: &impl SharedQueue, producer: u32, share: u64) {
    // Each producer's sequence restarts every round; the consumers' checks
    // restart with it (see `OrderCheck::next_round`).
    for sequence in 0..share {
        queue.push(producer << SEQUENCE_BITS | (sequence as u32 & SEQUENCE_MASK));
    }
}

/// Pops until the consumers together have popped `n` values this round;
/// returns how often the queue was found empty.
fn pop_until(queue: &impl SharedQueue, n: u64, signals: &Signals, order: &mut OrderCheck) -> u64 {
    order.next_round();
    let mut found_empty = 0;
    // Relaxed: only counts; the values travel through the queue.
    while signals.popped.load(Ordering::Relaxed) < n {
        match queue.pop() {
            Some(value) => {
                order.check(value);
                // Relaxed: see above.
                signals.popped.fetch_add(1, Ordering::Relaxed);
            }
            None => {
                found_empty += 1;
                spin_loop();
            }
        }
    }
    found_empty
}

/// One consumer's view of each producer's order within a round.
struct OrderCheck {
    last: Vec<Option<u32>>,
}

impl OrderCheck {
    fn new(producers: u32) -> Self {
        Self {
            last: vec![None; producers as usize],
        }
    }

    fn next_round(&mut self) {
        self.last.fill(None);
    }

    fn check(&mut self, value: u32) {
        let (producer, sequence) = ((value >> SEQUENCE_BITS) as usize, value & SEQUENCE_MASK);
        if let Some(previous) = self.last[producer] {
            assert!(
                previous < sequence,
                "producer {producer}'s value {sequence} arrived after its value {previous}: \
                 the queue reordered values"
            );
        }
        self.last[producer] = Some(sequence);
    }
}
