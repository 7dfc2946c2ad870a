//! The semaphore against two hand-rolled peers, as a binary semaphore (one
//! permit): taken and given back by one thread alone (`semaphore/uncontended`),
//! and by two threads pinned to two cores, each taking and giving back the one
//! permit in a loop (`semaphore/contended`).
//!
//! The peers: `mutex-condvar` is the naive version written inline: the same
//! count and condition variable, a release that notifies every time (on Linux a
//! system call even when nobody waits), and no `Permit` guard; `std-mutex` is `std::sync::Mutex<()>`, whose lock is a
//! binary semaphore with an owner, built on a futex with no condition variable.
//!
//! Run it with `cargo workbook bench semaphore` (which records the results for
//! the book) or `cargo bench --bench semaphore` in this folder. One iteration is
//! one acquire and one release by each thread that takes part.

use std::hint::black_box;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use semaphore_solution::Semaphore;

/// A binary semaphore under test: one permit, taken and given back.
trait Binary: Send + Sync + 'static {
    fn new() -> Self;
    /// Takes the permit (waiting if another thread holds it), then gives it back.
    fn cycle(&self);
}

impl Binary for Semaphore {
    fn new() -> Self {
        Semaphore::new(1)
    }
    fn cycle(&self) {
        drop(black_box(self.acquire()));
    }
}

/// The semaphore's algorithm inline: a count and a condition variable.
struct MutexCondvar {
    permits: Mutex<usize>,
    released: Condvar,
}

impl Binary for MutexCondvar {
    fn new() -> Self {
        Self {
            permits: Mutex::new(1),
            released: Condvar::new(),
        }
    }
    fn cycle(&self) {
        let lock = || self.permits.lock().unwrap_or_else(PoisonError::into_inner);
        let mut permits = lock();
        while *permits == 0 {
            permits = self
                .released
                .wait(permits)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *permits -= 1;
        drop(permits);
        *lock() += 1;
        self.released.notify_one();
    }
}

/// std's mutex as a binary semaphore: the lock is the permit.
struct StdMutex(Mutex<()>);

impl Binary for StdMutex {
    fn new() -> Self {
        Self(Mutex::new(()))
    }
    fn cycle(&self) {
        drop(black_box(
            self.0.lock().unwrap_or_else(PoisonError::into_inner),
        ));
    }
}

fn uncontended<B: Binary>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    let binary = B::new();
    group.bench_function(name, |b| b.iter(|| binary.cycle()));
}

/// Both threads cycle `n` times per round; the round ends when both are done.
fn contended<B: Binary + Send + Sync + 'static>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
) {
    bench_support::contended::bench(group, name, B::new, B::cycle);
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn semaphores(c: &mut Criterion) {
    let mut group = c.benchmark_group("semaphore/uncontended");
    configure(&mut group);
    uncontended::<Semaphore>(&mut group, "solution");
    uncontended::<MutexCondvar>(&mut group, "mutex-condvar");
    uncontended::<StdMutex>(&mut group, "std-mutex");
    group.finish();

    let mut group = c.benchmark_group("semaphore/contended");
    configure(&mut group);
    contended::<Semaphore>(&mut group, "solution");
    contended::<MutexCondvar>(&mut group, "mutex-condvar");
    contended::<StdMutex>(&mut group, "std-mutex");
    group.finish();
}

criterion_group!(benches, semaphores);
criterion_main!(benches);
