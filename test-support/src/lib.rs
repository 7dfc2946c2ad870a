//! What every exercise's tests share, written once.
//!
//! - [`sync`], [`cell`], [`thread`] and [`hint`]: `std` normally and `loom` under
//!   `--cfg loom`, so an exercise is written once and model-checked unchanged.
//! - [`deadline`]: runs named threads and fails with "deadlock?" and the names of
//!   the stuck threads instead of hanging; [`test`] (`#[test_support::test]`)
//!   runs a whole test body that way.
//! - A test binary that crashes (SIGSEGV, SIGBUS) names the tests that were
//!   running and the thread that crashed, for every thread that [`deadline`]
//!   started (unix; see `src/crash.rs`).
//! - [`stress`]: bounded repetition, scaled down under Miri.
//! - [`gate`]: holds test threads at a chosen point until the test lets them go.
//! - [`random`]: seeded, replayable randomness for tests with random choices and delays.
//! - [`alloc`]: a counting global allocator, and a `Watch` that tells a test which
//!   of the blocks it noted have been freed.
//! - [`compile`]: checks that code which must not compile does not (and that code
//!   which must compile does), by error code rather than by message text.

/// Use instead of `#[test]`: the test's body runs under [`deadline::within`],
/// so a body that blocks or loops for ever fails within seconds.
pub use test_support_macros::test;

pub mod alloc;
pub mod cell;
pub mod compile;
mod crash;
pub mod deadline;
pub mod gate;
pub mod random;
pub mod stress;

/// `std::sync`, or `loom::sync` under `--cfg loom`.
pub mod sync {
    #[cfg(loom)]
    pub use loom::sync::*;
    #[cfg(not(loom))]
    pub use std::sync::*;
}

/// `std::thread`, or `loom::thread` under `--cfg loom`.
pub mod thread {
    #[cfg(loom)]
    pub use loom::thread::*;
    #[cfg(not(loom))]
    pub use std::thread::*;
}

/// Spin-wait hints. Under loom a spin loop must yield, or the model never ends:
/// loom would keep choosing the spinning thread.
pub mod hint {
    /// Called in every spin-wait loop: `std::hint::spin_loop`, or a loom yield.
    #[inline]
    pub fn spin_loop() {
        #[cfg(loom)]
        loom::thread::yield_now();
        #[cfg(not(loom))]
        std::hint::spin_loop();
    }
}

/// Runs `f` under loom's model checker with the workbook's exploration bound.
///
/// The preemption bound limits how many times a thread may be switched out
/// against its will in one interleaving, which keeps the number of
/// interleavings explored manageable; 2 or 3 is loom's own recommendation for
/// finding real bugs in reasonable time. It is not what makes a model with a
/// spin loop end: that is the yield in [`hint::spin_loop`], which lets loom run
/// another thread instead of spinning (loom's docs, "Yielding").
/// `LOOM_MAX_PREEMPTIONS` overrides the bound.
#[cfg(loom)]
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    // Track where each access was made, so that a "Causality violation" names
    // the learner's two lines rather than a line inside loom (as LOOM_LOCATION=1
    // would; here it needs no variable).
    builder.location = true;
    // Each interleaving explored is progress, for a test under a deadline
    // (`#[test_support::test]`): a large model may take minutes, one
    // interleaving never does.
    builder.check(move || {
        f();
        deadline::progress();
    });
}
