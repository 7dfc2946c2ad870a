//! Push/pop pairs on the chapter's stacks and their peers, on one thread and
//! on two threads sharing one stack.
//!
//! Run it with `cargo bench --bench pairs` in this folder (or `cargo workbook
//! bench epoch-stack`, which records the figures). One criterion iteration is
//! one push followed by one pop, so the stack stays almost empty: the regime is
//! a hot top of the stack, not a deep one. Absolute figures belong to the
//! machine; compare the variants within one run, as ratios to `seg-queue`.

mod stacks;

use std::hint::black_box;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bench_support::{Peer, contended, pin};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

use stacks::{
    EpochStack, HaphazardStack, HazardStack, LeakyStack, MutexVec, SegQueue, SharedStack, pair,
};

/// The most push/pop pairs one stack sees in the one-thread group before it is
/// replaced by a fresh one, outside the timed span. The leaking stack keeps a
/// node for every pair until it is dropped; without a bound, a long sample
/// would hold gigabytes. Every variant gets the same treatment.
const PAIRS_PER_STACK: u64 = 1 << 16;

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    // Flat sampling gives every sample the same number of iterations, so no
    // sample is much longer than the rest: the leaking stack holds a node for
    // every pair of a sample on two threads (see `two_threads_fresh_stacks`).
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(1));
}

/// One thread: `n` pairs, on a fresh stack every [`PAIRS_PER_STACK`] pairs.
fn one_thread<S: SharedStack>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    group.bench_function(name, |b| {
        b.iter_custom(|n| {
            let mut elapsed = Duration::ZERO;
            let mut left = n;
            while left > 0 {
                let round = left.min(PAIRS_PER_STACK);
                let stack = S::new();
                let start = Instant::now();
                for _ in 0..round {
                    pair(&stack);
                }
                elapsed += start.elapsed();
                // Dropped after the clock stops: freeing what a stack kept is not
                // part of a push/pop pair.
                drop(black_box(stack));
                left -= round;
            }
            elapsed
        });
    });
}

/// Two threads pinned to two cores, each doing push/pop pairs on one shared
/// stack that lives for the whole benchmark.
fn two_threads<S: SharedStack>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    contended::bench(group, name, S::new, pair::<S>);
}

/// Where each sample's stack goes (to the peer), and the peer that receives it.
type FreshStacks<S> = (mpsc::Sender<Arc<S>>, Peer<mpsc::Receiver<Arc<S>>>);

/// [`two_threads`] for the leaking stack, with a fresh stack for every sample:
/// one stack kept for the whole benchmark would keep a node for each of the
/// hundreds of millions of pairs criterion runs. The peer thread is spawned
/// once, pinned, and kept across samples, as `contended::bench` does; each
/// sample's stack is made before its clock starts and dropped after it stops,
/// and holds one node per pair of that sample (which flat sampling bounds).
fn two_threads_fresh_stacks<S: SharedStack>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    // Started on criterion's first call, so that a benchmark left out by the
    // command line's filter spawns nothing.
    let mut run: Option<FreshStacks<S>> = None;
    group.bench_function(name, |b| {
        let (stacks, peer) = run.get_or_insert_with(|| {
            let placement = pin::placement();
            let (sender, receiver) = mpsc::channel::<Arc<S>>();
            let peer = Peer::spawn(placement.peer, receiver, |receiver, n| {
                let stack = receiver
                    .recv()
                    .map_err(|_| "the bench thread sent no stack".to_owned())?;
                for _ in 0..n {
                    pair(&*stack);
                }
                Ok(())
            });
            (sender, peer)
        });
        b.iter_custom(|n| {
            let stack = Arc::new(S::new());
            stacks
                .send(Arc::clone(&stack))
                .expect("the benchmark's peer thread has died");
            let elapsed = peer.round(n, || {
                for _ in 0..n {
                    pair(&*stack);
                }
            });
            drop(stack);
            elapsed
        });
    });
    if let Some((stacks, peer)) = run {
        drop(stacks);
        peer.stop();
    }
}

fn pairs(c: &mut Criterion) {
    let mut group = c.benchmark_group("epoch-stack/1-thread");
    configure(&mut group);
    one_thread::<EpochStack>(&mut group, "epoch-stack");
    one_thread::<HazardStack>(&mut group, "hazard-stack");
    one_thread::<LeakyStack>(&mut group, "leaky-stack");
    one_thread::<MutexVec>(&mut group, "mutex-vec");
    one_thread::<SegQueue>(&mut group, "seg-queue");
    one_thread::<HaphazardStack>(&mut group, "haphazard");
    group.finish();

    let mut group = c.benchmark_group("epoch-stack/2-threads");
    configure(&mut group);
    two_threads::<EpochStack>(&mut group, "epoch-stack");
    two_threads::<HazardStack>(&mut group, "hazard-stack");
    two_threads_fresh_stacks::<LeakyStack>(&mut group, "leaky-stack");
    two_threads::<MutexVec>(&mut group, "mutex-vec");
    two_threads::<SegQueue>(&mut group, "seg-queue");
    two_threads::<HaphazardStack>(&mut group, "haphazard");
    group.finish();
}

criterion_group!(benches, pairs);
criterion_main!(benches);
