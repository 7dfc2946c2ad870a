//! Many pushing and popping threads at once: every value comes out exactly once,
//! and each consumer sees each producer's values in the order they were pushed.
//!
//! A stress test can show a bug, never prove there is none; the loom models
//! (`tests/loom.rs`) and Miri are the tiers that check the orderings.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use broken_queue::Queue;
use test_support::deadline::{Threads, progress};
use test_support::stress;

const PRODUCERS: u64 = 2;
const CONSUMERS: usize = 2;

/// A value tagged with the producer that pushed it and its place in that
/// producer's sequence.
fn tag(producer: u64, sequence: u64) -> u64 {
    producer << 32 | sequence
}

/// One round: the producers push `per_producer` values each while the consumers
/// pop until all have been taken. Returns every value popped, in no particular order.
fn run_round(per_producer: u64) -> Vec<u64> {
    let queue = Arc::new(Queue::new());
    let total = (PRODUCERS * per_producer) as usize;
    let taken = Arc::new(AtomicUsize::new(0));
    let popped = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let mut threads = Threads::new();
    for producer in 0..PRODUCERS {
        let queue = Arc::clone(&queue);
        threads.spawn(&format!("producer-{producer}"), move || {
            for sequence in 0..per_producer {
                queue.push(tag(producer, sequence));
                progress();
            }
        });
    }
    for consumer in 0..CONSUMERS {
        let (queue, taken, popped) = (Arc::clone(&queue), Arc::clone(&taken), Arc::clone(&popped));
        threads.spawn(&format!("consumer-{consumer}"), move || {
            let mut mine = Vec::new();
            let mut last_seen = [None; PRODUCERS as usize];
            // Relaxed: `taken` only counts; the values travel through the queue.
            while taken.load(Ordering::Relaxed) < total {
                let Some(value) = queue.pop() else {
                    std::thread::yield_now();
                    continue;
                };
                // Relaxed: see above.
                taken.fetch_add(1, Ordering::Relaxed);
                let (producer, sequence) = ((value >> 32) as usize, value & u64::from(u32::MAX));
                if let Some(previous) = last_seen[producer] {
                    assert!(
                        previous < sequence,
                        "consumer-{consumer} popped producer-{producer}'s value {sequence} after \
                         its value {previous}, but that producer pushed them the other way round"
                    );
                }
                last_seen[producer] = Some(sequence);
                progress();
                mine.push(value);
            }
            popped.lock().unwrap_or_else(PoisonError::into_inner).extend(mine);
        });
    }
    threads.join();
    assert_eq!(queue.pop(), None, "every value was popped, so the queue must be empty");
    let mut popped = Arc::try_unwrap(popped)
        .expect("a clone of the Arc outlived its thread")
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    popped.sort_unstable();
    popped
}

#[test_support::test]
fn every_value_comes_out_exactly_once_in_each_producers_order() {
    let per_producer = stress::scaled(50_000) as u64;
    let mut expected: Vec<u64> = (0..PRODUCERS)
        .flat_map(|producer| (0..per_producer).map(move |sequence| tag(producer, sequence)))
        .collect();
    expected.sort_unstable();
    stress::repeat(10, |_| {
        let popped = run_round(per_producer);
        assert!(
            popped == expected,
            "{PRODUCERS} producers pushed {} values and {CONSUMERS} consumers popped {} \
             (sorted, the first difference is at index {}): values were lost or duplicated",
            expected.len(),
            popped.len(),
            popped.iter().zip(&expected).take_while(|(a, b)| a == b).count()
        );
    });
}
