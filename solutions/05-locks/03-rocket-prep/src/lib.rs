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
//! One launch per pad. This answer signals with semaphores only: one per kind
//! of supply counts the units on the pad, `ready` counts the rockets that have
//! reported, and `go` hands each rocket its clearance once the countdown is
//! over.

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
    /// One permit per rocket that has reported ready.
    ready: Semaphore,
    /// One permit per rocket cleared to lift off.
    go: Semaphore,
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
            ready: Semaphore::new(0),
            go: Semaphore::new(0),
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
        // The unit leaves the pad for good: its permit is never given back.
        self.supply(item).acquire().forget();
    }

    /// Reports this rocket ready, then waits until the countdown is over.
    pub fn ready(&self) {
        self.ready.release();
        self.go.acquire().forget();
    }
    // ANCHOR_END: rocket

    // ANCHOR: launch
    /// Waits until every rocket is ready, runs `countdown`, then clears every
    /// rocket to lift off.
    pub fn launch(&self, countdown: impl FnOnce()) {
        for _ in 0..ROCKETS {
            self.ready.acquire().forget();
        }
        countdown();
        for _ in 0..ROCKETS {
            self.go.release();
        }
    }
    // ANCHOR_END: launch
}
