//! Per-thread counters, packed into one cache line or padded onto lines of
//! their own, bumped by one thread and by two.
//!
//! Run it with `cargo bench --bench counters` in this folder (or
//! `cargo workbook bench false-sharing`, which records the results). One
//! criterion iteration is one increment *per thread*: with two threads, both
//! bump their own counter `n` times in the same round, so the time per
//! iteration is comparable with the one-thread figure. The second thread is a
//! long-lived `bench_support::Peer`, pinned to its own core and spawned outside
//! the timed loop. Absolute figures belong to the machine; compare the variants
//! within one run, as ratios to `padded/2-threads`, the design the exercise asks for.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bench_support::{Peer, pin};
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use false_sharing_solution::Slot;

const GROUP: &str = "false-sharing/counters";

/// Two counters for two threads.
trait Pair: Send + Sync + 'static {
    fn new() -> Self;
    /// Adds one to counter `which` (0 or 1).
    fn increment(&self, which: usize);
    fn get(&self, which: usize) -> u64;
}

/// The exercise as shipped: two 8-byte counters next to each other, in one
/// 64-byte line (the alignment makes sure the pair does not straddle two).
#[repr(align(64))]
struct Packed([AtomicU64; 2]);

impl Pair for Packed {
    fn new() -> Self {
        Self([AtomicU64::new(0), AtomicU64::new(0)])
    }
    fn increment(&self, which: usize) {
        // Relaxed: as in the solution's `Slot`; the counts are read after the round.
        self.0[which].fetch_add(1, Ordering::Relaxed);
    }
    fn get(&self, which: usize) -> u64 {
        // Relaxed: read after `Peer::round`, whose Acquire wait orders the peer's
        // increments before it.
        self.0[which].load(Ordering::Relaxed)
    }
}

/// The solution: each counter in its own `CachePadded` slot.
struct Padded([Slot; 2]);

impl Pair for Padded {
    fn new() -> Self {
        Self([Slot::new(), Slot::new()])
    }
    fn increment(&self, which: usize) {
        self.0[which].increment();
    }
    fn get(&self, which: usize) -> u64 {
        self.0[which].get()
    }
}

fn bump(pair: &impl Pair, which: usize, n: u64) {
    for _ in 0..n {
        black_box(pair).increment(which);
    }
}

/// The bench thread alone bumps counter 0.
fn one_thread<P: Pair>(group: &mut BenchmarkGroup<'_, WallTime>, variant: &str) {
    pin::placement();
    let pair = P::new();
    group.bench_function(format!("{variant}/1-thread"), |b| {
        b.iter_custom(|n| {
            let start = std::time::Instant::now();
            bump(&pair, 0, n);
            start.elapsed()
        });
    });
}

/// The bench thread bumps counter 0 while a pinned peer bumps counter 1.
fn two_threads<P: Pair>(group: &mut BenchmarkGroup<'_, WallTime>, variant: &str) {
    let placement = pin::placement();
    let pair = Arc::new(P::new());
    let mut peer = Peer::spawn(placement.peer, Arc::clone(&pair), |pair, n| {
        bump(&**pair, 1, n);
        Ok(())
    });
    let mut total = 0;
    group.bench_function(format!("{variant}/2-threads"), |b| {
        b.iter_custom(|n| {
            total += n;
            peer.round(n, || bump(&*pair, 0, n))
        });
    });
    peer.stop();
    assert_eq!(
        (pair.get(0), pair.get(1)),
        (total, total),
        "a counter lost increments"
    );
}

fn counters(c: &mut Criterion) {
    let mut group = c.benchmark_group(GROUP);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    // Interleaved, so that a change in the machine's load during the run
    // touches both variants alike.
    one_thread::<Packed>(&mut group, "packed");
    one_thread::<Padded>(&mut group, "padded");
    two_threads::<Packed>(&mut group, "packed");
    two_threads::<Padded>(&mut group, "padded");
    group.finish();
}

criterion_group!(benches, counters);
criterion_main!(benches);
