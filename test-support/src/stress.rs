//! Bounded stress loops.
//!
//! A stress test runs the same concurrent scenario many times, hoping that one of
//! the runs hits a bad interleaving. It can show a bug; it can never show that
//! there is none (that is what loom and Miri are for). These helpers keep stress
//! tests bounded and make them cheap enough to run under Miri.

use std::time::{Duration, Instant};

/// `n` normally; a small fraction of `n` under Miri, which runs code thousands of
/// times slower but checks every access it runs.
pub const fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        let small = n / 1000;
        if small < 4 { 4 } else { small }
    } else {
        n
    }
}

/// Runs `round` for `scaled(rounds)` rounds, numbered from 0, or fewer on a
/// busy machine: once [`BUDGET`] has passed, it stops after the round that is
/// running (having run at least [`MIN_ROUNDS`]), so a loaded laptop gets a
/// slower, shorter test rather than a long wait. Each round counts as progress
/// for [`crate::deadline`]. A failing round reports its number, so a learner
/// knows whether the bug shows at once or rarely.
pub fn repeat(rounds: usize, mut round: impl FnMut(usize)) {
    let rounds = scaled(rounds);
    let started = Instant::now();
    for number in 0..rounds {
        let reporter = RoundReporter { number, rounds };
        round(number);
        std::mem::forget(reporter);
        crate::deadline::progress();
        let enough = number + 1 >= MIN_ROUNDS.min(rounds);
        if enough && number + 1 < rounds && started.elapsed() >= BUDGET {
            eprintln!(
                "stress: stopped after {} of {rounds} rounds: {BUDGET:?} had passed (a busy machine)",
                number + 1
            );
            return;
        }
    }
}

/// How long [`repeat`] keeps starting new rounds. Miri is exempt: it scales
/// the rounds down itself and checks every access of each.
const BUDGET: Duration = if cfg!(miri) {
    Duration::MAX
} else {
    Duration::from_secs(5)
};

/// The rounds [`repeat`] runs whatever the time.
const MIN_ROUNDS: usize = 3;

/// Prints the round number if the round panics (its drop runs only while unwinding).
struct RoundReporter {
    number: usize,
    rounds: usize,
}

impl Drop for RoundReporter {
    fn drop(&mut self) {
        eprintln!("stress round {} of {} failed", self.number + 1, self.rounds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_runs_every_round_in_order() {
        let mut seen = Vec::new();
        repeat(5000, |round| seen.push(round));
        assert_eq!(seen, (0..scaled(5000)).collect::<Vec<_>>());
    }
}
