//! Bounded stress loops.
//!
//! A stress test runs the same concurrent scenario many times, hoping that one of
//! the runs hits a bad interleaving. It can show a bug; it can never show that
//! there is none (that is what loom and Miri are for). These helpers keep stress
//! tests bounded and make them cheap enough to run under Miri.

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

/// Runs `round` for `scaled(rounds)` rounds, numbered from 0. A failing round
/// reports its number, so a learner knows whether the bug shows at once or rarely.
pub fn repeat(rounds: usize, mut round: impl FnMut(usize)) {
    let rounds = scaled(rounds);
    for number in 0..rounds {
        let reporter = RoundReporter { number, rounds };
        round(number);
        std::mem::forget(reporter);
    }
}

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
