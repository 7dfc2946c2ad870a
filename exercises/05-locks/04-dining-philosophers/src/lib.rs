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
//! As shipped, each fork is a binary [`Semaphore`] and every philosopher takes
//! its left fork first, then its right. Rule 1 holds. Rule 2 does not, and the
//! tests show it every run. Your job: make the table deadlock-free. You may
//! use the [`semaphore`] module (the finished `semaphore` exercise), or
//! `Mutex` and `Condvar`; keep the public API as it is.
//!
//! Check your work with `cargo test` in this folder, or
//! `cargo workbook check dining-philosophers`.

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
        // TODO: if every philosopher holds its first fork, who can get a
        // second one?
        let (first, second) = (left, right);
        let _first = self.forks[first].acquire();
        between();
        let _second = self.forks[second].acquire();
        eat()
    }
    // ANCHOR_END: dine
}
