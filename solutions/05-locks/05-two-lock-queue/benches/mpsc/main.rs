//! Bounded multi-producer single-consumer throughput: the two-lock queue
//! against a one-lock queue and three established channels, all of capacity
//! 1024, with one producer and with two.
//!
//! Run it with `cargo bench --bench mpsc` in this folder. The regime (pinned
//! threads, blocking `send` and `recv`, one criterion iteration per item) is
//! described in `bench_support::mpsc`, and each benchmark prints the regime it
//! actually ran in. Absolute figures belong to the machine; compare the
//! variants within one run, as ratios.

mod one_lock;
mod queues;

use std::time::Duration;

use bench_support::mpsc;
use criterion::{Criterion, criterion_group, criterion_main};

/// The same for every queue, so each holds the same number of values in flight.
const CAPACITY: usize = 1024;

fn with_producers(c: &mut Criterion, group_name: &str, producers: usize) {
    let mut group = c.benchmark_group(group_name);
    // Short enough that the ten benchmarks finish in about two minutes on an
    // instructor's laptop; each sample still holds many thousands of items.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    mpsc::bench::<queues::TwoLock>(&mut group, group_name, "two-lock-queue", CAPACITY, producers);
    mpsc::bench::<queues::OneLock>(&mut group, group_name, "one-lock-condvar", CAPACITY, producers);
    mpsc::bench::<queues::StdSyncChannel>(
        &mut group,
        group_name,
        "std-sync-channel",
        CAPACITY,
        producers,
    );
    mpsc::bench::<queues::CrossbeamBounded>(
        &mut group,
        group_name,
        "crossbeam-channel",
        CAPACITY,
        producers,
    );
    mpsc::bench::<queues::FlumeBounded>(&mut group, group_name, "flume", CAPACITY, producers);
    group.finish();
}

fn one_producer(c: &mut Criterion) {
    with_producers(c, "two-lock-queue/1-producer", 1);
}

fn two_producers(c: &mut Criterion) {
    with_producers(c, "two-lock-queue/2-producers", 2);
}

criterion_group!(benches, one_producer, two_producers);
criterion_main!(benches);
