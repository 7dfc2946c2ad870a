//! Throughput of the fixed broken queue against crossbeam's `SegQueue` and a
//! `Mutex<VecDeque>`, with one and with two producer/consumer pairs.
//!
//! Run it with `cargo bench --bench pairs` in this folder. One criterion
//! iteration is one `u32` pushed and popped; every thread busy-polls, and each
//! round starts with a fresh, empty queue (see `harness`). Absolute figures
//! belong to the machine; compare the variants within one run, as ratios.

mod harness;
mod queues;

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, criterion_group, criterion_main};

use queues::{MutexVecDeque, SegQueue, Solution};

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    // Short enough that the six benchmarks finish in a few minutes on an
    // instructor's laptop. Flat sampling gives every sample the same number of
    // values, so no round is much longer than the rest: the solution keeps every
    // node of a round until the round's queue is dropped.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
}

fn pairs(c: &mut Criterion) {
    // Before anything pins the bench thread, which narrows the cores it sees.
    harness::remember_cores();
    for (group_name, pairs) in [("broken-queue/1-pair", 1), ("broken-queue/2-pairs", 2)] {
        let mut group = c.benchmark_group(group_name);
        configure(&mut group);
        harness::bench::<Solution>(&mut group, group_name, "solution", pairs);
        harness::bench::<SegQueue>(&mut group, group_name, "seg-queue", pairs);
        harness::bench::<MutexVecDeque>(&mut group, group_name, "mutex-vecdeque", pairs);
        group.finish();
    }
}

criterion_group!(benches, pairs);
criterion_main!(benches);
