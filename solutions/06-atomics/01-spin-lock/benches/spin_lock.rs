//! The spin lock against three established locks, as a lock around a counter:
//! taken, incremented and released by one thread alone (`spin-lock/uncontended`),
//! and by two threads pinned to two cores, each doing the same in a loop
//! (`spin-lock/contended`).
//!
//! The peers: `std-mutex` is `std::sync::Mutex` (on Linux a futex: spins briefly,
//! then sleeps in the kernel); `parking-lot` is `parking_lot::Mutex` (spins a
//! little with backoff, then parks the thread); `spin-crate` is `spin::Mutex`
//! from the `spin` crate, a spin lock like ours.
//!
//! Run it with `cargo workbook bench spin-lock` (which records the results for
//! the book) or `cargo bench --bench spin_lock` in this folder. One iteration is
//! one lock, increment and unlock by each thread that takes part.

use std::hint::black_box;
use std::sync::PoisonError;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use spin_lock_solution::SpinLock;

/// A lock around a counter.
trait CounterLock: Send + Sync + 'static {
    fn new() -> Self;
    /// Takes the lock, adds one to the counter, releases the lock.
    fn increment(&self);
}

impl CounterLock for SpinLock<u64> {
    fn new() -> Self {
        SpinLock::new(0)
    }
    fn increment(&self) {
        *black_box(self.lock()) += 1;
    }
}

impl CounterLock for std::sync::Mutex<u64> {
    fn new() -> Self {
        std::sync::Mutex::new(0)
    }
    fn increment(&self) {
        *black_box(self.lock().unwrap_or_else(PoisonError::into_inner)) += 1;
    }
}

impl CounterLock for parking_lot::Mutex<u64> {
    fn new() -> Self {
        parking_lot::Mutex::new(0)
    }
    fn increment(&self) {
        *black_box(self.lock()) += 1;
    }
}

impl CounterLock for spin::Mutex<u64> {
    fn new() -> Self {
        spin::Mutex::new(0)
    }
    fn increment(&self) {
        *black_box(self.lock()) += 1;
    }
}

fn uncontended<L: CounterLock>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    let lock = L::new();
    group.bench_function(name, |b| b.iter(|| lock.increment()));
}

/// Both threads increment `n` times per round; the round ends when both are done.
fn contended<L: CounterLock + Send + Sync + 'static>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
) {
    bench_support::contended::bench(group, name, L::new, L::increment);
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn spin_locks(c: &mut Criterion) {
    let mut group = c.benchmark_group("spin-lock/uncontended");
    configure(&mut group);
    uncontended::<SpinLock<u64>>(&mut group, "solution");
    uncontended::<std::sync::Mutex<u64>>(&mut group, "std-mutex");
    uncontended::<parking_lot::Mutex<u64>>(&mut group, "parking-lot");
    uncontended::<spin::Mutex<u64>>(&mut group, "spin-crate");
    group.finish();

    let mut group = c.benchmark_group("spin-lock/contended");
    configure(&mut group);
    contended::<SpinLock<u64>>(&mut group, "solution");
    contended::<std::sync::Mutex<u64>>(&mut group, "std-mutex");
    contended::<parking_lot::Mutex<u64>>(&mut group, "parking-lot");
    contended::<spin::Mutex<u64>>(&mut group, "spin-crate");
    group.finish();
}

criterion_group!(benches, spin_locks);
criterion_main!(benches);
