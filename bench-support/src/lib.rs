//! # Multi-threaded benchmarks that can be trusted on a small, shared machine
//!
//! Every chapter's criterion benchmarks that need a second thread build on this
//! crate. On a 2-core VM the same code can time at 5 ns/item in one run and
//! 31 ns/item in the next when the benchmark spawns its threads inside the timed
//! loop: a new thread starts on its parent's core, and the two sides then take
//! turns on one core instead of trading cache lines between two. So the harness:
//!
//! - pins the bench thread and one long-lived peer thread to two different cores
//!   ([`pin`]), and prints a note instead of failing where it cannot;
//! - spawns the peer once per benchmark, outside the timed region, and keeps it
//!   across criterion's iterations ([`Peer`]);
//! - times only the work: with criterion's `iter_custom`, the clock starts once
//!   the peer is awake and stops when it has finished its share ([`Peer::round`]);
//! - measures and prints the regime the numbers belong to (was the queue mostly
//!   empty or mostly full?), because results are bimodal across regimes, with
//!   how often another process took a pinned thread's core and how long a cache
//!   line took to cross between the two cores before and after ([`Regime`]).
//!
//! When `cargo workbook bench` runs the benchmarks, each one's regime is also
//! written to the file named by [`REGIME_LOG`], so that the results file (and the
//! book's tables) carry it beside criterion's figure.
//!
//! Benchmarks that count outcomes instead of timing them (how often a litmus
//! test showed a reordering) call [`record_count`], which appends each count to
//! the file named by [`COUNT_LOG`] for `cargo workbook bench` to record.
//!
//! The statistics are criterion's. The crate's own figures only describe the
//! conditions, and even pinned threads on a VM meet changing ones: the host
//! moves the virtual cores, and the same queue can run at 5 ns/item in one
//! benchmark and 20 ns/item in the next, with the regime line telling them apart.
//!
//! For single-producer single-consumer queues, [`spsc::bench`] does all of the
//! above for any queue that implements [`spsc::SpscQueue`]:
//!
//! ```no_run
//! use bench_support::spsc::{self, SpscQueue};
//! use criterion::{Criterion, criterion_group, criterion_main};
//!
//! /// std's bounded channel, as an SPSC queue.
//! struct StdChannel;
//!
//! impl SpscQueue for StdChannel {
//!     type Producer = std::sync::mpsc::SyncSender<u32>;
//!     type Consumer = std::sync::mpsc::Receiver<u32>;
//!
//!     fn new(capacity: usize) -> (Self::Producer, Self::Consumer) {
//!         std::sync::mpsc::sync_channel(capacity)
//!     }
//!     fn try_push(producer: &mut Self::Producer, value: u32) -> Result<(), u32> {
//!         producer.try_send(value).map_err(|error| match error {
//!             std::sync::mpsc::TrySendError::Full(value)
//!             | std::sync::mpsc::TrySendError::Disconnected(value) => value,
//!         })
//!     }
//!     fn try_pop(consumer: &mut Self::Consumer) -> Option<u32> {
//!         consumer.try_recv().ok()
//!     }
//! }
//!
//! fn benches(c: &mut Criterion) {
//!     let mut group = c.benchmark_group("example/spsc");
//!     spsc::bench::<StdChannel>(&mut group, "example/spsc", "std-sync-channel", 1024);
//!     group.finish();
//! }
//!
//! criterion_group!(example, benches);
//! criterion_main!(example);
//! ```
//!
//! For bounded multi-producer single-consumer queues with blocking calls,
//! [`mpsc::bench`] does the same with several producer threads; for two threads
//! repeating one operation on one lock or semaphore, [`contended::bench`].

pub mod contended;
mod latency;
pub mod mpsc;
mod patience;
mod peer;
pub mod pin;
mod preemption;
mod regime;
mod signals;
pub mod spsc;

pub use peer::{Peer, Stopped};
pub use regime::Regime;
pub use signals::Watch;

/// The environment variable naming the file where each benchmark's regime is
/// appended, one `group<TAB>function<TAB>summary` line per benchmark.
pub const REGIME_LOG: &str = "WORKBOOK_REGIME_LOG";

/// The environment variable naming the file where counted outcomes are
/// appended, one `group<TAB>variant<TAB>observed<TAB>runs` line per count.
pub const COUNT_LOG: &str = "WORKBOOK_COUNT_LOG";

/// Appends `observed` out of `runs` for `group`/`variant` to the file named by
/// [`COUNT_LOG`], if set. The book shows the records of a group as counted
/// outcomes (`{{#counts}}`) or, with bytes still allocated as `observed` and
/// the operations done as `runs`, as memory held (`{{#memory}}`).
pub fn record_count(group: &str, variant: &str, observed: u64, runs: u64) {
    append_to_log(
        COUNT_LOG,
        &format!("{group}\t{variant}\t{observed}\t{runs}"),
    );
}

/// Appends `regime` for `group`/`function` to the file named by [`REGIME_LOG`], if set.
fn log_regime(group: &str, function: &str, regime: &Regime) {
    append_to_log(
        REGIME_LOG,
        &format!("{group}\t{function}\t{}", regime.summary()),
    );
}

/// Appends `line` to the file named by the environment variable `log`, if set:
/// `cargo workbook bench` sets it and reads the file afterwards. A failure is
/// reported, not fatal, since the measurement itself is still printed.
fn append_to_log(log: &str, line: &str) {
    use std::io::Write as _;
    let Some(path) = std::env::var_os(log) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{line}"));
    if let Err(error) = written {
        eprintln!("could not append to {}: {error}", path.to_string_lossy());
    }
}
