//! Bounded busy-waiting, so that a broken queue fails a benchmark instead of
//! hanging an instructor's laptop.

use std::time::{Duration, Instant};

use crate::signals::Watch;

/// How long one wait may last. Far longer than any correct wait here (the peer
/// waking up, a few microseconds of queue work), and still short enough to give
/// up on a broken queue before someone reaches for Ctrl-C.
const LIMIT: Duration = Duration::from_secs(10);

/// Reading the clock costs far more than one spin, so it is read only once in
/// this many spins (a few milliseconds apart).
const SPINS_PER_CLOCK_READ: u32 = 1 << 16;

/// One busy-wait: call [`Patience::spin`] each time the awaited condition is
/// still false.
pub(crate) struct Patience {
    spins: u32,
    since: Option<Instant>,
}

impl Patience {
    pub(crate) fn new() -> Self {
        Self {
            spins: 0,
            since: None,
        }
    }

    /// Waits a moment. Panics with the peer's reason if its job has failed, or
    /// with "`waiting_for`: still waiting after 10 s" once the wait has lasted
    /// [`LIMIT`].
    #[inline]
    pub(crate) fn spin(&mut self, waiting_for: &str, peer: &Watch) {
        // Tells the core this is a spin-wait: it backs off a little instead of
        // flooding the other core's cache line with loads.
        std::hint::spin_loop();
        self.spins = self.spins.wrapping_add(1);
        if self.spins % SPINS_PER_CLOCK_READ == 0 {
            peer.check();
            let since = *self.since.get_or_insert_with(Instant::now);
            assert!(
                since.elapsed() < LIMIT,
                "{waiting_for}: still waiting after {} s",
                LIMIT.as_secs()
            );
        }
    }
}
