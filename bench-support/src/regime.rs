//! The regime a queue benchmark ran in: was the queue mostly empty, mostly
//! full, or swinging between the two?
//!
//! A queue's time per item depends on it more than on most code changes: when
//! the queue is mostly empty, every item crosses between the cores on its own
//! and the consumer waits on the producer; when it is mostly full, the roles
//! swap; when it swings between the two, one side keeps losing its core. A
//! figure means little without its regime, so the harness counts the failed
//! attempts of each side, the preemptions of each thread and the time a cache
//! line takes between the two cores, and prints them beside criterion's numbers.

use std::fmt;
use std::time::Duration;

/// Counts of successful and failed attempts on each side of a queue, of the
/// times each side's thread lost its core, and the cores' round trip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Regime {
    /// Values the producer pushed.
    pub pushed: u64,
    /// Attempts to push that found the queue full.
    pub found_full: u64,
    /// Values the consumer popped.
    pub popped: u64,
    /// Attempts to pop that found the queue empty.
    pub found_empty: u64,
    /// Involuntary context switches of the producer's thread during the rounds,
    /// where the system counts them.
    pub producer_preempted: Option<u64>,
    /// The same for the consumer's thread.
    pub consumer_preempted: Option<u64>,
    /// The core-to-core round trip just before the benchmark, if measured.
    pub round_trip_before: Option<Duration>,
    /// The same just after.
    pub round_trip_after: Option<Duration>,
}

/// A side that fails at least this share of its attempts spends a good part of
/// its time waiting for the other.
const OFTEN: f64 = 0.1;

/// ... and at least this share, most of its time.
const MOSTLY: f64 = 0.5;

impl Regime {
    /// The share of push attempts that found the queue full, from 0 to 1.
    pub fn full_share(&self) -> f64 {
        share(self.found_full, self.pushed)
    }

    /// The share of pop attempts that found the queue empty, from 0 to 1.
    pub fn empty_share(&self) -> f64 {
        share(self.found_empty, self.popped)
    }

    /// The shares and the verdict in a few words, for a results table.
    pub fn summary(&self) -> String {
        format!(
            "empty on {:.1}% of pops, full on {:.1}% of pushes",
            self.empty_share() * 100.0,
            self.full_share() * 100.0
        )
    }

    /// What the shares say about who waited for whom.
    pub fn verdict(&self) -> &'static str {
        let (empty, full) = (self.empty_share(), self.full_share());
        match (empty >= OFTEN, full >= OFTEN) {
            // Both sides waiting a good part of the time cannot be one steady state:
            // the queue swings from one end to the other.
            (true, true) => {
                "swinging between empty and full: each side spends stretches waiting for \
                 the other, as when a thread loses its core"
            }
            (true, false) if empty >= MOSTLY => "mostly empty: the consumer waits for the producer",
            (true, false) => "often empty: the consumer waits for the producer",
            (false, true) if full >= MOSTLY => "mostly full: the producer waits for the consumer",
            (false, true) => "often full: the producer waits for the consumer",
            (false, false) => "rarely empty or full: both sides keep pace",
        }
    }
}

/// `failed` as a share of all attempts, where `succeeded` attempts did not fail.
fn share(failed: u64, succeeded: u64) -> f64 {
    let attempts = failed + succeeded;
    if attempts == 0 {
        0.0
    } else {
        failed as f64 / attempts as f64
    }
}

impl fmt::Display for Regime {
    /// One line for the book: "consumer found the queue empty on 83.1% of pops,
    /// producer found it full on 0.0% of pushes (mostly empty: ...); threads
    /// preempted: producer 0, consumer 2; core-to-core round trip: 110 ns
    /// before, 112 ns after".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "consumer found the queue empty on {:.1}% of pops, producer found it full on \
             {:.1}% of pushes ({}); threads preempted: producer {}, consumer {}; \
             core-to-core round trip: {} before, {} after",
            100.0 * self.empty_share(),
            100.0 * self.full_share(),
            self.verdict(),
            Unknown(self.producer_preempted),
            Unknown(self.consumer_preempted),
            Unknown(self.round_trip_before.map(Nanos)),
            Unknown(self.round_trip_after.map(Nanos)),
        )
    }
}

/// A figure that the system may not have given.
struct Unknown<T>(Option<T>);

impl<T: fmt::Display> fmt::Display for Unknown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(figure) => figure.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

/// A short duration in whole nanoseconds.
struct Nanos(Duration);

impl fmt::Display for Nanos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ns", self.0.as_nanos())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regime(pushed: u64, found_full: u64, popped: u64, found_empty: u64) -> Regime {
        Regime {
            pushed,
            found_full,
            popped,
            found_empty,
            ..Regime::default()
        }
    }

    #[test]
    fn shares_count_failed_attempts_among_all_attempts() {
        let regime = regime(100, 0, 100, 300);
        assert_eq!(regime.empty_share(), 0.75);
        assert_eq!(regime.full_share(), 0.0);
        assert!(regime.verdict().starts_with("mostly empty"));
    }

    #[test]
    fn a_queue_that_fills_up_is_mostly_full() {
        assert!(regime(10, 30, 10, 0).verdict().starts_with("mostly full"));
        assert!(regime(100, 20, 100, 0).verdict().starts_with("often full"));
    }

    #[test]
    fn waiting_on_both_sides_is_swinging() {
        assert!(regime(100, 30, 100, 20).verdict().starts_with("swinging"));
    }

    #[test]
    fn no_attempts_is_no_waiting() {
        let regime = Regime::default();
        assert_eq!(regime.empty_share(), 0.0);
        assert!(regime.verdict().starts_with("rarely"));
        assert!(regime.to_string().ends_with(
            "producer unknown, consumer unknown; core-to-core round trip: unknown before, \
             unknown after"
        ));
    }
}
