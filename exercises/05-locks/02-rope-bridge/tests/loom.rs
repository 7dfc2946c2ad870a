//! A loom model of the rope: every interleaving (up to loom's preemption
//! bound) of four travellers on one monitor. A traveller left asleep while
//! nobody is on the rope to wake it is a lost wake-up, and loom reports it as a
//! deadlock: every thread still running is blocked.
//!
//! Run with `cargo workbook check rope-bridge`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use rope_bridge::{Rope, Side};
use test_support::sync::Arc;
use test_support::{model, thread};

/// Two travellers from the left are on the rope; one from the right waits for
/// them to get off (and claims the next turn); a third from the left arrives
/// and waits behind that turn. Travellers now wait for different reasons, so a
/// wake-up that reaches the wrong one can leave the one who could go asleep:
/// the first to get off wakes the right traveller, who still cannot go and
/// sleeps again, now behind the third left traveller; the second to get off
/// wakes only that one, who cannot go either.
#[test_support::test]
fn every_traveller_gets_across_when_they_wait_for_different_reasons() {
    model(|| {
        let rope = Arc::new(Rope::new());
        let travellers: Vec<_> = [Side::Left, Side::Left, Side::Right]
            .into_iter()
            .map(|from| {
                let rope = Arc::clone(&rope);
                thread::spawn(move || rope.cross(from, || {}))
            })
            .collect();
        rope.cross(Side::Left, || {});
        for traveller in travellers {
            traveller.join().unwrap();
        }
        assert_eq!(rope.waiting(Side::Left) + rope.waiting(Side::Right), 0);
    });
}
