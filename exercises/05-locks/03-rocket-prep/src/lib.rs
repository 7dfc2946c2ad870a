//! # Rocket prep
//!
//! A variant of Suhas Patil's *cigarette smokers* puzzle, as told in Allen
//! Downey's *The Little Book of Semaphores*. Three rockets stand on a launch
//! pad. The rules:
//!
//! 1. **Supplies.** One supplier puts units of fuel, oxidizer and crew on the
//!    pad ([`LaunchPad::publish`]), in any order, one at a time; it never
//!    waits. A rocket takes a unit with [`LaunchPad::take`], which waits until
//!    a unit of that kind is on the pad. A unit is taken at most once, and
//!    never before it was published.
//! 2. **Order.** Each rocket takes one fuel, then one oxidizer, then one crew,
//!    and then reports [`LaunchPad::ready`].
//! 3. **Countdown.** Launch control ([`LaunchPad::launch`]) runs the
//!    countdown once all [`ROCKETS`] rockets have reported ready, not before.
//! 4. **Lift-off.** `ready` returns (the rocket lifts off) only once the
//!    countdown has ended, and then for every rocket.
//!
//! One launch per pad. As shipped, the pad counts the supplies with one
//! semaphore per kind, and nothing else waits for anything: `take` takes a
//! unit only if one is there, `ready` returns at once, and `launch` starts the
//! countdown at once. Your job: rules 1, 3 and 4. The finished
//! [`Semaphore`] from the `semaphore` exercise is in [`semaphore`]; you may
//! use it, or `Mutex` and `Condvar`. Keep the public API as it is.
//!
//! Check your work with `cargo test` in this folder, or
//! `cargo workbook check rocket-prep`.

/// The counting semaphore from the `semaphore` exercise, finished: one copy,
/// shared with its solution.
#[path = "../../../../solutions/05-locks/01-semaphore/src/lib.rs"]
pub mod semaphore;

use semaphore::Semaphore;

/// How many rockets take part in a launch.
pub const ROCKETS: usize = 3;

/// A kind of supply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Supply {
    Fuel,
    Oxidizer,
    Crew,
}

impl Supply {
    /// In the order every rocket takes them.
    pub const ALL: [Supply; 3] = [Supply::Fuel, Supply::Oxidizer, Supply::Crew];
}

// ANCHOR: pad
/// The pad that the supplier, the rockets and launch control share.
#[derive(Debug)]
pub struct LaunchPad {
    /// Units of each kind on the pad, in the order of [`Supply::ALL`].
    supplies: [Semaphore; 3],
    // TODO: how does launch control learn that a rocket is ready, and how
    // does a rocket learn that the countdown is over?
}
// ANCHOR_END: pad

impl Default for LaunchPad {
    fn default() -> Self {
        Self::new()
    }
}

impl LaunchPad {
    /// An empty pad: no supplies, no rocket ready.
    pub fn new() -> Self {
        Self {
            supplies: [Semaphore::new(0), Semaphore::new(0), Semaphore::new(0)],
        }
    }

    fn supply(&self, item: Supply) -> &Semaphore {
        match item {
            Supply::Fuel => &self.supplies[0],
            Supply::Oxidizer => &self.supplies[1],
            Supply::Crew => &self.supplies[2],
        }
    }

    /// Puts one unit of `item` on the pad. Never waits.
    pub fn publish(&self, item: Supply) {
        self.supply(item).release();
    }

    /// Units of `item` on the pad right now (for tests and displays).
    pub fn on_pad(&self, item: Supply) -> usize {
        self.supply(item).available()
    }

    // ANCHOR: rocket
    /// Takes one unit of `item`, waiting until one is on the pad.
    pub fn take(&self, item: Supply) {
        // TODO: with nothing on the pad, the rocket goes on without its unit.
        // It must wait for one.
        if let Some(unit) = self.supply(item).try_acquire() {
            // The unit leaves the pad for good: its permit is never given back.
            unit.forget();
        }
    }

    /// Reports this rocket ready, then waits until the countdown is over.
    pub fn ready(&self) {
        // TODO: tell launch control, then wait for the end of the countdown.
    }
    // ANCHOR_END: rocket

    // ANCHOR: launch
    /// Waits until every rocket is ready, runs `countdown`, then clears every
    /// rocket to lift off.
    pub fn launch(&self, countdown: impl FnOnce()) {
        // TODO: first wait for all ROCKETS rockets; afterwards, let every
        // one of them lift off.
        countdown();
    }
    // ANCHOR_END: launch
}
