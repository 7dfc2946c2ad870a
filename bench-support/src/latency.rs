//! How long a cache line takes to go from one pinned core to the other and back.
//!
//! On a virtual machine the host decides where the virtual cores really run, and
//! it can change its mind under a running benchmark: on the 2-core VM this crate
//! was written on, the round trip swung between about 55, 110 and 400 ns within
//! seconds, with nothing else running. Every hand-off in a queue pays part of
//! that trip, so the harness measures it before and after each benchmark and
//! prints it with the regime.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::pin::{self, Placement};

/// Hand-offs per measurement: tens of milliseconds even at the slowest trips seen.
const TRIPS: u32 = 10_000;

/// One atomic alone on its cache line (128 bytes covers the adjacent-line
/// prefetcher's pairs), so the probe measures a line moving, not false sharing.
#[repr(align(128))]
#[derive(Default)]
struct Line(AtomicU32);

/// The average time for a value to go from the bench thread's core to the
/// peer's and back, or `None` if the threads are not pinned to two cores (then
/// every trip waits for the scheduler, and measuring them would take seconds).
pub fn round_trip(placement: Placement) -> Option<Duration> {
    let (Some(_), Some(peer_core)) = (placement.bench, placement.peer) else {
        return None;
    };
    let (ping, pong) = (Line::default(), Line::default());
    thread::scope(|scope| {
        scope.spawn(|| {
            pin::pin_current(peer_core);
            for trip in 1..=TRIPS + 1 {
                // Relaxed: only this value travels; no other memory is handed over
                // with it. Pairs with the bench thread's Relaxed store of `ping`.
                while ping.0.load(Ordering::Relaxed) != trip {
                    spin_loop();
                }
                // Relaxed: pairs with the bench thread's Relaxed load of `pong`.
                pong.0.store(trip, Ordering::Relaxed);
            }
        });
        // The first trip is not timed: it waits for the new thread to start on its
        // core. (The lines start at 0, so no trip is mistaken for an earlier one.)
        let mut start = Instant::now();
        for trip in 1..=TRIPS + 1 {
            // Relaxed: pairs with the peer's Relaxed load of `ping`.
            ping.0.store(trip, Ordering::Relaxed);
            // Relaxed: pairs with the peer's Relaxed store of `pong`.
            while pong.0.load(Ordering::Relaxed) != trip {
                spin_loop();
            }
            if trip == 1 {
                start = Instant::now();
            }
        }
        Some(start.elapsed() / TRIPS)
    })
}
