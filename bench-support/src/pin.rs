//! Pinning the two threads of a benchmark to two different cores.
//!
//! Left to the scheduler, a freshly spawned thread starts on its parent's core
//! and may stay there for a while, so a two-thread benchmark sometimes measures
//! one core taking turns instead of two cores trading cache lines. Pinning takes
//! that choice away from the scheduler.

use std::sync::OnceLock;

use core_affinity::CoreId;

/// Where a benchmark's two threads run.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// The core the bench thread is pinned to, or `None` if it is not pinned.
    pub bench: Option<CoreId>,
    /// The core to pin the peer thread to, or `None` to leave it unpinned.
    pub peer: Option<CoreId>,
}

/// Pins the calling thread to one core and returns the placement, with another
/// core for its peer.
///
/// Call it from the bench thread (criterion runs benchmarks on the main thread):
/// the first call pins the caller for the rest of the process, and later calls
/// return the same placement. It prints where the threads run, or, with fewer
/// than two cores or no way to pin, why they are left to the scheduler.
pub fn placement() -> Placement {
    static PLACEMENT: OnceLock<Placement> = OnceLock::new();
    *PLACEMENT.get_or_init(pin_bench_thread)
}

fn pin_bench_thread() -> Placement {
    const UNPINNED: Placement = Placement {
        bench: None,
        peer: None,
    };
    // Asked before pinning: the answer is the set of cores this thread may run
    // on, which pinning narrows to one.
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let [bench, peer, ..] = cores[..] else {
        println!(
            "bench-support: {} core(s) available, so the threads are not pinned; both \
             sides share a core and the timings show the scheduler taking turns, not a \
             hand-off between cores",
            cores.len()
        );
        return UNPINNED;
    };
    if !core_affinity::set_for_current(bench) {
        println!(
            "bench-support: could not pin the bench thread to core {}, so the threads are \
             not pinned and the timings depend on where the scheduler puts them",
            bench.id
        );
        return UNPINNED;
    }
    println!(
        "bench-support: bench thread pinned to core {}, its peer to core {}",
        bench.id, peer.id
    );
    Placement {
        bench: Some(bench),
        peer: Some(peer),
    }
}

/// Pins the calling thread to `core`, printing a note if that fails: a benchmark
/// that runs unpinned is still worth its numbers, with the note beside them.
pub fn pin_current(core: CoreId) {
    if !core_affinity::set_for_current(core) {
        println!(
            "bench-support: could not pin the peer thread to core {}",
            core.id
        );
    }
}
