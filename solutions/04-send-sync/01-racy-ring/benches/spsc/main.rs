//! Single-producer single-consumer throughput: the racy Ring's solution against
//! its first step and three established queues, all of capacity 1024.
//!
//! Run it with `cargo bench --bench spsc` in this folder. The regime (two pinned,
//! busy-polling threads; one criterion iteration is one `u32` sent and received)
//! is described in `bench_support::spsc`, and each benchmark prints the regime it
//! actually ran in. Absolute figures belong to the machine; compare the
//! variants within one run, as ratios.

mod plain_indices;
mod queues;

use std::time::Duration;

use bench_support::spsc;
use criterion::{Criterion, criterion_group, criterion_main};

/// The same for every queue, so each holds the same number of values in flight.
const CAPACITY: usize = 1024;

const GROUP: &str = "racy-ring/spsc";

fn spsc_queues(c: &mut Criterion) {
    let mut group = c.benchmark_group(GROUP);
    // Short enough that the five benchmarks finish in well under two minutes on
    // an instructor's laptop; each sample still holds millions of items.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    spsc::bench::<queues::Solution>(&mut group, GROUP, "solution", CAPACITY);
    spsc::bench::<queues::PlainIndices>(&mut group, GROUP, "plain-indices", CAPACITY);
    spsc::bench::<queues::Rtrb>(&mut group, GROUP, "rtrb", CAPACITY);
    spsc::bench::<queues::CrossbeamArrayQueue>(
        &mut group,
        GROUP,
        "crossbeam-array-queue",
        CAPACITY,
    );
    spsc::bench::<queues::StdSyncChannel>(&mut group, GROUP, "std-sync-channel", CAPACITY);
    group.finish();
}

criterion_group!(benches, spsc_queues);
criterion_main!(benches);
