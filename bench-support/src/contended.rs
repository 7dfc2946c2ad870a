//! Two pinned threads repeating one operation on one shared value: the
//! contended case of a lock or semaphore benchmark.

use std::sync::Arc;

use criterion::BenchmarkGroup;
use criterion::measurement::WallTime;

use crate::{Peer, pin};

/// Benchmarks `operation` on a value made by `make`, done `n` times by this
/// thread and `n` times by a peer thread pinned to another core in each round;
/// the round ends when both are done. An iteration is one operation by each.
pub fn bench<S: Send + Sync + 'static>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    make: impl FnOnce() -> S,
    operation: fn(&S),
) {
    // Started on criterion's first call, so that a benchmark left out by the
    // command line's filter spawns nothing.
    let mut make = Some(make);
    let mut run: Option<(Arc<S>, Peer<Arc<S>>)> = None;
    group.bench_function(name, |b| {
        let (shared, peer) = run.get_or_insert_with(|| {
            let placement = pin::placement();
            let make = make.take().expect("the shared value is made once");
            let shared = Arc::new(make());
            let peer = Peer::spawn(placement.peer, Arc::clone(&shared), move |shared, n| {
                for _ in 0..n {
                    operation(shared);
                }
                Ok(())
            });
            (shared, peer)
        });
        b.iter_custom(|n| {
            peer.round(n, || {
                for _ in 0..n {
                    operation(shared);
                }
            })
        });
    });
    if let Some((_, peer)) = run {
        peer.stop();
    }
}
