//! Benchmarking bounded multi-producer single-consumer queues of `u32`.
//!
//! The regime: `producers` long-lived threads send, the bench thread receives,
//! and every side uses the queue's *blocking* calls, so the figures include
//! what sleeping and waking cost (unlike [`spsc`](crate::spsc), where both
//! sides busy-poll). Each side first tries without blocking and counts the
//! failures, which gives the regime (was the queue mostly empty or mostly
//! full?), then blocks.
//!
//! Producer `p` sends `p << 28 | sequence` with its own wrapping 28-bit
//! sequence, and the consumer checks that each producer's values arrive in the
//! order sent, so a queue that loses, duplicates or reorders a value fails the
//! benchmark instead of producing a number.
//!
//! One criterion iteration is one item: a batch of `n` iterations is `n` values
//! shared out among the producers, and the clock runs from the moment every
//! producer is awake and released until the consumer has received the `n`-th
//! value. Threads are spawned once per benchmark, outside the timed region,
//! and pinned: the bench thread (the consumer) to one core, the producers to
//! the other cores in turn. With fewer cores than threads, producers share a
//! core, and the harness says so.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use core_affinity::CoreId;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Throughput};

use crate::{Regime, latency, pin, preemption};

/// Producers a benchmark may have: the producer's number takes the top 4 bits
/// of each value.
pub const MAX_PRODUCERS: usize = 16;

const SEQUENCE_BITS: u32 = 28;
const SEQUENCE_MASK: u32 = (1 << SEQUENCE_BITS) - 1;

/// How long a round's start may take before the harness calls it a failure.
const LIMIT: Duration = Duration::from_secs(10);

/// A bounded multi-producer single-consumer queue under test.
///
/// Implement it on a marker type (`struct Flume;`) so that queues from other
/// crates can take part: the ends are the queue's own types.
pub trait MpscQueue {
    /// The sending end; each producer thread gets a clone.
    type Sender: Clone + Send + 'static;
    /// The receiving end. It stays on the bench thread.
    type Receiver;

    /// A queue that holds up to `capacity` values, as its two ends.
    fn new(capacity: usize) -> (Self::Sender, Self::Receiver);

    /// Sends `value` without waiting, or gives it back if the queue is full.
    fn try_send(sender: &Self::Sender, value: u32) -> Result<(), u32>;

    /// Sends `value`, waiting while the queue is full.
    fn send(sender: &Self::Sender, value: u32);

    /// Receives the oldest value without waiting, or `None` if the queue is empty.
    fn try_recv(receiver: &Self::Receiver) -> Option<u32>;

    /// Receives the oldest value, waiting while the queue is empty.
    fn recv(receiver: &Self::Receiver) -> u32;
}

/// Adds benchmark `name` to `group` (criterion's group, named `group_name`):
/// queue `Q` of `capacity` with `producers` producer threads, run as the module
/// documentation describes. Prints the regime once the benchmark is done, and
/// logs it for the results file.
///
/// Sets the group's throughput to one element per iteration.
///
/// # Panics
///
/// If `producers` is 0 or more than [`MAX_PRODUCERS`], or if the queue
/// delivers a producer's values out of order.
pub fn bench<Q: MpscQueue + 'static>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    group_name: &str,
    name: &str,
    capacity: usize,
    producers: usize,
) {
    assert!(
        (1..=MAX_PRODUCERS).contains(&producers),
        "between 1 and {MAX_PRODUCERS} producers"
    );
    group.throughput(Throughput::Elements(1));
    // Started on criterion's first call, so that a benchmark left out by the
    // command line's filter spawns nothing.
    let mut run: Option<Run<Q>> = None;
    group.bench_function(name, |b| {
        let run = run.get_or_insert_with(|| Run::start(capacity, producers));
        b.iter_custom(|items| run.round(items));
    });
    if let Some(run) = run {
        let regime = run.stop();
        println!("regime of {name}: {regime}");
        crate::log_regime(group_name, name, &regime);
    }
}

/// The cores this process may run on, read before the bench thread is pinned
/// (pinning narrows the answer to one core).
fn all_cores() -> &'static [CoreId] {
    static CORES: OnceLock<Vec<CoreId>> = OnceLock::new();
    CORES.get_or_init(|| core_affinity::get_core_ids().unwrap_or_default())
}

/// What the bench thread and the producers use to start a round together.
#[derive(Default)]
struct Signals {
    /// Producers that have taken their share of the current round.
    ready: AtomicU64,
    /// The number of the round the producers may start sending.
    go: AtomicU64,
}

/// One benchmark's queue: the receiver here, the senders on the producer threads.
struct Run<Q: MpscQueue> {
    receiver: Q::Receiver,
    /// Per producer, the sequence number its next value must carry.
    expected: Vec<u32>,
    producers: Vec<Producer>,
    signals: Arc<Signals>,
    rounds: u64,
    popped: u64,
    found_empty: u64,
    consumer_preempted: Option<u64>,
    round_trip_before: Option<Duration>,
}

/// A producer thread, and how to give it work.
struct Producer {
    /// Round sizes, one message per round. Dropping it ends the thread.
    commands: mpsc::Sender<u64>,
    /// Returns the values sent, the sends that found the queue full, and the
    /// thread's involuntary context switches during rounds.
    thread: JoinHandle<(u64, u64, Option<u64>)>,
}

impl<Q: MpscQueue + 'static> Run<Q> {
    fn start(capacity: usize, producers: usize) -> Self {
        let cores = all_cores();
        let placement = pin::placement();
        let round_trip_before = latency::round_trip(placement);
        let others: Vec<CoreId> = cores
            .iter()
            .copied()
            .filter(|core| Some(core.id) != placement.bench.map(|bench| bench.id))
            .collect();
        if placement.bench.is_some() && others.len() < producers {
            println!(
                "bench-support: {producers} producers on {} other core(s), so some producers \
                 take turns on a core",
                others.len()
            );
        }
        let (sender, receiver) = Q::new(capacity);
        let signals = Arc::new(Signals::default());
        let producers = (0..producers)
            .map(|number| {
                let core = placement
                    .bench
                    .and_then(|_| others.get(number % others.len().max(1)));
                spawn_producer::<Q>(number, core.copied(), sender.clone(), Arc::clone(&signals))
            })
            .collect::<Vec<_>>();
        drop(sender);
        Self {
            receiver,
            expected: vec![0; producers.len()],
            producers,
            signals,
            rounds: 0,
            popped: 0,
            found_empty: 0,
            consumer_preempted: Some(0),
            round_trip_before,
        }
    }

    /// Sends `n` values through the queue and returns how long that took.
    fn round(&mut self, n: u64) -> Duration {
        self.rounds += 1;
        let count = self.producers.len() as u64;
        for (number, producer) in self.producers.iter().enumerate() {
            let share = n / count + u64::from((number as u64) < n % count);
            producer
                .commands
                .send(share)
                .expect("a producer thread has died");
        }
        let started = Instant::now();
        // Relaxed: no data travels with `ready` (the producers' shares went through
        // their command channels); pairs with their Relaxed increments.
        while self.signals.ready.load(Ordering::Relaxed) != count * self.rounds {
            assert!(
                started.elapsed() < LIMIT,
                "the producer threads did not wake up"
            );
            thread::yield_now();
        }
        let preempted_before = preemption::count();
        let start = Instant::now();
        // Relaxed: only releases the producers' spin (their Relaxed load of `go`);
        // the values themselves are ordered by the queue under test.
        self.signals.go.store(self.rounds, Ordering::Relaxed);
        let mut found_empty = 0;
        for _ in 0..n {
            let value = match Q::try_recv(&self.receiver) {
                Some(value) => value,
                None => {
                    found_empty += 1;
                    Q::recv(&self.receiver)
                }
            };
            let (producer, sequence) = ((value >> SEQUENCE_BITS) as usize, value & SEQUENCE_MASK);
            let expected = self.expected[producer];
            assert_eq!(
                sequence, expected,
                "producer {producer}'s value {sequence} arrived where {expected} was expected: \
                 the queue lost, duplicated or reordered values"
            );
            self.expected[producer] = (expected + 1) & SEQUENCE_MASK;
        }
        let elapsed = start.elapsed();
        preemption::add(
            &mut self.consumer_preempted,
            preempted_before,
            preemption::count(),
        );
        self.popped += n;
        self.found_empty += found_empty;
        elapsed
    }

    /// Ends the producer threads and returns what every side counted.
    fn stop(self) -> Regime {
        let mut regime = Regime {
            popped: self.popped,
            found_empty: self.found_empty,
            consumer_preempted: self.consumer_preempted,
            producer_preempted: Some(0),
            round_trip_before: self.round_trip_before,
            round_trip_after: latency::round_trip(pin::placement()),
            ..Regime::default()
        };
        for producer in self.producers {
            // The producer's receive fails once its sender is gone, which ends its loop.
            drop(producer.commands);
            let (pushed, found_full, preempted) = producer
                .thread
                .join()
                .unwrap_or_else(|panic| panic::resume_unwind(panic));
            regime.pushed += pushed;
            regime.found_full += found_full;
            preemption::add(&mut regime.producer_preempted, Some(0), preempted);
        }
        regime
    }
}

/// Starts producer `number`, pinned to `core` if given: each round it takes its
/// share, reports ready, waits for `go`, then sends its values.
fn spawn_producer<Q: MpscQueue + 'static>(
    number: usize,
    core: Option<CoreId>,
    sender: Q::Sender,
    signals: Arc<Signals>,
) -> Producer {
    let (commands, inbox) = mpsc::channel::<u64>();
    let thread = thread::Builder::new()
        .name(format!("bench-producer-{number}"))
        .spawn(move || {
            if let Some(core) = core {
                pin::pin_current(core);
            }
            let tag = (number as u32) << SEQUENCE_BITS;
            let (mut sequence, mut pushed, mut found_full, mut preempted) = (0, 0, 0, Some(0));
            let mut round = 0;
            while let Ok(share) = inbox.recv() {
                round += 1;
                let before = preemption::count();
                // Relaxed: only tells the bench thread (its Relaxed load) that we
                // are awake; no data travels with it.
                signals.ready.fetch_add(1, Ordering::Relaxed);
                // Relaxed: pairs with the bench thread's Relaxed store of `go`; we
                // read nothing it wrote.
                while signals.go.load(Ordering::Relaxed) != round {
                    std::hint::spin_loop();
                }
                let sent = panic::catch_unwind(AssertUnwindSafe(|| {
                    for _ in 0..share {
                        let value = tag | sequence;
                        if Q::try_send(&sender, value).is_err() {
                            found_full += 1;
                            Q::send(&sender, value);
                        }
                        sequence = (sequence + 1) & SEQUENCE_MASK;
                    }
                }));
                if sent.is_err() {
                    // The consumer would wait for ever for the missing values.
                    eprintln!("bench-support: producer {number} panicked; ending the benchmark");
                    std::process::exit(101);
                }
                pushed += share;
                preemption::add(&mut preempted, before, preemption::count());
            }
            (pushed, found_full, preempted)
        })
        .expect("could not spawn a benchmark producer thread");
    Producer { commands, thread }
}
