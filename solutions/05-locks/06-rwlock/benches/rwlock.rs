//! Readers-writer locks under two threads: the exercise's writer-preferring
//! lock against `std::sync::RwLock` and `parking_lot::RwLock`.
//!
//! Run it with `cargo bench --bench rwlock` in this folder. Two pinned threads
//! (the bench thread and one `bench_support::Peer`) each run the same mix of
//! operations on one shared lock guarding eight `u64`s: a read sums them, a
//! write adds one to each. One criterion iteration is one operation on each
//! thread, so the throughput counts two operations. Absolute figures belong to
//! the machine; compare the variants within one run, as ratios.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use bench_support::{Peer, pin};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// What the benchmark does with a lock.
trait Lock: Send + Sync + 'static {
    fn new() -> Self;
    /// Reads the eight values under a read lock and returns their sum.
    fn read_sum(&self) -> u64;
    /// Adds one to each value under the write lock.
    fn write_bump(&self);
}

type Values = [u64; 8];

impl Lock for rwlock_solution::RwLock<Values> {
    fn new() -> Self {
        Self::new([0; 8])
    }
    fn read_sum(&self) -> u64 {
        self.read().iter().sum()
    }
    fn write_bump(&self) {
        self.write().iter_mut().for_each(|value| *value += 1);
    }
}

impl Lock for std::sync::RwLock<Values> {
    fn new() -> Self {
        Self::new([0; 8])
    }
    fn read_sum(&self) -> u64 {
        self.read().unwrap().iter().sum()
    }
    fn write_bump(&self) {
        self.write().unwrap().iter_mut().for_each(|value| *value += 1);
    }
}

impl Lock for parking_lot::RwLock<Values> {
    fn new() -> Self {
        Self::new([0; 8])
    }
    fn read_sum(&self) -> u64 {
        self.read().iter().sum()
    }
    fn write_bump(&self) {
        self.write().iter_mut().for_each(|value| *value += 1);
    }
}

/// Runs `n` operations on `lock`: every `write_every`-th one a write, the rest reads.
fn operate<L: Lock>(lock: &L, n: u64, write_every: u64) {
    for op in 0..n {
        if op % write_every == 0 {
            lock.write_bump();
        } else {
            black_box(lock.read_sum());
        }
    }
}

/// Adds benchmark `name` (lock `L`) to `group`: both threads run `operate`.
fn bench<L: Lock>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, write_every: u64) {
    // Started on criterion's first call (outside the timed region), so that a
    // benchmark left out by the command line's filter spawns nothing; criterion's
    // iterations then reuse the peer thread.
    let mut run: Option<(Arc<L>, Peer<Arc<L>>)> = None;
    group.bench_function(name, |b| {
        let (lock, peer) = run.get_or_insert_with(|| {
            let lock = Arc::new(L::new());
            let peer = Peer::spawn(pin::placement().peer, Arc::clone(&lock), move |lock, n| {
                operate(&**lock, n, write_every);
                Ok(())
            });
            (lock, peer)
        });
        b.iter_custom(|n| peer.round(n, || operate(&**lock, n, write_every)));
    });
    if let Some((_, peer)) = run {
        peer.stop();
    }
}

fn mix(c: &mut Criterion, group_name: &str, write_every: u64) {
    let mut group = c.benchmark_group(group_name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(2));
    bench::<rwlock_solution::RwLock<Values>>(&mut group, "writer-preferring", write_every);
    bench::<std::sync::RwLock<Values>>(&mut group, "std", write_every);
    bench::<parking_lot::RwLock<Values>>(&mut group, "parking-lot", write_every);
    group.finish();
}

/// One write in 32 operations.
fn read_heavy(c: &mut Criterion) {
    mix(c, "rwlock/read-heavy", 32);
}

/// Every other operation a write.
fn write_heavy(c: &mut Criterion) {
    mix(c, "rwlock/write-heavy", 2);
}

criterion_group!(benches, read_heavy, write_heavy);
criterion_main!(benches);
