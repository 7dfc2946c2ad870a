//! Seeded randomness, so a failure seen once can be seen again.
//!
//! A test that drives threads with random choices and delays draws one seed per
//! run and prints it; `WORKBOOK_SEED=<seed> cargo test <name>` replays the same
//! choices. (The thread interleaving still varies between runs: a seed replays
//! what each thread decides, not when the scheduler runs it.)

use std::time::Duration;

pub use rand::Rng;
use rand::SeedableRng;
pub use rand::rngs::SmallRng;

/// One run's seed: from `WORKBOOK_SEED` if set, otherwise fresh. Printed on
/// creation; cargo shows it only when the test fails.
#[derive(Clone, Copy, Debug)]
pub struct Seed(u64);

impl Seed {
    /// Reads `WORKBOOK_SEED` or draws a new seed, and prints how to replay it.
    ///
    /// # Panics
    ///
    /// If `WORKBOOK_SEED` is set but is not a number.
    pub fn from_env_or_random(test: &str) -> Self {
        let seed = match std::env::var("WORKBOOK_SEED") {
            Ok(text) => text
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("WORKBOOK_SEED must be a number, found {text:?}")),
            Err(_) => rand::random(),
        };
        eprintln!("{test}: seed {seed} (replay with WORKBOOK_SEED={seed})");
        Seed(seed)
    }

    /// A generator for one thread (or one role), independent of the others'.
    pub fn rng(self, stream: u64) -> SmallRng {
        // Distinct streams must not share a seed: mix the stream number in with
        // an odd constant (the golden ratio's fraction, as in SplitMix64).
        SmallRng::seed_from_u64(self.0 ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

/// Sleeps up to `max` (sometimes not at all, sometimes only yields), to shake
/// the interleaving between runs. Under Miri only yields, to keep runs short.
pub fn jitter(rng: &mut impl Rng, max: Duration) {
    match rng.random_range(0..4) {
        0 => {}
        1 => std::thread::yield_now(),
        _ if cfg!(miri) => std::thread::yield_now(),
        _ => std::thread::sleep(max.mul_f64(rng.random::<f64>())),
    }
}
