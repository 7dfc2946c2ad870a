//! # The dining philosophers
//!
//! Dijkstra's puzzle, as Hoare retells it: philosophers sit round a
//! table with one fork between each pair of neighbours, so philosopher `i` has
//! fork `i` on the left and fork `i + 1` (wrapping round) on the right. To eat,
//! a philosopher needs both of its forks. The rules:
//!
//! 1. a fork is in at most one hand at a time;
//! 2. the table never deadlocks: as long as philosophers keep coming to eat,
//!    some philosopher eats.
//!
//! If every philosopher takes the left fork first, all of them can hold their
//! left fork at the same moment, and each then waits for ever for the right
//! one, which a neighbour holds: a cycle of waiting, as with two locks taken in
//! opposite orders. This answer breaks the cycle with a global order: every
//! philosopher takes the lower-numbered of its two forks first. The last
//! philosopher's forks are `n - 1` and `0`, so it reaches for fork 0 first,
//! and the cycle cannot close.

/// The counting semaphore from the `semaphore` exercise, finished: one copy,
/// shared with its solution.
#[path = "../../../../solutions/05-locks/01-semaphore/src/lib.rs"]
pub mod semaphore;

use semaphore::Semaphore;

/// The table: one binary semaphore per fork.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Semaphore>,
}

impl Table {
    /// A table for `philosophers` philosophers, with as many forks.
    ///
    /// # Panics
    ///
    /// If `philosophers` is less than 2: a lone philosopher has one fork.
    pub fn new(philosophers: usize) -> Self {
        assert!(philosophers >= 2, "a table needs at least two philosophers");
        Self {
            forks: (0..philosophers).map(|_| Semaphore::new(1)).collect(),
        }
    }

    /// How many philosophers sit at the table.
    pub fn philosophers(&self) -> usize {
        self.forks.len()
    }

    /// The forks of philosopher `seat`: left, then right.
    pub fn forks_of(&self, seat: usize) -> (usize, usize) {
        (seat, (seat + 1) % self.forks.len())
    }

    // ANCHOR: dine
    /// Philosopher `seat` takes its two forks, calling `between` once it holds
    /// the first, then runs `eat` and puts both forks down.
    ///
    /// `between` lets a test make every philosopher hold one fork at the same
    /// moment; call it between taking the first fork and the second.
    pub fn dine<R>(&self, seat: usize, between: impl FnOnce(), eat: impl FnOnce() -> R) -> R {
        let (left, right) = self.forks_of(seat);
        // One order for every philosopher, so the waiting cannot go round in
        // a circle: the lower-numbered fork first.
        let (first, second) = (left.min(right), left.max(right));
        let _first = self.forks[first].acquire();
        between();
        let _second = self.forks[second].acquire();
        eat()
    }
    // ANCHOR_END: dine
}
