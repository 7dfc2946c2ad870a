//! Benchmarking single-producer single-consumer queues of `u32`.
//!
//! The regime: one producer on the bench thread and one consumer on the peer
//! thread, each pinned to its own core, both busy-polling (a failed attempt
//! spins once and retries), nothing else touching the queue. The producer pushes
//! the values 0, 1, 2, ... (wrapping) and the consumer checks that they arrive in
//! that order, so a queue that loses, duplicates or reorders values fails the
//! benchmark instead of producing a number.
//!
//! One criterion iteration is one item: for a batch of `n` iterations, the clock
//! runs from the first push until the consumer has popped the `n`-th value, so
//! criterion's time per iteration is the time per item, and its throughput is in
//! items per second. The queue starts each batch empty, since every batch's
//! values are all consumed.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Throughput};

use crate::patience::Patience;
use crate::{Peer, Regime, Watch, latency, pin};

/// A single-producer single-consumer queue under test.
///
/// Implement it on a marker type (`struct Rtrb;`) so that queues from other
/// crates can take part: the ends are the queue's own types.
pub trait SpscQueue {
    /// The pushing end. It stays on the bench thread.
    type Producer;
    /// The popping end. It moves to the peer thread.
    type Consumer: Send + 'static;

    /// A queue that holds up to `capacity` values, as its two ends.
    fn new(capacity: usize) -> (Self::Producer, Self::Consumer);

    /// Pushes `value` without waiting, or gives it back if the queue is full.
    fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32>;

    /// Pops the oldest value without waiting, or `None` if the queue is empty.
    fn try_pop(consumer: &mut Self::Consumer) -> Option<u32>;
}

/// Adds benchmark `name` to `group` (criterion's group, named `group_name`):
/// queue `Q` of `capacity`, run as the module documentation describes. Prints
/// the regime once the benchmark is done, and logs it for the results file.
///
/// Sets the group's throughput to one element per iteration.
///
/// # Panics
///
/// If the queue delivers values out of order, or stays full or empty for 10 s.
pub fn bench<Q: SpscQueue + 'static>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    group_name: &str,
    name: &str,
    capacity: usize,
) {
    group.throughput(Throughput::Elements(1));
    // Started on criterion's first call, so that a benchmark left out by the
    // command line's filter spawns nothing.
    let mut run: Option<Run<Q>> = None;
    group.bench_function(name, |b| {
        let run = run.get_or_insert_with(|| Run::start(capacity));
        b.iter_custom(|items| run.round(items));
    });
    if let Some(run) = run {
        let regime = run.stop();
        println!("regime of {name}: {regime}");
        crate::log_regime(group_name, name, &regime);
    }
}

/// One benchmark's queue: the producer here, the consumer on the peer thread.
struct Run<Q: SpscQueue> {
    producer: Q::Producer,
    /// The next value to push.
    next: u32,
    pushed: u64,
    found_full: u64,
    consumer: Peer<Receiving<Q>>,
    /// Lets the producer give up on a full queue once the consumer has failed.
    watch: Watch,
    /// The core-to-core round trip measured just before the benchmark.
    round_trip_before: Option<std::time::Duration>,
}

/// The consumer's side, owned by the peer thread.
struct Receiving<Q: SpscQueue> {
    consumer: Q::Consumer,
    /// The next value to pop, if the queue keeps order.
    expected: u32,
    popped: u64,
    found_empty: u64,
}

impl<Q: SpscQueue + 'static> Run<Q> {
    fn start(capacity: usize) -> Self {
        let placement = pin::placement();
        let round_trip_before = latency::round_trip(placement);
        let (producer, consumer) = Q::new(capacity);
        let receiving = Receiving {
            consumer,
            expected: 0,
            popped: 0,
            found_empty: 0,
        };
        let consumer = Peer::spawn(placement.peer, receiving, Receiving::receive);
        let watch = consumer.watch();
        Self {
            producer,
            next: 0,
            pushed: 0,
            found_full: 0,
            consumer,
            watch,
            round_trip_before,
        }
    }

    /// Sends `n` values through the queue and returns how long that took.
    fn round(&mut self, n: u64) -> std::time::Duration {
        let Self {
            producer,
            consumer,
            watch,
            ..
        } = self;
        // Counted in locals, not through `self`, so that the only memory the loop
        // writes is the queue's.
        let (mut next, mut found_full) = (self.next, 0);
        let elapsed = consumer.round(n, || {
            for _ in 0..n {
                let mut value = next;
                let mut patience = Patience::new();
                while let Err(back) = Q::try_push(producer, value) {
                    value = back;
                    found_full += 1;
                    patience.spin("the queue stayed full", watch);
                }
                next = next.wrapping_add(1);
            }
        });
        self.next = next;
        self.pushed += n;
        self.found_full += found_full;
        elapsed
    }

    /// Ends the consumer thread and returns what both sides counted.
    fn stop(self) -> Regime {
        let stopped = self.consumer.stop();
        Regime {
            round_trip_before: self.round_trip_before,
            round_trip_after: latency::round_trip(pin::placement()),
            pushed: self.pushed,
            found_full: self.found_full,
            popped: stopped.state.popped,
            found_empty: stopped.state.found_empty,
            producer_preempted: stopped.bench_preempted,
            consumer_preempted: stopped.peer_preempted,
        }
    }
}

impl<Q: SpscQueue> Receiving<Q> {
    /// The peer's job: pops `n` values, checking their order.
    fn receive(&mut self, n: u64) -> Result<(), String> {
        let mut found_empty = 0;
        for _ in 0..n {
            let value = loop {
                match Q::try_pop(&mut self.consumer) {
                    Some(value) => break value,
                    None => {
                        found_empty += 1;
                        // No deadline here: if the producer gives up, its panic
                        // ends the process, this thread included.
                        std::hint::spin_loop();
                    }
                }
            };
            if value != self.expected {
                return Err(format!(
                    "the queue delivered {value} where {} was expected: it lost, duplicated \
                     or reordered values",
                    self.expected
                ));
            }
            self.expected = value.wrapping_add(1);
        }
        self.popped += n;
        self.found_empty += found_empty;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A bounded queue behind a lock: slow but plainly correct. If `LOSE` is a
    /// value it would carry, it silently drops that value, as a broken queue might.
    struct Locked<const LOSE: u32>;

    struct Bounded {
        values: VecDeque<u32>,
        capacity: usize,
    }

    impl<const LOSE: u32> SpscQueue for Locked<LOSE> {
        type Producer = Arc<Mutex<Bounded>>;
        type Consumer = Arc<Mutex<Bounded>>;

        fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
            let queue = Arc::new(Mutex::new(Bounded {
                values: VecDeque::new(),
                capacity,
            }));
            (Arc::clone(&queue), queue)
        }
        fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
            let mut queue = producer.lock().unwrap();
            if queue.values.len() == queue.capacity {
                return Err(value);
            }
            if value != LOSE {
                queue.values.push_back(value);
            }
            Ok(())
        }
        fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
            consumer.lock().unwrap().values.pop_front()
        }
    }

    #[test]
    fn every_value_pushed_is_popped_across_rounds() {
        let mut run = Run::<Locked<{ u32::MAX }>>::start(4);
        run.round(1000);
        run.round(1000);
        let regime = run.stop();
        assert_eq!((regime.pushed, regime.popped), (2000, 2000));
    }

    // The consumer fails at value 6 and stops popping while the producer still has
    // values to push into a queue of 4: the producer must give up with the
    // consumer's reason, not wait for a queue that nobody empties.
    #[test]
    #[should_panic(expected = "delivered 6 where 5 was expected")]
    fn a_queue_that_loses_a_value_fails_instead_of_timing() {
        let mut run = Run::<Locked<5>>::start(4);
        run.round(1000);
    }
}
